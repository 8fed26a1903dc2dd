//! The behaviour test of http-credentials.yaml (the corpus run puts it in
//! the scratch server crate's `tests/`): a credential no scheme can read
//! gets the documented 401, as a missing one does.

mod common;

async fn get(path: &str, headers: &[(&str, &str)]) -> u16 {
    let url = format!("{}{path}", common::mock().await);
    common::send(reqwest::Method::GET, &url, headers, None).await.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_that_name_their_scheme_are_taken() {
    assert_eq!(get("/bearer", &[("authorization", "Bearer abc")]).await, 200);
    assert_eq!(get("/bearer", &[("authorization", "bearer abc")]).await, 200);
    assert_eq!(get("/basic-or-key", &[("authorization", "Basic dXNlcjpwYXNz")]).await, 200);
    assert_eq!(get("/basic-or-key", &[("x-api-key", "anything")]).await, 200);
    assert_eq!(get("/oauth", &[("authorization", "Bearer token")]).await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_no_scheme_can_read_get_401() {
    for value in ["Z}S7", "Basic dXNlcjpwYXNz", "Bearer ", "Bearerabc"] {
        assert_eq!(get("/bearer", &[("authorization", value)]).await, 401, "{value}");
    }
    assert_eq!(get("/bearer", &[]).await, 401);
    assert_eq!(get("/basic-or-key", &[("authorization", "Bearer abc")]).await, 401);
    assert_eq!(get("/oauth", &[("authorization", "Basic dXNlcjpwYXNz")]).await, 401);
}
