//! A drawn schema made consistent: references resolved to components,
//! constraints that contradict each other dropped, names made unique, so
//! that every schema has values and [`super::example`] can build one.
//!
//! References: outside a position that can be left empty (an optional
//! member, array items, map values) a component may only reference the
//! components before it, so every value is finite; inside one it may
//! reference any, itself included, and a reference back to a component
//! not yet left becomes [`Schema::Back`], which examples leave out.

use std::collections::BTreeSet;

use super::model::{
    Additional, Array, INTEGER_FORMATS, Int, MEMBER_NAMES, Num, Object, PATTERNS, Property, Schema,
    Str,
};

/// The kind of JSON value a schema holds (`None`: a composition, any).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    String,
    Number,
    Boolean,
    Array,
    Object,
}

/// The components resolved so far, and where references are resolved
/// from: component `current` (all of them: `current == count`).
#[derive(Debug)]
pub struct Resolver {
    pub count: usize,
    pub current: usize,
    pub resolved: Vec<Schema>,
}

impl Resolver {
    pub fn schema(&self, schema: &Schema, guarded: bool) -> Schema {
        match schema {
            Schema::String(s) => Schema::String(string(s)),
            Schema::Integer(i) => Schema::Integer(integer(i)),
            Schema::Number(n) => Schema::Number(number(n)),
            Schema::Boolean => Schema::Boolean,
            Schema::Array(array) => Schema::Array(Box::new(self.array(array))),
            Schema::Object(object) => Schema::Object(self.object(object, &BTreeSet::new())),
            Schema::Map(values) => Schema::Map(Box::new(self.schema(values, true))),
            Schema::OneOf(alternatives) => self.one_of(alternatives),
            Schema::AnyOf(alternatives) => {
                Schema::AnyOf(alternatives.iter().map(|a| self.schema(a, false)).collect())
            }
            Schema::AllOf(parts, object) => self.all_of(parts, object),
            Schema::Ref(index) => self.reference(*index, guarded),
            Schema::Nullable(inner, null) => match self.schema(inner, guarded) {
                Schema::Nullable(inner, _) => Schema::Nullable(inner, *null),
                inner => Schema::Nullable(Box::new(inner), *null),
            },
            Schema::Back(index) => Schema::Back(*index),
        }
    }

    fn reference(&self, index: usize, guarded: bool) -> Schema {
        if guarded && self.count > 0 {
            let target = index % self.count;
            return if target >= self.current {
                Schema::Back(target)
            } else {
                Schema::Ref(target)
            };
        }
        if self.current == 0 {
            return Schema::Boolean;
        }
        Schema::Ref(index % self.current)
    }

    fn array(&self, array: &Array) -> Array {
        let items = self.schema(&array.items, true);
        let mut min_items = array.min_items;
        if array.unique {
            min_items = min_items.min(1);
        }
        if is_back(&items) {
            min_items = 0;
        }
        Array {
            items,
            min_items,
            max_items: array.max_items.map(|max| max.max(min_items)),
            unique: array.unique,
        }
    }

    /// The object with its members' names made unique (and distinct from
    /// `taken`).
    fn object(&self, object: &Object, taken: &BTreeSet<&str>) -> Object {
        let mut seen = BTreeSet::new();
        let properties = object
            .properties
            .iter()
            .filter(|p| !taken.contains(MEMBER_NAMES[p.name]) && seen.insert(p.name))
            .map(|p| Property {
                schema: self.schema(&p.schema, !p.required),
                ..p.clone()
            })
            .collect();
        let additional = match &object.additional {
            Additional::Schema(values) => Additional::Schema(Box::new(self.schema(values, true))),
            other => other.clone(),
        };
        Object {
            properties,
            additional,
        }
    }

    /// Alternatives of distinct kinds, so that a value matches exactly
    /// one of them.
    fn one_of(&self, alternatives: &[Schema]) -> Schema {
        let mut kinds = Vec::new();
        let mut kept = Vec::new();
        for alternative in alternatives {
            let alternative = match self.schema(alternative, false) {
                Schema::Nullable(inner, _) => *inner,
                other => other,
            };
            match self.kind(&alternative) {
                Some(kind) if !kinds.contains(&kind) => {
                    kinds.push(kind);
                    kept.push(alternative);
                }
                _ => {}
            }
        }
        if kept.is_empty() {
            return Schema::Boolean;
        }
        Schema::OneOf(kept)
    }

    /// Earlier object components whose members are distinct, and the
    /// inline part's members that none of them has.
    fn all_of(&self, parts: &[usize], inline: &Object) -> Schema {
        let mut targets = Vec::new();
        let mut taken = BTreeSet::new();
        for &part in parts {
            if self.current == 0 {
                break;
            }
            let target = part % self.current;
            let Some(object) = self.plain_object(target) else {
                continue;
            };
            let names: BTreeSet<&str> = object
                .properties
                .iter()
                .map(|p| MEMBER_NAMES[p.name])
                .collect();
            if targets.contains(&target) || !names.is_disjoint(&taken) {
                continue;
            }
            taken.extend(names);
            targets.push(target);
        }
        let mut object = self.object(inline, &taken);
        object.additional = Additional::Absent;
        if targets.is_empty() {
            return Schema::Object(object);
        }
        Schema::AllOf(targets, object)
    }

    /// Component `target` when it is an object a merge can extend (no
    /// `additionalProperties` that would constrain the other parts).
    pub fn plain_object(&self, target: usize) -> Option<&Object> {
        match self.resolved.get(target)? {
            Schema::Object(object)
                if matches!(object.additional, Additional::Absent | Additional::True) =>
            {
                Some(object)
            }
            _ => None,
        }
    }

    pub fn kind(&self, schema: &Schema) -> Option<Kind> {
        match schema {
            Schema::String(_) => Some(Kind::String),
            Schema::Integer(_) | Schema::Number(_) => Some(Kind::Number),
            Schema::Boolean => Some(Kind::Boolean),
            Schema::Array(_) => Some(Kind::Array),
            Schema::Object(_) | Schema::Map(_) | Schema::AllOf(..) => Some(Kind::Object),
            Schema::Ref(target) | Schema::Back(target) => self.kind(self.resolved.get(*target)?),
            Schema::Nullable(inner, _) => self.kind(inner),
            Schema::OneOf(_) | Schema::AnyOf(_) => None,
        }
    }
}

/// Whether a value of `schema` cannot be built (a reference back), so the
/// position holding it is left empty.
pub fn is_back(schema: &Schema) -> bool {
    match schema {
        Schema::Back(_) => true,
        Schema::Nullable(inner, _) => is_back(inner),
        _ => false,
    }
}

fn string(s: &Str) -> Str {
    let none = Str {
        format: None,
        enumeration: None,
        pattern: None,
        min_length: None,
        max_length: None,
    };
    if s.enumeration.is_some() {
        return Str {
            enumeration: s.enumeration,
            ..none
        };
    }
    if s.format.is_some() {
        return Str {
            format: s.format,
            ..none
        };
    }
    if let Some(pattern) = s.pattern {
        let length = u8::try_from(PATTERNS[pattern].1.chars().count()).unwrap_or(u8::MAX);
        return Str {
            pattern: Some(pattern),
            min_length: s.min_length.map(|min| min.min(length)),
            max_length: s.max_length.map(|max| max.max(length)),
            ..none
        };
    }
    let (min_length, max_length) = match (s.min_length, s.max_length) {
        (Some(min), Some(max)) if min > max => (Some(max), Some(min)),
        other => other,
    };
    Str {
        min_length,
        max_length,
        ..none
    }
}

/// The least and greatest value of an integer of this format.
pub fn integer_range(i: &Int) -> (i64, i64) {
    let (_, least, greatest) = INTEGER_FORMATS[i.format];
    (least, greatest)
}

/// An integer the schema admits, when there is one.
pub fn integer_example(i: &Int) -> Option<i64> {
    if i.enumeration {
        return Some(1);
    }
    let (least, greatest) = integer_range(i);
    let exclusive = i64::from(i.exclusive);
    let low = i
        .minimum
        .map_or(least, |m| (i64::from(m) + exclusive).max(least));
    let high = i
        .maximum
        .map_or(greatest, |m| (i64::from(m) - exclusive).min(greatest));
    if low > high {
        return None;
    }
    let start = 1.clamp(low, high);
    let step = i.multiple_of.map_or(1, i64::from);
    (start..=high.min(start.saturating_add(10))).find(|n| n % step == 0)
}

fn integer(i: &Int) -> Int {
    if i.enumeration {
        return Int {
            minimum: None,
            maximum: None,
            exclusive: false,
            multiple_of: None,
            ..i.clone()
        };
    }
    let mut i = i.clone();
    if let (Some(min), Some(max)) = (i.minimum, i.maximum)
        && min > max
    {
        (i.minimum, i.maximum) = (Some(max), Some(min));
    }
    while integer_example(&i).is_none() {
        if i.multiple_of.take().is_some() {
            continue;
        }
        if i.exclusive {
            i.exclusive = false;
            continue;
        }
        (i.minimum, i.maximum) = (None, None);
    }
    i
}

fn number(n: &Num) -> Num {
    let mut n = n.clone();
    if let (Some(min), Some(max)) = (n.minimum, n.maximum) {
        if min > max {
            (n.minimum, n.maximum) = (Some(max), Some(min));
        }
        if min == max {
            n.exclusive = false;
        }
    }
    n
}

/// A number the schema admits: halves, exact in `f32` too.
pub fn number_example(n: &Num) -> f64 {
    match (n.minimum, n.maximum) {
        (Some(min), Some(max)) if min == max => f64::from(min),
        (Some(min), _) => f64::from(min) + 0.5,
        (None, Some(max)) => f64::from(max) - 0.5,
        (None, None) => 1.5,
    }
}
