//! XML request bodies read the way OpenAPI's XML Object says, into the
//! JSON value of the body's schema, which the body's type then decodes:
//! the root element's children are an object's properties (named by
//! `xml.name`, else the property's name; `xml.attribute` ones are
//! attributes), an array is its item elements, inside a wrapper element
//! where `xml.wrapped` says so, and a leaf's text is read as its schema's
//! type (`true`/`false` only for a boolean, as in JSON).
//!
//! The schema is the body's, with its references inlined by the
//! generator. Hostile input is bounded: at most [`MAX_DEPTH`] nested
//! elements, one root element, no text where the schema wants members.

use quick_xml::events::{BytesStart, Event};
use serde_json::{Map, Number, Value};

/// The deepest nesting of elements a body may have (as `serde_json`'s
/// recursion limit bounds a JSON body's).
pub const MAX_DEPTH: usize = 128;

/// One element: its local name, attributes, child elements and text.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
}

/// `text`, an XML document, as the JSON value of `schema`.
pub fn to_json(text: &str, schema: &Value) -> Result<Value, String> {
    let root = parse(text)?;
    convert(&root, schema, 0)
}

fn parse(text: &str) -> Result<Element, String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut open: Vec<Element> = Vec::new();
    let mut root = None;
    loop {
        let event = reader.read_event().map_err(|e| e.to_string())?;
        match event {
            Event::Start(start) => {
                if open.len() >= MAX_DEPTH {
                    return Err(format!("elements nest deeper than {MAX_DEPTH}"));
                }
                open.push(element(&start)?);
            }
            Event::Empty(start) => close(element(&start)?, &mut open, &mut root)?,
            Event::End(_) => {
                let done = open.pop().ok_or("an end tag that closes nothing")?;
                close(done, &mut open, &mut root)?;
            }
            Event::Text(content) => {
                let content = content.decode().map_err(|e| e.to_string())?;
                let content = quick_xml::escape::unescape(&content).map_err(|e| e.to_string())?;
                text_into(&mut open, &content)?;
            }
            Event::CData(content) => {
                let content = String::from_utf8_lossy(&content).into_owned();
                text_into(&mut open, &content)?;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !open.is_empty() {
        return Err("an element is not closed".into());
    }
    root.ok_or_else(|| "no root element".into())
}

fn element(start: &BytesStart<'_>) -> Result<Element, String> {
    let name = local(start.name().as_ref());
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| e.to_string())?;
        let value = attribute.unescape_value().map_err(|e| e.to_string())?;
        attributes.push((local(attribute.key.as_ref()), value.into_owned()));
    }
    Ok(Element {
        name,
        attributes,
        ..Element::default()
    })
}

/// A name without its namespace prefix.
fn local(name: &[u8]) -> String {
    let name = String::from_utf8_lossy(name);
    name.rsplit(':').next().unwrap_or_default().to_owned()
}

fn close(done: Element, open: &mut [Element], root: &mut Option<Element>) -> Result<(), String> {
    match open.last_mut() {
        Some(parent) => parent.children.push(done),
        None if root.is_none() => *root = Some(done),
        None => return Err("more than one root element".into()),
    }
    Ok(())
}

fn text_into(open: &mut [Element], content: &str) -> Result<(), String> {
    match open.last_mut() {
        Some(current) => current.text.push_str(content),
        None if content.trim().is_empty() => {}
        None => return Err("text outside the root element".into()),
    }
    Ok(())
}

fn convert(element: &Element, schema: &Value, depth: usize) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err(format!("the schema nests deeper than {MAX_DEPTH}"));
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = schema.get(key) {
            return branches
                .iter()
                .find_map(|branch| convert(element, branch, depth + 1).ok())
                .ok_or_else(|| format!("element `{}` fits no alternative", element.name));
        }
    }
    if let Some(Value::Array(parts)) = schema.get("allOf") {
        return all_of(element, parts, depth);
    }
    match kind(schema) {
        "object" => object(element, schema, depth),
        "array" => {
            let items = schema.get("items").unwrap_or(&Value::Null);
            element
                .children
                .iter()
                .map(|child| convert(child, items, depth + 1))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array)
        }
        kind => leaf(element, kind),
    }
}

/// The schema's type, as written or as its keywords show.
fn kind(schema: &Value) -> &str {
    match schema.get("type") {
        Some(Value::String(kind)) => kind,
        _ if schema.get("properties").is_some() => "object",
        _ if schema.get("items").is_some() => "array",
        _ => "string",
    }
}

fn all_of(element: &Element, parts: &[Value], depth: usize) -> Result<Value, String> {
    let mut merged = Map::new();
    for part in parts {
        if let Value::Object(members) = convert(element, part, depth + 1)? {
            merged.extend(members);
        }
    }
    Ok(Value::Object(merged))
}

fn object(element: &Element, schema: &Value, depth: usize) -> Result<Value, String> {
    if !element.text.trim().is_empty() {
        return Err(format!(
            "element `{}` holds text where its members belong",
            element.name
        ));
    }
    let mut members = Map::new();
    let properties = schema.get("properties").and_then(Value::as_object);
    for (property, member) in properties.into_iter().flatten() {
        let xml = member.get("xml");
        let name = xml
            .and_then(|xml| xml.get("name"))
            .and_then(Value::as_str)
            .unwrap_or(property);
        let attribute = xml.and_then(|xml| xml.get("attribute")) == Some(&Value::Bool(true));
        let value = if attribute {
            element
                .attributes
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, text)| scalar(text, kind(member), name))
                .transpose()?
        } else if kind(member) == "array" {
            array_member(element, member, name, depth)?
        } else {
            element
                .children
                .iter()
                .find(|child| child.name == name)
                .map(|child| convert(child, member, depth + 1))
                .transpose()?
        };
        if let Some(value) = value {
            members.insert(property.clone(), value);
        }
    }
    Ok(Value::Object(members))
}

/// An array property: inside its wrapper element (`xml.wrapped`), else
/// the repeated elements of its name; `None` when none is given.
fn array_member(
    element: &Element,
    schema: &Value,
    name: &str,
    depth: usize,
) -> Result<Option<Value>, String> {
    let items = schema.get("items").unwrap_or(&Value::Null);
    let wrapped = schema.pointer("/xml/wrapped") == Some(&Value::Bool(true));
    let item_name = items
        .pointer("/xml/name")
        .and_then(Value::as_str)
        .unwrap_or(name);
    let holder = if wrapped {
        match element.children.iter().find(|child| child.name == name) {
            Some(wrapper) => wrapper,
            None => return Ok(None),
        }
    } else {
        element
    };
    let found: Vec<&Element> = holder
        .children
        .iter()
        .filter(|child| wrapped || child.name == item_name)
        .collect();
    if found.is_empty() && !wrapped {
        return Ok(None);
    }
    found
        .into_iter()
        .map(|child| convert(child, items, depth + 1))
        .collect::<Result<Vec<_>, _>>()
        .map(|items| Some(Value::Array(items)))
}

fn leaf(element: &Element, kind: &str) -> Result<Value, String> {
    if let Some(child) = element.children.first() {
        return Err(format!(
            "element `{}` holds element `{}` where a value belongs",
            element.name, child.name
        ));
    }
    scalar(&element.text, kind, &element.name)
}

/// `text` as a JSON value of the schema type `kind`.
fn scalar(text: &str, kind: &str, name: &str) -> Result<Value, String> {
    let trimmed = text.trim();
    let refused = || format!("`{name}`: `{trimmed}` is not a {kind}");
    match kind {
        "integer" => trimmed
            .parse::<i64>()
            .map(Number::from)
            .or_else(|_| trimmed.parse::<u64>().map(Number::from))
            .map(Value::Number)
            .map_err(|_| refused()),
        "number" => trimmed
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number)
            .ok_or_else(refused),
        "boolean" => match trimmed {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(refused()),
        },
        _ => Ok(Value::String(text.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pet_schema() -> Value {
        json!({
            "type": "object",
            "xml": {"name": "pet"},
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "sold": {"type": "boolean"},
                "code": {"type": "string", "xml": {"attribute": true}},
                "photoUrls": {
                    "type": "array",
                    "xml": {"wrapped": true},
                    "items": {"type": "string", "xml": {"name": "photoUrl"}}
                },
                "tags": {
                    "type": "array",
                    "items": {"type": "object", "xml": {"name": "tag"},
                              "properties": {"name": {"type": "string"}}}
                }
            }
        })
    }

    #[test]
    fn an_xml_body_is_its_schema_s_json() {
        let xml = r#"<pet code="x1"><id>10</id><name>doggie</name><sold>false</sold>
            <photoUrls><photoUrl>a</photoUrl><photoUrl>b</photoUrl></photoUrls>
            <tag><name>t1</name></tag><tag><name>t2</name></tag></pet>"#;
        assert_eq!(
            to_json(xml, &pet_schema()),
            Ok(json!({
                "id": 10, "name": "doggie", "sold": false, "code": "x1",
                "photoUrls": ["a", "b"],
                "tags": [{"name": "t1"}, {"name": "t2"}]
            }))
        );
    }

    #[test]
    fn what_the_schema_refuses_is_refused() {
        let schema = pet_schema();
        for (xml, why) in [
            ("<pet><sold>0</sold></pet>", "is not a boolean"),
            ("<pet><id>ten</id></pet>", "is not a integer"),
            (
                "<pet>null</pet><pet>null</pet>",
                "more than one root element",
            ),
            ("<pet>null</pet>", "holds text where its members belong"),
            ("<pet><id>1</pet>", ""),
            ("", "no root element"),
        ] {
            let refused = to_json(xml, &schema).expect_err(xml);
            assert!(refused.contains(why), "{xml}: {refused}");
        }
        let deep = format!("{}{}", "<a>".repeat(1000), "</a>".repeat(1000));
        assert!(to_json(&deep, &schema).is_err());
    }
}
