//! The lint rule `server-refusal-undocumented`: an operation whose spec
//! documents no answer for a refused request, so the generated server
//! chooses one (RFC 9457 problem details: 400, or 401 for credentials).

use serde_json::Value;

use super::walk::operations;

/// A kind of request the generated server refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// A request that breaks the spec (answered 400).
    Invalid,
    /// A request without the credentials the operation needs (401).
    Credentials,
}

/// An operation that documents no answer for a kind of refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undocumented {
    /// The pointer to the operation's `responses`.
    pub pointer: String,
    /// The operation's path and method as the spec writes them.
    pub path: String,
    pub method: String,
    /// `` `id` `` or `METHOD path`.
    pub name: String,
    pub refused: Refused,
    pub message: String,
}

/// Every operation that documents no answer for an invalid request, or for missing
/// credentials though it needs them. Specs with `x-request-errors` say
/// their answers there and are not checked.
pub fn undocumented(raw: &Value) -> Vec<Undocumented> {
    let mut found = Vec::new();
    for (path, method, operation, needs_credentials) in checked_operations(raw) {
        let responses = operation.get("responses");
        let has = |keys: &[&str]| {
            keys.iter()
                .any(|k| responses.and_then(|r| r.get(*k)).is_some())
        };
        let id = operation_name(path, method, operation);
        let pointer = super::walk::responses_pointer(path, method);
        let entry = |refused, message| Undocumented {
            pointer: pointer.clone(),
            path: path.clone(),
            method: method.to_owned(),
            name: id.clone(),
            refused,
            message,
        };
        if !has(&["400", "422", "4XX", "4xx", "default"]) {
            found.push(entry(
                Refused::Invalid,
                format!("{id} documents no answer to an invalid request (400, 422, 4XX or default); the generated server answers one with 400 and RFC 9457 problem details"),
            ));
        }
        if needs_credentials && !has(&["401", "403", "4XX", "4xx", "default"]) {
            found.push(entry(
                Refused::Credentials,
                format!("{id} needs credentials but documents no answer without them (401, 403, 4XX or default); the generated server answers 401 with RFC 9457 problem details"),
            ));
        }
    }
    found
}

/// Every operation that needs credentials and documents 403 but no 401:
/// the generated server answers a request without credentials 403, as the
/// spec documents, where HTTP says 401 (RFC 9110, 15.5.2) and clients
/// (schemathesis' ST203 among them) expect it. The lint rule
/// `unauthorized-undocumented`.
/// Specs with `x-request-errors` say their answers there and are not
/// checked.
pub fn forbidden_only(raw: &Value) -> Vec<Undocumented> {
    let mut found = Vec::new();
    for (path, method, operation, needs_credentials) in checked_operations(raw) {
        let responses = operation.get("responses");
        let has = |key: &str| responses.and_then(|r| r.get(key)).is_some();
        if !needs_credentials || has("401") || !has("403") {
            continue;
        }
        let name = operation_name(path, method, operation);
        found.push(Undocumented {
            pointer: super::walk::responses_pointer(path, method),
            path: path.clone(),
            method: method.to_owned(),
            message: format!("{name} needs credentials and documents 403 but not 401: the generated server answers a request without credentials 403, as documented, where HTTP says 401 (RFC 9110, 15.5.2) and clients expect it; document the 401"),
            name,
            refused: Refused::Credentials,
        });
    }
    found
}

/// `` `operationId` ``, or `METHOD path` where the operation has none.
fn operation_name(path: &str, method: &str, operation: &Value) -> String {
    operation
        .get("operationId")
        .and_then(Value::as_str)
        .map_or_else(
            || format!("{} {path}", method.to_uppercase()),
            |id| format!("`{id}`"),
        )
}

/// The operations the refusal rules check (none in a spec with
/// `x-request-errors`, which says its answers there), each with whether it
/// needs credentials: its own `security`, else the spec's.
fn checked_operations(raw: &Value) -> Vec<(&String, &'static str, &Value, bool)> {
    if raw.get("x-request-errors").is_some() {
        return Vec::new();
    }
    let global = secured(raw.get("security"));
    operations(raw)
        .map(|(path, method, _, operation)| {
            let needs = operation
                .get("security")
                .map_or(global, |security| secured(Some(security)));
            (path, method, operation, needs)
        })
        .collect()
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
        .map(|undocumented| undocumented.name)
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
