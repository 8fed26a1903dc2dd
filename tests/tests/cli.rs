//! Each generated command line drives every operation of its API against
//! the API's mock server: arguments built from the spec (parameter examples,
//! the request body example as `--json-body`), answers printed as JSON.

mod support;

use support::serve;

use dbss_client::bindings_client::cli;
use dbss_client::dbss_types::{Limit, TimeRange};
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

/// Runs one command line of `subcommands` in-process against `client`.
async fn run_dbss(client: &dbss_client::Client, arguments: &[String]) -> cli::Answer {
    let matches = clap::Command::new("dbss")
        .subcommands(dbss_client::cli::subcommands())
        .try_get_matches_from(std::iter::once("dbss".to_owned()).chain(arguments.iter().cloned()))
        .unwrap_or_else(|error| panic!("{arguments:?}: {error}"));
    dbss_client::cli::execute(client, &matches)
        .await
        .unwrap_or_else(|error| panic!("{arguments:?}: {error}"))
}

#[tokio::test]
async fn the_dbss_command_line_runs_every_operation_against_the_mock() {
    let address = serve(dbss_server::mock::router()).await;
    let spec = support::load("dbss.yaml");
    let scratch = std::env::temp_dir().join(format!("cli-test-dbss-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch");
    let client = dbss_client::Client::with_token(&format!("http://{address}"), "token");
    let mut printed = Vec::new();
    for command in dbss_client::cli::subcommands() {
        let operation_id = command.get_name().replace('-', "_");
        let arguments = arguments(&spec, &operation_id, &scratch);
        printed.push(run_dbss(&client, &arguments).await);
    }
    std::fs::remove_dir_all(&scratch).ok();
    assert_eq!(printed.len(), 4, "one answer per operation");
    let cli::Answer::Json(first) = &printed[0] else {
        panic!("a JSON answer: {:?}", printed[0]);
    };
    assert_eq!(
        first[0]["db_ip"], "100.79.0.248",
        "count_db_client_session answered its example"
    );
}

#[tokio::test]
async fn body_members_are_flags_and_integers_are_checked_in_words() {
    let address = serve(dbss_server::mock::router()).await;
    let client = dbss_client::Client::with_token(&format!("http://{address}"), "token");
    let project = "b9351f98c724428794ba7d105fa3558d".to_owned();
    let instance = "e0f8c6d4a2b7495f8a3c1d2e4f6a8b0c".to_owned();
    let answer = run_dbss(
        &client,
        &[
            "count-operation-statistics".into(),
            "--project-id".into(),
            project.clone(),
            "--instance-id".into(),
            instance,
            "--time-range".into(),
            TimeRange::Month.to_string(),
            "--regenerate".into(),
            "0".into(),
        ],
    )
    .await;
    assert!(matches!(answer, cli::Answer::Json(_)), "{answer:?}");

    let over = (i64::from(Limit::MAX) + 1).to_string();
    let matches = clap::Command::new("dbss")
        .subcommands(dbss_client::cli::subcommands())
        .try_get_matches_from([
            "dbss",
            "list-audit-summary-infos",
            "--project-id",
            &project,
            "--limit",
            &over,
        ])
        .expect("parses");
    let failure = dbss_client::cli::execute(&client, &matches)
        .await
        .expect_err("out of range");
    assert_eq!(
        failure.to_string(),
        format!(
            "--limit: invalid Limit: `{over}` is not an integer from {} to {}",
            Limit::MIN,
            Limit::MAX
        )
    );
}

#[test]
fn every_example_body_decodes_as_its_operation_takes_it() {
    for command in dbss_client::cli::subcommands() {
        let name = command.get_name().to_owned();
        let takes_body = command
            .get_arguments()
            .any(|arg| arg.get_id() == "json-body");
        let matches = clap::Command::new("dbss")
            .subcommands(dbss_client::cli::subcommands())
            .try_get_matches_from(["dbss", name.as_str(), "--example"]);
        if !takes_body {
            assert!(matches.is_err(), "{name} takes no body, so no --example");
            continue;
        }
        let matches = matches.unwrap_or_else(|error| panic!("{name} --example: {error}"));
        let example = dbss_client::cli::example(&matches).expect("an example");
        let value: Value = serde_json::from_str(example).expect("JSON");
        assert!(value.is_object(), "{name}: {example}");
    }
}

#[tokio::test]
async fn the_obshell_command_line_runs_every_operation_against_the_mock() {
    let address = serve(obshell_server::mock::router()).await;
    let spec = support::load("obshell.yaml");
    let scratch = std::env::temp_dir().join(format!("cli-test-obshell-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch");
    let credential = obshell_client::obshell_auth::Credential::RootPassword("password".into());
    let client = obshell_client::Client::for_agent("127.0.0.1", address.port(), credential);
    let mut printed = Vec::new();
    for command in obshell_client::cli::subcommands() {
        let operation_id = command.get_name().replace('-', "_");
        let arguments = arguments(&spec, &operation_id, &scratch);
        let matches = clap::Command::new("obshell")
            .subcommands(obshell_client::cli::subcommands())
            .try_get_matches_from(
                std::iter::once("obshell".to_owned()).chain(arguments.iter().cloned()),
            )
            .unwrap_or_else(|error| panic!("{arguments:?}: {error}"));
        printed.push(
            obshell_client::cli::execute(&client, &matches)
                .await
                .unwrap_or_else(|error| panic!("{arguments:?}: {error}")),
        );
    }
    std::fs::remove_dir_all(&scratch).ok();
    assert_eq!(printed.len(), 2, "one answer per operation");
    assert!(
        printed
            .iter()
            .all(|answer| matches!(answer, cli::Answer::Json(_)))
    );
}
