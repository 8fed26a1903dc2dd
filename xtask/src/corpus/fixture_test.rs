//! A generator fixture's behaviour test: `NAME.rs` beside `NAME.yaml`
//! (or `.json`) drives the crates generated from it (the webhooks fixture
//! sends through the generated mock and sender to the generated
//! receiver). It runs as a test of the scratch server crate,
//! `tests/fixture.rs`, with the other two crates and the usual test crates
//! as dev-dependencies, and with the helpers every fixture test shares
//! ([`COMMON`]: serving the generated mock, sending a request, a multipart
//! body) as `tests/common/mod.rs`, which it takes with `mod common;`.

use std::path::Path;

use super::{child, scratch_cargo};

/// The helpers fixture tests share: `common/mod.rs` of the generator
/// fixtures, in a directory of its own, so the fixture run never takes it
/// for a fixture (a fixture is a spec directly in the directory run,
/// [`super::specs`]); held in the binary, so fixtures run from another
/// directory have it too.
const COMMON: &str =
    include_str!("../../../crates/bindings-codegen/tests/generator-fixtures/common/mod.rs");

/// The dev-dependencies a fixture test may use; `{client_features}`: the
/// client's `webhooks` feature, where the spec has webhooks.
const DEV_DEPENDENCIES: &str = r#"
[dev-dependencies]
axum = { version = "0.8.4", default-features = false, features = ["http1", "tokio"] }
corpus-client = { path = "../corpus-client", features = [{client_features}] }
corpus-types = { path = "../corpus-types" }
reqwest = { version = "0.13", default-features = false, features = ["json"] }
serde_json = "1"
tokio = { version = "1", features = ["macros", "rt-multi-thread", "net", "process"] }
"#;

/// Runs the fixture test of `spec` in `scratch`, if the fixture has one:
/// `Ok` with (tests passed, tests run), or the first failures.
pub fn run(
    scratch: &Path,
    spec: &Path,
    target_dir: &Path,
) -> Option<std::result::Result<(usize, usize), String>> {
    let test = spec.with_extension("rs");
    let source = std::fs::read_to_string(&test).ok()?;
    Some(run_test(scratch, &source, target_dir))
}

fn run_test(scratch: &Path, source: &str, target_dir: &Path) -> Result<(usize, usize), String> {
    let server = scratch.join("crates/corpus-server");
    std::fs::create_dir_all(server.join("tests/common")).map_err(|e| e.to_string())?;
    std::fs::write(server.join("tests/fixture.rs"), source).map_err(|e| e.to_string())?;
    std::fs::write(server.join("tests/common/mod.rs"), COMMON).map_err(|e| e.to_string())?;
    let manifest = server.join("Cargo.toml");
    let mut cargo = std::fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
    let client = std::fs::read_to_string(scratch.join("crates/corpus-client/Cargo.toml"))
        .map_err(|e| e.to_string())?;
    let client: toml::Table = client.parse().map_err(|e| format!("corpus-client: {e}"))?;
    let webhooks = client
        .get("features")
        .and_then(|features| features.get("webhooks"))
        .is_some();
    let features = if webhooks { r#""webhooks""# } else { "" };
    cargo.push_str(&DEV_DEPENDENCIES.replace("{client_features}", features));
    std::fs::write(&manifest, cargo).map_err(|e| e.to_string())?;
    let mut command = scratch_cargo(scratch, target_dir, "test");
    command.args(["-p", "corpus-server", "--all-features", "--test", "fixture"]);
    let finished = child::run(command, super::BUILD_TIMEOUT)
        .map_err(|error| format!("cannot run cargo: {error:#}"))?;
    let summary = finished
        .stdout
        .lines()
        .find_map(|line| line.strip_prefix("test result: "))
        .and_then(counts);
    match summary {
        Some((passed, failed)) if failed == 0 && finished.success() => Ok((passed, passed)),
        Some((passed, failed)) => Err(format!(
            "{passed} of {} fixture tests passed: {}",
            passed + failed,
            first_failures(&finished.stdout)
        )),
        None => Err(super::build::first_errors(&finished.stderr)),
    }
}

/// (passed, failed) of `ok. 3 passed; 0 failed; ...`.
fn counts(result: &str) -> Option<(usize, usize)> {
    let number = |word: &str| {
        result.split(';').find_map(|part| {
            part.trim()
                .strip_suffix(word)?
                .rsplit(' ')
                .next()?
                .parse()
                .ok()
        })
    };
    Some((number(" passed")?, number(" failed")?))
}

fn first_failures(stdout: &str) -> String {
    stdout
        .lines()
        .filter(|line| line.starts_with("---- ") || line.contains("panicked at"))
        .take(4)
        .collect::<Vec<_>>()
        .join(" / ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each `.rs` directly in the generator fixtures has its spec beside it:
    /// a behaviour test without one would never run (the shared helpers
    /// stand in `common/`).
    #[test]
    fn behaviour_tests_stand_beside_their_specs() {
        let dir = crate::workspace_root().join("crates/bindings-codegen/tests/generator-fixtures");
        let specs = super::super::specs(&dir).expect("the generator fixtures");
        let mut tests = 0;
        for entry in std::fs::read_dir(&dir).expect("the generator fixtures") {
            let path = entry.expect("an entry").path();
            if path.extension().is_some_and(|e| e == "rs") {
                tests += 1;
                let spec = ["yaml", "yml", "json"].map(|e| path.with_extension(e));
                assert!(
                    spec.iter().any(|s| specs.contains(s)),
                    "no spec beside {}",
                    path.display()
                );
            }
        }
        assert!(tests > 0);
    }

    #[test]
    fn reads_cargo_test_summaries() {
        assert_eq!(
            counts(
                "ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.03s"
            ),
            Some((3, 0))
        );
        assert_eq!(
            counts("FAILED. 1 passed; 2 failed; 0 ignored"),
            Some((1, 2))
        );
        assert_eq!(counts("nothing"), None);
    }
}
