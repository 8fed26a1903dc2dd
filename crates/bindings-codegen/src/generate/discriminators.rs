//! Discriminators without a `mapping` whose variants give the
//! discriminator property values of their own. OpenAPI names such a
//! variant by its schema's name (`ActiveStatus`), but the variant's schema
//! allows only its own values (`type: {enum: [active]}`), which is what
//! the API sends. The generated types take both; the lint rule
//! `discriminator-value-contradiction` reports the spec, since no answer
//! can be valid both ways (schemathesis' ST111 reads the names, its ST108
//! the schema).

use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

use super::walk::{objects, resolve};

/// The string values `component`'s schema allows its `property` (from a
/// one-value `enum`s, at the top or in an `allOf` part); empty when it
/// allows any, or is no object.
pub fn own_values(spec: &OpenAPI, component: &str, property: &str) -> Vec<String> {
    let Some(ReferenceOr::Item(schema)) = spec
        .components
        .as_ref()
        .and_then(|components| components.schemas.get(component))
    else {
        return Vec::new();
    };
    values_of(spec, schema, property, 0)
}

fn values_of(spec: &OpenAPI, schema: &Schema, property: &str, depth: usize) -> Vec<String> {
    if depth > 8 {
        return Vec::new();
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => object
            .properties
            .get(property)
            .and_then(|p| match p {
                ReferenceOr::Item(item) => Some(item.as_ref()),
                ReferenceOr::Reference { reference } => spec
                    .components
                    .as_ref()?
                    .schemas
                    .get(reference.strip_prefix("#/components/schemas/")?)?
                    .as_item(),
            })
            .map(|p| match &p.schema_kind {
                SchemaKind::Type(Type::String(string)) => {
                    string.enumeration.iter().flatten().cloned().collect()
                }
                _ => Vec::new(),
            })
            .unwrap_or_default(),
        SchemaKind::AllOf { all_of } => all_of
            .iter()
            .filter_map(|part| openapi_source::spec::resolve(spec, part))
            .flat_map(|part| values_of(spec, part, property, depth + 1))
            .collect(),
        _ => Vec::new(),
    }
}

/// A variant a discriminator names by its schema's name, whose schema
/// allows the property only other values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contradiction {
    /// The pointer to the discriminator.
    pub pointer: String,
    pub property: String,
    /// The values the variant's schema allows.
    pub values: Vec<String>,
    pub message: String,
}

/// Every such variant of every discriminator in the raw document `raw`.
pub fn contradictions(raw: &Value) -> Vec<Contradiction> {
    let mut found = Vec::new();
    objects(raw, &mut |pointer, object| {
        let Some(discriminator) = object.get("discriminator") else {
            return;
        };
        let Some(property) = discriminator.get("propertyName").and_then(Value::as_str) else {
            return;
        };
        let mapped: Vec<&str> = discriminator
            .get("mapping")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(_, target)| target.as_str())
            .collect();
        let variants = ["oneOf", "anyOf"]
            .iter()
            .filter_map(|key| object.get(*key)?.as_array())
            .flatten();
        for reference in variants.filter_map(|v| v.get("$ref")?.as_str()) {
            let name = reference.rsplit('/').next().unwrap_or(reference);
            if mapped.iter().any(|t| *t == reference || *t == name) {
                continue;
            }
            let values = raw_values(
                raw,
                resolve(raw, &serde_json::json!({"$ref": reference})),
                property,
                0,
            );
            if values.is_empty() || values.iter().any(|v| v == name) {
                continue;
            }
            found.push(Contradiction {
                pointer: format!("{pointer}/discriminator"),
                property: property.to_owned(),
                message: format!(
                    "without a `mapping`, the discriminator `{property}` names the variant `{name}` by its schema's name, but its schema allows `{property}` only {}: no value is valid both ways (map each value to its schema)",
                    values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
                ),
                values,
            });
        }
    });
    found
}

/// The string values the raw schema `schema` (in `raw`) allows `property`
/// by an `enum` or `const`, at the top or in `allOf` parts.
pub fn own_raw_values(raw: &Value, schema: &Value, property: &str) -> Vec<String> {
    raw_values(raw, schema, property, 0)
}

fn raw_values(raw: &Value, schema: &Value, property: &str, depth: usize) -> Vec<String> {
    if depth > 8 {
        return Vec::new();
    }
    let mut values = Vec::new();
    if let Some(own) = schema.get("properties").and_then(|p| p.get(property)) {
        let own = resolve(raw, own);
        let listed = own.get("enum").and_then(Value::as_array).cloned();
        let constant = own.get("const").map(|c| vec![c.clone()]);
        values.extend(
            listed
                .or(constant)
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_owned)),
        );
    }
    for part in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        values.extend(raw_values(raw, resolve(raw, part), property, depth + 1));
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_variant_named_by_its_schema_that_allows_other_values() {
        let spec = json!({"components": {"schemas": {
            "Status": {"oneOf": [{"$ref": "#/components/schemas/ActiveStatus"},
                                 {"$ref": "#/components/schemas/Named"}],
                       "discriminator": {"propertyName": "type"}},
            "ActiveStatus": {"type": "object", "properties": {"type": {"type": "string", "enum": ["active"]}}},
            "Named": {"type": "object", "properties": {"type": {"type": "string", "enum": ["Named"]}}}
        }}});
        let found = contradictions(&spec);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].values, ["active"]);
        assert_eq!(found[0].pointer, "/components/schemas/Status/discriminator");
    }
}
