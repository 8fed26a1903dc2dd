//! The behaviour test of nullable-union-alternative.yaml (the corpus run
//! puts it in the scratch server crate's `tests/`): `null` is taken where
//! a union with a nullable alternative is, and a value none takes is not.

mod common;

async fn post(body: &str) -> u16 {
    let url = format!("{}/fields", common::mock().await);
    common::post(&url, "application/json", body).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn null_is_taken_in_each_place() {
    assert_eq!(post(r#"{"required_value": null}"#).await, 201);
    assert_eq!(post(r#"{"required_value": "a", "value": null}"#).await, 201);
    assert_eq!(post(r#"{"required_value": {}, "values": [null, "a", {}]}"#).await, 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_value_no_alternative_takes_is_refused() {
    assert_eq!(post(r#"{"required_value": 5}"#).await, 400);
    assert_eq!(post(r#"{"required_value": "a", "values": [true]}"#).await, 400);
    assert_eq!(post(r#"{"value": null}"#).await, 400);
}
