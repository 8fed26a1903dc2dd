//! The mutation property test of `diff`: a random body schema, a random
//! wire-relevant edit of it, and the diff of the two specs. When some value
//! the old spec accepted in a request is refused by the new one (or a value
//! the new spec allows in a response was refused by the old one), a client
//! of the wire API can break, and the diff must say so: some change must
//! be `breaking` for wire clients.
//!
//! The witness is searched among values built from both schemas' own
//! numbers and strings, and each is checked against both schemas with the
//! `jsonschema` crate (the schemas translated from OpenAPI 3.0 as
//! openapi-lint's example check does: `nullable` as a `null` type,
//! boolean exclusive bounds as numeric ones). Witnesses hold documented
//! members only: a newly documented optional member is compatible by the
//! policy in ARCHITECTURE.md, so the mutations never add members.
//!
//! `DIFF_PROPTEST_CASES` sets the number of cases (default 256); `cargo
//! xtask diff-proptest` runs thousands.

use bindings_codegen::diff::{Level, diff_texts};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Value, json};

/// A small deterministic generator, seeded by proptest.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self) -> bool {
        self.below(2) == 0
    }
    fn small(&mut self) -> i64 {
        i64::try_from(self.below(11)).unwrap_or(0) - 3
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[usize::try_from(self.below(items.len() as u64)).unwrap_or(0)]
    }
}

const PATTERNS: &[&str] = &["^[a-z]+$", "^[a-z0-9]+$", "^a", "^[0-9]+$", "b$"];
const WORDS: &[&str] = &["a", "ab", "abc", "b", "x1", "12", "ABC", ""];

fn integer(rng: &mut Rng) -> Value {
    let mut schema = json!({"type": "integer", "format": "int32"});
    if rng.chance() {
        schema["minimum"] = json!(rng.small());
    }
    if rng.chance() {
        schema["maximum"] = json!(rng.small() + 5);
    }
    if rng.below(4) == 0 {
        schema["multipleOf"] = json!(rng.pick(&[2, 3, 4]));
    }
    if rng.below(4) == 0 {
        schema["enum"] = json!([0, 1, 2, 4]);
    }
    schema
}

fn string(rng: &mut Rng) -> Value {
    let mut schema = json!({"type": "string"});
    if rng.chance() {
        schema["minLength"] = json!(rng.below(3));
    }
    if rng.chance() {
        schema["maxLength"] = json!(rng.below(4) + 1);
    }
    if rng.below(3) == 0 {
        schema["pattern"] = json!(rng.pick(PATTERNS));
    }
    if rng.below(4) == 0 {
        schema["enum"] = json!(["a", "ab", "b"]);
    }
    schema
}

fn array(rng: &mut Rng) -> Value {
    let mut schema = json!({"type": "array", "items": integer(rng)});
    if rng.chance() {
        schema["minItems"] = json!(rng.below(2));
    }
    if rng.chance() {
        schema["maxItems"] = json!(rng.below(3) + 1);
    }
    if rng.below(3) == 0 {
        schema["uniqueItems"] = json!(true);
    }
    schema
}

fn object(rng: &mut Rng) -> Value {
    let mut schema = json!({
        "type": "object",
        "properties": {"a": integer(rng), "b": string(rng)},
    });
    let required: Vec<&str> = ["a", "b"].into_iter().filter(|_| rng.chance()).collect();
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    if rng.below(3) == 0 {
        schema["additionalProperties"] = json!(false);
    }
    schema
}

fn schema(rng: &mut Rng) -> Value {
    let mut schema = match rng.below(4) {
        0 => integer(rng),
        1 => string(rng),
        2 => array(rng),
        _ => object(rng),
    };
    if rng.below(5) == 0 {
        schema["nullable"] = json!(true);
    }
    schema
}

fn toggle(schema: &mut Value, key: &str, value: Value) {
    let object = schema.as_object_mut().expect("an object schema");
    if object.remove(key).is_none() {
        object.insert(key.to_owned(), value);
    }
}

/// One random wire-relevant edit: a keyword set, changed or removed.
fn mutate(rng: &mut Rng, schema: &mut Value) -> String {
    let kind = schema["type"].as_str().unwrap_or_default().to_owned();
    let choice = rng.below(6);
    if choice == 0 {
        let value = json!(true);
        toggle(schema, "nullable", value);
        return "nullable".into();
    }
    if choice == 1 {
        let other = if kind == "string" {
            "integer"
        } else {
            "string"
        };
        schema["type"] = json!(other);
        return format!("type {kind} -> {other}");
    }
    match kind.as_str() {
        "integer" => {
            let key = *rng.pick(&[
                "minimum",
                "maximum",
                "exclusiveMinimum",
                "exclusiveMaximum",
                "multipleOf",
                "enum",
            ]);
            match key {
                "exclusiveMinimum" | "exclusiveMaximum" => toggle(schema, key, json!(true)),
                "multipleOf" if rng.chance() => toggle(schema, key, json!(2)),
                "multipleOf" => schema[key] = json!(rng.pick(&[1, 2, 3, 4, 6])),
                "enum" => match schema.get("enum").and_then(Value::as_array).cloned() {
                    Some(mut values) if rng.chance() && values.len() > 1 => {
                        values.pop();
                        schema["enum"] = json!(values);
                    }
                    Some(mut values) if rng.chance() => {
                        values.push(json!(7));
                        schema["enum"] = json!(values);
                    }
                    _ => toggle(schema, key, json!([1, 2])),
                },
                _ if rng.chance() => toggle(schema, key, json!(rng.small())),
                _ => schema[key] = json!(rng.small() + 2),
            }
            key.into()
        }
        "string" => {
            let key = *rng.pick(&["minLength", "maxLength", "pattern", "enum"]);
            match key {
                "pattern" if rng.chance() => toggle(schema, key, json!(rng.pick(PATTERNS))),
                "pattern" => schema[key] = json!(rng.pick(PATTERNS)),
                "enum" => match schema.get("enum").and_then(Value::as_array).cloned() {
                    Some(mut values) if rng.chance() && values.len() > 1 => {
                        values.remove(0);
                        schema["enum"] = json!(values);
                    }
                    Some(mut values) if rng.chance() => {
                        values.push(json!("x1"));
                        schema["enum"] = json!(values);
                    }
                    _ => toggle(schema, key, json!(["a", "b"])),
                },
                _ if rng.chance() => toggle(schema, key, json!(rng.below(3))),
                _ => schema[key] = json!(rng.below(5)),
            }
            key.into()
        }
        "array" => {
            let key = *rng.pick(&["minItems", "maxItems", "uniqueItems", "items"]);
            match key {
                "uniqueItems" => toggle(schema, key, json!(true)),
                "items" => return format!("items {}", mutate(rng, &mut schema["items"])),
                _ if rng.chance() => toggle(schema, key, json!(rng.below(3))),
                _ => schema[key] = json!(rng.below(4)),
            }
            key.into()
        }
        "object" => match rng.below(4) {
            0 => {
                let name = *rng.pick(&["a", "b"]);
                let mut required: Vec<Value> = schema
                    .get("required")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                if let Some(at) = required.iter().position(|r| r == name) {
                    required.remove(at);
                } else {
                    required.push(json!(name));
                }
                if required.is_empty() {
                    schema.as_object_mut().expect("object").remove("required");
                } else {
                    schema["required"] = json!(required);
                }
                format!("required {name}")
            }
            1 => {
                let value = json!(*rng.pick(&[json!(false), json!({"type": "integer"})]));
                toggle(schema, "additionalProperties", value);
                "additionalProperties".into()
            }
            2 => format!("member a {}", mutate(rng, &mut schema["properties"]["a"])),
            _ => format!("member b {}", mutate(rng, &mut schema["properties"]["b"])),
        },
        _ => "none".into(),
    }
}

/// The spec with `schema` as the request body (and a plain response) or
/// as the response body.
fn spec(schema: &Value, request: bool) -> String {
    let body = json!({"content": {"application/json": {"schema": schema}}});
    let mut operation = json!({
        "operationId": "put",
        "responses": {"200": {"description": "ok"}},
    });
    if request {
        operation["requestBody"] = body;
        operation["requestBody"]["required"] = json!(true);
    } else {
        operation["responses"]["200"]["content"] = body["content"].clone();
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"post": operation}},
    })
    .to_string()
}

/// Candidate values for a schema pair: scalars around every number either
/// schema holds, strings, arrays and objects of those.
fn candidates(old: &Value, new: &Value) -> Vec<Value> {
    let mut numbers: Vec<i64> = vec![-1000, 1000, 100_000];
    numbers.extend(-12..=24);
    let mut scalars: Vec<Value> = vec![Value::Null, json!(true), json!(1.5)];
    scalars.extend(numbers.iter().map(|n| json!(n)));
    scalars.extend(WORDS.iter().map(|w| json!(w)));
    scalars.extend(["abcd", "abcde", "abcdefghij", "a1", "ba", "0"].map(|w| json!(w)));
    // Strings and numbers either schema mentions.
    let mut mentioned = Vec::new();
    collect(old, &mut mentioned);
    collect(new, &mut mentioned);
    scalars.extend(mentioned);
    let mut values = scalars.clone();
    let short: Vec<Value> = [0, 1, 2, 3, 4, 7, 12]
        .iter()
        .map(|n| json!(n))
        .chain([json!("a"), Value::Null])
        .collect();
    values.push(json!([]));
    for a in &short {
        values.push(json!([a]));
        for b in &short {
            values.push(json!([a, b]));
        }
        values.push(json!([a, a, a]));
        values.push(json!([a, 1, 2, 3]));
    }
    let members: Vec<Value> = [json!(0), json!(1), json!(2), json!(4), json!(7), json!(-5)]
        .into_iter()
        .chain(WORDS.iter().map(|w| json!(w)))
        .chain([json!("abcdef"), Value::Null])
        .collect();
    values.push(json!({}));
    values.push(json!({"c": 1}));
    values.push(json!({"c": "x"}));
    for a in &members {
        values.push(json!({ "a": a }));
        values.push(json!({ "b": a }));
        values.push(json!({ "a": a, "c": 1 }));
        for b in &members {
            values.push(json!({ "a": a, "b": b }));
        }
    }
    values
}

fn collect(schema: &Value, into: &mut Vec<Value>) {
    match schema {
        Value::Object(members) => members.values().for_each(|v| collect(v, into)),
        Value::Array(items) => items.iter().for_each(|v| collect(v, into)),
        Value::Number(n) => {
            if let Some(n) = n.as_i64() {
                into.extend([json!(n - 1), json!(n), json!(n + 1)]);
            }
        }
        Value::String(s) => into.push(json!(s)),
        _ => {}
    }
}

fn check(seed: u64, request: bool) -> Result<(), TestCaseError> {
    let mut rng = Rng(seed);
    let old = schema(&mut rng);
    let mut new = old.clone();
    let edit = mutate(&mut rng, &mut new);
    if old == new {
        return Ok(());
    }
    let changes = diff_texts(
        "old.json",
        &spec(&old, request),
        "new.json",
        &spec(&new, request),
    )
    .map_err(|error| TestCaseError::fail(format!("{error:#}")))?;
    if changes
        .iter()
        .any(|change| change.client == Level::Breaking)
    {
        return Ok(());
    }
    let validator = |schema: &Value| {
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .build(&openapi_lint::to_json_schema(schema))
            .map_err(|error| TestCaseError::fail(format!("{schema}: {error}")))
    };
    let (old_validator, new_validator) = (validator(&old)?, validator(&new)?);
    for value in candidates(&old, &new) {
        let (was, is) = (
            old_validator.is_valid(&value),
            new_validator.is_valid(&value),
        );
        let breaks = if request { was && !is } else { is && !was };
        if breaks {
            let ids: Vec<&str> = changes.iter().map(|c| c.id).collect();
            return Err(TestCaseError::fail(format!(
                "{} edit `{edit}`: {value} is {} but the diff reports {ids:?}, none breaking clients\nold: {old}\nnew: {new}",
                if request { "request" } else { "response" },
                if request {
                    "accepted by the old schema and refused by the new"
                } else {
                    "allowed by the new schema and refused by the old"
                },
            )));
        }
    }
    Ok(())
}

#[test]
fn a_change_that_breaks_a_client_on_the_wire_is_never_reported_compatible() {
    let cases = std::env::var("DIFF_PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&(any::<u64>(), any::<bool>()), |(seed, request)| {
            check(seed, request)
        })
        .unwrap_or_else(|error| panic!("{error}"));
    println!("diff property test: {cases} cases, no compatible-but-breaking change");
}
