//! The behaviour test of api-keys-outside-headers.yaml (the corpus run
//! puts it in the scratch server crate's `tests/`): an API key in the
//! query or in a cookie is required there, as a header's is.

mod common;

async fn get(path: &str, headers: &[(&str, &str)]) -> u16 {
    let url = format!("{}{path}", common::mock().await);
    common::send(reqwest::Method::GET, &url, headers, None).await.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_where_the_spec_puts_them_are_taken() {
    assert_eq!(get("/cookie", &[("cookie", "sid=abc")]).await, 200);
    assert_eq!(get("/cookie", &[("cookie", "theme=dark; sid=abc")]).await, 200);
    assert_eq!(get("/query?api_key=abc", &[]).await, 200);
    assert_eq!(get("/both?api_key=abc", &[("cookie", "sid=abc")]).await, 200);
    assert_eq!(get("/optional", &[]).await, 200);
    assert_eq!(get("/optional?api_key=abc", &[]).await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_keys_get_401() {
    assert_eq!(get("/cookie", &[]).await, 401);
    assert_eq!(get("/cookie", &[("cookie", "theme=dark")]).await, 401);
    // A key in another place than the spec's is no key.
    assert_eq!(get("/cookie?sid=abc", &[]).await, 401);
    assert_eq!(get("/query", &[("api_key", "abc")]).await, 401);
    assert_eq!(get("/query", &[("cookie", "api_key=abc")]).await, 401);
    assert_eq!(get("/both?api_key=abc", &[]).await, 401);
    assert_eq!(get("/both", &[("cookie", "sid=abc")]).await, 401);
}
