//! Failed header checks are limited per source address: past the limit an
//! address is refused (401 `Common.Unauthorized`, `Retry-After`) without
//! its header being decrypted, while another address is checked as usual.
//! Loopback has many addresses (127.0.0.0/8), so each client binds its own.
#![cfg(feature = "mock")]

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bindings_server::{GuessLimiter, GuessLimits, ServeLimits, serve};
use obshell_server::obshell_auth::{AgentKey, Credential, HeaderRequest};
use obshell_server::{AgentAuth, require_password};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PATH: &str = "/api/v1/tenant/t1/sessions/stats";

struct Agent {
    public_key: String,
}

impl Agent {
    fn seal(&self, password: &str) -> String {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("after 1970")
            .as_secs();
        Credential::RootPassword(password.into())
            .seal(
                &self.public_key,
                &HeaderRequest {
                    uri: PATH,
                    expires_at: now + 60,
                },
            )
            .expect("seals")
            .header_value
    }
}

async fn agent(limits: GuessLimits) -> (SocketAddr, Agent) {
    let key = AgentKey::generate(1024).expect("key");
    let public_key = key.public_key_base64().expect("public key");
    let mut auth = AgentAuth::new(key, Some("root-password".to_owned().into()), None);
    auth.guesses = Arc::new(GuessLimiter::new(limits));
    let router = require_password(obshell_server::mock::router(), auth);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(serve(listener, router, ServeLimits::default()));
    (address, Agent { public_key })
}

/// A GET from the loopback address `from`; the answer's head and body.
async fn get(address: SocketAddr, from: Ipv4Addr, header: &str) -> String {
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind(SocketAddr::new(IpAddr::V4(from), 0))
        .expect("bind a loopback address");
    let mut stream = socket.connect(address).await.expect("connect");
    let request = format!(
        "GET {PATH} HTTP/1.1\r\nhost: x\r\nx-ocs-header: {header}\r\nconnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("read");
    answer
}

const GUESSER: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 1);
const OTHER: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);

/// Wrong passwords sent from `from` for `period`, one after another:
/// how many were checked (refused for the password) and how many were
/// throttled.
async fn guess_for(address: SocketAddr, agent: &Agent, period: Duration) -> (usize, usize) {
    // One wrong header serves for every guess: only accepted headers are
    // remembered by the replay cache.
    let wrong = agent.seal("guess");
    let (mut checked, mut throttled) = (0, 0);
    let began = Instant::now();
    while began.elapsed() < period {
        let answer = get(address, GUESSER, &wrong).await;
        assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
        if answer.contains("the password does not match") {
            checked += 1;
        } else {
            assert!(answer.contains("too many failed"), "{answer}");
            assert!(
                answer.to_ascii_lowercase().contains("retry-after: "),
                "{answer}"
            );
            throttled += 1;
        }
    }
    (checked, throttled)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guesses_from_one_address_are_throttled_and_another_is_not() {
    let period = Duration::from_secs(2);
    let (unlimited, agent) = agent(GuessLimits::UNLIMITED).await;
    let (before, _) = guess_for(unlimited, &agent, period).await;

    let limits = GuessLimits {
        max_failures: 10,
        ..GuessLimits::default()
    };
    let (address, agent) = self::agent(limits).await;
    let (after, throttled) = guess_for(address, &agent, period).await;
    eprintln!(
        "checked guesses from one address: {:.0}/s without the limiter; with it {after} \
         checked, then {throttled} refused unchecked in {period:?} (sustained: at most {} a \
         minute, {:.2}/s)",
        before as f64 / period.as_secs_f64(),
        limits.max_failures,
        f64::from(limits.max_failures) / limits.window.as_secs_f64(),
    );
    assert!(before > 20, "{before} guesses checked without a limit");
    assert_eq!(after, 10, "exactly the limit is checked");
    assert!(throttled > 0);

    // The right password from the throttled address is refused unchecked
    // too: the limit does not tell a guesser when a guess was right.
    let right = get(address, GUESSER, &agent.seal("root-password")).await;
    assert!(right.contains("too many failed"), "{right}");
    // Another address is checked as usual.
    let other = get(address, OTHER, &agent.seal("root-password")).await;
    assert!(other.starts_with("HTTP/1.1 200"), "{other}");
    let other = get(address, OTHER, &agent.seal("guess")).await;
    assert!(other.contains("the password does not match"), "{other}");
}
