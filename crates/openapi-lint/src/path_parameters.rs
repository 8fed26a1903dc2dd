//! `path-parameter-inconsistent`: one path parameter (the same name at
//! the same place of nested paths, `{template_id}` of `/templates/{template_id}`
//! and of `/templates/{template_id}/versions`) with schemas that take
//! different values. An item is addressed by a value one path takes and
//! another refuses: SendGrid's `template_id` is any string on the
//! template and a UUID on its versions.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Report, Rule};
use openapi_source::child;

/// Keywords that say nothing of which values a schema takes.
const ANNOTATIONS: [&str; 6] = [
    "description",
    "title",
    "example",
    "examples",
    "deprecated",
    "externalDocs",
];

/// A path parameter whose schema differs from the one the same parameter
/// has where it first appears.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inconsistent {
    /// The pointer to the differing schema.
    pub pointer: String,
    /// The path it is on, as the spec writes it.
    pub path: String,
    /// The parameter's name.
    pub name: String,
    pub message: String,
}

/// Every path parameter of `root` whose schema differs from the one the
/// same parameter has where it first appears (in the document's order).
pub fn inconsistent_path_parameters(root: &Value) -> Vec<Inconsistent> {
    let mut first: BTreeMap<String, (String, Value)> = BTreeMap::new();
    let mut found = Vec::new();
    let paths = root.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        for (pointer, name, schema) in path_parameters(root, path, item) {
            let Some(key) = item_of(path, &name) else {
                continue;
            };
            match first.get(&key) {
                None => {
                    first.insert(key, (path.clone(), schema));
                }
                Some((other, earlier)) if *earlier != schema => found.push(Inconsistent {
                    message: format!("path parameter `{name}` has another schema here than in `{other}` ({} there, {} here): an item addressed by a value one path takes is refused by the other; give both the same schema", brief(earlier), brief(&schema)),
                    pointer,
                    path: path.clone(),
                    name,
                }),
                Some(_) => {}
            }
        }
    }
    found
}

pub(super) fn check(report: &mut Report<'_>) {
    for found in inconsistent_path_parameters(report.root()) {
        report.at(
            &found.pointer,
            Rule::PathParameterInconsistent,
            found.message,
        );
    }
}

/// The path up to and including the segment `{name}`: what the
/// parameter addresses, the same for every path below it.
fn item_of(path: &str, name: &str) -> Option<String> {
    let segment = format!("{{{name}}}");
    let end = path.find(&segment)? + segment.len();
    Some(path[..end].to_owned())
}

/// Each path parameter of the path item's operations and of the item
/// itself: the pointer to its schema, its name, and the schema without
/// annotations (a `$ref` to a component followed once).
fn path_parameters(root: &Value, path: &str, item: &Value) -> Vec<(String, String, Value)> {
    let item_pointer = child("/paths", path);
    let mut lists = vec![(child(&item_pointer, "parameters"), item.get("parameters"))];
    if let Some(members) = item.as_object() {
        for (method, operation) in members {
            if openapi_source::version::METHODS.contains(&method.as_str()) {
                let at = child(&child(&item_pointer, method), "parameters");
                lists.push((at, operation.get("parameters")));
            }
        }
    }
    let mut found = Vec::new();
    for (list_pointer, list) in lists {
        let items = list.and_then(Value::as_array).into_iter().flatten();
        for (index, parameter) in items.enumerate() {
            let parameter = followed(root, parameter);
            if parameter.get("in").and_then(Value::as_str) != Some("path") {
                continue;
            }
            let (Some(name), Some(schema)) = (
                parameter.get("name").and_then(Value::as_str),
                parameter.get("schema"),
            ) else {
                continue;
            };
            let pointer = child(&format!("{list_pointer}/{index}"), "schema");
            found.push((pointer, name.to_owned(), bare(followed(root, schema))));
        }
    }
    found
}

/// `value`, or what its local `$ref` points to.
fn followed<'a>(root: &'a Value, value: &'a Value) -> &'a Value {
    value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|reference| reference.strip_prefix('#'))
        .and_then(|pointer| root.pointer(pointer))
        .unwrap_or(value)
}

/// A schema without its top-level annotations.
fn bare(schema: &Value) -> Value {
    match schema {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .filter(|(key, _)| !ANNOTATIONS.contains(&key.as_str()) && !key.starts_with("x-"))
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A schema in a few words, for the message: its JSON, cut short.
fn brief(schema: &Value) -> String {
    let text = schema.to_string();
    if text.chars().count() <= 80 {
        return format!("`{text}`");
    }
    let cut: String = text.chars().take(77).collect();
    format!("`{cut}...`")
}
