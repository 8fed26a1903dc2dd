//! The docs-check mutations on a corpus page: the page's own source edited
//! the ways the `docs-pages` tests edit the seeds (a member or parameter
//! renamed, a type changed, Mandatory flipped, a status code changed, an
//! example value changed), read again, and checked against the import of
//! the unedited page. Each edit must give its finding at its line.
//!
//! Edits keep a cell's width (rst grid and simple tables place cells by
//! column) and, in HTML, touch text only, never markup.

use vendor_pages::page::{Field, Format, Page, Place};

/// One edit of a page's source and the finding docs check must give.
pub struct Mutation {
    pub what: String,
    pub source: String,
    pub rule: &'static str,
    /// The page line the finding must name; `None`: any line.
    pub line: Option<usize>,
}

/// Every mutation that applies to `page`, read from `source`.
pub fn mutations(source: &str, page: &Page, format: Format) -> Vec<Mutation> {
    let edit = Editor {
        lines: source.split_inclusive('\n').collect(),
        html: format == Format::Html,
    };
    let fields = fields(page);
    [
        rename(&edit, &fields),
        retype(&edit, &fields),
        flip_mandatory(&edit, &fields),
        change_status(&edit, page),
        change_example(&edit, page),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A field of the page, what docs check calls a rename of it, and the line
/// where the next row of its table starts (the end of its cells).
struct Row<'a> {
    field: &'a Field,
    missing: &'static str,
    end: usize,
}

/// Query and header parameters, then the request body's rows, then each
/// answer's body rows, in that order (path parameters are also in the URI).
fn fields(page: &Page) -> Vec<Row<'_>> {
    let mut rows = Vec::new();
    let params: Vec<&Field> = page
        .parameters
        .iter()
        .filter(|(place, _)| *place != Place::Path)
        .map(|(_, field)| field)
        .collect();
    push_rows(&mut rows, &params, "parameter-missing");
    for table in page
        .body
        .iter()
        .chain(page.responses.iter().filter_map(|r| r.body.as_ref()))
    {
        let members: Vec<&Field> = table.fields.iter().collect();
        push_rows(&mut rows, &members, "member-missing");
    }
    rows
}

fn push_rows<'a>(rows: &mut Vec<Row<'a>>, fields: &[&'a Field], missing: &'static str) {
    for (i, field) in fields.iter().enumerate() {
        let end = fields
            .get(i + 1)
            .map_or(field.line + 30, |next| next.line.max(field.line + 1));
        rows.push(Row {
            field,
            missing,
            end,
        });
    }
}

struct Editor<'a> {
    lines: Vec<&'a str>,
    html: bool,
}

impl Editor<'_> {
    /// The first whole-word `token` on lines `from..to` (1-based, end
    /// excluded), outside markup: its line and byte offset.
    fn find(&self, token: &str, from: usize, to: usize) -> Option<(usize, usize)> {
        (from..to.min(self.lines.len() + 1)).find_map(|number| {
            let line = self.lines.get(number.checked_sub(1)?)?;
            line.match_indices(token)
                .map(|(at, _)| at)
                .find(|&at| self.whole_word(line, at, token.len()))
                .map(|at| (number, at))
        })
    }

    fn whole_word(&self, line: &str, at: usize, len: usize) -> bool {
        let word = |c: char| c.is_alphanumeric() || c == '_';
        let before = line[..at].chars().next_back().is_none_or(|c| !word(c));
        let after = line[at + len..].chars().next().is_none_or(|c| !word(c));
        let in_markup = self.html && line[..at].rfind('<') > line[..at].rfind('>');
        before && after && !in_markup
    }

    /// The source with `old` at (`line`, `at`) replaced by `new`: a
    /// shorter `new` is padded with spaces, a longer one takes the spaces
    /// after `old`, so table columns stay where they were.
    fn replace(&self, (line, at): (usize, usize), old: &str, new: &str) -> String {
        let mut out = String::new();
        for (i, text) in self.lines.iter().enumerate() {
            if i + 1 != line {
                out.push_str(text);
                continue;
            }
            let rest = &text[at + old.len()..];
            let extra = new.len().saturating_sub(old.len());
            let spaces = rest.len() - rest.trim_start_matches(' ').len();
            let rest = if self.html {
                rest
            } else {
                &rest[extra.min(spaces)..]
            };
            out.push_str(&text[..at]);
            out.push_str(new);
            if !self.html {
                out.extend(std::iter::repeat_n(
                    ' ',
                    old.len().saturating_sub(new.len()),
                ));
            }
            out.push_str(rest);
        }
        out
    }
}

/// A member or parameter renamed (its last letter made `X`): the page
/// documents one the spec does not.
fn rename(edit: &Editor, rows: &[Row]) -> Option<Mutation> {
    rows.iter().find_map(|row| {
        let name = &row.field.name;
        let at = edit.find(name, row.field.line, row.field.line + 1)?;
        let renamed = format!("{}X", &name[..name.len() - name.chars().last()?.len_utf8()]);
        (renamed != *name).then(|| Mutation {
            what: format!("`{name}` renamed `{renamed}`"),
            source: edit.replace(at, name, &renamed),
            rule: row.missing,
            line: Some(row.field.line),
        })
    })
}

/// A primitive type changed for another of the same width.
fn retype(edit: &Editor, rows: &[Row]) -> Option<Mutation> {
    const SWAPS: [(&str, &str); 3] = [
        ("String", "Number"),
        ("Integer", "Boolean"),
        ("Boolean", "Integer"),
    ];
    rows.iter().find_map(|row| {
        let (_, new) = SWAPS
            .iter()
            .find(|(old, _)| row.field.type_text.eq_ignore_ascii_case(old))?;
        let old = &row.field.type_text;
        let new = if old.starts_with(char::is_lowercase) {
            new.to_ascii_lowercase()
        } else {
            (*new).to_owned()
        };
        let at = edit.find(old, row.field.line, row.end)?;
        Some(Mutation {
            what: format!("`{}` typed `{new}` (was `{old}`)", row.field.name),
            source: edit.replace(at, old, &new),
            rule: "type-mismatch",
            line: Some(row.field.line),
        })
    })
}

/// Mandatory `Yes` made `No`, or `No` made `Yes`.
fn flip_mandatory(edit: &Editor, rows: &[Row]) -> Option<Mutation> {
    rows.iter().find_map(|row| {
        let (old, new) = match row.field.mandatory? {
            true => ("Yes", "No"),
            false => ("No", "Yes"),
        };
        let at = edit.find(old, row.field.line, row.end)?;
        Some(Mutation {
            what: format!("`{}` Mandatory `{new}` (was `{old}`)", row.field.name),
            source: edit.replace(at, old, new),
            rule: "required-mismatch",
            line: Some(row.field.line),
        })
    })
}

/// The status code table's first code changed to one the page does not
/// list: the page documents a status the spec does not.
fn change_status(edit: &Editor, page: &Page) -> Option<Mutation> {
    let &(code, line) = page.status_codes.first()?;
    let listed = |c: u16| page.status_codes.iter().any(|&(s, _)| s == c);
    let new = [418_u16, 299, 599].into_iter().find(|&c| !listed(c))?;
    let old = code.to_string();
    let at = edit.find(&old, line, line + 1)?;
    Some(Mutation {
        what: format!("status code {old} listed as {new}"),
        source: edit.replace(at, &old, &new.to_string()),
        rule: "status-missing",
        line: Some(line),
    })
}

/// A string value in the first example (request, else an answer) with one
/// letter changed: the page's example is not the spec's.
fn change_example(edit: &Editor, page: &Page) -> Option<Mutation> {
    let example = page
        .request_example
        .as_ref()
        .or(page.response_examples.first().map(|(_, e)| e))?;
    let value = first_string(&example.value)?;
    let changed: String = value
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i == 0 {
                if c == 'Q' { 'Z' } else { 'Q' }
            } else {
                c
            }
        })
        .collect();
    let quoted = |s: &str| [format!("\"{s}\""), format!("&quot;{s}&quot;")];
    let (at, old, new) =
        quoted(&value)
            .into_iter()
            .zip(quoted(&changed))
            .find_map(|(old, new)| {
                let at = (example.line..example.line + 400).find_map(|n| {
                    let text = edit.lines.get(n.checked_sub(1)?)?;
                    text.find(&old).map(|at| (n, at))
                })?;
                Some((at, old, new))
            })?;
    Some(Mutation {
        what: format!("example value {old} changed to {new}"),
        source: edit.replace(at, &old, &new),
        rule: "example-mismatch",
        line: None,
    })
}

/// The first non-empty string value in `value`, depth first.
fn first_string(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) if !s.is_empty() && !s.contains(['"', '&', '<', '\\']) => {
            Some(s.clone())
        }
        serde_json::Value::Array(items) => items.iter().find_map(first_string),
        serde_json::Value::Object(members) => members.values().find_map(first_string),
        _ => None,
    }
}
