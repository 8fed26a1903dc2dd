//! Each fixture in `tests/fixtures/` marks the lines where findings are
//! expected with a trailing `# lint: <rule>` comment; the linter must report
//! exactly those (line, rule) pairs. `clean.yaml` has no marker and must
//! produce nothing. A new fixture is a new case, with no code to add.
//!
//! Fixtures lint under the `project` ruleset; one whose first line is
//! `# ruleset: standard` lints under `standard`, and a `# severity: warn`
//! after a marker says the finding is a warning.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use xtask::lint::{Finding, LintConfig, Ruleset, Severity, lint_file};

/// The configuration a fixture (or its `.markers` file) asks for on its
/// first line.
fn config(path: &Path) -> LintConfig {
    let text = std::fs::read(path.with_extension("markers"))
        .or_else(|_| std::fs::read(path))
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&text);
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

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures directory")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "yaml" || ext == "json")
        })
        .collect();
    files.sort();
    files
}

/// (line, rule, severity) of each `# lint: <rule>` marker; a fixture that
/// is not UTF-8 marks its line in a `.markers` file beside it.
fn expected(path: &Path) -> BTreeSet<(usize, String, String)> {
    let markers = path.with_extension("markers");
    let text = match std::fs::read_to_string(&markers) {
        Ok(text) => text,
        Err(_) => {
            String::from_utf8_lossy(&std::fs::read(path).expect("fixture is readable")).into_owned()
        }
    };
    text.lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let (_, marker) = line.split_once("# lint: ")?;
            let (rule, severity) = match marker.split_once("# severity: ") {
                Some((rule, severity)) => (rule, severity.trim()),
                None => (marker, "error"),
            };
            Some((index + 1, rule.trim().to_owned(), severity.to_owned()))
        })
        .collect()
}

fn actual(findings: &[Finding]) -> BTreeSet<(usize, String, String)> {
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

#[test]
fn every_fixture_fires_exactly_its_rule_at_its_line() {
    let files = fixtures();
    assert!(files.len() > 15, "fixture corpus went missing: {files:?}");
    let mut rules_covered = BTreeSet::new();
    for file in files {
        let want = expected(&file);
        let findings = lint_file(&file, &config(&file));
        let shown: Vec<String> = findings.iter().map(ToString::to_string).collect();
        assert_eq!(
            actual(&findings),
            want,
            "{}: findings differ from its `# lint:` markers:\n{}",
            file.display(),
            shown.join("\n")
        );
        let is_clean = file.file_name().is_some_and(|name| name == "clean.yaml");
        assert_eq!(
            want.is_empty(),
            is_clean,
            "{}: only clean.yaml may have no marker",
            file.display()
        );
        rules_covered.extend(want.into_iter().map(|(_, rule, _)| rule));
    }
    // Every rule but `unreadable-file` (no file to hold it) has a fixture.
    let all = [
        "ref-cycle",
        "unknown-field",
        "responses-empty",
        "security-scheme-undefined",
        "yaml-syntax",
        "not-openapi",
        "openapi-version",
        "openapi-structure",
        "ref-unresolved",
        "unused-component",
        "operation-id",
        "operation-id-duplicate",
        "operation-summary",
        "operation-tags",
        "operation-success-response",
        "path-parameter-undeclared",
        "path-parameter-unused",
        "schema-untyped",
        "enum-values",
        "integer-format",
        "example-invalid",
        "security-missing",
        "request-errors",
        "envelope",
    ];
    let missing: Vec<_> = all
        .iter()
        .filter(|rule| !rules_covered.contains(**rule))
        .collect();
    assert!(missing.is_empty(), "rules without a fixture: {missing:?}");
}

#[test]
fn a_missing_file_is_one_clear_finding() {
    let findings = lint_file(
        Path::new("tests/fixtures/does-not-exist.yaml"),
        &LintConfig::default(),
    );
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].rule.name(), "unreadable-file");
    assert!(findings[0].position.is_none());
    assert!(
        findings[0]
            .to_string()
            .starts_with("tests/fixtures/does-not-exist.yaml: unreadable-file: ")
    );
}

#[test]
fn cli_prints_findings_and_fails() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/operation-id.yaml");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["lint", "--ruleset", "project", "--format", "text"])
        .arg(&fixture)
        .output()
        .expect("xtask runs");
    assert!(!output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let expected = format!(
        "{}:10:7: operation-id: operationId `listItems` is not snake_case\n",
        fixture.display()
    );
    assert_eq!(stdout, expected);

    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["lint", "--ruleset", "project", "--format", "json"])
        .arg(&fixture)
        .output()
        .expect("xtask runs");
    assert!(!output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON output");
    assert_eq!(
        json,
        serde_json::json!([{
            "file": fixture.display().to_string(),
            "line": 10,
            "column": 7,
            "rule": "operation-id",
            "severity": "error",
            "message": "operationId `listItems` is not snake_case",
        }])
    );
}

#[test]
fn cli_succeeds_on_a_clean_spec() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clean.yaml");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("lint")
        .arg(&fixture)
        .output()
        .expect("xtask runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(output.stdout.is_empty());
}

fn xtask_lint(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("lint")
        .args(args)
        .output()
        .expect("xtask runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn every_format_carries_the_same_findings() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/operation-id.yaml");
    let fixture = fixture.to_str().expect("UTF-8 path");
    let (ok, github, _) = xtask_lint(&["--ruleset", "project", "--format", "github", fixture]);
    assert!(!ok);
    assert_eq!(
        github,
        format!(
            "::error file={fixture},line=10,col=7,title=operation-id::operation-id: operationId `listItems` is not snake_case\n"
        )
    );
    let (ok, sarif, _) = xtask_lint(&["--ruleset", "project", "--format", "sarif", fixture]);
    assert!(!ok);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["ruleId"], "operation-id");
    assert_eq!(results[0]["level"], "error");
    let region = &results[0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(10), Some(7))
    );
    let rule_index = results[0]["ruleIndex"].as_u64().expect("rule index") as usize;
    assert_eq!(
        sarif["runs"][0]["tool"]["driver"]["rules"][rule_index]["id"],
        "operation-id"
    );
    // The same file under `standard`: a camelCase operationId is fine.
    let (ok, text, _) = xtask_lint(&["--ruleset", "standard", fixture]);
    assert!(ok, "{text}");
}

#[test]
fn warnings_fail_only_when_denied() {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/standard-ruleset.yaml");
    let fixture = fixture.to_str().expect("UTF-8 path");
    let (ok, text, _) = xtask_lint(&["--ruleset", "standard", fixture]);
    assert!(ok, "a warning alone passes: {text}");
    assert!(
        text.contains("unused-component") && text.contains("(warning)"),
        "{text}"
    );
    let (ok, github, _) = xtask_lint(&["--ruleset", "standard", "--format", "github", fixture]);
    assert!(ok);
    assert!(github.starts_with("::warning file="), "{github}");
    let (ok, _, _) = xtask_lint(&["--ruleset", "standard", "--deny-warnings", fixture]);
    assert!(!ok);
}

/// A directory, a missing file, a FIFO and a device: one clear line each,
/// a non-zero exit, and no blocking (a FIFO opened for reading would wait
/// for a writer forever).
#[test]
fn files_that_are_not_specs_get_one_line_each() {
    let scratch = std::env::temp_dir().join(format!("lint-not-files-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).expect("scratch");
    let fifo = scratch.join("pipe.yaml");
    let made_fifo = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|status| status.success());
    let missing = scratch.join("missing.yaml");
    let mut cases = vec![
        (scratch.clone(), "a directory"),
        (missing, "no such file"),
        (PathBuf::from("/dev/null"), "not a regular file"),
    ];
    if made_fifo {
        cases.push((fifo, "not a regular file"));
    }
    for (path, expected) in cases {
        let shown = path.to_str().expect("UTF-8 path");
        let started = std::time::Instant::now();
        let (ok, stdout, _) = xtask_lint(&[shown]);
        assert!(!ok, "{shown}");
        assert_eq!(stdout.lines().count(), 1, "{stdout}");
        assert!(
            stdout.starts_with(&format!("{shown}: unreadable-file: {expected}")),
            "{stdout}"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
    }
    let _ = std::fs::remove_dir_all(&scratch);
}
