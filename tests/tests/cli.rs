//! Each generated command line drives every operation of its API against
//! the API's mock server: arguments built from the spec (parameter examples,
//! the request body example as `--json-body`), answers printed as JSON.

mod support;

use support::serve;

use std::sync::Mutex;

use serde_json::Value;

/// Command-line arguments for an operation: each non-credential parameter
/// with its example (or the shortest valid string), the request body
/// example in a file.
fn arguments(spec: &Value, operation_id: &str, scratch: &std::path::Path) -> Vec<String> {
    let resolve = |node: &Value| -> Value {
        match node.get("$ref").and_then(Value::as_str) {
            Some(reference) => spec
                .pointer(reference.trim_start_matches('#'))
                .expect("resolves")
                .clone(),
            None => node.clone(),
        }
    };
    for item in spec["paths"].as_object().expect("paths").values() {
        for operation in item.as_object().expect("path item").values() {
            if operation["operationId"] != operation_id {
                continue;
            }
            let mut arguments = vec![operation_id.replace('_', "-")];
            for parameter in operation
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let parameter = resolve(parameter);
                if parameter["in"] == "header" {
                    continue; // credentials: the client applies them
                }
                let schema = resolve(&parameter["schema"]);
                let value = parameter
                    .get("example")
                    .or_else(|| schema.get("default"))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .unwrap_or_else(|| {
                        "a".repeat(
                            schema.get("minLength").and_then(Value::as_u64).unwrap_or(1) as usize
                        )
                    });
                arguments.push(format!(
                    "--{}",
                    parameter["name"].as_str().expect("name").replace('_', "-")
                ));
                arguments.push(value);
            }
            if let Some(body) = operation.get("requestBody") {
                let media = &resolve(body)["content"]["application/json"];
                let example = media["examples"]
                    .as_object()
                    .and_then(|e| e.values().next())
                    .expect("a body example");
                let file = scratch.join(format!("{operation_id}.json"));
                std::fs::write(&file, resolve(example)["value"].to_string())
                    .expect("write the body");
                arguments.push("--json-body".into());
                arguments.push(file.display().to_string());
            }
            return arguments;
        }
    }
    panic!("no operation `{operation_id}`")
}

/// Collects what a command line prints.
#[derive(Default)]
struct Collect(Mutex<Vec<Value>>);

macro_rules! collect_config {
    ($krate:ident) => {
        impl $krate::cli::CliConfig for &Collect {
            fn success_item<T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug>(
                &self,
                value: &$krate::ResponseValue<T>,
            ) {
                self.0
                    .lock()
                    .expect("lock")
                    .push(serde_json::to_value(value.as_ref()).expect("encodes"));
            }
            fn success_no_item(&self, _: &$krate::ResponseValue<()>) {}
            fn error<T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug>(
                &self,
                error: &$krate::Error<T>,
            ) {
                panic!("the mock's default answer is a success: {error}");
            }
            fn list_start<T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug>(&self) {}
            fn list_item<T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug>(
                &self,
                _: &T,
            ) {
            }
            fn list_end_success<T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug>(
                &self,
            ) {
            }
            fn list_end_error<T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug>(
                &self,
                _: &$krate::Error<T>,
            ) {
            }
        }
    };
}

collect_config!(dbss_client);
collect_config!(obshell_client);

#[tokio::test]
async fn the_dbss_command_line_runs_every_operation_against_the_mock() {
    use dbss_client::cli::{Cli, CliCommand};
    let address = serve(dbss_server::mock::router()).await;
    let spec = support::load("dbss.yaml");
    let scratch = std::env::temp_dir().join(format!("cli-test-dbss-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch");
    let collect = Collect::default();
    let cli = Cli::new(
        dbss_client::Client::with_token(&format!("http://{address}"), "token"),
        &collect,
    );
    for operation in CliCommand::iter() {
        let arguments = arguments(&spec, operation.operation_id(), &scratch);
        let matches = Cli::<&Collect>::get_command(operation)
            .try_get_matches_from(&arguments)
            .unwrap_or_else(|error| panic!("{arguments:?}: {error}"));
        cli.execute(operation, &matches)
            .await
            .unwrap_or_else(|error| panic!("{arguments:?}: {error}"));
    }
    std::fs::remove_dir_all(&scratch).ok();
    let printed = collect.0.lock().expect("lock");
    assert_eq!(printed.len(), 4, "one answer per operation");
    assert_eq!(
        printed[0][0]["db_ip"], "100.79.0.248",
        "count_db_client_session answered its example"
    );
}

#[tokio::test]
async fn the_obshell_command_line_runs_every_operation_against_the_mock() {
    use obshell_client::cli::{Cli, CliCommand};
    let address = serve(obshell_server::mock::router()).await;
    let spec = support::load("obshell.yaml");
    let scratch = std::env::temp_dir().join(format!("cli-test-obshell-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch");
    let collect = Collect::default();
    let credential = obshell_client::obshell_auth::Credential::RootPassword("password".into());
    let cli = Cli::new(
        obshell_client::Client::for_agent("127.0.0.1", address.port(), credential),
        &collect,
    );
    for operation in CliCommand::iter() {
        let arguments = arguments(&spec, operation.operation_id(), &scratch);
        let matches = Cli::<&Collect>::get_command(operation)
            .try_get_matches_from(&arguments)
            .unwrap_or_else(|error| panic!("{arguments:?}: {error}"));
        cli.execute(operation, &matches)
            .await
            .unwrap_or_else(|error| panic!("{arguments:?}: {error}"));
    }
    std::fs::remove_dir_all(&scratch).ok();
    let printed = collect.0.lock().expect("lock");
    assert_eq!(printed.len(), 2, "one answer per operation");
}
