//! The behaviour test of properties-without-type.yaml (the corpus run
//! puts it in the scratch server crate's `tests/`): a body whose schemas
//! say `properties` without `type` is read as objects: an int64 member
//! takes the format's range and not one past either end, and a body that
//! is not an object is refused.

mod common;

async fn post(body: &str) -> u16 {
    let url = format!("{}/buckets", common::mock().await);
    common::post(&url, "application/json", body).await
}

fn rule(seconds: &str) -> String {
    format!(r#"{{"rules": [{{"shardSeconds": {seconds}}}]}}"#)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ends_of_int64_are_taken() {
    assert_eq!(post(&rule("-9223372036854775808")).await, 201);
    assert_eq!(post(&rule("9223372036854775807")).await, 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_past_either_end_is_refused() {
    assert_eq!(post(&rule("-9223372036854775809")).await, 400);
    assert_eq!(post(&rule("9223372036854775808")).await, 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_is_not_an_object_is_refused() {
    assert_eq!(post("0").await, 400);
}
