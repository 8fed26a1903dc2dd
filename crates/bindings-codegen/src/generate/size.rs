//! An estimate of the size in bytes of the Rust type a schema becomes
//! (on a 64-bit target), so that a union's much larger variants can be
//! boxed: an enum is as large as its largest variant, and clippy's
//! `large_enum_variant` refuses a difference of 200 bytes or more.
//!
//! The estimate follows the mapping of `types.rs` (a `String`, `Vec` or
//! map is 24 bytes, `serde_json::Value` 32, an object the sum of its
//! members and its `additional_properties` map); it errs on the large
//! side, since boxing a variant that did not need it costs one
//! allocation, and a variant left unboxed fails the crate's clippy.

use std::collections::BTreeMap;

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
#[derive(Debug)]
pub struct Sizes<'a> {
    spec: &'a OpenAPI,
    components: BTreeMap<String, usize>,
    visiting: Vec<String>,
}

impl<'a> Sizes<'a> {
    pub fn new(spec: &'a OpenAPI) -> Self {
        Self {
            spec,
            components: BTreeMap::new(),
            visiting: Vec::new(),
        }
    }

    /// The estimated size of the type `schema` becomes.
    pub fn of(&mut self, schema: &ReferenceOr<Schema>) -> usize {
        self.at_depth(schema, 0)
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
        if let Some(&size) = self.components.get(name) {
            return size;
        }
        // A component the estimate is inside of is a recursion, boxed.
        if self.visiting.iter().any(|visiting| visiting == name) {
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
        self.visiting.push(name.to_owned());
        let size = self.at_depth(schema, depth + 1);
        self.visiting.pop();
        self.components.insert(name.to_owned(), size);
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
        let mut sizes = Sizes::new(&spec);
        assert_eq!(sizes.of(&reference("Small")), 16);
        assert_eq!(sizes.of(&reference("Large")), 9 * 24 + 24);
    }

    #[test]
    fn a_recursive_reference_counts_as_a_box() {
        let spec = spec(SPEC);
        let mut sizes = Sizes::new(&spec);
        assert_eq!(sizes.of(&reference("Tree")), 24 + 8 + 8 + 24);
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
