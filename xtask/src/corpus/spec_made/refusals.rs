//! Statuses the spec leaves the server no documented way to answer: no
//! answer to an invalid request or one without credentials (ST103), no
//! responses at all, no success, no 401 beside a 403, no 404 for an item
//! deleted.

use serde_json::Value;

use super::Case;
use crate::corpus::schemathesis::Failure;
use bindings_codegen::generate::Refused;

/// ST202 (a valid request refused), or ST302 (an item just created not
/// found), answered with a status the operation documents, where it
/// documents no answer a valid request gets.
pub(super) fn success_undocumented(case: &Case) -> bool {
    case.check_is(&["ST202", "ST302"])
        && only_failures_documented(case.spec, &case.method, &case.path, case.failure.received)
}

/// ST205 (an `Allow` header that lists methods the operation's path does
/// not document) where the path is identical to another one with its
/// parameters named apart, whose methods the server allows too: it
/// cannot tell the two apart. Read before the operation is located, as
/// the method schemathesis sent (`OPTIONS`) is none of the spec's.
pub(super) fn allow_of_identical_paths(spec: &Value, failure: &Failure) -> bool {
    let advertised = failure
        .violation
        .as_deref()
        .is_some_and(|v| v.contains("Undocumented methods advertised"));
    let Some((_, path)) = failure.operation.split_once(' ') else {
        return false;
    };
    failure.check == "ST205"
        && advertised
        && openapi_lint::duplicate_templates(spec)
            .iter()
            .any(|found| found.path == path || found.same_as == path)
}

/// ST203 answered 403 by an operation that documents 403 and no 401.
pub(super) fn unauthorized_undocumented(case: &Case) -> bool {
    case.check_is(&["ST203"])
        && case.failure.received == Some(403)
        && case
            .causes
            .forbidden
            .iter()
            .any(|u| case.is_of(&u.path, &u.method))
}

/// ST301 of an operation that documents no answer for an item that is
/// not there.
pub(super) fn not_found_undocumented(case: &Case) -> bool {
    case.check_is(&["ST301"])
        && case
            .causes
            .deletions
            .iter()
            .any(|u| case.is_of(&u.path, &u.method))
}

/// The rule of an ST103 (an undocumented status) the spec makes
/// unavoidable: `responses-empty`, or `server-refusal-undocumented` for a
/// refusal of a kind the operation documents no answer to.
pub(super) fn undocumented_status(case: &Case) -> Option<&'static str> {
    if !case.check_is(&["ST103"]) {
        return None;
    }
    let operation = case.spec.get("paths")?.get(&case.path)?.get(&case.method)?;
    if operation
        .get("responses")
        .and_then(Value::as_object)
        .is_none_or(serde_json::Map::is_empty)
    {
        return Some("responses-empty");
    }
    let refused: &[Refused] = match case.failure.received? {
        400 | 422 => &[Refused::Invalid],
        // A request without a required `Authorization` header parameter
        // is refused 401 (what schemathesis' own ST203 expects), though
        // the spec declares no security: an invalid request.
        401 if requires_authorization_header(operation) => {
            &[Refused::Credentials, Refused::Invalid]
        }
        401 | 403 => &[Refused::Credentials],
        _ => return None,
    };
    case.causes
        .refusals
        .iter()
        .any(|u| case.is_of(&u.path, &u.method) && refused.contains(&u.refused))
        .then_some("server-refusal-undocumented")
}

/// Whether the operation documents responses, none a valid request gets
/// (no 1xx, 2xx, 3xx or `default`), and `received` is one of them: the
/// mock answered a valid request with the spec's own answer (a petstore's
/// `addPet`: only `405 Invalid input`).
fn only_failures_documented(spec: &Value, method: &str, path: &str, received: Option<u16>) -> bool {
    let responses = spec
        .get("paths")
        .and_then(|paths| paths.get(path))
        .and_then(|item| item.get(method))
        .and_then(|operation| operation.get("responses"))
        .and_then(Value::as_object);
    let (Some(responses), Some(received)) = (responses, received) else {
        return false;
    };
    let answers_valid = responses.keys().any(|key| {
        key == "default"
            || key
                .chars()
                .next()
                .is_some_and(|first| matches!(first, '1' | '2' | '3'))
    });
    !answers_valid && responses.contains_key(&received.to_string())
}

/// Whether `operation` declares a required `Authorization` header.
fn requires_authorization_header(operation: &Value) -> bool {
    operation
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|parameter| {
            parameter.get("in").and_then(Value::as_str) == Some("header")
                && parameter
                    .get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|name| name.eq_ignore_ascii_case("authorization"))
                && parameter.get("required").and_then(Value::as_bool) == Some(true)
        })
}

#[cfg(test)]
mod tests {
    use super::super::{count, explain, failure};
    use serde_json::{Value, json};

    #[test]
    fn a_documented_failure_for_a_valid_request_is_the_spec_s_where_it_documents_no_success() {
        // A petstore's `addPet`: only `405 Invalid input`.
        let spec = json!({"paths": {"/pet": {
            "post": {"responses": {"405": {"description": "Invalid input"}}},
            "put": {"responses": {"200": {"description": ""}, "405": {"description": ""}}}
        }}});
        let refused = failure("POST /pet", "ST202", 405);
        assert_eq!(explain(&spec, &refused), Some("success-undocumented"));
        let undocumented = failure("POST /pet", "ST202", 400);
        assert_eq!(explain(&spec, &undocumented), None, "not the spec's answer");
        let documented = failure("PUT /pet", "ST202", 405);
        assert_eq!(
            explain(&spec, &documented),
            None,
            "the mock's to answer 200"
        );
    }

    #[test]
    fn a_created_item_not_found_is_the_spec_s_where_its_operation_documents_no_success() {
        // openapi-diff's petstore v2: `DELETE /store/order/{orderId}`
        // documents only 400 and 404.
        let spec = json!({"paths": {"/store/order/{orderId}": {"delete": {"responses": {
            "400": {"description": "Invalid ID supplied"},
            "404": {"description": "Order not found"}}}}}});
        let mut gone = failure("Stateful tests", "ST302", 404);
        gone.request = Some(("DELETE".into(), "/v2/store/order/1".into()));
        assert_eq!(explain(&spec, &gone), Some("success-undocumented"));
        let mut answered = spec.clone();
        answered["paths"]["/store/order/{orderId}"]["delete"]["responses"]["204"] =
            json!({"description": "deleted"});
        assert_eq!(explain(&answered, &gone), None, "the mock's to answer 204");
    }

    #[test]
    fn a_403_without_credentials_is_the_spec_s_where_it_documents_no_401() {
        // SendGrid's `PATCH /senders/{sender_id}`: 403, no 401.
        let spec = json!({
            "security": [{"Authorization": []}],
            "paths": {"/senders/{id}": {
                "patch": {"responses": {
                    "200": {"description": ""}, "403": {"description": ""}}},
                "get": {"responses": {
                    "200": {"description": ""}, "401": {"description": ""},
                    "403": {"description": ""}}}
            }}
        });
        let only_403 = failure("PATCH /senders/{id}", "ST203", 403);
        assert_eq!(explain(&spec, &only_403), Some("unauthorized-undocumented"));
        let both = failure("GET /senders/{id}", "ST203", 403);
        assert_eq!(explain(&spec, &both), None, "the mock's to answer 401");
        let other = failure("PATCH /senders/{id}", "ST203", 400);
        assert_eq!(explain(&spec, &other), None);
    }

    #[test]
    fn a_deleted_resource_still_there_is_the_spec_s_where_it_documents_no_404() {
        // Twilio: `GET /v1/Services/{Sid}` documents only its 200.
        let twilio = json!({"paths": {"/v1/Services/{Sid}": {
            "get": {"responses": {"200": {"description": "ok"}}},
            "delete": {"responses": {"204": {"description": "deleted"}}}
        }}});
        let mut after = failure("Stateful tests", "ST301", 200);
        after.request = Some(("GET".into(), "/v1/Services/IS00".into()));
        assert_eq!(explain(&twilio, &after), Some("not-found-undocumented"));
        let documented = json!({"paths": {"/v1/Services/{Sid}": {
            "get": {"responses": {"200": {"description": "ok"}, "404": {"description": "no"}}},
            "delete": {"responses": {"204": {"description": "deleted"}}}
        }}});
        assert_eq!(
            explain(&documented, &after),
            None,
            "the mock's to answer 404"
        );
    }

    fn spec() -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {
                "/pets": {
                    "get": {"responses": {"200": {"description": "ok"}}},
                    "post": {"responses": {
                        "201": {"description": "ok"},
                        "400": {"description": "bad"}
                    }}
                },
                "/empty": {"get": {"responses": {}}}
            }
        })
    }

    #[test]
    fn an_undocumented_400_is_the_spec_s_where_it_documents_no_client_error() {
        let spec = spec();
        assert_eq!(
            explain(&spec, &failure("GET /pets", "ST103", 400)),
            Some("server-refusal-undocumented")
        );
        // It documents its 400: an undocumented status there is ours.
        assert_eq!(explain(&spec, &failure("POST /pets", "ST103", 500)), None);
        // No security: a 401 is never the spec's.
        assert_eq!(explain(&spec, &failure("GET /pets", "ST103", 401)), None);
        // Another check is never the spec's.
        assert_eq!(explain(&spec, &failure("GET /pets", "ST202", 400)), None);
        // A stateful test's failure: the operation from its request.
        let mut stateful = failure("Stateful tests", "ST103", 400);
        stateful.request = Some(("GET".into(), "/api/v3/pets".into()));
        assert_eq!(
            explain(&spec, &stateful),
            Some("server-refusal-undocumented")
        );
    }

    #[test]
    fn any_status_is_the_spec_s_where_it_documents_none() {
        assert_eq!(
            explain(&spec(), &failure("GET /empty", "ST103", 200)),
            Some("responses-empty")
        );
    }

    #[test]
    fn a_401_is_the_spec_s_where_a_required_authorization_header_has_no_security() {
        // keeper.json: a required `Authorization` header and no security.
        let keeper = json!({"paths": {"/jobs": {"get": {
            "parameters": [{"in": "header", "name": "Authorization", "required": true,
                            "schema": {"type": "string"}}],
            "responses": {"201": {"description": "ok"}}
        }}}});
        assert_eq!(
            explain(&keeper, &failure("GET /jobs", "ST103", 401)),
            Some("server-refusal-undocumented")
        );
    }

    #[test]
    fn an_allow_header_of_two_identical_paths_is_the_spec_s() {
        // Xero's files API.
        let spec = json!({"paths": {
            "/Files/{FileId}": {"get": {"responses": {"200": {"description": "ok"}}}},
            "/Files/{FolderId}": {"post": {"responses": {"201": {"description": "ok"}}}},
            "/Folders/{FolderId}": {"get": {"responses": {"200": {"description": "ok"}}}}}});
        let mut allow = failure("OPTIONS /Files/{FileId}", "ST205", 405);
        allow.violation = Some(
            "`Allow: GET,HEAD,POST` does not match the schema. Undocumented methods advertised: POST"
                .into(),
        );
        assert_eq!(explain(&spec, &allow), Some("path-template-duplicate"));
        let mut elsewhere = allow.clone();
        elsewhere.operation = "OPTIONS /Folders/{FolderId}".into();
        assert_eq!(explain(&spec, &elsewhere), None, "a path of its own");
    }

    #[test]
    fn failures_are_counted_by_rule() {
        let all = [
            failure("GET /pets", "ST103", 400),
            failure("GET /empty", "ST103", 200),
            failure("GET /pets", "ST202", 400),
        ];
        assert_eq!(
            count(&spec(), None, &all),
            [("server-refusal-undocumented", 1), ("responses-empty", 1)]
        );
    }
}
