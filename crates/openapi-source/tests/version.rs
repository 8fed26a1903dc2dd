//! OpenAPI 3.1 read in the 3.0 form ([`openapi_source::version::to_30`]):
//! one case per construct whose 3.0 form is easy to get wrong.

use openapi_source::version::to_30;
use serde_json::{Value, json};

fn schema_in_30(schema: Value) -> Value {
    let mut document = json!({"openapi": "3.1.0", "components": {"schemas": {"A": schema}}});
    to_30(&mut document);
    document["components"]["schemas"]["A"].take()
}

#[test]
fn additional_properties_keeps_its_boolean_form() {
    for allowed in [true, false] {
        let schema = json!({"type": "object", "additionalProperties": allowed});
        assert_eq!(schema_in_30(schema.clone()), schema);
    }
}

#[test]
fn a_boolean_schema_elsewhere_becomes_its_object_form() {
    let converted = schema_in_30(json!({"type": "array", "items": true}));
    assert_eq!(converted, json!({"type": "array", "items": {}}));
    let converted = schema_in_30(json!({"type": "array", "items": false}));
    assert_eq!(converted, json!({"type": "array", "items": {"not": {}}}));
}

#[test]
fn a_type_array_with_null_is_nullable() {
    let converted = schema_in_30(json!({"type": ["string", "null"]}));
    assert_eq!(converted, json!({"type": "string", "nullable": true}));
}

#[test]
fn a_type_array_of_several_types_gives_each_its_own_keywords() {
    let converted = schema_in_30(json!({
        "type": ["string", "integer", "null"],
        "minimum": 0, "maximum": 10, "maxLength": 5, "enum": ["a", 1, null],
        "minItems": 1
    }));
    assert_eq!(
        converted,
        json!({
            "nullable": true,
            "enum": ["a", 1, null],
            "minItems": 1,
            "anyOf": [
                {"type": "string", "maxLength": 5},
                {"type": "integer", "minimum": 0, "maximum": 10}
            ]
        })
    );
}

#[test]
fn a_callback_written_as_a_ref_is_the_component_it_names() {
    use openapi_source::version::{has_callback_refs, inline_callback_refs};
    let callback =
        json!({"{$request.body#/url}": {"post": {"responses": {"200": {"description": "ok"}}}}});
    let mut document = json!({
        "openapi": "3.0.3",
        "paths": {"/hooks": {"post": {"callbacks": {
            "direct": {"$ref": "#/components/callbacks/Event"},
            "twice": {"$ref": "#/components/callbacks/Alias"},
            "nowhere": {"$ref": "#/components/callbacks/Missing"}
        }}}},
        "components": {"callbacks": {
            "Event": callback.clone(),
            "Alias": {"$ref": "#/components/callbacks/Event"}
        }}
    });
    assert!(has_callback_refs(&document));
    let replaced = inline_callback_refs(&mut document);
    assert_eq!(
        replaced,
        [
            "/paths/~1hooks/post/callbacks/direct",
            "/paths/~1hooks/post/callbacks/twice"
        ]
    );
    let callbacks = &document["paths"]["/hooks"]["post"]["callbacks"];
    assert_eq!(callbacks["direct"], callback);
    assert_eq!(callbacks["twice"], callback);
    // What names nothing stays, for the reader to refuse where it stands.
    assert_eq!(
        callbacks["nowhere"],
        json!({"$ref": "#/components/callbacks/Missing"})
    );
}

#[test]
fn a_percent_encoded_ref_fragment_is_the_plain_pointer() {
    use openapi_source::version::{decode_ref_fragments, has_encoded_ref_fragments};
    let mut document = json!({
        "paths": {"/a": {"get": {"parameters": [
            {"$ref": "#/paths/~1incidents~1%7Bid%7D/post/parameters/0"},
            {"$ref": "#/components/parameters/plain"},
            {"$ref": "#/components/parameters/%ZZ"}
        ]}}}
    });
    assert!(has_encoded_ref_fragments(&document));
    assert_eq!(decode_ref_fragments(&mut document), 1);
    let parameters = &document["paths"]["/a"]["get"]["parameters"];
    assert_eq!(
        parameters[0]["$ref"],
        "#/paths/~1incidents~1{id}/post/parameters/0"
    );
    assert_eq!(parameters[1]["$ref"], "#/components/parameters/plain");
    // Not a percent-encoding: left as written, for the reader to refuse.
    assert_eq!(parameters[2]["$ref"], "#/components/parameters/%ZZ");
    assert!(!has_encoded_ref_fragments(&document));
}

#[test]
fn webhooks_move_to_their_extension_and_references_follow() {
    let body = "#/webhooks/pet.new/post/requestBody/content/application~1json/schema";
    let mut document = json!({
        "openapi": "3.1.0",
        "webhooks": {
            "pet.new": {"post": {"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}}},
            "pet.sold": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": body}}}}}}
        }
    });
    let notes = to_30(&mut document);
    assert!(notes.is_empty(), "{notes:?}");
    assert!(document.get("webhooks").is_none());
    let reference = document
        .pointer("/x-webhooks/pet.sold/post/requestBody/content/application~1json/schema/$ref")
        .and_then(Value::as_str);
    assert_eq!(reference, Some(&*body.replacen("#/", "#/x-", 1)));
    let target = reference.and_then(|r| r.strip_prefix('#'));
    assert!(target.and_then(|t| document.pointer(t)).is_some());
}

#[test]
fn numeric_exclusive_bounds_keep_the_stricter_bound() {
    let both = schema_in_30(json!({"type": "integer", "minimum": 5, "exclusiveMinimum": 0}));
    assert_eq!(both, json!({"type": "integer", "minimum": 5}));
    let equal = schema_in_30(json!({"type": "integer", "minimum": 0, "exclusiveMinimum": 0}));
    assert_eq!(
        equal,
        json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
    );
    let upper = schema_in_30(json!({"type": "number", "maximum": 1, "exclusiveMaximum": 0.5}));
    assert_eq!(
        upper,
        json!({"type": "number", "maximum": 0.5, "exclusiveMaximum": true})
    );
}

/// Hugging Face's text-generation-inference (utoipa): a 3.0.3 document
/// with 3.1's numeric bounds, which 3.0's reader refuses.
#[test]
fn a_3_0_document_s_numeric_exclusive_bounds_are_read_as_3_1_means_them() {
    let mut document = json!({"openapi": "3.0.3", "components": {"schemas": {
        "P": {"type": "object", "properties": {
            "top_p": {"type": "number", "maximum": 1, "exclusiveMinimum": 0},
            "seed": {"type": "integer", "minimum": 0, "exclusiveMinimum": 0,
                "example": {"exclusiveMinimum": 3}},
            "old": {"type": "integer", "minimum": 1, "exclusiveMinimum": true}}}}}});
    let notes = to_30(&mut document);
    assert!(notes.is_empty());
    let members = &document["components"]["schemas"]["P"]["properties"];
    assert_eq!(
        members["top_p"],
        json!({"type": "number", "maximum": 1, "minimum": 0, "exclusiveMinimum": true})
    );
    assert_eq!(
        members["seed"]["example"],
        json!({"exclusiveMinimum": 3}),
        "a payload"
    );
    assert_eq!(members["old"]["exclusiveMinimum"], json!(true));
    assert_eq!(document["openapi"], "3.0.3");
    assert!(document.get("x-original-openapi").is_none());
}
