//! Random valid OpenAPI 3.0 specs (#22): a proptest strategy ([`spec`]),
//! the invariant every one of them must keep ([`check`]: it lints clean,
//! the generator renders it, every Rust file it emits parses), and `cargo
//! xtask random-specs`, which writes a seeded sample and runs the corpus
//! machinery on it (generated, built with clippy `-D warnings`, examples
//! round-tripped, the mock driven).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use bindings_codegen::generate::{self, ApiConfig};

pub mod model;
mod render;
mod resolve;

pub use model::{Spec, spec};
pub use render::render;

/// The spec as the text of a JSON file.
pub fn text(spec: &Spec) -> String {
    let mut text = serde_json::to_string_pretty(&render(spec)).unwrap_or_default();
    text.push('\n');
    text
}

/// Where the invariant broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// openapi-lint finds something in a spec the strategy means to be
    /// valid (a finding about the strategy, or about the linter).
    Lint,
    /// `generate::render` fails (or panics).
    Render,
    /// A Rust file `render` emits does not parse.
    Parse,
    /// lint's `generator-support` check and `render` disagree on whether
    /// the generator takes the spec (they must refuse the same specs).
    Support,
}

/// A broken invariant: where, and the messages.
#[derive(Debug, Clone)]
pub struct Broken {
    pub stage: Stage,
    pub message: String,
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}: {}", self.stage, self.message)
    }
}

/// The invariant of a random spec: openapi-lint (the `standard` ruleset
/// `generate` applies) finds nothing, `render` succeeds without a panic,
/// lint's `generator-support` check agrees that it does, and every `.rs`
/// file it emits parses with `syn`.
pub fn check(text: &str) -> std::result::Result<(), Broken> {
    check_at(text, openapi_lint::Severity::Warn)
}

/// [`check`] for a spec written by hand (a generator fixture), which may
/// carry lint findings on purpose (a `default` its schema refuses): only
/// errors that stop `generate` break it.
pub fn check_fixture(text: &str) -> std::result::Result<(), Broken> {
    check_at(text, openapi_lint::Severity::Error)
}

/// [`check`], with lint findings of severity `least` and above breaking
/// the invariant (at `Error`, only those that stop `generate`).
fn check_at(text: &str, least: openapi_lint::Severity) -> std::result::Result<(), Broken> {
    static CASE: AtomicUsize = AtomicUsize::new(0);
    let broken = |stage, message: String| Broken { stage, message };
    let dir = std::env::temp_dir().join(format!(
        "random-spec-{}-{}",
        std::process::id(),
        CASE.fetch_add(1, Ordering::Relaxed)
    ));
    let written =
        std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(dir.join("spec.json"), text));
    if let Err(error) = written {
        return Err(broken(
            Stage::Render,
            format!("cannot write the spec: {error}"),
        ));
    }
    let result = lint_and_render(&dir, text, least);
    let _ = std::fs::remove_dir_all(&dir);
    let output = result?;
    for (path, code) in &output.generated {
        if path.extension().is_some_and(|e| e == "rs")
            && let Err(error) = syn::parse_file(code)
        {
            return Err(broken(
                Stage::Parse,
                format!("{}: does not parse: {error}", path.display()),
            ));
        }
    }
    Ok(())
}

fn lint_and_render(
    dir: &Path,
    text: &str,
    least: openapi_lint::Severity,
) -> std::result::Result<generate::Output, Broken> {
    let api = ApiConfig::new("random", "spec.json");
    let config = api.lint_config().map_err(|error| Broken {
        stage: Stage::Lint,
        message: format!("{error:#}"),
    })?;
    let findings: Vec<String> = openapi_lint::lint_text(Path::new("spec.json"), text, &config)
        .iter()
        .filter(|finding| finding.severity != openapi_lint::Severity::Off)
        // The random specs write a nullable reference as Stripe and GitHub
        // do (`nullable` beside `allOf`, no `type`), on purpose: the
        // generator must keep reading it as nullable. Lint warns that
        // OpenAPI 3.0.3 gives it no effect; that is not a broken spec here.
        .filter(|finding| finding.rule != openapi_lint::Rule::NullableWithoutType)
        .filter(|finding| {
            least != openapi_lint::Severity::Error
                || (finding.severity == least && finding.rule.blocks_generation())
        })
        .map(ToString::to_string)
        .collect();
    if !findings.is_empty() {
        return Err(Broken {
            stage: Stage::Lint,
            message: findings.join("\n"),
        });
    }
    let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        generate::render(dir, dir, std::slice::from_ref(&api))
    }));
    let rendered = match rendered {
        Ok(Ok(output)) => Ok(output),
        Ok(Err(error)) => Err(Broken {
            stage: Stage::Render,
            message: format!("{error:#}"),
        }),
        Err(panic) => Err(Broken {
            stage: Stage::Render,
            message: format!(
                "the generator panicked: {}",
                panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("(no message)")
            ),
        }),
    };
    let support: Vec<String> = openapi_lint::lint_text_with(
        Path::new("spec.json"),
        text,
        &config,
        &[&generate::SupportCheck],
    )
    .iter()
    .filter(|finding| finding.rule.name() == generate::GENERATOR_SUPPORT.name)
    .map(ToString::to_string)
    .collect();
    match (rendered, support.is_empty()) {
        (Ok(output), true) => Ok(output),
        (Ok(_), false) => Err(Broken {
            stage: Stage::Support,
            message: format!("render succeeds, but lint reports {}", support.join("\n")),
        }),
        (Err(broken), false) => Err(broken),
        (Err(broken), true) => Err(Broken {
            stage: Stage::Support,
            message: format!(
                "lint's generator-support finds nothing, but render fails: {}",
                broken.message
            ),
        }),
    }
}

/// `count` random specs drawn from `seed` (the same seed, the same specs).
pub fn draw(seed: u64, count: usize) -> Result<Vec<Spec>> {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let strategy = spec();
    (0..count)
        .map(|_| {
            strategy
                .new_tree(&mut runner)
                .map(|tree| tree.current())
                .map_err(|reason| anyhow::anyhow!("cannot draw a spec: {reason}"))
        })
        .collect()
}

/// What `random-specs` found for one spec.
#[derive(Debug)]
pub struct Finding {
    pub spec: PathBuf,
    /// The in-process invariant ([`check`]).
    pub invariant: std::result::Result<(), Broken>,
    /// The corpus step (generate, clippy, examples, mock); `None` when the
    /// invariant broke or builds were not asked for.
    pub corpus: Option<crate::corpus::Outcome>,
}

/// Options of `cargo xtask random-specs`.
#[derive(Debug)]
pub struct Options {
    pub cases: usize,
    pub seed: u64,
    /// Where the specs are written (kept afterwards).
    pub dir: PathBuf,
    /// Build each spec (else only the in-process invariant).
    pub build: bool,
    /// The scratch target directory of the builds (removed afterwards).
    pub target_dir: PathBuf,
}

/// Writes the specs, checks each, and builds each that keeps the invariant
/// with the corpus machinery; prints progress to stderr.
pub fn run(root: &Path, options: &Options) -> Result<(Vec<Finding>, Duration)> {
    let started = Instant::now();
    std::fs::create_dir_all(&options.dir)
        .with_context(|| format!("cannot create {}", options.dir.display()))?;
    let mut findings = Vec::new();
    for (index, spec) in draw(options.seed, options.cases)?.iter().enumerate() {
        let path = options
            .dir
            .join(format!("random-{}-{index:03}.json", options.seed));
        let text = text(spec);
        std::fs::write(&path, &text).with_context(|| format!("cannot write {}", path.display()))?;
        let invariant = check(&text);
        let corpus = if invariant.is_ok() && options.build {
            eprintln!("random-specs: building {}", path.display());
            Some(crate::corpus::check(
                root,
                &path,
                &options.target_dir,
                None,
            )?)
        } else {
            None
        };
        findings.push(Finding {
            spec: path,
            invariant,
            corpus,
        });
    }
    if options.build {
        let _ = std::fs::remove_dir_all(&options.target_dir);
    }
    Ok((findings, started.elapsed()))
}

/// Why the spec failed, on one line (empty when it passed).
pub fn failure(finding: &Finding) -> String {
    match (&finding.invariant, &finding.corpus) {
        (Err(broken), _) => broken.to_string(),
        (Ok(()), Some(outcome)) if !outcome.passed() => crate::corpus::failure(outcome),
        _ => String::new(),
    }
}

/// The class of a failure: its first message with names, numbers and
/// positions left out, so that failures of one cause group together.
pub fn class(failure: &str) -> String {
    let first = failure.split(" / ").next().unwrap_or_default();
    let mut class = String::new();
    let mut quoted = false;
    for c in first.chars() {
        match c {
            '`' => {
                quoted = !quoted;
                if quoted {
                    class.push('…');
                }
            }
            _ if quoted => {}
            '0'..='9' => {
                if !class.ends_with('#') {
                    class.push('#');
                }
            }
            _ => class.push(c),
        }
    }
    // Lists of names (`[a-b,a_b]`) and the name progenitor misses.
    for (marker, kept) in [(" [", 0), ("mapping ", "mapping".len())] {
        if let Some(at) = class.find(marker) {
            class.truncate(at + kept);
        }
    }
    class
}

/// Whether the spec passed every step that ran.
pub fn passed(finding: &Finding) -> bool {
    finding.invariant.is_ok() && finding.corpus.as_ref().is_none_or(|o| o.passed())
}

#[cfg(test)]
mod tests {
    use super::class;

    #[test]
    fn failures_of_one_cause_share_a_class() {
        let of = |failure: &str| class(failure);
        assert_eq!(
            of(
                "Render: spec.json:14:7: generator-support: progenitor cannot generate `GET /a0/{x}`: missing path name mapping a.b"
            ),
            of(
                "Render: spec.json:215:7: generator-support: progenitor cannot generate `PUT /b1/{y}`: missing path name mapping 1x"
            ),
        );
        assert_eq!(
            of("Render: spec.json:14:7: x: Failed to make unique variant names for [self,Self]"),
            "Render: spec.json:#:#: x: Failed to make unique variant names for",
        );
        assert_eq!(
            of(
                "clippy: error[E0124]: field `a_b` is already declared / error[E0308]: mismatched types"
            ),
            "clippy: error[E#]: field … is already declared",
        );
    }
}
