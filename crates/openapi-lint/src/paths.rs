//! `path-template-duplicate`: two paths that are one path with their
//! parameters named apart (`/Files/{FileId}` beside `/Files/{FolderId}`,
//! Xero's files API). OpenAPI (3.0.3, 4.7.8.2) says such paths MUST NOT
//! exist, as they are identical: a request to `/Files/42` is for both, so
//! no server can tell which operation, parameter names or `Allow` header
//! the spec means for it.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Report, Rule};
use openapi_source::child;

/// A path identical to an earlier one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The path, and the earlier one it is (as the spec writes them).
    pub path: String,
    pub same_as: String,
    /// The JSON Pointer of the path, and the finding's message.
    pub pointer: String,
    pub message: String,
}

/// Each path of `root` identical to an earlier one (in the document's
/// order).
pub fn duplicate_templates(root: &Value) -> Vec<Duplicate> {
    let Some(paths) = root.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut first: BTreeMap<String, &str> = BTreeMap::new();
    let mut found = Vec::new();
    for path in paths.keys() {
        match first.get(&shape(path)) {
            Some(earlier) => found.push(Duplicate {
                path: path.clone(),
                same_as: (*earlier).to_owned(),
                pointer: child("/paths", path),
                message: format!(
                    "`{path}` is `{earlier}` with its parameters named apart: OpenAPI says such paths MUST NOT exist, as they are identical (a request to one is a request to the other, so a server cannot tell which operations, parameters and allowed methods the spec means for it)"
                ),
            }),
            None => {
                first.insert(shape(path), path);
            }
        }
    }
    found
}

/// `path` with each `{name}` as `{}`.
fn shape(path: &str) -> String {
    let mut shape = String::with_capacity(path.len());
    let mut rest = path;
    while let Some((text, after)) = rest.split_once('{') {
        shape.push_str(text);
        match after.split_once('}') {
            Some((_, after)) => {
                shape.push_str("{}");
                rest = after;
            }
            None => {
                shape.push('{');
                rest = after;
            }
        }
    }
    shape.push_str(rest);
    shape
}

pub(super) fn check(report: &mut Report<'_>) {
    for found in duplicate_templates(report.root()) {
        report.at(&found.pointer, Rule::PathTemplateDuplicate, found.message);
    }
}

#[cfg(test)]
mod tests {
    use super::{duplicate_templates, shape};
    use serde_json::json;

    #[test]
    fn paths_apart_only_in_parameter_names_are_one() {
        assert_eq!(shape("/Files/{FileId}/x"), "/Files/{}/x");
        assert_eq!(shape("/key?id={a}"), "/key?id={}");
        let root = json!({"paths": {"/Files/{FileId}": {}, "/Files/{FolderId}": {},
            "/Files/{FileId}/Content": {}, "/key": {}, "/key?list": {}}});
        let found = duplicate_templates(&root);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].pointer, "/paths/~1Files~1{FolderId}");
        assert_eq!(found[0].same_as, "/Files/{FileId}");
    }
}
