//! Refusals in the spec's own terms, for specs without `x-request-errors`:
//! a request that breaks the spec gets the answer its operation documents
//! for that kind of problem, with the documented body (its example, or a
//! value generated from its schema) in the documented media type.
//!
//! Which status answers which problem:
//! - missing or unreadable credentials: 401, or 403 where the operation
//!   documents 403 and not 401 (a `4XX` or `default` body if that is all
//!   it documents);
//! - a body too large, or of a media type the operation does not take:
//!   413 / 415 where documented, else as any invalid request;
//! - any other invalid request: the documented 400, else 422, else the
//!   `4XX` answer (as 400), else `default` (as 400);
//! - the server's own failure: 500, `5XX` or `default` (as 500).
//!
//! Where the operation documents none of these (the generator's lint
//! warning `server-refusal-undocumented` names it), or documents no body
//! for the status, the answer is RFC 9457 problem details
//! ([`crate::problem_details`]) with the status above.

use axum::response::Response;
use serde_json::Value;

use crate::{Operation, Problem, ProblemKind};

/// An error answer an operation documents: its key in `responses`
/// (`"400"`, `"4XX"`, `"default"`), media type and body (JSON text for a
/// JSON media type, the text itself otherwise); an empty media type for
/// an answer without a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    pub key: &'static str,
    pub media: &'static str,
    pub body: &'static str,
}

/// The answer to `problem` for `operation`, in the spec's terms.
pub fn refuse(problem: &Problem, operation: &Operation) -> Response {
    let (status, keys) = candidates(problem.kind(), operation);
    let refusal = keys
        .iter()
        .find_map(|key| operation.refusals.iter().find(|r| r.key == *key));
    match refusal {
        Some(refusal) if !refusal.media.is_empty() => answer(status, refusal, problem),
        _ => crate::envelope::problem_details_with(problem, status),
    }
}

/// The status a problem gets from `operation`, and the documented answers
/// whose body it carries, in order of preference.
fn candidates(kind: ProblemKind, operation: &Operation) -> (u16, Vec<&'static str>) {
    let has = |key: &str| operation.refusals.iter().any(|r| r.key == key);
    if let Some(status) = kind.fixed_status() {
        return (status, vec![fixed_key(status), "4XX", "default"]);
    }
    match kind {
        ProblemKind::MissingCredentials | ProblemKind::InvalidCredentials => {
            if !has("401") && has("403") {
                (403, vec!["403"])
            } else {
                (401, vec!["401", "4XX", "default"])
            }
        }
        ProblemKind::Internal => (500, vec!["500", "5XX", "default"]),
        ProblemKind::BodyTooLarge if has("413") => (413, vec!["413"]),
        ProblemKind::UnsupportedMediaType if has("415") => (415, vec!["415"]),
        _ if !has("400") && has("422") => (422, vec!["422"]),
        _ => (400, vec!["400", "4XX", "default"]),
    }
}

fn fixed_key(status: u16) -> &'static str {
    match status {
        404 => "404",
        405 => "405",
        414 => "414",
        _ => "431",
    }
}

fn answer(status: u16, refusal: &Refusal, problem: &Problem) -> Response {
    let status = crate::status(status);
    if !crate::is_json_media(refusal.media) {
        return crate::respond_raw(status, refusal.media, refusal.body);
    }
    let mut body: Value = serde_json::from_str(refusal.body).unwrap_or(Value::Null);
    say_why(&mut body, problem.message());
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    crate::respond_raw(status, refusal.media, bytes)
}

/// Puts the problem's message in the body's own message member, where it
/// has one holding a string (at the top, or in an `error` object).
fn say_why(body: &mut Value, message: &str) {
    const MEMBERS: &[&str] = &["message", "detail", "error_description"];
    let Some(members) = body.as_object_mut() else {
        return;
    };
    if let Some(Value::Object(error)) = members.get_mut("error") {
        say_why_in(error, MEMBERS, message);
    }
    say_why_in(members, MEMBERS, message);
}

fn say_why_in(members: &mut serde_json::Map<String, Value>, names: &[&str], message: &str) {
    for name in names {
        if let Some(value @ Value::String(_)) = members.get_mut(*name) {
            *value = Value::String(message.to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REFUSALS: &[Refusal] = &[
        Refusal {
            key: "403",
            media: "application/json",
            body: r#"{"message":"no"}"#,
        },
        Refusal {
            key: "default",
            media: "application/json",
            body: r#"{"error":{"message":"x","code":1}}"#,
        },
    ];
    const OPERATION: Operation = Operation {
        id: "op",
        method: "GET",
        path: "/",
        query: &[],
        statuses: &[200, 403, 500],
        credentials: true,
        refusals: REFUSALS,
    };

    #[test]
    fn credentials_get_the_documented_403_and_invalid_requests_default() {
        let missing = Problem::new(ProblemKind::MissingCredentials, "who are you");
        assert_eq!(refuse(&missing, &OPERATION).status(), 403);
        let (status, keys) = candidates(ProblemKind::InvalidQuery, &OPERATION);
        assert_eq!((status, keys[2]), (400, "default"));
        let mut body: Value = serde_json::from_str(REFUSALS[1].body).unwrap_or_default();
        say_why(&mut body, "bad query");
        assert_eq!(body["error"]["message"], "bad query");
        assert_eq!(body["error"]["code"], 1);
    }

    #[test]
    fn undocumented_refusals_are_problem_details() {
        let response = refuse(
            &Problem::new(ProblemKind::InvalidBody, "no"),
            &Operation::NONE,
        );
        assert_eq!(response.status(), 400);
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
    }
}
