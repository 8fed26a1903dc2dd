//! `dbss`: the DBSS API from the command line.
//!
//! ```text
//! dbss --region cn-north-4 count-db-client-session --project-id ... --instance-id ... --time-range MONTH
//! dbss --base-url http://127.0.0.1:8080 list-audit-summary-infos --project-id ... --limit 10
//! dbss count-db-client-session --example > body.json
//! ```
//!
//! Credentials come from flags or the environment, never echoed:
//! `DBSS_AUTH_TOKEN`, or `DBSS_ACCESS_KEY` + `DBSS_SECRET_KEY` (+
//! `DBSS_SECURITY_TOKEN`) with `DBSS_PROJECT_ID`. Answers print as pretty
//! JSON; a failure prints one line and exits non-zero (2 for a wrong
//! command line, 1 for a failed call).

use std::process::ExitCode;

use clap::{Arg, ArgMatches, Command};
use dbss_client::bindings_client::cli::{self, Answer, Failure};
use dbss_client::{Auth, Client, REGIONS};

fn command() -> Command {
    Command::new("dbss")
        .about("Huawei Cloud DBSS audit reports and dashboard")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .arg(
            Arg::new("region")
                .long("region")
                .env("DBSS_REGION")
                .help(format!(
                    "Region whose endpoint to call: {}",
                    REGIONS.join(", ")
                )),
        )
        .arg(
            Arg::new("base-url")
                .long("base-url")
                .env("DBSS_BASE_URL")
                // A URL may carry a password: `--help` never shows it.
                .hide_env_values(true)
                .conflicts_with("region")
                .help("Endpoint URL, instead of --region (e.g. a mock: http://127.0.0.1:8080)"),
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
                .hide_env_values(true)
                .help("Security token of temporary credentials"),
        )
        .arg(
            Arg::new("project-id")
                .long("signing-project-id")
                .env("DBSS_PROJECT_ID")
                .help("Project ID sent as X-Project-Id when signing"),
        )
        .subcommands(dbss_client::cli::subcommands())
}

/// The endpoint: `--base-url`, checked, or the URL of `--region`, with the
/// nearest region named on a typo.
fn base_url(matches: &ArgMatches) -> Result<String, Failure> {
    let text = |name: &str| matches.get_one::<String>(name);
    match (text("base-url"), text("region")) {
        (Some(url), _) => cli::base_url("base-url", url),
        (None, Some(region)) => dbss_client::server_url(region).map_err(|_| {
            let hint = cli::nearest(region, REGIONS.iter().copied())
                .map(|near| format!("did you mean `{near}`? "))
                .unwrap_or_default();
            Failure::usage(format!(
                "--region: no region `{region}`; {hint}regions: {}",
                REGIONS.join(", ")
            ))
        }),
        (None, None) => Err(Failure::usage(
            "give --region or --base-url (or DBSS_REGION / DBSS_BASE_URL)",
        )),
    }
}

fn auth(matches: &ArgMatches) -> Result<Auth, Failure> {
    let text = |name: &str| matches.get_one::<String>(name).cloned();
    match (text("token"), text("access-key"), text("secret-key")) {
        (Some(token), _, _) => Ok(Auth::Token(token.into())),
        #[cfg(feature = "signing")]
        (None, Some(access_key), Some(secret_key)) => {
            let credentials = match text("security-token") {
                Some(token) => dbss_client::huawei_signer::Credentials::temporary(
                    access_key, secret_key, token,
                ),
                None => dbss_client::huawei_signer::Credentials::new(access_key, secret_key),
            };
            Ok(Auth::AccessKey {
                credentials,
                project_id: text("project-id").unwrap_or_default(),
            })
        }
        #[cfg(not(feature = "signing"))]
        (None, Some(_), Some(_)) => Err(Failure::usage(
            "this build has no AK/SK signing (the crate's feature `signing`); give --token",
        )),
        _ => Err(Failure::usage(
            "give --token, or --access-key and --secret-key (or DBSS_AUTH_TOKEN / DBSS_ACCESS_KEY + DBSS_SECRET_KEY)",
        )),
    }
}

async fn call(matches: ArgMatches) -> Result<Answer, Failure> {
    if let Some(example) = dbss_client::cli::example(&matches) {
        return Ok(Answer::Bytes(format!("{example}\n").into_bytes()));
    }
    let base_url = base_url(&matches)?;
    let auth = auth(&matches)?;
    let client = Client::with_options(&base_url, auth, Default::default())
        .map_err(|error| Failure::failed(cli_cause(&error)))?;
    dbss_client::cli::execute(&client, &matches).await
}

fn cli_cause(error: &(dyn std::error::Error + 'static)) -> String {
    dbss_client::bindings_client::cause_chain(error)
}

fn main() -> ExitCode {
    cli::run("dbss", call(command().get_matches()))
}
