//! Following local `$ref`s in the typed `openapiv3` model.

use openapiv3::{Components, OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema};

/// A kind of object that may stand in `components` and be referenced.
pub trait Component: Sized {
    /// The section of `components` it lives in, as a reference spells it.
    const SECTION: &'static str;

    fn members(components: &Components) -> &indexmap::IndexMap<String, ReferenceOr<Self>>;
}

macro_rules! component {
    ($type:ty, $section:literal, $field:ident) => {
        impl Component for $type {
            const SECTION: &'static str = $section;

            fn members(components: &Components) -> &indexmap::IndexMap<String, ReferenceOr<Self>> {
                &components.$field
            }
        }
    };
}

component!(Parameter, "parameters", parameters);
component!(RequestBody, "requestBodies", request_bodies);
component!(Response, "responses", responses);
component!(Schema, "schemas", schemas);
component!(openapiv3::Header, "headers", headers);

/// The object `item` is, following one local `$ref` into `components`;
/// `None` when the reference does not resolve.
pub fn resolve<'a, T: Component>(spec: &'a OpenAPI, item: &'a ReferenceOr<T>) -> Option<&'a T> {
    resolve_in(&spec.components, item)
}

/// [`resolve`] against a spec's `components` alone.
pub fn resolve_in<'a, T: Component>(
    components: &'a Option<Components>,
    item: &'a ReferenceOr<T>,
) -> Option<&'a T> {
    match item {
        ReferenceOr::Item(item) => Some(item),
        ReferenceOr::Reference { reference } => {
            let name = reference
                .strip_prefix("#/components/")?
                .strip_prefix(T::SECTION)?
                .strip_prefix('/')?;
            T::members(components.as_ref()?).get(name)?.as_item()
        }
    }
}

/// The statuses of one `x-request-errors` problem: `status: 400` or
/// `status: [401, 403]`, each an HTTP status.
pub fn problem_statuses(answer: &serde_json::Value) -> Option<Vec<u16>> {
    let statuses: Vec<&serde_json::Value> = match answer.get("status")? {
        serde_json::Value::Array(list) => list.iter().collect(),
        single => vec![single],
    };
    let statuses: Option<Vec<u16>> = statuses
        .into_iter()
        .map(|status| {
            status
                .as_u64()
                .and_then(|s| u16::try_from(s).ok())
                .filter(|s| (100..=599).contains(s))
        })
        .collect();
    statuses.filter(|list| !list.is_empty())
}

/// Whether `responses` documents a success: a 2xx code or the `2XX` range
/// (`default` alone does not say).
pub fn documents_success(responses: &openapiv3::Responses) -> bool {
    responses.responses.keys().any(|status| match status {
        openapiv3::StatusCode::Code(code) => (200..300).contains(code),
        openapiv3::StatusCode::Range(range) => *range == 2,
    })
}

/// The Rust integer type of an integer schema's `format`, and so the range
/// its values must fit: OpenAPI's `int32`/`int64`, the widths typify reads
/// (`int8`...`uint64`), and `i64` for no format or an unknown one. The
/// types generator and the example lint both read this table.
pub fn integer_type(format: Option<&str>) -> (&'static str, i128, i128) {
    match format {
        Some("int8") => ("i8", i8::MIN.into(), i8::MAX.into()),
        Some("int16") => ("i16", i16::MIN.into(), i16::MAX.into()),
        Some("int32") => ("i32", i32::MIN.into(), i32::MAX.into()),
        Some("uint8") => ("u8", 0, u8::MAX.into()),
        Some("uint16") => ("u16", 0, u16::MAX.into()),
        Some("uint32") => ("u32", 0, u32::MAX.into()),
        Some("uint64" | "uint") => ("u64", 0, u64::MAX.into()),
        _ => ("i64", i64::MIN.into(), i64::MAX.into()),
    }
}

/// Each family of JSON Schema types and the keywords that apply only to
/// it: JSON Schema checks them against values of those types alone.
pub const TYPE_KEYWORDS: [(&[&str], &[&str]); 4] = [
    (
        &["array"],
        &[
            "items",
            "prefixItems",
            "minItems",
            "maxItems",
            "uniqueItems",
            "contains",
            "minContains",
            "maxContains",
        ],
    ),
    (&["string"], &["minLength", "maxLength", "pattern"]),
    (
        &["integer", "number"],
        &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
    ),
    (
        &["object"],
        &[
            "properties",
            "additionalProperties",
            "patternProperties",
            "propertyNames",
            "required",
            "minProperties",
            "maxProperties",
        ],
    ),
];

/// Integer formats that, on a `type: string` schema, say the string holds
/// a decimal integer (`offset: "40"`): the convention of Google's and Huawei
/// Cloud's APIs for 64-bit values. The Rust type is the integer.
pub const INTEGER_STRING_FORMATS: &[&str] = &[
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
];

/// The integer format of a string schema that holds a decimal integer.
pub fn integer_string_format(string: &openapiv3::StringType) -> Option<&str> {
    match &string.format {
        openapiv3::VariantOrUnknownOrEmpty::Unknown(format)
            if string.enumeration.is_empty()
                && INTEGER_STRING_FORMATS.contains(&format.as_str()) =>
        {
            Some(format)
        }
        _ => None,
    }
}
