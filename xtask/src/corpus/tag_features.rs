//! The client crate with only some of its tag features on: with none (what
//! is always compiled must not name what a tag gates) and with its first
//! tag alone (a tag's operations must find every type they use).

use std::path::Path;
use std::time::Duration;

use super::{build, child, scratch_cargo};

/// How long one check may take.
const TIMEOUT: Duration = Duration::from_secs(1200);

/// Checks `corpus-client` with no tag feature and with its first one alone
/// (nothing to do when the spec has no tag features); the first failure.
pub fn check(scratch: &Path, target_dir: &Path) -> Result<(), String> {
    let manifest: toml::Table =
        std::fs::read_to_string(scratch.join("crates/corpus-client/Cargo.toml"))
            .map_err(|error| error.to_string())
            .and_then(|text| {
                text.parse()
                    .map_err(|error: toml::de::Error| error.to_string())
            })
            .map_err(|error| format!("the client's Cargo.toml: {error}"))?;
    // The first tag feature by name.
    let Some(first) = manifest
        .get("features")
        .and_then(toml::Value::as_table)
        .and_then(|features| features.keys().find(|name| name.starts_with("tag-")))
    else {
        return Ok(());
    };
    for features in ["rustls".to_owned(), format!("rustls,{first}")] {
        let mut command = scratch_cargo(scratch, target_dir, "check");
        command.args([
            "-p",
            "corpus-client",
            "--lib",
            "--no-default-features",
            "--features",
            &features,
        ]);
        match child::run(command, TIMEOUT) {
            Ok(finished) if finished.success() => {}
            Ok(finished) => {
                let errors = build::first_errors(&finished.stderr);
                let why = if errors.is_empty() {
                    finished.how()
                } else {
                    errors
                };
                return Err(format!("client with features `{features}` only: {why}"));
            }
            Err(error) => return Err(format!("cannot run cargo: {error:#}")),
        }
    }
    Ok(())
}
