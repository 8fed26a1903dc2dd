//! Parameters the spec makes unworkable: one whose schema contradicts
//! itself, a string with an integer `format` and no `pattern`, and
//! headers HTTP itself frames (`Content-Length`, `Content-Type`).

use serde_json::Value;

use super::locate::{parameter_pointers, resolved};
use super::{Case, Causes, Failure};

/// ST202 refusing a parameter that is a string with an integer `format`
/// and no `pattern`.
pub(super) fn integer_string(case: &Case) -> bool {
    case.check_is(&["ST202"])
        && integer_string_refused(case.spec, &case.method, &case.path, case.failure)
}

/// ST201 or ST202 of a parameter whose schema contradicts itself.
pub(super) fn contradicting(case: &Case) -> bool {
    case.check_is(&["ST201", "ST202"]) && parameter_contradicts(case)
}

/// HTTP's own bare 400 for a framing header a parameter let through.
pub(super) fn framing_header(case: &Case) -> bool {
    case.failure.received == Some(400)
        && case.failure.answer.ends_with("<EMPTY>")
        && case
            .causes
            .framing
            .iter()
            .any(|f| case.is_of(&f.path, &f.method))
}

/// ST201 of a body sent without the `Content-Type` header parameter's
/// value, which the HTTP library writes anyway.
pub(super) fn content_type_missing(case: &Case) -> bool {
    case.check_is(&["ST201"]) && content_type_left_out(case)
}

/// ST202 refusing a body for the media type a `Content-Type` header
/// parameter's value put in place of its own.
pub(super) fn content_type_replaced(case: &Case) -> bool {
    case.check_is(&["ST202"])
        && content_type_overridden(case.causes, &case.method, &case.path, case.failure)
}

/// Whether `failure` names a parameter (`Invalid component: parameter
/// \`updown\` in path - …`) whose schema contradicts itself (an integer
/// whose `enum` lists strings): no value fits it, so no server can take
/// the values the spec means and refuse the others by it.
fn parameter_contradicts(case: &Case) -> bool {
    let (spec, causes, method, path, failure) = case.parts();
    let Some(component) = failure.component.as_deref() else {
        return false;
    };
    let Some((name, rest)) = component
        .split_once("parameter `")
        .and_then(|(_, rest)| rest.split_once('`'))
    else {
        return false;
    };
    let Some(location) = rest.strip_prefix(" in ").and_then(|r| r.split(' ').next()) else {
        return false;
    };
    parameter_pointers(spec, method, path)
        .into_iter()
        .filter(|pointer| {
            let parameter = spec.pointer(pointer);
            let field = |key: &str| parameter.and_then(|p| p.get(key)).and_then(Value::as_str);
            field("name") == Some(name) && field("in") == Some(location)
        })
        .filter_map(|pointer| resolved(spec, format!("{pointer}/schema")))
        .any(|schema| !causes.contradictions.of(spec, &schema).is_empty())
}

/// Whether `failure` is a refusal of a parameter of the operation that is
/// a string with an integer `format` and no `pattern`: schemathesis takes
/// any text for it, the server an integer's.
fn integer_string_refused(spec: &Value, method: &str, path: &str, failure: &Failure) -> bool {
    parameter_pointers(spec, method, path)
        .into_iter()
        .any(|pointer| {
            let name = spec
                .pointer(&format!("{pointer}/name"))
                .and_then(Value::as_str);
            let schema = resolved(spec, format!("{pointer}/schema"))
                .and_then(|schema| spec.pointer(&schema))
                .and_then(Value::as_object);
            schema.is_some_and(bindings_codegen::generate::integer_string_unpatterned)
                && name.is_some_and(|name| failure.says(&format!("parameter `{name}`")))
        })
}

/// Whether `failure` is a request with a body accepted though it "leaves
/// out" a `Content-Type` header parameter: the HTTP library writes the
/// body's own `Content-Type` whatever the case says.
fn content_type_left_out(case: &Case) -> bool {
    let (spec, causes, method, path, failure) = case.parts();
    let component = failure.component.as_deref().unwrap_or_default();
    let left_out = component.contains("`Content-Type`")
        && (component.contains("Missing") || component.contains("violates `required`"));
    let with_body = spec
        .get("paths")
        .and_then(|paths| paths.get(path))
        .and_then(|item| item.get(method))
        .is_some_and(|operation| operation.get("requestBody").is_some());
    left_out
        && with_body
        && causes.reserved.iter().any(|r| {
            r.path == path && r.method == method && r.name.eq_ignore_ascii_case("content-type")
        })
}

/// Whether `failure` is a valid request refused for its body's media type,
/// where the operation declares a `Content-Type` header parameter whose
/// value schemathesis sent in place of the body's own (influxdb's
/// `POST /restore/kv`: a `text/plain` body, and the parameter's
/// `application/octet-stream`).
fn content_type_overridden(causes: &Causes, method: &str, path: &str, failure: &Failure) -> bool {
    let refused_media =
        failure.says("the body must be ") || failure.says("header `Content-Type`: ");
    refused_media
        && causes.reserved.iter().any(|r| {
            r.path == path && r.method == method && r.name.eq_ignore_ascii_case("content-type")
        })
}

#[cfg(test)]
mod tests {
    use super::super::{explain, failure};
    use serde_json::json;

    #[test]
    fn a_parameter_whose_schema_contradicts_itself_is_the_spec_s() {
        // swagger-parser's troublesome spec: an int32 whose enum lists strings.
        let spec = json!({"paths": {"/{id}/volume/{updown}": {"post": {
            "parameters": [
                {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "updown", "in": "path", "required": true, "schema": {
                    "type": "integer", "format": "int32", "enum": ["-1", "1"]}}],
            "responses": {"200": {"description": "ok"}}}}}});
        let mut taken = failure("POST /{id}/volume/{updown}", "ST201", 200);
        taken.component = Some(
            "Invalid component: parameter `updown` in path - value greater than maximum".into(),
        );
        assert_eq!(explain(&spec, &taken), Some("constraint-contradiction"));
        taken.component =
            Some("Invalid component: parameter `id` in path - violates `minLength`".into());
        assert_eq!(explain(&spec, &taken), None, "a schema some value fits");
    }

    #[test]
    fn a_refused_integer_string_without_a_pattern_is_the_spec_s() {
        // influxdb: `seconds` is `type: string, format: int64`.
        let spec = json!({"paths": {"/debug/pprof/heap": {"get": {"parameters": [
            {"name": "seconds", "in": "query", "schema": {"type": "string", "format": "int64"}}],
            "responses": {"200": {"description": ""}, "400": {"description": ""}}}}}});
        let mut refused = failure("GET /debug/pprof/heap", "ST202", 400);
        refused.answer =
            "`{\"message\":\"query parameter `seconds`: invalid Seconds: `` is not an integer\"}`"
                .into();
        assert_eq!(explain(&spec, &refused), Some("integer-format-on-string"));
        let mut patterned = spec.clone();
        patterned["paths"]["/debug/pprof/heap"]["get"]["parameters"][0]["schema"]["pattern"] =
            json!("^[0-9]+$");
        assert_eq!(
            explain(&patterned, &refused),
            None,
            "the pattern says which text"
        );
    }

    #[test]
    fn http_s_bare_400_is_the_spec_s_where_a_parameter_is_a_framing_header() {
        // influxdb's `POST /write` takes `Content-Length` as any integer.
        let influx = json!({"paths": {"/write": {"post": {
            "parameters": [{"in": "header", "name": "Content-Length",
                            "schema": {"type": "integer"}}],
            "responses": {"400": {"description": "bad", "content": {
                "application/json": {"schema": {"type": "object"}}}}}
        }}}});
        for check in ["ST104", "ST109"] {
            let mut bare = failure("POST /write", check, 400);
            bare.answer = "[400] Bad Request: <EMPTY>".into();
            assert_eq!(explain(&influx, &bare), Some("framing-header-parameter"));
            let mut documented = bare.clone();
            documented.answer = "[400] Bad Request: `{}`".into();
            assert_eq!(explain(&influx, &documented), None);
        }
    }

    #[test]
    fn a_left_out_content_type_parameter_is_the_spec_s_where_a_body_is_sent() {
        // pagerduty-integration-jira-cloud: a required `Content-Type`
        // header parameter on every operation.
        let jira = json!({"paths": {"/rules": {
            "parameters": [{"in": "header", "name": "Content-Type", "required": true,
                            "schema": {"type": "string"}}],
            "post": {"requestBody": {"content": {"application/json": {}}},
                     "responses": {"201": {"description": "ok"}}},
            "get": {"responses": {"200": {"description": "ok"}}}
        }}});
        for component in [
            "Invalid component: Missing `Content-Type` at header",
            "Invalid component: parameter `Content-Type` in header - violates `required`",
        ] {
            let mut accepted = failure("POST /rules", "ST201", 201);
            accepted.component = Some(component.into());
            assert_eq!(explain(&jira, &accepted), Some("reserved-header-parameter"));
            let mut without_body = failure("GET /rules", "ST201", 200);
            without_body.component = Some(component.into());
            assert_eq!(explain(&jira, &without_body), None, "no body to frame");
        }
        let mut other = failure("POST /rules", "ST201", 201);
        other.component =
            Some("Invalid component: parameter `X-Id` in header - violates `required`".into());
        assert_eq!(explain(&jira, &other), None);
    }

    #[test]
    fn a_body_refused_for_a_content_type_parameter_s_value_is_the_spec_s() {
        // influxdb's `POST /restore/kv`: a `text/plain` body, and a
        // `Content-Type` parameter of `application/octet-stream`.
        let spec = json!({"paths": {"/restore/kv": {"post": {
            "parameters": [{"in": "header", "name": "Content-Type",
                            "schema": {"type": "string", "enum": ["application/octet-stream"]}}],
            "requestBody": {"content": {"text/plain": {"schema": {"type": "string"}}}},
            "responses": {"200": {"description": "ok"}, "400": {"description": "bad"}}}}}});
        let mut refused = failure("POST /restore/kv", "ST202", 400);
        refused.answer = "`{\"message\":\"the body must be text/plain (content type: application/octet-stream)\"}`".into();
        assert_eq!(explain(&spec, &refused), Some("reserved-header-parameter"));
        refused.answer = "`{\"message\":\"invalid body\"}`".into();
        assert_eq!(explain(&spec, &refused), None);
    }
}
