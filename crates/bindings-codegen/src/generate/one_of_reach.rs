//! Which schemas hold a `oneOf`, themselves or through their `$ref`s: the
//! ones a value made by the sampler may fit twice (a variant made as `{}`
//! fits every variant that requires nothing), so the mock checks its made
//! answers against those alone. Compiling a schema to check a value costs
//! far more than making the value (Stripe's 417 operations: 32 s to
//! generate, 141 s checking every made answer).

use std::collections::BTreeSet;

use serde_json::Value;

use super::walk::objects;

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
/// names by `$ref` (values and extensions are not looked into: see
/// [`objects`]).
fn scan(schema: &Value) -> (bool, Vec<String>) {
    let mut found = (false, Vec::new());
    objects(schema, &mut |_, object| {
        found.0 |= object.contains_key("oneOf");
        let name = object
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"));
        if let Some(name) = name {
            found.1.push(openapi_source::unescape_token(name));
        }
    });
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
