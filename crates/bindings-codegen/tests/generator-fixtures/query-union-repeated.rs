//! The behaviour test of query-union-repeated.yaml (the corpus run puts it
//! in the scratch server crate's `tests/`): a union with an array
//! alternative, given once or more than once.

mod common;

async fn status(query: &str) -> u16 {
    let url = format!("{}/things?{query}", common::mock().await);
    common::send(reqwest::Method::GET, &url, &[], None).await.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_union_given_more_than_once_is_its_array() {
    assert_eq!(status("id=a").await, 200);
    assert_eq!(status("id=a&id=b").await, 200);
    assert_eq!(status("id=a&id=b&id=c&id=").await, 200);
    assert_eq!(status("size=1&size=2").await, 200);
    assert_eq!(status("size=1").await, 200);
    // Neither alternative: the documented 400.
    assert_eq!(status("size=1&size=x").await, 400);
}
