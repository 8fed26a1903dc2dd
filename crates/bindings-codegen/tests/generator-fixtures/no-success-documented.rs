//! The behaviour test of no-success-documented.yaml (the corpus run puts
//! it in the scratch server crate's `tests/`): without a documented
//! success, the mock answers 404.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_valid_delete_gets_the_404() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, corpus_server::mock::router()).await });
    let client = reqwest::Client::new();
    let valid = client
        .delete(format!("http://{address}/pets/1"))
        .send()
        .await
        .expect("answered");
    assert_eq!(valid.status().as_u16(), 404);
    let invalid = client
        .delete(format!("http://{address}/pets/x"))
        .send()
        .await
        .expect("answered");
    assert_eq!(invalid.status().as_u16(), 400);
}
