//! Writing responses, wrapped in the API's envelope when it has one.

use std::time::Instant;

use axum::body::Body;
use axum::http::{StatusCode, header};
use axum::response::Response;
use serde::Serialize;
use serde::ser::SerializeMap;
use serde_json::Value;

/// An API whose every answer is wrapped in one object (the spec's
/// `x-envelope`): the server fills the bookkeeping members and puts the
/// operation's payload or error in their own members.
#[derive(Debug)]
pub struct Envelope {
    /// Bookkeeping members, in wire order, and what fills them.
    pub fill: &'static [(&'static str, Fill)],
    /// The member that carries a successful answer's payload.
    pub payload: &'static str,
    /// The member that carries a failed answer's error.
    pub error: &'static str,
}

/// How the server fills one bookkeeping member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// `true` for a 2xx status, else `false`.
    Success,
    /// When the answer was built, RFC 3339 with nanoseconds.
    Timestamp,
    /// Milliseconds since the request arrived.
    DurationMs,
    /// The HTTP status, as a number.
    Status,
    /// A fresh 16-hex-digit trace ID.
    TraceId,
}

/// Which envelope member a body belongs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member {
    Payload,
    Error,
}

/// Answers `status` with a JSON `body`, wrapped in `envelope` when given.
/// `None` sends no body (or, in an envelope, only the bookkeeping).
pub fn respond(
    status: StatusCode,
    started: Instant,
    envelope: Option<&Envelope>,
    member: Member,
    body: Option<Value>,
) -> Response {
    // Encoding a `serde_json::Value` cannot fail; answer the status
    // without a body rather than panic if it ever does.
    encode(status, started, envelope, member, body.as_ref()).unwrap_or_else(|_| empty(status))
}

/// `status` with no body.
fn empty(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

/// The HTTP status `code`, which the generator has checked is one
/// (`500 Internal Server Error` if it ever is not).
pub fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// Encodes a typed body straight into the answer's bytes (no
/// `serde_json::Value` between), wrapped in `envelope` when given. A body
/// that cannot be encoded (a map with non-string keys, a failing
/// `Serialize`) is an error for the caller to answer as an internal one.
pub fn respond_json<T: Serialize + ?Sized>(
    status: StatusCode,
    started: Instant,
    envelope: Option<&Envelope>,
    member: Member,
    body: &T,
) -> Result<Response, String> {
    encode(status, started, envelope, member, Some(body))
        .map_err(|error| format!("the response body could not be encoded: {error}"))
}

fn encode<T: Serialize + ?Sized>(
    status: StatusCode,
    started: Instant,
    envelope: Option<&Envelope>,
    member: Member,
    body: Option<&T>,
) -> Result<Response, serde_json::Error> {
    let bytes = match envelope {
        None => body.map(serde_json::to_vec).transpose()?,
        Some(envelope) => Some(serde_json::to_vec(&Enveloped {
            envelope,
            status,
            started,
            member,
            body,
        })?),
    };
    Ok(match bytes {
        None => empty(status),
        Some(bytes) => respond_raw(status, "application/json", bytes),
    })
}

/// The answer to `problem` for an API whose spec documents no error body
/// for invalid requests (no `x-request-errors`): an RFC 9457
/// `application/problem+json` body, status 400 (500 for `internal`, and
/// the status HTTP fixes for 404, 405, 414 and 431).
pub fn problem_details(problem: &crate::Problem) -> Response {
    let status = problem
        .kind()
        .fixed_status()
        .unwrap_or(match problem.kind() {
            crate::ProblemKind::Internal => 500,
            _ => 400,
        });
    problem_details_with(problem, status)
}

/// RFC 9457 problem details for `problem` with `status`.
pub(crate) fn problem_details_with(problem: &crate::Problem, status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    let body = serde_json::json!({
        "type": "about:blank",
        "title": status.canonical_reason().unwrap_or("Bad Request"),
        "status": status.as_u16(),
        "detail": problem.message(),
    });
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    respond_raw(status, "application/problem+json", bytes)
}

/// Answers with a body that is not JSON (`text/plain`, an image, bytes), as
/// the documented `content_type`.
pub fn respond_raw(
    status: StatusCode,
    content_type: &'static str,
    body: impl Into<Body>,
) -> Response {
    let mut response = Response::new(body.into());
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static(concrete(content_type)),
    );
    response
}

/// A media type an answer can carry for a documented media range: a range
/// is what a request may accept, never what an answer is (`*/*` answers
/// `application/octet-stream`, `text/*` answers `text/plain`).
fn concrete(documented: &'static str) -> &'static str {
    let essence = documented.split(';').next().unwrap_or_default().trim();
    match essence {
        "*/*" => "application/octet-stream",
        "text/*" => "text/plain",
        _ => documented,
    }
}

/// Writes a documented response header the service set (`None` writes
/// nothing). A value that cannot be a header (a line break in it) is an
/// error, answered as an internal one rather than sent truncated.
pub fn set_header<T: std::fmt::Display>(
    response: &mut Response,
    name: &'static str,
    value: Option<&T>,
) -> Result<(), String> {
    let Some(value) = value else {
        return Ok(());
    };
    let value = axum::http::HeaderValue::try_from(value.to_string())
        .map_err(|_| format!("the `{name}` header value cannot be sent as a header"))?;
    response
        .headers_mut()
        .insert(axum::http::HeaderName::from_static(name), value);
    Ok(())
}

/// Sets the header `name` to `values` joined by commas, as OpenAPI's
/// `simple` style sends an array (`1,2,3`), when they are given; an error
/// when they cannot be sent as a header value.
pub fn set_header_list<T: std::fmt::Display>(
    response: &mut Response,
    name: &'static str,
    values: Option<&[T]>,
) -> Result<(), String> {
    let joined = values.map(|values| {
        values
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",")
    });
    set_header(response, name, joined.as_ref())
}

/// A non-JSON answer's body from its documented example, which the spec
/// writes as a string: the text as `String`, or its bytes as `Vec<u8>`.
pub fn decode_raw<T: From<String>>(body: Option<Value>) -> Result<T, WireError> {
    match body {
        Some(Value::String(text)) => Ok(T::from(text)),
        Some(_) => Err(WireError::new(
            "a non-JSON answer's example must be a string",
        )),
        None => Err(WireError::new("the answer needs a body")),
    }
}

fn fill_value(fill: Fill, status: StatusCode, started: Instant) -> Value {
    match fill {
        Fill::Success => Value::Bool(status.is_success()),
        Fill::Timestamp => Value::String(bindings_wire::Timestamp::now().to_string()),
        Fill::DurationMs => {
            Value::from(u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX))
        }
        Fill::Status => Value::from(status.as_u16()),
        Fill::TraceId => Value::String(trace_id()),
    }
}

/// 16 hex digits that differ per call and per process, without pulling in
/// a random number generator: std's randomly keyed SipHash over a counter.
pub fn trace_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};
    static KEYS: OnceLock<std::collections::hash_map::RandomState> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = KEYS.get_or_init(Default::default).build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    format!("{:016x}", hasher.finish())
}

/// An envelope object: the bookkeeping members in wire order, then the
/// body in its member.
struct Enveloped<'a, T: ?Sized> {
    envelope: &'a Envelope,
    status: StatusCode,
    started: Instant,
    member: Member,
    body: Option<&'a T>,
}

impl<T: Serialize + ?Sized> Serialize for Enveloped<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let envelope = self.envelope;
        let members = envelope.fill.len() + usize::from(self.body.is_some());
        let mut map = serializer.serialize_map(Some(members))?;
        for (name, fill) in envelope.fill {
            map.serialize_entry(name, &fill_value(*fill, self.status, self.started))?;
        }
        if let Some(body) = self.body {
            let name = match self.member {
                Member::Payload => envelope.payload,
                Member::Error => envelope.error,
            };
            map.serialize_entry(name, body)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static ENVELOPE: Envelope = Envelope {
        fill: &[
            ("successful", Fill::Success),
            ("timestamp", Fill::Timestamp),
            ("duration", Fill::DurationMs),
            ("status", Fill::Status),
            ("traceId", Fill::TraceId),
        ],
        payload: "data",
        error: "error",
    };

    async fn body_of(response: Response) -> Value {
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("body");
        serde_json::from_slice(&bytes).expect("JSON")
    }

    #[tokio::test]
    async fn problem_details_follow_rfc_9457() {
        let problem = crate::Problem::new(crate::ProblemKind::InvalidQuery, "`limit` is 0");
        let response = problem_details(&problem);
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "application/problem+json"
        );
        let body = body_of(response).await;
        assert_eq!(body["status"], 400);
        assert_eq!(body["detail"], "`limit` is 0");
        let missing = crate::Problem::new(crate::ProblemKind::NotFound, "no such path");
        assert_eq!(problem_details(&missing).status(), StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn envelopes_fill_bookkeeping_in_order() {
        let response = respond(
            StatusCode::BAD_REQUEST,
            Instant::now(),
            Some(&ENVELOPE),
            Member::Error,
            Some(serde_json::json!({"errCode": "X"})),
        );
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("body");
        let text = String::from_utf8(bytes.to_vec()).expect("UTF-8");
        let keys: Vec<usize> = [
            "successful",
            "timestamp",
            "duration",
            "status",
            "traceId",
            "error",
        ]
        .iter()
        .map(|k| text.find(&format!("\"{k}\"")).expect(k))
        .collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{text}");
        let value: Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(value["successful"], false);
        assert_eq!(value["status"], 400);
        assert_eq!(value["error"]["errCode"], "X");
        assert!(
            value["timestamp"]
                .as_str()
                .expect("string")
                .parse::<bindings_wire::Timestamp>()
                .is_ok()
        );
        assert_eq!(value["traceId"].as_str().expect("string").len(), 16);
    }

    #[tokio::test]
    async fn plain_bodies_pass_through() {
        let response = respond(
            StatusCode::OK,
            Instant::now(),
            None,
            Member::Payload,
            Some(serde_json::json!([1])),
        );
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
        assert_eq!(body_of(response).await, serde_json::json!([1]));
    }

    #[test]
    fn bodies_decode_from_the_wire() {
        let envelope = serde_json::json!({"successful": false, "error": {"n": 1}});
        let inner: Value = decode_body(Some(envelope.clone()), Some("error")).expect("member");
        assert_eq!(inner, serde_json::json!({"n": 1}));
        let missing = decode_body::<Value>(Some(envelope), Some("data")).expect_err("no data");
        assert!(missing.to_string().contains("`data`"));
        let wrong =
            decode_body::<Vec<u8>>(Some(serde_json::json!([1, "x"])), None).expect_err("not bytes");
        assert!(wrong.to_string().contains("at `[1]`"), "{wrong}");
        assert!(decode_body::<Value>(None, None).is_err());
    }

    #[test]
    fn trace_ids_differ() {
        assert_ne!(trace_id(), trace_id());
    }
}

/// Why a documented answer could not be built from its wire form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError(String);

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WireError {}

impl WireError {
    pub fn new(message: impl Into<String>) -> Self {
        WireError(message.into())
    }

    /// `operation` documents no answer with `status`; it documents `documented`.
    pub fn undocumented(operation: &str, status: u16, documented: &[u16]) -> Self {
        WireError(format!(
            "`{operation}` documents no status {status}; it documents {documented:?}"
        ))
    }
}

/// Decodes an answer's body as it travels on the wire; in an envelope API,
/// `member` names the envelope member that carries it.
pub fn decode_body<T: serde::de::DeserializeOwned>(
    body: Option<Value>,
    member: Option<&str>,
) -> Result<T, WireError> {
    let body = body.ok_or_else(|| WireError::new("the answer needs a JSON body"))?;
    let body = match member {
        None => body,
        Some(member) => match body {
            Value::Object(mut envelope) => envelope
                .remove(member)
                .ok_or_else(|| WireError::new(format!("the envelope has no `{member}` member")))?,
            _ => return Err(WireError::new("the envelope is not a JSON object")),
        },
    };
    serde_path_to_error::deserialize(body)
        .map_err(|error| WireError::new(format!("at `{}`: {}", error.path(), error.inner())))
}

#[cfg(test)]
mod raw_tests {
    use super::*;

    #[test]
    fn raw_answers_carry_their_media_type_and_bytes() {
        let response = respond_raw(StatusCode::OK, "text/csv", "a,b\n");
        assert_eq!(response.headers()[header::CONTENT_TYPE], "text/csv");
        let any = respond_raw(StatusCode::OK, "*/*", "");
        assert_eq!(
            any.headers()[header::CONTENT_TYPE],
            "application/octet-stream"
        );
        let text = respond_raw(StatusCode::OK, "text/*", "");
        assert_eq!(text.headers()[header::CONTENT_TYPE], "text/plain");
        let bytes: Vec<u8> = decode_raw(Some(Value::String("\u{1}".into()))).expect("a string");
        assert_eq!(bytes, [1]);
        assert!(decode_raw::<String>(Some(serde_json::json!(5))).is_err());
        assert!(decode_raw::<String>(None).is_err());
    }

    #[test]
    fn set_headers_are_written_and_unsendable_ones_refused() {
        let mut response = respond_raw(StatusCode::OK, "text/plain", "");
        set_header(&mut response, "x-rate-limit", Some(&5)).expect("a number");
        set_header::<String>(&mut response, "location", None).expect("nothing to write");
        assert_eq!(response.headers()["x-rate-limit"], "5");
        assert!(!response.headers().contains_key("location"));
        let error = set_header(&mut response, "location", Some(&"a\nb")).expect_err("a line break");
        assert!(error.contains("location"), "{error}");
    }

    #[test]
    fn list_headers_are_joined_by_commas() {
        let mut response = respond_raw(StatusCode::OK, "text/plain", "");
        set_header_list(&mut response, "x-ids", Some(&[1, 2, 3][..])).expect("numbers");
        set_header_list::<i64>(&mut response, "x-none", None).expect("nothing to write");
        assert_eq!(response.headers()["x-ids"], "1,2,3");
        assert!(!response.headers().contains_key("x-none"));
    }
}
