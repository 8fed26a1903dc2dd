//! The structure of a 3.1 or 3.2 document checked against its version's
//! own schema (the OpenAPI Initiative's `schema.yaml`, which leaves Schema
//! Objects to JSON Schema), as written: every rule else reads the 3.0 form.
//! Each place the document breaks it is an `openapi-schema` finding; what
//! the 3.0 form cannot be read as stays `openapi-structure`'s, which alone
//! stops generation.

use std::sync::LazyLock;

use serde_json::Value;

use super::{Report, Rule};
use openapi_source::version::{ORIGINAL_VERSION, Version};

/// Findings past this many are summed up in one: a document that is not
/// OpenAPI at all would otherwise give one per node.
const MOST: usize = 50;

static OAS_31: LazyLock<Result<jsonschema::Validator, String>> =
    LazyLock::new(|| compile(include_str!("../schemas/oas-3.1.yaml")));
static OAS_32: LazyLock<Result<jsonschema::Validator, String>> =
    LazyLock::new(|| compile(include_str!("../schemas/oas-3.2.yaml")));

fn compile(text: &str) -> Result<jsonschema::Validator, String> {
    let schema = openapi_source::SourceDoc::parse(text).map_err(|e| e.message)?;
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(schema.value())
        .map_err(|error| error.to_string())
}

pub(super) fn check(report: &mut Report<'_>) {
    let Some(version) = report
        .root()
        .get(ORIGINAL_VERSION)
        .and_then(Value::as_str)
        .and_then(Version::of)
    else {
        return;
    };
    let validator = match version {
        Version::V31 => &*OAS_31,
        Version::V32 => &*OAS_32,
        Version::V30 => return,
    };
    let validator = match validator {
        Ok(validator) => validator,
        Err(error) => {
            report.at(
                "",
                Rule::OpenapiSchema,
                format!("the OpenAPI schema of this version cannot be compiled: {error}"),
            );
            return;
        }
    };
    let written = report.source.value();
    let errors: Vec<(String, String)> = validator
        .iter_errors(written)
        .map(|error| {
            let at = error.instance_path().as_str().to_owned();
            // A member the schema does not allow: at that member.
            let pointer = match error.kind() {
                jsonschema::error::ValidationErrorKind::UnevaluatedProperties { unexpected }
                | jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
                    match unexpected.as_slice() {
                        [one] => openapi_source::child(&at, one),
                        _ => at,
                    }
                }
                _ => at,
            };
            (pointer, error.to_string())
        })
        .collect();
    for (pointer, message) in errors.iter().take(MOST) {
        report.at(
            pointer,
            Rule::OpenapiSchema,
            format!("not what OpenAPI's schema for this version allows: {message}"),
        );
    }
    if errors.len() > MOST {
        report.at(
            "",
            Rule::OpenapiSchema,
            format!(
                "{} more places break OpenAPI's schema for this version",
                errors.len() - MOST
            ),
        );
    }
}
