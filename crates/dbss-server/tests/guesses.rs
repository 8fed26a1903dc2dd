//! Failed credential checks are limited per source address: past the
//! limit an address gets the documented authentication failure (401
//! `DBSS.10020100`) with `Retry-After`, unchecked; another address is
//! checked as usual. Each client binds its own loopback address.
#![cfg(feature = "mock")]

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use bindings_server::{GuessLimits, ServeLimits, serve};
use dbss_server::{Accepted, require_credentials};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PATH: &str = "/v2/b9351f98c724428794ba7d105fa3558d/audit/e0f8c6d4a2b7495f8a3c1d2e4f6a8b0c/statistics/trend/history";

async fn started(limits: GuessLimits) -> SocketAddr {
    let accepted = Accepted::default().token("the-token").guess_limits(limits);
    let router = require_credentials(dbss_server::mock::router(), accepted);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(serve(listener, router, ServeLimits::default()));
    address
}

async fn get(address: SocketAddr, from: Ipv4Addr, token: &str) -> String {
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind(SocketAddr::new(IpAddr::V4(from), 0))
        .expect("bind a loopback address");
    let mut stream = socket.connect(address).await.expect("connect");
    let request = format!(
        "GET {PATH} HTTP/1.1\r\nhost: x\r\nx-auth-token: {token}\r\nconnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("read");
    answer
}

const GUESSER: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 1);
const OTHER: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 3);

async fn guess_for(address: SocketAddr, period: Duration) -> (usize, usize) {
    let (mut checked, mut throttled) = (0, 0);
    let began = Instant::now();
    while began.elapsed() < period {
        let answer = get(address, GUESSER, "a-guess").await;
        assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
        assert!(answer.contains("DBSS.10020100"), "{answer}");
        if answer.contains("too many failed") {
            assert!(
                answer.to_ascii_lowercase().contains("retry-after: "),
                "{answer}"
            );
            throttled += 1;
        } else {
            checked += 1;
        }
    }
    (checked, throttled)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_guesses_from_one_address_are_throttled_and_another_is_not() {
    let period = Duration::from_secs(1);
    let (before, _) = guess_for(started(GuessLimits::UNLIMITED).await, period).await;
    let address = started(GuessLimits::default()).await;
    let (after, throttled) = guess_for(address, period).await;
    eprintln!(
        "checked token guesses from one address in {period:?}: {before} without the limiter, \
         {after} with it ({throttled} refused unchecked)"
    );
    assert!(before > 20, "{before}");
    assert_eq!(after, 10);
    let right = get(address, GUESSER, "the-token").await;
    assert!(right.contains("too many failed"), "{right}");
    let other = get(address, OTHER, "the-token").await;
    assert!(other.starts_with("HTTP/1.1 200"), "{other}");
}
