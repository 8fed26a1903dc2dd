//! The generator's lint check (`generator-support`, `generator-untyped`)
//! on marker fixtures (`tests/lint-fixtures/`, openapi-lint's format): one
//! case per file, each rule of the check covered.

use std::collections::BTreeSet;
use std::path::Path;

use bindings_codegen::generate::SupportCheck;
use openapi_lint::testing;

#[test]
fn every_fixture_fires_exactly_its_markers() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint-fixtures");
    let mut covered = BTreeSet::new();
    let mut failures = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("lint-fixtures")
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixture in {}", dir.display());
    for file in files {
        match testing::check_fixture(&file, &[&SupportCheck]) {
            Ok(rules) => covered.extend(rules),
            Err(failure) => failures.push(failure),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    for rule in SupportCheck::RULES {
        assert!(covered.contains(rule.name), "no fixture for {}", rule.name);
    }
}
