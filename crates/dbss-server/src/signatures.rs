//! Verifying `SDK-HMAC-SHA256` signatures in front of the generated router.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use zeroize::Zeroizing;

use crate::dbss_types::DbssError;

/// How far `X-Sdk-Date` may be from the server's clock.
const MAX_SKEW_MINUTES: i64 = 15;

/// The code DBSS documents for a failed authentication (vendor facts).
const AUTHENTICATION_FAILED: &str = "DBSS.10020100";

/// Where a server finds the secret key of an access key.
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

/// `router`, answering only requests signed by a key `keys` knows, with an
/// `X-Sdk-Date` within 15 minutes of now. Anything else gets the documented
/// authentication failure: 401 with a `DbssError` (`DBSS.10020100`), or 403
/// where the operation documents no 401 (`list_audit_summary_infos`).
pub fn require_signatures(router: axum::Router, keys: impl SecretKeys) -> axum::Router {
    let keys: Arc<dyn SecretKeys> = Arc::new(keys);
    router.route_layer(axum::middleware::from_fn_with_state(keys, verify))
}

async fn verify(State(keys): State<Arc<dyn SecretKeys>>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let operation = parts.extensions.get::<MatchedPath>().and_then(|matched| {
        bindings_server::Operation::find(crate::OPERATIONS, parts.method.as_str(), matched.as_str())
    });
    let refuse = |message: String| {
        let status = match operation {
            Some(operation) if !operation.documents(401) && operation.documents(403) => {
                StatusCode::FORBIDDEN
            }
            _ => StatusCode::UNAUTHORIZED,
        };
        let body = DbssError {
            error_code: Some(AUTHENTICATION_FAILED.into()),
            error_msg: Some(message),
            ..DbssError::default()
        };
        let body = serde_json::to_value(&body).unwrap_or_default();
        bindings_server::respond(
            status,
            std::time::Instant::now(),
            None,
            bindings_server::Member::Error,
            Some(body),
        )
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
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(error) => refuse(error.to_string()),
    }
}
