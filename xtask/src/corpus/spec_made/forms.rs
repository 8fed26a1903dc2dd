//! Requests no form writes unambiguously: a form body's array or object
//! members without an `encoding`, and an exploded form object query
//! parameter with such members.

use super::{Case, Causes, Failure};

/// ST201 or ST202 of a form request whose body has members no form
/// writes unambiguously, and gives one.
pub(super) fn form_ambiguous(case: &Case) -> bool {
    case.check_is(&["ST201", "ST202"])
        && ambiguous_form(case.causes, &case.method, &case.path, case.failure)
}

/// ST201 or ST202 naming an exploded form object query parameter that
/// has array or object members.
pub(super) fn query_object_ambiguous(case: &Case) -> bool {
    let failure = case.failure;
    case.check_is(&["ST201", "ST202"])
        && case.causes.query_objects.iter().any(|a| {
            case.is_of(&a.path, &a.method)
                && a.parameter.as_ref().is_some_and(|name| {
                    failure.says(&format!("query parameter `{name}`"))
                        || failure
                            .component
                            .as_deref()
                            .is_some_and(|c| c.contains(&format!("parameter `{name}` in query")))
                })
        })
}

/// ST201 naming an array query or header parameter written as one value
/// whose items cannot be empty, sent empty (`kind=`, `-H 'X-Kind;'`):
/// schemathesis meant an array of one empty item, which the same bytes as
/// the empty array are.
pub(super) fn array_parameter_empty(case: &Case) -> bool {
    let failure = case.failure;
    let query_empty = |name: &str| {
        let query = failure.target.as_deref().and_then(|t| t.split_once('?'));
        query.is_some_and(|(_, query)| {
            form_urlencoded::parse(query.as_bytes())
                .any(|(key, value)| key == name && value.is_empty())
        })
    };
    let sent_empty = |place: &str, name: &str| match place {
        "header" => failure
            .empty_headers
            .iter()
            .any(|header| header.eq_ignore_ascii_case(name)),
        _ => query_empty(name),
    };
    case.check_is(&["ST201"])
        && case.causes.empty_arrays.iter().any(|a| {
            case.is_of(&a.path, &a.method)
                && a.parameter.as_deref().is_some_and(|name| {
                    failure
                        .component
                        .as_deref()
                        .is_some_and(|c| names_parameter(c, name, a.media))
                        && sent_empty(a.media, name)
                })
        })
}

/// Whether schemathesis' `component` names the parameter `name` in
/// `media` (`query`, `header`): alone (`` parameter `kind` in query ``)
/// or among others (`` parameters `status`, `kind` in query ``, where the
/// request sent only `kind=`; the others are left out, which their
/// being optional allows).
fn names_parameter(component: &str, name: &str, media: &str) -> bool {
    if component.contains(&format!("parameter `{name}` in {media}")) {
        return true;
    }
    component
        .split_once("parameters ")
        .and_then(|(_, rest)| rest.split_once(&format!(" in {media}")))
        .is_some_and(|(listed, _)| listed.split(", ").any(|n| n == format!("`{name}`")))
}

/// Whether `failure` is of a form request to an operation whose form body
/// has members no form writes unambiguously (an array of one item is a
/// string's bytes, an object has no standard writing), and gives one.
fn ambiguous_form(causes: &Causes, method: &str, path: &str, failure: &Failure) -> bool {
    let media = failure.media.as_deref().unwrap_or_default();
    let Some(essence) = ["application/x-www-form-urlencoded", "multipart/form-data"]
        .into_iter()
        .find(|essence| media.starts_with(essence))
    else {
        return false;
    };
    let body = failure.body.as_deref().unwrap_or_default();
    let keys: Vec<String> = if essence == "multipart/form-data" {
        part_names(body)
    } else {
        form_urlencoded::parse(body.as_bytes())
            .map(|(key, _)| key.into_owned())
            .collect()
    };
    let member = |key: &String| key.split('[').next().unwrap_or(key).to_owned();
    // A required member left out is what a form writes for an empty array
    // or object: schemathesis' "missing" is a valid body too.
    let component = failure.component.as_deref().unwrap_or_default();
    let missing_required = component.contains("violates `required`");
    let missing = missing_member(component);
    causes.forms.iter().any(|a| {
        a.path == path
            && a.method == method
            && a.media == essence
            && a.members.iter().any(|name| {
                // A `deepObject` array is ambiguous only written bare
                // (`expand=a`); in brackets it says what it is. A
                // `deepObject` object only in its nested members, which
                // the failure names: left out, or refused there.
                let named = missing == Some(name.as_str());
                if a.deep_objects.contains(name) {
                    let refused_at = failure.says(&format!("at `/{name}`"))
                        || failure.says(&format!("at `/{name}/"));
                    return named || refused_at;
                }
                let given = if a.deep_arrays.contains(name) {
                    keys.contains(name)
                } else {
                    keys.iter().map(member).any(|key| &key == name)
                };
                given || missing_required || named
            })
    })
}

/// The body member whose required member schemathesis left out, as its
/// component names it: `enabled_events` of `Missing required property:
/// enabled_events`, `shipping` of `shipping -> Missing required
/// property: address` (the member itself, or the one it is within).
fn missing_member(component: &str) -> Option<&str> {
    const MISSING: &str = "Missing required property: ";
    let text = component.strip_prefix("Invalid component: ")?;
    if !text.contains(MISSING) {
        return None;
    }
    let member = match text.split_once(" -> ") {
        Some((within, _)) => within,
        None => text.strip_prefix(MISSING)?,
    };
    Some(member.trim())
}

/// The names of the parts of a multipart body as schemathesis prints it
/// (`Content-Disposition: form-data; name="tags"`).
fn part_names(body: &str) -> Vec<String> {
    body.split("name=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::{explain, failure};
    use serde_json::json;

    #[test]
    fn a_query_object_s_container_member_is_the_spec_s() {
        // influxdb's annotationd: `stickerIncludes=` for an empty map.
        let spec = json!({"paths": {"/annotations": {"get": {"parameters": [
            {"name": "AnnotationListFilter", "in": "query", "schema": {"type": "object",
                "properties": {"stickerIncludes": {"type": "object",
                    "additionalProperties": {"type": "string"}}}}}],
            "responses": {"200": {"description": ""}, "400": {"description": ""}}}}}});
        let mut refused = failure("GET /annotations", "ST202", 400);
        refused.answer = "`{\"message\":\"query parameter `AnnotationListFilter`: invalid type: string \\\"\\\", expected a map\"}`".into();
        assert_eq!(explain(&spec, &refused), Some("query-object-ambiguous"));
        refused.answer = "`{\"message\":\"query parameter `other`: invalid\"}`".into();
        assert_eq!(explain(&spec, &refused), None);
    }

    #[test]
    fn an_empty_array_in_one_value_is_the_spec_s_where_its_items_cannot_be_empty() {
        // The Petstore's `kind`: `kind=` is `[]` (accepted) and `[""]`.
        let spec = json!({"paths": {"/pet/findByKind": {"get": {"parameters": [
            {"name": "kind", "in": "query", "required": true, "style": "pipeDelimited",
                "schema": {"type": "array", "items": {"type": "string", "enum": ["dog", "cat"]}}}],
            "responses": {"200": {"description": ""}, "400": {"description": ""}}}}}});
        let mut accepted = failure("GET /pet/findByKind", "ST201", 200);
        accepted.component = Some(
            "Invalid component: parameter `kind` in query - violates `enum` at /properties/kind/items".into(),
        );
        accepted.target = Some("/v2/pet/findByKind?kind=".into());
        assert_eq!(
            explain(&spec, &accepted),
            Some("array-parameter-empty-ambiguous")
        );
        accepted.target = Some("/v2/pet/findByKind?kind=,".into());
        assert_eq!(explain(&spec, &accepted), None);
        // Named among others (`GET /pets/`, whose optional `status` the
        // request left out).
        accepted.component = Some("Invalid component: parameters `status`, `kind` in query".into());
        accepted.target = Some("/v2/pet/findByKind?kind=".into());
        assert_eq!(
            explain(&spec, &accepted),
            Some("array-parameter-empty-ambiguous")
        );
        accepted.component =
            Some("Invalid component: parameters `status`, `kinds` in query".into());
        assert_eq!(explain(&spec, &accepted), None, "another parameter");
    }

    #[test]
    fn an_empty_array_header_is_the_spec_s_where_its_items_cannot_be_empty() {
        // iceberg's `X-Iceberg-Access-Delegation`, sent as `-H 'X-...;'`.
        let spec = json!({"paths": {"/tables/{table}": {"get": {"parameters": [
            {"name": "table", "in": "path", "required": true, "schema": {"type": "string"}},
            {"name": "X-Iceberg-Access-Delegation", "in": "header", "schema": {"type": "array",
                "items": {"type": "string", "enum": ["vended-credentials", "remote-signing"]}}}],
            "responses": {"200": {"description": ""}, "400": {"description": ""}}}}}});
        let mut accepted = failure("GET /tables/{table}", "ST201", 200);
        accepted.component = Some(
            "Invalid component: parameter `X-Iceberg-Access-Delegation` in header - violates `enum` at /properties/X-Iceberg-Access-Delegation/items".into(),
        );
        assert_eq!(explain(&spec, &accepted), None);
        accepted.empty_headers = vec!["x-iceberg-access-delegation".into()];
        assert_eq!(
            explain(&spec, &accepted),
            Some("array-parameter-empty-ambiguous")
        );
    }

    #[test]
    fn a_form_array_of_one_is_the_spec_s_where_it_has_no_encoding() {
        // Swagger Petstore v3: `photoUrls=AAA` in a form is an array of one.
        let petstore = json!({"paths": {"/pet": {"post": {
            "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {
                "type": "object",
                "properties": {"photoUrls": {"type": "array", "items": {"type": "string"}}}
            }}}},
            "responses": {"200": {"description": "ok"}}
        }}}});
        let mut form = failure("POST /pet", "ST201", 200);
        form.body = Some("id=10&photoUrls=AAA".into());
        assert_eq!(explain(&petstore, &form), None, "not a form request");
        form.media = Some("application/x-www-form-urlencoded".into());
        assert_eq!(explain(&petstore, &form), Some("form-body-ambiguous"));
        form.body = Some("id=10&name=rex".into());
        assert_eq!(explain(&petstore, &form), None, "no ambiguous member given");
        // Twilio: a required array left out reads as an empty one.
        form.component = Some("Invalid component: in body - violates `required` (was g)".into());
        assert_eq!(explain(&petstore, &form), Some("form-body-ambiguous"));
        // Stripe, in schemathesis 4.32's words: the member named.
        form.component = Some("Invalid component: Missing required property: photoUrls".into());
        assert_eq!(explain(&petstore, &form), Some("form-body-ambiguous"));
        form.component =
            Some("Invalid component: photoUrls -> Missing required property: url".into());
        assert_eq!(explain(&petstore, &form), Some("form-body-ambiguous"));
        form.component = Some("Invalid component: Missing required property: name".into());
        assert_eq!(explain(&petstore, &form), None, "not an ambiguous member");
    }

    #[test]
    fn a_nested_member_of_a_deep_object_left_out_is_the_spec_s() {
        // Stripe `POST /v1/charges`: `shipping[address]`, a required object
        // that may be empty, is no pair at all when it is.
        let charges = json!({"paths": {"/charges": {"post": {
            "requestBody": {"content": {"application/x-www-form-urlencoded": {
                "encoding": {"shipping": {"style": "deepObject", "explode": true}},
                "schema": {"type": "object", "properties": {
                    "amount": {"type": "integer"},
                    "shipping": {"type": "object", "required": ["address", "name"],
                        "properties": {"name": {"type": "string"},
                            "address": {"type": "object",
                                "properties": {"city": {"type": "string"}}}}}}}}}},
            "responses": {"200": {"description": "ok"}}}}}});
        let mut left_out = failure("POST /charges", "ST201", 200);
        left_out.media = Some("application/x-www-form-urlencoded".into());
        left_out.body = Some("amount=0&shipping%5Bname%5D=".into());
        left_out.component =
            Some("Invalid component: shipping -> Missing required property: address".into());
        assert_eq!(explain(&charges, &left_out), Some("form-body-ambiguous"));
        left_out.component = Some("Invalid component: in body - amount: Incorrect type".into());
        assert_eq!(explain(&charges, &left_out), None, "another member");
        // `POST /v1/customers/{customer}`: `shipping[name]=` alone, which
        // schemathesis meant with an empty address.
        let mut refused = failure("POST /charges", "ST202", 400);
        refused.media = Some("application/x-www-form-urlencoded".into());
        refused.body = Some("shipping%5Bname%5D=".into());
        refused.reason = Some(
            "the request body does not fit its schema at `/shipping`: {\"name\":\"\"} is not valid"
                .into(),
        );
        assert_eq!(explain(&charges, &refused), Some("form-body-ambiguous"));
        refused.reason = Some("the request body does not fit its schema at `/amount`".into());
        assert_eq!(explain(&charges, &refused), None, "another member");
    }

    #[test]
    fn a_multipart_array_given_as_one_part_is_the_spec_s() {
        let multipart = json!({"paths": {"/messages": {"post": {
            "requestBody": {"content": {"multipart/form-data": {"schema": {
                "type": "object",
                "properties": {"tags": {"type": "array", "items": {"type": "string"}},
                               "embed": {"type": "object"}}
            }}}},
            "responses": {"201": {"description": "ok"}}
        }}}});
        let mut parts = failure("POST /messages", "ST201", 201);
        parts.media = Some("multipart/form-data; boundary=75c5".into());
        parts.body = Some(
            r#"--75c5\r\nContent-Disposition: form-data; name="tags"\r\n\r\nAAA\r\n--75c5--\r\n"#
                .into(),
        );
        assert_eq!(explain(&multipart, &parts), Some("form-body-ambiguous"));
        parts.body = Some(
            r#"--75c5\r\nContent-Disposition: form-data; name="embed"\r\n\r\n1\r\n--75c5--"#.into(),
        );
        assert_eq!(
            explain(&multipart, &parts),
            None,
            "an object is a JSON part"
        );
        parts.media = Some("application/x-www-form-urlencoded".into());
        parts.body = Some("tags=AAA".into());
        assert_eq!(
            explain(&multipart, &parts),
            None,
            "the operation takes no form"
        );
    }

    #[test]
    fn a_deep_object_array_is_ambiguous_only_written_bare() {
        // Stripe: `expand` is an array encoded as `deepObject`; written
        // bare it is ambiguous, in brackets it is not.
        let stripe = json!({"paths": {"/v1/customers": {"post": {
            "requestBody": {"content": {"application/x-www-form-urlencoded": {
                "schema": {"type": "object", "properties": {
                    "expand": {"type": "array", "items": {"type": "string"}}}},
                "encoding": {"expand": {"style": "deepObject", "explode": true}}
            }}},
            "responses": {"200": {"description": "ok"}}
        }}}});
        let mut expand = failure("POST /v1/customers", "ST201", 200);
        expand.media = Some("application/x-www-form-urlencoded".into());
        expand.body = Some("email=&expand=AAA".into());
        assert_eq!(explain(&stripe, &expand), Some("form-body-ambiguous"));
        expand.body = Some("email=&expand%5B0%5D=AAA".into());
        assert_eq!(explain(&stripe, &expand), None, "in brackets");
    }
}
