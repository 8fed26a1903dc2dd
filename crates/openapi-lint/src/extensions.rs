//! The project's own spec extensions, which drive the server generator:
//! `x-request-errors` (root) and `x-envelope` (on a component schema).
//! See ARCHITECTURE.md for their meaning.

use serde_json::Value;

use super::examples::{SchemaSet, Target, validate_as};
use super::{Report, Rule};
use openapi_source::{child, escape_token};

/// The kinds of request problem a generated router tells apart (the names
/// of `bindings_server::ProblemKind`), and `default`.
pub const PROBLEM_KINDS: &[&str] = &[
    "default",
    "missing-credentials",
    "invalid-credentials",
    "missing-header",
    "invalid-header",
    "invalid-path",
    "invalid-query",
    "invalid-body",
    "unsupported-media-type",
    "body-too-large",
    "internal",
    "not-found",
    "method-not-allowed",
    "uri-too-long",
    "headers-too-large",
];

/// Problem kinds whose status HTTP fixes (404, 405, 414, 431): they belong
/// to no operation, so no operation has to document them.
const FIXED_STATUS_KINDS: &[&str] = &[
    "not-found",
    "method-not-allowed",
    "uri-too-long",
    "headers-too-large",
];

/// How a server fills an envelope's bookkeeping member.
pub const FILL_KINDS: &[&str] = &["success", "timestamp", "duration-ms", "status", "trace-id"];

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

pub(super) fn check(report: &mut Report<'_>, components: &SchemaSet) {
    let root = report.root();
    let envelopes = check_envelopes(report, root);
    if let Some(extension) = root.get("x-request-errors") {
        check_request_errors(report, root, extension, &envelopes, components);
    }
}

/// Checks every `x-envelope`; returns (schema name, error member) of each
/// well-formed one.
fn check_envelopes(report: &mut Report<'_>, root: &Value) -> Vec<(String, String)> {
    let mut envelopes = Vec::new();
    let Some(Value::Object(schemas)) = root.pointer("/components/schemas") else {
        return envelopes;
    };
    for (name, schema) in schemas {
        let Some(extension) = schema.get("x-envelope") else {
            continue;
        };
        let at = child(&child("/components/schemas", name), "x-envelope");
        let has_property = |member: &str| {
            schema
                .get("properties")
                .and_then(|p| p.get(member))
                .is_some()
        };
        let mut well_formed = true;
        let mut member = |report: &mut Report<'_>, key: &str| -> Option<String> {
            match extension.get(key).and_then(Value::as_str) {
                Some(member) if has_property(member) => Some(member.to_owned()),
                Some(member) => {
                    report.at(
                        &child(&at, key),
                        Rule::Envelope,
                        format!("`{member}` is not a property of `{name}`"),
                    );
                    well_formed = false;
                    None
                }
                None => {
                    report.at(
                        &at,
                        Rule::Envelope,
                        format!("x-envelope needs `{key}`: the member that carries the {key}"),
                    );
                    well_formed = false;
                    None
                }
            }
        };
        let _payload = member(report, "payload");
        let error = member(report, "error");
        match extension.get("fill") {
            Some(Value::Object(fill)) => {
                for (property, kind) in fill {
                    let kind_at = child(&child(&at, "fill"), property);
                    if !has_property(property) {
                        report.at(
                            &kind_at,
                            Rule::Envelope,
                            format!("fill member `{property}` is not a property of `{name}`"),
                        );
                    }
                    if !kind.as_str().is_some_and(|kind| FILL_KINDS.contains(&kind)) {
                        report.at(
                            &kind_at,
                            Rule::Envelope,
                            format!("fill kind {kind} is not one of {FILL_KINDS:?}"),
                        );
                    }
                }
            }
            Some(_) => report.at(
                &child(&at, "fill"),
                Rule::Envelope,
                "`fill` must map members to fill kinds",
            ),
            None => {}
        }
        if let (true, Some(error)) = (well_formed, error) {
            envelopes.push((name.clone(), error));
        }
    }
    envelopes
}

fn check_request_errors(
    report: &mut Report<'_>,
    root: &Value,
    extension: &Value,
    envelopes: &[(String, String)],
    components: &SchemaSet,
) {
    let at = "/x-request-errors";
    let Some(body) = extension.get("body") else {
        report.at(
            at,
            Rule::RequestErrors,
            "x-request-errors needs a `body` template",
        );
        return;
    };
    let Some(Value::Object(problems)) = extension.get("problems") else {
        report.at(
            at,
            Rule::RequestErrors,
            "x-request-errors needs `problems`, a map from problem kind to status and code",
        );
        return;
    };
    if !problems.contains_key("default") {
        report.at(
            &child(at, "problems"),
            Rule::RequestErrors,
            "x-request-errors needs a `default` problem",
        );
    }
    for (kind, answer) in problems {
        let problem_at = child(&child(at, "problems"), kind);
        if !PROBLEM_KINDS.contains(&kind.as_str()) {
            report.at(
                &problem_at,
                Rule::RequestErrors,
                format!("`{kind}` is not a problem kind; known: {PROBLEM_KINDS:?}"),
            );
        }
        let statuses = openapi_source::spec::problem_statuses(answer);
        let code = answer.get("code").and_then(Value::as_str);
        let (Some(statuses), Some(code)) = (statuses, code) else {
            report.at(
                &problem_at,
                Rule::RequestErrors,
                "each problem needs a `status` (an HTTP status, or a list of them in order of preference) and a string `code`",
            );
            continue;
        };
        if FIXED_STATUS_KINDS.contains(&kind.as_str()) {
            continue;
        }
        let instance = fill_template(body, code);
        let credentials_kind =
            matches!(kind.as_str(), "missing-credentials" | "invalid-credentials");
        for (operation_at, operation) in operations(root) {
            let id = operation
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or("an operation");
            // Only `internal` can befall an operation with nothing to check,
            // and credential problems only one that asks for credentials.
            if credentials_kind && !needs_credentials(root, operation) {
                continue;
            }
            if kind != "internal" && !has_request_constraints(root, operation) {
                continue;
            }
            let documented = statuses.iter().find_map(|status| {
                Some((*status, operation.pointer(&format!("/responses/{status}"))?))
            });
            let Some((status, response)) = documented else {
                let listed: Vec<String> = statuses.iter().map(u16::to_string).collect();
                report.at(
                    &child(&problem_at, "status"),
                    Rule::RequestErrors,
                    format!("`{id}` documents none of {}, so a router could not answer `{kind}` problems with it", listed.join(", ")),
                );
                continue;
            };
            let response = resolve(root, response);
            let Some(schema) = response.pointer("/content/application~1json/schema") else {
                report.at(
                    &format!("{operation_at}/responses/{status}"),
                    Rule::RequestErrors,
                    "the request-error status has no JSON body schema",
                );
                continue;
            };
            // In an envelope API the template is the envelope's error member.
            let schema = match envelope_error_schema(root, schema, envelopes) {
                Some(member_schema) => member_schema,
                None => schema,
            };
            validate_as(
                report,
                Rule::RequestErrors,
                components,
                Target { schema, at: None },
                &instance,
                &child(at, "body"),
            );
        }
    }
}

/// Whether a request to `operation` can break the spec: it has parameters,
/// a body, or a security requirement that asks for credentials.
fn has_request_constraints(root: &Value, operation: &Value) -> bool {
    let has_parameters = operation
        .get("parameters")
        .and_then(Value::as_array)
        .is_some_and(|p| !p.is_empty());
    has_parameters || operation.get("requestBody").is_some() || needs_credentials(root, operation)
}

/// Whether every security alternative of `operation` asks for credentials.
fn needs_credentials(root: &Value, operation: &Value) -> bool {
    let security = operation
        .get("security")
        .or_else(|| root.get("security"))
        .and_then(Value::as_array);
    security.is_some_and(|alternatives| {
        !alternatives.is_empty()
            && alternatives
                .iter()
                .all(|alternative| alternative.as_object().is_some_and(|a| !a.is_empty()))
    })
}

/// The template with `{code}` and `{message}` filled in as a router would.
fn fill_template(template: &Value, code: &str) -> Value {
    match template {
        Value::String(text) => Value::String(
            text.replace("{code}", code)
                .replace("{message}", "what was wrong"),
        ),
        Value::Array(items) => {
            Value::Array(items.iter().map(|item| fill_template(item, code)).collect())
        }
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(key, value)| (key.clone(), fill_template(value, code)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn operations(root: &Value) -> Vec<(String, &Value)> {
    let mut found = Vec::new();
    for (path, item) in root
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for method in METHODS {
            if let Some(operation) = item.get(*method) {
                found.push((format!("/paths/{}/{method}", escape_token(path)), operation));
            }
        }
    }
    found
}

fn resolve<'v>(root: &'v Value, node: &'v Value) -> &'v Value {
    node.get("$ref")
        .and_then(Value::as_str)
        .and_then(|reference| root.pointer(reference.strip_prefix('#')?))
        .unwrap_or(node)
}

fn envelope_error_schema<'v>(
    root: &'v Value,
    schema: &Value,
    envelopes: &[(String, String)],
) -> Option<&'v Value> {
    let name = schema
        .get("$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")?;
    let (_, error) = envelopes.iter().find(|(envelope, _)| envelope == name)?;
    root.pointer(&format!(
        "/components/schemas/{}/properties/{}",
        escape_token(name),
        escape_token(error)
    ))
}
