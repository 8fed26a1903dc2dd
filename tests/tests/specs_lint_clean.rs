//! The real specs are the product's source of truth: they must lint clean.

use xtask::lint::lint_file;

#[test]
fn every_spec_in_openapi_lints_clean() {
    let root = xtask::workspace_root();
    let specs = xtask::spec_files(&root).expect("openapi/ is listable");
    let names: Vec<_> = specs
        .iter()
        .filter_map(|s| s.file_name()?.to_str())
        .collect();
    assert_eq!(names, ["dbss.yaml", "obshell.yaml"]);
    for spec in &specs {
        let findings: Vec<String> = lint_file(spec).iter().map(ToString::to_string).collect();
        assert!(
            findings.is_empty(),
            "{} has findings:\n{}",
            spec.display(),
            findings.join("\n")
        );
    }
}
