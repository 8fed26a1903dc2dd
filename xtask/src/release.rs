//! `cargo xtask release`: bumps each API's crate version by the strongest
//! effect any spec change has on any audience (wire clients, wire servers,
//! Rust code; the compatibility policy in ARCHITECTURE.md, 0.x semantics),
//! records the changes in each crate's `CHANGELOG.md` under that effect,
//! moves the crates' versions in the lock files, and regenerates. `--check` is CI's gate: it fails when a spec change breaks
//! anyone and the version was not bumped accordingly.

use std::path::Path;

use anyhow::{Context as _, Result, anyhow, bail};

use bindings_codegen::diff::{self, Change, Level};
use bindings_codegen::generate::{self, ApiConfig};

/// How far a version must move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn name(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// The bump `changes` need under Cargo's semver rules, by the strongest
/// effect of any change on any audience: a change that breaks wire clients,
/// wire servers or Rust code is a new minor version below 1.0 (`0.1.3` ->
/// `0.2.0`), a major one from 1.0; anything else is a patch.
pub fn required_bump(version: &str, changes: &[Change]) -> Result<Bump> {
    let (major, _, _) = parse(version)?;
    Ok(match changes.iter().map(Change::worst).max() {
        None => Bump::None,
        Some(Level::Breaking) if major == 0 => Bump::Minor,
        Some(Level::Breaking) => Bump::Major,
        Some(Level::Compatible | Level::Info) => Bump::Patch,
    })
}

/// The bump between two versions, in the terms of [`required_bump`].
pub fn bump_between(old: &str, new: &str) -> Result<Bump> {
    let (old, new) = (parse(old)?, parse(new)?);
    if new <= old {
        return Ok(Bump::None);
    }
    // Cargo reads `0.x` -> `0.(x+1)` as incompatible, like `x.*` -> `(x+1).*`.
    let breaking = new.0 > old.0 || (old.0 == 0 && new.1 > old.1);
    Ok(match (breaking, old.0) {
        (true, 0) => Bump::Minor,
        (true, _) => Bump::Major,
        (false, _) if new.1 > old.1 => Bump::Minor,
        (false, _) => Bump::Patch,
    })
}

/// `version` moved by `bump`.
pub fn bumped(version: &str, bump: Bump) -> Result<String> {
    let (major, minor, patch) = parse(version)?;
    Ok(match bump {
        Bump::None => version.to_owned(),
        Bump::Patch => format!("{major}.{minor}.{}", patch + 1),
        Bump::Minor if major == 0 => format!("0.{}.0", minor + 1),
        Bump::Minor => format!("{major}.{}.0", minor + 1),
        Bump::Major if major == 0 => format!("0.{}.0", minor + 1),
        Bump::Major => format!("{}.0.0", major + 1),
    })
}

fn parse(version: &str) -> Result<(u64, u64, u64)> {
    let parts: Vec<&str> = version.trim().split('.').collect();
    let number = |text: &str| {
        text.parse::<u64>()
            .map_err(|_| anyhow!("`{version}` is not a MAJOR.MINOR.PATCH version"))
    };
    match parts.as_slice() {
        [major, minor, patch] => Ok((number(major)?, number(minor)?, number(patch)?)),
        _ => bail!("`{version}` is not a MAJOR.MINOR.PATCH version"),
    }
}

/// What happened to one API.
#[derive(Debug)]
pub struct Outcome {
    pub api: String,
    pub old_version: String,
    pub new_version: String,
    pub bump: Bump,
    pub changes: usize,
    /// The lock files whose entries of the API's crates now carry the new
    /// version (relative to the workspace root).
    pub locks: Vec<String>,
}

fn api_changes(root: &Path, api: &ApiConfig, base: &str) -> Result<Vec<Change>> {
    let path = api.spec.to_string_lossy().replace('\\', "/");
    let new = std::fs::read_to_string(root.join(&api.spec))
        .with_context(|| format!("cannot read {path}"))?;
    let old = diff::file_at_revision(root, base, &path)?.unwrap_or_else(|| {
        "openapi: 3.0.3\ninfo: {title: none, version: none}\npaths: {}\n".to_owned()
    });
    diff::diff_texts(&format!("{base}:{path}"), &old, &path, &new)
}

/// Bumps every API whose spec changed since `base`, writes the changelog
/// entries and the new versions into `xtask/apis.toml`; the caller then
/// regenerates so the manifests carry them.
pub fn release(root: &Path, base: &str) -> Result<Vec<Outcome>> {
    let apis = crate::load_apis(root)?;
    let config_path = root.join("xtask/apis.toml");
    let mut config = std::fs::read_to_string(&config_path)
        .with_context(|| format!("cannot read {}", config_path.display()))?;
    let mut outcomes = Vec::new();
    for api in &apis {
        let changes = api_changes(root, api, base)?;
        let bump = required_bump(&api.version, &changes)?;
        let new_version = bumped(&api.version, bump)?;
        let mut locks = Vec::new();
        if bump != Bump::None {
            config = set_version(&config, &api.name, &new_version)?;
            let entry = changelog_entry(&new_version, base, &changes);
            for kind in ["types", "client", "server"] {
                let path = root.join(format!("crates/{}-{kind}/CHANGELOG.md", api.name));
                prepend(&path, &api.name, kind, &entry)?;
            }
            locks = update_locks(root, &api.name, &api.version, &new_version)?;
        }
        outcomes.push(Outcome {
            api: api.name.clone(),
            old_version: api.version.clone(),
            new_version,
            bump,
            changes: changes.len(),
            locks,
        });
    }
    std::fs::write(&config_path, config)
        .with_context(|| format!("cannot write {}", config_path.display()))?;
    Ok(outcomes)
}

/// The lock files that may name the generated crates: the workspace's, and
/// those of the crates under `examples/` that build outside it (CI builds
/// them with `--locked`, so a stale version there fails the build).
fn lock_files(root: &Path) -> Vec<std::path::PathBuf> {
    let mut locks = vec![root.join("Cargo.lock")];
    if let Ok(examples) = std::fs::read_dir(root.join("examples")) {
        let mut found: Vec<_> = examples
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.path().join("Cargo.lock"))
            .collect();
        found.sort();
        locks.extend(found);
    }
    locks.retain(|path| path.is_file());
    locks
}

/// Sets the version of the API's three crates in every lock file that
/// lists them at `old`, as cargo would on its next run; returns the files
/// changed, relative to `root`.
fn update_locks(root: &Path, api: &str, old: &str, new: &str) -> Result<Vec<String>> {
    let mut changed = Vec::new();
    for path in lock_files(root) {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let mut updated = text.clone();
        for kind in ["types", "client", "server"] {
            updated = set_locked_version(&updated, &format!("{api}-{kind}"), old, new);
        }
        if updated != text {
            std::fs::write(&path, updated)
                .with_context(|| format!("cannot write {}", path.display()))?;
            let shown = path.strip_prefix(root).unwrap_or(&path);
            changed.push(shown.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(changed)
}

/// `lock` with the entry of `package` at version `old` moved to `new`.
/// Path packages have no checksum, so the version line is all that changes.
fn set_locked_version(lock: &str, package: &str, old: &str, new: &str) -> String {
    let (name, from) = (
        format!("name = \"{package}\""),
        format!("version = \"{old}\""),
    );
    let mut out = String::with_capacity(lock.len());
    let mut after_name = false;
    for line in lock.split_inclusive('\n') {
        if after_name && line.trim_end() == from {
            out.push_str(&line.replacen(old, new, 1));
        } else {
            out.push_str(line);
        }
        after_name = line.trim_end() == name;
    }
    out
}

/// For CI: each API whose spec changes since `base` need a bigger version
/// bump than `xtask/apis.toml` got since then, with what it needs.
pub fn check(root: &Path, base: &str) -> Result<Vec<String>> {
    let apis = crate::load_apis(root)?;
    let old_config = diff::file_at_revision(root, base, "xtask/apis.toml")?.unwrap_or_default();
    let old_apis: Vec<ApiConfig> = toml::from_str::<generate::ConfigFile>(&old_config)
        .map(|file| file.api)
        .unwrap_or_default();
    let mut problems = Vec::new();
    for api in &apis {
        let Some(old) = old_apis.iter().find(|old| old.name == api.name) else {
            continue; // a new API starts at its first version
        };
        let changes = api_changes(root, api, base)?;
        let needed = required_bump(&old.version, &changes)?;
        let got = bump_between(&old.version, &api.version)?;
        if got < needed && needed >= Bump::Minor {
            let breaking: Vec<&str> = changes
                .iter()
                .filter(|change| change.worst() == Level::Breaking)
                .map(|change| change.id)
                .collect();
            problems.push(format!(
                "{}: the spec changes since {base} break wire clients, wire servers or Rust code ({}) and need a {} bump, but the version went {} -> {}; run `cargo xtask release --base {base}`",
                api.name,
                breaking.join(", "),
                needed.name(),
                old.version,
                api.version
            ));
        }
    }
    Ok(problems)
}

/// `config` with the `version` of the API `name` set to `version`.
fn set_version(config: &str, name: &str, version: &str) -> Result<String> {
    let mut out = String::new();
    let mut in_block = false;
    let mut done = false;
    for line in config.lines() {
        let trimmed = line.trim();
        if trimmed == "[[api]]" {
            in_block = false;
        }
        if trimmed == format!("name = \"{name}\"") {
            in_block = true;
            out.push_str(line);
            out.push('\n');
            // A block without a version gets one right after its name.
            if !config_block_has_version(config, name) {
                out.push_str(&format!("version = \"{version}\"\n"));
                done = true;
            }
            continue;
        }
        if in_block && !done && trimmed.starts_with("version =") {
            out.push_str(&format!("version = \"{version}\"\n"));
            done = true;
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    if !done {
        bail!("xtask/apis.toml has no API named `{name}`");
    }
    Ok(out)
}

fn config_block_has_version(config: &str, name: &str) -> bool {
    config
        .split("[[api]]")
        .find(|block| {
            block
                .lines()
                .any(|l| l.trim() == format!("name = \"{name}\""))
        })
        .is_some_and(|block| block.lines().any(|l| l.trim().starts_with("version =")))
}

fn changelog_entry(version: &str, base: &str, changes: &[Change]) -> String {
    let mut entry = format!(
        "## {version}\n\nSpec changes since `{base}` (`cargo xtask diff --base {base}`), by their strongest effect on wire clients, wire servers or Rust code:\n\n"
    );
    for (level, title) in [
        (Level::Breaking, "Breaking"),
        (Level::Compatible, "Compatible"),
        (Level::Info, "Documentation"),
    ] {
        let items: Vec<&Change> = changes.iter().filter(|c| c.worst() == level).collect();
        if items.is_empty() {
            continue;
        }
        entry.push_str(&format!("### {title}\n\n"));
        for change in items {
            let place = change
                .new
                .as_ref()
                .or(change.old.as_ref())
                .map(|l| format!(" ({})", diff::markdown(&l.to_string())))
                .unwrap_or_default();
            entry.push_str(&format!(
                "- `{}`: {}{place}; wire clients: {}, wire servers: {}, Rust code: {}\n",
                change.id,
                diff::markdown(&change.message),
                change.client.name(),
                change.server.name(),
                change.rust.name()
            ));
        }
        entry.push('\n');
    }
    entry
}

fn prepend(path: &Path, api: &str, kind: &str, entry: &str) -> Result<()> {
    let header = format!(
        "# Changelog of {api}-{kind}\n\nWritten by `cargo xtask release`; newest first.\n\n"
    );
    let existing = std::fs::read_to_string(path).unwrap_or_default();
    let rest = existing.strip_prefix(&header).unwrap_or(&existing);
    std::fs::write(path, format!("{header}{entry}{rest}"))
        .with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_move_by_the_policy() {
        assert_eq!(bumped("0.1.3", Bump::Minor).expect("valid"), "0.2.0");
        assert_eq!(bumped("0.1.3", Bump::Patch).expect("valid"), "0.1.4");
        assert_eq!(bumped("1.4.2", Bump::Major).expect("valid"), "2.0.0");
        assert_eq!(bump_between("0.1.0", "0.2.0").expect("valid"), Bump::Minor);
        assert_eq!(bump_between("0.1.0", "0.1.1").expect("valid"), Bump::Patch);
        assert_eq!(bump_between("0.1.0", "0.1.0").expect("valid"), Bump::None);
        assert_eq!(bump_between("1.2.0", "2.0.0").expect("valid"), Bump::Major);
        assert!(parse("1.2").is_err() && parse("x.1.2").is_err());
    }

    fn change(id: &'static str, client: Level, server: Level, rust: Level) -> Change {
        Change {
            id,
            client,
            server,
            rust,
            operations: vec!["GET /a".to_owned()],
            message: format!("{id} happened"),
            old: None,
            new: None,
        }
    }

    /// The issue-26 case: a tighter request bound breaks clients on the
    /// wire and nothing in Rust; it is still a minor bump in 0.x, filed
    /// under "Breaking".
    #[test]
    fn a_wire_breaking_change_bumps_minor_and_is_filed_as_breaking() {
        let (b, c, i) = (Level::Breaking, Level::Compatible, Level::Info);
        let tightened = change("request-constraint-tightened", b, c, i);
        let server_only = change("request-constraint-loosened", c, b, i);
        let added = change("parameter-added-optional", c, c, c);
        let docs = change("schema-description-changed", i, i, i);
        assert_eq!(
            required_bump("0.3.1", std::slice::from_ref(&tightened)).expect("valid"),
            Bump::Minor
        );
        assert_eq!(
            required_bump("0.3.1", std::slice::from_ref(&server_only)).expect("valid"),
            Bump::Minor
        );
        assert_eq!(
            required_bump("1.3.1", std::slice::from_ref(&tightened)).expect("valid"),
            Bump::Major
        );
        assert_eq!(
            required_bump("0.3.1", &[added.clone(), docs.clone()]).expect("valid"),
            Bump::Patch
        );
        assert_eq!(required_bump("0.3.1", &[]).expect("valid"), Bump::None);
        let entry = changelog_entry("0.4.0", "HEAD", &[docs, added, tightened]);
        let breaking = entry.find("### Breaking\n").expect("a Breaking heading");
        let compatible = entry
            .find("### Compatible\n")
            .expect("a Compatible heading");
        let documentation = entry
            .find("### Documentation\n")
            .expect("a Documentation heading");
        assert!(
            breaking < compatible && compatible < documentation,
            "{entry}"
        );
        let tightened_at = entry
            .find("`request-constraint-tightened`")
            .expect("listed");
        assert!(
            breaking < tightened_at && tightened_at < compatible,
            "{entry}"
        );
        assert!(!entry.contains("Added or compatible"), "{entry}");
    }

    #[test]
    fn a_lock_entry_of_the_released_crate_moves_and_nothing_else() {
        let lock = "[[package]]\nname = \"dbss-types\"\nversion = \"0.4.0\"\n\n[[package]]\nname = \"dbss-types-extra\"\nversion = \"0.4.0\"\n\n[[package]]\nname = \"other\"\nversion = \"0.4.0\"\n";
        let moved = set_locked_version(lock, "dbss-types", "0.4.0", "0.5.0");
        assert_eq!(
            moved,
            lock.replacen("version = \"0.4.0\"", "version = \"0.5.0\"", 1)
        );
        assert_eq!(
            set_locked_version(lock, "dbss-types", "0.3.0", "0.5.0"),
            lock
        );
    }

    #[test]
    fn the_version_line_of_one_api_is_set() {
        let config =
            "[[api]]\nname = \"a\"\nversion = \"0.1.0\"\n\n[[api]]\nname = \"b\"\nspec = \"x\"\n";
        let set = set_version(config, "b", "0.2.0").expect("b exists");
        assert!(set.contains("name = \"a\"\nversion = \"0.1.0\""));
        assert!(set.contains("name = \"b\"\nversion = \"0.2.0\""));
        let set = set_version(&set, "a", "0.1.1").expect("a exists");
        assert!(set.contains("name = \"a\"\nversion = \"0.1.1\""));
        assert!(set_version(config, "c", "1.0.0").is_err());
    }
}
