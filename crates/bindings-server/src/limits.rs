//! Bounds on the request line and headers that a generated router checks
//! itself, below hyper's own, so that an oversized request gets the API's
//! documented error body rather than hyper's empty 414 or 431.

use axum::http::{HeaderMap, Method, Uri};

use crate::{Operation, Problem, ProblemKind};

/// The longest URI the router reads: 60 KiB, below the longest hyper's
/// HTTP/1 server reads (its `MAX_URI_LEN`, `u16::MAX - 1`), so that a URI
/// between them gets the documented 414, not hyper's empty one.
const MAX_URI_BYTES: usize = 60 * 1024;

/// The largest URI and headers a generated router accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestLimits {
    /// Longest path and query, in bytes.
    pub max_uri_bytes: usize,
    /// Most header fields.
    pub max_headers: usize,
    /// Largest sum of header names and values, in bytes.
    pub max_header_bytes: usize,
}

impl RequestLimits {
    /// 60 KiB of URI, 100 headers of 32 KiB in all, within what
    /// [`crate::serve`] lets hyper read. A query a spec leaves unbounded
    /// (long strings, many list items) is read and checked against the
    /// spec up to nearly hyper's own limit (64 KiB), so that a test tool's
    /// invalid one gets the documented 400, not a 414 (schemathesis sends
    /// queries of 35 to 65 KiB to Stripe's list parameters); a URI past
    /// hyper's limit gets hyper's empty 414, which no code of the
    /// router's sees.
    pub const DEFAULT: RequestLimits = RequestLimits {
        max_uri_bytes: MAX_URI_BYTES,
        max_headers: 100,
        max_header_bytes: 32 * 1024,
    };

    /// Refuses a URI or headers beyond the limits.
    pub fn check(&self, uri: &Uri, headers: &HeaderMap) -> Result<(), Problem> {
        let uri_bytes = uri.path_and_query().map_or(0, |p| p.as_str().len());
        if uri_bytes > self.max_uri_bytes {
            return Err(Problem::new(
                ProblemKind::UriTooLong,
                format!(
                    "the URI is {uri_bytes} bytes; at most {} are read",
                    self.max_uri_bytes
                ),
            ));
        }
        if headers.len() > self.max_headers {
            return Err(Problem::new(
                ProblemKind::HeadersTooLarge,
                format!(
                    "{} header fields; at most {} are read",
                    headers.len(),
                    self.max_headers
                ),
            ));
        }
        let header_bytes: usize = headers
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len())
            .sum();
        if header_bytes > self.max_header_bytes {
            return Err(Problem::new(
                ProblemKind::HeadersTooLarge,
                format!(
                    "the headers are {header_bytes} bytes; at most {} are read",
                    self.max_header_bytes
                ),
            ));
        }
        Ok(())
    }
}

/// The problem of a request for a path no operation has.
pub fn not_found(uri: &Uri) -> Problem {
    Problem::new(
        ProblemKind::NotFound,
        format!("no operation has the path `{}`", uri.path()),
    )
}

/// The operation of `operations` a request for a path no route has was
/// meant for: one with the request's method whose path template matches
/// the path when a parameter may be empty (`/users/` for `/users/{id}`),
/// which no router matches. The path may carry a prefix the router is
/// served under (the template matches its end).
pub fn meant_operation(
    operations: &'static [Operation],
    method: &Method,
    uri: &Uri,
) -> Option<&'static Operation> {
    operations.iter().find(|operation| {
        operation.method == method.as_str()
            && empty_parameters(operation.path, uri.path()).is_some_and(|empty| !empty.is_empty())
    })
}

/// The names of the path parameters of `template` that `path` leaves
/// empty, where the template matches the end of `path` with its
/// parameters allowed to be empty; `None` where it does not.
fn empty_parameters<'t>(template: &'t str, path: &str) -> Option<Vec<&'t str>> {
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let wanted: Vec<&'t str> = template.split('/').skip(1).collect();
    let tail = segments.get(segments.len().checked_sub(wanted.len())?..)?;
    let mut empty = Vec::new();
    for (want, got) in wanted.into_iter().zip(tail) {
        let parameter = want.starts_with('{') && !want.starts_with("{*");
        if !parameter && want != *got {
            return None;
        }
        if parameter && got.is_empty() {
            empty.push(want.trim_start_matches('{').trim_end_matches('}'));
        }
    }
    Some(empty)
}

/// The problem of a request that leaves a path parameter of `operation`
/// empty, naming the parameters it leaves so.
pub fn empty_path_parameter(uri: &Uri, operation: &Operation) -> Problem {
    let names: Vec<String> = empty_parameters(operation.path, uri.path())
        .unwrap_or_default()
        .into_iter()
        .map(|name| format!("`{name}`"))
        .collect();
    let which = match names.as_slice() {
        [] => "a path parameter".to_owned(),
        [one] => format!("the path parameter {one}"),
        many => format!("the path parameters {}", many.join(", ")),
    };
    Problem::new(
        ProblemKind::InvalidPath,
        format!(
            "`{}` leaves {which} of `{}` empty",
            uri.path(),
            operation.path
        ),
    )
}

/// The problem of a request with a method its path does not take.
pub fn method_not_allowed(method: &Method, uri: &Uri) -> Problem {
    Problem::new(
        ProblemKind::MethodNotAllowed,
        format!("`{}` does not take {method}", uri.path()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_with_an_empty_parameter_is_its_operation_s() {
        static OPERATIONS: [Operation; 2] = [
            Operation {
                method: "GET",
                path: "/users",
                ..Operation::NONE
            },
            Operation {
                method: "PUT",
                path: "/orgs/{org}/users/{id}",
                ..Operation::NONE
            },
        ];
        let uri = |text: &str| text.parse::<Uri>().expect("URI");
        let meant = |method: Method, text: &str| {
            meant_operation(&OPERATIONS, &method, &uri(text)).map(|o| o.path)
        };
        assert_eq!(
            meant(Method::PUT, "/orgs/o1/users/"),
            Some("/orgs/{org}/users/{id}")
        );
        assert_eq!(
            meant(Method::PUT, "/base/orgs//users/u"),
            Some("/orgs/{org}/users/{id}")
        );
        assert_eq!(
            meant(Method::GET, "/orgs/o1/users/"),
            None,
            "another method"
        );
        assert_eq!(
            meant(Method::PUT, "/orgs/o1/users/u"),
            None,
            "nothing empty"
        );
        assert_eq!(meant(Method::GET, "/teams/"), None);
        let problem = empty_path_parameter(&uri("/base/orgs//users/"), &OPERATIONS[1]);
        assert!(
            problem
                .message()
                .contains("leaves the path parameters `org`, `id` of"),
            "{problem}"
        );
    }

    #[test]
    fn oversized_uris_and_headers_are_problems() {
        let limits = RequestLimits {
            max_uri_bytes: 16,
            max_headers: 2,
            max_header_bytes: 20,
        };
        let short: Uri = "/a?b=c".parse().expect("URI");
        let long: Uri = "/aaaaaaaaaa?b=cccccccc".parse().expect("URI");
        let mut headers = HeaderMap::new();
        assert_eq!(limits.check(&short, &headers), Ok(()));
        assert_eq!(
            limits.check(&long, &headers).map_err(|p| p.kind()),
            Err(ProblemKind::UriTooLong)
        );
        headers.insert("a", "1".parse().expect("value"));
        headers.insert("b", "1".parse().expect("value"));
        assert_eq!(limits.check(&short, &headers), Ok(()));
        headers.insert("c", "1".parse().expect("value"));
        assert_eq!(
            limits.check(&short, &headers).map_err(|p| p.kind()),
            Err(ProblemKind::HeadersTooLarge)
        );
        let mut large = HeaderMap::new();
        large.insert("x-large", "0123456789abcdef".parse().expect("value"));
        assert_eq!(
            limits.check(&short, &large).map_err(|p| p.kind()),
            Err(ProblemKind::HeadersTooLarge)
        );
    }
}

/// A layer that refuses requests beyond [`RequestLimits`] before routing,
/// answering with the API's own error body (`refuse`).
///
/// A plain `tower` layer rather than `axum::middleware::from_fn`: the check
/// is synchronous, so an accepted request goes on with no boxed future and
/// no clone of the router.
#[derive(Clone, Copy)]
pub struct RequestLimitsLayer {
    limits: RequestLimits,
    refuse: fn(&Problem) -> axum::response::Response,
}

impl RequestLimitsLayer {
    /// Checks every request against `limits`; `refuse` answers one beyond them.
    pub fn new(limits: RequestLimits, refuse: fn(&Problem) -> axum::response::Response) -> Self {
        Self { limits, refuse }
    }
}

impl std::fmt::Debug for RequestLimitsLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestLimitsLayer")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl<S> tower_layer::Layer<S> for RequestLimitsLayer {
    type Service = RequestLimitsService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RequestLimitsService {
            inner,
            layer: *self,
        }
    }
}

/// The service [`RequestLimitsLayer`] wraps around each route.
#[derive(Clone, Debug)]
pub struct RequestLimitsService<S> {
    inner: S,
    layer: RequestLimitsLayer,
}

impl<S> tower_service::Service<axum::extract::Request> for RequestLimitsService<S>
where
    S: tower_service::Service<axum::extract::Request, Response = axum::response::Response>,
{
    type Response = axum::response::Response;
    type Error = S::Error;
    type Future = futures_util::future::Either<
        std::future::Ready<Result<axum::response::Response, S::Error>>,
        S::Future,
    >;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: axum::extract::Request) -> Self::Future {
        match self.layer.limits.check(request.uri(), request.headers()) {
            Ok(()) => futures_util::future::Either::Right(self.inner.call(request)),
            Err(problem) => {
                futures_util::future::Either::Left(std::future::ready(Ok((self.layer.refuse)(
                    &problem,
                ))))
            }
        }
    }
}
