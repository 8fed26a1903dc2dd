//! Characters YAML forbids are located errors, never a document cut short.

use openapi_source::SourceDoc;

const SPEC: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

fn refused(text: &str) -> (usize, usize, String) {
    match SourceDoc::parse(text) {
        Ok(_) => panic!("accepted: {text:?}"),
        Err(error) => (error.position.line, error.position.col, error.message),
    }
}

#[test]
fn a_nul_after_a_valid_spec_is_refused_where_it_is() {
    let (line, col, message) = refused(&format!("{SPEC}\0junk: 1\n"));
    assert_eq!((line, col), (4, 1));
    assert!(message.contains("U+0000"), "{message}");
}

#[test]
fn a_nul_inside_a_value_is_refused() {
    let (line, col, _) = refused("openapi: 3.0\0.3\n");
    assert_eq!((line, col), (1, 13));
}

#[test]
fn other_forbidden_controls_are_refused() {
    for c in ['\u{1}', '\u{1b}', '\u{8}', '\u{1f}'] {
        let (line, _, message) = refused(&format!("{SPEC}x: \"a{c}b\"\n"));
        assert_eq!(line, 4, "{c:?}");
        assert!(message.starts_with("the character U+"), "{message}");
    }
}

#[test]
fn tabs_line_ends_c1_in_quotes_and_a_leading_bom_are_fine() {
    assert!(SourceDoc::parse(&format!("\u{feff}{SPEC}x: \"a\tb\u{85}\u{9c}\u{7f}\"\r\n")).is_ok());
}

#[test]
fn printable_escapes_every_control_character() {
    let hostile = "a\n::error file=x::pwned\r\u{1b}[31m";
    let shown = openapi_source::printable(hostile);
    assert_eq!(shown, "a\\n::error file=x::pwned\\r\\u{1b}[31m");
    assert!(!shown.chars().any(char::is_control));
}
