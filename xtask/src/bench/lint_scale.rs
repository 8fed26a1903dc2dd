//! Lint at scale: a spec of many trivial operations, linted by the release
//! command line in a process of its own, against Redocly CLI on the same
//! file; wall time and peak resident memory (issue #27: at most 10 KB an
//! operation, 10^5 operations under 1 GB and 20 s).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};

use super::{Row, install_outside_linters, release_xtask};

/// Operations in the spec both tools lint (Redocly takes minutes beyond).
const COMPARED: usize = 20_000;
/// Operations in the spec only ours lints, for the absolute target.
const LARGEST: usize = 100_000;

/// Wall time and peak resident memory (bytes) of one process run.
#[derive(Debug, Clone, Copy)]
struct Run {
    wall: Duration,
    peak: u64,
}

/// The rows: ours against Redocly at 20,000 operations (time and
/// memory), and ours alone at 10^5 against the issue's bounds.
pub fn rows(root: &Path) -> Result<Vec<Row>> {
    let tools = install_outside_linters(root)?;
    let ours = release_xtask(root)?;
    let dir = std::env::temp_dir().join(format!("lint-scale-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = measure(root, &dir, &ours, &tools.join("redocly"));
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn measure(root: &Path, dir: &Path, ours: &Path, redocly: &Path) -> Result<Vec<Row>> {
    let compared = write_spec(dir, COMPARED)?;
    let largest = write_spec(dir, LARGEST)?;
    let ours_run = |spec: &Path| {
        run(Command::new(ours)
            .current_dir(root)
            .args(["lint", "--ruleset", "standard"])
            .arg(spec))
    };
    let redocly_run = |spec: &Path| {
        run(Command::new(redocly)
            .args(["lint", "--config"])
            .arg(root.join("redocly.yaml"))
            .arg(spec))
    };
    // Alternating order, three pairs; medians.
    let (mut mine, mut theirs) = (Vec::new(), Vec::new());
    for pair in 0..3 {
        if pair % 2 == 0 {
            mine.push(ours_run(&compared)?);
            theirs.push(redocly_run(&compared)?);
        } else {
            theirs.push(redocly_run(&compared)?);
            mine.push(ours_run(&compared)?);
        }
    }
    let big = ours_run(&largest)?;
    Ok(vec![
        versus_redocly("wall time", &mine, &theirs, |run| run.wall.as_secs_f64()),
        versus_redocly("peak memory", &mine, &theirs, |run| run.peak as f64),
        absolute(big),
    ])
}

fn versus_redocly(what: &str, mine: &[Run], theirs: &[Run], value: fn(&Run) -> f64) -> Row {
    let median = |runs: &[Run]| {
        let mut values: Vec<f64> = runs.iter().map(value).collect();
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    let ratio = median(mine) / median(theirs).max(f64::MIN_POSITIVE);
    let show = |runs: &[Run]| {
        let run = runs[runs.len() / 2];
        describe(run)
    };
    Row {
        name: format!(
            "lint {COMPARED} trivial operations (JSON), process, vs Redocly CLI: {what} (median of 3 alternating pairs)"
        ),
        measured: show(mine),
        baseline: format!("{} Redocly CLI", show(theirs)),
        ratio,
        target: format!("< 1.0 ({})", if ratio < 1.0 { "met" } else { "missed" }),
    }
}

fn absolute(run: Run) -> Row {
    let per_operation = run.peak / LARGEST as u64;
    let met = per_operation <= 10 * 1024
        && run.peak < 1024 * 1024 * 1024
        && run.wall < Duration::from_secs(20);
    Row {
        name: format!(
            "lint {LARGEST} trivial operations (JSON), process: peak memory per operation"
        ),
        measured: format!("{}, {} bytes per operation", describe(run), per_operation),
        baseline: "10 KiB per operation (issue #27's bound)".into(),
        ratio: per_operation as f64 / (10.0 * 1024.0),
        target: format!(
            "<= 10 KiB per operation, < 1 GiB and < 20 s ({})",
            if met { "met" } else { "missed" }
        ),
    }
}

fn describe(run: Run) -> String {
    format!(
        "{:.2} s, {:.0} MiB peak",
        run.wall.as_secs_f64(),
        run.peak as f64 / (1024.0 * 1024.0)
    )
}

/// A JSON spec of `operations` GET operations, each with one answer.
fn write_spec(dir: &Path, operations: usize) -> Result<PathBuf> {
    let paths: Vec<String> = (0..operations)
        .map(|i| {
            format!(
                r#""/items{i}":{{"get":{{"operationId":"get{i}","responses":{{"200":{{"description":"ok"}}}}}}}}"#
            )
        })
        .collect();
    let text = format!(
        r#"{{"openapi":"3.0.3","info":{{"title":"scale","version":"1"}},"paths":{{{}}}}}"#,
        paths.join(",")
    );
    let path = dir.join(format!("scale-{operations}.json"));
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

/// Runs `command` to its end, sampling its peak resident memory (`VmHWM`,
/// which only grows) every 10 ms; a finding exit status is fine (the lint
/// reports style findings), a crash is not.
fn run(command: &mut Command) -> Result<Run> {
    let started = Instant::now();
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("cannot run {command:?}"))?;
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    let status = loop {
        if let Some(kilobytes) = std::fs::read_to_string(&status_file)
            .ok()
            .as_deref()
            .and_then(peak_kilobytes)
        {
            peak = peak.max(kilobytes * 1024);
        }
        if let Some(status) = child.try_wait()? {
            break status;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    if status.code().is_none_or(|code| code > 1) {
        bail!("{command:?} failed: {status}");
    }
    Ok(Run {
        wall: started.elapsed(),
        peak,
    })
}

/// `VmHWM` (peak resident memory, in kilobytes) of a `/proc/PID/status`.
pub(super) fn peak_kilobytes(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
}
