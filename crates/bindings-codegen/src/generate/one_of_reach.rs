//! Which schemas hold a `oneOf`, themselves or through their `$ref`s: the
//! ones a value made by the sampler may fit twice (a variant made as `{}`
//! fits every variant that requires nothing), so the mock checks its made
//! answers against those alone. Compiling a schema to check a value costs
//! far more than making the value (Stripe's 417 operations: 32 s to
//! generate, 141 s checking every made answer).

use std::collections::BTreeSet;

use serde_json::Value;

/// The component schemas (by name) that reach a `oneOf`.
#[derive(Debug, Default)]
pub(super) struct OneOfReach {
    components: BTreeSet<String>,
}

impl OneOfReach {
    /// The components of `raw` that reach a `oneOf`: those holding one,
    /// then those referring to one that does, until none is added.
    pub(super) fn new(raw: &Value) -> Self {
        let schemas = raw
            .pointer("/components/schemas")
            .and_then(Value::as_object);
        let parts: Vec<(&String, bool, Vec<String>)> = schemas
            .into_iter()
            .flatten()
            .map(|(name, schema)| {
                let (one_of, refs) = scan(schema);
                (name, one_of, refs)
            })
            .collect();
        let mut reach = OneOfReach::default();
        loop {
            let before = reach.components.len();
            for (name, one_of, refs) in &parts {
                if *one_of || refs.iter().any(|r| reach.components.contains(r)) {
                    reach.components.insert((*name).clone());
                }
            }
            if reach.components.len() == before {
                return reach;
            }
        }
    }

    /// Whether `schema` holds a `oneOf` or refers to a component that
    /// reaches one.
    pub(super) fn reaches(&self, schema: &Value) -> bool {
        let (one_of, refs) = scan(schema);
        one_of || refs.iter().any(|r| self.components.contains(r))
    }
}

/// Whether `schema` holds a `oneOf` inline, and the component schemas it
/// names by `$ref`. Values (examples, enums, defaults) and extensions are
/// not looked into.
fn scan(schema: &Value) -> (bool, Vec<String>) {
    fn walk(value: &Value, depth: usize, found: &mut (bool, Vec<String>)) {
        if depth > openapi_source::MAX_DEPTH {
            return;
        }
        match value {
            Value::Object(members) => {
                for (key, child) in members {
                    match key.as_str() {
                        "oneOf" => found.0 = true,
                        "$ref" => {
                            let name = child
                                .as_str()
                                .and_then(|r| r.strip_prefix("#/components/schemas/"));
                            if let Some(name) = name {
                                found.1.push(openapi_source::unescape_token(name));
                            }
                        }
                        "example" | "examples" | "enum" | "default" | "const" => {}
                        _ if key.starts_with("x-") => {}
                        _ => walk(child, depth + 1, found),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| walk(item, depth + 1, found)),
            _ => {}
        }
    }
    let mut found = (false, Vec::new());
    walk(schema, 0, &mut found);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_one_of_is_reached_inline_or_through_references() {
        let spec = json!({"components": {"schemas": {
            "Card": {"type": "object"},
            "Method": {"oneOf": [{"$ref": "#/components/schemas/Card"}]},
            "Page": {"properties": {"data": {"items": {"$ref": "#/components/schemas/Method"}}}},
            "Plain": {"properties": {"card": {"$ref": "#/components/schemas/Card"},
                                     "x-note": {"oneOf": []}, "example": {"oneOf": 1}}},
        }}});
        let reach = OneOfReach::new(&spec);
        let named = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
        assert!(reach.reaches(&named("Page")));
        assert!(reach.reaches(&named("Method")));
        assert!(!reach.reaches(&named("Plain")));
        assert!(!reach.reaches(&named("Card")));
        assert!(reach.reaches(&json!({"oneOf": [{"type": "string"}]})));
    }
}
