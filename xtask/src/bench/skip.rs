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

/// Median of 11 alternating runs of each project, after a first `generate`
/// of each that writes every stamp.
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
    let (mut ten_times, mut one_times) = (Vec::new(), Vec::new());
    for run in 0..11 {
        let time = |(dir, apis): &(PathBuf, Vec<ApiConfig>)| -> Result<Duration> {
            let changed = spec.replacen(
                VERSION_LINE,
                &format!("  version: \"2025-09-10-run{run}\""),
                1,
            );
            std::fs::write(dir.join(spec_path(CHANGED)), changed)?;
            let started = Instant::now();
            let skipped = generate_once(dir, apis)?;
            let elapsed = started.elapsed();
            if skipped != apis.len() - 1 {
                bail!("{skipped} of {} APIs skipped, not all but one", apis.len());
            }
            Ok(elapsed)
        };
        if run % 2 == 0 {
            ten_times.push(time(&ten)?);
            one_times.push(time(&one)?);
        } else {
            one_times.push(time(&one)?);
            ten_times.push(time(&ten)?);
        }
    }
    for (dir, _) in [&ten, &one] {
        std::fs::remove_dir_all(dir).ok();
    }
    let spread = |times: &[Duration]| {
        let (min, max) = (times.iter().min(), times.iter().max());
        format!(
            "min {}, max {}",
            ms(min.copied().unwrap_or_default()),
            ms(max.copied().unwrap_or_default())
        )
    };
    let (ten_median, one_median) = (median(ten_times.clone()), median(one_times.clone()));
    let ratio = ten_median.as_secs_f64() / one_median.as_secs_f64();
    Ok(vec![Row {
        name: "1c. generate ten copies of dbss.yaml, one changed (nine skipped by their stamps), vs that one API alone (median of 11 alternating runs)".into(),
        measured: format!("{} ({})", ms(ten_median), spread(&ten_times)),
        baseline: format!("{} one API ({})", ms(one_median), spread(&one_times)),
        ratio,
        target: format!(
            "<= 1.2 ({})",
            if ratio <= 1.2 { "met" } else { "missed" }
        ),
    }])
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
