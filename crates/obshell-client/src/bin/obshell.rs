//! `obshell`: the obshell agent API from the command line.
//!
//! ```text
//! obshell --host 10.10.10.1 get-tenant-sessions-stats --name t1
//! ```
//!
//! The password comes from `--password` / `OBSHELL_PASSWORD` (root@sys) or
//! `--agent-password` / `OBSHELL_AGENT_PASSWORD`, never echoed. Answers
//! print as pretty JSON; a failure prints the decoded error body and exits
//! non-zero.

use std::process::ExitCode;

use clap::{Arg, Command};
use obshell_client::cli::{Cli, CliCommand, CliConfig};
use obshell_client::obshell_auth::Credential;
use obshell_client::{Client, Error, ResponseValue};

/// Prints answers as pretty JSON.
struct Print;

fn pretty<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value)
        .unwrap_or_else(|error| format!("(cannot print the answer: {error})"))
}

impl CliConfig for Print {
    fn success_item<T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug>(
        &self,
        value: &ResponseValue<T>,
    ) {
        println!("{}", pretty(value.as_ref()));
    }
    fn success_no_item(&self, _: &ResponseValue<()>) {}
    fn error<T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug>(
        &self,
        error: &Error<T>,
    ) {
        match error {
            Error::ErrorResponse(response) => {
                eprintln!("{} {}", response.status(), pretty(response.as_ref()))
            }
            other => eprintln!("{other}"),
        }
    }
    fn list_start<T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug>(&self) {}
    fn list_item<T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug>(&self, value: &T) {
        println!("{}", pretty(value));
    }
    fn list_end_success<T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug>(&self) {}
    fn list_end_error<T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug>(
        &self,
        error: &Error<T>,
    ) {
        self.error(error);
    }
}

fn command() -> Command {
    let mut command = Command::new("obshell")
        .about("The OceanBase obshell agent")
        .subcommand_required(true)
        .arg(
            Arg::new("host")
                .long("host")
                .env("OBSHELL_HOST")
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
        );
    for operation in CliCommand::iter() {
        command = command.subcommand(
            Cli::<Print>::get_command(operation).name(operation.operation_id().replace('_', "-")),
        );
    }
    command
}

fn main() -> ExitCode {
    let matches = command().get_matches();
    let text = |name: &str| matches.get_one::<String>(name).cloned();
    let host = text("host").unwrap_or_else(|| "127.0.0.1".into());
    let port = matches.get_one::<u16>("port").copied().unwrap_or(2886);
    let client = match (text("password"), text("agent-password")) {
        (Some(password), _) => Client::for_agent(&host, port, Credential::RootPassword(password)),
        (None, Some(password)) => {
            Client::for_agent(&host, port, Credential::AgentPassword(password))
        }
        (None, None) => Client::without_password(&host, port),
    };
    let Some((name, sub_matches)) = matches.subcommand() else {
        return ExitCode::FAILURE;
    };
    let Some(operation) = CliCommand::iter().find(|op| op.operation_id().replace('_', "-") == name)
    else {
        return ExitCode::FAILURE;
    };
    let cli = Cli::new(client, Print);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("obshell: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli.execute(operation, sub_matches)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One bounded line: an error may quote a whole response body.
            let message = format!("{error:#}").replace('\n', " ");
            eprintln!(
                "obshell: {}",
                obshell_client::bindings_client::excerpt(message.as_bytes(), 500)
            );
            ExitCode::FAILURE
        }
    }
}
