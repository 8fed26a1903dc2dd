//! `docs`: vendor API reference pages against the specs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use vendor_pages::Spec;

use crate::Project;

/// The vendor's API reference pages against the specs.
#[derive(Debug, Subcommand)]
pub enum DocsCommand {
    /// Print every disagreement between each page and the operation of the
    /// same method and path in the specs, as `PAGE:LINE: rule: message
    /// (SPEC:LINE:COL)`; exit non-zero when there is one.
    Check {
        /// Pages in Huawei Cloud's or obshell's layout (text).
        #[arg(required = true)]
        pages: Vec<PathBuf>,
        /// Compare with these specs instead of the configured APIs' (or
        /// those of `openapi/`).
        #[arg(long, value_name = "SPEC")]
        spec: Vec<PathBuf>,
    },
    /// Print a whole OpenAPI document for one page's operation, to start
    /// a spec (or an operation of one) from.
    Import { page: PathBuf },
}

/// Runs `docs` on `project`.
pub fn run(project: &Project, command: &DocsCommand) -> ExitCode {
    let result = match command {
        DocsCommand::Check { pages, spec } => check(project, pages, spec),
        DocsCommand::Import { page } => import(page),
    };
    result.unwrap_or_else(|error| {
        eprintln!("docs: {error:#}");
        ExitCode::from(crate::UNUSABLE)
    })
}

fn check(project: &Project, pages: &[PathBuf], named: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let specs: Vec<Spec> = if named.is_empty() {
        project
            .default_specs()?
            .iter()
            .map(|path| vendor_pages::read_spec(path, &project.shown(path).to_string_lossy()))
            .collect::<anyhow::Result<_>>()?
    } else {
        named
            .iter()
            .map(|path| vendor_pages::read_spec(path, &path.to_string_lossy()))
            .collect::<anyhow::Result<_>>()?
    };
    let findings = vendor_pages::check(pages, &specs)?;
    for finding in &findings {
        println!("{finding}");
    }
    if findings.is_empty() {
        eprintln!("docs: {} page(s) agree with the specs", pages.len());
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "docs: {} finding(s) in {} page(s)",
            findings.len(),
            pages.len()
        );
        Ok(ExitCode::FAILURE)
    }
}

fn import(page: &Path) -> anyhow::Result<ExitCode> {
    let text = vendor_pages::read_page(page)?;
    let parsed =
        vendor_pages::page::parse(&text).map_err(|e| anyhow::anyhow!("{}:{e}", page.display()))?;
    print!("{}", vendor_pages::import(&parsed));
    Ok(ExitCode::SUCCESS)
}
