//! Row 4: `lint` with the full standard ruleset (examples validated) on
//! the two largest real specs of the corpus, Stripe's `spec3.json` and
//! GitHub's REST description, against Redocly CLI and Spectral on the same
//! file (#25 target 4: at most 0.1x Redocly's time and 0.02x Spectral's),
//! each tool run as its users run it: a process per run, its own default
//! configuration of this repository (`redocly.yaml`, `.spectral.yaml`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use serde_json::Value;

use super::{Row, median, ms};

/// The specs, in `corpus/specs/files` (see `corpus/specs/README.md`).
const SPECS: &[(&str, &str)] = &[
    (
        "stripe-spec3-2022-04-12.json",
        "Stripe's spec3.json (2022-04-12)",
    ),
    (
        "progenitor-api-github-com.json",
        "GitHub's REST description",
    ),
];

/// Timed runs of each tool on each spec, the order rotating.
const ROUNDS: usize = 3;

/// A tool: its name, its command line (the spec's path last), the target
/// ratio against it (ours is never compared with itself), and how its JSON
/// output counts findings.
struct Tool {
    name: &'static str,
    command: Vec<String>,
    target: f64,
    json: &'static [&'static str],
    count: fn(&Value) -> (usize, usize),
}

/// Rows 4a-4d: per spec, ours against Redocly CLI and against Spectral.
pub fn rows(root: &Path) -> Result<Vec<Row>> {
    let tools = super::install_outside_linters(root)?;
    let ours = super::release_xtask(root)?;
    let text = |path: PathBuf| path.display().to_string();
    let all = [
        Tool {
            name: "ours",
            command: vec![
                text(ours),
                "lint".into(),
                "--ruleset".into(),
                "standard".into(),
            ],
            target: 1.0,
            json: &["--format", "json"],
            count: count_ours,
        },
        Tool {
            name: "Redocly CLI",
            command: vec![
                text(tools.join("redocly")),
                "lint".into(),
                "--config".into(),
                text(root.join("redocly.yaml")),
            ],
            target: 0.1,
            // Its JSON lists 100 problems unless told otherwise.
            json: &["--format", "json", "--max-problems", "1000000"],
            count: count_redocly,
        },
        Tool {
            name: "Spectral",
            command: vec![
                text(tools.join("spectral")),
                "lint".into(),
                "--ruleset".into(),
                text(root.join(".spectral.yaml")),
            ],
            target: 0.02,
            json: &["--format", "json", "--quiet"],
            count: count_spectral,
        },
    ];
    let mut rows = Vec::new();
    for (file, title) in SPECS {
        let spec = root.join("corpus/specs/files").join(file);
        if !spec.is_file() {
            bail!(
                "{} is missing: rebuild the spec corpus with corpus/specs/sync.py (corpus/specs/README.md)",
                spec.display()
            );
        }
        rows.extend(spec_rows(&all, &spec, title)?);
    }
    Ok(rows)
}

/// The rows of one spec.
fn spec_rows(tools: &[Tool], spec: &Path, title: &str) -> Result<Vec<Row>> {
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); tools.len()];
    for round in 0..ROUNDS {
        for turn in 0..tools.len() {
            let which = (round + turn) % tools.len();
            times[which].push(time(&tools[which].command, spec)?);
        }
    }
    let findings = tools
        .iter()
        .map(|tool| findings(tool, spec))
        .collect::<Result<Vec<_>>>()?;
    let size = std::fs::metadata(spec)?.len() as f64 / 1e6;
    let summary = |at: usize| {
        let (errors, warnings) = findings[at];
        format!(
            "{} (min {}, max {}); {errors} errors, {warnings} warnings",
            ms(median(times[at].clone())),
            ms(times[at].iter().min().copied().unwrap_or_default()),
            ms(times[at].iter().max().copied().unwrap_or_default()),
        )
    };
    let ours = median(times[0].clone()).as_secs_f64();
    Ok((1..tools.len())
        .map(|at| {
            let ratio = ours / median(times[at].clone()).as_secs_f64();
            Row {
                name: format!(
                    "#25.4 lint: {title} ({size:.1} MB), standard ruleset, a process per run, vs {} (median of {ROUNDS} runs)",
                    tools[at].name
                ),
                measured: summary(0),
                baseline: summary(at),
                ratio,
                target: format!(
                    "<= {} ({})",
                    tools[at].target,
                    if ratio <= tools[at].target { "met" } else { "missed" }
                ),
            }
        })
        .collect())
}

/// The wall time of one run of `command` on `spec` (output discarded; a
/// linter exits non-zero when it finds something, which is not a failure).
fn time(command: &[String], spec: &Path) -> Result<Duration> {
    let started = Instant::now();
    let status = Command::new(&command[0])
        .args(&command[1..])
        .arg(spec)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .with_context(|| format!("cannot run {}", command[0]))?;
    if status.code().is_none() {
        bail!("{} was killed on {}", command[0], spec.display());
    }
    Ok(started.elapsed())
}

/// (errors, warnings) that `tool` reports on `spec`, from its JSON output.
fn findings(tool: &Tool, spec: &Path) -> Result<(usize, usize)> {
    let output = Command::new(&tool.command[0])
        .args(&tool.command[1..])
        .args(tool.json)
        .arg(spec)
        .output()
        .with_context(|| format!("cannot run {}", tool.command[0]))?;
    let text = String::from_utf8_lossy(&output.stdout);
    // Spectral and Redocly may print a line of their own before the JSON.
    let start = text.find(['[', '{']).unwrap_or(0);
    let value: Value = serde_json::from_str(&text[start..]).with_context(|| {
        format!(
            "{}'s JSON output on {} does not parse: {}",
            tool.name,
            spec.display(),
            String::from_utf8_lossy(&output.stderr)
        )
    })?;
    Ok((tool.count)(&value))
}

/// Ours: an array of findings, each with its `severity` (`error`, `warn`).
fn count_ours(value: &Value) -> (usize, usize) {
    count_by(value, |finding| match finding["severity"].as_str() {
        Some("warn") => Some("warning".to_owned()),
        other => other.map(str::to_owned),
    })
}

/// Redocly CLI: `totals.errors` and `totals.warnings`.
fn count_redocly(value: &Value) -> (usize, usize) {
    let total = |key: &str| value["totals"][key].as_u64().unwrap_or(0) as usize;
    (total("errors"), total("warnings"))
}

/// Spectral: an array of results, severity 0 an error, 1 a warning.
fn count_spectral(value: &Value) -> (usize, usize) {
    count_by(value, |result| {
        match result["severity"].as_u64() {
            Some(0) => Some("error"),
            Some(1) => Some("warning"),
            _ => None,
        }
        .map(str::to_owned)
    })
}

/// Errors and warnings of an array, each item's severity read by `of`.
fn count_by(value: &Value, of: impl Fn(&Value) -> Option<String>) -> (usize, usize) {
    let items = value.as_array().map(Vec::as_slice).unwrap_or_default();
    let is = |severity: &str| {
        items
            .iter()
            .filter(|item| of(item).is_some_and(|s| s.eq_ignore_ascii_case(severity)))
            .count()
    };
    (is("error"), is("warning"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_tool_s_warnings_are_counted() {
        let ours = json!([{"severity": "error"}, {"severity": "warn"}, {"severity": "warn"}]);
        assert_eq!(count_ours(&ours), (1, 2));
        let spectral = json!([{"severity": 0}, {"severity": 1}, {"severity": 2}]);
        assert_eq!(count_spectral(&spectral), (1, 1));
        let redocly = json!({"totals": {"errors": 3, "warnings": 4}});
        assert_eq!(count_redocly(&redocly), (3, 4));
    }
}
