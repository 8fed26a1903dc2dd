//! schemathesis failures the spec itself makes unavoidable, each named by
//! the lint rule that reports its cause (issue #28: "any failure left is
//! one the spec itself makes unavoidable, named ... with the lint warning
//! that reports it"). Only what the spec decides counts:
//!
//! - ST103 (an undocumented status) for a 400/422 of an operation that
//!   documents no answer to an invalid request, or a 401/403 of one that
//!   needs credentials and documents no answer without them: the server
//!   must refuse the request and the spec gives it no documented status
//!   (`server-refusal-undocumented`).
//! - ST103 of an operation whose `responses` is empty: no status is
//!   documented at all (`responses-empty`).
//! - ST201 or ST202 of a form request to an operation whose form body has
//!   array or object members without an `encoding`: a form writes an
//!   array of one item as a string, an empty one as nothing, an object in
//!   no standard way, so the server cannot tell a valid request from an
//!   invalid one (`form-body-ambiguous`).
//! - ST201 or ST202 of an object query parameter written member by
//!   member (`form`, `explode`) that has array or object members, whose
//!   writing OpenAPI leaves undefined: schemathesis writes an empty one
//!   `name=`, which the server reads as a string
//!   (`query-object-ambiguous`).
//! - ST202 refused for a parameter that is a string with an integer
//!   `format` and no `pattern` (influxdb's `seconds`): schemathesis takes
//!   any text, the server an integer's (`integer-format-on-string`).
//! - ST202 refused for an integer past its Rust type, of an operation that
//!   takes integers whose range the spec does not state: the server's type
//!   comes from the `format` (or none), and schemathesis reads neither
//!   (`integer-range-unstated`).
//! - ST108 (an answer that breaks its schema) where the schema schemathesis
//!   names contradicts itself (an `enum` of integers for a string): no
//!   answer fits it (`constraint-contradiction`). So is ST101 (a server
//!   error) where the mock could make no answer of a status that decodes,
//!   and that status's schema contradicts itself.
//! - Any check of a `101 Switching Protocols` answer to an operation whose
//!   only success is that upgrade: what follows is not HTTP, which
//!   schemathesis cannot read (`success-is-upgrade`).
//! - ST202 refused for a missing discriminator property that some variant
//!   does not require: the body fits the schema, but no reader can tell
//!   its variant (`discriminator-property-optional`).
//! - ST111 (a discriminator value its mapping does not know) where the
//!   spec names a variant implicitly but gives its property other values:
//!   the answer carries the variant's own value, which schemathesis reads
//!   against the schema names (`discriminator-value-contradiction`).
//! - ST202 in a stateful test, refused for the path parameter of an item
//!   whose creating operation took its identifier as any string: the test
//!   addressed the item by the key it sent (`identifier-wider-than-parameter`).
//! - Any check of a stateful test whose path holds an array's Python text
//!   (`%5B'a',%20'b'%5D`) where the spec creates an item with an array or
//!   object key and addresses it by one path segment: the test made the
//!   path from the key, in no way the spec states
//!   (`identifier-wider-than-parameter`).
//! - ST202 refused for its body's media type where the operation
//!   declares a `Content-Type` header parameter, whose value schemathesis
//!   sends in place of the body's (`reserved-header-parameter`).
//! - ST201 accepting `null` for a body member whose schema is nullable
//!   with an `enum` that does not list `null`: OpenAPI 3.0.3's text takes
//!   it, its clarification and schemathesis do not
//!   (`nullable-enum-without-null`).
//! - ST201 or ST202 of a parameter whose schema contradicts itself (an
//!   integer whose `enum` lists strings: no value fits it), so that no
//!   server can take the values the spec means and refuse the others by
//!   it (`constraint-contradiction`).
//! - ST104, ST105, ST108 or ST109 of a 204 (205, 304, 1xx) answer whose
//!   response the operation documents with content: HTTP sends those
//!   statuses without any (`bodyless-status-content`).
//! - ST108 of an answer that fits two variants of a `oneOf` where one
//!   variant's every value fits another (influxdb's
//!   `DashboardWithViewProperties` within `Dashboard`): the answer is a
//!   value of the `oneOf`'s variant, and no value of that variant fits the
//!   `oneOf` (`one-of-overlap`).
//! - ST202, or ST103 of its 400, in a stateful test, refused for a path
//!   parameter whose schema on that path differs from the same
//!   parameter's on another (SendGrid's `template_id`: any string on the
//!   template, a UUID on its versions): the test carried a value one path
//!   takes to the other (`path-parameter-inconsistent`).
//! - ST202 (a valid request refused) answered with a status the
//!   operation documents where it documents no answer a valid request
//!   gets, no 1xx, 2xx, 3xx or `default` (`success-undocumented`).
//! - ST203 (a missing `Authorization` answered other than 401) answered
//!   403 by an operation that documents 403 and no 401 for a request
//!   without credentials: the server answers as the spec documents
//!   (`unauthorized-undocumented`).
//! - ST301 (a deleted resource still there) of an operation, on the
//!   deleted path or under it, that documents no answer for a resource
//!   that is not there (404, 4XX or default):
//!   the server has no documented way to say it is gone
//!   (`not-found-undocumented`).
//!
//! Everything else is the generated server's or mock's to fix.

use serde_json::Value;

use super::schemathesis::Failure;
use bindings_codegen::generate::{
    Refused, ambiguous_forms, not_found_unanswerable, undocumented_refusals, unstated_integers,
};

/// The operation a failure is of: the report's block, or for stateful
/// tests the spec path whose template the failed request's path ends
/// with (the server's base path before it).
fn operation_of(spec: &Value, failure: &Failure) -> Option<(String, String)> {
    if let Some((method, path)) = failure.operation.split_once(' ')
        && path.starts_with('/')
    {
        return Some((method.to_ascii_lowercase(), path.to_owned()));
    }
    let (method, url_path) = failure.request.as_ref()?;
    let method = method.to_ascii_lowercase();
    // Empty segments count: a path parameter left empty is one.
    let segments: Vec<&str> = url_path.split('/').skip(1).collect();
    let paths = spec.get("paths")?.as_object()?;
    // The longest template that fits, the one with more literal segments
    // among those as long: `/ips` fits the tail of `/v3/ips/pools/x/ips`,
    // `/ips/pools/{pool_name}/ips` is the operation.
    let template = paths
        .iter()
        .filter_map(|(template, item)| {
            item.get(&method)?;
            let wanted: Vec<&str> = template.split('/').skip(1).collect();
            let tail = segments.get(segments.len().checked_sub(wanted.len())?..)?;
            let fits = wanted
                .iter()
                .zip(tail)
                .all(|(want, got)| want.starts_with('{') || want == got);
            let literal = wanted.iter().filter(|want| !want.starts_with('{')).count();
            fits.then_some((wanted.len(), literal, template))
        })
        .max_by_key(|(length, literal, _)| (*length, *literal))?
        .2
        .clone();
    Some((method, template))
}

/// What the spec's lint findings say of its operations, found once per
/// spec and asked of each failure.
struct Causes {
    refusals: Vec<bindings_codegen::generate::Undocumented>,
    forbidden: Vec<bindings_codegen::generate::Undocumented>,
    inconsistent: Vec<openapi_lint::Inconsistent>,
    forms: Vec<bindings_codegen::generate::Ambiguous>,
    query_objects: Vec<bindings_codegen::generate::Ambiguous>,
    integers: Vec<bindings_codegen::generate::Unstated>,
    deletions: Vec<bindings_codegen::generate::Unanswerable>,
    contradictions: openapi_lint::Contradictions,
    discriminators: Vec<bindings_codegen::generate::DiscriminatorContradiction>,
    upgrades: Vec<bindings_codegen::generate::UpgradeOnly>,
    optional_tags: Vec<bindings_codegen::generate::OptionalProperty>,
    identifiers: Vec<bindings_codegen::generate::WiderIdentifier>,
    nullable_enums: Vec<bindings_codegen::generate::NullableEnum>,
    implied_objects: Vec<bindings_codegen::generate::ImpliedObject>,
    framing: Vec<bindings_codegen::generate::FramingParameter>,
    reserved: Vec<bindings_codegen::generate::FramingParameter>,
    /// The spec as written (schemathesis reads it so: its `allOf`s not
    /// merged), and its contradictions, where known.
    written: Option<(Value, openapi_lint::Contradictions)>,
}

impl Causes {
    fn of(spec: &Value) -> Causes {
        Causes {
            refusals: undocumented_refusals(spec),
            forbidden: bindings_codegen::generate::forbidden_only(spec),
            inconsistent: openapi_lint::inconsistent_path_parameters(spec),
            forms: ambiguous_forms(spec),
            query_objects: bindings_codegen::generate::ambiguous_query_objects(spec),
            integers: unstated_integers(spec),
            deletions: not_found_unanswerable(spec),
            contradictions: openapi_lint::Contradictions::new(spec),
            discriminators: bindings_codegen::generate::discriminator_contradictions(spec),
            upgrades: bindings_codegen::generate::upgrade_only(spec),
            optional_tags: bindings_codegen::generate::optional_properties(spec),
            identifiers: bindings_codegen::generate::wider_identifiers(spec),
            nullable_enums: bindings_codegen::generate::nullable_enums(spec),
            implied_objects: bindings_codegen::generate::implied_objects(spec),
            framing: bindings_codegen::generate::framing_parameters(spec),
            reserved: bindings_codegen::generate::reserved_parameters(spec),
            written: None,
        }
    }
}

/// Whether `failure` is the mock's 500 for an answer of its own that does
/// not decode (`the mock's example `…` (200) of `op` does not decode`),
/// where that status's schema contradicts itself: no answer fits it.
fn answer_contradicts(
    spec: &Value,
    causes: &Causes,
    method: &str,
    path: &str,
    failure: &Failure,
) -> bool {
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

/// `pointer`, or the pointer its node's local `$ref`s lead to (a few
/// steps at most); `None` where one leads nowhere.
fn resolved(spec: &Value, mut pointer: String) -> Option<String> {
    for _ in 0..8 {
        let node = spec.pointer(&pointer)?;
        match node.get("$ref").and_then(Value::as_str) {
            Some(reference) => pointer = reference.strip_prefix('#')?.to_owned(),
            None => return Some(pointer),
        }
    }
    None
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

/// Whether `failure` names a parameter (`Invalid component: parameter
/// \`updown\` in path - …`) whose schema contradicts itself (an integer
/// whose `enum` lists strings): no value fits it, so no server can take
/// the values the spec means and refuse the others by it.
fn parameter_contradicts(
    spec: &Value,
    causes: &Causes,
    method: &str,
    path: &str,
    failure: &Failure,
) -> bool {
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

/// The pointers to the parameters of an operation and of its path item,
/// each `$ref` followed.
fn parameter_pointers(spec: &Value, method: &str, path: &str) -> Vec<String> {
    let item = format!("/paths/{}", openapi_source::escape_token(path));
    [
        format!("{item}/{method}/parameters"),
        format!("{item}/parameters"),
    ]
    .into_iter()
    .filter_map(|list| Some((list.clone(), spec.pointer(&list)?.as_array()?.len())))
    .flat_map(|(list, count)| (0..count).map(move |index| format!("{list}/{index}")))
    .filter_map(|pointer| resolved(spec, pointer))
    .collect()
}

/// Whether `failure` is an answer that fit two variants of a `oneOf`
/// whose schema (the answer's, or the one schemathesis names) has a
/// variant every value of which fits another: no value of that variant
/// fits the `oneOf`.
fn one_of_overlap(spec: &Value, method: &str, path: &str, failure: &Failure) -> bool {
    const SEVERAL: &str = "is valid under more than one of the schemas listed in the 'oneOf'";
    if !failure
        .violation
        .as_deref()
        .is_some_and(|v| v.contains(SEVERAL))
    {
        return false;
    }
    let at = failure.schema_at.as_deref().unwrap_or_default();
    schema_pointers(spec, method, path, failure.received, at)
        .into_iter()
        .filter(|pointer| pointer.ends_with(at))
        .filter_map(|pointer| resolved(spec, pointer))
        .any(|pointer| !openapi_lint::Contradictions::one_of_overlaps(spec, &pointer).is_empty())
}

/// The lint rule of a failure the spec makes unavoidable.
pub fn explain(spec: &Value, failure: &Failure) -> Option<&'static str> {
    explain_by(spec, &Causes::of(spec), failure)
}

fn explain_by(spec: &Value, causes: &Causes, failure: &Failure) -> Option<&'static str> {
    if composite_key_in_path(causes, failure) {
        return Some("identifier-wider-than-parameter");
    }
    let (method, path) = operation_of(spec, failure)?;
    let check = failure.check.as_str();
    if matches!(check, "ST201" | "ST202") && ambiguous_form(causes, &method, &path, failure) {
        return Some("form-body-ambiguous");
    }
    if matches!(check, "ST201" | "ST202")
        && causes.query_objects.iter().any(|a| {
            a.path == path
                && a.method == method
                && a.parameter.as_ref().is_some_and(|name| {
                    failure.says(&format!("query parameter `{name}`"))
                        || failure
                            .component
                            .as_deref()
                            .is_some_and(|c| c.contains(&format!("parameter `{name}` in query")))
                })
        })
    {
        return Some("query-object-ambiguous");
    }
    if check == "ST202" && integer_string_refused(spec, &method, &path, failure) {
        return Some("integer-format-on-string");
    }
    if check == "ST202" && integer_past_its_type(causes, &method, &path, failure) {
        return Some("integer-range-unstated");
    }
    if check == "ST108"
        && let Some(at) = &failure.schema_at
        && [(spec, &causes.contradictions)]
            .into_iter()
            .chain(
                causes
                    .written
                    .iter()
                    .map(|(written, found)| (written, found)),
            )
            .any(|(document, found)| {
                schema_pointers(document, &method, &path, failure.received, at)
                    .iter()
                    .any(|pointer| !found.of(document, pointer).is_empty())
            })
    {
        return Some("constraint-contradiction");
    }
    if matches!(check, "ST201" | "ST202")
        && parameter_contradicts(spec, causes, &method, &path, failure)
    {
        return Some("constraint-contradiction");
    }
    if matches!(check, "ST104" | "ST105" | "ST108" | "ST109")
        && bodyless_with_content(spec, &method, &path, failure.received)
    {
        return Some("bodyless-status-content");
    }
    if check == "ST108" && one_of_overlap(spec, &method, &path, failure) {
        return Some("one-of-overlap");
    }
    if check == "ST111"
        && let Some((property, value)) = &failure.discriminator
        && causes
            .discriminators
            .iter()
            .any(|c| &c.property == property && c.values.contains(value))
    {
        return Some("discriminator-value-contradiction");
    }
    if failure.received == Some(101)
        && causes
            .upgrades
            .iter()
            .any(|u| u.path == path && u.method == method)
    {
        return Some("success-is-upgrade");
    }
    if check == "ST202"
        && causes
            .optional_tags
            .iter()
            .any(|o| failure.says(&format!("the discriminator `{}` is missing", o.property)))
    {
        return Some("discriminator-property-optional");
    }
    if check == "ST202"
        && failure.operation == "Stateful tests"
        && causes.identifiers.iter().any(|w| {
            w.item_path == path && failure.says(&format!("path parameter `{}`", w.parameter))
        })
    {
        return Some("identifier-wider-than-parameter");
    }
    // HTTP's own bare 400 for a framing header a parameter let through.
    if failure.received == Some(400)
        && failure.answer.ends_with("<EMPTY>")
        && causes
            .framing
            .iter()
            .any(|f| f.path == path && f.method == method)
    {
        return Some("framing-header-parameter");
    }
    if check == "ST201" && content_type_left_out(spec, causes, &method, &path, failure) {
        return Some("reserved-header-parameter");
    }
    if check == "ST202" && content_type_overridden(causes, &method, &path, failure) {
        return Some("reserved-header-parameter");
    }
    if check == "ST202" && not_an_object(causes, failure) {
        return Some("object-type-implied");
    }
    if check == "ST201" && null_for_nullable_enum(causes, failure) {
        return Some("nullable-enum-without-null");
    }
    if check == "ST101" && answer_contradicts(spec, causes, &method, &path, failure) {
        return Some("constraint-contradiction");
    }
    if failure.operation == "Stateful tests"
        && matches!(check, "ST202" | "ST103")
        && failure.received == Some(400)
        && causes
            .inconsistent
            .iter()
            .any(|i| i.path == path && failure.says(&format!("path parameter `{}`", i.name)))
    {
        return Some("path-parameter-inconsistent");
    }
    if check == "ST202" && only_failures_documented(spec, &method, &path, failure.received) {
        return Some("success-undocumented");
    }
    if check == "ST203"
        && failure.received == Some(403)
        && causes
            .forbidden
            .iter()
            .any(|u| u.path == path && u.method == method)
    {
        return Some("unauthorized-undocumented");
    }
    if check == "ST301" {
        return causes
            .deletions
            .iter()
            .any(|u| u.path == path && u.method == method)
            .then_some("not-found-undocumented");
    }
    if check != "ST103" {
        return None;
    }
    let operation = spec.get("paths")?.get(&path)?.get(&method)?;
    if operation
        .get("responses")
        .and_then(Value::as_object)
        .is_none_or(serde_json::Map::is_empty)
    {
        return Some("responses-empty");
    }
    let refused: &[Refused] = match failure.received? {
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
    causes
        .refusals
        .iter()
        .any(|u| u.path == path && u.method == method && refused.contains(&u.refused))
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

/// Whether `failure` is of a stateful test that addressed an item by the
/// array it was created with, where the spec creates items with an array
/// key and addresses them by one path segment: schemathesis writes the
/// array as Python's text of a list (`['a', 'b/c']`), its `/`, `?` and `#`
/// as they are, so the path is one of its own making (Iceberg's
/// `namespace`).
fn composite_key_in_path(causes: &Causes, failure: &Failure) -> bool {
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
    !causes.implied_objects.is_empty() && (by_schema || by_type)
}

/// Whether `failure` is a request with a body accepted though it "leaves
/// out" a `Content-Type` header parameter: the HTTP library writes the
/// body's own `Content-Type` whatever the case says.
fn content_type_left_out(
    spec: &Value,
    causes: &Causes,
    method: &str,
    path: &str,
    failure: &Failure,
) -> bool {
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
    let missing_required = failure
        .component
        .as_deref()
        .is_some_and(|component| component.contains("violates `required`"));
    causes.forms.iter().any(|a| {
        a.path == path
            && a.method == method
            && a.media == essence
            && a.members.iter().any(|name| {
                // A `deepObject` array is ambiguous only written bare
                // (`expand=a`); in brackets it says what it is.
                let given = if a.deep_arrays.contains(name) {
                    keys.contains(name)
                } else {
                    keys.iter().map(member).any(|key| &key == name)
                };
                given || missing_required
            })
    })
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

/// Whether `failure` is a request accepted with `null` for a body member
/// whose schema is nullable with an `enum` that does not list `null`, as
/// schemathesis names it (`in body - tag: Incorrect type`).
fn null_for_nullable_enum(causes: &Causes, failure: &Failure) -> bool {
    let Some(component) = failure.component.as_deref() else {
        return false;
    };
    let body = failure
        .body
        .as_deref()
        .and_then(|body| serde_json::from_str::<Value>(body).ok());
    causes
        .nullable_enums
        .iter()
        .filter_map(|n| n.member.as_deref())
        .any(|member| {
            // `in body - tag: Incorrect type`, or nested: `in body - config
            // -> jira -> custom_fields -> Array with invalid items:
            // source_incident_field: Incorrect type`.
            let named = component.contains("in body - ")
                && (component.contains(&format!("- {member}:"))
                    || component.contains(&format!(": {member}:")));
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

/// Whether `failure` is a refused integer past the Rust type of an
/// operation that takes integers of unstated range.
fn integer_past_its_type(causes: &Causes, method: &str, path: &str, failure: &Failure) -> bool {
    // What std's and serde's integer parsing say of such a value, and the
    // body check of its bounds (the type's, which lint's translation
    // states: `to_json_schema`).
    const PAST: [&str; 6] = [
        "number too large to fit in target type",
        "number too small to fit in target type",
        "invalid value: integer",
        "invalid digit found in string",
        "is greater than the maximum of",
        "is less than the minimum of",
    ];
    // An answer that does not say why (the spec's error body, filled): the
    // request's JSON body holding a whole number no 64-bit integer holds.
    let said = PAST.iter().any(|said| failure.says(said)) || float_past_its_type(failure);
    // A body schemathesis cut short for display, or with lone surrogates,
    // does not parse: its text is read for such a number instead.
    let sent = failure.body.as_deref().is_some_and(|body| {
        serde_json::from_str::<Value>(body).map_or_else(
            |_| writes_integer_past_64_bits(body),
            |body| holds_integer_past_64_bits(&body),
        )
    });
    (said || sent)
        && causes
            .integers
            .iter()
            .any(|u| u.path == path && u.method == method)
}

/// Whether `failure` says serde refused a whole floating point number
/// for an integer type it is past (`invalid type: floating point
/// `36616423.0`, expected u16`): serde_json reads a number past 64 bits,
/// or one written with a fraction, as a float. One the type holds
/// (`443.0`) is the server's to take, since JSON Schema calls it an
/// integer.
fn float_past_its_type(failure: &Failure) -> bool {
    const SAID: &str = "invalid type: floating point `";
    [Some(failure.answer.as_str()), failure.reason.as_deref()]
        .into_iter()
        .flatten()
        .filter_map(|text| text.split_once(SAID))
        .filter_map(|(_, rest)| {
            let (number, rest) = rest.split_once('`')?;
            let expected = rest.strip_prefix(", expected ")?;
            let ty: String = expected
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            Some((number.parse::<f64>().ok()?, ty))
        })
        .any(|(float, ty)| {
            let (least, most) = match ty.as_str() {
                "i8" => (i8::MIN as f64, i8::MAX as f64),
                "i16" => (i16::MIN as f64, i16::MAX as f64),
                "i32" => (i32::MIN as f64, i32::MAX as f64),
                "u8" => (0.0, u8::MAX as f64),
                "u16" => (0.0, u16::MAX as f64),
                "u32" => (0.0, u32::MAX as f64),
                "u64" => (0.0, 18_446_744_073_709_551_615.0),
                _ => (-9_223_372_036_854_775_808.0, 9_223_372_036_854_775_807.0),
            };
            float.fract() == 0.0 && !(least..=most).contains(&float)
        })
}

/// Whether `text` writes a whole number of 20 digits or more (past every
/// 64-bit integer but `u64`'s top, which no random value hits) outside
/// a fraction: the number itself, not a decimal's digits.
fn writes_integer_past_64_bits(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        if !bytes[start].is_ascii_digit() {
            start += 1;
            continue;
        }
        let end = start
            + bytes[start..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
        let before = start.checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(end).copied();
        let standalone = !matches!(before, Some(b'.' | b'e' | b'E' | b'\\'))
            && !before.is_some_and(|b| b.is_ascii_alphanumeric())
            && !matches!(after, Some(b'.' | b'e' | b'E'));
        if standalone && end - start >= 20 {
            return true;
        }
        start = end;
    }
    false
}

/// Whether `value` holds, at any depth, a whole number at or past 2^64
/// (or below -2^63): no Rust integer holds it.
fn holds_integer_past_64_bits(value: &Value) -> bool {
    match value {
        Value::Number(number) => number.as_f64().is_some_and(|float| {
            number.is_f64()
                && float.fract() == 0.0
                && !(-9_223_372_036_854_775_808.0..18_446_744_073_709_551_616.0).contains(&float)
        }),
        Value::Array(items) => items.iter().any(holds_integer_past_64_bits),
        Value::Object(members) => members.values().any(holds_integer_past_64_bits),
        _ => false,
    }
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

/// The failures of `each` the spec explains, counted by rule.
pub fn count(
    spec: &Value,
    written: Option<&Value>,
    each: &[Failure],
) -> Vec<(&'static str, usize)> {
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    for rule in rules(spec, written, each).into_iter().flatten() {
        match counts.iter_mut().find(|(name, _)| *name == rule) {
            Some((_, n)) => *n += 1,
            None => counts.push((rule, 1)),
        }
    }
    counts
}

/// The lint rule of each of `each` that the spec makes unavoidable, in
/// order (`None` for the rest). `spec` is the generator's model of it;
/// `written`, the spec as written, where schemathesis' pointers into it
/// name schemas the model has merged.
pub fn rules(spec: &Value, written: Option<&Value>, each: &[Failure]) -> Vec<Option<&'static str>> {
    let mut causes = Causes::of(spec);
    if let Some(written) = written {
        // The model says `type: object` where the spec implied it.
        causes.implied_objects = bindings_codegen::generate::implied_objects(written);
    }
    causes.written = written.map(|w| (w.clone(), openapi_lint::Contradictions::new(w)));
    each.iter()
        .map(|failure| explain_by(spec, &causes, failure))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn failure(operation: &str, check: &str, received: u16) -> Failure {
        Failure {
            operation: operation.into(),
            check: check.into(),
            received: Some(received),
            media: None,
            answer: String::new(),
            request: None,
            body: None,
            component: None,
            schema_at: None,
            violation: None,
            discriminator: None,
            target: None,
            reason: None,
            case: None,
        }
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
        assert_eq!(
            explain(&spec, &failure("GET /empty", "ST103", 200)),
            Some("responses-empty")
        );
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
        // A multipart body's array given as one part (`tags=AAA`).
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
        // linode: `tag: null` for a nullable enum without `null`.
        let record = json!({"paths": {"/records": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {"type": "object",
                "properties": {"tag": {"type": "string", "nullable": true, "enum": ["issue"]}}}}}},
            "responses": {"200": {"description": "ok"}}}}}});
        let mut null = failure("POST /records", "ST201", 200);
        null.component = Some("Invalid component: in body - tag: Incorrect type".into());
        null.body = Some(r#"{"name": "test", "tag": null}"#.into());
        assert_eq!(explain(&record, &null), Some("nullable-enum-without-null"));
        // pagerduty-integration-jira-cloud: the same, in an array's items.
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
        null.body = Some(r#"{"name": "test", "tag": 5}"#.into());
        assert_eq!(explain(&record, &null), None, "not null");
        // A stateful test's failure: the operation from its request.
        let mut stateful = failure("Stateful tests", "ST103", 400);
        stateful.request = Some(("GET".into(), "/api/v3/pets".into()));
        assert_eq!(
            explain(&spec, &stateful),
            Some("server-refusal-undocumented")
        );
        // buildomat: `minseq` is a `format: uint` with no maximum.
        let buildomat = json!({"paths": {"/events": {"get": {
            "parameters": [{"name": "minseq", "in": "query",
                            "schema": {"type": "integer", "format": "uint", "minimum": 0}}],
            "responses": {"200": {"description": "ok"}}
        }}}});
        let mut large = failure("GET /events", "ST202", 400);
        assert_eq!(explain(&buildomat, &large), None, "no integer refusal said");
        large.answer =
            "`{\"detail\":\"query parameter `minseq`: number too large to fit in target type\"}`"
                .into();
        assert_eq!(explain(&buildomat, &large), Some("integer-range-unstated"));
        // qdrant: the spec's error body says nothing; the request shows it.
        let mut silent = failure("GET /events", "ST202", 400);
        silent.body = Some(r#"{"vector_size": 745316922658611789824}"#.into());
        assert_eq!(explain(&buildomat, &silent), Some("integer-range-unstated"));
        silent.body = Some(r#"{"vector_size": 7}"#.into());
        assert_eq!(explain(&buildomat, &silent), None, "an integer that fits");
        // linode: the spec's error body says nothing; the mock's log does.
        silent.answer = "`{\"errors\":[{\"reason\":\"fieldname must be a valid value\"}]}`".into();
        silent.reason =
            Some("query parameter `minseq`: number too large to fit in target type".into());
        assert_eq!(explain(&buildomat, &silent), Some("integer-range-unstated"));
        let all = [
            failure("GET /pets", "ST103", 400),
            failure("GET /empty", "ST103", 200),
            failure("GET /pets", "ST202", 400),
        ];
        assert_eq!(
            count(&spec, None, &all),
            [("server-refusal-undocumented", 1), ("responses-empty", 1)]
        );
    }

    #[test]
    fn a_query_integer_past_its_format_is_the_spec_s() {
        // omicron's sled agent: `generation` is a `uint64` by `$ref`.
        let sled = json!({"paths": {"/artifacts/{sha256}/copy-from-depot": {"post": {
            "parameters": [
                {"in": "path", "name": "sha256", "required": true, "schema": {"type": "string"}},
                {"in": "query", "name": "generation", "required": true,
                 "schema": {"$ref": "#/components/schemas/Generation"}}
            ],
            "responses": {"default": {"description": "error"}}
        }}}, "components": {"schemas": {"Generation": {
            "type": "integer", "format": "uint64", "minimum": 0
        }}}});
        let mut refused = failure("POST /artifacts/{sha256}/copy-from-depot", "ST202", 400);
        refused.answer = "`{\"message\":\"the query does not fit its schema at `/generation`: 3.1e+33 is greater than the maximum of 18446744073709551615\"}`".into();
        assert_eq!(explain(&sled, &refused), Some("integer-range-unstated"));
    }

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
    fn a_float_refused_for_an_integer_is_the_spec_s_only_past_64_bits() {
        let spec = json!({"paths": {"/tables": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {"type": "object",
                "properties": {"rows": {"type": "integer"}}}}}},
            "responses": {"200": {"description": ""}, "400": {"description": ""}}}}}});
        let mut past = failure("POST /tables", "ST202", 400);
        past.answer = "`{\"message\":\"invalid body at `rows`: invalid type: floating point `-1.2975596165174815e+30`, expected i64\"}`".into();
        assert_eq!(explain(&spec, &past), Some("integer-range-unstated"));
        let mut whole = failure("POST /tables", "ST202", 400);
        whole.answer = "`{\"message\":\"invalid body at `rows`: invalid type: floating point `443.0`, expected i64\"}`".into();
        assert_eq!(explain(&spec, &whole), None, "an integer JSON Schema takes");
        let mut narrow = failure("POST /tables", "ST202", 400);
        narrow.answer = "`{\"detail\":\"invalid body at `rate`: invalid type: floating point `36616423.0`, expected u16 at line 1\"}`".into();
        assert_eq!(explain(&spec, &narrow), Some("integer-range-unstated"));
    }

    #[test]
    fn a_body_cut_short_is_read_for_a_number_past_64_bits() {
        assert!(writes_integer_past_64_bits(
            r#"{"fields": [194, 9106647920712789310570496, -2"#
        ));
        assert!(!writes_integer_past_64_bits(
            r#"{"a": 0.12345678901234567890123}"#
        ));
        assert!(!writes_integer_past_64_bits(
            r#"{"a": "\u00e9", "b": 12345}"#
        ));
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
    fn a_stateful_request_is_of_the_longest_template_that_fits_its_path() {
        // SendGrid: `/v3/ips/pools/x/ips` is `/ips/pools/{pool_name}/ips`
        // (no 400 documented), not `/ips` (400 documented).
        let spec = json!({"paths": {
            "/ips": {"post": {"responses": {"201": {"description": ""}, "400": {"description": ""}}}},
            "/ips/pools/{pool_name}/ips": {"post": {"responses": {"201": {"description": ""}}}}
        }});
        let mut refused = failure("Stateful tests", "ST103", 400);
        refused.request = Some(("POST".into(), "/v3/ips/pools/%C2%9C/ips".into()));
        assert_eq!(
            explain(&spec, &refused),
            Some("server-refusal-undocumented")
        );
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
}
