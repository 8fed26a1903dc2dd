//! Two lint rules on `nullable: true` that OpenAPI 3.0 readers take two
//! ways. The generated types and server take `null` in both, as the
//! author means; JSON Schema (OpenAPI 3.0.3's clarification, OpenAPI 3.1,
//! schemathesis) does not, so a client or test tool of that reading sends
//! or expects otherwise.
//!
//! - `nullable-enum-without-null`: a nullable schema whose `enum` does not
//!   list `null` (linode's `tag` and `longview_subscription`, Adyen's
//!   `formFactor`). 3.0.3's text adds `null` to the values it takes; its
//!   clarification says the `enum` refuses it.
//! - `nullable-all-of-part`: `nullable: true` in one `allOf` part beside a
//!   part that refuses `null` (asana's `current_status_update`:
//!   `allOf: [$ref StatusUpdateCompact, {type: object, nullable: true}]`).
//!   `allOf` takes a value only where every part does, so `null` is
//!   refused; the author means a nullable reference, which is
//!   `nullable: true` beside the `allOf`.

use serde_json::{Map, Value};

use super::walk::{objects, resolve};

/// How many `$ref`s and nested `allOf`s [`refuses_null`] follows.
const MAX_DEPTH: usize = 32;

/// A nullable schema, or `allOf` part, that JSON Schema reads as refusing
/// `null`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nullable {
    /// The pointer to the schema's `nullable`.
    pub pointer: String,
    /// The member the schema is of (`tag` of `.../properties/tag`), where
    /// it is a member's.
    pub member: Option<String>,
    pub message: String,
}

/// Every nullable schema of `raw` whose `enum` does not list `null`.
pub fn nullable_enums(raw: &Value) -> Vec<Nullable> {
    let mut found = Vec::new();
    objects(raw, &mut |pointer, schema| {
        let nullable = schema.get("nullable") == Some(&Value::Bool(true));
        let Some(values) = schema.get("enum").and_then(Value::as_array) else {
            return;
        };
        if !nullable || values.contains(&Value::Null) {
            return;
        }
        found.push(Nullable {
            pointer: format!("{pointer}/nullable"),
            member: member_of(pointer),
            message: "`nullable: true` beside an `enum` without `null`: OpenAPI 3.0.3's text adds `null` to the values this schema takes, its clarification (and OpenAPI 3.1, and schemathesis) does not; the generated code takes `null`, and a client of the other reading may not. List `null` in the `enum`, or drop `nullable`".to_owned(),
        });
    });
    found
}

/// Every `allOf` part of `raw` that says `nullable: true` beside a part
/// that refuses `null`, in a schema that does not itself say `nullable`.
pub fn nullable_all_of_parts(raw: &Value) -> Vec<Nullable> {
    let mut found = Vec::new();
    objects(raw, &mut |pointer, schema| {
        let Some(parts) = schema.get("allOf").and_then(Value::as_array) else {
            return;
        };
        if is_nullable(schema) {
            return;
        }
        let Some(refusing) = parts.iter().position(|p| refuses_null(raw, p, 0)) else {
            return;
        };
        let refusing = match parts[refusing].get("$ref").and_then(Value::as_str) {
            Some(reference) => format!("part {refusing} (`{reference}`)"),
            None => format!("part {refusing}"),
        };
        for (index, part) in parts.iter().enumerate() {
            let nullable = part.as_object().is_some_and(is_nullable);
            if !nullable || part.get("$ref").is_some() {
                continue;
            }
            found.push(Nullable {
                pointer: format!("{pointer}/allOf/{index}/nullable"),
                member: member_of(pointer),
                message: format!("`nullable: true` in one `allOf` part: `allOf` takes `null` only where every part does, and {refusing} does not, so JSON Schema (and schemathesis) refuses `null` here; the generated code takes it, as a nullable reference. Say `nullable: true` beside the `allOf` instead"),
            });
        }
    });
    found
}

/// Whether `schema` says `nullable: true`.
fn is_nullable(schema: &Map<String, Value>) -> bool {
    schema.get("nullable") == Some(&Value::Bool(true))
}

/// Whether JSON Schema refuses `null` under `schema` for certain: a
/// `type` without `null`, an `enum` without `null`, or an `allOf` part
/// that refuses it (through `$ref`s).
fn refuses_null(raw: &Value, schema: &Value, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let schema = resolve(raw, schema);
    let Some(object) = schema.as_object() else {
        return schema == &Value::Bool(false);
    };
    if object.contains_key("$ref") || is_nullable(object) {
        // Not a local reference (unknown), or nullable itself (schemathesis
        // and the generator take `null` for it, with or without `type`).
        return false;
    }
    let typed = match object.get("type") {
        Some(Value::String(name)) => name != "null",
        Some(Value::Array(names)) => !names.iter().any(|n| n == "null"),
        _ => false,
    };
    let listed = object
        .get("enum")
        .and_then(Value::as_array)
        .is_some_and(|values| !values.contains(&Value::Null));
    let parts = object.get("allOf").and_then(Value::as_array);
    typed
        || listed
        || parts
            .into_iter()
            .flatten()
            .any(|part| refuses_null(raw, part, depth + 1))
}

/// The member a schema at `pointer` is of (`tag` of `.../properties/tag`),
/// where it is a member's.
fn member_of(pointer: &str) -> Option<String> {
    pointer
        .rsplit_once("/properties/")
        .map(|(_, name)| openapi_source::unescape_token(name))
        .filter(|name| !name.contains('/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_nullable_enum_without_null() {
        let spec = json!({"components": {"schemas": {"Record": {"type": "object", "properties": {
            "tag": {"type": "string", "nullable": true, "enum": ["issue", "iodef"]},
            "kind": {"type": "string", "nullable": true, "enum": ["a", null]},
            "mode": {"type": "string", "enum": ["x"]},
            "note": {"type": "string", "nullable": true, "example": {"enum": ["kept"], "nullable": true}}
        }}}}});
        let found = nullable_enums(&spec);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].pointer,
            "/components/schemas/Record/properties/tag/nullable"
        );
        assert_eq!(found[0].member.as_deref(), Some("tag"));
    }

    #[test]
    fn a_nullable_all_of_part_beside_a_reference_that_refuses_null() {
        // asana's `current_status_update`.
        let spec = json!({"components": {"schemas": {
            "Compact": {"type": "object", "properties": {"gid": {"type": "string"}}},
            "Project": {"type": "object", "properties": {
                "current_status_update": {"allOf": [
                    {"$ref": "#/components/schemas/Compact"},
                    {"type": "object", "nullable": true, "description": "latest"}
                ]}
            }}
        }}});
        let found = nullable_all_of_parts(&spec);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].pointer,
            "/components/schemas/Project/properties/current_status_update/allOf/1/nullable"
        );
        assert_eq!(found[0].member.as_deref(), Some("current_status_update"));
    }

    #[test]
    fn nullable_parts_that_every_other_part_lets_through_are_not_named() {
        let spec = json!({"components": {"schemas": {
            "Open": {"description": "no type"},
            "Uuid": {"type": "string", "format": "uuid"},
            "Nullable": {"type": "string", "nullable": true},
            "Project": {"type": "object", "properties": {
                // box: the other parts only describe.
                "link": {"allOf": [
                    {"type": "object", "nullable": true},
                    {"description": "a link"}
                ]},
                // omicron: one part, nullable itself.
                "root": {"allOf": [{"nullable": true, "allOf": [
                    {"$ref": "#/components/schemas/Uuid"}]}]},
                "open": {"allOf": [
                    {"$ref": "#/components/schemas/Open"},
                    {"type": "object", "nullable": true}
                ]},
                "both": {"allOf": [
                    {"$ref": "#/components/schemas/Nullable"},
                    {"nullable": true}
                ]},
                // nullable beside the `allOf`: the way to write it.
                "outer": {"nullable": true, "allOf": [
                    {"type": "object"}, {"type": "object", "nullable": true}
                ]}
            }}
        }}});
        let found = nullable_all_of_parts(&spec);
        assert!(found.is_empty(), "{found:?}");
    }
}
