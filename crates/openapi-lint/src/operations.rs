//! Operation-level rules, on the typed `openapiv3` model.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, Parameter, ReferenceOr};

use super::{Report, Rule};
use openapi_source::child;

/// `document` is the typed document without its paths (a spec's paths
/// are most of it, and a typed path item is large): each path item is
/// read into the typed model on its own, checked and dropped, so memory
/// stays in proportion to the document as read.
pub(super) fn check(report: &mut Report<'_>, document: &OpenAPI) {
    let mut operation_ids: BTreeMap<String, String> = BTreeMap::new();
    let root = report.root();
    let paths = root.get("paths").and_then(serde_json::Value::as_object);
    for (path, raw) in paths.into_iter().flatten() {
        let Ok(ReferenceOr::Item(item)) =
            <ReferenceOr<openapiv3::PathItem> as serde::Deserialize>::deserialize(raw)
        else {
            continue;
        };
        let item = &item;
        let item_pointer = child("/paths", path);
        for (method, operation) in item.iter() {
            let pointer = child(&item_pointer, method);
            let at = |member: &str| child(&pointer, member);

            match operation.operation_id.as_deref() {
                None => report.at(
                    &pointer,
                    Rule::OperationId,
                    format!("{} {path} has no operationId", method.to_uppercase()),
                ),
                Some(id) => {
                    if !is_snake_case(id) {
                        report.at(
                            &at("operationId"),
                            Rule::OperationId,
                            format!("operationId `{id}` is not snake_case"),
                        );
                    }
                    if let Some(first) = operation_ids.get(id) {
                        report.at(
                            &at("operationId"),
                            Rule::OperationIdDuplicate,
                            format!("operationId `{id}` is already used by {first}"),
                        );
                    } else {
                        operation_ids
                            .insert(id.to_owned(), format!("{} {path}", method.to_uppercase()));
                    }
                }
            }
            if operation
                .summary
                .as_deref()
                .is_none_or(|s| s.trim().is_empty())
            {
                report.at(&pointer, Rule::OperationSummary, "operation has no summary");
            }
            if operation.tags.is_empty() {
                report.at(&pointer, Rule::OperationTags, "operation has no tag");
            }
            let has_success = openapi_source::spec::documents_success(&operation.responses);
            if !has_success {
                report.at(
                    &at("responses"),
                    Rule::OperationSuccessResponse,
                    "operation documents no 2xx response",
                );
            }
            bodyless_statuses_with_content(report, document, &at("responses"), operation);
            if !operation.responses.responses.is_empty()
                && !answers_a_valid_request(&operation.responses)
            {
                report.at(
                    &at("responses"),
                    Rule::SuccessUndocumented,
                    "operation documents only answers to requests that fail (no 1xx, 2xx, 3xx or default): a server has no documented answer for a valid request",
                );
            }
            if operation.security.is_none() && document.security.is_none() {
                report.at(
                    &pointer,
                    Rule::SecurityMissing,
                    "no security requirement covers this operation; add one, or opt out with `security: []`",
                );
            }
            check_path_parameters(
                report,
                document,
                path,
                &item_pointer,
                &item.parameters,
                &pointer,
                &operation.parameters,
            );
        }
    }
}

/// Whether `responses` documents an answer a valid request gets: a 1xx,
/// 2xx or 3xx status (or range), or `default`.
fn answers_a_valid_request(responses: &openapiv3::Responses) -> bool {
    responses.default.is_some()
        || responses.responses.keys().any(|status| match status {
            openapiv3::StatusCode::Code(code) => (100..400).contains(code),
            openapiv3::StatusCode::Range(range) => (1..4).contains(range),
        })
}

/// Responses whose status HTTP sends without content (1xx, 204, 205,
/// 304; RFC 9110 §15) that document content: no client receives it.
fn bodyless_statuses_with_content(
    report: &mut Report<'_>,
    document: &OpenAPI,
    responses_pointer: &str,
    operation: &openapiv3::Operation,
) {
    for (status, response) in &operation.responses.responses {
        let openapiv3::StatusCode::Code(code) = status else {
            continue;
        };
        let bodyless = (100..200).contains(code) || matches!(code, 204 | 205 | 304);
        let documented = openapi_source::spec::resolve(document, response)
            .is_some_and(|response| !response.content.is_empty());
        if bodyless && documented {
            let pointer = child(responses_pointer, &code.to_string());
            let at = match response {
                ReferenceOr::Item(_) => child(&pointer, "content"),
                ReferenceOr::Reference { .. } => pointer,
            };
            report.at(
                &at,
                Rule::BodylessStatusContent,
                format!("a {code} response documents content, which HTTP never sends with it (RFC 9110 §15): clients receive none"),
            );
        }
    }
}

/// Path template variables against declared path parameters. Operation-level
/// parameters override path-item-level ones of the same name and location.
/// A parameter `$ref` may point outside `components` (at another
/// operation's parameter): that target, read as a parameter, counts.
fn check_path_parameters(
    report: &mut Report<'_>,
    document: &OpenAPI,
    path: &str,
    item_pointer: &str,
    item_parameters: &[ReferenceOr<Parameter>],
    operation_pointer: &str,
    operation_parameters: &[ReferenceOr<Parameter>],
) {
    let mut declared: BTreeMap<String, (String, bool)> = BTreeMap::new();
    let sources = [
        (child(item_pointer, "parameters"), item_parameters),
        (child(operation_pointer, "parameters"), operation_parameters),
    ];
    for (list_pointer, parameters) in &sources {
        for (index, parameter) in parameters.iter().enumerate() {
            let resolved = openapi_source::spec::resolve(document, parameter)
                .cloned()
                .or_else(|| outside_components(report.root(), parameter));
            let Some(Parameter::Path { parameter_data, .. }) = resolved else {
                continue;
            };
            declared.insert(
                parameter_data.name.clone(),
                (format!("{list_pointer}/{index}"), parameter_data.required),
            );
        }
    }
    let template: BTreeSet<&str> = template_variables(path).collect();
    for variable in &template {
        match declared.get(*variable) {
            None => report.at(
                operation_pointer,
                Rule::PathParameterUndeclared,
                format!("path variable `{{{variable}}}` is not declared as a path parameter"),
            ),
            Some((pointer, false)) => report.at(
                pointer,
                Rule::PathParameterUndeclared,
                format!("path parameter `{variable}` must be `required: true`"),
            ),
            Some(_) => {}
        }
    }
    for (name, (pointer, _)) in &declared {
        if !template.contains(name.as_str()) {
            report.at(
                pointer,
                Rule::PathParameterUnused,
                format!("path parameter `{name}` does not appear in the path `{path}`"),
            );
        }
    }
}

/// The `{name}` variables of a path template.
pub(crate) fn template_variables(path: &str) -> impl Iterator<Item = &str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
}

/// `lower_snake_case`: lowercase ASCII words of letters and digits joined by
/// single underscores, starting with a letter.
pub(crate) fn is_snake_case(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id.split('_').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The parameter a `$ref` outside `components` points at (another
/// operation's, say), read from the document; `None` for anything else.
fn outside_components(
    root: &serde_json::Value,
    parameter: &ReferenceOr<Parameter>,
) -> Option<Parameter> {
    let ReferenceOr::Reference { reference } = parameter else {
        return None;
    };
    let target = root.pointer(reference.strip_prefix('#')?)?;
    serde_json::from_value(target.clone()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case() {
        assert!(is_snake_case("count_db_client_session"));
        assert!(is_snake_case("v2_list"));
        assert!(!is_snake_case("getTenantSessionsStats"));
        assert!(!is_snake_case("double__underscore"));
        assert!(!is_snake_case("_leading"));
        assert!(!is_snake_case("trailing_"));
        assert!(!is_snake_case("2fast"));
    }

    #[test]
    fn template() {
        let vars: Vec<_> = template_variables("/v1/{project_id}/audit/{instance_id}/x").collect();
        assert_eq!(vars, ["project_id", "instance_id"]);
    }
}
