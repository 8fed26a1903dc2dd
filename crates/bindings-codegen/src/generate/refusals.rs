//! The lint rule `server-refusal-undocumented`: an operation whose spec
//! documents no answer for a refused request, so the generated server
//! chooses one (RFC 9457 problem details: 400, or 401 for credentials).

use serde_json::Value;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// An operation that documents no answer for a kind of refusal: the
/// pointer to its `responses`, its name (`` `id` `` or `METHOD path`), and
/// the message.
pub type Undocumented = (String, String, String);

/// (pointer to the operation's `responses`, name, message) for every operation
/// that documents no answer for an invalid request, or for missing
/// credentials though it needs them. Specs with `x-request-errors` say
/// their answers there and are not checked.
pub fn undocumented(raw: &Value) -> Vec<Undocumented> {
    if raw.get("x-request-errors").is_some() {
        return Vec::new();
    }
    let global_security = secured(raw.get("security"));
    let mut found = Vec::new();
    let paths = raw.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        for method in METHODS {
            let Some(operation) = item.get(*method) else {
                continue;
            };
            let responses = operation.get("responses");
            let has = |keys: &[&str]| {
                keys.iter()
                    .any(|k| responses.and_then(|r| r.get(*k)).is_some())
            };
            let id = operation
                .get("operationId")
                .and_then(Value::as_str)
                .map_or_else(
                    || format!("{} {path}", method.to_uppercase()),
                    |id| format!("`{id}`"),
                );
            let pointer = format!(
                "/paths/{}/{method}/responses",
                openapi_source::escape_token(path)
            );
            if !has(&["400", "422", "4XX", "4xx", "default"]) {
                found.push((
                    pointer.clone(),
                    id.clone(),
                    format!("{id} documents no answer to an invalid request (400, 422, 4XX or default); the generated server answers one with 400 and RFC 9457 problem details"),
                ));
            }
            let needs_credentials = match operation.get("security") {
                Some(security) => secured(Some(security)),
                None => global_security,
            };
            if needs_credentials && !has(&["401", "403", "4XX", "4xx", "default"]) {
                found.push((
                    pointer,
                    id.clone(),
                    format!("{id} needs credentials but documents no answer without them (401, 403, 4XX or default); the generated server answers 401 with RFC 9457 problem details"),
                ));
            }
        }
    }
    found
}

/// Whether a `security` list requires credentials (no empty alternative).
fn secured(security: Option<&Value>) -> bool {
    security
        .and_then(Value::as_array)
        .is_some_and(|alternatives| {
            !alternatives.is_empty()
                && alternatives
                    .iter()
                    .all(|a| a.as_object().is_some_and(|a| !a.is_empty()))
        })
}

/// The paragraph of the generated router's docs that names the
/// operations whose refusals the server chooses (empty when none).
pub fn router_doc(raw: &Value) -> String {
    let mut names: Vec<String> = undocumented(raw)
        .into_iter()
        .map(|(_, name, _)| name)
        .collect();
    names.dedup();
    if names.is_empty() {
        return String::new();
    }
    format!(
        " The spec documents no answer for some refused requests of {}: those get RFC 9457 problem details (`application/problem+json`; 400 for an invalid request, 401 without credentials), the server's choice (lint warning `server-refusal-undocumented`).",
        names.join(", ")
    )
}
