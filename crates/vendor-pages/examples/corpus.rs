//! Imports every page of the corpus (`corpus/pages/manifest.toml`, files
//! from `sync.py`) and prints, per page, the tables and rows read out of
//! those present, whether the import lints clean under the standard
//! ruleset, and whether `docs check` of the page against its own import
//! is clean. Holdout pages are left out unless `--holdout` (then only
//! they are run).
//!
//! `cargo run -p vendor-pages --example corpus [-- --holdout] [--unread]`

use std::path::{Path, PathBuf};

use openapi_lint::{LintConfig, Ruleset, Severity};

struct Entry {
    id: String,
    format: String,
    holdout: bool,
}

fn manifest(root: &Path) -> Vec<Entry> {
    let text = std::fs::read_to_string(root.join("manifest.toml")).unwrap_or_default();
    let mut entries: Vec<Entry> = Vec::new();
    for line in text.lines() {
        let value = |key: &str| {
            line.strip_prefix(key)
                .and_then(|rest| rest.trim_start().strip_prefix('='))
                .map(|v| v.trim().trim_matches('"').to_owned())
        };
        if line.trim() == "[[page]]" {
            entries.push(Entry {
                id: String::new(),
                format: String::new(),
                holdout: false,
            });
        } else if let Some(entry) = entries.last_mut() {
            if let Some(id) = value("id ") {
                entry.id = id;
            } else if let Some(format) = value("format ") {
                entry.format = format;
            } else if let Some(holdout) = value("holdout ") {
                entry.holdout = holdout == "true";
            }
        }
    }
    entries
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let holdout = args.iter().any(|a| a == "--holdout");
    let show_unread = args.iter().any(|a| a == "--unread");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/pages");
    let (mut rows, mut rows_read, mut clean, mut pages) = (0, 0, 0, 0);
    println!(
        "| page | tables read/present | rows read/present | lint | self-check | first unread |"
    );
    println!("|---|---|---|---|---|---|");
    for entry in manifest(&root).into_iter().filter(|e| e.holdout == holdout) {
        pages += 1;
        let path: PathBuf = root
            .join("files")
            .join(format!("{}.{}", entry.id, entry.format));
        let page = match vendor_pages::read_and_parse(&path) {
            Ok(page) => page,
            Err(error) => {
                println!("| {} | - | - | - | - | error: {error:#} |", entry.id);
                continue;
            }
        };
        let mut coverage = page.coverage.clone();
        rows += coverage.rows;
        rows_read += coverage.rows_read;
        let yaml = vendor_pages::import(&page);
        let errors: Vec<String> = openapi_lint::lint_text(
            Path::new("import.yaml"),
            &yaml,
            &LintConfig::new(Ruleset::Standard),
        )
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.to_string())
        .collect();
        let self_check = match openapi_source::SourceDoc::parse(&yaml) {
            Ok(doc) => {
                let spec = vendor_pages::Spec {
                    file: "import.yaml".into(),
                    doc,
                };
                vendor_pages::compare::check(&entry.id, &page, std::slice::from_ref(&spec))
            }
            Err(_) => Vec::new(),
        };
        if errors.is_empty() && coverage.complete() && self_check.is_empty() {
            clean += 1;
        }
        let unread = coverage.lines(&entry.id);
        println!(
            "| {} | {}/{} | {}/{} | {} | {} | {} |",
            entry.id,
            coverage.tables_read,
            coverage.tables,
            coverage.rows_read,
            coverage.rows,
            if errors.is_empty() {
                "clean".to_owned()
            } else {
                format!("{} error(s)", errors.len())
            },
            if self_check.is_empty() {
                "clean".to_owned()
            } else {
                format!("{} finding(s)", self_check.len())
            },
            unread
                .first()
                .cloned()
                .unwrap_or_default()
                .replace('|', "\\|"),
        );
        if show_unread {
            for line in unread.iter().chain(&errors) {
                eprintln!("  {line}");
            }
            for finding in &self_check {
                eprintln!("  {finding}");
            }
        }
    }
    println!(
        "\n{pages} page(s): rows read {rows_read}/{rows}; {clean} page(s) read whole, lint clean and self-check clean"
    );
}
