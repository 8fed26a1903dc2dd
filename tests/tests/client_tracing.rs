//! A `tracing` span per request, seen by a captured subscriber: it carries
//! the operation, status, attempts and request id, and never a credential.
//!
//! Alone in its test binary on purpose: `tracing` caches, per call site,
//! whether any subscriber wants it, and a test running on another thread
//! without a subscriber would make the span invisible to this one.

mod support;

use std::sync::{Arc, Mutex};

use bindings_client::Retry;
use support::flaky::{INSTANCE, PROJECT, TOKEN, flaky, options};

/// Collects what a `fmt` subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn each_request_is_a_span_without_secrets() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let (address, _) = flaky(1).await;
    let client = dbss_client::Client::with_options(
        &format!("http://{address}"),
        dbss_client::Auth::Token(TOKEN.to_owned().into()),
        options(Retry::default()),
    )
    .expect("client");
    client
        .list_audit_trend_history()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .send()
        .await
        .expect("answered");

    let log = String::from_utf8_lossy(&captured.0.lock().expect("lock")).into_owned();
    let closed = log
        .lines()
        .find(|line| line.contains("request{") && line.contains("close"))
        .unwrap_or_else(|| panic!("no closed request span in:\n{log}"));
    for field in [
        "operation=\"list_audit_trend_history\"",
        "method=GET",
        "attempts=2",
        "status=200",
        "request_id=\"req-2\"",
    ] {
        assert!(closed.contains(field), "`{field}` missing from: {closed}");
    }
    assert!(log.contains("retrying"), "the retry is logged:\n{log}");
    assert!(
        !log.contains(TOKEN),
        "the token leaked into the log:\n{log}"
    );
}
