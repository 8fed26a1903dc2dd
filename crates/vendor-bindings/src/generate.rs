//! `generate`: the crates of each API, written atomically, or checked.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use bindings_codegen::generate::{self, ApiConfig, Output, Runtime};
use clap::Args;

use crate::Project;

/// Generate each API's crates (`crates/<name>-types`, `-client`,
/// `-server`) from its spec, after linting it.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// One spec to generate, instead of the configured APIs.
    #[arg(value_name = "SPEC")]
    pub spec: Option<PathBuf>,
    /// The API's name, with SPEC (default: the spec's file name); its
    /// crates are NAME-types, NAME-client, NAME-server.
    #[arg(long, requires = "spec")]
    pub name: Option<String>,
    /// Where `crates/` is written (default: the project's root).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The directory holding the runtime crates (`bindings-wire`, ...),
    /// relative to a generated crate (default: beside the generated crates).
    #[arg(long, value_name = "DIR", conflicts_with = "runtime_git")]
    pub runtime_path: Option<String>,
    /// The git repository of the runtime crates.
    #[arg(long, value_name = "URL")]
    pub runtime_git: Option<String>,
    /// Write nothing; fail, listing each stale file with a short diff,
    /// when the files on disk differ from what the specs give. Every API
    /// is rendered and compared byte for byte: stamps are never trusted.
    #[arg(long)]
    pub check: bool,
    /// Regenerate every API, even one whose stamp
    /// (`crates/<name>.generate-stamp`) says nothing it is generated from
    /// changed since the last run.
    #[arg(long, conflicts_with = "check")]
    pub force: bool,
}

/// The identity of the generator build running as the executable at `exe`,
/// for the stamps that let `generate` skip unchanged APIs: its path, size
/// and modification time, which any rebuild changes (so a changed generator
/// never skips). `None` when the file cannot be read: then nothing is
/// skipped.
pub fn executable_identity(exe: &Path) -> Option<String> {
    let metadata = std::fs::metadata(exe).ok()?;
    let modified = metadata
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!(
        "{} ({} bytes, modified {}.{:09})",
        exe.display(),
        metadata.len(),
        modified.as_secs(),
        modified.subsec_nanos()
    ))
}

/// Runs `generate` on `project`. `generator` identifies the running build
/// ([`executable_identity`]): an API whose stamp holds for it is skipped,
/// and without it every API is rendered. `extra` adds files of the caller's
/// own (this repository's test registry) to what is written or checked.
pub fn run(
    project: &Project,
    args: &GenerateArgs,
    generator: Option<&str>,
    extra: impl FnOnce(&Path, &[ApiConfig], &mut Output) -> anyhow::Result<()>,
) -> ExitCode {
    let started = std::time::Instant::now();
    let out = args.out.clone().unwrap_or_else(|| project.root.clone());
    let output = apis(project, args).and_then(|(root, apis)| {
        let mut output = match generator {
            Some(generator) if !args.check => {
                generate::render_changed(&root, &out, &apis, generator, args.force)?
            }
            _ => generate::render(&root, &out, &apis)?,
        };
        extra(&out, &apis, &mut output)?;
        Ok(output)
    });
    let output = match output {
        Ok(output) => output,
        Err(error) => {
            eprintln!("error: {error:#}");
            eprintln!("nothing was written");
            return ExitCode::FAILURE;
        }
    };
    if args.check {
        return check(&out, &output, started);
    }
    for name in &output.skipped {
        eprintln!("generate: {name}: unchanged, skipped (--force regenerates)");
    }
    match generate::write(&out, &output) {
        Ok(written) => {
            for path in &written {
                println!("wrote {}", path.display());
            }
            eprintln!(
                "generate: {} of {} files changed, {} API(s) skipped ({:.0?})",
                written.len(),
                output.generated.len() + output.scaffolds.len() + output.stamps.len(),
                output.skipped.len(),
                started.elapsed()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The APIs to generate, and the directory their spec paths are relative
/// to.
fn apis(project: &Project, args: &GenerateArgs) -> anyhow::Result<(PathBuf, Vec<ApiConfig>)> {
    let runtime = match (&args.runtime_path, &args.runtime_git) {
        (Some(dir), _) => Some(Runtime::Path(dir.clone())),
        (None, Some(url)) => Some(Runtime::Git(url.clone())),
        (None, None) => None,
    };
    let (root, mut apis) = match &args.spec {
        Some(spec) => (PathBuf::new(), vec![one_api(spec, args.name.as_deref())?]),
        None => (project.root.clone(), crate::diff::apis(project)?),
    };
    if let Some(runtime) = runtime {
        for api in &mut apis {
            api.runtime = runtime.clone();
        }
    }
    Ok((root, apis))
}

/// The settings of the one API of `generate SPEC`.
fn one_api(spec: &Path, name: Option<&str>) -> anyhow::Result<ApiConfig> {
    let name = match name {
        Some(name) => name.to_owned(),
        None => spec
            .file_stem()
            .and_then(|stem| stem.to_str())
            .map(|stem| {
                stem.to_ascii_lowercase()
                    .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
            })
            .filter(|name| name.starts_with(|c: char| c.is_ascii_lowercase()))
            .ok_or_else(|| {
                anyhow::anyhow!("cannot name the API after {}: give --name", spec.display())
            })?,
    };
    let mut api = ApiConfig::new(name, spec);
    api.description = format!("the API of {}", spec.display());
    // A spec given alone is generated for a workspace nobody configured.
    api.inherit_workspace = false;
    Ok(api)
}

fn check(out: &Path, output: &Output, started: std::time::Instant) -> ExitCode {
    if out.join(generate::JOURNAL).exists() {
        eprintln!(
            "generate --check: an interrupted generate left {}; run generate to finish it",
            generate::JOURNAL
        );
        return ExitCode::FAILURE;
    }
    let stale = generate::check(out, output);
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
        "generate --check: {} file(s) out of date with their specs; run generate and commit the result",
        stale.len()
    );
    ExitCode::FAILURE
}
