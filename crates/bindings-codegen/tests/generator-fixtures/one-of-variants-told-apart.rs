//! The behaviour test of one-of-variants-told-apart.yaml (the corpus run
//! puts it in the scratch server crate's `tests/`): the mock's made
//! answer fits exactly one variant of its `oneOf`.

mod common;

/// The members of the first item's `data` in the answer to `GET path`.
async fn members_of_data(path: &str) -> usize {
    let answer = reqwest::get(format!("{}{path}", common::mock().await))
        .await
        .expect("answered");
    assert_eq!(answer.status().as_u16(), 200);
    let body: serde_json::Value = answer.json().await.expect("JSON");
    let data = &body["data"][0]["data"];
    data.as_object().map(|m| m.len()).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_answer_fits_one_variant() {
    assert!(members_of_data("/payment-methods").await > 0, "fits both variants");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_discriminated_answer_fits_one_variant_too() {
    assert!(members_of_data("/tags").await > 0, "fits both variants");
}
