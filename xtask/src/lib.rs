//! Maintainer tasks for the workspace: linting the OpenAPI specs in
//! `openapi/` and (re)generating the crates under `crates/` from them.
//!
//! The binary (`cargo xtask ...`) is a thin command-line front end; the
//! library exists so that workspace tests can run the same checks.

pub mod add_api;
pub mod bench;
pub mod corpus;
pub mod diff;
pub mod docs;
pub mod generate;
pub mod lint;
pub mod release;
pub mod source;
pub mod spec;

use std::path::{Path, PathBuf};

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map_or_else(|| manifest_dir.to_owned(), Path::to_owned)
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
