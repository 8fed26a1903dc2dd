//! The behaviour test of oversized-request-documented-answer.yaml (the
//! corpus run puts it in the scratch server crate's `tests/`): a URI or
//! headers beyond the router's limits get the spec's `default` answer,
//! in its media type, and a long URI within them is read and checked
//! against the spec.

mod common;

/// The status, `Content-Type` and body of a GET of `target` with `headers`.
async fn get(target: &str, headers: &[(&str, &str)]) -> (u16, String, serde_json::Value) {
    let url = format!("{}{target}", common::mock().await);
    let mut request = reqwest::Client::new().get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let answer = request.send().await.expect("answered");
    let status = answer.status().as_u16();
    let media = answer
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = answer.json().await.unwrap_or(serde_json::Value::Null);
    (status, media, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_uri_gets_the_documented_error() {
    // Past the router's 60 KiB, within hyper's 64 KiB.
    let target = format!("/v1/charges?starting_after={}", "a".repeat(62 * 1024));
    let (status, media, body) = get(&target, &[]).await;
    assert_eq!(status, 414);
    assert_eq!(media, "application/json");
    assert!(body["error"]["message"].is_string(), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_uri_within_the_limit_is_read_and_checked() {
    let valid = format!("/v1/charges?starting_after={}", "a".repeat(50 * 1024));
    let (status, _, _) = get(&valid, &[]).await;
    assert_eq!(status, 200);
    let invalid = format!("/v1/charges?limit={}", "1".repeat(50 * 1024));
    let (status, media, body) = get(&invalid, &[]).await;
    assert_eq!(status, 400);
    assert_eq!(media, "application/json");
    assert!(body["error"]["message"].is_string(), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_headers_get_the_documented_error() {
    let filler = "b".repeat(40 * 1024);
    let (status, media, body) = get("/v1/charges", &[("x-filler", &filler)]).await;
    assert_eq!(status, 431);
    assert_eq!(media, "application/json");
    assert!(body["error"]["message"].is_string(), "{body}");
}
