//! The generated clients' runtime policy, end to end through a generated
//! client: retries of idempotent operations (503, then 200) and the
//! vendor's request id on answers and errors. `bindings-client`'s own tests
//! cover `Retry-After`, non-idempotent methods, refused connections and
//! timeouts; `client_tracing.rs` the span per request.

mod support;

use bindings_client::{RequestId, Retry};
use dbss_types::Limit;
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

#[tokio::test]
async fn audit_summary_rows_reads_every_page() {
    // 250 rows, served by `offset` and `limit` as page 002 describes, with
    // the total on every page; the query carries the integers as strings.
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = std::sync::Arc::clone(&seen);
    let router = axum::Router::new().fallback(move |uri: axum::http::Uri| {
        let log = std::sync::Arc::clone(&log);
        async move {
            let query = uri.query().unwrap_or_default().to_owned();
            log.lock().expect("lock").push(query.clone());
            let number = |name: &str| -> u64 {
                query
                    .split('&')
                    .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
                    .and_then(|value| value.parse().ok())
                    .unwrap_or(0)
            };
            let (offset, limit) = (number("offset"), number("limit"));
            let rows: Vec<serde_json::Value> = (offset..(offset + limit).min(250))
                .map(|id| serde_json::json!({"id": id}))
                .collect();
            (
                [("content-type", "application/json")],
                serde_json::json!({"total": 250, "data_list": rows}).to_string(),
            )
        }
    });
    let address = support::serve(router).await;
    let client = dbss_client::Client::with_token(&format!("http://{address}"), TOKEN);
    let rows = client
        .audit_summary_rows(
            PROJECT,
            Limit::try_from(100).expect("100 rows is a page size"),
        )
        .collect()
        .await
        .expect("every page answered");
    let ids: Vec<i64> = rows.iter().filter_map(|row| row.id).collect();
    assert_eq!(ids, (0..250).collect::<Vec<_>>());
    // Three requests, whatever order progenitor writes the two parameters in.
    let queries: Vec<Vec<String>> = seen
        .lock()
        .expect("lock")
        .iter()
        .map(|query| {
            let mut parts: Vec<String> = query.split('&').map(str::to_owned).collect();
            parts.sort();
            parts
        })
        .collect();
    assert_eq!(
        queries,
        [0, 100, 200]
            .map(|offset| vec!["limit=100".to_owned(), format!("offset={offset}")])
            .to_vec()
    );
}
