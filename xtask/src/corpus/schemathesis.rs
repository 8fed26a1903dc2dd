//! schemathesis against a corpus spec's generated mock: the scratch
//! workspace's `corpus-mock` built and started on a free loopback port,
//! `schemathesis run SPEC --checks all` (without `ignored_auth`: the mock
//! runs without a credential mode, so it accepts any credential) under a
//! deadline, the mock stopped; failures and errors read from schemathesis'
//! output, panics counted in the mock's stderr.
//!
//! Never silent: a mock that does not build or start, a run that cannot be
//! started, times out, or prints no summary this module can read is an
//! error of that spec, never a pass.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::child;

/// The seed of every run (CI's schemathesis runs use the same).
pub const SEED: u64 = 20261122;

/// How schemathesis is run on each spec.
#[derive(Debug, Clone)]
pub struct Options {
    /// The `schemathesis` (or `st`) executable.
    pub executable: PathBuf,
    /// `--max-examples`: test cases per operation and phase.
    pub max_examples: u32,
    /// The deadline of one spec's schemathesis run.
    pub timeout: Duration,
}

/// What schemathesis found in one spec's mock.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Findings {
    /// schemathesis' count of failures (its summary's last line).
    pub failures: usize,
    /// schemathesis' count of errors (network errors, schema errors...).
    pub errors: usize,
    /// `panicked at` lines in the mock's stderr.
    pub panics: usize,
    /// Each class of failure (`ST103 Undocumented HTTP status code`) and
    /// of error (`error: Network Error`), with its count and the first
    /// operation it was reported for.
    pub classes: Vec<Class>,
    /// The first panic of the mock, shortened (`panicked at FILE:LINE: MSG`).
    pub first_panic: Option<String>,
    /// Each failed check as the FAILURES section reports it.
    pub each: Vec<Failure>,
    /// Of `failures`, those the spec itself makes unavoidable, by the lint
    /// rule that names each (see [`super::spec_made`]).
    pub spec_made: Vec<(String, usize)>,
    /// Each error as the ERRORS section reports it (rows kept before it
    /// was read have none: [`Findings::errors_known`]).
    #[serde(default)]
    pub errors_each: Vec<ErrorCase>,
    /// Of `errors`, those the spec itself makes unavoidable, by rule.
    #[serde(default)]
    pub spec_made_errors: Vec<(String, usize)>,
    /// Test cases schemathesis generated.
    pub cases: usize,
    /// The time schemathesis ran.
    pub secs: f64,
}

/// One failed check of one operation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Failure {
    /// `GET /pets/{petId}` (the spec's path), or `Stateful tests`.
    pub operation: String,
    /// `ST103`.
    pub check: String,
    /// The status of the mock's answer, where the report shows one.
    pub received: Option<u16>,
    /// The request's `Content-Type`, where its `curl` line gives one.
    pub media: Option<String>,
    /// The first line of the answer's body, as the report shows it.
    pub answer: String,
    /// The method and URL path of the request that failed (the last
    /// `curl` line of its reproduction).
    pub request: Option<(String, String)>,
    /// That request's body (`curl -d`), as the report shows it.
    pub body: Option<String>,
    /// What schemathesis says the request broke (`Invalid component: in
    /// body - violates \`required\``), for a schema-violating one.
    #[serde(default)]
    pub component: Option<String>,
    /// Where in the spec the schema an answer broke is (`Schema at
    /// /components/schemas/Product/properties/id:`), for ST108.
    #[serde(default)]
    pub schema_at: Option<String>,
    /// The first line of what schemathesis says was wrong (for ST108, the
    /// validator's message: `… is valid under more than one of the
    /// schemas listed in the 'oneOf' keyword`).
    #[serde(default)]
    pub violation: Option<String>,
    /// The discriminator property and the value an answer gave it, for
    /// ST111 (`Response contains discriminator property 'type' with value
    /// 'active'`).
    #[serde(default)]
    pub discriminator: Option<(String, String)>,
    /// The request's target (path and query) as the `curl` line sends it.
    #[serde(default)]
    pub target: Option<String>,
    /// Why the mock refused the request, as its log says (the one reason
    /// it logged for that method, target and status): what an answer in
    /// the spec's own error body may not say.
    #[serde(default)]
    pub reason: Option<String>,
    /// schemathesis' id of the test case (`1. Test Case ID: ZrB4Ww`), which
    /// it sends with the request (`X-Schemathesis-TestCaseId`) and the
    /// mock's log names it by.
    #[serde(default)]
    pub case: Option<String>,
    /// The headers the `curl` line sends with an empty value (`-H
    /// 'X-Flags;'`, curl's way to send one), by name.
    #[serde(default)]
    pub empty_headers: Vec<String>,
}

/// One error of one operation: schemathesis could not test it (it could
/// not make a value, or the mock did not answer in time).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ErrorCase {
    /// `GET /pets/{petId}`, or `Stateful tests`.
    pub operation: String,
    /// `Schema Error`, `Network Error`.
    pub title: String,
    /// The first lines of its message (`Cannot generate test data for
    /// path parameter 'value'`).
    pub message: String,
}

impl Failure {
    /// Whether the answer, or the mock's logged reason for it, says
    /// `text`.
    pub fn says(&self, text: &str) -> bool {
        self.answer.contains(text) || self.reason.as_deref().is_some_and(|r| r.contains(text))
    }

    /// Whether hyper answered before the router saw the request: a 414 or
    /// 431 without a body, to a request line past hyper's 64 KiB or a
    /// head past its read buffer (the router answers its own refusals
    /// with the spec's documented body). No generated code runs for it.
    pub fn refused_by_hyper(&self) -> bool {
        matches!(self.received, Some(414 | 431)) && self.answer.ends_with("<EMPTY>")
    }
}

impl Findings {
    /// No failure, no error, no panic.
    pub fn clean(&self) -> bool {
        self.failures == 0 && self.errors == 0 && self.panics == 0
    }

    /// Failures the spec does not explain.
    pub fn unexplained(&self) -> usize {
        let explained: usize = self.spec_made.iter().map(|(_, n)| n).sum();
        self.failures.saturating_sub(explained)
    }

    /// Errors the spec does not explain.
    pub fn unexplained_errors(&self) -> usize {
        let explained: usize = self.spec_made_errors.iter().map(|(_, n)| n).sum();
        self.errors.saturating_sub(explained)
    }

    /// No failure or error but those the spec makes unavoidable, no
    /// panic.
    pub fn clean_but_the_spec(&self) -> bool {
        self.unexplained() == 0 && self.unexplained_errors() == 0 && self.panics == 0
    }

    /// Each error, as far as the output says: [`Self::errors_each`], or
    /// for a row kept before it was read, the first error of each class
    /// of one (its class names its operation and message).
    pub fn errors_known(&self) -> Vec<ErrorCase> {
        if !self.errors_each.is_empty() {
            return self.errors_each.clone();
        }
        self.classes
            .iter()
            .filter(|class| class.count == 1)
            .filter_map(|class| {
                Some(ErrorCase {
                    operation: class.operation.clone()?,
                    title: class.name.strip_prefix("error: ")?.to_owned(),
                    message: class.detail.clone().unwrap_or_default(),
                })
            })
            .collect()
    }

    /// `F failures, E errors, P panics` (or `clean`).
    pub fn brief(&self) -> String {
        if self.clean() {
            "clean".into()
        } else {
            format!(
                "{} failures, {} errors, {} panics",
                self.failures, self.errors, self.panics
            )
        }
    }
}

/// A class of failure or error in one run.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Class {
    /// `ST103 Undocumented HTTP status code`, or `error: <title>`.
    pub name: String,
    /// How many schemathesis counted in its summary.
    pub count: usize,
    /// The first operation (`GET /pets/{petId}`) it was reported for, when
    /// the output names one.
    pub operation: Option<String>,
    /// What schemathesis said of that first one: the check's message and
    /// the mock's answer (`Received: 400 Documented: 201; [400] Bad
    /// Request: {...}`), or the error's message.
    pub detail: Option<String>,
}

/// Builds the scratch workspace's mock (within `build_deadline`), serves
/// it, runs schemathesis on `spec` against it, stops it. `spec_value`: the spec as the generator
/// reads it; the mock serves under its first server URL's path, and
/// schemathesis presents a credential for each of its security schemes.
/// schemathesis' output and the mock's stderr are kept in
/// `<target_dir>/schemathesis/<name>.{out,mock}`.
pub fn run(
    name: &str,
    scratch: &Path,
    spec: &Path,
    spec_value: &serde_json::Value,
    target_dir: &Path,
    options: &Options,
    build_deadline: std::time::Duration,
) -> Result<Findings, String> {
    let mut build = super::scratch_cargo(scratch, target_dir, "build");
    build.args([
        "-p",
        "corpus-server",
        "--features",
        "mock",
        "--bin",
        "corpus-mock",
    ]);
    let built = child::run(build, build_deadline)
        .map_err(|error| format!("cannot run cargo: {error:#}"))?;
    if !built.success() {
        let errors = super::build::first_errors(&built.stderr);
        return Err(format!(
            "the mock does not build: {}",
            if errors.is_empty() {
                built.how()
            } else {
                errors
            }
        ));
    }
    let config = scratch.join("schemathesis.toml");
    std::fs::write(&config, auth_config(spec_value))
        .map_err(|error| format!("cannot write {}: {error}", config.display()))?;
    let binary = target_dir.join("debug").join("corpus-mock");
    let server_url = spec_value
        .pointer("/servers/0/url")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default();
    let mut mock = Mock::start(&binary, scratch)?;
    let url = format!("http://127.0.0.1:{}{}", mock.port, base_path(server_url));
    let mut command = Command::new(&options.executable);
    command
        .arg("--config-file")
        .arg(&config)
        .arg("run")
        .arg(spec)
        .args(["--url", &url])
        .args(["--checks", "all", "--exclude-checks", "ignored_auth"])
        .args(["--max-examples", &options.max_examples.to_string()])
        .args(["--seed", &SEED.to_string()])
        .args(["--generation-database", "none", "--no-color"])
        // The credentials are dummies: show requests as sent.
        .args(["--output-sanitize", "false"])
        // Its caches (`.schemathesis`) stay in the scratch workspace.
        .current_dir(scratch)
        // Wide enough that no section title is cut.
        .env("COLUMNS", "200");
    let ran = child::run(command, options.timeout);
    let stderr = mock.stop();
    let logs = target_dir.join("schemathesis");
    let _ = std::fs::create_dir_all(&logs);
    let _ = std::fs::write(logs.join(format!("{name}.mock")), &stderr);
    if let Ok(ran) = &ran {
        let _ = std::fs::write(
            logs.join(format!("{name}.out")),
            format!("{}{}", ran.stdout, ran.stderr),
        );
    }
    let ran =
        ran.map_err(|error| format!("cannot run {}: {error:#}", options.executable.display()))?;
    if let child::Ended::TimedOut = ran.ended {
        return Err(format!("schemathesis {}", ran.how()));
    }
    let mut findings = parse(&ran.stdout).map_err(|why| {
        let text: Vec<&str> = ran
            .stdout
            .lines()
            .chain(ran.stderr.lines())
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect();
        // `❌  Failed to load specification from ...`, `Schema Loading
        // Error`, and what is wrong; else the last line.
        let last = match text.iter().position(|l| l.contains("Failed to load")) {
            Some(at) => text[at..]
                .iter()
                .take(4)
                .copied()
                .collect::<Vec<_>>()
                .join(" "),
            None => text.last().copied().unwrap_or_default().to_owned(),
        };
        format!("schemathesis ({}): {why}: {last}", ran.how())
    })?;
    (findings.panics, findings.first_panic) = panics(&stderr);
    attach_reasons(&mut findings.each, &stderr);
    findings.secs = ran.secs;
    let written = written(spec);
    findings.spec_made = super::spec_made::count(spec_value, written.as_ref(), &findings.each)
        .into_iter()
        .map(|(rule, n)| (rule.to_owned(), n))
        .collect();
    findings.spec_made_errors =
        super::spec_made::count_errors(spec_value, &findings.errors_known())
            .into_iter()
            .map(|(rule, n)| (rule.to_owned(), n))
            .collect();
    Ok(findings)
}

/// The spec at `path` as written (what schemathesis reads), `None` where
/// it cannot be read.
pub fn written(path: &Path) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(path).ok()?;
    openapi_source::SourceDoc::parse(&text)
        .ok()
        .map(|source| source.value().clone())
}

/// schemathesis' configuration: a credential for each security scheme of
/// the spec (`[auth.openapi.<scheme>]`), which schemathesis presents as
/// each operation's security requirement asks. The mock runs without a
/// credential mode and accepts any credential present, so the operations
/// are tested past their credential check (without one, schemathesis sees
/// only 401s).
pub fn auth_config(spec: &serde_json::Value) -> String {
    use serde_json::Value;
    let mut config = String::new();
    let schemes = spec
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object);
    for (name, scheme) in schemes.into_iter().flatten() {
        let credential = match (scheme["type"].as_str(), scheme["scheme"].as_str()) {
            (Some("apiKey"), _) => "api_key = \"corpus-key\"",
            (Some("http"), Some(http)) if http.eq_ignore_ascii_case("basic") => {
                "username = \"corpus\"\npassword = \"corpus\""
            }
            _ => "bearer = \"corpus-token\"",
        };
        let key = toml::Value::String(name.clone());
        config.push_str(&format!("[auth.openapi.{key}]\n{credential}\n\n"));
    }
    config
}

/// The path of a server URL the mock serves under, as the mock's binary
/// reads it (`bindings_server::mock::binary`'s `server_defaults`): what
/// follows the authority (after `scheme://`, or `//` for a scheme-relative
/// URL), without a trailing `/`; nothing for a templated path.
pub fn base_path(url: &str) -> String {
    let rest = (url.split_once("://").map(|(_, rest)| rest))
        .unwrap_or(url.strip_prefix("//").unwrap_or(url));
    let path = &rest[rest.find('/').unwrap_or(rest.len())..];
    let path = path.trim_end_matches('/');
    if path.contains('{') {
        String::new()
    } else {
        path.to_owned()
    }
}

/// A running mock, killed when stopped or dropped.
struct Mock {
    child: std::process::Child,
    port: u16,
    stderr: PathBuf,
}

impl Mock {
    /// Starts `binary` on a free loopback port and waits (at most 20 s)
    /// until it accepts connections; a port taken meanwhile is retried.
    fn start(binary: &Path, scratch: &Path) -> Result<Mock, String> {
        let mut last = String::new();
        for attempt in 0..3 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|listener| listener.local_addr())
                .map_err(|error| format!("no free port: {error}"))?
                .port();
            let stderr = scratch.join(format!("mock-{attempt}.stderr"));
            let file = std::fs::File::create(&stderr).map_err(|error| error.to_string())?;
            let mut command = Command::new(binary);
            command
                .args(["--host", "127.0.0.1", "--port", &port.to_string()])
                // A panic is one line and its message, not a backtrace.
                .env("RUST_BACKTRACE", "0")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(file);
            let child = command
                .spawn()
                .map_err(|error| format!("cannot start the mock: {error}"))?;
            let mut mock = Mock {
                child,
                port,
                stderr,
            };
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(20) {
                if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return Ok(mock);
                }
                if let Ok(Some(status)) = mock.child.try_wait() {
                    let stderr = mock.stop();
                    last = match panics(&stderr) {
                        (_, Some(panic)) => format!("the mock panics at start: {panic}"),
                        _ => format!("the mock exited ({status}): {}", stderr.trim()),
                    };
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            if last.is_empty() {
                mock.stop();
                return Err("the mock did not accept connections within 20 s".into());
            }
            if !last.contains("cannot listen") {
                break;
            }
        }
        Err(last)
    }

    /// Kills the mock (one process, started here) if it still runs; its
    /// stderr.
    fn stop(&mut self) -> String {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        let mut text = String::new();
        if let Ok(mut file) = std::fs::File::open(&self.stderr) {
            let mut bytes = Vec::new();
            let _ = file.read_to_end(&mut bytes);
            text = String::from_utf8_lossy(&bytes).into_owned();
        }
        text
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The classes of failure and error of many specs' runs, the class found
/// in most specs first: a check (`ST103 Undocumented status code`), an
/// error of schemathesis (`error: Network Error`), the mock's panics, or
/// why schemathesis could not run; each with the spec, operation and what
/// was wrong of its first occurrence.
pub fn classes_table(runs: &[(&str, &Result<Findings, String>)]) -> String {
    use std::fmt::Write as _;
    // class -> (specs, count, example)
    let mut classes: Vec<(String, usize, usize, String)> = Vec::new();
    let mut add = |class: String, count: usize, example: String| match classes
        .iter_mut()
        .find(|(name, ..)| *name == class)
    {
        Some((_, specs, total, _)) => {
            *specs += 1;
            *total += count;
        }
        None => classes.push((class, 1, count, example)),
    };
    for (spec, run) in runs {
        match run {
            Ok(findings) => {
                for class in &findings.classes {
                    let example = format!(
                        "{spec}: {}{}",
                        class.operation.as_deref().unwrap_or("?"),
                        class
                            .detail
                            .as_deref()
                            .map(|d| format!(": {d}"))
                            .unwrap_or_default()
                    );
                    add(class.name.clone(), class.count, example);
                }
                if findings.panics > 0 {
                    let example = format!(
                        "{spec}: {}",
                        findings.first_panic.as_deref().unwrap_or_default()
                    );
                    add("the mock panics".into(), findings.panics, example);
                }
            }
            Err(error) => {
                let first = super::report::first_line(error);
                let class = format!("not run: {}", super::report::shape(&first));
                add(class, 1, format!("{spec}: {first}"));
            }
        }
    }
    classes.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
    let mut out = String::from(
        "| specs | count | class (schemathesis check, error, the mock's panics) | first seen in |\n|---|---|---|---|\n",
    );
    for (class, specs, count, example) in classes {
        let example: String = example.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut cut: String = example.chars().take(220).collect();
        if cut.len() < example.len() {
            cut.push('…');
        }
        let _ = writeln!(
            out,
            "| {specs} | {count} | {} | {} |",
            class.replace('|', "\\|"),
            cut.replace('|', "\\|")
        );
    }
    out
}

/// The number of panics in the mock's stderr, and the first one's line.
pub fn panics(stderr: &str) -> (usize, Option<String>) {
    let mut lines = stderr.lines().filter(|line| line.contains("panicked at"));
    let first = lines.next().map(|line| {
        // `thread 'tokio-runtime-worker' panicked at src/x.rs:1:2:` is
        // followed by the message on the next line.
        let at = line.find("panicked at").unwrap_or(0);
        let message = stderr
            .lines()
            .skip_while(|l| *l != line)
            .nth(1)
            .unwrap_or_default();
        format!("{} {}", line[at..].trim(), message.trim())
    });
    (first.iter().count() + lines.count(), first)
}

/// Reads schemathesis' (4.x, `--no-color`) output: the counts of its last
/// line (`= 3 failures, 2 errors, 1 warning in 1.20s =`, `= No issues found
/// in 1.20s =`), the classes of its `Failures:` and `Errors:` summaries
/// with the first operation each is reported for in its FAILURES and
/// ERRORS sections, and the test cases its summary counts. Anything else
/// (no such last line, a run that tested nothing, a count without its
/// summary) is an error: output this cannot read is never a pass.
pub fn parse(stdout: &str) -> Result<Findings, String> {
    let lines: Vec<&str> = stdout.lines().collect();
    let last = lines
        .iter()
        .rev()
        .map(|line| line.trim())
        .find(|line| !line.is_empty())
        .filter(|line| line.starts_with("= ") || line.starts_with("=="))
        .filter(|line| line.ends_with(" =") || line.ends_with("=="))
        .ok_or("no summary line at the end")?;
    let message = last.trim_matches('=').trim();
    // A section's title (`= SUMMARY =`): the output was cut short.
    if message.chars().all(|c| c.is_ascii_uppercase() || c == ' ') {
        return Err("no summary line at the end".into());
    }
    let mut findings = Findings::default();
    let unread = || format!("unread summary line `{message}`");
    match message.rsplit_once(" in ") {
        Some(("No issues found", time)) if time.ends_with('s') => {}
        Some((counts, time)) if time.ends_with('s') => {
            for part in counts.split(", ") {
                let (count, word) = part.split_once(' ').ok_or_else(unread)?;
                let count: usize = count.parse().map_err(|_| unread())?;
                match word {
                    "failure" | "failures" => findings.failures = count,
                    "error" | "errors" => findings.errors = count,
                    "warning" | "warnings" => {}
                    _ => return Err(unread()),
                }
            }
        }
        _ => return Err(format!("the run did not test: `{message}`")),
    }
    summaries(&lines, &mut findings)?;
    if findings.failures > 0 && !findings.classes.iter().any(|c| !c.is_error()) {
        return Err(format!(
            "{} failures but no `Failures:` summary",
            findings.failures
        ));
    }
    if findings.errors > 0 && !findings.classes.iter().any(Class::is_error) {
        return Err(format!(
            "{} errors but no `Errors:` summary",
            findings.errors
        ));
    }
    first_operations(&lines, &mut findings);
    findings.cases = lines
        .iter()
        .skip_while(|line| line.trim() != "Test cases:")
        .nth(1)
        .and_then(|line| line.split_whitespace().next()?.parse().ok())
        .unwrap_or(0);
    Ok(findings)
}

impl Class {
    /// A class of error (not of failure).
    pub fn is_error(&self) -> bool {
        self.name.starts_with("error: ")
    }
}

/// The `Failures:` (`  ❌ ST103 Title: N`) and `Errors:` (`  🚫 Title: N`)
/// summaries, as classes.
fn summaries(lines: &[&str], findings: &mut Findings) -> Result<(), String> {
    let mut section = "";
    for line in lines {
        if *line == "Failures:" || *line == "Errors:" {
            section = line;
            continue;
        }
        if !line.starts_with("  ") {
            section = "";
            continue;
        }
        let (mark, prefix) = match section {
            "Failures:" => ("❌", ""),
            "Errors:" => ("🚫", "error: "),
            _ => continue,
        };
        let entry = line.trim();
        let (name, count) = entry
            .strip_prefix(mark)
            .and_then(|entry| entry.trim().rsplit_once(": "))
            .ok_or_else(|| format!("unread {section} entry `{entry}`"))?;
        let count = count
            .trim()
            .parse()
            .map_err(|_| format!("unread {section} entry `{entry}`"))?;
        findings.classes.push(Class {
            name: format!("{prefix}{}", name.trim()),
            count,
            operation: None,
            detail: None,
        });
    }
    Ok(())
}

/// The first operation each class is reported for, with what was wrong:
/// in FAILURES, a block `___ GET /pets ___` lists its checks as
/// `- ST103 Title`, each with its message, then the answer (`[400] Bad
/// Request:` and its body); in ERRORS, the block's first line is the
/// error's title, then its message.
fn first_operations(lines: &[&str], findings: &mut Findings) {
    let mut section = "";
    let mut blocks: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in lines {
        let trimmed = line.trim();
        if trimmed.starts_with("==") && trimmed.ends_with("==") {
            section = trimmed.trim_matches('=').trim();
            continue;
        }
        if trimmed.starts_with("__") && trimmed.ends_with("__") {
            if section == "FAILURES" || section == "ERRORS" {
                blocks.push((section, vec![trimmed.trim_matches('_').trim()]));
            }
            continue;
        }
        if let Some((_, block)) = blocks.last_mut().filter(|(s, _)| *s == section) {
            block.push(line);
        }
    }
    for (section, block) in blocks {
        let (operation, body) = block.split_first().map_or(("", &[][..]), |(o, b)| (*o, b));
        let texts = body
            .iter()
            .map(|line| line.trim())
            .filter(|l| !l.is_empty());
        let mut found: Vec<(String, String)> = Vec::new();
        if section == "ERRORS" {
            let mut texts = texts;
            if let Some(title) = texts.next() {
                let message = texts.take(2).collect::<Vec<&str>>().join(" ");
                findings.errors_each.push(ErrorCase {
                    operation: operation.to_owned(),
                    title: title.to_owned(),
                    message: message.clone(),
                });
                found.push((format!("error: {title}"), message));
            }
        } else {
            // `[400] Bad Request:` and the first line of its body.
            let answer = body
                .iter()
                .position(|line| line.starts_with('[') && line.trim_end().ends_with(':'))
                .map(|at| {
                    let status = body[at].trim();
                    let shown = body[at + 1..]
                        .iter()
                        .map(|l| l.trim())
                        .find(|l| !l.is_empty());
                    match shown {
                        Some(text) if !text.starts_with("Reproduce with") => {
                            format!("{status} {text}")
                        }
                        _ => status.trim_end_matches(':').to_owned(),
                    }
                })
                .unwrap_or_default();
            for (at, line) in body.iter().enumerate() {
                let Some(check) = line.strip_prefix("- ") else {
                    continue;
                };
                let check = check.split(" (").next().unwrap_or(check).trim();
                findings.each.push(Failure {
                    operation: operation.to_owned(),
                    check: check.split(' ').next().unwrap_or_default().to_owned(),
                    received: received_after(&body[at..]),
                    media: media_after(&body[at..]),
                    answer: answer_after(&body[at..]),
                    request: request_of(&body[at..]),
                    body: body_of(&body[at..]),
                    component: component_after(&body[at + 1..]),
                    schema_at: schema_after(&body[at + 1..]),
                    violation: check_message(&body[at + 1..])
                        .find(|l| !l.is_empty())
                        .map(str::to_owned),
                    discriminator: discriminator_after(&body[at + 1..]),
                    target: curl_request(&body[at..]).map(|(_, target)| target.to_owned()),
                    reason: None,
                    case: case_before(&body[..at]),
                    empty_headers: empty_headers(&body[at..]),
                });
                let message: Vec<&str> = body[at + 1..]
                    .iter()
                    .take_while(|l| !l.starts_with("- ") && !l.starts_with('['))
                    .map(|l| l.trim())
                    .filter(|l| !l.is_empty())
                    .collect();
                let detail = [message.join(" "), answer.clone()]
                    .into_iter()
                    .filter(|part| !part.is_empty())
                    .collect::<Vec<_>>()
                    .join("; ");
                found.push((check.to_owned(), detail));
            }
        }
        for (name, detail) in found {
            if let Some(class) = findings
                .classes
                .iter_mut()
                .find(|c| c.name == name && c.operation.is_none())
            {
                class.operation = Some(operation.to_owned());
                class.detail = Some(detail);
            }
        }
    }
}

/// The last `curl` line of the first reproduction in `lines`.
fn last_curl<'a>(lines: &[&'a str]) -> Option<&'a str> {
    lines
        .iter()
        .map(|line| line.trim())
        .skip_while(|line| !line.starts_with("curl "))
        .take_while(|line| line.starts_with("curl "))
        .last()
}

/// The names of the headers the last `curl` line of the first
/// reproduction in `lines` sends empty (`-H 'Name;'`).
fn empty_headers(lines: &[&str]) -> Vec<String> {
    let Some(curl) = last_curl(lines) else {
        return Vec::new();
    };
    curl.split(" -H '")
        .skip(1)
        .filter_map(|header| header.split_once(";'"))
        .map(|(name, _)| name)
        .filter(|name| !name.is_empty() && !name.contains([':', ' ']))
        .map(str::to_owned)
        .collect()
}

/// The method and URL path of the last `curl` line of the first
/// reproduction in `lines` (a stateful failure's sequence ends with the
/// request that failed).
fn request_of(lines: &[&str]) -> Option<(String, String)> {
    let (method, target) = curl_request(lines)?;
    let path = target.split(['?', '#']).next().unwrap_or(target);
    Some((method.to_owned(), path.to_owned()))
}

/// The method and target (path and query) of the last `curl` line of the
/// first reproduction in `lines`.
fn curl_request<'a>(lines: &[&'a str]) -> Option<(&'a str, &'a str)> {
    let curl = last_curl(lines)?;
    let method = curl.split("-X ").nth(1)?.split_whitespace().next()?;
    let url = curl.rsplit(' ').next()?.trim_matches(['\'', '"']);
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    Some((method, &rest[rest.find('/')?..]))
}

/// The id of the last `N. Test Case ID: X` line in `lines`.
fn case_before(lines: &[&str]) -> Option<String> {
    lines.iter().rev().find_map(|line| {
        let (number, id) = line.trim().split_once(". Test Case ID: ")?;
        number
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| id.trim().to_owned())
    })
}

/// One request line of the mock's log: `GET /x -> 400 (0.3 ms; request
/// ZrB4Ww): reason` (the id and the reason where it gives them).
struct Logged<'a> {
    method: &'a str,
    target: &'a str,
    status: u16,
    case: Option<&'a str>,
    reason: &'a str,
}

impl<'a> Logged<'a> {
    fn parse(line: &'a str) -> Option<Self> {
        let (request, answer) = line.split_once(" -> ")?;
        let (method, target) = request.split_once(' ')?;
        let (status, rest) = answer.split_once(" (")?;
        let (timing, reason) = rest.split_once(')')?;
        Some(Logged {
            method,
            target,
            status: status.parse().ok()?,
            case: timing.split_once("; request ").map(|(_, id)| id),
            reason: reason.strip_prefix(": ").unwrap_or_default(),
        })
    }
}

/// Gives each failure the reason the mock's `log` gives for its request:
/// the lines of its test case (where the log names cases) with the same
/// method, target and status, else all lines of that method, target and
/// status; where they all give the same reason.
pub fn attach_reasons(failures: &mut [Failure], log: &str) {
    use std::collections::{BTreeMap, BTreeSet};
    type Key<'a> = (Option<&'a str>, &'a str, &'a str, u16);
    let mut said: BTreeMap<Key, BTreeSet<&str>> = BTreeMap::new();
    for logged in log.lines().filter_map(Logged::parse) {
        let key = (logged.method, logged.target, logged.status);
        for case in [logged.case, None].into_iter().collect::<BTreeSet<_>>() {
            said.entry((case, key.0, key.1, key.2))
                .or_default()
                .insert(logged.reason);
        }
    }
    for failure in failures {
        let (Some((method, _)), Some(target), Some(status)) =
            (&failure.request, &failure.target, failure.received)
        else {
            continue;
        };
        let key = |case| (case, method.as_str(), target.as_str(), status);
        let reasons = said
            .get(&key(failure.case.as_deref()))
            .or_else(|| said.get(&key(None)));
        if let Some(reasons) = reasons
            && let [reason] = Vec::from_iter(reasons).as_slice()
            && !reason.is_empty()
        {
            failure.reason = Some(reason.to_string());
        }
    }
}

/// The `Invalid component: ...` line of the check that `lines` follow.
fn component_after(lines: &[&str]) -> Option<String> {
    check_message(lines)
        .find(|line| line.starts_with("Invalid component:"))
        .map(str::to_owned)
}

/// The trimmed lines of the message of the check that `lines` follow: up
/// to the next check (`- ST...`) or the answer (`[400] ...`).
fn check_message<'a>(lines: &'a [&'a str]) -> impl Iterator<Item = &'a str> {
    lines
        .iter()
        .take_while(|line| !line.starts_with("- ") && !line.starts_with('['))
        .map(|line| line.trim())
}

/// The pointer of the `Schema at /...:` line of the check that `lines`
/// follow.
fn schema_after(lines: &[&str]) -> Option<String> {
    check_message(lines)
        .find_map(|line| line.strip_prefix("Schema at ")?.strip_suffix(':'))
        .map(str::to_owned)
}

/// The property and value of the `Response contains discriminator
/// property 'P' with value 'V'` line of the check that `lines` follow.
fn discriminator_after(lines: &[&str]) -> Option<(String, String)> {
    let line = check_message(lines)
        .find_map(|line| line.strip_prefix("Response contains discriminator property '"))?;
    let (property, rest) = line.split_once("' with value ")?;
    let value = rest
        .trim_end_matches(',')
        .trim_matches(|c| c == '\'' || c == '"');
    Some((property.to_owned(), value.to_owned()))
}

/// The body (`-d '...'`) of the last `curl` line of the first
/// reproduction in `lines`.
fn body_of(lines: &[&str]) -> Option<String> {
    let curl = last_curl(lines)?;
    let data = curl.split(" -d ").nth(1)?;
    let data = data.trim_start_matches('$');
    match data.chars().next().filter(|c| *c == '\'' || *c == '"') {
        Some(quote) => {
            let inner = &data[1..];
            Some(inner[..inner.find(quote).unwrap_or(inner.len())].to_owned())
        }
        // Unquoted: up to the next space.
        None => data.split(' ').next().map(str::to_owned),
    }
}

/// The first line of the body of the first answer in `lines`.
fn answer_after(lines: &[&str]) -> String {
    lines
        .iter()
        .skip_while(|line| {
            let line = line.trim();
            !(line.starts_with('[') && line.ends_with(':'))
        })
        .skip(1)
        .map(|line| line.trim())
        .find(|line| !line.is_empty())
        .unwrap_or_default()
        .to_owned()
}

/// The `Content-Type` of the first `curl` line in `lines`.
fn media_after(lines: &[&str]) -> Option<String> {
    let curl = lines
        .iter()
        .find(|line| line.trim_start().starts_with("curl "))?;
    let at = curl.find("Content-Type: ")? + "Content-Type: ".len();
    let media: String = curl[at..].chars().take_while(|c| *c != '\'').collect();
    Some(media.trim().to_owned())
}

/// The status of the first answer (`[400] Bad Request:`) in `lines`.
fn received_after(lines: &[&str]) -> Option<u16> {
    lines.iter().find_map(|line| {
        let line = line.trim();
        let status = line.strip_prefix('[')?.split(']').next()?;
        line.ends_with(':').then(|| status.parse().ok()).flatten()
    })
}

#[cfg(test)]
mod tests {
    //! Real output of schemathesis 4.32.5 (`--no-color`, `COLUMNS=200`), as
    //! `run` starts it: against generated mocks of the shared corpus
    //! (`clean`: petstore.yaml; `failures`: keeper.json; `stateful`:
    //! swagger-petstore-v3.yaml), against a closed port (`errors`; with a
    //! spec whose reference does not resolve, `error-and-warning`), against
    //! a server that answers 418 and drops connections
    //! (`failures-and-errors`), on a file that is not a spec and on a spec
    //! without operations; `panics.mock`: what a Rust program prints when
    //! two `tokio-runtime-worker` threads panic.

    use super::{
        Class, Failure, Findings, attach_reasons, base_path, body_of, empty_headers, panics, parse,
        request_of,
    };

    #[test]
    fn a_reproduction_s_last_request_is_the_failed_one() {
        let lines = [
            "Reproduce with:",
            "",
            "    curl -X GET http://127.0.0.1:1/v1/tasks",
            "    curl -X POST -H 'Content-Type: application/x-www-form-urlencoded' -d 'id=10&photoUrls=AAA' 'http://127.0.0.1:1/api/v3/pet?x=1'",
            "",
            "    st replay Ns7lYm",
        ];
        assert_eq!(
            request_of(&lines),
            Some(("POST".to_owned(), "/api/v3/pet".to_owned()))
        );
        assert_eq!(body_of(&lines), Some("id=10&photoUrls=AAA".to_owned()));
        let unquoted = ["    curl -X POST -d method=profile 'http://127.0.0.1:1/settings'"];
        assert_eq!(body_of(&unquoted), Some("method=profile".to_owned()));
    }

    fn output(name: &str) -> String {
        let path = format!(
            "{}/tests/schemathesis-output/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn class(name: &str, count: usize, operation: &str, detail: &str) -> Class {
        Class {
            name: name.into(),
            count,
            operation: Some(operation.into()),
            detail: Some(detail.into()),
        }
    }

    #[test]
    fn no_issues_found_is_clean() {
        let findings = parse(&output("clean.out")).expect("parsed");
        assert_eq!(
            findings,
            Findings {
                cases: 1032,
                ..Findings::default()
            }
        );
        assert!(findings.clean());
        assert_eq!(findings.brief(), "clean");
    }

    #[test]
    fn failures_are_counted_by_class_with_their_first_operation() {
        let findings = parse(&output("failures.out")).expect("parsed");
        assert_eq!((findings.failures, findings.errors), (8, 0));
        assert_eq!(findings.cases, 18);
        assert_eq!(
            findings.classes,
            [
                class(
                    "ST203 Missing required header accepted",
                    2,
                    "GET /global/jobs",
                    "Got 400 when missing required 'Authorization' header, expected 401; [400] Bad Request: `{\"detail\":\"header `Authorization` is required\",\"status\":400,\"title\":\"Bad Request\",\"type\":\"about:blank\"}`"
                ),
                class(
                    "ST103 Undocumented status code",
                    6,
                    "GET /global/jobs",
                    "Received: 400 Documented: 201; [400] Bad Request: `{\"detail\":\"header `Authorization` is required\",\"status\":400,\"title\":\"Bad Request\",\"type\":\"about:blank\"}`"
                ),
            ]
        );
        assert!(!findings.clean());
        // Each failed check, with the status of the answer it saw.
        assert_eq!(findings.each.len(), 8);
        assert_eq!(
            findings.each[1],
            Failure {
                operation: "GET /global/jobs".into(),
                check: "ST103".into(),
                received: Some(400),
                media: None,
                answer: "`{\"detail\":\"header `Authorization` is required\",\"status\":400,\"title\":\"Bad Request\",\"type\":\"about:blank\"}`".into(),
                request: Some(("GET".into(), "/global/jobs".into())),
                body: None,
                component: None,
                schema_at: None,
                violation: Some("Received: 400".into()),
                discriminator: None,
                target: Some("/global/jobs".into()),
                reason: None,
                case: Some("46iXYm".into()),
                empty_headers: Vec::new(),
            }
        );
    }

    #[test]
    fn headers_sent_empty_are_named() {
        // iceberg's `X-Iceberg-Access-Delegation`, an array of an enum.
        let lines = [
            "Reproduce with:",
            "",
            "    curl -X GET -H 'X-Iceberg-Access-Delegation;' -H 'Authorization: Bearer t' -H 'X-Empty;' http://127.0.0.1:1/v1/t",
        ];
        assert_eq!(
            empty_headers(&lines),
            ["X-Iceberg-Access-Delegation", "X-Empty"]
        );
        assert!(empty_headers(&["curl -X GET -H 'A: b;' http://h/"]).is_empty());
    }

    #[test]
    fn a_failure_gets_the_one_reason_the_mock_logged_for_its_request() {
        let mut findings = parse(&output("failures.out")).expect("parsed");
        let log = "corpus-mock: serving on http://127.0.0.1:43911\n\
                   GET /global/jobs -> 400 (0.3 ms): header `Authorization` is required\n\
                   GET /global/jobs -> 400 (0.2 ms): header `Authorization` is required\n\
                   GET /global/jobs -> 200 (0.2 ms)\n";
        attach_reasons(&mut findings.each, log);
        assert_eq!(
            findings.each[1].reason.as_deref(),
            Some("header `Authorization` is required")
        );
        // Two reasons for the same request: neither is its.
        let mut findings = parse(&output("failures.out")).expect("parsed");
        let log = "GET /global/jobs -> 400 (0.3 ms): one\nGET /global/jobs -> 400 (0.3 ms): two\n";
        attach_reasons(&mut findings.each, log);
        assert_eq!(findings.each[1].reason, None);
        // No reason logged: none.
        attach_reasons(&mut findings.each, "GET /global/jobs -> 400 (0.3 ms)\n");
        assert_eq!(findings.each[1].reason, None);
    }

    #[test]
    fn a_failure_gets_the_reason_logged_for_its_test_case() {
        let mut findings = parse(&output("failures.out")).expect("parsed");
        let log = "GET /global/jobs -> 400 (0.3 ms; request other): one\n\
                   GET /global/jobs -> 400 (0.3 ms; request 46iXYm): two\n";
        attach_reasons(&mut findings.each, log);
        assert_eq!(findings.each[1].reason.as_deref(), Some("two"));
        // Its case not logged: the one reason of its request, if one.
        let mut findings = parse(&output("failures.out")).expect("parsed");
        let log = "GET /global/jobs -> 400 (0.3 ms; request other): one\n";
        attach_reasons(&mut findings.each, log);
        assert_eq!(findings.each[1].reason.as_deref(), Some("one"));
    }

    /// (class, count, first operation) of each class found.
    fn class_names(findings: &Findings) -> Vec<(&str, usize, Option<&str>)> {
        findings
            .classes
            .iter()
            .map(|c| (c.name.as_str(), c.count, c.operation.as_deref()))
            .collect()
    }

    #[test]
    fn stateful_failures_name_the_stateful_tests() {
        let findings = parse(&output("stateful.out")).expect("parsed");
        assert_eq!((findings.failures, findings.errors), (7, 0));
        let names = class_names(&findings);
        assert_eq!(
            names,
            [
                (
                    "ST301 Deleted resource still available",
                    2,
                    Some("Stateful tests")
                ),
                ("ST202 Schema-valid request rejected", 5, Some("POST /pet")),
            ]
        );
    }

    #[test]
    fn errors_are_counted_by_title() {
        let findings = parse(&output("errors.out")).expect("parsed");
        assert_eq!((findings.failures, findings.errors), (0, 3));
        assert_eq!(
            findings.classes,
            [class(
                "error: Network Error",
                3,
                "GET /pets",
                "Connection failed Failed to establish a new connection: [Errno 111] Connection refused"
            )]
        );
        assert_eq!(findings.brief(), "0 failures, 3 errors, 0 panics");
        let operations: Vec<&str> = findings
            .errors_each
            .iter()
            .map(|e| e.operation.as_str())
            .collect();
        assert_eq!(operations, ["GET /pets", "GET /pets/{petId}", "POST /pets"]);
        assert!(findings.errors_each.iter().all(|e| {
            e.title == "Network Error"
                && e.message
                    .starts_with("Connection failed Failed to establish")
        }));
        assert_eq!(findings.errors_known(), findings.errors_each);
        // A row kept before errors were read one by one: the first of a
        // class of one.
        let mut kept = findings.clone();
        kept.errors_each.clear();
        assert_eq!(kept.errors_known(), [], "a class of three");
        kept.classes[0].count = 1;
        assert_eq!(kept.errors_known(), findings.errors_each[..1]);
    }

    #[test]
    fn warnings_are_read_past() {
        let findings = parse(&output("error-and-warning.out")).expect("parsed");
        assert_eq!((findings.failures, findings.errors), (0, 1));
        assert_eq!(findings.classes.len(), 1);
        assert_eq!(findings.classes[0].operation.as_deref(), Some("GET /a"));
    }

    #[test]
    fn failures_and_errors_together() {
        let findings = parse(&output("failures-and-errors.out")).expect("parsed");
        assert_eq!((findings.failures, findings.errors), (6, 1));
        let names = class_names(&findings);
        assert_eq!(
            names,
            [
                ("ST101 Server error", 2, Some("TRACE /drop")),
                ("ST202 Schema-valid request rejected", 1, Some("GET /ok")),
                ("ST103 Undocumented status code", 1, Some("GET /ok")),
                (
                    "ST204 Wrong response to undeclared method",
                    2,
                    Some("TRACE /drop")
                ),
                ("error: Network Error", 1, Some("GET /drop")),
            ]
        );
        // A check without a message still shows the answer.
        assert!(
            findings.classes[0]
                .detail
                .as_deref()
                .is_some_and(|d| d.starts_with("[501] Not Implemented: `<!DOCTYPE HTML>"))
        );
    }

    #[test]
    fn a_schema_schemathesis_cannot_load_is_an_error() {
        let error = parse(&output("schema-not-loaded.out")).expect_err("not a pass");
        assert_eq!(error, "no summary line at the end");
    }

    #[test]
    fn a_run_that_tested_nothing_is_an_error() {
        let error = parse(&output("nothing-to-test.out")).expect_err("not a pass");
        assert_eq!(
            error,
            "the run did not test: `The schema defines no API operations`"
        );
    }

    #[test]
    fn output_cut_short_is_an_error() {
        let text = output("failures.out");
        let cut = &text[..text.find("SUMMARY").expect("a summary")];
        assert_eq!(parse(cut), Err("no summary line at the end".into()));
        assert_eq!(parse(""), Err("no summary line at the end".into()));
    }

    #[test]
    fn counts_without_their_summary_are_an_error() {
        let text = output("failures.out");
        let without = text.replace("Failures:", "Something else:");
        assert_eq!(
            parse(&without),
            Err("8 failures but no `Failures:` summary".into())
        );
        let unread = text.replace("8 failures in", "8 flukes in");
        assert_eq!(
            parse(&unread).map(|f| f.failures),
            Err("unread summary line `8 flukes in 1.43s`".into())
        );
    }

    #[test]
    fn panics_are_counted_with_the_first_message() {
        let (count, first) = panics(&output("panics.mock"));
        assert_eq!(count, 2);
        assert_eq!(
            first.as_deref(),
            Some("panicked at p.rs:4:86: mock: no documented answer for createIdentity")
        );
        assert_eq!(
            panics("corpus-mock: serving on http://127.0.0.1:1\n"),
            (0, None)
        );
    }

    #[test]
    fn only_a_bare_414_or_431_is_hyper_s() {
        // Stripe's row: a query past 64 KiB, and one past the router's own
        // limit, which the router answers with the spec's body.
        let answered = |received: u16, answer: &str| -> Failure {
            serde_json::from_value(serde_json::json!({
                "operation": "GET /v1/charges", "check": "ST104",
                "received": received, "media": null, "answer": answer,
                "request": null, "body": null,
            }))
            .expect("a failure")
        };
        assert!(answered(414, "<EMPTY>").refused_by_hyper());
        assert!(answered(431, "[431] Request Header Fields Too Large: <EMPTY>").refused_by_hyper());
        assert!(!answered(414, "`{\"error\":{\"message\":\"too long\"}}`").refused_by_hyper());
        assert!(!answered(400, "<EMPTY>").refused_by_hyper());
    }

    #[test]
    fn base_paths_as_the_mock_reads_them() {
        assert_eq!(base_path("https://petstore3.swagger.io/api/v3"), "/api/v3");
        assert_eq!(base_path("/api/v3/"), "/api/v3");
        assert_eq!(base_path("http://localhost:8080"), "");
        assert_eq!(base_path("//api.rebilly.com/v2.1"), "/v2.1");
        assert_eq!(base_path("https://{region}.example.com/{version}"), "");
        assert_eq!(base_path(""), "");
    }
}
