//! oasdiff's checker fixtures (its repository's `data/checker`) as a suite
//! of ours. `tests/oasdiff-fixtures.txt` lists, per directed pair of
//! fixtures, the level oasdiff's own tests expect, the level our diff gives,
//! and, where they differ, why. The fixtures are not in this repository:
//! the test reads them from a snapshot of oasdiff's repository (a bare git
//! directory; `OASDIFF_REPO`, default `/work/.mirror/oasdiff+oasdiff/repo`)
//! at the manifest's commit, and says it skipped when there is none.
//!
//! Levels, as a client of the wire API sees them (oasdiff's audience):
//! `breaking` (oasdiff `ERR`, or `WARN`: it may break, and we have no
//! "maybe"; ours: some change breaks wire clients), `compatible` (oasdiff
//! `INFO` or nothing; ours: changes, none breaking clients, or none),
//! `refused` (ours: the diff cannot read the pair, e.g. OpenAPI 3.1).

use std::path::{Path, PathBuf};
use std::process::Command;

use bindings_codegen::diff::{Level, diff_texts};

struct Entry {
    line: usize,
    old: String,
    new: String,
    oasdiff: String,
    ours: String,
    why: Option<String>,
}

fn manifest() -> (String, Vec<Entry>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oasdiff-fixtures.txt");
    let text = std::fs::read_to_string(&path).expect("tests/oasdiff-fixtures.txt");
    let mut commit = None;
    let mut entries = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("commit ") {
            commit = Some(rest.trim().to_owned());
            continue;
        }
        // `old -> new | oasdiff=LEVEL | ours=LEVEL [| why: TEXT]`
        let fields: Vec<&str> = line.splitn(4, " | ").collect();
        let (pair, oasdiff, ours) = match fields.as_slice() {
            [pair, oasdiff, ours, ..] => (*pair, *oasdiff, *ours),
            _ => panic!("line {}: `{line}` is not an entry", index + 1),
        };
        let (old, new) = pair
            .split_once(" -> ")
            .unwrap_or_else(|| panic!("line {}: no `old -> new`", index + 1));
        let level = |field: &str, key: &str| {
            field
                .strip_prefix(key)
                .unwrap_or_else(|| panic!("line {}: expected {key}", index + 1))
                .to_owned()
        };
        entries.push(Entry {
            line: index + 1,
            old: old.trim().to_owned(),
            new: new.trim().to_owned(),
            oasdiff: level(oasdiff, "oasdiff="),
            ours: level(ours, "ours="),
            why: fields
                .get(3)
                .and_then(|why| why.strip_prefix("why: "))
                .map(str::to_owned),
        });
    }
    (commit.expect("a `commit` line"), entries)
}

fn repository() -> PathBuf {
    std::env::var_os("OASDIFF_REPO").map_or_else(
        || PathBuf::from("/work/.mirror/oasdiff+oasdiff/repo"),
        PathBuf::from,
    )
}

fn fixture(repo: &Path, commit: &str, name: &str) -> Option<String> {
    let output = Command::new("git")
        .arg("--git-dir")
        .arg(repo)
        .args(["show", &format!("{commit}:data/checker/{name}")])
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Our level for a pair, and the change ids that made it.
fn ours(old_name: &str, old: &str, new_name: &str, new: &str) -> (String, Vec<String>) {
    match diff_texts(old_name, old, new_name, new) {
        Err(error) => ("refused".to_owned(), vec![format!("{error:#}")]),
        Ok(changes) => {
            let breaking: Vec<String> = changes
                .iter()
                .filter(|c| c.client == Level::Breaking)
                .map(|c| c.id.to_owned())
                .collect();
            if breaking.is_empty() {
                let ids = changes.iter().map(|c| c.id.to_owned()).collect();
                ("compatible".to_owned(), ids)
            } else {
                ("breaking".to_owned(), breaking)
            }
        }
    }
}

#[test]
fn oasdiff_checker_fixtures_agree_or_say_why() {
    let (commit, entries) = manifest();
    assert!(entries.len() > 100, "the manifest lost its entries");
    for entry in &entries {
        assert!(
            ["breaking", "compatible"].contains(&entry.oasdiff.as_str()),
            "line {}: oasdiff={}",
            entry.line,
            entry.oasdiff
        );
        assert!(
            entry.oasdiff == entry.ours || entry.why.is_some(),
            "line {}: {} -> {}: ours ({}) differs from oasdiff ({}) without a `why:`",
            entry.line,
            entry.old,
            entry.new,
            entry.ours,
            entry.oasdiff
        );
    }
    let repo = repository();
    if fixture(&repo, &commit, &entries[0].old).is_none() {
        eprintln!(
            "SKIPPED: oasdiff's fixtures: no snapshot of oasdiff's repository at commit {commit} in {} (set OASDIFF_REPO to a git directory holding it)",
            repo.display()
        );
        return;
    }
    let mut failures = Vec::new();
    let (mut agree, mut differ) = (0, 0);
    for entry in &entries {
        let (Some(old), Some(new)) = (
            fixture(&repo, &commit, &entry.old),
            fixture(&repo, &commit, &entry.new),
        ) else {
            failures.push(format!("line {}: a fixture is missing", entry.line));
            continue;
        };
        let (level, ids) = ours(&entry.old, &old, &entry.new, &new);
        println!(
            "{} -> {} | oasdiff={} | ours={level} | {}",
            entry.old,
            entry.new,
            entry.oasdiff,
            ids.join(", ")
        );
        if level != entry.ours {
            failures.push(format!(
                "line {}: {} -> {}: the manifest says ours={}, the diff gives {level} ({})",
                entry.line,
                entry.old,
                entry.new,
                entry.ours,
                ids.join(", ")
            ));
        }
        if level == entry.oasdiff {
            agree += 1;
        } else {
            differ += 1;
        }
    }
    println!(
        "oasdiff fixtures at {commit}: {agree} agree, {differ} differ (each with its reason in the manifest)"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
