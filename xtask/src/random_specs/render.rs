//! A drawn [`Spec`] as an OpenAPI 3.0.3 document: schemas resolved
//! ([`super::resolve`]), names made unique, examples built from the
//! resolved schemas, and only the components an operation reaches.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::model::{
    Additional, Body, COMPONENT_NAMES, ERROR_STATUSES, HEADER_NAMES, INTEGER_FORMATS, Int,
    MEMBER_NAMES, METHODS, NUMBER_FORMATS, Num, OPERATION_IDS, Object, PARAMETER_NAMES, PATTERNS,
    Parameter, PathItem, SEGMENTS, STRING_ENUMS, STRING_FORMATS, SUCCESS_STATUSES, Schema, Spec,
    Str,
};
use super::resolve::{Resolver, integer_example, is_back, number_example};

/// A member no drawn object declares, for examples of open objects.
const EXTRA_MEMBER: &str = "zz-extra";

/// The spec as a JSON document.
pub fn render(spec: &Spec) -> Value {
    let names = component_names(spec);
    let mut resolver = Resolver {
        count: spec.components.len(),
        current: 0,
        resolved: Vec::new(),
    };
    for (index, component) in spec.components.iter().enumerate() {
        resolver.current = index;
        let schema = resolver.schema(&component.schema, false);
        resolver.resolved.push(schema);
    }
    resolver.current = resolver.count;
    let writer = Writer {
        resolver: &resolver,
        names: &names,
    };
    let mut operation_ids = BTreeSet::new();
    let mut paths = Map::new();
    for (index, item) in spec.paths.iter().enumerate() {
        let (path, value) = writer.path_item(index, item, &mut operation_ids);
        paths.insert(path, value);
    }
    let mut document = json!({
        "openapi": "3.0.3",
        "info": {"title": "Random", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
    });
    let mut schemas = Map::new();
    let reached = reachable(&resolver, &document);
    strip_marks(&mut document);
    for index in reached {
        let mut schema = writer.schema(&resolver.resolved[index]);
        if spec.components[index].example {
            schema["example"] = writer.example(&resolver.resolved[index]);
        }
        schemas.insert(names[index].clone(), schema);
    }
    if !schemas.is_empty() {
        document["components"] = json!({ "schemas": schemas });
    }
    document
}

/// Component names, a repeated one suffixed with its index.
fn component_names(spec: &Spec) -> Vec<String> {
    let mut seen = BTreeSet::new();
    spec.components
        .iter()
        .enumerate()
        .map(|(index, component)| {
            let name = COMPONENT_NAMES[component.name];
            if seen.insert(name) {
                name.to_owned()
            } else {
                format!("{name}{index}")
            }
        })
        .collect()
}

/// The components the paths reference, directly or through others, in
/// order.
fn reachable(resolver: &Resolver, document: &Value) -> BTreeSet<usize> {
    let mut found = BTreeSet::new();
    let mut pending = Vec::new();
    collect_references(&document["paths"], &mut pending, resolver);
    while let Some(index) = pending.pop() {
        if found.insert(index) {
            references(&resolver.resolved[index], &mut pending);
        }
    }
    found
}

/// Components a written document references, by index (from the writer's
/// `x-component` marks left in references: see [`Writer::reference`]).
fn collect_references(value: &Value, into: &mut Vec<usize>, resolver: &Resolver) {
    match value {
        Value::Object(members) => {
            if let Some(index) = members.get("$ref").and_then(|_| members.get("x-index"))
                && let Some(index) = index.as_u64().and_then(|i| usize::try_from(i).ok())
                && index < resolver.resolved.len()
            {
                into.push(index);
            }
            members
                .values()
                .for_each(|v| collect_references(v, into, resolver));
        }
        Value::Array(items) => items
            .iter()
            .for_each(|v| collect_references(v, into, resolver)),
        _ => {}
    }
}

/// Components a resolved schema references.
fn references(schema: &Schema, into: &mut Vec<usize>) {
    match schema {
        Schema::Ref(index) | Schema::Back(index) => into.push(*index),
        Schema::Array(array) => references(&array.items, into),
        Schema::Object(object) => object_references(object, into),
        Schema::Map(values) => references(values, into),
        Schema::OneOf(all) | Schema::AnyOf(all) => all.iter().for_each(|s| references(s, into)),
        Schema::AllOf(parts, object) => {
            into.extend(parts);
            object_references(object, into);
        }
        Schema::Nullable(inner, _) => references(inner, into),
        Schema::String(_) | Schema::Integer(_) | Schema::Number(_) | Schema::Boolean => {}
    }
}

fn object_references(object: &Object, into: &mut Vec<usize>) {
    for property in &object.properties {
        references(&property.schema, into);
    }
    if let Additional::Schema(values) = &object.additional {
        references(values, into);
    }
}

/// Writes resolved schemas, examples and operations.
struct Writer<'a> {
    resolver: &'a Resolver,
    names: &'a [String],
}

impl Writer<'_> {
    fn reference(&self, index: usize) -> Value {
        let name = openapi_source::escape_token(&self.names[index]);
        json!({"$ref": format!("#/components/schemas/{name}"), "x-index": index})
    }

    fn schema(&self, schema: &Schema) -> Value {
        let mut value = self.schema_marked(schema);
        strip_marks(&mut value);
        value
    }

    /// The schema, its references marked with `x-index` (which
    /// [`strip_marks`] removes once reachability is known).
    fn schema_marked(&self, schema: &Schema) -> Value {
        match schema {
            Schema::String(s) => string(s),
            Schema::Integer(i) => integer(i),
            Schema::Number(n) => number(n),
            Schema::Boolean => json!({"type": "boolean"}),
            Schema::Array(array) => {
                let mut value = json!({"type": "array", "items": self.schema_marked(&array.items)});
                if array.min_items > 0 {
                    value["minItems"] = json!(array.min_items);
                }
                if let Some(max) = array.max_items {
                    value["maxItems"] = json!(max);
                }
                if array.unique {
                    value["uniqueItems"] = json!(true);
                }
                value
            }
            Schema::Object(object) => self.object(object),
            Schema::Map(values) => {
                json!({"type": "object", "additionalProperties": self.schema_marked(values)})
            }
            Schema::OneOf(all) => {
                json!({"oneOf": all.iter().map(|s| self.schema_marked(s)).collect::<Vec<_>>()})
            }
            Schema::AnyOf(all) => {
                json!({"anyOf": all.iter().map(|s| self.schema_marked(s)).collect::<Vec<_>>()})
            }
            Schema::AllOf(parts, object) => {
                let mut all: Vec<Value> = parts.iter().map(|&p| self.reference(p)).collect();
                if !object.properties.is_empty() {
                    all.push(self.object(object));
                }
                json!({ "allOf": all })
            }
            Schema::Ref(index) | Schema::Back(index) => self.reference(*index),
            Schema::Nullable(inner, _) => {
                let mut value = match **inner {
                    Schema::Ref(index) | Schema::Back(index) => {
                        json!({"allOf": [self.reference(index)]})
                    }
                    _ => self.schema_marked(inner),
                };
                value["nullable"] = json!(true);
                value
            }
        }
    }

    fn object(&self, object: &Object) -> Value {
        let mut value = json!({"type": "object"});
        let properties: Map<String, Value> = object
            .properties
            .iter()
            .map(|p| {
                (
                    MEMBER_NAMES[p.name].to_owned(),
                    self.schema_marked(&p.schema),
                )
            })
            .collect();
        let required: Vec<&str> = object
            .properties
            .iter()
            .filter(|p| p.required)
            .map(|p| MEMBER_NAMES[p.name])
            .collect();
        if !properties.is_empty() {
            value["properties"] = Value::Object(properties);
        }
        if !required.is_empty() {
            value["required"] = json!(required);
        }
        match &object.additional {
            Additional::Absent => {}
            Additional::True => value["additionalProperties"] = json!(true),
            Additional::False => value["additionalProperties"] = json!(false),
            Additional::Schema(values) => {
                value["additionalProperties"] = self.schema_marked(values);
            }
        }
        value
    }

    /// A value of the resolved schema (never called on a reference back:
    /// the positions that hold one are left empty).
    fn example(&self, schema: &Schema) -> Value {
        match schema {
            Schema::String(s) => json!(string_example(s)),
            Schema::Integer(i) => json!(integer_example(i).unwrap_or(1)),
            // Integral doubles travel without a fraction
            // (`bindings_wire::double`).
            Schema::Number(n) => match number_example(n) {
                #[allow(clippy::cast_possible_truncation)]
                whole if whole.fract() == 0.0 => json!(whole as i64),
                other => json!(other),
            },
            Schema::Boolean => json!(true),
            Schema::Array(array) => {
                let mut count = if is_back(&array.items) {
                    0
                } else {
                    array.min_items.max(1)
                };
                if let Some(max) = array.max_items {
                    count = count.min(max);
                }
                if array.unique {
                    count = count.min(1);
                }
                let item = if count > 0 {
                    self.example(&array.items)
                } else {
                    Value::Null
                };
                Value::Array(vec![item; usize::from(count)])
            }
            Schema::Object(object) => Value::Object(self.object_example(object)),
            Schema::Map(values) if is_back(values) => json!({}),
            Schema::Map(values) => json!({ "key-1": self.example(values) }),
            Schema::OneOf(all) | Schema::AnyOf(all) => {
                all.first().map_or(Value::Null, |first| self.example(first))
            }
            Schema::AllOf(parts, object) => {
                let mut members = Map::new();
                for &part in parts {
                    if let Some(part) = self.resolver.plain_object(part) {
                        members.extend(self.object_example(part));
                    }
                }
                members.extend(self.object_example(object));
                Value::Object(members)
            }
            Schema::Ref(index) | Schema::Back(index) => {
                self.example(&self.resolver.resolved[*index])
            }
            Schema::Nullable(_, true) => Value::Null,
            Schema::Nullable(inner, false) => self.example(inner),
        }
    }

    fn object_example(&self, object: &Object) -> Map<String, Value> {
        let mut members: Map<String, Value> = object
            .properties
            .iter()
            .filter(|p| p.required || (p.in_example && !is_back(&p.schema)))
            .map(|p| (MEMBER_NAMES[p.name].to_owned(), self.example(&p.schema)))
            .collect();
        match &object.additional {
            Additional::True => {
                members.insert(EXTRA_MEMBER.to_owned(), json!("x"));
            }
            Additional::Schema(values) if !is_back(values) => {
                members.insert(EXTRA_MEMBER.to_owned(), self.example(values));
            }
            _ => {}
        }
        members
    }

    fn path_item(
        &self,
        index: usize,
        item: &PathItem,
        operation_ids: &mut BTreeSet<String>,
    ) -> (String, Value) {
        let mut path = format!("/{}{index}", SEGMENTS[item.segment]);
        let mut seen = BTreeSet::new();
        let mut parameters = Vec::new();
        for (name, schema) in &item.path_parameters {
            let name = PARAMETER_NAMES[*name];
            if !seen.insert(name) {
                continue;
            }
            path.push_str(&format!("/{{{name}}}"));
            parameters.push(json!({
                "name": name,
                "in": "path",
                "required": true,
                "schema": self.schema_marked(&self.resolver.schema(schema, false)),
            }));
        }
        let mut value = Map::new();
        if item.shared_parameters && !parameters.is_empty() {
            value.insert("parameters".into(), json!(parameters));
            parameters.clear();
        }
        for operation in &item.operations {
            let method = METHODS[operation.method];
            if value.contains_key(method) {
                continue;
            }
            let mut written = json!({});
            if let Some(id) = operation.id {
                let mut id = OPERATION_IDS[id].to_owned();
                if operation_ids.contains(&id) {
                    id = format!("{id}{}", operation_ids.len());
                }
                operation_ids.insert(id.clone());
                written["operationId"] = json!(id);
            }
            let mut all = parameters.clone();
            all.extend(self.parameters("query", PARAMETER_NAMES, &operation.query));
            all.extend(self.parameters("header", HEADER_NAMES, &operation.headers));
            if !all.is_empty() {
                written["parameters"] = json!(all);
            }
            if let Some(body) = &operation.body
                && matches!(method, "post" | "put" | "patch")
            {
                let mut request = json!({"content": self.content(body)});
                if body.required {
                    request["required"] = json!(true);
                }
                written["requestBody"] = request;
            }
            written["responses"] = self.responses(&operation.success, &operation.errors);
            value.insert(method.to_owned(), written);
        }
        (path, Value::Object(value))
    }

    fn parameters(&self, location: &str, names: &[&str], parameters: &[Parameter]) -> Vec<Value> {
        let mut seen = BTreeSet::new();
        parameters
            .iter()
            .filter(|p| seen.insert(names[p.name].to_ascii_lowercase()))
            .map(|p| {
                let mut value = json!({
                    "name": names[p.name],
                    "in": location,
                    "schema": self.schema_marked(&self.resolver.schema(&p.schema, false)),
                });
                if p.required {
                    value["required"] = json!(true);
                }
                value
            })
            .collect()
    }

    fn content(&self, body: &Body) -> Value {
        let schema = self.resolver.schema(&body.schema, false);
        let mut media = json!({"schema": self.schema_marked(&schema)});
        if body.example {
            media["example"] = self.example(&schema);
        }
        json!({ "application/json": media })
    }

    fn responses(
        &self,
        success: &(usize, Option<Body>),
        errors: &[(usize, Option<Body>)],
    ) -> Value {
        let mut responses = Map::new();
        let statuses = std::iter::once((SUCCESS_STATUSES[success.0], &success.1))
            .chain(errors.iter().map(|(s, b)| (ERROR_STATUSES[*s], b)));
        for (status, body) in statuses {
            if responses.contains_key(status) {
                continue;
            }
            let mut response = json!({ "description": format!("Answer {status}.") });
            if let Some(body) = body
                && status != "204"
            {
                response["content"] = self.content(body);
            }
            responses.insert(status.to_owned(), response);
        }
        Value::Object(responses)
    }
}

/// Removes the `x-index` marks of references.
pub fn strip_marks(value: &mut Value) {
    match value {
        Value::Object(members) => {
            members.remove("x-index");
            members.values_mut().for_each(strip_marks);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_marks),
        _ => {}
    }
}

fn string(s: &Str) -> Value {
    let mut value = json!({"type": "string"});
    if let Some(format) = s.format {
        value["format"] = json!(STRING_FORMATS[format].0);
    }
    if let Some(values) = s.enumeration {
        value["enum"] = json!(STRING_ENUMS[values]);
    }
    if let Some(pattern) = s.pattern {
        value["pattern"] = json!(PATTERNS[pattern].0);
    }
    if let Some(min) = s.min_length {
        value["minLength"] = json!(min);
    }
    if let Some(max) = s.max_length {
        value["maxLength"] = json!(max);
    }
    value
}

fn string_example(s: &Str) -> String {
    if let Some(values) = s.enumeration {
        return STRING_ENUMS[values][0].to_owned();
    }
    if let Some(format) = s.format {
        return STRING_FORMATS[format].1.to_owned();
    }
    if let Some(pattern) = s.pattern {
        return PATTERNS[pattern].1.to_owned();
    }
    let mut length = s.min_length.unwrap_or(1).max(1);
    if let Some(max) = s.max_length {
        length = length.min(max);
    }
    "abcdefghijkl".chars().take(usize::from(length)).collect()
}

fn integer(i: &Int) -> Value {
    let mut value = json!({"type": "integer", "format": INTEGER_FORMATS[i.format].0});
    if i.enumeration {
        value["enum"] = json!([1, 2, 10]);
    }
    if let Some(min) = i.minimum {
        value["minimum"] = json!(min);
        if i.exclusive {
            value["exclusiveMinimum"] = json!(true);
        }
    }
    if let Some(max) = i.maximum {
        value["maximum"] = json!(max);
        if i.exclusive {
            value["exclusiveMaximum"] = json!(true);
        }
    }
    if let Some(step) = i.multiple_of {
        value["multipleOf"] = json!(step);
    }
    value
}

fn number(n: &Num) -> Value {
    let mut value = json!({"type": "number", "format": NUMBER_FORMATS[n.format]});
    if let Some(min) = n.minimum {
        value["minimum"] = json!(min);
        if n.exclusive {
            value["exclusiveMinimum"] = json!(true);
        }
    }
    if let Some(max) = n.maximum {
        value["maximum"] = json!(max);
        if n.exclusive {
            value["exclusiveMaximum"] = json!(true);
        }
    }
    value
}
