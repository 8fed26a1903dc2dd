//! What the mock adds to an operation's answer: every documented response
//! header (a request id generated per answer; not `Content-Length`,
//! `Transfer-Encoding` or `Connection`, which hyper writes from the body,
//! nor a `Content-Encoding` other than `identity`, which the body would
//! not be in),
//! and paging of a documented list by `limit` / `offset` where the
//! operation declares both.

use axum::http::{HeaderName, HeaderValue};
use axum::response::Response;
use serde_json::Value;

use super::Mock;
use crate::Operation;

/// (operation, status, header name, value) of a documented response
/// header; a value generated from its schema. A header whose name holds
/// `request-id` gets a new value per answer instead.
pub type Header = (&'static str, u16, &'static str, &'static str);

/// The largest body the mock pages (its own examples: small).
const PAGED_BODY_LIMIT: usize = 16 << 20;

/// `response` with the documented headers it lacks, and paged.
pub async fn finish(
    mock: &Mock,
    operation: &Operation,
    query: Option<&str>,
    response: Response,
) -> Response {
    let mut response = with_headers(mock, operation, response);
    let paged_by = mock.paged.iter().find(|(id, _)| *id == operation.id);
    if let Some((_, default_limit)) = paged_by
        && response.status().is_success()
    {
        let paging = paging_with_default(query, *default_limit);
        if paging != (0, None) {
            response = paged(response, paging).await;
        }
    }
    response
}

fn with_headers(mock: &Mock, operation: &Operation, mut response: Response) -> Response {
    let status = response.status().as_u16();
    let documented = mock
        .headers
        .iter()
        .filter(|(op, s, ..)| *op == operation.id && *s == status);
    for (_, _, name, value) in documented {
        let Ok(name) = HeaderName::try_from(*name) else {
            continue;
        };
        // The body's framing is hyper's: a documented `Content-Length`
        // would contradict it (hyper panics on that in debug builds).
        if response.headers().contains_key(&name) || is_framing(&name) {
            continue;
        }
        // An encoding the body is not in would make it unreadable.
        if name == axum::http::header::CONTENT_ENCODING && !value.eq_ignore_ascii_case("identity") {
            continue;
        }
        let value = if name.as_str().contains("request-id") {
            crate::trace_id()
        } else {
            (*value).to_owned()
        };
        if let Ok(value) = HeaderValue::try_from(value) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

/// A header that says how the body is framed on the connection, which
/// hyper writes from the body itself.
fn is_framing(name: &HeaderName) -> bool {
    use axum::http::header::{CONNECTION, CONTENT_LENGTH, TRANSFER_ENCODING};
    [CONTENT_LENGTH, TRANSFER_ENCODING, CONNECTION].contains(name)
}

/// (`offset`, `limit`) of a query; 0 and none when absent or unreadable
/// (the router has checked them against the spec).
fn paging(query: Option<&str>) -> (usize, Option<usize>) {
    let pairs = crate::query_pairs(query);
    let number = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .and_then(|(_, value)| value.parse::<usize>().ok())
    };
    (number("offset").unwrap_or(0), number("limit"))
}

/// [`paging`], with `default_limit` (the spec's) when the query gives no
/// `limit`.
fn paging_with_default(
    query: Option<&str>,
    default_limit: Option<usize>,
) -> (usize, Option<usize>) {
    let (offset, limit) = paging(query);
    (offset, limit.or(default_limit))
}

async fn paged(response: Response, (offset, limit): (usize, Option<usize>)) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, PAGED_BODY_LIMIT).await else {
        return Response::from_parts(parts, axum::body::Body::empty());
    };
    let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, bytes.into());
    };
    if let Some(list) = first_list(&mut value, 2) {
        let end = limit.map_or(list.len(), |limit| offset.saturating_add(limit));
        *list = list
            .drain(..)
            .skip(offset)
            .take(end.saturating_sub(offset))
            .collect();
    }
    let bytes = serde_json::to_vec(&value).unwrap_or_else(|_| bytes.to_vec());
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(parts, bytes.into())
}

/// The body's list: itself, else the first member that is one (looking
/// `depth` levels into objects, as an envelope's payload holds it).
fn first_list(value: &mut Value, depth: usize) -> Option<&mut Vec<Value>> {
    match value {
        Value::Array(items) => Some(items),
        Value::Object(members) if depth > 0 => {
            let key = members
                .iter()
                .find(|(_, v)| v.is_array())
                .or_else(|| members.iter().find(|(_, v)| v.is_object()))
                .map(|(key, _)| key.clone())?;
            first_list(members.get_mut(&key)?, depth - 1)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_framing_headers_are_left_to_hyper() {
        const OPERATION: Operation = Operation {
            id: "download",
            ..Operation::NONE
        };
        static MOCK: Mock = Mock {
            examples: &[],
            operations: &[],
            envelopes: &[],
            decoders: &[],
            request_error: |problem, _, _, _| crate::problem_details(problem),
            headers: &[
                ("download", 200, "Content-Length", "1"),
                ("download", 200, "Transfer-Encoding", "chunked"),
                ("download", 200, "X-Checksum", "abc"),
            ],
            paged: &[],
        };
        let response = with_headers(&MOCK, &OPERATION, Response::new("12345678".into()));
        let headers = response.headers();
        assert_eq!(
            headers.get("x-checksum").map(|v| v.as_bytes()),
            Some(&b"abc"[..])
        );
        assert!(!headers.contains_key("content-length"));
        assert!(!headers.contains_key("transfer-encoding"));
    }

    #[test]
    fn a_documented_encoding_is_written_only_when_it_is_identity() {
        const OPERATION: Operation = Operation {
            id: "query",
            ..Operation::NONE
        };
        let mock = |encoding: &'static str| Mock {
            examples: &[],
            operations: &[],
            envelopes: &[],
            decoders: &[],
            request_error: |problem, _, _, _| crate::problem_details(problem),
            headers: Box::leak(Box::new([("query", 200, "content-encoding", encoding)])),
            paged: &[],
        };
        let encoding = |value| {
            let response = with_headers(&mock(value), &OPERATION, Response::new("a,b".into()));
            response.headers().get("content-encoding").cloned()
        };
        assert_eq!(encoding("gzip"), None);
        assert_eq!(
            encoding("identity"),
            Some(HeaderValue::from_static("identity"))
        );
    }

    #[test]
    fn pages_the_first_list() {
        let mut body = serde_json::json!({"total": 3, "items": [1, 2, 3]});
        let list = first_list(&mut body, 2).map(|l| l.len());
        assert_eq!(list, Some(3));
        assert_eq!(paging(Some("offset=1&limit=1")), (1, Some(1)));
        assert_eq!(paging(None), (0, None));
    }

    #[test]
    fn the_specs_default_limit_pages_a_request_without_one() {
        assert_eq!(paging_with_default(None, Some(100)), (0, Some(100)));
        assert_eq!(
            paging_with_default(Some("offset=5"), Some(100)),
            (5, Some(100))
        );
        assert_eq!(
            paging_with_default(Some("limit=2"), Some(100)),
            (0, Some(2))
        );
        assert_eq!(paging_with_default(None, None), (0, None));
    }
}
