//! For every generated type, the JSON Schema schemars derives from it
//! agrees with the spec's schema on property names, required members,
//! types and formats (and on enum values, string constraints and bounds), so
//! generator drift cannot hide behind code that merely compiles.

mod support;

use std::collections::BTreeSet;

use serde_json::Value;

/// What a schema says a value is: a reference to a named schema, or a type
/// with an optional format. Nullability is compared separately.
#[derive(Debug, PartialEq, Eq)]
enum Kind {
    Named(String),
    Typed {
        kind: String,
        format: Option<String>,
        items: Option<Box<Kind>>,
    },
    Unknown(String),
}

fn ref_name(schema: &Value) -> Option<String> {
    schema
        .get("$ref")?
        .as_str()?
        .rsplit('/')
        .next()
        .map(str::to_owned)
}

/// The kind of a spec or schemars schema, looking through the wrappers each
/// side uses for nullable references (`allOf`/`anyOf` with one reference).
fn kind(schema: &Value) -> Kind {
    if let Some(name) = ref_name(schema) {
        return Kind::Named(name);
    }
    for combinator in ["allOf", "anyOf", "oneOf"] {
        if let Some(parts) = schema.get(combinator).and_then(Value::as_array) {
            let named: Vec<String> = parts.iter().filter_map(ref_name).collect();
            if named.len() == 1 {
                return Kind::Named(named[0].clone());
            }
        }
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(kind)) => vec![kind.as_str()],
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .filter(|k| *k != "null")
            .collect(),
        _ => Vec::new(),
    };
    match types.as_slice() {
        [kind] => Kind::Typed {
            kind: (*kind).to_owned(),
            format: schema
                .get("format")
                .and_then(Value::as_str)
                .map(str::to_owned),
            items: schema.get("items").map(|items| Box::new(self::kind(items))),
        },
        _ => Kind::Unknown(schema.to_string()),
    }
}

fn required(schema: &Value) -> BTreeSet<String> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

fn properties(schema: &Value) -> BTreeSet<String> {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, _)| name.clone())
        .collect()
}

/// schemars names a Rust type of its own (an inline enum, `Timestamp`) with
/// a `$ref` where the spec writes the schema inline; follow such references
/// (those not to a spec component) into the derived root's definitions.
fn inline_local(schema: &Value, root: &Value, components: &BTreeSet<String>) -> Value {
    let target = |schema: &Value| -> Option<Value> {
        let reference = schema.get("$ref")?.as_str()?;
        let name = reference.rsplit('/').next()?;
        if components.contains(name) {
            return None;
        }
        root.pointer(reference.strip_prefix('#')?).cloned()
    };
    if let Some(resolved) = target(schema) {
        return resolved;
    }
    for combinator in ["allOf", "anyOf", "oneOf"] {
        if let Some(parts) = schema.get(combinator).and_then(Value::as_array)
            && let Some(resolved) = parts.iter().find_map(target)
        {
            return resolved;
        }
    }
    schema.clone()
}

/// Compares one component schema with its generated type's schema; returns
/// each disagreement.
fn disagreements(
    name: &str,
    spec: &Value,
    derived: &Value,
    components: &BTreeSet<String>,
) -> Vec<String> {
    let mut found = Vec::new();
    let mut differ = |what: &str, spec: String, derived: String| {
        if spec != derived {
            found.push(format!("{name}: {what}: spec {spec}, generated {derived}"));
        }
    };
    let spec_kind = kind(spec);
    let derived_kind = kind(derived);
    differ(
        "kind",
        format!("{spec_kind:?}"),
        format!("{derived_kind:?}"),
    );
    differ(
        "properties",
        format!("{:?}", properties(spec)),
        format!("{:?}", properties(derived)),
    );
    differ(
        "required",
        format!("{:?}", required(spec)),
        format!("{:?}", required(derived)),
    );
    for property in properties(spec).intersection(&properties(derived)) {
        let spec_property = &spec["properties"][property];
        let derived_property = inline_local(&derived["properties"][property], derived, components);
        differ(
            &format!("`{property}`"),
            format!("{:?}", kind(spec_property)),
            format!("{:?}", kind(&derived_property)),
        );
        for keyword in ["enum", "x-extensible-enum"] {
            differ(
                &format!("`{property}` {keyword}"),
                format!("{:?}", spec_property.get(keyword)),
                format!("{:?}", derived_property.get(keyword)),
            );
        }
    }
    for keyword in [
        "enum",
        "x-extensible-enum",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
    ] {
        differ(
            keyword,
            format!("{:?}", spec.get(keyword)),
            format!("{:?}", derived.get(keyword)),
        );
    }
    found
}

fn check(file: &str, names: &[&str], derive: fn(&str) -> Option<Value>) -> usize {
    let root = support::load(file);
    let schemas = root["components"]["schemas"]
        .as_object()
        .expect("component schemas");
    let listed: BTreeSet<&str> = names.iter().copied().collect();
    let in_spec: BTreeSet<&str> = schemas.keys().map(String::as_str).collect();
    assert_eq!(
        listed, in_spec,
        "{file}: the registry (tests/src/apis.rs, generated) must list every component schema"
    );
    let components: BTreeSet<String> = schemas.keys().cloned().collect();
    let mut problems = Vec::new();
    for (name, spec) in schemas {
        let derived = derive(name).expect("registered");
        problems.extend(disagreements(name, spec, &derived, &components));
    }
    assert!(
        problems.is_empty(),
        "{file}: generated types disagree with the spec:\n{}",
        problems.join("\n")
    );
    schemas.len()
}

#[test]
fn every_apis_types_agree_with_its_spec() {
    for api in spec_tests::apis::APIS {
        let checked = check(api.spec_file(), api.components, api.schema);
        assert_eq!(
            checked,
            api.components.len(),
            "{}: every component schema is checked",
            api.spec
        );
        eprintln!(
            "{}: {checked} component schemas agree with their types",
            api.spec
        );
    }
}

#[test]
fn a_disagreement_is_reported() {
    let spec = serde_json::json!({"type": "object", "required": ["a"], "properties": {"a": {"type": "integer", "format": "int64"}}});
    let derived = serde_json::json!({"type": "object", "properties": {"a": {"type": "integer", "format": "int32"}, "b": {"type": "string"}}});
    let found = disagreements("T", &spec, &derived, &BTreeSet::new());
    assert_eq!(found.len(), 3, "{found:#?}");
}
