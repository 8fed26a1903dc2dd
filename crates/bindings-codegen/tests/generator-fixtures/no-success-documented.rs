//! The behaviour test of no-success-documented.yaml (the corpus run puts
//! it in the scratch server crate's `tests/`): without a documented
//! success, the mock answers 404.

mod common;

use reqwest::Method;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_valid_delete_gets_the_404() {
    let base = common::mock().await;
    let (valid, _) = common::send(Method::DELETE, &format!("{base}/pets/1"), &[], None).await;
    assert_eq!(valid, 404);
    let (invalid, _) = common::send(Method::DELETE, &format!("{base}/pets/x"), &[], None).await;
    assert_eq!(invalid, 400);
}
