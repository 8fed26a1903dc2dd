//! Child processes with a deadline: a spec that hangs a step, or crashes
//! it, costs that step, never the run.

use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};

/// How a child process ended.
#[derive(Debug)]
pub enum Ended {
    /// It exited by itself (with this status).
    Exited(ExitStatus),
    /// It ran past the deadline and was killed with its process group.
    TimedOut,
}

/// A finished child: how it ended, what it printed, how long it took.
#[derive(Debug)]
pub struct Finished {
    pub ended: Ended,
    pub stdout: String,
    pub stderr: String,
    pub secs: f64,
}

impl Finished {
    pub fn success(&self) -> bool {
        matches!(self.ended, Ended::Exited(status) if status.success())
    }

    /// Why it did not succeed, in a few words (exit code, signal, deadline).
    pub fn how(&self) -> String {
        match &self.ended {
            Ended::TimedOut => format!("timed out after {:.0} s", self.secs),
            Ended::Exited(status) => match (status.code(), signal(*status)) {
                (Some(code), _) => format!("exit code {code}"),
                (None, Some(6)) => "aborted (signal 6; stack overflow?)".into(),
                (None, Some(signal)) => format!("killed by signal {signal}"),
                (None, None) => "ended abnormally".into(),
            },
        }
    }
}

#[cfg(unix)]
fn signal(status: ExitStatus) -> Option<i32> {
    std::os::unix::process::ExitStatusExt::signal(&status)
}

#[cfg(not(unix))]
fn signal(_: ExitStatus) -> Option<i32> {
    None
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

fn capture_file(what: &str) -> PathBuf {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("xtask-corpus-{}-{n}.{what}", std::process::id()))
}

/// Runs `command` to its end or to `timeout`, capturing its output in
/// files (no pipe to fill and block on).
pub fn run(mut command: Command, timeout: Duration) -> Result<Finished> {
    let (out_path, err_path) = (capture_file("out"), capture_file("err"));
    command
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path)?)
        .stderr(std::fs::File::create(&err_path)?);
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let started = Instant::now();
    let mut child = command
        .spawn()
        .with_context(|| format!("cannot run {command:?}"))?;
    let ended = loop {
        if let Some(status) = child.try_wait()? {
            break Ended::Exited(status);
        }
        if started.elapsed() > timeout {
            kill_group(child.id());
            let _ = child.kill();
            let _ = child.wait();
            break Ended::TimedOut;
        }
        std::thread::sleep(Duration::from_millis(25));
    };
    let read = |path: &PathBuf| {
        let bytes = std::fs::read(path).unwrap_or_default();
        let _ = std::fs::remove_file(path);
        String::from_utf8_lossy(&bytes).into_owned()
    };
    Ok(Finished {
        ended,
        stdout: read(&out_path),
        stderr: read(&err_path),
        secs: started.elapsed().as_secs_f64(),
    })
}

/// Kills the process group `pid` leads (cargo's rustc children too).
fn kill_group(pid: u32) {
    if cfg!(unix) {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{pid}")])
            .status();
    }
}
