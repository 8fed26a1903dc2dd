//! `obshell`: the obshell agent API from the command line.
//!
//! ```text
//! obshell --host 10.10.10.1 get-tenant-sessions-stats --name t1
//! ```
//!
//! The password comes from `--password` / `OBSHELL_PASSWORD` (root@sys) or
//! `--agent-password` / `OBSHELL_AGENT_PASSWORD`, never echoed, and is
//! sent only to an agent serving the key in `--agent-key FILE` (without
//! it, a warning on stderr: whatever answers at the address receives the
//! password). Answers
//! print as pretty JSON; a failure prints one line and exits non-zero (2
//! for a wrong command line, 1 for a failed call).

use std::process::ExitCode;

use clap::{Arg, ArgMatches, Command};
use obshell_client::Client;
use obshell_client::bindings_client::cli::{self, Answer, Failure};
use obshell_client::obshell_auth::Credential;

fn command() -> Command {
    let command = Command::new("obshell")
        .about("The OceanBase obshell agent")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .arg(
            Arg::new("host")
                .long("host")
                .env("OBSHELL_HOST")
                // Whatever is set there (even `user:pw@host`) stays out of `--help`.
                .hide_env_values(true)
                .default_value("127.0.0.1")
                .help("Agent host"),
        )
        .arg(
            Arg::new("port")
                .long("port")
                .env("OBSHELL_PORT")
                .default_value("2886")
                .value_parser(clap::value_parser!(u16)),
        )
        .arg(
            Arg::new("password")
                .long("password")
                .env("OBSHELL_PASSWORD")
                .hide_env_values(true)
                .help("root@sys password (X-OCS-Header)"),
        )
        .arg(
            Arg::new("agent-password")
                .long("agent-password")
                .env("OBSHELL_AGENT_PASSWORD")
                .hide_env_values(true)
                .help("Agent password (X-OCS-Agent-Header)"),
        )
        .arg(
            Arg::new("agent-key")
                .long("agent-key")
                .env("OBSHELL_AGENT_KEY")
                .value_name("FILE")
                .value_parser(clap::value_parser!(std::path::PathBuf))
                .help(
                    "The agent's public key (base64 PKCS#1 DER as get-secret answers it, or \
                     PEM): the password is sent only to an agent serving this key",
                ),
        );
    command.subcommands(obshell_client::cli::subcommands())
}

async fn call(matches: ArgMatches) -> Result<Answer, Failure> {
    if let Some(example) = obshell_client::cli::example(&matches) {
        return Ok(Answer::Bytes(format!("{example}\n").into_bytes()));
    }
    let text = |name: &str| matches.get_one::<String>(name).cloned();
    let host = text("host").unwrap_or_else(|| "127.0.0.1".into());
    let port = matches.get_one::<u16>("port").copied().unwrap_or(2886);
    // The host becomes part of a URL: refuse what is not a host name or an
    // address rather than calling somewhere else.
    cli::base_url("host", &format!("http://{host}:{port}"))
        .ok()
        .filter(|_| !host.contains(['/', '?', '#', '@']))
        .ok_or_else(|| {
            let shown = obshell_client::bindings_client::redact_urls(&format!("http://{host}"));
            let shown = shown.trim_start_matches("http://");
            Failure::usage(format!("--host `{shown}`: not a host name or IP address"))
        })?;
    let mut client = match (text("password"), text("agent-password")) {
        (Some(password), _) => Client::for_agent(&host, port, Credential::RootPassword(password)),
        (None, Some(password)) => {
            Client::for_agent(&host, port, Credential::AgentPassword(password))
        }
        (None, None) => Client::without_password(&host, port),
    };
    match matches.get_one::<std::path::PathBuf>("agent-key") {
        Some(path) => {
            let shown = path.display();
            let text = std::fs::read_to_string(path)
                .map_err(|error| Failure::usage(format!("--agent-key {shown}: {error}")))?;
            client = client.with_pinned_key(&text).map_err(|error| {
                Failure::usage(format!(
                    "--agent-key {shown}: not an RSA public key: {error}"
                ))
            })?;
        }
        None if matches.contains_id("password") || matches.contains_id("agent-password") => {
            // Once per run: the password goes to whatever key answers.
            eprintln!(
                "obshell: warning: the agent's key is not pinned (--agent-key FILE): \
                 whatever answers at {host}:{port} receives the password"
            );
        }
        None => {}
    }
    obshell_client::cli::execute(&client, &matches).await
}

fn main() -> ExitCode {
    cli::run("obshell", call(command().get_matches()))
}
