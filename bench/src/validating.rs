//! The baseline of the `#25.5` rows: `count_db_client_session` written by hand on
//! axum, validating exactly what the generated router validates for that
//! operation (no more, no less), so that the generated router is compared
//! with code that does the same work rather than with a handler that only
//! decodes the body (the bare rows). Written by hand on purpose, the
//! duplicate-member check included: a baseline that called the runtime's
//! code would measure the runtime against itself.
//!
//! What the generated router checks, in its order, and where:
//!
//! 1. The URI (path and query) is at most 60 KiB, the headers at most 100
//!    fields and 32 KiB of names and values: 414 or 431, before routing
//!    (`bindings_server::RequestLimits::DEFAULT`, applied by
//!    `RequestLimitsLayer` in `dbss_server::router`,
//!    crates/bindings-server/src/limits.rs).
//! 2. A path no route has is 404, a method the path does not take 405, both
//!    with the gateway's `APIGW.0101` (`not_found`, `method_not_allowed` in
//!    crates/dbss-server/src/generated.rs; `x-request-errors` of
//!    openapi/dbss.yaml).
//! 3. Credentials (the spec's `security`: `XAuthToken` or `AkSkSignature`,
//!    that is the header `X-Auth-Token` or `Authorization`): a value of
//!    either header that is not visible ASCII is 401 `DBSS.10020100`; a
//!    request with neither is 401 `APIGW.0301`. Presence only: the router
//!    does not verify a token or a signature (that is `require_token` and
//!    friends, which wrap it). (`require_credentials` in
//!    crates/bindings-server/src/request.rs, called first by
//!    `handle_count_db_client_session`.)
//! 4. The path parameters, percent-decoded: not UTF-8 is 400; `project_id`
//!    and `instance_id` must be 32 to 64 characters (schemas `ProjectId`,
//!    `InstanceId`), else 400 (`Incoming::check_path`, `Incoming::path`;
//!    `constrained_string!` in crates/bindings-wire/src/constrained.rs).
//! 5. The optional header `X-Auth-Token` has `minLength: 1`: an empty one is
//!    400 (the `CONSTRAINTS` of `handle_count_db_client_session`).
//! 6. The body (`optional_json_body`, `required_body` in
//!    crates/bindings-server/src/request.rs), all failures 400
//!    `DBSS.10000001`: read to at most 1 MiB (`dbss_server::BODY_LIMIT`);
//!    none at all is refused (the request body is required); its content
//!    type must be `application/json` or `*+json` (case-insensitive,
//!    parameters ignored); it must decode as `SqlSessionStatisticsRequest`
//!    (a JSON object with the object `time`; `db_id` an array of strings;
//!    `time`'s members strings; optional members not `null`; other members
//!    allowed; nothing but whitespace after the value); and no object in it
//!    may name a member twice.
//!
//! There are no query parameters (others are ignored), and no other header.
//! Every refusal is `{"error_code": ..., "error_msg": ...}` as
//! `application/json` (`request_error`, from the spec's `x-request-errors`).
//! The status and code are the generated router's; the messages say the
//! same things, in places in other words (a body that does not decode
//! gets serde_json's message here).
//!
//! The body is decoded into the types crate's `SqlSessionStatisticsRequest`,
//! as the bare handler of rows 5c/5d does: what it accepts is exactly what
//! the generated router accepts, and its speed against a plain serde
//! derive is rows 3a/3b's business, not the server's.

use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRequestParts, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use dbss_server::dbss_types::{ReportClientSessionNew, SqlSessionStatisticsRequest};
use serde::{Deserialize, Serialize};

/// The route of `count_db_client_session` (openapi/dbss.yaml).
const ROUTE: &str = "/v1/{project_id}/audit/{instance_id}/statistics/session/db-client";
/// The largest body read, in bytes (the generated `BODY_LIMIT`).
const BODY_LIMIT: usize = 1024 * 1024;
/// The longest path and query, in bytes.
const MAX_URI_BYTES: usize = 60 * 1024;
/// The most header fields.
const MAX_HEADERS: usize = 100;
/// The largest sum of header names and values, in bytes.
const MAX_HEADER_BYTES: usize = 32 * 1024;
/// `project_id` and `instance_id`: 32 to 64 characters.
const ID_LENGTHS: std::ops::RangeInclusive<usize> = 32..=64;

/// The router: the one route, and the documented answers to a path or
/// method it does not have.
pub fn validating_router(answer: Vec<ReportClientSessionNew>) -> axum::Router {
    axum::Router::new()
        .route(ROUTE, axum::routing::post(count_db_client_session))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(Arc::new(answer))
}

/// A refused request: the spec's error answer.
#[derive(Debug)]
struct Refusal {
    status: StatusCode,
    code: &'static str,
    message: String,
}

/// The body of every refusal.
#[derive(Serialize)]
struct ErrorBody<'a> {
    error_code: &'a str,
    error_msg: &'a str,
}

impl Refusal {
    /// `DBSS.10000001`, invalid request message: every refusal but the
    /// credentials', the route's and the limits'.
    fn invalid(message: impl Into<String>) -> Self {
        Refusal {
            status: StatusCode::BAD_REQUEST,
            code: "DBSS.10000001",
            message: message.into(),
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error_code: self.code,
            error_msg: &self.message,
        };
        json(self.status, &body)
    }
}

/// `body` as JSON with `status`; 500 `DBSS.11000000` if it cannot be encoded.
fn json(status: StatusCode, body: &impl Serialize) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => {
            let mut response = Response::new(Body::from(bytes));
            *response.status_mut() = status;
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            response
        }
        Err(error) => Refusal {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "DBSS.11000000",
            message: format!("the response body could not be encoded: {error}"),
        }
        .into_response(),
    }
}

async fn count_db_client_session(
    State(answer): State<Arc<Vec<ReportClientSessionNew>>>,
    request: Request,
) -> Response {
    match validate(request).await {
        // What the benchmark's service does with a valid request: answer
        // its list of sessions (a copy, as `Trivial` in main.rs does).
        Ok(_request) => json(StatusCode::OK, &answer.as_ref().clone()),
        Err(refusal) => refusal.into_response(),
    }
}

/// The request's body, or why the request is refused (checks 1 and 3 to 6
/// of the module's list, in the generated router's order).
async fn validate(request: Request) -> Result<SqlSessionStatisticsRequest, Refusal> {
    let (mut parts, body) = request.into_parts();
    within_limits(&parts.uri, &parts.headers)?;
    credentials(&parts.headers)?;
    let Path((project_id, instance_id)) =
        Path::<(String, String)>::from_request_parts(&mut parts, &())
            .await
            .map_err(|rejection| Refusal::invalid(rejection.body_text()))?;
    id_length("project_id", "ProjectId", &project_id)?;
    id_length("instance_id", "InstanceId", &instance_id)?;
    // The credentials check has refused a value that is not visible ASCII,
    // so its characters are its bytes.
    if parts
        .headers
        .get("x-auth-token")
        .is_some_and(HeaderValue::is_empty)
    {
        return Err(Refusal::invalid(
            "header `X-Auth-Token`: 0 characters, fewer than the minimum of 1",
        ));
    }
    json_body(&parts.headers, body).await
}

/// Check 1: the URI and headers within what the server reads.
fn within_limits(uri: &Uri, headers: &HeaderMap) -> Result<(), Refusal> {
    let refuse = |status, message| {
        Err(Refusal {
            status,
            code: "DBSS.10000001",
            message,
        })
    };
    let uri_bytes = uri.path_and_query().map_or(0, |p| p.as_str().len());
    if uri_bytes > MAX_URI_BYTES {
        return refuse(
            StatusCode::URI_TOO_LONG,
            format!("the URI is {uri_bytes} bytes; at most {MAX_URI_BYTES} are read"),
        );
    }
    if headers.len() > MAX_HEADERS {
        return refuse(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            format!(
                "{} header fields; at most {MAX_HEADERS} are read",
                headers.len()
            ),
        );
    }
    let header_bytes: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if header_bytes > MAX_HEADER_BYTES {
        return refuse(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            format!("the headers are {header_bytes} bytes; at most {MAX_HEADER_BYTES} are read"),
        );
    }
    Ok(())
}

/// Check 3: a token or a signature is present, and readable.
fn credentials(headers: &HeaderMap) -> Result<(), Refusal> {
    for name in ["x-auth-token", "authorization"] {
        if headers
            .get_all(name)
            .iter()
            .any(|value| value.to_str().is_err())
        {
            return Err(Refusal {
                status: StatusCode::UNAUTHORIZED,
                code: "DBSS.10020100",
                message: format!("credential header `{name}` is not visible ASCII"),
            });
        }
    }
    if headers.contains_key("x-auth-token") || headers.contains_key(header::AUTHORIZATION) {
        return Ok(());
    }
    Err(Refusal {
        status: StatusCode::UNAUTHORIZED,
        code: "APIGW.0301",
        message: "credentials are required: one of `x-auth-token`, `authorization`".to_owned(),
    })
}

/// Check 4: an ID of 32 to 64 characters (Unicode scalar values, as JSON
/// Schema counts them).
fn id_length(name: &str, schema: &str, value: &str) -> Result<(), Refusal> {
    let length = value.chars().count();
    if ID_LENGTHS.contains(&length) {
        return Ok(());
    }
    let (than, bound) = if length < *ID_LENGTHS.start() {
        ("fewer than the minimum", ID_LENGTHS.start())
    } else {
        ("more than the maximum", ID_LENGTHS.end())
    };
    Err(Refusal::invalid(format!(
        "path parameter `{name}`: invalid {schema}: {length} characters, {than} of {bound}"
    )))
}

/// Check 6: the JSON body, decoded.
async fn json_body(
    headers: &HeaderMap,
    body: Body,
) -> Result<SqlSessionStatisticsRequest, Refusal> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok());
    let essence = content_type
        .and_then(|text| text.split(';').next())
        .unwrap_or_default()
        .trim();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT).await.map_err(|_| {
        Refusal::invalid(format!(
            "the body could not be read within the limit of {BODY_LIMIT} bytes"
        ))
    })?;
    let required = || Refusal::invalid("the request body is required");
    if bytes.is_empty() && essence.is_empty() {
        return Err(required());
    }
    // `essence` came from a visible-ASCII header, so any byte offset is a
    // character boundary.
    let json = essence.eq_ignore_ascii_case("application/json")
        || essence
            .get(essence.len().saturating_sub("+json".len())..)
            .is_some_and(|end| end.eq_ignore_ascii_case("+json"));
    if !json {
        return Err(Refusal::invalid(format!(
            "the body must be application/json (content type: {})",
            content_type.unwrap_or("none")
        )));
    }
    if bytes.is_empty() {
        return Err(required());
    }
    let request = serde_json::from_slice(&bytes)
        .map_err(|error| Refusal::invalid(format!("invalid body: {error}")))?;
    // Readers disagree on a member given twice (the first, the last, or
    // refused): refused, at any depth and whatever its name.
    serde_json::from_slice::<Distinct>(&bytes)
        .map_err(|error| Refusal::invalid(format!("invalid body: {error}")))?;
    Ok(request)
}

/// Any JSON value in which no object names a member twice.
struct Distinct;

impl<'de> Deserialize<'de> for Distinct {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DistinctVisitor)
    }
}

struct DistinctVisitor;

impl<'de> serde::de::Visitor<'de> for DistinctVisitor {
    type Value = Distinct;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Distinct, E> {
        Ok(Distinct)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Distinct, E> {
        Ok(Distinct)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Distinct, E> {
        Ok(Distinct)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Distinct, E> {
        Ok(Distinct)
    }

    fn visit_str<E>(self, _: &str) -> Result<Distinct, E> {
        Ok(Distinct)
    }

    fn visit_unit<E>(self) -> Result<Distinct, E> {
        Ok(Distinct)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut items: A) -> Result<Distinct, A::Error> {
        while items.next_element::<Distinct>()?.is_some() {}
        Ok(Distinct)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut members: A) -> Result<Distinct, A::Error> {
        let mut names = HashSet::new();
        while let Some(name) = members.next_key::<String>()? {
            if names.contains(&name) {
                return Err(serde::de::Error::custom(format_args!(
                    "the member `{}` is given more than once",
                    name.escape_debug()
                )));
            }
            members.next_value::<Distinct>()?;
            names.insert(name);
        }
        Ok(Distinct)
    }
}

/// Check 2: a path the router does not have.
async fn not_found(uri: Uri, headers: HeaderMap) -> Response {
    if let Err(refusal) = within_limits(&uri, &headers) {
        return refusal.into_response();
    }
    Refusal {
        status: StatusCode::NOT_FOUND,
        code: "APIGW.0101",
        message: format!("no operation has the path `{}`", uri.path()),
    }
    .into_response()
}

/// Check 2: a method the route does not take.
async fn method_not_allowed(method: axum::http::Method, uri: Uri, headers: HeaderMap) -> Response {
    if let Err(refusal) = within_limits(&uri, &headers) {
        return refusal.into_response();
    }
    Refusal {
        status: StatusCode::METHOD_NOT_ALLOWED,
        code: "APIGW.0101",
        message: format!("`{}` does not take {method}", uri.path()),
    }
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PATH, Trivial, example_sessions, serve};

    const PROJECT: &str = "b9351f98c724428794ba7d105fa3558d";
    const INSTANCE: &str = "e0f8c6d4a2b7495f8a3c1d2e4f6a8b0c";
    const BODY: &str = r#"{"time":{"time_range":"MONTH"}}"#;

    /// A request to send to both routers: method, path and query, headers
    /// and body.
    struct Case {
        what: &'static str,
        method: &'static str,
        path: String,
        headers: Vec<(&'static str, Vec<u8>)>,
        body: Vec<u8>,
        /// The status the generated router is expected to answer.
        status: u16,
    }

    fn case(what: &'static str, status: u16) -> Case {
        Case {
            what,
            method: "POST",
            path: PATH.to_owned(),
            headers: vec![
                ("content-type", b"application/json".to_vec()),
                ("x-auth-token", b"token".to_vec()),
            ],
            body: BODY.as_bytes().to_vec(),
            status,
        }
    }

    impl Case {
        fn method(mut self, method: &'static str) -> Self {
            self.method = method;
            self
        }

        fn path(mut self, path: String) -> Self {
            self.path = path;
            self
        }

        fn ids(self, project: &str, instance: &str) -> Self {
            self.path(format!(
                "/v1/{project}/audit/{instance}/statistics/session/db-client"
            ))
        }

        fn without(mut self, name: &str) -> Self {
            self.headers.retain(|(n, _)| *n != name);
            self
        }

        fn header(mut self, name: &'static str, value: &[u8]) -> Self {
            self.headers.retain(|(n, _)| *n != name);
            self.headers.push((name, value.to_vec()));
            self
        }

        fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
            self.body = body.into();
            self
        }
    }

    fn cases() -> Vec<Case> {
        let padded = |length: usize| {
            let mut body = BODY.as_bytes().to_vec();
            body.resize(length, b' ');
            body
        };
        vec![
            case("a valid request", 200),
            case("signed, no token", 200)
                .without("x-auth-token")
                .header("authorization", b"SDK-HMAC-SHA256 Access=x"),
            case("no credentials", 401).without("x-auth-token"),
            case("a token that is not visible ASCII", 401).header("x-auth-token", b"t\xffken"),
            case("no credentials and a short project_id", 401)
                .without("x-auth-token")
                .ids("short", INSTANCE),
            case("an empty token", 400).header("x-auth-token", b""),
            case("an empty token beside a signature", 400)
                .header("x-auth-token", b"")
                .header("authorization", b"SDK-HMAC-SHA256 Access=x"),
            case("a project_id of 31 characters", 400).ids(&PROJECT[1..], INSTANCE),
            case("an instance_id of 65 characters", 400)
                .ids(PROJECT, &format!("{INSTANCE}{INSTANCE}a")),
            case("a percent-encoded project_id of 32 characters", 200)
                .ids(&format!("%62%39{}", &PROJECT[2..]), INSTANCE),
            case("a project_id of 31 characters once decoded", 400)
                .ids(&format!("%62%39{}", &PROJECT[3..]), INSTANCE),
            case("a project_id that is not UTF-8", 400)
                .ids(&format!("%FF{}", &PROJECT[1..]), INSTANCE),
            case("a query the operation does not take", 200).path(format!("{PATH}?limit=0")),
            case("a text/plain body", 400).header("content-type", b"text/plain"),
            case("a body without a content type", 400).without("content-type"),
            case("no body and no content type", 400)
                .without("content-type")
                .body(""),
            case("an empty JSON body", 400).body(""),
            case("a JSON content type in capitals, with a charset", 200)
                .header("content-type", b"Application/JSON; charset=utf-8"),
            case("a +json content type", 200)
                .header("content-type", b"application/merge-patch+json"),
            case("a body without `time`", 400).body("{}"),
            case("`time` null", 400).body(r#"{"time":null}"#),
            case("an array", 400).body("[]"),
            case("`db_id` null", 400).body(r#"{"time":{},"db_id":null}"#),
            case("`db_id` of numbers", 400).body(r#"{"time":{},"db_id":[1]}"#),
            case("a time_range the spec does not list", 200)
                .body(r#"{"time":{"time_range":"FORTNIGHT"}}"#),
            case("members the spec does not list", 200)
                .body(r#"{"time":{"x":[1,{"a":null}]},"y":2}"#),
            case("a member given twice", 400).body(r#"{"time":{},"y":1,"y":2}"#),
            case("a nested member given twice", 400).body(r#"{"time":{"a":1,"\u0061":1}}"#),
            case("text after the value", 400).body(format!("{BODY} x")),
            case("a body of exactly the limit", 200).body(padded(BODY_LIMIT)),
            case("a body over the limit", 400).body(padded(BODY_LIMIT + 1)),
            case("GET", 405).method("GET").body(""),
            case("a path no operation has", 404).path(format!("{PATH}/more")),
            case("a URI over 60 KiB", 414).path(format!("{PATH}?q={}", "a".repeat(60 * 1024))),
            case("headers over 32 KiB", 431).header("x-large", &[b'a'; 32 * 1024]),
        ]
    }

    /// Status, `Content-Type`, the error code (or for a success, the
    /// whole body) and the error message.
    async fn send(
        client: &reqwest::Client,
        address: std::net::SocketAddr,
        case: &Case,
    ) -> (u16, String, String, String) {
        let mut request = client.request(
            case.method.parse().expect("method"),
            format!("http://{address}{}", case.path),
        );
        for (name, value) in &case.headers {
            request = request.header(
                *name,
                reqwest::header::HeaderValue::from_bytes(value).expect("header value"),
            );
        }
        let response = request
            .body(case.body.clone())
            .send()
            .await
            .expect("an answer");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = response.text().await.expect("a body");
        if status == 200 {
            return (status, content_type, body, String::new());
        }
        let error: serde_json::Value = serde_json::from_str(&body).expect("a JSON error body");
        let field = |name: &str| error[name].as_str().unwrap_or_default().to_owned();
        (
            status,
            content_type,
            field("error_code"),
            field("error_msg"),
        )
    }

    /// Every case is answered by the hand-written router as by the
    /// generated one: same status, content type and error code (a success:
    /// the same bytes); and the generated router answers the status the
    /// case expects, so neither passes by refusing everything.
    #[tokio::test]
    async fn refuses_what_the_generated_router_refuses() {
        let generated = serve(dbss_server::router(Trivial(example_sessions()))).await;
        let hand = serve(validating_router(example_sessions())).await;
        let client = reqwest::Client::new();
        let mut differences = Vec::new();
        for case in cases() {
            let (g_status, g_type, g_what, g_message) = send(&client, generated, &case).await;
            let (h_status, h_type, h_what, h_message) = send(&client, hand, &case).await;
            assert_eq!(g_status, case.status, "generated router, {}", case.what);
            if (g_status, &g_type, &g_what) != (h_status, &h_type, &h_what) {
                differences.push(format!(
                    "{}: generated {g_status} {g_type} {g_what} ({g_message}), \
                     hand-written {h_status} {h_type} {h_what} ({h_message})",
                    case.what
                ));
            }
        }
        assert!(differences.is_empty(), "{}", differences.join("\n"));
    }

    /// The deterministic refusals say the same words as the generated
    /// router's.
    #[tokio::test]
    async fn refusal_messages_match_the_generated_router() {
        let generated = serve(dbss_server::router(Trivial(example_sessions()))).await;
        let hand = serve(validating_router(example_sessions())).await;
        let client = reqwest::Client::new();
        let same = [
            "no credentials",
            "a token that is not visible ASCII",
            "an empty token",
            "a project_id of 31 characters",
            "an instance_id of 65 characters",
            "a text/plain body",
            "an empty JSON body",
            "a body over the limit",
            "a path no operation has",
            "GET",
            "a URI over 60 KiB",
            "headers over 32 KiB",
        ];
        for case in cases().into_iter().filter(|c| same.contains(&c.what)) {
            let generated = send(&client, generated, &case).await;
            let hand = send(&client, hand, &case).await;
            assert_eq!(generated, hand, "{}", case.what);
        }
    }

    #[test]
    fn limits_are_the_generated_routers() {
        assert_eq!(BODY_LIMIT, dbss_server::BODY_LIMIT);
    }
}
