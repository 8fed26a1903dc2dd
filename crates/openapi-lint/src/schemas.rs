//! Schema-level rules, on the raw JSON so that nothing the typed model
//! normalises away (an empty `enum`, an extension) goes unseen.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::refs::is_payload;
use super::{Report, Rule};
use openapi_source::child;

/// The spec's schemas and the objects that hold one: every Schema Object
/// (under `components/schemas`, a `schema` member, and inside those), told
/// apart from the maps that hold schemas (`properties`) and from values
/// (examples).
#[derive(Debug)]
pub struct SchemaSites<'v> {
    /// Every Schema Object, nested ones included, with its pointer.
    pub schemas: Vec<(String, &'v Map<String, Value>)>,
    /// Every object with a `schema` member (media types, parameters,
    /// headers), with its pointer.
    pub holders: Vec<(String, &'v Map<String, Value>)>,
}

impl<'v> SchemaSites<'v> {
    /// The schemas of the document `root`.
    pub fn collect(root: &'v Value) -> Self {
        let mut sites = SchemaSites {
            schemas: Vec::new(),
            holders: Vec::new(),
        };
        sites.structure(root, String::new());
        sites
    }

    fn structure(&mut self, value: &'v Value, pointer: String) {
        match value {
            Value::Object(members) => {
                if members.get("schema").is_some_and(Value::is_object) {
                    self.holders.push((pointer.clone(), members));
                }
                for (key, member) in members {
                    if is_payload(&pointer, key) {
                        continue;
                    }
                    let member_pointer = child(&pointer, key);
                    let is_schema = key == "schema" || pointer == "/components/schemas";
                    match member {
                        Value::Object(schema) if is_schema => self.schema(schema, member_pointer),
                        _ => self.structure(member, member_pointer),
                    }
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    self.structure(item, format!("{pointer}/{index}"));
                }
            }
            _ => {}
        }
    }

    fn schema(&mut self, schema: &'v Map<String, Value>, pointer: String) {
        self.schemas.push((pointer.clone(), schema));
        for (key, sub) in sub_schemas(schema) {
            self.schema(sub, format!("{pointer}/{key}"));
        }
    }
}

/// The direct sub-schemas of a schema, with their pointer suffixes.
fn sub_schemas(schema: &Map<String, Value>) -> Vec<(String, &Map<String, Value>)> {
    let mut subs = Vec::new();
    if let Some(Value::Object(properties)) = schema.get("properties") {
        for (name, property) in properties {
            if let Value::Object(property) = property {
                subs.push((
                    format!("properties/{}", openapi_source::escape_token(name)),
                    property,
                ));
            }
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(Value::Object(sub)) = schema.get(key) {
            subs.push((key.to_owned(), sub));
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        for (index, sub) in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Value::Object(sub) = sub {
                subs.push((format!("{key}/{index}"), sub));
            }
        }
    }
    subs
}

/// Whether a schema says what it is: a type, a reference or a composition.
fn is_typed(schema: &Map<String, Value>) -> bool {
    ["type", "$ref", "allOf", "anyOf", "oneOf", "not"]
        .iter()
        .any(|key| schema.contains_key(*key))
}

/// The `type`s of an OpenAPI 3.0 Schema Object (a single string; 3.0 has
/// no `null` type and no lists).
pub(super) const SCHEMA_TYPES: &[&str] =
    &["string", "number", "integer", "boolean", "array", "object"];

/// OpenAPI 3.0's schema keywords in a 3.1 or 3.2 document, read from the
/// document as written (its 3.0 form writes `nullable` itself): JSON Schema
/// 2020-12 ignores `nullable` and reads `exclusiveMinimum` as a number.
fn version_keywords(report: &mut Report<'_>) {
    let written = report.source.value();
    let sites = SchemaSites::collect(written);
    if report
        .root()
        .get(openapi_source::version::ORIGINAL_VERSION)
        .is_none()
    {
        // A 3.0 document with 3.1's numeric bounds, read as 3.1 means them.
        for (pointer, schema) in &sites.schemas {
            for bound in ["exclusiveMinimum", "exclusiveMaximum"] {
                if schema.get(bound).is_some_and(Value::is_number) {
                    report.at(
                        &child(pointer, bound),
                        Rule::VersionKeyword,
                        format!("a numeric `{bound}` is OpenAPI 3.1's; in 3.0 it is a boolean beside the bound (read here as 3.1 means it: the bound, exclusive)"),
                    );
                }
            }
        }
        return;
    }
    for (pointer, schema) in &sites.schemas {
        if schema.contains_key("nullable") {
            report.at(
                &child(pointer, "nullable"),
                Rule::VersionKeyword,
                "`nullable` is OpenAPI 3.0's; a 3.1 schema says `type: [..., \"null\"]` (JSON Schema validators ignore `nullable`, so they refuse the `null` this schema means to allow; this project's tools read it as 3.0 does)",
            );
        }
        for bound in ["exclusiveMinimum", "exclusiveMaximum"] {
            if schema.get(bound).is_some_and(Value::is_boolean) {
                report.at(
                    &child(pointer, bound),
                    Rule::VersionKeyword,
                    format!("a boolean `{bound}` is OpenAPI 3.0's; in 3.1 it is the bound itself, a number"),
                );
            }
        }
    }
}

/// `nullable` without a `type` beside it in a 3.0 document: OpenAPI 3.0.3
/// ("Clarify Nullable") gives it effect only beside `type` in the same
/// Schema Object, so a validator that follows 3.0.3 refuses the `null` the
/// author meant to allow. (A 3.1 document's `nullable` is
/// `version-keyword`'s.)
fn nullable_without_type(report: &mut Report<'_>, sites: &SchemaSites<'_>) {
    if report
        .root()
        .get(openapi_source::version::ORIGINAL_VERSION)
        .is_some()
    {
        return;
    }
    for (pointer, schema) in &sites.schemas {
        if schema.get("nullable") == Some(&Value::Bool(true)) && !schema.contains_key("type") {
            report.at(
                &child(pointer, "nullable"),
                Rule::NullableWithoutType,
                "`nullable` without `type` beside it: OpenAPI 3.0.3 gives it effect only beside `type` in the same schema, so validators that follow 3.0.3 refuse the `null` it means to allow (this project's tools read it as allowing `null`); say the `type` too",
            );
        }
    }
}

/// A schema with `properties` whose `required` names a member none of them
/// defines: valid JSON Schema (the member must be there, of any type), but
/// mostly a misspelt or forgotten property. A branch of a composition is
/// left alone: it may require what the schema around it defines.
fn required_undefined(report: &mut Report<'_>, sites: &SchemaSites<'_>) {
    for (pointer, schema) in &sites.schemas {
        if is_branch(pointer) {
            continue;
        }
        let (Some(properties), Some(required)) = (
            schema.get("properties").and_then(Value::as_object),
            schema.get("required").and_then(Value::as_array),
        ) else {
            continue;
        };
        for (index, name) in required.iter().enumerate() {
            let Some(name) = name.as_str() else {
                continue;
            };
            if !properties.contains_key(name) {
                report.at(
                    &child(&child(pointer, "required"), &index.to_string()),
                    Rule::RequiredUndefined,
                    format!("`{name}` is required but not among the schema's `properties`: the member must be present, of any type (is it misspelt, or its property missing?)"),
                );
            }
        }
    }
}

/// Whether the schema at `pointer` is an `allOf`, `anyOf` or `oneOf` item.
fn is_branch(pointer: &str) -> bool {
    let mut tokens = pointer.rsplit('/');
    let (index, keyword) = (tokens.next(), tokens.next());
    index.is_some_and(|index| index.parse::<usize>().is_ok())
        && matches!(keyword, Some("allOf" | "anyOf" | "oneOf"))
}

pub(super) fn check(report: &mut Report<'_>, sites: &SchemaSites<'_>) {
    version_keywords(report);
    nullable_without_type(report, sites);
    required_undefined(report, sites);
    let root = report.root();
    // OpenAPI 3.1 and 3.2 schemas are JSON Schema, where `items` is optional.
    let items_required = root
        .get(openapi_source::version::ORIGINAL_VERSION)
        .is_none();
    for (pointer, schema) in &sites.schemas {
        if items_required
            && schema.get("type").and_then(Value::as_str) == Some("array")
            && !schema.contains_key("items")
            && !schema.contains_key("$ref")
        {
            report.at(
                pointer,
                Rule::ArrayItemsMissing,
                "`type: array` without `items`; OpenAPI 3.0 requires `items` (`items: {}` for any value)",
            );
        }
        // openapiv3 reads an unknown `type` as "any type", so a typo would
        // surface only at an example that uses the schema, far from it.
        if let Some(kind) = schema.get("type")
            && !kind
                .as_str()
                .is_some_and(|kind| SCHEMA_TYPES.contains(&kind))
        {
            report.at(
                &child(pointer, "type"),
                Rule::OpenapiStructure,
                format!(
                    "`type` is {kind}; OpenAPI 3.0 knows {}",
                    SCHEMA_TYPES.join(", ")
                ),
            );
        }
        if let Some(Value::Object(properties)) = schema.get("properties") {
            for (name, property) in properties {
                if property.as_object().is_some_and(|p| !is_typed(p)) {
                    report.at(
                        &child(&child(pointer, "properties"), name),
                        Rule::SchemaUntyped,
                        format!("property `{name}` has no type, `$ref` or composition"),
                    );
                }
            }
        }
        if let Some(Value::Object(items)) = schema.get("items")
            && !is_typed(items)
        {
            report.at(
                &child(pointer, "items"),
                Rule::SchemaUntyped,
                "array items have no type, `$ref` or composition",
            );
        }
        for key in ["enum", "x-extensible-enum"] {
            if let Some(values) = schema.get(key) {
                check_enum(report, &child(pointer, key), key, values, items_required);
            }
        }
        if schema.get("type").and_then(Value::as_str) == Some("integer")
            && !schema.contains_key("format")
        {
            report.at(
                &child(pointer, "type"),
                Rule::IntegerFormat,
                "integer schema has no `format`; say `int32` or `int64` as the wire carries it",
            );
        }
    }
}

/// An `enum` (or `x-extensible-enum`) that is not a list, lists no value
/// or lists one twice. OpenAPI 3.0 requires a value at least (`openapi_30`);
/// JSON Schema 2020-12, which 3.1 and 3.2 schemas are, allows an empty
/// `enum`, which no value fits: a contradiction of the schema's, not a
/// document the generator cannot read (Discord's `status` query).
fn check_enum(report: &mut Report<'_>, pointer: &str, key: &str, values: &Value, openapi_30: bool) {
    let Some(values) = values.as_array() else {
        report.at(
            pointer,
            Rule::EnumValues,
            format!("`{key}` must be a list of values"),
        );
        return;
    };
    if values.is_empty() && (openapi_30 || key != "enum") {
        report.at(
            pointer,
            Rule::EnumValues,
            format!("`{key}` lists no values"),
        );
    } else if values.is_empty() {
        report.at(
            pointer,
            Rule::ConstraintContradiction,
            "`enum` lists no values: no value fits this schema",
        );
    }
    let mut seen = BTreeSet::new();
    for (index, value) in values.iter().enumerate() {
        let text = value.to_string();
        if !seen.insert(text.clone()) {
            report.at(
                &format!("{pointer}/{index}"),
                Rule::EnumValues,
                format!("`{key}` lists {text} more than once"),
            );
        }
    }
}
