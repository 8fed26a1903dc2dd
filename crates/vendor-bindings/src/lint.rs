//! `lint`: check specs, print findings in a chosen format.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use openapi_lint::{Check, Finding, LintConfig, Ruleset, Severity, output};

use crate::Project;

/// Check OpenAPI specs: OpenAPI's own rules and correctness (`standard`),
/// the house rules too (`project`), or the generator's support check too
/// (`generator`).
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Specs to lint (YAML or JSON); without any, each API of the
    /// configuration, or every spec in `openapi/`.
    pub specs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The ruleset for every spec, instead of each configured API's
    /// `lint-ruleset` (`standard` for specs not configured).
    #[arg(long, value_enum)]
    pub ruleset: Option<RulesetArg>,
    /// Fail on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// How findings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `path:line:col: rule: message`, one finding a line.
    Text,
    /// A JSON array of findings.
    Json,
    /// A SARIF 2.1.0 log, for code scanning.
    Sarif,
    /// GitHub Actions annotations (`::error file=...,line=...::`).
    Github,
}

/// A ruleset named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesetArg {
    /// What OpenAPI requires, plus correctness any tool should flag.
    Standard,
    /// Standard plus this project's house rules.
    Project,
    /// Standard plus the generator's support check (what it cannot turn
    /// into Rust); needs the `codegen` feature.
    Generator,
}

/// The generator's support check, where this build has the generator.
fn generator_checks() -> Vec<&'static dyn Check> {
    #[cfg(feature = "codegen")]
    {
        vec![&bindings_codegen::generate::SupportCheck]
    }
    #[cfg(not(feature = "codegen"))]
    {
        Vec::new()
    }
}

/// The rules of [`generator_checks`], for configuration by name.
fn generator_rules() -> Vec<&'static openapi_lint::ExtraRule> {
    generator_checks()
        .iter()
        .flat_map(|check| check.rules().iter().copied())
        .collect()
}

/// Runs `lint` on `project` (relative paths are the process's to resolve).
pub fn run(project: &Project, args: &LintArgs) -> ExitCode {
    match lint(project, args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("lint: {error:#}");
            ExitCode::from(crate::UNUSABLE)
        }
    }
}

fn lint(project: &Project, args: &LintArgs) -> anyhow::Result<ExitCode> {
    if args.ruleset == Some(RulesetArg::Generator) && generator_checks().is_empty() {
        anyhow::bail!(
            "--ruleset generator needs the generator: this build has no `codegen` feature"
        );
    }
    // (as shown in findings, as read)
    let specs: Vec<(PathBuf, PathBuf)> = if args.specs.is_empty() {
        project
            .default_specs()?
            .into_iter()
            .map(|path| (project.shown(&path), path))
            .collect()
    } else {
        args.specs
            .iter()
            .map(|path| (path.clone(), path.clone()))
            .collect()
    };
    let entries = if project.config.is_some() {
        project.lint_entries()?
    } else {
        Vec::new()
    };
    let mut findings: Vec<Finding> = Vec::new();
    for (shown, read) in &specs {
        let (config, generator) = configured(project, &entries, read, args.ruleset)?;
        let checks = if generator {
            generator_checks()
        } else {
            Vec::new()
        };
        findings.extend(
            openapi_lint::lint_file_with(read, &config, &checks)
                .into_iter()
                .map(|finding| Finding {
                    file: shown.clone(),
                    ..finding
                }),
        );
    }
    Ok(report(&findings, specs.len(), args))
}

/// The lint configuration of the spec at `read`, and whether the
/// generator's check runs on it: `--ruleset` first, then the configured
/// API's settings, then `standard`.
fn configured(
    project: &Project,
    entries: &[crate::LintEntry],
    read: &Path,
    ruleset: Option<RulesetArg>,
) -> anyhow::Result<(LintConfig, bool)> {
    match ruleset {
        Some(RulesetArg::Standard) => return Ok((LintConfig::new(Ruleset::Standard), false)),
        Some(RulesetArg::Project) => return Ok((LintConfig::new(Ruleset::Project), true)),
        Some(RulesetArg::Generator) => return Ok((LintConfig::new(Ruleset::Standard), true)),
        None => {}
    }
    let canonical = read.canonicalize().ok();
    let entry = entries.iter().find(|entry| {
        canonical.is_some() && project.root.join(&entry.spec).canonicalize().ok() == canonical
    });
    let Some(entry) = entry else {
        return Ok((LintConfig::default(), false));
    };
    let config = LintConfig::from_names(entry.lint_ruleset, &entry.lint_rules, &generator_rules())
        .map_err(|error| {
            anyhow::anyhow!(
                "{}, API of {}: {error}",
                project.config_shown(),
                entry.spec.display()
            )
        })?;
    // A configured API is one the project generates: its specs are held to
    // what the generator takes, unless it is held to `standard` only.
    let generator = entry.lint_ruleset == Ruleset::Project;
    Ok((config, generator))
}

/// Prints the findings and a summary; the exit status.
fn report(findings: &[Finding], specs: usize, args: &LintArgs) -> ExitCode {
    let format = match args.format {
        Format::Text => output::Format::Text,
        Format::Json => output::Format::Json,
        Format::Sarif => output::Format::Sarif,
        Format::Github => output::Format::Github,
    };
    print!("{}", output::render(findings, format));
    let errors = findings
        .iter()
        .filter(|finding| finding.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    if findings.is_empty() {
        eprintln!("lint: {specs} spec(s) clean");
    } else {
        eprintln!("lint: {errors} error(s), {warnings} warning(s) in {specs} spec(s)");
    }
    if errors > 0 || (args.deny_warnings && warnings > 0) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
