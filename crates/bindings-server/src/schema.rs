//! JSON request bodies checked against their schema before they are
//! decoded. A Rust type takes more than its JSON Schema does: a string
//! where `format: email` is asked, a list whose `uniqueItems` repeat, a
//! value that fits two `oneOf` variants (an untagged enum takes the
//! first), bounds the type does not keep. The check refuses those with the
//! operation's documented answer to an invalid request, as JSON Schema
//! (and every client and test tool that reads it) says.
//!
//! The generator writes the schemas as JSON Schema 2020-12, translated
//! from the spec the way its linter checks examples
//! (`openapi_lint::to_json_schema`): one [`Schemas`] document per API
//! holding the component schemas the bodies refer to, and one
//! [`BodySchema`] per operation whose `$ref`s point into it. Each is
//! compiled once, at its first request.
//!
//! A query is checked the same way ([`BodySchema::check_query`]): its
//! pairs read as a form body is, against an object schema of the
//! parameters written one pair per value.

use std::borrow::Cow;
use std::sync::OnceLock;

use serde_json::Value;

use crate::{Problem, ProblemKind};

/// The schemas an API's request bodies refer to: a JSON Schema document
/// whose `$id` their `$ref`s name.
#[derive(Debug)]
pub struct Schemas {
    document: &'static str,
    registry: OnceLock<Result<jsonschema::Registry<'static>, String>>,
    parsed: OnceLock<Value>,
}

impl Schemas {
    /// The document (JSON text, with its `$id`).
    pub const fn new(document: &'static str) -> Self {
        Schemas {
            document,
            registry: OnceLock::new(),
            parsed: OnceLock::new(),
        }
    }

    /// The document as a value (`null` when it is not JSON).
    fn parsed(&self) -> &Value {
        self.parsed
            .get_or_init(|| serde_json::from_str(self.document).unwrap_or(Value::Null))
    }

    /// `schema`, or what its `$ref` into this document points to (a few
    /// steps at most; `{}` where a reference leads nowhere).
    pub(crate) fn resolve<'a>(&'a self, mut schema: &'a Value) -> &'a Value {
        static ANY: Value = Value::Bool(true);
        for _ in 0..16 {
            let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
                return schema;
            };
            let pointer = reference.split_once('#').map_or("", |(_, pointer)| pointer);
            schema = self.parsed().pointer(pointer).unwrap_or(&ANY);
        }
        &ANY
    }

    fn registry(&self) -> Result<&jsonschema::Registry<'static>, &str> {
        self.registry
            .get_or_init(|| {
                let document = self.parsed();
                let id = document
                    .get("$id")
                    .and_then(Value::as_str)
                    .ok_or("the request schemas are not a JSON document with an `$id`")?
                    .to_owned();
                jsonschema::Registry::new()
                    .add(id, document.clone())
                    .and_then(|registry| registry.prepare())
                    .map_err(|error| error.to_string())
            })
            .as_ref()
            .map_err(String::as_str)
    }
}

/// The schema of one operation's JSON request body.
#[derive(Debug)]
pub struct BodySchema {
    schemas: &'static Schemas,
    schema: &'static str,
    validator: OnceLock<Result<jsonschema::Validator, String>>,
    root: OnceLock<Value>,
    members: OnceLock<Members>,
}

/// The members of an object body that are of no one type (a union),
/// each's schema compiled: a pair's text is read as the first of a
/// number, a boolean and a string that fits it.
#[derive(Debug, Default)]
pub(crate) struct Members {
    unions: std::collections::BTreeMap<String, jsonschema::Validator>,
}

impl Members {
    /// The value `text` is for the union member `name`: the first reading
    /// of it its schema takes, else a number or boolean where it is one.
    pub(crate) fn union_value(&self, name: &str, text: &str) -> Option<Value> {
        let readings = [
            serde_json::from_str::<serde_json::Number>(text)
                .ok()
                .filter(|_| text.trim() == text)
                .map(Value::Number),
            match text {
                "true" => Some(Value::Bool(true)),
                "false" => Some(Value::Bool(false)),
                _ => None,
            },
        ];
        let validator = self.unions.get(name)?;
        readings
            .into_iter()
            .flatten()
            .chain([Value::String(text.to_owned())])
            .find(|value| validator.is_valid(value))
    }
}

impl BodySchema {
    /// The body's schema (JSON text), its `$ref`s into `schemas`.
    pub const fn new(schemas: &'static Schemas, schema: &'static str) -> Self {
        BodySchema {
            schemas,
            schema,
            validator: OnceLock::new(),
            root: OnceLock::new(),
            members: OnceLock::new(),
        }
    }

    /// `Ok` when `body` fits the schema; else the invalid-body problem
    /// naming where it breaks it first. A schema that cannot be compiled
    /// (the generator checks that each does) is the server's own error.
    pub fn check(&self, body: &Value) -> Result<(), Problem> {
        self.fits(body, ProblemKind::InvalidBody, "the request body")
    }

    /// `Ok` when the query's decoded `pairs` (see [`crate::query_pairs`]),
    /// read by the schema's members as a form is, fit the schema; else the
    /// invalid-query problem naming the parameter. A query with a key the
    /// pairs cannot be read by (a member's name in brackets) is left to the
    /// parameters' own readers.
    pub fn check_query(&self, pairs: &[(String, String)]) -> Result<(), Problem> {
        self.check_pairs(pairs, ProblemKind::InvalidQuery, "the query")
    }

    /// `Ok` when the path parameters `pairs` (name and decoded text), read
    /// by the schema's members as a query's are, fit the schema; else the
    /// invalid-path problem naming the parameter.
    pub fn check_path(&self, pairs: &[(String, String)]) -> Result<(), Problem> {
        self.check_pairs(pairs, ProblemKind::InvalidPath, "the path")
    }

    /// `pairs` read by the schema's members (no brackets, no unions) and
    /// checked; a problem of `kind` saying where `what` breaks it.
    fn check_pairs(
        &self,
        pairs: &[(String, String)],
        kind: ProblemKind,
        what: &str,
    ) -> Result<(), Problem> {
        let pairs = pairs
            .iter()
            .map(|(key, text)| (Cow::Borrowed(key.as_str()), Cow::Borrowed(text.as_str())));
        match self.reader(false, false).read(pairs) {
            Ok(Some(read)) => self.fits(&read, kind, what),
            Ok(None) => Ok(()),
            Err(error) => Err(Problem::new(kind, format!("{what}: {error}"))),
        }
    }

    /// The form body `bytes` read by the schema and checked against it
    /// (see [`crate::form_body`]); `None` where the schema names no
    /// members, and the body is read by its Rust type alone.
    pub(crate) fn read_form(&self, bytes: &[u8]) -> Result<Option<Value>, Problem> {
        let invalid = |error: String| {
            Problem::new(
                ProblemKind::InvalidBody,
                format!("invalid form body: {error}"),
            )
        };
        let Some(body) = self
            .reader(true, false)
            .read(form_urlencoded::parse(bytes))
            .map_err(invalid)?
        else {
            return Ok(None);
        };
        self.check(&body)?;
        Ok(Some(body))
    }

    /// The multipart body's `parts` read by the schema (see
    /// [`crate::multipart`]) and checked against it; `None` where the
    /// schema names no members (its `unions`' alternatives counted where
    /// asked: for a body no Rust type reads).
    pub(crate) fn read_multipart(
        &self,
        parts: &[crate::multipart::Part],
        unions: bool,
    ) -> Result<Option<Value>, Problem> {
        let reader = self.reader(true, unions);
        let texts = parts
            .iter()
            .filter(|part| !part.is_json())
            .map(|part| (Cow::Borrowed(part.name.as_str()), part.text()));
        let Some(mut body) = reader.read(texts).map_err(|error| {
            Problem::new(
                ProblemKind::InvalidBody,
                format!("invalid multipart body: {error}"),
            )
        })?
        else {
            return Ok(None);
        };
        if let Value::Object(members) = &mut body {
            for part in parts {
                match reader.json_member(&part.name, &part.text(), part.is_json()) {
                    Some(value) => {
                        members.insert(part.name.clone(), value);
                    }
                    None if part.is_json() => {
                        return Err(Problem::new(
                            ProblemKind::InvalidBody,
                            format!(
                                "invalid multipart body: part `{}` says it is JSON and is not",
                                part.name
                            ),
                        ));
                    }
                    None => {}
                }
            }
        }
        self.check(&body)?;
        Ok(Some(body))
    }

    /// The reader of pairs by this schema, keys in `brackets` or not,
    /// through `unions` or not (see `form.rs`).
    fn reader(&self, brackets: bool, unions: bool) -> crate::form::Reader<'_> {
        crate::form::Reader {
            schemas: self.schemas,
            root: self.root(),
            members: self.members(),
            brackets,
            unions,
        }
    }

    /// The schema as a value (`null` when it is not JSON).
    fn root(&self) -> &Value {
        self.root
            .get_or_init(|| serde_json::from_str(self.schema).unwrap_or(Value::Null))
    }

    /// `Ok` when `value` fits the schema; else a problem of `kind` saying
    /// where `what` breaks it first.
    fn fits(&self, value: &Value, kind: ProblemKind, what: &str) -> Result<(), Problem> {
        let validator = self.validator().map_err(|error| {
            Problem::new(
                ProblemKind::Internal,
                format!("the schema of {what} cannot be compiled: {error}"),
            )
        })?;
        match validator.iter_errors(value).next() {
            None => Ok(()),
            Some(error) => {
                let (at, error) = described(&error);
                let at = if at.is_empty() { "/".to_owned() } else { at };
                Err(Problem::new(
                    kind,
                    format!("{what} does not fit its schema at `{at}`: {error}"),
                ))
            }
        }
    }

    /// The union members of the body, when its schema is an object (with
    /// `allOf` parts merged), compiled.
    fn members(&self) -> &Members {
        self.members.get_or_init(|| {
            let mut members = Members::default();
            self.gather(self.root(), &mut members, 0);
            members
        })
    }

    fn gather(&self, schema: &Value, members: &mut Members, depth: usize) {
        let schema = self.schemas.resolve(schema);
        if depth > 8 {
            return;
        }
        for part in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.gather(part, members, depth + 1);
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for (name, property) in properties.into_iter().flatten() {
            if self.is_union(property)
                && let Ok(registry) = self.schemas.registry()
                && let Ok(validator) = compile(property, registry)
            {
                members.unions.insert(name.clone(), validator);
            }
        }
    }

    /// Whether `schema` names no one type besides `null` (a union, or no
    /// `type` at all).
    fn is_union(&self, schema: &Value) -> bool {
        let schema = self.schemas.resolve(schema);
        match schema.get("type") {
            Some(Value::String(name)) => name == "null",
            Some(Value::Array(names)) => {
                names
                    .iter()
                    .filter(|name| name.as_str() != Some("null"))
                    .count()
                    != 1
            }
            _ => true,
        }
    }

    fn validator(&self) -> Result<&jsonschema::Validator, &str> {
        self.validator
            .get_or_init(|| {
                let registry = self.schemas.registry().map_err(str::to_owned)?;
                let schema: Value =
                    serde_json::from_str(self.schema).map_err(|error| error.to_string())?;
                compile(&schema, registry)
            })
            .as_ref()
            .map_err(String::as_str)
    }
}

/// Where `error` is and what it says; for a union no alternative of
/// which fits (`anyOf`, `oneOf`), the error of the alternative that got
/// furthest into the value, which names what is wrong (a `null`
/// alternative's type error, at the union itself, says nothing).
fn described(error: &jsonschema::ValidationError<'_>) -> (String, String) {
    use jsonschema::error::ValidationErrorKind;
    let own = (error.instance_path().as_str().to_owned(), error.to_string());
    let (ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context }) =
        error.kind()
    else {
        return own;
    };
    let depth = |error: &jsonschema::ValidationError<'_>| error.instance_path().as_str().len();
    let furthest = context.iter().filter_map(|errors| errors.first()).fold(
        None,
        |best: Option<&jsonschema::ValidationError<'static>>, next| match best {
            Some(best) if depth(best) >= depth(next) => Some(best),
            _ => Some(next),
        },
    );
    match furthest {
        Some(inner) if depth(inner) > own.0.len() => described(inner),
        _ => own,
    }
}

/// `schema` compiled as the generated servers check bodies: JSON Schema
/// 2020-12, formats asserted, `$ref`s resolved in `registry`.
pub fn compile(
    schema: &Value,
    registry: &jsonschema::Registry<'static>,
) -> Result<jsonschema::Validator, String> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_registry(registry)
        .build(schema)
        .map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static SCHEMAS: Schemas = Schemas::new(
        r#"{"$id": "urn:test-api", "components": {"schemas": {
            "User": {"type": "object", "required": ["email"],
                     "properties": {"email": {"type": "string", "format": "email"},
                                    "tags": {"type": "array", "uniqueItems": true}}}}}}"#,
    );
    static USER: BodySchema = BodySchema::new(
        &SCHEMAS,
        r#"{"$ref": "urn:test-api#/components/schemas/User"}"#,
    );

    #[test]
    fn a_body_that_fits_passes() {
        assert!(USER.check(&json!({"email": "a@example.com"})).is_ok());
    }

    #[test]
    fn a_format_or_a_repeated_unique_item_is_refused_where_it_breaks() {
        let problem = USER
            .check(&json!({"email": "0"}))
            .expect_err("not an email");
        assert_eq!(problem.kind(), ProblemKind::InvalidBody);
        assert!(problem.message().contains("`/email`"), "{}", problem);
        let problem = USER
            .check(&json!({"email": "a@example.com", "tags": [1, 1]}))
            .expect_err("repeated");
        assert!(problem.message().contains("`/tags`"), "{}", problem);
    }

    #[test]
    fn a_union_s_refusal_names_what_is_wrong_inside_it() {
        static SCHEDULE: BodySchema = BodySchema::new(
            &SCHEMAS,
            r#"{"type": "object", "properties": {"schedule": {"anyOf": [
                {"type": "array", "items": {"type": "object",
                    "properties": {"nanos": {"type": "integer", "maximum": 4294967295}}}},
                {"type": "null"}]}}}"#,
        );
        let problem = SCHEDULE
            .check(&json!({"schedule": [{"nanos": 1}, {"nanos": 9007199254740993_u64}]}))
            .expect_err("past the maximum");
        assert!(
            problem.message().contains("`/schedule/1/nanos`")
                && problem.message().contains("greater than the maximum"),
            "{problem}"
        );
        // No alternative got into the value: the union's own error.
        let problem = SCHEDULE
            .check(&json!({"schedule": "soon"}))
            .expect_err("neither");
        assert!(problem.message().contains("`/schedule`"), "{problem}");
    }

    #[test]
    fn a_schema_that_cannot_compile_is_the_server_s_error() {
        static BROKEN: BodySchema = BodySchema::new(
            &SCHEMAS,
            r#"{"$ref": "urn:test-api#/components/schemas/Gone"}"#,
        );
        let problem = BROKEN.check(&json!({})).expect_err("cannot compile");
        assert_eq!(problem.kind(), ProblemKind::Internal);
    }

    /// A query of a union with a minimum, and a list whose items are an
    /// enum (as the generator writes one from the parameters).
    static QUERY: BodySchema = BodySchema::new(
        &SCHEMAS,
        r#"{"type": "object", "required": ["limit"], "properties": {
            "limit": {"anyOf": [{"type": "integer", "minimum": 1}, {"enum": ["all"]}]},
            "results": {"type": "array", "items": {"enum": ["a", "b"]}},
            "id": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}}}"#,
    );

    fn pairs(query: &str) -> Vec<(String, String)> {
        crate::query_pairs(Some(query))
    }

    #[test]
    fn a_query_that_fits_passes() {
        assert!(
            QUERY
                .check_query(&pairs("limit=5&results=a&results=b"))
                .is_ok()
        );
        assert!(QUERY.check_query(&pairs("limit=all&other=x")).is_ok());
    }

    #[test]
    fn a_union_member_s_text_is_read_as_its_schema_takes_it() {
        // `5` is a number for `limit`, but a string for `id`.
        assert!(QUERY.check_query(&pairs("limit=5&id=5")).is_ok());
        assert!(QUERY.check_query(&pairs("limit=5&id=5&id=6")).is_ok());
        // Given three times and more: one array of them all.
        assert!(
            QUERY
                .check_query(&pairs("limit=5&id=&id=a&id=b&id="))
                .is_ok()
        );
    }

    #[test]
    fn a_query_past_a_union_s_minimum_or_an_item_s_enum_is_refused() {
        for query in [
            "limit=0",
            "limit=5&results=",
            "limit=5&results=c",
            "results=a",
        ] {
            let problem = QUERY.check_query(&pairs(query)).expect_err(query);
            assert_eq!(problem.kind(), ProblemKind::InvalidQuery, "{query}");
        }
    }

    #[test]
    fn a_query_with_a_member_in_brackets_is_left_to_its_readers() {
        assert!(QUERY.check_query(&pairs("limit=0&results[0]=c")).is_ok());
    }
}
