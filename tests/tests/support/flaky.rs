//! A loopback server that answers 503 a given number of times, then 200,
//! each answer with an `X-Request-Id`: the client policy tests' counterpart.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bindings_client::{ClientOptions, Retry};

pub const PROJECT: &str = "b9351f98c724428794ba7d105fa3558d";
pub const INSTANCE: &str = "e0f8c6d4a2b7495f8a3c1d2e4f6a8b0c";
pub const TOKEN: &str = "secret-token-value";

/// Answers 503 `failures` times, then `[]`, each with an `X-Request-Id`.
pub async fn flaky(failures: usize) -> (std::net::SocketAddr, Arc<Mutex<usize>>) {
    let count = Arc::new(Mutex::new(0usize));
    let seen = Arc::clone(&count);
    let router = axum::Router::new().fallback(move || {
        let seen = Arc::clone(&seen);
        async move {
            let n = {
                let mut seen = seen.lock().expect("lock");
                *seen += 1;
                *seen
            };
            let status = if n <= failures { 503 } else { 200 };
            let body = if n <= failures {
                r#"{"error_code":"APIGW.0501","error_msg":"busy"}"#
            } else {
                "[]"
            };
            axum::http::Response::builder()
                .status(status)
                .header("content-type", "application/json")
                .header("x-request-id", format!("req-{n}"))
                .body(axum::body::Body::from(body))
                .expect("response")
        }
    });
    (super::serve(router).await, count)
}

pub fn options(retry: Retry) -> ClientOptions {
    ClientOptions::default()
        .timeout(Duration::from_secs(5))
        .retry(Retry {
            base_delay: Duration::from_millis(10),
            ..retry
        })
}
