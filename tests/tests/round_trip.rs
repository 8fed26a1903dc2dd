//! Every example the specs carry, and a corpus of what the vendors' SDKs and
//! source say the wire may also carry, decodes into the generated type the
//! spec names for it and re-encodes to the same JSON: same members, same
//! `null`s, same number kinds, same strings. Each decoded value is a YAML
//! snapshot (the Rust type and its `Debug` form), so a generator change that
//! alters the typed shape shows up for review (`cargo insta review`).
//!
//! Nothing here lists cases by hand: a new example in a spec, or a new file
//! under `tests/corpus/`, is a new case.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use support::{Decoded, decoder, first_difference, load, schema_name};

/// The spec file of every API of `xtask/apis.toml`.
fn specs() -> Vec<&'static str> {
    spec_tests::apis::APIS
        .iter()
        .map(spec_tests::Api::spec_file)
        .collect()
}
const METHODS: &[&str] = &["get", "put", "post", "delete", "patch"];

/// One payload to round-trip: its snapshot name, the schema it must fit,
/// the payload itself.
struct Case {
    name: String,
    schema: String,
    value: Value,
}

fn resolve<'v>(root: &'v Value, node: &'v Value) -> &'v Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => root
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("{reference} resolves")),
        None => node,
    }
}

/// Cases for the `example` and each named example of a media type,
/// parameter or header object.
fn examples_of(root: &Value, holder: &Value, prefix: &str, cases: &mut Vec<Case>) {
    let Some(schema) = holder.get("schema") else {
        return;
    };
    let schema = schema_name(schema);
    if let Some(value) = holder.get("example") {
        cases.push(Case {
            name: format!("{prefix}__example"),
            schema: schema.clone(),
            value: value.clone(),
        });
    }
    for (name, example) in holder
        .get("examples")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let value = resolve(root, example)
            .get("value")
            .expect("an example has a value");
        cases.push(Case {
            name: format!("{prefix}__{name}"),
            schema: schema.clone(),
            value: value.clone(),
        });
    }
}

/// Every example of a spec, named `<spec>__<operationId>__<where>__<example>`
/// (`<where>` is `request`, a status, or `parameter-<name>`), plus schema
/// examples as `<spec>__schema__<Schema>__example`.
fn spec_cases(spec: &str) -> Vec<Case> {
    let root = load(spec);
    let stem = spec.trim_end_matches(".yaml");
    let mut cases = Vec::new();
    for item in root["paths"].as_object().expect("paths").values() {
        for method in METHODS {
            let Some(operation) = item.get(*method) else {
                continue;
            };
            let id = operation["operationId"].as_str().expect("operationId");
            for parameter in operation
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let parameter = resolve(&root, parameter);
                let name = parameter["name"].as_str().expect("parameter name");
                examples_of(
                    &root,
                    parameter,
                    &format!("{stem}__{id}__parameter-{name}"),
                    &mut cases,
                );
            }
            if let Some(body) = operation.get("requestBody") {
                let media = &resolve(&root, body)["content"]["application/json"];
                examples_of(&root, media, &format!("{stem}__{id}__request"), &mut cases);
            }
            for (status, response) in operation["responses"].as_object().expect("responses") {
                if let Some(media) = resolve(&root, response).pointer("/content/application~1json")
                {
                    examples_of(&root, media, &format!("{stem}__{id}__{status}"), &mut cases);
                }
            }
        }
    }
    for (name, schema) in root
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if let Some(value) = schema.get("example") {
            cases.push(Case {
                name: format!("{stem}__schema__{name}__example"),
                schema: name.clone(),
                value: value.clone(),
            });
        }
    }
    cases
}

/// `tests/corpus/<spec stem>/<Schema>/*.json`: payloads beyond the
/// documented examples, each with the schema its directory names.
fn corpus_cases(spec: &str) -> Vec<Case> {
    let stem = spec.trim_end_matches(".yaml");
    corpus_files(stem, false)
        .into_iter()
        .map(|(schema, case, path)| Case {
            name: format!("{stem}__corpus__{schema}__{case}"),
            schema,
            value: read_json(&path),
        })
        .collect()
}

/// (schema, case name, path) of each corpus file, valid or `invalid/` ones.
fn corpus_files(stem: &str, invalid: bool) -> Vec<(String, String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(stem);
    let mut files = Vec::new();
    for schema in std::fs::read_dir(&root)
        .expect("corpus directory")
        .map(|e| e.expect("entry").path())
    {
        let schema_name = schema
            .file_name()
            .and_then(|n| n.to_str())
            .expect("schema directory name")
            .to_owned();
        let dir = if invalid {
            schema.join("invalid")
        } else {
            schema
        };
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for path in entries.map(|e| e.expect("entry").path()) {
            if path.extension().is_some_and(|ext| ext == "json") {
                let case = path
                    .file_stem()
                    .and_then(|n| n.to_str())
                    .expect("case name")
                    .to_owned();
                files.push((schema_name.clone(), case, path));
            }
        }
    }
    files.sort();
    files
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("corpus file is readable");
    serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("{}: not JSON: {error}", path.display()))
}

/// The snapshot: a small YAML document with the public Rust type and its
/// `Debug` form as a block scalar, so the typed shape reads as written.
fn snapshot(rust_type: &str, debug: &str) -> String {
    let rust_type = rust_type.replace("::generated::", "::");
    let typed: Vec<String> = debug.lines().map(|line| format!("  {line}")).collect();
    format!("rust_type: {rust_type}\ntyped: |\n{}\n", typed.join("\n"))
}

/// Decodes, re-encodes, compares and snapshots one case.
fn round_trip(spec: &str, case: &Case) {
    let Decoded {
        rust_type,
        debug,
        reencoded,
    } = decoder(spec)(&case.schema, &case.value).unwrap_or_else(|error| {
        panic!(
            "{}: does not decode as `{}`: {error}",
            case.name, case.schema
        )
    });
    if let Some(path) = first_difference(&case.value, &reencoded) {
        panic!(
            "{}: re-encoding as {rust_type} changed the JSON at `{path}`\nwire:      {}\nre-encoded: {}",
            case.name, case.value, reencoded
        );
    }
    insta::with_settings!({ omit_expression => true, prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(case.name.clone(), snapshot(rust_type, &debug));
    });
}

#[test]
fn documented_examples_round_trip() {
    let mut count = 0;
    for spec in specs() {
        let cases = spec_cases(spec);
        // A spec that writes examples must yield cases: the walker above
        // must not silently miss where they stand.
        let text = std::fs::read_to_string(xtask::workspace_root().join("openapi").join(spec))
            .expect("spec is readable");
        let written = text
            .lines()
            .filter(|line| {
                let line = line.trim_start();
                line.starts_with("example:") || line.starts_with("examples:")
            })
            .count();
        assert!(
            written == 0 || !cases.is_empty(),
            "{spec}: {written} examples written, none found"
        );
        for case in &cases {
            round_trip(spec, case);
        }
        eprintln!("{spec}: {} documented examples round-tripped", cases.len());
        count += cases.len();
    }
    eprintln!("{count} documented examples round-tripped");
}

#[test]
fn corpus_payloads_round_trip() {
    let mut count = 0;
    for spec in specs() {
        for case in corpus_cases(spec) {
            round_trip(spec, &case);
            count += 1;
        }
    }
    eprintln!("{count} corpus payloads round-tripped");
    assert!(count >= 20, "the corpus went missing: {count} payloads");
}

/// `invalid/*.json` holds `{"payload": ..., "names": "<field>"}`: the payload
/// must be refused with an error that names the field.
#[test]
fn invalid_payloads_are_refused_naming_the_field() {
    let mut messages = BTreeMap::new();
    for spec in specs() {
        let stem = spec.trim_end_matches(".yaml");
        for (schema, case, path) in corpus_files(stem, true) {
            let file = read_json(&path);
            let names = file["names"]
                .as_str()
                .expect("`names`: the field the error must name");
            let error = match decoder(spec)(&schema, &file["payload"]) {
                Ok(decoded) => panic!(
                    "{}: decoded as {} although invalid",
                    path.display(),
                    decoded.rust_type
                ),
                Err(error) => error,
            };
            assert!(
                error.contains(names),
                "{}: the error `{error}` does not name `{names}`",
                path.display()
            );
            messages.insert(format!("{stem}/{schema}/{case}"), error);
        }
    }
    assert!(
        messages.len() >= 8,
        "the invalid corpus went missing: {messages:?}"
    );
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        insta::assert_yaml_snapshot!("invalid_payload_errors", messages);
    });
}

#[test]
fn every_snapshot_belongs_to_a_case() {
    // insta fails on a changed snapshot, not on one whose case is gone; a
    // stale file would document a payload the specs no longer carry.
    // Pending files (`.snap.new`, `.pending-snap`) are a review in
    // progress: they must belong to a case too, but are not required (CI
    // refuses them in a commit, `.ci/run`).
    let mut expected: Vec<String> = specs()
        .into_iter()
        .flat_map(|spec| spec_cases(spec).into_iter().chain(corpus_cases(spec)))
        .map(|case| format!("{}.snap", case.name))
        .chain(["invalid_payload_errors.snap".to_owned()])
        .collect();
    expected.sort();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut present: Vec<String> = std::fs::read_dir(&dir)
        .expect("snapshots directory")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| {
            !name.starts_with("conformance__") && !name.starts_with("schema_agreement__")
        })
        .collect();
    let pending: Vec<String> = present
        .iter()
        .filter_map(|name| {
            name.strip_suffix(".new")
                .or_else(|| name.strip_suffix(".pending-snap").map(|_| name.as_str()))
                .map(|base| base.replace(".pending-snap", ".snap"))
        })
        .collect();
    present.retain(|name| !name.ends_with(".snap.new") && !name.ends_with(".pending-snap"));
    let orphans: Vec<&String> = pending
        .iter()
        .filter(|name| !expected.contains(name))
        .collect();
    assert!(
        orphans.is_empty(),
        "pending snapshots of no case: {orphans:?}"
    );
    present.sort();
    assert_eq!(
        present, expected,
        "snapshot files differ from the cases (review pending ones with `cargo insta review`)"
    );
}

#[test]
fn numbers_keep_their_kind_and_precision() {
    // Above 2^53 an f64 would round; the generated i64 must not.
    let wire = serde_json::json!([{"session_num": 9_007_199_254_740_993_i64}]);
    let decoded = decoder("dbss.yaml")("[ReportClientSessionNew]", &wire).expect("decodes");
    assert_eq!(first_difference(&wire, &decoded.reencoded), None);
    assert_eq!(
        decoded.reencoded[0]["session_num"].as_i64(),
        Some(9_007_199_254_740_993)
    );
    // And the comparison itself tells 0 from 0.0.
    assert_eq!(
        first_difference(&serde_json::json!({"a": 0}), &serde_json::json!({"a": 0.0})),
        Some("/a".into())
    );
}
