//! The behaviour test of members-beside-one-of.yaml (the corpus run puts
//! it in the scratch server crate's `tests/`): the mock's answer, made
//! from the schema, holds the members beside the union and a variant's.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_answer_holds_the_shared_members_and_a_variant_s() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, corpus_server::mock::router()).await });
    let answer = reqwest::get(format!("http://{address}/destinations/a"))
        .await
        .expect("answered");
    assert_eq!(answer.status().as_u16(), 200);
    let body: serde_json::Value = answer.json().await.expect("JSON");
    for member in ["id", "batchSize", "type"] {
        assert!(body.get(member).is_some(), "{member} missing from {body}");
    }
}
