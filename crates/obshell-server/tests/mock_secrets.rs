//! `obshell-mock` refuses, at start, passwords that would let anyone pass
//! or that no client can present.
#![cfg(feature = "mock")]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `obshell-mock` with `args` (and `env`); the stderr of a start that
/// fails within 10 s, or `None` when the mock starts serving.
fn refused_start(args: &[&str], env: &[(&str, &str)]) -> Option<String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_obshell-mock"))
        .args(["--port", "0"])
        .args(args)
        .env_remove("OBSHELL_MOCK_PASSWORD")
        .env_remove("OBSHELL_MOCK_AGENT_PASSWORD")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("obshell-mock starts");
    let began = Instant::now();
    while began.elapsed() < Duration::from_secs(10) {
        if let Ok(Some(status)) = child.try_wait() {
            let output = child.wait_with_output().expect("output");
            assert!(!status.success());
            return Some(String::from_utf8_lossy(&output.stderr).into_owned());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

#[test]
fn an_empty_password_flag_is_refused() {
    let stderr = refused_start(&["--password", ""], &[]).expect("refused at start");
    assert!(stderr.contains("--password: empty"), "{stderr}");
}

#[test]
fn an_empty_agent_password_flag_is_refused() {
    let stderr = refused_start(&["--agent-password", ""], &[]).expect("refused at start");
    assert!(stderr.contains("--agent-password: empty"), "{stderr}");
}

#[test]
fn an_empty_password_variable_is_refused() {
    let stderr = refused_start(&[], &[("OBSHELL_MOCK_PASSWORD", "")]).expect("refused at start");
    assert!(stderr.contains("$OBSHELL_MOCK_PASSWORD: empty"), "{stderr}");
}

#[test]
fn a_password_with_a_nul_is_refused() {
    let path = std::env::temp_dir().join(format!("obshell-mock-pw-{}", std::process::id()));
    std::fs::write(&path, "pass\0word").expect("write");
    let stderr = refused_start(
        &["--password-file", path.to_str().expect("UTF-8 path")],
        &[],
    )
    .expect("refused at start");
    std::fs::remove_file(&path).ok();
    assert!(stderr.contains("U+0000"), "{stderr}");
}
