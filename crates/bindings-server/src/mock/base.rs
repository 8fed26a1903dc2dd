//! Serving a router under a base path (the spec's server URL path).

use std::convert::Infallible;
use std::future::{Ready, ready};
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::http::Uri;
use axum::response::Response;
use axum::routing::future::RouteFuture;
use futures_util::future::Either;
use tower_service::Service;

/// `router` answering under `base` (`/api/v3`): a request's path loses
/// the prefix before routing; one outside it gets 404 problem details.
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
    type Future = Either<RouteFuture<Infallible>, Ready<Result<Response, Infallible>>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Service::<Request>::poll_ready(&mut self.router, cx)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        match stripped(&self.base, request.uri()) {
            Some(uri) => {
                *request.uri_mut() = uri;
                Either::Left(self.router.call(request))
            }
            None => {
                let problem = crate::not_found(request.uri());
                Either::Right(ready(Ok(crate::problem_details(&problem))))
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_the_base_path_only() {
        let uri: Uri = "/api/v3/pet/1?x=1".parse().expect("a URI");
        let path = stripped("/api/v3", &uri).map(|uri| uri.to_string());
        assert_eq!(path.as_deref(), Some("/pet/1?x=1"));
        let other: Uri = "/api/v30/pet".parse().expect("a URI");
        assert_eq!(stripped("/api/v3", &other), None);
        let root: Uri = "/api/v3".parse().expect("a URI");
        assert_eq!(
            stripped("/api/v3", &root).map(|u| u.to_string()).as_deref(),
            Some("/")
        );
    }
}
