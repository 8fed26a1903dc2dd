//! `cargo xtask corpus-summary`: a directory of kept rows (`corpus
//! --resume --rows DIR`) summed into the table `corpus/specs/SCHEMATHESIS.md`
//! reports, each row's failures explained again by today's
//! [`super::spec_made`] rules. The failures are as schemathesis found them
//! when the row was made; a row's spec is found by its id in the manifest.

use std::path::Path;

use anyhow::{Context as _, Result, bail};

use super::manifest;
use super::run::Status;

/// One row's part of the sum.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Part {
    id: String,
    /// Why schemathesis did not run, where it did not.
    not_run: Option<String>,
    failures: usize,
    explained: usize,
    /// Of the failures left, those hyper answered before the router
    /// ([`super::schemathesis::Failure::refused_by_hyper`]).
    by_hyper: usize,
    errors: usize,
    /// Of `errors`, those the spec makes unavoidable.
    errors_explained: usize,
    panics: usize,
    by_rule: Vec<(&'static str, usize)>,
    errors_by_rule: Vec<(&'static str, usize)>,
}

/// The rows of `rows` (every `*.json` in it) summed, as Markdown.
pub fn summarize(manifest_path: &Path, rows: &Path) -> Result<String> {
    let entries = manifest::read(manifest_path)?;
    let mut names: Vec<_> = std::fs::read_dir(rows)
        .with_context(|| format!("cannot read {}", rows.display()))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<std::io::Result<_>>()
        .with_context(|| format!("cannot read {}", rows.display()))?;
    names.retain(|path| path.extension().is_some_and(|ext| ext == "json"));
    names.sort();
    if names.is_empty() {
        bail!("{}: no rows (`<id>.json`) in it", rows.display());
    }
    let mut parts = Vec::new();
    for row in &names {
        let id = row.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let entry = entries.iter().find(|e| e.id == id).with_context(|| {
            format!(
                "{}: no spec `{id}` in {}",
                row.display(),
                manifest_path.display()
            )
        })?;
        parts.push(part(id, &entry.file(manifest_path), row)?);
    }
    Ok(render(&parts))
}

/// The part of the row `row`, made from the spec `spec`.
fn part(id: &str, spec: &Path, row: &Path) -> Result<Part> {
    let built = super::resume::read_row(row)?;
    let mut part = Part {
        id: id.to_owned(),
        ..Part::default()
    };
    if built.build_ours.status != Status::Ok {
        part.not_run = Some(format!("ours did not build: {}", built.build_ours.text));
        return Ok(part);
    }
    let findings = match built.schemathesis {
        Some(Ok(findings)) => findings,
        Some(Err(error)) => {
            part.not_run = Some(error);
            return Ok(part);
        }
        None => {
            part.not_run = Some("schemathesis was not asked for".to_owned());
            return Ok(part);
        }
    };
    let (model, _) = bindings_codegen::generate::load_model(spec)
        .with_context(|| format!("{}: its spec {}", row.display(), spec.display()))?;
    let written = super::schemathesis::written(spec);
    let rules = super::spec_made::rules(&model, written.as_ref(), &findings.each);
    part.by_hyper = (findings.each.iter().zip(&rules))
        .filter(|(failure, rule)| rule.is_none() && failure.refused_by_hyper())
        .count();
    part.by_rule = super::spec_made::tally_rules(rules);
    part.explained = part.by_rule.iter().map(|(_, n)| n).sum();
    part.failures = findings.failures;
    part.errors = findings.errors;
    part.errors_by_rule = super::spec_made::count_errors(&model, &findings.errors_known());
    part.errors_explained = part.errors_by_rule.iter().map(|(_, n)| n).sum();
    part.panics = findings.panics;
    Ok(part)
}

/// The sum of `parts`: one line of totals, the failures the specs make
/// unavoidable by rule, each spec with failures left or errors, and each
/// spec not run.
fn render(parts: &[Part]) -> String {
    let ran: Vec<&Part> = parts.iter().filter(|p| p.not_run.is_none()).collect();
    let sum = |field: fn(&Part) -> usize| ran.iter().map(|p| field(p)).sum::<usize>();
    let left = |p: &Part| p.failures.saturating_sub(p.explained);
    let errors_left = |p: &Part| p.errors.saturating_sub(p.errors_explained);
    let clean = ran
        .iter()
        .filter(|p| left(p) == 0 && errors_left(p) == 0)
        .count();
    let spotless = ran
        .iter()
        .filter(|p| p.failures == 0 && p.errors == 0)
        .count();
    let mut out = String::from(
        "| specs | schemathesis runs | clean but for the spec's (of them, no failure at all) | failures | the spec's | left (of them, hyper's bare 414/431) | errors (the spec's) | panics | not run |\n|---|---|---|---|---|---|---|---|---|\n",
    );
    out.push_str(&format!(
        "| {} | {} | {clean} ({spotless}) | {} | {} | {} ({}) | {} ({}) | {} | {} |\n",
        parts.len(),
        ran.len(),
        sum(|p| p.failures),
        sum(|p| p.explained),
        sum(left),
        sum(|p| p.by_hyper),
        sum(|p| p.errors),
        sum(|p| p.errors_explained),
        sum(|p| p.panics),
        parts.len() - ran.len(),
    ));
    out.push_str("\nThe spec's, by the lint rule that names each:\n\n");
    for (rule, n) in totals(ran.iter().flat_map(|p| &p.by_rule)) {
        out.push_str(&format!("- `{rule}`: {n}\n"));
    }
    let errors = totals(ran.iter().flat_map(|p| &p.errors_by_rule));
    if !errors.is_empty() {
        out.push_str("\nThe spec's errors, by the lint rule that names each:\n\n");
        for (rule, n) in errors {
            out.push_str(&format!("- `{rule}`: {n}\n"));
        }
    }
    out.push_str("\nLeft (failures or errors the spec does not explain), by spec:\n\n");
    for p in ran.iter().filter(|p| left(p) > 0 || errors_left(p) > 0) {
        let hyper = match p.by_hyper {
            0 => String::new(),
            n => format!(" ({n} of the rest hyper's bare 414/431)"),
        };
        out.push_str(&format!(
            "- {}: {} failures, {} the spec's{hyper}, {} errors, {} the spec's, {} panics\n",
            p.id, p.failures, p.explained, p.errors, p.errors_explained, p.panics
        ));
    }
    out.push_str(
        "\nhyper's bare 414/431: answers without a body that hyper (the HTTP server under \
         axum) sends before the router sees the request, to a request line past its 64 KiB \
         or a head past its read buffer; no generated code runs for them.\n",
    );
    out.push_str("\nNot run:\n\n");
    for p in parts {
        if let Some(why) = &p.not_run {
            let why: String = why.chars().take(160).collect();
            out.push_str(&format!("- {}: {why}\n", p.id));
        }
    }
    out
}

/// The counts of `counts` summed by rule, the largest first.
fn totals<'a>(
    counts: impl Iterator<Item = &'a (&'static str, usize)>,
) -> Vec<(&'static str, usize)> {
    let mut rules: Vec<(&'static str, usize)> = Vec::new();
    for (rule, n) in counts {
        match rules.iter_mut().find(|(name, _)| name == rule) {
            Some((_, total)) => *total += n,
            None => rules.push((rule, *n)),
        }
    }
    rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(id: &str, failures: usize, explained: usize, errors: usize) -> Part {
        Part {
            id: id.into(),
            failures,
            explained,
            errors,
            by_rule: vec![("constraint-contradiction", explained)],
            ..Part::default()
        }
    }

    #[test]
    fn rows_are_summed_with_what_is_left_and_not_run() {
        let parts = [
            part("clean", 0, 0, 0),
            part("spec-made", 3, 3, 0),
            Part {
                by_hyper: 1,
                ..part("left", 5, 2, 1)
            },
            Part {
                errors: 1,
                errors_explained: 1,
                errors_by_rule: vec![("framing-header-parameter", 1)],
                ..part("errors-made", 0, 0, 0)
            },
            Part {
                id: "broken".into(),
                not_run: Some("ours did not build: clippy".into()),
                ..Part::default()
            },
        ];
        let text = render(&parts);
        assert!(
            text.contains("| 5 | 4 | 3 (1) | 8 | 5 | 3 (1) | 2 (1) | 0 | 1 |"),
            "{text}"
        );
        assert!(text.contains("- `constraint-contradiction`: 5"), "{text}");
        assert!(
            text.contains(
                "errors, by the lint rule that names each:\n\n- `framing-header-parameter`: 1"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "- left: 5 failures, 2 the spec's (1 of the rest hyper's bare 414/431), 1 errors, 0 the spec's"
            ),
            "{text}"
        );
        assert!(!text.contains("- errors-made:"), "{text}");
        assert!(!text.contains("- spec-made:"), "{text}");
        assert!(
            text.contains("- broken: ours did not build: clippy"),
            "{text}"
        );
    }
}
