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

use openapi_lint::{LintConfig, Rule, lint_file, testing};

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

/// Every fixture lints to exactly its markers, each fixture checked (one
/// failure hides no other), and every built-in rule but `unreadable-file`
/// (no file can hold it) has a fixture.
#[test]
fn every_fixture_fires_exactly_its_rule_at_its_line() {
    let files = fixtures();
    assert!(files.len() > 15, "fixture corpus went missing: {files:?}");
    let mut rules_covered = BTreeSet::new();
    let mut failures = Vec::new();
    for file in files {
        let clean = file.file_name().is_some_and(|name| name == "clean.yaml");
        match testing::check_fixture(&file, &[]) {
            Ok(rules) if rules.is_empty() != clean => failures.push(format!(
                "{}: only clean.yaml may have no marker",
                file.display()
            )),
            Ok(rules) => rules_covered.extend(rules),
            Err(failure) => failures.push(failure),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    let missing: Vec<&str> = Rule::ALL
        .iter()
        .map(|rule| rule.name())
        .filter(|rule| *rule != "unreadable-file" && !rules_covered.contains(*rule))
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
