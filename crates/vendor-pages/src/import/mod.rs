//! `cargo xtask docs import PAGE`: the operation of a page the specs do
//! not have yet, as a whole OpenAPI 3.0 document (it lints under the
//! `standard` ruleset) to start a spec or copy from.

mod alternatives;
mod examples;
mod merge;

use serde_json::{Map, Value, json};

use super::page::{Field, Page, PageType, Place, Table, placeholder};

/// The name of the error body schema (the first; another shape of error
/// body gets its status after it).
const ERROR_BODY: &str = "ErrorBody";

/// The YAML of `page`'s operation and its schemas.
pub fn import(page: &Page) -> String {
    render(document(page))
}

/// The YAML of one document for several pages of one service: their
/// operations in page order, each schema they share once (the `merge`
/// module says when two are one); two pages of one operation are one,
/// their bodies alternatives (`alternatives.rs`).
pub fn import_pages(pages: &[Page]) -> anyhow::Result<String> {
    let mut merged =
        merge::merge(pages.iter().map(document).collect()).map_err(anyhow::Error::msg)?;
    if let [first, _, ..] = pages {
        let title = first
            .title
            .clone()
            .unwrap_or_else(|| format!("{} {}", first.method, first.uri));
        let others = pages.len() - 1;
        let version = pages
            .iter()
            .filter_map(|page| page.updated.as_ref().map(|(date, _)| date.as_str()))
            .max()
            .unwrap_or("1");
        merged["info"] = json!({
            "title": format!("{title} and {others} other operation{}", if others == 1 { "" } else { "s" }),
            "version": version,
        });
    }
    Ok(render(merged))
}

fn render(mut document: Value) -> String {
    examples::set_aside_contradicting(&mut document);
    let mut out = String::from(
        "# Imported by `cargo xtask docs import` from a vendor page: a starting\n# point. Check every type, say where it comes from (`x-source`), and lint.\n",
    );
    write_yaml(&mut out, &document, 0);
    out
}

fn document(page: &Page) -> Value {
    let title = page
        .title
        .clone()
        .unwrap_or_else(|| format!("{} {}", page.method, page.uri));
    let operation_id = snake(&title);
    let pascal = pascal(&title);
    let mut schemas = Map::new();

    let mut operation = Map::new();
    operation.insert("operationId".into(), json!(operation_id));
    operation.insert("summary".into(), json!(title));
    if let Some(summary) = &page.summary {
        operation.insert("description".into(), json!(summary));
    }
    if let Some((date, _)) = &page.updated {
        operation.insert("x-page-updated".into(), json!(date));
    }
    let parameters: Vec<Value> = page
        .parameters
        .iter()
        .map(|(place, field)| {
            let mut parameter = Map::new();
            parameter.insert("name".into(), json!(field.name));
            parameter.insert("in".into(), json!(place.as_str()));
            parameter.insert(
                "required".into(),
                json!(*place == Place::Path || field.mandatory.unwrap_or(false)),
            );
            if let Some(description) = first_paragraph(&field.description) {
                parameter.insert("description".into(), json!(description));
            }
            parameter.insert("schema".into(), field_schema(field, &[], Side::Request));
            Value::Object(parameter)
        })
        .collect();
    if !parameters.is_empty() {
        operation.insert("parameters".into(), Value::Array(parameters));
    }
    if let Some(body) = &page.body {
        let name = format!("{pascal}Request");
        add_tables(&mut schemas, &page.request_objects, Side::Request);
        schemas.insert(
            name.clone(),
            object_schema(&body.fields, &page.request_objects, Side::Request),
        );
        let mut media = Map::new();
        media.insert(
            "schema".into(),
            json!({"$ref": format!("#/components/schemas/{name}")}),
        );
        if let Some(example) = &page.request_example {
            mark_nullable(&mut schemas, &name, &example.value);
            media.insert("example".into(), example.value.clone());
        }
        operation.insert(
            "requestBody".into(),
            json!({"required": true, "content": {"application/json": Value::Object(media)}}),
        );
    }
    let mut responses = Map::new();
    let mut statuses: Vec<u16> = page.status_codes.iter().map(|(code, _)| *code).collect();
    for section in &page.responses {
        if !statuses.contains(&section.status) {
            statuses.push(section.status);
        }
    }
    if statuses.is_empty() {
        statuses.push(200);
    }
    for status in statuses {
        let mut response = Map::new();
        response.insert(
            "description".into(),
            json!(format!("Status {status}, as the page documents it.")),
        );
        let section = page.responses.iter().find(|s| s.status == status);
        if let Some(body) = section.and_then(|s| s.body.as_ref()) {
            let objects = &section.map(|s| s.objects.clone()).unwrap_or_default();
            add_tables(&mut schemas, objects, Side::Response);
            // The answer is the operation's own; an error body is usually
            // the service's, shared by its operations (and statuses).
            let base = if (200..300).contains(&status) {
                format!("{pascal}Response")
            } else {
                ERROR_BODY.to_owned()
            };
            let candidate = object_schema(&body.fields, objects, Side::Response);
            // Error statuses usually share one table: one schema for all.
            let name = schemas
                .iter()
                .find(|(name, schema)| name.starts_with(&base) && **schema == candidate)
                .map(|(name, _)| name.clone())
                .unwrap_or_else(|| {
                    if schemas.contains_key(&base) {
                        format!("{base}{status}")
                    } else {
                        base.clone()
                    }
                });
            let schema = if let [field] = body.fields.as_slice()
                && field.name == "[items]"
            {
                field_schema(field, objects, Side::Response)
            } else {
                schemas.entry(name.clone()).or_insert(candidate);
                json!({"$ref": format!("#/components/schemas/{name}")})
            };
            let mut media = Map::new();
            if let Some((_, example)) = page.response_examples.iter().find(|(s, _)| *s == status) {
                match schema.get("$ref").and_then(Value::as_str) {
                    Some(reference) => {
                        let target = reference
                            .trim_start_matches("#/components/schemas/")
                            .to_owned();
                        mark_nullable(&mut schemas, &target, &example.value);
                    }
                    None => {
                        if let (Some(item_ref), Value::Array(items)) = (
                            schema.pointer("/items/$ref").and_then(Value::as_str),
                            &example.value,
                        ) {
                            let target = item_ref
                                .trim_start_matches("#/components/schemas/")
                                .to_owned();
                            for item in items {
                                mark_nullable(&mut schemas, &target, item);
                            }
                        }
                    }
                }
                media.insert("example".into(), example.value.clone());
            }
            media.insert("schema".into(), schema);
            response.insert(
                "content".into(),
                json!({"application/json": Value::Object(media)}),
            );
        } else if let Some((_, example)) = page.response_examples.iter().find(|(s, _)| *s == status)
        {
            // An answer the page shows by example only (no table, or
            // `None` above an example): kept, with no schema the page
            // does not give.
            response.insert(
                "content".into(),
                json!({"application/json": {"example": example.value}}),
            );
        }
        responses.insert(status.to_string(), Value::Object(response));
    }
    operation.insert("responses".into(), Value::Object(responses));

    let mut path_item = Map::new();
    path_item.insert(page.method.to_ascii_lowercase(), Value::Object(operation));
    let mut paths = Map::new();
    paths.insert(page.uri.clone(), Value::Object(path_item));
    let mut document = Map::new();
    document.insert("openapi".into(), json!("3.0.3"));
    document.insert(
        "info".into(),
        json!({"title": title, "version": page.updated.as_ref().map_or("1", |(date, _)| date.as_str())}),
    );
    document.insert("paths".into(), Value::Object(paths));
    if !schemas.is_empty() {
        document.insert(
            "components".into(),
            json!({"schemas": Value::Object(schemas)}),
        );
    }
    Value::Object(document)
}

/// Object tables as component schemas, by their names.
fn add_tables(schemas: &mut Map<String, Value>, tables: &[Table], side: Side) {
    for table in tables {
        if !table.name.is_empty() && !schemas.contains_key(&table.name) {
            schemas.insert(
                table.name.clone(),
                object_schema(&table.fields, tables, side),
            );
        }
    }
}

/// Which way a schema's values travel: listed values of an answer are an
/// open set (`x-extensible-enum`: a newer server may send more), of a
/// request a closed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

fn object_schema(fields: &[Field], tables: &[Table], side: Side) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut additional = None;
    for field in fields {
        let mut schema = field_schema(field, tables, side);
        if let Some(description) = first_paragraph(&field.description)
            && let Value::Object(map) = &mut schema
            && !map.contains_key("$ref")
        {
            map.insert("description".into(), json!(description));
        }
        // `<operator>`: any member name, of this type.
        if placeholder(&field.name).is_some() {
            additional.get_or_insert(schema);
            continue;
        }
        properties.insert(field.name.clone(), schema);
        if field.mandatory == Some(true) {
            required.push(json!(field.name));
        }
    }
    let mut schema = Map::new();
    schema.insert("type".into(), json!("object"));
    if !required.is_empty() {
        schema.insert("required".into(), Value::Array(required));
    }
    schema.insert("properties".into(), Value::Object(properties));
    if let Some(additional) = additional {
        schema.insert("additionalProperties".into(), additional);
    }
    Value::Object(schema)
}

fn type_schema(ty: &PageType, tables: &[Table]) -> Map<String, Value> {
    let value = match ty {
        PageType::Other(name) if name.is_empty() => json!({}),
        PageType::String | PageType::Other(_) => json!({"type": "string"}),
        PageType::Integer => json!({"type": "integer", "format": "int32"}),
        PageType::Long => json!({"type": "integer", "format": "int64"}),
        PageType::Boolean => json!({"type": "boolean"}),
        PageType::Double => json!({"type": "number", "format": "double"}),
        PageType::Float => json!({"type": "number", "format": "float"}),
        PageType::Number => json!({"type": "number"}),
        PageType::Time => json!({"type": "string", "format": "date-time"}),
        PageType::Array(inner) if matches!(&**inner, PageType::Other(name) if name.is_empty()) => {
            json!({"type": "array", "items": {}})
        }
        PageType::Object(name) if !name.is_empty() && tables.iter().any(|t| &t.name == name) => {
            json!({"$ref": format!("#/components/schemas/{name}")})
        }
        PageType::Object(_) => json!({"type": "object"}),
        PageType::Array(inner) => {
            json!({"type": "array", "items": Value::Object(type_schema(inner, tables))})
        }
    };
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn field_schema(field: &Field, tables: &[Table], side: Side) -> Value {
    let mut schema = type_schema(&field.ty, tables);
    if schema.contains_key("$ref") {
        return Value::Object(schema);
    }
    if let Some(name) = &field.content
        && tables.iter().any(|t| &t.name == name)
    {
        // A string (or a member of no stated type) whose content a table
        // of the page describes.
        schema.insert(
            openapi_lint::CONTENT_SCHEMA.into(),
            json!({"$ref": format!("#/components/schemas/{name}")}),
        );
    }
    let integer = matches!(field.ty, PageType::Integer | PageType::Long);
    if !field.values.is_empty() {
        let values: Vec<Value> = field
            .values
            .iter()
            .map(|v| {
                if integer {
                    v.parse::<i64>().map_or_else(|_| json!(v), |n| json!(n))
                } else {
                    json!(v)
                }
            })
            .collect();
        let key = match side {
            Side::Request => "enum",
            Side::Response => "x-extensible-enum",
        };
        // Values listed for an array are its items'.
        match schema.get_mut("items") {
            Some(Value::Object(items)) if !items.contains_key("$ref") => {
                items.insert(key.into(), Value::Array(values));
            }
            Some(_) => {}
            None => {
                schema.insert(key.into(), Value::Array(values));
            }
        }
    }
    // A minimum length 0 is JSON Schema's own: it says nothing.
    if let Some(min) = field.min_length.filter(|min| *min > 0) {
        schema.insert("minLength".into(), json!(min));
    }
    if let Some(max) = field.max_length {
        schema.insert("maxLength".into(), json!(max));
    }
    // A string with a numeric range holds an integer (`offset: "40"`):
    // `format: int64` makes it one in Rust, a decimal string on the wire.
    if field.ty == PageType::String && (field.minimum.is_some() || field.maximum.is_some()) {
        schema.insert("format".into(), json!("int64"));
        for (bound, key, step) in [
            (field.minimum, "minimum", 1.0),
            (field.maximum, "maximum", -1.0),
        ] {
            if let Some(bound) = bound {
                let value = if bound.exclusive {
                    bound.value + step
                } else {
                    bound.value
                };
                schema.insert(key.into(), number(value));
            }
        }
    }
    let numeric = integer
        || matches!(
            field.ty,
            PageType::Double | PageType::Float | PageType::Number
        );
    if numeric {
        for (bound, key, exclusive_key) in [
            (field.minimum, "minimum", "exclusiveMinimum"),
            (field.maximum, "maximum", "exclusiveMaximum"),
        ] {
            if let Some(bound) = bound {
                schema.insert(key.into(), number(bound.value));
                if bound.exclusive {
                    schema.insert(exclusive_key.into(), json!(true));
                }
            }
        }
    }
    if let Some(default) = &field.default {
        schema.insert("default".into(), field.ty.value_of(default));
    }
    Value::Object(schema)
}

fn number(value: f64) -> Value {
    if value.fract() == 0.0 && value.abs() < 9e15 {
        json!(value as i64)
    } else {
        json!(value)
    }
}

/// Members `null` in an example become `nullable` (the page's type column
/// does not say so), following component references.
fn mark_nullable(schemas: &mut Map<String, Value>, name: &str, example: &Value) {
    fn walk(schemas: &mut Map<String, Value>, name: &str, example: &Value, depth: usize) {
        let Value::Object(members) = example else {
            return;
        };
        if depth > 8 {
            return;
        }
        let mut follow = Vec::new();
        if let Some(Value::Object(properties)) =
            schemas.get_mut(name).and_then(|s| s.get_mut("properties"))
        {
            for (member, value) in members {
                let Some(Value::Object(property)) = properties.get_mut(member) else {
                    continue;
                };
                if value.is_null() && !property.contains_key("$ref") {
                    property.insert("nullable".into(), json!(true));
                }
                let reference = property
                    .get("$ref")
                    .or_else(|| property.get("items").and_then(|i| i.get("$ref")))
                    .and_then(Value::as_str)
                    .map(|r| r.trim_start_matches("#/components/schemas/").to_owned());
                if let Some(reference) = reference {
                    follow.push((reference, value.clone()));
                }
            }
        }
        for (reference, value) in follow {
            match value {
                Value::Array(items) => {
                    for item in &items {
                        walk(schemas, &reference, item, depth + 1);
                    }
                }
                value => walk(schemas, &reference, &value, depth + 1),
            }
        }
    }
    walk(schemas, name, example, 0);
}

fn first_paragraph(text: &str) -> Option<String> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && *line != "Definition:")
        .take_while(|line| {
            !line.ends_with(':')
                && !line.starts_with("**")
                && !line.starts_with('•')
                && !matches!(*line, "Constraints" | "Range" | "Default Value" | "N/A")
        })
        .collect();
    let joined = lines.join(" ");
    (!joined.is_empty()).then_some(joined)
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

fn snake(text: &str) -> String {
    words(text).join("_")
}

fn pascal(text: &str) -> String {
    words(text)
        .iter()
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// A scalar as YAML: plain when that reads back as the same string,
/// else JSON-quoted (a JSON string is a valid YAML double-quoted scalar).
fn scalar(value: &Value) -> String {
    match value {
        Value::String(text) => {
            let plain = !text.is_empty()
                && text.trim() == text
                && !text.contains([
                    '\n', '#', '"', '\'', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '%',
                    '@', '`', '\\',
                ])
                && !text.contains(": ")
                && !text.ends_with(':')
                && !text.starts_with(['-', '?', ':'])
                && !matches!(
                    text.to_ascii_lowercase().as_str(),
                    "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "~"
                )
                && !text.starts_with(|c: char| c.is_ascii_digit())
                && text.parse::<f64>().is_err();
            if plain {
                text.clone()
            } else {
                Value::String(text.clone()).to_string()
            }
        }
        other => other.to_string(),
    }
}

fn write_yaml(out: &mut String, value: &Value, indent: usize) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                out.push_str(&pad);
                out.push_str(&scalar(&Value::String(key.clone())));
                out.push(':');
                write_child(out, child, indent);
            }
        }
        Value::Array(items) => {
            for item in items {
                out.push_str(&pad);
                out.push_str("- ");
                match item {
                    Value::Object(map) if !map.is_empty() => {
                        // The first member on the dash's line.
                        let mut nested = String::new();
                        write_yaml(&mut nested, item, indent + 2);
                        out.push_str(nested.trim_start());
                    }
                    Value::Array(inner) if !inner.is_empty() => {
                        out.push('\n');
                        write_yaml(out, item, indent + 2);
                    }
                    other => {
                        out.push_str(&inline(other));
                        out.push('\n');
                    }
                }
            }
        }
        other => {
            out.push_str(&pad);
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
}

fn write_child(out: &mut String, child: &Value, indent: usize) {
    match child {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            write_yaml(out, child, indent + 2);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_yaml(out, child, indent + 2);
        }
        other => {
            out.push(' ');
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
}

fn inline(value: &Value) -> String {
    match value {
        Value::Object(map) if map.is_empty() => "{}".into(),
        Value::Array(items) if items.is_empty() => "[]".into(),
        other => scalar(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_reads_back_as_the_same_json() {
        let value = json!({
            "openapi": "3.0.3",
            "paths": {"/v1/{id}": {"get": {"responses": {"200": {"description": "OK: fine"}}}}},
            "list": [{"a": 1, "b": [true, null]}, "x", [], {}],
            "odd": ["", " lead", "yes", "1.5", "- dash", "a # b", "line\nbreak"]
        });
        let mut text = String::new();
        write_yaml(&mut text, &value, 0);
        let back = openapi_source::SourceDoc::parse(&text)
            .expect("YAML")
            .value()
            .clone();
        assert_eq!(back, value, "{text}");
    }
}
