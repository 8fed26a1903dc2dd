//! The behaviour test of multipart-beside-json.yaml (the corpus run puts
//! it in the scratch server crate's `tests/`): a multipart body is read by
//! the body's schema and checked against it, as a JSON body is.

mod common;

async fn post(parts: &[(&str, Option<&str>, &[u8])]) -> u16 {
    let (content_type, body) = common::multipart(parts);
    send(&content_type, body).await
}

async fn send(content_type: &str, body: Vec<u8>) -> u16 {
    let url = format!("{}/messages", common::mock().await);
    common::post(&url, content_type, body).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn multipart_bodies_that_fit_are_taken() {
    assert_eq!(post(&[("content", None, b"hi")]).await, 201);
    let full: [(&str, Option<&str>, &[u8]); 6] = [
        ("content", None, b"hi"),
        ("flags", None, b"3"),
        ("tags", None, b"a"),
        ("tags", None, b"b"),
        ("embed", Some("application/json"), br#"{"title": "t"}"#),
        ("file", Some("application/octet-stream"), &[0xff, 0x00, 0x01]),
    ];
    assert_eq!(post(&full).await, 201);
    // An object member's part without a content type is JSON too.
    assert_eq!(post(&[("content", None, b"hi"), ("embed", None, br#"{"title": "t"}"#)]).await, 201);
    assert_eq!(send("application/json", br#"{"content": "hi"}"#.to_vec()).await, 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn multipart_bodies_the_schema_refuses_get_400() {
    // The required member missing, empty, past the maximum, not a number,
    // an object member that is not one, a JSON part that is not JSON.
    let cases: [&[(&str, Option<&str>, &[u8])]; 6] = [
        &[("flags", None, b"3")],
        &[("content", None, b"")],
        &[("content", None, b"hi"), ("flags", None, b"9")],
        &[("content", None, b"hi"), ("flags", None, b"three")],
        &[("content", None, b"hi"), ("embed", None, b"{}")],
        &[("content", None, b"hi"), ("embed", Some("application/json"), b"{")],
    ];
    for parts in cases {
        assert_eq!(post(parts).await, 400, "{parts:?}");
    }
    // Not multipart, though its content type says so.
    assert_eq!(send("multipart/form-data; boundary=b0und", b"plain".to_vec()).await, 400);
}
