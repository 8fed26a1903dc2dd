//! What the generator fixtures' behaviour tests share. The corpus run
//! (`xtask/src/corpus/fixture_test.rs`, which holds this file with
//! `include_str!`) writes it as `tests/common/mod.rs` of the scratch server
//! crate, beside a fixture's `NAME.rs` as `tests/fixture.rs`, which takes it
//! with `mod common;`. It is no fixture: no spec stands beside it.
//!
//! The dev-dependencies are the fixture test's (`axum`, `reqwest`,
//! `tokio`); every request is made by a new `reqwest::Client`.

// Each fixture uses some of these helpers, and the rest are dead there.
#![allow(dead_code)]

/// Serves `app` on 127.0.0.1, at a port the system picks, while the test
/// runs: its base URL, `http://127.0.0.1:PORT` (no `/` at the end).
pub async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

/// The generated mock, `corpus_server::mock::router()`, served by
/// [`serve`]: its base URL. Each call serves a new mock, with its own
/// memory of what it deleted.
pub async fn mock() -> String {
    serve(corpus_server::mock::router()).await
}

/// Sends `method` to `url` with `headers` (name, value) and `body`, if
/// there is one: the answer's status, and its body as text.
pub async fn send(
    method: reqwest::Method,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> (u16, String) {
    let mut request = reqwest::Client::new().request(method, url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request.body(body.to_vec());
    }
    let answer = request.send().await.expect("answered");
    let status = answer.status().as_u16();
    (status, answer.text().await.expect("the answer's body"))
}

/// The status of the answer to a POST of `body` to `url` with
/// `Content-Type: {content_type}`.
pub async fn post(url: &str, content_type: &str, body: impl AsRef<[u8]>) -> u16 {
    let headers = [("content-type", content_type)];
    send(reqwest::Method::POST, url, &headers, Some(body.as_ref())).await.0
}

/// The status of the answer to a POST of the JSON `body` to `url`, and
/// the answer's body as JSON (`null` where it is not JSON).
pub async fn post_json(url: &str, body: &str) -> (u16, serde_json::Value) {
    let json = [("content-type", "application/json")];
    let (status, text) = send(reqwest::Method::POST, url, &json, Some(body.as_bytes())).await;
    (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::Null))
}

/// A `multipart/form-data` body of `parts`, each (name, its `Content-Type`
/// if it has one, its bytes), with the boundary `b0und`: its content type
/// and its bytes.
pub fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let mut body = Vec::new();
    for (name, media, bytes) in parts {
        body.extend_from_slice(b"--b0und\r\n");
        body.extend_from_slice(
            format!("Content-Disposition: form-data; name=\"{name}\"\r\n").as_bytes(),
        );
        if let Some(media) = media {
            body.extend_from_slice(format!("Content-Type: {media}\r\n").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"--b0und--\r\n");
    ("multipart/form-data; boundary=b0und".to_owned(), body)
}
