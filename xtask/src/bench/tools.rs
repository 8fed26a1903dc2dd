//! Outside programs the bench runs, installed when missing (never by hand:
//! a new machine gets them the same way).

use std::path::Path;
use std::process::Command;

use anyhow::{Context as _, Result, bail};

/// Makes sure `program` (an absolute path, or a name on `PATH`) is there,
/// installing the Debian package `package` with apt-get when it is not
/// (updating the package lists and trying again if the first try fails).
pub(crate) fn ensure_installed(program: &str, package: &str) -> Result<()> {
    if found(program) {
        return Ok(());
    }
    eprintln!("bench: {program} is missing; installing {package} with apt-get");
    let install = ["install", "-y", "--no-install-recommends", package];
    apt_get(&install)
        .or_else(|first| {
            eprintln!("bench: {first:#}; updating the package lists and trying again");
            apt_get(&["update"]).and_then(|()| apt_get(&install))
        })
        .with_context(|| format!("the bench needs {program}, and it could not be installed"))?;
    if !found(program) {
        bail!("apt-get installed {package}, but {program} is still missing");
    }
    Ok(())
}

/// Whether `program` is a file, or a file in a directory of `PATH`.
fn found(program: &str) -> bool {
    if Path::new(program).is_absolute() {
        return Path::new(program).is_file();
    }
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// `apt-get ARGS`, non-interactive; its error output on failure.
fn apt_get(args: &[&str]) -> Result<()> {
    let output = Command::new("apt-get")
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .output()
        .context("cannot run apt-get")?;
    if !output.status.success() {
        bail!(
            "`apt-get {}` failed ({}): {}",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}
