//! An estimate of the size in bytes of the Rust type a schema becomes
//! (on a 64-bit target), so that a union's much larger variants can be
//! boxed: an enum is as large as its largest variant, and clippy's
//! `large_enum_variant` refuses a difference of 200 bytes or more.
//!
//! The estimate follows the mapping of `types.rs` (a `String`, `Vec` or
//! map is 24 bytes, `serde_json::Value` 32, an object the sum of its
//! members and its `additional_properties` map); it errs on the large
//! side, since boxing a variant that did not need it costs one
//! allocation. It is an estimate: a string enum counts as a `String`, so
//! a variant of many enums looks larger than it is and the largest may
//! stay unboxed (influxdb's `ViewProperties`). The types crate therefore
//! allows clippy's `large_enum_variant`; the boxes keep most unions small.

use std::collections::BTreeMap;

use super::recursion::Boxed;

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, OpenAPI, ReferenceOr, Schema, SchemaKind,
    Type, VariantOrUnknownOrEmpty,
};

/// Bytes of a `String`, `Vec` or `BTreeMap` (pointer, length, capacity).
const COLLECTION: usize = 24;
/// Bytes of a `serde_json::Value`.
const JSON_VALUE: usize = 32;
/// Bytes of a `Box`.
const POINTER: usize = 8;
/// How deep the estimate follows nested schemas; deeper ones count as a
/// box (a spec this deep is recursive, and its recursion is boxed).
const MAX_DEPTH: usize = 24;

/// The difference between a union's largest and second-largest variants,
/// in estimated bytes, above which the largest is boxed. Below clippy's
/// 200 so that an estimate on the small side still boxes in time.
pub const BOX_ABOVE: usize = 128;

/// Size estimates of one spec's schemas, with component sizes cached.
///
/// A reference the types crate boxes to break a recursion
/// (`recursion.rs`, by holder and held component) counts as a box; the
/// references left inline then hold no cycle, so a component's size does
/// not depend on the path it was reached by, and is cached. A cycle the
/// boxes miss is cut where it closes, and what was estimated through the
/// cut is not cached (it would be too small from elsewhere).
#[derive(Debug)]
pub struct Sizes<'a> {
    spec: &'a OpenAPI,
    boxed: Boxed,
    components: BTreeMap<String, usize>,
    visiting: Vec<String>,
    /// The component the estimate is for, where `of` is asked inside one.
    holder: Option<String>,
    /// Whether a cycle was cut since this was last reset.
    cut: bool,
}

impl<'a> Sizes<'a> {
    pub fn new(spec: &'a OpenAPI, boxed: Boxed) -> Self {
        Self {
            spec,
            boxed,
            components: BTreeMap::new(),
            visiting: Vec::new(),
            holder: None,
            cut: false,
        }
    }

    /// The estimated size of the type `schema` becomes, inside the
    /// component `holder` (whose boxed references count as boxes).
    pub fn of(&mut self, schema: &ReferenceOr<Schema>, holder: Option<&str>) -> usize {
        self.holder = holder.map(str::to_owned);
        let size = self.at_depth(schema, 0);
        self.holder = None;
        size
    }

    /// Which of `sizes` (a union's variants) to box: the largest, while it
    /// is more than [`BOX_ABOVE`] larger than the next.
    pub fn to_box(sizes: &[usize]) -> Vec<bool> {
        let mut sizes = sizes.to_vec();
        let mut boxed = vec![false; sizes.len()];
        while sizes.len() > 1 {
            let mut order: Vec<usize> = (0..sizes.len()).collect();
            order.sort_by_key(|&index| std::cmp::Reverse(sizes[index]));
            let (largest, next) = (order[0], order[1]);
            if sizes[largest] <= sizes[next] + BOX_ABOVE {
                break;
            }
            boxed[largest] = true;
            sizes[largest] = POINTER;
        }
        boxed
    }

    fn at_depth(&mut self, schema: &ReferenceOr<Schema>, depth: usize) -> usize {
        if depth > MAX_DEPTH {
            // Cut like a cycle: an estimate this shallow is not cached.
            self.cut = true;
            return POINTER;
        }
        match schema {
            ReferenceOr::Reference { reference } => self.component(reference, depth),
            ReferenceOr::Item(schema) => self.item(schema, depth),
        }
    }

    fn component(&mut self, reference: &str, depth: usize) -> usize {
        let Some(name) = reference.strip_prefix("#/components/schemas/") else {
            return JSON_VALUE;
        };
        let holder = self.visiting.last().or(self.holder.as_ref());
        if holder.is_some_and(|holder| self.boxed.contains(holder, name)) {
            return POINTER;
        }
        if let Some(&size) = self.components.get(name) {
            return size;
        }
        // A cycle the boxes miss: cut here, as a box.
        if self.visiting.iter().any(|visiting| visiting == name) {
            self.cut = true;
            return POINTER;
        }
        let spec = self.spec;
        let Some(schema) = spec
            .components
            .as_ref()
            .and_then(|components| components.schemas.get(name))
        else {
            return JSON_VALUE;
        };
        let cut_outside = std::mem::take(&mut self.cut);
        self.visiting.push(name.to_owned());
        let size = self.at_depth(schema, depth + 1);
        self.visiting.pop();
        if !self.cut {
            self.components.insert(name.to_owned(), size);
        }
        self.cut |= cut_outside;
        size
    }

    fn item(&mut self, schema: &Schema, depth: usize) -> usize {
        let size = self.kind(&schema.schema_kind, depth);
        if schema.schema_data.nullable {
            optional(size)
        } else {
            size
        }
    }

    fn kind(&mut self, kind: &SchemaKind, depth: usize) -> usize {
        match kind {
            SchemaKind::Type(Type::String(_)) => COLLECTION,
            SchemaKind::Type(Type::Integer(integer)) => match integer.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => 4,
                _ => 8,
            },
            SchemaKind::Type(Type::Number(number)) => match number.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => 4,
                _ => 8,
            },
            SchemaKind::Type(Type::Boolean(_)) => 1,
            SchemaKind::Type(Type::Array(_)) => COLLECTION,
            SchemaKind::Type(Type::Object(object)) => {
                let map = match object.additional_properties {
                    Some(AdditionalProperties::Any(false)) => 0,
                    _ => COLLECTION,
                };
                let members: usize = object
                    .properties
                    .values()
                    .map(|member| optional(self.at_depth(&unboxed(member), depth + 1)))
                    .sum();
                (members + map).max(1)
            }
            SchemaKind::OneOf { one_of: variants } | SchemaKind::AnyOf { any_of: variants } => {
                self.largest(variants, depth) + POINTER
            }
            SchemaKind::AllOf { all_of } => all_of
                .iter()
                .map(|part| self.at_depth(part, depth + 1))
                .sum::<usize>()
                .max(1),
            SchemaKind::Any(any) => {
                let members: usize = any
                    .properties
                    .values()
                    .map(|member| optional(self.at_depth(&unboxed(member), depth + 1)))
                    .sum();
                let parts: usize = any
                    .all_of
                    .iter()
                    .map(|part| self.at_depth(part, depth + 1))
                    .sum();
                let variants = self
                    .largest(&any.one_of, depth)
                    .max(self.largest(&any.any_of, depth));
                (members + parts + variants).max(JSON_VALUE)
            }
            SchemaKind::Not { .. } => JSON_VALUE,
        }
    }

    fn largest(&mut self, variants: &[ReferenceOr<Schema>], depth: usize) -> usize {
        variants
            .iter()
            .map(|variant| self.at_depth(variant, depth + 1))
            .max()
            .unwrap_or(0)
    }
}

/// `Option<T>` of a `T` of `size` bytes: the same size where `T` has a
/// niche (the larger types all do), one word more for a small scalar.
fn optional(size: usize) -> usize {
    if size >= 16 { size } else { size + 8 }
}

fn unboxed(schema: &ReferenceOr<Box<Schema>>) -> ReferenceOr<Schema> {
    match schema {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference {
            reference: reference.clone(),
        },
        ReferenceOr::Item(item) => ReferenceOr::Item((**item).clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(json: &str) -> OpenAPI {
        serde_json::from_str(json).expect("a spec")
    }

    fn reference(name: &str) -> ReferenceOr<Schema> {
        ReferenceOr::Reference {
            reference: format!("#/components/schemas/{name}"),
        }
    }

    const SPEC: &str = r##"{
      "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
      "components": {"schemas": {
        "Small": {"type": "object", "additionalProperties": false,
                  "properties": {"id": {"type": "integer"}}},
        "Large": {"type": "object", "properties": {
            "a": {"type": "string"}, "b": {"type": "string"}, "c": {"type": "string"},
            "d": {"type": "string"}, "e": {"type": "string"}, "f": {"type": "string"},
            "g": {"type": "string"}, "h": {"type": "string"}, "i": {"type": "string"}}},
        "Tree": {"type": "object", "properties": {
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}},
            "parent": {"$ref": "#/components/schemas/Tree"}}}
      }}
    }"##;

    #[test]
    fn an_object_is_its_members_and_its_map() {
        let spec = spec(SPEC);
        let mut sizes = Sizes::new(&spec, Boxed::of(&spec));
        assert_eq!(sizes.of(&reference("Small"), None), 16);
        assert_eq!(sizes.of(&reference("Large"), None), 9 * 24 + 24);
    }

    #[test]
    fn a_recursive_reference_counts_as_a_box() {
        let spec = spec(SPEC);
        let mut sizes = Sizes::new(&spec, Boxed::of(&spec));
        assert_eq!(sizes.of(&reference("Tree"), None), 24 + 8 + 8 + 24);
    }

    #[test]
    fn a_size_cut_short_by_depth_is_not_cached() {
        // `C0` holds `C1` holds ... `C30`, which holds nine strings: from
        // `C0` the depth runs out before `C30`; from `C29` it does not.
        let mut schemas = serde_json::Map::new();
        for i in 0..30 {
            let next = format!("#/components/schemas/C{}", i + 1);
            schemas.insert(
                format!("C{i}"),
                serde_json::json!({"type": "object", "additionalProperties": false,
                                   "properties": {"next": {"$ref": next}}}),
            );
        }
        let strings: serde_json::Map<String, serde_json::Value> = (0..9)
            .map(|i| (format!("s{i}"), serde_json::json!({"type": "string"})))
            .collect();
        schemas.insert(
            "C30".into(),
            serde_json::json!({"type": "object", "additionalProperties": false,
                               "properties": strings}),
        );
        let document = serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": schemas}
        });
        let spec: OpenAPI = serde_json::from_value(document).expect("a spec");
        let mut sizes = Sizes::new(&spec, Boxed::of(&spec));
        assert!(sizes.of(&reference("C0"), None) < 9 * 24);
        assert_eq!(sizes.of(&reference("C20"), None), 9 * 24);
    }

    #[test]
    fn the_largest_variant_is_boxed_while_far_larger_than_the_next() {
        assert_eq!(Sizes::to_box(&[392, 72, 24]), [true, false, false]);
        assert_eq!(Sizes::to_box(&[600, 400, 24]), [true, true, false]);
        assert_eq!(Sizes::to_box(&[500, 400, 24]), [false, false, false]);
        assert_eq!(Sizes::to_box(&[150, 100]), [false, false]);
        assert_eq!(Sizes::to_box(&[1000]), [false]);
        assert_eq!(Sizes::to_box(&[]), Vec::<bool>::new());
    }
}
