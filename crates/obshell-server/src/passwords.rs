//! Checking obshell's encrypted credential headers in front of the router.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use obshell_auth::{AgentKey, AuthError, OCS_AGENT_HEADER, OCS_HEADER};

use crate::obshell_types::ApiError;

/// What an agent checks credentials against: its key pair and passwords.
/// A password left `None` accepts no header of that kind.
#[derive(Debug, Clone)]
pub struct AgentAuth {
    pub key: AgentKey,
    pub root_password: Option<zeroize::Zeroizing<String>>,
    pub agent_password: Option<zeroize::Zeroizing<String>>,
}

/// `router`, answering operations that need credentials only when their
/// `X-OCS-Header` (root@sys password) or `X-OCS-Agent-Header` (agent
/// password) decrypts with the agent's key, has not expired, names this
/// request's URI and carries the right password; an encrypted body is
/// decrypted before the router reads it. Failures get obshell's 401
/// envelope: `Security.Authentication.Header.DecryptFailed`,
/// `Security.Authentication.Header.UriMismatch`, or `Common.Unauthorized`
/// (expired, wrong password) with the reason in the message. A request with
/// no credential header goes on to the router, which refuses it with
/// `Request.Header.NotFound`.
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
            )
        })
        .is_none_or(|operation| operation.credentials);
    let header = [
        (OCS_HEADER, &auth.root_password),
        (OCS_AGENT_HEADER, &auth.agent_password),
    ]
    .into_iter()
    .find_map(|(name, password)| {
        Some((parts.headers.get(name)?.to_str().ok()?.to_owned(), password))
    });
    let (header, password) = match header {
        Some(found) if needs_credentials => found,
        _ => return next.run(Request::from_parts(parts, body)).await,
    };
    let refuse = |code: &str, message: String| {
        let error = ApiError {
            code: None,
            err_code: code.to_owned(),
            message,
            sub_errors: None,
        };
        let body = serde_json::to_value(&error).unwrap_or_default();
        bindings_server::respond(
            StatusCode::UNAUTHORIZED,
            started,
            Some(crate::ENVELOPE_OCS_AGENT_RESPONSE),
            bindings_server::Member::Error,
            Some(body),
        )
    };
    let opened = match auth.key.open(&header) {
        Ok(opened) => opened,
        Err(error) => {
            return refuse(
                "Security.Authentication.Header.DecryptFailed",
                error.to_string(),
            );
        }
    };
    let uri = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let Some(password) = password.as_deref() else {
        return refuse(
            "Common.Unauthorized",
            "this agent accepts no such header".into(),
        );
    };
    match opened.check(password, &uri, now) {
        Ok(()) => {}
        Err(error @ AuthError::UriMismatch { .. }) => {
            return refuse(
                "Security.Authentication.Header.UriMismatch",
                error.to_string(),
            );
        }
        Err(error) => return refuse("Common.Unauthorized", error.to_string()),
    }
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
