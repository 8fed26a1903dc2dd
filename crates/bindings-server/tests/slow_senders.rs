//! Clients that send slowly, against `bindings_server::serve`: headers a
//! byte at a time, or headers at once and then a body a byte at a time
//! (to a route that reads its body and to one that does not). Each keeps
//! sending, so no idle timeout applies; every one is cut within its bound
//! (headers: `header_read_timeout`; body: `request_timeout`, answered 408),
//! and with every slot of the connection cap held by them an honest
//! request is answered once the bound has passed.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bindings_server::{ServeLimits, serve};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const LIMITS: ServeLimits = ServeLimits {
    header_read_timeout: Duration::from_millis(600),
    request_timeout: Duration::from_millis(600),
    write_timeout: Duration::from_secs(5),
    max_buffer_bytes: 96 * 1024,
    send_buffer_bytes: Some(256 * 1024),
    max_connections: 6,
};

/// One byte every this often: far slower than any bound lets a request take.
const TRICKLE: Duration = Duration::from_millis(50);

async fn started() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let router = axum::Router::new()
        .route(
            "/read",
            axum::routing::post(|body: axum::body::Bytes| async move { body.len().to_string() }),
        )
        .route("/ignore", axum::routing::post(|| async { "not read" }))
        .route("/", axum::routing::get(|| async { "ok" }));
    tokio::spawn(serve(listener, router, LIMITS));
    address
}

/// Sends `head` at once, then `trickled` a byte per [`TRICKLE`], until the
/// server closes the connection; what it answered and when it closed.
async fn trickler(address: SocketAddr, head: &'static str, trickled: String) -> (String, Duration) {
    let began = Instant::now();
    let stream = TcpStream::connect(address).await.expect("connect");
    let (mut reader, mut writer) = stream.into_split();
    let sending = tokio::spawn(async move {
        writer.write_all(head.as_bytes()).await?;
        for byte in trickled.bytes() {
            tokio::time::sleep(TRICKLE).await;
            writer.write_all(&[byte]).await?;
        }
        std::io::Result::Ok(())
    });
    let mut answer = Vec::new();
    // Ends at the server's close (end of stream, or a reset).
    let _closed = reader.read_to_end(&mut answer).await;
    let closed_after = began.elapsed();
    sending.abort();
    (String::from_utf8_lossy(&answer).into_owned(), closed_after)
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trickled_headers_and_bodies_do_not_hold_the_connection_cap() {
    let address = started().await;
    // 600 bytes at 50 ms each would take 30 s.
    let body = "x".repeat(600);
    let mut stalls = Vec::new();
    for _ in 0..LIMITS.max_connections / 2 {
        stalls.push(tokio::spawn(trickler(
            address,
            "",
            format!("POST /read HTTP/1.1\r\nhost: x\r\ncontent-length: 600\r\n\r\n{body}"),
        )));
        stalls.push(tokio::spawn(trickler(
            address,
            "POST /read HTTP/1.1\r\nhost: x\r\ncontent-length: 600\r\n\r\n",
            body.clone(),
        )));
    }
    // Every slot is now held by a trickler.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let began = Instant::now();
    let answer = tokio::time::timeout(Duration::from_secs(5), honest_request(address))
        .await
        .expect("the honest request is answered once the trickles are cut");
    let latency = began.elapsed();
    eprintln!(
        "honest request answered after {latency:?} with {} tricklers, cap {}",
        stalls.len(),
        LIMITS.max_connections
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        latency > LIMITS.request_timeout / 2 && latency < Duration::from_secs(2),
        "{latency:?}: the cap was held, then freed within the bound"
    );
    for (index, stall) in stalls.into_iter().enumerate() {
        let (answer, closed_after) = stall.await.expect("trickler");
        eprintln!(
            "trickler {index}: closed after {closed_after:?}: {:?}",
            answer.lines().next()
        );
        assert!(
            closed_after < Duration::from_secs(2),
            "trickler {index} held its connection {closed_after:?}"
        );
        if index % 2 == 1 {
            // The body that is read too slowly: the documented 408.
            assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        }
    }
}

#[tokio::test]
async fn a_body_trickled_to_a_route_that_does_not_read_it_ends_with_the_answer() {
    let address = started().await;
    let (answer, closed_after) = trickler(
        address,
        "POST /ignore HTTP/1.1\r\nhost: x\r\ncontent-length: 600\r\n\r\n",
        "x".repeat(600),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        closed_after < Duration::from_millis(500),
        "{closed_after:?}"
    );
}
