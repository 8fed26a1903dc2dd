//! The lint rule `success-is-upgrade`: an operation whose only documented
//! success is `101 Switching Protocols` (a WebSocket endpoint, such as
//! Dropshot's `x-dropshot-websocket`). What follows the upgrade is another
//! protocol, which OpenAPI does not describe: an HTTP client or test tool
//! that sends the request the spec describes gets no answer it can read,
//! and the generated mock answers `101` with nothing after it
//! (schemathesis reports it as a server error and a valid request
//! refused).

use serde_json::Value;

use super::walk::operations;

/// An operation whose success is a protocol upgrade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpgradeOnly {
    /// The pointer to the operation's `responses`.
    pub pointer: String,
    /// The operation's path and method as the spec writes them.
    pub path: String,
    pub method: String,
    pub message: String,
}

/// Every operation of `raw` that documents `101` and no 2xx or 3xx answer.
pub fn upgrade_only(raw: &Value) -> Vec<UpgradeOnly> {
    let mut found = Vec::new();
    for (path, method, _, operation) in operations(raw) {
        let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
            continue;
        };
        let success = |key: &String| key.starts_with('2') || key.starts_with('3');
        if !responses.contains_key("101") || responses.keys().any(success) {
            continue;
        }
        found.push(UpgradeOnly {
            pointer: super::walk::responses_pointer(path, method),
            path: path.clone(),
            method: method.to_owned(),
            message: format!(
                "{} {path} documents no success but `101 Switching Protocols`: what follows the upgrade is another protocol, which OpenAPI does not describe, so a client that sends the request described here gets no answer it can read (the generated mock answers 101 and nothing after it)",
                method.to_ascii_uppercase()
            ),
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_operation_whose_only_success_is_101() {
        let spec = json!({"paths": {
            "/serial": {"get": {"responses": {"101": {"description": "upgrade"},
                                              "4XX": {"description": "error"}}}},
            "/either": {"get": {"responses": {"101": {"description": "upgrade"},
                                              "200": {"description": "ok"}}}},
            "/plain": {"get": {"responses": {"200": {"description": "ok"}}}}
        }});
        let found: Vec<(String, String)> = upgrade_only(&spec)
            .into_iter()
            .map(|u| (u.method, u.path))
            .collect();
        assert_eq!(found, [("get".to_owned(), "/serial".to_owned())]);
    }
}
