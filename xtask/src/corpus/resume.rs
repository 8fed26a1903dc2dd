//! `corpus --manifest --resume`: each built spec's results are kept in
//! `<target>/corpus/rows/<id>.json`, so that a run stopped part way (a
//! build phase of hours) goes on where it stopped when run again.
//!
//! A kept result is used only when it was made from the same spec text,
//! at the same commit, with the same schemathesis options: its key is a
//! sha256 of all three. A tree with uncommitted changes has no commit that
//! says what was built, so resuming there is refused.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, Result, bail};
use serde::{Deserialize, Serialize};
use sha2::Digest as _;

use super::run::Outcome;
use super::schemathesis::Findings;

/// The results of one spec's build phase.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Built {
    pub build_ours: Outcome,
    pub build_progenitor: Outcome,
    pub schemathesis: Option<std::result::Result<Findings, String>>,
}

/// What is kept on disk: the key it was made under, and the results.
#[derive(Serialize, Deserialize)]
struct Kept {
    key: String,
    built: Built,
}

/// The directory of kept results, and what a result's key is made of
/// besides its spec.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    commit: String,
    options: String,
}

impl Store {
    /// The store of the workspace `root`, for a run with `options` (what
    /// besides the spec and the commit decides a result, as text), in
    /// `dir` (default `<target>/corpus/rows`).
    pub fn open(root: &Path, options: String, dir: Option<&Path>) -> Result<Store> {
        let commit = git(root, &["rev-parse", "HEAD"])?;
        let changed = git(root, &["status", "--porcelain", "--untracked-files=no"])?;
        if !changed.is_empty() {
            bail!(
                "--resume needs a tree without uncommitted changes (results are kept by commit); changed: {}",
                changed.lines().take(5).collect::<Vec<_>>().join("; ")
            );
        }
        let dir = dir.map_or_else(
            || crate::target_dir(root).join("corpus").join("rows"),
            Path::to_owned,
        );
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Store {
            dir,
            commit,
            options,
        })
    }

    /// The results kept for `id` under the key of `spec`'s text, if any.
    pub fn load(&self, id: &str, spec: &Path) -> Option<Built> {
        let key = self.key(spec).ok()?;
        let text = std::fs::read_to_string(self.file(id)).ok()?;
        let kept: Kept = serde_json::from_str(&text).ok()?;
        (kept.key == key).then_some(kept.built)
    }

    /// Keeps `built` for `id` under the key of `spec`'s text (written
    /// whole or not at all: a run killed while writing leaves no half
    /// file behind).
    pub fn save(&self, id: &str, spec: &Path, built: &Built) -> Result<()> {
        let kept = Kept {
            key: self.key(spec)?,
            built: built.clone(),
        };
        let file = self.file(id);
        let partial = file.with_extension("json.partial");
        std::fs::write(&partial, serde_json::to_vec(&kept)?)
            .with_context(|| format!("cannot write {}", partial.display()))?;
        std::fs::rename(&partial, &file).with_context(|| format!("cannot write {}", file.display()))
    }

    fn file(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.json"))
    }

    fn key(&self, spec: &Path) -> Result<String> {
        let text =
            std::fs::read(spec).with_context(|| format!("cannot read {}", spec.display()))?;
        let mut hasher = sha2::Sha256::new();
        for part in [self.commit.as_bytes(), self.options.as_bytes(), &text] {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        Ok(format!("{:x}", hasher.finalize()))
    }
}

/// The failures of the kept row `row` explained again by today's
/// [`super::spec_made`] rules against `spec`: a count by rule, then each
/// failure left (check, operation, answer), one per line.
pub fn explain(spec: &Path, row: &Path) -> Result<String> {
    let findings = match read_row(row)?.schemathesis {
        Some(Ok(findings)) => findings,
        Some(Err(error)) => bail!("{}: schemathesis did not run: {error}", row.display()),
        None => bail!("{}: schemathesis did not run", row.display()),
    };
    let (model, _) = bindings_codegen::generate::load_model(spec)?;
    let written = super::schemathesis::written(spec);
    let counts = super::spec_made::count(&model, written.as_ref(), &findings.each);
    let explained: usize = counts.iter().map(|(_, n)| n).sum();
    let mut report = format!(
        "{} failures listed ({} in schemathesis' count), {explained} the spec's, {} errors, {} panics\n",
        findings.each.len(),
        findings.failures,
        findings.errors,
        findings.panics
    );
    for (rule, n) in &counts {
        report.push_str(&format!("  {rule}: {n}\n"));
    }
    let errors = super::spec_made::count_errors(&model, &findings.errors_known());
    let errors_explained: usize = errors.iter().map(|(_, n)| n).sum();
    if errors_explained > 0 {
        report.push_str(&format!("errors the spec's: {errors_explained}\n"));
        for (rule, n) in &errors {
            report.push_str(&format!("  {rule}: {n}\n"));
        }
    }
    let rules = super::spec_made::rules(&model, written.as_ref(), &findings.each);
    for (failure, rule) in findings.each.iter().zip(rules) {
        if rule.is_none() {
            let answer: String = failure.answer.chars().take(120).collect();
            let by = if failure.refused_by_hyper() {
                " (hyper's bare refusal)"
            } else {
                ""
            };
            report.push_str(&format!(
                "left{by}: {} {}: {answer}\n",
                failure.check, failure.operation
            ));
        }
    }
    Ok(report)
}

/// The results kept in the row file `row` (`<rows>/<id>.json`).
pub fn read_row(row: &Path) -> Result<Built> {
    let text =
        std::fs::read_to_string(row).with_context(|| format!("cannot read {}", row.display()))?;
    let kept: Kept =
        serde_json::from_str(&text).with_context(|| format!("{} is no kept row", row.display()))?;
    Ok(kept.built)
}

fn git(root: &Path, args: &[&str]) -> Result<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .context("cannot run git")?;
    if !output.status.success() {
        bail!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::run::Status;

    fn store(dir: &Path, commit: &str) -> Store {
        Store {
            dir: dir.to_owned(),
            commit: commit.into(),
            options: "schemathesis: None".into(),
        }
    }

    fn built() -> Built {
        Built {
            build_ours: super::super::run::outcome(Status::Ok, "examples 1 of 1".into(), 3.0),
            build_progenitor: Outcome::not_run("not generated"),
            schemathesis: Some(Err("the mock does not build".into())),
        }
    }

    #[test]
    fn a_kept_result_is_used_for_the_same_spec_and_commit_only() {
        let dir = std::env::temp_dir().join(format!("xtask-resume-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let spec = dir.join("spec.yaml");
        std::fs::write(&spec, "openapi: 3.0.3\n").expect("spec written");
        let store_a = store(&dir, "a");
        assert!(store_a.load("spec", &spec).is_none());
        store_a.save("spec", &spec, &built()).expect("kept");
        let loaded = store_a.load("spec", &spec).expect("loaded");
        assert_eq!(loaded.build_ours.text, "examples 1 of 1");
        assert_eq!(
            loaded.schemathesis,
            Some(Err("the mock does not build".into()))
        );
        assert!(store(&dir, "b").load("spec", &spec).is_none());
        std::fs::write(&spec, "openapi: 3.1.0\n").expect("spec changed");
        assert!(store_a.load("spec", &spec).is_none());
        std::fs::remove_dir_all(&dir).expect("removed");
    }
}
