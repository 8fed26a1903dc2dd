//! Descriptions as rustdoc reads them: the spec's Markdown with its lazy
//! continuation lines made explicit.
//!
//! CommonMark lets a paragraph inside a block quote or a list item go on
//! without its marker (`> quoted` then `more`); rustdoc renders that, and
//! clippy's `doc_lazy_continuation` refuses it in generated docs (Ory
//! Kratos, Garage, Box and Redoc's big example spec failed there). Every
//! `description` of the model gets the `> ` or the indentation its line
//! stands for, so the docs read the same and lint clean. Fenced code is
//! left as it is, and so are values (`example`, `default`, `enum`,
//! extensions), where a `description` key is data.

use serde_json::Value;

/// Keys whose values are data, not Schema or Operation Objects.
const DATA: &[&str] = &["example", "examples", "default", "enum", "const"];

/// Rewrites every `description` in `spec` (see the module docs).
pub fn descriptions(spec: &mut Value) {
    walk(spec, 0);
}

fn walk(value: &mut Value, depth: usize) {
    if depth > openapi_source::MAX_DEPTH {
        return;
    }
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                match child {
                    Value::String(text) if key == "description" => {
                        without_tabs(text);
                        if let Some(rewritten) = explicit_continuations(text) {
                            *text = rewritten;
                        }
                    }
                    Value::String(text) if key == "summary" => without_tabs(text),
                    _ if DATA.contains(&key.as_str()) || key.starts_with("x-") => {}
                    _ => walk(child, depth + 1),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                walk(item, depth + 1);
            }
        }
        _ => {}
    }
}

/// Tabs become four spaces: Markdown reads a tab as a tab stop of four,
/// and clippy's `tabs_in_doc_comments` refuses tabs in generated docs
/// (Adyen's checkout spec and Kubernetes' apps/v1 failed there).
fn without_tabs(text: &mut String) {
    if text.contains('\t') {
        *text = text.replace('\t', "    ");
    }
}

/// What a line continues, for the line after it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    Nothing,
    /// A paragraph inside a block quote.
    Quote,
    /// A paragraph of a list item whose content starts at this column.
    Item(usize),
}

/// `text` with each lazy continuation line given its `> ` or its list
/// item's indentation, and each continuation line of a paragraph inside a
/// list item indented to the item's content (clippy's
/// `doc_overindented_list_items`: influxdb's `-  The endpoint ...` items);
/// `None` when there is none.
pub fn explicit_continuations(text: &str) -> Option<String> {
    let mut lines = Vec::new();
    let mut changed = false;
    let mut open = Open::Nothing;
    // The content column of the list item the text is in, across its
    // blank lines and fences.
    let mut item: Option<usize> = None;
    let mut fence: Option<&str> = None;
    for line in text.split('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(marker) = fence {
            if trimmed.starts_with(marker) {
                fence = None;
            }
            lines.push(line.to_owned());
            continue;
        }
        let line_kind = classify(trimmed, indent);
        if !matches!(line_kind, Line::Blank | Line::Item(_)) && item.is_some_and(|c| indent < c) {
            item = None;
        }
        let (kept, next) = match line_kind {
            Line::Fence(marker) => {
                fence = Some(marker);
                (line.to_owned(), Open::Nothing)
            }
            Line::Blank => (line.to_owned(), Open::Nothing),
            Line::Block => {
                item = None;
                (line.to_owned(), Open::Nothing)
            }
            Line::Quote => (line.to_owned(), Open::Quote),
            Line::Item(width) => {
                item = Some(indent + width);
                (line.to_owned(), Open::Item(indent + width))
            }
            Line::Text => match (open, item) {
                (Open::Quote, _) => {
                    changed = true;
                    (format!("> {trimmed}"), Open::Quote)
                }
                (Open::Item(column), _) if indent != column => {
                    changed = true;
                    (format!("{}{trimmed}", " ".repeat(column)), open)
                }
                // A paragraph of the item after a blank line (one indented
                // four more is code, whose lines are left alone).
                (Open::Nothing, Some(column)) if indent < column + 4 => {
                    (line.to_owned(), Open::Item(column))
                }
                _ => (line.to_owned(), open),
            },
        };
        lines.push(kept);
        open = next;
    }
    changed.then(|| lines.join("\n"))
}

enum Line {
    Blank,
    /// A code fence opening, with its marker.
    Fence(&'static str),
    /// `> ...`
    Quote,
    /// A list item, with the width of its marker and the spaces after it.
    Item(usize),
    /// A heading, a rule or a table row: it starts a block of its own.
    Block,
    Text,
}

fn classify(trimmed: &str, indent: usize) -> Line {
    if trimmed.is_empty() {
        return Line::Blank;
    }
    if indent > 3 {
        return Line::Text;
    }
    for marker in ["```", "~~~"] {
        if trimmed.starts_with(marker) {
            return Line::Fence(marker);
        }
    }
    if trimmed.starts_with('>') {
        return Line::Quote;
    }
    if trimmed.starts_with('#') || trimmed.starts_with('|') || is_rule(trimmed) {
        return Line::Block;
    }
    match list_marker_width(trimmed) {
        Some(width) => Line::Item(width),
        None => Line::Text,
    }
}

/// `---`, `***` or `___` (spaces allowed between).
fn is_rule(trimmed: &str) -> bool {
    let marks: Vec<char> = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
    marks.len() >= 3 && ['-', '*', '_'].contains(&marks[0]) && marks.iter().all(|c| *c == marks[0])
}

/// The width of a list item's marker and the spaces after it (`- `, `10. `),
/// if `trimmed` starts a list item.
fn list_marker_width(trimmed: &str) -> Option<usize> {
    let bytes = trimmed.as_bytes();
    let marker = match bytes.first()? {
        b'-' | b'*' | b'+' => 1,
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits > 9 || !matches!(bytes.get(digits), Some(b'.' | b')')) {
                return None;
            }
            digits + 1
        }
        _ => return None,
    };
    let spaces = bytes[marker..].iter().take_while(|b| **b == b' ').count();
    // A marker needs a space after it; five or more make indented code,
    // whose item content starts one space in.
    match spaces {
        0 => None,
        1..=4 => Some(marker + spaces),
        _ => Some(marker + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::explicit_continuations as explicit;

    #[test]
    fn tabs_in_descriptions_and_summaries_become_spaces() {
        let mut spec = serde_json::json!({
            "paths": {"/a": {"get": {"summary": "a\tb", "description": "\tcode",
                                     "x-note": {"description": "\tkept"}}}}
        });
        super::descriptions(&mut spec);
        let get = &spec["paths"]["/a"]["get"];
        assert_eq!(get["summary"], "a    b");
        assert_eq!(get["description"], "    code");
        assert_eq!(get["x-note"]["description"], "\tkept");
    }

    #[test]
    fn a_quote_goes_on_with_its_marker() {
        assert_eq!(
            explicit("Intro.\n\n> Not for API clients and\nonly for browsers.\n\nMore.").as_deref(),
            Some("Intro.\n\n> Not for API clients and\n> only for browsers.\n\nMore.")
        );
    }

    #[test]
    fn a_list_item_goes_on_indented() {
        assert_eq!(
            explicit("- `zone`: where\nit runs\n- `tags`: labels\n10. ten\nand more").as_deref(),
            Some("- `zone`: where\n  it runs\n- `tags`: labels\n10. ten\n    and more")
        );
    }

    #[test]
    fn a_list_item_s_paragraphs_go_on_at_its_content_column() {
        // influxdb's common.yml: lines indented past the item's content.
        assert_eq!(
            explicit("- `a`: indicates you\n   an organization.").as_deref(),
            Some("- `a`: indicates you\n  an organization.")
        );
        let text = "-  The endpoint:\n\n    Passing this returns\n    an AST.\n\n        code\n        more code\n\nAfter.\nmore";
        assert_eq!(
            explicit(text).as_deref(),
            Some(
                "-  The endpoint:\n\n    Passing this returns\n   an AST.\n\n        code\n        more code\n\nAfter.\nmore"
            )
        );
    }

    #[test]
    fn a_blank_line_a_heading_or_a_rule_ends_them() {
        let text = "> quoted\n\nnot quoted\n- item\n# Heading\n* item\n---\ntext";
        assert_eq!(explicit(text), None);
    }

    #[test]
    fn fenced_code_is_left_alone() {
        let text = "- run:\n  ```\n> not a quote\nplain\n  ```";
        assert_eq!(explicit(text), None);
    }

    #[test]
    fn text_without_lazy_lines_is_unchanged() {
        assert_eq!(explicit("One line."), None);
        assert_eq!(
            explicit("+1 is not an item\n-1 neither\n2.5 nor this"),
            None
        );
        assert_eq!(explicit("- item\n  indented already"), None);
    }

    #[test]
    fn data_is_not_rewritten() {
        let mut spec = serde_json::json!({
            "description": "> a\nb",
            "example": {"description": "> a\nb"},
            "x-note": {"description": "> a\nb"},
            "properties": {"description": {"description": "- a\nb"}},
        });
        super::descriptions(&mut spec);
        assert_eq!(spec["description"], "> a\n> b");
        assert_eq!(spec["example"]["description"], "> a\nb");
        assert_eq!(spec["x-note"]["description"], "> a\nb");
        assert_eq!(spec["properties"]["description"]["description"], "- a\n  b");
    }
}
