//! Runtime of the generated `*-server` crates.
//!
//! A generated handler turns a request into its operation's typed input
//! with the helpers here; each failure is a [`Problem`] that the generated
//! code answers with the spec's documented error status and body
//! (the spec's `x-request-errors`). Responses go out through [`respond`],
//! which wraps them in the API's [`Envelope`] when it has one.

mod bounds;
mod connection;
mod credentials;
mod envelope;
mod form;
mod guesses;
mod incoming;
mod limits;
mod media_body;
#[cfg(feature = "mock")]
pub mod mock;
mod multipart;
mod path_segment;
mod refusal;
mod request;
mod schema;
mod secrets;
mod serve;
pub mod xml;

pub use bounds::{NumberBounds, within, within_optional};
pub use credentials::{Credential, require_credentials};
pub use envelope::{
    Envelope, Fill, Member, WireError, decode_body, decode_raw, problem_details, respond,
    respond_json, respond_raw, set_header, set_header_list, status, trace_id,
};
pub use guesses::{Attempt, GuessLimiter, GuessLimits, retry_after};
pub use incoming::{
    Answer, BodyEncoding, Incoming, Replier, Reply, RequestError, ResponseHeaders, checked,
    checked_optional,
};
pub use limits::{
    RequestLimits, RequestLimitsLayer, RequestLimitsService, empty_path_parameter, meant_operation,
    method_not_allowed, not_found,
};
pub use media_body::MediaBody;
pub use path_segment::{Capture, captured_path_param, path_param};
pub use refusal::{Refusal, refuse};
pub use request::{
    FromParam, Problem, ProblemKind, accept_header, checked_json_body, checked_raw_body, cookie,
    cookie_list, deep_object, first_documented, flat_query_object, form_body, header, header_list,
    is_json_media, is_yaml_media, json_body, multipart_body, optional_json_body,
    other_query_object, query_list, query_list_allowing_empty, query_object, query_pairs,
    query_param, query_param_allowing_empty, query_union, raw_body, required_accept_header,
    required_body, required_cookie, required_cookie_list, required_header, required_header_list,
    required_in_query, required_query_list, required_query_object, required_query_param,
    required_query_union, split_query_list, text_body, xml_body, yaml_body,
};
pub use schema::{BodySchema, Schemas};
pub use secrets::{SecretError, check_secret, read_secret, secret_from};
pub use serve::{ServeLimits, serve, serve_blocking};

/// One operation of a spec, as a generated server crate lists them in its
/// `OPERATIONS` table: for middleware, mocks and tools that need to know
/// which statuses a route documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The spec's `operationId`.
    pub id: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template, as the router matches it (`/v1/{project_id}/...`;
    /// a spec path `/Accounts/{Sid}.json` is matched as `/Accounts/{Sid}`,
    /// and `/key?id={id}` as `/key`).
    pub path: &'static str,
    /// What the spec path's query part asks of a request's query, for
    /// operations that share their route with others (`/key?id={id}`
    /// beside `/key`): each key it must hold, with the value it must
    /// have where the path fixes one. Empty for most.
    pub query: &'static [(&'static str, Option<&'static str>)],
    /// The documented statuses.
    pub statuses: &'static [u16],
    /// Whether a security requirement asks for credentials.
    pub credentials: bool,
    /// The documented error answers a refusal can give (specs without
    /// `x-request-errors`; see [`refuse`]).
    pub refusals: &'static [Refusal],
}

impl Operation {
    /// No operation: what answers for a path or method no operation has
    /// are given.
    pub const NONE: Operation = Operation {
        id: "",
        method: "",
        path: "",
        query: &[],
        statuses: &[],
        credentials: false,
        refusals: &[],
    };

    /// The operation a request belongs to: its method, the path template
    /// the router matched (axum's `MatchedPath`) and its query. Of the
    /// operations sharing that route, the one whose [`Operation::query`]
    /// the request's query holds, the one asking the most keys first.
    pub fn find(
        operations: &'static [Operation],
        method: &str,
        path: &str,
        query: Option<&str>,
    ) -> Option<&'static Operation> {
        let mut on_route = operations
            .iter()
            .filter(|op| op.method.eq_ignore_ascii_case(method) && op.path == path)
            .peekable();
        let first = on_route.next()?;
        if on_route.peek().is_none() && first.query.is_empty() {
            return Some(first);
        }
        let pairs = query_pairs(query);
        let holds = |(key, value): &(&str, Option<&str>)| {
            pairs
                .iter()
                .any(|(name, given)| name == key && value.is_none_or(|value| value == given))
        };
        std::iter::once(first)
            .chain(on_route)
            .filter(|op| op.query.iter().all(holds))
            .max_by_key(|op| op.query.len())
    }

    /// Whether the operation documents `status`.
    pub fn documents(&self, status: u16) -> bool {
        self.statuses.contains(&status)
    }
}

/// Why a generated handler refused a request (its problem's message), kept
/// in the answer's extensions for [`log_requests`]; never sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedBecause(pub String);

/// The most characters of a refusal's reason a log line shows.
const LOGGED_REASON_CHARS: usize = 300;

/// Headers a client names a request by, in the order [`log_requests`]
/// looks for them: the common `X-Request-Id`, and the test case id
/// schemathesis sends with each request (what its reports name a failure
/// by).
const REQUEST_ID_HEADERS: [&str; 2] = ["x-request-id", "x-schemathesis-testcaseid"];

/// The most characters of a request id a log line shows.
const LOGGED_ID_CHARS: usize = 64;

/// `router`, printing one line per request to standard error: method, path,
/// status and time taken, the request's id where it carries one
/// (`X-Request-Id`, else `X-Schemathesis-TestCaseId`; shown only when it is
/// a short token), and why a request was refused (escaped, cut at a few
/// hundred characters):
/// `GET /pets -> 400 (0.3 ms; request ZrB4Ww): query parameter ...`. For
/// mock servers and local debugging.
pub fn log_requests(router: axum::Router) -> axum::Router {
    router.layer(axum::middleware::from_fn(log_request))
}

async fn log_request(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let started = std::time::Instant::now();
    let (method, uri) = (request.method().clone(), request.uri().clone());
    let id = logged_id(request.headers());
    let response = next.run(request).await;
    let reason = response
        .extensions()
        .get::<RefusedBecause>()
        .map(|RefusedBecause(reason)| logged_reason(reason))
        .unwrap_or_default();
    eprintln!(
        "{method} {uri} -> {} ({:.1} ms{id}){reason}",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1e3
    );
    response
}

/// `; request ID` for a log line, from the first of
/// [`REQUEST_ID_HEADERS`] the request carries, where its value is a token
/// of at most [`LOGGED_ID_CHARS`] letters, digits, `-`, `_` or `.`;
/// nothing otherwise (a client's text never shapes the line).
fn logged_id(headers: &axum::http::HeaderMap) -> String {
    let token = |value: &str| {
        (1..=LOGGED_ID_CHARS).contains(&value.len())
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok().filter(|v| token(v)))
        .map(|id| format!("; request {id}"))
        .unwrap_or_default()
}

/// `: reason` for a log line: control characters escaped (a request's
/// text cannot start a line of its own), at most
/// [`LOGGED_REASON_CHARS`] characters.
fn logged_reason(reason: &str) -> String {
    let escaped: String = reason.escape_debug().take(LOGGED_REASON_CHARS).collect();
    format!(": {escaped}")
}

#[cfg(test)]
mod tests {
    use super::Operation;

    #[test]
    fn a_logged_id_is_a_short_token_or_nothing() {
        let headers = |pairs: &[(&'static str, &str)]| {
            let mut map = axum::http::HeaderMap::new();
            for (name, value) in pairs {
                map.insert(
                    *name,
                    axum::http::HeaderValue::from_str(value).expect("value"),
                );
            }
            map
        };
        let case = ("x-schemathesis-testcaseid", "ZrB4Ww");
        assert_eq!(super::logged_id(&headers(&[case])), "; request ZrB4Ww");
        let both = [case, ("x-request-id", "req-1.2_3")];
        assert_eq!(super::logged_id(&headers(&both)), "; request req-1.2_3");
        assert_eq!(super::logged_id(&headers(&[("x-request-id", "a b")])), "");
        let long = "a".repeat(65);
        assert_eq!(super::logged_id(&headers(&[("x-request-id", &long)])), "");
        assert_eq!(super::logged_id(&headers(&[])), "");
    }

    #[test]
    fn a_logged_reason_is_one_line_and_bounded() {
        assert_eq!(
            super::logged_reason("query parameter `a`: \"x\nGET / -> 200\""),
            r#": query parameter `a`: \"x\nGET / -> 200\""#
        );
        let long = super::logged_reason(&"é".repeat(1000));
        assert_eq!(long.chars().count(), 2 + super::LOGGED_REASON_CHARS);
    }

    const fn operation(
        id: &'static str,
        path: &'static str,
        query: &'static [(&'static str, Option<&'static str>)],
    ) -> Operation {
        Operation {
            id,
            method: "GET",
            path,
            query,
            ..Operation::NONE
        }
    }

    /// Garage's admin API: four operations on the one route `/key`.
    const OPERATIONS: &[Operation] = &[
        operation("listKeys", "/key", &[]),
        operation("getKey", "/key", &[("id", None)]),
        operation(
            "getKeyShown",
            "/key",
            &[("id", None), ("show", Some("all"))],
        ),
        operation(
            "listKeysBeta",
            "/key",
            &[("list", None), ("beta", Some("true"))],
        ),
        operation("getBucket", "/bucket/{id}", &[]),
    ];

    fn found(path: &str, query: Option<&str>) -> Option<&'static str> {
        Operation::find(OPERATIONS, "get", path, query).map(|op| op.id)
    }

    #[test]
    fn a_request_belongs_to_the_operation_asking_most_of_its_query() {
        assert_eq!(found("/key", Some("id=k1&show=all")), Some("getKeyShown"));
        assert_eq!(found("/key", Some("show=some&id=k1")), Some("getKey"));
        assert_eq!(found("/key", Some("i%64=k1")), Some("getKey"));
        assert_eq!(found("/key", Some("list&beta=true")), Some("listKeysBeta"));
        assert_eq!(found("/key", Some("list&beta=false")), Some("listKeys"));
        assert_eq!(found("/key", None), Some("listKeys"));
        assert_eq!(found("/bucket/{id}", Some("id=1")), Some("getBucket"));
        assert_eq!(found("/nothing", None), None);
    }

    #[test]
    fn without_a_bare_operation_a_query_that_holds_none_finds_none() {
        assert_eq!(
            Operation::find(&OPERATIONS[1..4], "GET", "/key", Some("other=1")),
            None
        );
        assert_eq!(Operation::find(OPERATIONS, "POST", "/key", None), None);
    }
}
