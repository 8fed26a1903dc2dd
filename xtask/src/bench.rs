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
use serde_json::Value;

use bindings_codegen::generate;

pub mod lint_scale;
pub mod skip;

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
            name: "1a. regenerate --check, both specs".into(),
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
            name: "1b. regenerate and write every file, both specs".into(),
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

/// A synthetic spec of about `operations` operations: `dbss.yaml`'s four
/// repeated under distinct paths, ids and schema names.
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
    Ok(spec)
}

/// The worker behind [`scale`]: generates a synthetic spec in a scratch
/// workspace and reports (seconds, peak resident kilobytes, operations).
pub fn scale_worker(root: &Path, operations: usize) -> Result<String> {
    let spec = synthetic_spec(root, operations)?;
    let count = operation_count(&spec);
    let scratch =
        std::env::temp_dir().join(format!("xtask-scale-{}-{operations}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(scratch.join("openapi"))?;
    std::fs::create_dir_all(scratch.join("xtask"))?;
    // JSON is YAML: the linter's parser reads it and keeps positions.
    std::fs::write(
        scratch.join("openapi/synthetic.yaml"),
        serde_json::to_string_pretty(&spec)?,
    )?;
    std::fs::write(
        scratch.join("xtask/apis.toml"),
        "[[api]]\nname = \"synthetic\"\nspec = \"openapi/synthetic.yaml\"\ndescription = \"a synthetic API\"\n",
    )?;
    let apis = crate::load_apis(&scratch)?;
    let (cpu_before, started) = (cpu_seconds(), Instant::now());
    let output = crate::render(&scratch, &apis)?;
    let (cpu, wall) = (cpu_seconds() - cpu_before, started.elapsed().as_secs_f64());
    std::hint::black_box(&output);
    std::fs::remove_dir_all(&scratch).ok();
    Ok(format!("{cpu} {wall} {} {count}", peak_kilobytes()))
}

/// The baseline of [`scale_worker`]: progenitor alone generating its client
/// (with typify's types) from the same synthetic spec, printed with
/// prettyplease as its `build.rs` recipe does; (CPU seconds, peak resident
/// kilobytes, operations).
pub fn progenitor_worker(root: &Path, operations: usize) -> Result<String> {
    let spec = synthetic_spec(root, operations)?;
    let count = operation_count(&spec);
    let (cpu_before, started) = (cpu_seconds(), Instant::now());
    let spec: openapiv3::OpenAPI = serde_json::from_value(spec)?;
    let mut settings = progenitor_impl::GenerationSettings::default();
    settings.with_interface(progenitor_impl::InterfaceStyle::Builder);
    let tokens = progenitor_impl::Generator::new(&settings)
        .generate_tokens(&spec)
        .map_err(|error| anyhow::anyhow!("progenitor: {error}"))?;
    let file: syn::File = syn::parse2(tokens)?;
    let text = prettyplease::unparse(&file);
    let (cpu, wall) = (cpu_seconds() - cpu_before, started.elapsed().as_secs_f64());
    std::hint::black_box(&text);
    Ok(format!("{cpu} {wall} {} {count}", peak_kilobytes()))
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
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Row 2, generator scale: 10, 100 and 1,000 operations, each in its own
/// process so that peak memory is its own; the ratio is time per operation
/// against the smallest spec's (1.0 is linear).
pub fn scale(root: &Path) -> Result<Vec<Row>> {
    // The generator as a release build, like the other run-time figures.
    let build = Command::new(env!("CARGO"))
        .current_dir(root)
        .args(["build", "--quiet", "--release", "--package", "xtask"])
        .status()?;
    if !build.success() {
        bail!("cannot build xtask in release mode");
    }
    let exe = crate::target_dir(root)
        .join("release")
        .join(format!("xtask{}", std::env::consts::EXE_SUFFIX));
    // (CPU seconds, wall seconds, peak kilobytes, operations)
    let worker = |operations: usize, progenitor: bool| -> Result<(f64, f64, f64, f64)> {
        let mut command = Command::new(&exe);
        command
            .args(["--workspace"])
            .arg(root)
            .args(["bench-scale-worker", &operations.to_string()]);
        if progenitor {
            command.arg("--progenitor");
        }
        let output = command.output()?;
        if !output.status.success() {
            bail!(
                "scale worker ({operations} operations) failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let text = String::from_utf8_lossy(&output.stdout);
        let fields: Vec<f64> = text
            .split_whitespace()
            .filter_map(|f| f.parse().ok())
            .collect();
        let [seconds, wall, peak_kb, count] = fields[..] else {
            bail!("unexpected worker output `{text}`")
        };
        Ok((seconds, wall, peak_kb, count))
    };
    let mut results = Vec::new();
    for operations in [10, 100, 1000] {
        results.push(worker(operations, false)?);
    }
    // Against progenitor alone on the same 1,000-operation spec: pairs in
    // alternating order, each run its own process (its own peak memory).
    let mut cpu_ratios = Vec::new();
    let mut wall_ratios = Vec::new();
    let mut memory_ratios = Vec::new();
    let mut last = ((0.0, 0.0, 0.0, 0.0), (0.0, 0.0, 0.0, 0.0));
    for pair in 0..5 {
        let (ours, theirs) = if pair % 2 == 0 {
            let ours = worker(1000, false)?;
            (ours, worker(1000, true)?)
        } else {
            let theirs = worker(1000, true)?;
            (worker(1000, false)?, theirs)
        };
        cpu_ratios.push(ours.0 / theirs.0.max(1e-9));
        wall_ratios.push(ours.1 / theirs.1.max(1e-9));
        memory_ratios.push(ours.2 / theirs.2.max(1.0));
        last = (ours, theirs);
    }
    let spread = |ratios: &mut Vec<f64>| -> (f64, f64, f64) {
        ratios.sort_by(f64::total_cmp);
        (
            ratios[ratios.len() / 2],
            ratios[0],
            ratios[ratios.len() - 1],
        )
    };
    let (cpu_median, cpu_min, cpu_max) = spread(&mut cpu_ratios);
    let (wall_median, wall_min, wall_max) = spread(&mut wall_ratios);
    let (memory_median, memory_min, memory_max) = spread(&mut memory_ratios);
    let (ours, theirs) = last;
    let (base_seconds, _, _, base_count) = results[0];
    let per_op_base = base_seconds / base_count;
    Ok(results
        .iter()
        .map(|&(seconds, wall, peak_kb, count)| Row {
            name: format!("2. generate a synthetic spec of {count} operations (release build; ratio: CPU per operation)"),
            measured: format!(
                "{seconds:.2} s CPU, {wall:.2} s wall, {:.0} MiB peak",
                peak_kb / 1024.0
            ),
            baseline: format!(
                "{:.1} ms/operation at {base_count} operations",
                per_op_base * 1e3
            ),
            ratio: (seconds / count) / per_op_base,
            target: if count >= 1000.0 {
                format!(
                    "~linear; 1,000 operations < 10 s wall ({})",
                    if wall < 10.0 { "met" } else { "missed" }
                )
            } else {
                "~linear".into()
            },
        })
        .chain([
            versus_progenitor(
                "wall time (median of 5 alternating pairs; ours renders the three crates and lints on threads of their own)",
                format!("{:.2} s", ours.1),
                format!("{:.2} s", theirs.1),
                (wall_median, wall_min, wall_max),
                0.5,
            ),
            versus_progenitor(
                "CPU, all threads (median of 5 alternating pairs)",
                format!("{:.2} s", ours.0),
                format!("{:.2} s", theirs.0),
                (cpu_median, cpu_min, cpu_max),
                0.5,
            ),
            versus_progenitor(
                "peak memory (median of 5 pairs)",
                format!("{:.0} MiB", ours.2 / 1024.0),
                format!("{:.0} MiB", theirs.2 / 1024.0),
                (memory_median, memory_min, memory_max),
                0.25,
            ),
        ])
        .collect())
}

/// A row of ours against progenitor alone at 1,000 operations: the last
/// pair's figures, the median ratio with its spread, and the target.
fn versus_progenitor(
    what: &str,
    ours: String,
    theirs: String,
    (median, min, max): (f64, f64, f64),
    target: f64,
) -> Row {
    Row {
        name: format!("2. generator vs progenitor alone, 1,000 operations: {what}"),
        measured: format!("{ours} (last pair)"),
        baseline: format!("{theirs} progenitor alone (last pair)"),
        ratio: median,
        target: format!(
            "<= {target} ({}); spread {min:.2}-{max:.2}",
            if median <= target { "met" } else { "missed" }
        ),
    }
}

/// Rows 3 to 5: the `bench` crate's rows, built and run in release mode.
pub fn runtime(root: &Path) -> Result<Vec<Row>> {
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
            "6. clean build of a consumer of dbss-client (default features); `cargo tree` packages: {}",
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

/// Row 7: `cargo xtask lint` (release build, one process per run) on the
/// largest spec of `../shared/openapi-corpus`, against Redocly CLI and
/// Spectral on the same file; 5 alternating runs each, median with min and
/// max. The outside tools are installed into `.ci/tools` when missing.
pub fn lint_versus_outside_tools(root: &Path) -> Result<Vec<Row>> {
    let corpus = root.join("../shared/openapi-corpus");
    let largest = std::fs::read_dir(&corpus)
        .with_context(|| format!("no corpus at {}", corpus.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "json" || e == "yaml"))
        .max_by_key(|path| std::fs::metadata(path).map_or(0, |m| m.len()))
        .context("the corpus has no spec")?;
    let tools = install_outside_linters(root)?;
    let ours = release_xtask(root)?;
    let spec = largest.display().to_string();
    let ours = [
        ours.display().to_string(),
        "lint".into(),
        "--ruleset".into(),
        "standard".into(),
        spec.clone(),
    ];
    let redocly = [
        tools.join("redocly").display().to_string(),
        "lint".into(),
        "--config".into(),
        root.join("redocly.yaml").display().to_string(),
        spec.clone(),
    ];
    let spectral = [
        tools.join("spectral").display().to_string(),
        "lint".into(),
        "--ruleset".into(),
        root.join(".spectral.yaml").display().to_string(),
        spec.clone(),
    ];
    let time = |command: &[String]| -> Result<Duration> {
        let started = Instant::now();
        Command::new(&command[0])
            .args(&command[1..])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .with_context(|| format!("cannot run {}", command[0]))?;
        Ok(started.elapsed())
    };
    let (mut ours_times, mut redocly_times, mut spectral_times) =
        (Vec::new(), Vec::new(), Vec::new());
    for pair in 0..5 {
        // Alternate which goes first.
        if pair % 2 == 0 {
            ours_times.push(time(&ours)?);
            redocly_times.push(time(&redocly)?);
            spectral_times.push(time(&spectral)?);
        } else {
            spectral_times.push(time(&spectral)?);
            redocly_times.push(time(&redocly)?);
            ours_times.push(time(&ours)?);
        }
    }
    let spread = |times: &[Duration]| {
        let min = times.iter().min().copied().unwrap_or_default();
        let max = times.iter().max().copied().unwrap_or_default();
        format!(
            "{} (min {}, max {})",
            ms(median(times.to_vec())),
            ms(min),
            ms(max)
        )
    };
    let name = largest
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let ours_median = median(ours_times.clone());
    let target_ok = ours_median < Duration::from_millis(200);
    Ok([
        ("Redocly CLI", &redocly_times),
        ("Spectral", &spectral_times),
    ]
    .into_iter()
    .map(|(tool, times)| Row {
        name: format!("lint `{name}` (largest corpus spec), process, vs {tool}"),
        measured: spread(&ours_times),
        baseline: spread(times),
        ratio: ours_median.as_secs_f64() / median(times.clone()).as_secs_f64(),
        target: format!(
            "< 200 ms and < 1.0 ({})",
            if target_ok && ours_median < median(times.clone()) {
                "met"
            } else {
                "missed"
            }
        ),
    })
    .collect())
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
