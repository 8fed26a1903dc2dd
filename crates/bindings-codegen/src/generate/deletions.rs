//! The lint rule `not-found-undocumented`: an operation on a path that a
//! `DELETE` removes, which documents no answer for a resource that is not
//! there (404, `4XX` or `default`). Once the resource is deleted, a server
//! can only answer it as if the resource were still there, or with a
//! status the spec does not document; the generated mock does the first
//! (and schemathesis' `use_after_free` check reports it).

use serde_json::Value;

use super::walk::operations;

/// An operation that cannot say its resource is gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unanswerable {
    /// The pointer to the operation's `responses`.
    pub pointer: String,
    /// The operation's path and method as the spec writes them.
    pub path: String,
    pub method: String,
    pub message: String,
}

/// The answers that can say a resource is not there.
const NOT_FOUND: [&str; 4] = ["404", "4XX", "4xx", "default"];

/// Every operation of `raw` other than a create (`POST`) on a path with a
/// `DELETE`, or under an item's one (what is under a deleted item is gone
/// with it), that documents none of 404, `4XX` or `default`. The `DELETE`
/// itself is among them: deleting twice.
pub fn unanswerable(raw: &Value) -> Vec<Unanswerable> {
    let deletable: Vec<&String> = operations(raw)
        .filter(|(_, _, item, _)| item.get("delete").is_some())
        .map(|(path, ..)| path)
        .collect();
    let mut found = Vec::new();
    for (path, method, _, operation) in operations(raw) {
        let documents = |key: &str| operation.get("responses").and_then(|r| r.get(key));
        let removed_by = deletable.iter().find(|deleted| under(path, deleted));
        let Some(removed_by) = removed_by else {
            continue;
        };
        if method == "post" || NOT_FOUND.iter().any(|key| documents(key).is_some()) {
            continue;
        }
        found.push(Unanswerable {
            pointer: super::walk::responses_pointer(path, method),
            path: path.clone(),
            method: method.to_owned(),
            message: format!(
                "{} {path} documents no answer for a resource that is not there (404, 4XX or default), though `DELETE {removed_by}` removes it: after a delete, a server can only answer as if it were there (the generated mock does) or with an undocumented status",
                method.to_ascii_uppercase()
            ),
        });
    }
    found
}

/// Whether the path template `path` is `deleted`, or under it where
/// `deleted` is an item's (ends in a parameter: `/notes/{id}`, not an
/// action on a collection such as kratos' `DELETE /sessions`). Under it,
/// a parameter is one whatever its name (twilio's
/// `/v1/Assistants/{assistantId}/Tools` is under `/v1/Assistants/{id}`).
fn under(path: &str, deleted: &str) -> bool {
    let deleted = deleted.trim_end_matches('/');
    if path == deleted {
        return true;
    }
    let (mut inside, mut parts) = (path.split('/'), deleted.split('/'));
    let is_parameter = |segment: &str| segment.starts_with('{') && segment.ends_with('}');
    let prefix = parts
        .by_ref()
        .zip(inside.by_ref())
        .all(|(part, segment)| part == segment || (is_parameter(part) && is_parameter(segment)));
    deleted.ends_with('}') && prefix && parts.next().is_none() && inside.next().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn found(spec: &Value) -> Vec<(String, String)> {
        unanswerable(spec)
            .into_iter()
            .map(|u| (u.method, u.path))
            .collect()
    }

    #[test]
    fn reads_and_deletes_of_a_deletable_path_without_a_not_found_answer() {
        let ok = json!({"200": {"description": "ok"}});
        let spec = json!({"paths": {
            "/things/{id}": {"get": {"responses": ok}, "delete": {"responses": ok},
                             "post": {"responses": ok}},
            "/kept/{id}": {"get": {"responses": {"200": {"description": "ok"},
                                                 "404": {"description": "gone"}}},
                           "delete": {"responses": {"default": {"description": "error"}}}},
            "/things": {"get": {"responses": ok}},
            "/things/{id}/status": {"get": {"responses": ok}},
            "/things/{identity}": {"put": {"responses": ok}},
            "/sessions": {"delete": {"responses": {"default": {"description": "error"}}}},
            "/sessions/whoami": {"get": {"responses": ok}},
            "/things/{thingId}/tools": {"get": {"responses": ok}},
            "/things/{thingId}": {"patch": {"responses": ok}},
            "/thing/{id}/x": {"get": {"responses": ok}}
        }});
        assert_eq!(
            found(&spec),
            [
                ("get".to_owned(), "/things/{id}".to_owned()),
                ("delete".to_owned(), "/things/{id}".to_owned()),
                ("get".to_owned(), "/things/{id}/status".to_owned()),
                ("get".to_owned(), "/things/{thingId}/tools".to_owned()),
            ]
        );
    }
}
