//! Serving a router with the limits a server facing hostile clients needs:
//! a slow client cannot hold a connection open without sending its
//! headers, nor a request open without sending its body, nor an answer
//! unwritten by not reading it; what a connection can have queued (requests
//! read ahead, answers unread) is bounded; and the number of connections
//! served at once is capped.
//!
//! hyper answers a connection's requests one at a time and reads no
//! further request while an answer's body waits to be written, so a client
//! that pipelines without reading gets its requests handled only while
//! the socket's send buffer (bounded here) takes the answers.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

use crate::RequestLimits;
use crate::connection::Guarded;

/// How long a client may take and how many may be served at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeLimits {
    /// Time a connection has to send a request's headers, for the first
    /// request and each one after on a kept-alive connection.
    pub header_read_timeout: Duration,
    /// Time from a request's headers to its answer, reading the body
    /// included; past it the client gets 408.
    pub request_timeout: Duration,
    /// Time an answer may wait for the client to read it: from the moment
    /// the socket takes no more until everything buffered is written. Past
    /// it the connection is closed.
    pub write_timeout: Duration,
    /// Bytes of requests read ahead, and of answers not yet written, that
    /// a connection may have buffered in the server (more wait in the
    /// kernel's socket buffers, whose size the system bounds).
    pub max_buffer_bytes: usize,
    /// The kernel's send buffer of each connection (`SO_SNDBUF`, which
    /// Linux doubles): answers a client has not read queue there, at most
    /// this much, instead of growing with the kernel's autotuning (to 4 MiB
    /// on Linux). `None` leaves the system's choice.
    pub send_buffer_bytes: Option<usize>,
    /// Connections served at once; more wait in the listen backlog.
    pub max_connections: usize,
}

impl Default for ServeLimits {
    fn default() -> Self {
        ServeLimits {
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            write_timeout: Duration::from_secs(10),
            max_buffer_bytes: 96 * 1024,
            send_buffer_bytes: Some(256 * 1024),
            max_connections: 512,
        }
    }
}

/// Serves `router` on `listener` within `limits` until accepting fails for
/// good. Each request carries its peer's address as
/// `axum::extract::ConnectInfo<SocketAddr>`.
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
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            // The peer gave up before we accepted: nothing to serve.
            Err(error) if is_per_connection(&error) => continue,
            // Out of file descriptors or similar: back off rather than spin.
            Err(error) => {
                eprintln!("accept: {error}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let router = router.clone();
        tokio::spawn(async move {
            let _permit = permit;
            serve_connection(stream, peer, router, limits).await;
        });
    }
}

/// Serves one connection until it ends, fails or breaks a limit.
async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    router: axum::Router,
    limits: ServeLimits,
) {
    if let Some(bytes) = limits.send_buffer_bytes {
        // Only a bound: a system that refuses it keeps its own.
        let _ = socket2::SockRef::from(&stream).set_send_buffer_size(bytes);
    }
    let io = Guarded::new(stream, limits.write_timeout);
    let service = hyper::service::service_fn(move |request| {
        let mut router = router.clone();
        let mut request = request.map(axum::body::Body::new);
        request.extensions_mut().insert(ConnectInfo(peer));
        async move { tower_service::Service::call(&mut router, request).await }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(limits.max_buffer_bytes.max(MIN_BUFFER_BYTES))
        // Above the router's own limits, so that the router (which
        // knows the API's error body) is the one that refuses.
        .max_headers(RequestLimits::DEFAULT.max_headers * 2);
    // A connection that fails (reset, timed out, cut off) concerns only
    // its client.
    let _ = builder.serve_connection(TokioIo::new(io), service).await;
}

/// hyper's least buffer, and room for the router's own header limits (so
/// that the router, not hyper, refuses a request over them).
const MIN_BUFFER_BYTES: usize = 80 * 1024;

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

    const LIMITS: ServeLimits = ServeLimits {
        header_read_timeout: Duration::from_secs(5),
        request_timeout: Duration::from_secs(5),
        write_timeout: Duration::from_secs(5),
        max_buffer_bytes: 96 * 1024,
        send_buffer_bytes: Some(256 * 1024),
        max_connections: 4,
    };

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
            ..LIMITS
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
            request_timeout: Duration::from_millis(300),
            ..LIMITS
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
