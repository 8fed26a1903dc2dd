//! `corpus/specs/manifest.toml`: the published specs of issue #22, which of
//! them a run takes, and the fixed order its build sample is drawn in.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde::Deserialize;
use sha2::Digest as _;

/// One `[[spec]]` of the manifest (the fields a run uses).
#[derive(Debug, Clone, Deserialize)]
pub struct Entry {
    pub id: String,
    pub set: String,
    pub path: String,
    pub operations: usize,
    pub bytes: u64,
    pub holdout: bool,
}

#[derive(Debug, Deserialize)]
struct Manifest {
    spec: Vec<Entry>,
}

impl Entry {
    /// Where `sync.py` writes the document: `files/<id>.json|yaml` beside
    /// the manifest (`.yml` is written as `.yaml`).
    pub fn file(&self, manifest: &Path) -> PathBuf {
        let lower = self.path.to_ascii_lowercase();
        let ext = if lower.ends_with(".json") {
            "json"
        } else {
            "yaml"
        };
        manifest
            .parent()
            .unwrap_or(Path::new("."))
            .join("files")
            .join(format!("{}.{ext}", self.id))
    }

    /// The key of the fixed sample order: sha256 of a seed and the id.
    pub fn sample_key(&self) -> String {
        let digest = sha2::Sha256::digest(format!("corpus-22/build-sample:{}", self.id));
        digest.iter().map(|byte| format!("{byte:02x}")).collect()
    }
}

/// Which of the holdout entries a run takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Holdout {
    /// Only the holdout.
    Only,
    /// Everything but the holdout.
    Exclude,
    /// Both.
    All,
}

/// What the run selects from the manifest.
#[derive(Debug, Clone)]
pub struct Selection {
    pub set: Option<String>,
    pub holdout: Holdout,
    pub ids: Vec<String>,
    /// Only the first N of the fixed sample order.
    pub sample: Option<usize>,
}

/// Reads the manifest's entries.
pub fn read(manifest: &Path) -> Result<Vec<Entry>> {
    let text = std::fs::read_to_string(manifest)
        .with_context(|| format!("cannot read {}", manifest.display()))?;
    let parsed: Manifest =
        toml::from_str(&text).with_context(|| format!("{}: invalid", manifest.display()))?;
    Ok(parsed.spec)
}

/// The selected entries, in the fixed sample order.
pub fn select(entries: Vec<Entry>, selection: &Selection) -> Vec<Entry> {
    let mut chosen: Vec<Entry> = entries
        .into_iter()
        .filter(|e| selection.set.as_ref().is_none_or(|set| &e.set == set))
        .filter(|e| match selection.holdout {
            Holdout::Only => e.holdout,
            Holdout::Exclude => !e.holdout,
            Holdout::All => true,
        })
        .filter(|e| selection.ids.is_empty() || selection.ids.contains(&e.id))
        .collect();
    chosen.sort_by_cached_key(Entry::sample_key);
    if let Some(n) = selection.sample {
        chosen.truncate(n);
    }
    chosen
}
