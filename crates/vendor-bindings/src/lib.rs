//! The `vendor-bindings` command line as a library: each command's
//! arguments (clap) and its run, so that another front end (this
//! repository's `cargo xtask`) runs exactly what the command line runs.
//!
//! Every command works on a [`Project`]: the directory holding the
//! configuration (`vendor-bindings.toml`, `[[api]]` entries), found from the
//! working directory upwards, or given outright. Nothing here reads the
//! working directory or the environment: the binary decides and passes
//! them in.

pub mod docs;
pub mod lint;
mod project;

#[cfg(feature = "codegen")]
pub mod diff;
#[cfg(feature = "codegen")]
pub mod generate;

pub use project::{CONFIG_FILE, LintEntry, Project};

/// The exit status for a command that could not run (bad arguments, an
/// unreadable input), apart from 1, "ran and found problems".
pub const UNUSABLE: u8 = 2;

/// Installs a panic hook that stays quiet while the generator renders:
/// progenitor and typify panic on shapes they do not support, and the
/// generator catches those panics and reports them as located findings,
/// so the default hook's message would only be noise. Every other panic
/// goes to the hook that was in place. For a program's `main` to call (a
/// library never sets the hook).
pub fn quiet_generator_panics() {
    #[cfg(feature = "codegen")]
    {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !bindings_codegen::generate::in_guarded_render() {
                default(info);
            }
        }));
    }
}
