//! Form bodies (`application/x-www-form-urlencoded`) and queries read by
//! their schema. A pair's text becomes what the schema says its member is
//! (`10` a number for an `integer`, a string for a `string`, `null` null
//! where the member may be), a member given more than once an array, and
//! the value is then checked against the schema like a JSON body.
//!
//! A form's key may be written in brackets (`shipping[address][city]=x`,
//! `items[0][price]=p`, `expand[]=a`: OpenAPI's `deepObject` encoding, as
//! Stripe's bodies are): each bracketed segment is a member of the object,
//! or an item of the array, the schema has there. Where a member is a
//! string but the key goes on (`metadata[a][b]` for a map of strings),
//! the rest of the key is its name. Text that is empty where the schema
//! takes only an array or only an object, inside brackets, is an empty
//! one (how a nested empty list or object is written).
//!
//! A query's keys are never read in brackets: its `deepObject` parameters
//! are left out of its schema, so a query with a bracketed key of a member
//! that is an array or object is left to the parameters' own readers.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::schema::{Members, Schemas};

/// How many segments a key may have (`a[b][c]` has three).
const MAX_SEGMENTS: usize = 8;
/// How many levels of `$ref`, `allOf`, `anyOf` and `oneOf` are followed to
/// tell what a schema is.
const SCHEMA_DEPTH: usize = 8;
/// The schema that takes anything.
static ANY: Value = Value::Bool(true);

/// The JSON types a schema takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Kinds(u8);

impl Kinds {
    const NULL: u8 = 1;
    const BOOLEAN: u8 = 2;
    const INTEGER: u8 = 4;
    const NUMBER: u8 = 8;
    const STRING: u8 = 16;
    const ARRAY: u8 = 32;
    const OBJECT: u8 = 64;
    const ALL: Kinds = Kinds(127);
    const NONE: Kinds = Kinds(0);

    fn named(name: &str) -> Kinds {
        Kinds(match name {
            "null" => Self::NULL,
            "boolean" => Self::BOOLEAN,
            "integer" => Self::INTEGER,
            "number" => Self::NUMBER,
            "string" => Self::STRING,
            "array" => Self::ARRAY,
            "object" => Self::OBJECT,
            _ => 0,
        })
    }

    fn of(value: &Value) -> Kinds {
        Kinds(match value {
            Value::Null => Self::NULL,
            Value::Bool(_) => Self::BOOLEAN,
            Value::Number(_) => Self::NUMBER | Self::INTEGER,
            Value::String(_) => Self::STRING,
            Value::Array(_) => Self::ARRAY,
            Value::Object(_) => Self::OBJECT,
        })
    }

    fn has(self, kinds: u8) -> bool {
        self.0 & kinds != 0
    }

    fn union(self, other: Kinds) -> Kinds {
        Kinds(self.0 | other.0)
    }

    fn intersection(self, other: Kinds) -> Kinds {
        Kinds(self.0 & other.0)
    }

    /// A scalar a form's text can be: `null` aside (a nullable array,
    /// `type: [array, null]`, is written as its items).
    fn text_scalar(self) -> bool {
        self.has(Self::BOOLEAN | Self::INTEGER | Self::NUMBER | Self::STRING)
    }

    /// Only arrays, or only objects (or `null`): what empty text inside
    /// brackets is.
    fn empty_container(self) -> Option<Value> {
        match (
            self.text_scalar(),
            self.has(Self::ARRAY),
            self.has(Self::OBJECT),
        ) {
            (false, true, false) => Some(Value::Array(Vec::new())),
            (false, false, true) => Some(Value::Object(Map::new())),
            _ => None,
        }
    }
}

/// The pairs of one key: its texts, or the members bracketed after it.
#[derive(Debug)]
enum Node {
    Texts(Vec<String>),
    Members(BTreeMap<String, Node>),
}

/// A body's or query's schema as its pairs are read by it.
pub(crate) struct Reader<'a> {
    pub(crate) schemas: &'a Schemas,
    pub(crate) root: &'a Value,
    /// The compiled schemas of the root's union members.
    pub(crate) members: &'a Members,
    /// Whether keys are read in brackets (forms) or not (queries).
    pub(crate) brackets: bool,
    /// Whether a union's alternatives' members count as the root's (see
    /// [`Reader::has_members`]): for a body nothing but the schema reads.
    pub(crate) unions: bool,
}

impl<'a> Reader<'a> {
    /// The decoded `pairs` as the JSON object the schema says they are;
    /// `None` where the schema is no object with members of its own and
    /// takes other members (the pairs are then read by their Rust type
    /// alone; a closed one without members, Stripe's `DELETE` bodies, is
    /// read, so that the check refuses every pair) or, in a query, a
    /// key is a member's name in brackets. An error where one key is both
    /// a value and has members, or nests too deep.
    pub(crate) fn read<'p>(
        &self,
        pairs: impl IntoIterator<Item = (Cow<'p, str>, Cow<'p, str>)>,
    ) -> Result<Option<Value>, String> {
        if !self.has_members(self.root, 0) && !self.closed(self.root) {
            return Ok(None);
        }
        let mut tree = BTreeMap::new();
        for (key, text) in pairs {
            let Some(path) = self.path(&key)? else {
                return Ok(None);
            };
            if insert(&mut tree, &path, text.into_owned()).is_none() {
                return Err(format!(
                    "`{key}` is a member of `{}`, which is also given a value",
                    path[0]
                ));
            }
        }
        Ok(Some(self.object(tree, self.root, true)))
    }

    /// The JSON value of the multipart part `text` for the root's member
    /// `name`, where the part says it is JSON (`declared`) or the member
    /// is only an object or an array (OpenAPI's default encoding of
    /// such a member in a multipart body); `None` where it is text or is
    /// no JSON (the schema then refuses it as text).
    pub(crate) fn json_member(&self, name: &str, text: &str, declared: bool) -> Option<Value> {
        let kinds = self.kinds(self.child(self.root, name), 0);
        let structured = kinds.has(Kinds::ARRAY | Kinds::OBJECT) && !kinds.has(Kinds::STRING);
        (declared || structured)
            .then(|| serde_json::from_str(text).ok())
            .flatten()
    }

    /// The segments of `key`: the root's member, then what each bracket
    /// names (see the module's documentation); `None` for a query's
    /// bracketed array or object member.
    fn path<'k>(&self, key: &'k str) -> Result<Option<Vec<Cow<'k, str>>>, String> {
        let literal = Ok(Some(vec![Cow::Borrowed(key)]));
        let Some((name, rest)) = key.split_once('[') else {
            return literal;
        };
        let Some(inner) = rest.strip_suffix(']') else {
            return literal;
        };
        if self.named(self.root, key, 0).is_some() {
            return literal;
        }
        // Brackets are read only after a member the schema names as an
        // array or object; other keys are names as given (schemathesis'
        // made-up members hold brackets: `_\u{12}[x]` beside `_\u{12}`).
        let container = self
            .named(self.root, name, 0)
            .is_some_and(|member| self.kinds(member, 0).has(Kinds::ARRAY | Kinds::OBJECT));
        if !container {
            return literal;
        }
        if !self.brackets {
            return Ok(None);
        }
        let segments: Vec<&str> = inner.split("][").collect();
        if segments.len() >= MAX_SEGMENTS {
            return Err(format!("`{key}` nests deeper than {MAX_SEGMENTS} levels"));
        }
        let mut path = vec![Cow::Borrowed(name)];
        let mut schema = self.child(self.root, name);
        for (at, segment) in segments.iter().enumerate() {
            // A member that is no array or object, whose key goes on: the
            // rest is part of its name (`a][b` in `metadata[a][b]`).
            if !self.kinds(schema, 0).has(Kinds::ARRAY | Kinds::OBJECT) {
                if at == 0 {
                    return literal;
                }
                let last = path.pop().unwrap_or_default();
                path.push(Cow::Owned(format!("{last}][{}", segments[at..].join("]["))));
                return Ok(Some(path));
            }
            schema = self.child(schema, segment);
            path.push(Cow::Borrowed(segment));
        }
        Ok(Some(path))
    }

    /// The members of `tree` as an object of `schema`, each read by its
    /// member's schema; a required member that is only an array or only
    /// an object, left out, is empty (a form has no other way to write
    /// one).
    fn object(&self, tree: BTreeMap<String, Node>, schema: &'a Value, top: bool) -> Value {
        let mut object = Map::new();
        for (name, node) in tree {
            let member = self.child(schema, &name);
            let value = self.value(node, member, top.then_some(name.as_str()));
            object.insert(name, value);
        }
        for name in self.required(schema, 0) {
            if !object.contains_key(name)
                && let Some(empty) = self.kinds(self.child(schema, name), 0).empty_container()
            {
                object.insert(name.to_owned(), empty);
            }
        }
        Value::Object(object)
    }

    /// `node` as a value of `schema`; `top` names a member of the root.
    fn value(&self, node: Node, schema: &'a Value, top: Option<&str>) -> Value {
        let kinds = self.kinds(schema, 0);
        match node {
            Node::Members(members) => {
                let indexed = members
                    .keys()
                    .all(|key| key.bytes().all(|b| b.is_ascii_digit()));
                if kinds.has(Kinds::ARRAY) && indexed {
                    self.items(members, schema)
                } else {
                    self.object(members, schema, false)
                }
            }
            Node::Texts(texts) => self.texts(texts, schema, kinds, top),
        }
    }

    /// Bracketed items (`[0]`, `[1]`, or `[]` each time) in their order.
    fn items(&self, members: BTreeMap<String, Node>, schema: &'a Value) -> Value {
        let item = self.child(schema, "0");
        let mut members: Vec<(String, Node)> = members.into_iter().collect();
        members.sort_by(|(a, _), (b, _)| (a.len(), a).cmp(&(b.len(), b)));
        let mut items = Vec::new();
        for (key, node) in members {
            match node {
                Node::Texts(texts) if key.is_empty() => items.extend(
                    texts
                        .into_iter()
                        .map(|text| self.scalar(text, self.kinds(item, 0), None)),
                ),
                node => items.push(self.value(node, item, None)),
            }
        }
        Value::Array(items)
    }

    /// The texts given for one key: one value, or an array where the
    /// schema takes only arrays or the key is given more than once.
    fn texts(
        &self,
        texts: Vec<String>,
        schema: &'a Value,
        kinds: Kinds,
        top: Option<&str>,
    ) -> Value {
        let nested_empty = top.is_none() && texts.len() == 1 && texts[0].is_empty();
        if nested_empty && let Some(empty) = kinds.empty_container() {
            return empty;
        }
        if kinds.has(Kinds::ARRAY) && !kinds.text_scalar() && !kinds.has(Kinds::OBJECT) {
            let item = self.child(schema, "0");
            let item_kinds = self.kinds(item, 0);
            let items = texts
                .into_iter()
                .map(|text| self.scalar(text, item_kinds, None));
            return Value::Array(items.collect());
        }
        let mut values: Vec<Value> = texts
            .into_iter()
            .map(|text| self.scalar(text, kinds, top))
            .collect();
        match values.len() {
            // Given twice though it is one value: an array of all the
            // values given, which its schema refuses unless a union takes
            // one.
            1 => values.pop().unwrap_or(Value::Null),
            _ => Value::Array(values),
        }
    }

    /// The value `text` is for a schema of `kinds`: the first of null, number,
    /// boolean and string it takes (a union member of the root by its
    /// compiled schema); text that is none stays text, which the schema
    /// then refuses.
    fn scalar(&self, text: String, kinds: Kinds, top: Option<&str>) -> Value {
        if text == "null" && kinds.has(Kinds::NULL) {
            return Value::Null;
        }
        if let Some(value) = top.and_then(|name| self.members.union_value(name, &text)) {
            return value;
        }
        if kinds.has(Kinds::INTEGER | Kinds::NUMBER)
            && text.trim() == text
            && let Ok(number) = serde_json::from_str::<serde_json::Number>(&text)
        {
            return Value::Number(number);
        }
        match text.as_str() {
            "true" if kinds.has(Kinds::BOOLEAN) => Value::Bool(true),
            "false" if kinds.has(Kinds::BOOLEAN) => Value::Bool(false),
            _ => Value::String(text),
        }
    }

    /// The JSON types `schema` takes: its `type` (or its `enum`'s values'),
    /// narrowed by each `allOf` part and by its `anyOf`/`oneOf`
    /// alternatives together; all where it does not say.
    fn kinds(&self, schema: &Value, depth: usize) -> Kinds {
        let schema = self.schemas.resolve(schema);
        let Some(object) = schema.as_object() else {
            return if schema == &Value::Bool(false) {
                Kinds::NONE
            } else {
                Kinds::ALL
            };
        };
        if depth > SCHEMA_DEPTH {
            return Kinds::ALL;
        }
        let values = object
            .get("enum")
            .and_then(Value::as_array)
            .map(|values| values.iter().collect::<Vec<_>>())
            .or_else(|| object.get("const").map(|value| vec![value]));
        let mut kinds = match (object.get("type"), values) {
            (Some(Value::String(name)), _) => Kinds::named(name),
            (Some(Value::Array(names)), _) => names
                .iter()
                .filter_map(Value::as_str)
                .fold(Kinds::NONE, |kinds, name| kinds.union(Kinds::named(name))),
            (_, Some(values)) => values
                .into_iter()
                .fold(Kinds::NONE, |kinds, value| kinds.union(Kinds::of(value))),
            _ => Kinds::ALL,
        };
        for part in parts(object, &["allOf"]) {
            kinds = kinds.intersection(self.kinds(part, depth + 1));
        }
        let alternatives: Vec<&Value> = parts(object, &["anyOf", "oneOf"]).collect();
        if !alternatives.is_empty() {
            let taken = alternatives.iter().fold(Kinds::NONE, |kinds, part| {
                kinds.union(self.kinds(part, depth + 1))
            });
            kinds = kinds.intersection(taken);
        }
        kinds
    }

    /// Whether `schema` names members of its own (`properties`, here or in
    /// an `allOf` part). A union's alternatives count only where the
    /// reader reads `unions`: which alternative's required members a form
    /// leaves out (an empty object or array) cannot be told, so a union
    /// body with a Rust type is read by that type alone (Kratos' `method`
    /// bodies); a body kept as bytes (a file upload, redoc-cafe's menu
    /// items) has no type to read it, and is read through its union.
    fn has_members(&self, schema: &Value, depth: usize) -> bool {
        let Some(object) = self.schemas.resolve(schema).as_object() else {
            return false;
        };
        let own = object
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|properties| !properties.is_empty());
        let keywords: &'static [&'static str] = match self.unions {
            true => &["allOf", "anyOf", "oneOf"],
            false => &["allOf"],
        };
        own || (depth < SCHEMA_DEPTH
            && parts(object, keywords).any(|part| self.has_members(part, depth + 1)))
    }

    /// Whether `schema` itself takes no members but those it names
    /// (`additionalProperties: false`).
    fn closed(&self, schema: &Value) -> bool {
        self.schemas.resolve(schema).get("additionalProperties") == Some(&Value::Bool(false))
    }

    /// The schema of the member or item `segment` of `schema`: the member
    /// it names, else its items where `segment` is an index (or empty),
    /// else its additional members; anything where it does not say.
    fn child(&self, schema: &'a Value, segment: &str) -> &'a Value {
        let index = segment.bytes().all(|b| b.is_ascii_digit());
        self.named(schema, segment, 0)
            .or_else(|| {
                index
                    .then(|| self.find(schema, 0, &|object| object.get("items")))
                    .flatten()
            })
            .or_else(|| self.find(schema, 0, &|object| object.get("additionalProperties")))
            .unwrap_or(&ANY)
    }

    /// The schema of the member `name` that `schema` (or a part) names.
    fn named(&self, schema: &'a Value, name: &str, depth: usize) -> Option<&'a Value> {
        self.find(schema, depth, &|object| {
            object
                .get("properties")
                .and_then(|properties| properties.get(name))
        })
    }

    /// What `pick` finds in `schema`, else in the first of its parts
    /// (`allOf`, `anyOf`, `oneOf`) where it finds something.
    fn find(
        &self,
        schema: &'a Value,
        depth: usize,
        pick: &dyn Fn(&'a Map<String, Value>) -> Option<&'a Value>,
    ) -> Option<&'a Value> {
        let object = self.schemas.resolve(schema).as_object()?;
        if depth > SCHEMA_DEPTH {
            return None;
        }
        pick(object).or_else(|| {
            parts(object, &["allOf", "anyOf", "oneOf"])
                .find_map(|part| self.find(part, depth + 1, pick))
        })
    }

    /// The names `schema` requires, its `allOf` parts' included.
    fn required(&self, schema: &'a Value, depth: usize) -> Vec<&'a str> {
        let Some(object) = self.schemas.resolve(schema).as_object() else {
            return Vec::new();
        };
        let mut names: Vec<&str> = object
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if depth < SCHEMA_DEPTH {
            for part in parts(object, &["allOf"]) {
                names.extend(self.required(part, depth + 1));
            }
        }
        names
    }
}

/// The schemas listed under `keywords` of `object`.
fn parts<'s>(
    object: &'s Map<String, Value>,
    keywords: &'static [&'static str],
) -> impl Iterator<Item = &'s Value> {
    keywords
        .iter()
        .filter_map(|keyword| object.get(*keyword).and_then(Value::as_array))
        .flatten()
}

/// Adds `text` at `path` of `tree`; `None` where a key on the way is both
/// a value and has members.
fn insert(tree: &mut BTreeMap<String, Node>, path: &[Cow<'_, str>], text: String) -> Option<()> {
    let (first, rest) = path.split_first()?;
    let entry = tree.entry(first.clone().into_owned());
    if rest.is_empty() {
        let Node::Texts(texts) = entry.or_insert_with(|| Node::Texts(Vec::new())) else {
            return None;
        };
        texts.push(text);
        return Some(());
    }
    let Node::Members(members) = entry.or_insert_with(|| Node::Members(BTreeMap::new())) else {
        return None;
    };
    insert(members, rest, text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static SCHEMAS: Schemas = Schemas::new(
        r#"{"$id": "urn:form-test", "components": {"schemas": {
            "Address": {"type": "object", "required": ["city"], "properties": {
                "city": {"type": "string"}, "zip": {"type": ["integer", "null"]}}}}}}"#,
    );

    fn body() -> Value {
        json!({"type": "object", "required": ["name", "tags"], "properties": {
            "name": {"type": "string"},
            "events": {"type": ["array", "null"], "items": {"type": "string"}},
            "age": {"type": ["integer", "null"]},
            "vip": {"type": "boolean"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "scores": {"type": "array", "items": {"type": "integer"}},
            "address": {"$ref": "urn:form-test#/components/schemas/Address"},
            "items": {"type": "array", "items": {"type": "object", "properties": {
                "price": {"type": "number"}, "options": {"type": "array", "items": {"type": "string"}}}}},
            "metadata": {"anyOf": [
                {"type": "object", "additionalProperties": {"type": "string"}},
                {"enum": [""]}]}}})
    }

    fn read(body: &str, brackets: bool) -> Result<Option<Value>, String> {
        let members = Members::default();
        let root = self::body();
        let reader = Reader {
            schemas: &SCHEMAS,
            root: &root,
            members: &members,
            brackets,
            unions: false,
        };
        reader.read(form_urlencoded::parse(body.as_bytes()))
    }

    fn form(body: &str) -> Value {
        read(body, true)
            .expect("readable")
            .expect("the schema names members")
    }

    #[test]
    fn each_member_is_what_its_schema_says() {
        assert_eq!(
            form("name=10&age=10&vip=true&tags=a&scores=1&scores=2"),
            json!({"name": "10", "age": 10, "vip": true, "tags": ["a"], "scores": [1, 2]})
        );
    }

    #[test]
    fn a_nullable_array_given_once_is_an_array_of_one() {
        // svix's `event_types`: `type: [array, null]`.
        assert_eq!(
            form("name=a&events=user.signup"),
            json!({"name": "a", "events": ["user.signup"], "tags": []})
        );
    }

    #[test]
    fn a_required_array_left_out_is_empty_and_text_that_is_no_number_stays_text() {
        assert_eq!(
            form("name=rex&age=ten"),
            json!({"name": "rex", "age": "ten", "tags": []})
        );
    }

    #[test]
    fn one_value_given_twice_is_an_array_its_schema_refuses() {
        assert_eq!(
            form("name=a&name=b"),
            json!({"name": ["a", "b"], "tags": []})
        );
    }

    #[test]
    fn null_is_null_where_the_member_may_be() {
        assert_eq!(
            form("name=null&age=null"),
            json!({"name": "null", "age": null, "tags": []})
        );
    }

    #[test]
    fn bracketed_keys_are_members_and_items_of_the_schema_s_objects_and_arrays() {
        assert_eq!(
            form(
                "name=a&address[city]=Oslo&address[zip]=150&items[1][price]=2.5&items[0][price]=1\
                 &items[0][options][]=x&items[0][options][]=y&tags[]=t"
            ),
            json!({"name": "a", "tags": ["t"],
                   "address": {"city": "Oslo", "zip": 150},
                   "items": [{"price": 1, "options": ["x", "y"]}, {"price": 2.5}]})
        );
    }

    #[test]
    fn items_are_in_the_order_of_their_indices() {
        let keys: String = (0..12).rev().map(|i| format!("&scores[{i}]={i}")).collect();
        assert_eq!(
            form(&format!("name=a{keys}"))["scores"],
            json!([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
        );
    }

    #[test]
    fn a_union_takes_its_object_in_brackets_or_its_empty_string() {
        assert_eq!(form("name=a&metadata=")["metadata"], json!(""));
        assert_eq!(
            form("name=a&metadata[k]=5&metadata[a][b]=c")["metadata"],
            json!({"k": "5", "a][b": "c"})
        );
    }

    #[test]
    fn empty_text_in_brackets_is_an_empty_array_or_object() {
        assert_eq!(
            form("name=a&items[0][options]=&address[zip]=")["items"],
            json!([{"options": []}])
        );
        // A required member of a nested object, left out, is not made up.
        assert_eq!(form("name=a&address[zip]=1")["address"], json!({"zip": 1}));
    }

    #[test]
    fn brackets_after_a_name_the_schema_does_not_give_are_part_of_the_name() {
        // Kratos under schemathesis: made-up members `_\u{12}` and
        // `_\u{12}[x]`, each its own.
        assert_eq!(
            form("name=a&_x=1&_x[y]=2"),
            json!({"name": "a", "_x": 1, "_x[y]": 2, "tags": []})
        );
    }

    #[test]
    fn a_key_both_a_value_and_an_object_or_nested_too_deep_is_refused() {
        let error = read("address=x&address[city]=y", true).expect_err("both");
        assert!(error.contains("`address[city]`"), "{error}");
        let deep = format!("name=a&address{}=1", "[a]".repeat(MAX_SEGMENTS));
        let error = read(&deep, true).expect_err("too deep");
        assert!(error.contains("deeper"), "{error}");
    }

    #[test]
    fn a_query_leaves_a_bracketed_array_or_object_member_to_its_readers() {
        assert_eq!(read("name=a&tags[0]=v", false), Ok(None));
        assert_eq!(read("name=a&address[city]=v", false), Ok(None));
        // Keys that only look like one: the schema refuses them or not.
        assert_eq!(form("name=a&name[x]=b&name[=c")["name[x]"], json!("b"));
        assert_eq!(
            read("name=a&other[key]=v&name[=b", false),
            Ok(Some(
                json!({"name": "a", "other[key]": "v", "name[": "b", "tags": []})
            ))
        );
    }

    #[test]
    fn a_union_body_is_left_to_the_rust_type() {
        let members = Members::default();
        let root = json!({"oneOf": [
            {"type": "object", "required": ["traits"], "properties": {"traits": {"type": "object"}}}]});
        let reader = Reader {
            schemas: &SCHEMAS,
            root: &root,
            members: &members,
            brackets: true,
            unions: false,
        };
        assert_eq!(
            reader.read(form_urlencoded::parse(b"method=profile")),
            Ok(None)
        );
    }

    #[test]
    fn a_union_body_no_type_reads_is_read_through_its_alternatives() {
        // redoc-cafe's menu items, a multipart upload kept as bytes.
        let members = Members::default();
        let root = json!({"oneOf": [{"type": "object", "required": ["category"],
            "properties": {"category": {"const": "beverage"}, "volume": {"type": "number"}}}]});
        let reader = Reader {
            schemas: &SCHEMAS,
            root: &root,
            members: &members,
            brackets: true,
            unions: true,
        };
        assert_eq!(
            reader.read(form_urlencoded::parse(b"volume=5")),
            Ok(Some(json!({"volume": 5})))
        );
    }

    #[test]
    fn a_schema_without_members_is_left_to_the_rust_type() {
        let members = Members::default();
        let root = json!({"type": "object", "additionalProperties": {"type": "string"}});
        let reader = Reader {
            schemas: &SCHEMAS,
            root: &root,
            members: &members,
            brackets: true,
            unions: false,
        };
        assert_eq!(reader.read(form_urlencoded::parse(b"a=1")), Ok(None));
    }

    #[test]
    fn a_closed_schema_without_members_reads_every_pair_for_the_check() {
        // Stripe's `DELETE` bodies: `properties: {}` and no other member.
        let members = Members::default();
        let root = json!({"type": "object", "properties": {}, "additionalProperties": false});
        let reader = Reader {
            schemas: &SCHEMAS,
            root: &root,
            members: &members,
            brackets: true,
            unions: false,
        };
        let unknown = form_urlencoded::parse(b"x-schemathesis-unknown-property=42");
        assert_eq!(
            reader.read(unknown),
            Ok(Some(json!({"x-schemathesis-unknown-property": "42"})))
        );
        assert_eq!(
            reader.read(form_urlencoded::parse(b"")),
            Ok(Some(json!({})))
        );
    }
}
