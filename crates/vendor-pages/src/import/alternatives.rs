//! Two pages of one operation: an action endpoint the vendor documents
//! page by page (RDS's `POST /instances/{id}/action` to reboot, resize,
//! ...; IAM's `POST /v3/auth/tokens` by password, by agency, ...). The
//! operation is one; each page's request body, and each answer of a
//! status whose body differs, is one branch of a `oneOf`. The pages'
//! examples become named `examples` (by operationId), parameters are the
//! union, and the first page's operationId and words stay.
//!
//! `docs check` compares each page's tables with the branch closest to
//! them (`compare.rs`), so each page still agrees with the one operation.

use serde_json::{Map, Value, json};

/// `new`'s page folded into `existing`, both operations of one method and
/// path.
pub(super) fn fold(existing: &mut Value, new: Value) {
    let id = new
        .get("operationId")
        .and_then(Value::as_str)
        .unwrap_or("page")
        .to_owned();
    let first_id = existing
        .get("operationId")
        .and_then(Value::as_str)
        .unwrap_or("page")
        .to_owned();
    let Value::Object(new) = new else {
        return;
    };
    let Value::Object(target) = existing else {
        return;
    };
    for (key, value) in new {
        match key.as_str() {
            "parameters" => union_parameters(target, value),
            "requestBody" => match target.get_mut("requestBody") {
                Some(body) => fold_body(body, value, &first_id, &id),
                None => {
                    target.insert(key, value);
                }
            },
            "responses" => fold_responses(target, value, &first_id, &id),
            _ => {}
        }
    }
}

fn union_parameters(target: &mut Map<String, Value>, new: Value) {
    let Value::Array(new) = new else {
        return;
    };
    let list = target
        .entry("parameters")
        .or_insert_with(|| Value::Array(Vec::new()));
    let Value::Array(list) = list else {
        return;
    };
    for parameter in new {
        let same = |p: &Value| {
            p.get("name") == parameter.get("name") && p.get("in") == parameter.get("in")
        };
        if !list.iter().any(same) {
            list.push(parameter);
        }
    }
}

fn fold_responses(target: &mut Map<String, Value>, new: Value, first_id: &str, id: &str) {
    let Value::Object(new) = new else {
        return;
    };
    let Value::Object(responses) = target
        .entry("responses")
        .or_insert_with(|| Value::Object(Map::new()))
    else {
        return;
    };
    for (status, response) in new {
        match responses.get_mut(&status) {
            Some(existing) => fold_body(existing, response, first_id, id),
            None => {
                responses.insert(status, response);
            }
        }
    }
}

/// A request body or a response: the JSON media types' schemas as one
/// `oneOf` when they differ, their examples named by page.
fn fold_body(existing: &mut Value, new: Value, first_id: &str, id: &str) {
    let Some(new_media) = new.pointer("/content/application~1json").cloned() else {
        return;
    };
    let Some(Value::Object(media)) = existing.pointer_mut("/content/application~1json") else {
        if let Value::Object(existing) = existing {
            existing.insert("content".into(), json!({"application/json": new_media}));
        }
        return;
    };
    if let Some(schema) = new_media.get("schema") {
        add_branch(media, schema.clone());
    }
    name_example(media, first_id);
    if let Some(example) = new_media.get("example") {
        let examples = media.entry("examples").or_insert_with(|| json!({}));
        if let Value::Object(examples) = examples {
            examples.insert(id.to_owned(), json!({ "value": example }));
        }
    }
}

/// `schema` as a further branch of the media type's schema, unless it is
/// already there.
fn add_branch(media: &mut Map<String, Value>, schema: Value) {
    let Some(current) = media.get_mut("schema") else {
        media.insert("schema".into(), schema);
        return;
    };
    let branches = match current.get("oneOf") {
        Some(Value::Array(branches)) => branches.clone(),
        _ => vec![current.clone()],
    };
    if branches.contains(&schema) {
        return;
    }
    let mut branches = branches;
    branches.push(schema);
    *current = json!({ "oneOf": branches });
}

/// The first page's `example` as a named one, once a second page adds its
/// own.
fn name_example(media: &mut Map<String, Value>, first_id: &str) {
    if let Some(example) = media.remove("example") {
        let examples = media.entry("examples").or_insert_with(|| json!({}));
        if let Value::Object(examples) = examples {
            examples.insert(first_id.to_owned(), json!({ "value": example }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(id: &str, schema: &str, example: Value) -> Value {
        json!({
            "operationId": id,
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "requestBody": {"required": true, "content": {"application/json": {
                "schema": {"$ref": format!("#/components/schemas/{schema}")},
                "example": example,
            }}},
            "responses": {"200": {"description": "OK"}},
        })
    }

    #[test]
    fn two_actions_are_one_operation_with_a_body_of_either() {
        let mut first = action("reboot", "Reboot", json!({"restart": {}}));
        fold(
            &mut first,
            action("resize", "Resize", json!({"resize": {"size": 2}})),
        );
        let media = &first["requestBody"]["content"]["application/json"];
        assert_eq!(
            media["schema"],
            json!({"oneOf": [{"$ref": "#/components/schemas/Reboot"}, {"$ref": "#/components/schemas/Resize"}]})
        );
        assert_eq!(media["examples"]["reboot"]["value"], json!({"restart": {}}));
        assert_eq!(
            media["examples"]["resize"]["value"],
            json!({"resize": {"size": 2}})
        );
        assert_eq!(media.get("example"), None);
        assert_eq!(first["operationId"], "reboot");
        assert_eq!(first["parameters"].as_array().map(Vec::len), Some(1));

        // A third page with the first's body adds no branch.
        fold(
            &mut first,
            action("reboot_again", "Reboot", json!({"restart": {}})),
        );
        let media = &first["requestBody"]["content"]["application/json"];
        assert_eq!(media["schema"]["oneOf"].as_array().map(Vec::len), Some(2));
    }
}
