//! `cargo xtask examples-2020-12`: lint's `example-invalid` on each 3.1
//! document of the spec corpus, against an independent JSON Schema
//! 2020-12 validator (python-jsonschema, run by
//! `corpus/specs/examples_2020_12.py`, its own walk of the document).
//! Per spec: the example values each side finds invalid, those both find,
//! and those only one does (by JSON Pointer of the example's value).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use anyhow::{Context as _, Result, bail};
use openapi_lint::{LintConfig, Rule, Ruleset};
use openapi_source::SourceDoc;
use serde::Deserialize;

use super::manifest::Entry;

/// One spec's comparison.
#[derive(Debug, Default)]
pub struct Comparison {
    pub id: String,
    pub holdout: bool,
    /// Example values the other validator checked.
    pub checked: usize,
    pub ours: BTreeSet<String>,
    pub theirs: BTreeSet<String>,
    /// Theirs it could not validate (a `$ref` it cannot resolve): pointer
    /// and why.
    pub unvalidated: Vec<(String, String)>,
    /// Lint's `version-keyword` findings (3.0's `nullable` in a 3.1
    /// document: python-jsonschema refuses the `null` it allows).
    pub version_keywords: usize,
    /// Example values python-jsonschema refuses with `format` asserted.
    pub theirs_with_formats: BTreeSet<String>,
    /// First error message per pointer, on each side.
    pub why_ours: Vec<(String, String)>,
    pub why_theirs: Vec<(String, String)>,
    /// Schemas' `default`s: how many python-jsonschema checked, those
    /// lint's `constraint-contradiction` refuses and those it refuses.
    pub defaults_checked: usize,
    pub defaults_ours: BTreeSet<String>,
    pub defaults_theirs: BTreeSet<String>,
}

impl Comparison {
    pub fn both(&self) -> usize {
        self.ours.intersection(&self.theirs).count()
    }

    pub fn only_ours(&self) -> Vec<&String> {
        self.ours.difference(&self.theirs).collect()
    }

    /// Only lint's, that python-jsonschema refuses too with `format`
    /// asserted (lint asserts formats).
    pub fn only_ours_formats(&self) -> usize {
        self.only_ours()
            .iter()
            .filter(|p| self.theirs_with_formats.contains(**p))
            .count()
    }

    pub fn only_theirs(&self) -> Vec<&String> {
        self.theirs.difference(&self.ours).collect()
    }
}

#[derive(Deserialize)]
struct Theirs {
    checked: Vec<String>,
    invalid: Vec<Invalid>,
    invalid_with_formats: Vec<String>,
    defaults_checked: Vec<String>,
    defaults_invalid: Vec<Invalid>,
}

#[derive(Deserialize)]
struct Invalid {
    pointer: String,
    error: String,
}

/// Compares the two validators on one spec.
pub fn compare(entry: &Entry, file: &Path, python: &Path, script: &Path) -> Result<Comparison> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let mut comparison = Comparison {
        id: entry.id.clone(),
        holdout: entry.holdout,
        ..Comparison::default()
    };
    let Ours {
        invalid: found,
        version_keywords,
        defaults,
    } = ours(file, &text)?;
    comparison.version_keywords = version_keywords;
    let output = Command::new(python)
        .arg(script)
        .arg(file)
        .output()
        .with_context(|| format!("running {}", python.display()))?;
    if !output.status.success() {
        bail!(
            "{}: {}",
            script.display(),
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .last()
                .unwrap_or_default()
        );
    }
    let theirs: Theirs = serde_json::from_slice(&output.stdout).context("the script's answer")?;
    comparison.checked = theirs.checked.len();
    comparison.theirs_with_formats = theirs.invalid_with_formats.iter().cloned().collect();
    // Lint locates a mismatch inside an example (`.../example/0`): the
    // example it is in, as the other side names it.
    for (pointer, why) in found {
        let example = example_root(&theirs.checked, &pointer).unwrap_or(pointer);
        if comparison.ours.insert(example.clone()) {
            comparison.why_ours.push((example, why));
        }
    }
    comparison.defaults_checked = theirs.defaults_checked.len();
    comparison.defaults_ours = defaults
        .into_iter()
        .map(|pointer| example_root(&theirs.defaults_checked, &pointer).unwrap_or(pointer))
        .collect();
    comparison.defaults_theirs = theirs
        .defaults_invalid
        .into_iter()
        .map(|i| i.pointer)
        .collect();
    for invalid in theirs.invalid {
        if invalid.error.starts_with("not validated: ") {
            comparison
                .unvalidated
                .push((invalid.pointer, invalid.error));
        } else if comparison.theirs.insert(invalid.pointer.clone()) {
            comparison.why_theirs.push((invalid.pointer, invalid.error));
        }
    }
    Ok(comparison)
}

/// The longest of `examples` that is `pointer` or holds it.
fn example_root(examples: &[String], pointer: &str) -> Option<String> {
    examples
        .iter()
        .filter(|example| {
            pointer == example.as_str()
                || pointer
                    .strip_prefix(example.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
        .max_by_key(|example| example.len())
        .cloned()
}

/// Lint's `example-invalid` findings on `text` (standard ruleset), each as
/// the pointer of the node it is located at, and its message; how many
/// `version-keyword` findings it has; and where its `constraint-contradiction`
/// findings about a `default` are.
fn ours(file: &Path, text: &str) -> Result<Ours> {
    let doc =
        SourceDoc::parse(text).map_err(|e| anyhow::anyhow!("{}: {}", e.position, e.message))?;
    let at = positions(&doc);
    let findings = openapi_lint::lint_text(file, text, &LintConfig::new(Ruleset::Standard));
    let version_keywords = findings
        .iter()
        .filter(|f| f.rule == Rule::VersionKeyword)
        .count();
    let pointer_of = |f: &openapi_lint::Finding| {
        let position = f.position?;
        at.get(&(position.line, position.column)).cloned()
    };
    let defaults = findings
        .iter()
        .filter(|f| f.rule == Rule::ConstraintContradiction && f.message.starts_with("`default`"))
        .filter_map(pointer_of)
        .collect();
    let invalid = findings
        .iter()
        .filter(|f| f.rule == Rule::ExampleInvalid)
        .filter_map(|f| Some((pointer_of(f)?, f.message.clone())))
        .collect();
    Ok(Ours {
        invalid,
        version_keywords,
        defaults,
    })
}

/// What lint says of one document, for the comparison.
struct Ours {
    /// (pointer, message) of each `example-invalid`.
    invalid: Vec<(String, String)>,
    version_keywords: usize,
    /// Pointers of its `default`s `constraint-contradiction` refuses.
    defaults: Vec<String>,
}

/// The deepest pointer of the document at each `line:col`.
fn positions(doc: &SourceDoc) -> std::collections::HashMap<(usize, usize), String> {
    let mut at = std::collections::HashMap::new();
    let mut stack = vec![(String::new(), doc.value())];
    while let Some((pointer, value)) = stack.pop() {
        let position = doc.position(&pointer);
        let key = (position.line, position.col);
        let deeper = at
            .get(&key)
            .is_none_or(|known: &String| known.len() < pointer.len());
        if deeper {
            at.insert(key, pointer.clone());
        }
        match value {
            serde_json::Value::Object(members) => {
                for (name, member) in members {
                    stack.push((openapi_source::child(&pointer, name), member));
                }
            }
            serde_json::Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    stack.push((format!("{pointer}/{index}"), item));
                }
            }
            _ => {}
        }
    }
    at
}

/// The comparisons as Markdown: totals for the corpus and the holdout
/// apart, a row per spec, and each disagreement.
pub fn report(comparisons: &[Comparison], errors: &[(String, String)]) -> String {
    let mut out = String::new();
    for (title, holdout) in [("Corpus", false), ("Holdout", true)] {
        let part: Vec<&Comparison> = comparisons
            .iter()
            .filter(|c| c.holdout == holdout)
            .collect();
        let sum = |f: &dyn Fn(&Comparison) -> usize| part.iter().map(|c| f(c)).sum::<usize>();
        let _ = writeln!(
            out,
            "## {title}: {} documents\n\n- example values the independent validator checked: {}\n- invalid for both: {}; only for lint: {} (of which python-jsonschema refuses {} too when it asserts `format`, as lint does); only for python-jsonschema: {}; python-jsonschema could not validate: {}\n- documents where the two agree on every example: {} of {}\n",
            part.len(),
            sum(&|c| c.checked),
            sum(&|c| c.both()),
            sum(&|c| c.only_ours().len()),
            sum(&|c| c.only_ours_formats()),
            sum(&|c| c.only_theirs().len()),
            sum(&|c| c.unvalidated.len()),
            part.iter()
                .filter(|c| c.only_ours().is_empty() && c.only_theirs().is_empty())
                .count(),
            part.len(),
        );
        let _ = writeln!(
            out,
            "- schemas' `default`s python-jsonschema checked: {}; invalid for both: {}; only for lint (`constraint-contradiction`): {}; only for python-jsonschema: {}\n",
            sum(&|c| c.defaults_checked),
            sum(&|c| c.defaults_ours.intersection(&c.defaults_theirs).count()),
            sum(&|c| c.defaults_ours.difference(&c.defaults_theirs).count()),
            sum(&|c| c.defaults_theirs.difference(&c.defaults_ours).count()),
        );
        out.push_str("| spec | checked | lint | python-jsonschema | both | only lint | only python-jsonschema | not validated by python | lint's version-keyword (3.0 keywords) |\n|---|---|---|---|---|---|---|---|---|\n");
        for c in &part {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                c.id,
                c.checked,
                c.ours.len(),
                c.theirs.len(),
                c.both(),
                c.only_ours().len(),
                c.only_theirs().len(),
                c.unvalidated.len(),
                c.version_keywords
            );
        }
        out.push('\n');
        for c in &part {
            for pointer in c.only_ours() {
                let why = c
                    .why_ours
                    .iter()
                    .find(|(p, _)| p == pointer)
                    .map_or("", |(_, w)| w);
                let formats = if c.theirs_with_formats.contains(pointer) {
                    " (python-jsonschema with `format` asserted: invalid too)"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "- {}: only lint{formats}: `{pointer}`: {}",
                    c.id,
                    one_line(why)
                );
            }
            for pointer in c.defaults_ours.difference(&c.defaults_theirs) {
                let _ = writeln!(out, "- {}: default only lint: `{pointer}`", c.id);
            }
            for pointer in c.defaults_theirs.difference(&c.defaults_ours) {
                let _ = writeln!(
                    out,
                    "- {}: default only python-jsonschema: `{pointer}`",
                    c.id
                );
            }
            for pointer in c.only_theirs() {
                let why = c
                    .why_theirs
                    .iter()
                    .find(|(p, _)| p == pointer)
                    .map_or("", |(_, w)| w);
                let _ = writeln!(
                    out,
                    "- {}: only python-jsonschema: `{pointer}`: {}",
                    c.id,
                    one_line(why)
                );
            }
        }
        out.push('\n');
    }
    for (id, error) in errors {
        let _ = writeln!(out, "- {id}: not compared: {}", one_line(error));
    }
    out
}

fn one_line(text: &str) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let short: String = line.chars().take(240).collect();
    short.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mismatch_inside_an_example_is_that_example() {
        let examples = ["/a/example".to_owned(), "/a/example/x/example".to_owned()];
        assert_eq!(
            example_root(&examples, "/a/example/0"),
            Some("/a/example".into())
        );
        assert_eq!(
            example_root(&examples, "/a/example/x/example/1"),
            Some("/a/example/x/example".into())
        );
        assert_eq!(example_root(&examples, "/a/examples2"), None);
    }
}
