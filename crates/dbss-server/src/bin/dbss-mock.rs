//! `dbss-mock`: the DBSS API answered from its spec's documented examples.
//!
//! ```text
//! cargo run -p dbss-server --bin dbss-mock -- [--host 127.0.0.1] [--port 8080]
//!     [--access-key AK --secret-key SK]
//! ```
//!
//! With an access key pair, only requests signed with it are answered.
//! `Prefer: code=401` or `Prefer: example=<name>` picks another documented
//! answer.

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (mut host, mut port) = ("127.0.0.1".to_owned(), 8080u16);
    let (mut access_key, mut secret_key) = (None, None);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        let parsed = match flag.as_str() {
            "--host" => value().map(|v| host = v),
            "--port" => value().and_then(|v| {
                v.parse()
                    .map(|p| port = p)
                    .map_err(|e| format!("--port: {e}"))
            }),
            "--access-key" => value().map(|v| access_key = Some(v)),
            "--secret-key" => value().map(|v| secret_key = Some(zeroize::Zeroizing::new(v))),
            "--help" | "-h" => {
                println!(
                    "usage: dbss-mock [--host HOST] [--port PORT] [--access-key AK --secret-key SK]"
                );
                return ExitCode::SUCCESS;
            }
            other => Err(format!("unknown argument `{other}`")),
        };
        if let Err(error) = parsed {
            eprintln!("dbss-mock: {error}");
            return ExitCode::FAILURE;
        }
    }
    let mut router = dbss_server::mock::router();
    match (access_key, secret_key) {
        (Some(access_key), Some(secret_key)) => {
            router = dbss_server::require_signatures(router, move |key: &str| {
                (key == access_key).then(|| secret_key.clone())
            });
        }
        (None, None) => {}
        _ => {
            eprintln!("dbss-mock: --access-key and --secret-key go together");
            return ExitCode::FAILURE;
        }
    }
    bindings_server::serve_blocking("dbss-mock", &host, port, router)
}
