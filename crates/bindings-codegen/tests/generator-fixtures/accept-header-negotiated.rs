//! The behaviour test of accept-header-negotiated.yaml (the corpus run
//! puts it in the scratch server crate's `tests/`): `Accept` and
//! `Accept-Encoding` are negotiated, `Content-Type` checked.

mod common;

async fn status(url: &str, header: &str, value: &str) -> u16 {
    common::send(reqwest::Method::GET, url, &[(header, value)], None).await.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ranges_that_accept_a_value_are_answered() {
    let reports = format!("{}/reports", common::mock().await);
    assert_eq!(status(&reports, "accept", "*/*").await, 200);
    assert_eq!(status(&reports, "accept", "text/*;q=0.5").await, 200);
    assert_eq!(status(&reports, "accept", "application/json").await, 200);
    assert_eq!(status(&reports, "accept-encoding", "gzip, deflate").await, 200);
    assert_eq!(status(&reports, "accept-encoding", "br, identity").await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn values_that_accept_none_are_refused() {
    let reports = format!("{}/reports", common::mock().await);
    assert_eq!(status(&reports, "accept", "{}").await, 400);
    assert_eq!(status(&reports, "accept-encoding", "br").await, 400);
    assert_eq!(status(&reports, "content-type", "{}").await, 400);
}
