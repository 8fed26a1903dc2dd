//! One-line descriptions of what went wrong, for logs and command lines:
//! `401 Unauthorized: DBSS.10020100 the signature does not match the
//! request`, or `connection refused: is the server running at
//! http://127.0.0.1:8080?`. progenitor's own `Display` dumps headers and a
//! `Debug` body over several lines.

use std::error::Error as StdError;
use std::fmt::Write as _;

use serde_json::Value;

/// Members that name an error's code, in the shapes vendors use
/// (Huawei Cloud, obshell, RFC 9457, OAuth).
const CODE_MEMBERS: &[&str] = &[
    "error_code",
    "errCode",
    "errorCode",
    "code",
    "error",
    "type",
];
/// Members that hold an error's human-readable message.
const MESSAGE_MEMBERS: &[&str] = &[
    "error_msg",
    "message",
    "errorMessage",
    "msg",
    "detail",
    "title",
    "error_description",
];
/// Longest body excerpt a description quotes.
const MAX_EXCERPT: usize = 200;

/// A one-line description of an error of a generated client.
pub trait Describe {
    /// The status and the error body's code and message, or the cause of a
    /// failure to get an answer at all; never headers, never a credential.
    fn describe(&self) -> String;
}

impl<E: serde::Serialize> Describe for crate::Error<E> {
    fn describe(&self) -> String {
        describe(self)
    }
}

/// What [`Describe::describe`] and the error's `Display` say.
pub(crate) fn describe<E: serde::Serialize>(error: &crate::Error<E>) -> String {
    use crate::Error;
    match error {
        Error::InvalidRequest(message) => format!("invalid request: {message}"),
        Error::CommunicationError(error) => cause_chain(error),
        Error::InvalidUpgrade(error) => format!("upgrade failed: {}", cause_chain(error)),
        Error::ResponseBodyError(error) => {
            format!("reading the answer failed: {}", cause_chain(error))
        }
        Error::InvalidResponsePayload(bytes, error) => format!(
            "the answer does not decode ({error}): {}",
            crate::excerpt(bytes, MAX_EXCERPT)
        ),
        Error::UnexpectedResponse(response) => format!(
            "{}: an answer the spec does not document",
            response.status()
        ),
        Error::ErrorResponse(response) => {
            let body = serde_json::to_value(response.as_ref()).unwrap_or(Value::Null);
            match body_summary(&body) {
                Some(summary) => format!("{}: {summary}", response.status()),
                None => response.status().to_string(),
            }
        }
        Error::Custom(message) => message.clone(),
    }
}

/// `code message` from an error body, looking one level into `error` and
/// `details` members too; else a compact excerpt of the body; `None` for
/// an empty body.
pub fn body_summary(body: &Value) -> Option<String> {
    fn code_and_message(object: &serde_json::Map<String, Value>) -> Option<String> {
        let text = |names: &[&str]| {
            names.iter().find_map(|name| match object.get(*name) {
                Some(Value::String(text)) if !text.trim().is_empty() => {
                    Some(text.trim().to_owned())
                }
                Some(Value::Number(number)) => Some(number.to_string()),
                _ => None,
            })
        };
        match (text(CODE_MEMBERS), text(MESSAGE_MEMBERS)) {
            (Some(code), Some(message)) => Some(format!("{code} {message}")),
            (code, message) => code.or(message),
        }
    }
    match body {
        Value::Null => None,
        Value::Object(object) => code_and_message(object)
            .or_else(|| {
                ["error", "details"]
                    .iter()
                    .find_map(|inner| match object.get(*inner) {
                        Some(Value::Object(inner)) => code_and_message(inner),
                        Some(Value::Array(items)) => items
                            .iter()
                            .find_map(|item| item.as_object().and_then(code_and_message)),
                        _ => None,
                    })
            })
            .or_else(|| Some(crate::excerpt(body.to_string().as_bytes(), MAX_EXCERPT))),
        Value::String(text) if text.trim().is_empty() => None,
        Value::String(text) => Some(crate::excerpt(text.trim().as_bytes(), MAX_EXCERPT)),
        other => Some(crate::excerpt(other.to_string().as_bytes(), MAX_EXCERPT)),
    }
}

/// An error and its causes on one line, each cause said once: reqwest's
/// "error sending request" hides "connection refused" several `source()`
/// levels down. A refused or timed-out connection says so first.
pub fn cause_chain(error: &(dyn StdError + 'static)) -> String {
    let mut messages: Vec<String> = Vec::new();
    let mut refused = false;
    let mut current: Option<&(dyn StdError + 'static)> = Some(error);
    let mut depth = 0;
    while let Some(error) = current {
        if let Some(io) = error.downcast_ref::<std::io::Error>() {
            refused |= io.kind() == std::io::ErrorKind::ConnectionRefused;
        }
        let message = crate::redact_urls(&error.to_string().replace('\n', " "));
        if !message.is_empty() && !messages.iter().any(|seen| seen.contains(&message)) {
            messages.push(message);
        }
        current = error.source();
        depth += 1;
        if depth > 16 {
            break;
        }
    }
    let url = error
        .downcast_ref::<reqwest::Error>()
        .and_then(reqwest::Error::url)
        .map(|url| {
            let mut origin = url.clone();
            origin.set_path("");
            origin.set_query(None);
            crate::redact_urls(origin.as_str().trim_end_matches('/'))
        });
    let timed_out = error
        .downcast_ref::<reqwest::Error>()
        .is_some_and(reqwest::Error::is_timeout);
    let mut line = String::new();
    if refused {
        line.push_str("connection refused");
        if let Some(url) = &url {
            let _ = write!(line, ": is the server running at {url}?");
        }
    } else if timed_out {
        line.push_str("timed out");
        if let Some(url) = &url {
            let _ = write!(line, " waiting for {url}");
        }
    } else {
        line = messages.join(": ");
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bodies_are_summarised_by_code_and_message() {
        let cases = [
            (
                json!({"error_code": "DBSS.10020100", "error_msg": "the signature does not match"}),
                Some("DBSS.10020100 the signature does not match"),
            ),
            (
                json!({"error": {"error_code": "DBSS.10020021", "error_msg": "Invalid ID."}}),
                Some("DBSS.10020021 Invalid ID."),
            ),
            (
                json!({"successful": false, "error": {"errCode": "OB.Tenant.NotExist", "message": "tenant t9 not exist"}}),
                Some("OB.Tenant.NotExist tenant t9 not exist"),
            ),
            (
                json!({"type": "about:blank", "title": "Bad Request", "status": 400}),
                Some("about:blank Bad Request"),
            ),
            (json!({"unrelated": 1}), Some(r#"{"unrelated":1}"#)),
            (json!(null), None),
        ];
        for (body, want) in cases {
            assert_eq!(body_summary(&body).as_deref(), want, "{body}");
        }
    }

    #[tokio::test]
    async fn a_refused_connection_names_the_server() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = listener.local_addr().expect("address");
        drop(listener);
        let error = reqwest::Client::new()
            .get(format!("http://{address}/v1/x"))
            .send()
            .await
            .expect_err("nothing listens");
        assert_eq!(
            cause_chain(&error),
            format!("connection refused: is the server running at http://{address}?")
        );
    }
}
