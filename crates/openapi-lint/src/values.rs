//! Values checked against a spec's schemas, as the wire reads them: the
//! OpenAPI 3.0 schemas translated to JSON Schema 2020-12 by
//! [`to_json_schema`](crate::to_json_schema), the component schemas
//! registered once so that `$ref`s resolve.
//!
//! The linter's `example-invalid` rule uses it; so can any other tool that
//! must know whether a value (an example, a `default`) fits its schema.

use serde_json::{Value, json};

use crate::examples::{Discriminated, to_json_schema_reading};

/// The URI the spec's translated component schemas are registered under.
const SPEC_URI: &str = "urn:openapi-spec";

/// A spec's component schemas, translated and prepared once; checking a
/// value then costs its own schema, not the whole spec again.
#[derive(Debug)]
pub struct SchemaValidator {
    registry: jsonschema::Registry<'static>,
    discriminated: Discriminated,
}

/// One schema compiled once, to check many values against it.
#[derive(Debug)]
pub struct CompiledSchema(jsonschema::Validator);

impl CompiledSchema {
    /// Whether `value` fits the schema.
    pub fn fits(&self, value: &Value) -> bool {
        self.0.is_valid(value)
    }
}

/// One way a value does not fit its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Where in the value, as a JSON Pointer (empty: the value itself).
    pub at: String,
    /// What is wrong there.
    pub message: String,
}

impl SchemaValidator {
    /// The validator of the OpenAPI 3.0 document `root` (its
    /// `components/schemas`), or why they cannot be compiled.
    pub fn new(root: &Value) -> Result<Self, String> {
        Self::reading(root, Discriminated::ByProperty)
    }

    /// [`SchemaValidator::new`], reading a discriminated `oneOf` as
    /// `discriminated` says.
    pub fn reading(root: &Value, discriminated: Discriminated) -> Result<Self, String> {
        let components = root
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, _)| format!("/components/schemas/{}", openapi_source::escape_token(name)));
        // A schema may refer to one written elsewhere
        // (`#/components/parameters/companyId/schema`): there too.
        let pointers: Vec<String> = components
            .chain(schema_refs_outside_components(root))
            .collect();
        let document = document_reading(root, &pointers, discriminated);
        let registry = jsonschema::Registry::new()
            .add(SPEC_URI, document)
            .and_then(|builder| builder.prepare())
            .map_err(|error| error.to_string())?;
        Ok(SchemaValidator {
            registry,
            discriminated,
        })
    }

    /// How `value` does not fit the OpenAPI 3.0 `schema` (empty: it fits),
    /// or why the schema cannot be compiled (a dangling `$ref`, say).
    pub fn mismatches(&self, schema: &Value, value: &Value) -> Result<Vec<Mismatch>, String> {
        Ok(mismatches_of(&self.compile(schema)?, value))
    }

    /// The OpenAPI 3.0 `schema` compiled, to check many values, or why it
    /// cannot be.
    pub fn compiled(&self, schema: &Value) -> Result<CompiledSchema, String> {
        self.compile(schema).map(CompiledSchema)
    }

    /// Whether the OpenAPI 3.0 `schema` compiles (its `$ref`s resolve,
    /// its patterns are regular expressions the validator takes), or why
    /// not.
    pub fn compiles(&self, schema: &Value) -> Result<(), String> {
        self.compile(schema).map(drop)
    }

    /// The OpenAPI 3.0 `schema` compiled, its `$ref`s resolved in the
    /// spec's components; compile once to check many values.
    pub(crate) fn compile(&self, schema: &Value) -> Result<jsonschema::Validator, String> {
        let mut schema = to_json_schema_reading(schema, self.discriminated);
        absolute_refs(&mut schema);
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .with_registry(&self.registry)
            .build(&schema)
            .map_err(|error| error.to_string())
    }
}

/// The JSON Schema 2020-12 document the schemas of `root` at `pointers`
/// are translated into, at the same pointers, with the `$id` that
/// [`absolute_json_schema`]'s references name.
pub fn json_schema_document(root: &Value, pointers: &[String]) -> Value {
    document_reading(root, pointers, Discriminated::ByProperty)
}

fn document_reading(root: &Value, pointers: &[String], discriminated: Discriminated) -> Value {
    let mut document = json!({ "$id": SPEC_URI, "components": { "schemas": {} } });
    for pointer in pointers {
        if let Some(schema) = root.pointer(pointer) {
            insert_at(
                &mut document,
                pointer,
                to_json_schema_reading(schema, discriminated),
            );
        }
    }
    document
}

/// The OpenAPI 3.0 `schema` translated to JSON Schema 2020-12, its local
/// `$ref`s made absolute into [`json_schema_document`]'s document.
pub fn absolute_json_schema(schema: &Value) -> Value {
    let mut schema = to_json_schema_reading(schema, Discriminated::ByProperty);
    absolute_refs(&mut schema);
    schema
}

/// Each way `value` breaks the schema `validator` was compiled from.
pub(crate) fn mismatches_of(validator: &jsonschema::Validator, value: &Value) -> Vec<Mismatch> {
    validator
        .iter_errors(value)
        .map(|error| Mismatch {
            at: error.instance_path().as_str().to_owned(),
            message: error.to_string(),
        })
        .collect()
}

/// `#/...` references made absolute, into the registered spec document.
/// The targets of the document's `$ref`s that are schemas outside
/// `components/schemas` (a pointer through a `schema` member).
fn schema_refs_outside_components(root: &Value) -> std::collections::BTreeSet<String> {
    let mut found = std::collections::BTreeSet::new();
    let mut stack = vec![root];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(members) => {
                if let Some(Value::String(reference)) = members.get("$ref")
                    && let Some(pointer) = reference.strip_prefix('#')
                    && !pointer.starts_with("/components/schemas/")
                    && pointer.split('/').any(|token| token == "schema")
                {
                    found.insert(pointer.to_owned());
                }
                stack.extend(members.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    found
}

/// Puts `value` at `pointer` in `document`, making the objects on the way.
fn insert_at(document: &mut Value, pointer: &str, value: Value) {
    let mut node = document;
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(openapi_source::unescape_token)
        .collect();
    let Some((last, parents)) = tokens.split_last() else {
        return;
    };
    for token in parents {
        let Value::Object(members) = node else {
            return;
        };
        node = members
            .entry(token.clone())
            .or_insert_with(|| Value::Object(serde_json::Map::new()));
    }
    if let Value::Object(members) = node {
        members.insert(last.clone(), value);
    }
}

fn absolute_refs(value: &mut Value) {
    match value {
        Value::Object(members) => {
            for (key, member) in members.iter_mut() {
                match member {
                    Value::String(reference) if key == "$ref" && reference.starts_with('#') => {
                        *reference = format!("{SPEC_URI}{reference}");
                    }
                    _ => absolute_refs(member),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(absolute_refs),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Value {
        json!({"components": {"schemas": {
            "Meta": {"type": "object", "required": ["name"],
                     "properties": {"name": {"type": "string"}}}
        }}})
    }

    #[test]
    fn a_value_that_fits_has_no_mismatch() {
        let validator = SchemaValidator::new(&spec()).expect("compiles");
        let schema = json!({"$ref": "#/components/schemas/Meta"});
        let found = validator.mismatches(&schema, &json!({"name": "x"}));
        assert_eq!(found, Ok(Vec::new()));
    }

    #[test]
    fn an_empty_object_misses_a_required_member_through_a_reference() {
        let validator = SchemaValidator::new(&spec()).expect("compiles");
        let schema = json!({"allOf": [{"$ref": "#/components/schemas/Meta"}]});
        let found = validator.mismatches(&schema, &json!({})).expect("compiles");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("name"), "{found:?}");
    }

    #[test]
    fn nullable_and_int32_read_as_the_wire_does() {
        let validator = SchemaValidator::new(&json!({})).expect("compiles");
        let schema = json!({"type": "integer", "format": "int32", "nullable": true});
        assert_eq!(validator.mismatches(&schema, &Value::Null), Ok(Vec::new()));
        let too_big = validator.mismatches(&schema, &json!(1_u64 << 40));
        assert_eq!(too_big.map(|found| found.len()), Ok(1));
    }

    #[test]
    fn a_discriminated_one_of_is_read_either_way() {
        // linode's tagged objects: closed variants that require nothing.
        let root = json!({"components": {"schemas": {
            "Tagged": {"discriminator": {"propertyName": "type"}, "oneOf": [
                {"type": "object", "additionalProperties": false, "properties": {"a": {}}},
                {"type": "object", "additionalProperties": false, "properties": {"b": {}}}
            ]}
        }}});
        let schema = json!({"$ref": "#/components/schemas/Tagged"});
        let by_property = SchemaValidator::new(&root).expect("compiles");
        assert_eq!(by_property.mismatches(&schema, &json!({})), Ok(Vec::new()));
        let one_of = SchemaValidator::reading(&root, Discriminated::OneOf).expect("compiles");
        let both = one_of.mismatches(&schema, &json!({})).expect("compiles");
        assert_eq!(both.len(), 1, "{both:?}");
        assert_eq!(one_of.mismatches(&schema, &json!({"a": 1})), Ok(Vec::new()));
        let compiled = one_of.compiled(&schema).expect("compiles");
        assert!(!compiled.fits(&json!({})) && compiled.fits(&json!({"b": 2})));
    }

    #[test]
    fn a_dangling_reference_is_an_error_not_a_fit() {
        let validator = SchemaValidator::new(&spec()).expect("compiles");
        let schema = json!({"$ref": "#/components/schemas/Missing"});
        assert!(validator.mismatches(&schema, &json!({})).is_err());
    }

    #[test]
    fn a_schema_may_refer_to_one_outside_components_schemas() {
        let root = json!({"components": {
            "parameters": {"companyId": {"name": "companyId", "in": "path", "schema": {"type": "string", "format": "uuid"}}},
            "schemas": {"Company": {"type": "object", "properties": {
                "id": {"$ref": "#/components/parameters/companyId/schema"}}}}
        }});
        let validator = SchemaValidator::new(&root).expect("compiles");
        let schema = json!({"$ref": "#/components/schemas/Company"});
        let fits = validator.mismatches(
            &schema,
            &json!({"id": "0b7e54cd-3f74-4c41-9a18-4e1d3f1c2b11"}),
        );
        assert_eq!(fits, Ok(Vec::new()));
        let refused = validator
            .mismatches(&schema, &json!({"id": 7}))
            .expect("compiles");
        assert_eq!(refused.len(), 1, "{refused:?}");
    }
}
