//! The behaviour test of other-media-beside-json.yaml (the corpus run puts
//! it in the scratch server crate's `tests/`): a body in the JSON media
//! type is decoded and checked, one in the other documented media type is
//! kept as sent, one in an undocumented media type is refused.

mod common;

async fn send(content_type: &str, body: &str) -> u16 {
    let url = format!("{}/query", common::mock().await);
    common::post(&url, content_type, body).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_documented_media_type_is_taken() {
    assert_eq!(send("application/json", r#"{"query": "from(bucket: \"b\")"}"#).await, 200);
    assert_eq!(send("text/plain", "from(bucket: \"b\")").await, 200);
    assert_eq!(send("text/plain; charset=utf-8", "from(bucket: \"b\")").await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_the_spec_refuses_get_400() {
    // JSON that breaks its schema, and a media type the spec does not
    // document (the operation documents 400 for refused requests).
    assert_eq!(send("application/json", r#"{"query": ""}"#).await, 400);
    assert_eq!(send("application/json", "{").await, 400);
    assert_eq!(send("text/csv", "a,b").await, 400);
}

/// The generated input's body type: a `MediaBody` of the JSON body's
/// (this test does not compile if it is not).
#[allow(dead_code)]
fn body_of(
    input: &corpus_server::PostQueryInput,
) -> &bindings_server::MediaBody<corpus_types::Query> {
    &input.body
}
