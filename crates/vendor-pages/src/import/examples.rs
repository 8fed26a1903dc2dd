//! A vendor example that contradicts the page's own tables (`"period": {}`
//! for a String, `"sync_replication": "false"` for a Boolean).
//!
//! The import keeps the tables' types and keeps the example, but not as
//! the media type's `example`: that member claims a payload the schema
//! takes, which the linter checks, mocks answer with and round trips
//! decode. The page's example moves to `x-page-example` beside the schema,
//! and an `x-page-deviations` entry per place it does not fit (rule
//! `example-invalid`, `name` the JSON Pointer into the example) says
//! what the page shows there. `docs check` reports the same places under
//! the same rule, so the entries explain them, and an entry the page no
//! longer needs (the vendor fixed the example) is reported stale.

use openapi_lint::{Mismatch, SchemaValidator};
use serde_json::{Map, Value, json};

/// The rule of `docs check` (and of the linter) an example that does not
/// fit its schema breaks.
pub const RULE: &str = "example-invalid";

/// Where a page example sits in a document: each media type object under
/// the operations' request bodies and responses.
fn media_objects(document: &mut Value) -> Vec<&mut Map<String, Value>> {
    let mut found = Vec::new();
    let Some(Value::Object(paths)) = document.get_mut("paths") else {
        return found;
    };
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        for operation in item.values_mut().filter_map(Value::as_object_mut) {
            for (key, holder) in operation.iter_mut() {
                let contents: Vec<&mut Value> = match (key.as_str(), holder) {
                    ("requestBody", body) => body.get_mut("content").into_iter().collect(),
                    ("responses", Value::Object(responses)) => responses
                        .values_mut()
                        .filter_map(|response| response.get_mut("content"))
                        .collect(),
                    _ => Vec::new(),
                };
                for content in contents {
                    if let Value::Object(media) = content {
                        found.extend(media.values_mut().filter_map(Value::as_object_mut));
                    }
                }
            }
        }
    }
    found
}

/// Moves every example of `document` that does not fit its schema to
/// `x-page-example`, with an `x-page-deviations` entry per place.
pub(super) fn set_aside_contradicting(document: &mut Value) {
    let Ok(validator) = SchemaValidator::new(document) else {
        return; // schemas the linter will report on their own
    };
    for media in media_objects(document) {
        let (Some(schema), Some(example)) = (media.get("schema"), media.get("example")) else {
            continue;
        };
        let Ok(mismatches) = validator.mismatches(schema, example) else {
            continue;
        };
        if mismatches.is_empty() {
            continue;
        }
        if let Some(example) = media.remove("example") {
            media.insert("x-page-example".into(), example);
        }
        media.insert("x-page-deviations".into(), deviations(&mismatches));
    }
}

/// One entry per place in the example, in the validator's order.
fn deviations(mismatches: &[Mismatch]) -> Value {
    let mut entries: Vec<Value> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for mismatch in mismatches {
        if seen.contains(&mismatch.at.as_str()) {
            continue;
        }
        seen.push(&mismatch.at);
        entries.push(json!({
            "rule": RULE,
            "name": mismatch.at,
            "page": mismatch.message,
            "reason": "The page's own example contradicts its table here; the schema follows the table, and the example is kept as `x-page-example`.",
        }));
    }
    Value::Array(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(example: Value) -> Value {
        json!({
            "paths": {"/v1/things": {"get": {"responses": {"200": {
                "description": "OK",
                "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Thing"},
                    "example": example
                }}
            }}}}},
            "components": {"schemas": {"Thing": {"type": "object", "properties": {
                "count": {"type": "integer"},
                "flag": {"type": "boolean"}
            }}}}
        })
    }

    const MEDIA: &str = "/paths/~1v1~1things/get/responses/200/content/application~1json";

    #[test]
    fn an_example_that_fits_stays_the_example() {
        let mut doc = document(json!({"count": 1, "flag": true}));
        set_aside_contradicting(&mut doc);
        let media = doc.pointer(MEDIA).expect("media");
        assert!(media.get("example").is_some());
        assert!(media.get("x-page-example").is_none());
        assert!(media.get("x-page-deviations").is_none());
    }

    #[test]
    fn a_contradicting_example_is_kept_beside_one_entry_per_place() {
        let example = json!({"count": "60", "flag": "false"});
        let mut doc = document(example.clone());
        set_aside_contradicting(&mut doc);
        let media = doc.pointer(MEDIA).expect("media");
        assert!(media.get("example").is_none());
        assert_eq!(media.get("x-page-example"), Some(&example));
        let names: Vec<&str> = media["x-page-deviations"]
            .as_array()
            .expect("entries")
            .iter()
            .map(|entry| {
                assert_eq!(entry["rule"], RULE);
                entry["name"].as_str().expect("name")
            })
            .collect();
        assert_eq!(names, ["/count", "/flag"]);
    }
}
