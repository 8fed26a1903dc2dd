//! A value valid against a schema, computed at generation time (Prism's
//! dynamic mode, made deterministic): what a mock answers where the spec
//! shows no example, and what the corpus drive sends as a request.
//!
//! It respects `type`, `format`, `enum`/`const`, bounds, lengths, item
//! counts, simple `pattern`s (checked with regress), required members,
//! `nullable`, `allOf` (merged), `oneOf`/`anyOf` (a variant by [`Choices`], its
//! `discriminator` property naming it as schemathesis and the mapping
//! read it), and bounds recursion: past `DEPTH` levels only required members are filled.
//!
//! In an answer, a member that names an identifier a path parameter takes
//! (`subscriptionId` beside `/subscriptions/{subscriptionId}`), and whose
//! own schema is any string, gets a value of that parameter's schema (a
//! UUID, a `US` and 32 hex digits): a client that follows it to the item
//! gets the item, not a refusal. So does a member that names the item a
//! parameter addresses (`design_id` beside `/designs/{id}`: SendGrid's
//! single sends name their design so), an `id` within a member that names
//! such items (`zones[].id` beside `/zones/{zoneId}`), and a member `id`
//! of an answer at a collection or its item, of the parameter that
//! addresses the item ([`Answers::at`]).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

/// Nesting below which optional members are filled too.
const DEPTH: usize = 3;
/// Nesting past which nothing more is generated (`null`): members, items,
/// and the `allOf` parts and union variants a schema wraps them in (Omicron's
/// update events nest their required members 8 deep through 7 such
/// wrappers).
const LIMIT: usize = 32;
/// Values made for one answer past which nothing more is generated
/// (`null`): a schema whose required members recurse more than once
/// (`{required: [a, b], a: Self, b: Self}`) would double at each level.
const BUDGET: usize = 20_000;

/// Which side of the wire the value is for: a request leaves `readOnly`
/// members out, a response `writeOnly` ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Request,
    Response,
}

/// A value of `schema` (in `spec`, whose local `$ref`s it follows).
pub fn sample(spec: &Value, schema: &Value, direction: Direction) -> Value {
    match direction {
        Direction::Response => Answers::new(spec).value(schema),
        Direction::Request => Sampler {
            spec,
            made: Default::default(),
            direction,
            identifiers: BTreeMap::new(),
            choices: Choices::default(),
        }
        .value(schema, 0),
    }
}

/// Values for the answers of one spec, its identifier parameters found
/// once.
#[derive(Debug)]
pub struct Answers<'a> {
    spec: &'a Value,
    identifiers: BTreeMap<String, &'a Value>,
}

impl<'a> Answers<'a> {
    /// The answers of `spec`.
    pub fn new(spec: &'a Value) -> Self {
        Answers {
            spec,
            identifiers: identifiers(spec),
        }
    }

    /// A value of `schema` for an answer.
    pub fn value(&self, schema: &Value) -> Value {
        self.sampler(self.identifiers.clone(), Choices::default())
            .value(schema, 0)
    }

    /// A value of `schema` for an answer of an operation on `path`: as
    /// [`Self::value`], and a member `id` of any string is one of the
    /// parameter that addresses an item there (`{UserSid}` of
    /// `/Users/{UserSid}`, for an answer at `/Users` or at the item).
    pub fn at(&self, path: &str, schema: &Value, choices: Choices) -> Value {
        let mut identifiers = self.identifiers.clone();
        if let Some(item) = item_parameter(self.spec, path) {
            identifiers.insert("id".to_owned(), item);
        }
        self.sampler(identifiers, choices).value(schema, 0)
    }

    fn sampler(&self, identifiers: BTreeMap<String, &'a Value>, choices: Choices) -> Sampler<'a> {
        Sampler {
            spec: self.spec,
            made: Default::default(),
            direction: Direction::Response,
            identifiers,
            choices,
        }
    }
}

/// The schema of the path parameter that addresses an item at `path`: its
/// own last one (`/Users/{UserSid}`), else that of a path one segment
/// under it (`/Users` beside `/Users/{UserSid}`); only a string with
/// constraints.
fn item_parameter<'a>(spec: &'a Value, path: &str) -> Option<&'a Value> {
    let (at, name) = item_path(spec, path)?;
    let item = spec.get("paths")?.get(&at)?;
    let operations = openapi_source::version::METHODS
        .iter()
        .filter_map(|m| item.get(*m));
    let parameters = operations.filter_map(|op| op.get("parameters")?.as_array());
    parameters.flatten().find_map(|parameter| {
        let parameter = super::walk::resolve(spec, parameter);
        let named = parameter.get("name").and_then(Value::as_str) == Some(name.as_str());
        let schema = parameter.get("schema").filter(|_| named)?;
        constrained_string(super::walk::resolve(spec, schema)).then_some(schema)
    })
}

/// The path of the item at `path` and the name of the parameter that
/// addresses it: `path` itself where it ends in one, else the first path
/// of `spec` one `/{name}` under it.
pub(super) fn item_path(spec: &Value, path: &str) -> Option<(String, String)> {
    let trimmed = path.trim_end_matches('/');
    let last = trimmed.rsplit('/').next().unwrap_or_default();
    if let Some(name) = last.strip_prefix('{').and_then(|l| l.strip_suffix('}')) {
        return Some((trimmed.to_owned(), name.to_owned()));
    }
    let paths = spec.get("paths").and_then(Value::as_object)?;
    paths.keys().find_map(|candidate| {
        let rest = candidate.strip_prefix(trimmed)?.strip_prefix("/{")?;
        let name = rest.strip_suffix('}').filter(|n| !n.contains(['/', '{']))?;
        Some((candidate.clone(), name.to_owned()))
    })
}

struct Sampler<'a> {
    spec: &'a Value,
    /// Values made so far, shared by the samplers of one answer
    /// ([`BUDGET`]).
    made: std::rc::Rc<std::cell::Cell<usize>>,
    direction: Direction,
    /// The path parameters whose schema says more than "a string", by
    /// [`identifier_key`] of their name and of the item each addresses:
    /// the first of each.
    identifiers: BTreeMap<String, &'a Value>,
    choices: Choices,
}

/// How a value is made where a union leaves a choice: which variant, and
/// whether a variant's object gets its optional members too (at any
/// depth, one level). The first value made, [`Choices::default`], may fit
/// two `oneOf` variants at once (`{}`, where no variant requires a
/// member); the others tell the variants apart.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Choices {
    /// The variant of each union: the first, moved on by this many.
    pub variant: usize,
    /// A variant's object gets its optional members too.
    pub members: bool,
}

impl Choices {
    /// The choices tried in turn for an answer: the default, then each
    /// variant with its members, then without.
    pub fn in_turn() -> impl Iterator<Item = Choices> {
        const VARIANTS: usize = 4;
        std::iter::once(Choices::default()).chain(
            (0..VARIANTS)
                .flat_map(|variant| [true, false].map(|members| Choices { variant, members })),
        )
    }
}

/// The path parameters of `spec` (path item parameters moved into the
/// operations, as the generator reads it) whose schema is a string with
/// constraints, by [`identifier_key`] of their name, and by that of the
/// identifier of the item they address: `{id}` of `/designs/{id}` is
/// also a member `design_id` (or `designId`), as an answer elsewhere
/// names a design. The first of each key.
fn identifiers(spec: &Value) -> BTreeMap<String, &Value> {
    let mut found = BTreeMap::new();
    let mut items = Vec::new();
    for (path, _, _, operation) in super::walk::operations(spec) {
        let parameters = operation.get("parameters").and_then(Value::as_array);
        for parameter in parameters.into_iter().flatten() {
            let parameter = super::walk::resolve(spec, parameter);
            let (Some("path"), Some(name), Some(schema)) = (
                parameter.get("in").and_then(Value::as_str),
                parameter.get("name").and_then(Value::as_str),
                parameter.get("schema"),
            ) else {
                continue;
            };
            if constrained_string(super::walk::resolve(spec, schema)) {
                found.entry(identifier_key(name)).or_insert(schema);
                if let Some(item) = item_named(path, name) {
                    items.push((identifier_key(&format!("{item}_id")), schema));
                }
            }
        }
    }
    for (key, schema) in items {
        found.entry(key).or_insert(schema);
    }
    found
}

/// A name as identifiers are matched: lower case, letters and digits only
/// (`subscription_id`, `subscriptionId` and `SubscriptionID` are one).
fn identifier_key(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The item the parameter `name` addresses where `path` ends in it after
/// a collection (`design` of `/designs/{id}`, `category` of
/// `/categories/{key}`); `None` for another shape.
fn item_named(path: &str, name: &str) -> Option<String> {
    let mut segments = path.trim_end_matches('/').rsplit('/');
    if segments.next()? != format!("{{{name}}}") {
        return None;
    }
    let collection = segments.next().filter(|s| !s.contains('{'))?;
    let item = item_of(collection);
    (item != collection && !item.is_empty()).then_some(item)
}

/// The item a collection's name names (`designs`: `design`,
/// `categories`: `category`); a name that is no plural, as it is.
fn item_of(collection: &str) -> String {
    match collection.strip_suffix("ies") {
        Some(stem) => format!("{stem}y"),
        None => collection
            .strip_suffix('s')
            .unwrap_or(collection)
            .to_owned(),
    }
}

/// Whether `schema` is a string that says more than "a string" (a value
/// of it is an identifier's).
pub(super) fn constrained_string(schema: &Value) -> bool {
    type_of(schema) == "string" && !any_string(schema)
}

/// Whether `schema` is a string and says nothing more of it that a value
/// is made by (a `format` the sampler does not know, such as Xero's
/// `guid`, says nothing).
pub(super) fn any_string(schema: &Value) -> bool {
    const SAYING: [&str; 5] = ["pattern", "enum", "const", "minLength", "maxLength"];
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    type_of(schema) == "string"
        && formatted(format) == "string"
        && SAYING.iter().all(|key| schema.get(*key).is_none())
}

impl<'a> Sampler<'a> {
    fn resolve<'b>(&'b self, schema: &'b Value) -> &'b Value {
        let mut node = schema;
        for _ in 0..LIMIT {
            match node.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    node = reference
                        .strip_prefix('#')
                        .and_then(|pointer| self.spec.pointer(pointer))
                        .unwrap_or(&Value::Null);
                }
                None => break,
            }
        }
        node
    }

    fn value(&self, schema: &Value, depth: usize) -> Value {
        let schema = self.resolve(schema);
        let made = self.made.get() + 1;
        self.made.set(made);
        if depth > LIMIT || made > BUDGET {
            return Value::Null;
        }
        if let Some(value) = schema.get("const") {
            return value.clone();
        }
        if let Some(first) = schema.get("enum").and_then(Value::as_array).and_then(|e| {
            e.iter()
                .find(|v| !v.is_null() && of_type(schema, v))
                .or(e.iter().find(|v| !v.is_null()))
                .or(e.first())
        }) {
            return first.clone();
        }
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            return self.all_of(schema, all, depth);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(variants) = schema
                .get(key)
                .and_then(Value::as_array)
                .filter(|variants| !variants.is_empty())
            {
                let chosen = &variants[self.choices.variant % variants.len()];
                let mut value = self.variant(chosen, depth + 1);
                self.with_own_members(schema, &mut value, depth);
                tag(self.spec, schema, Some(chosen), &mut value);
                return value;
            }
        }
        let mut value = self.typed(schema, depth);
        tag(self.spec, schema, None, &mut value);
        value
    }

    /// A value of a union's variant: with [`Choices::members`], an object
    /// variant's optional members too, whatever its depth.
    fn variant(&self, schema: &Value, depth: usize) -> Value {
        let resolved = self.resolve(schema);
        let plain = resolved.get("allOf").is_none() && resolved.get("enum").is_none();
        if self.choices.members && plain && type_of(resolved) == "object" {
            return self.members(resolved, depth, true);
        }
        self.value(schema, depth)
    }

    /// `value`, a variant of a union whose schema names members of its own
    /// beside `oneOf`/`anyOf` (svix's `DestinationOut`: `required` and
    /// `properties` every variant shares), with those members too.
    fn with_own_members(&self, schema: &Value, value: &mut Value, depth: usize) {
        let owns = schema.get("properties").is_some() || schema.get("required").is_some();
        if let (true, Value::Object(variant)) = (owns, &mut *value)
            && let Value::Object(own) = self.object(schema, depth)
        {
            for (name, member) in own {
                variant.entry(name).or_insert(member);
            }
        }
    }

    fn typed(&self, schema: &Value, depth: usize) -> Value {
        match type_of(schema) {
            "string" => string(schema),
            "integer" => integer(schema),
            "number" => number(schema),
            "boolean" => Value::Bool(true),
            "array" => self.array(schema, depth),
            "object" => self.object(schema, depth),
            _ if schema.get("nullable") == Some(&Value::Bool(true)) => Value::Null,
            _ => json!({}),
        }
    }

    fn all_of(&self, schema: &Value, all: &[Value], depth: usize) -> Value {
        let mut merged = Map::new();
        let own = self.object(schema, depth);
        for part in all.iter().map(|part| self.value(part, depth + 1)) {
            match part {
                Value::Object(members) => merged.extend(members),
                other if merged.is_empty() && all.len() == 1 => return other,
                _ => {}
            }
        }
        if let Value::Object(members) = own {
            merged.extend(members);
        }
        Value::Object(merged)
    }

    fn array(&self, schema: &Value, depth: usize) -> Value {
        let min = usize_of(schema, "minItems").unwrap_or(0);
        let max = usize_of(schema, "maxItems").unwrap_or(usize::MAX);
        let count = if depth >= DEPTH { min } else { min.max(1) }.min(max);
        let item = schema.get("items").cloned().unwrap_or(json!({}));
        let unique = schema.get("uniqueItems") == Some(&Value::Bool(true));
        let mut items: Vec<Value> = Vec::with_capacity(count);
        for index in 0..count {
            let mut value = self.value(&item, depth + 1);
            if unique && index > 0 {
                value = distinct(value, index);
            }
            items.push(value);
        }
        Value::Array(items)
    }

    fn object(&self, schema: &Value, depth: usize) -> Value {
        self.members(schema, depth, depth < DEPTH)
    }

    /// An object of `schema`: its required members, and its optional ones
    /// where `optional` (and this side of the wire has them).
    fn members(&self, schema: &Value, depth: usize, optional: bool) -> Value {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut members = Map::new();
        let properties = schema.get("properties").and_then(Value::as_object);
        for (name, property) in properties.into_iter().flatten() {
            // A member the other side's alone is left out, `required` or
            // not (OpenAPI 3.0.3, 4.7.25.1: `readOnly` ones are required
            // in answers only, `writeOnly` ones in requests only).
            if self.left_out(property) {
                continue;
            }
            if !(optional || required.contains(&name.as_str())) {
                continue;
            }
            let value =
                self.identifier(name, property, depth)
                    .unwrap_or_else(|| match self.within(name) {
                        Some(within) => within.value(property, depth + 1),
                        None => self.value(property, depth + 1),
                    });
            members.insert(name.clone(), value);
        }
        let extra = schema.get("additionalProperties").filter(|v| v.is_object());
        let extra_value = || extra.map_or(json!("string"), |s| self.value(s, depth + 1));
        let one_sided = |name: &str| {
            properties
                .and_then(|p| p.get(name))
                .is_some_and(|p| self.left_out(p))
        };
        for name in required {
            if !members.contains_key(name) && !one_sided(name) {
                members.insert(name.to_owned(), extra_value());
            }
        }
        // A map that must hold some members (`minProperties`) gets them,
        // named `key1`, `key2`... where the schema takes other members.
        let least = schema
            .get("minProperties")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        let open = schema.get("additionalProperties") != Some(&Value::Bool(false));
        let mut next = 1;
        while open && (members.len() as u64) < least.min(LIMIT as u64) {
            let name = format!("key{next}");
            next += 1;
            if !members.contains_key(&name) {
                members.insert(name, extra_value());
            }
        }
        Value::Object(members)
    }

    /// A value of the path parameter named `name` for a member of any
    /// string, where there is one.
    fn identifier(&self, name: &str, property: &Value, depth: usize) -> Option<Value> {
        if !any_string(self.resolve(property)) {
            return None;
        }
        let parameter = self.identifiers.get(&identifier_key(name))?;
        Some(self.value(parameter, depth + 1)).filter(Value::is_string)
    }

    /// This sampler for the value of the member `name` where it names
    /// items a path parameter addresses (`zones`, `zone` beside
    /// `/zones/{zoneId}`): an `id` in it is one of that parameter's
    /// schema. `None` where it names none.
    fn within(&self, name: &str) -> Option<Sampler<'a>> {
        let item = item_of(name);
        let parameter = *self
            .identifiers
            .get(&identifier_key(&format!("{item}_id")))?;
        let mut identifiers = self.identifiers.clone();
        identifiers.insert("id".to_owned(), parameter);
        Some(Sampler {
            spec: self.spec,
            made: std::rc::Rc::clone(&self.made),
            direction: self.direction,
            identifiers,
            choices: self.choices,
        })
    }

    /// Whether a member is left out on this side of the wire.
    fn left_out(&self, property: &Value) -> bool {
        let property = self.resolve(property);
        let flag = |key| property.get(key) == Some(&Value::Bool(true));
        match self.direction {
            Direction::Request => flag("readOnly"),
            Direction::Response => flag("writeOnly"),
        }
    }
}

/// Sets the discriminator property of `value`, an object of `schema`, to
/// the value that names `branch` (the variant it was made from): the
/// `mapping` key that points to it, else its schema's name; without a
/// branch, the first `mapping` key unless the value already is one.
fn tag(spec: &Value, schema: &Value, branch: Option<&Value>, value: &mut Value) {
    let Some(discriminator) = schema.get("discriminator") else {
        return;
    };
    let Some(property) = discriminator.get("propertyName").and_then(Value::as_str) else {
        return;
    };
    let mapping = discriminator.get("mapping").and_then(Value::as_object);
    let Some(members) = value.as_object_mut() else {
        return;
    };
    let name = |reference: &str| reference.rsplit('/').next().unwrap_or(reference).to_owned();
    let chosen = match branch.and_then(|b| b.get("$ref")).and_then(Value::as_str) {
        Some(reference) => match mapping.into_iter().flatten().find(|(_, target)| {
            target
                .as_str()
                .is_some_and(|target| target == reference || name(target) == name(reference))
        }) {
            Some((key, _)) => key.clone(),
            // A value the variant's schema gave the property stays (the API
            // sends it; lint's `discriminator-value-contradiction` reports
            // the spec); else the schema's name.
            None => match members.get(property).and_then(Value::as_str) {
                Some(own) if branch_fixes(spec, reference, property) => own.to_owned(),
                _ => name(reference),
            },
        },
        None if branch.is_some() => return,
        None => {
            let keys: Vec<&String> = mapping.into_iter().flat_map(|m| m.keys()).collect();
            let current = members.get(property).and_then(Value::as_str);
            match keys.first() {
                Some(first) if !keys.iter().any(|k| Some(k.as_str()) == current) => {
                    (*first).clone()
                }
                _ => return,
            }
        }
    };
    members.insert(property.to_owned(), Value::String(chosen));
}

/// Whether the variant `reference` points to gives `property` values of
/// its own (an `enum` or `const`).
fn branch_fixes(spec: &Value, reference: &str, property: &str) -> bool {
    let Some(variant) = reference
        .strip_prefix('#')
        .and_then(|pointer| spec.pointer(pointer))
    else {
        return false;
    };
    !super::discriminators::own_raw_values(spec, variant, property).is_empty()
}

/// Whether `value` is of the `type` `schema` states (any, where it states
/// none).
fn of_type(schema: &Value, value: &Value) -> bool {
    let is = |name: &str| match name {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "null" => value.is_null(),
        _ => true,
    };
    match schema.get("type") {
        Some(Value::String(name)) => is(name),
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).any(is),
        _ => true,
    }
}

/// The schema's type: `type` (the first non-null of a list), else what its
/// keywords imply.
fn type_of(schema: &Value) -> &str {
    match schema.get("type") {
        Some(Value::String(kind)) => kind,
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .find(|kind| *kind != "null")
            .unwrap_or("null"),
        _ if schema.get("properties").is_some() => "object",
        _ if schema.get("items").is_some() => "array",
        _ => "",
    }
}

fn usize_of(schema: &Value, key: &str) -> Option<usize> {
    schema
        .get(key)
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
}

/// `value` made different from the items before it (for `uniqueItems`).
fn distinct(value: Value, index: usize) -> Value {
    match value {
        Value::String(text) => Value::String(format!("{text}{index}")),
        Value::Number(n) => json!(n.as_f64().unwrap_or(0.0) + index as f64),
        other => other,
    }
}

fn string(schema: &Value) -> Value {
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    let pattern = schema.get("pattern").and_then(Value::as_str);
    let mut candidates: Vec<String> = Vec::new();
    if let Some(pattern) = pattern {
        candidates.extend(super::pattern::sample(pattern));
    }
    for key in ["example", "default"] {
        if let Some(Value::String(text)) = schema.get(key) {
            candidates.push(text.clone());
        }
    }
    candidates.push(formatted(format).to_owned());
    let min = usize_of(schema, "minLength").unwrap_or(0);
    let max = usize_of(schema, "maxLength").unwrap_or(usize::MAX);
    let fits = |text: &String| {
        let length = text.chars().count();
        (min..=max).contains(&length)
            && pattern.is_none_or(|p| super::pattern::matches(p, text))
            && of_format(format, text)
    };
    if let Some(found) = candidates.iter().find(|text| fits(text)) {
        return Value::String(found.clone());
    }
    // Pad or cut the plain candidate to the bounds.
    let mut text: String = formatted(format).chars().take(max).collect();
    while text.chars().count() < min {
        text.push('a');
    }
    Value::String(text)
}

/// Whether `text` is of `format`, as the generated server's body check
/// asserts formats (an example `2020-07-01T00:00:00` is no `date`).
fn of_format(format: &str, text: &str) -> bool {
    if format.is_empty() {
        return true;
    }
    jsonschema::options()
        .should_validate_formats(true)
        .build(&json!({ "format": format }))
        .map_or(true, |validator| validator.is_valid(&json!(text)))
}

/// A value of each string `format` OpenAPI and JSON Schema name.
fn formatted(format: &str) -> &'static str {
    match format {
        "date-time" => "2024-01-01T00:00:00Z",
        "date" => "2024-01-01",
        "time" => "00:00:00Z",
        "uuid" => "00000000-0000-4000-8000-000000000000",
        "email" => "user@example.com",
        "uri" | "url" | "uri-reference" | "iri" => "https://example.com/",
        "hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "byte" => "c3RyaW5n",
        "int32" | "int64" => "1",
        "duration" => "P1D",
        _ => "string",
    }
}

/// (lowest, highest) allowed by a number schema's bounds.
fn bounds(schema: &Value, step: f64) -> (f64, f64) {
    let get = |key| schema.get(key).and_then(Value::as_f64);
    let exclusive = |key| schema.get(key) == Some(&Value::Bool(true));
    let mut low = get("minimum").unwrap_or(f64::MIN);
    let mut high = get("maximum").unwrap_or(f64::MAX);
    if exclusive("exclusiveMinimum") {
        low += step;
    }
    if exclusive("exclusiveMaximum") {
        high -= step;
    }
    // JSON Schema 2019+: the exclusive bounds are numbers.
    if let Some(bound) = get("exclusiveMinimum") {
        low = low.max(bound + step);
    }
    if let Some(bound) = get("exclusiveMaximum") {
        high = high.min(bound - step);
    }
    (low, high)
}

/// The allowed value nearest to 1, rounded up to `multipleOf`.
fn pick(schema: &Value, step: f64) -> f64 {
    let (low, high) = bounds(schema, step);
    let mut value = 1.0_f64.clamp(low.min(high), high.max(low));
    if let Some(multiple) = schema
        .get("multipleOf")
        .and_then(Value::as_f64)
        .filter(|m| *m > 0.0)
    {
        value = (value / multiple).ceil() * multiple;
        if value > high {
            value -= multiple;
        }
    }
    value
}

fn integer(schema: &Value) -> Value {
    let value = pick(schema, 1.0).round();
    match schema.get("format").and_then(Value::as_str) {
        Some("int32") => json!(value.clamp(f64::from(i32::MIN), f64::from(i32::MAX)) as i64),
        _ => json!(value as i64),
    }
}

fn number(schema: &Value) -> Value {
    json!(pick(schema, 0.5))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(schema: Value) -> Value {
        sample(&json!({}), &schema, Direction::Response)
    }

    #[test]
    fn required_members_nested_through_wrappers_are_filled() {
        // Omicron's update events: each level an `allOf` of a reference
        // inside a `oneOf` variant.
        let mut schemas = serde_json::Map::new();
        for level in 0..10 {
            let inner = if level == 9 {
                json!({"type": "string", "enum": ["configure_switch"]})
            } else {
                json!({"allOf": [{"$ref": format!("#/components/schemas/L{}", level + 1)}]})
            };
            schemas.insert(
                format!("L{level}"),
                json!({"oneOf": [{"type": "object", "required": ["id"], "properties": {"id": inner}}]}),
            );
        }
        let spec = json!({"components": {"schemas": schemas}});
        let value = sample(
            &spec,
            &json!({"$ref": "#/components/schemas/L0"}),
            Direction::Response,
        );
        assert!(value.to_string().contains("configure_switch"), "{value}");
        assert!(!value.to_string().contains("null"), "{value}");
    }

    #[test]
    fn required_members_that_recurse_twice_stay_within_the_budget() {
        let spec = json!({"components": {"schemas": {"Tree": {"type": "object",
            "required": ["left", "right"],
            "properties": {"left": {"$ref": "#/components/schemas/Tree"},
                "right": {"$ref": "#/components/schemas/Tree"}}}}}});
        let value = sample(
            &spec,
            &json!({"$ref": "#/components/schemas/Tree"}),
            Direction::Response,
        );
        let members = value.to_string().matches("left").count();
        assert!(members <= BUDGET, "{members} members");
    }

    #[test]
    fn a_required_member_of_the_other_side_is_left_out() {
        let order = json!({"type": "object", "required": ["id", "secret", "fields"],
            "properties": {
                "id": {"type": "integer", "readOnly": true},
                "secret": {"type": "string", "writeOnly": true},
                "fields": {"type": "boolean"}}});
        assert_eq!(of(order.clone()), json!({"id": 1, "fields": true}));
        let request = sample(&json!({}), &order, Direction::Request);
        assert_eq!(request, json!({"secret": "string", "fields": true}));
    }

    #[test]
    fn respects_bounds_formats_and_required_members() {
        assert_eq!(of(json!({"type": "integer", "minimum": 5})), json!(5));
        assert_eq!(
            of(json!({"type": "integer", "maximum": 0, "exclusiveMaximum": true})),
            json!(-1)
        );
        assert_eq!(
            of(json!({"type": "string", "format": "uuid"})),
            json!("00000000-0000-4000-8000-000000000000")
        );
        assert_eq!(
            of(json!({"type": "string", "minLength": 8})),
            json!("stringaa")
        );
        assert_eq!(of(json!({"type": "string", "maxLength": 3})), json!("str"));
        assert_eq!(of(json!({"enum": ["b", "a"]})), json!("b"));
        assert_eq!(
            of(
                json!({"type": "object", "required": ["a"], "properties": {"a": {"type": "boolean"}, "w": {"type": "string", "writeOnly": true}}})
            ),
            json!({"a": true})
        );
    }

    #[test]
    fn follows_patterns_and_bounds_recursion() {
        let text = of(json!({"type": "string", "pattern": "^[a-z]{3}-\\d{2}$"}));
        assert_eq!(text, json!("aaa-00"));
        let spec = json!({"components": {"schemas": {"Node": {"type": "object", "required": ["next"], "properties": {"next": {"$ref": "#/components/schemas/Node"}}}}}});
        let node = sample(
            &spec,
            &json!({"$ref": "#/components/schemas/Node"}),
            Direction::Response,
        );
        assert!(node.pointer("/next/next").is_some());
    }

    #[test]
    fn an_enum_value_of_the_stated_type_comes_first() {
        let mixed = of(json!({"type": "string", "enum": [99999, "A1", null]}));
        assert_eq!(mixed, json!("A1"));
        let none_fits = of(json!({"type": "string", "enum": [99999]}));
        assert_eq!(
            none_fits,
            json!(99999),
            "the spec's contradiction, as written"
        );
    }

    #[test]
    fn an_example_of_another_format_is_not_taken() {
        let date =
            of(json!({"type": "string", "format": "date", "example": "2020-07-01T00:00:00"}));
        assert_eq!(date, json!("2024-01-01"));
        let fits = of(json!({"type": "string", "format": "date", "example": "2020-07-01"}));
        assert_eq!(fits, json!("2020-07-01"));
    }

    #[test]
    fn a_variant_s_own_discriminator_value_stays() {
        // OpenAI: `ActiveStatus` allows `type` only `active`.
        let spec = json!({"components": {"schemas": {
            "ActiveStatus": {"type": "object", "required": ["type"],
                             "properties": {"type": {"type": "string", "enum": ["active"]}}}
        }}});
        let schema = json!({"oneOf": [{"$ref": "#/components/schemas/ActiveStatus"}],
                            "discriminator": {"propertyName": "type"}});
        let value = sample(&spec, &schema, Direction::Response);
        assert_eq!(value["type"], json!("active"));
    }

    #[test]
    fn a_member_naming_a_path_parameter_takes_its_schema_in_an_answer() {
        let spec = json!({"paths": {"/subscriptions/{subscriptionId}": {"get": {"parameters": [
            {"name": "subscriptionId", "in": "path", "required": true,
             "schema": {"type": "string", "format": "uuid"}}
        ]}}}});
        let schema = json!({"type": "object", "properties": {
            "subscriptionId": {"type": "string", "format": "guid"},
            "name": {"type": "string"},
            "SubscriptionID": {"type": "string", "maxLength": 3}
        }});
        let value = sample(&spec, &schema, Direction::Response);
        assert_eq!(
            value,
            json!({"subscriptionId": "00000000-0000-4000-8000-000000000000",
                   "name": "string", "SubscriptionID": "str"})
        );
        // A request's members are the client's to choose.
        let value = sample(&spec, &schema, Direction::Request);
        assert_eq!(value["subscriptionId"], "string");
    }

    #[test]
    fn an_answer_s_id_is_one_of_the_parameter_that_addresses_its_item() {
        let spec = json!({"paths": {
            "/Users": {"post": {}},
            "/Users/{UserSid}": {"get": {"parameters": [
                {"name": "UserSid", "in": "path", "required": true,
                 "schema": {"type": "string", "pattern": "^US[0-9a-f]{32}$"}}
            ]}},
            "/Teams": {"post": {}}
        }});
        let schema = json!({"type": "object", "properties": {"id": {"type": "string"}}});
        for path in ["/Users", "/Users/{UserSid}"] {
            let id = Answers::new(&spec).at(path, &schema, Choices::default())["id"].clone();
            let text = id.as_str().unwrap_or_default();
            assert!(text.len() == 34 && text.starts_with("US"), "{path}: {id}");
        }
        assert_eq!(
            Answers::new(&spec).at("/Teams", &schema, Choices::default())["id"],
            "string"
        );
    }

    #[test]
    fn choices_pick_another_variant_and_its_optional_members() {
        let spec = json!({});
        let schema = json!({"type": "object", "properties": {"a": {"type": "object", "properties": {
        "b": {"type": "object", "properties": {
            "d": {"oneOf": [
                {"type": "object", "properties": {"x": {"type": "integer", "minimum": 7}}},
                {"type": "object", "properties": {"y": {"type": "boolean"}}}
            ]}
        }}}}}});
        let at = |choices| Answers::new(&spec).at("/", &schema, choices)["a"]["b"]["d"].clone();
        assert_eq!(
            at(Choices::default()),
            json!({}),
            "past the depth: required only"
        );
        let second = Choices {
            variant: 1,
            members: true,
        };
        assert_eq!(at(second), json!({"y": true}));
        let first = Choices {
            variant: 0,
            members: true,
        };
        assert_eq!(at(first), json!({"x": 7}));
    }

    #[test]
    fn a_map_with_a_least_number_of_members_gets_them() {
        // kube-openapi's golden `MapValue`.
        let schema = json!({"type": "object", "minProperties": 2, "maxProperties": 5,
            "additionalProperties": {"type": "string"}});
        let made = sample(&json!({}), &schema, Direction::Response);
        assert_eq!(made, json!({"key1": "string", "key2": "string"}));
    }

    #[test]
    fn members_beside_a_union_are_in_its_variant() {
        let value = of(json!({
            "type": "object", "required": ["size"],
            "properties": {"size": {"type": "integer", "minimum": 3}},
            "oneOf": [{"type": "object", "required": ["type"],
                       "properties": {"type": {"enum": ["polling"]}}}]
        }));
        assert_eq!(value, json!({"size": 3, "type": "polling"}));
    }

    #[test]
    fn a_discriminator_names_the_variant_made() {
        let spec = json!({"components": {"schemas": {
            "Cat": {"type": "object", "required": ["kind"],
                    "properties": {"kind": {"type": "string"}, "lives": {"type": "integer"}}},
            "Dog": {"type": "object", "properties": {"kind": {"type": "string"}}}
        }}});
        let pet = |mapping: Value| {
            let mut schema = json!({
                "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                "discriminator": {"propertyName": "kind"}
            });
            if !mapping.is_null() {
                schema["discriminator"]["mapping"] = mapping;
            }
            sample(&spec, &schema, Direction::Response)["kind"].clone()
        };
        assert_eq!(pet(Value::Null), json!("Cat"));
        assert_eq!(
            pet(json!({"dog": "#/components/schemas/Dog", "cat": "#/components/schemas/Cat"})),
            json!("cat")
        );
        // A base schema with a mapping and no variants: a mapped value.
        let base = json!({"type": "object", "properties": {"kind": {"type": "string"}},
                          "discriminator": {"propertyName": "kind",
                                            "mapping": {"cat": "Cat"}}});
        assert_eq!(of(base)["kind"], json!("cat"));
    }

    #[test]
    fn a_member_naming_an_item_takes_its_parameter_s_schema() {
        let spec = json!({"paths": {
            "/designs/{id}": {"get": {"parameters": [{"name": "id", "in": "path",
                "required": true, "schema": {"type": "string", "format": "uuid"}}]}},
            "/categories/{key}": {"get": {"parameters": [{"name": "key", "in": "path",
                "required": true, "schema": {"type": "string", "pattern": "^c[0-9]$"}}]}}
        }});
        let schema = json!({"type": "object", "properties": {
            "email_config": {"type": "object", "properties": {"design_id": {"type": "string"}}},
            "categoryId": {"type": "string"},
            "designer": {"type": "string"}
        }});
        let value = sample(&spec, &schema, Direction::Response);
        let design = value["email_config"]["design_id"]
            .as_str()
            .expect("a string");
        assert!(uuid_like(design), "{design}");
        let category = value["categoryId"].as_str().expect("a string");
        assert!(
            category.len() == 2 && category.starts_with('c'),
            "{category}"
        );
        assert_eq!(value["designer"], json!("string"), "names no item");
    }

    fn uuid_like(text: &str) -> bool {
        let groups: Vec<usize> = text.split('-').map(str::len).collect();
        groups == [8, 4, 4, 4, 12] && text.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
    }

    #[test]
    fn an_id_within_a_member_naming_items_takes_their_parameter_s_schema() {
        // oasdiff's Home IoT: `GET /lightingSummary` lists `zones`, each
        // with an `id` that `/zones/{zoneId}` takes.
        let spec = json!({"paths": {"/zones/{zoneId}/quiet": {"get": {"parameters": [
            {"name": "zoneId", "in": "path", "required": true,
             "schema": {"type": "string", "enum": ["basement", "second-floor"]}}]}}}});
        let zone = json!({"type": "object", "required": ["id"],
                          "properties": {"id": {"type": "string"}}});
        let schema = json!({"type": "object", "properties": {
            "zones": {"type": "array", "minItems": 1, "items": zone},
            "zone": zone,
            "other": zone
        }});
        let value = sample(&spec, &schema, Direction::Response);
        assert_eq!(value["zones"][0]["id"], json!("basement"));
        assert_eq!(value["zone"]["id"], json!("basement"));
        assert_eq!(value["other"]["id"], json!("string"), "names no items");
    }
}
