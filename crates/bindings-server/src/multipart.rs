//! `multipart/form-data` request bodies (RFC 7578), for operations that
//! take one beside JSON for the same schema (Discord's messages and
//! webhooks, PagerDuty's enrichment schemas). Each part is a member of
//! the body: text parts are read by the body's schema as a form's fields
//! are (`tags` given twice is an array, `5` a number where the member is
//! one), a part in a JSON media type, or the text of a member that is
//! only an object or an array, is read as JSON (OpenAPI 3's default
//! encoding of such members), and a part that is not UTF-8 (a file) is
//! its bytes as text, with each byte that is not UTF-8 replaced.

use std::borrow::Cow;
use std::convert::Infallible;

use axum::body::Bytes;
use axum::http::HeaderMap;
use serde_json::{Map, Value};

use crate::{Problem, ProblemKind};

/// At most this many parts are read: more is refused, not truncated.
const MAX_PARTS: usize = 1_000;

/// One part of a multipart body: the member it is, its content type (the
/// essence, lowercase) and what it holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Part {
    pub(crate) name: String,
    pub(crate) media: Option<String>,
    pub(crate) bytes: Bytes,
}

impl Part {
    /// The part's text (its bytes as UTF-8, any byte that is not replaced).
    pub(crate) fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.bytes)
    }

    /// Whether the part says it is JSON.
    pub(crate) fn is_json(&self) -> bool {
        self.media.as_deref().is_some_and(crate::is_json_media)
    }
}

/// `bytes` with each control character of a part's header section that
/// MIME's obsolete syntax allows in a quoted parameter (RFC 5322's
/// `obs-qtext`: a part named `"a\x17"`) replaced by U+FFFD. multer reads
/// part headers by HTTP's stricter rules and would refuse the whole body;
/// parsers of MIME must take the obsolete syntax. Carriage returns, line
/// feeds and tabs, which frame the headers, are left alone. The bytes are
/// copied only when there is something to replace.
fn obsolete_controls_replaced(bytes: Bytes, boundary: &str) -> Bytes {
    let obsolete = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n')) || b == 0x7f;
    let delimiter = format!("--{boundary}");
    let sections: Vec<(usize, usize)> = memchr::memmem::find_iter(&bytes, delimiter.as_bytes())
        .filter(|&at| at == 0 || bytes[..at].ends_with(b"\r\n"))
        .filter_map(|at| {
            let start = at + delimiter.len();
            let end = memchr::memmem::find(&bytes[start..], b"\r\n\r\n")?;
            Some((start, start + end))
        })
        .filter(|&(start, end)| bytes[start..end].iter().any(|&b| obsolete(b)))
        .collect();
    if sections.is_empty() {
        return bytes;
    }
    let mut replaced = Vec::with_capacity(bytes.len() + 16);
    let mut from = 0;
    for (start, end) in sections {
        replaced.extend_from_slice(&bytes[from..start]);
        for &byte in &bytes[start..end] {
            if obsolete(byte) {
                replaced.extend_from_slice("\u{fffd}".as_bytes());
            } else {
                replaced.push(byte);
            }
        }
        from = end;
    }
    replaced.extend_from_slice(&bytes[from..]);
    Bytes::from(replaced)
}

/// The parts of `bytes`, a body whose content type `headers` give; an
/// invalid-body problem when it is no multipart body (no boundary, a
/// part without a name, a broken part), or has more than [`MAX_PARTS`].
pub(crate) async fn parts(headers: &HeaderMap, bytes: Bytes) -> Result<Vec<Part>, Problem> {
    let invalid = |why: String| {
        Problem::new(
            ProblemKind::InvalidBody,
            format!("invalid multipart body: {why}"),
        )
    };
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let boundary = multer::parse_boundary(content_type).map_err(|e| invalid(e.to_string()))?;
    let bytes = obsolete_controls_replaced(bytes, &boundary);
    let stream = futures_util::stream::once(async move { Ok::<Bytes, Infallible>(bytes) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| invalid(e.to_string()))?
    {
        if parts.len() == MAX_PARTS {
            return Err(invalid(format!("more than {MAX_PARTS} parts")));
        }
        let name = match field.name() {
            Some(name) => name.to_owned(),
            None => field
                .headers()
                .get(axum::http::header::CONTENT_DISPOSITION)
                .and_then(|value| html_name(value.as_bytes()))
                .ok_or_else(|| invalid(format!("part {} has no name", parts.len() + 1)))?,
        };
        let media = field
            .content_type()
            .map(|mime| mime.essence_str().to_ascii_lowercase());
        let bytes = field.bytes().await.map_err(|e| invalid(e.to_string()))?;
        parts.push(Part { name, media, bytes });
    }
    Ok(parts)
}

/// The `name` parameter of a part's `Content-Disposition` as HTML
/// writes it (RFC 7578 §4.2 defers to HTML): quoted, with `"`, CR and
/// LF percent-encoded and a backslash left as it is. multer takes a
/// backslash before a quote for an escape, so a name that ends in a
/// backslash (`name="a\"`) has no end for it; this reading is asked only
/// then. Bytes that are not UTF-8 are replaced.
fn html_name(disposition: &[u8]) -> Option<String> {
    let mut rest = disposition;
    while let Some(at) = memchr::memmem::find(rest, b"name=\"") {
        let starts_parameter = at == 0 || matches!(rest[at - 1], b';' | b' ' | b'\t');
        let value = &rest[at + b"name=\"".len()..];
        if starts_parameter {
            let end = memchr::memchr(b'"', value)?;
            return Some(String::from_utf8_lossy(&value[..end]).into_owned());
        }
        rest = value;
    }
    None
}

/// The parts as an object read by no schema: each member a string, an
/// array of strings where its name is given more than once, JSON where
/// its part says it is.
pub(crate) fn untyped(parts: &[Part]) -> Value {
    let mut object = Map::new();
    for part in parts {
        let value = if part.is_json() {
            serde_json::from_slice(&part.bytes)
                .unwrap_or_else(|_| Value::String(part.text().into()))
        } else {
            Value::String(part.text().into_owned())
        };
        match object.get_mut(&part.name) {
            Some(Value::Array(values)) => values.push(value),
            Some(first) => *first = Value::Array(vec![first.take(), value]),
            None => {
                object.insert(part.name.clone(), value);
            }
        }
    }
    Value::Object(object)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(boundary: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let value = format!("multipart/form-data; boundary={boundary}");
        headers.insert(
            axum::http::header::CONTENT_TYPE,
            value.parse().expect("a header value"),
        );
        headers
    }

    fn body(parts: &[(&str, Option<&str>, &[u8])]) -> Bytes {
        let mut body = Vec::new();
        for (name, media, bytes) in parts {
            body.extend_from_slice(b"--XyZ\r\n");
            body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n").as_bytes(),
            );
            if let Some(media) = media {
                body.extend_from_slice(format!("Content-Type: {media}\r\n").as_bytes());
            }
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b"--XyZ--\r\n");
        Bytes::from(body)
    }

    #[tokio::test]
    async fn parts_are_read_with_their_names_and_media_types() {
        let bytes = body(&[
            ("content", None, b"hi"),
            (
                "meta",
                Some("application/json; charset=utf-8"),
                br#"{"a": 1}"#,
            ),
            ("file", Some("application/octet-stream"), &[0xff, b'x']),
        ]);
        let parts = parts(&headers("XyZ"), bytes).await.expect("readable");
        let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["content", "meta", "file"]);
        assert!(parts[1].is_json() && !parts[0].is_json());
        assert_eq!(parts[2].text(), "\u{fffd}x");
        assert_eq!(
            untyped(&parts),
            serde_json::json!({"content": "hi", "meta": {"a": 1}, "file": "\u{fffd}x"})
        );
    }

    #[tokio::test]
    async fn a_name_with_a_control_character_is_read() {
        // schemathesis names members of open schemas so (resend's imports).
        let bytes = body(&[("a\x17b", None, b"1"), ("file", None, &[0x01, 0x02])]);
        let parts = parts(&headers("XyZ"), bytes).await.expect("readable");
        let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["a\u{fffd}b", "file"]);
        // A part's content is left as it is.
        assert_eq!(parts[1].bytes.as_ref(), [0x01, 0x02]);
    }

    #[tokio::test]
    async fn a_name_ending_in_a_backslash_is_read_as_html_writes_it() {
        // HTML (and schemathesis' urllib3) encode `"` as `%22` and leave a
        // backslash alone: redoc-cafe's and xero-files' open schemas.
        let bytes = body(&[("a$\\", None, b"1"), ("name", None, b"x")]);
        let parts = parts(&headers("XyZ"), bytes).await.expect("readable");
        let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["a$\\", "name"]);
        assert_eq!(
            html_name(br#"form-data; filename="f"; name="n\""#),
            Some("n\\".into())
        );
        assert_eq!(html_name(b"form-data; filename=\"x\""), None);
    }

    #[tokio::test]
    async fn a_name_that_is_not_utf8_is_read_with_replacements() {
        let mut bytes = b"--XyZ\r\nContent-Disposition: form-data; name=\"a".to_vec();
        bytes.extend_from_slice(b"\xff\"\r\n\r\n1\r\n--XyZ--\r\n");
        let parts = parts(&headers("XyZ"), Bytes::from(bytes))
            .await
            .expect("readable");
        assert_eq!(parts[0].name, "a\u{fffd}");
    }

    #[tokio::test]
    async fn a_name_given_twice_is_an_array() {
        let bytes = body(&[
            ("tag", None, b"a"),
            ("tag", None, b"b"),
            ("tag", None, b"c"),
        ]);
        let parts = parts(&headers("XyZ"), bytes).await.expect("readable");
        assert_eq!(untyped(&parts), serde_json::json!({"tag": ["a", "b", "c"]}));
    }

    #[tokio::test]
    async fn a_body_that_is_not_multipart_is_refused() {
        for (boundary, bytes) in [
            ("XyZ", Bytes::from_static(b"not multipart")),
            ("other", body(&[("a", None, b"1")])),
        ] {
            let problem = parts(&headers(boundary), bytes).await.expect_err("refused");
            assert_eq!(problem.kind(), ProblemKind::InvalidBody, "{problem:?}");
        }
        let mut none = HeaderMap::new();
        none.insert(
            axum::http::header::CONTENT_TYPE,
            "multipart/form-data".parse().expect("a header value"),
        );
        let problem = parts(&none, body(&[("a", None, b"1")]))
            .await
            .expect_err("refused");
        assert!(problem.message().contains("multipart"), "{problem:?}");
    }

    #[tokio::test]
    async fn too_many_parts_are_refused() {
        let many: Vec<(&str, Option<&str>, &[u8])> =
            (0..=MAX_PARTS).map(|_| ("a", None, &b"1"[..])).collect();
        let problem = parts(&headers("XyZ"), body(&many))
            .await
            .expect_err("refused");
        assert!(problem.message().contains("more than"), "{problem:?}");
    }

    static SCHEMAS: crate::Schemas = crate::Schemas::new(r#"{"$id": "urn:upload-api"}"#);
    /// resend's `CreateContactImportOptions`: a required file beside an
    /// optional text part.
    static UPLOAD: crate::BodySchema = crate::BodySchema::new(
        &SCHEMAS,
        r#"{"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary"},
            "on_conflict": {"type": "string", "enum": ["upsert", "skip"]}}}"#,
    );

    async fn kept(bytes: Bytes) -> Result<Option<Bytes>, Problem> {
        let body = axum::body::Body::from(bytes);
        let declared = ["multipart/form-data"];
        crate::checked_raw_body(&headers("XyZ"), body, 1 << 16, &declared, Some(&UPLOAD)).await
    }

    #[tokio::test]
    async fn a_checked_upload_keeps_its_bytes_as_sent() {
        let sent = body(&[
            ("file", Some("text/csv"), &[0xff, 0x00, b'a']),
            ("on_conflict", None, b"skip"),
        ]);
        assert_eq!(kept(sent.clone()).await, Ok(Some(sent)));
    }

    #[tokio::test]
    async fn an_upload_its_schema_refuses_is_an_invalid_body() {
        for bytes in [
            body(&[("on_conflict", None, b"skip")]),
            body(&[("file", None, b"a"), ("on_conflict", None, b"never")]),
            Bytes::from_static(b"--XyZ\r\n[]--XyZ--\r\n"),
        ] {
            let problem = kept(bytes).await.expect_err("refused");
            assert_eq!(problem.kind(), ProblemKind::InvalidBody, "{problem:?}");
        }
    }
}
