//! `vendor-bindings lint` as a user runs it: findings in every format,
//! exit statuses, warnings, files that are not specs.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The linter's own fixtures.
fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi-lint/tests/fixtures")
}

#[test]
fn cli_prints_findings_and_fails() {
    let fixture = fixtures().join("operation-id.yaml");
    let output = Command::new(env!("CARGO_BIN_EXE_vendor-bindings"))
        .args(["lint", "--ruleset", "project", "--format", "text"])
        .arg(&fixture)
        .output()
        .expect("vendor-bindings runs");
    assert!(!output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let expected = format!(
        "{}:10:7: operation-id: operationId `listItems` is not snake_case\n",
        fixture.display()
    );
    // `project` runs the generator's check too: its findings follow.
    assert!(stdout.starts_with(&expected), "{stdout}");
    let findings = stdout.lines().count();

    let output = Command::new(env!("CARGO_BIN_EXE_vendor-bindings"))
        .args(["lint", "--ruleset", "project", "--format", "json"])
        .arg(&fixture)
        .output()
        .expect("vendor-bindings runs");
    assert!(!output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON output");
    assert_eq!(json.as_array().map(Vec::len), Some(findings));
    assert_eq!(
        json[0],
        serde_json::json!({
            "file": fixture.display().to_string(),
            "line": 10,
            "column": 7,
            "rule": "operation-id",
            "severity": "error",
            "message": "operationId `listItems` is not snake_case",
        })
    );
}

#[test]
fn cli_succeeds_on_a_clean_spec() {
    let fixture = fixtures().join("clean.yaml");
    let output = Command::new(env!("CARGO_BIN_EXE_vendor-bindings"))
        .arg("lint")
        .arg(&fixture)
        .output()
        .expect("vendor-bindings runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(output.stdout.is_empty());
}

fn lint(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_vendor-bindings"))
        .arg("lint")
        .args(args)
        .output()
        .expect("vendor-bindings runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn every_format_carries_the_same_findings() {
    let fixture = fixtures().join("operation-id.yaml");
    let fixture = fixture.to_str().expect("UTF-8 path");
    let (ok, github, _) = lint(&["--ruleset", "project", "--format", "github", fixture]);
    assert!(!ok);
    assert!(
        github.starts_with(&format!(
            "::error file={fixture},line=10,col=7,title=operation-id::operation-id: operationId `listItems` is not snake_case\n"
        )),
        "{github}"
    );
    let findings = github.lines().count();
    let (ok, sarif, _) = lint(&["--ruleset", "project", "--format", "sarif", fixture]);
    assert!(!ok);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), findings);
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
    let (ok, text, _) = lint(&["--ruleset", "standard", fixture]);
    assert!(ok, "{text}");
}

#[test]
fn warnings_fail_only_when_denied() {
    let fixture = fixtures().join("standard-ruleset.yaml");
    let fixture = fixture.to_str().expect("UTF-8 path");
    let (ok, text, _) = lint(&["--ruleset", "standard", fixture]);
    assert!(ok, "a warning alone passes: {text}");
    assert!(
        text.contains("unused-component") && text.contains("(warning)"),
        "{text}"
    );
    let (ok, github, _) = lint(&["--ruleset", "standard", "--format", "github", fixture]);
    assert!(ok);
    assert!(github.starts_with("::warning file="), "{github}");
    let (ok, _, _) = lint(&["--ruleset", "standard", "--deny-warnings", fixture]);
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
        let (ok, stdout, _) = lint(&[shown]);
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
