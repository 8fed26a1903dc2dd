//! schemathesis failures the spec itself makes unavoidable, each named by
//! the lint rule that reports its cause (issue #28: "any failure left is
//! one the spec itself makes unavoidable, named ... with the lint warning
//! that reports it"). Only what the spec decides counts:
//!
//! - ST103 (an undocumented status) for a 400/422 of an operation that
//!   documents no answer to an invalid request, or a 401/403 of one that
//!   needs credentials and documents no answer without them: the server
//!   must refuse the request and the spec gives it no documented status
//!   (`server-refusal-undocumented`).
//! - ST103 of an operation whose `responses` is empty: no status is
//!   documented at all (`responses-empty`).
//!
//! Everything else is the generated server's or mock's to fix.

use serde_json::Value;

use super::schemathesis::Failure;
use bindings_codegen::generate::{Refused, undocumented_refusals};

/// The lint rule of a failure the spec makes unavoidable.
pub fn explain(spec: &Value, failure: &Failure) -> Option<&'static str> {
    if failure.check != "ST103" {
        return None;
    }
    let (method, path) = failure.operation.split_once(' ')?;
    let method = method.to_ascii_lowercase();
    let responses = spec.get("paths")?.get(path)?.get(&method)?.get("responses");
    if responses
        .and_then(Value::as_object)
        .is_none_or(serde_json::Map::is_empty)
    {
        return Some("responses-empty");
    }
    let refused = match failure.received? {
        400 | 422 => Refused::Invalid,
        401 | 403 => Refused::Credentials,
        _ => return None,
    };
    undocumented_refusals(spec)
        .iter()
        .any(|u| u.path == path && u.method == method && u.refused == refused)
        .then_some("server-refusal-undocumented")
}

/// The failures of `each` the spec explains, counted by rule.
pub fn count(spec: &Value, each: &[Failure]) -> Vec<(&'static str, usize)> {
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    for rule in each.iter().filter_map(|failure| explain(spec, failure)) {
        match counts.iter_mut().find(|(name, _)| *name == rule) {
            Some((_, n)) => *n += 1,
            None => counts.push((rule, 1)),
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn failure(operation: &str, check: &str, received: u16) -> Failure {
        Failure {
            operation: operation.into(),
            check: check.into(),
            received: Some(received),
        }
    }

    fn spec() -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {
                "/pets": {
                    "get": {"responses": {"200": {"description": "ok"}}},
                    "post": {"responses": {
                        "201": {"description": "ok"},
                        "400": {"description": "bad"}
                    }}
                },
                "/empty": {"get": {"responses": {}}}
            }
        })
    }

    #[test]
    fn an_undocumented_400_is_the_spec_s_where_it_documents_no_client_error() {
        let spec = spec();
        assert_eq!(
            explain(&spec, &failure("GET /pets", "ST103", 400)),
            Some("server-refusal-undocumented")
        );
        // It documents its 400: an undocumented status there is ours.
        assert_eq!(explain(&spec, &failure("POST /pets", "ST103", 500)), None);
        // No security: a 401 is never the spec's.
        assert_eq!(explain(&spec, &failure("GET /pets", "ST103", 401)), None);
        // Another check is never the spec's.
        assert_eq!(explain(&spec, &failure("GET /pets", "ST202", 400)), None);
        assert_eq!(
            explain(&spec, &failure("GET /empty", "ST103", 200)),
            Some("responses-empty")
        );
        let all = [
            failure("GET /pets", "ST103", 400),
            failure("GET /empty", "ST103", 200),
            failure("GET /pets", "ST202", 400),
        ];
        assert_eq!(
            count(&spec, &all),
            [("server-refusal-undocumented", 1), ("responses-empty", 1)]
        );
    }
}
