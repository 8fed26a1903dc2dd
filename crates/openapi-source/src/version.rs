//! OpenAPI 3.1 and 3.2 read into the one model: a document of either is
//! rewritten, in place, into the OpenAPI 3.0 form every consumer reads
//! (`openapiv3`'s model, the generator, the diff), keeping JSON Pointers
//! where they were so findings stay located in the file as written.
//!
//! What 3.0 can say is said its way (`type: [T, "null"]` is `type: T,
//! nullable: true`; `const` is a one-value `enum`; a numeric
//! `exclusiveMinimum` is `minimum` with `exclusiveMinimum: true`; a schema's
//! `examples` array gives its `example`). Webhooks move to `x-webhooks`,
//! as 3.0 documents write them (the generator reads them there). What 3.0
//! cannot say is kept under an `x-` name (`pathItems` components, 3.2's
//! `query` operations and `itemSchema`) or, for JSON Schema keywords with
//! no 3.0 counterpart, left where it is (3.0 readers ignore it; the diff
//! and the example check read it); each of those is returned as a
//! [`Note`], so a caller can say what it does not take.

use serde_json::{Map, Value};

use crate::child;

/// The OpenAPI versions read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    V30,
    V31,
    V32,
}

impl Version {
    /// The version an `openapi` member names (`3.0.3`, `3.1.0`, `3.2.0`):
    /// `3.<minor>.<patch>`, with a patch of digits.
    pub fn of(openapi: &str) -> Option<Version> {
        let rest = openapi.strip_prefix("3.")?;
        let (minor, patch) = rest.split_once('.')?;
        if patch.is_empty() || !patch.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match minor {
            "0" => Some(Version::V30),
            "1" => Some(Version::V31),
            "2" => Some(Version::V32),
            _ => None,
        }
    }

    /// The version of the document `root`, if it names one read here.
    pub fn of_document(root: &Value) -> Option<Version> {
        root.get("openapi")?.as_str().and_then(Version::of)
    }
}

/// Something of a 3.1/3.2 document the 3.0 form does not carry: where
/// (JSON Pointer) and what.
pub type Note = (String, String);

/// The member that records a rewritten document's own version.
pub const ORIGINAL_VERSION: &str = "x-original-openapi";

/// Rewrites a 3.1 or 3.2 document into the 3.0 form (of a 3.0 document,
/// only the numeric exclusive bounds 3.0 documents write in 3.1's form);
/// returns what the 3.0 form does not carry.
pub fn to_30(root: &mut Value) -> Vec<Note> {
    let Some(version) = Version::of_document(root) else {
        return Vec::new();
    };
    if version == Version::V30 {
        numeric_bounds_to_30(root);
        return Vec::new();
    }
    let mut notes = Vec::new();
    if let Value::Object(document) = root {
        document_to_30(document, &mut notes);
    }
    notes
}

/// Members whose values are payloads or names, not schemas: a numeric
/// bound there is data.
const PAYLOADS: &[&str] = &["example", "examples", "default", "enum", "const", "value"];

/// A 3.0 document's numeric `exclusiveMinimum` and `exclusiveMaximum`
/// (3.1's form, which 3.0 documents write too: utoipa's, Hugging Face's
/// text-generation-inference) read as 3.1 means them: the bound, and
/// exclusive; 3.0's reader would refuse the whole document. Lint reports
/// each (`version-keyword`). Payloads and extensions are left alone.
fn numeric_bounds_to_30(node: &mut Value) {
    match node {
        Value::Object(object) => {
            exclusive_bounds(object);
            for (key, member) in object.iter_mut() {
                if !PAYLOADS.contains(&key.as_str()) && !key.starts_with("x-") {
                    numeric_bounds_to_30(member);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(numeric_bounds_to_30),
        _ => {}
    }
}

/// Whether a 3.0 document writes a numeric exclusive bound, which
/// [`to_30`] rewrites (payloads and extensions aside).
pub fn has_numeric_bounds(node: &Value) -> bool {
    match node {
        Value::Object(object) => {
            ["exclusiveMinimum", "exclusiveMaximum"]
                .iter()
                .any(|bound| object.get(*bound).is_some_and(Value::is_number))
                || object.iter().any(|(key, member)| {
                    !PAYLOADS.contains(&key.as_str())
                        && !key.starts_with("x-")
                        && has_numeric_bounds(member)
                })
        }
        Value::Array(items) => items.iter().any(has_numeric_bounds),
        _ => false,
    }
}

/// A numeric `exclusiveMinimum` (`exclusiveMaximum`) in 3.0's form: the
/// bound as `minimum` with `exclusiveMinimum: true`, or dropped where the
/// schema's own `minimum` is stricter (3.1 applies both).
fn exclusive_bounds(object: &mut Map<String, Value>) {
    for (exclusive, inclusive, lower) in [
        ("exclusiveMinimum", "minimum", true),
        ("exclusiveMaximum", "maximum", false),
    ] {
        let Some(bound) = object.get(exclusive).filter(|v| v.is_number()).cloned() else {
            continue;
        };
        let own = object.get(inclusive).and_then(Value::as_f64);
        let edge = bound.as_f64().unwrap_or_default();
        let stricter = own.is_some_and(|own| if lower { own > edge } else { own < edge });
        if stricter {
            object.remove(exclusive);
        } else {
            object.insert(inclusive.into(), bound);
            object.insert(exclusive.into(), Value::Bool(true));
        }
    }
}

fn document_to_30(document: &mut Map<String, Value>, notes: &mut Vec<Note>) {
    if let Some(original) = document.insert("openapi".into(), Value::from("3.0.3")) {
        document.insert(ORIGINAL_VERSION.into(), original);
    }
    document.remove("jsonSchemaDialect");
    document
        .entry("paths")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(Value::Object(info)) = document.get_mut("info") {
        info.remove("summary");
        if let Some(Value::Object(license)) = info.get_mut("license") {
            license.remove("identifier");
        }
    }
    if let Some(Value::Array(tags)) = document.get_mut("tags") {
        for tag in tags.iter_mut().filter_map(Value::as_object_mut) {
            for key in ["parent", "kind", "summary"] {
                tag.remove(key);
            }
        }
    }
    // The generator reads `x-webhooks` as 3.0 documents write them; a
    // `$ref` into a webhook follows it there.
    if let Some(webhooks) = document.remove("webhooks") {
        document.insert("x-webhooks".into(), webhooks);
        let moved = [("#/webhooks".to_owned(), "#/x-webhooks".to_owned())];
        for value in document.values_mut() {
            move_refs(value, &moved);
        }
    }
    if let Some(Value::Object(paths)) = document.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            path_item(item, &child("/paths", path), notes);
        }
    }
    if let Some(Value::Object(components)) = document.get_mut("components") {
        components_to_30(components, notes);
        // A `$ref` to a `pathItems` component (a webhook's) follows it.
        if components.contains_key("x-pathItems") {
            let moved = [(
                "#/components/pathItems".to_owned(),
                "#/components/x-pathItems".to_owned(),
            )];
            for value in document.values_mut() {
                move_refs(value, &moved);
            }
        }
    }
}

/// Each `$ref` to a `from` of `moved` or below it, to its `to` instead:
/// references that follow a part moved elsewhere (3.0's `x-webhooks`, the
/// generator's webhooks read as paths).
pub fn move_refs(value: &mut Value, moved: &[(String, String)]) {
    match value {
        Value::Object(members) => {
            for (key, member) in members.iter_mut() {
                let target = match member {
                    Value::String(reference) if key == "$ref" => moved.iter().find(|(from, _)| {
                        reference
                            .strip_prefix(from.as_str())
                            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
                    }),
                    _ => None,
                };
                match (target, member) {
                    (Some((from, to)), Value::String(reference)) => {
                        reference.replace_range(..from.len(), to);
                    }
                    (_, member) => move_refs(member, moved),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| move_refs(item, moved)),
        _ => {}
    }
}

fn components_to_30(components: &mut Map<String, Value>, notes: &mut Vec<Note>) {
    if let Some(items) = components.remove("pathItems") {
        notes.push((
            "/components/pathItems".into(),
            "`pathItems` components are kept, not generated".into(),
        ));
        components.insert("x-pathItems".into(), items);
    }
    let each = |section: &str| format!("/components/{section}");
    if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
        for (name, node) in schemas.iter_mut() {
            schema(node, &child(&each("schemas"), name), notes);
        }
    }
    for section in ["parameters", "headers"] {
        if let Some(Value::Object(members)) = components.get_mut(section) {
            for (name, node) in members.iter_mut() {
                parameter(node, &child(&each(section), name), notes);
            }
        }
    }
    if let Some(Value::Object(bodies)) = components.get_mut("requestBodies") {
        for (name, node) in bodies.iter_mut() {
            content(node, &child(&each("requestBodies"), name), notes);
        }
    }
    if let Some(Value::Object(responses)) = components.get_mut("responses") {
        for (name, node) in responses.iter_mut() {
            response(node, &child(&each("responses"), name), notes);
        }
    }
    if let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") {
        for (name, node) in schemes.iter_mut() {
            if node.get("type").and_then(Value::as_str) == Some("mutualTLS") {
                notes.push((
                    child(&each("securitySchemes"), name),
                    "a `mutualTLS` scheme has no 3.0 form; the client sends no credential for it"
                        .into(),
                ));
                *node = serde_json::json!({"type": "http", "scheme": "mutual-tls"});
            }
        }
    }
}

/// The members of a Path Item Object that hold an operation (OpenAPI 3.0
/// and 3.1).
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn path_item(item: &mut Value, at: &str, notes: &mut Vec<Note>) {
    let Value::Object(item) = item else { return };
    for (name, kept) in [
        ("query", "x-query"),
        ("additionalOperations", "x-additionalOperations"),
    ] {
        if let Some(value) = item.remove(name) {
            notes.push((
                child(at, name),
                format!("OpenAPI 3.2's `{name}` is kept, not generated"),
            ));
            item.insert(kept.into(), value);
        }
    }
    if let Some(Value::Array(parameters)) = item.get_mut("parameters") {
        for (index, node) in parameters.iter_mut().enumerate() {
            parameter(node, &format!("{at}/parameters/{index}"), notes);
        }
    }
    for method in METHODS {
        if let Some(operation) = item.get_mut(*method) {
            operation_to_30(operation, &child(at, method), notes);
        }
    }
}

fn operation_to_30(operation: &mut Value, at: &str, notes: &mut Vec<Note>) {
    let Value::Object(operation) = operation else {
        return;
    };
    if let Some(Value::Array(parameters)) = operation.get_mut("parameters") {
        for (index, node) in parameters.iter_mut().enumerate() {
            parameter(node, &format!("{at}/parameters/{index}"), notes);
        }
    }
    if let Some(body) = operation.get_mut("requestBody") {
        content(body, &format!("{at}/requestBody"), notes);
    }
    if let Some(Value::Object(responses)) = operation.get_mut("responses") {
        for (status, node) in responses.iter_mut() {
            response(node, &child(&format!("{at}/responses"), status), notes);
        }
    }
    if let Some(Value::Object(callbacks)) = operation.get_mut("callbacks") {
        for (name, callback) in callbacks.iter_mut() {
            let Value::Object(expressions) = callback else {
                continue;
            };
            let base = child(&format!("{at}/callbacks"), name);
            for (expression, item) in expressions.iter_mut() {
                path_item(item, &child(&base, expression), notes);
            }
        }
    }
}

fn parameter(node: &mut Value, at: &str, notes: &mut Vec<Note>) {
    if let Some(node) = node.get_mut("schema") {
        schema(node, &format!("{at}/schema"), notes);
    }
    content(node, at, notes);
}

fn response(node: &mut Value, at: &str, notes: &mut Vec<Note>) {
    content(node, at, notes);
    if let Some(Value::Object(headers)) = node.get_mut("headers") {
        for (name, header) in headers.iter_mut() {
            parameter(header, &child(&format!("{at}/headers"), name), notes);
        }
    }
}

/// The media types of a body, response or parameter.
fn content(node: &mut Value, at: &str, notes: &mut Vec<Note>) {
    let Some(Value::Object(media)) = node.get_mut("content") else {
        return;
    };
    for (name, media_type) in media.iter_mut() {
        let here = child(&format!("{at}/content"), name);
        let Value::Object(media_type) = media_type else {
            continue;
        };
        if let Some(item) = media_type.remove("itemSchema") {
            notes.push((
                format!("{here}/itemSchema"),
                "a streamed body's `itemSchema` is kept, not generated".into(),
            ));
            media_type.insert("x-itemSchema".into(), item);
        }
        if let Some(node) = media_type.get_mut("schema") {
            schema(node, &format!("{here}/schema"), notes);
        }
    }
}

/// Keywords whose value is one schema.
const ONE_SCHEMA: &[&str] = &[
    "items",
    "not",
    "additionalProperties",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
];

/// Keywords whose value is a list of schemas.
const SCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// Keywords whose value maps names to schemas.
const SCHEMA_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "dependentSchemas",
];

/// JSON Schema keywords 3.0 has no counterpart for: kept, with a note.
const UNTYPED: &[&str] = &[
    "prefixItems",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedItems",
    "unevaluatedProperties",
    "patternProperties",
    "$defs",
    "$id",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$schema",
    "$comment",
];

/// Rewrites one schema and, first, every schema inside it. A boolean
/// schema (3.1) is `{}` (`true`: anything) or `{not: {}}` (`false`).
pub fn schema(node: &mut Value, at: &str, notes: &mut Vec<Note>) {
    if let Value::Bool(anything) = node {
        *node = if *anything {
            Value::Object(Map::new())
        } else {
            serde_json::json!({"not": {}})
        };
        return;
    }
    let Value::Object(object) = node else {
        return;
    };
    for keyword in ONE_SCHEMA {
        if let Some(inner) = object.get_mut(*keyword) {
            if *keyword == "additionalProperties" && inner.is_boolean() {
                continue; // 3.0 has the boolean form too
            }
            schema(inner, &child(at, keyword), notes);
        }
    }
    for keyword in SCHEMA_LISTS {
        if let Some(Value::Array(list)) = object.get_mut(*keyword) {
            for (index, inner) in list.iter_mut().enumerate() {
                schema(inner, &format!("{}/{index}", child(at, keyword)), notes);
            }
        }
    }
    for keyword in SCHEMA_MAPS {
        if let Some(Value::Object(map)) = object.get_mut(*keyword) {
            for (name, inner) in map.iter_mut() {
                schema(inner, &child(&child(at, keyword), name), notes);
            }
        }
    }
    schema_to_30(object, at, notes);
}

fn schema_to_30(object: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    reference_with_siblings(object);
    type_list(object);
    null_alternative(object, "anyOf");
    null_alternative(object, "oneOf");
    if let Some(value) = object.remove("const") {
        object.insert("enum".into(), Value::Array(vec![value]));
    }
    exclusive_bounds(object);
    if let Some(Value::Array(examples)) = object.remove("examples")
        && let Some(first) = examples.into_iter().next()
    {
        object.entry("example").or_insert(first);
    }
    content_encoding(object);
    // Kept where they are (3.0 readers ignore them; the diff and the
    // example check still read them), and said.
    for keyword in UNTYPED {
        if object.contains_key(*keyword) {
            notes.push((
                child(at, keyword),
                format!("`{keyword}` has no OpenAPI 3.0 form; the generated code does not enforce or type it"),
            ));
        }
    }
    if object.get("type").and_then(Value::as_str) == Some("null") {
        object.remove("type");
        object.insert("nullable".into(), Value::Bool(true));
        object.insert("enum".into(), Value::Array(vec![Value::Null]));
    }
}

/// `$ref` beside other keywords (3.1 applies both; 3.0 ignores the
/// siblings): an `allOf` of the reference and the siblings' schema, unless
/// the siblings only annotate (`description`, `summary`, examples).
fn reference_with_siblings(object: &mut Map<String, Value>) {
    if !object.contains_key("$ref") || object.len() == 1 {
        return;
    }
    let annotations = [
        "description",
        "summary",
        "example",
        "examples",
        "title",
        "deprecated",
    ];
    let constraining = object
        .keys()
        .any(|key| key != "$ref" && !annotations.contains(&key.as_str()) && !key.starts_with("x-"));
    if !constraining {
        let reference = object.remove("$ref").unwrap_or(Value::Null);
        let description = object.remove("description");
        object.clear();
        object.insert("$ref".into(), reference);
        if let Some(description) = description {
            // 3.0 readers ignore it; kept for documentation tools.
            object.insert("x-description".into(), description);
        }
        return;
    }
    let reference = object.remove("$ref").unwrap_or(Value::Null);
    let nullable = object.remove("nullable");
    let mut wrapper = Map::new();
    wrapper.insert("$ref".into(), reference);
    let mut parts = vec![Value::Object(wrapper)];
    if let Some(Value::Array(existing)) = object.remove("allOf") {
        parts.extend(existing);
    }
    object.insert("allOf".into(), Value::Array(parts));
    if let Some(nullable) = nullable {
        object.insert("nullable".into(), nullable);
    }
}

/// `type: [T, "null"]` is `type: T, nullable: true`; several types other
/// than `null` are an `anyOf` of one schema each, with the keywords that
/// apply to its type alone.
fn type_list(object: &mut Map<String, Value>) {
    let Some(Value::Array(types)) = object.get("type") else {
        return;
    };
    let mut named: Vec<String> = types
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    let nullable = named.iter().any(|t| t == "null");
    named.retain(|t| t != "null");
    object.remove("type");
    if nullable {
        object.insert("nullable".into(), Value::Bool(true));
    }
    match named.as_slice() {
        [] if nullable => {
            object.insert("enum".into(), Value::Array(vec![Value::Null]));
        }
        [] => {}
        [one] => {
            object.insert("type".into(), Value::from(one.as_str()));
        }
        several => {
            let alternatives = several.iter().map(|t| alternative(object, t)).collect();
            // The keywords of a listed type went to its alternatives.
            for (family, keywords) in crate::spec::TYPE_KEYWORDS {
                if several.iter().any(|t| family.contains(&t.as_str())) {
                    for keyword in keywords {
                        object.remove(*keyword);
                    }
                }
            }
            object.insert("anyOf".into(), Value::Array(alternatives));
        }
    }
}

/// The alternative of type `kind` of a type list: `{type: kind}` with the
/// keywords of `object` that apply to that type alone (`minimum` to an
/// `integer`, `maxLength` to a `string`), as JSON Schema applies them.
fn alternative(object: &Map<String, Value>, kind: &str) -> Value {
    let mut alternative = Map::new();
    alternative.insert("type".into(), Value::from(kind));
    for (family, keywords) in crate::spec::TYPE_KEYWORDS {
        if family.contains(&kind) {
            for keyword in keywords {
                if let Some(value) = object.get(*keyword) {
                    alternative.insert((*keyword).to_owned(), value.clone());
                }
            }
        }
    }
    Value::Object(alternative)
}

/// `anyOf: [X, {type: "null"}]`: `X` made nullable (`allOf: [X]` with
/// `nullable: true` where `X` is a reference).
fn null_alternative(object: &mut Map<String, Value>, keyword: &str) {
    let Some(Value::Array(members)) = object.get_mut(keyword) else {
        return;
    };
    let is_null = |member: &Value| {
        member.get("type").and_then(Value::as_str) == Some("null")
            || member.get("nullable") == Some(&Value::Bool(true))
                && member.get("enum") == Some(&Value::Array(vec![Value::Null]))
    };
    let before = members.len();
    members.retain(|member| !is_null(member));
    if members.len() == before {
        return;
    }
    object.insert("nullable".into(), Value::Bool(true));
    if let Some(Value::Array(members)) = object.get(keyword)
        && members.len() == 1
    {
        let only = members[0].clone();
        object.remove(keyword);
        if only.get("$ref").is_some() {
            object.insert("allOf".into(), Value::Array(vec![only]));
        } else if let Value::Object(only) = only {
            for (key, value) in only {
                object.entry(key).or_insert(value);
            }
        }
    }
}

/// `contentEncoding: base64` on a string is 3.0's `format: byte`; binary
/// content (`contentMediaType` alone) is `format: binary`.
fn content_encoding(object: &mut Map<String, Value>) {
    let encoding = object.remove("contentEncoding");
    let media = object.remove("contentMediaType");
    if object.contains_key("format") {
        return;
    }
    match encoding.as_ref().and_then(Value::as_str) {
        Some("base64" | "base64url") => {
            object.insert("format".into(), Value::from("byte"));
        }
        _ if encoding.is_none()
            && object.get("type").and_then(Value::as_str) == Some("string")
            && media
                .as_ref()
                .and_then(Value::as_str)
                .is_some_and(|media| !media.starts_with("text/") && !media.contains("json")) =>
        {
            object.insert("format".into(), Value::from("binary"));
        }
        _ => {}
    }
}

/// Fills in what OpenAPI requires and people often leave out, so that
/// every command reads the document anyway: an operation's `responses`
/// (3.0 requires it; 3.1 does not), a response's `description`, `info`'s
/// `title` and `version`. Returns each filled place (pointer, what was
/// missing): a defect for the linter to report in a 3.0 document.
pub fn fill_required(root: &mut Value) -> Vec<Note> {
    let mut filled = Vec::new();
    let Value::Object(document) = root else {
        return filled;
    };
    if let Some(Value::Object(info)) = document.get_mut("info") {
        for key in ["title", "version"] {
            if !info.contains_key(key) {
                info.insert(key.into(), Value::from(""));
                filled.push(("/info".into(), format!("`info` has no `{key}`")));
            }
        }
    }
    if let Some(Value::Object(paths)) = document.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            fill_path_item(item, &child("/paths", path), &mut filled);
        }
    }
    if let Some(Value::Object(responses)) = document
        .get_mut("components")
        .and_then(|components| components.get_mut("responses"))
    {
        for (name, response) in responses.iter_mut() {
            fill_description(response, &child("/components/responses", name), &mut filled);
        }
    }
    filled
}

fn fill_path_item(item: &mut Value, at: &str, filled: &mut Vec<Note>) {
    let Value::Object(item) = item else { return };
    for method in METHODS {
        let Some(Value::Object(operation)) = item.get_mut(*method) else {
            continue;
        };
        let here = child(at, method);
        let responses = operation.entry("responses").or_insert_with(|| {
            filled.push((here.clone(), "the operation has no `responses`".into()));
            Value::Object(Map::new())
        });
        if let Value::Object(responses) = responses {
            for (status, response) in responses.iter_mut() {
                fill_description(response, &child(&child(&here, "responses"), status), filled);
            }
        }
    }
}

fn fill_description(response: &mut Value, at: &str, filled: &mut Vec<Note>) {
    if let Value::Object(response) = response
        && !response.contains_key("$ref")
        && !response.contains_key("description")
    {
        response.insert("description".into(), Value::from(""));
        filled.push((at.to_owned(), "the response has no `description`".into()));
    }
}

/// `$ref`s whose fragment is percent-encoded, as a URI fragment may be
/// (`#/paths/~1incidents~1%7Bincident_id%7D~1meeting`, PagerDuty), are
/// rewritten as the plain JSON Pointer every reader resolves. Returns
/// how many were.
pub fn decode_ref_fragments(root: &mut Value) -> usize {
    let mut decoded = 0;
    let mut pending = vec![root];
    while let Some(node) = pending.pop() {
        match node {
            Value::Object(members) => {
                if let Some(Value::String(target)) = members.get_mut("$ref")
                    && let Some(plain) = decoded_fragment(target)
                {
                    *target = plain;
                    decoded += 1;
                }
                pending.extend(members.values_mut());
            }
            Value::Array(items) => pending.extend(items.iter_mut()),
            _ => {}
        }
    }
    decoded
}

/// Whether a `$ref` of `root` has a percent-encoded fragment
/// ([`decode_ref_fragments`]).
pub fn has_encoded_ref_fragments(root: &Value) -> bool {
    let mut pending = vec![root];
    while let Some(node) = pending.pop() {
        match node {
            Value::Object(members) => {
                if let Some(Value::String(target)) = members.get("$ref")
                    && decoded_fragment(target).is_some()
                {
                    return true;
                }
                pending.extend(members.values());
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    false
}

/// `target` with its fragment percent-decoded, if that changes it (and
/// the decoded fragment is UTF-8).
pub fn decoded_fragment(target: &str) -> Option<String> {
    let (document, fragment) = target.split_once('#')?;
    if !fragment.contains('%') {
        return None;
    }
    let plain = percent_encoding::percent_decode_str(fragment)
        .decode_utf8()
        .ok()?;
    (plain != fragment).then(|| format!("{document}#{plain}"))
}

/// An operation's callback written as a `$ref` (OpenAPI 3.0 and later
/// allow it; `openapiv3`'s `Operation` holds callbacks inline only) is
/// replaced by the `#/components/callbacks` entry it names, followed
/// through further `$ref`s. A `$ref` that names nothing is left for the
/// reader to refuse where it stands. Returns the callbacks replaced, as
/// JSON Pointers.
pub fn inline_callback_refs(root: &mut Value) -> Vec<String> {
    let replacements: Vec<(String, Value)> = callback_refs(root)
        .into_iter()
        .filter_map(|(at, target)| Some((at, callback_at(root, &target)?.clone())))
        .collect();
    for (at, callback) in &replacements {
        if let Some(node) = root.pointer_mut(at) {
            *node = callback.clone();
        }
    }
    replacements.into_iter().map(|(at, _)| at).collect()
}

/// Whether an operation of `root` has a callback written as a `$ref`
/// ([`inline_callback_refs`]).
pub fn has_callback_refs(root: &Value) -> bool {
    !callback_refs(root).is_empty()
}

/// The operations' callbacks written as `$ref`s: where (JSON Pointer),
/// and the target as written.
pub fn callback_refs(root: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let Some(paths) = root.get("paths").and_then(Value::as_object) else {
        return found;
    };
    for (path, item) in paths {
        for method in METHODS {
            let Some(callbacks) = item
                .get(*method)
                .and_then(|operation| operation.get("callbacks"))
                .and_then(Value::as_object)
            else {
                continue;
            };
            let at = format!("{}/callbacks", child(&child("/paths", path), method));
            for (name, callback) in callbacks {
                if let Some(target) = callback.get("$ref").and_then(Value::as_str) {
                    found.push((child(&at, name), target.to_owned()));
                }
            }
        }
    }
    found
}

/// The callback component `target` names, through at most eight `$ref`s.
fn callback_at<'a>(root: &'a Value, target: &str) -> Option<&'a Value> {
    let mut target = target;
    for _ in 0..8 {
        let pointer = target.strip_prefix('#')?;
        if !pointer.starts_with("/components/callbacks/") {
            return None;
        }
        let node = root.pointer(pointer)?;
        match node.get("$ref").and_then(Value::as_str) {
            Some(next) => target = next,
            None => return node.is_object().then_some(node),
        }
    }
    None
}

/// Whether [`fill_required`] would fill anything in (read only: a document
/// that needs nothing is not copied).
pub fn lacks_required(root: &Value) -> bool {
    let info_lacks = root
        .get("info")
        .and_then(Value::as_object)
        .is_some_and(|info| !info.contains_key("title") || !info.contains_key("version"));
    let response_lacks = |response: &Value| {
        response.as_object().is_some_and(|response| {
            !response.contains_key("$ref") && !response.contains_key("description")
        })
    };
    let operation_lacks = |operation: &Value| match operation.get("responses") {
        None => operation.is_object(),
        Some(Value::Object(responses)) => responses.values().any(response_lacks),
        Some(_) => false,
    };
    let paths_lack = root
        .get("paths")
        .and_then(Value::as_object)
        .is_some_and(|paths| {
            paths.values().any(|item| {
                METHODS
                    .iter()
                    .filter_map(|method| item.get(*method))
                    .any(operation_lacks)
            })
        });
    let components_lack = root
        .pointer("/components/responses")
        .and_then(Value::as_object)
        .is_some_and(|responses| responses.values().any(response_lacks));
    info_lacks || paths_lack || components_lack
}
