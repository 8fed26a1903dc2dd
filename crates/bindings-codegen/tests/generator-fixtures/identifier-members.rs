//! The behaviour test of identifier-members.yaml (the corpus run puts it
//! in the scratch server crate's `tests/`): the identifier the mock
//! answers a create with addresses the item.

mod common;

/// The status of `GET {item}/{id}`, `id` the member `member` of the
/// answer to `POST {collection}`.
async fn follow(collection: &str, member: &str) -> u16 {
    use reqwest::Method;
    let base = common::mock().await;
    let (_, created) = common::send(Method::POST, &format!("{base}{collection}"), &[], None).await;
    let created: serde_json::Value = serde_json::from_str(&created).expect("JSON");
    let id = created[member].as_str().expect("an identifier");
    common::send(Method::GET, &format!("{base}{collection}/{id}"), &[], None).await.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_named_like_the_parameter_addresses_the_item() {
    assert_eq!(follow("/subscriptions", "subscriptionId").await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_at_a_collection_addresses_the_item() {
    assert_eq!(follow("/teams", "id").await, 200);
}
