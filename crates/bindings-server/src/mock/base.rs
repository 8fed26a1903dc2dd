//! Serving a router under a base path (the spec's server URL path).

use std::convert::Infallible;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::http::Uri;
use axum::response::Response;
use axum::routing::future::RouteFuture;
use tower_service::Service;

/// `router` answering under `base` (`/api/v3`): a request's path loses
/// the prefix before routing; one outside it gets the router's own 404.
pub fn under(base: &str, router: axum::Router) -> axum::Router {
    let base = base.trim_end_matches('/');
    if base.is_empty() {
        return router;
    }
    axum::Router::new().fallback_service(Based {
        base: base.to_owned(),
        router,
    })
}

#[derive(Clone)]
struct Based {
    base: String,
    router: axum::Router,
}

impl Service<Request> for Based {
    type Response = Response;
    type Error = Infallible;
    type Future = RouteFuture<Infallible>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Service::<Request>::poll_ready(&mut self.router, cx)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        if let Some(uri) = stripped(&self.base, request.uri()) {
            *request.uri_mut() = uri;
        }
        self.router.call(request)
    }
}

/// `uri` without the `base` prefix of its path, if it has it.
fn stripped(base: &str, uri: &Uri) -> Option<Uri> {
    let rest = uri.path().strip_prefix(base)?;
    if !(rest.is_empty() || rest.starts_with('/')) {
        return None;
    }
    let path = if rest.is_empty() { "/" } else { rest };
    let path_and_query = match uri.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    };
    Uri::builder().path_and_query(path_and_query).build().ok()
}
