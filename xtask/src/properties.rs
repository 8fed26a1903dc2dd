//! `cargo xtask properties`: the property tests run long (thousands of
//! cases, release build) rather than the few hundred `cargo test` runs;
//! with `--record`, the latest result goes to `PROPERTIES.md`.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};

/// One property test: its package, test target, and the variable that
/// sets its number of cases.
struct Property {
    package: &'static str,
    test: &'static str,
    cases_variable: &'static str,
    what: &'static str,
}

const PROPERTIES: &[Property] = &[Property {
    package: "bindings-codegen",
    test: "diff_proptest",
    cases_variable: "DIFF_PROPTEST_CASES",
    what: "a spec change that breaks a wire client or server is never reported compatible (random wire-relevant edits of random specs, each checked with a witnessing request or response)",
}];

/// The outcome of one property at `cases` cases.
#[derive(Debug)]
pub struct Outcome {
    what: &'static str,
    cases: u32,
    seconds: f64,
    passed: bool,
    /// The test's own last line (the shrunk counterexample when it failed).
    summary: String,
}

/// Runs every property with `cases` cases.
pub fn run(root: &Path, cases: u32) -> Result<Vec<Outcome>> {
    PROPERTIES
        .iter()
        .map(|property| run_one(root, property, cases))
        .collect()
}

fn run_one(root: &Path, property: &Property, cases: u32) -> Result<Outcome> {
    let started = Instant::now();
    let output = Command::new(env!("CARGO"))
        .current_dir(root)
        .args(["test", "--release", "--quiet", "-p", property.package])
        .args(["--test", property.test, "--", "--nocapture"])
        .env(property.cases_variable, cases.to_string())
        .output()
        .context("cannot run cargo test")?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let summary = text
        .lines()
        .rev()
        .find(|line| line.contains("property test") || line.contains("panicked"))
        .unwrap_or("no summary line")
        .trim()
        .to_owned();
    Ok(Outcome {
        what: property.what,
        cases,
        seconds: started.elapsed().as_secs_f64(),
        passed: output.status.success(),
        summary,
    })
}

/// The outcomes as the Markdown `PROPERTIES.md` holds.
pub fn markdown(outcomes: &[Outcome], commit: &str) -> String {
    let mut text = format!(
        "# Property tests, long run\n\nThe latest `cargo xtask properties --record` (release build) at commit `{commit}`. `cargo test` runs the same properties with fewer cases.\n\n| property | cases | result | time |\n|---|---|---|---|\n"
    );
    for outcome in outcomes {
        let result = if outcome.passed {
            "passed".to_owned()
        } else {
            format!("FAILED: {}", outcome.summary.replace('|', "\\|"))
        };
        text.push_str(&format!(
            "| {} | {} | {result} | {:.0} s |\n",
            outcome.what, outcome.cases, outcome.seconds
        ));
    }
    text
}

/// Prints the outcomes; fails when one did not pass.
pub fn report(outcomes: &[Outcome]) -> Result<()> {
    for outcome in outcomes {
        println!(
            "properties: {} cases in {:.0} s: {}",
            outcome.cases, outcome.seconds, outcome.summary
        );
    }
    if outcomes.iter().any(|outcome| !outcome.passed) {
        bail!("a property failed");
    }
    Ok(())
}
