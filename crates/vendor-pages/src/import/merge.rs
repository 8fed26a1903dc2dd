//! Several pages of one service as one document: the operations in page
//! order, each component schema once.
//!
//! A schema of a later page whose name is taken keeps it when its shape
//! (the schema without its descriptions) is the same as the one already
//! there, so a table every page repeats (the error body, `Tag`) is one
//! schema; a different shape gets a distinct name (`Tag2`), and the later
//! page's references follow the rename. A renamed schema says the name its
//! page gives it (`x-page-name: Tag`), which `docs check` compares with the
//! page's type names instead of the component's.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

const SCHEMAS: &str = "#/components/schemas/";

/// The name the page gives a schema renamed here.
pub const PAGE_NAME: &str = "x-page-name";

/// One document of `documents` (each one page's), in their order; two
/// pages of one operation are one (`alternatives.rs`).
pub(super) fn merge(documents: Vec<Value>) -> Result<Value, String> {
    let mut documents = documents.into_iter();
    let Some(mut merged) = documents.next() else {
        return Err("no page to import".to_owned());
    };
    for mut document in documents {
        let schemas = take_schemas(&mut document);
        let renames = renames(&schemas_of(&merged), &schemas);
        rewrite_refs(&mut document, &renames);
        let target = schemas_mut(&mut merged);
        for (name, mut schema) in schemas {
            rewrite_refs(&mut schema, &renames);
            let Some(new) = renames.get(&name) else {
                target.entry(name).or_insert(schema);
                continue;
            };
            if let Value::Object(members) = &mut schema {
                members
                    .entry(PAGE_NAME)
                    .or_insert_with(|| Value::String(name.clone()));
            }
            target.entry(new.clone()).or_insert(schema);
        }
        merge_paths(&mut merged, document)?;
    }
    Ok(merged)
}

fn schemas_of(document: &Value) -> Map<String, Value> {
    document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

fn take_schemas(document: &mut Value) -> Map<String, Value> {
    match document.pointer_mut("/components/schemas").map(Value::take) {
        Some(Value::Object(schemas)) => schemas,
        _ => Map::new(),
    }
}

fn schemas_mut(document: &mut Value) -> &mut Map<String, Value> {
    let root = ensure_object(document);
    let components = ensure_object(
        root.entry("components")
            .or_insert_with(|| Value::Object(Map::new())),
    );
    ensure_object(
        components
            .entry("schemas")
            .or_insert_with(|| Value::Object(Map::new())),
    )
}

fn ensure_object(value: &mut Value) -> &mut Map<String, Value> {
    if !value.is_object() {
        *value = Value::Object(Map::new());
    }
    match value {
        Value::Object(map) => map,
        _ => unreachable!("made an object above"),
    }
}

/// The new name of each schema of `incoming` whose name `existing` holds
/// with another shape. A rename changes the references of the schemas that
/// use it, so this runs until no further schema needs one.
fn renames(
    existing: &Map<String, Value>,
    incoming: &Map<String, Value>,
) -> BTreeMap<String, String> {
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    loop {
        let mut changed = false;
        for (name, schema) in incoming {
            if renames.contains_key(name) {
                continue;
            }
            let Some(present) = existing.get(name) else {
                continue;
            };
            let mut schema = schema.clone();
            rewrite_refs(&mut schema, &renames);
            if shape(present) != shape(&schema) {
                // An earlier rename of the same page name may fit.
                let earlier = existing.iter().find(|(_, other)| {
                    other.get(PAGE_NAME).and_then(Value::as_str) == Some(name)
                        && shape(other) == shape(&schema)
                });
                let new = match earlier {
                    Some((earlier, _)) => earlier.clone(),
                    None => fresh_name(name, existing, incoming, &renames),
                };
                renames.insert(name.clone(), new);
                changed = true;
            }
        }
        if !changed {
            return renames;
        }
    }
}

/// `name` with the first number from 2 that no schema has or will have.
fn fresh_name(
    name: &str,
    existing: &Map<String, Value>,
    incoming: &Map<String, Value>,
    renames: &BTreeMap<String, String>,
) -> String {
    (2..)
        .map(|n| format!("{name}{n}"))
        .find(|candidate| {
            !existing.contains_key(candidate)
                && !incoming.contains_key(candidate)
                && !renames.values().any(|taken| taken == candidate)
        })
        .unwrap_or_else(|| name.to_owned())
}

/// A schema without its descriptions (and the page name a rename
/// recorded): what two pages must agree on for one schema to serve both.
fn shape(schema: &Value) -> Value {
    match schema {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .filter(|(key, _)| !matches!(key.as_str(), "description" | PAGE_NAME))
                .map(|(key, value)| {
                    let value = match (key.as_str(), value) {
                        // Member names, each a schema.
                        ("properties", Value::Object(properties)) => Value::Object(
                            properties
                                .iter()
                                .map(|(name, member)| (name.clone(), shape(member)))
                                .collect(),
                        ),
                        ("items" | "additionalProperties" | "not", value) => shape(value),
                        ("allOf" | "oneOf" | "anyOf", Value::Array(parts)) => {
                            Value::Array(parts.iter().map(shape).collect())
                        }
                        (_, value) => value.clone(),
                    };
                    (key.clone(), value)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Every `$ref` to a renamed component schema, to its new name.
fn rewrite_refs(value: &mut Value, renames: &BTreeMap<String, String>) {
    if renames.is_empty() {
        return;
    }
    match value {
        Value::Object(members) => {
            for (key, member) in members.iter_mut() {
                match member {
                    Value::String(reference) if key == "$ref" => {
                        if let Some(new) = reference
                            .strip_prefix(SCHEMAS)
                            .and_then(|name| renames.get(name))
                        {
                            *reference = format!("{SCHEMAS}{new}");
                        }
                    }
                    _ => rewrite_refs(member, renames),
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| rewrite_refs(item, renames)),
        _ => {}
    }
}

/// The operations of `document` added to `merged`'s paths, in order; an
/// operationId taken by an earlier page gets a number.
fn merge_paths(merged: &mut Value, document: Value) -> Result<(), String> {
    let Some(Value::Object(paths)) = document.get("paths").cloned() else {
        return Ok(());
    };
    let mut ids = operation_ids(merged);
    let target = ensure_object(
        ensure_object(merged)
            .entry("paths")
            .or_insert_with(|| Value::Object(Map::new())),
    );
    for (path, item) in paths {
        let Value::Object(item) = item else {
            continue;
        };
        let existing = ensure_object(
            target
                .entry(path.clone())
                .or_insert_with(|| Value::Object(Map::new())),
        );
        for (method, mut operation) in item {
            if let Some(first) = existing.get_mut(&method) {
                super::alternatives::fold(first, operation);
                continue;
            }
            if let Some(Value::String(id)) = operation.get_mut("operationId") {
                let base = id.clone();
                let mut n = 2;
                while ids.contains(id) {
                    *id = format!("{base}_{n}");
                    n += 1;
                }
                ids.push(id.clone());
            }
            existing.insert(method, operation);
        }
    }
    Ok(())
}

fn operation_ids(document: &Value) -> Vec<String> {
    document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .filter_map(|operation| operation.get("operationId")?.as_str().map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn page(path: &str, id: &str, schemas: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": id, "version": "1"},
            "paths": {path: {"get": {"operationId": id, "responses": {"200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}
            }}}}},
            "components": {"schemas": schemas}
        })
    }

    fn tag(kind: &str) -> Value {
        json!({"type": "object", "properties": {"key": {"type": kind, "description": "Key."}}})
    }

    #[test]
    fn the_same_shape_is_one_schema_another_gets_a_distinct_name() {
        let first = page(
            "/a",
            "get_a",
            json!({"Thing": {"type": "object", "properties": {"tag": {"$ref": "#/components/schemas/Tag"}}},
                   "Tag": tag("string")}),
        );
        let mut same = tag("string");
        same["properties"]["key"]["description"] = json!("Other words.");
        let second = page(
            "/b",
            "get_a",
            json!({"Thing": {"type": "object", "properties": {"tag": {"$ref": "#/components/schemas/Tag"}}},
                   "Tag": same}),
        );
        let third = page(
            "/c",
            "get_c",
            json!({"Thing": {"type": "object", "properties": {"tag": {"$ref": "#/components/schemas/Tag"}}},
                   "Tag": tag("integer")}),
        );
        let merged = merge(vec![first, second, third]).expect("merges");
        let schemas = merged["components"]["schemas"]
            .as_object()
            .expect("schemas");
        let names: Vec<&String> = schemas.keys().collect();
        assert_eq!(names, ["Thing", "Tag", "Thing2", "Tag2"]);
        assert_eq!(
            schemas["Thing2"]["properties"]["tag"]["$ref"],
            "#/components/schemas/Tag2"
        );
        assert_eq!(schemas["Tag2"][PAGE_NAME], "Tag");
        assert_eq!(schemas["Tag"].get(PAGE_NAME), None);
        assert_eq!(
            merged.pointer("/paths/~1c/get/responses/200/content/application~1json/schema/$ref"),
            Some(&json!("#/components/schemas/Thing2"))
        );
        assert_eq!(merged["paths"]["/b"]["get"]["operationId"], "get_a_2");
        let paths: Vec<&String> = merged["paths"].as_object().expect("paths").keys().collect();
        assert_eq!(paths, ["/a", "/b", "/c"]);
    }

    #[test]
    fn two_pages_of_one_operation_are_one_operation() {
        let one = page("/a", "a", json!({"Thing": tag("string")}));
        let two = page("/a", "b", json!({"Thing": tag("integer")}));
        let merged = merge(vec![one, two]).expect("merges");
        let operation = &merged["paths"]["/a"]["get"];
        assert_eq!(operation["operationId"], "a");
        assert_eq!(
            operation.pointer("/responses/200/content/application~1json/schema/oneOf/1/$ref"),
            Some(&json!("#/components/schemas/Thing2"))
        );
    }
}
