//! Each directory of `tests/diff-pairs/` holds an `old.json` and a
//! `new.json` that differ by one kind of change, and an `expect.txt` with
//! the changes `cargo xtask diff` must report, one a line:
//! `<change-id> client=<level> server=<level> rust=<level>`. A new pair is a
//! new case, with no code to add.

use std::collections::BTreeSet;
use std::path::Path;

use bindings_codegen::diff::{Change, KINDS, diff_texts};

fn pairs() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff-pairs");
    let mut pairs: Vec<_> = std::fs::read_dir(dir)
        .expect("diff-pairs directory")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.is_dir())
        .collect();
    pairs.sort();
    pairs
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

#[test]
fn every_pair_reports_exactly_its_changes_and_classification() {
    let pairs = pairs();
    assert!(!pairs.is_empty(), "the pairs went missing");
    for pair in &pairs {
        let changes = diff_texts(
            "old.json",
            &read(&pair.join("old.json")),
            "new.json",
            &read(&pair.join("new.json")),
        )
        .unwrap_or_else(|error| panic!("{}: {error:#}", pair.display()));
        let reported: BTreeSet<String> = changes
            .iter()
            .map(|c| {
                format!(
                    "{} client={} server={} rust={}",
                    c.id,
                    c.client.name(),
                    c.server.name(),
                    c.rust.name()
                )
            })
            .collect();
        let expected: BTreeSet<String> = read(&pair.join("expect.txt"))
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(str::to_owned)
            .collect();
        assert_eq!(reported, expected, "{}", pair.display());
        // Every change is located in at least one of the two files.
        for change in &changes {
            assert!(
                change.old.is_some() || change.new.is_some(),
                "{}: {} has no location",
                pair.display(),
                change.id
            );
        }
    }
}

#[test]
fn every_change_kind_has_a_pair() {
    let covered: BTreeSet<String> = pairs()
        .iter()
        .flat_map(|pair| {
            read(&pair.join("expect.txt"))
                .lines()
                .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
                .collect::<Vec<_>>()
        })
        .collect();
    let missing: Vec<&str> = KINDS
        .iter()
        .map(|kind| kind.id)
        .filter(|id| !covered.contains(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "change kinds without a pair: {missing:?}"
    );
}

#[test]
fn locations_point_into_both_files() {
    let old = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - name: q\n          in: query\n          schema: {type: string}\n      responses:\n        '200': {description: ok}\n";
    let new = old.replace(
        "        - name: q\n",
        "        - name: q\n          required: true\n",
    );
    let changes = diff_texts("old.yaml", old, "new.yaml", &new).expect("diffs");
    assert_eq!(changes.len(), 1, "{changes:?}");
    let change = &changes[0];
    assert_eq!(change.id, "parameter-became-required");
    assert_eq!(change.operations, ["GET /a"]);
    let (old, new) = (
        change.old.as_ref().expect("old"),
        change.new.as_ref().expect("new"),
    );
    // The parameter's line in each file.
    assert_eq!((old.file.as_str(), old.line), ("old.yaml", 7));
    assert_eq!((new.file.as_str(), new.line), ("new.yaml", 7));
}

/// The changes between two specs of `GET /a` (answering `T`) and
/// `GET /b` (answering `b_answers`), whose schemas `schemas` writes: the
/// old without, the new with a member `b` added to `T`.
fn member_added_to_t(b_answers: &str, schemas: fn(&str) -> String) -> Vec<Change> {
    let spec = |extra: &str| {
        let answer = |schema: &str| {
            format!(
                "      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/{schema}'}}}}}}}}\n"
            )
        };
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n{}  /b:\n    get:\n{}components:\n  schemas:\n{}",
            answer("T"),
            answer(b_answers),
            schemas(extra)
        )
    };
    diff_texts(
        "old",
        &spec(""),
        "new",
        &spec("\n        b: {type: string}"),
    )
    .expect("diffs")
}

#[test]
fn a_change_in_a_shared_schema_is_reported_once_with_every_operation() {
    let changes = member_added_to_t("T", |extra| {
        format!(
            "    T:\n      type: object\n      properties:\n        a: {{type: string}}{extra}\n"
        )
    });
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].id, "response-property-added-optional");
    assert_eq!(changes[0].operations, ["GET /a", "GET /b"]);
}

#[test]
fn a_change_reached_through_a_cycle_lists_every_operation_reaching_it() {
    // GET /a reaches T, T reaches U, U reaches T again; GET /b reaches U.
    // A change in T concerns both, whichever was compared first.
    let changes = member_added_to_t("U", |extra| {
        format!(
            "    T:\n      type: object\n      properties:\n        child: {{$ref: '#/components/schemas/U'}}{extra}\n    U:\n      type: object\n      properties:\n        parent: {{$ref: '#/components/schemas/T'}}\n"
        )
    });
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].id, "response-property-added-optional");
    assert_eq!(changes[0].operations, ["GET /a", "GET /b"]);
}

#[test]
fn broken_input_is_an_error_not_a_panic() {
    assert!(diff_texts("old", "a: [", "new", "openapi: 3.0.3").is_err());
    assert!(
        diff_texts(
            "old",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
            "new",
            "- 1\n"
        )
        .is_err()
    );
}

#[test]
fn architecture_md_carries_the_table_of_change_kinds() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ARCHITECTURE.md"),
    )
    .expect("ARCHITECTURE.md");
    assert!(
        text.contains(&bindings_codegen::diff::kinds::markdown_table()),
        "ARCHITECTURE.md's table of change kinds differs from diff::kinds::KINDS"
    );
}

#[test]
fn every_pair_is_a_valid_spec() {
    let config = openapi_lint::LintConfig::new(openapi_lint::Ruleset::Standard);
    for pair in pairs() {
        for file in ["old.json", "new.json"] {
            let errors: Vec<String> = openapi_lint::lint_file(&pair.join(file), &config)
                .iter()
                .filter(|finding| finding.severity == openapi_lint::Severity::Error)
                .map(ToString::to_string)
                .collect();
            assert!(errors.is_empty(), "{}", errors.join("\n"));
        }
    }
}

/// Issue 26's reproduction: `limit` is an integer string (`type: string,
/// format: int32`) whose bounds the model keeps as `x-minimum`/`x-maximum`;
/// lowering its maximum breaks clients, raising it breaks servers. The
/// bound is read from the spec, so a new one needs no edit here.
#[test]
fn an_integer_string_bound_of_dbss_is_seen_both_ways() {
    let spec = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi/dbss.yaml"),
    )
    .expect("openapi/dbss.yaml");
    let document = openapi_source::SourceDoc::parse(&spec).expect("dbss.yaml parses");
    let pointer = "/components/schemas/Limit/maximum";
    let maximum = document
        .value()
        .pointer(pointer)
        .and_then(serde_json::Value::as_u64)
        .expect("Limit has a maximum");
    let (old, new) = (maximum.to_string(), (maximum / 10).to_string());
    let line = document.position(pointer).line;
    let lowered: String = spec
        .split_inclusive('\n')
        .enumerate()
        .map(|(index, text)| match index + 1 == line {
            true => text.replacen(&old, &new, 1),
            false => text.to_owned(),
        })
        .collect();
    assert_ne!(lowered, spec, "the maximum is on line {line}");
    let changes = diff_texts("old.yaml", &spec, "new.yaml", &lowered).expect("diffs");
    let tightened: Vec<_> = changes
        .iter()
        .filter(|c| c.id == "request-constraint-tightened")
        .collect();
    assert!(!tightened.is_empty(), "{changes:?}");
    assert!(
        tightened
            .iter()
            .all(|c| c.client == bindings_codegen::diff::Level::Breaking),
        "{changes:?}"
    );
    assert!(
        tightened[0]
            .message
            .contains(&format!("maximum {old} -> {new}")),
        "{}",
        tightened[0].message
    );
    let location = tightened[0].new.as_ref().expect("located");
    assert!(location.line > 1, "{location}");
    let raised = diff_texts("old.yaml", &lowered, "new.yaml", &spec).expect("diffs");
    assert!(
        raised.iter().any(|c| c.id == "request-constraint-loosened"
            && c.server == bindings_codegen::diff::Level::Breaking),
        "{raised:?}"
    );
}

/// oasdiff's fixtures omit `responses` and response descriptions: the diff
/// reads a missing `responses` as none and a missing description as empty.
#[test]
fn specs_without_responses_or_descriptions_are_read() {
    let old = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: query, schema: {type: integer, maximum: 10}}\n  /b:\n    get:\n      responses:\n        '200': {content: {application/json: {schema: {type: string}}}}\n";
    let new = old.replace("maximum: 10", "maximum: 5");
    let changes = diff_texts("old.yaml", old, "new.yaml", &new).expect("read tolerantly");
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].id, "request-constraint-tightened");
}
