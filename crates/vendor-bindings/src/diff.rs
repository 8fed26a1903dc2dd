//! `diff`: what changed between two versions of a spec.

use std::path::PathBuf;
use std::process::ExitCode;

use bindings_codegen::diff::{self, Change, Level};
use bindings_codegen::generate::{ApiConfig, read_config};
use clap::{Args, ValueEnum};

use crate::Project;

/// What changed between two versions of a spec, located in both, and what
/// it means for wire clients, wire servers and Rust code.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old and the new spec (or use --base).
    #[arg(num_args = 0..=2, value_name = "SPEC")]
    pub specs: Vec<PathBuf>,
    /// Compare each configured API's spec at this git revision with the
    /// working tree.
    #[arg(long, value_name = "REV", conflicts_with = "specs")]
    pub base: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit non-zero when a change is at least this severe for any audience.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
}

/// How changes are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `file:line:col: change-id: message [client .., server .., rust ..]`.
    Text,
    /// A table per spec, for pull requests and changelogs.
    Markdown,
    /// Every change with its locations and classification.
    Json,
}

/// The least severe change that fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// A change that breaks clients, servers or Rust code.
    Breaking,
    /// Any change that is not documentation only.
    Compatible,
}

/// The configured APIs of `project`.
pub fn apis(project: &Project) -> anyhow::Result<Vec<ApiConfig>> {
    match &project.config {
        Some(path) => read_config(path),
        None => anyhow::bail!(
            "no {} in {} or its parents: name the specs instead",
            crate::CONFIG_FILE,
            project.root.display()
        ),
    }
}

/// Runs `diff` on `project`.
pub fn run(project: &Project, args: &DiffArgs) -> ExitCode {
    let reports = match changes(project, args) {
        Ok(reports) => reports,
        Err(error) => {
            eprintln!("diff: {error:#}");
            return ExitCode::from(crate::UNUSABLE);
        }
    };
    let format = match args.format {
        Format::Text => diff::Format::Text,
        Format::Markdown => diff::Format::Markdown,
        Format::Json => diff::Format::Json,
    };
    for (title, changes) in &reports {
        print!("{}", diff::render(title, changes, format));
        if format == diff::Format::Json {
            println!();
        }
    }
    let threshold = match args.fail_on {
        None => return ExitCode::SUCCESS,
        Some(FailOn::Breaking) => Level::Breaking,
        Some(FailOn::Compatible) => Level::Compatible,
    };
    let failing = reports
        .iter()
        .flat_map(|(_, changes)| changes)
        .filter(|change| change.worst() >= threshold)
        .count();
    if failing > 0 {
        eprintln!(
            "diff: {failing} change(s) at or above `{}`",
            threshold.name()
        );
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

type Reports = Vec<(String, Vec<Change>)>;

fn changes(project: &Project, args: &DiffArgs) -> anyhow::Result<Reports> {
    match (args.specs.as_slice(), args.base.as_deref()) {
        ([old, new], None) => {
            let read = |path: &PathBuf| {
                std::fs::read_to_string(path)
                    .map_err(|error| anyhow::anyhow!("cannot read {}: {error}", path.display()))
            };
            let changes = diff::diff_texts(
                &old.display().to_string(),
                &read(old)?,
                &new.display().to_string(),
                &read(new)?,
            )?;
            Ok(vec![(new.display().to_string(), changes)])
        }
        ([], Some(rev)) => diff::diff_against_revision(&project.root, rev, &apis(project)?),
        _ => anyhow::bail!(
            "give two spec files (OLD NEW), or --base REV to compare every configured API with a git revision"
        ),
    }
}
