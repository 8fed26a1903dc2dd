//! The `dbss` and `obshell` binaries as a user runs them: every failure is
//! one line on stderr with a non-zero exit code (2 for a wrong command
//! line, 1 for a failed call), and what works prints JSON on stdout.

mod support;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use dbss_types::{Limit, ProjectId, TimeRange};

const PROJECT: &str = "b9351f98c724428794ba7d105fa3558d";
const INSTANCE: &str = "e0f8c6d4a2b7495f8a3c1d2e4f6a8b0c";

/// The binary `name`, built (once) with the command lines' `cli` feature.
fn binary(name: &str) -> PathBuf {
    static BUILT: OnceLock<()> = OnceLock::new();
    let root = xtask::workspace_root();
    BUILT.get_or_init(|| {
        let status = Command::new(env!("CARGO"))
            .current_dir(&root)
            .args([
                "build",
                "--quiet",
                "-p",
                "dbss-client",
                "-p",
                "obshell-client",
                "-p",
                "dbss-server",
                "--features",
                "dbss-client/cli,obshell-client/cli,dbss-server/mock",
                "--bins",
            ])
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the command lines failed");
    });
    xtask::target_dir(&root)
        .join("debug")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

fn dbss(arguments: &[&str], stdin: Option<&str>) -> Output {
    run(binary("dbss"), arguments, stdin)
}

fn run(program: PathBuf, arguments: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(program)
        .args(arguments)
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("writes stdin");
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().expect("finishes")
}

/// Exit code and the one stderr line of a failed run.
fn failure(output: &Output) -> (i32, String) {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "one line on stderr, got: {stderr:?}"
    );
    assert!(output.stdout.is_empty(), "nothing on stdout");
    (
        output.status.code().unwrap_or(-1),
        stderr.trim_end().to_owned(),
    )
}

fn json(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

async fn mock() -> String {
    format!(
        "http://{}",
        support::serve(dbss_server::mock::router()).await
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn bodies_come_from_flags_stdin_or_the_example() {
    let base = mock().await;
    let common = ["--base-url", &base, "--token", "t"];
    let call = |extra: &[&str], stdin: Option<&str>| {
        let mut arguments: Vec<&str> = common.to_vec();
        arguments.extend_from_slice(&[
            "count-db-client-session",
            "--project-id",
            PROJECT,
            "--instance-id",
            INSTANCE,
        ]);
        arguments.extend_from_slice(extra);
        dbss(&arguments, stdin)
    };
    let by_flag = json(&call(&["--time-range", TimeRange::Month.as_str()], None));
    assert_eq!(by_flag[0]["db_ip"], "100.79.0.248");
    let by_stdin = json(&call(
        &["--json-body", "-"],
        Some(r#"{"time": {"time_range": "DAY"}}"#),
    ));
    assert_eq!(by_stdin, by_flag);

    let example = dbss(&["count-db-client-session", "--example"], None);
    let spec = support::load("dbss.yaml");
    let operation = spec["paths"]
        .as_object()
        .into_iter()
        .flat_map(|paths| paths.values().filter_map(|item| item.as_object()))
        .flat_map(|item| item.values())
        .find(|operation| operation["operationId"] == "count_db_client_session")
        .expect("the operation is in the spec");
    let examples = &operation["requestBody"]["content"]["application/json"]["examples"];
    let first = examples.as_object().and_then(|all| all.values().next());
    assert_eq!(
        Some(&json(&example)),
        first.map(|example| &example["value"]),
        "the spec's example, without credentials or a base URL"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_command_line_is_one_line_and_exit_code_2() {
    let base = mock().await;
    let common = ["--base-url", base.as_str(), "--token", "t"];
    let below = (i64::from(Limit::MIN) - 1).to_string();
    let out_of_range = format!(
        "dbss: --limit: invalid Limit: `{below}` is not an integer from {} to {}",
        Limit::MIN,
        Limit::MAX
    );
    let too_short = format!(
        "dbss: --project-id: invalid ProjectId: 5 characters, fewer than the minimum of {}",
        ProjectId::MIN_LENGTH
    );
    let cases: &[(&[&str], Option<&str>, &str)] = &[
        (
            &[
                "count-db-client-session",
                "--project-id",
                PROJECT,
                "--instance-id",
                INSTANCE,
                "--json-body",
                "-",
            ],
            Some("{\"time\":"),
            "dbss: --json-body stdin: not JSON (EOF while parsing a value at line 1 column 8)",
        ),
        (
            &[
                "count-db-client-session",
                "--project-id",
                PROJECT,
                "--instance-id",
                INSTANCE,
                "--json-body",
                "/no/such/file.json",
            ],
            None,
            "dbss: --json-body /no/such/file.json: No such file or directory (os error 2)",
        ),
        (
            &[
                "count-db-client-session",
                "--project-id",
                PROJECT,
                "--instance-id",
                INSTANCE,
            ],
            None,
            "dbss: `count-db-client-session` needs a body: --json-body FILE (or - for stdin), or its member flags; --example prints one",
        ),
        (
            &[
                "list-audit-summary-infos",
                "--project-id",
                PROJECT,
                "--limit",
                &below,
            ],
            None,
            &out_of_range,
        ),
        (
            &["list-audit-summary-infos", "--project-id", "short"],
            None,
            &too_short,
        ),
    ];
    for (arguments, stdin, want) in cases {
        let mut all: Vec<&str> = common.to_vec();
        all.extend_from_slice(arguments);
        let (code, line) = failure(&dbss(&all, *stdin));
        assert_eq!((code, line.as_str()), (2, *want), "{arguments:?}");
    }

    let (code, line) = failure(&dbss(
        &[
            "--region",
            "cn-nort-4",
            "--token",
            "t",
            "list-audit-summary-infos",
            "--project-id",
            PROJECT,
        ],
        None,
    ));
    assert_eq!(code, 2);
    assert!(
        line.starts_with("dbss: --region: no region `cn-nort-4`; did you mean `cn-north-4`? regions: cn-north-1, "),
        "{line}"
    );
    let (code, line) = failure(&dbss(
        &[
            "--base-url",
            "127.0.0.1:8080",
            "--token",
            "t",
            "list-audit-summary-infos",
            "--project-id",
            PROJECT,
        ],
        None,
    ));
    assert_eq!(code, 2);
    assert!(
        line.starts_with("dbss: --base-url `127.0.0.1:8080`: "),
        "{line}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_call_is_one_line_and_exit_code_1() {
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address")
    };
    let base = format!("http://{closed}");
    let (code, line) = failure(&dbss(
        &[
            "--base-url",
            &base,
            "--token",
            "t",
            "list-audit-summary-infos",
            "--project-id",
            PROJECT,
        ],
        None,
    ));
    assert_eq!(
        (code, line),
        (
            1,
            format!("dbss: connection refused: is the server running at {base}?")
        )
    );

    // A documented error answer: its status, code and message.
    let refusing = axum::Router::new().fallback(|| async {
        (
            axum::http::StatusCode::UNAUTHORIZED,
            [("content-type", "application/json")],
            r#"{"error_code":"DBSS.10020100","error_msg":"the signature does not match the request"}"#,
        )
    });
    let base = format!("http://{}", support::serve(refusing).await);
    let (code, line) = failure(&dbss(
        &[
            "--base-url",
            &base,
            "--token",
            "t",
            "list-audit-trend-history",
            "--project-id",
            PROJECT,
            "--instance-id",
            INSTANCE,
        ],
        None,
    ));
    assert_eq!(
        (code, line.as_str()),
        (
            1,
            "dbss: 401 Unauthorized: DBSS.10020100 the signature does not match the request"
        )
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_pipe_ends_the_output_quietly() {
    let base = mock().await;
    let mut child = Command::new(binary("dbss"))
        .args([
            "--base-url",
            &base,
            "--token",
            "t",
            "list-audit-summary-infos",
            "--project-id",
            PROJECT,
        ])
        .env_clear()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    // `| head -c0`: the reader goes away before the answer is written.
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("finishes");
    assert!(
        output.status.success(),
        "{:?}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn help_lists_operations_in_one_line_and_regions_and_a_version() {
    let output = dbss(&["--help"], None);
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(
        help.lines().any(|line| line.trim()
            == "count-db-client-session     Query the client session distribution"),
        "{help}"
    );
    assert!(help.contains("cn-north-4"), "regions are listed: {help}");
    for provenance in ["Source:", "page 00", "shared/seeds", "SDK"] {
        assert!(!help.contains(provenance), "`{provenance}` in: {help}");
    }
    let operation =
        String::from_utf8_lossy(&dbss(&["list-audit-summary-infos", "--help"], None).stdout)
            .into_owned();
    for provenance in ["Source:", "page 00", "SDK"] {
        assert!(
            !operation.contains(provenance),
            "`{provenance}` in: {operation}"
        );
    }
    let version = dbss(&["--version"], None);
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("dbss {}", dbss_client_version())
    );
    let obshell = run(binary("obshell"), &["--version"], None);
    assert!(String::from_utf8_lossy(&obshell.stdout).starts_with("obshell "));
}

/// The version in the generated manifest.
fn dbss_client_version() -> String {
    let manifest =
        std::fs::read_to_string(xtask::workspace_root().join("crates/dbss-client/Cargo.toml"))
            .expect("manifest");
    manifest
        .lines()
        .find_map(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("a version line")
        .to_owned()
}

#[test]
fn the_mock_explains_prefer() {
    let output = run(binary("dbss-mock"), &["--help"], None);
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{help}");
    for line in ["Prefer: code=401", "Prefer: example=NAME"] {
        assert!(help.contains(line), "`{line}` in: {help}");
    }
}

/// An obshell agent with `key` and the root password `pw`, serving `key`.
struct KeyedAgent(obshell_server::obshell_auth::AgentKey);

impl obshell_server::Obshell for KeyedAgent {
    async fn get_secret(
        &self,
        _: obshell_server::GetSecretInput,
    ) -> obshell_server::GetSecretOutput {
        obshell_server::GetSecretOutput::Ok(obshell_server::obshell_types::AgentSecret::new(
            "127.0.0.1".into(),
            2886,
            self.0.public_key_base64().expect("public key"),
        ))
    }

    async fn get_tenant_sessions_stats(
        &self,
        input: obshell_server::GetTenantSessionsStatsInput,
    ) -> obshell_server::GetTenantSessionsStatsOutput {
        obshell_server::mock::Mock
            .get_tenant_sessions_stats(input)
            .await
    }
}

/// `obshell --agent-key FILE` sends the password only to an agent serving
/// that key; without it the run warns, once, on stderr.
#[tokio::test(flavor = "multi_thread")]
async fn the_obshell_command_line_pins_the_agent_key() {
    use obshell_server::obshell_auth::AgentKey;
    let key = AgentKey::generate(1024).expect("key");
    let public_key = key.public_key_base64().expect("public key");
    let auth = obshell_server::AgentAuth::new(key.clone(), Some("pw".to_owned().into()), None);
    let agent = support::serve(obshell_server::require_password(
        obshell_server::router(KeyedAgent(key)),
        auth,
    ))
    .await;
    let directory = std::env::temp_dir().join(format!("obshell-agent-key-{}", std::process::id()));
    std::fs::create_dir_all(&directory).expect("a directory");
    let right = directory.join("right.key");
    std::fs::write(&right, format!("{public_key}\n")).expect("write");
    let wrong = directory.join("wrong.key");
    let other = AgentKey::generate(1024).expect("key");
    std::fs::write(&wrong, other.public_key_base64().expect("public key")).expect("write");
    let port = agent.port().to_string();
    let obshell = |extra: &[&str]| {
        let mut arguments = vec!["--port", port.as_str(), "--password", "pw"];
        arguments.extend_from_slice(extra);
        arguments.extend_from_slice(&["get-tenant-sessions-stats", "--name", "t1"]);
        run(binary("obshell"), &arguments, None)
    };

    let (code, line) = failure(&obshell(&["--agent-key", wrong.to_str().expect("UTF-8")]));
    assert_eq!(code, 1, "{line}");
    assert!(line.contains("other than the pinned one"), "{line}");

    let pinned = obshell(&["--agent-key", right.to_str().expect("UTF-8")]);
    assert!(
        pinned.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&pinned.stderr)
    );
    json(&pinned);

    let unpinned = obshell(&[]);
    let stderr = String::from_utf8_lossy(&unpinned.stderr).into_owned();
    assert_eq!(
        stderr
            .matches("warning: the agent's key is not pinned")
            .count(),
        1,
        "{stderr}"
    );
    json(&unpinned);
    let _ = std::fs::remove_dir_all(&directory);
}
