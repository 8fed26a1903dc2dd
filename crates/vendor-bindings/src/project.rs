//! The project a command works on: its root, its configuration, its specs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde::Deserialize;

/// The configuration file that marks a project's root.
pub const CONFIG_FILE: &str = "vendor-bindings.toml";

/// A project: the directory specs, pages and generated crates are
/// relative to, and the configuration listing its APIs (optional).
#[derive(Debug, Clone)]
pub struct Project {
    /// Paths in the configuration and in output are relative to it.
    pub root: PathBuf,
    /// The configuration (`[[api]]` entries), when there is one.
    pub config: Option<PathBuf>,
}

/// What `lint` needs of one `[[api]]` entry: its spec and lint settings
/// (the generator's settings are read by the generator).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct LintEntry {
    pub spec: PathBuf,
    #[serde(default)]
    pub lint_ruleset: openapi_lint::Ruleset,
    #[serde(default)]
    pub lint_rules: BTreeMap<String, openapi_lint::Severity>,
}

#[derive(Debug, Deserialize)]
struct LintEntries {
    #[serde(default)]
    api: Vec<LintEntry>,
}

impl Project {
    /// The project `start` is in: the nearest directory, `start` or one of
    /// its parents, holding [`CONFIG_FILE`]; else `start` itself, without
    /// a configuration.
    pub fn discover(start: &Path) -> Project {
        let found = start
            .ancestors()
            .find(|dir| dir.join(CONFIG_FILE).is_file());
        match found {
            Some(root) => Project {
                root: root.to_owned(),
                config: Some(root.join(CONFIG_FILE)),
            },
            None => Project {
                root: start.to_owned(),
                config: None,
            },
        }
    }

    /// The project at `root` configured by the file `config`.
    pub fn with_config(root: &Path, config: &Path) -> Project {
        Project {
            root: root.to_owned(),
            config: Some(config.to_owned()),
        }
    }

    /// The configuration file's text; empty without one.
    pub fn config_text(&self) -> Result<String> {
        match &self.config {
            Some(path) => std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display())),
            None => Ok(String::new()),
        }
    }

    /// The lint settings of every configured API.
    pub fn lint_entries(&self) -> Result<Vec<LintEntry>> {
        let text = self.config_text()?;
        let entries: LintEntries = toml::from_str(&text)
            .with_context(|| format!("{}: invalid configuration", self.config_shown()))?;
        Ok(entries.api)
    }

    /// The configuration's path as messages show it.
    pub fn config_shown(&self) -> String {
        self.config.as_deref().map_or_else(
            || CONFIG_FILE.to_owned(),
            |path| self.shown(path).display().to_string(),
        )
    }

    /// `path` relative to the root when it is inside it.
    pub fn shown(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.root)
            .map_or_else(|_| path.to_owned(), Path::to_owned)
    }

    /// The specs to work on when none is named: each configured API's;
    /// without a configuration, every `.yaml`, `.yml` or `.json` file of
    /// `openapi/`. Sorted; an error when there are none.
    pub fn default_specs(&self) -> Result<Vec<PathBuf>> {
        if self.config.is_some() {
            let mut specs: Vec<PathBuf> = self
                .lint_entries()?
                .into_iter()
                .map(|entry| self.root.join(entry.spec))
                .collect();
            specs.sort();
            if specs.is_empty() {
                anyhow::bail!("{} lists no API", self.config_shown());
            }
            return Ok(specs);
        }
        let dir = self.root.join("openapi");
        let listed = std::fs::read_dir(&dir).with_context(|| {
            format!(
                "no spec given, no {CONFIG_FILE} in {} or its parents, and no openapi/ directory there",
                self.root.display()
            )
        })?;
        let mut specs: Vec<PathBuf> = listed
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| {
                path.extension()
                    .is_some_and(|ext| ext == "yaml" || ext == "yml" || ext == "json")
            })
            .collect();
        specs.sort();
        if specs.is_empty() {
            anyhow::bail!("{} holds no .yaml, .yml or .json spec", dir.display());
        }
        Ok(specs)
    }
}
