//! The behaviour test of body-schema-checked.yaml (the corpus run puts it
//! in the scratch server crate's `tests/`): a body its Rust type takes but
//! its schema refuses gets the documented 400.

mod common;

use common::{mock, post_json as post};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_that_fits_is_created() {
    let users = format!("{}/users", mock().await);
    let (status, _) = post(&users, r#"{"email": "ann@example.com", "tags": ["a", "b"]}"#).await;
    assert_eq!(status, 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_email_that_is_not_one_gets_the_documented_400() {
    let users = format!("{}/users", mock().await);
    let (status, body) = post(&users, r#"{"email": "0"}"#).await;
    assert_eq!(status, 400);
    // The documented schema, filled: its `message` says what broke.
    let message = body["message"].as_str().unwrap_or_default();
    assert!(message.contains("/email"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repeated_unique_item_gets_400() {
    let users = format!("{}/users", mock().await);
    let (status, _) = post(&users, r#"{"email": "ann@example.com", "tags": ["a", "a"]}"#).await;
    assert_eq!(status, 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_variant_fits_and_two_do_not() {
    let shapes = format!("{}/shapes", mock().await);
    assert_eq!(post(&shapes, r#"{"radius": 1}"#).await.0, 204);
    assert_eq!(post(&shapes, r#"{"radius": 1, "side": 2}"#).await.0, 400);
}
