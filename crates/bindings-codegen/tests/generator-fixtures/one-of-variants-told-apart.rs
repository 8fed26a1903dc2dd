//! The behaviour test of one-of-variants-told-apart.yaml (the corpus run
//! puts it in the scratch server crate's `tests/`): the mock's made
//! answer fits exactly one variant of its `oneOf`.

mod common;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_answer_fits_one_variant() {
    let answer = reqwest::get(format!("{}/payment-methods", common::mock().await))
        .await
        .expect("answered");
    assert_eq!(answer.status().as_u16(), 200);
    let body: serde_json::Value = answer.json().await.expect("JSON");
    let data = &body["data"][0]["data"];
    let members = data.as_object().map(|m| m.len()).unwrap_or_default();
    assert!(members > 0, "fits both variants: {body}");
}
