//! Lint memory stays linear and small: a spec of many trivial operations
//! costs at most [`BYTES_PER_OPERATION`] of peak resident memory each, in
//! JSON and in YAML (issue #27: it was ~115 KB an operation, so that a large
//! but ordinary spec got a 7 GB CI runner killed).
//!
//! The peak is the process's own (`VmHWM`, reset through
//! `/proc/self/clear_refs` after the text is built), so each case runs in
//! a process of its own.

#![cfg(target_os = "linux")]

use std::fmt::Write as _;
use std::path::Path;

use openapi_lint::{LintConfig, Ruleset, lint_text};

/// The bound per operation: the issue's aim is 10 KB; a debug build
/// measured ~3 KB.
const BYTES_PER_OPERATION: u64 = 10 * 1024;
const OPERATIONS: usize = 20_000;

fn operation(i: usize) -> String {
    format!(
        r#""/items{i}":{{"get":{{"operationId":"get{i}","responses":{{"200":{{"description":"ok"}}}}}}}}"#
    )
}

fn json_spec(operations: usize) -> String {
    let paths: Vec<String> = (0..operations).map(operation).collect();
    format!(
        r#"{{"openapi":"3.0.3","info":{{"title":"scale","version":"1"}},"paths":{{{}}}}}"#,
        paths.join(",")
    )
}

fn yaml_spec(operations: usize) -> String {
    let mut text = String::from("openapi: 3.0.3\ninfo:\n  title: scale\n  version: '1'\npaths:\n");
    for i in 0..operations {
        let _ = write!(
            text,
            "  /items{i}:\n    get:\n      operationId: get{i}\n      responses:\n        '200':\n          description: ok\n"
        );
    }
    text
}

/// Resident memory peak of this process, in bytes.
fn peak() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let kilobytes: u64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .expect("VmHWM in /proc/self/status");
    kilobytes * 1024
}

/// Resets the peak to the current resident size.
fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").expect("reset VmHWM");
}

fn lint_growth(name: &str, text: &str) -> u64 {
    reset_peak();
    let before = peak();
    let findings = lint_text(Path::new(name), text, &LintConfig::new(Ruleset::Standard));
    let growth = peak().saturating_sub(before);
    // Operations without a tag or a summary draw style findings; nothing
    // may stop the rules from running on every operation.
    assert!(
        !findings
            .iter()
            .any(|finding| finding.severity == openapi_lint::Severity::Error),
        "{name}: the synthetic spec should lint without errors: {:?}",
        findings.first()
    );
    drop(findings);
    growth
}

/// Runs `measure` in a process of its own (this test binary, filtered to
/// `test`), so that what another case allocated and freed does not hide
/// this one's peak.
fn in_own_process(test: &str, measure: impl FnOnce()) {
    const CHILD: &str = "OPENAPI_LINT_MEMORY_CHILD";
    if std::env::var_os(CHILD).is_some() {
        measure();
        return;
    }
    let exe = std::env::current_exe().expect("the test binary");
    let output = std::process::Command::new(exe)
        .args(["--exact", test, "--nocapture", "--test-threads", "1"])
        .env(CHILD, "1")
        .output()
        .expect("run the test binary");
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprint!("{stderr}");
    assert!(output.status.success(), "{test} failed in its own process");
}

fn check(name: &str, text: &str) {
    let bound = BYTES_PER_OPERATION * OPERATIONS as u64;
    let growth = lint_growth(name, text);
    let per_operation = growth / OPERATIONS as u64;
    eprintln!(
        "{name}: {OPERATIONS} operations, peak growth {growth} bytes, {per_operation} per operation"
    );
    assert!(
        growth <= bound,
        "{name}: linting {OPERATIONS} trivial operations grew the peak by {growth} bytes ({per_operation} per operation; bound {BYTES_PER_OPERATION})"
    );
}

#[test]
fn lint_memory_per_trivial_json_operation_is_bounded() {
    in_own_process("lint_memory_per_trivial_json_operation_is_bounded", || {
        check("scale.json", &json_spec(OPERATIONS));
    });
}

#[test]
fn lint_memory_per_trivial_yaml_operation_is_bounded() {
    in_own_process("lint_memory_per_trivial_yaml_operation_is_bounded", || {
        check("scale.yaml", &yaml_spec(OPERATIONS));
    });
}
