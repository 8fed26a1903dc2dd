//! Secrets for the mock binaries from a flag, a file or the environment
//! (files and the environment preferred: `ps` shows command lines), each
//! checked at start: a secret that is empty, or that a header could not
//! carry as given, is refused with its reason instead of making every
//! request fail later with no word why.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest secret file read; a secret is a line, not a document.
const MAX_SECRET_BYTES: u64 = 64 * 1024;

/// Why a secret could not be read or used. Names where it came from and
/// never contains the secret.
#[derive(Debug)]
pub enum SecretError {
    /// The file cannot be opened or read.
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// The path is not a regular file (a directory, FIFO or device, which
    /// could block or never end).
    NotAFile(PathBuf),
    /// The file is larger than a secret can be.
    TooLarge(PathBuf),
    /// The file or variable is not UTF-8.
    NotUtf8(String),
    /// The secret is empty or holds what a header cannot carry as given.
    Unusable {
        /// `--flag`, `$VARIABLE` or the file's path.
        source: String,
        /// Why, in words.
        reason: String,
    },
}

impl fmt::Display for SecretError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretError::Io { path, error } => write!(f, "{}: {error}", path.display()),
            SecretError::NotAFile(path) => write!(f, "{}: not a regular file", path.display()),
            SecretError::TooLarge(path) => write!(
                f,
                "{}: larger than {MAX_SECRET_BYTES} bytes, not a secret",
                path.display()
            ),
            SecretError::NotUtf8(source) => write!(f, "{source}: not UTF-8"),
            SecretError::Unusable { source, reason } => write!(f, "{source}: {reason}"),
        }
    }
}

impl std::error::Error for SecretError {}

/// Checks a secret from `source` (for the message: `--token`, `$VAR`, a
/// path): refused when empty, when it holds a control character (a line
/// break, a tab, a NUL...), or when it begins or ends with white space,
/// which a header value loses or cannot carry.
pub fn check_secret(source: &str, secret: &str) -> Result<(), SecretError> {
    let unusable = |reason: String| SecretError::Unusable {
        source: source.to_owned(),
        reason,
    };
    if secret.is_empty() {
        return Err(unusable(
            "empty: an empty secret would let anyone pass".into(),
        ));
    }
    if let Some((at, found)) = secret.chars().enumerate().find(|(_, c)| c.is_control()) {
        let what = match found {
            '\n' | '\r' => "a line break".to_owned(),
            other => format!("the control character U+{:04X}", u32::from(other)),
        };
        return Err(unusable(format!(
            "holds {what} (character {}), which a header cannot carry",
            at + 1
        )));
    }
    if secret.starts_with(char::is_whitespace) || secret.ends_with(char::is_whitespace) {
        return Err(unusable(
            "begins or ends with white space, which a header value drops".into(),
        ));
    }
    Ok(())
}

/// A secret from the flag's value `given` (with the flag's name), else
/// from `file`, else from the environment variable `variable`; `Ok(None)`
/// when none is given. Whatever the source, the secret is checked
/// ([`check_secret`]).
pub fn secret_from(
    given: Option<(&str, String)>,
    file: Option<&Path>,
    variable: &str,
) -> Result<Option<String>, SecretError> {
    match given {
        Some((flag, value)) => {
            check_secret(flag, &value)?;
            Ok(Some(value))
        }
        None => read_secret(file, variable),
    }
}

/// A secret from `file` if given, else from the environment variable
/// `variable` if set; `Ok(None)` when neither is. The file is one line: a
/// single trailing line break (`\n` or `\r\n`) is dropped, anything else
/// is part of the secret and checked ([`check_secret`]); the file must be
/// a regular file of at most 64 KiB.
pub fn read_secret(file: Option<&Path>, variable: &str) -> Result<Option<String>, SecretError> {
    if let Some(path) = file {
        return read_file(path).map(Some);
    }
    let source = format!("${variable}");
    match std::env::var_os(variable) {
        None => Ok(None),
        Some(value) => {
            let value = value
                .into_string()
                .map_err(|_| SecretError::NotUtf8(source.clone()))?;
            check_secret(&source, &value)?;
            Ok(Some(value))
        }
    }
}

fn read_file(path: &Path) -> Result<String, SecretError> {
    let io = |error| SecretError::Io {
        path: path.to_owned(),
        error,
    };
    // Checked before opening: opening a FIFO for reading blocks until a
    // writer appears.
    let metadata = std::fs::metadata(path).map_err(io)?;
    if !metadata.is_file() {
        return Err(SecretError::NotAFile(path.to_owned()));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(MAX_SECRET_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_SECRET_BYTES {
        return Err(SecretError::TooLarge(path.to_owned()));
    }
    let source = path.display().to_string();
    let text = String::from_utf8(bytes).map_err(|_| SecretError::NotUtf8(source.clone()))?;
    let line = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(&text);
    check_secret(&source, line)?;
    Ok(line.to_owned())
}
