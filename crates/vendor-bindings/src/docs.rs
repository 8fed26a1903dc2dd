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
    /// (SPEC:LINE:COL)`, and how much of each page was read; exit non-zero
    /// when there is a disagreement or a block of a page was not read
    /// (`PAGE:LINE: unread: ...`).
    Check {
        /// Pages in Huawei Cloud's or obshell's layout: browser-copied text
        /// (`.txt`), the vendor's saved HTML (`.html`) or reStructuredText
        /// (`.rst`); other extensions by content.
        #[arg(required = true)]
        pages: Vec<PathBuf>,
        /// Compare with these specs instead of the configured APIs' (or
        /// those of `openapi/`).
        #[arg(long, value_name = "SPEC")]
        spec: Vec<PathBuf>,
    },
    /// Print a whole OpenAPI document for the operations of pages of one
    /// service, to start a spec (or an operation of one) from: operations
    /// in page order, a schema the pages share (same name, same shape)
    /// once. Says how much of each page was read; a page with a block it
    /// could not read (`PAGE:LINE: unread: ...`) prints no document and
    /// exits non-zero, unless `--allow-unread`.
    Import {
        #[arg(required = true)]
        pages: Vec<PathBuf>,
        /// Print the document of what was read even when some of the page
        /// was not.
        #[arg(long)]
        allow_unread: bool,
    },
}

/// Runs `docs` on `project`.
pub fn run(project: &Project, command: &DocsCommand) -> ExitCode {
    let result = match command {
        DocsCommand::Check { pages, spec } => check(project, pages, spec),
        DocsCommand::Import {
            pages,
            allow_unread,
        } => import(pages, *allow_unread),
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
    let mut unread = 0;
    for page in pages {
        unread += report_coverage(page, &vendor_pages::read_and_parse(page)?);
    }
    let findings = vendor_pages::check(pages, &specs)?;
    for finding in &findings {
        println!("{finding}");
    }
    if unread > 0 {
        eprintln!(
            "docs: {unread} block(s) of the pages not read, {} finding(s) in what was read",
            findings.len()
        );
        Ok(ExitCode::FAILURE)
    } else if findings.is_empty() {
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

fn import(pages: &[PathBuf], allow_unread: bool) -> anyhow::Result<ExitCode> {
    let mut parsed = Vec::new();
    let mut unread = 0;
    for page in pages {
        let read = vendor_pages::read_and_parse(page)?;
        unread += report_coverage(page, &read);
        parsed.push(read);
    }
    if unread > 0 && !allow_unread {
        eprintln!(
            "docs: no document printed: {unread} block(s) not read (`--allow-unread` prints what was)"
        );
        return Ok(ExitCode::FAILURE);
    }
    print!("{}", vendor_pages::import_pages(&parsed)?);
    Ok(ExitCode::SUCCESS)
}

/// Prints how much of `page` was read, and each block that was not, on
/// standard error; the number of those blocks.
fn report_coverage(path: &Path, page: &vendor_pages::page::Page) -> usize {
    let shown = path.to_string_lossy().replace('\\', "/");
    let mut coverage = page.coverage.clone();
    eprintln!("docs: {shown}: read {}", coverage.summary());
    let lines = coverage.lines(&shown);
    for line in &lines {
        eprintln!("{line}");
    }
    lines.len()
}
