//! `link-target-unknown`: a Link Object names the operation it leads to by
//! an `operationId` no operation of the document has, or by a local
//! `operationRef` that points at nothing. OpenAPI requires the target to
//! exist ("the name of an existing, resolvable OAS operation"); a client
//! or test tool that follows the link (schemathesis' stateful tests)
//! cannot, and refuses the whole document's links.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Report, Rule};
use openapi_source::child;

/// Nesting past which operation ids are not looked for (the reader's own
/// bound is far above any real document's).
const DEPTH: usize = 64;

pub(super) fn check(report: &mut Report<'_>) {
    for (pointer, message) in unknown_link_targets(report.root()) {
        report.at(&pointer, Rule::LinkTargetUnknown, message);
    }
}

/// Each link of `root` that leads nowhere: its pointer, and why.
pub fn unknown_link_targets(root: &Value) -> Vec<(String, String)> {
    let mut ids = BTreeSet::new();
    for top in ["paths", "webhooks", "components"] {
        if let Some(part) = root.get(top) {
            operation_ids(part, 0, &mut ids);
        }
    }
    links(root)
        .into_iter()
        .filter_map(|(pointer, link)| Some((pointer, unknown_target(root, &ids, link)?)))
        .collect()
}

/// Every `operationId` string at or under `value`.
fn operation_ids<'a>(value: &'a Value, depth: usize, ids: &mut BTreeSet<&'a str>) {
    if depth > DEPTH {
        return;
    }
    match value {
        Value::Object(members) => {
            if let Some(Value::String(id)) = members.get("operationId") {
                ids.insert(id);
            }
            for (key, member) in members {
                // A link's own `operationId` names a target, not an operation.
                if key != "links" {
                    operation_ids(member, depth + 1, ids);
                }
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|item| operation_ids(item, depth + 1, ids)),
        _ => {}
    }
}

/// Each Link Object of the document (not a `$ref` to one: that is checked
/// where it points), with its pointer: those of the responses of each
/// operation, of the component responses, and the component links.
fn links(root: &Value) -> Vec<(String, &Value)> {
    let mut responses: Vec<(String, &Value)> = Vec::new();
    for (path, item) in members(root.get("paths")) {
        let item_pointer = child("/paths", path);
        for (method, operation) in members(Some(item)) {
            let at = child(&child(&item_pointer, method), "responses");
            for (status, response) in members(operation.get("responses")) {
                responses.push((child(&at, status), response));
            }
        }
    }
    let components = root.get("components");
    for (name, response) in members(components.and_then(|c| c.get("responses"))) {
        responses.push((child("/components/responses", name), response));
    }
    let mut found: Vec<(String, &Value)> = Vec::new();
    for (pointer, response) in responses {
        let at = child(&pointer, "links");
        for (name, link) in members(response.get("links")) {
            found.push((child(&at, name), link));
        }
    }
    for (name, link) in members(components.and_then(|c| c.get("links"))) {
        found.push((child("/components/links", name), link));
    }
    found.retain(|(_, link)| link.get("$ref").is_none());
    found
}

/// The members of an object (none where `value` is not one).
fn members(value: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    value.and_then(Value::as_object).into_iter().flatten()
}

/// Why `link` leads nowhere, where it does: an `operationId` no operation
/// has, or a local `operationRef` that resolves to nothing.
fn unknown_target(root: &Value, ids: &BTreeSet<&str>, link: &Value) -> Option<String> {
    if let Some(id) = link.get("operationId").and_then(Value::as_str) {
        return (!ids.contains(id)).then(|| {
            format!("the link's `operationId` `{id}` is no operation's: a client cannot follow it")
        });
    }
    let reference = link.get("operationRef").and_then(Value::as_str)?;
    let plain = openapi_source::version::decoded_fragment(reference)
        .unwrap_or_else(|| reference.to_owned());
    let pointer = plain.strip_prefix('#')?;
    root.pointer(pointer).is_none().then(|| {
        format!("the link's `operationRef` `{reference}` points at nothing in this document: a client cannot follow it")
    })
}
