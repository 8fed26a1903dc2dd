//! The lint rule `discriminator-property-optional`: a discriminator whose
//! property a variant does not require. A payload without the property
//! fits that variant's schema, so it is valid, but no reader can tell
//! which variant it is: the generated types (and most others) refuse it as
//! a body, and a test tool that reads the schema alone sends it as valid
//! (schemathesis' ST202 on Adyen's `accountIdentification`).

use serde_json::{Map, Value};

use super::walk::{objects, resolve};

/// How deep `allOf` parts are read for `required`.
const DEPTH: usize = 8;

/// A discriminator whose property some of its variants leave optional.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionalProperty {
    /// The pointer to the discriminator.
    pub pointer: String,
    pub property: String,
    pub message: String,
}

/// Every discriminator of `raw` over `oneOf`/`anyOf` variants, the schema
/// around it not requiring its property, some variant of which does not.
pub fn optional_properties(raw: &Value) -> Vec<OptionalProperty> {
    let mut found = Vec::new();
    objects(raw, &mut |pointer, object| {
        let Some(property) = object
            .get("discriminator")
            .and_then(|d| d.get("propertyName"))
            .and_then(Value::as_str)
        else {
            return;
        };
        if requires(raw, object, property, 0) {
            return;
        }
        let variants = ["oneOf", "anyOf"]
            .iter()
            .filter_map(|key| object.get(*key)?.as_array())
            .flatten();
        let optional: Vec<String> = variants
            .filter(|variant| {
                resolve(raw, variant)
                    .as_object()
                    .is_some_and(|schema| !requires(raw, schema, property, 0))
            })
            .map(
                |variant| match variant.get("$ref").and_then(Value::as_str) {
                    Some(reference) => format!("`{}`", reference.rsplit('/').next().unwrap_or("")),
                    None => "an inline variant".to_owned(),
                },
            )
            .collect();
        if optional.is_empty() {
            return;
        }
        found.push(OptionalProperty {
            pointer: format!("{pointer}/discriminator"),
            property: property.to_owned(),
            message: format!(
                "the discriminator's property `{property}` is not required in {}: a payload without it fits the schema, but no reader can tell which variant it is (the generated types refuse it); list `{property}` in each variant's `required`",
                optional.join(", ")
            ),
        });
    });
    found
}

/// Whether `schema` (or an `allOf` part of it) requires `property`.
fn requires(raw: &Value, schema: &Map<String, Value>, property: &str, depth: usize) -> bool {
    let listed = schema
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|names| names.iter().any(|name| name == property));
    listed
        || (depth < DEPTH
            && schema
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|part| resolve(raw, part).as_object())
                .any(|part| requires(raw, part, property, depth + 1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_variant_that_leaves_the_property_optional_is_found() {
        let spec = json!({"components": {"schemas": {
            "Identification": {
                "oneOf": [{"$ref": "#/components/schemas/Iban"}, {"$ref": "#/components/schemas/Local"}],
                "discriminator": {"propertyName": "type"}
            },
            "Iban": {"type": "object", "required": ["type"], "properties": {"type": {"enum": ["iban"]}}},
            "Local": {"allOf": [{"type": "object", "properties": {"type": {"enum": ["local"]}}}]},
            "Required": {
                "required": ["type"],
                "oneOf": [{"$ref": "#/components/schemas/Local"}],
                "discriminator": {"propertyName": "type"}
            }
        }}});
        let found = optional_properties(&spec);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].pointer,
            "/components/schemas/Identification/discriminator"
        );
        assert!(found[0].message.contains("`Local`"), "{}", found[0].message);
        assert!(!found[0].message.contains("`Iban`"), "{}", found[0].message);
    }
}
