//! Where a failure is in the spec: the operation it is of, and the
//! pointers to its parameters, each `$ref` followed.

use serde_json::Value;

use super::Failure;

/// The operation a failure is of: the report's block, or for stateful
/// tests the spec path whose template the failed request's path ends
/// with (the server's base path before it).
pub(super) fn operation_of(spec: &Value, failure: &Failure) -> Option<(String, String)> {
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

/// `pointer`, or the pointer its node's local `$ref`s lead to (a few
/// steps at most); `None` where one leads nowhere.
pub(super) fn resolved(spec: &Value, mut pointer: String) -> Option<String> {
    for _ in 0..8 {
        let node = spec.pointer(&pointer)?;
        match node.get("$ref").and_then(Value::as_str) {
            Some(reference) => pointer = reference.strip_prefix('#')?.to_owned(),
            None => return Some(pointer),
        }
    }
    None
}

/// `pointer` with each local `$ref` on its way followed: a response's
/// `schema/properties/results`, where `schema` is a `$ref`, is the
/// component's `properties/results`; `None` where one leads nowhere.
pub(super) fn followed(spec: &Value, pointer: &str) -> Option<String> {
    let mut at = String::new();
    for segment in pointer.split('/').skip(1) {
        at = resolved(spec, at)?;
        at.push('/');
        at.push_str(segment);
    }
    resolved(spec, at)
}

/// The method (lower case) and path of every operation of `spec`.
pub(super) fn operations(spec: &Value) -> Vec<(String, String)> {
    let paths = spec.get("paths").and_then(Value::as_object);
    let mut found = Vec::new();
    for (path, item) in paths.into_iter().flatten() {
        for method in openapi_source::version::METHODS {
            if item.get(*method).is_some() {
                found.push(((*method).to_owned(), path.clone()));
            }
        }
    }
    found
}

/// The pointers to the parameters of an operation and of its path item,
/// each `$ref` followed.
pub(super) fn parameter_pointers(spec: &Value, method: &str, path: &str) -> Vec<String> {
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

/// The pointers to the schemas of an operation's request body, one per
/// media type, each `$ref` followed.
pub(super) fn body_schema_pointers(spec: &Value, method: &str, path: &str) -> Vec<String> {
    let body = format!(
        "/paths/{}/{method}/requestBody",
        openapi_source::escape_token(path)
    );
    let Some(content) = resolved(spec, body).map(|body| format!("{body}/content")) else {
        return Vec::new();
    };
    let media = spec.pointer(&content).and_then(Value::as_object);
    media
        .into_iter()
        .flatten()
        .map(|(name, _)| format!("{content}/{}/schema", openapi_source::escape_token(name)))
        .filter_map(|pointer| resolved(spec, pointer))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::{explain, failure};
    use serde_json::json;

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
}
