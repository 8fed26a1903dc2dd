//! Each fixture in `tests/fixtures/` marks the lines where findings are
//! expected with a trailing `# lint: <rule>` comment; the linter must report
//! exactly those (line, rule) pairs. `clean.yaml` has no marker and must
//! produce nothing. A new fixture is a new case, with no code to add.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use xtask::lint::{Finding, lint_file};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures directory")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    files
}

fn expected(path: &Path) -> BTreeSet<(usize, String)> {
    let text = std::fs::read_to_string(path).expect("fixture is readable");
    text.lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let (_, rule) = line.split_once("# lint: ")?;
            Some((index + 1, rule.trim().to_owned()))
        })
        .collect()
}

fn actual(findings: &[Finding]) -> BTreeSet<(usize, String)> {
    findings
        .iter()
        .map(|f| {
            let line = f.position.map_or(0, |p| p.line);
            (line, f.rule.name().to_owned())
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
        let findings = lint_file(&file);
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
        rules_covered.extend(want.into_iter().map(|(_, rule)| rule));
    }
    // Every rule but `unreadable-file` (no file to hold it) has a fixture.
    let all = [
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
    let findings = lint_file(Path::new("tests/fixtures/does-not-exist.yaml"));
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
        .args(["lint", "--format", "text"])
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
        .args(["lint", "--format", "json"])
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
