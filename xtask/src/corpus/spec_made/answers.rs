//! Answers the spec makes unreadable or unfit: a schema that contradicts
//! itself (ST108, or the mock's 500 for an answer that cannot decode),
//! content documented for a status HTTP sends without any, a `oneOf`
//! one of whose variants is within another, a discriminator value the
//! spec contradicts, and an upgrade that is the only success.

use serde_json::Value;

use super::locate::{followed, resolved};
use super::{Case, Failure};

/// ST108 where the schema schemathesis names contradicts itself (in the
/// model, or in the spec as written, whose `allOf`s are not merged).
pub(super) fn schema_contradicts(case: &Case) -> bool {
    let Some(at) = &case.failure.schema_at else {
        return false;
    };
    let causes = case.causes;
    let written = causes
        .written
        .iter()
        .map(|(written, found)| (written, found));
    case.check_is(&["ST108"])
        && [(case.spec, &causes.contradictions)]
            .into_iter()
            .chain(written)
            .any(|(document, found)| {
                schema_pointers(
                    document,
                    &case.method,
                    &case.path,
                    case.failure.received,
                    at,
                )
                .iter()
                .any(|pointer| !found.of(document, pointer).is_empty())
            })
}

/// ST104, ST105, ST108 or ST109 of a status HTTP sends without content
/// whose response the operation documents with content.
pub(super) fn bodyless_content(case: &Case) -> bool {
    case.check_is(&["ST104", "ST105", "ST108", "ST109"])
        && bodyless_with_content(case.spec, &case.method, &case.path, case.failure.received)
}

/// ST108 of an answer that fits two variants of a `oneOf`, one of which
/// is within another.
pub(super) fn one_of_overlapping(case: &Case) -> bool {
    case.check_is(&["ST108"]) && one_of_overlap(case.spec, &case.method, &case.path, case.failure)
}

/// ST111 of a discriminator value the spec gives a variant it names
/// implicitly.
pub(super) fn discriminator_contradicted(case: &Case) -> bool {
    let Some((property, value)) = &case.failure.discriminator else {
        return false;
    };
    case.check_is(&["ST111"])
        && case
            .causes
            .discriminators
            .iter()
            .any(|c| &c.property == property && c.values.contains(value))
}

/// A `101` answered to an operation whose only success is that upgrade.
pub(super) fn upgraded(case: &Case) -> bool {
    case.failure.received == Some(101)
        && case
            .causes
            .upgrades
            .iter()
            .any(|u| case.is_of(&u.path, &u.method))
}

/// ST101: the mock could make no answer that decodes, of a status whose
/// schema contradicts itself.
pub(super) fn undecodable(case: &Case) -> bool {
    case.check_is(&["ST101"]) && answer_contradicts(case)
}

/// Whether `failure` is the mock's 500 for an answer of its own that does
/// not decode (`the mock's example `…` (200) of `op` does not decode`),
/// where that status's schema contradicts itself: no answer fits it.
fn answer_contradicts(case: &Case) -> bool {
    let (spec, causes, method, path, failure) = case.parts();
    let Some((_, after)) = failure.answer.split_once("the mock's example `") else {
        return false;
    };
    let status = after
        .split_once("` (")
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(status, _)| status);
    let Some(status) = status.filter(|_| after.contains("does not decode")) else {
        return false;
    };
    let responses = bindings_codegen::generate::responses_pointer(path, method);
    let Some(response) = resolved(spec, format!("{responses}/{status}")) else {
        return false;
    };
    let content = spec
        .pointer(&format!("{response}/content"))
        .and_then(Value::as_object);
    content.into_iter().flatten().any(|(media, _)| {
        let schema = format!(
            "{response}/content/{}/schema",
            openapi_source::escape_token(media)
        );
        resolved(spec, schema)
            .is_some_and(|schema| !causes.contradictions.of(spec, &schema).is_empty())
    })
}

/// Where in `spec` the schema an answer broke is, and the schemas that
/// hold it (an `allOf` part contradicts its siblings, not itself):
/// schemathesis names a component's schema by its pointer, an inline
/// answer schema by one from the answer's schema (`/allOf/1`), which is
/// looked for under each media type of the `received` status.
fn schema_pointers(
    spec: &Value,
    method: &str,
    path: &str,
    received: Option<u16>,
    at: &str,
) -> Vec<String> {
    let bases: Vec<String> = if at.starts_with("/components/") || at.starts_with("/paths/") {
        vec![String::new()]
    } else {
        let Some(status) = received else {
            return Vec::new();
        };
        let answer = format!(
            "{}/{status}/content",
            bindings_codegen::generate::responses_pointer(path, method)
        );
        let media = spec.pointer(&answer).and_then(Value::as_object);
        media
            .into_iter()
            .flatten()
            .map(|(name, _)| format!("{answer}/{}/schema", openapi_source::escape_token(name)))
            .collect()
    };
    let mut pointers = Vec::new();
    for base in bases {
        let mut pointer = format!("{base}{at}");
        while pointer.len() > base.len() {
            pointers.push(pointer.clone());
            pointer.truncate(pointer.rfind('/').unwrap_or(0));
        }
        if !base.is_empty() {
            pointers.push(base);
        }
    }
    pointers
}

/// Whether `received` is a status HTTP sends without content (1xx, 204,
/// 205, 304) whose response the operation documents with content: the
/// answer cannot carry what schemathesis looks for in it.
fn bodyless_with_content(spec: &Value, method: &str, path: &str, received: Option<u16>) -> bool {
    let Some(status) = received.filter(|s| (100..200).contains(s) || matches!(s, 204 | 205 | 304))
    else {
        return false;
    };
    let responses = bindings_codegen::generate::responses_pointer(path, method);
    resolved(spec, format!("{responses}/{status}"))
        .and_then(|response| spec.pointer(&format!("{response}/content"))?.as_object())
        .is_some_and(|content| !content.is_empty())
}

/// Whether `failure` is an answer that fit two variants of a `oneOf`
/// whose schema (the answer's, or the one schemathesis names) has a
/// variant every value of which fits another: no value of that variant
/// fits the `oneOf`.
fn one_of_overlap(spec: &Value, method: &str, path: &str, failure: &Failure) -> bool {
    const SEVERAL: &str = "is valid under more than one of the schemas listed in the 'oneOf'";
    let several = failure
        .violation
        .as_deref()
        .is_some_and(|v| v.contains(SEVERAL));
    let at = failure.schema_at.as_deref().unwrap_or_default();
    schema_pointers(spec, method, path, failure.received, at)
        .into_iter()
        .filter(|pointer| pointer.ends_with(at))
        .filter_map(|pointer| followed(spec, &pointer))
        .any(|pointer| {
            let overlaps = openapi_lint::Contradictions::one_of_overlaps(spec, &pointer);
            // Where every variant's values fit another, no value fits the
            // schema at all (influxdb-legacy's `results`): any answer the
            // mock makes breaks it, whatever schemathesis says of it.
            let variants = spec
                .pointer(&format!("{pointer}/oneOf"))
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            (several && !overlaps.is_empty()) || (variants > 0 && overlaps.len() == variants)
        })
}

#[cfg(test)]
mod tests {
    use super::super::{explain, failure, rules};
    use serde_json::json;

    #[test]
    fn an_answer_that_cannot_decode_is_the_spec_s_where_its_schema_contradicts_itself() {
        // propolis: dropshot's unit answer, a string whose enum is `null`.
        let unit = json!({"title": "Null", "type": "string", "enum": [null]});
        let propolis = json!({"paths": {"/snapshot": {"post": {"responses": {
            "200": {"$ref": "#/components/responses/Unit"}
        }}}}, "components": {"responses": {"Unit": {"description": "ok",
            "content": {"application/json": {"schema": unit}}}}}});
        let mut failed = failure("POST /snapshot", "ST101", 500);
        failed.answer = "`{\"message\":\"the mock's example `` (200) of `snap` does not decode: at `.`: invalid type: null\"}`".into();
        assert_eq!(
            explain(&propolis, &failed),
            Some("constraint-contradiction")
        );
        let fine = json!({"paths": {"/snapshot": {"post": {"responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "string"}}}}
        }}}}});
        assert_eq!(explain(&fine, &failed), None, "the mock's own");
    }

    #[test]
    fn any_answer_to_a_schema_no_value_fits_is_the_spec_s() {
        // influxdb-legacy's `results`: an array whose `oneOf` variants are
        // only `required` lists, so every array fits both.
        let results = |second: serde_json::Value| {
            json!({"paths": {"/query": {"get": {"responses": {"200": {"description": "",
                "content": {"application/json": {"schema": {
                    "$ref": "#/components/schemas/InfluxqlJsonResponse"}}}}}}}},
                "components": {"schemas": {"InfluxqlJsonResponse": {
                    "type": "object", "properties": {
                        "results": {"type": "array", "items": {"type": "object"},
                            "oneOf": [{"required": ["statement_id", "error"]}, second]}}}}}})
        };
        let mut broken = failure("GET /query", "ST108", 200);
        broken.schema_at = Some("/properties/results".into());
        broken.violation = Some("{} is not of type \"array\"".into());
        let none = results(json!({"required": ["statement_id", "series"]}));
        assert_eq!(explain(&none, &broken), Some("one-of-overlap"));
        let some = results(json!({"type": "object", "required": ["series"]}));
        assert_eq!(
            explain(&some, &broken),
            None,
            "an array fits the first alone"
        );
    }

    #[test]
    fn an_empty_204_documented_with_content_is_the_spec_s() {
        // SendGrid's `DELETE /access_settings/whitelist`.
        let spec = json!({"paths": {"/whitelist": {"delete": {"responses": {
            "204": {"description": "", "content": {"application/json": {
                "schema": {"type": "object"}}}},
            "200": {"description": "", "content": {"application/json": {
                "schema": {"type": "object"}}}}}}}}});
        let empty = failure("DELETE /whitelist", "ST109", 204);
        assert_eq!(explain(&spec, &empty), Some("bodyless-status-content"));
        let ok = failure("DELETE /whitelist", "ST109", 200);
        assert_eq!(explain(&spec, &ok), None, "a 200 carries its content");
    }

    #[test]
    fn an_answer_fitting_two_overlapping_one_of_variants_is_the_spec_s() {
        // influxdb: every `DashboardWithViewProperties` is a `Dashboard`.
        let spec = json!({"paths": {"/dashboards/{id}": {"get": {"responses": {
        "200": {"description": "ok", "content": {"application/json": {"schema": {"oneOf": [
            {"$ref": "#/components/schemas/Dashboard"},
            {"$ref": "#/components/schemas/DashboardWithView"}]}}}},
        "201": {"description": "ok", "content": {"application/json": {"schema": {"oneOf": [
            {"$ref": "#/components/schemas/Dashboard"}, {"type": "string"}]}}}}}}}},
        "components": {"schemas": {
            "Cell": {"type": "object", "properties": {"id": {"type": "string"}}},
            "Dashboard": {"type": "object", "properties": {"cells": {
                "type": "array", "items": {"$ref": "#/components/schemas/Cell"}}}},
            "DashboardWithView": {"type": "object", "properties": {"cells": {
                "type": "array", "items": {"allOf": [{"$ref": "#/components/schemas/Cell"},
                    {"type": "object", "properties": {"view": {"type": "string"}}}]}}}}
        }}});
        let mut both = failure("GET /dashboards/{id}", "ST108", 200);
        both.violation = Some(
            r#"{"cells":[{}]} is valid under more than one of the schemas listed in the 'oneOf' keyword"#
                .into(),
        );
        assert_eq!(explain(&spec, &both), Some("one-of-overlap"));
        let mut other = both.clone();
        other.violation = Some("'x' is not of type 'integer'".into());
        assert_eq!(explain(&spec, &other), None, "another violation");
        both.received = Some(201);
        assert_eq!(explain(&spec, &both), None, "variants told apart");
    }

    #[test]
    fn an_answer_breaking_a_schema_that_contradicts_itself_is_the_spec_s() {
        // Redoc's demo: `taxCategoryId` is a string whose enum lists integers.
        let spec = json!({"paths": {"/products": {"get": {"responses": {
        "200": {"description": "ok"}}}}},
        "components": {"schemas": {"Product": {"type": "object", "properties": {
            "taxCategoryId": {"type": "string", "enum": [99999, 20010]},
            "name": {"type": "string", "maxLength": 5}
        }}}}});
        let mut broke = failure("GET /products", "ST108", 200);
        broke.schema_at = Some("/components/schemas/Product/properties/taxCategoryId".into());
        assert_eq!(explain(&spec, &broke), Some("constraint-contradiction"));
        broke.schema_at = Some("/components/schemas/Product/properties/name".into());
        assert_eq!(explain(&spec, &broke), None, "a schema some answer fits");
        // linode: an inline answer schema of two closed `allOf` parts.
        let linode = json!({"paths": {"/regions": {"get": {"responses": {"200": {
        "description": "ok",
        "content": {"application/json": {"schema": {"allOf": [
            {"type": "object", "additionalProperties": false,
             "properties": {"data": {"type": "array"}}},
            {"type": "object", "additionalProperties": false,
             "properties": {"page": {"type": "integer"}}}
        ]}}}}}}}}});
        let mut closed = failure("GET /regions", "ST108", 200);
        closed.schema_at = Some("/allOf/1".into());
        assert_eq!(explain(&linode, &closed), Some("constraint-contradiction"));
        closed.received = Some(404);
        assert_eq!(explain(&linode, &closed), None, "another status");
        // The model merges the `allOf`; the spec as written keeps it.
        closed.received = Some(200);
        let merged = json!({"paths": {"/regions": {"get": {"responses": {"200": {
            "description": "ok", "content": {"application/json": {"schema": {
                "type": "object", "additionalProperties": false,
                "properties": {"data": {"type": "array"}, "page": {"type": "integer"}}}}}}}}}}});
        assert_eq!(rules(&merged, None, std::slice::from_ref(&closed)), [None]);
        assert_eq!(
            rules(&merged, Some(&linode), std::slice::from_ref(&closed)),
            [Some("constraint-contradiction")]
        );
    }

    #[test]
    fn a_discriminator_value_the_spec_contradicts_is_the_spec_s() {
        let spec = json!({"paths": {"/threads": {"get": {}}}, "components": {"schemas": {
            "Status": {"oneOf": [{"$ref": "#/components/schemas/ActiveStatus"}],
                       "discriminator": {"propertyName": "type"}},
            "ActiveStatus": {"type": "object",
                             "properties": {"type": {"type": "string", "enum": ["active"]}}}
        }}});
        let mut unknown = failure("GET /threads", "ST111", 200);
        unknown.discriminator = Some(("type".into(), "active".into()));
        assert_eq!(
            explain(&spec, &unknown),
            Some("discriminator-value-contradiction")
        );
        unknown.discriminator = Some(("type".into(), "closed".into()));
        assert_eq!(
            explain(&spec, &unknown),
            None,
            "a value the spec does not give"
        );
    }

    #[test]
    fn an_upgrade_answered_to_a_websocket_operation_is_the_spec_s() {
        // propolis: `GET /instance/serial` documents 101 and errors.
        let propolis = json!({"paths": {"/instance/serial": {"get": {"responses": {
            "101": {"description": "upgrade"}, "4XX": {"description": "error"}
        }}}}});
        for check in ["ST101", "ST202"] {
            let upgraded = failure("GET /instance/serial", check, 101);
            assert_eq!(explain(&propolis, &upgraded), Some("success-is-upgrade"));
        }
        let refused = failure("GET /instance/serial", "ST202", 400);
        assert_eq!(explain(&propolis, &refused), None, "not the upgrade");
    }
}
