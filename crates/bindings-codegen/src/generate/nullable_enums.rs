//! The lint rule `nullable-enum-without-null`: a schema that is
//! `nullable: true` and has an `enum` that does not list `null` (linode's
//! `tag` and `longview_subscription`, Adyen's `formFactor`). OpenAPI
//! 3.0.3's text says `nullable` adds `null` to the values a schema takes;
//! its later clarification (and the OpenAPI 3.1 way, and schemathesis)
//! says an `enum` that does not list `null` refuses it. The generated
//! types and server take `null`, as the text says; a client or test tool
//! of the other reading sends or expects otherwise.

use serde_json::Value;

use super::walk::objects;

/// A nullable schema whose `enum` does not list `null`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NullableEnum {
    /// The pointer to the schema's `nullable`.
    pub pointer: String,
    /// The member the schema is of (`tag` of `.../properties/tag`), where
    /// it is a member's.
    pub member: Option<String>,
    pub message: String,
}

/// Every nullable schema of `raw` whose `enum` does not list `null`.
pub fn nullable_enums(raw: &Value) -> Vec<NullableEnum> {
    let mut found = Vec::new();
    objects(raw, &mut |pointer, schema| {
        let nullable = schema.get("nullable") == Some(&Value::Bool(true));
        let Some(values) = schema.get("enum").and_then(Value::as_array) else {
            return;
        };
        if !nullable || values.contains(&Value::Null) {
            return;
        }
        let member = pointer
            .rsplit_once("/properties/")
            .map(|(_, name)| openapi_source::unescape_token(name))
            .filter(|name| !name.contains('/'));
        found.push(NullableEnum {
            pointer: format!("{pointer}/nullable"),
            member,
            message: "`nullable: true` beside an `enum` without `null`: OpenAPI 3.0.3's text adds `null` to the values this schema takes, its clarification (and OpenAPI 3.1, and schemathesis) does not; the generated code takes `null`, and a client of the other reading may not. List `null` in the `enum`, or drop `nullable`".to_owned(),
        });
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_nullable_enum_without_null() {
        let spec = json!({"components": {"schemas": {"Record": {"type": "object", "properties": {
            "tag": {"type": "string", "nullable": true, "enum": ["issue", "iodef"]},
            "kind": {"type": "string", "nullable": true, "enum": ["a", null]},
            "mode": {"type": "string", "enum": ["x"]},
            "note": {"type": "string", "nullable": true, "example": {"enum": ["kept"], "nullable": true}}
        }}}}});
        let found = nullable_enums(&spec);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].pointer,
            "/components/schemas/Record/properties/tag/nullable"
        );
        assert_eq!(found[0].member.as_deref(), Some("tag"));
    }
}
