//! The real specs are the product's source of truth: each API of
//! `xtask/apis.toml` lints clean under its own ruleset, warnings included,
//! and every spec in `openapi/` belongs to an API.

use bindings_codegen::generate::SupportCheck;
use openapi_lint::lint_file_with;

#[test]
fn every_api_spec_lints_clean() {
    let root = xtask::workspace_root();
    let apis = xtask::load_apis(&root).expect("apis.toml reads");
    assert!(!apis.is_empty(), "no APIs listed");
    for api in &apis {
        let config = api.lint_config().expect("a valid lint configuration");
        let findings: Vec<String> =
            lint_file_with(&root.join(&api.spec), &config, &[&SupportCheck])
                .iter()
                .map(ToString::to_string)
                .collect();
        assert!(
            findings.is_empty(),
            "{} has findings:\n{}",
            api.spec.display(),
            findings.join("\n")
        );
    }
    let listed: Vec<_> = apis
        .iter()
        .filter_map(|api| root.join(&api.spec).canonicalize().ok())
        .collect();
    for spec in xtask::spec_files(&root).expect("openapi/ is listable") {
        let canonical = spec.canonicalize().expect("canonical path");
        assert!(
            listed.contains(&canonical),
            "{} is in openapi/ but no API in xtask/apis.toml lists it",
            spec.display()
        );
    }
}
