//! Locating structural errors precisely.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{Report, Rule, serde_path_pointer};
use openapi_source::child;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Deserializes every typed node of the document on its own and returns the
/// deepest failure as (JSON Pointer, message).
pub(super) fn deepest_error(root: &Value) -> Option<(String, String)> {
    let mut errors = Vec::new();
    let mut try_as = |pointer: String, kind: Kind| {
        let Some(node) = root.pointer(&pointer) else {
            return;
        };
        if node.get("$ref").is_some() {
            return;
        }
        if let Some(error) = kind.error(node) {
            errors.push((format!("{pointer}{}", error.0), error.1));
        }
    };
    for (path, item) in members(root.get("paths")) {
        let item_pointer = child("/paths", path);
        try_as(item_pointer.clone(), Kind::PathItem);
        for method in METHODS {
            let Some(operation) = item.get(*method) else {
                continue;
            };
            let operation_pointer = child(&item_pointer, method);
            try_as(operation_pointer.clone(), Kind::Operation);
            for (index, _) in operation
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                try_as(
                    format!("{operation_pointer}/parameters/{index}"),
                    Kind::Parameter,
                );
            }
            try_as(child(&operation_pointer, "requestBody"), Kind::RequestBody);
            for (status, _) in members(operation.get("responses")) {
                try_as(
                    child(&child(&operation_pointer, "responses"), status),
                    Kind::Response,
                );
            }
        }
    }
    let components = root.get("components");
    for (section, kind) in [
        ("schemas", Kind::Schema),
        ("responses", Kind::Response),
        ("parameters", Kind::Parameter),
        ("requestBodies", Kind::RequestBody),
        ("headers", Kind::Header),
        ("examples", Kind::Example),
        ("securitySchemes", Kind::SecurityScheme),
    ] {
        for (name, _) in members(components.and_then(|c| c.get(section))) {
            try_as(child(&format!("/components/{section}"), name), kind);
        }
    }
    errors
        .into_iter()
        .max_by_key(|(pointer, _)| pointer.matches('/').count())
}

fn members(value: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    value.and_then(Value::as_object).into_iter().flatten()
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Response,
    Schema,
    Header,
    Example,
    SecurityScheme,
}

impl Kind {
    fn error(self, node: &Value) -> Option<(String, String)> {
        match self {
            Kind::PathItem => error_as::<openapiv3::PathItem>(node),
            Kind::Operation => error_as::<openapiv3::Operation>(node),
            Kind::Parameter => error_as::<openapiv3::Parameter>(node),
            Kind::RequestBody => error_as::<openapiv3::RequestBody>(node),
            Kind::Response => error_as::<openapiv3::Response>(node),
            Kind::Schema => error_as::<openapiv3::Schema>(node),
            Kind::Header => error_as::<openapiv3::Header>(node),
            Kind::Example => error_as::<openapiv3::Example>(node),
            Kind::SecurityScheme => error_as::<openapiv3::SecurityScheme>(node),
        }
    }
}

fn error_as<T: DeserializeOwned>(node: &Value) -> Option<(String, String)> {
    serde_path_to_error::deserialize::<_, T>(node.clone())
        .err()
        .map(|error| (serde_path_pointer(error.path()), error.inner().to_string()))
}

/// The fixed fields of a Parameter Object (besides `x-` extensions).
const PARAMETER_FIELDS: &[&str] = &[
    "name",
    "in",
    "description",
    "required",
    "deprecated",
    "allowEmptyValue",
    "style",
    "explode",
    "allowReserved",
    "schema",
    "example",
    "examples",
    "content",
];

/// The fixed fields of a Response Object.
const RESPONSE_FIELDS: &[&str] = &["description", "headers", "content", "links"];

/// What OpenAPI 3.0 requires that `openapiv3`'s model lets through: a
/// Responses Object with at least one response, Parameter Objects without
/// unknown fields (a Swagger 2 `type` beside `schema` is silently ignored
/// by every tool that reads 3.0), and security requirements that name
/// declared schemes.
pub(super) fn check_required_parts(report: &mut Report<'_>) {
    let root = report.root();
    let mut parameters: Vec<(String, &Value)> = Vec::new();
    let mut responses: Vec<(String, &Value)> = Vec::new();
    for (path, item) in members(root.get("paths")) {
        let item_at = child("/paths", path);
        for (index, parameter) in item
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            parameters.push((format!("{item_at}/parameters/{index}"), parameter));
        }
        for method in METHODS {
            let Some(operation) = item.get(*method) else {
                continue;
            };
            let operation_at = child(&item_at, method);
            // Left out altogether: reported as missing (3.0) or allowed (3.1).
            let left_out = report.left_out(&operation_at);
            if !left_out
                && operation
                    .get("responses")
                    .and_then(Value::as_object)
                    .is_some_and(|responses| responses.keys().all(|key| key.starts_with("x-")))
            {
                report.at(
                    &child(&operation_at, "responses"),
                    Rule::ResponsesEmpty,
                    "`responses` must document at least one response",
                );
            }
            for (status, response) in members(operation.get("responses")) {
                if !status.starts_with("x-") {
                    responses.push((child(&child(&operation_at, "responses"), status), response));
                }
            }
            for (index, parameter) in operation
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                parameters.push((format!("{operation_at}/parameters/{index}"), parameter));
            }
            check_security_names(
                report,
                root,
                operation.get("security"),
                &child(&operation_at, "security"),
            );
        }
    }
    for (name, parameter) in members(root.pointer("/components/parameters")) {
        parameters.push((child("/components/parameters", name), parameter));
    }
    for (name, response) in members(root.pointer("/components/responses")) {
        responses.push((child("/components/responses", name), response));
    }
    for (at, parameter) in parameters {
        check_fields(
            report,
            &at,
            parameter,
            PARAMETER_FIELDS,
            "a Parameter Object",
        );
    }
    for (at, response) in responses {
        check_fields(report, &at, response, RESPONSE_FIELDS, "a Response Object");
    }
    check_security_names(report, root, root.get("security"), "/security");
}

/// Reports members of `object` (unless a `$ref`) that are neither `fields`
/// nor extensions: a Swagger 2 `type` beside `schema` is silently ignored by
/// every tool that reads 3.0.
fn check_fields(report: &mut Report<'_>, at: &str, object: &Value, fields: &[&str], what: &str) {
    let Some(members) = object.as_object() else {
        return;
    };
    if members.contains_key("$ref") {
        return;
    }
    for key in members.keys() {
        if !key.starts_with("x-") && !fields.contains(&key.as_str()) {
            report.at(
                &child(at, key),
                Rule::UnknownField,
                format!("`{key}` is not a field of {what} (a Swagger 2 leftover? types belong in a schema)"),
            );
        }
    }
}

fn check_security_names(report: &mut Report<'_>, root: &Value, security: Option<&Value>, at: &str) {
    let schemes = root.pointer("/components/securitySchemes");
    for (index, requirement) in security
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        for (name, _) in members(Some(requirement)) {
            if schemes.and_then(|schemes| schemes.get(name)).is_none() {
                report.at(
                    &child(&format!("{at}/{index}"), name),
                    Rule::SecuritySchemeUndefined,
                    format!("the security requirement names `{name}`, which `components.securitySchemes` does not declare"),
                );
            }
        }
    }
}
