//! `obshell-mock`: the obshell agent API answered from its spec's
//! documented examples.
//!
//! ```text
//! cargo run -p obshell-server --bin obshell-mock -- [--host 127.0.0.1] [--port 2886]
//!     [--password ROOT_PASSWORD] [--agent-password AGENT_PASSWORD]
//! ```
//!
//! With a password, the mock makes a key pair, publishes it on
//! `GET /api/v1/secret` and answers only requests whose `X-OCS-Header` (or
//! `X-OCS-Agent-Header`) it decrypts to that password, as an agent does.

use std::process::ExitCode;

use obshell_server::obshell_auth::AgentKey;
use obshell_server::obshell_types::AgentSecret;
use obshell_server::*;

/// The mock, except that the public key is the one the mock really holds.
struct WithKey {
    public_key: String,
    port: u16,
}

impl Obshell for WithKey {
    async fn get_secret(&self, _: GetSecretInput) -> GetSecretOutput {
        GetSecretOutput::Ok(AgentSecret {
            ip: "127.0.0.1".into(),
            port: i64::from(self.port),
            public_key: self.public_key.clone(),
        })
    }

    async fn get_tenant_sessions_stats(
        &self,
        input: GetTenantSessionsStatsInput,
    ) -> GetTenantSessionsStatsOutput {
        mock::Mock.get_tenant_sessions_stats(input).await
    }
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (mut host, mut port) = ("127.0.0.1".to_owned(), 2886u16);
    let (mut root_password, mut agent_password) = (None, None);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        let parsed = match flag.as_str() {
            "--host" => value().map(|v| host = v),
            "--port" => value().and_then(|v| {
                v.parse()
                    .map(|p| port = p)
                    .map_err(|e| format!("--port: {e}"))
            }),
            "--password" => value().map(|v| root_password = Some(zeroize::Zeroizing::new(v))),
            "--agent-password" => {
                value().map(|v| agent_password = Some(zeroize::Zeroizing::new(v)))
            }
            "--help" | "-h" => {
                println!(
                    "usage: obshell-mock [--host HOST] [--port PORT] [--password P] [--agent-password P]"
                );
                return ExitCode::SUCCESS;
            }
            other => Err(format!("unknown argument `{other}`")),
        };
        if let Err(error) = parsed {
            eprintln!("obshell-mock: {error}");
            return ExitCode::FAILURE;
        }
    }
    let router = if root_password.is_some() || agent_password.is_some() {
        let key = match AgentKey::generate(1024) {
            Ok(key) => key,
            Err(error) => {
                eprintln!("obshell-mock: {error}");
                return ExitCode::FAILURE;
            }
        };
        let public_key = match key.public_key_base64() {
            Ok(public_key) => public_key,
            Err(error) => {
                eprintln!("obshell-mock: {error}");
                return ExitCode::FAILURE;
            }
        };
        let service = mock::with_preferences(router(WithKey { public_key, port }));
        require_password(
            service,
            AgentAuth {
                key,
                root_password,
                agent_password,
            },
        )
    } else {
        mock::router()
    };
    bindings_server::serve_blocking("obshell-mock", &host, port, router)
}
