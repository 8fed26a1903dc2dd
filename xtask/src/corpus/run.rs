//! `cargo xtask corpus --manifest`: every selected spec of the manifest
//! through lint, our generator, progenitor alone and diff, each step in a
//! process of its own with a deadline; then the build sample through
//! clippy (ours) and `cargo build` (progenitor's client).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use serde_json::Value;

use super::child;
use super::manifest::{self, Entry, Selection};
use super::worker::{self, Step};

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Status {
    Ok,
    Failed,
    Panicked,
    Crashed,
    TimedOut,
    NotRun,
}

/// One step's result: its status, what it said, a count (lint errors,
/// diff changes) and its time.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Outcome {
    pub status: Status,
    pub text: String,
    pub count: usize,
    pub secs: f64,
}

impl Outcome {
    pub fn not_run(why: &str) -> Self {
        Outcome::new(Status::NotRun, why.into())
    }

    fn new(status: Status, text: String) -> Self {
        Outcome {
            status,
            text,
            count: 0,
            secs: 0.0,
        }
    }

    pub fn ok(&self) -> bool {
        self.status == Status::Ok
    }
}

/// One spec of the run.
#[derive(Debug, Clone)]
pub struct Row {
    pub entry: Entry,
    pub missing: bool,
    pub lint: Outcome,
    pub generate: Outcome,
    pub progenitor: Outcome,
    pub diff: Outcome,
    pub build_ours: Outcome,
    pub build_progenitor: Outcome,
    /// schemathesis against our mock, when asked for and our crates built.
    pub schemathesis: Option<std::result::Result<super::schemathesis::Findings, String>>,
}

/// How many of the selected specs are built (in the fixed sample order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Build {
    None,
    All,
    First(usize),
}

impl std::str::FromStr for Build {
    type Err = String;
    fn from_str(text: &str) -> std::result::Result<Self, String> {
        match text {
            "none" => Ok(Build::None),
            "all" => Ok(Build::All),
            n => n
                .parse()
                .map(Build::First)
                .map_err(|_| format!("--build takes N, all or none, not {n:?}")),
        }
    }
}

/// What a manifest run does.
#[derive(Debug, Clone)]
pub struct Options {
    pub manifest: PathBuf,
    pub selection: Selection,
    pub build: Build,
    pub jobs: usize,
    pub allow_missing: bool,
    pub timeout: Duration,
    pub build_timeout: Duration,
    /// The build sample is drawn only from the selected specs of this set.
    pub build_set: Option<String>,
    /// ... and of this part of the holdout.
    pub build_holdout: manifest::Holdout,
    /// No build starts after this much time in the build phase.
    pub build_budget: Duration,
    /// schemathesis against the mock of each spec of the build sample.
    pub schemathesis: Option<super::schemathesis::Options>,
    /// Keep each built spec's results, and take those kept by an earlier
    /// run at the same commit ([`super::resume`]).
    pub resume: bool,
    /// Where the kept results are (default `<target>/corpus/rows`).
    pub rows: Option<std::path::PathBuf>,
}

/// A run: its rows (in the fixed sample order) and the wall time of its
/// two phases.
#[derive(Debug)]
pub struct Run {
    pub rows: Vec<Row>,
    pub quick_secs: f64,
    pub build_secs: f64,
}

/// The run: every selected spec's row, in the fixed sample order.
pub fn run(root: &Path, options: &Options) -> Result<Run> {
    let entries = manifest::select(manifest::read(&options.manifest)?, &options.selection);
    let missing: Vec<&str> = entries
        .iter()
        .filter(|e| !e.file(&options.manifest).is_file())
        .map(|e| e.id.as_str())
        .collect();
    if !missing.is_empty() && !options.allow_missing {
        bail!(
            "{} of {} selected spec files are missing under {} (run `python3 corpus/specs/sync.py` after fetching the repositories it lists; or pass --allow-missing to report them as rows): {}",
            missing.len(),
            entries.len(),
            entries[0]
                .file(&options.manifest)
                .parent()
                .unwrap_or(Path::new(""))
                .display(),
            missing.join(", ")
        );
    }
    let sample = build_sample(options, &entries);
    let store = if options.resume {
        let decides = format!("{:?} {:?}", options.schemathesis, options.build_timeout);
        Some(super::resume::Store::open(
            root,
            decides,
            options.rows.as_deref(),
        )?)
    } else {
        None
    };
    let out_dir = crate::target_dir(root).join("corpus-progenitor-out");
    std::fs::create_dir_all(&out_dir)?;
    let started = Instant::now();
    let mut rows = quick_steps(options, &entries, &sample, &out_dir);
    let quick_secs = started.elapsed().as_secs_f64();
    let started = Instant::now();
    for (done, row) in rows
        .iter_mut()
        .filter(|r| sample.contains(&r.entry.id))
        .enumerate()
    {
        let spec = row.entry.file(&options.manifest);
        if let Some(built) = store.as_ref().and_then(|s| s.load(&row.entry.id, &spec)) {
            eprintln!(
                "corpus: build {}/{}: {}: kept from an earlier run",
                done + 1,
                sample.len(),
                row.entry.id
            );
            (row.build_ours, row.build_progenitor, row.schemathesis) =
                (built.build_ours, built.build_progenitor, built.schemathesis);
            continue;
        }
        if started.elapsed() > options.build_budget {
            row.build_ours = Outcome::not_run("not built: the build budget was spent");
            row.build_progenitor = row.build_ours.clone();
            continue;
        }
        eprintln!(
            "corpus: build {}/{}: {}",
            done + 1,
            sample.len(),
            row.entry.id
        );
        build(root, options, row, &out_dir);
        if let Some(store) = &store {
            let built = super::resume::Built {
                build_ours: row.build_ours.clone(),
                build_progenitor: row.build_progenitor.clone(),
                schemathesis: row.schemathesis.clone(),
            };
            if let Err(error) = store.save(&row.entry.id, &spec, &built) {
                eprintln!(
                    "corpus: cannot keep the results of {}: {error:#}",
                    row.entry.id
                );
            }
        }
        match &row.schemathesis {
            Some(Ok(findings)) => eprintln!(
                "corpus: schemathesis on the mock of {}: {} ({:.0} s)",
                row.entry.id,
                findings.brief(),
                findings.secs
            ),
            Some(Err(error)) => eprintln!(
                "corpus: schemathesis on the mock of {}: not run: {}",
                row.entry.id,
                super::report::first_line(error)
            ),
            None => {}
        }
    }
    Ok(Run {
        rows,
        quick_secs,
        build_secs: started.elapsed().as_secs_f64(),
    })
}

/// The ids of the build sample: the first N selected specs (fixed sample
/// order) of the build set and holdout part.
fn build_sample(options: &Options, entries: &[Entry]) -> Vec<String> {
    let eligible = entries
        .iter()
        .filter(|e| options.build_set.as_ref().is_none_or(|set| &e.set == set))
        .filter(|e| match options.build_holdout {
            manifest::Holdout::Only => e.holdout,
            manifest::Holdout::Exclude => !e.holdout,
            manifest::Holdout::All => true,
        })
        .map(|e| e.id.clone());
    match options.build {
        Build::None => Vec::new(),
        Build::All => eligible.collect(),
        Build::First(n) => eligible.take(n).collect(),
    }
}

/// Lint, generate, progenitor and diff on every entry, `jobs` specs at once.
fn quick_steps(options: &Options, entries: &[Entry], sample: &[String], out: &Path) -> Vec<Row> {
    let next = AtomicUsize::new(0);
    let rows = Mutex::new(vec![None; entries.len()]);
    std::thread::scope(|scope| {
        for _ in 0..options.jobs.max(1) {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(entry) = entries.get(index) else {
                        break;
                    };
                    let progenitor_out = sample
                        .contains(&entry.id)
                        .then(|| out.join(format!("{}.rs", entry.id)));
                    let row = quick_row(options, entry, progenitor_out.as_deref());
                    eprintln!(
                        "corpus: {}/{} {}: lint {} errors; ours {}; progenitor {}; diff {}",
                        index + 1,
                        entries.len(),
                        entry.id,
                        row.lint.count,
                        brief(&row.generate),
                        brief(&row.progenitor),
                        brief(&row.diff)
                    );
                    if let Ok(mut rows) = rows.lock() {
                        rows[index] = Some(row);
                    }
                }
            });
        }
    });
    rows.into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect()
}

fn brief(outcome: &Outcome) -> String {
    format!("{:?} ({:.1} s)", outcome.status, outcome.secs)
}

fn quick_row(options: &Options, entry: &Entry, progenitor_out: Option<&Path>) -> Row {
    let spec = entry.file(&options.manifest);
    let missing = !spec.is_file();
    let step = |step: Step, out: Option<&Path>| {
        if missing {
            Outcome::not_run("file missing (run corpus/specs/sync.py)")
        } else {
            run_step(step, &spec, out, options.timeout)
        }
    };
    Row {
        entry: entry.clone(),
        missing,
        lint: step(Step::Lint, None),
        generate: step(Step::Generate, None),
        progenitor: step(Step::Progenitor, progenitor_out),
        diff: step(Step::Diff, None),
        build_ours: Outcome::not_run("not in the build sample"),
        build_progenitor: Outcome::not_run("not in the build sample"),
        schemathesis: None,
    }
}

/// Runs one step in a `corpus-worker` process and reads its result.
fn run_step(step: Step, spec: &Path, out: Option<&Path>, timeout: Duration) -> Outcome {
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(error) => return Outcome::new(Status::Crashed, format!("no worker: {error}")),
    };
    let mut command = Command::new(exe);
    command.arg("corpus-worker").arg(step_name(step)).arg(spec);
    if let Some(out) = out {
        command.arg("--out").arg(out);
    }
    match child::run(command, timeout) {
        Ok(finished) => {
            let mut outcome = read_result(step, &finished);
            outcome.secs = finished.secs;
            outcome
        }
        Err(error) => Outcome::new(Status::Crashed, format!("cannot run the worker: {error:#}")),
    }
}

fn step_name(step: Step) -> &'static str {
    match step {
        Step::Lint => "lint",
        Step::Generate => "generate",
        Step::Diff => "diff",
        Step::Progenitor => "progenitor",
    }
}

fn read_result(step: Step, finished: &child::Finished) -> Outcome {
    let result = finished
        .stdout
        .lines()
        .rev()
        .find_map(|line| line.strip_prefix(worker::RESULT))
        .and_then(|json| serde_json::from_str::<Value>(json).ok());
    let Some(result) = result else {
        let status = match finished.ended {
            child::Ended::TimedOut => Status::TimedOut,
            child::Ended::Exited(_) => Status::Crashed,
        };
        let last = finished.stderr.lines().rev().find(|l| !l.trim().is_empty());
        return Outcome::new(
            status,
            format!("{}: {}", finished.how(), last.unwrap_or("")),
        );
    };
    let text = |key: &str| result.get(key).and_then(Value::as_str).map(str::to_owned);
    let number = |key: &str| result.get(key).and_then(Value::as_u64).unwrap_or(0) as usize;
    if let Some(message) = text("panic") {
        return Outcome::new(Status::Panicked, message);
    }
    if let Some(message) = text("error") {
        return Outcome::new(Status::Failed, message);
    }
    match step {
        Step::Lint => {
            let top = text("top").unwrap_or_default();
            let mut outcome = Outcome::new(Status::Ok, top);
            outcome.count = number("errors");
            outcome
        }
        Step::Diff if number("changes") > 0 => {
            let mut outcome = Outcome::new(
                Status::Failed,
                format!(
                    "{} changes: {}",
                    number("changes"),
                    text("first").unwrap_or_default()
                ),
            );
            outcome.count = number("changes");
            outcome
        }
        _ => Outcome::new(Status::Ok, String::new()),
    }
}

/// The two builds of a row of the sample, each only when its generation
/// succeeded.
fn build(root: &Path, options: &Options, row: &mut Row, out_dir: &Path) {
    let spec = row.entry.file(&options.manifest);
    (row.build_ours, row.schemathesis) = if row.generate.ok() {
        super::build::ours(root, &spec, options.schemathesis.as_ref())
    } else {
        (Outcome::not_run("not generated"), None)
    };
    let code = out_dir.join(format!("{}.rs", row.entry.id));
    row.build_progenitor = if row.progenitor.ok() && code.is_file() {
        super::build::progenitor(root, &code, options.build_timeout)
    } else {
        Outcome::not_run("not generated")
    };
}

pub(super) fn outcome(status: Status, text: String, secs: f64) -> Outcome {
    Outcome {
        secs,
        ..Outcome::new(status, text)
    }
}
