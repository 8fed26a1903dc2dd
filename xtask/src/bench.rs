//! `cargo xtask bench`: the generator's speed and scale, and (through the
//! `bench` crate, in release mode) wire speed and server and client
//! overhead, and what the generated client costs a consumer to build. Every
//! row is a ratio against a baseline measured in the same run: the machines
//! are shared and noisy, so absolute numbers only describe this run.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};

use bindings_codegen::generate;

pub mod compile_cost;
pub mod lint_outside;
pub mod lint_scale;
pub mod scale;
pub mod skip;
mod tools;

/// One table row.
#[derive(Debug)]
pub struct Row {
    pub name: String,
    pub measured: String,
    pub baseline: String,
    pub ratio: f64,
    pub target: String,
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(time: Duration) -> String {
    format!("{:.1} ms", time.as_secs_f64() * 1e3)
}

/// Row 1, regenerating both specs: `generate --check` and a full `generate`
/// (into a scratch copy), against linting alone, the part every run shares.
pub fn regeneration(root: &Path) -> Result<Vec<Row>> {
    let apis = crate::load_apis(root)?;
    let scratch = scratch_workspace(root)?;
    let (mut lint, mut check, mut write) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..11 {
        let start = Instant::now();
        for api in &apis {
            let findings = openapi_lint::lint_file(&root.join(&api.spec), &api.lint_config()?);
            if !findings.is_empty() {
                bail!("{} does not lint clean", api.spec.display());
            }
        }
        lint.push(start.elapsed());

        let start = Instant::now();
        let output = crate::render(root, &apis)?;
        let stale = generate::check(root, &output);
        check.push(start.elapsed());
        if !stale.is_empty() {
            bail!("the checked-in crates are stale; run `cargo xtask generate` first");
        }

        // A full run that writes: every generated file differs in the scratch copy.
        // (The tests' manifest holds a managed block among hand-written
        // lines: it stays as it is.)
        for path in output
            .generated
            .keys()
            .filter(|path| path.starts_with("crates"))
        {
            std::fs::write(scratch.join(path), "stale")?;
        }
        let start = Instant::now();
        let output = crate::render(&scratch, &apis)?;
        generate::write(&scratch, &output)?;
        write.push(start.elapsed());
    }
    std::fs::remove_dir_all(&scratch).ok();
    let (lint, check, write) = (median(lint), median(check), median(write));
    Ok(vec![
        Row {
            name: "regeneration: --check, both specs".into(),
            measured: ms(check),
            baseline: format!("{} lint only", ms(lint)),
            ratio: check.as_secs_f64() / lint.as_secs_f64(),
            target: format!(
                "< 300 ms ({})",
                if check < Duration::from_millis(300) {
                    "met"
                } else {
                    "missed"
                }
            ),
        },
        Row {
            name: "regeneration: write every file, both specs".into(),
            measured: ms(write),
            baseline: format!("{} lint only", ms(lint)),
            ratio: write.as_secs_f64() / lint.as_secs_f64(),
            target: format!(
                "< 300 ms ({})",
                if write < Duration::from_millis(300) {
                    "met"
                } else {
                    "missed"
                }
            ),
        },
    ])
}

/// A scratch copy of what generation reads and writes.
fn scratch_workspace(root: &Path) -> Result<PathBuf> {
    let scratch = std::env::temp_dir().join(format!("xtask-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    for dir in ["openapi", "crates"] {
        copy_dir(&root.join(dir), &scratch.join(dir))?;
    }
    // The generated test registry and the managed block of the tests'
    // manifest are written too.
    copy_dir(&root.join("tests/src"), &scratch.join("tests/src"))?;
    std::fs::copy(
        root.join("tests/Cargo.toml"),
        scratch.join("tests/Cargo.toml"),
    )?;
    std::fs::create_dir_all(scratch.join("xtask"))?;
    std::fs::copy(
        root.join("xtask/apis.toml"),
        scratch.join("xtask/apis.toml"),
    )?;
    Ok(scratch)
}

/// Copies a directory tree, leaving out `target` directories.
pub(crate) fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            if entry.file_name() != "target" {
                copy_dir(&entry.path(), &target)?;
            }
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Rows 3 to 5: the `bench` crate's rows, built and run in release mode.
/// The server rows need the load generator `wrk`: where it is not on PATH
/// it is installed first (`apt-get install wrk`), and the step fails if
/// that fails; nothing else is measured in its place.
pub fn runtime(root: &Path) -> Result<Vec<Row>> {
    tools::ensure_installed("wrk", "wrk")?;
    let output = Command::new(env!("CARGO"))
        .current_dir(root)
        .args(["run", "--quiet", "--release", "--package", "bench"])
        .output()
        .context("cannot run cargo")?;
    if !output.status.success() {
        bail!(
            "the bench crate failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let [name, measured, baseline, ratio, target] = fields[..] else {
                bail!("unexpected row `{line}`")
            };
            Ok(Row {
                name: name.into(),
                measured: measured.into(),
                baseline: baseline.into(),
                ratio: ratio.parse()?,
                target: target.into(),
            })
        })
        .collect()
}

/// Row 6: a clean build of a consumer of `dbss-client`, against the same client
/// produced by progenitor's `generate_api!` macro from the same spec.
pub fn consumer_build(root: &Path) -> Result<Vec<Row>> {
    let scratch = std::env::temp_dir().join(format!("xtask-build-cost-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let ours = scratch.join("ours");
    let macro_client = scratch.join("macro");
    for dir in [&ours, &macro_client] {
        std::fs::create_dir_all(dir.join("src"))?;
    }
    let client = root.join("crates/dbss-client");
    std::fs::write(
        ours.join("Cargo.toml"),
        format!(
            "[package]\nname = \"ours\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[workspace]\n\n[dependencies]\ndbss-client = {{ path = {:?} }}\n",
            client.display().to_string()
        ),
    )?;
    std::fs::write(
        ours.join("src/main.rs"),
        "fn main() {\n    let client = dbss_client::Client::with_token(\"http://127.0.0.1:1\", \"token\");\n    println!(\"{client:?}\");\n}\n",
    )?;
    std::fs::copy(
        root.join("openapi/dbss.yaml"),
        macro_client.join("dbss.yaml"),
    )?;
    std::fs::write(
        macro_client.join("Cargo.toml"),
        "[package]\nname = \"macro-client\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[workspace]\n\n[dependencies]\n\
         progenitor = \"0.15\"\nprogenitor-client = \"0.15\"\nreqwest = { version = \"0.13\", default-features = false, features = [\"json\", \"query\", \"stream\", \"http2\", \"rustls\"] }\n\
         serde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\nregress = \"0.12\"\nchrono = { version = \"0.4\", features = [\"serde\"] }\n\
         futures = \"0.3\"\nbytes = \"1\"\n",
    )?;
    std::fs::write(
        macro_client.join("src/main.rs"),
        "progenitor::generate_api!(spec = \"dbss.yaml\", interface = Builder);\n\nfn main() {\n    let client = Client::new(\"http://127.0.0.1:1\");\n    println!(\"{}\", client.baseurl());\n}\n",
    )?;
    let build = |dir: &Path| -> Result<(Duration, usize)> {
        let start = Instant::now();
        let output = Command::new(env!("CARGO"))
            .current_dir(dir)
            .args(["build", "--target-dir"])
            .arg(dir.join("target"))
            .output()?;
        if !output.status.success() {
            bail!(
                "building {} failed: {}",
                dir.display(),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let compiled = String::from_utf8_lossy(&output.stderr)
            .lines()
            .filter(|line| line.trim_start().starts_with("Compiling"))
            .count();
        Ok((start.elapsed(), compiled))
    };
    let (ours_time, ours_crates) = build(&ours)?;
    let (macro_time, macro_crates) = build(&macro_client)?;
    let macro_tree = tree_count(&macro_client)?;
    // `cargo tree` of a consumer of each client crate, by its features.
    let mut trees = Vec::new();
    for (api, features) in [
        ("dbss", "default features"),
        ("dbss", "default-features = false, features = [\"rustls\"]"),
        ("obshell", "default features"),
    ] {
        let dir = scratch.join(format!("tree-{api}-{}", trees.len()));
        std::fs::create_dir_all(dir.join("src"))?;
        std::fs::write(dir.join("src/main.rs"), "fn main() {}\n")?;
        let path = root
            .join(format!("crates/{api}-client"))
            .display()
            .to_string();
        let spec = if features == "default features" {
            format!("{{ path = {path:?} }}")
        } else {
            format!("{{ path = {path:?}, {features} }}")
        };
        std::fs::write(
            dir.join("Cargo.toml"),
            format!(
                "[package]\nname = \"tree\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[workspace]\n\n[dependencies]\n{api}-client = {spec}\n"
            ),
        )?;
        trees.push(format!("{api}-client ({features}): {}", tree_count(&dir)?));
    }
    std::fs::remove_dir_all(&scratch).ok();
    let met =
        ours_crates <= macro_crates && ours_time.as_secs_f64() <= 0.8 * macro_time.as_secs_f64();
    Ok(vec![Row {
        name: format!(
            "consumer: clean build of a consumer of dbss-client (default features); `cargo tree` packages: {}",
            trees.join(", ")
        ),
        measured: format!(
            "{:.0} s, {ours_crates} crates compiled",
            ours_time.as_secs_f64()
        ),
        baseline: format!(
            "{:.0} s, {macro_crates} crates compiled ({macro_tree} in `cargo tree`) with progenitor's generate_api!",
            macro_time.as_secs_f64()
        ),
        ratio: ours_time.as_secs_f64() / macro_time.as_secs_f64(),
        target: format!(
            "<= 0.8 and no more crates ({})",
            if met { "met" } else { "missed" }
        ),
    }])
}

/// How many packages `cargo tree` lists for the crate in `dir` (normal and
/// build dependencies, the crate itself included, each once).
fn tree_count(dir: &Path) -> Result<usize> {
    let output = Command::new(env!("CARGO"))
        .current_dir(dir)
        .args([
            "tree",
            "--edges",
            "normal,build",
            "--prefix",
            "none",
            "--no-dedupe",
        ])
        .output()?;
    if !output.status.success() {
        bail!(
            "cargo tree in {} failed: {}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let packages: std::collections::BTreeSet<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| line.trim_end_matches(" (*)").to_owned())
        .filter(|line| !line.is_empty())
        .collect();
    Ok(packages.len())
}

/// Pinned versions of the outside linters, as `.ci/run` installs them.
const OUTSIDE_LINTERS: &[&str] = &["@redocly/cli@2.77.0", "@stoplight/spectral-cli@6.16.3"];

/// Where Redocly CLI and Spectral are, installed into `.ci/tools` (pinned)
/// when missing.
pub(crate) fn install_outside_linters(root: &Path) -> Result<PathBuf> {
    let tools = root.join(".ci/tools/node_modules/.bin");
    if !tools.join("redocly").exists() || !tools.join("spectral").exists() {
        let status = Command::new("npm")
            .current_dir(root)
            .args([
                "install",
                "--no-audit",
                "--no-fund",
                "--no-save",
                "--prefix",
                ".ci/tools",
            ])
            .args(OUTSIDE_LINTERS)
            .stdout(std::process::Stdio::null())
            .status()
            .context("cannot run npm to install Redocly and Spectral")?;
        if !status.success() {
            bail!("npm could not install {OUTSIDE_LINTERS:?}");
        }
    }
    Ok(tools)
}

/// The release build of xtask (built here), as users' CI would run it.
pub(crate) fn release_xtask(root: &Path) -> Result<PathBuf> {
    let status = Command::new(env!("CARGO"))
        .current_dir(root)
        .args(["build", "--quiet", "--release", "--package", "xtask"])
        .status()
        .context("cannot run cargo")?;
    if !status.success() {
        bail!("the release build of xtask failed");
    }
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    Ok(target.join("release/xtask"))
}

/// The table, as Markdown.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| benchmark | measured | baseline (same run) | ratio | target |\n|---|---|---|---|---|\n",
    );
    for row in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.3} | {} |",
            row.name, row.measured, row.baseline, row.ratio, row.target
        );
    }
    out
}

/// What machine the run was on.
pub fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines().find_map(|line| {
                line.strip_prefix("model name")
                    .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned())
            })
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cores} cores, {cpu}")
}
