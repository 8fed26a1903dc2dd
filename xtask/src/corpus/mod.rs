//! `cargo xtask corpus`: every published spec of a corpus directory
//! (`../shared/openapi-corpus` by default), each as a new API of a scratch
//! workspace: generated, its three crates built with clippy `-D warnings`,
//! and every example it embeds decoded into its generated type and encoded
//! again, unchanged. What the generator takes of OpenAPI as the world writes
//! it, measured on specs nobody here wrote.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};

use bindings_codegen::generate;

mod build;
mod child;
pub mod manifest;
pub mod report;
pub mod run;
pub mod worker;

/// The deadline of one clippy build or examples test of `check`.
pub const BUILD_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// How one corpus spec fared.
#[derive(Debug)]
pub struct Outcome {
    pub spec: String,
    pub operations: usize,
    /// `Ok` with the time generation took, or why it failed.
    pub generate: std::result::Result<Duration, String>,
    /// `None` when generation failed; else `Ok` or clippy's first errors.
    pub clippy: Option<std::result::Result<(), String>>,
    /// (round-tripped, embedded) examples; `None` when the crates did not
    /// build, or the test did not run (with why).
    pub examples: Option<std::result::Result<(usize, usize), String>>,
}

impl Outcome {
    pub fn passed(&self) -> bool {
        matches!(self.clippy, Some(Ok(())))
            && matches!(self.examples, Some(Ok((done, all))) if done == all)
    }
}

/// An example: where it is, its schema, the name the types crate would give
/// an inline item of that schema, and the example.
pub type Embedded = (String, serde_json::Value, String, serde_json::Value);

/// Every JSON example the spec embeds, with the schema it is an example
/// of: (where, schema, example), from schemas' own `example`, their
/// properties' `example`, and media types' `example` and `examples`
/// (following `$ref`s). Media without a schema are left out: their bodies
/// are any JSON.
pub fn embedded_examples(spec: &serde_json::Value) -> Vec<Embedded> {
    use serde_json::Value;
    fn resolve<'a>(spec: &'a Value, node: &'a Value) -> &'a Value {
        match node.get("$ref").and_then(Value::as_str) {
            Some(reference) => reference
                .strip_prefix('#')
                .and_then(|pointer| spec.pointer(pointer))
                .unwrap_or(node),
            None => node,
        }
    }
    let mut found = Vec::new();
    for (name, schema) in spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let reference = serde_json::json!({"$ref": format!("#/components/schemas/{}", openapi_source::escape_token(name))});
        if let Some(example) = schema.get("example") {
            found.push((
                format!("components/schemas/{name}"),
                reference.clone(),
                String::new(),
                example.clone(),
            ));
        }
        for (property, member) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if let Some(example) = resolve(spec, member).get("example") {
                found.push((
                    format!("components/schemas/{name}/properties/{property}"),
                    member.clone(),
                    generate::member_type_name(name, property),
                    example.clone(),
                ));
            }
        }
    }
    let mut bodies: Vec<(String, &Value)> = Vec::new();
    for (path, item) in spec
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (method, operation) in item.as_object().into_iter().flatten() {
            if let Some(body) = operation.get("requestBody") {
                bodies.push((format!("{method} {path} request"), resolve(spec, body)));
            }
            for (status, response) in operation
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                bodies.push((format!("{method} {path} {status}"), resolve(spec, response)));
            }
        }
    }
    for (at, body) in bodies {
        for (name, media) in body
            .get("content")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let essence = name.split(';').next().unwrap_or_default().trim();
            if !(essence == "application/json" || essence.ends_with("+json")) {
                continue;
            }
            let Some(schema) = media.get("schema") else {
                continue;
            };
            if let Some(example) = media.get("example") {
                found.push((
                    at.clone(),
                    schema.clone(),
                    "Example".into(),
                    example.clone(),
                ));
            }
            for (key, example) in media
                .get("examples")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if let Some(value) = resolve(spec, example).get("value") {
                    found.push((
                        format!("{at} ({key})"),
                        schema.clone(),
                        "Example".into(),
                        value.clone(),
                    ));
                }
            }
        }
    }
    found
}

/// A test that decodes each example into its generated type, encodes it
/// again and compares, printing `round-tripped: N of M`.
fn examples_test(spec: &openapiv3::OpenAPI, examples: &[Embedded]) -> String {
    let mut calls = String::new();
    for (at, schema, suggested, example) in examples {
        let json = serde_json::to_string(example).unwrap_or_default();
        match generate::rust_type(spec, "corpus_types", schema, suggested) {
            Ok(rust_type) => {
                let _ = writeln!(
                    calls,
                    "    check::<{rust_type}>({at:?}, {json:?}, &mut done, &mut failures);"
                );
            }
            Err(error) => {
                let why = format!("{at}: no Rust type: {error:#}");
                let _ = writeln!(calls, "    failures.push({why:?}.to_owned());");
            }
        }
    }
    format!(
        r#"//! Written by `cargo xtask corpus`: every example the spec embeds,
//! decoded into its generated type and encoded again.

#[test]
fn examples_round_trip() {{
    let (mut done, mut failures) = (0usize, Vec::<String>::new());
{calls}    println!("round-tripped: {{done}} of {count}");
    assert!(failures.is_empty(), "{{}}", failures.join("
"));
}}

#[allow(dead_code)]
fn check<T: serde::de::DeserializeOwned + serde::Serialize>(
    schema: &str,
    json: &str,
    done: &mut usize,
    failures: &mut Vec<String>,
) {{
    let original: serde_json::Value = serde_json::from_str(json).expect("the example is JSON");
    match serde_json::from_value::<T>(original.clone()) {{
        Ok(value) => match serde_json::to_value(&value) {{
            Ok(again) if again == original => *done += 1,
            Ok(again) => failures.push(format!("{{schema}}: re-encoded as {{again}}, not {{original}}")),
            Err(error) => failures.push(format!("{{schema}}: does not encode: {{error}}")),
        }},
        Err(error) => failures.push(format!("{{schema}}: does not decode: {{error}}")),
    }}
}}
"#,
        count = examples.len()
    )
}

/// The specs (`*.yaml`, `*.yml`, `*.json`) of `dir`, sorted.
pub fn specs(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        })
        .collect();
    specs.sort();
    Ok(specs)
}

/// Generates and builds `spec` as the API `corpus` of a scratch workspace
/// made from `root`; the build shares `target_dir` across specs.
pub fn check(root: &Path, spec: &Path, target_dir: &Path) -> Result<Outcome> {
    let name = spec
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let scratch = std::env::temp_dir().join(format!("xtask-corpus-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(scratch.join("crates"))?;
    std::fs::create_dir_all(scratch.join("openapi"))?;
    std::fs::create_dir_all(scratch.join("xtask"))?;
    for runtime in ["bindings-wire", "bindings-server", "bindings-client"] {
        crate::bench::copy_dir(
            &root.join("crates").join(runtime),
            &scratch.join("crates").join(runtime),
        )?;
    }
    // The workspace's own settings (edition, lints), with only the crates
    // here as members.
    let manifest = std::fs::read_to_string(root.join("Cargo.toml"))?;
    let manifest = manifest.replace(
        r#"members = ["xtask", "tests", "bench", "crates/*"]"#,
        r#"members = ["crates/*"]"#,
    );
    std::fs::write(scratch.join("Cargo.toml"), manifest)?;
    std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock"))?;
    let extension = spec.extension().and_then(|e| e.to_str()).unwrap_or("yaml");
    std::fs::copy(
        spec,
        scratch.join("openapi").join(format!("corpus.{extension}")),
    )?;
    std::fs::write(
        scratch.join("xtask/apis.toml"),
        format!(
            "[[api]]\nname = \"corpus\"\nspec = \"openapi/corpus.{extension}\"\ndescription = \"{name}\"\nlint-ruleset = \"standard\"\n"
        ),
    )?;
    let operations = std::fs::read_to_string(spec)
        .ok()
        .and_then(|text| openapi_source::SourceDoc::parse(&text).ok())
        .map_or(0, |doc| count_operations(doc.value()));
    let started = Instant::now();
    let rendered = crate::load_apis(&scratch)
        .and_then(|apis| crate::render(&scratch, &apis))
        .and_then(|output| generate::write(&scratch, &output));
    let generate = match rendered {
        Ok(_) => Ok(started.elapsed()),
        Err(error) => Err(format!("{error:#}")),
    };
    let clippy = generate.is_ok().then(|| {
        let mut command = Command::new(env!("CARGO"));
        command
            .args(["clippy", "--quiet", "--manifest-path"])
            .arg(scratch.join("Cargo.toml"))
            .args([
                "-p",
                "corpus-types",
                "-p",
                "corpus-client",
                "-p",
                "corpus-server",
            ])
            .args(["--all-targets", "--all-features", "--", "-D", "warnings"])
            .env("CARGO_TARGET_DIR", target_dir);
        match child::run(command, BUILD_TIMEOUT) {
            Ok(finished) if finished.success() => Ok(()),
            Ok(finished) => {
                let errors = build::first_errors(&finished.stderr);
                Err(if errors.is_empty() {
                    finished.how()
                } else {
                    errors
                })
            }
            Err(error) => Err(format!("cannot run cargo: {error:#}")),
        }
    });
    let examples = matches!(clippy, Some(Ok(()))).then(|| {
        let model =
            generate::load_model(&scratch.join("openapi").join(format!("corpus.{extension}")))
                .map_err(|error| format!("{error:#}"))?;
        let examples = embedded_examples(&model.0);
        let tests = scratch.join("crates/corpus-types/tests");
        std::fs::create_dir_all(&tests).map_err(|error| error.to_string())?;
        std::fs::write(
            tests.join("examples.rs"),
            examples_test(&model.1, &examples),
        )
        .map_err(|error| error.to_string())?;
        let mut command = Command::new(env!("CARGO"));
        command
            .args(["test", "--quiet", "--manifest-path"])
            .arg(scratch.join("Cargo.toml"))
            .args([
                "-p",
                "corpus-types",
                "--test",
                "examples",
                "--",
                "--nocapture",
            ])
            .env("CARGO_TARGET_DIR", target_dir);
        let output = child::run(command, BUILD_TIMEOUT)
            .map_err(|error| format!("cannot run cargo: {error:#}"))?;
        let stdout = &output.stdout;
        let done = stdout
            .lines()
            .find_map(|line| line.strip_prefix("round-tripped: "))
            .and_then(|rest| rest.split(' ').next())
            .and_then(|n| n.parse::<usize>().ok());
        match done {
            Some(done) if done < examples.len() => {
                // The test's panic lists each failure on a line of its own.
                let all = format!("{stdout}{}", output.stderr);
                let first = all
                    .lines()
                    .find(|line| {
                        line.contains(": does not")
                            || line.contains(": re-encoded")
                            || line.contains(": no Rust type")
                    })
                    .unwrap_or_default()
                    .to_owned();
                Err(format!("{done} of {}: {first}", examples.len()))
            }
            Some(done) => Ok((done, examples.len())),
            None => Err(output
                .stderr
                .lines()
                .filter(|line| line.starts_with("error"))
                .take(2)
                .collect::<Vec<_>>()
                .join(" / ")),
        }
    });
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(Outcome {
        spec: name,
        operations,
        generate,
        clippy,
        examples,
    })
}

fn count_operations(spec: &serde_json::Value) -> usize {
    const METHODS: &[&str] = &[
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    spec.get("paths")
        .and_then(|paths| paths.as_object())
        .into_iter()
        .flat_map(|paths| paths.values())
        .map(|item| METHODS.iter().filter(|m| item.get(**m).is_some()).count())
        .sum()
}

/// The outcomes as a Markdown table.
pub fn table(outcomes: &[Outcome]) -> String {
    let mut out = String::from(
        "| spec | operations | generate | clippy -D warnings | examples round-tripped | time to generate |\n|---|---|---|---|---|---|\n",
    );
    for outcome in outcomes {
        let (generate, time) = match &outcome.generate {
            Ok(time) => (
                "yes".to_owned(),
                format!("{:.0} ms", time.as_secs_f64() * 1e3),
            ),
            Err(error) => (format!("no: {}", one_line(error)), "-".into()),
        };
        let clippy = match &outcome.clippy {
            None => "-".to_owned(),
            Some(Ok(())) => "clean".to_owned(),
            Some(Err(errors)) => format!("no: {}", one_line(errors)),
        };
        let examples = match &outcome.examples {
            None => "-".to_owned(),
            Some(Ok((done, all))) => format!("{done} of {all}"),
            Some(Err(error)) => format!("no: {}", one_line(error)),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {generate} | {clippy} | {examples} | {time} |",
            outcome.spec, outcome.operations
        );
    }
    out
}

fn one_line(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut: String = line.chars().take(160).collect();
    if cut.len() < line.len() {
        format!("{cut}…")
    } else {
        cut
    }
}
