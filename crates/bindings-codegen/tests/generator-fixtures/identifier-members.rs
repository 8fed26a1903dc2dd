//! The behaviour test of identifier-members.yaml (the corpus run puts it
//! in the scratch server crate's `tests/`): the identifier the mock
//! answers a create with addresses the item.

mod common;

/// The status of `GET {collection}/{id}`, `id` the member at `pointer`
/// of the answer to `POST {created}`.
async fn follow_to(created: &str, pointer: &str, collection: &str) -> u16 {
    use reqwest::Method;
    let base = common::mock().await;
    let (_, answer) = common::send(Method::POST, &format!("{base}{created}"), &[], None).await;
    let answer: serde_json::Value = serde_json::from_str(&answer).expect("JSON");
    let id = answer.pointer(pointer).and_then(|id| id.as_str()).expect("an identifier");
    common::send(Method::GET, &format!("{base}{collection}/{id}"), &[], None).await.0
}

/// The status of `GET {collection}/{id}`, `id` the member `member` of the
/// answer to `POST {collection}`.
async fn follow(collection: &str, member: &str) -> u16 {
    follow_to(collection, &format!("/{member}"), collection).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_named_like_the_parameter_addresses_the_item() {
    assert_eq!(follow("/subscriptions", "subscriptionId").await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_at_a_collection_addresses_the_item() {
    assert_eq!(follow("/teams", "id").await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_naming_an_item_addresses_it() {
    let design = follow_to("/singlesends", "/email_config/design_id", "/designs").await;
    assert_eq!(design, 200);
}
