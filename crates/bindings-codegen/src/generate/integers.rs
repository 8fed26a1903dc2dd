//! The lint rules `integer-range-unstated` and `float-range-unstated`.
//!
//! An integer a request carries (a parameter, a body member at any depth)
//! whose range neither `minimum` and `maximum` nor a standard format
//! (`int32`, `int64`) states. The generated types hold it in a Rust
//! integer (`u8` for `format: uint8`, `u64` for `uint`, `i64` without a
//! format), so the server refuses a value outside that type; JSON Schema
//! and the tools that read only it (schemathesis, most validators) take
//! any integer there. Stating `minimum` and `maximum` settles it for
//! every tool.
//!
//! So a `format: float` number without both bounds: the types hold it in
//! an `f32`, and a value past ±3.4e38 is refused (serde_json: "number out
//! of range"), where JSON Schema and schemathesis, which do not read the
//! format, take any number (museum's `price`).

use serde_json::Value;

use super::walk::{operations, resolve};

/// An operation that takes integers (or floats) of unstated range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unstated {
    /// The pointer to the operation.
    pub pointer: String,
    /// The operation's path and method as the spec writes them.
    pub path: String,
    pub method: String,
    pub message: String,
}

/// How deep a request's schemas are followed.
const MAX_DEPTH: usize = 32;

/// Every operation of `raw` that takes an integer of unstated range.
pub fn unstated(raw: &Value) -> Vec<Unstated> {
    operations_taking(raw, integer_unstated, |method, path, shown| {
        format!(
            "{method} {path} takes integers whose range only a non-standard `format` or nothing states: {shown}; the generated server holds each in a Rust integer and refuses values past it, where JSON Schema takes any integer (state `minimum` and `maximum`)"
        )
    })
}

/// Every operation of `raw` that takes a `format: float` number without
/// both bounds.
pub fn unstated_floats(raw: &Value) -> Vec<Unstated> {
    operations_taking(raw, float_unstated, |method, path, shown| {
        format!(
            "{method} {path} takes `format: float` numbers whose range no `minimum` and `maximum` state: {shown}; the generated server holds each in an `f32` and refuses values past ±3.4e38, where JSON Schema, which does not read the format, takes any number (state `minimum` and `maximum`)"
        )
    })
}

/// Every operation of `raw` whose request carries a schema `wanted`
/// picks, with the message `say` makes of its method, path and places.
fn operations_taking(
    raw: &Value,
    wanted: fn(&Value) -> bool,
    say: impl Fn(String, &str, String) -> String,
) -> Vec<Unstated> {
    let mut found = Vec::new();
    for (path, method, item, operation) in operations(raw) {
        let mut places = Vec::new();
        for (name, schema) in inputs(raw, item, operation) {
            let mut walk = Walk {
                raw,
                wanted,
                seen: Vec::new(),
                places: &mut places,
            };
            walk.schema(schema, &name, 0);
        }
        if places.is_empty() {
            continue;
        }
        let shown: Vec<String> = places.iter().take(3).map(|p| format!("`{p}`")).collect();
        let more = places.len().saturating_sub(3);
        let shown = format!(
            "{}{}",
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
        found.push(Unstated {
            pointer: format!("/paths/{}/{method}", openapi_source::escape_token(path)),
            path: path.clone(),
            method: method.to_owned(),
            message: say(method.to_ascii_uppercase(), path, shown),
        });
    }
    found
}

/// The schemas a request carries: each parameter's (named), each body
/// media type's (`body`).
fn inputs<'a>(raw: &'a Value, item: &'a Value, operation: &'a Value) -> Vec<(String, &'a Value)> {
    let mut inputs = Vec::new();
    let parameters = [item.get("parameters"), operation.get("parameters")];
    for parameter in parameters
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
    {
        let parameter = resolve(raw, parameter);
        if let (Some(name), Some(schema)) = (
            parameter.get("name").and_then(Value::as_str),
            parameter.get("schema"),
        ) {
            inputs.push((name.to_owned(), schema));
        }
    }
    let body = operation.get("requestBody").map(|body| resolve(raw, body));
    let contents = body
        .and_then(|b| b.get("content"))
        .and_then(Value::as_object);
    for media in contents.into_iter().flat_map(|c| c.values()) {
        if let Some(schema) = media.get("schema") {
            inputs.push(("body".to_owned(), schema));
        }
    }
    inputs
}

struct Walk<'a, 'p> {
    raw: &'a Value,
    /// Which schemas are named.
    wanted: fn(&Value) -> bool,
    /// The components on the way here (a recursive schema is walked once).
    seen: Vec<&'a str>,
    places: &'p mut Vec<String>,
}

impl<'a> Walk<'a, '_> {
    fn schema(&mut self, schema: &'a Value, place: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            if self.seen.contains(&reference) {
                return;
            }
            if let Some(target) = self.raw.pointer(reference.trim_start_matches('#')) {
                self.seen.push(reference);
                self.schema(target, place, depth + 1);
                self.seen.pop();
            }
            return;
        }
        if (self.wanted)(schema) && !self.places.iter().any(|p| p == place) {
            self.places.push(place.to_owned());
        }
        let members = schema.get("properties").and_then(Value::as_object);
        for (name, member) in members.into_iter().flatten() {
            self.schema(member, &format!("{place}.{name}"), depth + 1);
        }
        if let Some(items) = schema.get("items") {
            self.schema(items, &format!("{place}[]"), depth + 1);
        }
        if let Some(values) = schema.get("additionalProperties").filter(|v| v.is_object()) {
            self.schema(values, &format!("{place}.*"), depth + 1);
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            for branch in schema
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                self.schema(branch, place, depth + 1);
            }
        }
    }
}

fn is_of_type(schema: &Value, name: &str) -> bool {
    match schema.get("type") {
        Some(Value::String(kind)) => kind == name,
        Some(Value::Array(kinds)) => kinds.iter().any(|k| k == name),
        _ => false,
    }
}

/// An integer whose range is not stated.
fn integer_unstated(schema: &Value) -> bool {
    is_of_type(schema, "integer") && !stated(schema)
}

/// A `format: float` number without both bounds (an `enum` lists every
/// value).
fn float_unstated(schema: &Value) -> bool {
    let has = |key: &str| schema.get(key).is_some_and(Value::is_number);
    is_of_type(schema, "number")
        && schema.get("format").and_then(Value::as_str) == Some("float")
        && !((has("minimum") || has("exclusiveMinimum"))
            && (has("maximum") || has("exclusiveMaximum")))
        && schema.get("enum").is_none()
}

/// Whether the schema states its range: both bounds, or a standard
/// format (an `enum` lists every value).
fn stated(schema: &Value) -> bool {
    let has = |key: &str| schema.get(key).is_some_and(Value::is_number);
    let format = schema.get("format").and_then(Value::as_str);
    (has("minimum") || has("exclusiveMinimum")) && (has("maximum") || has("exclusiveMaximum"))
        || matches!(format, Some("int32" | "int64"))
        || schema.get("enum").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn integers_of_unstated_range_are_named_where_a_request_carries_them() {
        let raw = json!({
            "paths": {
                "/events": {"get": {"parameters": [
                    {"name": "minseq", "in": "query", "schema": {"type": "integer", "format": "uint", "minimum": 0}},
                    {"name": "page", "in": "query", "schema": {"type": "integer", "format": "int32"}},
                    {"name": "size", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}}
                ]}},
                "/identities": {"patch": {"requestBody": {"content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Identity"}
                }}}}}
            },
            "components": {"schemas": {"Identity": {"type": "object", "properties": {
                "handle": {"type": "array", "items": {"type": "integer", "format": "uint8"}},
                "parent": {"$ref": "#/components/schemas/Identity"}
            }}}}
        });
        let found = unstated(&raw);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].message.contains("`minseq`"),
            "{}",
            found[0].message
        );
        assert!(!found[0].message.contains("page"), "{}", found[0].message);
        assert!(
            found[1].message.contains("`body.handle[]`"),
            "{}",
            found[1].message
        );
        assert_eq!(found[1].pointer, "/paths/~1identities/patch");
    }

    #[test]
    fn floats_without_bounds_are_named_where_a_request_carries_them() {
        // museum's `price`.
        let raw = json!({"paths": {"/events": {"post": {"requestBody": {"content": {
            "application/json": {"schema": {"type": "object", "properties": {
                "price": {"type": "number", "format": "float"},
                "rate": {"type": "number", "format": "float", "minimum": 0, "maximum": 1},
                "total": {"type": "number", "format": "double"},
                "count": {"type": "integer"}
            }}}
        }}}}}});
        let found = unstated_floats(&raw);
        assert_eq!(found.len(), 1, "{found:?}");
        let message = &found[0].message;
        assert!(message.contains("`body.price`"), "{message}");
        assert!(
            !message.contains("`body.rate`") && !message.contains("`body.count`"),
            "{message}"
        );
        assert!(unstated(&raw)[0].message.contains("`body.count`"));
    }
}
