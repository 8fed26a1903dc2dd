//! Schema `default`s that do not fit their own schema.
//!
//! JSON Schema makes `default` an annotation: a value need not fit for the
//! document to be valid, and published specs often carry such defaults
//! (Kubernetes writes `default: {}` beside an `allOf` of an object with
//! required members). A Rust type cannot: a field's default must be a
//! value of its type, and typify refuses the whole spec ("value does not
//! conform to the given schema"). The generator leaves such a default out
//! (the field is then optional, as absent on the wire) and lint reports it
//! under `generator-default-dropped`.

use openapi_lint::SchemaValidator;
use serde_json::Value;

/// A JSON Pointer to a `default` member, and why its value does not fit.
pub type Dropped = (String, String);

/// Every `default` of a schema in the OpenAPI 3.0 document `spec` whose
/// value its schema refuses. Nothing when the spec's schemas cannot be
/// compiled (lint reports that under its own rules).
pub fn nonconforming(spec: &Value) -> Vec<Dropped> {
    let Ok(validator) = SchemaValidator::new(spec) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    super::walk::objects(spec, &mut |pointer, schema| {
        let Some(value) = schema.get("default") else {
            return;
        };
        if super::walk::is_responses(pointer) {
            return;
        }
        let mut without = schema.clone();
        without.remove("default");
        let Ok(mismatches) = validator.mismatches(&Value::Object(without), value) else {
            return;
        };
        if let Some(first) = mismatches.first() {
            let at = if first.at.is_empty() {
                String::new()
            } else {
                format!(" at `{}`", first.at)
            };
            found.push((
                format!("{pointer}/default"),
                format!(
                    "`default` does not fit its own schema{at}: {}; the generated code has no default here (the member is optional instead)",
                    first.message
                ),
            ));
        }
    });
    found
}

/// `spec` without the `default`s [`nonconforming`] finds.
pub fn drop_nonconforming(spec: &mut Value) {
    for (pointer, _) in nonconforming(spec) {
        let Some((holder, _)) = pointer.rsplit_once('/') else {
            continue;
        };
        if let Some(Value::Object(schema)) = spec.pointer_mut(holder) {
            schema.remove("default");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {"/x": {"get": {
                "parameters": [{"name": "n", "in": "query",
                    "schema": {"type": "integer", "maximum": 5, "default": 9}}],
                "responses": {"default": {"description": "d", "content": {"application/json": {
                    "schema": {"type": "string", "default": 3}}}}}
            }}},
            "components": {"schemas": {
                "Meta": {"type": "object", "required": ["name"],
                         "properties": {"name": {"type": "string"}}},
                "Pod": {"type": "object", "properties": {
                    "metadata": {"allOf": [{"$ref": "#/components/schemas/Meta"}], "default": {}},
                    "kind": {"type": "string", "default": "Pod"}
                }}
            }}
        })
    }

    #[test]
    fn defaults_that_do_not_fit_are_found_where_they_are_written() {
        let found: Vec<String> = nonconforming(&spec()).into_iter().map(|(p, _)| p).collect();
        assert_eq!(
            found,
            [
                "/paths/~1x/get/parameters/0/schema/default",
                "/paths/~1x/get/responses/default/content/application~1json/schema/default",
                "/components/schemas/Pod/properties/metadata/default",
            ]
        );
    }

    #[test]
    fn only_those_defaults_are_dropped() {
        let mut spec = spec();
        drop_nonconforming(&mut spec);
        assert!(
            spec.pointer("/components/schemas/Pod/properties/metadata/default")
                .is_none()
        );
        assert_eq!(
            spec.pointer("/components/schemas/Pod/properties/kind/default"),
            Some(&json!("Pod"))
        );
        assert!(nonconforming(&spec).is_empty());
    }
}
