//! The behaviour test of first-example-invalid.yaml (the corpus run puts
//! it in the scratch server crate's `tests/`): the mock's default answer
//! is the first example that fits its schema.

mod common;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_answer_is_the_first_example_that_fits() {
    let url = format!("{}/sims/DE1", common::mock().await);
    let (status, body) = common::send(reqwest::Method::POST, &url, &[], None).await;
    assert_eq!(status, 200, "{body}");
    let body: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(body["reset_status"], "resetting", "{body}");
}
