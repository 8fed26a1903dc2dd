//! This repository's specs, rewritten as OpenAPI 3.1 (issue #24), generate
//! the same Rust as from 3.0: one model, no branch per version. The 3.1
//! rewriting is what a maintainer moving a spec to 3.1 would write:
//! `openapi: 3.1.0`, `type: [X, "null"]` for `nullable: true`, numeric
//! `exclusiveMinimum`/`exclusiveMaximum`, and a schema's `example` as
//! `examples: [..]`.

use std::path::{Path, PathBuf};

use bindings_codegen::generate::{self, ApiConfig};
use serde_json::{Value, json};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The 3.1 form of a 3.0 document.
fn to_31(document: &mut Value) {
    document["openapi"] = json!("3.1.0");
    rewrite_schemas(document, 0);
}

fn rewrite_schemas(value: &mut Value, depth: usize) {
    assert!(depth < 128, "nesting too deep for this repository's specs");
    match value {
        Value::Object(object) => {
            if object.get("type").is_some_and(Value::is_string) {
                rewrite_schema(object);
            }
            for child in object.values_mut() {
                rewrite_schemas(child, depth + 1);
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| rewrite_schemas(item, depth + 1)),
        _ => {}
    }
}

fn rewrite_schema(schema: &mut serde_json::Map<String, Value>) {
    if schema.remove("nullable") == Some(json!(true)) {
        let single = schema["type"].clone();
        schema.insert("type".into(), json!([single, "null"]));
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if schema.get(exclusive) == Some(&json!(true)) {
            let limit = schema.remove(bound).unwrap_or(Value::Null);
            schema.insert(exclusive.into(), limit);
        } else if schema.get(exclusive) == Some(&json!(false)) {
            schema.remove(exclusive);
        }
    }
    if let Some(example) = schema.remove("example") {
        schema.insert("examples".into(), json!([example]));
    }
}

/// Renders `api` with its spec read from `specs` (the crates' hand-written
/// files from the workspace, so both renderings see the same).
fn render(specs: &Path, api: &ApiConfig) -> generate::Output {
    generate::render(specs, &workspace(), std::slice::from_ref(api))
        .unwrap_or_else(|error| panic!("{}: {error:#}", api.name))
}

fn api(name: &str) -> ApiConfig {
    let apis = generate::read_config(&workspace().join("xtask/apis.toml")).expect("apis.toml");
    apis.into_iter()
        .find(|api| api.name == name)
        .unwrap_or_else(|| panic!("no API {name} in xtask/apis.toml"))
}

/// The spec of `api` rewritten as 3.1 under a scratch root, at the same
/// relative path (generated files name their spec).
fn spec_as_31(api: &ApiConfig, scratch: &Path) {
    let text = std::fs::read_to_string(workspace().join(&api.spec)).expect("spec");
    let source = openapi_source::SourceDoc::parse(&text).expect("the spec parses");
    let mut document = source.value().clone();
    to_31(&mut document);
    let path = scratch.join(&api.spec);
    std::fs::create_dir_all(path.parent().expect("a directory")).expect("scratch dir");
    // JSON is YAML: the file keeps its name.
    std::fs::write(
        &path,
        serde_json::to_string_pretty(&document).expect("JSON"),
    )
    .expect("write");
}

fn same_rust(name: &str) {
    let api = api(name);
    let scratch = std::env::temp_dir().join(format!("same-rust-31-{name}-{}", std::process::id()));
    spec_as_31(&api, &scratch);
    let from_30 = render(&workspace(), &api);
    let from_31 = render(&scratch, &api);
    let _ = std::fs::remove_dir_all(&scratch);
    assert_eq!(
        from_30.generated.keys().collect::<Vec<_>>(),
        from_31.generated.keys().collect::<Vec<_>>(),
        "{name}: other files"
    );
    let differing: Vec<String> = from_30
        .generated
        .iter()
        .filter_map(|(path, text)| {
            let other = from_31.generated.get(path)?;
            let (line, (ours, theirs)) = text
                .lines()
                .zip(other.lines())
                .enumerate()
                .find(|(_, (a, b))| a != b)?;
            Some(format!(
                "{}:{}: from 3.0 `{ours}`, from 3.1 `{theirs}`",
                path.display(),
                line + 1
            ))
        })
        .collect();
    assert!(
        differing.is_empty(),
        "{name}: 3.1 renders other Rust:\n{}",
        differing.join("\n")
    );
}

#[test]
fn dbss_as_31_generates_the_same_rust() {
    same_rust("dbss");
}

#[test]
fn obshell_as_31_generates_the_same_rust() {
    same_rust("obshell");
}

#[test]
fn the_rewriting_is_3_1() {
    let mut document = json!({"openapi": "3.0.3", "components": {"schemas": {"A": {
        "type": "integer", "nullable": true, "minimum": 1, "exclusiveMinimum": true, "example": 2
    }}}});
    to_31(&mut document);
    assert_eq!(
        document,
        json!({"openapi": "3.1.0", "components": {"schemas": {"A": {
            "type": ["integer", "null"], "exclusiveMinimum": 1, "examples": [2]
        }}}})
    );
}
