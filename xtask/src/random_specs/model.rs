//! The shape of a random spec, and the proptest strategies that draw one.
//!
//! A drawn [`Spec`] need not be consistent: references are indices taken
//! modulo the number of components, names are indices into pools of
//! awkward names and may repeat. [`super::render`] resolves all of that the
//! same way every time, so that every value a strategy draws, and every
//! value it shrinks to, renders into a valid spec.

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

/// Component names: keywords, Rust's prelude types, leading digits,
/// dashes and dots, names that collide after case conversion. (OpenAPI
/// 3.0 allows only `[a-zA-Z0-9._-]` in component names.)
pub const COMPONENT_NAMES: &[&str] = &[
    "Item", "item", "ITEM", "type", "Self", "self", "1Thing", "a-b", "A_b", "a.b", "Option",
    "String", "Vec", "Result", "Box", "Error", "Client", "Value", "Some", "None", "Default",
    "Unknown", "x", "__",
];

/// Member names: keywords, leading digits, punctuation, unicode letters,
/// names that collide after case conversion.
pub const MEMBER_NAMES: &[&str] = &[
    "id", "type", "self", "Self", "super", "crate", "$ref", "@id", "1st", "9lives", "a-b", "a_b",
    "aB", "AB", "ab", "größe", "名前", "_", "__x", "value", "None", "default", "async", "dyn",
    "x y", "kind", "unknown", "Unknown", "r#type", "",
];

/// `operationId`s, the same kinds of names.
pub const OPERATION_IDS: &[&str] = &[
    "get",
    "type",
    "self",
    "getThing",
    "get_thing",
    "get-thing",
    "GetThing",
    "1op",
    "größe",
    "list",
    "new",
    "default",
    "a.b",
];

/// Query and path parameter names.
pub const PARAMETER_NAMES: &[&str] = &[
    "id",
    "type",
    "self",
    "Self",
    "page[size]",
    "a.b",
    "filter-by",
    "filter_by",
    "größe",
    "limit",
    "1x",
    "q",
];

/// Header parameter names (never `Accept`, `Content-Type` or
/// `Authorization`, which OpenAPI ignores as parameters).
pub const HEADER_NAMES: &[&str] = &["X-Request-Id", "x-trace", "X-A-b", "If-Match", "X-Count"];

/// Literal path segments (each path also gets its index, so paths differ).
pub const SEGMENTS: &[&str] = &["items", "a-b", "Self", "v1", "größe", "type", "a.b", "~x"];

pub const METHODS: &[&str] = &["get", "post", "put", "delete", "patch"];
pub const SUCCESS_STATUSES: &[&str] = &["200", "201", "202", "204", "2XX"];
pub const ERROR_STATUSES: &[&str] = &["400", "404", "409", "422", "500", "4XX", "default"];

/// Patterns from a small safe set (ECMA-262 and Rust `regress` agree on
/// them), each with a string it matches.
pub const PATTERNS: &[(&str, &str)] = &[
    ("^[a-z]+$", "abc"),
    ("^[A-Z][a-z0-9]*$", "Abc1"),
    ("^[0-9]{3}-[0-9]{4}$", "555-1234"),
    ("^\\S+$", "x1"),
    ("^[a-zA-Z0-9_-]{1,16}$", "ab_c-1"),
    ("^(?:yes|no)$", "yes"),
    ("b", "abc"),
];

/// String formats, each with a value of it.
pub const STRING_FORMATS: &[(&str, &str)] = &[
    ("date-time", "2024-02-29T07:16:01Z"),
    ("date", "2024-02-29"),
    ("uuid", "a0b1c2d3-0000-4000-8000-00000000000f"),
    ("email", "a@example.com"),
    ("uri", "https://example.com/a"),
    ("byte", "aGVsbG8="),
    ("ipv4", "192.0.2.1"),
    ("password", "secret"),
];

/// String enums, awkward as variant names.
pub const STRING_ENUMS: &[&[&str]] = &[
    &["active", "inactive"],
    &["+1", "-1", ""],
    &["type", "self", "Self"],
    &["a-b", "a_b", "A B"],
    &["ACTIVE", "active", "Active"],
    &["größe", "名前"],
];

/// Integer formats, with the least and greatest value of their Rust type.
pub const INTEGER_FORMATS: &[(&str, i64, i64)] = &[
    ("int32", i32::MIN as i64, i32::MAX as i64),
    ("int64", i64::MIN, i64::MAX),
    ("uint32", 0, u32::MAX as i64),
    ("int8", i8::MIN as i64, i8::MAX as i64),
];

pub const NUMBER_FORMATS: &[&str] = &["double", "float"];

#[derive(Debug, Clone)]
pub struct Spec {
    pub components: Vec<Component>,
    pub paths: Vec<PathItem>,
}

#[derive(Debug, Clone)]
pub struct Component {
    pub name: usize,
    pub schema: Schema,
    /// Whether the component carries an `example`.
    pub example: bool,
}

#[derive(Debug, Clone)]
pub enum Schema {
    String(Str),
    Integer(Int),
    Number(Num),
    Boolean,
    Array(Box<Array>),
    Object(Object),
    /// `type: object` with only `additionalProperties: {schema}`.
    Map(Box<Schema>),
    OneOf(Vec<Schema>),
    AnyOf(Vec<Schema>),
    /// Components (by index) and an inline object, merged.
    AllOf(Vec<usize>, Object),
    /// A component, by index (modulo their number).
    Ref(usize),
    /// `nullable: true`; the bool says whether the example is `null`.
    Nullable(Box<Schema>, bool),
    /// A reference back to a component that may not have been left yet
    /// (only in resolved schemas, where a value can omit it).
    Back(usize),
}

#[derive(Debug, Clone)]
pub struct Str {
    pub format: Option<usize>,
    pub enumeration: Option<usize>,
    pub pattern: Option<usize>,
    pub min_length: Option<u8>,
    pub max_length: Option<u8>,
}

#[derive(Debug, Clone)]
pub struct Int {
    pub format: usize,
    pub minimum: Option<i8>,
    pub maximum: Option<i8>,
    pub exclusive: bool,
    pub multiple_of: Option<u8>,
    pub enumeration: bool,
}

#[derive(Debug, Clone)]
pub struct Num {
    pub format: usize,
    pub minimum: Option<i8>,
    pub maximum: Option<i8>,
    pub exclusive: bool,
}

#[derive(Debug, Clone)]
pub struct Array {
    pub items: Schema,
    pub min_items: u8,
    pub max_items: Option<u8>,
    pub unique: bool,
}

#[derive(Debug, Clone)]
pub struct Object {
    pub properties: Vec<Property>,
    pub additional: Additional,
}

#[derive(Debug, Clone)]
pub struct Property {
    pub name: usize,
    pub schema: Schema,
    pub required: bool,
    /// Whether an example holds it when it is optional.
    pub in_example: bool,
}

#[derive(Debug, Clone)]
pub enum Additional {
    Absent,
    True,
    False,
    Schema(Box<Schema>),
}

#[derive(Debug, Clone)]
pub struct PathItem {
    pub segment: usize,
    /// Path parameters: (name, string or integer schema).
    pub path_parameters: Vec<(usize, Schema)>,
    /// Whether the path parameters are declared on the path item rather
    /// than on each operation.
    pub shared_parameters: bool,
    pub operations: Vec<Operation>,
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub method: usize,
    pub id: Option<usize>,
    pub query: Vec<Parameter>,
    pub headers: Vec<Parameter>,
    pub body: Option<Body>,
    pub success: (usize, Option<Body>),
    pub errors: Vec<(usize, Option<Body>)>,
}

#[derive(Debug, Clone)]
pub struct Parameter {
    pub name: usize,
    pub schema: Schema,
    pub required: bool,
}

/// A JSON body: its schema, whether it is required (request bodies), and
/// whether the media type carries an example.
#[derive(Debug, Clone)]
pub struct Body {
    pub schema: Schema,
    pub required: bool,
    pub example: bool,
}

fn index(pool: usize) -> impl Strategy<Value = usize> {
    0..pool
}

fn string() -> impl Strategy<Value = Str> {
    (
        option::weighted(0.25, index(STRING_FORMATS.len())),
        option::weighted(0.2, index(STRING_ENUMS.len())),
        option::weighted(0.25, index(PATTERNS.len())),
        option::weighted(0.3, 0u8..4),
        option::weighted(0.3, 0u8..12),
    )
        .prop_map(
            |(format, enumeration, pattern, min_length, max_length)| Str {
                format,
                enumeration,
                pattern,
                min_length,
                max_length,
            },
        )
}

fn integer() -> impl Strategy<Value = Int> {
    (
        index(INTEGER_FORMATS.len()),
        option::weighted(0.4, -5i8..5),
        option::weighted(0.4, -2i8..20),
        any::<bool>(),
        option::weighted(0.2, 2u8..5),
        prop::bool::weighted(0.15),
    )
        .prop_map(
            |(format, minimum, maximum, exclusive, multiple_of, enumeration)| Int {
                format,
                minimum,
                maximum,
                exclusive,
                multiple_of,
                enumeration,
            },
        )
}

fn number() -> impl Strategy<Value = Num> {
    (
        index(NUMBER_FORMATS.len()),
        option::weighted(0.4, -5i8..5),
        option::weighted(0.4, -2i8..20),
        any::<bool>(),
    )
        .prop_map(|(format, minimum, maximum, exclusive)| Num {
            format,
            minimum,
            maximum,
            exclusive,
        })
}

fn scalar() -> impl Strategy<Value = Schema> {
    prop_oneof![
        3 => string().prop_map(Schema::String),
        2 => integer().prop_map(Schema::Integer),
        1 => number().prop_map(Schema::Number),
        1 => Just(Schema::Boolean),
    ]
}

fn leaf() -> impl Strategy<Value = Schema> {
    prop_oneof![
        4 => scalar(),
        2 => any::<usize>().prop_map(Schema::Ref),
    ]
}

fn property(inner: impl Strategy<Value = Schema>) -> impl Strategy<Value = Property> {
    (
        index(MEMBER_NAMES.len()),
        inner,
        any::<bool>(),
        prop::bool::weighted(0.7),
    )
        .prop_map(|(name, schema, required, in_example)| Property {
            name,
            schema,
            required,
            in_example,
        })
}

fn object(inner: BoxedStrategy<Schema>) -> impl Strategy<Value = Object> {
    let additional = prop_oneof![
        6 => Just(Additional::Absent),
        1 => Just(Additional::True),
        1 => Just(Additional::False),
        1 => inner.clone().prop_map(|s| Additional::Schema(Box::new(s))),
    ];
    (vec(property(inner), 0..5), additional).prop_map(|(properties, additional)| Object {
        properties,
        additional,
    })
}

/// Any schema: scalars and references at the leaves, objects, arrays,
/// maps and compositions above them, a few levels deep.
pub fn schema() -> impl Strategy<Value = Schema> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            4 => object(inner.clone()).prop_map(Schema::Object),
            2 => (inner.clone(), 0u8..3, option::of(1u8..4), prop::bool::weighted(0.2)).prop_map(
                |(items, min_items, max_items, unique)| Schema::Array(Box::new(Array {
                    items,
                    min_items,
                    max_items,
                    unique,
                }))
            ),
            1 => inner.clone().prop_map(|s| Schema::Map(Box::new(s))),
            1 => vec(inner.clone(), 1..4).prop_map(Schema::OneOf),
            1 => vec(inner.clone(), 1..4).prop_map(Schema::AnyOf),
            1 => (vec(any::<usize>(), 1..3), object(inner.clone())).prop_map(|(parts, object)| Schema::AllOf(parts, object)),
            1 => (inner, prop::bool::weighted(0.3)).prop_map(|(s, null)| Schema::Nullable(Box::new(s), null)),
        ]
    })
}

fn component() -> impl Strategy<Value = Component> {
    (
        index(COMPONENT_NAMES.len()),
        schema(),
        prop::bool::weighted(0.5),
    )
        .prop_map(|(name, schema, example)| Component {
            name,
            schema,
            example,
        })
}

/// A parameter schema: a scalar, or an array of strings or integers.
fn parameter_schema() -> impl Strategy<Value = Schema> {
    prop_oneof![
        4 => scalar(),
        1 => prop_oneof![string().prop_map(Schema::String), integer().prop_map(Schema::Integer)]
            .prop_map(|items| Schema::Array(Box::new(Array { items, min_items: 0, max_items: None, unique: false }))),
    ]
}

fn parameter(names: usize, schema: BoxedStrategy<Schema>) -> impl Strategy<Value = Parameter> {
    (index(names), schema, any::<bool>()).prop_map(|(name, schema, required)| Parameter {
        name,
        schema,
        required,
    })
}

fn body() -> impl Strategy<Value = Body> {
    (schema(), any::<bool>(), prop::bool::weighted(0.6)).prop_map(|(schema, required, example)| {
        Body {
            schema,
            required,
            example,
        }
    })
}

fn operation() -> impl Strategy<Value = Operation> {
    let header_schema = prop_oneof![
        string().prop_map(Schema::String),
        integer().prop_map(Schema::Integer),
        Just(Schema::Boolean),
    ]
    .boxed();
    (
        index(METHODS.len()),
        option::weighted(0.85, index(OPERATION_IDS.len())),
        vec(
            parameter(PARAMETER_NAMES.len(), parameter_schema().boxed()),
            0..3,
        ),
        vec(parameter(HEADER_NAMES.len(), header_schema), 0..2),
        option::weighted(0.5, body()),
        (index(SUCCESS_STATUSES.len()), option::weighted(0.8, body())),
        vec(
            (index(ERROR_STATUSES.len()), option::weighted(0.7, body())),
            0..3,
        ),
    )
        .prop_map(
            |(method, id, query, headers, body, success, errors)| Operation {
                method,
                id,
                query,
                headers,
                body,
                success,
                errors,
            },
        )
}

fn path_item() -> impl Strategy<Value = PathItem> {
    let path_schema = prop_oneof![
        string().prop_map(Schema::String),
        integer().prop_map(Schema::Integer),
    ];
    (
        index(SEGMENTS.len()),
        vec((index(PARAMETER_NAMES.len()), path_schema), 0..3),
        any::<bool>(),
        vec(operation(), 1..3),
    )
        .prop_map(
            |(segment, path_parameters, shared_parameters, operations)| PathItem {
                segment,
                path_parameters,
                shared_parameters,
                operations,
            },
        )
}

/// A random spec: up to six components and four paths.
pub fn spec() -> impl Strategy<Value = Spec> {
    (vec(component(), 0..7), vec(path_item(), 1..5))
        .prop_map(|(components, paths)| Spec { components, paths })
}
