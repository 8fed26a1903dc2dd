//! Row 3: what the generated code for the 1,000-operation synthetic spec
//! costs to compile (#25 target 3), against progenitor's generated client
//! for the same spec (its README's `build.rs` recipe, default settings).
//!
//! Each crate is compiled as a consumer compiles a dependency: a debug
//! build without incremental compilation, its dependencies already built
//! (a warm-up build first), the crate itself cleaned before each timed
//! build. Peak memory is the largest process of the build (GNU time's
//! maximum resident set size of cargo and the rustc it waits for).

use std::path::Path;
use std::process::Command;

use anyhow::{Context as _, Result, bail};

use super::Row;
use super::scale::{self, Baseline};

/// Timed rounds, alternating which side builds first.
const ROUNDS: usize = 2;

/// One timed build: wall seconds and peak resident kilobytes.
#[derive(Debug, Clone, Copy, Default)]
struct Cost {
    secs: f64,
    peak_kb: f64,
}

/// The builds of one round.
#[derive(Debug, Clone, Copy, Default)]
struct Round {
    /// `synthetic-types` and `synthetic-client`.
    types_client: Cost,
    /// `synthetic-server`, on top of the types crate.
    server: Cost,
    /// progenitor's generated client.
    progenitor: Cost,
    /// `synthetic-types` and `synthetic-client` with one tag of ten on.
    one_tag: Cost,
}

/// The features of a consumer that calls one tag of the ten.
const ONE_TAG: &str = "rustls,tag-part-0";

/// Rows 3a and 3b: our types and client crates, and the three crates,
/// against progenitor's generated client alone.
pub fn rows(root: &Path) -> Result<Vec<Row>> {
    super::tools::ensure_installed("/usr/bin/time", "time")?;
    let scratch = std::env::temp_dir().join(format!("xtask-compile-cost-{}", std::process::id()));
    let (project, _) = scale::scratch_project(root, 1000)?;
    let spec = std::fs::read(project.join("openapi/synthetic.json"))?;
    scale::progenitor_worker(&project, Baseline::Default)?;
    let progenitor_code = std::fs::read(project.join("progenitor/codegen.rs"))?;
    std::fs::remove_dir_all(&project).ok();
    let ours = scratch.join("ours");
    crate::corpus::scratch_workspace(root, &ours, "synthetic", "json", &spec, "a synthetic API")?;
    let apis = crate::load_apis(&ours)?;
    let output = crate::render(&ours, &apis)?;
    bindings_codegen::generate::write(&ours, &output)?;
    let theirs = scratch.join("progenitor");
    std::fs::create_dir_all(theirs.join("src"))?;
    std::fs::write(
        theirs.join("Cargo.toml"),
        crate::corpus::build::PROGENITOR_CRATE,
    )?;
    std::fs::write(theirs.join("src/lib.rs"), progenitor_code)?;
    // Dependencies built once, outside the timed builds.
    cargo_build(&ours, &["-p", "synthetic-server", "-p", "synthetic-client"])?;
    cargo_build(&theirs, &["--lib"])?;
    let mut rounds = Vec::new();
    for round in 0..ROUNDS {
        let mut this = Round::default();
        if round % 2 == 1 {
            this.progenitor = progenitor_build(&theirs)?;
        }
        clean(
            &ours,
            &["synthetic-types", "synthetic-client", "synthetic-server"],
        )?;
        this.types_client = cargo_build(&ours, &["-p", "synthetic-client"])?;
        this.server = cargo_build(&ours, &["-p", "synthetic-server"])?;
        clean(&ours, &["synthetic-types", "synthetic-client"])?;
        this.one_tag = cargo_build(
            &ours,
            &[
                "-p",
                "synthetic-client",
                "--no-default-features",
                "--features",
                ONE_TAG,
            ],
        )?;
        if round % 2 == 0 {
            this.progenitor = progenitor_build(&theirs)?;
        }
        rounds.push(this);
    }
    let sizes = sizes(&ours, &theirs)?;
    std::fs::remove_dir_all(&scratch).ok();
    let mut rows = table(&rounds, &sizes);
    rows.extend(one_tag_rows(&rounds));
    Ok(rows)
}

/// A timed build of progenitor's client crate, cleaned first.
fn progenitor_build(dir: &Path) -> Result<Cost> {
    clean(dir, &["progenitor-corpus-client"])?;
    cargo_build(dir, &["--lib"])
}

/// `cargo clean -p` each of `packages` in the workspace at `dir`.
fn clean(dir: &Path, packages: &[&str]) -> Result<()> {
    let mut command = Command::new(env!("CARGO"));
    command.current_dir(dir).arg("clean").arg("--quiet");
    for package in packages {
        command.args(["-p", package]);
    }
    let status = command
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .status()?;
    if !status.success() {
        bail!("cargo clean in {} failed", dir.display());
    }
    Ok(())
}

/// `cargo build ARGS` in `dir` (its own target directory, no incremental
/// compilation) under GNU time.
fn cargo_build(dir: &Path, args: &[&str]) -> Result<Cost> {
    let output = Command::new("/usr/bin/time")
        .args(["--format", "compile-cost %e %M", "--"])
        .arg(env!("CARGO"))
        .args(["build", "--quiet"])
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .context("cannot run /usr/bin/time")?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        bail!("cargo build {args:?} in {} failed: {stderr}", dir.display());
    }
    let fields: Vec<f64> = stderr
        .lines()
        .rev()
        .find_map(|line| line.strip_prefix("compile-cost "))
        .context("GNU time printed no figures")?
        .split_whitespace()
        .filter_map(|field| field.parse().ok())
        .collect();
    let [secs, peak_kb] = fields[..] else {
        bail!("unexpected figures from GNU time: {stderr}")
    };
    Ok(Cost { secs, peak_kb })
}

/// The generated sources' sizes in bytes: ours (types, client, server)
/// and progenitor's client.
fn sizes(ours: &Path, theirs: &Path) -> Result<[u64; 4]> {
    let mut sizes = [0; 4];
    for (size, dir) in sizes.iter_mut().zip([
        ours.join("crates/synthetic-types/src"),
        ours.join("crates/synthetic-client/src"),
        ours.join("crates/synthetic-server/src"),
        theirs.join("src"),
    ]) {
        *size = tree_size(&dir)?;
    }
    Ok(sizes)
}

/// The bytes of the files under `dir`.
fn tree_size(dir: &Path) -> Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        total += if entry.file_type()?.is_dir() {
            tree_size(&entry.path())?
        } else {
            entry.metadata()?.len()
        };
    }
    Ok(total)
}

/// How a row reads a build's cost: what it is called, the figure, its
/// unit, and the scale from the figure to the unit.
struct Figure {
    what: &'static str,
    of: fn(Cost) -> f64,
    unit: &'static str,
    scale: f64,
}

const FIGURES: [Figure; 2] = [
    Figure {
        what: "time",
        of: |cost| cost.secs,
        unit: "s",
        scale: 1.0,
    },
    Figure {
        what: "peak memory (largest process)",
        of: |cost| cost.peak_kb,
        unit: "MiB",
        scale: 1.0 / 1024.0,
    },
];

/// The builds a row compares, each read from a round.
type Side<'a> = &'a dyn Fn(&Round) -> Cost;

/// A row of `ours` against `theirs` (called `baseline`): the last round's
/// figures, the median of the rounds' ratios with their spread, the target.
fn row(
    name: &str,
    rounds: &[Round],
    (ours, theirs): (Side<'_>, Side<'_>),
    baseline: &str,
    figure: &Figure,
    target: f64,
) -> Row {
    let of = |side: Side<'_>, round: &Round| (figure.of)(side(round));
    let mut ratios: Vec<f64> = rounds
        .iter()
        .map(|round| of(ours, round) / of(theirs, round).max(1e-9))
        .collect();
    ratios.sort_by(f64::total_cmp);
    let median = ratios[ratios.len() / 2];
    let last = rounds.last().copied().unwrap_or_default();
    let unit = figure.unit;
    Row {
        name: format!("{name}: {}", figure.what),
        measured: format!("{:.0} {unit} (last round)", of(ours, &last) * figure.scale),
        baseline: format!(
            "{:.0} {unit} {baseline} (last round)",
            of(theirs, &last) * figure.scale
        ),
        ratio: median,
        target: format!(
            "<= {target} ({}); spread {:.2}-{:.2} over {} rounds",
            if median <= target { "met" } else { "missed" },
            ratios[0],
            ratios[ratios.len() - 1],
            rounds.len()
        ),
    }
}

/// Row 3c: types + client with one tag of ten on, against the whole of
/// them (target 0.25x), time and peak memory.
fn one_tag_rows(rounds: &[Round]) -> Vec<Row> {
    let name = "#25.3 compile cost: types + client with one tag of ten (`default-features = false, features = [\"rustls\", \"tag-part-0\"]`), 1,000-operation synthetic spec";
    let sides: (Side<'_>, Side<'_>) = (&|round| round.one_tag, &|round| round.types_client);
    FIGURES
        .iter()
        .map(|figure| {
            row(
                name,
                rounds,
                sides,
                "every tag, default features",
                figure,
                0.25,
            )
        })
        .collect()
}

/// Rows 3a (types + client, target 0.6x) and 3b (the three crates, target
/// 1.0x), time and peak memory each, medians of the rounds' ratios.
fn table(rounds: &[Round], sizes: &[u64; 4]) -> Vec<Row> {
    let mb = |bytes: u64| bytes as f64 / 1e6;
    let sources = format!(
        "generated sources: types {:.1} MB, client {:.1} MB, server {:.1} MB; progenitor's client {:.1} MB",
        mb(sizes[0]),
        mb(sizes[1]),
        mb(sizes[2]),
        mb(sizes[3])
    );
    let types_client = |round: &Round| round.types_client;
    let all = |round: &Round| Cost {
        secs: round.types_client.secs + round.server.secs,
        peak_kb: round.types_client.peak_kb.max(round.server.peak_kb),
    };
    let progenitor = |round: &Round| round.progenitor;
    let mut rows = Vec::new();
    for (label, ours, target) in [
        (
            "#25.3 compile cost: types + client",
            &types_client as Side<'_>,
            0.6,
        ),
        ("#25.3 compile cost: types + client + server", &all, 1.0),
    ] {
        let name = format!(
            "{label}, 1,000-operation synthetic spec, debug, dependencies built, no incremental ({sources})"
        );
        for figure in &FIGURES {
            rows.push(row(
                &name,
                rounds,
                (ours, &progenitor),
                "progenitor's generated client",
                figure,
                target,
            ));
        }
    }
    rows
}
