//! `constraint-contradiction`: the constraints of one schema that
//! contradict each other, at every schema of the document.
//!
//! - bounds that leave no value: `minimum` above `maximum` (or equal, with
//!   an exclusive one; for integers, no integer between them; an integer
//!   format's range counts), `minLength` above `maxLength`, `minItems`
//!   above `maxItems`, `minProperties` above `maxProperties`;
//! - an integer written as a string (`type: string, format: int32`) whose
//!   `pattern` and `minimum`/`maximum` disagree. JSON Schema validators
//!   read only the pattern of a string, the generated type both, so where
//!   the pattern admits an integer beyond a bound, or refuses the bound
//!   itself, tools disagree on what is valid. Which integers a pattern
//!   admits is decided on automata ([`crate::decimal`]), exactly;
//! - an `enum` value or the `default` that its own schema refuses;
//! - an `allOf` part that allows no members but its own
//!   (`additionalProperties: false`) beside a part that names others: JSON
//!   Schema checks each part on its own, so a value holding those members
//!   fits no such schema (Linode's paginated envelopes: a closed `data`
//!   part and a closed `page`, `pages`, `results` part fit only `{}`);
//! - a `required` member that `additionalProperties: false` forbids (not
//!   in `properties`, no `patternProperties`): no value fits the schema
//!   (PagerDuty's `jira_cloud_account` requires `id` and names only
//!   `base_url`);
//!
//! `one-of-overlap`, checked beside it: a `oneOf` variant every value of
//! which fits another variant too (`containment.rs` decides it on the
//! schemas' structure). `oneOf` takes a value that fits exactly one, so
//! it refuses every value of that variant (influxdb's
//! `DashboardWithViewProperties` beside `Dashboard`, whose cells are open
//! and so take every cell with view properties).

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::Report;
use super::Rule;
use super::decimal;
use super::examples::{SchemaSet, compile, components_for_validation, mismatches_of};
use super::schemas::SchemaSites;
use openapi_source::child;
use openapi_source::spec::{INTEGER_STRING_FORMATS, integer_type};

/// Two constraints of a schema that contradict each other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contradiction {
    /// JSON Pointer of the keyword that contradicts (into the document).
    pub pointer: String,
    pub message: String,
}

/// The `constraint-contradiction` rule on one schema at a time, for a
/// tool that visits schemas on its own (`docs check` does, per page).
#[derive(Debug)]
pub struct Contradictions {
    components: SchemaSet,
}

impl Contradictions {
    /// Prepares the check for the document `root` (its component schemas
    /// are what `$ref`s in an `enum` or `default`'s schema resolve to).
    pub fn new(root: &Value) -> Self {
        Contradictions {
            components: components_for_validation(root, false),
        }
    }

    /// The contradictions of the schema at `pointer` in `root` (not of the
    /// schemas nested in it).
    pub fn of(&self, root: &Value, pointer: &str) -> Vec<Contradiction> {
        match root.pointer(pointer) {
            Some(Value::Object(schema)) => of_schema(root, &self.components, schema, pointer),
            _ => Vec::new(),
        }
    }

    /// The `oneOf` variants of the schema at `pointer` in `root` whose every
    /// value fits another variant too (`one-of-overlap`).
    pub fn one_of_overlaps(root: &Value, pointer: &str) -> Vec<Contradiction> {
        match root.pointer(pointer) {
            Some(Value::Object(schema)) => one_of_contained(root, schema, pointer),
            _ => Vec::new(),
        }
    }
}

pub(super) fn check(report: &mut Report<'_>, components: &SchemaSet, sites: &SchemaSites<'_>) {
    let root = report.root();
    for (pointer, schema) in &sites.schemas {
        for found in of_schema(root, components, schema, pointer) {
            report.at(&found.pointer, Rule::ConstraintContradiction, found.message);
        }
        for found in one_of_contained(root, schema, pointer) {
            report.at(&found.pointer, Rule::OneOfOverlap, found.message);
        }
    }
}

fn of_schema(
    root: &Value,
    components: &SchemaSet,
    schema: &Map<String, Value>,
    pointer: &str,
) -> Vec<Contradiction> {
    let mut found = Vec::new();
    let mut say = |key: &str, message: String| {
        found.push(Contradiction {
            pointer: child(pointer, key),
            message,
        });
    };
    // OpenAPI 3.0 ignores the siblings of a reference.
    if schema.contains_key("$ref") {
        return found;
    }
    for (least, most, what) in [
        ("minLength", "maxLength", "length"),
        ("minItems", "maxItems", "number of items"),
        ("minProperties", "maxProperties", "number of members"),
    ] {
        if let (Some(low), Some(high)) = (number(schema, least), number(schema, most))
            && low > high
        {
            say(
                least,
                format!("`{least}` {low} is above `{most}` {high}: no {what} is allowed"),
            );
        }
    }
    if let Some((key, message)) = empty_range(schema) {
        say(key, message);
    }
    for (key, message) in pattern_against_bounds(schema) {
        say(key, message);
    }
    for (at, message) in values_refused(components, schema, pointer) {
        found.push(Contradiction {
            pointer: at,
            message,
        });
    }
    found.extend(closed_parts(root, schema, pointer));
    found.extend(required_but_forbidden(schema, pointer));
    found
}

/// The `oneOf` variants whose every value fits another variant too.
fn one_of_contained(
    root: &Value,
    schema: &Map<String, Value>,
    pointer: &str,
) -> Vec<Contradiction> {
    let Some(variants) = schema.get("oneOf").and_then(Value::as_array) else {
        return Vec::new();
    };
    let name = |variant: &Value| match variant.get("$ref").and_then(Value::as_str) {
        Some(reference) => format!("`{reference}`"),
        None => "inline".to_owned(),
    };
    // A variant without a `type` takes only the values of the schema's
    // own (influxdb's `results`: an array, its variants `required` lists
    // that say nothing of arrays).
    let typed: Vec<Cow<'_, Value>> = variants
        .iter()
        .map(|variant| typed_as(root, schema.get("type"), variant))
        .collect();
    let mut found = Vec::new();
    for (index, inner) in typed.iter().enumerate() {
        let outer = typed.iter().enumerate().find(|(other, outer)| {
            *other != index && crate::containment::contains(root, outer, inner)
        });
        if let Some((other, _)) = outer {
            found.push(Contradiction {
                pointer: child(&child(pointer, "oneOf"), &index.to_string()),
                message: format!(
                    "every value of `oneOf` variant {index} ({}) fits variant {other} ({}) too, and `oneOf` takes a value that fits exactly one: the schema refuses every value of variant {index} (`anyOf` takes them, or a member that tells the variants apart)",
                    name(&variants[index]),
                    name(&variants[other])
                ),
            });
        }
    }
    found
}

/// `variant` with the schema's own `type` where it (through its local
/// `$ref`s) names none; as it is otherwise.
fn typed_as<'v>(root: &Value, own: Option<&Value>, variant: &'v Value) -> Cow<'v, Value> {
    let Some(own) = own else {
        return Cow::Borrowed(variant);
    };
    match local_schema(root, variant) {
        Some(resolved) if !resolved.contains_key("type") => {
            let mut typed = resolved.clone();
            typed.insert("type".to_owned(), own.clone());
            Cow::Owned(Value::Object(typed))
        }
        _ => Cow::Borrowed(variant),
    }
}

/// The `required` members of a closed schema (`additionalProperties:
/// false`, no `patternProperties`) that it does not name in `properties`.
fn required_but_forbidden(schema: &Map<String, Value>, pointer: &str) -> Option<Contradiction> {
    let closed = schema.get("additionalProperties") == Some(&Value::Bool(false))
        && !schema.contains_key("patternProperties");
    let required = schema.get("required").and_then(Value::as_array)?;
    let named = schema.get("properties").and_then(Value::as_object);
    let forbidden: Vec<String> = required
        .iter()
        .filter_map(Value::as_str)
        .filter(|name| !named.is_some_and(|members| members.contains_key(*name)))
        .map(|name| format!("`{name}`"))
        .collect();
    (closed && !forbidden.is_empty()).then(|| Contradiction {
        pointer: child(pointer, "required"),
        message: format!(
            "{} {} required, yet `additionalProperties: false` allows no member `properties` does not name: no value fits this schema",
            forbidden.join(", "),
            if forbidden.len() == 1 { "is" } else { "are" },
        ),
    })
}

/// The `allOf` parts of `schema` that allow no members but their own
/// (`additionalProperties: false`, no `patternProperties`) while another
/// part, or the schema itself, names members they do not.
fn closed_parts(root: &Value, schema: &Map<String, Value>, pointer: &str) -> Vec<Contradiction> {
    let Some(parts) = schema.get("allOf").and_then(Value::as_array) else {
        return Vec::new();
    };
    let parts: Vec<Option<&Map<String, Value>>> =
        parts.iter().map(|part| local_schema(root, part)).collect();
    let names = |part: &Map<String, Value>| -> Vec<String> {
        part.get("properties")
            .and_then(Value::as_object)
            .map(|members| members.keys().cloned().collect())
            .unwrap_or_default()
    };
    let mut found = Vec::new();
    for (index, part) in parts.iter().enumerate() {
        let Some(part) = part.filter(|part| {
            part.get("additionalProperties") == Some(&Value::Bool(false))
                && !part.contains_key("patternProperties")
        }) else {
            continue;
        };
        let own = names(part);
        let mut others: Vec<String> = parts
            .iter()
            .enumerate()
            .filter(|(other, _)| *other != index)
            .filter_map(|(_, other)| *other)
            .chain([schema])
            .flat_map(names)
            .filter(|name| !own.contains(name))
            .collect();
        others.sort();
        others.dedup();
        if others.is_empty() {
            continue;
        }
        let listed: Vec<String> = others.iter().map(|name| format!("`{name}`")).collect();
        found.push(Contradiction {
            pointer: child(&child(pointer, "allOf"), &index.to_string()),
            message: format!(
                "`allOf` part {index} allows no members but its own (`additionalProperties: false`), yet {} {} named beside it: JSON Schema checks each part on its own, so no value holding {} fits this schema",
                listed.join(", "),
                if others.len() == 1 { "it is" } else { "they are" },
                if others.len() == 1 { "it" } else { "one of them" }
            ),
        });
    }
    found
}

/// `schema`, or the schema its local `$ref`s lead to in `root` (a few
/// steps at most).
fn local_schema<'a>(root: &'a Value, mut schema: &'a Value) -> Option<&'a Map<String, Value>> {
    for _ in 0..8 {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => schema = root.pointer(reference.strip_prefix('#')?)?,
            None => return schema.as_object(),
        }
    }
    None
}

fn number(schema: &Map<String, Value>, key: &str) -> Option<f64> {
    schema.get(key).and_then(Value::as_f64)
}

/// Whether the schema holds integers: `type: integer`, or a string of one
/// (`type: string` with an integer `format`).
fn integer_format(schema: &Map<String, Value>) -> Option<Option<&str>> {
    let format = schema.get("format").and_then(Value::as_str);
    match schema.get("type").and_then(Value::as_str) {
        Some("integer") => Some(format),
        Some("string") if format.is_some_and(|f| INTEGER_STRING_FORMATS.contains(&f)) => {
            Some(format)
        }
        _ => None,
    }
}

/// One end of a range: its value, whether it is exclusive, what states it.
#[derive(Debug, Clone)]
struct End {
    value: f64,
    exclusive: bool,
    said: String,
    key: Option<&'static str>,
}

/// The ends of the range `minimum`/`maximum` (with their exclusive forms,
/// boolean as in 3.0 or numeric as in 3.1) and an integer format state.
fn ends(schema: &Map<String, Value>, lower: bool) -> Vec<End> {
    let (bound, exclusive) = if lower {
        ("minimum", "exclusiveMinimum")
    } else {
        ("maximum", "exclusiveMaximum")
    };
    let mut ends = Vec::new();
    if let Some(value) = number(schema, bound) {
        let exclusive_flag = schema.get(exclusive) == Some(&Value::Bool(true));
        let said = if exclusive_flag {
            format!("`{bound}` {} (`{exclusive}`)", show(value))
        } else {
            format!("`{bound}` {}", show(value))
        };
        ends.push(End {
            value,
            exclusive: exclusive_flag,
            said,
            key: Some(bound),
        });
    }
    if let Some(value) = number(schema, exclusive) {
        ends.push(End {
            value,
            exclusive: true,
            said: format!("`{exclusive}` {}", show(value)),
            key: Some(exclusive),
        });
    }
    if let Some(Some(format)) = integer_format(schema)
        && INTEGER_STRING_FORMATS.contains(&format)
    {
        let (_, least, most) = integer_type(Some(format));
        let (value, which) = if lower {
            (least, "least")
        } else {
            (most, "largest")
        };
        ends.push(End {
            value: value as f64,
            exclusive: false,
            said: format!("{format}'s {which} value {value}"),
            key: None,
        });
    }
    ends
}

/// The tightest of `ends` (the greatest lower end, or the least upper).
fn tightest(ends: Vec<End>, lower: bool) -> Option<End> {
    ends.into_iter().reduce(|best, end| {
        let tighter = if lower {
            end.value > best.value
        } else {
            end.value < best.value
        };
        let as_tight = end.value == best.value && end.exclusive && !best.exclusive;
        if tighter || as_tight { end } else { best }
    })
}

/// `minimum`/`maximum` (and an integer format's range) that leave no value.
fn empty_range(schema: &Map<String, Value>) -> Option<(&'static str, String)> {
    let low = tightest(ends(schema, true), true)?;
    let high = tightest(ends(schema, false), false)?;
    let integer = integer_format(schema).is_some();
    let empty = if integer {
        let least = if low.exclusive {
            low.value.floor() + 1.0
        } else {
            low.value.ceil()
        };
        let most = if high.exclusive {
            high.value.ceil() - 1.0
        } else {
            high.value.floor()
        };
        least > most
    } else {
        low.value > high.value || (low.value == high.value && (low.exclusive || high.exclusive))
    };
    if !empty {
        return None;
    }
    let key = low.key.or(high.key)?;
    let what = if integer { "integer" } else { "number" };
    Some((
        key,
        format!(
            "no {what} is within {} and {}: no value is allowed",
            low.said, high.said
        ),
    ))
}

/// A bound as an integer, when it is one.
fn integer(value: &Value) -> Option<i128> {
    value
        .as_i64()
        .map(i128::from)
        .or_else(|| value.as_u64().map(i128::from))
}

/// Where the `pattern` of an integer string and its bounds disagree.
fn pattern_against_bounds(schema: &Map<String, Value>) -> Vec<(&'static str, String)> {
    let mut found = Vec::new();
    let is_string = schema.get("type").and_then(Value::as_str) == Some("string");
    let (true, Some(Some(_)), Some(pattern)) = (
        is_string,
        integer_format(schema),
        schema.get("pattern").and_then(Value::as_str),
    ) else {
        return found;
    };
    if decimal::matches(pattern, "").is_none() {
        return found; // not ECMA-262; `example-invalid` and others say so
    }
    for (key, exclusive, upper) in [
        ("minimum", "exclusiveMinimum", false),
        ("maximum", "exclusiveMaximum", true),
    ] {
        let Some(bound) = schema.get(key).and_then(integer) else {
            continue;
        };
        let step = i128::from(schema.get(exclusive) == Some(&Value::Bool(true)));
        let (extreme, beyond) = if upper {
            let most = bound - step;
            (most, decimal::admitted_above(pattern, most))
        } else {
            let least = bound + step;
            (least, decimal::admitted_below(pattern, least))
        };
        let (side, way) = if upper {
            ("largest", "above")
        } else {
            ("least", "below")
        };
        if let Some(witness) = beyond {
            found.push((
                key,
                format!(
                    "`{key}` is {bound}, but the `pattern` `{pattern}` admits \"{witness}\", {way} it: \
                     JSON Schema validators (which ignore bounds on a string) accept it, the generated type refuses it"
                ),
            ));
        } else if decimal::matches(pattern, &extreme.to_string()) == Some(false) {
            found.push((
                key,
                format!(
                    "`{key}` is {bound}, but the `pattern` `{pattern}` refuses \"{extreme}\", \
                     the {side} value the bound allows: the two state different ranges"
                ),
            ));
        }
    }
    found
}

/// Each `enum` value and the `default` of the schema at `pointer` that
/// the schema refuses: (the value's pointer, why).
fn values_refused(
    components: &SchemaSet,
    schema: &Map<String, Value>,
    pointer: &str,
) -> Vec<(String, String)> {
    if !schema.contains_key("enum") && !schema.contains_key("default") {
        return Vec::new();
    }
    let enum_at = child(pointer, "enum");
    let values = schema
        .get("enum")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(index, value)| (child(&enum_at, &index.to_string()), "`enum` value", value));
    let default = schema
        .get("default")
        .map(|value| (child(pointer, "default"), "`default`", value));
    // A schema that cannot be compiled is reported by its own rule.
    let validator = compile(components, &Value::Object(schema.clone())).ok();
    values
        .chain(default)
        .filter_map(|(at, what, value)| {
            let why = refusal(validator.as_ref(), schema, value)?;
            Some((
                at,
                format!("{what} {value} is not valid under its own schema: {why}"),
            ))
        })
        .collect()
}

/// Why `schema` refuses `value`, if it does: the JSON Schema reading, and
/// the bounds of an integer string (which JSON Schema ignores on strings).
fn refusal(
    validator: Option<&jsonschema::Validator>,
    schema: &Map<String, Value>,
    value: &Value,
) -> Option<String> {
    if let Some(validator) = validator
        && let Some((inner, message)) = mismatches_of(validator, value).into_iter().next()
    {
        return Some(if inner.is_empty() {
            message
        } else {
            format!("at `{inner}`: {message}")
        });
    }
    let (Some(Some(_)), Some(text)) = (integer_format(schema), value.as_str()) else {
        return None;
    };
    let number: i128 = text.parse().ok()?;
    for (key, exclusive, upper) in [
        ("minimum", "exclusiveMinimum", false),
        ("maximum", "exclusiveMaximum", true),
    ] {
        let Some(bound) = schema.get(key).and_then(integer) else {
            continue;
        };
        let exclusive = schema.get(exclusive) == Some(&Value::Bool(true));
        let outside = match (upper, exclusive) {
            (true, false) => number > bound,
            (true, true) => number >= bound,
            (false, false) => number < bound,
            (false, true) => number <= bound,
        };
        if outside {
            return Some(format!("{number} is outside `{key}` {bound}"));
        }
    }
    None
}

/// A bound as the spec writes it (`1000`, not `1000.0`).
fn show(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e18 {
        format!("{}", value as i64)
    } else {
        value.to_string()
    }
}
