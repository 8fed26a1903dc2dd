//! Names taken from a spec (operationIds, paths) that hold a line break and
//! a GitHub workflow command, or a terminal escape: every output format of
//! `lint` and `diff` keeps them inert (one line per finding or change, no
//! control character), and JSON keeps them exactly.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const INJECTED: &str = "x\\n::error file=evil::pwned\\u001b[31m";

fn spec(operation_id: &str) -> String {
    format!(
        "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{\"/items\": {{\"get\": {{\"operationId\": \"{operation_id}\", \"responses\": {{\"200\": {{\"description\": \"ok\"}}}}}}}}}}}}\n"
    )
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vb-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch");
    dir
}

fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vendor-bindings"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("vendor-bindings runs")
}

/// No control character but the line ends, and no line a CI runner would
/// take for a workflow command the spec wrote.
fn assert_inert(out: &str) {
    assert!(
        !out.chars().any(|c| c.is_control() && c != '\n'),
        "a control character: {out:?}"
    );
    assert!(
        !out.lines()
            .any(|line| line.starts_with("::error file=evil")),
        "{out}"
    );
}

#[test]
fn lint_outputs_keep_hostile_names_inert() {
    let dir = scratch("lint");
    std::fs::write(dir.join("api.json"), spec(INJECTED)).expect("spec");
    for format in ["text", "github", "sarif"] {
        let output = run(
            &dir,
            &[
                "lint",
                "--ruleset",
                "project",
                "--format",
                format,
                "api.json",
            ],
        );
        assert!(!output.status.success());
        let out = String::from_utf8_lossy(&output.stdout);
        assert!(out.contains("pwned"), "{format}: {out}");
        assert_inert(&out);
    }
    let json = run(
        &dir,
        &[
            "lint",
            "--ruleset",
            "project",
            "--format",
            "json",
            "api.json",
        ],
    );
    let findings: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let messages: Vec<&str> = findings
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|finding| finding["message"].as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("x\n::error file=evil::pwned\u{1b}[31m")),
        "{messages:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(feature = "codegen")]
#[test]
fn diff_outputs_keep_hostile_names_inert() {
    let dir = scratch("diff");
    std::fs::write(dir.join("old.json"), spec("list")).expect("old");
    std::fs::write(dir.join("new.json"), spec(INJECTED)).expect("new");
    for format in ["text", "markdown"] {
        let output = run(&dir, &["diff", "old.json", "new.json", "--format", format]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let out = String::from_utf8_lossy(&output.stdout);
        assert!(out.contains("pwned"), "{format}: {out}");
        assert_inert(&out);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
