//! Checking DBSS credentials (an IAM token, or an `SDK-HMAC-SHA256`
//! signature) in front of the generated router.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use bindings_server::{GuessLimiter, GuessLimits};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::dbss_types::DbssError;

/// How far `X-Sdk-Date` may be from the server's clock.
const MAX_SKEW_MINUTES: i64 = 15;

/// The code DBSS documents for a failed authentication (vendor facts).
const AUTHENTICATION_FAILED: &str = "DBSS.10020100";

/// The header an IAM token travels in.
const TOKEN_HEADER: &str = "x-auth-token";

/// Where a server finds the secret key of an access key.
///
/// Implementations should find keys without comparing them with `==`
/// (which returns early at the first differing byte); [`SingleKey`] does.
pub trait SecretKeys: Send + Sync + 'static {
    fn secret_key(&self, access_key: &str) -> Option<Zeroizing<String>>;
}

impl<F> SecretKeys for F
where
    F: Fn(&str) -> Option<Zeroizing<String>> + Send + Sync + 'static,
{
    fn secret_key(&self, access_key: &str) -> Option<Zeroizing<String>> {
        self(access_key)
    }
}

/// One access key pair, matched in constant time.
#[derive(Clone)]
pub struct SingleKey {
    access_key: String,
    secret_key: Zeroizing<String>,
}

impl SingleKey {
    pub fn new(access_key: impl Into<String>, secret_key: impl Into<String>) -> Self {
        SingleKey {
            access_key: access_key.into(),
            secret_key: Zeroizing::new(secret_key.into()),
        }
    }
}

impl std::fmt::Debug for SingleKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SingleKey")
            .field("access_key", &self.access_key)
            .field("secret_key", &"<redacted>")
            .finish()
    }
}

impl SecretKeys for SingleKey {
    fn secret_key(&self, access_key: &str) -> Option<Zeroizing<String>> {
        bool::from(access_key.as_bytes().ct_eq(self.access_key.as_bytes()))
            .then(|| self.secret_key.clone())
    }
}

/// What a server accepts as credentials: a token, access keys, or both.
/// A request must pass every credential it presents.
#[derive(Clone, Default)]
pub struct Accepted {
    token: Option<Zeroizing<String>>,
    keys: Option<Arc<dyn SecretKeys>>,
    guesses: Arc<GuessLimiter>,
}

impl std::fmt::Debug for Accepted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Accepted")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("keys", &self.keys.as_ref().map(|_| "<secret keys>"))
            .field("guesses", &self.guesses.limits())
            .finish()
    }
}

impl Accepted {
    /// Accept requests whose `X-Auth-Token` is `token` (compared in
    /// constant time).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Zeroizing::new(token.into()));
        self
    }

    /// Limits failed credential checks per source address to `limits`
    /// (by default [`GuessLimits::default`], 10 a minute): past them an
    /// address gets the documented authentication failure (401
    /// `DBSS.10020100`, 403 where 401 is undocumented) with `Retry-After`,
    /// without its credentials being checked. The address comes from
    /// `ConnectInfo<SocketAddr>`, which `bindings_server::serve` provides;
    /// requests without it are not limited.
    pub fn guess_limits(mut self, limits: GuessLimits) -> Self {
        self.guesses = Arc::new(GuessLimiter::new(limits));
        self
    }

    /// Accept requests signed by an access key `keys` knows.
    pub fn signatures(mut self, keys: impl SecretKeys) -> Self {
        self.keys = Some(Arc::new(keys));
        self
    }
}

/// `router`, answering only requests whose credentials `accepted` accepts
/// (and limiting failed checks per source address, [`Accepted::guess_limits`]):
/// an `X-Auth-Token` equal to its token, or a signature by a key it knows
/// with an `X-Sdk-Date` within 15 minutes of now. A wrong or unreadable
/// credential gets the documented authentication failure: 401 with a
/// `DbssError` (`DBSS.10020100`), or 403 where the operation documents no
/// 401 (`list_audit_summary_infos`). A request without credentials goes on
/// to the router, which answers the API gateway's 401 `APIGW.0301` (403
/// where 401 is undocumented).
pub fn require_credentials(router: axum::Router, accepted: Accepted) -> axum::Router {
    router.route_layer(axum::middleware::from_fn_with_state(
        Arc::new(accepted),
        verify,
    ))
}

/// [`require_credentials`] accepting only signatures by a key `keys` knows.
pub fn require_signatures(router: axum::Router, keys: impl SecretKeys) -> axum::Router {
    require_credentials(router, Accepted::default().signatures(keys))
}

/// [`require_credentials`] accepting only `token`.
pub fn require_token(router: axum::Router, token: impl Into<String>) -> axum::Router {
    require_credentials(router, Accepted::default().token(token))
}

async fn verify(State(accepted): State<Arc<Accepted>>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let operation = parts.extensions.get::<MatchedPath>().and_then(|matched| {
        bindings_server::Operation::find(
            crate::OPERATIONS,
            parts.method.as_str(),
            matched.as_str(),
            parts.uri.query(),
        )
    });
    if operation.is_some_and(|operation| !operation.credentials) {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let refuse = |message: String| {
        let status = match operation {
            Some(operation) if !operation.documents(401) && operation.documents(403) => {
                StatusCode::FORBIDDEN
            }
            _ => StatusCode::UNAUTHORIZED,
        };
        let body = DbssError::new()
            .with_error_code(AUTHENTICATION_FAILED.into())
            .with_error_msg(message);
        let body = serde_json::to_value(&body).unwrap_or_default();
        bindings_server::respond(
            status,
            std::time::Instant::now(),
            None,
            bindings_server::Member::Error,
            Some(body),
        )
    };
    let has_token = parts.headers.contains_key(TOKEN_HEADER);
    let has_signature = parts
        .headers
        .contains_key(axum::http::header::AUTHORIZATION);
    if !has_token && !has_signature {
        return next.run(Request::from_parts(parts, body)).await;
    }
    // Past its limit of failed checks, an address is refused unchecked.
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| *peer);
    let attempt = match accepted.guesses.attempt(peer) {
        Ok(attempt) => attempt,
        Err(wait) => {
            let retry_after = bindings_server::retry_after(wait);
            let mut response = refuse(format!(
                "too many failed credential checks from this address; try again in {} s",
                retry_after.to_str().unwrap_or("a few")
            ));
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, retry_after);
            return response;
        }
    };
    if has_token && let Err(message) = check_token(&accepted, &parts.headers) {
        return refuse(message);
    }
    if !has_signature {
        attempt.succeeded();
        return next.run(Request::from_parts(parts, body)).await;
    }
    let Some(keys) = &accepted.keys else {
        return refuse("this server accepts no access key signatures".into());
    };
    let Ok(bytes) = axum::body::to_bytes(body, crate::BODY_LIMIT).await else {
        return refuse(format!(
            "the body could not be read within {} bytes to verify its signature",
            crate::BODY_LIMIT
        ));
    };
    let received = huawei_signer::Received {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query(),
        headers: &parts.headers,
        body: &bytes,
    };
    let now = chrono::Utc::now();
    let max_skew = chrono::Duration::minutes(MAX_SKEW_MINUTES);
    match huawei_signer::verify(&received, now, max_skew, |access_key| {
        keys.secret_key(access_key)
    }) {
        Ok(_) => {
            attempt.succeeded();
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(error) => refuse(error.to_string()),
    }
}

/// Every `X-Auth-Token` the request carries must be the accepted token.
fn check_token(accepted: &Accepted, headers: &HeaderMap) -> Result<(), String> {
    let Some(token) = &accepted.token else {
        return Err("this server accepts no tokens".into());
    };
    for value in headers.get_all(TOKEN_HEADER) {
        if !bool::from(value.as_bytes().ct_eq(token.as_bytes())) {
            return Err("the token was not accepted".into());
        }
    }
    Ok(())
}
