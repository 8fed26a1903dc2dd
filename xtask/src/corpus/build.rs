//! The build sample: our three crates through clippy `-D warnings` (and
//! the examples round trip), progenitor's client through `cargo build`
//! in a scratch crate of its own.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use super::child;
use super::run::{Outcome, Status, outcome};
use super::schemathesis::Findings;

/// The dependencies progenitor's generated client needs (its README's
/// list, with the optional ones its types can use; `base64` and `rand`
/// for Dropshot's websocket upgrades).
pub(crate) const PROGENITOR_CRATE: &str = r#"[package]
name = "progenitor-corpus-client"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
progenitor-client = "0.15"
reqwest = { version = "0.13", default-features = false, features = ["json", "query", "stream"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
serde_urlencoded = "0.7"
chrono = { version = "0.4", default-features = false, features = ["serde", "std", "clock"] }
uuid = { version = "1", features = ["serde", "v4"] }
regress = "0.10"
futures = "0.3"
bytes = "1"
base64 = "0.22"
rand = "0.8"
"#;

/// Ours: `check` (generate into a scratch workspace, clippy, examples;
/// schemathesis against the mock when asked for).
pub fn ours(
    root: &Path,
    spec: &Path,
    schemathesis: Option<&super::schemathesis::Options>,
) -> (Outcome, Option<Result<Findings, String>>) {
    let target = crate::target_dir(root).join("corpus");
    let started = Instant::now();
    let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        super::check(root, spec, &target, schemathesis)
    }));
    let secs = started.elapsed().as_secs_f64();
    match checked {
        Ok(Ok(checked)) => {
            let outcome = match (&checked.clippy, &checked.examples) {
                (Some(Ok(())), examples) => {
                    let examples = match examples {
                        Some(Ok((done, all, _))) => format!("examples {done} of {all}"),
                        Some(Err(error)) => format!("examples: {error}"),
                        None => "examples not run".into(),
                    };
                    outcome(Status::Ok, examples, secs)
                }
                (Some(Err(errors)), _) => outcome(Status::Failed, errors.clone(), secs),
                (None, _) => match &checked.generate {
                    Err(error) => outcome(Status::Failed, format!("generate: {error}"), secs),
                    Ok(_) => outcome(Status::Failed, "not built".into(), secs),
                },
            };
            (outcome, checked.schemathesis)
        }
        Ok(Err(error)) => (outcome(Status::Crashed, format!("{error:#}"), secs), None),
        Err(_) => (
            outcome(Status::Panicked, "generation panicked".into(), secs),
            None,
        ),
    }
}

/// progenitor's client (`code`) as `src/lib.rs` of a scratch crate, built.
pub fn progenitor(root: &Path, code: &Path, timeout: Duration) -> Outcome {
    let target = crate::target_dir(root);
    let krate = target.join("corpus-progenitor-crate");
    let prepared = std::fs::create_dir_all(krate.join("src"))
        .and_then(|()| std::fs::write(krate.join("Cargo.toml"), PROGENITOR_CRATE))
        .and_then(|()| std::fs::copy(code, krate.join("src/lib.rs")).map(drop));
    if let Err(error) = prepared {
        return outcome(Status::Crashed, format!("scratch crate: {error}"), 0.0);
    }
    let mut command = Command::new(env!("CARGO"));
    command
        .args(["build", "--quiet", "--lib", "--manifest-path"])
        .arg(krate.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target.join("corpus-progenitor-target"));
    match child::run(command, timeout) {
        Ok(finished) if finished.success() => outcome(Status::Ok, String::new(), finished.secs),
        Ok(finished) => {
            let status = match finished.ended {
                child::Ended::TimedOut => Status::TimedOut,
                child::Ended::Exited(_) => Status::Failed,
            };
            let errors = first_errors(&finished.stderr);
            let text = if errors.is_empty() {
                finished.how()
            } else {
                errors
            };
            outcome(status, text, finished.secs)
        }
        Err(error) => outcome(Status::Crashed, format!("{error:#}"), 0.0),
    }
}

/// The first three `error` lines of cargo's output, joined.
pub fn first_errors(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|line| line.starts_with("error"))
        .take(3)
        .collect::<Vec<_>>()
        .join(" / ")
}
