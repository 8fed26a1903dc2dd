//! `cargo xtask corpus`: every published spec of a corpus directory
//! (`../shared/openapi-corpus` by default), each as a new API of a scratch
//! workspace: generated, then its three crates built with clippy
//! `-D warnings`. What the generator takes of OpenAPI as the world writes
//! it, measured on specs nobody here wrote.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};

use crate::generate;

/// How one corpus spec fared.
#[derive(Debug)]
pub struct Outcome {
    pub spec: String,
    pub operations: usize,
    /// `Ok` with the time generation took, or why it failed.
    pub generate: std::result::Result<Duration, String>,
    /// `None` when generation failed; else `Ok` or clippy's first errors.
    pub clippy: Option<std::result::Result<(), String>>,
}

impl Outcome {
    pub fn passed(&self) -> bool {
        matches!(self.clippy, Some(Ok(())))
    }
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
        .and_then(|text| crate::source::SourceDoc::parse(&text).ok())
        .map_or(0, |doc| count_operations(doc.value()));
    let started = Instant::now();
    let rendered = generate::load_config(&scratch)
        .and_then(|apis| generate::render(&scratch, &apis))
        .and_then(|output| generate::write(&scratch, &output));
    let generate = match rendered {
        Ok(_) => Ok(started.elapsed()),
        Err(error) => Err(format!("{error:#}")),
    };
    let clippy = generate.is_ok().then(|| {
        let output = Command::new(env!("CARGO"))
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
            .args(["--all-targets", "--", "-D", "warnings"])
            .env("CARGO_TARGET_DIR", target_dir)
            .output();
        match output {
            Ok(output) if output.status.success() => Ok(()),
            Ok(output) => {
                let errors: Vec<String> = String::from_utf8_lossy(&output.stderr)
                    .lines()
                    .filter(|line| line.starts_with("error"))
                    .take(3)
                    .map(str::to_owned)
                    .collect();
                Err(errors.join(" / "))
            }
            Err(error) => Err(format!("cannot run cargo: {error}")),
        }
    });
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(Outcome {
        spec: name,
        operations,
        generate,
        clippy,
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
        "| spec | operations | generate | clippy -D warnings | time to generate |\n|---|---|---|---|---|\n",
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
        let _ = writeln!(
            out,
            "| {} | {} | {generate} | {clippy} | {time} |",
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
