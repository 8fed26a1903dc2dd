//! Whether every value of one schema fits another (`inner` within
//! `outer`), decided on the schemas' structure for the `one-of-overlap`
//! rule (`consistency.rs`). The answer errs one way only: `true`
//! where the containment surely holds, `false` where it does not or where
//! this reading cannot tell (`not`, `if`, `patternProperties`, a bound
//! the inner schema does not repeat).
//!
//! The shapes it decides are those specs write when one variant extends
//! another: the same schema (or `$ref`), a schema that is an `allOf` of
//! the other, an object whose members are each within the other's, an
//! array whose items are.

use serde_json::{Map, Value};

/// How many schemas deep the reading goes (through `$ref`s, members,
/// items, parts) before it answers `false`.
const DEPTH: usize = 24;

/// Keywords that say something of a value without constraining it.
const ANNOTATIONS: &[&str] = &[
    "$comment",
    "$schema",
    "$id",
    "$anchor",
    "default",
    "deprecated",
    "description",
    "discriminator",
    "example",
    "examples",
    "externalDocs",
    "readOnly",
    "title",
    "writeOnly",
    "xml",
];

/// Keywords an inner schema must repeat with the same value for a value
/// of it to surely meet the outer schema's.
const REPEATED: &[&str] = &[
    "format",
    "pattern",
    "multipleOf",
    "uniqueItems",
    "const",
    "propertyNames",
    "patternProperties",
    "contains",
    "not",
    "if",
    "then",
    "else",
    "dependentRequired",
    "dependentSchemas",
    "prefixItems",
    "unevaluatedItems",
    "unevaluatedProperties",
    "oneOf",
];

/// Lower bounds, which an inner schema must state at or above the outer
/// one's, and upper bounds, at or below.
const LOWER: &[&str] = &[
    "minimum",
    "exclusiveMinimum",
    "minLength",
    "minItems",
    "minProperties",
];
const UPPER: &[&str] = &[
    "maximum",
    "exclusiveMaximum",
    "maxLength",
    "maxItems",
    "maxProperties",
];

/// At most this many pairs of schemas are compared for one question;
/// past it the answer is `false` (a spec of many unions stays fast).
const BUDGET: usize = 4_096;

/// Whether every value of `inner` is a value of `outer` (local `$ref`s
/// resolved in `root`), as far as the structure shows.
pub(crate) fn contains(root: &Value, outer: &Value, inner: &Value) -> bool {
    let reading = Reading {
        root,
        budget: std::cell::Cell::new(BUDGET),
    };
    reading.contains(outer, inner, DEPTH)
}

struct Reading<'a> {
    root: &'a Value,
    budget: std::cell::Cell<usize>,
}

impl<'a> Reading<'a> {
    fn contains(&self, outer: &'a Value, inner: &'a Value, depth: usize) -> bool {
        if outer == inner {
            return true;
        }
        // A `$ref` beside constraints of its own (3.1 applies both) is
        // not read through: following the reference would drop them.
        if outer.get("$ref").is_some() && !refers_only(outer) {
            return false;
        }
        let left = self.budget.get();
        let (Some(depth), Some(left), Some(outer), Some(inner)) = (
            depth.checked_sub(1),
            left.checked_sub(1),
            self.resolve(outer),
            self.resolve(inner),
        ) else {
            return false;
        };
        self.budget.set(left);
        if outer == inner || unconstrained(outer) {
            return true;
        }
        let listed = |key: &str| inner.get(key).and_then(Value::as_array);
        if listed("allOf").is_some_and(|parts| parts.iter().any(|p| self.contains(outer, p, depth)))
        {
            return true;
        }
        for alternatives in ["anyOf", "oneOf"] {
            if listed(alternatives).is_some_and(|each| {
                !each.is_empty() && each.iter().all(|one| self.contains(outer, one, depth))
            }) {
                return true;
            }
        }
        self.keywords_within(outer, inner, depth)
    }

    /// Each keyword of `outer` (a resolved schema) met by every value of
    /// `inner` (one too).
    fn keywords_within(&self, outer: &'a Value, inner: &'a Value, depth: usize) -> bool {
        let (Some(outer_map), Some(inner_map)) = (outer.as_object(), inner.as_object()) else {
            return false;
        };
        let listed = |key: &str| outer_map.get(key).and_then(Value::as_array);
        if listed("allOf")
            .is_some_and(|parts| !parts.iter().all(|p| self.contains(p, inner, depth)))
        {
            return false;
        }
        if listed("anyOf")
            .is_some_and(|each| !each.iter().any(|one| self.contains(one, inner, depth)))
        {
            return false;
        }
        outer_map.iter().all(|(key, value)| match key.as_str() {
            "allOf" | "anyOf" => true,
            key if vacuous_for(key, inner_map) => true,
            "type" => {
                types_within(value, inner_map) && (takes_null(outer_map) || !takes_null(inner_map))
            }
            "nullable" => value == &Value::Bool(true) || !takes_null(inner_map),
            "enum" => enum_within(value, inner_map),
            "required" => required_within(value, inner_map),
            "properties" => self.properties_within(value, inner_map, depth),
            "items" => self.items_within(value, inner_map, depth),
            "additionalProperties" => self.additional_within(outer_map, value, inner_map, depth),
            key if ANNOTATIONS.contains(&key) || key.starts_with("x-") => true,
            key if LOWER.contains(&key) => bound_within(key, value, inner_map, |o, i| i >= o),
            key if UPPER.contains(&key) => bound_within(key, value, inner_map, |o, i| i <= o),
            key if REPEATED.contains(&key) => inner_map.get(key) == Some(value) || open(key, value),
            _ => false,
        })
    }

    /// Each member `outer` names is within it: the inner schema's member of
    /// that name is within it, or the inner schema forbids the member.
    fn properties_within(
        &self,
        outer: &'a Value,
        inner: &'a Map<String, Value>,
        depth: usize,
    ) -> bool {
        let Some(outer) = outer.as_object() else {
            return false;
        };
        let named = inner.get("properties").and_then(Value::as_object);
        let closed = inner.get("additionalProperties") == Some(&Value::Bool(false));
        outer
            .iter()
            .all(|(name, schema)| match named.and_then(|n| n.get(name)) {
                Some(member) => self.contains(schema, member, depth),
                None => closed || self.resolve(schema).is_some_and(unconstrained),
            })
    }

    /// Every member the inner schema allows that the outer one does not
    /// name meets the outer's `additionalProperties` (`extra`): the inner
    /// schema's own extra members do (it forbids them, or they are within
    /// `extra`), and so do the members it names that the outer does not
    /// (Linode's payment method data: a closed PayPal object is no closed
    /// credit card object, whose members are others).
    fn additional_within(
        &self,
        outer: &'a Map<String, Value>,
        extra: &'a Value,
        inner: &'a Map<String, Value>,
        depth: usize,
    ) -> bool {
        if open("additionalProperties", extra) {
            return true;
        }
        if inner.contains_key("patternProperties") || outer.contains_key("patternProperties") {
            return false;
        }
        let own_extra = match inner.get("additionalProperties") {
            Some(Value::Bool(false)) => true,
            Some(schema) => schema == extra || self.contains(extra, schema, depth),
            None => false,
        };
        let named = outer.get("properties").and_then(Value::as_object);
        let members = inner.get("properties").and_then(Value::as_object);
        own_extra
            && members.into_iter().flatten().all(|(name, member)| {
                named.is_some_and(|named| named.contains_key(name))
                    || self.contains(extra, member, depth)
            })
    }

    fn items_within(&self, outer: &'a Value, inner: &'a Map<String, Value>, depth: usize) -> bool {
        match inner.get("items") {
            Some(items) => self.contains(outer, items, depth),
            None => self.resolve(outer).is_some_and(unconstrained),
        }
    }

    /// The schema object `schema` is, its local `$ref`s followed (a few at
    /// most).
    fn resolve(&self, mut schema: &'a Value) -> Option<&'a Value> {
        for _ in 0..8 {
            match schema.get("$ref").and_then(Value::as_str) {
                Some(reference) => schema = self.root.pointer(reference.strip_prefix('#')?)?,
                None => return schema.is_object().then_some(schema),
            }
        }
        None
    }
}

/// The JSON types a keyword constrains (an integer is a number); `None`
/// for keywords of every type.
fn constrained_types(key: &str) -> Option<&'static [&'static str]> {
    Some(match key {
        "required"
        | "properties"
        | "additionalProperties"
        | "minProperties"
        | "maxProperties"
        | "patternProperties"
        | "propertyNames"
        | "dependentRequired"
        | "dependentSchemas"
        | "unevaluatedProperties" => &["object"],
        "items" | "minItems" | "maxItems" | "uniqueItems" | "contains" | "prefixItems"
        | "unevaluatedItems" => &["array"],
        "minLength" | "maxLength" | "pattern" => &["string"],
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => {
            &["number", "integer"]
        }
        _ => return None,
    })
}

/// Whether the outer keyword `key` says nothing of the inner schema's
/// values: the inner `type` allows none of the types it constrains
/// (`required` of an array, influxdb's `results`).
fn vacuous_for(key: &str, inner: &Map<String, Value>) -> bool {
    let (Some(constrained), Some(types)) = (constrained_types(key), inner.get("type")) else {
        return false;
    };
    let types = type_names(types);
    !types.is_empty() && types.iter().all(|name| !constrained.contains(name))
}

/// Whether a schema constrains nothing (annotations only).
fn unconstrained(schema: &Value) -> bool {
    schema.as_object().is_some_and(|schema| {
        schema
            .keys()
            .all(|key| ANNOTATIONS.contains(&key.as_str()) || key.starts_with("x-"))
    })
}

/// Whether a schema holding `$ref` says nothing else that constrains.
fn refers_only(schema: &Value) -> bool {
    schema.as_object().is_some_and(|schema| {
        schema.keys().all(|key| {
            key == "$ref" || ANNOTATIONS.contains(&key.as_str()) || key.starts_with("x-")
        })
    })
}

/// Whether a keyword's value constrains nothing
/// (`additionalProperties: true`).
fn open(key: &str, value: &Value) -> bool {
    key == "additionalProperties" && value == &Value::Bool(true)
}

/// The types a schema's `type` names (3.0: one; 3.1: one or a list).
fn type_names(value: &Value) -> Vec<&str> {
    match value {
        Value::String(name) => vec![name.as_str()],
        Value::Array(names) => names.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Whether every type the inner schema allows is among the outer `type`
/// (an integer is a number).
fn types_within(outer: &Value, inner: &Map<String, Value>) -> bool {
    let outer = type_names(outer);
    let Some(inner) = inner.get("type") else {
        return false;
    };
    let inner = type_names(inner);
    !inner.is_empty()
        && inner
            .iter()
            .all(|name| outer.contains(name) || (*name == "integer" && outer.contains(&"number")))
}

/// Whether the inner schema takes `null` (3.0's `nullable`, 3.1's `null`
/// type).
fn takes_null(inner: &Map<String, Value>) -> bool {
    inner.get("nullable") == Some(&Value::Bool(true))
        || inner
            .get("type")
            .is_some_and(|t| type_names(t).contains(&"null"))
}

fn enum_within(outer: &Value, inner: &Map<String, Value>) -> bool {
    let (Some(outer), Some(inner)) = (
        outer.as_array(),
        inner.get("enum").and_then(Value::as_array),
    ) else {
        return false;
    };
    inner.iter().all(|value| outer.contains(value))
}

fn required_within(outer: &Value, inner: &Map<String, Value>) -> bool {
    let inner = inner.get("required").and_then(Value::as_array);
    outer
        .as_array()
        .into_iter()
        .flatten()
        .all(|name| inner.is_some_and(|inner| inner.contains(name)))
}

fn bound_within(
    key: &str,
    outer: &Value,
    inner: &Map<String, Value>,
    holds: impl Fn(f64, f64) -> bool,
) -> bool {
    match (outer.as_f64(), inner.get(key).and_then(Value::as_f64)) {
        (Some(outer), Some(inner)) => holds(outer, inner),
        _ => inner.get(key) == Some(outer),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Value {
        json!({"components": {"schemas": {
            "Cell": {"type": "object", "properties": {
                "id": {"type": "string"}, "x": {"type": "integer", "format": "int32"}}},
            "CellWithView": {"type": "object", "allOf": [
                {"$ref": "#/components/schemas/Cell"},
                {"type": "object", "properties": {"name": {"type": "string"}}}]},
            "Cells": {"type": "array", "items": {"$ref": "#/components/schemas/Cell"}},
            "CellsWithView": {"type": "array",
                "items": {"$ref": "#/components/schemas/CellWithView"}},
            "Dashboard": {"type": "object", "properties": {
                "name": {"type": "string"}, "cells": {"$ref": "#/components/schemas/Cells"}}},
            "DashboardWithView": {"type": "object", "properties": {
                "name": {"type": "string", "description": "Its name."},
                "cells": {"$ref": "#/components/schemas/CellsWithView"}}},
            "Required": {"type": "object", "required": ["id"],
                "properties": {"id": {"type": "string"}}},
            "Count": {"type": "integer", "minimum": 0},
            // Linode's payment method data.
            "ClosedCard": {"type": "object", "additionalProperties": false,
                "properties": {"id": {"type": "string"}}},
            "ClosedCardAgain": {"type": "object", "additionalProperties": false,
                "properties": {"id": {"type": "string"}}, "title": "Google Pay"},
            "ClosedPaypal": {"type": "object", "additionalProperties": false,
                "properties": {"email": {"type": "string"}}},
            "Small": {"type": "integer", "minimum": 1, "maximum": 9}
        }}})
    }

    fn within(outer: &str, inner: &str) -> bool {
        let spec = spec();
        let at = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
        contains(&spec, &at(outer), &at(inner))
    }

    #[test]
    fn a_variant_that_extends_another_is_within_it() {
        assert!(within("Cell", "CellWithView"));
        assert!(within("Cells", "CellsWithView"));
        // influxdb's Dashboard and DashboardWithViewProperties.
        assert!(within("Dashboard", "DashboardWithView"));
        assert!(within("Count", "Small"));
    }

    #[test]
    fn a_schema_that_takes_more_is_not_within() {
        // The extension's member `name` is unconstrained in `Cell`, so a
        // `Cell` with a numeric `name` is no `CellWithView`.
        assert!(!within("CellWithView", "Cell"));
        assert!(!within("CellsWithView", "Cells"));
        assert!(!within("Required", "Cell"));
        assert!(!within("Small", "Count"));
        assert!(!within("Cell", "Count"));
        assert!(!within("ClosedCard", "ClosedPaypal"));
        assert!(!within("ClosedCard", "Cell"));
        assert!(within("ClosedCard", "ClosedCardAgain"));
        assert!(within("Cell", "ClosedCard"));
        let spec = spec();
        let nullable = json!({"type": "string", "nullable": true});
        assert!(!contains(&spec, &json!({"type": "string"}), &nullable));
        assert!(contains(&spec, &nullable, &json!({"type": "string"})));
    }

    #[test]
    fn keywords_of_other_types_say_nothing_of_the_inner_values() {
        // influxdb's `results`: an array whose `oneOf` variants are only
        // `required` lists.
        let spec = spec();
        let a = json!({"type": "array", "required": ["statement_id", "error"]});
        let b = json!({"type": "array", "required": ["statement_id", "series"]});
        assert!(contains(&spec, &a, &b) && contains(&spec, &b, &a));
        let string = json!({"type": "string", "minimum": 3});
        assert!(contains(
            &spec,
            &json!({"minimum": 5, "type": "string"}),
            &string
        ));
        let either = json!({"type": ["array", "object"]});
        assert!(!contains(&spec, &json!({"required": ["a"]}), &either));
    }

    #[test]
    fn what_it_cannot_read_is_not_within() {
        let spec = spec();
        let negated = json!({"not": {"type": "string"}});
        assert!(!contains(&spec, &negated, &json!({"type": "integer"})));
        let dangling = json!({"$ref": "#/components/schemas/Nowhere"});
        assert!(!contains(&spec, &json!({"type": "string"}), &dangling));
        let cycle = json!({"components": {"schemas": {
            "A": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}},
            "B": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/B"}}}}}});
        let at = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
        assert!(!contains(&cycle, &at("A"), &at("B")));
        // 3.1: a reference beside an `enum` of its own is not read through.
        let narrowed = json!({"$ref": "#/components/schemas/Count", "maximum": 3});
        assert!(!contains(
            &spec,
            &narrowed,
            &json!({"type": "integer", "minimum": 5})
        ));
    }
}
