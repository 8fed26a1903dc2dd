//! `dbss`: the DBSS API from the command line.
//!
//! ```text
//! dbss --region cn-north-4 count-db-client-session --project-id ... --instance-id ... --json-body body.json
//! dbss --base-url http://127.0.0.1:8080 list-audit-summary-infos --project-id ...
//! ```
//!
//! Credentials come from flags or the environment, never echoed:
//! `DBSS_AUTH_TOKEN`, or `DBSS_ACCESS_KEY` + `DBSS_SECRET_KEY` (+
//! `DBSS_SECURITY_TOKEN`) with `DBSS_PROJECT_ID`. Answers print as pretty
//! JSON; a failure prints the decoded error body and exits non-zero.

use std::process::ExitCode;

use clap::{Arg, Command};
use dbss_client::cli::{Cli, CliCommand, CliConfig};
use dbss_client::{Auth, Client, Error, ResponseValue};

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
    let mut command = Command::new("dbss")
        .about("Huawei Cloud DBSS audit reports and dashboard")
        .subcommand_required(true)
        .arg(
            Arg::new("region")
                .long("region")
                .env("DBSS_REGION")
                .help("Region whose endpoint to call, e.g. cn-north-4"),
        )
        .arg(
            Arg::new("base-url")
                .long("base-url")
                .env("DBSS_BASE_URL")
                .conflicts_with("region")
                .help("Endpoint URL, instead of --region"),
        )
        .arg(
            Arg::new("token")
                .long("token")
                .env("DBSS_AUTH_TOKEN")
                .hide_env_values(true)
                .help("IAM token"),
        )
        .arg(
            Arg::new("access-key")
                .long("access-key")
                .env("DBSS_ACCESS_KEY")
                .help("Access key, to sign requests"),
        )
        .arg(
            Arg::new("secret-key")
                .long("secret-key")
                .env("DBSS_SECRET_KEY")
                .hide_env_values(true)
                .help("Secret key"),
        )
        .arg(
            Arg::new("security-token")
                .long("security-token")
                .env("DBSS_SECURITY_TOKEN")
                .hide_env_values(true),
        )
        .arg(
            Arg::new("project-id")
                .long("signing-project-id")
                .env("DBSS_PROJECT_ID")
                .help("Project ID sent as X-Project-Id when signing"),
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
    let base_url = match (text("base-url"), text("region")) {
        (Some(url), _) => url,
        (None, Some(region)) => match dbss_client::server_url(&region) {
            Ok(url) => url,
            Err(error) => {
                eprintln!("dbss: {error}");
                return ExitCode::FAILURE;
            }
        },
        (None, None) => {
            eprintln!("dbss: give --region or --base-url (or DBSS_REGION / DBSS_BASE_URL)");
            return ExitCode::FAILURE;
        }
    };
    let auth = match (text("token"), text("access-key"), text("secret-key")) {
        (Some(token), _, _) => Auth::Token(token.into()),
        (None, Some(access_key), Some(secret_key)) => {
            let credentials = match text("security-token") {
                Some(token) => dbss_client::huawei_signer::Credentials::temporary(
                    access_key, secret_key, token,
                ),
                None => dbss_client::huawei_signer::Credentials::new(access_key, secret_key),
            };
            Auth::AccessKey {
                credentials,
                project_id: text("project-id").unwrap_or_default(),
            }
        }
        _ => {
            eprintln!(
                "dbss: give --token, or --access-key and --secret-key (or DBSS_AUTH_TOKEN / DBSS_ACCESS_KEY + DBSS_SECRET_KEY)"
            );
            return ExitCode::FAILURE;
        }
    };
    let Some((name, sub_matches)) = matches.subcommand() else {
        return ExitCode::FAILURE;
    };
    let Some(operation) = CliCommand::iter().find(|op| op.operation_id().replace('_', "-") == name)
    else {
        return ExitCode::FAILURE;
    };
    let cli = Cli::new(Client::new(&base_url, auth.into()), Print);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("dbss: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli.execute(operation, sub_matches)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One bounded line: an error may quote a whole response body.
            let message = format!("{error:#}").replace('\n', " ");
            eprintln!(
                "dbss: {}",
                dbss_client::bindings_client::excerpt(message.as_bytes(), 500)
            );
            ExitCode::FAILURE
        }
    }
}
