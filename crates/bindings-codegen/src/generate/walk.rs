//! One walk over the objects of an OpenAPI document, with their JSON
//! Pointers, for the passes that look for a keyword wherever a schema,
//! a reference or a response can stand.

use serde_json::{Map, Value};

/// Members that hold values (payloads), not OpenAPI objects.
const VALUE_MEMBERS: [&str; 3] = ["example", "examples", "enum"];

/// How deep the walk goes (the reader bounds documents the same way).
const MAX_DEPTH: usize = 128;

/// Calls `visit` with the pointer of every object of `value`: values
/// (`example`, `examples`, `enum`, a schema's `default`) and extensions
/// are not descended into; an operation's `responses/default` is a
/// response, and is.
pub fn objects(value: &Value, visit: &mut impl FnMut(&str, &Map<String, Value>)) {
    walk(value, &mut String::new(), 0, visit);
}

fn walk(
    value: &Value,
    pointer: &mut String,
    depth: usize,
    visit: &mut impl FnMut(&str, &Map<String, Value>),
) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::Object(object) => {
            visit(pointer, object);
            let responses = is_responses(pointer);
            for (key, child) in object {
                let value_member = VALUE_MEMBERS.contains(&key.as_str())
                    || (key == "default" && !responses)
                    || key.starts_with("x-");
                if !value_member {
                    descend(child, pointer, key, depth, visit);
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                descend(item, pointer, &index.to_string(), depth, visit);
            }
        }
        _ => {}
    }
}

fn descend(
    child: &Value,
    pointer: &mut String,
    key: &str,
    depth: usize,
    visit: &mut impl FnMut(&str, &Map<String, Value>),
) {
    let length = pointer.len();
    pointer.push('/');
    pointer.push_str(&openapi_source::escape_token(key));
    walk(child, pointer, depth + 1, visit);
    pointer.truncate(length);
}

/// Whether `pointer` is an operation's Responses object, whose `default`
/// member is a response rather than a value.
pub fn is_responses(pointer: &str) -> bool {
    const METHODS: [&str; 9] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
    ];
    pointer
        .strip_suffix("/responses")
        .and_then(|operation| operation.rsplit_once('/'))
        .is_some_and(|(_, method)| METHODS.contains(&method))
}

/// `components/<kind>` of `spec`, made when missing.
pub fn components_section<'s>(
    spec: &'s mut Value,
    kind: &str,
) -> Option<&'s mut Map<String, Value>> {
    spec.as_object_mut()?
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()?
        .entry(kind)
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
}

/// `node`, or what its local `$ref` points to (one step).
pub fn resolve<'a>(raw: &'a Value, node: &'a Value) -> &'a Value {
    node.get("$ref")
        .and_then(Value::as_str)
        .and_then(|reference| reference.strip_prefix('#'))
        .and_then(|pointer| raw.pointer(pointer))
        .unwrap_or(node)
}

/// The JSON Pointer to the `responses` of the operation `method` of `path`
/// (a path as written, escaped here).
pub fn responses_pointer(path: &str, method: &str) -> String {
    format!(
        "/paths/{}/{method}/responses",
        openapi_source::escape_token(path)
    )
}

/// Every operation of the raw document `raw`: its path as written, its
/// method, the path item and the operation.
pub fn operations(raw: &Value) -> impl Iterator<Item = (&String, &'static str, &Value, &Value)> {
    let paths = raw.get("paths").and_then(Value::as_object);
    paths.into_iter().flatten().flat_map(|(path, item)| {
        openapi_source::version::METHODS
            .iter()
            .filter_map(move |method| Some((path, *method, item, item.get(*method)?)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pointers(value: &Value) -> Vec<String> {
        let mut found = Vec::new();
        objects(value, &mut |pointer, _| found.push(pointer.to_owned()));
        found
    }

    #[test]
    fn values_and_extensions_are_not_walked_but_a_default_response_is() {
        let spec = json!({"paths": {"/a": {"get": {"responses": {
            "default": {"description": "d"},
            "200": {"description": "ok", "content": {"application/json": {
                "schema": {"type": "object", "default": {"inner": {}}},
                "example": {"looks": {"like": "a schema"}}
            }}}
        }}}}, "x-vendor": {"deep": {}}});
        let found = pointers(&spec);
        assert!(
            found.contains(&"/paths/~1a/get/responses/default".to_owned()),
            "{found:?}"
        );
        assert!(
            found.contains(
                &"/paths/~1a/get/responses/200/content/application~1json/schema".to_owned()
            )
        );
        assert!(
            !found
                .iter()
                .any(|p| p.contains("/example") || p.contains("/x-vendor"))
        );
        assert!(
            !found.iter().any(|p| p.ends_with("/schema/default")),
            "{found:?}"
        );
    }

    #[test]
    fn a_member_named_responses_is_not_an_operations_responses() {
        assert!(is_responses("/paths/~1a/get/responses"));
        assert!(!is_responses("/components/schemas/A/properties/responses"));
    }
}
