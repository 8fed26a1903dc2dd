//! The behaviour test of deleted-resources.yaml (the corpus run puts it in
//! the scratch server crate's `tests/`): the generated mock remembers
//! what it deleted.

async fn mock() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, corpus_server::mock::router()).await });
    format!("http://{address}")
}

async fn status(client: &reqwest::Client, method: reqwest::Method, url: &str) -> u16 {
    let mut request = client.request(method.clone(), url);
    if method == reqwest::Method::POST {
        request = request
            .header("content-type", "application/json")
            .body(r#"{"id": 1, "name": "Rex"}"#);
    }
    request.send().await.expect("answered").status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_pet_is_gone_until_one_is_created() {
    use reqwest::Method;
    let base = mock().await;
    let client = reqwest::Client::new();
    let pet = format!("{base}/pets/1");
    assert_eq!(status(&client, Method::GET, &pet).await, 200);
    assert_eq!(status(&client, Method::DELETE, &pet).await, 204);
    assert_eq!(status(&client, Method::GET, &pet).await, 404);
    assert_eq!(status(&client, Method::DELETE, &pet).await, 404);
    // Another pet, and an operation that documents no 404, as before.
    assert_eq!(status(&client, Method::GET, &format!("{base}/pets/2")).await, 200);
    assert_eq!(status(&client, Method::GET, &format!("{pet}/photo")).await, 200);
    // Asked for by `Prefer`, the documented 200 still.
    let preferred = client
        .get(&pet)
        .header("prefer", "code=200")
        .send()
        .await
        .expect("answered");
    assert_eq!(preferred.status().as_u16(), 200);
    assert_eq!(status(&client, Method::POST, &format!("{base}/pets")).await, 201);
    assert_eq!(status(&client, Method::GET, &pet).await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_toy_gets_the_default_answer_as_404() {
    use reqwest::Method;
    let base = mock().await;
    let client = reqwest::Client::new();
    let toy = format!("{base}/toys/ball");
    assert_eq!(status(&client, Method::DELETE, &toy).await, 204);
    let answer = client.get(&toy).send().await.expect("answered");
    assert_eq!(answer.status().as_u16(), 404);
    let body: serde_json::Value = answer.json().await.expect("the default answer's JSON");
    assert!(body.get("message").is_some(), "{body}");
}
