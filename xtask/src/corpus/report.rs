//! The manifest run as Markdown: totals (corpus and holdout apart, ours
//! against progenitor alone), classes of failure, and the row of each spec.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::run::{Outcome, Row, Status};

/// The groups totals are given for: (label, set, holdout).
const GROUPS: &[(&str, &str, bool)] = &[
    ("3.0 corpus", "3.0", false),
    ("3.0 holdout", "3.0", true),
    ("3.1 corpus", "3.1", false),
    ("3.1 holdout", "3.1", true),
];

/// Totals per group and for everything.
pub fn totals(rows: &[Row]) -> String {
    let mut out = String::from(
        "| group | specs | files read | lint clean (0 errors) | ours generates | progenitor generates | both | ours only | progenitor only | ours builds (clippy -D warnings) | progenitor builds | diff: self 0 changes, breaking edits breaking | our panics, crashes, timeouts | schemathesis on our mock: clean of run; failures / errors / mock panics |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for (label, set, holdout) in GROUPS {
        let group: Vec<&Row> = rows
            .iter()
            .filter(|r| &r.entry.set == set && r.entry.holdout == *holdout)
            .collect();
        if !group.is_empty() {
            total_row(&mut out, label, &group);
        }
    }
    total_row(&mut out, "all", &rows.iter().collect::<Vec<_>>());
    out
}

fn total_row(out: &mut String, label: &str, rows: &[&Row]) {
    let count = |test: &dyn Fn(&Row) -> bool| rows.iter().filter(|r| test(r)).count();
    let sample = count(&|r| r.build_ours.text != "not in the build sample");
    let built = |pick: fn(&Row) -> &Outcome| format!("{} of {sample}", count(&|r| pick(r).ok()));
    let runs: Vec<&super::schemathesis::Findings> = rows
        .iter()
        .filter_map(|r| r.schemathesis.as_ref()?.as_ref().ok())
        .collect();
    let not_run = count(&|r| matches!(r.schemathesis, Some(Err(_))));
    let schemathesis = if runs.is_empty() && not_run == 0 {
        "-".to_owned()
    } else {
        let sum = |pick: fn(&super::schemathesis::Findings) -> usize| {
            runs.iter().map(|f| pick(f)).sum::<usize>()
        };
        let unread = if not_run > 0 {
            format!(" ({not_run} could not be run)")
        } else {
            String::new()
        };
        format!(
            "{} of {}{unread}; {} / {} / {}",
            runs.iter().filter(|f| f.clean()).count(),
            runs.len() + not_run,
            sum(|f| f.failures),
            sum(|f| f.errors),
            sum(|f| f.panics),
        )
    };
    let _ = writeln!(
        out,
        "| {label} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {schemathesis} |",
        rows.len(),
        count(&|r| !r.missing),
        count(&|r| r.lint.ok() && r.lint.count == 0),
        count(&|r| r.generate.ok()),
        count(&|r| r.progenitor.ok()),
        count(&|r| r.generate.ok() && r.progenitor.ok()),
        count(&|r| r.generate.ok() && !r.progenitor.ok()),
        count(&|r| !r.generate.ok() && r.progenitor.ok()),
        built(|r| &r.build_ours),
        built(|r| &r.build_progenitor),
        count(&|r| r.diff.ok()),
        count(&|r| {
            [&r.lint, &r.generate, &r.diff].iter().any(|o| {
                matches!(
                    o.status,
                    Status::Panicked | Status::Crashed | Status::TimedOut
                )
            })
        }),
    );
}

/// The failures of one step grouped by the shape of their first line.
pub fn classes(rows: &[Row], pick: fn(&Row) -> &Outcome) -> String {
    let mut classes: BTreeMap<String, (usize, Vec<&str>)> = BTreeMap::new();
    for row in rows {
        let outcome = pick(row);
        if outcome.ok() || outcome.status == Status::NotRun {
            continue;
        }
        let class = format!(
            "{:?}: {}",
            outcome.status,
            shape(&first_line(&outcome.text))
        );
        let entry = classes.entry(class).or_default();
        entry.0 += 1;
        entry.1.push(&row.entry.id);
    }
    let mut sorted: Vec<_> = classes.into_iter().collect();
    sorted.sort_by(|a, b| b.1.0.cmp(&a.1.0).then_with(|| a.0.cmp(&b.0)));
    let mut out = String::from(
        "| specs | class (first line, names and numbers normalised) | for example |\n|---|---|---|\n",
    );
    for (class, (count, ids)) in sorted {
        let more = if ids.len() > 1 {
            format!(" (+{})", ids.len() - 1)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "| {count} | {} | {}{more} |",
            cell(&class, 200),
            ids[0]
        );
    }
    out
}

/// The first line of `text`; when it only announces a list (ends in `:`),
/// with the list's first line.
pub fn first_line(text: &str) -> String {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let first = lines.next().unwrap_or_default().trim().to_owned();
    match lines.next() {
        Some(next) if first.ends_with(':') => format!("{first} {}", next.trim()),
        _ => first,
    }
}

/// What blocks generation before it starts, in our generator's words.
const LINT_GATE: &str = "the specs must lint clean before anything is generated:";

/// `line` with what varies from spec to spec replaced: quoted text, file
/// locations, JSON data, numbers and CamelCase names. A spec stopped by
/// the lint gate is classed by the rule of its first blocking finding.
pub fn shape(line: &str) -> String {
    if let Some(rest) = line.strip_prefix(LINT_GATE) {
        let rule = rest.split(": ").nth(1).unwrap_or("?");
        return format!("lint gate (first blocking finding): {rule}");
    }
    let mut out = String::new();
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for c in line.chars() {
        let opens = !previous.is_alphanumeric();
        previous = c;
        match quote {
            Some(q) if c == q => {
                quote = None;
                out.push(c);
            }
            Some(_) => {}
            None if opens && matches!(c, '`' | '"' | '\'') => {
                quote = Some(c);
                out.push(c);
                out.push('…');
            }
            None => out.push(c),
        }
    }
    // JSON data quoted in a message (an example, a value) varies too.
    if let Some(at) = out.find(" [").or_else(|| out.find(" {")) {
        out.truncate(at);
        out.push_str(" …");
    }
    out.split(' ').map(shape_word).collect::<Vec<_>>().join(" ")
}

fn shape_word(word: &str) -> String {
    let path_like = word.contains('/') || word.contains(".json") || word.contains(".yaml");
    if path_like {
        let colon = if word.ends_with(':') { ":" } else { "" };
        return format!("<path>{colon}");
    }
    let inner_upper = word
        .trim_matches(|c: char| !c.is_alphanumeric())
        .chars()
        .skip(1)
        .any(|c| c.is_ascii_uppercase());
    let lower = word.chars().any(|c| c.is_ascii_lowercase());
    if inner_upper && lower && !word.contains('[') {
        return "<Name>".into();
    }
    if word.chars().any(|c| c.is_ascii_alphabetic()) {
        return word.to_owned();
    }
    let mut out = String::new();
    for c in word.chars() {
        if c.is_ascii_digit() {
            if !out.ends_with('N') {
                out.push('N');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The row of each spec, by set then id.
pub fn table(rows: &[Row]) -> String {
    let mut sorted: Vec<&Row> = rows.iter().collect();
    sorted.sort_by(|a, b| (&a.entry.set, &a.entry.id).cmp(&(&b.entry.set, &b.entry.id)));
    let mut out = String::from(
        "| id | set | holdout | ops | lint errors (top rules) | ours generate | progenitor generate | ours build | progenitor build | diff (self; breaking edits) | schemathesis on our mock: failures / errors / panics |\n|---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for row in sorted {
        let lint = match row.lint.status {
            Status::Ok if row.lint.count == 0 => "0".to_owned(),
            Status::Ok => format!("{} ({})", row.lint.count, row.lint.text),
            _ => step_cell(&row.lint),
        };
        let schemathesis = match &row.schemathesis {
            None => "-".to_owned(),
            Some(Ok(findings)) => super::schemathesis_cell(findings),
            Some(Err(error)) => format!("not run: {}", first_line(error)),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            row.entry.id,
            row.entry.set,
            if row.entry.holdout { "yes" } else { "" },
            row.entry.operations,
            cell(&lint, 100),
            step_cell(&row.generate),
            step_cell(&row.progenitor),
            step_cell(&row.build_ours),
            step_cell(&row.build_progenitor),
            step_cell(&row.diff),
            cell(&schemathesis, 120),
        );
    }
    out
}

fn step_cell(outcome: &Outcome) -> String {
    let text = first_line(&outcome.text);
    let cell_text = match outcome.status {
        Status::Ok if text.is_empty() => format!("ok {:.1} s", outcome.secs),
        Status::Ok => format!("ok {:.0} s, {text}", outcome.secs),
        Status::NotRun if text == "not in the build sample" => "-".into(),
        Status::NotRun => format!("- ({text})"),
        Status::Failed => format!("no: {text}"),
        Status::Panicked => format!("PANIC: {text}"),
        Status::Crashed => format!("CRASH: {text}"),
        Status::TimedOut => format!("TIMEOUT: {text}"),
    };
    cell(&cell_text, 120)
}

/// `text` fit for a table cell: one line, pipes escaped, at most `max` chars.
fn cell(text: &str, max: usize) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut cut: String = line.chars().take(max).collect();
    if cut.len() < line.len() {
        cut.push('…');
    }
    cut.replace('|', "\\|")
}

/// Time spent in each step, summed over the rows.
pub fn timings(run: &super::run::Run) -> String {
    let rows = &run.rows;
    let sum = |pick: fn(&Row) -> &Outcome| rows.iter().map(|r| pick(r).secs).sum::<f64>();
    let schemathesis: f64 = rows
        .iter()
        .filter_map(|r| r.schemathesis.as_ref()?.as_ref().ok())
        .map(|f| f.secs)
        .sum();
    format!(
        "Wall time: {:.0} s for lint, generate, progenitor and diff on every spec; {:.0} s for the builds. Summed step times: lint {:.0} s, ours generate {:.0} s, progenitor generate {:.0} s, diff {:.0} s, ours build {:.0} s (schemathesis on our mocks {schemathesis:.0} s of it), progenitor build {:.0} s.",
        run.quick_secs,
        run.build_secs,
        sum(|r| &r.lint),
        sum(|r| &r.generate),
        sum(|r| &r.progenitor),
        sum(|r| &r.diff),
        sum(|r| &r.build_ours),
        sum(|r| &r.build_progenitor),
    )
}

/// The whole report: what was run, totals, classes of failure, timings,
/// and the row of each spec.
pub fn document(run: &super::run::Run, command: &str) -> String {
    let rows = &run.rows;
    let built: Vec<&str> = rows
        .iter()
        .filter(|r| r.build_ours.text != "not in the build sample")
        .map(|r| r.entry.id.as_str())
        .collect();
    let built = if built.is_empty() {
        "Nothing was built in this run (`--build none`): the build columns are `-`.".to_owned()
    } else {
        format!(
            "Built: the first {} of the selected specs in the fixed sample order (sha256 of `corpus-22/build-sample:<id>`): {}. The other specs were not built (`-`).",
            built.len(),
            built.join(", ")
        )
    };
    format!(
        "# Corpus run\n\nThe latest full run of `{command}` on the published specs of `corpus/specs/manifest.toml` (issue #22), {} on {}. Each step runs in a process of its own with a deadline; a failure is its first line.\n\n{built}\n\n{}\n\n## Totals\n\n{}\n## Classes of failure: ours generate\n\n{}\n## Classes of failure: progenitor alone generate\n\n{}\n## Classes of failure: ours build\n\n{}\n## Classes of failure: diff (self 0 changes; an operation and a schema member removed, each reported breaking)\n\n{}\n{}## Every spec\n\n{}",
        now(),
        super::super::bench::machine(),
        timings(run),
        totals(rows),
        classes(rows, |r| &r.generate),
        classes(rows, |r| &r.progenitor),
        classes(rows, |r| &r.build_ours),
        classes(rows, |r| &r.diff),
        schemathesis_section(rows),
        table(rows),
    )
}

/// The classes of failure schemathesis finds in our mocks, when it ran.
fn schemathesis_section(rows: &[Row]) -> String {
    let runs: Vec<(&str, &Result<super::schemathesis::Findings, String>)> = rows
        .iter()
        .filter_map(|r| Some((r.entry.id.as_str(), r.schemathesis.as_ref()?)))
        .collect();
    if runs.is_empty() {
        return String::new();
    }
    format!(
        "## Classes of failure: schemathesis\n\nschemathesis `--checks all` (`ignored_auth` excluded: the mock runs without a credential mode, and schemathesis presents a dummy credential for each security scheme) against the generated mock of each spec of the build sample whose crates built, with a fixed seed; a class counts the specs it is found in and schemathesis' count of it summed. Only reported: they fail no run.\n\n{}\n",
        super::schemathesis::classes_table(&runs)
    )
}

/// The date and time, UTC (from `date`; the Unix time without it).
fn now() -> String {
    std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| {
            let secs = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            format!("Unix time {secs}")
        })
}

#[cfg(test)]
mod tests {
    use super::shape;

    #[test]
    fn shapes_hide_what_varies_from_spec_to_spec() {
        assert_eq!(
            shape(
                "the specs must lint clean before anything is generated: a.json:3:7: example-invalid: example does not match"
            ),
            "lint gate (first blocking finding): example-invalid"
        );
        assert_eq!(
            shape(
                "a.json:602:7: generator-support: progenitor cannot generate `GET /v2/{Sid}`: not yet implemented: invalid schema: [1, 2]"
            ),
            "<path>: generator-support: progenitor cannot generate `…`: not yet implemented: invalid schema: …"
        );
        assert_eq!(
            shape("error[E0072]: recursive type `Foo` has infinite size, 12 of 13"),
            "error[E0072]: recursive type `…` has infinite size, N of N"
        );
    }
}
