//! The behaviour test of nullable-union-alternative.yaml (the corpus run
//! puts it in the scratch server crate's `tests/`): `null` is taken where
//! a union with a nullable alternative is, and a value none takes is not.

async fn post(body: &str) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, corpus_server::mock::router()).await });
    reqwest::Client::new()
        .post(format!("http://{address}/fields"))
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .expect("answered")
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn null_is_taken_in_each_place() {
    assert_eq!(post(r#"{"required_value": null}"#).await, 201);
    assert_eq!(post(r#"{"required_value": "a", "value": null}"#).await, 201);
    assert_eq!(post(r#"{"required_value": {}, "values": [null, "a", {}]}"#).await, 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_value_no_alternative_takes_is_refused() {
    assert_eq!(post(r#"{"required_value": 5}"#).await, 400);
    assert_eq!(post(r#"{"required_value": "a", "values": [true]}"#).await, 400);
    assert_eq!(post(r#"{"value": null}"#).await, 400);
}
