//! Locating structural errors precisely.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::serde_path_pointer;
use crate::source::child;

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
