//! The behaviour test of accept-header-negotiated.yaml (the corpus run
//! puts it in the scratch server crate's `tests/`): `Accept` and
//! `Accept-Encoding` are negotiated, `Content-Type` checked.

async fn mock() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, corpus_server::mock::router()).await });
    format!("http://{address}/reports")
}

async fn status(url: &str, header: &str, value: &str) -> u16 {
    let client = reqwest::Client::new();
    let answer = client.get(url).header(header, value).send().await.expect("answered");
    answer.status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ranges_that_accept_a_value_are_answered() {
    let reports = mock().await;
    assert_eq!(status(&reports, "accept", "*/*").await, 200);
    assert_eq!(status(&reports, "accept", "text/*;q=0.5").await, 200);
    assert_eq!(status(&reports, "accept", "application/json").await, 200);
    assert_eq!(status(&reports, "accept-encoding", "gzip, deflate").await, 200);
    assert_eq!(status(&reports, "accept-encoding", "br, identity").await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn values_that_accept_none_are_refused() {
    let reports = mock().await;
    assert_eq!(status(&reports, "accept", "{}").await, 400);
    assert_eq!(status(&reports, "accept-encoding", "br").await, 400);
    assert_eq!(status(&reports, "content-type", "{}").await, 400);
}
