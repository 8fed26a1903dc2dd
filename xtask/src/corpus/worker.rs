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

/// The spec diffed against itself (no change expected), then against
/// copies with one breaking change each ([`breaking_edits`]), each of
/// which must be reported breaking.
fn diff_self(spec: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(spec)?;
    let name = spec.display().to_string();
    let changes = bindings_codegen::diff::diff_texts(&name, &text, &name, &text)?;
    let first = changes.first().map(|change| format!("{change:?}"));
    if !changes.is_empty() {
        return Ok(json!({ "changes": changes.len(), "first": first }));
    }
    let document = openapi_source::SourceDoc::parse(&text)
        .map_err(|e| anyhow::anyhow!("{}: {}", e.position, e.message))?;
    let mut checked = Vec::new();
    for (what, edited) in breaking_edits(document.value()) {
        let edited_text = serde_json::to_string_pretty(&edited)?;
        let changes =
            bindings_codegen::diff::diff_texts(&name, &text, "edited.json", &edited_text)?;
        if !changes
            .iter()
            .any(|change| change.worst() == bindings_codegen::diff::Level::Breaking)
        {
            anyhow::bail!(
                "{what}: not reported breaking ({} change(s){})",
                changes.len(),
                changes
                    .first()
                    .map(|change| format!(", first `{}`", change.id))
                    .unwrap_or_default()
            );
        }
        checked.push(what);
    }
    Ok(json!({ "changes": 0, "breaking": checked }))
}

/// Copies of `document` with one breaking change each, and what it is:
/// its first operation (else webhook) removed; the first member of the
/// first component schema that has members removed.
fn breaking_edits(document: &Value) -> Vec<(String, Value)> {
    const METHODS: &[&str] = &[
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let mut edits = Vec::new();
    for section in ["paths", "webhooks"] {
        let first = document
            .get(section)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .find_map(|(key, item)| {
                let method = METHODS.iter().find(|m| item.get(**m).is_some())?;
                Some((key.clone(), *method))
            });
        if let Some((key, method)) = first {
            let mut edited = document.clone();
            if let Some(item) = edited[section][&key].as_object_mut() {
                item.remove(method);
            }
            edits.push((
                format!("{section}: {} {key} removed", method.to_uppercase()),
                edited,
            ));
            break;
        }
    }
    let member = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .find_map(|(schema, node)| {
            let (member, _) = node.get("properties")?.as_object()?.iter().next()?;
            Some((schema.clone(), member.clone()))
        });
    if let Some((schema, member)) = member {
        let mut edited = document.clone();
        if let Some(properties) =
            edited["components"]["schemas"][&schema]["properties"].as_object_mut()
        {
            properties.remove(&member);
        }
        if let Some(required) = edited["components"]["schemas"][&schema]["required"].as_array_mut()
        {
            required.retain(|name| name != member.as_str());
        }
        edits.push((
            format!("member `{member}` of schema `{schema}` removed"),
            edited,
        ));
    }
    edits
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
