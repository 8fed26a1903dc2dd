//! The behaviour test of read-only-required.yaml (the corpus run puts it in
//! the scratch server crate's `tests/`): a request without its `readOnly`
//! required member is taken, one without a required member of both sides
//! is not, and the answer carries the `readOnly` member.

mod common;

use common::{mock, post_json as post};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_without_its_read_only_member_is_taken() {
    let orders = format!("{}/orders", mock().await);
    let (status, body) = post(&orders, r#"{"fields": ["a"], "secret": "s"}"#).await;
    assert_eq!(status, 201, "{body}");
    assert!(body["order-id"].is_i64(), "the answer has it: {body}");
    assert!(body.get("secret").is_none(), "not in answers: {body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_without_a_member_both_sides_require_is_refused() {
    let orders = format!("{}/orders", mock().await);
    let (status, body) = post(&orders, r#"{"secret": "s"}"#).await;
    assert_eq!(status, 400, "{body}");
}

#[test]
fn the_shared_type_holds_one_sided_members_as_optional() {
    let order: corpus_types::SortOrder =
        serde_json::from_str(r#"{"fields": []}"#).expect("no one-sided member needed");
    assert_eq!(order.order_id, None);
    assert_eq!(order.secret, None);
}
