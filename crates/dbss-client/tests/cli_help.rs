//! `dbss --help` and `dbss`'s messages never show a password given in a
//! base URL, from a flag or the environment.
#![cfg(feature = "cli")]

use std::process::Command;

fn dbss(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_dbss"))
        .args(args)
        .env_remove("DBSS_BASE_URL")
        .env_remove("DBSS_REGION")
        .envs(env.iter().copied())
        .output()
        .expect("dbss runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn help_does_not_show_a_base_url_from_the_environment() {
    let (code, stdout, _) = dbss(
        &["--help"],
        &[("DBSS_BASE_URL", "http://admin:s3cr3t@host")],
    );
    assert_eq!(code, 0);
    assert!(!stdout.contains("s3cr3t"), "{stdout}");
}

#[test]
fn help_does_not_show_the_token_from_the_environment() {
    let (_, stdout, _) = dbss(&["--help"], &[("DBSS_AUTH_TOKEN", "t0k3n")]);
    assert!(!stdout.contains("t0k3n"), "{stdout}");
}

#[test]
fn a_password_without_a_user_is_refused_before_any_call() {
    let (code, _, stderr) = dbss(
        &[
            "--base-url",
            "http://:s3cr3t@127.0.0.1:9",
            "--token",
            "t",
            "list-audit-summary-infos",
            "--project-id",
            "b9351f98c724428794ba7d105fa3558d",
        ],
        &[],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(!stderr.contains("s3cr3t"), "{stderr}");
    assert!(stderr.contains("http://***@127.0.0.1:9"), "{stderr}");
}

#[test]
fn a_password_with_a_bad_port_is_not_printed() {
    let (code, _, stderr) = dbss(
        &[
            "--base-url",
            "http://admin:s3cr3t@127.0.0.1:99999",
            "--token",
            "t",
            "list-audit-summary-infos",
            "--project-id",
            "b9351f98c724428794ba7d105fa3558d",
        ],
        &[],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(!stderr.contains("s3cr3t"), "{stderr}");
}
