//! Every example the specs carry (request and response bodies, error
//! shapes, parameter values) decodes into the generated type its schema
//! names and re-encodes to the same JSON. Each decoded value is also a
//! snapshot, so a change in how the wire maps to Rust shows up for review.

use std::collections::BTreeMap;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use xtask::source::SourceDoc;

/// One example: where it is written, the schema it must fit, its payload.
struct Example {
    pointer: String,
    schema: Value,
    value: Value,
}

fn load(spec: &str) -> Value {
    let path = xtask::workspace_root().join("openapi").join(spec);
    let text = std::fs::read_to_string(&path).expect("spec is readable");
    SourceDoc::parse(&text)
        .expect("spec parses")
        .value()
        .clone()
}

/// The node a `$ref` points at, and that node's pointer.
fn resolve<'v>(root: &'v Value, node: &'v Value, pointer: String) -> (&'v Value, String) {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let target = reference.trim_start_matches('#');
            let resolved = root
                .pointer(target)
                .unwrap_or_else(|| panic!("{reference} resolves"));
            (resolved, target.to_owned())
        }
        None => (node, pointer),
    }
}

/// Every example reachable from an operation (parameters, request and
/// response bodies), once each, keyed by where it is written.
fn examples(root: &Value) -> BTreeMap<String, Example> {
    let mut found = BTreeMap::new();
    let mut add = |holder_pointer: String, holder: &Value| {
        let Some(schema) = holder.get("schema") else {
            return;
        };
        if let Some(value) = holder.get("example") {
            let pointer = format!("{holder_pointer}/example");
            found.insert(
                pointer.clone(),
                Example {
                    pointer,
                    schema: schema.clone(),
                    value: value.clone(),
                },
            );
        }
        for (name, example) in holder
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let (example, pointer) =
                resolve(root, example, format!("{holder_pointer}/examples/{name}"));
            let value = example.get("value").expect("example has a value");
            found.insert(
                pointer.clone(),
                Example {
                    pointer,
                    schema: schema.clone(),
                    value: value.clone(),
                },
            );
        }
    };
    for (path, item) in root["paths"].as_object().expect("paths") {
        let path = path.replace('~', "~0").replace('/', "~1");
        for (method, operation) in item.as_object().expect("path item") {
            let at = format!("/paths/{path}/{method}");
            for (index, parameter) in operation
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let (parameter, pointer) =
                    resolve(root, parameter, format!("{at}/parameters/{index}"));
                add(pointer, parameter);
            }
            if let Some(body) = operation.get("requestBody") {
                let (body, pointer) = resolve(root, body, format!("{at}/requestBody"));
                add(
                    format!("{pointer}/content/application~1json"),
                    &body["content"]["application/json"],
                );
            }
            for (status, response) in operation["responses"].as_object().expect("responses") {
                let (response, pointer) =
                    resolve(root, response, format!("{at}/responses/{status}"));
                if let Some(media) = response.pointer("/content/application~1json") {
                    add(format!("{pointer}/content/application~1json"), media);
                }
            }
        }
    }
    found
}

/// `X` for `$ref: .../X`, `[X]` for an array of them, else the JSON type.
fn schema_name(schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return reference.rsplit('/').next().expect("name").to_owned();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => format!("[{}]", schema_name(&schema["items"])),
        Some(other) => other.to_owned(),
        None => panic!("example schema without type or $ref: {schema}"),
    }
}

/// Decodes, re-encodes and compares; returns the decoded value's Debug form.
fn round_trip<T: DeserializeOwned + Serialize + std::fmt::Debug>(value: &Value) -> String {
    let decoded: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("decodes as {}: {e}", std::any::type_name::<T>()));
    let encoded = serde_json::to_value(&decoded).expect("encodes");
    assert_eq!(
        &encoded,
        value,
        "{} does not re-encode unchanged",
        std::any::type_name::<T>()
    );
    format!("{decoded:#?}")
}

fn dbss(name: &str, value: &Value) -> String {
    use dbss_types::*;
    match name {
        "SqlSessionStatisticsRequest" => round_trip::<SqlSessionStatisticsRequest>(value),
        "GeneralRequest" => round_trip::<GeneralRequest>(value),
        "[ReportClientSessionNew]" => round_trip::<Vec<ReportClientSessionNew>>(value),
        "CountOperationStatisticsResponse" => round_trip::<CountOperationStatisticsResponse>(value),
        "ListAuditSummaryInfosResponse" => round_trip::<ListAuditSummaryInfosResponse>(value),
        "[TrendStatusResponse]" => round_trip::<Vec<TrendStatusResponse>>(value),
        "DbssError" => round_trip::<DbssError>(value),
        "ProjectId" => round_trip::<ProjectId>(value),
        "Offset" => round_trip::<Offset>(value),
        "Limit" => round_trip::<Limit>(value),
        other => panic!("no Rust type registered for dbss schema `{other}`; add it to this test"),
    }
}

fn obshell(name: &str, value: &Value) -> String {
    use obshell_types::*;
    match name {
        "OcsAgentResponse" => round_trip::<OcsAgentResponse>(value),
        "string" => round_trip::<String>(value),
        other => {
            panic!("no Rust type registered for obshell schema `{other}`; add it to this test")
        }
    }
}

/// The snapshot name of an example: spec stem plus a readable pointer.
fn snapshot_name(spec: &str, pointer: &str) -> String {
    let readable = pointer
        .replace("~1", "_")
        .replace("application_json", "json");
    format!(
        "{}{}",
        spec.trim_end_matches(".yaml"),
        readable.replace(['/', '{', '}'], "_")
    )
}

fn check_spec(spec: &str, decode: fn(&str, &Value) -> String, expected_examples: usize) {
    let root = load(spec);
    let examples = examples(&root);
    assert_eq!(
        examples.len(),
        expected_examples,
        "{spec}: examples found: {:?}",
        examples.keys().collect::<Vec<_>>()
    );
    for example in examples.into_values() {
        let debug = decode(&schema_name(&example.schema), &example.value);
        let name = snapshot_name(spec, &example.pointer);
        insta::with_settings!({ description => format!("{spec} {}", example.pointer), omit_expression => true }, {
            insta::assert_snapshot!(name, debug);
        });
    }
}

#[test]
fn dbss_examples_round_trip() {
    // Parameters project_id, offset, limit; two request bodies; four success
    // bodies; five error shapes shared by the error responses.
    check_spec("dbss.yaml", dbss, 14);
}

#[test]
fn obshell_examples_round_trip() {
    check_spec("obshell.yaml", obshell, 3);
}

#[test]
fn page_001_lowercase_status_is_kept() {
    let answer: dbss_types::CountOperationStatisticsResponse =
        serde_json::from_str(r#"{"status":"finished"}"#).expect("decodes");
    assert_eq!(
        answer.status,
        Some(dbss_types::StatisticsJobStatus::Unknown("finished".into()))
    );
    let known: dbss_types::CountOperationStatisticsResponse =
        serde_json::from_str(r#"{"status":"FINISHED"}"#).expect("decodes");
    assert_eq!(
        known.status,
        Some(dbss_types::StatisticsJobStatus::Finished)
    );
}

#[test]
fn absent_and_null_stay_apart() {
    for wire in [r#"{}"#, r#"{"db_id":null}"#, r#"{"db_id":"x"}"#] {
        let value: dbss_types::ReportClientSessionNew =
            serde_json::from_str(wire).expect("decodes");
        assert_eq!(serde_json::to_string(&value).expect("encodes"), wire);
    }
}

#[test]
fn closed_enums_and_constraints_reject_what_the_spec_forbids() {
    assert!(
        serde_json::from_str::<dbss_types::GeneralRequest>(r#"{"regenerate":2,"time":{}}"#)
            .is_err()
    );
    assert!(serde_json::from_str::<dbss_types::GeneralRequest>(r#"{"time":{}}"#).is_err());
    assert!(serde_json::from_str::<dbss_types::SqlSessionStatisticsRequest>(r#"{}"#).is_err());
    assert!("0".parse::<dbss_types::Limit>().is_err());
    assert!("10001".parse::<dbss_types::Limit>().is_err());
    assert!("10000".parse::<dbss_types::Limit>().is_ok());
    assert!("a".repeat(31).parse::<dbss_types::ProjectId>().is_err());
    assert!("a".repeat(65).parse::<dbss_types::ProjectId>().is_err());
}

#[test]
fn every_snapshot_belongs_to_an_example() {
    // insta reports a changed snapshot, not one whose example is gone; a
    // stale file here would document a payload the specs no longer carry.
    let mut expected: Vec<String> = ["dbss.yaml", "obshell.yaml"]
        .iter()
        .flat_map(|spec| {
            examples(&load(spec))
                .into_keys()
                .map(move |pointer| format!("round_trip__{}.snap", snapshot_name(spec, &pointer)))
        })
        .collect();
    expected.sort();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut present: Vec<String> = std::fs::read_dir(&dir)
        .expect("snapshots directory")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with("round_trip__"))
        .collect();
    present.sort();
    assert_eq!(
        present, expected,
        "snapshot files differ from the specs' examples (pending `.snap.new` files need `cargo insta review`)"
    );
}
