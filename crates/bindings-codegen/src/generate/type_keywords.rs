//! Keywords that constrain a type the schema does not have: `type: string`
//! with `uniqueItems: true` (PagerDuty's `include[]` parameters, about 30),
//! `type: string` with `minimum`, `type: array` with `properties`. JSON
//! Schema applies each of these only to values of its own type, so beside
//! another `type` they constrain nothing. Tools do not read them so:
//! `openapiv3` takes such a schema for no type at all, and typify then
//! makes it `serde_json::Value`, so the generated server read a string
//! parameter as any JSON value and checked nothing. The model drops them
//! ([`drop_misplaced`]); the lint rule `keyword-of-another-type`
//! ([`misplaced`]) names each, since the spec's author likely meant
//! something by it.

use serde_json::{Map, Value};

/// Each family of JSON Schema types and the keywords that apply only to it.
const FAMILIES: [(&[&str], &[&str]); 4] = openapi_source::spec::TYPE_KEYWORDS;

/// A schema with keywords of a type it does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misplaced {
    /// The pointer to the schema.
    pub pointer: String,
    pub message: String,
}

/// Every schema of `raw` whose `type` names no type some of its keywords
/// apply to.
pub fn misplaced(raw: &Value) -> Vec<Misplaced> {
    openapi_lint::SchemaSites::collect(raw)
        .schemas
        .into_iter()
        .filter_map(|(pointer, schema)| {
            let (types, keywords) = foreign_keywords(schema)?;
            let them = if keywords.len() == 1 { "it" } else { "them" };
            let message = format!(
                "{} constrain{} only values of other types than `{}`: JSON Schema ignores {them} here, and the generated code drops {them}. Remove {them}, or give the schema the type meant",
                quoted(&keywords),
                if keywords.len() == 1 { "s" } else { "" },
                types.join("`, `"),
            );
            Some(Misplaced { pointer, message })
        })
        .collect()
}

/// Every string schema of `raw` with an integer `format` (`int64`) and no
/// `pattern`: the lint rule `integer-format-on-string`. OpenAPI defines
/// those formats for integers; on a string, JSON Schema validators (and
/// clients that generate from them) take any text, while the generated
/// code reads a decimal integer (an integer string) and refuses the rest.
pub fn integer_formats_on_strings(raw: &Value) -> Vec<Misplaced> {
    openapi_lint::SchemaSites::collect(raw)
        .schemas
        .into_iter()
        .filter(|(_, schema)| integer_string_unpatterned(schema))
        .map(|(pointer, schema)| {
            let format = schema.get("format").and_then(Value::as_str).unwrap_or_default();
            let message = format!(
                "a string with the integer format `{format}` and no `pattern`: OpenAPI defines `{format}` for integers, so JSON Schema validators take any text here, while the generated code reads a decimal integer and refuses other text; give the string a `pattern` (`^-?[0-9]+$`), or say `type: integer`"
            );
            Misplaced { pointer, message }
        })
        .collect()
}

/// Whether `schema` is a string with an integer `format` and no `pattern`.
pub fn integer_string_unpatterned(schema: &Map<String, Value>) -> bool {
    let format = schema.get("format").and_then(Value::as_str);
    schema.get("type").and_then(Value::as_str) == Some("string")
        && schema.get("pattern").is_none()
        && schema.get("enum").is_none()
        && format
            .is_some_and(|format| openapi_source::spec::INTEGER_STRING_FORMATS.contains(&format))
}

/// Drops from each schema [`misplaced`] names the keywords of the types it
/// does not have.
pub fn drop_misplaced(raw: &mut Value) {
    let found: Vec<(String, Vec<String>)> = openapi_lint::SchemaSites::collect(raw)
        .schemas
        .into_iter()
        .filter_map(|(pointer, schema)| Some((pointer, foreign_keywords(schema)?.1)))
        .collect();
    for (pointer, keywords) in found {
        if let Some(Value::Object(schema)) = raw.pointer_mut(&pointer) {
            for keyword in keywords {
                schema.remove(&keyword);
            }
        }
    }
}

/// Drops from each `enum` the values not of the schema's `type` (`true`
/// in a string's list, Home IoT's zone `{x: reuven}`), where some value is
/// of it. JSON Schema takes a value only if it is of the type and listed,
/// so such a value is never valid, and a Rust enum of the others reads
/// exactly what the schema takes; before, the mixed list made the
/// parameter any JSON value, and the server read `basement` as JSON text.
/// Lint names each such value (`constraint-contradiction`). A list none of
/// whose values is of the type is left as written: no value fits it.
pub fn drop_enum_values_of_other_types(raw: &mut Value) {
    let found: Vec<(String, Vec<Value>)> = openapi_lint::SchemaSites::collect(raw)
        .schemas
        .into_iter()
        .filter_map(|(pointer, schema)| Some((pointer, enum_values_of_its_type(schema)?)))
        .collect();
    for (pointer, values) in found {
        if let Some(Value::Object(schema)) = raw.pointer_mut(&pointer) {
            schema.insert("enum".into(), Value::Array(values));
        }
    }
}

/// The values of the schema's `enum` of its one `type`, where some are
/// and some are not.
fn enum_values_of_its_type(schema: &Map<String, Value>) -> Option<Vec<Value>> {
    let kind = schema.get("type")?.as_str()?;
    let values = schema.get("enum")?.as_array()?;
    let nullable = schema.get("nullable") == Some(&Value::Bool(true));
    let kept: Vec<Value> = values
        .iter()
        .filter(|value| of_type(kind, value, nullable))
        .cloned()
        .collect();
    (!kept.is_empty() && kept.len() < values.len()).then_some(kept)
}

/// Whether `value` is of the OpenAPI 3.0 type `kind` (`null` only where
/// the schema is `nullable`).
fn of_type(kind: &str, value: &Value, nullable: bool) -> bool {
    match value {
        Value::Null => nullable,
        Value::Bool(_) => kind == "boolean",
        Value::Number(number) => {
            let whole = number.is_i64()
                || number.is_u64()
                || number.as_f64().is_some_and(|float| float.fract() == 0.0);
            kind == "number" || (kind == "integer" && whole)
        }
        Value::String(_) => kind == "string",
        Value::Array(_) => kind == "array",
        Value::Object(_) => kind == "object",
    }
}

/// The schema's types, and its keywords that apply to none of them; `None`
/// when it says no type (keywords then say what it may be) or has no such
/// keyword.
fn foreign_keywords(schema: &Map<String, Value>) -> Option<(Vec<&str>, Vec<String>)> {
    let types: Vec<&str> = match schema.get("type")? {
        Value::String(one) => vec![one.as_str()],
        Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
        _ => return None,
    };
    if types.is_empty() {
        return None;
    }
    // An integer written as a string (`type: string, format: int64`) keeps
    // its bounds: the generated code reads them (`normalize.rs`).
    let integer_string = types.contains(&"string")
        && schema
            .get("format")
            .and_then(Value::as_str)
            .is_some_and(|f| openapi_source::spec::INTEGER_STRING_FORMATS.contains(&f));
    let applies = |kind: &&str| types.contains(kind) || (integer_string && *kind == "integer");
    let foreign: Vec<String> = FAMILIES
        .iter()
        .filter(|(family, _)| !family.iter().any(applies))
        .flat_map(|(_, keywords)| keywords.iter())
        .filter(|keyword| schema.contains_key(**keyword))
        .map(|keyword| (*keyword).to_owned())
        .collect();
    (!foreign.is_empty()).then_some((types, foreign))
}

fn quoted(keywords: &[String]) -> String {
    let quoted: Vec<String> = keywords.iter().map(|k| format!("`{k}`")).collect();
    quoted.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Value {
        json!({"components": {"schemas": {
            "Holder": {"type": "object", "required": ["include"], "properties": {
                "include": {"type": "string", "uniqueItems": true, "minLength": 1},
                "count": {"type": "integer", "maxLength": 4, "minimum": 0},
                "offset": {"type": "string", "format": "int64", "minimum": 0},
                "tags": {"type": "array", "items": {"type": "string"}, "properties": {}},
                "either": {"type": ["string", "integer"], "pattern": "^a", "maximum": 3},
                "untyped": {"minimum": 1, "items": {}},
                "type": {"type": "string"},
            }},
        }}, "paths": {"/t": {"get": {"parameters": [{
            "name": "include", "in": "query", "required": true,
            "schema": {"type": "string", "items": {"type": "string"}},
            "example": {"type": "string", "items": 1},
        }], "responses": {}}}}})
    }

    #[test]
    fn keywords_of_other_types_are_named() {
        let found: Vec<(String, String)> = misplaced(&spec())
            .into_iter()
            .map(|m| {
                let first = m
                    .message
                    .split(" constrain")
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                (m.pointer, first)
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    "/components/schemas/Holder/properties/include".to_owned(),
                    "`uniqueItems`".to_owned()
                ),
                (
                    "/components/schemas/Holder/properties/count".to_owned(),
                    "`maxLength`".to_owned()
                ),
                (
                    "/components/schemas/Holder/properties/tags".to_owned(),
                    "`properties`".to_owned()
                ),
                (
                    "/paths/~1t/get/parameters/0/schema".to_owned(),
                    "`items`".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn they_are_dropped_and_nothing_else_changes() {
        let mut spec = spec();
        drop_misplaced(&mut spec);
        let members = &spec["components"]["schemas"]["Holder"]["properties"];
        assert_eq!(
            members["include"],
            json!({"type": "string", "minLength": 1})
        );
        assert_eq!(members["count"], json!({"type": "integer", "minimum": 0}));
        assert_eq!(
            members["tags"],
            json!({"type": "array", "items": {"type": "string"}})
        );
        assert_eq!(
            members["either"],
            json!({"type": ["string", "integer"], "pattern": "^a", "maximum": 3})
        );
        assert_eq!(members["untyped"], json!({"minimum": 1, "items": {}}));
        assert_eq!(
            members["offset"],
            json!({"type": "string", "format": "int64", "minimum": 0})
        );
        let parameter = &spec["paths"]["/t"]["get"]["parameters"][0];
        assert_eq!(parameter["schema"], json!({"type": "string"}));
        assert_eq!(parameter["required"], true);
        assert_eq!(parameter["example"], json!({"type": "string", "items": 1}));
        assert_eq!(
            spec["components"]["schemas"]["Holder"]["required"],
            json!(["include"])
        );
    }

    #[test]
    fn enum_values_of_another_type_are_dropped_where_some_are_of_it() {
        let mut spec = json!({"components": {"schemas": {"Zone": {"type": "object", "properties": {
            "id": {"type": "string", "enum": ["basement", {"x": "reuven"}, "second-floor"]},
            "on": {"type": "string", "enum": [true, false]},
            "level": {"type": "integer", "enum": [1, 2.0, "3"]},
            "kind": {"type": "string", "nullable": true, "enum": ["a", null, 4]}
        }}}}});
        drop_enum_values_of_other_types(&mut spec);
        let members = &spec["components"]["schemas"]["Zone"]["properties"];
        assert_eq!(members["id"]["enum"], json!(["basement", "second-floor"]));
        assert_eq!(
            members["on"]["enum"],
            json!([true, false]),
            "none fits: as written"
        );
        assert_eq!(members["level"]["enum"], json!([1, 2.0]));
        assert_eq!(members["kind"]["enum"], json!(["a", null]));
    }
}
