//! The lint rule `form-body-ambiguous`: a form body
//! (`application/x-www-form-urlencoded`) with a member that is an array
//! or an object and no `encoding` for it, an array whose `encoding` says
//! `style: deepObject`, or a `deepObject` object with array or object
//! members (OpenAPI defines `deepObject` for flat objects: Stripe's
//! `shipping[address]`, an object that may be empty, is no pair at all
//! when it is); a multipart body (`multipart/form-data`)
//! with a member that is an array and no `encoding` for it, which a
//! multipart body writes as one part per item, so that an array of one
//! item is the same bytes as a single value (schemathesis sends `tags`
//! once and expects a refusal). A form is flat `name=value` pairs: an array
//! of one item is the same bytes as a string (`tags=a`), an empty array
//! is no pair at all, and an object (or an array of them) has no standard
//! way to be written. OpenAPI defines `deepObject` for objects only, so
//! it says nothing of an array either (Stripe's `expand`, `items`: its
//! clients write `items[0][price]=p`, schemathesis writes repeated
//! `items=` pairs, which cannot carry an object). The generated server
//! reads such members as best it can (repeated names as arrays, a missing
//! required array as empty, `name[key]=value` and `name[0][key]=value` by
//! the schema); a client of another tool may mean otherwise, and no
//! server can tell.

use serde_json::Value;

use super::walk::{operations, resolve};

/// An operation whose form body has members a form cannot write
/// unambiguously.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambiguous {
    /// The pointer to the form media type.
    pub pointer: String,
    /// The operation's path and method as the spec writes them.
    pub path: String,
    /// The body's media type (its essence): a form or a multipart body.
    pub media: &'static str,
    pub method: String,
    /// The members a form cannot write unambiguously.
    pub members: Vec<String>,
    /// Those of `members` that are arrays encoded as `deepObject`: only
    /// written without brackets (`expand=a`) are they ambiguous.
    pub deep_arrays: Vec<String>,
    /// Those of `members` that are objects encoded as `deepObject` with
    /// array or object members of their own: only those nested members
    /// are ambiguous (Stripe's `shipping[address]`, an object that may be
    /// empty, is no pair at all when it is).
    pub deep_objects: Vec<String>,
    /// For a query object, the parameter's name.
    pub parameter: Option<String>,
    pub message: String,
}

const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// Every operation of `raw` whose form body has array or object members
/// without an `encoding`.
pub fn ambiguous(raw: &Value) -> Vec<Ambiguous> {
    let mut found = Vec::new();
    for (path, method, _, operation) in operations(raw) {
        let Some(body) = operation.get("requestBody") else {
            continue;
        };
        let body = resolve(raw, body);
        for essence in [FORM, MULTIPART] {
            let Some((media_type, media)) = media_of(body, essence) else {
                continue;
            };
            let Nested {
                members,
                deep_arrays,
                deep_objects,
            } = nested_members(raw, media, essence == MULTIPART);
            if members.is_empty() {
                continue;
            }
            found.push(Ambiguous {
                pointer: format!(
                    "/paths/{}/{method}/requestBody/content/{}",
                    openapi_source::escape_token(path),
                    openapi_source::escape_token(media_type)
                ),
                path: path.clone(),
                media: essence,
                method: method.to_owned(),
                message: message(essence, method, path, &members),
                members,
                deep_arrays,
                deep_objects,
                parameter: None,
            });
        }
    }
    found
}

/// Every query parameter of `raw` that is an object in `form` style with
/// `explode` (OpenAPI's default: each member a query parameter of its
/// own), or in `deepObject` style, and has array or object members:
/// OpenAPI leaves how those are written undefined, and a form writes an
/// empty array, or an empty object, as `name=` or as nothing. The lint rule
/// `query-object-ambiguous`; `media` is `query`.
pub fn ambiguous_query_objects(raw: &Value) -> Vec<Ambiguous> {
    let mut found = Vec::new();
    for (path, method, pointer, parameter) in parameters(raw) {
        let Some((name, written, members)) = exploded_object_members(raw, parameter) else {
            continue;
        };
        let listed = members
            .iter()
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>()
            .join(", ");
        found.push(Ambiguous {
            pointer,
            path: path.clone(),
            media: "query",
            method: method.to_owned(),
            message: format!(
                "{} {path} takes the query parameter `{name}`, an object written {written}, whose members {listed} are arrays or objects: OpenAPI leaves how those are written undefined, and an empty one is written `{}=` or not at all, so clients and servers may read them apart",
                method.to_ascii_uppercase(),
                members[0]
            ),
            members,
            deep_arrays: Vec::new(),
            deep_objects: Vec::new(),
            parameter: Some(name),
        });
    }
    found
}

/// Every array query or header parameter of `raw` written as one value
/// (`form` without `explode`, `spaceDelimited`, `pipeDelimited`; a
/// header always) that may be empty (no `minItems` above 0) and whose
/// items refuse the empty text (an `enum` without `""`, a `minLength`, a
/// number or a boolean): `name=` (a header sent empty) is both the empty
/// array, valid, and an array of one empty item, invalid, so no server
/// can tell a request to accept from one to refuse (the generated server
/// reads the empty array, as HTTP reads an empty list of a header). The
/// lint rule `array-parameter-empty-ambiguous`; `media` is where the
/// parameter is (`query`, `header`), `members` empty.
pub fn ambiguous_empty_arrays(raw: &Value) -> Vec<Ambiguous> {
    let mut found = Vec::new();
    for (path, method, pointer, parameter) in parameters(raw) {
        let Some((place, name)) = empty_ambiguous_array(raw, parameter) else {
            continue;
        };
        let written = if place == "query" {
            format!("`{name}=`")
        } else {
            format!("an empty `{name}` header")
        };
        found.push(Ambiguous {
            pointer,
            path: path.clone(),
            media: place,
            method: method.to_owned(),
            message: format!(
                "{} {path} takes the {place} parameter `{name}`, an array written as one value whose items cannot be empty and which may itself be empty (no `minItems`): {written} writes both the empty array and an array of one empty item, so clients and servers may read it apart (say `minItems: 1`, or allow the empty item)",
                method.to_ascii_uppercase(),
            ),
            members: Vec::new(),
            deep_arrays: Vec::new(),
            deep_objects: Vec::new(),
            parameter: Some(name),
        });
    }
    found
}

/// Each parameter of each operation of `raw` (those of its path first),
/// resolved, with its operation's path and method and the pointer to it
/// as written.
fn parameters(raw: &Value) -> Vec<(&String, &'static str, String, &Value)> {
    let mut found = Vec::new();
    for (path, method, item, operation) in operations(raw) {
        let lists = [
            ("parameters".to_owned(), item.get("parameters")),
            (format!("{method}/parameters"), operation.get("parameters")),
        ];
        for (list, parameters) in lists {
            let parameters = parameters.and_then(Value::as_array).into_iter().flatten();
            for (index, parameter) in parameters.enumerate() {
                let pointer = format!(
                    "/paths/{}/{list}/{index}",
                    openapi_source::escape_token(path)
                );
                found.push((path, method, pointer, resolve(raw, parameter)));
            }
        }
    }
    found
}

/// Where a parameter that [`ambiguous_empty_arrays`] reports is, and its
/// name.
fn empty_ambiguous_array(raw: &Value, parameter: &Value) -> Option<(&'static str, String)> {
    let style = parameter.get("style").and_then(Value::as_str);
    let explode = parameter.get("explode").and_then(Value::as_bool);
    let place = match parameter.get("in").and_then(Value::as_str) {
        Some("query") => "query",
        Some("header") => "header",
        _ => return None,
    };
    let one_value = match (place, style.unwrap_or("form")) {
        ("header", _) => true,
        (_, "form") => explode == Some(false),
        (_, "spaceDelimited" | "pipeDelimited") => explode != Some(true),
        _ => false,
    };
    if !one_value {
        return None;
    }
    let schema = resolve(raw, parameter.get("schema")?);
    let is_array = schema.get("type").and_then(Value::as_str) == Some("array");
    let may_be_empty = schema
        .get("minItems")
        .and_then(Value::as_u64)
        .is_none_or(|least| least == 0);
    let items = resolve(raw, schema.get("items")?);
    let name = parameter.get("name")?.as_str()?;
    (is_array && may_be_empty && refuses_empty_text(items)).then(|| (place, name.to_owned()))
}

/// Whether a query item of `schema` cannot be the empty text.
fn refuses_empty_text(schema: &Value) -> bool {
    let not_text = matches!(
        schema.get("type").and_then(Value::as_str),
        Some("integer" | "number" | "boolean")
    );
    let enum_without_empty = schema
        .get("enum")
        .and_then(Value::as_array)
        .is_some_and(|values| !values.iter().any(|value| value == ""));
    let least = schema.get("minLength").and_then(Value::as_u64);
    not_text || enum_without_empty || least.is_some_and(|least| least > 0)
}

/// The name of a query parameter that is an object in `form` style with
/// `explode`, and its members that are arrays or objects, where it has
/// any.
fn exploded_object_members(
    raw: &Value,
    parameter: &Value,
) -> Option<(String, &'static str, Vec<String>)> {
    let explode = parameter
        .get("explode")
        .is_none_or(|explode| explode == true);
    let written = match parameter.get("style").and_then(Value::as_str) {
        None | Some("form") if explode => "member by member (`form`, `explode`)",
        Some("deepObject") => "as `deepObject`",
        _ => return None,
    };
    if parameter.get("in").and_then(Value::as_str) != Some("query") {
        return None;
    }
    let schema = resolve(raw, parameter.get("schema")?);
    let mut members = Vec::new();
    for shape in std::iter::once(schema).chain(branches(raw, schema)) {
        let properties = shape.get("properties").and_then(Value::as_object);
        for (name, member) in properties.into_iter().flatten() {
            if holds_values(resolve(raw, member)) && !members.contains(name) {
                members.push(name.clone());
            }
        }
    }
    let name = parameter.get("name")?.as_str()?.to_owned();
    (!members.is_empty()).then_some((name, written, members))
}

/// Whether `schema` is an array or an object (a map included): what a
/// form has no standard way to write within another value.
fn holds_values(schema: &Value) -> bool {
    let kind = schema.get("type").and_then(Value::as_str);
    matches!(kind, Some("array" | "object"))
        || schema.get("items").is_some()
        || schema.get("properties").is_some()
        || schema
            .get("additionalProperties")
            .is_some_and(Value::is_object)
}

/// Whether the object `schema` (or a branch of it) has a member that is
/// an array or an object.
fn has_nested_members(raw: &Value, schema: &Value) -> bool {
    std::iter::once(schema)
        .chain(branches(raw, schema))
        .filter_map(|shape| shape.get("properties").and_then(Value::as_object))
        .flatten()
        .any(|(_, member)| holds_values(resolve(raw, member)))
}

fn message(essence: &str, method: &str, path: &str, members: &[String]) -> String {
    let method = method.to_ascii_uppercase();
    let members = members
        .iter()
        .map(|m| format!("`{m}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if essence == MULTIPART {
        return format!(
            "{method} {path} takes a multipart body whose members {members} are arrays with no `encoding`: a multipart body writes an array as one part per item, so an array of one item is the same bytes as a single value and an empty one is no part at all, and clients and servers may read them apart"
        );
    }
    format!(
        "{method} {path} takes a form body whose members {members} are arrays or objects with no `encoding`, arrays encoded as `deepObject` (which OpenAPI defines for objects only), or `deepObject` objects with array or object members (which OpenAPI leaves undefined): a form writes an array of one item as a string and an empty array or object as nothing, and has no standard way to write an object within another value, so clients and servers may read them apart"
    )
}

fn media_of<'a>(body: &'a Value, wanted: &str) -> Option<(&'a String, &'a Value)> {
    body.get("content")?.as_object()?.iter().find(|(name, _)| {
        name.split(';')
            .next()
            .is_some_and(|essence| essence.trim().eq_ignore_ascii_case(wanted))
    })
}

/// The form body's members that are arrays or objects and have no
/// `encoding` entry, or arrays encoded as `deepObject` (those of each
/// alternative of a union body too); of a `multipart` body, the arrays
/// with no `encoding` entry (an object is a part of its own, in JSON).
/// A form body's members that [`ambiguous`] reports.
#[derive(Debug, Default)]
struct Nested {
    members: Vec<String>,
    deep_arrays: Vec<String>,
    deep_objects: Vec<String>,
}

/// The members of the body `media` that a form cannot write
/// unambiguously: arrays and objects without an `encoding`, arrays
/// encoded as `deepObject`, and `deepObject` objects with array or
/// object members (OpenAPI defines `deepObject` for flat objects only).
fn nested_members(raw: &Value, media: &Value, multipart: bool) -> Nested {
    let schema = resolve(raw, media.get("schema").unwrap_or(&Value::Null));
    let encoded = media.get("encoding").and_then(Value::as_object);
    let mut found = Nested::default();
    for shape in std::iter::once(schema).chain(branches(raw, schema)) {
        let properties = shape.get("properties").and_then(Value::as_object);
        for (name, member) in properties.into_iter().flatten() {
            let member = resolve(raw, member);
            // The member or an alternative of it (Stripe's `anyOf:
            // [object, enum: [""]]`).
            let shapes: Vec<&Value> = std::iter::once(member)
                .chain(branches(raw, member))
                .collect();
            let is = |kind: &str, key: &str| {
                shapes.iter().any(|shape| {
                    shape.get("type").and_then(Value::as_str) == Some(kind)
                        || shape.get(key).is_some()
                })
            };
            let array = is("array", "items");
            let object = is("object", "properties");
            let nested = array || (object && !multipart);
            let encoding = encoded.and_then(|encoding| encoding.get(name));
            let deep = encoding
                .and_then(|encoding| encoding.get("style"))
                .is_some_and(|style| style == "deepObject");
            let deep_array = deep && array;
            let deep_object = deep
                && !array
                && object
                && shapes.iter().any(|shape| has_nested_members(raw, shape));
            let unwritable = encoding.is_none() || deep_array || deep_object;
            if !nested || !unwritable || found.members.contains(name) {
                continue;
            }
            found.members.push(name.clone());
            if deep_array {
                found.deep_arrays.push(name.clone());
            }
            if deep_object {
                found.deep_objects.push(name.clone());
            }
        }
    }
    found
}

/// The alternatives and parts of a union or composed schema, resolved.
fn branches<'a>(raw: &'a Value, schema: &'a Value) -> impl Iterator<Item = &'a Value> {
    ["oneOf", "anyOf", "allOf"]
        .into_iter()
        .filter_map(|key| schema.get(key).and_then(Value::as_array))
        .flatten()
        .map(|branch| resolve(raw, branch))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_deep_object_with_nested_members_is_ambiguous_through_an_alternative_too() {
        // Stripe's `shipping`: `anyOf: [object, enum: [""]]`, `deepObject`,
        // its `address` an object that may be empty. A flat `deepObject`
        // object (`metadata`) is not.
        let shipping = json!({"anyOf": [
            {"type": "object", "required": ["address"], "properties": {
                "address": {"type": "object", "properties": {"city": {"type": "string"}}}}},
            {"type": "string", "enum": [""]}
        ]});
        let spec = json!({"paths": {"/charges": {"post": {"requestBody": {"content": {
            "application/x-www-form-urlencoded": {
                "encoding": {"shipping": {"style": "deepObject"}, "metadata": {"style": "deepObject"}},
                "schema": {"type": "object", "properties": {"shipping": shipping,
                    "metadata": {"type": "object", "properties": {"note": {"type": "string"}}}}}}}},
            "responses": {"200": {"description": "ok"}}}}}});
        let found = ambiguous(&spec);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].members, ["shipping"]);
        assert_eq!(found[0].deep_objects, ["shipping"]);
    }

    #[test]
    fn an_array_in_one_value_that_may_be_empty_with_items_that_may_not_is_ambiguous() {
        // Asana's `opt_fields` (an enum, `form` without `explode`), the
        // Petstore's `kind` (`pipeDelimited`); not an exploded array, one
        // that says `minItems: 1`, nor one whose items may be empty.
        let spec = json!({"paths": {"/pets": {"get": {"parameters": [
            {"name": "opt_fields", "in": "query", "explode": false, "schema": {"type": "array",
                "items": {"type": "string", "enum": ["name", "notes"]}}},
            {"name": "kind", "in": "query", "style": "pipeDelimited", "schema": {"type": "array",
                "items": {"$ref": "#/components/schemas/Kind"}}},
            {"name": "ids", "in": "query", "explode": false, "schema": {"type": "array",
                "items": {"type": "integer"}}},
            {"name": "exploded", "in": "query", "schema": {"type": "array",
                "items": {"type": "integer"}}},
            {"name": "least", "in": "query", "explode": false, "schema": {"type": "array",
                "minItems": 1, "items": {"type": "integer"}}},
            {"name": "words", "in": "query", "explode": false, "schema": {"type": "array",
                "items": {"type": "string"}}},
            {"name": "h", "in": "header", "schema": {"type": "array",
                "items": {"type": "integer"}}},
            {"name": "p", "in": "path", "required": true, "schema": {"type": "array",
                "items": {"type": "integer"}}}
        ]}}}, "components": {"schemas": {"Kind": {"type": "string", "minLength": 1}}}});
        let found = ambiguous_empty_arrays(&spec);
        let names: Vec<_> = found
            .iter()
            .filter_map(|a| a.parameter.as_deref())
            .collect();
        // iceberg's `X-Iceberg-Access-Delegation` header, sent empty.
        assert_eq!(names, ["opt_fields", "kind", "ids", "h"]);
        assert_eq!(found[3].media, "header");
        assert!(found[3].message.contains("an empty `h` header"));
        assert_eq!(found[1].pointer, "/paths/~1pets/get/parameters/1");
        assert!(found[0].message.contains("`opt_fields=` writes both"));
    }

    #[test]
    fn an_exploded_object_query_parameter_with_containers_is_ambiguous() {
        // influxdb's annotationd: `AnnotationListFilter` (`allOf`) has an
        // array and a map member.
        let spec = json!({"paths": {"/annotations": {"get": {"parameters": [
            {"name": "filter", "in": "query", "schema": {"allOf": [
                {"type": "object", "properties": {"startTime": {"type": "string"}}},
                {"type": "object", "properties": {
                    "stickerIncludes": {"type": "object", "additionalProperties": {"type": "string"}},
                    "streamIncludes": {"type": "array", "items": {"type": "string"}}}}]}},
            {"name": "flat", "in": "query", "explode": false, "schema": {"type": "object",
                "properties": {"tags": {"type": "array", "items": {"type": "string"}}}}},
            {"name": "plain", "in": "query", "schema": {"type": "object",
                "properties": {"start": {"type": "string"}}}}
        ]}}}});
        let found = ambiguous_query_objects(&spec);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].members, ["stickerIncludes", "streamIncludes"]);
        assert_eq!(found[0].pointer, "/paths/~1annotations/get/parameters/0");
    }

    #[test]
    fn a_deep_object_query_parameter_with_containers_is_ambiguous() {
        // kin-petstore's `deepFilter`: arrays of each scalar type.
        let spec = json!({"paths": {"/pet/filter": {"get": {"parameters": [
            {"name": "deepFilter", "in": "query", "style": "deepObject", "schema": {
                "type": "object", "properties": {
                    "integers": {"type": "array", "items": {"type": "integer"}},
                    "name": {"type": "string"}}}},
            {"name": "range", "in": "query", "style": "deepObject", "schema": {
                "type": "object", "properties": {"gt": {"type": "integer"}}}}
        ]}}}});
        let found = ambiguous_query_objects(&spec);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].members, ["integers"]);
        assert!(
            found[0].message.contains("written as `deepObject`"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn a_multipart_body_with_an_array_member_is_ambiguous_and_one_with_an_object_is_not() {
        let raw = json!({
            "paths": {"/messages": {"post": {"requestBody": {"content": {
                "multipart/form-data": {"schema": {"allOf": [
                    {"$ref": "#/components/schemas/Message"},
                    {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
                ]}},
                "application/json": {"schema": {"$ref": "#/components/schemas/Message"}}
            }}}}},
            "components": {"schemas": {"Message": {"type": "object", "properties": {
                "tags": {"type": "array", "items": {"type": "string"}},
                "embed": {"type": "object", "properties": {"title": {"type": "string"}}}
            }}}}
        });
        let found = ambiguous(&raw);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].media, MULTIPART);
        assert_eq!(found[0].members, ["tags"]);
        assert!(
            found[0].message.contains("multipart body"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn a_form_body_with_an_array_member_is_ambiguous() {
        let raw = json!({
            "paths": {"/pet": {
                "post": {"requestBody": {"content": {
                    "application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/Pet"}}
                }}},
                "put": {"requestBody": {"content": {
                    "application/x-www-form-urlencoded": {
                        "schema": {"$ref": "#/components/schemas/Pet"},
                        "encoding": {"photoUrls": {"style": "form"}, "tags": {"contentType": "application/json"}}
                    }
                }}},
                "patch": {"requestBody": {"content": {
                    "application/x-www-form-urlencoded": {
                        "schema": {"$ref": "#/components/schemas/Pet"},
                        "encoding": {"photoUrls": {"style": "deepObject", "explode": true},
                                     "tags": {"style": "form"}}
                    }
                }}}
            }},
            "components": {"schemas": {"Pet": {"type": "object", "properties": {
                "name": {"type": "string"},
                "photoUrls": {"type": "array", "items": {"type": "string"}},
                "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}}
            }}, "Tag": {"type": "object"}}}
        });
        let found = ambiguous(&raw);
        assert_eq!(found.len(), 2, "{found:?}");
        // OpenAPI defines `deepObject` for objects only (Stripe's arrays).
        assert_eq!(found[1].method, "patch");
        assert_eq!(found[1].members, ["photoUrls"]);
        assert_eq!(found[1].deep_arrays, ["photoUrls"]);
        // Kratos: a union of methods, one with an object member.
        let kratos = json!({
            "paths": {"/login": {"post": {"requestBody": {"content": {
                "application/x-www-form-urlencoded": {"schema": {"oneOf": [
                    {"$ref": "#/components/schemas/Password"}
                ]}}
            }}}}},
            "components": {"schemas": {"Password": {"type": "object", "properties": {
                "password": {"type": "string"},
                "transient_payload": {"type": "object"}
            }}}}
        });
        let union = ambiguous(&kratos);
        assert!(
            union[0].message.contains("`transient_payload`"),
            "{union:?}"
        );
        assert_eq!(found[0].method, "post");
        assert_eq!(found[0].media, FORM);
        assert!(
            found[0].message.contains("`photoUrls`, `tags`"),
            "{}",
            found[0].message
        );
        assert_eq!(
            found[0].pointer,
            "/paths/~1pet/post/requestBody/content/application~1x-www-form-urlencoded"
        );
    }
}
