//! `vendor-bindings docs import` as a user runs it: several pages of one
//! service into one document.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The docs-check test pages of `vendor-pages`.
fn page(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../vendor-pages/tests/docs-pages")
        .join(name)
}

fn import(pages: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vendor-bindings"))
        .args(["docs", "import"])
        .args(pages.iter().map(|name| page(name)))
        .output()
        .expect("vendor-bindings runs")
}

#[test]
fn pages_import_into_one_document_in_page_order() {
    let output = import(&["widgets-clean.txt", "gadget-clean.txt"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    let widgets = stdout.find("/v1/{project_id}/widgets/{widget_id}/stats");
    let gadget = stdout.find("/api/v1/gadget/{name}/stats");
    assert!(
        matches!((widgets, gadget), (Some(w), Some(g)) if w < g),
        "{stdout}"
    );
    assert_eq!(stdout.matches("openapi:").count(), 1, "{stdout}");
}

#[test]
fn two_pages_of_one_operation_are_one_operation_with_either_body() {
    // The same operation documented twice, with other body tables: one
    // operation, each page's body a `oneOf` branch, each example named.
    let output = import(&["widgets-clean.txt", "widgets-changed.txt"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert_eq!(stdout.matches("    post:").count(), 1, "{stdout}");
    assert!(stdout.contains("oneOf:"), "{stdout}");
    assert!(stdout.contains("examples:"), "{stdout}");
}
