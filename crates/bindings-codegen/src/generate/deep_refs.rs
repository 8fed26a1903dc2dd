//! Schema `$ref`s that point inside something rather than at a component
//! schema: `#/components/parameters/method/schema`,
//! `#/paths/~1mcp/post/responses/500/content/application~1json/schema`,
//! `#/components/schemas/Tag/allOf/0`. JSON Reference allows any JSON
//! Pointer, and published specs (PagerDuty's) use them; the typed model
//! and typify know component schemas only.
//!
//! Each such target becomes a component schema of its own (named from
//! where it is, its origin kept in `x-hoisted-from` for error locations),
//! the place it was refers to it, and so does every `$ref` that pointed
//! there: one type, shared.
//!
//! Likewise a response, request body, parameter or header `$ref` whose
//! target is not a component of its own kind (PagerDuty answers with
//! `#/components/requestBodies/...`) gets a copy of the target as a
//! component of the right kind.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::naming::{pascal_case, type_ident};
use super::walk;
use openapi_source::unescape_token;

/// Moves the target of every deep schema reference of `spec` into
/// `components/schemas` and points its references there. References to
/// targets that do not exist are left for lint's `ref-unresolved`.
pub fn hoist_deep_schema_refs(spec: &mut Value) {
    let mut targets: Vec<String> = references(spec)
        .into_iter()
        .filter(|pointer| is_deep_schema(pointer) && spec.pointer(pointer).is_some())
        .collect();
    if targets.is_empty() {
        return;
    }
    // Innermost first: moving an outer target first would move the inner
    // one out from under its pointer.
    targets.sort_by_key(|pointer| std::cmp::Reverse(pointer.len()));
    let mut taken = component_type_names(spec);
    let mut renamed = BTreeMap::new();
    for target in targets {
        let replacement = match spec.pointer(&target) {
            // A reference to a reference: point at what that one points at.
            Some(Value::Object(object)) if object.len() == 1 && object.contains_key("$ref") => {
                object["$ref"].as_str().map(str::to_owned)
            }
            Some(_) => move_to_component(spec, &target, &mut taken),
            None => None,
        };
        if let Some(replacement) = replacement {
            renamed.insert(format!("#{target}"), replacement);
        }
    }
    rewrite(spec, &renamed);
}

/// Moves the schema at `pointer` into `components/schemas`, leaving a
/// reference to it; the new reference.
fn move_to_component(
    spec: &mut Value,
    pointer: &str,
    taken: &mut BTreeSet<String>,
) -> Option<String> {
    let base = name_for(pointer);
    let mut name = base.clone();
    let mut counter = 2;
    // By Rust name: `status` and `Status` would be one type.
    while taken.contains(&type_ident(&name).to_string()) {
        name = format!("{base}{counter}");
        counter += 1;
    }
    let reference = format!(
        "#/components/schemas/{}",
        openapi_source::escape_token(&name)
    );
    let slot = spec.pointer_mut(pointer)?;
    let mut moved = std::mem::replace(slot, serde_json::json!({ "$ref": reference }));
    if let Some(object) = moved.as_object_mut() {
        object
            .entry("x-hoisted-from")
            .or_insert_with(|| Value::String(pointer.to_owned()));
    }
    let schemas = walk::components_section(spec, "schemas")?;
    taken.insert(type_ident(&name).to_string());
    schemas.insert(name, moved);
    Some(reference)
}

/// A type name from where a schema is: its pointer's segments but the
/// structural ones (`paths`, `components`, `content`, `schema`).
fn name_for(pointer: &str) -> String {
    let words: String = pointer
        .split('/')
        .skip(1)
        .filter(|segment| !matches!(*segment, "paths" | "components" | "content" | "schema"))
        .map(|segment| pascal_case(&unescape_token(segment)))
        .collect();
    if words.is_empty() {
        "Schema".to_owned()
    } else {
        words
    }
}

/// Whether `pointer` (without its `#`) reaches a schema somewhere other
/// than at the top of `components/schemas`: its last segment is a schema
/// slot, or it lies inside a component schema.
fn is_deep_schema(pointer: &str) -> bool {
    let segments: Vec<&str> = pointer.split('/').skip(1).collect();
    if segments.first() == Some(&"components") && segments.len() == 3 {
        return false; // `#/components/<kind>/<name>`
    }
    let inside_schema = segments.starts_with(&["components", "schemas"]);
    let last = segments.last().copied().unwrap_or_default();
    let parent = segments.len().checked_sub(2).map(|i| segments[i]);
    inside_schema
        || matches!(last, "schema" | "items" | "additionalProperties" | "not")
        || matches!(
            parent,
            // `definitions` and `$defs`: JSON Schema's containers of named
            // schemas, inside a body's schema (Codat's webhooks).
            Some("properties" | "allOf" | "oneOf" | "anyOf" | "definitions" | "$defs")
        )
}

/// The local `$ref` targets of `spec` (JSON Pointers, without `#`),
/// values and extensions left out.
fn references(spec: &Value) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    walk::objects(spec, &mut |_, object| {
        if let Some(pointer) = object
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|target| target.strip_prefix('#'))
        {
            found.insert(pointer.to_owned());
        }
    });
    found
}

/// The Rust type names of the component schemas of `spec`.
fn component_type_names(spec: &Value) -> BTreeSet<String> {
    spec.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| {
            schemas
                .keys()
                .map(|name| type_ident(name).to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Every `$ref` named in `renamed` points at its replacement.
fn rewrite(spec: &mut Value, renamed: &BTreeMap<String, String>) {
    let mut sites = Vec::new();
    walk::objects(spec, &mut |pointer, object| {
        let target = object.get("$ref").and_then(Value::as_str);
        if target.is_some_and(|target| renamed.contains_key(target)) {
            sites.push(pointer.to_owned());
        }
    });
    for site in sites {
        let Some(Value::String(target)) = spec.pointer_mut(&format!("{site}/$ref")) else {
            continue;
        };
        // A chain (a → b → c) resolves in as many steps.
        for _ in 0..renamed.len() {
            match renamed.get(target.as_str()) {
                Some(next) if next != target => *target = next.clone(),
                _ => break,
            }
        }
    }
}

/// Component kinds and the slots that refer to them, by the segment a
/// slot's pointer ends with (`responses/<status>`, `requestBody`, ...).
fn slot_kind(pointer: &str) -> Option<&'static str> {
    const IN_SCHEMA: [&str; 9] = [
        "schema",
        "schemas",
        "properties",
        "items",
        "allOf",
        "oneOf",
        "anyOf",
        "additionalProperties",
        "not",
    ];
    if pointer
        .split('/')
        .any(|segment| IN_SCHEMA.contains(&segment))
    {
        return None; // a member of a schema named `responses`, say
    }
    let mut segments = pointer.rsplit('/');
    let last = segments.next()?;
    let parent = segments.next().unwrap_or_default();
    match (parent, last) {
        (_, "requestBody") => Some("requestBodies"),
        ("responses", _) => Some("responses"),
        ("parameters", index) if index.parse::<usize>().is_ok() => Some("parameters"),
        ("headers", _) => Some("headers"),
        _ => None,
    }
}

/// Points every response, request body, parameter and header `$ref` that
/// targets something other than a component of its own kind (a request
/// body used as a response, a parameter inside an operation) at a copy of
/// the target made a component of the right kind. The target stays where
/// it is: it is in use as what it is there.
pub fn foreign_component_refs(spec: &mut Value) {
    let sites = referring_slots(spec);
    let mut copies: BTreeMap<(String, &str), String> = BTreeMap::new();
    for (site, kind, target) in sites {
        let pointer = target.trim_start_matches('#');
        let own_kind = pointer
            .strip_prefix(&format!("/components/{kind}/"))
            .is_some_and(|name| !name.contains('/'));
        if own_kind {
            continue;
        }
        let key = (pointer.to_owned(), kind);
        let reference = match copies.get(&key) {
            Some(reference) => reference.clone(),
            None => {
                let Some(value) = spec.pointer(pointer).cloned() else {
                    continue; // dangling: lint's ref-unresolved
                };
                let Some(reference) = add_component(spec, kind, &name_for(pointer), value, pointer)
                else {
                    continue;
                };
                copies.insert(key, reference.clone());
                reference
            }
        };
        if let Some(Value::Object(slot)) = spec.pointer_mut(&site) {
            slot.insert("$ref".into(), Value::String(reference));
        }
    }
}

/// `(slot pointer, component kind, $ref)` of every referring slot.
fn referring_slots(spec: &Value) -> Vec<(String, &'static str, String)> {
    let mut sites = Vec::new();
    walk::objects(spec, &mut |pointer, object| {
        if let (Some(kind), Some(Value::String(target))) = (slot_kind(pointer), object.get("$ref"))
        {
            sites.push((pointer.to_owned(), kind, target.clone()));
        }
    });
    sites
}

/// Adds `value` as `components/<kind>/<name>` (name made distinct), its
/// origin kept for error locations; the reference to it.
fn add_component(
    spec: &mut Value,
    kind: &str,
    base: &str,
    mut value: Value,
    from: &str,
) -> Option<String> {
    if let Some(object) = value.as_object_mut() {
        object
            .entry("x-hoisted-from")
            .or_insert_with(|| Value::String(from.to_owned()));
    }
    let components = walk::components_section(spec, kind)?;
    let mut name = base.to_owned();
    let mut counter = 2;
    while components.contains_key(&name) {
        name = format!("{base}{counter}");
        counter += 1;
    }
    let reference = format!(
        "#/components/{kind}/{}",
        openapi_source::escape_token(&name)
    );
    components.insert(name, value);
    Some(reference)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_parameter_schema_referred_to_becomes_a_shared_component() {
        let mut spec = json!({
            "paths": {"/a": {"get": {"parameters": [
                {"$ref": "#/components/parameters/method"},
                {"name": "m2", "in": "query",
                 "schema": {"$ref": "#/components/parameters/method/schema"}}
            ]}}},
            "components": {"parameters": {"method": {"name": "method", "in": "query",
                "schema": {"type": "string", "enum": ["a", "b"]}}}}
        });
        hoist_deep_schema_refs(&mut spec);
        let reference = json!({"$ref": "#/components/schemas/ParametersMethod"});
        assert_eq!(
            spec.pointer("/components/parameters/method/schema"),
            Some(&reference)
        );
        assert_eq!(
            spec.pointer("/paths/~1a/get/parameters/1/schema"),
            Some(&reference)
        );
        assert_eq!(
            spec.pointer("/components/schemas/ParametersMethod/x-hoisted-from"),
            Some(&json!("/components/parameters/method/schema"))
        );
    }

    #[test]
    fn a_member_of_a_component_and_one_inside_it_are_both_hoisted() {
        let mut spec = json!({"components": {"schemas": {
            "Tag": {"allOf": [{"type": "object", "properties": {
                "name": {"type": "string", "enum": ["x"]}}}]},
            "UsesTag": {"properties": {
                "first": {"$ref": "#/components/schemas/Tag/allOf/0"},
                "name": {"$ref": "#/components/schemas/Tag/allOf/0/properties/name"}
            }}
        }}});
        hoist_deep_schema_refs(&mut spec);
        assert_eq!(
            spec.pointer("/components/schemas/UsesTag/properties/first/$ref"),
            Some(&json!("#/components/schemas/SchemasTagAllOf0"))
        );
        assert_eq!(
            spec.pointer("/components/schemas/SchemasTagAllOf0/properties/name/$ref"),
            Some(&json!(
                "#/components/schemas/SchemasTagAllOf0PropertiesName"
            ))
        );
        assert_eq!(
            spec.pointer("/components/schemas/UsesTag/properties/name/$ref"),
            Some(&json!(
                "#/components/schemas/SchemasTagAllOf0PropertiesName"
            ))
        );
    }

    #[test]
    fn a_request_body_used_as_a_response_gets_a_response_copy() {
        let body = json!({"description": "d", "content": {"application/json": {"schema": {"type": "string"}}}});
        let mut spec = json!({
            "paths": {"/a": {"put": {
                "requestBody": {"$ref": "#/components/requestBodies/Data"},
                "responses": {
                    "200": {"$ref": "#/components/requestBodies/Data"},
                    "201": {"$ref": "#/components/requestBodies/Data"},
                    "400": {"$ref": "#/components/responses/Error"}
                }
            }}},
            "components": {"requestBodies": {"Data": body}, "responses": {"Error": {"description": "e"}}}
        });
        foreign_component_refs(&mut spec);
        let operation = &spec["paths"]["/a"]["put"];
        assert_eq!(
            operation["requestBody"]["$ref"],
            "#/components/requestBodies/Data"
        );
        assert_eq!(
            operation["responses"]["200"]["$ref"],
            "#/components/responses/RequestBodiesData"
        );
        assert_eq!(
            operation["responses"]["201"]["$ref"],
            "#/components/responses/RequestBodiesData"
        );
        assert_eq!(
            operation["responses"]["400"]["$ref"],
            "#/components/responses/Error"
        );
        assert_eq!(
            spec["components"]["responses"]["RequestBodiesData"]["x-hoisted-from"],
            "/components/requestBodies/Data"
        );
    }

    #[test]
    fn references_to_components_and_dangling_ones_stay() {
        let mut spec = json!({"components": {"schemas": {
            "A": {"properties": {
                "b": {"$ref": "#/components/schemas/B"},
                "c": {"$ref": "#/components/schemas/Missing/items"}
            }},
            "B": {"type": "string"}
        }}});
        let before = spec.clone();
        hoist_deep_schema_refs(&mut spec);
        assert_eq!(spec, before);
    }
}
