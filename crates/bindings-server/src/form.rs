//! Form bodies (`application/x-www-form-urlencoded`) read by their schema:
//! each pair's text becomes what its member's schema says it is (`10` a
//! number for an `integer`, a string for a `string`), a member given more
//! than once an array where the schema says so; then the body is checked
//! against the schema like a JSON one; `null` is null where the member may
//! be. A body with a key written in brackets for an object or array member
//! (`metadata[key]=v`) is left to the bracket reader.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::schema::{Members, Shape};

/// The flat form `bytes` as the JSON value its `members` say it is, or
/// `None` when the schema names no members or a key is written in
/// brackets.
pub(crate) fn by_shapes(bytes: &[u8], members: &Members) -> Option<Value> {
    pairs_by_shapes(form_urlencoded::parse(bytes), members)
}

/// The decoded `pairs` (a form's or a query's) as the JSON value their
/// `members` say they are; `None` as for [`by_shapes`].
pub(crate) fn pairs_by_shapes<'a>(
    pairs: impl IntoIterator<Item = (Cow<'a, str>, Cow<'a, str>)>,
    members: &Members,
) -> Option<Value> {
    if members.shapes.is_empty() {
        return None;
    }
    let mut object = Map::new();
    // The scalar members given more than once, now arrays.
    let mut repeated = std::collections::BTreeSet::new();
    for (key, text) in pairs {
        if let Some((member, _)) = key.split_once('[')
            && matches!(
                members.shapes.get(member),
                Some(Shape::Object | Shape::Array(_) | Shape::Other)
            )
        {
            return None;
        }
        let shape = members.shapes.get(&*key).unwrap_or(&Shape::Other);
        let (item, is_array) = match shape {
            _ if text == "null" && members.nullable.contains(&*key) => (Value::Null, false),
            Shape::Array(item) => (scalar(&text, item), true),
            Shape::Other => (
                members
                    .union_value(&key, &text)
                    .unwrap_or_else(|| scalar(&text, &Shape::Other)),
                false,
            ),
            scalar_shape => (scalar(&text, scalar_shape), false),
        };
        match object.get_mut(&*key) {
            Some(Value::Array(items)) if is_array || repeated.contains(&*key) => items.push(item),
            // Given twice though it is one value: an array (of all the
            // values given), which its schema refuses unless a union
            // takes one.
            Some(given) => {
                *given = Value::Array(vec![given.take(), item]);
                repeated.insert(key.into_owned());
            }
            None if is_array => {
                object.insert(key.into_owned(), Value::Array(vec![item]));
            }
            None => {
                object.insert(key.into_owned(), item);
            }
        }
    }
    // A form cannot write an empty array or object but by leaving its
    // member out: a required one missing is read as empty.
    for name in &members.required {
        let empty = match members.shapes.get(name) {
            Some(Shape::Array(_)) => Value::Array(Vec::new()),
            Some(Shape::Object) => Value::Object(Map::new()),
            _ => continue,
        };
        object.entry(name.clone()).or_insert(empty);
    }
    Some(Value::Object(object))
}

/// The value `text` is for a member of `shape`; text that is no such value
/// stays text, which the schema then refuses.
fn scalar(text: &str, shape: &Shape) -> Value {
    let number = || {
        (text.trim() == text)
            .then(|| serde_json::from_str::<serde_json::Number>(text).ok())
            .flatten()
            .map(Value::Number)
    };
    let boolean = match text {
        "true" => Some(Value::Bool(true)),
        "false" => Some(Value::Bool(false)),
        _ => None,
    };
    let parsed = match shape {
        Shape::Integer | Shape::Number => number(),
        Shape::Boolean => boolean,
        Shape::Other => number().or(boolean),
        Shape::String | Shape::Object | Shape::Array(_) => None,
    };
    parsed.unwrap_or_else(|| Value::String(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn members() -> Members {
        let mut members = Members::default();
        for (name, shape) in [
            ("name", Shape::String),
            ("age", Shape::Integer),
            ("vip", Shape::Boolean),
            ("tags", Shape::Array(Box::new(Shape::String))),
            ("scores", Shape::Array(Box::new(Shape::Integer))),
        ] {
            members.shapes.insert(name.into(), shape);
        }
        members.required = vec!["tags".into(), "name".into()];
        members
    }

    #[test]
    fn each_member_is_what_its_schema_says() {
        let value = by_shapes(
            b"name=10&age=10&vip=true&tags=a&scores=1&scores=2",
            &members(),
        );
        assert_eq!(
            value,
            Some(json!({"name": "10", "age": 10, "vip": true, "tags": ["a"], "scores": [1, 2]}))
        );
    }

    #[test]
    fn a_required_array_left_out_is_empty_and_text_that_is_no_number_stays_text() {
        let value = by_shapes(b"name=rex&age=ten", &members());
        assert_eq!(
            value,
            Some(json!({"name": "rex", "age": "ten", "tags": []}))
        );
    }

    #[test]
    fn one_value_given_twice_is_an_array_its_schema_refuses() {
        let value = by_shapes(b"name=a&name=b", &members());
        assert_eq!(value, Some(json!({"name": ["a", "b"], "tags": []})));
    }

    #[test]
    fn brackets_of_an_object_or_array_member_are_left_to_the_bracket_reader() {
        assert_eq!(by_shapes(b"tags[0]=v", &members()), None);
        // Keys that only look like one: the body's schema refuses them or not.
        assert_eq!(
            by_shapes(b"metadata[key]=v", &members()),
            Some(json!({"metadata[key]": "v", "tags": []}))
        );
        assert_eq!(
            by_shapes(b"name=a&name[=b", &members()),
            Some(json!({"name": "a", "name[": "b", "tags": []}))
        );
    }

    #[test]
    fn null_is_null_where_the_member_may_be() {
        let mut members = members();
        members.nullable.insert("age".into());
        assert_eq!(
            by_shapes(b"name=null&age=null", &members),
            Some(json!({"name": "null", "age": null, "tags": []}))
        );
    }
}
