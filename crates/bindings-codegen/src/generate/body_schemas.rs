//! The JSON Schemas a generated server checks JSON request bodies against
//! (`bindings_server::BodySchema`): each body's schema translated to JSON
//! Schema 2020-12 as the linter reads examples
//! ([`openapi_lint::absolute_json_schema`]), and one document per API of
//! the schemas they reach by `$ref`, nothing else of the spec.
//!
//! A body whose schema does not compile here, as the linter compiles it
//! (a `pattern` the regex engine refuses, say), gets no check rather than
//! a server that fails every request; its type still decodes it.

use std::collections::BTreeSet;

use serde_json::Value;

/// The bodies of one API, gathered while its operations are generated.
#[derive(Debug)]
pub struct BodySchemas<'a> {
    /// The spec's schemas prepared for compiling (`None`: they cannot be,
    /// and no body is checked).
    validator: Option<&'a openapi_lint::SchemaValidator>,
    /// Each checked body's schema, as given (OpenAPI).
    schemas: Vec<Value>,
}

impl<'a> BodySchemas<'a> {
    /// The bodies of a spec whose schemas `validator` compiles, none
    /// gathered yet.
    pub fn new(validator: Option<&'a openapi_lint::SchemaValidator>) -> Self {
        BodySchemas {
            validator,
            schemas: Vec::new(),
        }
    }

    /// The translated schema of a body to check, as JSON text, or `None`
    /// when it is not to be checked: no schema, one any JSON fits, or one
    /// that does not compile.
    pub fn add(&mut self, schema: Option<&Value>) -> Option<String> {
        let schema = schema.filter(|schema| !accepts_anything(schema))?;
        if unchecked(self.validator, schema).is_some() {
            return None;
        }
        self.schemas.push(schema.clone());
        let mut translated = openapi_lint::absolute_json_schema(schema);
        strip_annotations(&mut translated);
        Some(translated.to_string())
    }

    /// Whether any body is checked.
    pub fn is_empty(&self) -> bool {
        self.schemas.is_empty()
    }

    /// The document of the schemas the bodies reach in `raw`, as JSON text.
    pub fn document(&self, raw: &Value) -> String {
        let pointers: Vec<String> = reached(raw, &self.schemas).into_iter().collect();
        let mut document = openapi_lint::json_schema_document(raw, &pointers);
        strip_annotations(&mut document);
        document.to_string()
    }
}

/// A literal of `text` a person can read: a raw string (`r#"..."#`) with
/// as many `#`s as it needs.
pub fn raw_literal(text: &str) -> proc_macro2::TokenStream {
    let mut hashes = "#".to_owned();
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| quote::quote! { #text })
}

/// Keywords that say nothing of which values fit.
const ANNOTATIONS: [&str; 7] = [
    "description",
    "title",
    "examples",
    "default",
    "readOnly",
    "writeOnly",
    "$comment",
];

/// Members whose values are maps of names to schemas.
const SCHEMA_MAPS: [&str; 5] = [
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// Members whose values are values, not schemas.
const VALUES: [&str; 3] = ["enum", "const", "examples"];

/// `value` without the annotations of its schemas (at any depth): what
/// the server compiles is what decides, not what documents.
fn strip_annotations(value: &mut Value) {
    let Value::Object(members) = value else {
        if let Value::Array(items) = value {
            items.iter_mut().for_each(strip_annotations);
        }
        return;
    };
    drop_read_only_required(members);
    members.retain(|key, _| !ANNOTATIONS.contains(&key.as_str()));
    for (key, member) in members.iter_mut() {
        if VALUES.contains(&key.as_str()) {
            continue;
        }
        match member {
            Value::Object(map) if SCHEMA_MAPS.contains(&key.as_str()) => {
                map.values_mut().for_each(strip_annotations);
            }
            _ => strip_annotations(member),
        }
    }
}

/// A request leaves `readOnly` members out even where `required` names
/// them (OpenAPI 3.0.3, 4.7.25.1: their `required` holds in answers
/// only), so the check of a request body does not require them. Only a
/// member whose own schema says `readOnly` counts, as in the types
/// (`types.rs`, `one_sided`).
fn drop_read_only_required(schema: &mut serde_json::Map<String, Value>) {
    let read_only: Vec<String> = schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, property)| property.get("readOnly") == Some(&Value::Bool(true)))
        .map(|(name, _)| name.clone())
        .collect();
    if read_only.is_empty() {
        return;
    }
    if let Some(Value::Array(required)) = schema.get_mut("required") {
        required.retain(|name| {
            !name
                .as_str()
                .is_some_and(|n| read_only.iter().any(|r| r == n))
        });
    }
}

/// Why a body of `schema` (not one any JSON fits) is not checked against
/// it, where it is not: the spec's schemas cannot be prepared (no
/// `validator`), or `schema` does not compile.
fn unchecked(validator: Option<&openapi_lint::SchemaValidator>, schema: &Value) -> Option<String> {
    let Some(validator) = validator else {
        return Some("the spec's schemas cannot be prepared for checking".into());
    };
    validator
        .compiles(schema)
        .err()
        .map(|error| format!("its schema does not compile as JSON Schema ({error})"))
}

/// Each request body of the model `model` that the generated server reads
/// by its type alone, its schema unchecked ([`BodySchemas::add`] refuses
/// it): its pointer and why (the lint rule `generator-body-unchecked`).
/// The body read is the one the server reads: JSON if offered, else a
/// form, else a multipart body.
pub fn unchecked_bodies(model: &Value) -> Vec<(String, String)> {
    let validator = openapi_lint::SchemaValidator::new(model).ok();
    let mut found = Vec::new();
    for (path, method, _, operation) in super::walk::operations(model) {
        let Some(body) = operation.get("requestBody") else {
            continue;
        };
        let body = super::walk::resolve(model, body);
        let Some(content) = body.get("content").and_then(Value::as_object) else {
            continue;
        };
        let essence = |name: &String| {
            name.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        };
        let read = content
            .keys()
            .find(|name| essence(name) == "application/json" || essence(name).ends_with("+json"))
            .or_else(|| {
                content
                    .keys()
                    .find(|name| essence(name) == "application/x-www-form-urlencoded")
            })
            .or_else(|| {
                content
                    .keys()
                    .find(|name| essence(name) == "multipart/form-data")
            });
        let Some(media) = read else {
            continue;
        };
        let Some(schema) = content[media]
            .get("schema")
            .filter(|s| !accepts_anything(s))
        else {
            continue;
        };
        if let Some(why) = unchecked(validator.as_ref(), schema) {
            let pointer = format!(
                "/paths/{}/{method}/requestBody/content/{}/schema",
                openapi_source::escape_token(path),
                openapi_source::escape_token(media)
            );
            found.push((
                pointer,
                format!("the generated server does not check this `{media}` body against its schema, and reads it by its Rust type alone: {why}"),
            ));
        }
    }
    found
}

/// `{}` or `true`: nothing to check.
fn accepts_anything(schema: &Value) -> bool {
    match schema {
        Value::Bool(true) => true,
        Value::Object(members) => members.keys().all(|key| key.starts_with("x-")),
        _ => false,
    }
}

/// The pointers (`/components/schemas/User`) of the schemas `schemas`
/// refer to in `raw`, and those refer to, and so on.
fn reached(raw: &Value, schemas: &[Value]) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut stack: Vec<&Value> = schemas.iter().collect();
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(members) => {
                if let Some(pointer) = members
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|reference| reference.strip_prefix('#'))
                    && found.insert(pointer.to_owned())
                    && let Some(target) = raw.pointer(pointer)
                {
                    stack.push(target);
                }
                stack.extend(members.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Value {
        json!({"components": {"schemas": {
            "User": {"type": "object", "properties": {"team": {"$ref": "#/components/schemas/Team"}}},
            "Team": {"type": "object", "properties": {"name": {"type": "string", "nullable": true}}},
            "Unused": {"type": "string"}
        }}})
    }

    #[test]
    fn the_document_holds_what_the_bodies_reach_and_nothing_else() {
        let validator = openapi_lint::SchemaValidator::new(&spec()).ok();
        let mut bodies = BodySchemas::new(validator.as_ref());
        let schema = bodies.add(Some(&json!({"$ref": "#/components/schemas/User"})));
        assert_eq!(
            schema.as_deref(),
            Some(r##"{"$ref":"urn:openapi-spec#/components/schemas/User"}"##)
        );
        let document: Value = serde_json::from_str(&bodies.document(&spec())).expect("JSON");
        let schemas = document["components"]["schemas"]
            .as_object()
            .expect("schemas");
        assert_eq!(schemas.keys().collect::<Vec<_>>(), ["Team", "User"]);
        // Translated: `nullable` is a type with null.
        assert_eq!(
            document["components"]["schemas"]["Team"]["properties"]["name"]["type"],
            json!(["string", "null"])
        );
    }

    #[test]
    fn a_body_any_json_fits_is_not_checked() {
        let validator = openapi_lint::SchemaValidator::new(&spec()).ok();
        let mut bodies = BodySchemas::new(validator.as_ref());
        assert_eq!(bodies.add(Some(&json!({}))), None);
        assert_eq!(bodies.add(None), None);
        assert!(bodies.is_empty());
    }

    #[test]
    fn a_body_whose_schema_does_not_compile_is_not_checked() {
        let validator = openapi_lint::SchemaValidator::new(&spec()).ok();
        let mut bodies = BodySchemas::new(validator.as_ref());
        let dangling = json!({"$ref": "#/components/schemas/Gone"});
        assert_eq!(bodies.add(Some(&dangling)), None);
        assert!(bodies.is_empty());
    }
}
