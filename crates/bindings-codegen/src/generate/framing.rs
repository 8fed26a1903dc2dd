//! The lint rule `framing-header-parameter`: a header parameter named
//! after a header HTTP itself reads to frame or route the request
//! (`Content-Length`, `Transfer-Encoding`, `Connection`, `Host`,
//! influxdb's `POST /write`). The HTTP layer reads it before any operation
//! does: a value outside HTTP's syntax (`Content-Length: -413`, which the
//! parameter's `integer` takes) is refused there, with a bare `400` and
//! none of the answers the spec documents (schemathesis: a 400 without
//! its documented `Content-Type`, a body that is not JSON), and a value
//! that is not the request's own framing is not the request sent.
//!
//! And the rule `reserved-header-parameter`: a header parameter named
//! `Accept`, `Content-Type` or `Authorization`, which OpenAPI says SHALL
//! be ignored (pagerduty-integration-jira-cloud declares a required
//! `Content-Type`). The generated server reads it as declared (`Accept` is
//! negotiated); a client's HTTP library writes `Content-Type` from the body
//! it sends, so a request with a body that leaves it out cannot be made.

use serde_json::Value;

use super::walk::{operations, resolve};

/// The headers HTTP/1.1 frames and routes a request by.
const FRAMING: [&str; 4] = ["content-length", "transfer-encoding", "connection", "host"];

/// The header parameters OpenAPI says SHALL be ignored: the answers' media
/// types, the body's and the security schemes say what they carry.
const RESERVED: [&str; 3] = ["accept", "content-type", "authorization"];

/// An operation's header parameter HTTP reads itself, or one OpenAPI
/// says SHALL be ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FramingParameter {
    /// The pointer to the parameter.
    pub pointer: String,
    /// The operation's path and method as the spec writes them.
    pub path: String,
    pub method: String,
    /// The parameter's name as the spec writes it.
    pub name: String,
    pub message: String,
}

/// Every header parameter of `raw`'s operations (their own, or their path
/// item's) named after a header HTTP frames or routes requests by.
pub fn framing_parameters(raw: &Value) -> Vec<FramingParameter> {
    header_parameters_named(raw, &FRAMING, |name| {
        format!(
            "the header parameter `{name}` is one HTTP reads itself to frame or route the request, before any operation: a value outside HTTP's syntax is refused there with a bare 400 (none of this operation's documented answers), and one that is not the request's own is not the request sent. Leave it out of the parameters"
        )
    })
}

/// Every header parameter of `raw`'s operations named `Accept`,
/// `Content-Type` or `Authorization`, which OpenAPI says SHALL be ignored.
pub fn reserved_parameters(raw: &Value) -> Vec<FramingParameter> {
    header_parameters_named(raw, &RESERVED, |name| {
        let (by, here) = match name.to_ascii_lowercase().as_str() {
            "accept" => (
                "the answers' media types",
                "The generated server negotiates it as declared",
            ),
            "content-type" => (
                "the request body's media types",
                "The generated server still reads it as declared, and a client's HTTP library writes it from the body it sends, so a request with a body never leaves it out",
            ),
            _ => (
                "the security schemes",
                "The generated server still reads it as declared",
            ),
        };
        format!(
            "OpenAPI says a header parameter named `{name}` SHALL be ignored: {by} say what it carries. {here}. Leave it out of the parameters"
        )
    })
}

/// The header parameters of `raw`'s operations whose name is one of
/// `names` (any case), each with `message(name)`.
fn header_parameters_named(
    raw: &Value,
    names: &[&str],
    message: impl Fn(&str) -> String,
) -> Vec<FramingParameter> {
    let mut found = Vec::new();
    for (path, method, item, operation) in operations(raw) {
        let escaped = openapi_source::escape_token(path);
        let lists = [
            (format!("/paths/{escaped}"), item),
            (format!("/paths/{escaped}/{method}"), operation),
        ];
        for (at, holder) in lists {
            let parameters = holder.get("parameters").and_then(Value::as_array);
            for (index, parameter) in parameters.into_iter().flatten().enumerate() {
                let parameter = resolve(raw, parameter);
                let name = parameter.get("name").and_then(Value::as_str).unwrap_or("");
                let named = names.iter().any(|n| n.eq_ignore_ascii_case(name));
                if parameter.get("in").and_then(Value::as_str) != Some("header") || !named {
                    continue;
                }
                found.push(FramingParameter {
                    pointer: format!("{at}/parameters/{index}"),
                    path: path.clone(),
                    method: method.to_owned(),
                    name: name.to_owned(),
                    message: message(name),
                });
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn header_parameters_http_frames_requests_by() {
        let spec = json!({"paths": {"/write": {
            "parameters": [{"$ref": "#/components/parameters/Host"}],
            "post": {"parameters": [
                {"in": "header", "name": "Content-Length", "schema": {"type": "integer"}},
                {"in": "query", "name": "host", "schema": {"type": "string"}},
                {"in": "header", "name": "Content-Encoding", "schema": {"type": "string"}}
            ]}
        }}, "components": {"parameters": {"Host": {"in": "header", "name": "host"}}}});
        let found: Vec<String> = framing_parameters(&spec)
            .into_iter()
            .map(|f| f.pointer)
            .collect();
        assert_eq!(
            found,
            [
                "/paths/~1write/parameters/0",
                "/paths/~1write/post/parameters/0"
            ]
        );
    }

    #[test]
    fn header_parameters_openapi_ignores() {
        let spec = json!({"paths": {"/rules": {"post": {"parameters": [
            {"in": "header", "name": "Content-Type", "schema": {"type": "string"}},
            {"in": "header", "name": "AUTHORIZATION"},
            {"in": "query", "name": "accept"},
            {"in": "header", "name": "Accept-Language"}
        ]}}}});
        let found: Vec<(String, String)> = reserved_parameters(&spec)
            .into_iter()
            .map(|f| (f.pointer, f.name))
            .collect();
        let at = |index: usize| format!("/paths/~1rules/post/parameters/{index}");
        assert_eq!(
            found,
            [
                (at(0), "Content-Type".to_owned()),
                (at(1), "AUTHORIZATION".to_owned())
            ]
        );
    }
}
