//! Errors (schemathesis could not test an operation) the spec makes
//! unavoidable: a parameter whose schema no value fits, which no tool can
//! make a value of, or contradicts itself, so that most values made are
//! filtered out (a failed health check); a `Content-Length` parameter, whose value a test
//! sets unlike the body's length, so the server waits for bytes that
//! never come; a link to no operation, for which schemathesis refuses
//! the document's links.

use super::Causes;
use super::locate::{parameter_pointers, resolved};
use crate::corpus::schemathesis::ErrorCase;

/// The lint rule of an error the spec makes unavoidable.
pub(super) fn rule(
    spec: &serde_json::Value,
    causes: &Causes,
    error: &ErrorCase,
) -> Option<&'static str> {
    if error.title == "Invalid OpenAPI Links Definition" {
        return (!openapi_lint::unknown_link_targets(spec).is_empty())
            .then_some("link-target-unknown");
    }
    if error.operation == "Stateful tests" {
        // The operation is not said: any that has the parameter.
        let operations = super::locate::operations(spec);
        let any = operations.iter().any(|(method, path)| {
            ungeneratable_parameter(spec, causes, method, path, &error.message)
        });
        return (error.title == "Schema Error" && any).then_some("constraint-contradiction");
    }
    let (method, path) = error.operation.split_once(' ')?;
    let method = method.to_ascii_lowercase();
    match error.title.as_str() {
        "Schema Error" => ungeneratable_parameter(spec, causes, &method, path, &error.message)
            .then_some("constraint-contradiction"),
        // Too many values made were not of the schema: one of the
        // operation's parameters has a schema that contradicts itself.
        "Failed Health Check" => (error.message.contains("filtered out")
            && contradicting_parameters(spec, causes, &method, path))
        .then_some("constraint-contradiction"),
        "Network Error" => (error.message.contains("Read timed out")
            && causes
                .framing
                .iter()
                .any(|f| f.path == path && f.method == method))
        .then_some("framing-header-parameter"),
        _ => None,
    }
}

/// Whether `message` says schemathesis could make no value of a parameter
/// of the operation (`Cannot generate test data for path parameter
/// 'value'`) whose schema contradicts itself.
fn ungeneratable_parameter(
    spec: &serde_json::Value,
    causes: &Causes,
    method: &str,
    path: &str,
    message: &str,
) -> bool {
    let Some((location, name)) = message
        .split_once("Cannot generate test data for ")
        .and_then(|(_, rest)| rest.split_once(" parameter '"))
        .and_then(|(location, rest)| Some((location, rest.split_once('\'')?.0)))
    else {
        return false;
    };
    let named = |pointer: &String| {
        let field = |key: &str| {
            spec.pointer(&format!("{pointer}/{key}"))
                .and_then(serde_json::Value::as_str)
        };
        field("name") == Some(name) && field("in") == Some(location)
    };
    parameters_contradict(spec, causes, method, path, named)
}

/// Whether a parameter of the operation has a schema that contradicts
/// itself.
fn contradicting_parameters(
    spec: &serde_json::Value,
    causes: &Causes,
    method: &str,
    path: &str,
) -> bool {
    parameters_contradict(spec, causes, method, path, |_| true)
}

/// Whether a parameter of the operation that `which` picks (by its
/// pointer) has a schema that contradicts itself.
fn parameters_contradict(
    spec: &serde_json::Value,
    causes: &Causes,
    method: &str,
    path: &str,
    which: impl Fn(&String) -> bool,
) -> bool {
    parameter_pointers(spec, method, path)
        .into_iter()
        .filter(which)
        .filter_map(|pointer| resolved(spec, format!("{pointer}/schema")))
        .any(|schema| !causes.contradictions.of(spec, &schema).is_empty())
}

#[cfg(test)]
mod tests {
    use super::super::count_errors;
    use crate::corpus::schemathesis::ErrorCase;
    use serde_json::json;

    fn error(operation: &str, title: &str, message: &str) -> ErrorCase {
        ErrorCase {
            operation: operation.into(),
            title: title.into(),
            message: message.into(),
        }
    }

    #[test]
    fn a_parameter_no_value_fits_is_the_spec_s() {
        // oasdiff's Home IoT: a string switch whose enum lists booleans.
        let spec = json!({"paths": {"/switches/{id}/{value}": {"post": {
            "parameters": [
                {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "value", "in": "path", "required": true,
                 "schema": {"type": "string", "enum": [true, false]}}],
            "responses": {"200": {"description": "ok"}}}}}});
        let said = "Cannot generate test data for path parameter 'value' Schema:";
        let contradicted = error("POST /switches/{id}/{value}", "Schema Error", said);
        let stateful = error("Stateful tests", "Schema Error", said);
        assert_eq!(
            count_errors(&spec, &[contradicted, stateful]),
            [("constraint-contradiction", 2)]
        );
        let other = "Cannot generate test data for path parameter 'id' Schema:";
        let fine = error("POST /switches/{id}/{value}", "Schema Error", other);
        assert_eq!(count_errors(&spec, &[fine]), []);
    }

    #[test]
    fn generation_filtered_out_is_the_spec_s_where_a_parameter_contradicts_itself() {
        // oasdiff's Home IoT: a string zone whose enum lists an object.
        let spec = json!({"paths": {"/zones/{zoneId}/quiet": {"get": {
            "parameters": [{"name": "zoneId", "in": "path", "required": true,
                "schema": {"type": "string", "enum": ["basement", {"x": "reuven"}]}}],
            "responses": {"200": {"description": "ok"}}}}}});
        let said = "Too many generated examples are filtered out for this operation";
        let filtered = error("GET /zones/{zoneId}/quiet", "Failed Health Check", said);
        assert_eq!(
            count_errors(&spec, std::slice::from_ref(&filtered)),
            [("constraint-contradiction", 1)]
        );
        let mut sound = spec.clone();
        sound["paths"]["/zones/{zoneId}/quiet"]["get"]["parameters"][0]["schema"]["enum"] =
            json!(["basement"]);
        assert_eq!(count_errors(&sound, &[filtered]), [], "a sound schema");
    }

    #[test]
    fn a_timeout_is_the_spec_s_where_a_parameter_frames_the_body() {
        // influxdb's `POST /write` takes `Content-Length` as any integer.
        let spec = json!({"paths": {"/write": {"post": {
            "parameters": [{"in": "header", "name": "Content-Length",
                            "schema": {"type": "integer"}}],
            "requestBody": {"content": {"text/plain": {"schema": {"type": "string"}}}},
            "responses": {"204": {"description": "ok"}}}}}});
        let said = "Read timed out after 10 seconds Reproduce with:";
        let waited = error("POST /write", "Network Error", said);
        assert_eq!(
            count_errors(&spec, &[waited]),
            [("framing-header-parameter", 1)]
        );
        let refused = error("POST /write", "Network Error", "Connection refused");
        assert_eq!(count_errors(&spec, &[refused]), []);
    }

    #[test]
    fn links_refused_are_the_spec_s_where_a_link_leads_nowhere() {
        // Redocly's list-types example links to `getUserAddress`.
        let mut spec = json!({"paths": {"/pets": {"get": {"operationId": "listPets",
            "responses": {"200": {"description": "ok", "links": {
                "address": {"operationId": "getUserAddress"}}}}}}}});
        let said = "The following API operations contain invalid link definitions";
        let refused = error("Stateful tests", "Invalid OpenAPI Links Definition", said);
        assert_eq!(
            count_errors(&spec, std::slice::from_ref(&refused)),
            [("link-target-unknown", 1)]
        );
        spec["paths"]["/pets"]["get"]["operationId"] = json!("getUserAddress");
        assert_eq!(
            count_errors(&spec, &[refused]),
            [],
            "the link leads somewhere"
        );
    }
}
