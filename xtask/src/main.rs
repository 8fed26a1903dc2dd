//! `cargo xtask`: see `cargo xtask --help`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use vendor_bindings::{diff, docs, generate, lint};

#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    about = "This repository's chores; lint, diff, docs and generate are `vendor-bindings` run on its xtask/apis.toml"
)]
struct Cli {
    /// Workspace to work on (default: the one this xtask belongs to).
    #[arg(long, global = true, value_name = "DIR")]
    workspace: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Lint(lint::LintArgs),
    /// Benchmarks: generation speed and scale, wire speed, server and client
    /// overhead, consumer build cost; each against a baseline in the same run.
    Bench {
        /// Skip the two clean consumer builds (minutes on a small machine).
        #[arg(long)]
        skip_build_cost: bool,
        /// Also write the table to BENCH.md.
        #[arg(long)]
        record: bool,
        /// Run only the steps whose name contains this text.
        #[arg(long, value_name = "TEXT")]
        only: Option<String>,
    },
    /// Run the property tests long (release build): thousands of cases
    /// where `cargo test` runs a few hundred.
    Properties {
        /// Cases per property.
        #[arg(long, default_value_t = 5000)]
        cases: u32,
        /// Also write the result to PROPERTIES.md.
        #[arg(long)]
        record: bool,
    },
    /// For profiling `bench`'s rows: write a scratch project holding the
    /// synthetic spec of about OPERATIONS operations, print its directory
    /// (run `bench-scale-worker DIR` on it under a profiler).
    #[command(hide = true)]
    BenchSyntheticProject {
        operations: usize,
    },
    /// Worker of `bench`: generate the scratch project's synthetic spec,
    /// print CPU time, wall time and peak memory.
    #[command(hide = true)]
    BenchScaleWorker {
        scratch: PathBuf,
        /// Generate the client with progenitor alone (the baseline).
        #[arg(long)]
        progenitor: bool,
        /// With `--progenitor`: its builder interface, not its default.
        #[arg(long, requires = "progenitor")]
        builder: bool,
    },
    /// Add an API from a spec written elsewhere: copy it into openapi/ and
    /// list it in xtask/apis.toml (under the `standard` lint ruleset).
    AddApi {
        /// The API's name; its crates are NAME-types, NAME-client, NAME-server.
        name: String,
        /// The spec, YAML or JSON.
        #[arg(long, value_name = "PATH")]
        spec: PathBuf,
    },
    /// Generate and build (clippy -D warnings) every spec of a corpus of
    /// published specs, each as a new API of a scratch workspace.
    Corpus {
        /// The corpus directory (default: ../shared/openapi-corpus).
        // Conflicts with every option of a manifest run (the group of
        // `CorpusManifestArgs`' arguments), which it would otherwise ignore.
        #[arg(long, value_name = "DIR", conflicts_with = "CorpusManifestArgs")]
        dir: Option<PathBuf>,
        /// Specs (file names) known not to build yet; the run fails when
        /// one of them builds (update the list) or another does not.
        #[arg(long, value_name = "FILE")]
        known_failing: Vec<String>,
        #[command(flatten)]
        measured: Box<CorpusManifestArgs>,
        #[command(flatten)]
        schemathesis: SchemathesisArgs,
    },
    /// Random valid specs (#22): write N from a seed, check that each lints
    /// clean, renders and parses, and generate and build each with the
    /// corpus machinery (clippy -D warnings, examples, the mock).
    RandomSpecs {
        /// How many specs.
        #[arg(long, default_value_t = 4)]
        cases: usize,
        /// The seed (the same seed writes the same specs).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where the specs are written and kept (default: a directory
        /// under the system's temporary directory).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Only the in-process check; build nothing.
        #[arg(long)]
        no_build: bool,
    },
    /// Lint's `example-invalid` on every 3.1 document of a corpus manifest
    /// against an independent JSON Schema 2020-12 validator
    /// (python-jsonschema, `corpus/specs/examples_2020_12.py`); the corpus
    /// and its holdout apart.
    #[command(name = "examples-2020-12")]
    Examples2020_12 {
        /// The manifest (corpus/specs/manifest.toml).
        #[arg(
            long,
            value_name = "FILE",
            default_value = "corpus/specs/manifest.toml"
        )]
        manifest: PathBuf,
        /// A Python with `jsonschema` and `PyYAML` (`.ci/run` installs one in
        /// `.ci/venv`).
        #[arg(long, value_name = "PATH", default_value = ".ci/venv/bin/python")]
        python: PathBuf,
        /// Also write the report to corpus/specs/EXAMPLES-2020-12.md.
        #[arg(long)]
        record: bool,
    },
    /// Worker of `corpus --manifest`: one step on one spec, its result as
    /// the last line.
    #[command(hide = true)]
    CorpusWorker {
        #[arg(value_enum)]
        step: xtask::corpus::worker::Step,
        spec: PathBuf,
        /// Where progenitor's client is written.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// The failures of a kept row (`corpus --resume`) explained again by
    /// today's `spec_made` rules: which the spec makes unavoidable (by the
    /// lint rule that names each), and the rest. The failures are as
    /// schemathesis found them when the row was made.
    CorpusExplain {
        /// The spec the row was made from.
        #[arg(long)]
        spec: PathBuf,
        /// The kept row (`<rows>/<id>.json`).
        #[arg(long)]
        row: PathBuf,
    },
    /// A directory of kept rows (`corpus --resume --rows DIR`) summed, each
    /// row's failures explained again by today's `spec_made` rules: the
    /// table `corpus/specs/SCHEMATHESIS.md` reports, the failures the specs
    /// make unavoidable by rule, what is left by spec, and what did not run.
    CorpusSummary {
        /// The manifest whose ids name the rows (`corpus/specs/manifest.toml`).
        #[arg(long, default_value = "corpus/specs/manifest.toml")]
        manifest: PathBuf,
        /// The directory of kept rows.
        #[arg(long)]
        rows: PathBuf,
    },
    Diff(diff::DiffArgs),
    /// Bump each API's crate version by what its spec changes since REV
    /// mean for Rust code, add the changes to each crate's CHANGELOG.md,
    /// and regenerate; or, with --check, fail when a breaking change was
    /// not given its bump (CI).
    Release {
        /// The revision the last release was made from.
        #[arg(long, value_name = "REV", default_value = "HEAD")]
        base: String,
        /// Change nothing; fail when a version bump is missing.
        #[arg(long)]
        check: bool,
    },
    /// The vendor's API reference pages against the specs.
    Docs {
        #[command(subcommand)]
        command: docs::DocsCommand,
    },
    /// Regenerate the crates under crates/ from the specs (after linting
    /// them), with the workspace tests' registry of the APIs.
    Generate {
        /// Write nothing; fail, listing each stale file with a short diff,
        /// when the checked-in output differs from what the specs give
        /// (every API rendered and compared: stamps are never trusted).
        #[arg(long)]
        check: bool,
        /// Regenerate every API, even one unchanged since its stamp
        /// (crates/<name>.generate-stamp).
        #[arg(long, conflicts_with = "check")]
        force: bool,
    },
}

/// `corpus --schemathesis`: schemathesis against each generated mock.
#[derive(Debug, clap::Args)]
struct SchemathesisArgs {
    /// Also run schemathesis against the generated mock of every spec
    /// whose crates build clippy-clean (with --manifest: of the build
    /// sample): its `corpus-mock` built and served on a free loopback
    /// port, then `PATH run SPEC --url http://127.0.0.1:PORT/BASE --checks
    /// all --exclude-checks ignored_auth` with a fixed seed (`ignored_auth`
    /// is left out because the mock runs without a credential mode; a
    /// dummy credential for each security scheme is given to schemathesis
    /// in a schemathesis.toml, so that operations are tested past their
    /// credential check). Failures and errors (schemathesis' counts, by
    /// check) and the mock's panics are reported per spec; the output of
    /// each run is kept in <target>/corpus/schemathesis/. PATH: the
    /// `schemathesis` (or `st`) executable of schemathesis 4.x (CI:
    /// .ci/venv/bin/schemathesis, 4.32.5). A run that cannot start, times
    /// out or prints no summary is an error of that spec, never a pass.
    #[arg(long, value_name = "PATH")]
    schemathesis: Option<PathBuf>,
    /// schemathesis' --max-examples: test cases per operation and phase.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 100,
        requires = "schemathesis"
    )]
    schemathesis_examples: u32,
    /// Seconds one spec's schemathesis run may take, for each started 200
    /// operations of the spec (builds likewise get 15 minutes each).
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = 600,
        requires = "schemathesis"
    )]
    schemathesis_timeout: u64,
    /// Without --manifest: specs (file names) whose mock schemathesis is
    /// known to find failures or errors in that the spec does not explain
    /// (failures the spec makes unavoidable, named by a lint rule, never
    /// fail a run: `corpus::spec_made`). The run fails when another
    /// spec's mock has one, when a listed spec's mock has none left (take
    /// it off the list), and whenever a mock panics or schemathesis cannot
    /// be run. With --manifest, schemathesis' findings are only reported.
    #[arg(
        long,
        value_name = "FILE",
        requires = "schemathesis",
        conflicts_with = "manifest"
    )]
    schemathesis_known_failing: Vec<String>,
}

impl SchemathesisArgs {
    fn options(&self) -> Option<xtask::corpus::schemathesis::Options> {
        let path = self.schemathesis.clone()?;
        // schemathesis runs in the scratch workspace: a relative path is
        // made absolute, a bare name is left to PATH.
        let executable = if path.components().count() > 1 {
            std::path::absolute(&path).unwrap_or(path)
        } else {
            path
        };
        Some(xtask::corpus::schemathesis::Options {
            executable,
            max_examples: self.schemathesis_examples,
            timeout: std::time::Duration::from_secs(self.schemathesis_timeout),
        })
    }
}

/// `corpus --manifest`: the published specs of a manifest, measured.
#[derive(Debug, clap::Args)]
struct CorpusManifestArgs {
    /// Measure the specs of this manifest (corpus/specs/manifest.toml):
    /// lint, generate, progenitor alone, diff, and builds of a sample.
    #[arg(long, value_name = "FILE")]
    manifest: Option<PathBuf>,
    /// Only the specs of this set (3.0 or 3.1).
    #[arg(long, requires = "manifest")]
    set: Option<String>,
    /// The holdout: only it, without it, or both.
    #[arg(long, value_enum, default_value = "all", requires = "manifest")]
    holdout: xtask::corpus::manifest::Holdout,
    /// Build the first N selected specs (fixed sample order), all, or none.
    #[arg(long, default_value = "none", requires = "manifest")]
    build: xtask::corpus::run::Build,
    /// Draw the build sample only from this set (3.0 or 3.1).
    #[arg(long, requires = "manifest")]
    build_set: Option<String>,
    /// Draw the build sample only from this part of the holdout.
    #[arg(long, value_enum, default_value = "all", requires = "manifest")]
    build_holdout: xtask::corpus::manifest::Holdout,
    /// Minutes after which no further build starts (the rest say so).
    #[arg(long, default_value_t = 600, requires = "manifest")]
    build_budget: u64,
    /// Only the first N selected specs of the fixed sample order.
    #[arg(long, value_name = "N", requires = "manifest")]
    sample: Option<usize>,
    /// Only this spec (repeatable).
    #[arg(long, value_name = "ID", requires = "manifest")]
    id: Vec<String>,
    /// Specs measured at once (builds run one at a time).
    #[arg(long, default_value_t = 1, requires = "manifest")]
    jobs: usize,
    /// Seconds a lint, generate, progenitor or diff step may take.
    #[arg(long, default_value_t = 300, requires = "manifest")]
    timeout: u64,
    /// Report missing spec files as rows instead of failing.
    #[arg(long, requires = "manifest")]
    allow_missing: bool,
    /// Also write the report to CORPUS.md.
    #[arg(long, requires = "manifest")]
    record: bool,
    /// Keep each built spec's results in <target>/corpus/rows/, and take
    /// those an earlier run kept for the same spec text, commit and
    /// schemathesis options instead of building again: a run stopped in
    /// its build phase goes on where it stopped. Needs a tree without
    /// uncommitted changes.
    #[arg(long, requires = "manifest")]
    resume: bool,
    /// With --resume: keep the results in DIR instead (`corpus/specs/rows`
    /// keeps a run's rows in the repository, so that a run at one commit
    /// goes on in a later session, from a worktree at that commit).
    #[arg(long, value_name = "DIR", requires = "resume")]
    rows: Option<PathBuf>,
}

/// The short hash of the checked-out commit (empty when git cannot say).
fn short_head(root: &Path) -> String {
    std::process::Command::new("git")
        .current_dir(root)
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .unwrap_or_default()
}

fn run_examples_2020_12(root: &Path, manifest: &Path, python: &Path, record: bool) -> ExitCode {
    use xtask::corpus::{examples_2020_12, manifest as corpus_manifest};
    let manifest = root.join(manifest);
    let entries = match corpus_manifest::read(&manifest) {
        Ok(entries) => entries,
        Err(error) => {
            eprintln!("error: examples-2020-12: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    let script = root.join("corpus/specs/examples_2020_12.py");
    let python = root.join(python);
    let (mut comparisons, mut errors) = (Vec::new(), Vec::new());
    for entry in entries.iter().filter(|e| e.set == "3.1") {
        let file = entry.file(&manifest);
        eprintln!("examples-2020-12: {}", entry.id);
        match examples_2020_12::compare(entry, &file, &python, &script) {
            Ok(comparison) => comparisons.push(comparison),
            Err(error) => errors.push((entry.id.clone(), format!("{error:#}"))),
        }
    }
    let report = format!(
        "# Lint's example-invalid against an independent JSON Schema 2020-12 validator\n\nThe latest `cargo xtask examples-2020-12 --record` (commit {}): every 3.1 document of `corpus/specs/manifest.toml`, its examples validated by this project's lint (`example-invalid`, standard ruleset) and by python-jsonschema's `Draft202012Validator` (formats as annotations) walking the document on its own (`corpus/specs/examples_2020_12.py`). Compared by the JSON Pointer of each example value.\n\n{}",
        short_head(root),
        examples_2020_12::report(&comparisons, &errors)
    );
    print!("{report}");
    if record
        && let Err(error) = std::fs::write(root.join("corpus/specs/EXAMPLES-2020-12.md"), &report)
    {
        eprintln!("error: examples-2020-12: {error}");
        return ExitCode::FAILURE;
    }
    if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn run_manifest(
    root: &Path,
    manifest: &Path,
    args: &CorpusManifestArgs,
    schemathesis: Option<xtask::corpus::schemathesis::Options>,
) -> ExitCode {
    use xtask::corpus::{manifest::Selection, report, run};
    let options = run::Options {
        manifest: manifest.to_owned(),
        selection: Selection {
            set: args.set.clone(),
            holdout: args.holdout,
            ids: args.id.clone(),
            sample: args.sample,
        },
        build: args.build,
        jobs: args.jobs,
        allow_missing: args.allow_missing,
        timeout: std::time::Duration::from_secs(args.timeout),
        build_timeout: xtask::corpus::BUILD_TIMEOUT,
        build_set: args.build_set.clone(),
        build_holdout: args.build_holdout,
        build_budget: std::time::Duration::from_secs(args.build_budget * 60),
        schemathesis,
        resume: args.resume,
        rows: args.rows.clone(),
    };
    let run = match run::run(root, &options) {
        Ok(run) => run,
        Err(error) => {
            eprintln!("error: corpus: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    let command = std::iter::once("cargo xtask".to_owned())
        .chain(std::env::args().skip(1))
        .collect::<Vec<_>>()
        .join(" ");
    let document = report::document(&run, &command);
    println!("{document}");
    if args.record {
        if let Err(error) = std::fs::write(root.join("CORPUS.md"), &document) {
            eprintln!("error: cannot write CORPUS.md: {error}");
            return ExitCode::FAILURE;
        }
        eprintln!("corpus: wrote CORPUS.md");
    }
    ExitCode::SUCCESS
}

// mimalloc: generation allocates many small syntax-tree nodes, where
// glibc's allocator took about a third of the samples (#16).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    vendor_bindings::quiet_generator_panics();
    let root = cli.workspace.unwrap_or_else(xtask::workspace_root);
    match cli.command {
        Command::Lint(args) => lint::run(&xtask::project(&root), &args),
        Command::Generate { check, force } => run_generate(&root, check, force),
        Command::Docs { command } => docs::run(&xtask::project(&root), &command),
        Command::Release { base, check } => run_release(&root, &base, check),
        Command::Diff(args) => diff::run(&xtask::project(&root), &args),
        Command::Corpus {
            dir,
            known_failing,
            measured,
            schemathesis,
        } => match measured.manifest.clone() {
            Some(path) => run_manifest(&root, &path, &measured, schemathesis.options()),
            None => run_corpus(
                &root,
                dir,
                &known_failing,
                schemathesis.options(),
                &schemathesis.schemathesis_known_failing,
            ),
        },
        Command::RandomSpecs {
            cases,
            seed,
            dir,
            no_build,
        } => run_random_specs(&root, cases, seed, dir, !no_build),
        Command::Examples2020_12 {
            manifest,
            python,
            record,
        } => run_examples_2020_12(&root, &manifest, &python, record),
        Command::CorpusExplain { spec, row } => match xtask::corpus::resume::explain(&spec, &row) {
            Ok(report) => {
                print!("{report}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: corpus-explain: {error:#}");
                ExitCode::FAILURE
            }
        },
        Command::CorpusSummary { manifest, rows } => {
            match xtask::corpus::summary::summarize(&root.join(manifest), &root.join(rows)) {
                Ok(report) => {
                    print!("{report}");
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("error: corpus-summary: {error:#}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::CorpusWorker { step, spec, out } => {
            xtask::corpus::worker::run(step, &spec, out.as_deref());
            ExitCode::SUCCESS
        }
        Command::AddApi { name, spec } => match xtask::add_api::add_api(&root, &name, &spec) {
            Ok(added) => {
                println!(
                    "added {} ({})",
                    added.spec.display(),
                    added.crates.join(", ")
                );
                println!("next:");
                println!("  cargo xtask lint {}", added.spec.display());
                println!("  cargo xtask generate");
                println!(
                    "  cargo clippy -p {} --all-targets -- -D warnings",
                    added.crates.join(" -p ")
                );
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: {error:#}");
                ExitCode::FAILURE
            }
        },
        Command::Properties { cases, record } => run_properties(&root, cases, record),
        Command::Bench {
            skip_build_cost,
            record,
            only,
        } => run_bench(&root, skip_build_cost, record, only.as_deref()),
        Command::BenchSyntheticProject { operations } => {
            match xtask::bench::scale::scratch_project(&root, operations) {
                Ok((dir, _)) => {
                    println!("{}", dir.display());
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("error: {error:#}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::BenchScaleWorker {
            scratch,
            progenitor,
            builder,
        } => {
            use xtask::bench::scale::Baseline;
            let run = if progenitor {
                let interface = if builder {
                    Baseline::Builder
                } else {
                    Baseline::Default
                };
                xtask::bench::scale::progenitor_worker(&scratch, interface)
            } else {
                let generator = std::env::current_exe()
                    .ok()
                    .and_then(|exe| generate::executable_identity(&exe));
                xtask::bench::scale::ours_worker(&scratch, generator.as_deref())
            };
            match run {
                Ok(line) => {
                    println!("{line}");
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("error: {error:#}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

fn run_properties(root: &Path, cases: u32, record: bool) -> ExitCode {
    let outcomes = match xtask::properties::run(root, cases) {
        Ok(outcomes) => outcomes,
        Err(error) => {
            eprintln!("error: properties: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    if record {
        let commit = short_head(root);
        let text = xtask::properties::markdown(&outcomes, &commit);
        if let Err(error) = std::fs::write(root.join("PROPERTIES.md"), text) {
            eprintln!("error: cannot write PROPERTIES.md: {error}");
            return ExitCode::FAILURE;
        }
    }
    match xtask::properties::report(&outcomes) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Where the hand-written part of BENCH.md starts.
const NOTES_HEADING: &str = "## Reading the table";

fn run_bench(root: &Path, skip_build_cost: bool, record: bool, only: Option<&str>) -> ExitCode {
    use xtask::bench;
    // `cargo xtask` runs a debug build; what the bench times in-process
    // (row 1) must be the release build users' CI would run.
    if cfg!(debug_assertions) {
        return rerun_in_release(root);
    }
    let mut rows = Vec::new();
    type Step = fn(&Path) -> anyhow::Result<Vec<bench::Row>>;
    let mut steps: Vec<(&str, Step)> = vec![
        ("regeneration", bench::regeneration),
        (
            "skipping unchanged APIs (ten, one changed)",
            bench::skip::ten_apis_one_changed,
        ),
        ("generator scale", bench::scale::rows),
        (
            "lint speed against Redocly CLI and Spectral",
            bench::lint_outside::rows,
        ),
        (
            "lint memory and time at scale against Redocly CLI",
            bench::lint_scale::rows,
        ),
        (
            "wire speed, server and client overhead (release build)",
            bench::runtime,
        ),
    ];
    if !skip_build_cost {
        steps.push((
            "compile cost of the generated code (1,000 operations)",
            bench::compile_cost::rows,
        ));
        steps.push((
            "consumer build cost (two clean builds)",
            bench::consumer_build,
        ));
    }
    if let Some(only) = only {
        steps.retain(|(what, _)| what.contains(only));
    }
    // A failed step is reported, and the rest still run and print.
    let mut failed = false;
    for (what, step) in steps {
        eprintln!("bench: {what}...");
        match step(root) {
            Ok(step_rows) => rows.extend(step_rows),
            Err(error) => {
                eprintln!("error: {what}: {error:#}");
                failed = true;
            }
        }
    }
    let table = bench::table(&rows);
    println!("{table}");
    println!("Machine: {}", bench::machine());
    if record && !failed && only.is_none() {
        // The maintainers' reading of the table (from its heading on) is
        // hand-written and kept.
        let notes = std::fs::read_to_string(root.join("BENCH.md"))
            .ok()
            .and_then(|old| old.find(NOTES_HEADING).map(|at| old[at..].to_owned()))
            .unwrap_or_default();
        let text = format!(
            "# Benchmarks\n\nThe latest `cargo xtask bench --record`. Every ratio compares with a baseline measured in the same run; absolute figures describe only that run (shared, noisy machines).\n\nMachine: {}\n\n{table}\n{notes}",
            bench::machine()
        );
        if let Err(error) = std::fs::write(root.join("BENCH.md"), text) {
            eprintln!("error: cannot write BENCH.md: {error}");
            return ExitCode::FAILURE;
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn run_generate(root: &Path, check: bool, force: bool) -> ExitCode {
    let args = generate::GenerateArgs {
        spec: None,
        name: None,
        out: None,
        runtime_path: None,
        runtime_git: None,
        check,
        force,
    };
    let generator = std::env::current_exe()
        .ok()
        .and_then(|exe| generate::executable_identity(&exe));
    let code = generate::run(
        &xtask::project(root),
        &args,
        generator.as_deref(),
        xtask::add_test_registry,
    );
    if !check && code == ExitCode::SUCCESS {
        print_api_changes(root);
    }
    code
}

fn run_corpus(
    root: &Path,
    dir: Option<PathBuf>,
    known_failing: &[String],
    schemathesis: Option<xtask::corpus::schemathesis::Options>,
    schemathesis_known_failing: &[String],
) -> ExitCode {
    let dir = dir.unwrap_or_else(|| root.join("../shared/openapi-corpus"));
    if !dir.is_dir() {
        eprintln!(
            "corpus: {} is absent (a clone without ../shared); skipping the corpus check",
            dir.display()
        );
        return ExitCode::SUCCESS;
    }
    let specs = match xtask::corpus::specs(&dir) {
        Ok(specs) => specs,
        Err(error) => {
            eprintln!("error: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root.join("target"), PathBuf::from)
        .join("corpus");
    let mut outcomes = Vec::new();
    for spec in &specs {
        eprintln!("corpus: {}", spec.display());
        match xtask::corpus::check(root, spec, &target_dir, schemathesis.as_ref()) {
            Ok(outcome) => outcomes.push(outcome),
            Err(error) => {
                eprintln!("error: {}: {error:#}", spec.display());
                return ExitCode::FAILURE;
            }
        }
    }
    println!("{}", xtask::corpus::table(&outcomes));
    let mut ok = true;
    for outcome in &outcomes {
        let expected_to_fail = known_failing.contains(&outcome.spec);
        match (outcome.passed(), expected_to_fail) {
            (false, false) => {
                eprintln!(
                    "corpus: {} no longer generates, builds clippy-clean and round-trips its examples",
                    outcome.spec
                );
                ok = false;
            }
            (true, true) => {
                eprintln!(
                    "corpus: {} builds now; take it off --known-failing",
                    outcome.spec
                );
                ok = false;
            }
            _ => {}
        }
    }
    let passed = outcomes.iter().filter(|o| o.passed()).count();
    eprintln!(
        "corpus: {passed} of {} specs generate, build clippy-clean and round-trip their examples",
        outcomes.len()
    );
    if schemathesis.is_some() {
        ok &= schemathesis_verdict(&outcomes, schemathesis_known_failing);
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// schemathesis' findings on the mocks: the classes, the totals, and
/// whether they are as known (see `--schemathesis-known-failing`).
fn schemathesis_verdict(outcomes: &[xtask::corpus::Outcome], known_failing: &[String]) -> bool {
    use xtask::corpus::schemathesis;
    let runs: Vec<(&str, &Result<schemathesis::Findings, String>)> = outcomes
        .iter()
        .filter_map(|o| Some((o.spec.as_str(), o.schemathesis.as_ref()?)))
        .collect();
    println!(
        "\nschemathesis against the mocks, by class:\n\n{}",
        schemathesis::classes_table(&runs)
    );
    let mut ok = true;
    let (mut failures, mut errors, mut panics, mut clean, mut secs) = (0, 0, 0, 0, 0.0);
    let (mut spec_made, mut errors_made, mut clean_but_the_spec) = (0, 0, 0);
    for (spec, run) in &runs {
        let known = known_failing.iter().any(|k| k == spec);
        match run {
            Ok(findings) => {
                failures += findings.failures;
                spec_made += findings.failures - findings.unexplained();
                errors += findings.errors;
                errors_made += findings.errors - findings.unexplained_errors();
                panics += findings.panics;
                secs += findings.secs;
                clean += usize::from(findings.clean());
                if findings.panics > 0 {
                    eprintln!(
                        "corpus: schemathesis: the mock of {spec} panics ({}): a generated server must never panic",
                        findings.panics
                    );
                    ok = false;
                } else if findings.clean_but_the_spec() {
                    clean_but_the_spec += 1;
                    if known {
                        eprintln!(
                            "corpus: schemathesis finds nothing in the mock of {spec} now but what its spec makes unavoidable; take it off --schemathesis-known-failing"
                        );
                        ok = false;
                    }
                } else if !known {
                    eprintln!(
                        "corpus: schemathesis: the mock of {spec} has {} ({} failures and {} errors the spec does not explain; see the classes above)",
                        findings.brief(),
                        findings.unexplained(),
                        findings.unexplained_errors()
                    );
                    ok = false;
                }
            }
            Err(error) => {
                eprintln!("corpus: schemathesis on the mock of {spec}: {error}");
                ok = false;
            }
        }
    }
    eprintln!(
        "corpus: schemathesis: {clean} of {} mocks clean, {clean_but_the_spec} clean but for failures and errors their spec makes unavoidable; {failures} failures ({spec_made} of them the spec's, named by a lint rule), {errors} errors ({errors_made} the spec's), {panics} panics in all ({secs:.0} s of schemathesis); failures the spec does not explain and errors fail the run only in specs not listed in --schemathesis-known-failing ({} listed), panics and runs that could not be read in any",
        runs.len(),
        known_failing.len()
    );
    ok
}

fn run_random_specs(
    root: &Path,
    cases: usize,
    seed: u64,
    dir: Option<PathBuf>,
    build: bool,
) -> ExitCode {
    use xtask::random_specs::{Options, class, failure, passed, run};
    let scratch = std::env::temp_dir().join(format!("xtask-random-specs-{seed}"));
    let options = Options {
        cases,
        seed,
        dir: dir.unwrap_or_else(|| scratch.join("specs")),
        build,
        // Its own target directory, removed afterwards: the builds of
        // random crates never touch the workspace's.
        target_dir: scratch.join("target"),
    };
    let (findings, elapsed) = match run(root, &options) {
        Ok(run) => run,
        Err(error) => {
            eprintln!("error: random-specs: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    let outcomes: Vec<&xtask::corpus::Outcome> =
        findings.iter().filter_map(|f| f.corpus.as_ref()).collect();
    if !outcomes.is_empty() {
        println!("{}", xtask::corpus::table_of(&outcomes));
    }
    let mut classes: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for finding in findings.iter().filter(|f| !passed(f)) {
        let why = failure(finding);
        eprintln!("random-specs: {}: {why}", finding.spec.display());
        let name = finding.spec.file_name().unwrap_or_default();
        classes
            .entry(class(&why))
            .or_default()
            .push(name.to_string_lossy().into_owned());
    }
    for (class, specs) in &classes {
        eprintln!(
            "random-specs: {} spec(s): {class} ({})",
            specs.len(),
            specs.join(", ")
        );
    }
    let ok = findings.iter().filter(|f| passed(f)).count();
    eprintln!(
        "random-specs: {ok} of {} specs (seed {seed}) {} in {:.0} s; specs in {}",
        findings.len(),
        if build {
            "lint clean, render, parse, build clippy-clean, round-trip their examples and drive their mock"
        } else {
            "lint clean, render and parse"
        },
        elapsed.as_secs_f64(),
        options.dir.display()
    );
    if ok == findings.len() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// After generating: what each API's spec changes since the last commit
/// mean for its crates (silent outside a git checkout).
fn print_api_changes(root: &Path) {
    let Ok(apis) = xtask::load_apis(root) else {
        return;
    };
    let Ok(reports) = bindings_codegen::diff::diff_against_revision(root, "HEAD", &apis) else {
        return;
    };
    for (spec, changes) in reports {
        if changes.is_empty() {
            continue;
        }
        use bindings_codegen::diff::Level;
        let breaking_on_the_wire = changes
            .iter()
            .filter(|c| c.client == Level::Breaking || c.server == Level::Breaking)
            .count();
        let count = |level| changes.iter().filter(|c| c.rust == level).count();
        eprintln!(
            "generate: {spec} changed since HEAD: {breaking_on_the_wire} breaking on the wire (clients or servers); for Rust code {} breaking, {} compatible, {} documentation (details: cargo xtask diff --base HEAD; versions: cargo xtask release)",
            count(Level::Breaking),
            count(Level::Compatible),
            count(Level::Info),
        );
    }
}

fn run_release(root: &Path, base: &str, check: bool) -> ExitCode {
    if check {
        return match xtask::release::check(root, base) {
            Ok(problems) if problems.is_empty() => {
                eprintln!(
                    "release --check: every breaking spec change since {base} has its version bump"
                );
                ExitCode::SUCCESS
            }
            Ok(problems) => {
                for problem in problems {
                    eprintln!("release --check: {problem}");
                }
                ExitCode::FAILURE
            }
            Err(error) => {
                eprintln!("release --check: {error:#}");
                ExitCode::from(2)
            }
        };
    }
    match xtask::release::release(root, base) {
        Ok(outcomes) => {
            for outcome in &outcomes {
                if outcome.bump == xtask::release::Bump::None {
                    eprintln!(
                        "release: {}: no spec change since {base}; stays {}",
                        outcome.api, outcome.old_version
                    );
                } else {
                    let locks = match outcome.locks.as_slice() {
                        [] => String::new(),
                        locks => format!("; versions in {}", locks.join(", ")),
                    };
                    eprintln!(
                        "release: {}: {} change(s) since {base}, {} bump: {} -> {} (CHANGELOG.md of each crate{locks})",
                        outcome.api,
                        outcome.changes,
                        outcome.bump.name(),
                        outcome.old_version,
                        outcome.new_version
                    );
                }
            }
            run_generate(root, false, false)
        }
        Err(error) => {
            eprintln!("release: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Builds xtask in release mode and runs this same command with it.
fn rerun_in_release(root: &Path) -> ExitCode {
    let built = std::process::Command::new(env!("CARGO"))
        .current_dir(root)
        .args(["build", "--quiet", "--release", "--package", "xtask"])
        .status();
    if !built.is_ok_and(|status| status.success()) {
        eprintln!("bench: cannot build xtask in release mode");
        return ExitCode::FAILURE;
    }
    let exe = xtask::target_dir(root)
        .join("release")
        .join(format!("xtask{}", std::env::consts::EXE_SUFFIX));
    match std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .status()
    {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("bench: cannot run the release build: {error}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::Cli;

    /// Options that only a manifest run reads are refused without
    /// `--manifest`, not ignored (a `--dir` run with `--resume --rows`
    /// kept no rows, in silence).
    #[test]
    fn manifest_options_need_a_manifest() {
        for args in [
            &["xtask", "corpus", "--dir", "d", "--resume"][..],
            &["xtask", "corpus", "--dir", "d", "--build", "all"],
            &["xtask", "corpus", "--resume"],
        ] {
            assert!(Cli::try_parse_from(args).is_err(), "{args:?}");
        }
        let manifest = [
            "xtask",
            "corpus",
            "--manifest",
            "m.toml",
            "--resume",
            "--rows",
            "r",
        ];
        assert!(Cli::try_parse_from(manifest).is_ok());
        assert!(Cli::try_parse_from(["xtask", "corpus", "--dir", "d"]).is_ok());
        let fixtures = ["xtask", "corpus", "--dir", "d", "--schemathesis", "st"];
        assert!(Cli::try_parse_from(fixtures).is_ok());
    }
}
