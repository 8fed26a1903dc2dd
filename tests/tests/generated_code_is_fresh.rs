//! The checked-in crates match their specs (rust-analyzer's pattern): when
//! they do not, this test regenerates them and fails, so a plain
//! `cargo test` both catches and repairs drift locally. Under CI it only
//! fails, asking for `cargo xtask generate` to be run and committed.

use bindings_codegen::generate;

#[test]
fn generated_code_is_fresh() {
    let root = xtask::workspace_root();
    let apis = xtask::load_apis(&root).expect("xtask/apis.toml");
    let output = xtask::render(&root, &apis).expect("the specs generate");
    let stale = generate::check(&root, &output);
    if stale.is_empty() {
        return;
    }
    let listing: Vec<String> = stale
        .iter()
        .map(|file| format!("{}\n{}", file.path.display(), file.diff))
        .collect();
    if std::env::var_os("CI").is_some() {
        panic!(
            "generated code is out of date with the specs; run `cargo xtask generate` locally and commit:\n{}",
            listing.join("\n")
        );
    }
    generate::write(&root, &output).expect("regenerate");
    panic!(
        "generated code was not up to date and has been updated; rerun the tests:\n{}",
        listing.join("\n")
    );
}
