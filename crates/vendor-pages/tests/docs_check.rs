//! `docs check` and `docs import`: pages written for the test, in both layouts, against
//! `tests/docs-pages/widgets.yaml` (or `PAGE.yaml`, when a page needs a spec
//! of its own). Each `PAGE.txt` has `PAGE.expect`, the
//! exact findings (page line, rule, message, spec location); a new page is
//! a new case without new code. `docs import` of every page, and of the
//! vendor's seed pages when `../shared` is present, lints clean under the
//! standard ruleset.

use std::path::{Path, PathBuf};

use openapi_lint::{LintConfig, Ruleset, Severity};
use vendor_pages as docs;

fn pages_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/docs-pages")
}

fn pages() -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(pages_dir())
        .expect("docs-pages")
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    pages.sort();
    pages
}

fn spec() -> docs::Spec {
    docs::read_spec(&pages_dir().join("widgets.yaml"), "widgets.yaml").expect("the test spec")
}

/// The spec `page` is checked against: `PAGE.yaml` beside it when there
/// is one (a spec a case needs on its own), else `widgets.yaml`.
fn spec_of(page: &Path) -> docs::Spec {
    let own = page.with_extension("yaml");
    match own.file_name().and_then(|name| name.to_str()) {
        Some(name) if own.exists() => docs::read_spec(&own, name).expect("the page's spec"),
        _ => spec(),
    }
}

#[test]
fn each_page_reports_exactly_its_expected_findings() {
    let mut rules_seen = std::collections::BTreeSet::new();
    for page in pages() {
        let name = page
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&page).expect("page");
        let parsed = docs::page::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let spec = spec_of(&page);
        let findings = docs::compare::check(&name, &parsed, std::slice::from_ref(&spec));
        let got: Vec<String> = findings.iter().map(ToString::to_string).collect();
        let expect_path = page.with_extension("expect");
        let expected: Vec<String> = std::fs::read_to_string(&expect_path)
            .unwrap_or_else(|_| panic!("{} is missing", expect_path.display()))
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(str::to_owned)
            .collect();
        assert_eq!(
            got,
            expected,
            "{name}: findings differ from {}",
            expect_path.display()
        );
        rules_seen.extend(findings.iter().map(|finding| finding.rule));
        for finding in &findings {
            assert!(finding.line > 0, "{finding}: a page line");
            if finding.rule != "operation-missing" {
                assert!(finding.spec.is_some(), "{finding}: a spec location");
            }
        }
    }
    let unseen: Vec<&&str> = docs::RULES
        .iter()
        .filter(|rule| !rules_seen.contains(**rule))
        .collect();
    assert!(unseen.is_empty(), "rules no test page shows: {unseen:?}");
}

#[test]
fn a_clean_page_agrees() {
    let spec = spec();
    for name in ["widgets-clean.txt", "gadget-clean.txt"] {
        let text = std::fs::read_to_string(pages_dir().join(name)).expect("page");
        let page = docs::page::parse(&text).expect("parses");
        assert_eq!(
            docs::compare::check(name, &page, std::slice::from_ref(&spec)),
            vec![],
            "{name}"
        );
    }
}

#[test]
fn pages_that_are_not_pages_are_errors_not_panics() {
    for text in [
        "",
        "hello",
        "Table 1 Path Parameters\nParameter\n",
        "|---|\n| a |",
        "URI\nPOST\n{\n[",
    ] {
        let _ = docs::page::parse(text);
    }
    assert!(docs::page::parse("nothing here").is_err());
}

/// Lints `yaml` under the standard ruleset: the errors.
fn lint_errors(name: &str, yaml: &str) -> Vec<String> {
    openapi_lint::lint_text(Path::new(name), yaml, &LintConfig::new(Ruleset::Standard))
        .into_iter()
        .filter(|finding| finding.severity == Severity::Error)
        .map(|finding| format!("{finding:?}"))
        .collect()
}

#[test]
fn imported_pages_lint_clean_and_agree_with_their_page() {
    // The clean test pages, one whose examples contradict its own tables
    // (kept as `x-page-example`, explained by `x-page-deviations`), and the
    // vendor's pages.
    let mut pages: Vec<PathBuf> = pages()
        .into_iter()
        .filter(|page| {
            let name = page.to_string_lossy();
            name.ends_with("-clean.txt") || name.ends_with("-example-invalid.txt")
        })
        .collect();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    match std::fs::read_dir(&seeds) {
        Ok(entries) => pages.extend(
            entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|path| path.extension().is_some_and(|ext| ext == "txt")),
        ),
        Err(_) => eprintln!("../shared/seeds is absent: importing the test pages only"),
    }
    for page in pages {
        let name = page.display().to_string();
        let text = std::fs::read_to_string(&page).expect("page");
        let parsed = docs::page::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let yaml = docs::import(&parsed);
        let errors = lint_errors(&name, &yaml);
        assert!(
            errors.is_empty(),
            "{name}: the import does not lint:\n{errors:#?}\n{yaml}"
        );
        // And the page agrees with its own import, bar the deviations the
        // import cannot know.
        let imported = openapi_source::SourceDoc::parse(&yaml).expect("YAML");
        let spec = docs::Spec {
            file: "imported.yaml".into(),
            doc: imported,
        };
        let findings = docs::compare::check(&name, &parsed, std::slice::from_ref(&spec));
        assert!(findings.is_empty(), "{name}: {findings:#?}\n{yaml}");
    }
}

#[test]
fn an_example_that_contradicts_its_page_is_kept_and_explained() {
    let name = "widgets-example-invalid.txt";
    let text = std::fs::read_to_string(pages_dir().join(name)).expect("page");
    let page = docs::page::parse(&text).expect("parses");
    let yaml = docs::import(&page);
    let imported = openapi_source::SourceDoc::parse(&yaml).expect("YAML");
    let operation = imported
        .value()
        .pointer("/paths/~1v1~1{project_id}~1widgets~1{widget_id}~1stats/post")
        .expect("the operation");
    for (media, name) in [
        ("/requestBody/content/application~1json", "/window/span"),
        ("/responses/200/content/application~1json", "/0/count"),
    ] {
        let media = operation.pointer(media).expect("media");
        assert!(media.get("example").is_none(), "{yaml}");
        assert!(media.get("x-page-example").is_some(), "{yaml}");
        assert_eq!(
            media.pointer("/x-page-deviations/0/name"),
            Some(&serde_json::json!(name)),
            "{yaml}"
        );
    }
    // The table's types stay.
    assert_eq!(
        imported
            .value()
            .pointer("/components/schemas/WidgetCount/properties/count/type"),
        Some(&serde_json::json!("integer")),
        "{yaml}"
    );
}

/// IAM's old template: a row `<operator>` stands for any member name, and
/// a nested table is captioned with its path (`role.policy`).
const MAP_PAGE: &str = "Modifying a Role\n================\n\nURI\n---\n\nPATCH /v3/roles\n\nRequest Parameters\n------------------\n\n.. table:: **Table 1** Parameters in the request body\n\n   +-----------+-----------+--------+-------------+\n   | Parameter | Mandatory | Type   | Description |\n   +===========+===========+========+=============+\n   | role      | Yes       | Object | The role.   |\n   +-----------+-----------+--------+-------------+\n\n.. table:: **Table 2** role\n\n   +-----------+-----------+--------+-------------+\n   | Parameter | Mandatory | Type   | Description |\n   +===========+===========+========+=============+\n   | policy    | Yes       | Object | The policy. |\n   +-----------+-----------+--------+-------------+\n\n.. table:: **Table 3** role.policy\n\n   +------------+-----------+--------+--------------+\n   | Parameter  | Mandatory | Type   | Description  |\n   +============+===========+========+==============+\n   | <operator> | No        | Object | An operator. |\n   +------------+-----------+--------+--------------+\n\n.. table:: **Table 4** role.policy.<operator>\n\n   +-------------+-----------+------------------+-------------+\n   | Parameter   | Mandatory | Type             | Description |\n   +=============+===========+==================+=============+\n   | <attribute> | No        | Array of strings | Its values. |\n   +-------------+-----------+------------------+-------------+\n\nExample Request\n---------------\n\n.. code-block::\n\n   {\"role\": {\"policy\": {\"StringEquals\": {\"g:Name\": [\"a\"]}}}}\n";

#[test]
fn a_row_for_any_member_name_is_a_map_and_path_captions_nest() {
    let page = docs::page::parse_as(MAP_PAGE, docs::page::Format::Rst).expect("reads");
    let mut coverage = page.coverage.clone();
    assert!(coverage.complete(), "{:?}", coverage.lines("page"));
    let yaml = docs::import(&page);
    assert!(lint_errors("map.yaml", &yaml).is_empty(), "{yaml}");
    let doc = openapi_source::SourceDoc::parse(&yaml).expect("YAML");
    let schemas = doc.value().pointer("/components/schemas").expect("schemas");
    assert_eq!(
        schemas.pointer("/role/properties/policy/$ref"),
        Some(&serde_json::json!("#/components/schemas/role.policy")),
        "{yaml}"
    );
    assert_eq!(
        schemas.pointer("/role.policy/additionalProperties/$ref"),
        Some(&serde_json::json!("#/components/schemas/operator")),
        "{yaml}"
    );
    assert_eq!(
        schemas.pointer("/operator/additionalProperties/type"),
        Some(&serde_json::json!("array")),
        "{yaml}"
    );
    let spec = docs::Spec {
        file: "map.yaml".into(),
        doc,
    };
    let findings = docs::compare::check("map.rst", &page, std::slice::from_ref(&spec));
    assert!(findings.is_empty(), "{findings:#?}\n{yaml}");
}

/// IAM's and ECS's pages: an answer shown by example only (a `400`
/// example, no table for it), and a response object table named like a
/// request one with other members (`group` asked for by name, answered
/// with its id too). The import keeps the example, gives the response
/// table a name of its own, lints clean and agrees with its page.
const EXAMPLE_ONLY_PAGE: &str = "Updating a Group\n================\n\nURI\n---\n\nPUT /v2/groups/{group_id}\n\n.. table:: **Table 1** Path parameters\n\n   ======== ========= ====== ===========\n   Name     Mandatory Type   Description\n   ======== ========= ====== ===========\n   group_id Yes       String The group.\n   ======== ========= ====== ===========\n\nRequest\n-------\n\n.. table:: **Table 2** Request parameters\n\n   ===== ========= ====== =================================\n   Name  Mandatory Type   Description\n   ===== ========= ====== =================================\n   group Yes       Object The group. For details, see Table 3.\n   ===== ========= ====== =================================\n\n.. table:: **Table 3** Objects of request parameter group\n\n   ==== ========= ====== ===========\n   Name Mandatory Type   Description\n   ==== ========= ====== ===========\n   name Yes       String Its name.\n   ==== ========= ====== ===========\n\nResponse\n--------\n\n.. table:: **Table 4** Response parameters\n\n   ===== ========= ====== =================================\n   Name  Mandatory Type   Description\n   ===== ========= ====== =================================\n   group Yes       Object The group. For details, see Table 5.\n   ===== ========= ====== =================================\n\n.. table:: **Table 5** Objects of response parameter group\n\n   ==== ========= ====== ===========\n   Name Mandatory Type   Description\n   ==== ========= ====== ===========\n   id   Yes       String Its id.\n   name Yes       String Its name.\n   ==== ========= ====== ===========\n\nExample Response\n----------------\n\n**Status code: 200**\n\n.. code-block::\n\n   {\"group\": {\"id\": \"g1\", \"name\": \"ops\"}}\n\n**Status code: 400**\n\n.. code-block::\n\n   {\"error\": {\"message\": \"bad name\", \"code\": 400}}\n\nStatus Codes\n------------\n\n=========== ============\nStatus Code Description\n=========== ============\n200         OK\n400         Bad request.\n=========== ============\n";

#[test]
fn an_answer_shown_by_example_only_is_kept_and_names_do_not_clash() {
    let parsed = docs::page::parse_as(EXAMPLE_ONLY_PAGE, docs::page::Format::Rst).expect("reads");
    let mut coverage = parsed.coverage.clone();
    assert!(coverage.complete(), "{:?}", coverage.lines("page"));
    let yaml = docs::import(&parsed);
    let errors = lint_errors("example-only", &yaml);
    assert!(errors.is_empty(), "{errors:#?}\n{yaml}");
    let doc = openapi_source::SourceDoc::parse(&yaml).expect("YAML");
    let value = doc.value();
    let example = value.pointer(
        "/paths/~1v2~1groups~1{group_id}/put/responses/400/content/application~1json/example",
    );
    assert_eq!(
        example,
        Some(&serde_json::json!({"error": {"message": "bad name", "code": 400}})),
        "{yaml}"
    );
    let answer = value
        .pointer("/components/schemas/groupResponse/required")
        .expect(&yaml);
    assert_eq!(answer, &serde_json::json!(["id", "name"]));
    let spec = docs::Spec {
        file: "imported.yaml".into(),
        doc,
    };
    let findings = docs::compare::check("example-only", &parsed, std::slice::from_ref(&spec));
    assert!(findings.is_empty(), "{findings:#?}\n{yaml}");
}
