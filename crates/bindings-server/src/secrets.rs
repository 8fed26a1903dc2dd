//! Secrets for the mock binaries from a file or the environment, so that
//! they need not be given on the command line, where `ps` shows them.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest secret file read; a secret is a line, not a document.
const MAX_SECRET_BYTES: u64 = 64 * 1024;

/// Why a secret could not be read. Never contains the secret.
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
    /// The file or variable is empty or not UTF-8.
    Unreadable(String),
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
            SecretError::Unreadable(what) => write!(f, "{what}: empty or not UTF-8"),
        }
    }
}

impl std::error::Error for SecretError {}

/// A secret from `file` if given, else from the environment variable
/// `variable` if set; `Ok(None)` when neither is. The file's trailing line
/// break is dropped; the file must be a regular file of at most 64 KiB.
pub fn read_secret(file: Option<&Path>, variable: &str) -> Result<Option<String>, SecretError> {
    if let Some(path) = file {
        return read_file(path).map(Some);
    }
    match std::env::var_os(variable) {
        None => Ok(None),
        Some(value) => value
            .into_string()
            .ok()
            .filter(|value| !value.is_empty())
            .map(Some)
            .ok_or_else(|| SecretError::Unreadable(format!("${variable}"))),
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
    let text = String::from_utf8(bytes)
        .map_err(|_| SecretError::Unreadable(path.display().to_string()))?;
    let secret = text.strip_suffix('\n').unwrap_or(&text);
    let secret = secret.strip_suffix('\r').unwrap_or(secret);
    if secret.is_empty() {
        return Err(SecretError::Unreadable(path.display().to_string()));
    }
    Ok(secret.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_come_from_files_and_bounded() {
        let dir = std::env::temp_dir().join(format!("bindings-secret-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join("token");
        std::fs::write(&file, "s3cret\n").expect("write");
        assert_eq!(
            read_secret(Some(&file), "BINDINGS_TEST_UNSET").expect("reads"),
            Some("s3cret".to_owned())
        );
        let error = read_secret(Some(&dir), "X").expect_err("a directory");
        assert!(matches!(error, SecretError::NotAFile(_)), "{error}");
        std::fs::write(&file, vec![b'a'; 70 * 1024]).expect("write");
        let error = read_secret(Some(&file), "X").expect_err("too large");
        assert!(matches!(error, SecretError::TooLarge(_)), "{error}");
        assert!(!error.to_string().contains("aaaa"), "{error}");
        std::fs::write(&file, "").expect("write");
        assert!(read_secret(Some(&file), "X").is_err());
        assert_eq!(
            read_secret(None, "BINDINGS_TEST_SURELY_UNSET_VARIABLE").expect("unset"),
            None
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
