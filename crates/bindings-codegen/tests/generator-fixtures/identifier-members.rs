//! The behaviour test of identifier-members.yaml (the corpus run puts it
//! in the scratch server crate's `tests/`): the identifier the mock
//! answers a create with addresses the item.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_identifier_of_a_created_subscription_addresses_it() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, corpus_server::mock::router()).await });
    let client = reqwest::Client::new();
    let created: serde_json::Value = client
        .post(format!("http://{address}/subscriptions"))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON");
    let id = created["subscriptionId"].as_str().expect("an identifier");
    let status = client
        .get(format!("http://{address}/subscriptions/{id}"))
        .send()
        .await
        .expect("answered")
        .status();
    assert_eq!(status.as_u16(), 200, "{id}");
}
