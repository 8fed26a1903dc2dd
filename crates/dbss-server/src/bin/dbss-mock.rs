//! `dbss-mock`: the DBSS API answered from its spec's documented examples.
//!
//! ```text
//! cargo run -p dbss-server --bin dbss-mock -- [--host 127.0.0.1] [--port 8080]
//!     [--token-file FILE] [--access-key AK --secret-key-file FILE]
//! ```
//!
//! See `--help` for the credential modes and `Prefer`.

use std::path::PathBuf;
use std::process::ExitCode;

use dbss_server::{Accepted, SingleKey};

const USAGE: &str = "\
usage: dbss-mock [--host HOST] [--port PORT]
                 [--token TOKEN | --token-file FILE]
                 [--access-key AK (--secret-key SK | --secret-key-file FILE)]

Serves the DBSS API from its spec's documented examples, behind the same
request validation as a generated router.

Credentials:
  By default any X-Auth-Token (or signature) is accepted; a request without
  one gets 401 APIGW.0301 (403 where an operation documents no 401).
  --token / --token-file / $DBSS_MOCK_TOKEN
      accept only this X-Auth-Token; another gets DBSS.10020100 (status below)
  --access-key with --secret-key / --secret-key-file / $DBSS_MOCK_SECRET_KEY
      accept only requests signed (SDK-HMAC-SHA256) with this key pair
  Prefer files or the environment: command-line values show in `ps`.
  Which status a wrong credential (or none) gets, by operation:
{statuses}

Answers:
  A request picks a documented answer with a Prefer header:
    Prefer: code=401           the operation's first example of that status
    Prefer: example=NAME       the example of that name
  An answer the operation does not document, or an unusable Prefer
  (code=abc), gets a 400 saying why.
  Every answer carries the documented headers (a new X-Request-Id each),
  and operations with limit and offset page their documented lists.";

struct Options {
    host: String,
    port: u16,
    token: Option<String>,
    token_file: Option<PathBuf>,
    access_key: Option<String>,
    secret_key: Option<String>,
    secret_key_file: Option<PathBuf>,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut options = Options {
        host: "127.0.0.1".to_owned(),
        port: 8080,
        token: None,
        token_file: None,
        access_key: None,
        secret_key: None,
        secret_key_file: None,
    };
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--host" => options.host = value()?,
            "--port" => options.port = value()?.parse().map_err(|e| format!("--port: {e}"))?,
            "--token" => options.token = Some(value()?),
            "--token-file" => options.token_file = Some(value()?.into()),
            "--access-key" => options.access_key = Some(value()?),
            "--secret-key" => options.secret_key = Some(value()?),
            "--secret-key-file" => options.secret_key_file = Some(value()?.into()),
            "--help" | "-h" => return Ok(None),
            other => return Err(format!("unknown argument `{other}` (see --help)")),
        }
    }
    Ok(Some(options))
}

fn accepted(options: Options) -> Result<Option<Accepted>, String> {
    // Every source is checked: an empty secret would let anyone pass.
    let secret = |flag: &'static str, given: Option<String>, file: Option<PathBuf>, variable| {
        let given = given.map(|value| (flag, value));
        bindings_server::secret_from(given, file.as_deref(), variable).map_err(|e| e.to_string())
    };
    let token = secret(
        "--token",
        options.token,
        options.token_file,
        "DBSS_MOCK_TOKEN",
    )?;
    let secret_key = secret(
        "--secret-key",
        options.secret_key,
        options.secret_key_file,
        "DBSS_MOCK_SECRET_KEY",
    )?;
    if let Some(access_key) = &options.access_key {
        bindings_server::check_secret("--access-key", access_key).map_err(|e| e.to_string())?;
    }
    let mut accepted = Accepted::default();
    let mut checks = false;
    if let Some(token) = token {
        accepted = accepted.token(token);
        checks = true;
    }
    match (options.access_key, secret_key) {
        (Some(access_key), Some(secret_key)) => {
            accepted = accepted.signatures(SingleKey::new(access_key, secret_key));
            checks = true;
        }
        (None, None) => {}
        (Some(_), None) => return Err("--access-key needs a secret key (see --help)".into()),
        (None, Some(_)) => return Err("a secret key needs --access-key".into()),
    }
    Ok(checks.then_some(accepted))
}

fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            let statuses =
                bindings_server::mock::wrong_credential_statuses(&dbss_server::mock::MOCK);
            println!("{}", USAGE.replace("{statuses}", &statuses));
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("dbss-mock: {error}");
            return ExitCode::FAILURE;
        }
    };
    let (host, port) = (options.host.clone(), options.port);
    let mut router = dbss_server::mock::router();
    match accepted(options) {
        Ok(Some(accepted)) => router = dbss_server::require_credentials(router, accepted),
        Ok(None) => {}
        Err(error) => {
            eprintln!("dbss-mock: {error}");
            return ExitCode::FAILURE;
        }
    }
    bindings_server::serve_blocking("dbss-mock", &host, port, router)
}
