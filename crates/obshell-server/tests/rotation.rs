//! Rotating the agent's key: headers sealed with the old key are refused
//! from then on, headers sealed with the new one accepted, and the replay
//! cache starts empty. `AgentAuth::rotate` in process, and
//! `obshell-mock --rotate-key-every`.
#![cfg(feature = "mock")]

use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use obshell_server::obshell_auth::{AgentKey, Credential, HeaderRequest};
use obshell_server::{AgentAuth, mock, require_password};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PATH: &str = "/api/v1/tenant/t1/sessions/stats";

fn seal(public_key: &str) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    Credential::RootPassword("root-password".into())
        .seal(
            public_key,
            &HeaderRequest {
                uri: PATH,
                expires_at: now + 60,
            },
        )
        .expect("seals")
        .header_value
}

async fn get(address: SocketAddr, path: &str, header: Option<&str>) -> String {
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    let header = header.map_or_else(String::new, |value| format!("x-ocs-header: {value}\r\n"));
    let request = format!("GET {path} HTTP/1.1\r\nhost: x\r\n{header}connection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("read");
    answer
}

#[tokio::test]
async fn after_a_rotation_old_key_headers_are_refused_and_new_ones_accepted() {
    let old_key = AgentKey::generate(1024).expect("key");
    let old_public = old_key.public_key_base64().expect("public key");
    let auth = AgentAuth::new(old_key, Some("root-password".to_owned().into()), None);
    let router = require_password(mock::router(), auth.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, router).await });

    let before = get(address, PATH, Some(&seal(&old_public))).await;
    assert!(before.starts_with("HTTP/1.1 200"), "{before}");
    assert_eq!(auth.replay.len(), 1);
    // Sealed before the rotation, sent after it.
    let sealed_with_old = seal(&old_public);

    let new_key = AgentKey::generate(1024).expect("key");
    let new_public = new_key.public_key_base64().expect("public key");
    auth.rotate(new_key);
    assert_eq!(auth.public_key_base64().as_ref(), Ok(&new_public));
    assert!(auth.replay.is_empty(), "the replay cache is cleared");

    let old = get(address, PATH, Some(&sealed_with_old)).await;
    assert!(old.starts_with("HTTP/1.1 401"), "{old}");
    assert!(
        old.contains("Security.Authentication.Header.DecryptFailed"),
        "{old}"
    );
    let new = get(address, PATH, Some(&seal(&new_public))).await;
    assert!(new.starts_with("HTTP/1.1 200"), "{new}");
}

/// The `public_key` of a `GET /api/v1/secret` answer.
fn public_key(answer: &str) -> String {
    let body = answer.split("\r\n\r\n").nth(1).expect("a body");
    let json: serde_json::Value = serde_json::from_str(body).expect("JSON");
    json["data"]["public_key"]
        .as_str()
        .expect("a public key")
        .to_owned()
}

#[tokio::test]
async fn the_mock_rotates_its_key_when_asked() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a free port")
        .local_addr()
        .expect("address")
        .port();
    let mut mock = Command::new(env!("CARGO_BIN_EXE_obshell-mock"))
        .args(["--port", &port.to_string(), "--rotate-key-every", "2"])
        .env("OBSHELL_MOCK_PASSWORD", "root-password")
        .env_remove("OBSHELL_MOCK_AGENT_PASSWORD")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("obshell-mock starts");
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    let began = Instant::now();
    while tokio::net::TcpStream::connect(address).await.is_err() {
        assert!(
            began.elapsed() < Duration::from_secs(10),
            "the mock listens"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let first = public_key(&get(address, "/api/v1/secret", None).await);
    let sealed_with_first = seal(&first);
    let began = Instant::now();
    let second = loop {
        let key = public_key(&get(address, "/api/v1/secret", None).await);
        if key != first {
            break key;
        }
        assert!(began.elapsed() < Duration::from_secs(6), "the key changes");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let old = get(address, PATH, Some(&sealed_with_first)).await;
    let new = get(address, PATH, Some(&seal(&second))).await;
    let _ = mock.kill();
    let _ = mock.wait();
    assert!(old.starts_with("HTTP/1.1 401"), "{old}");
    // Seen within 100 ms of the rotation, used well before the next (2 s).
    assert!(new.starts_with("HTTP/1.1 200"), "{new}");
}
