//! `obshell-mock`: the obshell agent API answered from its spec's
//! documented examples.
//!
//! ```text
//! cargo run -p obshell-server --bin obshell-mock -- [--host 127.0.0.1] [--port 2886]
//!     [--password-file FILE] [--agent-password-file FILE]
//! ```
//!
//! With a password, the mock makes a key pair, publishes it on
//! `GET /api/v1/secret` and answers only requests whose `X-OCS-Header` (or
//! `X-OCS-Agent-Header`) it decrypts to that password, as an agent does.

use std::process::ExitCode;

use obshell_server::obshell_auth::AgentKey;
use obshell_server::obshell_types::AgentSecret;
use obshell_server::*;

/// The mock, except that the public key is the one the mock really holds
/// (the current one, after any rotation).
struct WithKey {
    auth: AgentAuth,
    port: u16,
}

impl Obshell for WithKey {
    async fn get_secret(&self, input: GetSecretInput) -> GetSecretOutput {
        match self.auth.public_key_base64() {
            Ok(public_key) => GetSecretOutput::Ok(AgentSecret::new(
                "127.0.0.1".into(),
                i64::from(self.port),
                public_key,
            )),
            Err(_) => mock::Mock.get_secret(input).await,
        }
    }

    async fn get_tenant_sessions_stats(
        &self,
        input: GetTenantSessionsStatsInput,
    ) -> GetTenantSessionsStatsOutput {
        mock::Mock.get_tenant_sessions_stats(input).await
    }
}

const USAGE: &str = "\
usage: obshell-mock [--host HOST] [--port PORT]
                    [--password P | --password-file FILE]
                    [--agent-password P | --agent-password-file FILE]
                    [--max-ahead SECONDS] [--rotate-key-every SECONDS]
                    [--max-failures N]

Serves the obshell agent API from its spec's documented examples, behind the
same request validation as a generated router.

Credentials:
  Without a password any X-OCS-Header is accepted; a request without one
  gets obshell's 400 Request.Header.NotFound.
  --password / --password-file / $OBSHELL_MOCK_PASSWORD
      the root@sys password X-OCS-Header must carry
  --agent-password / --agent-password-file / $OBSHELL_MOCK_AGENT_PASSWORD
      the agent password X-OCS-Agent-Header must carry
  With either, the mock makes a key pair, publishes it on GET /api/v1/secret
  and decrypts and checks every credential header (401 otherwise).
  --max-ahead SECONDS   how far ahead a header's Ts may lie (default 300;
                        obshell itself sets no bound)
  --rotate-key-every SECONDS
                        make a new key pair every SECONDS: headers sealed
                        with the old key are refused from then on, and the
                        replay cache is cleared (an agent's key changes
                        when it restarts)
  --max-failures N      failed header checks allowed per source address
                        a minute (default 10); past them the address gets
                        401 Common.Unauthorized with Retry-After, unchecked
  Prefer files or the environment: command-line values show in `ps`.

Answers:
  A request picks a documented answer with a Prefer header:
    Prefer: code=400           the operation's first example of that status
    Prefer: example=NAME       the example of that name";

#[derive(Default)]
struct Options {
    host: Option<String>,
    port: Option<u16>,
    password: Option<String>,
    password_file: Option<std::path::PathBuf>,
    agent_password: Option<String>,
    agent_password_file: Option<std::path::PathBuf>,
    max_ahead: Option<u64>,
    rotate_every: Option<u64>,
    max_failures: Option<u32>,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut options = Options::default();
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--host" => options.host = Some(value()?),
            "--port" => options.port = Some(value()?.parse().map_err(|e| format!("--port: {e}"))?),
            "--password" => options.password = Some(value()?),
            "--password-file" => options.password_file = Some(value()?.into()),
            "--agent-password" => options.agent_password = Some(value()?),
            "--agent-password-file" => options.agent_password_file = Some(value()?.into()),
            "--max-ahead" => {
                options.max_ahead = Some(value()?.parse().map_err(|e| format!("--max-ahead: {e}"))?)
            }
            "--rotate-key-every" => {
                let seconds: u64 = value()?
                    .parse()
                    .map_err(|e| format!("--rotate-key-every: {e}"))?;
                if seconds == 0 {
                    return Err("--rotate-key-every: at least 1 second".into());
                }
                options.rotate_every = Some(seconds);
            }
            "--max-failures" => {
                options.max_failures = Some(
                    value()?
                        .parse()
                        .map_err(|e| format!("--max-failures: {e}"))?,
                )
            }
            "--help" | "-h" => return Ok(None),
            other => return Err(format!("unknown argument `{other}` (see --help)")),
        }
    }
    Ok(Some(options))
}

/// A password from its flag, file or variable, checked whatever the
/// source: an empty one would let anyone pass.
fn secret(
    flag: &str,
    given: Option<String>,
    file: Option<&std::path::Path>,
    variable: &str,
) -> Result<Option<zeroize::Zeroizing<String>>, String> {
    let given = given.map(|value| (flag, value));
    let value = bindings_server::secret_from(given, file, variable).map_err(|e| e.to_string())?;
    Ok(value.map(zeroize::Zeroizing::new))
}

/// Makes a new key pair every `period` and rotates `auth` to it.
fn rotate_every(auth: AgentAuth, period: std::time::Duration) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(period);
            match AgentKey::generate(1024) {
                Ok(key) => {
                    auth.rotate(key);
                    eprintln!("obshell-mock: rotated the agent key");
                }
                Err(error) => eprintln!("obshell-mock: cannot make a new key: {error}"),
            }
        }
    });
}

fn main() -> ExitCode {
    let fail = |error: &dyn std::fmt::Display| {
        eprintln!("obshell-mock: {error}");
        ExitCode::FAILURE
    };
    let options = match parse(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(error) => return fail(&error),
    };
    let host = options.host.unwrap_or_else(|| "127.0.0.1".to_owned());
    let port = options.port.unwrap_or(2886);
    let root_password = match secret(
        "--password",
        options.password,
        options.password_file.as_deref(),
        "OBSHELL_MOCK_PASSWORD",
    ) {
        Ok(password) => password,
        Err(error) => return fail(&error),
    };
    let agent_password = match secret(
        "--agent-password",
        options.agent_password,
        options.agent_password_file.as_deref(),
        "OBSHELL_MOCK_AGENT_PASSWORD",
    ) {
        Ok(password) => password,
        Err(error) => return fail(&error),
    };
    let router = if root_password.is_some() || agent_password.is_some() {
        let key = match AgentKey::generate(1024) {
            Ok(key) => key,
            Err(error) => return fail(&error),
        };
        let mut auth = AgentAuth::new(key, root_password, agent_password);
        if let Some(max_ahead) = options.max_ahead {
            auth.max_ahead_seconds = max_ahead;
        }
        if let Some(max_failures) = options.max_failures {
            auth.guesses = std::sync::Arc::new(bindings_server::GuessLimiter::new(
                bindings_server::GuessLimits {
                    max_failures,
                    ..bindings_server::GuessLimits::default()
                },
            ));
        }
        if let Some(seconds) = options.rotate_every {
            rotate_every(auth.clone(), std::time::Duration::from_secs(seconds));
        }
        let service = mock::with_preferences(router(WithKey {
            auth: auth.clone(),
            port,
        }));
        require_password(service, auth)
    } else {
        mock::router()
    };
    bindings_server::serve_blocking("obshell-mock", &host, port, router)
}
