//! Bodies the spec leaves open: a discriminator property no variant
//! requires, `properties` without `type: object`, a nullable `enum`
//! that does not list `null`, `nullable` in one `allOf` part, and a body
//! schema no value fits.

use serde_json::Value;

use bindings_codegen::generate::Nullable;

use super::locate::body_schema_pointers;
use super::{Case, Causes, Failure};

/// ST202 refusing a body for a missing discriminator property that some
/// variant does not require.
pub(super) fn discriminator_missing(case: &Case) -> bool {
    case.check_is(&["ST202"])
        && case.causes.optional_tags.iter().any(|o| {
            case.failure
                .says(&format!("the discriminator `{}` is missing", o.property))
        })
}

/// ST202 refusing a value that is not an object where the schema only
/// implies one.
pub(super) fn object_implied(case: &Case) -> bool {
    case.check_is(&["ST202"]) && not_an_object(case.causes, case.failure)
}

/// ST202 refusing a body whose schema contradicts itself, so that no body
/// fits it (linode's `POST /object-storage/buckets` requires `cluster`,
/// which its `additionalProperties: false` forbids).
pub(super) fn body_contradicts(case: &Case) -> bool {
    case.check_is(&["ST202"]) && case.failure.body.is_some() && body_schema_contradicts(case)
}

/// Whether a request body schema of the case's operation contradicts
/// itself, in the model or in the spec as written.
fn body_schema_contradicts(case: &Case) -> bool {
    let (spec, causes, method, path, _) = case.parts();
    let written = causes
        .written
        .iter()
        .map(|(written, found)| (written, found));
    [(spec, &causes.contradictions)]
        .into_iter()
        .chain(written)
        .any(|(document, found)| {
            body_schema_pointers(document, method, path)
                .iter()
                .any(|pointer| !found.of(document, pointer).is_empty())
        })
}

/// ST201 accepting `null` for a nullable `enum` that does not list it.
pub(super) fn nullable_enum(case: &Case) -> bool {
    case.check_is(&["ST201"]) && null_accepted(&case.causes.nullable_enums, case.failure)
}

/// ST201 accepting `null` for an `allOf` with `nullable: true` in one part
/// beside a part that refuses `null`.
pub(super) fn nullable_all_of_part(case: &Case) -> bool {
    case.check_is(&["ST201"]) && null_accepted(&case.causes.nullable_parts, case.failure)
}

/// Whether `failure` is a value that is not an object, which JSON Schema
/// takes where a schema has `properties` and no `type`, refused by the
/// server that reads it as an object (by its JSON Schema, or by its Rust
/// type: `invalid type: null, expected struct Bucket`).
fn not_an_object(causes: &Causes, failure: &Failure) -> bool {
    let by_schema = [r#"is not of type "object""#, r#"is not of type \"object\""#]
        .iter()
        .any(|text| failure.says(text));
    let by_type = failure.says("invalid type: ")
        && failure.says("expected struct ")
        && !failure.says("invalid type: map");
    let by_union = union_refused(failure).is_some_and(|value| !value.starts_with('{'));
    !causes.implied_objects.is_empty() && (by_schema || by_type || by_union)
}

/// The value a union of the body refused, as the body check writes it
/// (`…: null is not valid under any of the schemas listed in the 'oneOf'
/// keyword`): qdrant's `PointsBatch`, which has `properties` and no
/// `type`, takes `null` in JSON Schema, and is the only alternative that
/// does.
pub(super) fn union_refused(failure: &Failure) -> Option<&str> {
    const REFUSED: &str = " is not valid under any of the schemas listed in the ";
    [Some(failure.answer.as_str()), failure.reason.as_deref()]
        .into_iter()
        .flatten()
        .find_map(|text| {
            let (before, _) = text.split_once(REFUSED)?;
            let (_, value) = before.rsplit_once("`: ")?;
            Some(value)
        })
}

/// Whether `failure` is a request accepted with `null` for a body member
/// of one of `found`, as schemathesis names it (`in body - tag: Incorrect
/// type`).
fn null_accepted(found: &[Nullable], failure: &Failure) -> bool {
    let Some(component) = failure.component.as_deref() else {
        return false;
    };
    let body = failure
        .body
        .as_deref()
        .and_then(|body| serde_json::from_str::<Value>(body).ok());
    found
        .iter()
        .filter_map(|n| n.member.as_deref())
        .any(|member| {
            // `in body - tag: Incorrect type`, or nested: `in body - data
            // -> current_status_update: Incorrect type`, `in body - config
            // -> jira -> custom_fields -> Array with invalid items:
            // source_incident_field: Incorrect type`.
            let named = component.contains("in body - ")
                && ["- ", "> ", ": "]
                    .iter()
                    .any(|before| component.contains(&format!("{before}{member}:")));
            named && body.as_ref().is_some_and(|body| null_member(body, member))
        })
}

/// Whether `value` holds, at any depth, a member `member` that is `null`.
fn null_member(value: &Value, member: &str) -> bool {
    match value {
        Value::Object(members) => members
            .iter()
            .any(|(name, v)| (name == member && v.is_null()) || null_member(v, member)),
        Value::Array(items) => items.iter().any(|item| null_member(item, member)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{explain, failure};
    use serde_json::json;

    #[test]
    fn a_value_refused_as_not_an_object_is_the_spec_s_where_it_implies_one() {
        // influxdb: `PostBucketRequest` has `properties` and no `type`.
        let mut influx = json!({"paths": {"/buckets": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {
                "$ref": "#/components/schemas/PostBucketRequest"}}}},
            "responses": {"201": {"description": "ok"}, "400": {"description": "bad"}}
        }}}, "components": {"schemas": {"PostBucketRequest": {
            "properties": {"name": {"type": "string"}}
        }}}});
        let mut refused = failure("POST /buckets", "ST202", 400);
        refused.answer = "`{\"message\":\"the request body does not fit its schema at ``: 0 is not of type \\\"object\\\"\"}`".into();
        assert_eq!(explain(&influx, &refused), Some("object-type-implied"));
        let mut typed = failure("POST /buckets", "ST202", 400);
        typed.answer = "`{\"message\":\"invalid body: invalid type: null, expected struct PostBucketRequest\"}`".into();
        assert_eq!(explain(&influx, &typed), Some("object-type-implied"));
        influx["components"]["schemas"]["PostBucketRequest"]["type"] = json!("object");
        assert_eq!(explain(&influx, &refused), None, "it says `type: object`");
    }

    #[test]
    fn a_union_refusing_what_an_implied_object_takes_is_the_spec_s() {
        // qdrant: `PointInsertOperations` is `PointsBatch` (`properties`,
        // no `type`) or `PointsList` (`type: object`); `null` fits only the
        // first in JSON Schema.
        let mut qdrant = json!({"paths": {"/points": {"put": {
            "requestBody": {"content": {"application/json": {"schema": {"oneOf": [
                {"$ref": "#/components/schemas/PointsBatch"},
                {"type": "object", "properties": {"points": {"type": "array"}}}]}}}},
            "responses": {"200": {"description": "ok"}, "400": {"description": "bad"}}
        }}}, "components": {"schemas": {"PointsBatch": {
            "required": ["batch"], "properties": {"batch": {"type": "string"}}
        }}}});
        let mut refused = failure("PUT /points", "ST202", 422);
        refused.reason = Some("the request body does not fit its schema at `/`: null is not valid under any of the schemas listed in the 'oneOf' keyword".into());
        assert_eq!(explain(&qdrant, &refused), Some("object-type-implied"));
        let mut object = refused.clone();
        object.reason = Some("the request body does not fit its schema at `/`: {} is not valid under any of the schemas listed in the 'oneOf' keyword".into());
        assert_eq!(explain(&qdrant, &object), None, "an object");
        qdrant["components"]["schemas"]["PointsBatch"]["type"] = json!("object");
        assert_eq!(explain(&qdrant, &refused), None, "it says `type: object`");
    }

    #[test]
    fn a_body_without_an_optional_discriminator_property_is_the_spec_s() {
        // Adyen: `accountIdentification`'s variants do not require `type`.
        let adyen = json!({"paths": {"/validate": {"post": {"responses": {
            "200": {"description": "ok"}
        }}}}, "components": {"schemas": {
            "Identification": {"oneOf": [{"$ref": "#/components/schemas/Local"}],
                               "discriminator": {"propertyName": "type"}},
            "Local": {"type": "object", "properties": {"type": {"enum": ["local"]}}}
        }}});
        let mut refused = failure("POST /validate", "ST202", 422);
        refused.answer = "`{\"detail\":\"invalid body at `accountIdentification`: the discriminator `type` is missing at line 1\"}`".into();
        assert_eq!(
            explain(&adyen, &refused),
            Some("discriminator-property-optional")
        );
        refused.answer = "`{\"detail\":\"the discriminator `kind` is missing\"}`".into();
        assert_eq!(explain(&adyen, &refused), None, "another property");
    }

    #[test]
    fn null_for_a_nullable_enum_without_null_is_the_spec_s() {
        // linode: `tag: null` for a nullable enum without `null`.
        let record = json!({"paths": {"/records": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {"type": "object",
                "properties": {"tag": {"type": "string", "nullable": true, "enum": ["issue"]}}}}}},
            "responses": {"200": {"description": "ok"}}}}}});
        let mut null = failure("POST /records", "ST201", 200);
        null.component = Some("Invalid component: in body - tag: Incorrect type".into());
        null.body = Some(r#"{"name": "test", "tag": null}"#.into());
        assert_eq!(explain(&record, &null), Some("nullable-enum-without-null"));
        null.body = Some(r#"{"name": "test", "tag": 5}"#.into());
        assert_eq!(explain(&record, &null), None, "not null");
    }

    #[test]
    fn null_for_a_nullable_enum_in_an_array_s_items_is_the_spec_s() {
        // pagerduty-integration-jira-cloud.
        let rule = json!({"paths": {"/rules": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {"type": "object",
                "properties": {"fields": {"type": "array", "items": {"type": "object",
                    "properties": {"source": {"type": "string", "nullable": true, "enum": ["a"]}}}}}}}}},
            "responses": {"201": {"description": "ok"}}}}}});
        let mut nested = failure("POST /rules", "ST201", 201);
        nested.component = Some(
            "Invalid component: in body - fields -> Array with invalid items: source: Incorrect type"
                .into(),
        );
        nested.body = Some(r#"{"fields": [{"source": null}]}"#.into());
        assert_eq!(explain(&rule, &nested), Some("nullable-enum-without-null"));
        nested.body = Some(r#"{"fields": [{"source": 3}]}"#.into());
        assert_eq!(explain(&rule, &nested), None, "not null");
    }

    #[test]
    fn a_body_refused_where_no_body_fits_its_schema_is_the_spec_s() {
        // linode `POST /object-storage/buckets`: `cluster` required and
        // forbidden.
        let bucket = |required: serde_json::Value| {
            json!({"paths": {"/buckets": {"post": {
                "requestBody": {"content": {"application/json": {"schema": {"type": "object",
                    "additionalProperties": false, "required": required,
                    "properties": {"label": {"type": "string"}}}}}},
                "responses": {"200": {"description": "ok"}, "400": {"description": "bad"}}}}}})
        };
        let mut refused = failure("POST /buckets", "ST202", 400);
        refused.body = Some(r#"{"label": "a", "cluster": null}"#.into());
        assert_eq!(
            explain(&bucket(json!(["label", "cluster"])), &refused),
            Some("constraint-contradiction")
        );
        assert_eq!(
            explain(&bucket(json!(["label"])), &refused),
            None,
            "a body fits"
        );
    }

    #[test]
    fn null_for_an_all_of_with_one_nullable_part_is_the_spec_s() {
        // asana: `current_status_update: null` in `data`.
        let project = json!({"paths": {"/projects": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {"type": "object",
                "properties": {"data": {"type": "object", "properties": {
                    "current_status_update": {"allOf": [
                        {"$ref": "#/components/schemas/Compact"},
                        {"type": "object", "nullable": true}]}}}}}}}},
            "responses": {"201": {"description": "ok"}}}}},
            "components": {"schemas": {"Compact": {"type": "object"}}}});
        let mut null = failure("POST /projects", "ST201", 201);
        null.component = Some(
            "Invalid component: in body - data -> current_status_update: Incorrect type".into(),
        );
        null.body = Some(r#"{"data": {"current_status_update": null}}"#.into());
        assert_eq!(explain(&project, &null), Some("nullable-all-of-part"));
        null.body = Some(r#"{"data": {"current_status_update": 4}}"#.into());
        assert_eq!(explain(&project, &null), None, "not null");
    }
}
