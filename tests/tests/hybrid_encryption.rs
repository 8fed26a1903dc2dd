//! obshell's hybrid encryption end to end: the generated client sealing
//! its password with the agent's key, the generated router behind
//! `require_password`.

mod support;

use std::net::SocketAddr;
use std::sync::OnceLock;

use obshell_server::obshell_auth::{AgentKey, Credential, HeaderRequest};
use obshell_server::obshell_types::{AgentSecret, OcsAgentResponse, TenantSessionStats};
use obshell_server::*;

fn key() -> &'static AgentKey {
    static KEY: OnceLock<AgentKey> = OnceLock::new();
    KEY.get_or_init(|| AgentKey::generate(1024).expect("key"))
}

struct Agent;

impl Obshell for Agent {
    async fn get_secret(&self, _: GetSecretInput) -> GetSecretOutput {
        GetSecretOutput::Ok(AgentSecret::new(
            "127.0.0.1".into(),
            2886,
            key().public_key_base64().expect("public key"),
        ))
    }

    async fn get_tenant_sessions_stats(
        &self,
        input: GetTenantSessionsStatsInput,
    ) -> GetTenantSessionsStatsOutput {
        GetTenantSessionsStatsOutput::Ok(TenantSessionStats::new(
            i64::try_from(input.name.len()).unwrap_or_default(),
            0,
            0.0,
            Vec::new(),
            Vec::new(),
            Vec::new(),
        ))
    }
}

async fn serve() -> SocketAddr {
    let auth = AgentAuth::new(
        key().clone(),
        Some("root-password".to_owned().into()),
        Some("agent-password".to_owned().into()),
    );
    let router = require_password(router(Agent), auth);
    support::serve(router).await
}

fn refused(
    result: Result<
        progenitor_client::ResponseValue<OcsAgentResponse>,
        obshell_client::Error<OcsAgentResponse>,
    >,
) -> (u16, String, String) {
    match result {
        Err(obshell_client::Error::ErrorResponse(response)) => {
            let status = response.status().as_u16();
            let error = response.into_inner().error.expect("an error member");
            (status, error.err_code, error.message)
        }
        other => panic!("expected a documented refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn both_passwords_open_the_agent() {
    let address = serve().await;
    for credential in [
        Credential::RootPassword("root-password".into()),
        Credential::AgentPassword("agent-password".into()),
    ] {
        let client = obshell_client::Client::for_agent("127.0.0.1", address.port(), credential);
        for name in ["t1", "tenant_with_a_longer_name"] {
            let answer = client
                .get_tenant_sessions_stats()
                .name(name)
                .send()
                .await
                .expect("accepted")
                .into_inner();
            assert_eq!(
                answer.data.flatten().expect("payload").total_count,
                name.len() as i64
            );
        }
    }
}

#[tokio::test]
async fn wrong_or_missing_credentials_are_refused() {
    let address = serve().await;
    let wrong = obshell_client::Client::for_agent(
        "127.0.0.1",
        address.port(),
        Credential::RootPassword("guess".into()),
    );
    let (status, code, message) =
        refused(wrong.get_tenant_sessions_stats().name("t1").send().await);
    assert_eq!(
        (status, code.as_str(), message.as_str()),
        (
            401,
            "Common.Unauthorized",
            "X-OCS-Header: the password does not match"
        )
    );

    let swapped = obshell_client::Client::for_agent(
        "127.0.0.1",
        address.port(),
        Credential::AgentPassword("root-password".into()),
    );
    let (status, code, _) = refused(swapped.get_tenant_sessions_stats().name("t1").send().await);
    assert_eq!((status, code.as_str()), (401, "Common.Unauthorized"));

    let none = obshell_client::Client::without_password("127.0.0.1", address.port());
    let (status, code, _) = refused(none.get_tenant_sessions_stats().name("t1").send().await);
    assert_eq!((status, code.as_str()), (400, "Request.Header.NotFound"));
}

/// A raw request carrying `header` as `X-OCS-Header`.
async fn raw(address: SocketAddr, path: &str, header: &str) -> (u16, OcsAgentResponse) {
    raw_headers(address, path, &[("X-OCS-Header", header.as_bytes())]).await
}

/// A raw request carrying `headers`, whose values may be any bytes.
async fn raw_headers(
    address: SocketAddr,
    path: &str,
    headers: &[(&str, &[u8])],
) -> (u16, OcsAgentResponse) {
    support::raw_get(address, path, headers).await
}

fn sealed(uri: &str, expires_at: u64) -> String {
    let public_key = key().public_key_base64().expect("public key");
    Credential::RootPassword("root-password".into())
        .seal(&public_key, &HeaderRequest { uri, expires_at })
        .expect("seals")
        .header_value
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

#[tokio::test]
async fn expired_misdirected_or_corrupted_headers_are_refused() {
    let address = serve().await;
    let path = "/api/v1/tenant/t1/sessions/stats";

    let (status, _) = raw(address, path, &sealed(path, now() + 60)).await;
    assert_eq!(status, 200, "a fresh header for this URI is accepted");

    let (status, answer) = raw(address, path, &sealed(path, now() - 1)).await;
    let error = answer.error.expect("error");
    assert_eq!(
        (status, error.err_code.as_str()),
        (401, "Common.Unauthorized")
    );
    assert!(error.message.contains("expired"), "{}", error.message);

    let (status, answer) = raw(
        address,
        path,
        &sealed("/api/v1/tenant/t2/sessions/stats", now() + 60),
    )
    .await;
    assert_eq!(
        (status, answer.error.expect("error").err_code.as_str()),
        (401, "Security.Authentication.Header.UriMismatch")
    );

    let (status, answer) = raw(address, &format!("{path}?x=1"), &sealed(path, now() + 60)).await;
    assert_eq!(
        (status, answer.error.expect("error").err_code.as_str()),
        (401, "Security.Authentication.Header.UriMismatch"),
        "the query is part of the URI"
    );

    let mut corrupted = sealed(path, now() + 60).into_bytes();
    corrupted[20] = if corrupted[20] == b'A' { b'B' } else { b'A' };
    let (status, answer) = raw(address, path, &String::from_utf8(corrupted).expect("ASCII")).await;
    assert!(!answer.successful);
    assert_eq!(
        (status, answer.error.expect("error").err_code.as_str()),
        (401, "Security.Authentication.Header.DecryptFailed")
    );

    let foreign = AgentKey::generate(1024)
        .expect("key")
        .public_key_base64()
        .expect("public key");
    let header = Credential::RootPassword("root-password".into())
        .seal(
            &foreign,
            &HeaderRequest {
                uri: path,
                expires_at: now() + 60,
            },
        )
        .expect("seals")
        .header_value;
    let (status, answer) = raw(address, path, &header).await;
    assert_eq!(
        (status, answer.error.expect("error").err_code.as_str()),
        (401, "Security.Authentication.Header.DecryptFailed")
    );
}

#[tokio::test]
async fn the_public_key_needs_no_credentials() {
    let address = serve().await;
    let client = obshell_client::Client::without_password("127.0.0.1", address.port());
    let secret = client.get_secret().send().await.expect("open").into_inner();
    assert_eq!(
        secret.data.expect("key").public_key,
        key().public_key_base64().expect("public key")
    );
}

/// A credential header that is present but not visible ASCII must be
/// refused, not skipped: `X-OCS-Agent-Header: \xff` once got 200 and the
/// tenant's data from an agent with both passwords.
#[tokio::test]
async fn unreadable_credentials_are_refused_for_every_alternative() {
    let address = serve().await;
    let path = "/api/v1/tenant/t1/sessions/stats";
    let good = sealed(path, now() + 60);
    for name in ["X-OCS-Header", "X-OCS-Agent-Header"] {
        for value in [&b"\xff"[..], b"a\x80b"] {
            let (status, answer) = raw_headers(address, path, &[(name, value)]).await;
            assert_eq!(
                (status, answer.error.expect("error").err_code.as_str()),
                (401, "Security.Authentication.Header.DecryptFailed"),
                "{name}: {value:?}"
            );
        }
    }
    // A good root header does not excuse a bad agent header beside it.
    let (status, _) = raw_headers(
        address,
        path,
        &[
            ("X-OCS-Header", good.as_bytes()),
            ("X-OCS-Agent-Header", b"\xff"),
        ],
    )
    .await;
    assert_eq!(status, 401);
    let (status, _) = raw_headers(
        address,
        path,
        &[
            ("X-OCS-Header", good.as_bytes()),
            ("X-OCS-Agent-Header", b"not-a-sealed-header"),
        ],
    )
    .await;
    assert_eq!(status, 401);
    // Copies of a header would each cost RSA work: one of each is read.
    let (status, answer) = raw_headers(
        address,
        path,
        &[
            ("X-OCS-Header", good.as_bytes()),
            ("X-OCS-Header", good.as_bytes()),
        ],
    )
    .await;
    assert_eq!(status, 401);
    assert!(
        answer
            .error
            .expect("error")
            .message
            .contains("more than once"),
        "a repeated header is refused"
    );
}

/// obshell accepts any `Ts` ahead of now; this agent bounds it.
#[tokio::test]
async fn a_header_that_never_expires_is_refused() {
    let address = serve().await;
    let path = "/api/v1/tenant/t1/sessions/stats";
    let (status, answer) = raw(address, path, &sealed(path, u64::MAX)).await;
    let error = answer.error.expect("error");
    assert_eq!(
        (status, error.err_code.as_str()),
        (401, "Common.Unauthorized")
    );
    assert!(
        error.message.contains("more than 300 s"),
        "{}",
        error.message
    );
}

/// One 193 KB header of 1,133 RSA blocks took 769 ms to refuse; the size
/// is now checked before any RSA work.
#[tokio::test]
async fn an_oversized_header_is_refused_without_decrypting_it() {
    let address = serve().await;
    let path = "/api/v1/tenant/t1/sessions/stats";
    let block = "A".repeat(172);
    let huge = block.repeat(1_133);
    let started = std::time::Instant::now();
    let (status, answer) = raw(address, path, &huge).await;
    let elapsed = started.elapsed();
    let error = answer.error.expect("error");
    assert_eq!(
        (status, error.err_code.as_str()),
        (401, "Security.Authentication.Header.DecryptFailed")
    );
    assert!(error.message.contains("at most"), "{}", error.message);
    assert!(
        elapsed < std::time::Duration::from_millis(500),
        "{elapsed:?}"
    );
}

/// An agent that serves its own key and takes whatever header comes:
/// counts the requests that reached it with one (each carried a password
/// it can decrypt).
struct Imposter {
    key: AgentKey,
    received: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Obshell for Imposter {
    async fn get_secret(&self, _: GetSecretInput) -> GetSecretOutput {
        GetSecretOutput::Ok(AgentSecret::new(
            "127.0.0.1".into(),
            2886,
            self.key.public_key_base64().expect("public key"),
        ))
    }

    async fn get_tenant_sessions_stats(
        &self,
        _: GetTenantSessionsStatsInput,
    ) -> GetTenantSessionsStatsOutput {
        self.received
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        GetTenantSessionsStatsOutput::Ok(TenantSessionStats::new(
            0,
            0,
            0.0,
            Vec::new(),
            Vec::new(),
            Vec::new(),
        ))
    }
}

/// The obshell CLI trusted whatever key `/api/v1/secret` served: a process
/// on the agent's port received the root password. A client pinned to the
/// agent's key refuses to send it to an agent serving another key.
#[tokio::test]
async fn a_pinned_client_sends_no_password_to_an_agent_with_another_key() {
    let received = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let imposter = support::serve(router(Imposter {
        key: AgentKey::generate(1024).expect("key"),
        received: std::sync::Arc::clone(&received),
    }))
    .await;
    let pinned_key = key().public_key_base64().expect("public key");
    let credential = || Credential::RootPassword("root-password".into());

    let pinned = obshell_client::Client::for_agent("127.0.0.1", imposter.port(), credential())
        .with_pinned_key(&pinned_key)
        .expect("a key");
    let refused = pinned.get_tenant_sessions_stats().name("t1").send().await;
    match refused {
        Err(obshell_client::Error::Custom(message)) => {
            assert!(message.contains("other than the pinned one"), "{message}");
        }
        other => panic!("expected the pinned key to refuse the agent, got {other:?}"),
    }
    assert_eq!(
        received.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "no header reached the imposter"
    );

    // Unpinned, the same client hands the imposter the password.
    let unpinned = obshell_client::Client::for_agent("127.0.0.1", imposter.port(), credential());
    unpinned
        .get_tenant_sessions_stats()
        .name("t1")
        .send()
        .await
        .expect("the imposter takes it");
    assert_eq!(received.load(std::sync::atomic::Ordering::SeqCst), 1);

    // Pinned to the real agent's key, the real agent is used as before.
    let agent = serve().await;
    let real = obshell_client::Client::for_agent("127.0.0.1", agent.port(), credential())
        .with_pinned_key(&pinned_key)
        .expect("a key");
    real.get_tenant_sessions_stats()
        .name("t1")
        .send()
        .await
        .expect("accepted");
    assert!(
        obshell_client::Client::for_agent("127.0.0.1", agent.port(), credential())
            .with_pinned_key("not a key")
            .is_err()
    );
}
