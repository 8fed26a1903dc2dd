//! The JSON Schema a generated server checks an operation's query against
//! (`bindings_server::BodySchema::check_query`): an object of the query
//! parameters written one pair per value (`form` style, the default), each
//! member the parameter's own schema, the required ones required.
//!
//! What a parameter's Rust type reads is less than its schema says: a
//! union's `minimum` or `format`, an enum of a list's items. The server
//! reads the query's pairs by these members' schemas, as it reads a form
//! body, and checks the object like a body before any parameter is parsed.
//!
//! Left out, and read by their types alone: parameters in another style or
//! not exploded lists (their pairs are not one value each), objects (their
//! members are pairs of their own), `content` parameters, and those that
//! `allowEmptyValue` (an empty value their schema may refuse).
//!
//! Path parameters are checked so too ([`path_schema`]), after their Rust
//! types have read them.

use serde_json::{Map, Value, json};

/// How many `$ref`s are followed to tell what a parameter's schema is.
const REF_DEPTH: usize = 8;

/// The object schema of the query parameters of the normalised `operation`
/// (path item parameters moved into it) that a server checks as pairs, or
/// `None` when it has none.
pub(super) fn query_schema(raw: &Value, operation: &Value) -> Option<Value> {
    let parameters = operation.get("parameters").and_then(Value::as_array)?;
    let mut properties = Map::new();
    let mut required = Vec::new();
    for parameter in parameters {
        let parameter = resolve(raw, parameter, 0)?;
        let Some((name, schema)) = checked(raw, parameter) else {
            continue;
        };
        if parameter.get("required") == Some(&Value::Bool(true)) {
            required.push(Value::String(name.to_owned()));
        }
        properties.insert(name.to_owned(), schema.clone());
    }
    if properties.is_empty() {
        return None;
    }
    let mut schema = json!({"type": "object", "properties": properties});
    if !required.is_empty() {
        schema["required"] = Value::Array(required);
    }
    Some(schema)
}

/// The object schema of the path parameters of the normalised `operation`
/// named in `plain` (those the route captures as whole segments) that are
/// scalars in `simple` style, each required; `None` when it has none. The
/// server checks them by it once their Rust types have read them: a
/// `format` (linode's `ipv6` ranges) or a union's constraints, which no
/// Rust type holds.
pub(super) fn path_schema(
    raw: &Value,
    operation: &Value,
    plain: impl Fn(&str) -> bool,
) -> Option<Value> {
    let parameters = operation.get("parameters").and_then(Value::as_array)?;
    let mut properties = Map::new();
    for parameter in parameters {
        let parameter = resolve(raw, parameter, 0)?;
        let text = |key: &str| parameter.get(key).and_then(Value::as_str);
        let (Some("path"), Some(name), Some(schema)) =
            (text("in"), text("name"), parameter.get("schema"))
        else {
            continue;
        };
        let simple = matches!(text("style"), None | Some("simple"));
        let scalar = !objectish(raw, schema, 0) && !has_type(raw, schema, "array");
        if simple && scalar && plain(name) {
            properties.insert(name.to_owned(), schema.clone());
        }
    }
    if properties.is_empty() {
        return None;
    }
    let mut required: Vec<String> = properties.keys().cloned().collect();
    required.sort();
    Some(json!({"type": "object", "properties": properties, "required": required}))
}

/// The name and schema of `parameter` when it is a query parameter read as
/// pairs (see the module's documentation).
fn checked<'a>(raw: &'a Value, parameter: &'a Value) -> Option<(&'a str, &'a Value)> {
    let text = |key: &str| parameter.get(key).and_then(Value::as_str);
    if text("in") != Some("query") || !matches!(text("style"), None | Some("form")) {
        return None;
    }
    if parameter.get("allowEmptyValue") == Some(&Value::Bool(true)) {
        return None;
    }
    let schema = parameter.get("schema")?;
    let exploded = parameter.get("explode") != Some(&Value::Bool(false));
    if objectish(raw, schema, 0) || (!exploded && has_type(raw, schema, "array")) {
        return None;
    }
    Some((text("name")?, schema))
}

/// `node`, or what its local `$ref` points to (followed `depth` times
/// already); `None` for a reference that resolves to nothing.
fn resolve<'a>(raw: &'a Value, node: &'a Value, depth: usize) -> Option<&'a Value> {
    match node.get("$ref").and_then(Value::as_str) {
        Some(_) if depth >= REF_DEPTH => None,
        Some(reference) => {
            let target = raw.pointer(reference.strip_prefix('#')?)?;
            resolve(raw, target, depth + 1)
        }
        None => Some(node),
    }
}

/// Whether `schema` names `wanted` among its types.
fn has_type(raw: &Value, schema: &Value, wanted: &str) -> bool {
    let Some(schema) = resolve(raw, schema, 0) else {
        return false;
    };
    match schema.get("type") {
        Some(Value::String(name)) => name == wanted,
        Some(Value::Array(names)) => names.iter().any(|name| name == wanted),
        _ => false,
    }
}

/// Whether `schema` may be an object, or a list of them: its members, not
/// its name, would be the query's keys. A schema that cannot be resolved
/// counts as one, and is not checked.
fn objectish(raw: &Value, schema: &Value, depth: usize) -> bool {
    let Some(schema) = resolve(raw, schema, 0) else {
        return true;
    };
    if depth > REF_DEPTH
        || has_type(raw, schema, "object")
        || ["properties", "additionalProperties", "patternProperties"]
            .iter()
            .any(|key| schema.get(key).is_some())
    {
        return true;
    }
    let parts = ["oneOf", "anyOf", "allOf"]
        .iter()
        .filter_map(|key| schema.get(key).and_then(Value::as_array))
        .flatten();
    let items = schema.get("items").into_iter();
    parts
        .chain(items)
        .any(|part| objectish(raw, part, depth + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Value {
        json!({"components": {
            "parameters": {"Limit": {"name": "limit", "in": "query", "required": true,
                "schema": {"type": "integer", "minimum": 1}}},
            "schemas": {
                "Filter": {"type": "object", "properties": {"a": {"type": "string"}}},
                "Consistency": {"oneOf": [{"type": "integer", "minimum": 1}, {"type": "string", "enum": ["all"]}]}
            }
        }})
    }

    #[test]
    fn scalar_path_parameters_read_whole_are_members_each_required() {
        let operation = json!({"parameters": [
            {"name": "range", "in": "path", "required": true,
                "schema": {"type": "string", "format": "ipv6"}},
            {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}},
            {"name": "ids", "in": "path", "required": true,
                "schema": {"type": "array", "items": {"type": "integer"}}},
            {"name": "part", "in": "path", "required": true, "schema": {"type": "string"}},
            {"name": "limit", "in": "query", "schema": {"type": "integer"}}
        ]});
        let plain = |name: &str| ["range", "id", "ids"].contains(&name);
        let schema = path_schema(&spec(), &operation, plain).expect("a schema");
        assert_eq!(
            schema,
            json!({"type": "object", "required": ["id", "range"], "properties": {
                "range": {"type": "string", "format": "ipv6"},
                "id": {"type": "integer"}}})
        );
        assert_eq!(path_schema(&spec(), &operation, |_| false), None);
    }

    #[test]
    fn form_parameters_are_members_and_required_ones_required() {
        let operation = json!({"parameters": [
            {"$ref": "#/components/parameters/Limit"},
            {"name": "consistency", "in": "query", "schema": {"$ref": "#/components/schemas/Consistency"}},
            {"name": "ids", "in": "query", "schema": {"type": "array", "items": {"type": "string", "enum": ["a"]}}},
            {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}
        ]});
        let schema = query_schema(&spec(), &operation).expect("a schema");
        let properties = schema["properties"].as_object().expect("properties");
        assert_eq!(
            properties.keys().collect::<Vec<_>>(),
            ["limit", "consistency", "ids"]
        );
        assert_eq!(schema["required"], json!(["limit"]));
        assert_eq!(
            properties["consistency"],
            json!({"$ref": "#/components/schemas/Consistency"})
        );
    }

    #[test]
    fn objects_other_styles_flat_lists_and_empty_values_are_left_out() {
        let operation = json!({"parameters": [
            {"name": "filter", "in": "query", "schema": {"$ref": "#/components/schemas/Filter"}},
            {"name": "deep", "in": "query", "style": "deepObject", "schema": {"type": "string"}},
            {"name": "piped", "in": "query", "style": "pipeDelimited", "schema": {"type": "array"}},
            {"name": "flat", "in": "query", "explode": false, "schema": {"type": "array"}},
            {"name": "empty", "in": "query", "allowEmptyValue": true, "schema": {"type": "string"}},
            {"name": "either", "in": "query", "schema": {"anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/Filter"}]}},
            {"name": "typed", "in": "query", "content": {"application/json": {"schema": {}}}}
        ]});
        assert_eq!(query_schema(&spec(), &operation), None);
    }

    #[test]
    fn a_scalar_not_exploded_is_still_one_value() {
        let operation = json!({"parameters": [
            {"name": "q", "in": "query", "explode": false, "schema": {"type": "string", "format": "uuid"}}
        ]});
        let schema = query_schema(&spec(), &operation).expect("a schema");
        assert_eq!(schema["properties"]["q"]["format"], "uuid");
    }

    #[test]
    fn a_reference_to_nothing_makes_no_schema() {
        let operation = json!({"parameters": [{"$ref": "#/components/parameters/Gone"}]});
        assert_eq!(query_schema(&spec(), &operation), None);
    }
}
