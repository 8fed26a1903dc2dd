//! Serving a router with the limits a server facing hostile clients needs:
//! a slow client cannot hold a connection open without sending its
//! headers, nor a request open without sending its body, and the number of
//! connections served at once is capped.

use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::RequestLimits;

/// How long a client may take and how many may be served at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeLimits {
    /// Time a connection has to send a request's headers, for the first
    /// request and each one after on a kept-alive connection.
    pub header_read_timeout: Duration,
    /// Time from a request's headers to its answer, reading the body
    /// included; past it the client gets 408.
    pub request_timeout: Duration,
    /// Connections served at once; more wait in the listen backlog.
    pub max_connections: usize,
}

impl Default for ServeLimits {
    fn default() -> Self {
        ServeLimits {
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_connections: 512,
        }
    }
}

/// Serves `router` on `listener` within `limits` until accepting fails for
/// good.
pub async fn serve(
    listener: TcpListener,
    router: axum::Router,
    limits: ServeLimits,
) -> io::Result<()> {
    let router = router.layer(axum::middleware::from_fn_with_state(
        limits.request_timeout,
        time_out,
    ));
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    loop {
        let permit = Arc::clone(&permits)
            .acquire_owned()
            .await
            .map_err(io::Error::other)?;
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // The peer gave up before we accepted: nothing to serve.
            Err(error) if is_per_connection(&error) => continue,
            // Out of file descriptors or similar: back off rather than spin.
            Err(error) => {
                eprintln!("accept: {error}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let service = TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            let _permit = permit;
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_read_timeout)
                // Above the router's own limits, so that the router (which
                // knows the API's error body) is the one that refuses.
                .max_headers(RequestLimits::DEFAULT.max_headers * 2);
            // A connection that fails (reset, timed out) concerns only its
            // client.
            let _ = builder
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

fn is_per_connection(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
    )
}

async fn time_out(
    State(limit): State<Duration>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            let body = serde_json::json!({
                "type": "about:blank",
                "title": "Request Timeout",
                "status": 408,
                "detail": format!("the request was not received and answered within {} s", limit.as_secs_f64()),
            });
            let mut response = crate::respond(
                StatusCode::REQUEST_TIMEOUT,
                Instant::now(),
                None,
                crate::Member::Error,
                Some(body),
            );
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/problem+json"),
            );
            headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
            response
        }
    }
}

/// Serves `router` on `host:port` until it fails, logging one line per
/// request; for the mock binaries. `name` prefixes every message.
pub fn serve_blocking(
    name: &str,
    host: &str,
    port: u16,
    router: axum::Router,
) -> std::process::ExitCode {
    use std::process::ExitCode;
    let router = crate::log_requests(router);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("{name}: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let listener = match TcpListener::bind((host, port)).await {
            Ok(listener) => listener,
            Err(error) => {
                eprintln!("{name}: cannot listen on {host}:{port}: {error}");
                return ExitCode::FAILURE;
            }
        };
        eprintln!("{name}: serving on http://{host}:{port}");
        match serve(listener, router, ServeLimits::default()).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("{name}: {error}");
                ExitCode::FAILURE
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    async fn started(limits: ServeLimits) -> std::net::SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        let router = axum::Router::new().route(
            "/",
            axum::routing::post(|body: axum::body::Bytes| async move { body.len().to_string() }),
        );
        tokio::spawn(serve(listener, router, limits));
        address
    }

    async fn honest_request(address: std::net::SocketAddr) -> String {
        let mut stream = tokio::net::TcpStream::connect(address)
            .await
            .expect("connect");
        stream
            .write_all(
                b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok",
            )
            .await
            .expect("write");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.expect("read");
        answer
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn stalled_connections_time_out_and_free_their_slot() {
        let limits = ServeLimits {
            header_read_timeout: Duration::from_millis(300),
            request_timeout: Duration::from_secs(5),
            max_connections: 4,
        };
        let address = started(limits).await;
        // Fill every slot with clients that never send a header.
        let mut stalled = Vec::new();
        for _ in 0..limits.max_connections {
            let mut stream = tokio::net::TcpStream::connect(address)
                .await
                .expect("connect");
            stream.write_all(b"POST / HT").await.expect("write");
            stalled.push(stream);
        }
        let began = Instant::now();
        let answer = tokio::time::timeout(Duration::from_secs(5), honest_request(address))
            .await
            .expect("an honest request is answered once the stalled ones time out");
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(began.elapsed() < Duration::from_secs(3));
        // The stalled connections were closed by the server: reading them
        // ends (at end of stream or with a reset) instead of waiting.
        for mut stream in stalled {
            let mut rest = Vec::new();
            // Ok (end of stream) or Err (reset) both mean closed.
            let _closed =
                tokio::time::timeout(Duration::from_secs(2), stream.read_to_end(&mut rest))
                    .await
                    .expect("closed by the server, not left hanging");
        }
    }

    #[tokio::test]
    async fn a_body_that_never_arrives_gets_408() {
        let limits = ServeLimits {
            header_read_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_millis(300),
            max_connections: 4,
        };
        let address = started(limits).await;
        let mut stream = tokio::net::TcpStream::connect(address)
            .await
            .expect("connect");
        stream
            .write_all(b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\nonly ten b")
            .await
            .expect("write");
        let mut answer = String::new();
        tokio::time::timeout(Duration::from_secs(3), stream.read_to_string(&mut answer))
            .await
            .expect("answered")
            .expect("read");
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        assert!(answer.contains("application/problem+json"), "{answer}");
    }
}
