//! What OpenAPI lets people write several ways, or leave out, made
//! explicit once, before any crate is rendered: every consumer (types,
//! client, server) then reads the same, complete model.

use std::collections::BTreeSet;

use serde_json::Value;

use super::naming::snake_case;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Gives every operation without an `operationId` one made from its method
/// and path (`GET /pets/{petId}` is `get_pets_pet_id`), unique in the spec.
pub fn fill_operation_ids(spec: &mut Value) {
    let taken: BTreeSet<String> = operations(spec)
        .filter_map(|(_, _, operation)| operation.get("operationId")?.as_str().map(str::to_owned))
        .collect();
    let mut taken = taken;
    let Some(Value::Object(paths)) = spec.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Value::Object(item) = item else {
            continue;
        };
        for method in METHODS {
            let Some(Value::Object(operation)) = item.get_mut(*method) else {
                continue;
            };
            if operation.get("operationId").is_some_and(Value::is_string) {
                continue;
            }
            let base = snake_case(&format!("{method} {path}"));
            let mut id = base.clone();
            let mut counter = 2;
            while taken.contains(&id) {
                id = format!("{base}_{counter}");
                counter += 1;
            }
            taken.insert(id.clone());
            operation.insert("operationId".into(), Value::String(id));
        }
    }
}

fn operations(spec: &Value) -> impl Iterator<Item = (&str, &str, &Value)> {
    spec.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .flat_map(|(path, item)| {
            METHODS.iter().filter_map(move |method| {
                item.get(*method)
                    .map(|operation| (path.as_str(), *method, operation))
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_without_an_id_are_named_from_method_and_path() {
        let mut spec = serde_json::json!({"paths": {
            "/pets/{petId}": {"get": {}, "delete": {"operationId": "get_pets_pet_id"}},
            "/pets": {"get": {"operationId": "listPets"}},
        }});
        fill_operation_ids(&mut spec);
        assert_eq!(
            spec["paths"]["/pets/{petId}"]["get"]["operationId"], "get_pets_pet_id_2",
            "unique even against an id someone chose"
        );
        assert_eq!(spec["paths"]["/pets"]["get"]["operationId"], "listPets");
    }
}
