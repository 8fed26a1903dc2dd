//! The behaviour test of webhook-refs-into-a-body.yaml (the corpus run
//! puts it in the scratch server crate's `tests/`): a spec of webhooks
//! alone has no route, and its mock still starts (axum panics on a route
//! layer over no route; Xero's webhooks spec did) and answers 404.

mod common;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mock_of_no_operation_starts_and_answers_404() {
    let answer = reqwest::get(format!("{}/anything", common::mock().await))
        .await
        .expect("answered");
    assert_eq!(answer.status().as_u16(), 404);
}
