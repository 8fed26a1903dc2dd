//! The generated clients' runtime policy, end to end through a generated
//! client: retries of idempotent operations (503, then 200) and the
//! vendor's request id on answers and errors. `bindings-client`'s own tests
//! cover `Retry-After`, non-idempotent methods, refused connections and
//! timeouts; `client_tracing.rs` the span per request.

mod support;

use bindings_client::{RequestId, Retry};
use support::flaky::{INSTANCE, PROJECT, TOKEN, flaky, options};

#[tokio::test]
async fn an_idempotent_operation_is_retried_and_answers_with_its_request_id() {
    let (address, count) = flaky(1).await;
    let client = dbss_client::Client::with_options(
        &format!("http://{address}"),
        dbss_client::Auth::Token(TOKEN.to_owned().into()),
        options(Retry::default()),
    )
    .expect("client");
    let answer = client
        .list_audit_trend_history()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .send()
        .await
        .expect("answered after one retry");
    assert_eq!(*count.lock().expect("lock"), 2);
    assert_eq!(answer.request_id(), Some("req-2"));
}

#[tokio::test]
async fn with_retries_off_the_error_carries_the_request_id() {
    let (address, count) = flaky(5).await;
    let client = dbss_client::Client::with_options(
        &format!("http://{address}"),
        dbss_client::Auth::Token(TOKEN.to_owned().into()),
        options(Retry::NONE),
    )
    .expect("client");
    let error = client
        .list_audit_trend_history()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .send()
        .await
        .expect_err("503");
    assert_eq!(*count.lock().expect("lock"), 1);
    assert_eq!(error.request_id(), Some("req-1"));
}
