//! `vendor-bindings`: see `vendor-bindings --help`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use vendor_bindings::{Project, docs, lint};

#[derive(Debug, Parser)]
#[command(
    name = "vendor-bindings",
    version,
    about = "Lint, diff and generate Rust bindings from OpenAPI specs; check them against vendor API pages",
    long_about = "Lint, diff and generate Rust bindings from OpenAPI specs; check them against vendor API pages.\n\nThe project is the nearest directory, from the working directory up, holding vendor-bindings.toml ([[api]] entries: name, spec, description, lint-ruleset, ...); without one, the working directory, whose openapi/ holds the specs."
)]
struct Cli {
    /// The project configuration, instead of the nearest vendor-bindings.toml.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Lint(lint::LintArgs),
    #[cfg(feature = "codegen")]
    Diff(vendor_bindings::diff::DiffArgs),
    #[cfg(feature = "codegen")]
    Generate(vendor_bindings::generate::GenerateArgs),
    /// The vendor's API reference pages against the specs.
    Docs {
        #[command(subcommand)]
        command: docs::DocsCommand,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(error) => {
            eprintln!("error: cannot read the working directory: {error}");
            return ExitCode::from(vendor_bindings::UNUSABLE);
        }
    };
    let project = match &cli.config {
        Some(config) => {
            let config = cwd.join(config);
            let root = config.parent().unwrap_or(&cwd).to_owned();
            Project::with_config(&root, &config)
        }
        None => Project::discover(&cwd),
    };
    vendor_bindings::quiet_generator_panics();
    match &cli.command {
        Command::Lint(args) => lint::run(&project, args),
        #[cfg(feature = "codegen")]
        Command::Diff(args) => vendor_bindings::diff::run(&project, args),
        #[cfg(feature = "codegen")]
        Command::Generate(args) => {
            let generator = std::env::current_exe()
                .ok()
                .and_then(|exe| vendor_bindings::generate::executable_identity(&exe));
            vendor_bindings::generate::run(&project, args, generator.as_deref(), |_, _, _| Ok(()))
        }
        Command::Docs { command } => docs::run(&project, command),
    }
}
