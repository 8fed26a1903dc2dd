//! The behaviour test of identifier-members.yaml (the corpus run puts it
//! in the scratch server crate's `tests/`): the identifier the mock
//! answers a create with addresses the item.

/// The status of `GET {item}/{id}`, `id` the member `member` of the
/// answer to `POST {collection}`.
async fn follow(collection: &str, member: &str) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, corpus_server::mock::router()).await });
    let client = reqwest::Client::new();
    let created: serde_json::Value = client
        .post(format!("http://{address}{collection}"))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON");
    let id = created[member].as_str().expect("an identifier");
    client
        .get(format!("http://{address}{collection}/{id}"))
        .send()
        .await
        .expect("answered")
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_named_like_the_parameter_addresses_the_item() {
    assert_eq!(follow("/subscriptions", "subscriptionId").await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_at_a_collection_addresses_the_item() {
    assert_eq!(follow("/teams", "id").await, 200);
}
