//! `require_password` refuses a header it accepted before: a replay of a
//! captured `X-OCS-Header`, or blocks spliced onto its first block.
#![cfg(feature = "mock")]

use std::net::SocketAddr;

use obshell_server::obshell_auth::{AgentKey, Credential, HeaderRequest};
use obshell_server::{AgentAuth, mock, require_password};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PATH: &str = "/api/v1/tenant/t1/sessions/stats";

async fn serve(key: AgentKey) -> SocketAddr {
    let auth = AgentAuth::new(key, Some("root-password".to_owned().into()), None);
    let router = require_password(mock::router(), auth);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    address
}

async fn get(address: SocketAddr, header: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    let request = format!(
        "GET {PATH} HTTP/1.1\r\nhost: x\r\nx-ocs-header: {header}\r\nconnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("read");
    answer
}

#[tokio::test]
async fn the_same_header_twice_is_refused_the_second_time() {
    let key = AgentKey::generate(1024).expect("key");
    let public_key = key.public_key_base64().expect("public key");
    let address = serve(key).await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let header = Credential::RootPassword("root-password".into())
        .seal(
            &public_key,
            &HeaderRequest {
                uri: PATH,
                expires_at: now + 60,
            },
        )
        .expect("seals")
        .header_value;
    let first = get(address, &header).await;
    assert!(first.starts_with("HTTP/1.1 200"), "{first}");
    let second = get(address, &header).await;
    assert!(second.starts_with("HTTP/1.1 401"), "{second}");
    assert!(second.contains("the header was already used"), "{second}");
}
