//! Every example validates against its schema.
//!
//! OpenAPI 3.0 schemas are translated to JSON Schema 2020-12 first
//! ([`to_json_schema`]): `nullable` becomes a `null` alternative, boolean
//! `exclusiveMinimum`/`exclusiveMaximum` become numeric, and `int32`/`int64`
//! become range bounds, so examples are checked the way the wire is read.

use serde_json::{Map, Value, json};

use super::refs::is_payload;
use super::schemas::SchemaSites;
use super::{Report, Rule};
use crate::values::SchemaValidator;
use openapi_source::child;

pub(super) fn check(report: &mut Report<'_>, components: &SchemaSet, sites: &SchemaSites<'_>) {
    let root = report.root();

    // (schema, its pointer, pointer of an `example` member or of one named example)
    let mut cases: Vec<(&Value, String, String)> = Vec::new();
    for (pointer, holder) in &sites.holders {
        let Some(schema) = holder.get("schema") else {
            continue;
        };
        let schema_at = child(pointer, "schema");
        if holder.contains_key("example") {
            cases.push((schema, schema_at.clone(), child(pointer, "example")));
        }
        if let Some(Value::Object(named)) = holder.get("examples") {
            let examples = child(pointer, "examples");
            cases.extend(
                named
                    .keys()
                    .map(|name| (schema, schema_at.clone(), child(&examples, name))),
            );
        }
    }

    for (schema, schema_at, example_pointer) in cases {
        let Some((value, value_pointer)) = example_value(root, &example_pointer) else {
            continue; // an unresolved `$ref` is reported by its own rule
        };
        let target = Target {
            schema,
            at: Some(&schema_at),
        };
        validate(report, components, target, value, &value_pointer);
    }
    for (pointer, schema) in &sites.schemas {
        if let Some(example) = schema.get("example") {
            let schema = Value::Object((*schema).clone());
            let target = Target {
                schema: &schema,
                at: Some(pointer),
            };
            validate(
                report,
                components,
                target,
                example,
                &child(pointer, "example"),
            );
            // 3.1's `examples` array: the 3.0 form keeps its first as
            // `example`; the others are read from the document as written.
            for (index, item) in later_examples(report, pointer) {
                let at = format!("{}/{index}", child(pointer, "examples"));
                validate(report, components, target, &item, &at);
            }
        }
    }
}

/// The items of the `examples` array the schema at `pointer` has in the
/// document as written (OpenAPI 3.1), with their indexes, but the first
/// when the 3.0 form's `example` is that one.
fn later_examples(report: &Report<'_>, pointer: &str) -> Vec<(usize, Value)> {
    let Some(written) = report.source.value().pointer(&report.as_written(pointer)) else {
        return Vec::new();
    };
    let first_is_example = written.get("example").is_none();
    written
        .get("examples")
        .and_then(Value::as_array)
        .map(|items| {
            let skip = usize::from(first_is_example);
            items.iter().cloned().enumerate().skip(skip).collect()
        })
        .unwrap_or_default()
}

/// The payload an `example` member or a named Example Object carries, and
/// where it is written (following a `$ref` to `components/examples`).
fn example_value<'v>(root: &'v Value, pointer: &str) -> Option<(&'v Value, String)> {
    let node = root.pointer(pointer)?;
    if pointer.ends_with("/example") {
        return Some((node, pointer.to_owned()));
    }
    match node.get("$ref").and_then(Value::as_str) {
        Some(target) => {
            let target = target.strip_prefix('#')?;
            let value = root.pointer(target)?.get("value")?;
            Some((value, child(target, "value")))
        }
        None => Some((node.get("value")?, child(pointer, "value"))),
    }
}

/// The spec's component schemas, translated once into a prepared
/// registry, for [`validate_as`] to resolve `$ref`s against: compiling each
/// example's schema then costs that schema, not the whole spec again.
#[derive(Debug)]
pub(crate) struct SchemaSet {
    /// The prepared components, or why they cannot be compiled.
    validator: Result<SchemaValidator, String>,
    /// Whether the spec has a dangling `$ref` or a schema of an unknown
    /// `type` (reported by their rules): a schema is then first walked
    /// for one, and not compiled when it reaches one.
    broken: bool,
}

/// The spec's component schemas for validation; `broken` says whether a
/// `$ref` does not resolve or a `type` is not OpenAPI's somewhere.
pub(crate) fn components_for_validation(root: &Value, broken: bool) -> SchemaSet {
    SchemaSet {
        validator: SchemaValidator::new(root),
        broken,
    }
}

/// A schema to validate against, and where it is written when known.
#[derive(Debug, Clone, Copy)]
pub(super) struct Target<'a> {
    pub schema: &'a Value,
    pub at: Option<&'a str>,
}

fn validate(
    report: &mut Report<'_>,
    components: &SchemaSet,
    target: Target<'_>,
    instance: &Value,
    pointer: &str,
) {
    validate_as(
        report,
        Rule::ExampleInvalid,
        components,
        target,
        instance,
        pointer,
    );
}

/// Validates `instance` (written at `pointer`) against an OpenAPI schema,
/// reporting each mismatch under `rule`. A schema that reaches a dangling
/// `$ref` or an unknown `type` cannot be compiled: the value is not
/// validated, and a finding under that part's rule says so and why.
pub(super) fn validate_as(
    report: &mut Report<'_>,
    rule: Rule,
    components: &SchemaSet,
    target: Target<'_>,
    instance: &Value,
    pointer: &str,
) {
    if components.broken
        && let Some(broken) = broken_part(report.root(), target)
    {
        let place = broken
            .at
            .map(|at| format!(" (line {})", report.position_of(&at).line))
            .unwrap_or_default();
        report.at(
            pointer,
            broken.rule,
            format!(
                "not validated against its schema: the schema reaches {}{place}, {}",
                broken.what, broken.why
            ),
        );
        return;
    }
    match mismatches(components, target.schema, instance) {
        Ok(errors) => {
            for (inner, message) in errors {
                let location = if inner.is_empty() {
                    String::new()
                } else {
                    format!(" at `{inner}`")
                };
                report.at(
                    &format!("{pointer}{inner}"),
                    rule,
                    format!("example does not match its schema{location}: {message}"),
                );
            }
        }
        Err(error) => report.at(pointer, rule, error),
    }
}

/// Each way `instance` breaks the OpenAPI `schema` (the pointer into the
/// instance, and what), or why the schema cannot be compiled.
fn mismatches(
    components: &SchemaSet,
    schema: &Value,
    instance: &Value,
) -> Result<Vec<(String, String)>, String> {
    Ok(mismatches_of(&compile(components, schema)?, instance))
}

/// The OpenAPI `schema` compiled, its `$ref`s resolved in `components`.
pub(crate) fn compile(
    components: &SchemaSet,
    schema: &Value,
) -> Result<jsonschema::Validator, String> {
    let validator = components
        .validator
        .as_ref()
        .map_err(|error| format!("the spec's schemas cannot be compiled: {error}"))?;
    validator
        .compile(schema)
        .map_err(|error| format!("the example's schema cannot be compiled: {error}"))
}

/// Each way `instance` breaks the schema of `validator`: (pointer into
/// the instance, what).
pub(crate) fn mismatches_of(
    validator: &jsonschema::Validator,
    instance: &Value,
) -> Vec<(String, String)> {
    crate::values::mismatches_of(validator, instance)
        .into_iter()
        .map(|mismatch| (mismatch.at, mismatch.message))
        .collect()
}

/// A part of a schema that keeps it from being compiled.
struct Broken {
    rule: Rule,
    /// What it is (`` `$ref` `#/x` ``).
    what: String,
    /// Where it is written, when known.
    at: Option<String>,
    why: &'static str,
}

/// A node of a schema on the way through it.
struct Node<'v> {
    value: &'v Value,
    pointer: String,
    /// Whether `pointer` is into the document (an inline schema whose
    /// place is unknown is walked with pointers relative to it).
    located: bool,
    /// Whether the node is a map of names to schemas (`properties`).
    names: bool,
}

impl<'v> Node<'v> {
    fn child(&self, value: &'v Value, key: &str, names: bool) -> Node<'v> {
        Node {
            value,
            pointer: child(&self.pointer, key),
            located: self.located,
            names,
        }
    }

    fn at(&self, key: &str) -> Option<String> {
        self.located.then(|| child(&self.pointer, key))
    }
}

/// A dangling `$ref` or an unknown `type` of the schema object `node`.
fn broken_here(root: &Value, node: &Node<'_>, members: &Map<String, Value>) -> Option<Broken> {
    if let Some(Value::String(reference)) = members.get("$ref") {
        let resolves = reference
            .strip_prefix('#')
            .is_some_and(|fragment| root.pointer(fragment).is_some());
        if !resolves {
            return Some(Broken {
                rule: Rule::RefUnresolved,
                what: format!("`$ref` `{reference}`"),
                at: node.at("$ref"),
                why: "which does not resolve",
            });
        }
    }
    let kind = members.get("type")?;
    if kind
        .as_str()
        .is_some_and(|kind| super::schemas::SCHEMA_TYPES.contains(&kind))
    {
        return None;
    }
    Some(Broken {
        rule: Rule::OpenapiStructure,
        what: format!("`type: {kind}`"),
        at: node.at("type"),
        why: "a type OpenAPI 3.0 does not know",
    })
}

/// The first dangling `$ref` or unknown `type` reachable from `target`
/// (through local references), if any. Example payloads, defaults, enums
/// and extensions are not schemas and are not walked.
fn broken_part(root: &Value, target: Target<'_>) -> Option<Broken> {
    let mut seen = std::collections::BTreeSet::new();
    let mut stack = vec![Node {
        value: target.schema,
        pointer: target.at.unwrap_or_default().to_owned(),
        located: target.at.is_some(),
        names: false,
    }];
    while let Some(node) = stack.pop() {
        match node.value {
            Value::Object(members) if node.names => {
                // `properties`: a name for each member schema.
                for (name, member) in members {
                    stack.push(node.child(member, name, false));
                }
            }
            Value::Object(members) => {
                if let Some(found) = broken_here(root, &node, members) {
                    return Some(found);
                }
                if let Some(Value::String(reference)) = members.get("$ref")
                    && let Some(fragment) = reference.strip_prefix('#')
                    && let Some(resolved) = root.pointer(fragment)
                    && seen.insert(fragment.to_owned())
                {
                    stack.push(Node {
                        value: resolved,
                        pointer: fragment.to_owned(),
                        located: true,
                        names: false,
                    });
                }
                for (key, member) in members {
                    if key != "$ref" && !is_payload(&node.pointer, key) {
                        stack.push(node.child(member, key, key == "properties"));
                    }
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    stack.push(node.child(item, &index.to_string(), false));
                }
            }
            _ => {}
        }
    }
    None
}

/// How a translation reads a `oneOf` beside a `discriminator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Discriminated {
    /// As OpenAPI's Discriminator Object does: the property picks the
    /// variant, so a value that also fits another variant is still valid
    /// (`anyOf`).
    #[default]
    ByProperty,
    /// As JSON Schema alone does (and test tools such as schemathesis):
    /// exactly one variant may fit.
    OneOf,
}

/// Translates an OpenAPI 3.0 Schema Object into JSON Schema 2020-12 (what
/// the `example-invalid` rule validates examples against; other tools that
/// check values against a spec's schemas use the same translation).
pub fn to_json_schema(schema: &Value) -> Value {
    translate(schema, Discriminated::ByProperty)
}

/// [`to_json_schema`], reading a discriminated `oneOf` as `discriminated`
/// says.
pub fn to_json_schema_reading(schema: &Value, discriminated: Discriminated) -> Value {
    translate(schema, discriminated)
}

fn translate(schema: &Value, discriminated: Discriminated) -> Value {
    let Value::Object(members) = schema else {
        return schema.clone();
    };
    if let Some(reference) = members.get("$ref") {
        // OpenAPI 3.0 ignores a reference's siblings.
        return json!({ "$ref": reference });
    }
    let mut out = Map::new();
    for (key, value) in members {
        let converted = match key.as_str() {
            "nullable" | "discriminator" | "xml" | "externalDocs" | "example" | "deprecated" => {
                continue;
            }
            k if k.starts_with("x-") => continue,
            "properties" => Value::Object(
                value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, property)| (name.clone(), translate(property, discriminated)))
                    .collect(),
            ),
            "items" | "not" => translate(value, discriminated),
            "additionalProperties" if value.is_object() => translate(value, discriminated),
            "allOf" | "anyOf" | "oneOf" => Value::Array(
                value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|part| translate(part, discriminated))
                    .collect(),
            ),
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
    }
    for (flag, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Bool(exclusive)) = out.remove(flag)
            && exclusive
            && let Some(limit) = out.remove(bound)
        {
            out.insert(flag.to_owned(), limit);
        }
    }
    if out.get("type").and_then(Value::as_str) == Some("integer") {
        let (_, min, max) =
            openapi_source::spec::integer_type(out.get("format").and_then(Value::as_str));
        // Every bound fits an i64 or a u64.
        let number = |n: i128| {
            i64::try_from(n)
                .map(|n| json!(n))
                .unwrap_or_else(|_| json!(u64::try_from(n).unwrap_or(u64::MAX)))
        };
        out.entry("minimum").or_insert(number(min));
        out.entry("maximum").or_insert(number(max));
    }
    // With a discriminator, its property picks the variant (OpenAPI's
    // Discriminator Object): a value that also fits another variant is
    // still one of its `oneOf`, which JSON Schema's `oneOf` alone refuses.
    if members.contains_key("discriminator")
        && discriminated == Discriminated::ByProperty
        && !out.contains_key("anyOf")
        && let Some(variants) = out.remove("oneOf")
    {
        out.insert("anyOf".to_owned(), variants);
    }
    let composed = ["allOf", "anyOf", "oneOf"]
        .iter()
        .any(|key| out.contains_key(*key));
    if members.get("nullable") == Some(&Value::Bool(true)) && composed {
        // `null` must not have to satisfy the composition too.
        return json!({ "anyOf": [Value::Object(out), { "type": "null" }] });
    }
    if members.get("nullable") == Some(&Value::Bool(true)) {
        match out.get("type").cloned() {
            Some(Value::String(kind)) => {
                out.insert("type".to_owned(), json!([kind, "null"]));
                if let Some(Value::Array(values)) = out.get_mut("enum") {
                    values.push(Value::Null);
                }
            }
            _ => return json!({ "anyOf": [Value::Object(out), { "type": "null" }] }),
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_discriminated_one_of_is_read_as_any_of() {
        let schema = json!({
            "oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
            "discriminator": {"propertyName": "kind"}
        });
        let translated = to_json_schema(&schema);
        assert!(translated.get("oneOf").is_none(), "{translated}");
        let strict = to_json_schema_reading(&schema, Discriminated::OneOf);
        assert!(strict.get("anyOf").is_none(), "{strict}");
        assert_eq!(strict["oneOf"].as_array().map(Vec::len), Some(2));
        assert_eq!(translated["anyOf"].as_array().map(Vec::len), Some(2));
        let plain = to_json_schema(&json!({"oneOf": [{"type": "string"}]}));
        assert!(plain.get("oneOf").is_some(), "without one, oneOf stays");
    }

    #[test]
    fn nullable_becomes_a_null_alternative() {
        assert_eq!(
            to_json_schema(&json!({"type": "string", "nullable": true, "enum": ["a"]})),
            json!({"type": ["string", "null"], "enum": ["a", null]})
        );
        assert_eq!(
            to_json_schema(
                &json!({"nullable": true, "allOf": [{"$ref": "#/x", "description": "d"}]})
            ),
            json!({"anyOf": [{"allOf": [{"$ref": "#/x"}]}, {"type": "null"}]})
        );
    }

    #[test]
    fn integer_formats_become_bounds() {
        assert_eq!(
            to_json_schema(&json!({"type": "integer", "format": "int32", "minimum": 0})),
            json!({"type": "integer", "format": "int32", "minimum": 0, "maximum": i32::MAX})
        );
    }

    #[test]
    fn boolean_exclusive_bounds_become_numeric() {
        assert_eq!(
            to_json_schema(&json!({"type": "number", "minimum": 0, "exclusiveMinimum": true})),
            json!({"type": "number", "exclusiveMinimum": 0})
        );
    }
}
