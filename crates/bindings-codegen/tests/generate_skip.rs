//! `render_changed`: an API nothing changed for is skipped, anything it is
//! generated from changing renders it again, and `check` never trusts a
//! stamp.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use bindings_codegen::generate::{self, ApiConfig, Output};

const GENERATOR: &str = "test build 1";

/// A scratch project: `openapi/notes.yaml`, generated once.
fn project(name: &str) -> (PathBuf, Vec<ApiConfig>) {
    let root = std::env::temp_dir().join(format!("generate-skip-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("openapi")).expect("scratch project");
    let spec = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/generator-fixtures/no-request-errors.yaml");
    std::fs::copy(spec, root.join("openapi/notes.yaml")).expect("spec copied");
    let apis = vec![ApiConfig::new("notes", "openapi/notes.yaml")];
    let first = generate(&root, &apis, GENERATOR);
    assert!(first.skipped.is_empty(), "nothing to skip on a first run");
    (root, apis)
}

fn generate(root: &Path, apis: &[ApiConfig], generator: &str) -> Output {
    let output = generate::render_changed(root, root, apis, generator, false).expect("renders");
    generate::write(root, &output).expect("writes");
    output
}

/// Every file under `crates/`, with its modification time.
fn files(root: &Path) -> BTreeMap<PathBuf, SystemTime> {
    let mut found = BTreeMap::new();
    let mut pending = vec![root.join("crates")];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let modified = entry.metadata().and_then(|m| m.modified());
                found.insert(path, modified.expect("mtime"));
            }
        }
    }
    found
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("readable");
    assert!(text.contains(from), "{} lacks `{from}`", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("written");
}

fn rendered(output: &Output) -> bool {
    output.skipped.is_empty()
        && output
            .generated
            .contains_key(Path::new("crates/notes-types/src/generated.rs"))
}

#[test]
fn an_unchanged_api_is_skipped_and_its_files_are_untouched() {
    let (root, apis) = project("unchanged");
    let before = files(&root);
    let output = generate(&root, &apis, GENERATOR);
    assert_eq!(output.skipped, ["notes"]);
    assert!(output.generated.is_empty() && output.stamps.is_empty());
    assert_eq!(output.components["notes"], ["Note"]);
    assert_eq!(files(&root), before, "no file rewritten");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_changed_spec_is_regenerated() {
    let (root, apis) = project("spec");
    edit(
        &root.join("openapi/notes.yaml"),
        "description: The note.",
        "description: The note asked for.",
    );
    assert!(rendered(&generate(&root, &apis, GENERATOR)));
    // And the new stamp holds.
    assert_eq!(generate(&root, &apis, GENERATOR).skipped, ["notes"]);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn changed_settings_are_regenerated() {
    let (root, mut apis) = project("settings");
    apis[0].description = "notes, described".into();
    let output = generate(&root, &apis, GENERATOR);
    assert!(rendered(&output));
    let manifest = &output.generated[Path::new("crates/notes-types/Cargo.toml")];
    assert!(manifest.contains("notes, described"), "{manifest}");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_changed_referenced_file_is_regenerated() {
    let (root, apis) = project("reference");
    std::fs::write(root.join("openapi/shared.yaml"), "x: 1\n").expect("shared file");
    edit(
        &root.join("openapi/notes.yaml"),
        "servers:",
        "x-shared:\n  $ref: \"shared.yaml#/x\"\nservers:",
    );
    assert!(rendered(&generate(&root, &apis, GENERATOR)));
    assert_eq!(generate(&root, &apis, GENERATOR).skipped, ["notes"]);
    std::fs::write(root.join("openapi/shared.yaml"), "x: 2\n").expect("shared file changed");
    assert!(rendered(&generate(&root, &apis, GENERATOR)));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn another_generator_build_regenerates() {
    let (root, apis) = project("generator");
    assert!(rendered(&generate(&root, &apis, "test build 2")));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_deleted_generated_file_is_regenerated() {
    let (root, apis) = project("deleted");
    let file = root.join("crates/notes-client/src/generated_cli.rs");
    let content = std::fs::read_to_string(&file).expect("generated");
    std::fs::remove_file(&file).expect("deleted");
    assert!(rendered(&generate(&root, &apis, GENERATOR)));
    assert_eq!(std::fs::read_to_string(&file).expect("restored"), content);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_deleted_scaffold_is_regenerated() {
    let (root, apis) = project("scaffold");
    let lib = root.join("crates/notes-server/src/lib.rs");
    std::fs::remove_file(&lib).expect("deleted");
    assert!(rendered(&generate(&root, &apis, GENERATOR)));
    assert!(lib.is_file(), "recreated");
    let _ = std::fs::remove_dir_all(&root);
}

/// `check` renders and compares bytes whatever the stamp says; `generate`
/// puts the file back.
#[test]
fn a_hand_edited_generated_file_fails_check_even_with_a_matching_stamp() {
    let (root, apis) = project("hand-edited");
    let stamp = std::fs::read_to_string(root.join("crates/notes.generate-stamp")).expect("stamp");
    let file = root.join("crates/notes-types/src/generated.rs");
    let content = std::fs::read_to_string(&file).expect("generated");
    edit(&file, "pub struct Note", "pub struct HandEditedNote");
    let stale = generate::check(
        &root,
        &generate::render(&root, &root, &apis).expect("renders"),
    );
    assert_eq!(
        stale.iter().map(|s| s.path.clone()).collect::<Vec<_>>(),
        [PathBuf::from("crates/notes-types/src/generated.rs")]
    );
    assert_eq!(
        std::fs::read_to_string(root.join("crates/notes.generate-stamp")).expect("stamp"),
        stamp,
        "check leaves the stamp alone"
    );
    assert!(rendered(&generate(&root, &apis, GENERATOR)));
    assert_eq!(std::fs::read_to_string(&file).expect("restored"), content);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_hand_written_binary_regenerates() {
    let (root, apis) = project("binary");
    let generated_mock = Path::new("crates/notes-server/src/generated_mock.rs");
    assert!(root.join(generated_mock).is_file());
    let bin = root.join("crates/notes-server/src/bin");
    std::fs::create_dir_all(&bin).expect("bin dir");
    std::fs::write(bin.join("notes-mock.rs"), "fn main() {}\n").expect("hand-written mock");
    let output = generate(&root, &apis, GENERATOR);
    assert!(rendered(&output));
    assert!(
        !output.generated.contains_key(generated_mock),
        "the hand-written mock replaces the generated one"
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn force_regenerates_an_unchanged_api() {
    let (root, apis) = project("force");
    let output = generate::render_changed(&root, &root, &apis, GENERATOR, true).expect("renders");
    assert!(rendered(&output));
    assert!(
        output
            .stamps
            .contains_key(Path::new("crates/notes.generate-stamp"))
    );
    let _ = std::fs::remove_dir_all(&root);
}
