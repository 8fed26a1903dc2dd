//! Recursive schemas: which member types must be boxed for Rust to give
//! every type a finite size. A component `A` holds a component `B` inline
//! (a property, optional or not, an `allOf`/`oneOf`/`anyOf` member, at any
//! depth of `A`'s inline schemas) unless `B` sits under an array or a map,
//! which are on the heap already. An inline reference from `A` to `B` is
//! boxed when `B` holds `A` inline again, directly or through others.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::OpenAPI;
use serde_json::Value;

/// The (holder, held) pairs of component names whose inline reference is
/// boxed.
#[derive(Debug, Default, Clone)]
pub struct Boxed(BTreeSet<(String, String)>);

impl Boxed {
    /// The boxed references of `spec`'s component schemas.
    pub fn of(spec: &OpenAPI) -> Boxed {
        let edges = inline_edges(spec);
        let mut boxed = BTreeSet::new();
        for (holder, held) in &edges {
            for target in held {
                if reaches(&edges, target, holder) {
                    boxed.insert((holder.clone(), target.clone()));
                }
            }
        }
        Boxed(boxed)
    }

    /// Whether `holder`'s inline reference to `held` is boxed.
    pub fn contains(&self, holder: &str, held: &str) -> bool {
        self.0.contains(&(holder.to_owned(), held.to_owned()))
    }
}

/// Each component's inline references to components.
fn inline_edges(spec: &OpenAPI) -> BTreeMap<String, BTreeSet<String>> {
    let mut edges = BTreeMap::new();
    let Some(components) = &spec.components else {
        return edges;
    };
    for (name, schema) in &components.schemas {
        let mut held = BTreeSet::new();
        if let Ok(json) = serde_json::to_value(schema) {
            collect(&json, &mut held, 0);
        }
        edges.insert(name.clone(), held);
    }
    edges
}

/// References held inline by the schema `node` (not under `items`,
/// `additionalProperties`, `not`, or a value such as an example).
fn collect(node: &Value, held: &mut BTreeSet<String>, depth: usize) {
    let Value::Object(object) = node else {
        return;
    };
    if depth > 64 {
        return;
    }
    if let Some(target) = object
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|reference| reference.strip_prefix("#/components/schemas/"))
    {
        held.insert(target.to_owned());
        return;
    }
    if let Some(Value::Object(properties)) = object.get("properties") {
        for property in properties.values() {
            collect(property, held, depth + 1);
        }
    }
    for keyword in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = object.get(keyword) {
            for member in members {
                collect(member, held, depth + 1);
            }
        }
    }
}

/// Whether `from` holds `to` inline, directly or through others.
fn reaches(edges: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from];
    while let Some(name) = stack.pop() {
        if name == to {
            return true;
        }
        if !seen.insert(name) {
            continue;
        }
        if let Some(held) = edges.get(name) {
            stack.extend(held.iter().map(String::as_str));
        }
    }
    false
}
