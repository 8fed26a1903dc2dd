//! The steps a corpus run takes on one spec, each run by the hidden
//! `corpus-worker` subcommand in a process of its own; the last line it
//! prints is the step's result as JSON (`{"error": ..}`, `{"panic": ..}`,
//! or what the step measured).

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context as _, Result};
use serde_json::{Value, json};

use bindings_codegen::generate;

/// Marks the result line among whatever else a step prints.
pub const RESULT: &str = "corpus-worker-result: ";

/// A step of the corpus run on one spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Step {
    /// `openapi_lint::lint_file` with the standard ruleset.
    Lint,
    /// Our generator, rendering the three crates in memory.
    Generate,
    /// The spec diffed against itself (0 changes expected).
    Diff,
    /// progenitor alone, as its README's build.rs runs it.
    Progenitor,
}

/// Runs `step` on `spec`, catching panics, and prints the result line.
/// `out`: where progenitor's client is written (for its build).
pub fn run(step: Step, spec: &Path, out: Option<&Path>) {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match step {
        Step::Lint => Ok(lint(spec)),
        Step::Generate => ours(spec),
        Step::Diff => diff_self(spec),
        Step::Progenitor => progenitor(spec, out),
    }));
    let value = match result {
        Ok(Ok(value)) => value,
        Ok(Err(error)) => json!({ "error": format!("{error:#}") }),
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "(no message)".into());
            json!({ "panic": message })
        }
    };
    println!("{RESULT}{value}");
}

fn lint(spec: &Path) -> Value {
    use openapi_lint::{LintConfig, Ruleset, Severity};
    let findings = openapi_lint::lint_file(spec, &LintConfig::new(Ruleset::Standard));
    let mut rules = std::collections::BTreeMap::<String, usize>::new();
    for finding in findings.iter().filter(|f| f.severity == Severity::Error) {
        *rules.entry(finding.rule.name().to_owned()).or_default() += 1;
    }
    let mut top: Vec<(String, usize)> = rules.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut summary = String::new();
    for (rule, count) in top.iter().take(3) {
        let _ = write!(
            summary,
            "{}{rule} {count}",
            if summary.is_empty() { "" } else { ", " }
        );
    }
    let count = |severity| findings.iter().filter(|f| f.severity == severity).count();
    let first = findings
        .iter()
        .find(|f| f.severity == Severity::Error)
        .map(|f| format!("{}: {}", f.rule.name(), f.message));
    json!({
        "errors": count(Severity::Error),
        "warnings": count(Severity::Warn),
        "top": summary,
        "first": first,
    })
}

/// Our generator on `spec`, as `generate` would run it for an API listed
/// under the standard ruleset; nothing is written.
fn ours(spec: &Path) -> Result<Value> {
    let dir = spec.parent().context("the spec has no directory")?;
    let name = spec
        .file_name()
        .context("the spec has no file name")?
        .to_string_lossy();
    let config = format!(
        "name = \"corpus\"\nspec = {}\ndescription = \"a corpus spec\"\nlint-ruleset = \"standard\"\ninherit-workspace = false\n",
        toml::Value::String(name.into_owned())
    );
    let api: generate::ApiConfig = toml::from_str(&config)?;
    let out = std::env::temp_dir().join(format!("xtask-corpus-render-{}", std::process::id()));
    let output = generate::render(dir, &out, &[api])?;
    let bytes: usize = output.generated.values().map(String::len).sum();
    Ok(json!({ "files": output.generated.len(), "bytes": bytes }))
}

fn diff_self(spec: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(spec)?;
    let name = spec.display().to_string();
    let changes = bindings_codegen::diff::diff_texts(&name, &text, &name, &text)?;
    let first = changes.first().map(|change| format!("{change:?}"));
    Ok(json!({ "changes": changes.len(), "first": first }))
}

/// progenitor alone: `Generator::default().generate_tokens`, then
/// `syn::parse2` and `prettyplease::unparse`, as its README's build.rs
/// does (YAML read into JSON by this repository's reader first).
fn progenitor(spec: &Path, out: Option<&Path>) -> Result<Value> {
    let text = std::fs::read_to_string(spec)?;
    let doc = openapi_source::SourceDoc::parse(&text)
        .map_err(|e| anyhow::anyhow!("not YAML or JSON: {}: {}", e.position, e.message))?;
    let spec: openapiv3::OpenAPI =
        serde_json::from_value(doc.value().clone()).context("openapiv3 cannot read it")?;
    let tokens = progenitor_impl::Generator::default()
        .generate_tokens(&spec)
        .map_err(|error| anyhow::anyhow!("progenitor: {error}"))?;
    let file: syn::File = syn::parse2(tokens).context("syn cannot parse progenitor's output")?;
    let code = prettyplease::unparse(&file);
    if let Some(out) = out {
        std::fs::write(out, &code)?;
    }
    Ok(json!({ "bytes": code.len() }))
}
