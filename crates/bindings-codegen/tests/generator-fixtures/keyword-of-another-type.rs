//! The behaviour test of keyword-of-another-type.yaml (the corpus run puts
//! it in the scratch server crate's `tests/`): a string parameter with an
//! array keyword takes any string, and a string member with a number
//! keyword takes strings and refuses numbers.

mod common;

async fn post(query: &str, body: &str) -> u16 {
    let url = format!("{}/accounts?{query}", common::mock().await);
    common::post(&url, "application/json", body).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strings_are_taken() {
    let body = r#"{"accountToken": "10000123", "labels": ["b"]}"#;
    assert_eq!(post("dryRun=All", body).await, 201);
    assert_eq!(post("dryRun=", body).await, 201);
    // Far past the `maximum` of 50, which constrains only numbers.
    assert_eq!(post("", r#"{"accountToken": "999"}"#).await, 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_number_for_the_string_member_is_refused() {
    assert_eq!(post("", r#"{"accountToken": 7}"#).await, 400);
    assert_eq!(post("", r#"{"accountToken": "1", "labels": [1]}"#).await, 400);
}
