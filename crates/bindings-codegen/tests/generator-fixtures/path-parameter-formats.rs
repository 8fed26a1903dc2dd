//! The behaviour test of path-parameter-formats.yaml (the corpus run puts
//! it in the scratch server crate's `tests/`): a path parameter's
//! `format` is checked, as a query parameter's is.

mod common;

async fn get(path: &str) -> u16 {
    let url = format!("{}{path}", common::mock().await);
    common::send(reqwest::Method::GET, &url, &[], None).await.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn values_of_the_format_are_taken() {
    assert_eq!(get("/ranges/2001:db8::").await, 200);
    assert_eq!(get("/ranges/%3A%3A1").await, 200);
    assert_eq!(get("/addresses/192.0.2.1/ports/443").await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn values_outside_the_format_get_400() {
    assert_eq!(get("/ranges/abc").await, 400);
    assert_eq!(get("/ranges/192.0.2.1").await, 400);
    assert_eq!(get("/addresses/2001:db8::/ports/443").await, 400);
    assert_eq!(get("/addresses/192.0.2.1/ports/0").await, 400);
    assert_eq!(get("/addresses/192.0.2.1/ports/http").await, 400);
}
