//! Secrets from flags, files and the environment: what no header can carry
//! is refused at start, with its reason and without the secret.

use std::path::PathBuf;

use bindings_server::{SecretError, read_secret, secret_from};

/// A file holding `bytes`, in a directory of its own for this test.
fn file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bindings-secrets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

fn refused_file(name: &str, bytes: &[u8]) -> String {
    let path = file(name, bytes);
    let error = read_secret(Some(&path), "BINDINGS_TEST_UNSET").expect_err("refused");
    assert!(
        matches!(error, SecretError::Unusable { .. }),
        "{name}: {error}"
    );
    error.to_string()
}

#[test]
fn a_file_of_one_line_is_read_without_its_line_break() {
    let path = file("one-line", b"tok\n");
    assert_eq!(
        read_secret(Some(&path), "UNSET").expect("reads"),
        Some("tok".into())
    );
}

#[test]
fn a_file_with_a_crlf_line_break_loses_both_characters() {
    let path = file("crlf", b"tok\r\n");
    assert_eq!(
        read_secret(Some(&path), "UNSET").expect("reads"),
        Some("tok".into())
    );
}

#[test]
fn a_file_without_a_line_break_is_read_whole() {
    let path = file("no-break", b"tok");
    assert_eq!(
        read_secret(Some(&path), "UNSET").expect("reads"),
        Some("tok".into())
    );
}

#[test]
fn an_empty_file_is_refused() {
    assert!(refused_file("empty", b"").contains("empty"));
}

#[test]
fn a_file_of_only_a_line_break_is_refused_as_empty() {
    assert!(refused_file("only-break", b"\n").contains("empty"));
}

#[test]
fn a_file_with_two_line_breaks_is_refused() {
    let message = refused_file("two-breaks", b"tok\n\n");
    assert!(message.contains("line break"), "{message}");
    assert!(!message.contains("tok"), "{message}");
}

#[test]
fn a_file_of_two_lines_is_refused() {
    let message = refused_file("two-lines", b"a\nb");
    assert!(message.contains("line break (character 2)"), "{message}");
}

#[test]
fn a_file_with_a_nul_is_refused() {
    let message = refused_file("nul", b"to\0k");
    assert!(message.contains("U+0000"), "{message}");
}

#[test]
fn a_file_with_a_tab_is_refused() {
    assert!(refused_file("tab", b"to\tk").contains("U+0009"));
}

#[test]
fn a_file_with_leading_spaces_is_refused() {
    assert!(refused_file("leading", b" tok").contains("white space"));
}

#[test]
fn a_file_with_trailing_spaces_is_refused() {
    assert!(refused_file("trailing", b"tok \n").contains("white space"));
}

#[test]
fn a_file_that_is_not_utf8_is_refused() {
    let path = file("latin1", b"t\xf6k");
    let error = read_secret(Some(&path), "UNSET").expect_err("refused");
    assert!(matches!(error, SecretError::NotUtf8(_)), "{error}");
}

#[test]
fn an_empty_flag_is_refused_naming_the_flag() {
    let error = secret_from(Some(("--secret-key", String::new())), None, "UNSET")
        .expect_err("an empty flag value is refused");
    assert_eq!(
        error.to_string(),
        "--secret-key: empty: an empty secret would let anyone pass"
    );
}

#[test]
fn a_flag_with_a_line_break_is_refused() {
    let error = secret_from(Some(("--token", "a\nb".into())), None, "UNSET").expect_err("refused");
    assert!(error.to_string().starts_with("--token: holds a line break"));
}

#[test]
fn a_flag_with_a_trailing_space_is_refused() {
    let error =
        secret_from(Some(("--password", "pw ".into())), None, "UNSET").expect_err("refused");
    assert!(error.to_string().contains("white space"), "{error}");
}

#[test]
fn a_good_flag_wins_over_file_and_environment() {
    let path = file("ignored", b"from-file");
    assert_eq!(
        secret_from(Some(("--token", "tok".into())), Some(&path), "UNSET").expect("reads"),
        Some("tok".into())
    );
}

/// Runs this test again in a child process whose environment has
/// `variable` set to `value` (setting it here would be `unsafe`): `true`
/// in the child, which then checks; in the parent, waits for the child
/// and fails with it.
fn with_variable(test: &str, variable: &str, value: &str) -> bool {
    if std::env::var_os("BINDINGS_SECRETS_CHILD").is_some() {
        return true;
    }
    let exe = std::env::current_exe().expect("test binary");
    let status = std::process::Command::new(exe)
        .args([test, "--exact", "--nocapture"])
        .env("BINDINGS_SECRETS_CHILD", "1")
        .env(variable, value)
        .status()
        .expect("child runs");
    assert!(status.success(), "{test} failed in the child");
    false
}

#[test]
fn an_empty_environment_variable_is_refused() {
    let name = "BINDINGS_TEST_EMPTY_SECRET";
    if with_variable("an_empty_environment_variable_is_refused", name, "") {
        let error = read_secret(None, name).expect_err("refused");
        assert_eq!(
            error.to_string(),
            format!("${name}: empty: an empty secret would let anyone pass")
        );
    }
}

#[test]
fn an_environment_variable_with_a_line_break_is_refused() {
    let name = "BINDINGS_TEST_BROKEN_SECRET";
    if with_variable(
        "an_environment_variable_with_a_line_break_is_refused",
        name,
        "tok\n",
    ) {
        let error = read_secret(None, name).expect_err("refused");
        assert!(error.to_string().contains("line break"), "{error}");
    }
}

#[test]
fn an_unset_environment_variable_gives_no_secret() {
    assert_eq!(
        read_secret(None, "BINDINGS_TEST_SURELY_UNSET_VARIABLE").expect("unset"),
        None
    );
}

#[test]
fn a_directory_is_refused() {
    let dir = file("any", b"x").parent().expect("dir").to_owned();
    let error = read_secret(Some(&dir), "UNSET").expect_err("a directory");
    assert!(matches!(error, SecretError::NotAFile(_)), "{error}");
}

#[test]
fn a_file_larger_than_a_secret_is_refused_without_quoting_it() {
    let path = file("huge", &[b'a'; 70 * 1024]);
    let error = read_secret(Some(&path), "UNSET").expect_err("too large");
    assert!(matches!(error, SecretError::TooLarge(_)), "{error}");
    assert!(!error.to_string().contains("aaaa"), "{error}");
}
