//! The property test of #22: random valid OpenAPI 3.0 specs (paths with
//! parameters of every place, bodies and error responses, component
//! schemas with every composition, recursion and names awkward for Rust)
//! lint clean, render without error or panic, and every Rust file the
//! generator emits parses. A failure shrinks to a small spec, printed
//! whole; `cargo xtask random-specs` builds a seeded sample too.
//!
//! `RANDOM_SPECS_CASES` sets the number of cases (default 24);
//! `RANDOM_SPECS_ONLY=TEXT` counts only failures whose message contains
//! TEXT, so that one class of failure shrinks on its own (into a fixture
//! of `crates/bindings-codegen/tests/generator-fixtures`). A failure of a
//! class with a fixture in [`KNOWN_BROKEN`] does not count otherwise.

use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use xtask::random_specs::{check, check_fixture, spec, text};

#[test]
fn random_valid_specs_lint_clean_render_and_parse() {
    vendor_bindings::quiet_generator_panics();
    let cases = std::env::var("RANDOM_SPECS_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(24);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let only = std::env::var("RANDOM_SPECS_ONLY").unwrap_or_default();
    let result = runner.run(&spec(), |spec| match check(&text(&spec)) {
        Err(broken) if counts(&broken.to_string(), &only) => {
            Err(TestCaseError::fail(broken.to_string()))
        }
        _ => Ok(()),
    });
    match result {
        Ok(()) => println!("random specs: {cases} cases lint clean, render and parse"),
        Err(TestError::Fail(reason, spec)) => {
            panic!("{reason}\nthe shrunk spec:\n{}", text(&spec))
        }
        Err(error) => panic!("{error}"),
    }
}

/// Generator fixtures that break the invariant (shrunk random specs whose
/// fix is not made yet), each with the text its failure contains. A
/// fixture listed here that passes fails the test: take it off the list
/// (and off `--known-failing` in `.ci/run`).
const KNOWN_BROKEN: &[(&str, &str)] = &[];

/// Whether a failure counts: it contains `only`, and (unless `only` asks
/// for it) none of the known failures of [`KNOWN_BROKEN`].
fn counts(message: &str, only: &str) -> bool {
    message.contains(only)
        && (!only.is_empty() || !KNOWN_BROKEN.iter().any(|(_, why)| message.contains(why)))
}

#[test]
fn generator_fixtures_lint_clean_render_and_parse() {
    vendor_bindings::quiet_generator_panics();
    let dir = xtask::workspace_root().join("crates/bindings-codegen/tests/generator-fixtures");
    let specs = xtask::corpus::specs(&dir).expect("the generator fixtures");
    let mut problems = Vec::new();
    for spec in &specs {
        let name = spec.file_name().unwrap_or_default().to_string_lossy();
        let text = std::fs::read_to_string(spec).expect("a fixture");
        let known = KNOWN_BROKEN.iter().find(|(file, _)| *file == name);
        match (check_fixture(&text), known) {
            (Ok(()), None) => {}
            (Err(broken), Some((_, why))) if broken.to_string().contains(why) => {}
            (Ok(()), Some(_)) => {
                problems.push(format!("{name} passes now: take it off KNOWN_BROKEN"))
            }
            (Err(broken), _) => problems.push(format!("{name}: {broken}")),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
