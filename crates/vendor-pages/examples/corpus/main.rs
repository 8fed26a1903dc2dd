//! Imports every page of the corpus (`corpus/pages/manifest.toml`, files
//! from `sync.py`) and prints, per page, the tables and rows read out of
//! those present, whether the import lints clean under the standard
//! ruleset, and whether `docs check` of the page against its own import
//! is clean. Holdout pages are left out unless `--holdout` (then only
//! they are run). Then, per service, its pages imported together into one
//! document (`docs import PAGE...`): whether it lints clean, and whether
//! `docs check` of each of those pages against it is clean; `--out DIR`
//! writes each service's document to `DIR/<service>.yaml`, to generate.
//!
//! With `--mutate`, each page is also edited the ways the `docs-pages`
//! tests edit the seeds (see `mutate.rs`), read again and checked against
//! the unedited page's import: each edit must give its located finding.
//!
//! With `--scan`, the pages are the wide scan's (`scan.py`, `scan-manifest.tsv`):
//! every page of the same snapshots; a page with no operation must be
//! refused, and the refusals are counted by kind.
//!
//! `cargo run -p vendor-pages --example corpus [-- --holdout] [--scan] [--unread] [--mutate] [--out DIR]`

mod mutate;

use std::path::{Path, PathBuf};

use openapi_lint::{LintConfig, Ruleset, Severity};

struct Entry {
    id: String,
    service: String,
    format: String,
    holdout: bool,
    /// `operation` or `other` (scan pages; manifest pages are all
    /// operations).
    kind: String,
}

/// The wide scan's pages (`scan.py`): `scan-manifest.tsv`, tab-separated
/// with a header row.
fn scan_manifest(root: &Path) -> Vec<Entry> {
    let text = std::fs::read_to_string(root.join("scan-manifest.tsv")).unwrap_or_default();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let column = |cells: &[&str], name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .and_then(|i| cells.get(i))
            .map_or_else(String::new, |cell| (*cell).to_owned())
    };
    lines
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            Entry {
                id: column(&cells, "id"),
                service: column(&cells, "service"),
                format: column(&cells, "format"),
                holdout: column(&cells, "holdout") == "true",
                kind: column(&cells, "kind"),
            }
        })
        .collect()
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
                service: String::new(),
                format: String::new(),
                holdout: false,
                kind: "operation".to_owned(),
            });
        } else if let Some(entry) = entries.last_mut() {
            if let Some(id) = value("id ") {
                entry.id = id;
            } else if let Some(service) = value("service ") {
                entry.service = service;
            } else if let Some(format) = value("format ") {
                entry.format = format;
            } else if let Some(holdout) = value("holdout ") {
                entry.holdout = holdout == "true";
            }
        }
    }
    entries
}

/// Lints `yaml` under the standard ruleset: the errors.
fn lint_errors(yaml: &str) -> Vec<String> {
    openapi_lint::lint_text(
        Path::new("import.yaml"),
        yaml,
        &LintConfig::new(Ruleset::Standard),
    )
    .into_iter()
    .filter(|f| f.severity == Severity::Error)
    .map(|f| f.to_string())
    .collect()
}

/// `docs check` of each page against `yaml`: the findings.
fn self_check(pages: &[(String, vendor_pages::page::Page)], yaml: &str) -> Vec<String> {
    let Ok(doc) = openapi_source::SourceDoc::parse(yaml) else {
        return vec!["import.yaml: not YAML".to_owned()];
    };
    let spec = vendor_pages::Spec {
        file: "import.yaml".into(),
        doc,
    };
    pages
        .iter()
        .flat_map(|(id, page)| vendor_pages::compare::check(id, page, std::slice::from_ref(&spec)))
        .map(|finding| finding.to_string())
        .collect()
}

/// The mutations of one page that docs check reports where expected, out
/// of those applied; the missed ones, described.
fn mutations_found(
    id: &str,
    path: &Path,
    page: &vendor_pages::page::Page,
    yaml: &str,
) -> (usize, Vec<String>) {
    let (Ok(source), Ok(doc)) = (
        vendor_pages::read_page(path),
        openapi_source::SourceDoc::parse(yaml),
    ) else {
        return (0, vec![format!("{id}: page or import unreadable")]);
    };
    let spec = vendor_pages::Spec {
        file: "import.yaml".into(),
        doc,
    };
    let format = vendor_pages::page::Format::of(path, &source);
    let mut missed = Vec::new();
    let applied = mutate::mutations(&source, page, format);
    for mutation in &applied {
        let findings = match vendor_pages::page::parse_as(&mutation.source, format) {
            Ok(mutated) => vendor_pages::compare::check(id, &mutated, std::slice::from_ref(&spec)),
            Err(error) => {
                missed.push(format!(
                    "{id}: {}: the edited page is unreadable: {}",
                    mutation.what, error.message
                ));
                continue;
            }
        };
        let found = findings
            .iter()
            .any(|f| f.rule == mutation.rule && mutation.line.is_none_or(|line| f.line == line));
        if !found {
            let at = mutation.line.map_or(String::new(), |l| format!(":{l}"));
            let got: Vec<String> = findings.iter().map(ToString::to_string).collect();
            missed.push(format!(
                "{id}{at}: {}: expected {}, got [{}]",
                mutation.what,
                mutation.rule,
                got.join("; ")
            ));
        }
    }
    (applied.len(), missed)
}

fn verdict(problems: &[String], what: &str) -> String {
    if problems.is_empty() {
        "clean".to_owned()
    } else {
        format!("{} {what}", problems.len())
    }
}

/// Each service's pages imported together: a row per service.
fn services(
    pages: Vec<(String, String, vendor_pages::page::Page)>,
    out: Option<&Path>,
    show: bool,
) {
    let mut by_service: Vec<(String, Vec<(String, vendor_pages::page::Page)>)> = Vec::new();
    for (service, id, page) in pages {
        match by_service.iter_mut().find(|(s, _)| *s == service) {
            Some((_, list)) => list.push((id, page)),
            None => by_service.push((service, vec![(id, page)])),
        }
    }
    println!("\n| service | pages | operations | schemas | lint | docs check of its pages |");
    println!("|---|---|---|---|---|---|");
    for (service, pages) in by_service {
        let parsed: Vec<vendor_pages::page::Page> =
            pages.iter().map(|(_, page)| page.clone()).collect();
        let yaml = match vendor_pages::import_pages(&parsed) {
            Ok(yaml) => yaml,
            Err(error) => {
                println!(
                    "| {service} | {} | - | - | error: {error:#} | - |",
                    pages.len()
                );
                continue;
            }
        };
        let errors = lint_errors(&yaml);
        let findings = self_check(&pages, &yaml);
        let doc = openapi_source::SourceDoc::parse(&yaml).ok();
        let count = |pointer: &str, per_item: bool| {
            doc.as_ref()
                .and_then(|doc| doc.value().pointer(pointer)?.as_object().cloned())
                .map_or(0, |map| {
                    if per_item {
                        map.values()
                            .filter_map(|v| v.as_object())
                            .map(|o| o.len())
                            .sum()
                    } else {
                        map.len()
                    }
                })
        };
        println!(
            "| {service} | {} | {} | {} | {} | {} |",
            pages.len(),
            count("/paths", true),
            count("/components/schemas", false),
            verdict(&errors, "error(s)"),
            verdict(&findings, "finding(s)"),
        );
        if show {
            for line in errors.iter().chain(&findings) {
                eprintln!("  {service}: {line}");
            }
        }
        if let Some(out) = out
            && let Err(error) = std::fs::write(out.join(format!("{service}.yaml")), &yaml)
        {
            eprintln!("{service}: writing its document: {error}");
        }
    }
}

/// Pages the reader refused, by kind: a page with no operation must be
/// refused, an operation page must not be.
#[derive(Default)]
struct Refusals {
    /// Operation pages refused: id and the error.
    operations: Vec<(String, String)>,
    /// Other pages refused.
    others: usize,
    /// Other pages read as an operation.
    read_other: Vec<String>,
}

impl Refusals {
    fn count(&mut self, entry: &Entry, error: &str) {
        if entry.kind == "operation" {
            self.operations.push((entry.id.clone(), error.to_owned()));
        } else {
            self.others += 1;
        }
    }

    fn print(&self) {
        println!(
            "refused: {} operation page(s), {} page(s) with no operation; {} page(s) with no operation read as one",
            self.operations.len(),
            self.others,
            self.read_other.len()
        );
        for (id, error) in &self.operations {
            println!("- operation page refused: {id}: {error}");
        }
        for id in &self.read_other {
            println!("- page with no operation read as one: {id}");
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let holdout = args.iter().any(|a| a == "--holdout");
    let show_unread = args.iter().any(|a| a == "--unread");
    let mutate = args.iter().any(|a| a == "--mutate");
    let (mut applied, mut missed) = (0, Vec::new());
    let out = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);
    let mut imported = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/pages");
    let scan = args.iter().any(|a| a == "--scan");
    let (entries, files) = if scan {
        (scan_manifest(&root), root.join("scan"))
    } else {
        (manifest(&root), root.join("files"))
    };
    let (mut rows, mut rows_read, mut clean, mut pages) = (0, 0, 0, 0);
    let (mut aside, mut at_95) = (0, 0);
    let mut refusals = Refusals::default();
    println!(
        "| page | tables read/present | rows read/present | set aside (another operation's) | lint | self-check | first unread |"
    );
    println!("|---|---|---|---|---|---|---|");
    for entry in entries.into_iter().filter(|e| e.holdout == holdout) {
        let path: PathBuf = files.join(format!("{}.{}", entry.id, entry.format));
        let page = match vendor_pages::read_and_parse(&path) {
            Ok(page) => page,
            Err(error) => {
                refusals.count(&entry, &format!("{error:#}"));
                if entry.kind == "operation" {
                    pages += 1;
                    println!("| {} | - | - | - | - | - | error: {error:#} |", entry.id);
                }
                continue;
            }
        };
        if entry.kind != "operation" {
            refusals.read_other.push(entry.id.clone());
        }
        pages += 1;
        let mut coverage = page.coverage.clone();
        rows += coverage.rows;
        rows_read += coverage.rows_read;
        aside += coverage.rows_aside();
        if coverage.rows_read * 100 >= 95 * (coverage.rows - coverage.rows_aside()) {
            at_95 += 1;
        }
        let yaml = vendor_pages::import(&page);
        let errors = lint_errors(&yaml);
        if mutate {
            let (count, misses) = mutations_found(&entry.id, &path, &page, &yaml);
            applied += count;
            missed.extend(misses);
        }
        let page_and_id = [(entry.id.clone(), page)];
        let self_check = self_check(&page_and_id, &yaml);
        let [(_, page)] = page_and_id;
        imported.push((entry.service.clone(), entry.id.clone(), page));
        if errors.is_empty() && coverage.complete() && self_check.is_empty() {
            clean += 1;
        }
        let unread = coverage.lines(&entry.id);
        println!(
            "| {} | {}/{} | {}/{} | {} | {} | {} | {} |",
            entry.id,
            coverage.tables_read,
            coverage.tables,
            coverage.rows_read,
            coverage.rows,
            coverage
                .aside
                .first()
                .map_or(String::new(), |first| format!(
                    "{} row(s) in {} table(s) from line {}: {}",
                    coverage.rows_aside(),
                    coverage.aside.len(),
                    first.line,
                    first.whose
                )),
            verdict(&errors, "error(s)"),
            verdict(&self_check, "finding(s)"),
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
        "\n{pages} page(s): rows read {rows_read}/{rows} ({aside} set aside as another operation's); {clean} page(s) read whole, lint clean and self-check clean; {at_95} with at least 95% of their own operation's rows read"
    );
    refusals.print();
    if mutate {
        println!(
            "\nmutations: {} of {applied} give their finding at their line",
            applied - missed.len()
        );
        for miss in &missed {
            println!("- missed: {miss}");
        }
    }
    services(imported, out.as_deref(), show_unread);
}
