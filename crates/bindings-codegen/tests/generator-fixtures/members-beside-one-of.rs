//! The behaviour test of members-beside-one-of.yaml (the corpus run puts
//! it in the scratch server crate's `tests/`): the mock's answer, made
//! from the schema, holds the members beside the union and a variant's.

mod common;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_answer_holds_the_shared_members_and_a_variant_s() {
    let answer = reqwest::get(format!("{}/destinations/a", common::mock().await))
        .await
        .expect("answered");
    assert_eq!(answer.status().as_u16(), 200);
    let body: serde_json::Value = answer.json().await.expect("JSON");
    for member in ["id", "batchSize", "type"] {
        assert!(body.get(member).is_some(), "{member} missing from {body}");
    }
}
