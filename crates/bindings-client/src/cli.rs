//! Runtime of the generated command lines (feature `cli`): reading
//! parameters and bodies from flags, files or stdin, answers printed as
//! JSON (quietly stopping at a closed pipe), and every failure one line
//! with an exit code.
//!
//! The generated `cli` module of a client crate describes each operation
//! (its flags, body members and example) and calls the client; this module
//! does the rest, the same for every API.

use std::cell::Cell;
use std::future::Future;
use std::io::{Read as _, Write as _};
use std::process::ExitCode;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::describe::{Describe, body_summary, cause_chain};

/// Largest body the command line reads from a file or stdin.
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// The JSON kind of a flag's value: how the text typed on the command line
/// becomes JSON before the generated types check it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Taken as it is.
    String,
    /// A JSON integer.
    Integer,
    /// A JSON number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// Any JSON text.
    Json,
}

/// A member of a request body given by a flag of its own
/// (`--time-range MONTH` sets `time.time_range`).
#[derive(Debug, Clone, Copy)]
pub struct Member {
    /// The flag's name, without `--`.
    pub flag: &'static str,
    /// Where the value goes in the body.
    pub path: &'static [&'static str],
    /// The JSON kind of each value.
    pub kind: Kind,
    /// Whether the member is an array (the flag may repeat).
    pub list: bool,
}

/// Why a command failed: one line, and the process's exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    message: String,
    usage: bool,
}

impl Failure {
    /// The command line itself is wrong (exit code 2, as clap's own).
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            usage: true,
        }
    }

    /// The call failed (exit code 1).
    pub fn failed(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            usage: false,
        }
    }

    /// The exit code to end with.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(if self.usage { 2 } else { 1 })
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message.replace('\n', " "))
    }
}

impl std::error::Error for Failure {}

/// The bytes of `path`, or of stdin for `-`, at most [`MAX_INPUT_BYTES`].
pub fn read_input(flag: &str, path: &str) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    let read = if path == "-" {
        std::io::stdin()
            .lock()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path)
            .and_then(|file| file.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes))
    };
    let from = if path == "-" { "stdin" } else { path };
    read.map_err(|error| Failure::usage(format!("--{flag} {from}: {error}")))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(Failure::usage(format!(
            "--{flag} {from}: longer than {MAX_INPUT_BYTES} bytes"
        )));
    }
    Ok(bytes)
}

/// `raw` as JSON of `kind`.
pub fn json_value(flag: &str, raw: &str, kind: Kind) -> Result<Value, Failure> {
    let wrong = |what: &str| Failure::usage(format!("--{flag}: `{raw}` is not {what}"));
    match kind {
        Kind::String => Ok(Value::String(raw.to_owned())),
        Kind::Integer => raw
            .trim()
            .parse::<i128>()
            .ok()
            .and_then(|n| {
                i64::try_from(n)
                    .map(Value::from)
                    .or_else(|_| u64::try_from(n).map(Value::from))
                    .ok()
            })
            .ok_or_else(|| wrong("an integer")),
        Kind::Number => raw
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| wrong("a number")),
        Kind::Boolean => match raw.trim() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(wrong("`true` or `false`")),
        },
        Kind::Json => serde_json::from_str(raw)
            .map_err(|error| Failure::usage(format!("--{flag}: not JSON ({error})"))),
    }
}

/// The value of the parameter flag `flag` as `T`, checked by `T` itself
/// (its constraints, said in words); `None` when not given. A repeatable
/// flag (`list`) gives a JSON array.
pub fn param<T: DeserializeOwned>(
    matches: &clap::ArgMatches,
    flag: &str,
    kind: Kind,
    list: bool,
) -> Result<Option<T>, Failure> {
    let Some(raw) = matches.get_many::<String>(flag) else {
        return Ok(None);
    };
    let values = raw
        .map(|raw| json_value(flag, raw, kind))
        .collect::<Result<Vec<_>, _>>()?;
    let value = if list {
        Value::Array(values)
    } else {
        values.into_iter().next().unwrap_or(Value::Null)
    };
    decode(flag, value).map(Some)
}

/// The request body: `--json-body` (a file, or `-` for stdin) with the
/// member flags set over it, checked as `T`; `None` when neither is given.
pub fn body<T: DeserializeOwned>(
    matches: &clap::ArgMatches,
    members: &[Member],
) -> Result<Option<T>, Failure> {
    let mut body = match matches.get_one::<String>("json-body") {
        Some(path) => {
            let bytes = read_input("json-body", path)?;
            let from = if path == "-" { "stdin" } else { path.as_str() };
            Some(serde_json::from_slice::<Value>(&bytes).map_err(|error| {
                Failure::usage(format!("--json-body {from}: not JSON ({error})"))
            })?)
        }
        None => None,
    };
    for member in members {
        let Some(raw) = matches.get_many::<String>(member.flag) else {
            continue;
        };
        let values = raw
            .map(|raw| json_value(member.flag, raw, member.kind))
            .collect::<Result<Vec<_>, _>>()?;
        let value = if member.list {
            Value::Array(values)
        } else {
            values.into_iter().next().unwrap_or(Value::Null)
        };
        let mut slot = body.get_or_insert_with(|| Value::Object(Default::default()));
        for (depth, key) in member.path.iter().enumerate() {
            let Value::Object(object) = slot else {
                let at = member.path[..depth].join(".");
                return Err(Failure::usage(format!(
                    "--{}: the body's `{at}` is not an object",
                    member.flag
                )));
            };
            slot = object
                .entry((*key).to_owned())
                .or_insert_with(|| Value::Object(Default::default()));
        }
        *slot = value;
    }
    body.map(|body| decode("json-body", body)).transpose()
}

/// The raw body of an operation that takes bytes: `--body-file` (or `-`).
pub fn raw_body(matches: &clap::ArgMatches) -> Result<Option<Vec<u8>>, Failure> {
    matches
        .get_one::<String>("body-file")
        .map(|path| read_input("body-file", path))
        .transpose()
}

/// The text body of an operation that takes plain text: `--body-file`.
pub fn text_body(matches: &clap::ArgMatches) -> Result<Option<String>, Failure> {
    raw_body(matches)?
        .map(|bytes| {
            String::from_utf8(bytes).map_err(|_| Failure::usage("--body-file: not UTF-8 text"))
        })
        .transpose()
}

/// `value` as `T`, or a usage failure naming where it does not fit.
fn decode<T: DeserializeOwned>(flag: &str, value: Value) -> Result<T, Failure> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let at = error.path().to_string();
        let inner = error.into_inner();
        if at == "." || at.is_empty() {
            Failure::usage(format!("--{flag}: {inner}"))
        } else {
            Failure::usage(format!("--{flag}: `{at}`: {inner}"))
        }
    })
}

/// What a call answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// A JSON body, printed pretty.
    Json(Value),
    /// A body that is not JSON, written as it came.
    Bytes(Vec<u8>),
    /// No body.
    Nothing,
}

/// Writes `answer` to stdout. A reader that went away (`| head`) ends the
/// output quietly: that is not a failure of the call.
pub fn print(answer: &Answer) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    let written = match answer {
        Answer::Json(value) => serde_json::to_writer_pretty(&mut out, value)
            .map_err(std::io::Error::from)
            .and_then(|()| out.write_all(b"\n")),
        Answer::Bytes(bytes) => out.write_all(bytes),
        Answer::Nothing => Ok(()),
    }
    .and_then(|()| out.flush());
    match written {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::failed(format!("writing the answer: {error}")))
        }
        _ => Ok(()),
    }
}

/// Runs a command's `call` and ends the process as it went: the answer on
/// stdout and exit code 0, or `program: <one line>` on stderr and the
/// failure's exit code.
pub fn run(program: &str, call: impl Future<Output = Result<Answer, Failure>>) -> ExitCode {
    let outcome = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| Failure::failed(format!("cannot start the runtime: {error}")))
        .and_then(|runtime| runtime.block_on(call))
        .and_then(|answer| print(&answer));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            // Bounded: a failure may quote a response body; and no URL in
            // it shows its userinfo.
            let line = crate::excerpt(crate::redact_urls(&failure.to_string()).as_bytes(), 500);
            let _ = writeln!(std::io::stderr(), "{program}: {line}");
            failure.exit_code()
        }
    }
}

/// A call's outcome, for [`JsonAnswer`]/[`RawAnswer`] and
/// [`JsonFailure`]/[`RawFailure`] to pick how to read it: a generated
/// command calls `(&Outcome::new(x)).answer()`, and the raw reading wins
/// where the body is a byte stream (method resolution tries `&Outcome`
/// before `&&Outcome`), so one generated call fits every operation.
pub struct Outcome<T>(Cell<Option<T>>);

impl<T> std::fmt::Debug for Outcome<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Outcome")
    }
}

impl<T> Outcome<T> {
    /// Wraps a call's answer or error.
    pub fn new(value: T) -> Self {
        Outcome(Cell::new(Some(value)))
    }

    fn take(&self) -> Option<T> {
        self.0.take()
    }
}

type Response<T> = progenitor_client::ResponseValue<T>;
type ClientError<E> = crate::Error<E>;

/// Reads an answer whose body is typed.
pub trait JsonAnswer {
    fn answer(&self) -> impl Future<Output = Result<Answer, Failure>>;
}

impl<T: Serialize> JsonAnswer for &Outcome<Response<T>> {
    async fn answer(&self) -> Result<Answer, Failure> {
        let Some(response) = self.take() else {
            return Ok(Answer::Nothing);
        };
        match serde_json::to_value(response.into_inner()) {
            Ok(Value::Null) => Ok(Answer::Nothing),
            Ok(value) => Ok(Answer::Json(value)),
            Err(error) => Err(Failure::failed(format!("cannot print the answer: {error}"))),
        }
    }
}

/// Reads an answer whose body is a byte stream.
pub trait RawAnswer {
    fn answer(&self) -> impl Future<Output = Result<Answer, Failure>>;
}

impl RawAnswer for Outcome<Response<progenitor_client::ByteStream>> {
    async fn answer(&self) -> Result<Answer, Failure> {
        let Some(response) = self.take() else {
            return Ok(Answer::Nothing);
        };
        let bytes = collect(response.into_inner(), usize::MAX)
            .await
            .map_err(|error| {
                Failure::failed(format!("reading the answer: {}", cause_chain(&error)))
            })?;
        Ok(Answer::Bytes(bytes))
    }
}

/// Describes a failure whose error body is typed.
pub trait JsonFailure {
    fn failure(&self) -> impl Future<Output = Failure>;
}

impl<E: Serialize> JsonFailure for &Outcome<ClientError<E>> {
    async fn failure(&self) -> Failure {
        match self.take() {
            Some(error) => Failure::failed(error.describe()),
            None => Failure::failed("the call failed"),
        }
    }
}

/// Describes a failure whose error body is a byte stream.
pub trait RawFailure {
    fn failure(&self) -> impl Future<Output = Failure>;
}

impl RawFailure for Outcome<ClientError<progenitor_client::ByteStream>> {
    async fn failure(&self) -> Failure {
        match self.take() {
            Some(crate::Error::ErrorResponse(response)) => {
                let status = response.status();
                let bytes = collect(response.into_inner(), 4096)
                    .await
                    .unwrap_or_default();
                let body = serde_json::from_slice::<Value>(&bytes).unwrap_or_else(|_| {
                    Value::String(String::from_utf8_lossy(&bytes).into_owned())
                });
                match body_summary(&body) {
                    Some(summary) => Failure::failed(format!("{status}: {summary}")),
                    None => Failure::failed(status.to_string()),
                }
            }
            // Every other variant carries no body to read.
            Some(other) => Failure::failed(other.into_untyped().describe()),
            None => Failure::failed("the call failed"),
        }
    }
}

/// At most `max` bytes of `stream`.
async fn collect(
    stream: progenitor_client::ByteStream,
    max: usize,
) -> Result<Vec<u8>, reqwest::Error> {
    let mut stream = stream.into_inner();
    let mut bytes = Vec::new();
    while let Some(chunk) =
        std::future::poll_fn(|context| futures_core::Stream::poll_next(stream.as_mut(), context))
            .await
    {
        let chunk = chunk?;
        let room = max.saturating_sub(bytes.len());
        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if bytes.len() >= max {
            break;
        }
    }
    Ok(bytes)
}

/// The candidate closest to `typed` (edit distance at most a third of its
/// length, and at least 1 and at most 3), for "did you mean" hints.
pub fn nearest<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (typed.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(typed, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

/// Checks a base URL given on the command line: absolute `http` or `https`
/// with a host, nothing after the path, and no userinfo at all (not even
/// `http://:pw@host`, which reqwest would send as `Authorization: Basic`).
/// Messages show the URL redacted (`http://***@host`).
pub fn base_url(flag: &str, text: &str) -> Result<String, Failure> {
    let shown = crate::redact::redact_given_url(text);
    if crate::redact::has_userinfo(text) {
        return Err(Failure::usage(format!(
            "--{flag} `{shown}`: no credentials in a base URL (give them by their own flags)"
        )));
    }
    let url = reqwest::Url::parse(text).map_err(|error| {
        let error = crate::redact_urls(&error.to_string());
        Failure::usage(format!("--{flag} `{shown}`: {error}"))
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(Failure::usage(format!(
            "--{flag} `{shown}`: give an http:// or https:// URL with a host"
        )));
    }
    if url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(Failure::usage(format!(
            "--{flag} `{shown}`: no credentials, query or fragment in a base URL"
        )));
    }
    Ok(text.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_values_become_json_of_their_kind() {
        assert_eq!(json_value("n", "42", Kind::Integer), Ok(Value::from(42)));
        assert_eq!(
            json_value("b", "true", Kind::Boolean),
            Ok(Value::Bool(true))
        );
        assert_eq!(json_value("s", "42", Kind::String), Ok(Value::from("42")));
        assert_eq!(
            json_value("limit", "ten", Kind::Integer),
            Err(Failure::usage("--limit: `ten` is not an integer"))
        );
    }

    #[test]
    fn typos_find_their_nearest_candidate() {
        let regions = ["cn-north-4", "cn-north-1", "ap-southeast-1"];
        assert_eq!(nearest("cn-nort-4", regions), Some("cn-north-4"));
        assert_eq!(nearest("eu-west-0", regions), None);
    }

    #[test]
    fn base_urls_are_checked() {
        assert_eq!(
            base_url("base-url", "http://127.0.0.1:8080/"),
            Ok("http://127.0.0.1:8080".into())
        );
        assert!(base_url("base-url", "127.0.0.1:8080").is_err());
        assert!(base_url("base-url", "ftp://host").is_err());
        assert!(base_url("base-url", "http://user:pw@host").is_err());
    }
}
