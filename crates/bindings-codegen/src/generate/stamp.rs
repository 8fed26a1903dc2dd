//! Skipping an API nothing changed for: each API's stamp
//! (`crates/<name>.generate-stamp`, beside its crates) records what its
//! crates were last generated from, as one SHA-256 over the spec's bytes,
//! every file the spec names in a `$ref`, the API's settings, the
//! hand-written binaries generation looks for and the generator's identity,
//! and the SHA-256 of each generated file as written. [`render_changed`]
//! skips an API while all of that holds; a stamp is written with the files
//! it describes, through the same journal ([`super::write`]).
//!
//! A stamp is a local cache, never a proof: `--check` does not read it and
//! compares bytes, so a stamp that lies (a generator change the identity
//! missed, a stamp copied from elsewhere) can cost a stale local run, never
//! a green CI.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::{ApiConfig, CrateKind, Output, render};

/// An API's stamp is `crates/<name>` followed by this.
pub const STAMP_SUFFIX: &str = ".generate-stamp";

/// What an API's crates were last generated from, and what was written.
#[derive(Debug, Serialize, Deserialize)]
struct Stamp {
    /// What this file is, for someone who opens it.
    about: String,
    /// SHA-256 of everything generation read ([`inputs`]).
    inputs: String,
    /// The files the spec names in a `$ref`, relative to the specs' root.
    references: Vec<PathBuf>,
    /// Each generated file, relative to the output root, with the SHA-256
    /// of its content as written.
    generated: BTreeMap<PathBuf, String>,
    /// The hand-written files generation creates once: they must exist.
    scaffolds: Vec<PathBuf>,
    /// The API's component schema names (its [`Output::components`]).
    components: Vec<String>,
}

/// The stamp of `api`, relative to the output root.
pub fn stamp_path(api: &ApiConfig) -> PathBuf {
    PathBuf::from("crates").join(format!("{}{STAMP_SUFFIX}", api.name))
}

/// Like [`render`], but an API whose stamp says nothing it is generated
/// from changed, and whose files are all on disk as last written, is not
/// linted or rendered: its name goes to [`Output::skipped`], its component
/// names (from the stamp) to [`Output::components`]. Every API rendered
/// gets a new stamp in [`Output::stamps`]. With `force`, every API is
/// rendered.
///
/// `generator` identifies the build of the program that runs the generator
/// (this crate adds its own version): it must change whenever that program
/// is rebuilt, or a changed generator would skip what it now renders
/// differently. The command line passes its executable's path, size and
/// modification time.
pub fn render_changed(
    specs: &Path,
    out: &Path,
    apis: &[ApiConfig],
    generator: &str,
    force: bool,
) -> Result<Output> {
    let mut stale = Vec::new();
    let mut kept = Vec::new();
    for api in apis {
        let unchanged = if force {
            None
        } else {
            unchanged(specs, out, api, generator)
        };
        match unchanged {
            Some(components) => kept.push((api.name.clone(), components)),
            None => {
                // What the stamp records is read before rendering: a spec
                // edited meanwhile makes the next run render again.
                let references = references(specs, api);
                let inputs = inputs(specs, out, api, generator, &references);
                stale.push((api.clone(), references, inputs));
            }
        }
    }
    let rendered: Vec<ApiConfig> = stale.iter().map(|(api, ..)| api.clone()).collect();
    let mut output = render(specs, out, &rendered)?;
    for (api, references, inputs) in stale {
        let Some(inputs) = inputs else {
            continue;
        };
        let stamp = stamp(&api, &output, inputs, references);
        output.stamps.insert(
            stamp_path(&api),
            serde_json::to_string_pretty(&stamp)? + "\n",
        );
    }
    for (name, components) in kept {
        output.components.insert(name.clone(), components);
        output.skipped.push(name);
    }
    Ok(output)
}

/// The component names of `api` when its stamp holds: same inputs, every
/// generated file as written, every scaffold present; else `None`.
fn unchanged(specs: &Path, out: &Path, api: &ApiConfig, generator: &str) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(out.join(stamp_path(api))).ok()?;
    let stamp: Stamp = serde_json::from_str(&text).ok()?;
    // The references are the spec's: while its bytes are the same, so are
    // they, and the hash below covers those bytes.
    if inputs(specs, out, api, generator, &stamp.references)? != stamp.inputs {
        return None;
    }
    let written = stamp.generated.iter().all(|(path, hash)| {
        std::fs::read(out.join(path)).is_ok_and(|content| sha256(&content) == *hash)
    });
    let scaffolded = stamp.scaffolds.iter().all(|path| out.join(path).exists());
    (written && scaffolded).then_some(stamp.components)
}

/// The stamp of `api` just rendered into `output`.
fn stamp(api: &ApiConfig, output: &Output, inputs: String, references: Vec<PathBuf>) -> Stamp {
    let dirs = crate_dirs(api);
    let own = |path: &&PathBuf| dirs.iter().any(|dir| path.starts_with(dir));
    Stamp {
        about: format!(
            "What the crates of `{}` were last generated from; `generate` skips the API while it holds (`--force` regenerates, `--check` never reads this). A local cache: not for version control.",
            api.name
        ),
        inputs,
        references,
        generated: output
            .generated
            .iter()
            .filter(|(path, _)| own(path))
            .map(|(path, content)| (path.clone(), sha256(content.as_bytes())))
            .collect(),
        scaffolds: output.scaffolds.keys().filter(own).cloned().collect(),
        components: output
            .components
            .get(&api.name)
            .cloned()
            .unwrap_or_default(),
    }
}

const KINDS: [CrateKind; 3] = [CrateKind::Types, CrateKind::Client, CrateKind::Server];

/// `crates/<name>-types`, `-client`, `-server`.
fn crate_dirs(api: &ApiConfig) -> Vec<PathBuf> {
    KINDS
        .iter()
        .map(|kind| PathBuf::from("crates").join(format!("{}-{}", api.name, kind.suffix())))
        .collect()
}

/// SHA-256 of everything rendering `api` reads: this crate's version and
/// `generator`, the settings, the spec's bytes, each of `references` (or
/// that it is missing), and the names in each crate's `src/bin/` (a
/// hand-written binary replaces a generated one). `None` when the spec
/// cannot be read.
fn inputs(
    specs: &Path,
    out: &Path,
    api: &ApiConfig,
    generator: &str,
    references: &[PathBuf],
) -> Option<String> {
    let mut hash = Sha256::new();
    let mut field = |name: &str, bytes: &[u8]| {
        for part in [name.as_bytes(), bytes] {
            hash.update((part.len() as u64).to_le_bytes());
            hash.update(part);
        }
    };
    field("version", env!("CARGO_PKG_VERSION").as_bytes());
    field("generator", generator.as_bytes());
    field("settings", serde_json::to_string(api).ok()?.as_bytes());
    field("spec", &std::fs::read(specs.join(&api.spec)).ok()?);
    for reference in references {
        field("reference", reference.to_string_lossy().as_bytes());
        match std::fs::read(specs.join(reference)) {
            Ok(bytes) => field("content", &bytes),
            Err(_) => field("missing", &[]),
        }
    }
    for dir in crate_dirs(api) {
        let names: BTreeSet<String> = std::fs::read_dir(out.join(&dir).join("src/bin"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .collect();
        field(
            "binaries",
            names.into_iter().collect::<Vec<_>>().join("\n").as_bytes(),
        );
    }
    Some(hex(&hash.finalize()))
}

/// The files `api`'s spec names in a `$ref` (anything before a `#`),
/// relative to the specs' root; every `$ref` counts, in examples and
/// extensions too (one too many only costs a hash). Empty when the spec
/// does not parse: rendering reports that.
fn references(specs: &Path, api: &ApiConfig) -> Vec<PathBuf> {
    let Ok(text) = std::fs::read_to_string(specs.join(&api.spec)) else {
        return Vec::new();
    };
    let Ok(source) = openapi_source::SourceDoc::parse(&text) else {
        return Vec::new();
    };
    let dir = api.spec.parent().unwrap_or(Path::new(""));
    let mut found = BTreeSet::new();
    let mut pending = vec![source.value()];
    while let Some(value) = pending.pop() {
        match value {
            serde_json::Value::Object(members) => {
                if let Some(serde_json::Value::String(target)) = members.get("$ref") {
                    let file = target.split('#').next().unwrap_or_default();
                    if !file.is_empty() {
                        found.insert(dir.join(file));
                    }
                }
                pending.extend(members.values());
            }
            serde_json::Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    found.into_iter().collect()
}

fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut text, byte| {
        let _ = write!(text, "{byte:02x}");
        text
    })
}
