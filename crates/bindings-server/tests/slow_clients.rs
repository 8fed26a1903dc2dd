//! Clients that pipeline requests and never read the answers, against
//! `bindings_server::serve`: each is cut off within the write timeout (or
//! sooner, by the cap on pipelined requests), so that even with more of
//! them than the connection cap an honest request is answered in bounded
//! time.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bindings_server::{ServeLimits, serve};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};

/// Bytes of each answer: large enough that a few fill the socket buffers
/// of a client that does not read.
const ANSWER_BYTES: usize = 8 * 1024;

async fn started(limits: ServeLimits) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let router = axum::Router::new()
        .route(
            "/big",
            axum::routing::get(|| async { "x".repeat(ANSWER_BYTES) }),
        )
        .route("/", axum::routing::get(|| async { "ok" }));
    tokio::spawn(serve(listener, router, limits));
    address
}

/// A connection with a 1 KiB receive buffer that sends `requests`
/// pipelined GETs of `/big` and reads nothing.
async fn non_reader(address: SocketAddr, requests: usize) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("socket");
    socket.set_recv_buffer_size(1024).expect("receive buffer");
    let mut stream = socket.connect(address).await.expect("connect");
    let pipelined = "GET /big HTTP/1.1\r\nhost: x\r\n\r\n".repeat(requests);
    // Everything fits the server's receive buffer; should the server stop
    // reading, the write simply waits (and the test does not).
    let _ = tokio::time::timeout(
        Duration::from_millis(200),
        stream.write_all(pipelined.as_bytes()),
    )
    .await;
    stream
}

async fn honest_request(address: SocketAddr) -> String {
    let mut stream = TcpStream::connect(address).await.expect("connect");
    stream
        .write_all(b"GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await
        .expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("read");
    answer
}

/// Whether the server closed `stream`: reading it (which drains whatever
/// answers the kernel holds) ends within `within` instead of waiting for
/// an answer that will never be written.
async fn closed_by_the_server(stream: &mut TcpStream, within: Duration) -> bool {
    let mut sink = Vec::new();
    // Ok (end of stream) or Err (reset) both mean closed.
    tokio::time::timeout(within, stream.read_to_end(&mut sink))
        .await
        .is_ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_honest_request_is_answered_while_more_non_readers_than_the_cap_stall() {
    let limits = ServeLimits {
        write_timeout: Duration::from_secs(2),
        max_connections: 64,
        ..ServeLimits::default()
    };
    let address = started(limits).await;
    let mut stalled = Vec::new();
    for _ in 0..80 {
        stalled.push(non_reader(address, 200).await);
    }
    let began = Instant::now();
    let answer = tokio::time::timeout(Duration::from_secs(15), honest_request(address))
        .await
        .expect("the honest request is answered once the stalled ones are cut");
    let latency = began.elapsed();
    eprintln!("honest request answered after {latency:?} with 80 non-readers, cap 64");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        latency < limits.write_timeout * 2,
        "answered after {latency:?}, bound {:?}",
        limits.write_timeout
    );
}

#[tokio::test]
async fn a_client_that_never_reads_is_cut_after_the_write_timeout() {
    let limits = ServeLimits {
        write_timeout: Duration::from_secs(1),
        ..ServeLimits::default()
    };
    let address = started(limits).await;
    let mut stream = non_reader(address, 200).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(closed_by_the_server(&mut stream, Duration::from_secs(3)).await);
}

/// Answers a client has not read queue in the socket's send buffer
/// (bounded), and no further request is handled meanwhile: 27 of 400 were
/// handled when measured, where the kernel's autotuned buffer (4 MiB)
/// would take them all.
#[tokio::test]
async fn a_client_that_pipelines_without_reading_gets_few_requests_handled() {
    let handled = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&handled);
    let router = axum::Router::new().route(
        "/big",
        axum::routing::get(move || {
            counted.fetch_add(1, Ordering::SeqCst);
            async { "x".repeat(ANSWER_BYTES) }
        }),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let limits = ServeLimits {
        write_timeout: Duration::from_secs(60),
        ..ServeLimits::default()
    };
    tokio::spawn(serve(listener, router, limits));
    let _stream = non_reader(address, 400).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let handled = handled.load(Ordering::SeqCst);
    eprintln!("handled {handled} of 400 pipelined requests");
    assert!(handled < 100, "{handled} of 400 requests handled");
}

#[tokio::test]
async fn a_client_that_reads_its_pipelined_answers_gets_them_all() {
    let address = started(ServeLimits::default()).await;
    let mut stream = TcpStream::connect(address).await.expect("connect");
    let mut pipelined = "GET /big HTTP/1.1\r\nhost: x\r\n\r\n".repeat(50);
    pipelined.push_str("GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
    stream.write_all(pipelined.as_bytes()).await.expect("write");
    let mut answers = String::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_string(&mut answers))
        .await
        .expect("answered")
        .expect("read");
    assert_eq!(answers.matches("HTTP/1.1 200").count(), 51);
}
