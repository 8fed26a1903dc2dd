//! Row 2: the generator at scale (10, 100 and 1,000 operations), and against
//! progenitor alone as its users run it (#25 target 1).
//!
//! Each run is a process of its own, so that its peak memory is its own,
//! and each reads the same synthetic spec from a file written beforehand:
//! ours runs what `cargo xtask generate --force` runs (lint, the three
//! crates and the CLI, files written), progenitor runs its README's
//! `build.rs` recipe (`Generator::default()`, `generate_tokens`,
//! `syn::parse2`, `prettyplease::unparse`, the file written).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use serde_json::Value;

use super::Row;

/// The synthetic spec's file in a scratch project.
const SPEC: &str = "openapi/synthetic.json";

/// A synthetic spec of about `operations` operations: `dbss.yaml`'s four
/// repeated under distinct paths, ids and schema names, each copy tagged
/// one of ten tags in turn.
pub fn synthetic_spec(root: &Path, operations: usize) -> Result<Value> {
    const SECTIONS: &[&str] = &["schemas", "parameters", "responses", "examples", "headers"];
    const TITLES: &[&str] = &[
        "TimeRange",
        "Regenerate",
        "StatisticsJobStatus",
        "AuditSummaryStatus",
        "StatisticsType",
    ];
    let text = std::fs::read_to_string(root.join("openapi/dbss.yaml"))?;
    let source = openapi_source::SourceDoc::parse(&text)
        .map_err(|e| anyhow::anyhow!("{}: {}", e.position, e.message))?;
    let mut spec = source.value().clone();
    let original_paths = spec["paths"].as_object().context("paths")?.clone();
    let original_components = spec["components"].clone();
    let copies = operations.div_ceil(original_paths.len().max(1));
    // Copy `k` of everything: components suffixed `C{k}`, and every
    // reference to them (and every inline type's title) renamed alike.
    let rename = |value: &Value, copy: usize| -> Result<Value> {
        let mut text = serde_json::to_string(value)?;
        for section in SECTIONS {
            for name in original_components[*section]
                .as_object()
                .into_iter()
                .flat_map(|m| m.keys())
            {
                text = text.replace(
                    &format!("#/components/{section}/{name}\""),
                    &format!("#/components/{section}/{name}C{copy}\""),
                );
            }
        }
        for title in TITLES {
            text = text.replace(
                &format!("\"title\":\"{title}\""),
                &format!("\"title\":\"{title}C{copy}\""),
            );
        }
        Ok(serde_json::from_str(&text)?)
    };
    let mut paths = serde_json::Map::new();
    let mut components = original_components.clone();
    for section in SECTIONS {
        if let Some(members) = components.get_mut(*section).and_then(Value::as_object_mut) {
            members.clear();
        }
    }
    for copy in 0..copies {
        for (path, item) in &original_paths {
            let mut item = rename(item, copy)?;
            for operation in item
                .as_object_mut()
                .into_iter()
                .flat_map(|item| item.values_mut())
            {
                if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
                    operation["operationId"] = Value::String(format!("{id}_c{copy}"));
                }
                operation["tags"] = serde_json::json!([tag(copy)]);
            }
            paths.insert(format!("/c{copy}{path}"), item);
        }
        for section in SECTIONS {
            for (name, member) in original_components[*section]
                .as_object()
                .into_iter()
                .flatten()
            {
                let renamed = rename(member, copy)?;
                if let Some(members) = components.get_mut(*section).and_then(Value::as_object_mut) {
                    members.insert(format!("{name}C{copy}"), renamed);
                }
            }
        }
    }
    spec["paths"] = Value::Object(paths);
    spec["components"] = components;
    spec["tags"] = (0..TAGS.min(copies))
        .map(|copy| serde_json::json!({ "name": tag(copy) }))
        .collect();
    Ok(spec)
}

/// The synthetic spec's tags: copy `k` of the operations is tagged
/// `Part k mod 10`.
const TAGS: usize = 10;

/// The tag of copy `copy`.
fn tag(copy: usize) -> String {
    format!("Part {}", copy % TAGS)
}

/// A scratch project holding [`synthetic_spec`] of about `operations`
/// operations as JSON, listed in its `xtask/apis.toml`; its directory and
/// the spec's operation count.
pub fn scratch_project(root: &Path, operations: usize) -> Result<(PathBuf, usize)> {
    let spec = synthetic_spec(root, operations)?;
    let count = operation_count(&spec);
    let scratch =
        std::env::temp_dir().join(format!("xtask-scale-{}-{operations}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(scratch.join("openapi"))?;
    std::fs::create_dir_all(scratch.join("xtask"))?;
    std::fs::write(scratch.join(SPEC), serde_json::to_string_pretty(&spec)?)?;
    std::fs::write(
        scratch.join("xtask/apis.toml"),
        format!(
            "[[api]]\nname = \"synthetic\"\nspec = \"{SPEC}\"\ndescription = \"a synthetic API\"\n"
        ),
    )?;
    Ok((scratch, count))
}

/// Our side of a run: `generate --force` in the scratch project (lint, the
/// types, client and server crates and the CLI, every file written);
/// "CPU seconds, wall seconds, peak resident kilobytes".
pub fn ours_worker(scratch: &Path, generator: Option<&str>) -> Result<String> {
    let args = vendor_bindings::generate::GenerateArgs {
        spec: None,
        name: None,
        out: None,
        runtime_path: None,
        runtime_git: None,
        check: false,
        force: true,
    };
    let (cpu_before, started) = (cpu_seconds(), Instant::now());
    let code = vendor_bindings::generate::run(
        &crate::project(scratch),
        &args,
        generator,
        crate::add_test_registry,
    );
    let (cpu, wall) = (cpu_seconds() - cpu_before, started.elapsed().as_secs_f64());
    if code != std::process::ExitCode::SUCCESS {
        bail!("generate failed in {}", scratch.display());
    }
    Ok(format!("{cpu} {wall} {}", peak_kilobytes()))
}

/// The baselines of the generator's rows: progenitor alone, with its
/// default settings as its README's `build.rs` recipe runs it, or with the
/// builder interface our client crate renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Baseline {
    Default,
    Builder,
}

/// A baseline run: progenitor alone, as its README's `build.rs` runs it
/// (with `interface`), on the scratch project's spec (read through a `BufReader`, which the recipe
/// leaves out and which only makes progenitor faster), writing
/// `progenitor/codegen.rs`; "CPU seconds, wall seconds, peak resident
/// kilobytes".
pub fn progenitor_worker(scratch: &Path, interface: Baseline) -> Result<String> {
    let (cpu_before, started) = (cpu_seconds(), Instant::now());
    let file = std::fs::File::open(scratch.join(SPEC))?;
    let spec: openapiv3::OpenAPI = serde_json::from_reader(std::io::BufReader::new(file))?;
    let mut settings = progenitor_impl::GenerationSettings::default();
    if interface == Baseline::Builder {
        settings.with_interface(progenitor_impl::InterfaceStyle::Builder);
    }
    let tokens = progenitor_impl::Generator::new(&settings)
        .generate_tokens(&spec)
        .map_err(|error| anyhow::anyhow!("progenitor: {error}"))?;
    let file: syn::File = syn::parse2(tokens)?;
    let text = prettyplease::unparse(&file);
    std::fs::create_dir_all(scratch.join("progenitor"))?;
    std::fs::write(scratch.join("progenitor/codegen.rs"), text)?;
    let (cpu, wall) = (cpu_seconds() - cpu_before, started.elapsed().as_secs_f64());
    Ok(format!("{cpu} {wall} {}", peak_kilobytes()))
}

/// One run's figures: CPU seconds (all threads), wall seconds, peak
/// resident kilobytes.
#[derive(Debug, Clone, Copy, Default)]
struct Run {
    cpu: f64,
    wall: f64,
    peak_kb: f64,
}

/// Runs a worker process of the release build `exe` on `scratch`: ours
/// (starting from a project with nothing generated), or a baseline.
fn run_worker(exe: &Path, scratch: &Path, baseline: Option<Baseline>) -> Result<Run> {
    let mut command = Command::new(exe);
    command.arg("bench-scale-worker").arg(scratch);
    match baseline {
        None => {
            let _ = std::fs::remove_dir_all(scratch.join("crates"));
        }
        Some(Baseline::Default) => {
            command.arg("--progenitor");
        }
        Some(Baseline::Builder) => {
            command.args(["--progenitor", "--builder"]);
        }
    }
    let output = command.output()?;
    if !output.status.success() {
        bail!(
            "scale worker on {} failed: {}",
            scratch.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let last = text.lines().last().unwrap_or_default();
    let fields: Vec<f64> = last
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    let [cpu, wall, peak_kb] = fields[..] else {
        bail!("unexpected worker output `{last}`")
    };
    Ok(Run { cpu, wall, peak_kb })
}

/// Median, min and max of `ratios`.
fn spread(ratios: &mut [f64]) -> (f64, f64, f64) {
    ratios.sort_by(f64::total_cmp);
    (
        ratios[ratios.len() / 2],
        ratios[0],
        ratios[ratios.len() - 1],
    )
}

/// Rounds of runs against the baselines.
const ROUNDS: usize = 5;

/// Ours against one baseline: the per-round ratios of CPU, wall time and
/// peak memory, and the last round's runs.
#[derive(Debug, Default)]
struct Versus {
    ratios: [Vec<f64>; 3],
    last: (Run, Run),
}

/// Rounds of ours and both baselines on the 1,000-operation project, the
/// order rotating from round to round; ours against each baseline.
fn rounds(exe: &Path, scratch: &Path) -> Result<[Versus; 2]> {
    let order = [None, Some(Baseline::Default), Some(Baseline::Builder)];
    let mut versus: [Versus; 2] = Default::default();
    for round in 0..ROUNDS {
        let mut runs = [Run::default(); 3];
        for turn in 0..order.len() {
            let which = (round + turn) % order.len();
            runs[which] = run_worker(exe, scratch, order[which])?;
        }
        for (against, theirs) in versus.iter_mut().zip(&runs[1..]) {
            let ours = runs[0];
            against.ratios[0].push(ours.cpu / theirs.cpu.max(1e-9));
            against.ratios[1].push(ours.wall / theirs.wall.max(1e-9));
            against.ratios[2].push(ours.peak_kb / theirs.peak_kb.max(1.0));
            against.last = (ours, *theirs);
        }
    }
    Ok(versus)
}

/// Row 2: 10, 100 and 1,000 operations (the ratio is CPU per operation
/// against the smallest spec's: 1.0 is linear), then ours against
/// progenitor alone at 1,000 operations, with its default settings (the
/// target's baseline) and with the builder interface our client renders.
pub fn rows(root: &Path) -> Result<Vec<Row>> {
    let exe = super::release_xtask(root)?;
    let mut scale = Vec::new();
    let mut thousand = None;
    for operations in [10, 100, 1000] {
        let (scratch, count) = scratch_project(root, operations)?;
        scale.push((run_worker(&exe, &scratch, None)?, count as f64));
        if operations == 1000 {
            thousand = Some(scratch);
        } else {
            std::fs::remove_dir_all(&scratch).ok();
        }
    }
    let scratch = thousand.context("no 1,000-operation project")?;
    let versus = rounds(&exe, &scratch)?;
    std::fs::remove_dir_all(&scratch).ok();
    let (base, base_count) = scale[0];
    let per_op_base = base.cpu / base_count;
    let mut rows: Vec<Row> = scale
        .iter()
        .map(|&(run, count)| scale_row(run, count, per_op_base, base_count))
        .collect();
    for (mut against, baseline) in versus.into_iter().zip([
        "its README's build.rs recipe, default settings",
        "the builder interface our client crate renders",
    ]) {
        let (ours, theirs) = against.last;
        let [cpu, wall, memory] = &mut against.ratios;
        let figures = [
            (
                format!("wall time (median of {ROUNDS} rounds)"),
                ours.wall,
                theirs.wall,
                wall,
                "s",
            ),
            (
                format!("CPU, all threads (median of {ROUNDS} rounds)"),
                ours.cpu,
                theirs.cpu,
                cpu,
                "s",
            ),
            (
                format!("peak memory (median of {ROUNDS} rounds)"),
                ours.peak_kb / 1024.0,
                theirs.peak_kb / 1024.0,
                memory,
                "MiB",
            ),
        ];
        for (what, ours, theirs, ratios, unit) in figures {
            rows.push(versus_progenitor(
                baseline,
                &what,
                (ours, theirs, unit),
                spread(ratios),
            ));
        }
    }
    Ok(rows)
}

/// A row of the scale series.
fn scale_row(run: Run, count: f64, per_op_base: f64, base_count: f64) -> Row {
    Row {
        name: format!(
            "generation: a synthetic spec of {count} operations (`generate --force`, release build; ratio: CPU per operation)"
        ),
        measured: format!(
            "{:.2} s CPU, {:.2} s wall, {:.0} MiB peak",
            run.cpu,
            run.wall,
            run.peak_kb / 1024.0
        ),
        baseline: format!(
            "{:.1} ms/operation at {base_count} operations",
            per_op_base * 1e3
        ),
        ratio: (run.cpu / count) / per_op_base,
        target: if count >= 1000.0 {
            format!(
                "~linear; 1,000 operations < 10 s wall ({})",
                if run.wall < 10.0 { "met" } else { "missed" }
            )
        } else {
            "~linear".into()
        },
    }
}

/// The operations of a synthetic spec (every path item holds only
/// operations).
fn operation_count(spec: &Value) -> usize {
    spec["paths"].as_object().map_or(0, |paths| {
        paths
            .values()
            .map(|item| item.as_object().map_or(0, |i| i.len()))
            .sum()
    })
}

/// CPU time (user and system) this process has used, in seconds.
fn cpu_seconds() -> f64 {
    // Fields 14 and 15 of /proc/self/stat, in clock ticks (100 a second
    // on Linux), read after the command name (which may hold spaces); the
    // state letter (field 3) is not a number and drops out, so field N is
    // at index N - 4.
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<f64> = stat
        .rsplit_once(')')
        .map(|(_, rest)| {
            rest.split_whitespace()
                .filter_map(|f| f.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    match (fields.get(10), fields.get(11)) {
        (Some(user), Some(system)) => (user + system) / 100.0,
        _ => 0.0,
    }
}

/// Peak resident memory of this process, in kilobytes.
fn peak_kilobytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    super::lint_scale::peak_kilobytes(&status).unwrap_or(0)
}

/// A row of ours against progenitor alone (run as `baseline` says) at
/// 1,000 operations: the last round's figures, the median ratio with its
/// spread, and the target (0.5x).
fn versus_progenitor(
    baseline: &str,
    what: &str,
    (ours, theirs, unit): (f64, f64, &str),
    (median, min, max): (f64, f64, f64),
) -> Row {
    const TARGET: f64 = 0.5;
    let digits = if unit == "s" { 2 } else { 0 };
    Row {
        name: format!(
            "#25.1 generation: ours vs progenitor alone ({baseline}; a process each), 1,000 operations: {what}"
        ),
        measured: format!("{ours:.digits$} {unit} (last round)"),
        baseline: format!("{theirs:.digits$} {unit} progenitor alone (last round)"),
        ratio: median,
        target: format!(
            "<= {TARGET} ({}); spread {min:.2}-{max:.2}",
            if median <= TARGET { "met" } else { "missed" }
        ),
    }
}
