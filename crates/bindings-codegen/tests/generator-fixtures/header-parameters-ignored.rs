//! The behaviour test of header-parameters-ignored.yaml (the corpus run
//! puts it in the scratch server crate's `tests/`): `Accept` and
//! `Content-Type` header parameters do not refuse a request.

async fn mock() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, corpus_server::mock::router()).await });
    format!("http://{address}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn any_accept_and_none_are_answered() {
    let reports = format!("{}/reports", mock().await);
    let client = reqwest::Client::new();
    let any = client.get(&reports).header("accept", "*/*").send().await.expect("answered");
    assert_eq!(any.status().as_u16(), 200);
    let none = client.get(&reports).send().await.expect("answered");
    assert_eq!(none.status().as_u16(), 200);
}
