//! The behaviour test of enum-value-of-another-type.yaml (the corpus run
//! puts it in the scratch server crate's `tests/`): an enum's values of
//! its schema's type are taken, others refused.

mod common;

async fn quiet(zone: &str, body: &str) -> u16 {
    let url = format!("{}/zones/{zone}/quiet", common::mock().await);
    common::post(&url, "application/json", body).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_listed_values_of_the_type_are_taken() {
    assert_eq!(quiet("basement", r#"{"level": 1}"#).await, 204);
    assert_eq!(quiet("second-floor", r#"{"level": 2}"#).await, 204);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_values_are_refused() {
    assert_eq!(quiet("attic", r#"{"level": 1}"#).await, 400);
    assert_eq!(quiet("basement", r#"{"level": 4}"#).await, 400);
    // Listed, but a string where the schema takes integers.
    assert_eq!(quiet("basement", r#"{"level": "3"}"#).await, 400);
}
