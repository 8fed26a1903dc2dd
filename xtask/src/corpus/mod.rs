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

pub(crate) mod build;
mod child;
pub mod examples_2020_12;
mod fixture_test;
pub mod manifest;
pub mod report;
pub mod resume;
pub mod run;
pub mod schemathesis;
pub mod spec_made;
pub mod summary;
mod tag_features;
pub mod worker;

/// The deadline of one clippy build or examples test of `check`, for each
/// started [`OPERATIONS_PER_DEADLINE`] operations of the spec.
pub const BUILD_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// How many operations of a spec one step's deadline is for: a spec's
/// build and schemathesis run take time in proportion to its operations,
/// so a larger spec gets one more deadline for each started
/// `OPERATIONS_PER_DEADLINE` ([`scaled`]).
pub const OPERATIONS_PER_DEADLINE: usize = 200;

/// `base` for each started [`OPERATIONS_PER_DEADLINE`] operations (at
/// least once): Stripe's 417 operations get three.
pub fn scaled(base: Duration, operations: usize) -> Duration {
    let times = operations.div_ceil(OPERATIONS_PER_DEADLINE).max(1);
    base.saturating_mul(u32::try_from(times).unwrap_or(u32::MAX))
}

/// How one corpus spec fared.
#[derive(Debug)]
pub struct Outcome {
    pub spec: String,
    pub operations: usize,
    /// `Ok` with the time generation took, or why it failed.
    pub generate: std::result::Result<Duration, String>,
    /// `None` when generation failed; else `Ok` or clippy's first errors.
    pub clippy: Option<std::result::Result<(), String>>,
    /// (round-tripped, embedded, left out) examples, those that contradict
    /// their own schema (lint's `example-invalid`) left out; `None` when
    /// the crates did not build, or the test did not run (with why).
    pub examples: Option<std::result::Result<(usize, usize, usize), String>>,
    /// (answered with a documented status, asked) of the generated mock
    /// driven through every operation and documented status; `None` when
    /// the crates did not build.
    pub mock: Option<std::result::Result<(usize, usize), String>>,
    /// schemathesis against the generated mock; `None` when not asked for
    /// or the crates did not build.
    pub schemathesis: Option<std::result::Result<schemathesis::Findings, String>>,
}

impl Outcome {
    pub fn passed(&self) -> bool {
        matches!(self.clippy, Some(Ok(())))
            && matches!(self.examples, Some(Ok((done, all, _))) if done == all)
            && matches!(self.mock, Some(Ok((done, all))) if done == all)
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

/// `examples` without those that contradict their own schema (lint
/// reports each as `example-invalid`: the spec's defect, which no type can
/// round-trip), and how many those were.
fn fitting_examples(spec: &serde_json::Value, examples: Vec<Embedded>) -> (Vec<Embedded>, usize) {
    let Ok(validator) = openapi_lint::SchemaValidator::new(spec) else {
        return (examples, 0);
    };
    let total = examples.len();
    let fitting: Vec<Embedded> = examples
        .into_iter()
        .filter(|(_, schema, _, example)| {
            validator
                .mismatches(schema, example)
                .map_or(true, |mismatches| mismatches.is_empty())
        })
        .collect();
    let left_out = total - fitting.len();
    (fitting, left_out)
}

/// A test that decodes each example into its generated type, encodes it
/// again as JSON text and compares what that text reads as, printing
/// `round-tripped: N of M`.
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
        // Compared as the wire carries it: encoded to text and read again
        // (`serde_json::to_value` would widen an `f32` to the `f64` nearest
        // it, `3.14` to `3.140000104904175`, which no encoder writes).
        Ok(value) => match serde_json::to_string(&value).and_then(|text| serde_json::from_str::<serde_json::Value>(&text)) {{
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

/// An exclusive lock on a target directory shared by scratch workspaces
/// whose crates have the same names (released when dropped).
#[derive(Debug)]
struct BuildLock {
    _file: std::fs::File,
}

impl BuildLock {
    fn take(target_dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(target_dir)?;
        let path = target_dir.join("corpus-check.lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)?;
        lock_exclusive(&file).with_context(|| format!("cannot lock {}", path.display()))?;
        Ok(BuildLock { _file: file })
    }
}

#[cfg(target_os = "linux")]
fn lock_exclusive(file: &std::fs::File) -> std::io::Result<()> {
    rustix::fs::flock(file, rustix::fs::FlockOperation::LockExclusive).map_err(Into::into)
}

#[cfg(not(target_os = "linux"))]
fn lock_exclusive(_file: &std::fs::File) -> std::io::Result<()> {
    Ok(()) // elsewhere, run corpus checks with --jobs 1
}

/// A scratch workspace at `scratch` (emptied first) holding one API,
/// `name`, whose spec is `text` (written as `openapi/NAME.EXTENSION`),
/// listed in its `xtask/apis.toml` under the `standard` ruleset, and the
/// runtime crates its generated crates depend on; its `Cargo.toml` is the
/// workspace's own (edition, lints, lock file) with `crates/*` as members.
pub(crate) fn scratch_workspace(
    root: &Path,
    scratch: &Path,
    name: &str,
    extension: &str,
    text: &[u8],
    description: &str,
) -> Result<()> {
    let _ = std::fs::remove_dir_all(scratch);
    for dir in ["crates", "openapi", "xtask"] {
        std::fs::create_dir_all(scratch.join(dir))?;
    }
    for runtime in [
        "openapi-source",
        "bindings-wire",
        "bindings-server",
        "bindings-client",
    ] {
        crate::bench::copy_dir(
            &root.join("crates").join(runtime),
            &scratch.join("crates").join(runtime),
        )?;
    }
    let manifest = std::fs::read_to_string(root.join("Cargo.toml"))?;
    let manifest = manifest.replace(
        r#"members = ["xtask", "tests", "bench", "crates/*"]"#,
        r#"members = ["crates/*"]"#,
    );
    std::fs::write(scratch.join("Cargo.toml"), manifest)?;
    std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock"))?;
    std::fs::write(
        scratch.join("openapi").join(format!("{name}.{extension}")),
        text,
    )?;
    std::fs::write(
        scratch.join("xtask/apis.toml"),
        format!(
            "[[api]]\nname = \"{name}\"\nspec = \"openapi/{name}.{extension}\"\ndescription = \"{description}\"\nlint-ruleset = \"standard\"\n"
        ),
    )?;
    Ok(())
}

/// Generates and builds `spec` as the API `corpus` of a scratch workspace
/// made from `root`; the build shares `target_dir` across specs. With
/// `schemathesis`, also runs schemathesis against the generated mock
/// (when the crates build clippy-clean).
pub fn check(
    root: &Path,
    spec: &Path,
    target_dir: &Path,
    schemathesis: Option<&schemathesis::Options>,
) -> Result<Outcome> {
    let name = spec
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    // Every scratch workspace names its crates `corpus-*`: two checks
    // sharing `target_dir` must not interleave, or one's build runs on the
    // other's crates (cargo takes sources older than an artifact as built).
    // Taken before the scratch is written, held to the end of this check.
    let _exclusive = BuildLock::take(target_dir)?;
    let scratch = std::env::temp_dir().join(format!("xtask-corpus-{}", std::process::id()));
    let extension = spec.extension().and_then(|e| e.to_str()).unwrap_or("yaml");
    let text = std::fs::read(spec)?;
    scratch_workspace(root, &scratch, "corpus", extension, &text, &name)?;
    let operations = std::fs::read_to_string(spec)
        .ok()
        .and_then(|text| openapi_source::SourceDoc::parse(&text).ok())
        .map_or(0, |doc| count_operations(doc.value()));
    let deadline = scaled(BUILD_TIMEOUT, operations);
    let started = Instant::now();
    let rendered = crate::load_apis(&scratch)
        .and_then(|apis| crate::render(&scratch, &apis))
        .and_then(|output| generate::write(&scratch, &output));
    let generate = match rendered {
        Ok(_) => Ok(started.elapsed()),
        Err(error) => Err(format!("{error:#}")),
    };
    let clippy = generate.is_ok().then(|| {
        let mut command = scratch_cargo(&scratch, target_dir, "clippy");
        command.args([
            "-p",
            "corpus-types",
            "-p",
            "corpus-client",
            "-p",
            "corpus-server",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ]);
        match child::run(command, deadline) {
            Ok(finished) if finished.success() => tag_features::check(&scratch, target_dir),
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
        let (examples, contradicting) = fitting_examples(&model.0, embedded_examples(&model.0));
        let tests = scratch.join("crates/corpus-types/tests");
        std::fs::create_dir_all(&tests).map_err(|error| error.to_string())?;
        std::fs::write(
            tests.join("examples.rs"),
            examples_test(&model.1, &examples),
        )
        .map_err(|error| error.to_string())?;
        let mut command = scratch_cargo(&scratch, target_dir, "test");
        command.args([
            "-p",
            "corpus-types",
            "--test",
            "examples",
            "--",
            "--nocapture",
        ]);
        let output = child::run(command, deadline)
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
            Some(done) => Ok((done, examples.len(), contradicting)),
            None => Err(output
                .stderr
                .lines()
                .filter(|line| line.starts_with("error"))
                .take(2)
                .collect::<Vec<_>>()
                .join(" / ")),
        }
    });
    let mock = matches!(clippy, Some(Ok(()))).then(|| {
        let drive = drive_mock(&scratch, extension, target_dir, deadline)?;
        // A fixture's own behaviour test, when it has one, after the drive.
        match fixture_test::run(&scratch, spec, target_dir) {
            Some(Err(error)) => Err(format!("fixture test: {error}")),
            _ => Ok(drive),
        }
    });
    let schemathesis = schemathesis
        .filter(|_| matches!(clippy, Some(Ok(()))))
        .map(|options| {
            let spec = scratch.join("openapi").join(format!("corpus.{extension}"));
            let model = generate::load_model(&spec).map_err(|error| format!("{error:#}"))?;
            let options = schemathesis::Options {
                timeout: scaled(options.timeout, operations),
                ..options.clone()
            };
            schemathesis::run(
                &name, &scratch, &spec, &model.0, target_dir, &options, deadline,
            )
        });
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(Outcome {
        spec: name,
        operations,
        generate,
        clippy,
        examples,
        mock,
        schemathesis,
    })
}

/// `cargo <subcommand> --quiet` on the scratch workspace `scratch`, built
/// in `target_dir`; the caller adds the packages and flags.
fn scratch_cargo(scratch: &Path, target_dir: &Path, subcommand: &str) -> Command {
    let mut command = Command::new(env!("CARGO"));
    command
        .args([subcommand, "--quiet", "--manifest-path"])
        .arg(scratch.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target_dir);
    command
}

/// Writes and runs the mock drive test in the scratch workspace's server
/// crate: (answered with a documented status, asked), or the first
/// failures.
fn drive_mock(
    scratch: &Path,
    extension: &str,
    target_dir: &Path,
    deadline: Duration,
) -> std::result::Result<(usize, usize), String> {
    let model = generate::load_model(&scratch.join("openapi").join(format!("corpus.{extension}")))
        .map_err(|error| format!("{error:#}"))?;
    let tests = scratch.join("crates/corpus-server/tests");
    std::fs::create_dir_all(&tests).map_err(|error| error.to_string())?;
    let test = mock_drive_test("corpus_server", &drive_requests(&model.0));
    std::fs::write(tests.join("mock_drive.rs"), test).map_err(|error| error.to_string())?;
    let mut command = scratch_cargo(scratch, target_dir, "test");
    command
        .args([
            "-p",
            "corpus-server",
            "--features",
            "mock",
            "--test",
            "mock_drive",
        ])
        .args(["--", "--nocapture"]);
    let output =
        child::run(command, deadline).map_err(|error| format!("cannot run cargo: {error:#}"))?;
    if let child::Ended::TimedOut = output.ended {
        return Err(format!("the mock drive {}", output.how()));
    }
    let text = format!("{}{}", output.stdout, output.stderr);
    let lines: Vec<&str> = text.lines().collect();
    let counts = lines
        .iter()
        .find_map(|line| line.strip_prefix("mock answered: "))
        .and_then(|rest| rest.split_once(" of "))
        .and_then(|(done, all)| Some((done.parse().ok()?, all.trim().parse().ok()?)));
    match counts {
        Some((done, all)) if done == all => Ok((done, all)),
        Some((done, all)) => Err(format!("{done} of {all}: {}", all_failures(&lines))),
        None => Err(all_failures(&lines)),
    }
}

/// The first lines that say what failed.
fn all_failures(lines: &[&str]) -> String {
    lines
        .iter()
        .filter(|line| line.contains("(Prefer: ") || line.starts_with("error"))
        .take(3)
        .copied()
        .collect::<Vec<_>>()
        .join(" / ")
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
    table_of(&outcomes.iter().collect::<Vec<_>>())
}

/// The first step an outcome failed, and why, on one line.
pub fn failure(outcome: &Outcome) -> String {
    let step =
        |what: &str, result: &Option<std::result::Result<(usize, usize), String>>| match result {
            Some(Err(error)) => Some(format!("{what}: {}", one_line(error))),
            Some(Ok((done, all))) if done != all => Some(format!("{what}: {done} of {all}")),
            _ => None,
        };
    let examples = outcome
        .examples
        .clone()
        .map(|result| result.map(|(done, all, _)| (done, all)));
    match (&outcome.generate, &outcome.clippy) {
        (Err(error), _) => format!("generate: {}", one_line(error)),
        (Ok(_), Some(Err(errors))) => format!("clippy: {}", one_line(errors)),
        _ => step("examples", &examples)
            .or_else(|| step("mock", &outcome.mock))
            .unwrap_or_default(),
    }
}

/// [`table`] of borrowed outcomes.
pub fn table_of(outcomes: &[&Outcome]) -> String {
    let mut out = String::from(
        "| spec | operations | generate | clippy -D warnings | examples round-tripped | mock answers documented | schemathesis on the mock: failures / errors / panics | time to generate |\n|---|---|---|---|---|---|---|---|\n",
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
            Some(Ok((done, all, 0))) => format!("{done} of {all}"),
            Some(Ok((done, all, left_out))) => {
                format!("{done} of {all} ({left_out} contradict their schema: example-invalid)")
            }
            Some(Err(error)) => format!("no: {}", one_line(error)),
        };
        let mock = match &outcome.mock {
            None => "-".to_owned(),
            Some(Ok((done, all))) => format!("{done} of {all}"),
            Some(Err(error)) => format!("no: {}", one_line(error)),
        };
        let schemathesis = match &outcome.schemathesis {
            None => "-".to_owned(),
            Some(Ok(findings)) => schemathesis_cell(findings),
            Some(Err(error)) => format!("no: {}", one_line(error)),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {generate} | {clippy} | {examples} | {mock} | {schemathesis} | {time} |",
            outcome.spec, outcome.operations
        );
    }
    out
}

/// `F / E / P`, with the classes schemathesis counted (most first) and
/// the failures the spec makes unavoidable, by lint rule.
pub fn schemathesis_cell(findings: &schemathesis::Findings) -> String {
    let counts = format!(
        "{} / {} / {}",
        findings.failures, findings.errors, findings.panics
    );
    let mut classes: Vec<&schemathesis::Class> = findings.classes.iter().collect();
    classes.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    let named: Vec<String> = classes
        .iter()
        .map(|class| {
            let code = class.name.split(' ').next().unwrap_or_default();
            let name = if code.starts_with("ST") {
                code
            } else {
                &class.name
            };
            format!("{name} {}", class.count)
        })
        .collect();
    let made: Vec<String> = findings
        .spec_made
        .iter()
        .map(|(rule, n)| format!("{rule} {n}"))
        .collect();
    let made = if made.is_empty() {
        String::new()
    } else {
        format!(
            "; the spec's: {} of {}, {}",
            findings.failures - findings.unexplained(),
            findings.failures,
            made.join(", ")
        )
    };
    if named.is_empty() {
        counts
    } else {
        format!("{counts} ({}{made})", named.join(", "))
    }
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

/// A request the mock drive sends: operation id, method, path with its
/// parameters filled, headers, body.
pub type Drive = (
    String,
    String,
    String,
    Vec<(String, String)>,
    Option<String>,
);

/// One valid request per operation, from values generated from the
/// spec's schemas (the generator's `sample`), with a dummy credential for
/// each security scheme an operation names.
pub fn drive_requests(spec: &serde_json::Value) -> Vec<Drive> {
    use bindings_codegen::generate::sample::{Direction, sample};
    use serde_json::Value;
    const METHODS: &[&str] = &[
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let resolve = |node: &Value| -> Value {
        match node.get("$ref").and_then(Value::as_str) {
            Some(reference) => spec
                .pointer(reference.trim_start_matches('#'))
                .cloned()
                .unwrap_or(Value::Null),
            None => node.clone(),
        }
    };
    let text = |value: Value| match value {
        Value::String(text) => text,
        Value::Array(items) => items
            .into_iter()
            .map(|item| match item {
                Value::String(text) => text,
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(","),
        other => other.to_string(),
    };
    let mut drives = Vec::new();
    for (path, item) in spec
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for method in METHODS {
            let Some(operation) = item.get(*method) else {
                continue;
            };
            let id = operation
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let mut target = path.clone();
            let mut query = Vec::new();
            let mut headers = credentials(spec, operation);
            let parameters = item
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .chain(
                    operation
                        .get("parameters")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten(),
                );
            for parameter in parameters.map(resolve) {
                let name = parameter["name"].as_str().unwrap_or_default().to_owned();
                let schema = parameter.get("schema").cloned().unwrap_or(Value::Null);
                let sampled = sample(spec, &schema, Direction::Request);
                let value = text(sampled.clone());
                let required = parameter["required"] == Value::Bool(true);
                match parameter["in"].as_str() {
                    Some("path") => {
                        target = target.replace(&format!("{{{name}}}"), &encode(&value))
                    }
                    // An object, `form` style with `explode`: each member
                    // a query parameter of its own.
                    Some("query") if required => {
                        let explode = parameter["explode"] != Value::Bool(false);
                        match sampled {
                            Value::Object(members) if explode => {
                                query.extend(members.into_iter().map(|(member, value)| {
                                    format!("{}={}", encode(&member), encode(&text(value)))
                                }));
                            }
                            Value::Array(items) if explode => {
                                query.extend(items.into_iter().map(|item| {
                                    format!("{}={}", encode(&name), encode(&text(item)))
                                }));
                            }
                            // Text joins an array's items with commas.
                            _ => query.push(format!("{}={}", encode(&name), encode(&value))),
                        }
                    }
                    Some("header") if required => headers.push((name, value)),
                    _ => {}
                }
            }
            if !query.is_empty() {
                // A path with a query part of its own (`/key?id={id}`)
                // takes the rest after `&`.
                let joint = if target.contains('?') { '&' } else { '?' };
                target = format!("{target}{joint}{}", query.join("&"));
            }
            let body = operation.get("requestBody").map(resolve).and_then(|body| {
                let (media, content) = body.get("content")?.as_object()?.iter().next()?;
                let schema = content.get("schema").cloned().unwrap_or(Value::Null);
                let value = sample(spec, &schema, Direction::Request);
                let (content_type, body) = match value {
                    _ if media.contains("json") => (media.clone(), value.to_string()),
                    Value::Object(members) if media.contains("form-urlencoded") => {
                        let pairs = members.into_iter().map(|(name, value)| {
                            format!("{}={}", encode(&name), encode(&text(value)))
                        });
                        (media.clone(), pairs.collect::<Vec<_>>().join("&"))
                    }
                    Value::Object(members) if media.contains("multipart/form-data") => {
                        multipart_body(members)
                    }
                    other => (media.clone(), text(other)),
                };
                headers.push(("content-type".into(), content_type));
                Some(body)
            });
            drives.push((id, method.to_uppercase(), target, headers, body));
        }
    }
    deletes_last(&mut drives);
    drives
}

/// A `multipart/form-data` body of an object's members, and its content
/// type: a part per member (an array's items a part each, as OpenAPI
/// writes them), an object member's part JSON.
fn multipart_body(members: serde_json::Map<String, serde_json::Value>) -> (String, String) {
    use serde_json::Value;
    const BOUNDARY: &str = "corpus-drive-boundary";
    let mut body = String::new();
    let mut part = |name: &str, value: &Value| {
        let (media, text) = match value {
            Value::String(text) => ("", text.clone()),
            Value::Object(_) => ("Content-Type: application/json\r\n", value.to_string()),
            other => ("", other.to_string()),
        };
        let _ = write!(
            body,
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n{media}\r\n{text}\r\n"
        );
    };
    for (name, value) in &members {
        match value {
            Value::Array(items) => items.iter().for_each(|item| part(name, item)),
            value => part(name, value),
        }
    }
    body.push_str(&format!("--{BOUNDARY}--\r\n"));
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    (content_type, body)
}

/// Puts the DELETEs after every other request, the deepest path first:
/// the mock forgets a deleted item and what lies under it, so a request
/// sent after it would be asked of nothing (an honest 404 the operation
/// may not document). Each operation is then driven against the items
/// the others made.
fn deletes_last(drives: &mut [Drive]) {
    drives.sort_by_key(|(_, method, target, _, _)| {
        let path = target.split('?').next().unwrap_or_default();
        match method.as_str() {
            "DELETE" => (1, usize::MAX - path.matches('/').count()),
            _ => (0, 0),
        }
    });
}

/// A dummy credential for each scheme of the operation's first security
/// requirement (its own, else the spec's).
fn credentials(spec: &serde_json::Value, operation: &serde_json::Value) -> Vec<(String, String)> {
    let requirement = operation
        .get("security")
        .or_else(|| spec.get("security"))
        .and_then(|s| s.as_array())
        .and_then(|alternatives| alternatives.first())
        .and_then(|first| first.as_object());
    let mut headers = Vec::new();
    for name in requirement.into_iter().flat_map(|r| r.keys()) {
        let scheme = &spec["components"]["securitySchemes"][name];
        match (scheme["type"].as_str(), scheme["in"].as_str()) {
            (Some("apiKey"), Some("header")) => {
                headers.push((
                    scheme["name"].as_str().unwrap_or_default().to_owned(),
                    "x".into(),
                ));
            }
            (Some("http"), _) if scheme["scheme"].as_str() == Some("basic") => {
                headers.push(("authorization".into(), "Basic dXNlcjpwYXNz".into()));
            }
            (Some("apiKey"), _) => {}
            _ => headers.push(("authorization".into(), "Bearer x".into())),
        }
    }
    headers
}

/// Percent-encodes everything but unreserved characters.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A test of the generated mock: every operation, asked for each of its
/// documented statuses (`Prefer: code=`) and for its default answer,
/// answers a documented status; it prints `mock answered: N of M`.
pub fn mock_drive_test(server_crate: &str, drives: &[Drive]) -> String {
    let mut rows = String::new();
    for (id, method, target, headers, body) in drives {
        let _ = writeln!(
            rows,
            "    ({id:?}, {method:?}, {target:?}, &{headers:?}, {body:?}),"
        );
    }
    format!(
        r#"//! Written by `cargo xtask corpus`: every operation of the generated
//! mock, for each documented status, answers a documented status.
#![cfg(feature = "mock")]

use tokio::io::{{AsyncReadExt, AsyncWriteExt}};

const DRIVES: &[(&str, &str, &str, &[(&str, &str)], Option<&str>)] = &[
{rows}];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_answers_a_documented_status() {{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {{ axum::serve(listener, {server_crate}::mock::router()).await }});
    let (mut done, mut all, mut failures) = (0usize, 0usize, Vec::<String>::new());
    for (id, method, target, headers, body) in DRIVES {{
        let operation = {server_crate}::OPERATIONS.iter().find(|op| op.id == *id).expect("operation");
        let preferences = std::iter::once(None).chain(operation.statuses.iter().map(Some));
        for prefer in preferences {{
            all += 1;
            let status = send(address, method, target, headers, *body, prefer).await;
            match status {{
                Some(status) if operation.documents(status) => done += 1,
                other => failures.push(format!("{{id}} (Prefer: {{prefer:?}}): {{other:?}}, documented {{:?}}", operation.statuses)),
            }}
        }}
    }}
    println!("mock answered: {{done}} of {{all}}");
    assert!(failures.is_empty(), "{{}}", failures.join("\n"));
}}

async fn send(
    address: std::net::SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
    prefer: Option<&u16>,
) -> Option<u16> {{
    let mut stream = tokio::net::TcpStream::connect(address).await.ok()?;
    let mut request = format!("{{method}} {{target}} HTTP/1.1\r\nhost: mock\r\nconnection: close\r\n");
    for (name, value) in headers {{
        request.push_str(&format!("{{name}}: {{value}}\r\n"));
    }}
    if let Some(status) = prefer {{
        request.push_str(&format!("prefer: code={{status}}\r\n"));
    }}
    let body = body.unwrap_or_default();
    request.push_str(&format!("content-length: {{}}\r\n\r\n{{body}}", body.len()));
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.ok()?;
    let answer = String::from_utf8_lossy(&answer);
    answer.split(' ').nth(1)?.parse().ok()
}}
"#
    )
}
