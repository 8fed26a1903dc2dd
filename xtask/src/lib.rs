//! This repository's chores, run as `cargo xtask <task>`: the `apis.toml`
//! driver (generation with the workspace tests' registry), releases, the
//! corpus run, benchmarks and `add-api`. The product itself (linter,
//! generator, diff, page reader) lives in the crates under `crates/`;
//! `cargo xtask lint`, `diff`, `docs` and `generate` are the
//! `vendor-bindings` commands run on this repository.

pub mod add_api;
pub mod bench;
pub mod corpus;
pub mod properties;
pub mod random_specs;
pub mod release;
mod workspace_tests;

use std::path::{Path, PathBuf};

use anyhow::Result;
use bindings_codegen::generate::{self, ApiConfig, Output};
use vendor_bindings::Project;

/// This repository's configuration of its APIs, relative to the root.
pub const APIS_TOML: &str = "xtask/apis.toml";

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map_or_else(|| manifest_dir.to_owned(), Path::to_owned)
}

/// The workspace at `root` as a `vendor-bindings` project.
pub fn project(root: &Path) -> Project {
    Project::with_config(root, &root.join(APIS_TOML))
}

/// Reads `xtask/apis.toml` of the workspace at `root`.
pub fn load_apis(root: &Path) -> Result<Vec<ApiConfig>> {
    generate::read_config(&root.join(APIS_TOML))
}

/// Every API's crates rendered in memory, and, in a workspace with the
/// tests crate, its registry of the APIs (`tests/src/apis.rs`,
/// `tests/Cargo.toml`).
pub fn render(root: &Path, apis: &[ApiConfig]) -> Result<Output> {
    let mut output = generate::render(root, root, apis)?;
    add_test_registry(root, apis, &mut output)?;
    Ok(output)
}

/// Adds the workspace tests' registry of `apis` to `output` (nothing in a
/// scratch workspace without the tests crate).
pub fn add_test_registry(root: &Path, apis: &[ApiConfig], output: &mut Output) -> Result<()> {
    if !root.join("tests/Cargo.toml").is_file() {
        return Ok(());
    }
    let registry: Vec<workspace_tests::Api<'_>> = apis
        .iter()
        .map(|api| workspace_tests::Api {
            name: &api.name,
            spec: api.spec.to_str().unwrap_or_default(),
            components: output
                .components
                .get(&api.name)
                .cloned()
                .unwrap_or_default(),
        })
        .collect();
    output.generated.insert(
        PathBuf::from("tests/src/apis.rs"),
        workspace_tests::registry(&registry),
    );
    output.generated.insert(
        PathBuf::from("tests/Cargo.toml"),
        workspace_tests::manifest(root, &registry)?,
    );
    Ok(())
}

/// Where cargo builds for the workspace at `root` (`CARGO_TARGET_DIR`,
/// else `target/`).
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

/// The specs in `openapi/`, sorted by file name.
pub fn spec_files(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(root.join("openapi"))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "yaml" || ext == "yml" || ext == "json")
        })
        .collect();
    specs.sort();
    Ok(specs)
}
