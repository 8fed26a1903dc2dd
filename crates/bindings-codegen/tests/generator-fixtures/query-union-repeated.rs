//! The behaviour test of query-union-repeated.yaml (the corpus run puts it
//! in the scratch server crate's `tests/`): a union with an array
//! alternative, given once or more than once.

async fn status(query: &str) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, corpus_server::mock::router()).await });
    reqwest::get(format!("http://{address}/things?{query}"))
        .await
        .expect("answered")
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_union_given_more_than_once_is_its_array() {
    assert_eq!(status("id=a").await, 200);
    assert_eq!(status("id=a&id=b").await, 200);
    assert_eq!(status("id=a&id=b&id=c&id=").await, 200);
    assert_eq!(status("size=1&size=2").await, 200);
    assert_eq!(status("size=1").await, 200);
    // Neither alternative: the documented 400.
    assert_eq!(status("size=1&size=x").await, 400);
}
