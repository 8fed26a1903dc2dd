//! Stateful tests that address an item by a value the spec lets be
//! other than what the item's path parameter takes: an identifier the
//! creating operation takes as any string (or an array, written into one
//! path segment), and a parameter whose schema differs from path to path.

use super::{Case, Causes, Failure};

/// A stateful ST202 refusing the path parameter of an item whose creating
/// operation took its identifier as any string.
pub(super) fn wider_identifier(case: &Case) -> bool {
    case.check_is(&["ST202"])
        && case.failure.operation == "Stateful tests"
        && case.causes.identifiers.iter().any(|w| {
            w.item_path == case.path
                && case
                    .failure
                    .says(&format!("path parameter `{}`", w.parameter))
        })
}

/// A stateful ST202, or ST103 of its 400, refusing a path parameter whose
/// schema on this path differs from the same parameter's on another.
pub(super) fn inconsistent_parameter(case: &Case) -> bool {
    case.failure.operation == "Stateful tests"
        && case.check_is(&["ST202", "ST103"])
        && case.failure.received == Some(400)
        && case.causes.inconsistent.iter().any(|i| {
            i.path == case.path && case.failure.says(&format!("path parameter `{}`", i.name))
        })
}

/// Whether `failure` is of a stateful test that addressed an item by the
/// array it was created with, where the spec creates items with an array
/// key and addresses them by one path segment: schemathesis writes the
/// array as Python's text of a list (`['a', 'b/c']`), its `/`, `?` and `#`
/// as they are, so the path is one of its own making (Iceberg's
/// `namespace`).
pub(super) fn composite_key_in_path(causes: &Causes, failure: &Failure) -> bool {
    let Some((_, url_path)) = &failure.request else {
        return false;
    };
    let listed = ["%5B'", "%5B%5D", "['", "[]"]
        .iter()
        .any(|text| url_path.contains(text));
    failure.operation == "Stateful tests"
        && listed
        && causes.identifiers.iter().any(|w| w.composite)
}

#[cfg(test)]
mod tests {
    use super::super::{explain, failure};
    use serde_json::json;

    #[test]
    fn a_refused_path_parameter_is_the_spec_s_where_another_path_takes_more() {
        // SendGrid: `template_id` any string on the template, a UUID on
        // its versions.
        let spec = json!({"paths": {
            "/templates/{template_id}": {"get": {"parameters": [{"name": "template_id",
                "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": ""}}}},
            "/templates/{template_id}/versions": {"post": {"parameters": [{"name": "template_id",
                "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}],
                "responses": {"201": {"description": ""}}}}
        }});
        let mut refused = failure("Stateful tests", "ST202", 400);
        refused.request = Some(("POST".into(), "/v3/templates/%C3%B0WJ/versions".into()));
        refused.answer =
            "`{\"detail\":\"path parameter `template_id`: `ðWJ` is not a UUID\"}`".into();
        assert_eq!(
            explain(&spec, &refused),
            Some("path-parameter-inconsistent")
        );
        refused.answer = "`{\"detail\":\"invalid body\"}`".into();
        assert_eq!(explain(&spec, &refused), None, "not the parameter");
    }

    #[test]
    fn an_item_addressed_by_the_any_string_key_it_was_created_with_is_the_spec_s() {
        // twilio's iam: the stateful test addressed `/Users/{UserSid}` by
        // the `id` it sent to `POST /Users`, any string.
        let twilio = json!({"paths": {
            "/Users": {"post": {"requestBody": {"content": {"application/json": {"schema": {
                "type": "object", "properties": {"id": {"type": "string"}}}}}},
                "responses": {"201": {"description": "ok"}}}},
            "/Users/{UserSid}": {"get": {"parameters": [{"name": "UserSid", "in": "path",
                "required": true, "schema": {"type": "string", "pattern": "^US[0-9a-f]{32}$"}}],
                "responses": {"200": {"description": "ok"}}}}
        }});
        let mut bound = failure("Stateful tests", "ST202", 400);
        bound.request = Some(("GET".into(), "/Users/%C3%9A".into()));
        assert_eq!(explain(&twilio, &bound), None, "no reason said");
        bound.reason = Some("path parameter `UserSid`: `Ú` does not match the pattern".into());
        assert_eq!(
            explain(&twilio, &bound),
            Some("identifier-wider-than-parameter")
        );
        let mut empty = failure("Stateful tests", "ST202", 400);
        empty.request = Some(("GET".into(), "/Users/".into()));
        empty.reason = Some(
            "`/Users/` leaves the path parameter `UserSid` of `/Users/{UserSid}` empty".into(),
        );
        assert_eq!(
            explain(&twilio, &empty),
            Some("identifier-wider-than-parameter")
        );
    }

    #[test]
    fn an_item_addressed_by_the_text_of_its_array_key_is_the_spec_s() {
        // Iceberg: a namespace created as an array of levels, addressed
        // by the Python text of that array.
        let iceberg = json!({"paths": {
            "/v1/namespaces": {"post": {"requestBody": {"content": {"application/json": {
                "schema": {"type": "object", "properties": {"namespace": {
                    "type": "array", "items": {"type": "string"}}}}}}},
                "responses": {"200": {"description": "ok"}}}},
            "/v1/namespaces/{namespace}": {"get": {"parameters": [{"name": "namespace",
                "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}}}}
        }});
        let mut listed = failure("Stateful tests", "ST103", 405);
        listed.request = Some(("POST".into(), "/v1/namespaces/%5B'a/b',%20'c'".into()));
        assert_eq!(
            explain(&iceberg, &listed),
            Some("identifier-wider-than-parameter")
        );
        listed.request = Some(("POST".into(), "/v1/namespaces/a".into()));
        assert_eq!(explain(&iceberg, &listed), None, "no array in the path");
    }
}
