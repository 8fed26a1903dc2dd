//! Checking obshell's encrypted credential headers in front of the router.

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

use axum::body::Body;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use bindings_server::GuessLimiter;
use obshell_auth::{AgentKey, AuthError, OCS_AGENT_HEADER, OCS_HEADER, Opened, ReplayCache};

use crate::obshell_types::ApiError;

/// What an agent checks credentials against: its key pair and passwords.
/// A password left `None` accepts no header of that kind.
///
/// Clones share the key, the replay cache and the failed-guess limiter:
/// keep a clone of what [`require_password`] was given to
/// [`rotate`](AgentAuth::rotate) the key of a router already serving.
#[derive(Debug, Clone)]
pub struct AgentAuth {
    key: Arc<RwLock<AgentKey>>,
    pub root_password: Option<zeroize::Zeroizing<String>>,
    pub agent_password: Option<zeroize::Zeroizing<String>>,
    /// How far ahead of now (seconds) a header's `Ts` may lie. obshell
    /// sets no bound; [`AgentAuth::new`] takes
    /// [`obshell_auth::DEFAULT_MAX_AHEAD_SECONDS`], which is stricter.
    pub max_ahead_seconds: u64,
    /// First blocks of the headers accepted, refused when they come again
    /// (a replay, or blocks spliced onto a captured first block).
    pub replay: Arc<ReplayCache>,
    /// Failed header checks per source address: past its limit (by
    /// default 10 a minute) an address's headers are refused with 401
    /// `Common.Unauthorized` and `Retry-After`, without decrypting them.
    pub guesses: Arc<GuessLimiter>,
}

impl AgentAuth {
    /// An agent with `key` and the given passwords, accepting headers that
    /// expire at most [`obshell_auth::DEFAULT_MAX_AHEAD_SECONDS`] from now,
    /// with the default [`GuessLimits`](bindings_server::GuessLimits).
    pub fn new(
        key: AgentKey,
        root_password: Option<zeroize::Zeroizing<String>>,
        agent_password: Option<zeroize::Zeroizing<String>>,
    ) -> Self {
        AgentAuth {
            key: Arc::new(RwLock::new(key)),
            root_password,
            agent_password,
            max_ahead_seconds: obshell_auth::DEFAULT_MAX_AHEAD_SECONDS,
            replay: Arc::new(ReplayCache::default()),
            guesses: Arc::new(GuessLimiter::default()),
        }
    }

    /// The agent's public key as `GET /api/v1/secret` publishes it (base64
    /// PKCS#1 DER): the current one, after any rotation.
    pub fn public_key_base64(&self) -> Result<String, AuthError> {
        self.key
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .public_key_base64()
    }

    /// Replaces the agent's key with `key` and forgets every header the
    /// replay cache remembers: from the moment this returns, a header
    /// sealed with the old key is refused (it does not decrypt) and one
    /// sealed with the new key is accepted. Checks in progress finish
    /// first (they hold the key until their header is remembered or
    /// refused), so none is admitted under the old key after the cache
    /// was cleared. Clients fetch the new key after their next 401.
    pub fn rotate(&self, key: AgentKey) {
        let mut current = self
            .key
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *current = key;
        self.replay.clear();
    }
}

/// `router`, answering operations that need credentials only when their
/// `X-OCS-Header` (root@sys password) or `X-OCS-Agent-Header` (agent
/// password) decrypts with the agent's key, has not expired, names this
/// request's URI and carries the right password; an encrypted body is
/// decrypted before the router reads it. Failures get obshell's 401
/// envelope: `Security.Authentication.Header.DecryptFailed`,
/// `Security.Authentication.Header.UriMismatch`, or `Common.Unauthorized`
/// (expired, too far ahead, wrong password, already used) with the reason
/// in the message. Every failure to decrypt or parse a header reads the
/// same (no padding oracle), and a header whose first RSA block was
/// accepted before is refused (a replay, or a splice onto a captured
/// block; [`obshell_auth::ReplayCache`]). Every credential header present must pass: one that is not
/// visible ASCII, longer than any SDK sends, or given twice is refused
/// before any RSA work, and decryption runs on tokio's blocking pool, not on the workers
/// that serve other requests. A source address past its limit of failed
/// checks ([`AgentAuth::guesses`]; the address comes from
/// `ConnectInfo<SocketAddr>`, which `bindings_server::serve` provides) is
/// refused with 401 `Common.Unauthorized` and `Retry-After` before any
/// decryption: obshell documents 401 for authentication failures and no
/// 429. A request with no credential header goes on
/// to the router, which refuses it with `Request.Header.NotFound`.
pub fn require_password(router: axum::Router, auth: AgentAuth) -> axum::Router {
    router.route_layer(axum::middleware::from_fn_with_state(Arc::new(auth), check))
}

async fn check(State(auth): State<Arc<AgentAuth>>, request: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let (mut parts, body) = request.into_parts();
    let needs_credentials = parts
        .extensions
        .get::<MatchedPath>()
        .and_then(|matched| {
            bindings_server::Operation::find(
                crate::OPERATIONS,
                parts.method.as_str(),
                matched.as_str(),
                parts.uri.query(),
            )
        })
        .is_none_or(|operation| operation.credentials);
    if !needs_credentials {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let refuse = |code: &str, message: String| {
        let error = ApiError::new(code.to_owned(), message);
        let body = serde_json::to_value(&error).unwrap_or_default();
        bindings_server::respond(
            StatusCode::UNAUTHORIZED,
            started,
            Some(crate::ENVELOPE_OCS_AGENT_RESPONSE),
            bindings_server::Member::Error,
            Some(body),
        )
    };
    let uri = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned());
    // Every credential header that is present is checked; none is skipped
    // for being unreadable.
    let mut presented = Vec::new();
    for name in [OCS_HEADER, OCS_AGENT_HEADER] {
        // One header of each kind: every copy would cost its RSA blocks.
        if parts.headers.get_all(name).iter().nth(1).is_some() {
            return refuse(
                "Security.Authentication.Header.DecryptFailed",
                format!("{name} is given more than once"),
            );
        }
        for value in parts.headers.get_all(name) {
            let Ok(text) = value.to_str() else {
                return refuse(
                    "Security.Authentication.Header.DecryptFailed",
                    format!("{name} is not visible ASCII"),
                );
            };
            presented.push((name, text.to_owned()));
        }
    }
    if presented.is_empty() {
        return next.run(Request::from_parts(parts, body)).await;
    }
    // Past its limit of failed checks, an address is refused before any
    // RSA work: guesses cost the guesser time, not the agent.
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| *peer);
    let attempt = match auth.guesses.attempt(peer) {
        Ok(attempt) => attempt,
        Err(wait) => {
            let mut response = refuse(
                "Common.Unauthorized",
                format!(
                    "too many failed credential checks from this address; try again in {} s",
                    bindings_server::retry_after(wait)
                        .to_str()
                        .unwrap_or("a few")
                ),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, bindings_server::retry_after(wait));
            return response;
        }
    };
    let checking = Arc::clone(&auth);
    let checked = tokio::task::spawn_blocking(move || open_all(&checking, presented, &uri)).await;
    let opened = match checked {
        Ok(Ok(opened)) => {
            attempt.succeeded();
            opened
        }
        Ok(Err((code, message))) => return refuse(code, message),
        Err(_) => {
            return refuse(
                "Security.Authentication.Header.DecryptFailed",
                "the header could not be checked".into(),
            );
        }
    };
    let Ok(sent) = axum::body::to_bytes(body, crate::BODY_LIMIT).await else {
        return refuse(
            "Common.Unauthorized",
            "the body could not be read to decrypt it".into(),
        );
    };
    let body = match opened.body_key().decrypt_body(&sent) {
        Ok(plain) => plain,
        Err(error) => {
            return refuse(
                "Security.Authentication.Header.DecryptFailed",
                error.to_string(),
            );
        }
    };
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    next.run(Request::from_parts(parts, Body::from(body))).await
}

/// Opens and checks every presented header (name, value) against the
/// agent's key, passwords and the request URI; the first one's body key
/// decrypts the body. CPU-heavy: runs on the blocking pool.
fn open_all(
    auth: &AgentAuth,
    presented: Vec<(&'static str, String)>,
    uri: &str,
) -> Result<Opened, (&'static str, String)> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    // Held until every header is remembered or refused: a rotation waits
    // for this check, then clears the replay cache.
    let key = auth
        .key
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut first = None;
    for (name, value) in presented {
        let password = if name == OCS_HEADER {
            &auth.root_password
        } else {
            &auth.agent_password
        };
        let Some(password) = password.as_deref() else {
            return Err((
                "Common.Unauthorized",
                format!("this agent accepts no {name}"),
            ));
        };
        let opened = key.open(&value).map_err(|error| {
            (
                "Security.Authentication.Header.DecryptFailed",
                format!("{name}: {error}"),
            )
        })?;
        match opened.check_within(password, uri, now, auth.max_ahead_seconds) {
            Ok(()) => {}
            Err(error @ AuthError::UriMismatch { .. }) => {
                return Err((
                    "Security.Authentication.Header.UriMismatch",
                    format!("{name}: {error}"),
                ));
            }
            Err(error) => return Err(("Common.Unauthorized", format!("{name}: {error}"))),
        }
        // Only accepted headers are remembered: only a client with the
        // password can fill the cache.
        auth.replay
            .admit(&opened, now)
            .map_err(|error| ("Common.Unauthorized", format!("{name}: {error}")))?;
        first.get_or_insert(opened);
    }
    first.ok_or(("Common.Unauthorized", "no credential header".to_owned()))
}
