//! The behaviour test of wildcard-answer.yaml (the corpus run puts it in
//! the scratch server crate's `tests/`): a `*/*` answer carries a media
//! type.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_star_star_answer_is_octet_stream() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, corpus_server::mock::router()).await });
    let answer = reqwest::get(format!("http://{address}/debug/binary"))
        .await
        .expect("answered");
    assert!(answer.status().is_success(), "{}", answer.status());
    assert_eq!(answer.headers()["content-type"], "application/octet-stream");
}
