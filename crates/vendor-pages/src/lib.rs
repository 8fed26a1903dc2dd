//! The vendor's pages as an input. `check` compares
//! each page with the operation of the same method and path in the specs
//! and prints every disagreement as `PAGE:LINE: rule: message
//! (openapi/<api>.yaml:LINE:COL)`; where the spec deliberately differs
//! from its page, an `x-page-deviations` entry on the node says so and
//! why. `import` prints a starting spec for a page the specs lack.

mod blocks;
pub mod compare;
pub mod coverage;
mod html;
mod import;
mod layout;
pub mod page;
mod rst;
mod unflatten;

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

pub use compare::{Finding, RULES, Spec};
pub use import::{import, import_pages};

/// Reads the spec at `path`, shown in findings as `shown`.
pub fn read_spec(path: &Path, shown: &str) -> Result<Spec> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let doc = openapi_source::SourceDoc::parse(&text)
        .map_err(|e| anyhow::anyhow!("{shown}:{}: {}", e.position, e.message))?;
    Ok(Spec {
        file: shown.replace('\\', "/"),
        doc,
    })
}

/// Every disagreement between `pages` and `specs`; a page that cannot be
/// read is an error naming it.
pub fn check(pages: &[PathBuf], specs: &[Spec]) -> Result<Vec<Finding>> {
    let mut findings = Vec::new();
    for path in pages {
        let shown = path.to_string_lossy().replace('\\', "/");
        let page = read_and_parse(path)?;
        findings.extend(compare::check(&shown, &page, specs));
    }
    Ok(findings)
}

/// Reads and parses the page at `path` in the format its extension (or
/// else its content) says; an error names the page.
pub fn read_and_parse(path: &Path) -> Result<page::Page> {
    let shown = path.to_string_lossy().replace('\\', "/");
    let text = read_page(path)?;
    page::parse_as(&text, page::Format::of(path, &text)).map_err(|e| anyhow::anyhow!("{shown}:{e}"))
}

/// A page's text, bounded.
pub fn read_page(path: &Path) -> Result<String> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(8 * 1024 * 1024)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {}", path.display()))?;
    String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8 text", path.display()))
}
