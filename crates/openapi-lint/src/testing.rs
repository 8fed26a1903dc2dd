//! Marker fixtures, for testing rules (this crate's, or a [`Check`]'s of
//! another crate): a spec marks each line where a finding is expected with
//! a trailing `# lint: <rule>` comment (`# lint: <rule> # severity: warn`
//! for a warning; one marker after another for several rules on a line);
//! its first line may say `# ruleset: standard` (the
//! default is `project`). A fixture that is not UTF-8 keeps its markers in
//! a `.markers` file beside it.

use std::collections::BTreeSet;
use std::path::Path;

use crate::{Check, Finding, LintConfig, Ruleset, Severity, lint_file_with};

/// (line, rule, severity) of a finding or a marker.
pub type Mark = (usize, String, String);

/// The text markers are read from: the `.markers` file, else the fixture.
fn marker_text(path: &Path) -> String {
    std::fs::read(path.with_extension("markers"))
        .or_else(|_| std::fs::read(path))
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

/// The configuration a fixture asks for on its first line.
pub fn config(path: &Path) -> LintConfig {
    let text = marker_text(path);
    let first = text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or_default();
    match first.strip_prefix("# ruleset: ").map(str::trim) {
        Some("standard") => LintConfig::new(Ruleset::Standard),
        _ => LintConfig::new(Ruleset::Project),
    }
}

/// The marks a fixture expects. A line may carry several markers, one
/// per rule (`# lint: a # lint: b # severity: warn`).
pub fn expected(path: &Path) -> BTreeSet<Mark> {
    marker_text(path)
        .lines()
        .enumerate()
        .flat_map(|(index, line)| {
            line.split("# lint: ").skip(1).map(move |marker| {
                let (rule, severity) = match marker.split_once("# severity: ") {
                    Some((rule, severity)) => (rule, severity.trim()),
                    None => (marker, "error"),
                };
                (index + 1, rule.trim().to_owned(), severity.to_owned())
            })
        })
        .collect()
}

/// The marks of `findings`.
pub fn actual(findings: &[Finding]) -> BTreeSet<Mark> {
    findings
        .iter()
        .map(|f| {
            let line = f.position.map_or(0, |p| p.line);
            let severity = match f.severity {
                Severity::Warn => "warn",
                _ => "error",
            };
            (line, f.rule.name().to_owned(), severity.to_owned())
        })
        .collect()
}

/// Lints the fixture at `path` with `checks` added; an error listing the
/// findings when they differ from its markers. Returns the rules marked.
pub fn check_fixture(path: &Path, checks: &[&dyn Check]) -> Result<BTreeSet<String>, String> {
    let want = expected(path);
    let findings = lint_file_with(path, &config(path), checks);
    if actual(&findings) != want {
        let shown: Vec<String> = findings.iter().map(ToString::to_string).collect();
        return Err(format!(
            "{}: findings differ from its `# lint:` markers\n  expected: {want:?}\n  found:\n{}",
            path.display(),
            shown.join("\n")
        ));
    }
    Ok(want.into_iter().map(|(_, rule, _)| rule).collect())
}
