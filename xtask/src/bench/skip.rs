//! Row 1c: `generate` in a project of ten APIs of which one changed, against
//! a project of that one API alone (#25: at most 1.2x). Each API is a copy
//! of `openapi/dbss.yaml` under its own name; the changed one gets a new
//! `info.version` every run, which changes its generated code.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};

use bindings_codegen::generate::{self, ApiConfig};

use super::{Row, median, ms};

/// The generator build every run of this row is: one process, one build.
const GENERATOR: &str = "cargo xtask bench";

/// The API whose spec changes every run; the others are `same-1`...
const CHANGED: &str = "changed";

/// The line of `dbss.yaml` a run rewrites.
const VERSION_LINE: &str = "  version: \"2025-09-10\"";

/// Runs of each project in pairs, alternating which goes first.
const PAIRS: usize = 31;

/// The wall and CPU time of one run.
#[derive(Debug, Clone, Copy)]
struct Cost {
    wall: Duration,
    cpu: Duration,
}

/// Wall time and CPU time (all threads), each the median of 31 per-pair
/// ratios (a pair shares the machine's load of the moment), after a first
/// `generate` of each project that writes every stamp; then 31 runs of the
/// ten with nothing changed.
pub fn ten_apis_one_changed(root: &Path) -> Result<Vec<Row>> {
    let spec = std::fs::read_to_string(root.join("openapi/dbss.yaml"))?;
    if !spec.contains(VERSION_LINE) {
        bail!("openapi/dbss.yaml has no line `{VERSION_LINE}` to change");
    }
    let ten = project(root, "ten", &spec, 10)?;
    let one = project(root, "one", &spec, 1)?;
    for (dir, apis) in [&ten, &one] {
        generate_once(dir, apis)?;
    }
    let mut pairs = Vec::new();
    for run in 0..PAIRS {
        pairs.push(if run % 2 == 0 {
            let ten_cost = changed_run(&ten, &spec, run)?;
            (ten_cost, changed_run(&one, &spec, run)?)
        } else {
            let one_cost = changed_run(&one, &spec, run)?;
            (changed_run(&ten, &spec, run)?, one_cost)
        });
    }
    // Nothing changed since the last run: all ten skipped.
    let mut none = Vec::new();
    for _ in 0..PAIRS {
        let (skipped, cost) = timed(|| generate_once(&ten.0, &ten.1))?;
        none.push(cost.wall);
        if skipped != ten.1.len() {
            bail!("{skipped} of {} unchanged APIs skipped", ten.1.len());
        }
    }
    for (dir, _) in [&ten, &one] {
        std::fs::remove_dir_all(dir).ok();
    }
    let one_wall = median(pairs.iter().map(|(_, one)| one.wall).collect());
    let none = median(none);
    let mut rows: Vec<Row> = [
        ("wall time", (|cost: &Cost| cost.wall) as fn(&Cost) -> Duration),
        ("CPU, all threads", |cost: &Cost| cost.cpu),
    ]
    .into_iter()
    .map(|(what, of)| {
        let mut ratios: Vec<f64> = pairs
            .iter()
            .map(|(ten, one)| of(ten).as_secs_f64() / of(one).as_secs_f64())
            .collect();
        ratios.sort_by(f64::total_cmp);
        let ratio = ratios[PAIRS / 2];
        Row {
            name: format!("#25.2 nothing redone: ten copies of dbss.yaml, one changed (nine skipped by their stamps), vs that one API alone: {what} (median of {PAIRS} alternating pairs)"),
            measured: ms(median(pairs.iter().map(|(ten, _)| of(ten)).collect())),
            baseline: format!("{} one API", ms(median(pairs.iter().map(|(_, one)| of(one)).collect()))),
            ratio,
            target: format!(
                "<= 1.2 ({}); middle half of pair ratios {:.2}-{:.2}",
                if ratio <= 1.2 { "met" } else { "missed" },
                ratios[PAIRS / 4],
                ratios[PAIRS * 3 / 4]
            ),
        }
    })
    .collect();
    rows.push(Row {
        name: format!("#25.2 nothing redone: the same ten, none changed (all skipped: stamps read, inputs and generated files hashed), vs regenerating the one API: wall time (median of {PAIRS} runs)"),
        measured: ms(none),
        baseline: format!("{} one API", ms(one_wall)),
        ratio: none.as_secs_f64() / one_wall.as_secs_f64(),
        target: "none (what a run with nothing to do costs)".into(),
    });
    Ok(rows)
}

/// One `generate` of `project` after giving its changed API's spec the
/// version of `run`; checks that every other API was skipped.
fn changed_run((dir, apis): &(PathBuf, Vec<ApiConfig>), spec: &str, run: usize) -> Result<Cost> {
    let changed = spec.replacen(
        VERSION_LINE,
        &format!("  version: \"2025-09-10-run{run}\""),
        1,
    );
    std::fs::write(dir.join(spec_path(CHANGED)), changed)?;
    let (skipped, cost) = timed(|| generate_once(dir, apis))?;
    if skipped != apis.len() - 1 {
        bail!("{skipped} of {} APIs skipped, not all but one", apis.len());
    }
    Ok(cost)
}

/// `work`'s result, and what it cost.
fn timed<T>(work: impl FnOnce() -> Result<T>) -> Result<(T, Cost)> {
    let (cpu, started) = (process_cpu(), Instant::now());
    let result = work()?;
    let cost = Cost {
        wall: started.elapsed(),
        cpu: process_cpu().saturating_sub(cpu),
    };
    Ok((result, cost))
}

/// CPU time of this process, every thread (exited ones too).
#[cfg(target_os = "linux")]
fn process_cpu() -> Duration {
    let now = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    Duration::new(
        u64::try_from(now.tv_sec).unwrap_or(0),
        u32::try_from(now.tv_nsec).unwrap_or(0),
    )
}

/// Elsewhere the CPU row reads zero (the bench reads `/proc` anyway).
#[cfg(not(target_os = "linux"))]
fn process_cpu() -> Duration {
    Duration::ZERO
}

/// `generate` as the command line runs it (stamps honoured, files and
/// stamps written); returns how many APIs were skipped.
fn generate_once(dir: &Path, apis: &[ApiConfig]) -> Result<usize> {
    let output = generate::render_changed(dir, dir, apis, GENERATOR, false)?;
    generate::write(dir, &output)?;
    Ok(output.skipped.len())
}

fn spec_path(name: &str) -> PathBuf {
    PathBuf::from("openapi").join(format!("{name}.yaml"))
}

/// A scratch project holding `count` copies of `spec`: `changed`, then
/// `same-1`... (dbss's own settings but the name and spec, which the
/// generator needs nothing else of).
fn project(root: &Path, name: &str, spec: &str, count: usize) -> Result<(PathBuf, Vec<ApiConfig>)> {
    let dir = std::env::temp_dir().join(format!("xtask-bench-skip-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("openapi"))?;
    let dbss = crate::load_apis(root)?
        .into_iter()
        .find(|api| api.name == "dbss")
        .context("xtask/apis.toml has no API `dbss`")?;
    let apis: Vec<ApiConfig> = (0..count)
        .map(|index| {
            let name = match index {
                0 => CHANGED.to_owned(),
                _ => format!("same-{index}"),
            };
            ApiConfig {
                name: name.clone(),
                spec: spec_path(&name),
                ..dbss.clone()
            }
        })
        .collect();
    for api in &apis {
        std::fs::write(dir.join(&api.spec), spec)?;
    }
    Ok((dir, apis))
}
