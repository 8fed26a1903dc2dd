//! `cargo xtask add-api NAME --spec PATH`: a new API from a spec written
//! elsewhere, in one step.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use openapi_source::SourceDoc;

/// What `add-api` did, for the command line to report.
#[derive(Debug)]
pub struct Added {
    /// The spec's new path, relative to the workspace.
    pub spec: PathBuf,
    /// The crates `generate` will write.
    pub crates: [String; 3],
}

/// Copies `spec` into `openapi/` as `NAME.<ext>` and lists it in
/// `xtask/apis.toml` under the `standard` lint ruleset. Nothing is left
/// behind when a step fails.
pub fn add_api(root: &Path, name: &str, spec: &Path) -> Result<Added> {
    let valid_name = !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.ends_with('-');
    if !valid_name {
        bail!(
            "`{name}` is not an API name: lowercase letters, digits and `-`, starting with a letter (it prefixes the crate names)"
        );
    }
    let apis = crate::load_apis(root)?;
    if apis.iter().any(|api| api.name == name) {
        bail!("xtask/apis.toml already lists an API named `{name}`");
    }
    let crates = ["types", "client", "server"].map(|kind| format!("{name}-{kind}"));
    for krate in &crates {
        if root.join("crates").join(krate).exists() {
            bail!("crates/{krate} already exists");
        }
    }
    let text =
        std::fs::read_to_string(spec).with_context(|| format!("cannot read {}", spec.display()))?;
    let document = SourceDoc::parse(&text).map_err(|error| {
        anyhow::anyhow!("{}:{}: {}", spec.display(), error.position, error.message)
    })?;
    let title = document
        .value()
        .pointer("/info/title")
        .and_then(|title| title.as_str())
        .map(|title| title.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|title| !title.is_empty())
        .unwrap_or_else(|| format!("the {name} API"));
    let extension = match spec.extension().and_then(|e| e.to_str()) {
        Some(ext @ ("yaml" | "yml" | "json")) => ext,
        _ if text.trim_start().starts_with('{') => "json",
        _ => "yaml",
    };
    let relative = PathBuf::from("openapi").join(format!("{name}.{extension}"));
    let target = root.join(&relative);
    if target.exists() {
        bail!("{} already exists", relative.display());
    }
    std::fs::create_dir_all(root.join("openapi")).context("cannot create openapi/")?;
    std::fs::write(&target, &text).with_context(|| format!("cannot write {}", target.display()))?;

    let config = root.join("xtask/apis.toml");
    let mut apis_toml = std::fs::read_to_string(&config)
        .with_context(|| format!("cannot read {}", config.display()))?;
    if !apis_toml.ends_with('\n') {
        apis_toml.push('\n');
    }
    let _ = write!(
        apis_toml,
        "\n[[api]]\nname = {}\nspec = {}\ndescription = {}\nlint-ruleset = \"standard\"\n",
        toml_string(name),
        toml_string(&relative.to_string_lossy().replace('\\', "/")),
        toml_string(&title),
    );
    // Checked before it is written: a spec that breaks the file must not.
    if let Err(error) = toml::from_str::<toml::Table>(&apis_toml) {
        let _ = std::fs::remove_file(&target);
        bail!("the new apis.toml entry does not parse: {error}");
    }
    if let Err(error) = std::fs::write(&config, apis_toml) {
        let _ = std::fs::remove_file(&target);
        return Err(error).with_context(|| format!("cannot write {}", config.display()));
    }
    Ok(Added {
        spec: relative,
        crates,
    })
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}
