//! `dbss-mock` refuses, at start, secrets that would let anyone pass or
//! that no client can present.
#![cfg(feature = "mock")]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `dbss-mock` with `args` (and `env`); the stderr of a start that
/// fails within 10 s, or `None` when the mock starts serving.
fn refused_start(args: &[&str], env: &[(&str, &str)]) -> Option<String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dbss-mock"))
        .args(["--port", "0"])
        .args(args)
        .env_remove("DBSS_MOCK_TOKEN")
        .env_remove("DBSS_MOCK_SECRET_KEY")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dbss-mock starts");
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
fn an_empty_secret_key_flag_is_refused() {
    let stderr =
        refused_start(&["--access-key", "AK", "--secret-key", ""], &[]).expect("refused at start");
    assert!(stderr.contains("--secret-key: empty"), "{stderr}");
}

#[test]
fn an_empty_token_flag_is_refused() {
    let stderr = refused_start(&["--token", ""], &[]).expect("refused at start");
    assert!(stderr.contains("--token: empty"), "{stderr}");
}

#[test]
fn an_empty_access_key_is_refused() {
    let stderr =
        refused_start(&["--access-key", "", "--secret-key", "SK"], &[]).expect("refused at start");
    assert!(stderr.contains("--access-key: empty"), "{stderr}");
}

#[test]
fn an_empty_secret_key_variable_is_refused() {
    let stderr = refused_start(&["--access-key", "AK"], &[("DBSS_MOCK_SECRET_KEY", "")])
        .expect("refused at start");
    assert!(stderr.contains("$DBSS_MOCK_SECRET_KEY: empty"), "{stderr}");
}

#[test]
fn a_token_file_of_two_lines_is_refused_with_its_reason() {
    let path = std::env::temp_dir().join(format!("dbss-mock-token-{}", std::process::id()));
    std::fs::write(&path, "tok\n\n").expect("write");
    let stderr = refused_start(&["--token-file", path.to_str().expect("UTF-8 path")], &[])
        .expect("refused at start");
    std::fs::remove_file(&path).ok();
    assert!(stderr.contains("line break"), "{stderr}");
    assert!(!stderr.contains("tok\n"), "{stderr}");
}

#[test]
fn a_token_with_spaces_around_it_is_refused() {
    let stderr = refused_start(&["--token", " tok "], &[]).expect("refused at start");
    assert!(stderr.contains("white space"), "{stderr}");
}
