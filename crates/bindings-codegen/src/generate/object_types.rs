//! Schemas that describe an object without saying `type: object`
//! (`properties` and no `type`: influxdb's `PostBucketRequest`, about 630
//! schemas in 57 of the corpus' 243 specs). JSON Schema takes any value
//! that is not an object there too, so typify reads such a schema as
//! `serde_json::Value`: the body's members went unread and unchecked
//! (schemathesis: a member past `int64` accepted). The model gives them
//! `type: object` ([`imply`]), as OpenAPI's tools read them; the lint rule
//! `object-type-implied` ([`implied`]) says where, since a server then
//! refuses a value that is not an object where JSON Schema took it.

use serde_json::Value;

/// Keywords of an object schema.
const OBJECT_KEYWORDS: [&str; 2] = ["properties", "additionalProperties"];

/// Keywords that say a schema is something else, or more than an object:
/// a type, a reference, a composition, another type's constraints, values.
const OTHER_KEYWORDS: &[&str] = &[
    "type",
    "$ref",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "enum",
    "const",
];

/// A schema read as an object, though it does not say `type: object`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImpliedObject {
    /// The pointer to the schema.
    pub pointer: String,
    pub message: String,
}

/// Every schema of `raw` with object keywords (`properties`,
/// `additionalProperties`) and nothing that says it is anything else.
pub fn implied(raw: &Value) -> Vec<ImpliedObject> {
    pointers(raw)
        .into_iter()
        .map(|pointer| ImpliedObject {
            pointer,
            message: "`properties` without `type`: JSON Schema takes any value that is not an object here too; the generated code reads an object (`type: object`), and its server refuses other values. Say `type: object`".to_owned(),
        })
        .collect()
}

/// Gives `type: object` to each schema [`implied`] names.
pub fn imply(raw: &mut Value) {
    for pointer in pointers(raw) {
        if let Some(Value::Object(schema)) = raw.pointer_mut(&pointer) {
            schema.insert("type".into(), Value::String("object".into()));
        }
    }
}

fn pointers(raw: &Value) -> Vec<String> {
    openapi_lint::SchemaSites::collect(raw)
        .schemas
        .into_iter()
        .filter(|(_, schema)| {
            OBJECT_KEYWORDS.iter().any(|key| schema.contains_key(*key))
                && !OTHER_KEYWORDS.iter().any(|key| schema.contains_key(*key))
        })
        .map(|(pointer, _)| pointer)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Value {
        json!({"components": {"schemas": {
            "Bucket": {"required": ["name"], "properties": {
                "name": {"type": "string"},
                "rules": {"items": {"properties": {"seconds": {"type": "integer"}}}},
                "properties": {"properties": {"a": {"type": "string"}}},
                "typed": {"type": "object", "properties": {}},
                "mixed": {"properties": {}, "items": {}},
                "map": {"additionalProperties": {"type": "string"}},
            }},
        }}, "paths": {"/b": {"post": {"requestBody": {"content": {"application/json": {
            "schema": {"properties": {"x": {"type": "string"}}},
            "example": {"properties": {"not": "a schema"}},
        }}}}}}})
    }

    #[test]
    fn schemas_with_only_object_keywords_are_named() {
        let found: Vec<String> = implied(&spec()).into_iter().map(|i| i.pointer).collect();
        assert_eq!(
            found,
            [
                "/components/schemas/Bucket",
                "/components/schemas/Bucket/properties/rules/items",
                "/components/schemas/Bucket/properties/properties",
                "/components/schemas/Bucket/properties/map",
                "/paths/~1b/post/requestBody/content/application~1json/schema",
            ]
        );
    }

    #[test]
    fn they_become_objects_and_nothing_else_changes() {
        let mut spec = spec();
        imply(&mut spec);
        let bucket = &spec["components"]["schemas"]["Bucket"];
        assert_eq!(bucket["type"], "object");
        // The map of members is not a schema: no member `type` in it.
        assert!(bucket["properties"].get("type").is_none());
        assert_eq!(bucket["properties"]["properties"]["type"], "object");
        assert!(bucket["properties"]["mixed"].get("type").is_none());
        let example =
            &spec["paths"]["/b"]["post"]["requestBody"]["content"]["application/json"]["example"];
        assert!(example.get("type").is_none());
    }
}
