//! `cargo xtask`: see `cargo xtask --help`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use xtask::generate;
use xtask::lint::{self, Finding};

#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    about = "Maintainer tasks for the vendor API specs and crates"
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
    /// Check OpenAPI 3.0 specs: OpenAPI's own rules (`standard`) or the
    /// project's house rules too (`project`).
    Lint {
        /// Specs to lint (YAML or JSON); every spec in `openapi/` when none
        /// is given.
        specs: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// The ruleset for every spec, instead of each one's `lint-ruleset`
        /// in xtask/apis.toml (`standard` for specs not listed there).
        #[arg(long, value_enum)]
        ruleset: Option<RulesetArg>,
        /// Fail on warnings too.
        #[arg(long)]
        deny_warnings: bool,
    },
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
    /// Worker of `bench`: generate a synthetic spec, print time and peak memory.
    #[command(hide = true)]
    BenchScaleWorker {
        operations: usize,
        /// Generate the client with progenitor alone (the baseline).
        #[arg(long)]
        progenitor: bool,
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
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Specs (file names) known not to build yet; the run fails when
        /// one of them builds (update the list) or another does not.
        #[arg(long, value_name = "FILE")]
        known_failing: Vec<String>,
    },
    /// What changed between two versions of a spec, located in both, and
    /// what it means for wire clients, wire servers and Rust code.
    Diff {
        /// The old and the new spec (or use --base).
        #[arg(num_args = 0..=2, value_name = "SPEC")]
        specs: Vec<PathBuf>,
        /// Compare each API's spec at this git revision with the working tree.
        #[arg(long, value_name = "REV", conflicts_with = "specs")]
        base: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = DiffFormatArg::Text)]
        format: DiffFormatArg,
        /// Exit non-zero when a change is at least this severe for any audience.
        #[arg(long, value_enum)]
        fail_on: Option<FailOn>,
    },
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
        command: DocsCommand,
    },
    /// Regenerate the crates under crates/ from the specs (after linting them).
    Generate {
        /// Write nothing; fail, listing each stale file with a short diff,
        /// when the checked-in output differs from what the specs give.
        #[arg(long)]
        check: bool,
    },
}

#[derive(Debug, Subcommand)]
enum DocsCommand {
    /// Print every disagreement between each page and the operation of the
    /// same method and path in the specs, as `PAGE:LINE: rule: message
    /// (SPEC:LINE:COL)`; exit non-zero when there is one.
    Check {
        /// Pages in Huawei Cloud's or obshell's layout (text).
        #[arg(required = true)]
        pages: Vec<PathBuf>,
        /// Compare with these specs instead of those in xtask/apis.toml.
        #[arg(long, value_name = "SPEC")]
        spec: Vec<PathBuf>,
    },
    /// Print a whole OpenAPI document for one page's operation, to start
    /// a spec (or an operation of one) from.
    Import { page: PathBuf },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// `path:line:col: rule: message`, one finding a line.
    Text,
    /// A JSON array of findings.
    Json,
    /// A SARIF 2.1.0 log, for code scanning.
    Sarif,
    /// GitHub Actions annotations (`::error file=...,line=...::`).
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffFormatArg {
    /// `file:line:col: change-id: message [client .., server .., rust ..]`.
    Text,
    /// A table per spec, for pull requests and changelogs.
    Markdown,
    /// Every change with its locations and classification.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    /// A change that breaks clients, servers or Rust code.
    Breaking,
    /// Any change that is not documentation only.
    Compatible,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RulesetArg {
    /// What OpenAPI 3.0 requires, plus correctness any tool should flag.
    Standard,
    /// Standard plus this project's house rules.
    Project,
}

// mimalloc: generation allocates many small syntax-tree nodes, where
// glibc's allocator took about a third of the samples (#16).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.workspace.unwrap_or_else(xtask::workspace_root);
    match cli.command {
        Command::Lint {
            specs,
            format,
            ruleset,
            deny_warnings,
        } => {
            let ruleset = ruleset.map(|ruleset| match ruleset {
                RulesetArg::Standard => lint::Ruleset::Standard,
                RulesetArg::Project => lint::Ruleset::Project,
            });
            run_lint(&root, specs, format, ruleset, deny_warnings)
        }
        Command::Generate { check } => run_generate(&root, check),
        Command::Docs { command } => run_docs(&root, command),
        Command::Release { base, check } => run_release(&root, &base, check),
        Command::Diff {
            specs,
            base,
            format,
            fail_on,
        } => run_diff(&root, &specs, base.as_deref(), format, fail_on),
        Command::Corpus { dir, known_failing } => run_corpus(&root, dir, &known_failing),
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
        Command::Bench {
            skip_build_cost,
            record,
            only,
        } => run_bench(&root, skip_build_cost, record, only.as_deref()),
        Command::BenchScaleWorker {
            operations,
            progenitor,
        } => {
            let run = if progenitor {
                xtask::bench::progenitor_worker(&root, operations)
            } else {
                xtask::bench::scale_worker(&root, operations)
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
        ("generator scale", bench::scale),
        (
            "lint speed against Redocly CLI and Spectral",
            bench::lint_versus_outside_tools,
        ),
        (
            "wire speed, server and client overhead (release build)",
            bench::runtime,
        ),
    ];
    if !skip_build_cost {
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

fn run_generate(root: &Path, check: bool) -> ExitCode {
    let started = std::time::Instant::now();
    let output = match generate::load_config(root).and_then(|apis| generate::render(root, &apis)) {
        Ok(output) => output,
        Err(error) => {
            eprintln!("error: {error:#}");
            eprintln!("nothing was written");
            return ExitCode::FAILURE;
        }
    };
    if check {
        if root.join(generate::JOURNAL).exists() {
            eprintln!(
                "generate --check: an interrupted `cargo xtask generate` left {}; run `cargo xtask generate` to finish it",
                generate::JOURNAL
            );
            return ExitCode::FAILURE;
        }
        let stale = generate::check(root, &output);
        if stale.is_empty() {
            eprintln!(
                "generate --check: {} generated files up to date ({:.0?})",
                output.generated.len(),
                started.elapsed()
            );
            return ExitCode::SUCCESS;
        }
        for file in &stale {
            println!("stale: {}\n{}", file.path.display(), file.diff);
        }
        eprintln!(
            "generate --check: {} file(s) out of date with their specs; run `cargo xtask generate` and commit the result",
            stale.len()
        );
        return ExitCode::FAILURE;
    }
    match generate::write(root, &output) {
        Ok(written) => {
            for path in &written {
                println!("wrote {}", path.display());
            }
            eprintln!(
                "generate: {} of {} files changed ({:.0?})",
                written.len(),
                output.generated.len() + output.scaffolds.len(),
                started.elapsed()
            );
            print_api_changes(root);
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run_lint(
    root: &Path,
    specs: Vec<PathBuf>,
    format: Format,
    ruleset: Option<lint::Ruleset>,
    deny_warnings: bool,
) -> ExitCode {
    // (as shown in findings, as read)
    let specs: Vec<(PathBuf, PathBuf)> = if specs.is_empty() {
        match xtask::spec_files(root) {
            Ok(found) => found
                .into_iter()
                .map(|path| {
                    (
                        path.strip_prefix(root)
                            .map_or_else(|_| path.clone(), PathBuf::from),
                        path,
                    )
                })
                .collect(),
            Err(error) => {
                eprintln!(
                    "error: cannot list {}: {error}",
                    root.join("openapi").display()
                );
                return ExitCode::FAILURE;
            }
        }
    } else {
        specs.into_iter().map(|path| (path.clone(), path)).collect()
    };
    // Each spec listed in apis.toml is linted as its entry says.
    let apis = generate::load_config(root).unwrap_or_default();
    let configured = |read: &Path| -> Result<lint::LintConfig, String> {
        if let Some(ruleset) = ruleset {
            return Ok(lint::LintConfig::new(ruleset));
        }
        let canonical = read.canonicalize().ok();
        match apis.iter().find(|api| {
            canonical.is_some() && root.join(&api.spec).canonicalize().ok() == canonical
        }) {
            Some(api) => api.lint_config().map_err(|error| format!("{error:#}")),
            None => Ok(lint::LintConfig::default()),
        }
    };
    let mut findings: Vec<Finding> = Vec::new();
    for (shown, read) in &specs {
        let config = match configured(read) {
            Ok(config) => config,
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::FAILURE;
            }
        };
        findings.extend(
            lint::lint_file(read, &config)
                .into_iter()
                .map(|finding| Finding {
                    file: shown.clone(),
                    ..finding
                }),
        );
    }
    let format = match format {
        Format::Text => lint::output::Format::Text,
        Format::Json => lint::output::Format::Json,
        Format::Sarif => lint::output::Format::Sarif,
        Format::Github => lint::output::Format::Github,
    };
    print!("{}", lint::output::render(&findings, format));
    let errors = findings
        .iter()
        .filter(|finding| finding.severity == lint::Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    if findings.is_empty() {
        eprintln!("lint: {} spec(s) clean", specs.len());
    } else {
        eprintln!(
            "lint: {errors} error(s), {warnings} warning(s) in {} spec(s)",
            specs.len()
        );
    }
    if errors > 0 || (deny_warnings && warnings > 0) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn run_corpus(root: &Path, dir: Option<PathBuf>, known_failing: &[String]) -> ExitCode {
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
        match xtask::corpus::check(root, spec, &target_dir) {
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
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn run_diff(
    root: &Path,
    specs: &[PathBuf],
    base: Option<&str>,
    format: DiffFormatArg,
    fail_on: Option<FailOn>,
) -> ExitCode {
    use xtask::diff;
    let reports = match (specs, base) {
        ([old, new], None) => {
            let read = |path: &PathBuf| {
                std::fs::read_to_string(path)
                    .map_err(|error| anyhow::anyhow!("cannot read {}: {error}", path.display()))
            };
            read(old)
                .and_then(|old_text| Ok((old_text, read(new)?)))
                .and_then(|(old_text, new_text)| {
                    diff::diff_texts(
                        &old.display().to_string(),
                        &old_text,
                        &new.display().to_string(),
                        &new_text,
                    )
                })
                .map(|changes| vec![(new.display().to_string(), changes)])
        }
        ([], Some(rev)) => diff::diff_against_revision(root, rev),
        _ => Err(anyhow::anyhow!(
            "give two spec files (OLD NEW), or --base REV to compare every API with a git revision"
        )),
    };
    let reports = match reports {
        Ok(reports) => reports,
        Err(error) => {
            eprintln!("diff: {error:#}");
            return ExitCode::from(2);
        }
    };
    let format = match format {
        DiffFormatArg::Text => diff::Format::Text,
        DiffFormatArg::Markdown => diff::Format::Markdown,
        DiffFormatArg::Json => diff::Format::Json,
    };
    for (title, changes) in &reports {
        print!("{}", diff::render(title, changes, format));
        if format == diff::Format::Json {
            println!();
        }
    }
    let threshold = match fail_on {
        None => return ExitCode::SUCCESS,
        Some(FailOn::Breaking) => diff::Level::Breaking,
        Some(FailOn::Compatible) => diff::Level::Compatible,
    };
    let failing = reports
        .iter()
        .flat_map(|(_, changes)| changes)
        .filter(|change| change.worst() >= threshold)
        .count();
    if failing > 0 {
        eprintln!(
            "diff: {failing} change(s) at or above `{}`",
            threshold.name()
        );
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// After generating: what each API's spec changes since the last commit
/// mean for its crates (silent outside a git checkout).
fn print_api_changes(root: &Path) {
    let Ok(reports) = xtask::diff::diff_against_revision(root, "HEAD") else {
        return;
    };
    for (spec, changes) in reports {
        if changes.is_empty() {
            continue;
        }
        let count = |level| changes.iter().filter(|c| c.rust == level).count();
        eprintln!(
            "generate: {spec} changed since HEAD: for Rust code {} breaking, {} compatible, {} documentation (details: cargo xtask diff --base HEAD; versions: cargo xtask release)",
            count(xtask::diff::Level::Breaking),
            count(xtask::diff::Level::Compatible),
            count(xtask::diff::Level::Info),
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
                    eprintln!(
                        "release: {}: {} change(s) since {base}, {} bump: {} -> {} (CHANGELOG.md of each crate)",
                        outcome.api,
                        outcome.changes,
                        outcome.bump.name(),
                        outcome.old_version,
                        outcome.new_version
                    );
                }
            }
            run_generate(root, false)
        }
        Err(error) => {
            eprintln!("release: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run_docs(root: &std::path::Path, command: DocsCommand) -> ExitCode {
    match command {
        DocsCommand::Check { pages, spec } => {
            let specs = if spec.is_empty() {
                xtask::docs::load_specs(root)
            } else {
                spec.iter()
                    .map(|path| xtask::docs::read_spec(path, &path.to_string_lossy()))
                    .collect()
            };
            let findings = specs.and_then(|specs| xtask::docs::check(&pages, &specs));
            match findings {
                Ok(findings) => {
                    for finding in &findings {
                        println!("{finding}");
                    }
                    if findings.is_empty() {
                        eprintln!("docs: {} page(s) agree with the specs", pages.len());
                        ExitCode::SUCCESS
                    } else {
                        eprintln!(
                            "docs: {} finding(s) in {} page(s)",
                            findings.len(),
                            pages.len()
                        );
                        ExitCode::FAILURE
                    }
                }
                Err(error) => {
                    eprintln!("docs: {error:#}");
                    ExitCode::from(2)
                }
            }
        }
        DocsCommand::Import { page } => {
            let parsed = xtask::docs::read_page(&page).and_then(|text| {
                xtask::docs::page::parse(&text)
                    .map_err(|e| anyhow::anyhow!("{}:{e}", page.display()))
            });
            match parsed {
                Ok(parsed) => {
                    print!("{}", xtask::docs::import(&parsed));
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("docs: {error:#}");
                    ExitCode::from(2)
                }
            }
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
