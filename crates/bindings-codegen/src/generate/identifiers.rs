//! The lint rule `identifier-wider-than-parameter`: an operation that
//! creates an item (`POST /Users`, beside `/Users/{UserSid}`) and takes
//! its identifier in the body (`id`, or a member named like the
//! parameter) as any string, where the parameter that addresses the item
//! takes only some strings (a `pattern`, `format`, `enum` or length), or
//! as an array or object where the parameter is one path segment
//! (Iceberg's `namespace`, an array of levels).
//! A client that keeps the key it sent to address the item later (as
//! schemathesis' stateful tests do) sends what the API refuses. If the
//! server assigns the identifier, the member is `readOnly`; if the client
//! chooses it, it has the parameter's schema.

use serde_json::Value;

use super::sample::{any_string, constrained_string, item_path};
use super::walk::{operations, resolve};

/// A creating operation whose body's identifier is wider than its item's
/// path parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WiderIdentifier {
    /// The pointer to the body member's schema.
    pub pointer: String,
    /// The creating operation's path and method as the spec writes them.
    pub path: String,
    pub method: String,
    /// The item's path and the parameter that addresses it.
    pub item_path: String,
    pub parameter: String,
    /// Whether the member is an array or object (else a string wider than
    /// the parameter).
    pub composite: bool,
    pub message: String,
}

/// Every `POST` of `raw` to a collection whose JSON body takes the item's
/// identifier as any string where the item's parameter is constrained.
pub fn wider_identifiers(raw: &Value) -> Vec<WiderIdentifier> {
    let mut found = Vec::new();
    for (path, method, _, operation) in operations(raw) {
        if method != "post" || path.trim_end_matches('/').ends_with('}') {
            continue;
        }
        let Some((item, parameter)) = item_path(raw, path) else {
            continue;
        };
        let constrained = item_parameter_constrained(raw, &item, &parameter);
        let Some((media, members)) = body_members(raw, operation) else {
            continue;
        };
        for (name, member) in members {
            let named = name == "id" || name.eq_ignore_ascii_case(&parameter);
            let member = resolve(raw, member);
            let read_only = member.get("readOnly") == Some(&Value::Bool(true));
            if !named || read_only {
                continue;
            }
            let composite = composite(member);
            let message = if constrained && any_string(member) {
                format!(
                    "POST {path} takes the new item's `{name}` as any string, but `{{{parameter}}}` of {item} addresses items by a narrower schema: a client that addresses the item by the `{name}` it sent (schemathesis' stateful tests do) is refused; mark `{name}` `readOnly` if the server assigns it, or give it the parameter's schema"
                )
            } else if let Some(kind) = composite {
                format!(
                    "POST {path} takes the new item's `{name}` as {kind}, but `{{{parameter}}}` of {item} addresses items by one path segment: the spec does not say how the key it sent becomes that segment, so a client that addresses the item by it (schemathesis' stateful tests do) sends a path of its own making; give `{name}` the parameter's schema, or name the member otherwise"
                )
            } else {
                continue;
            };
            found.push(WiderIdentifier {
                pointer: format!(
                    "/paths/{}/post/requestBody/content/{}/schema",
                    openapi_source::escape_token(path),
                    openapi_source::escape_token(media)
                ),
                path: path.clone(),
                method: method.to_owned(),
                item_path: item.clone(),
                parameter: parameter.clone(),
                composite: composite.is_some(),
                message,
            });
        }
    }
    found
}

/// Whether an operation on `item` (or its path item) declares the path
/// parameter `name` as a string with constraints.
fn item_parameter_constrained(raw: &Value, item: &str, name: &str) -> bool {
    let Some(path_item) = raw.get("paths").and_then(|paths| paths.get(item)) else {
        return false;
    };
    let lists = std::iter::once(path_item).chain(
        openapi_source::version::METHODS
            .iter()
            .filter_map(|method| path_item.get(*method)),
    );
    let parameters = lists.filter_map(|node| node.get("parameters")?.as_array());
    parameters.flatten().any(|parameter| {
        let parameter = resolve(raw, parameter);
        parameter.get("in").and_then(Value::as_str) == Some("path")
            && parameter.get("name").and_then(Value::as_str) == Some(name)
            && parameter
                .get("schema")
                .is_some_and(|schema| constrained_string(resolve(raw, schema)))
    })
}

/// `an array` or `an object`, where the member's schema is one.
fn composite(member: &Value) -> Option<&'static str> {
    match member.get("type").and_then(Value::as_str) {
        Some("array") => Some("an array"),
        Some("object") => Some("an object"),
        _ => None,
    }
}

/// The JSON body's media type and its members (its `allOf` parts' too).
fn body_members<'a>(
    raw: &'a Value,
    operation: &'a Value,
) -> Option<(&'a String, Vec<(&'a String, &'a Value)>)> {
    let body = resolve(raw, operation.get("requestBody")?);
    let (media, content) = body
        .get("content")?
        .as_object()?
        .iter()
        .find(|(media, _)| media.contains("json"))?;
    let schema = resolve(raw, content.get("schema")?);
    let parts = schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|part| resolve(raw, part));
    let members = std::iter::once(schema)
        .chain(parts)
        .filter_map(|part| part.get("properties")?.as_object())
        .flatten()
        .collect();
    Some((media, members))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_created_item_s_identifier_wider_than_its_parameter() {
        // twilio's iam/organizations: `POST /Users` takes `id`, any string;
        // `/Users/{UserSid}` takes `US[0-9a-f]{32}`.
        let spec = json!({"paths": {
            "/Users": {"post": {"requestBody": {"content": {"application/scim+json": {"schema": {
                "type": "object", "properties": {
                    "id": {"type": "string"}, "userName": {"type": "string"}}}}}}}},
            "/Users/{UserSid}": {"get": {"parameters": [{"name": "UserSid", "in": "path",
                "required": true, "schema": {"type": "string", "pattern": "^US[0-9a-f]{32}$"}}]}},
            "/Tags": {"post": {"requestBody": {"content": {"application/json": {"schema": {
                "type": "object", "properties": {"id": {"type": "string", "readOnly": true}}}}}}}},
            "/Tags/{tag}": {"parameters": [{"name": "tag", "in": "path", "required": true,
                "schema": {"type": "string", "format": "uuid"}}]},
            "/Notes": {"post": {"requestBody": {"content": {"application/json": {"schema": {
                "type": "object", "properties": {"id": {"type": "string"}}}}}}}},
            "/Notes/{note}": {"get": {"parameters": [{"name": "note", "in": "path",
                "required": true, "schema": {"type": "string"}}]}}
        }});
        let found = wider_identifiers(&spec);
        assert_eq!(found.len(), 1, "{found:?}");
        // Iceberg: a namespace is created as an array of levels and
        // addressed by one segment.
        let iceberg = json!({"paths": {
            "/v1/namespaces": {"post": {"requestBody": {"content": {"application/json": {
                "schema": {"type": "object", "properties": {"namespace": {
                    "type": "array", "items": {"type": "string"}}}}}}}}},
            "/v1/namespaces/{namespace}": {"get": {"parameters": [{"name": "namespace",
                "in": "path", "required": true, "schema": {"type": "string"}}]}}
        }});
        let levels = wider_identifiers(&iceberg);
        assert_eq!(levels.len(), 1, "{levels:?}");
        assert!(
            levels[0].message.contains("as an array"),
            "{}",
            levels[0].message
        );
        assert_eq!(
            (found[0].path.as_str(), found[0].parameter.as_str()),
            ("/Users", "UserSid")
        );
        assert_eq!(
            found[0].pointer,
            "/paths/~1Users/post/requestBody/content/application~1scim+json/schema"
        );
    }
}
