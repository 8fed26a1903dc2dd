//! reStructuredText pages (the per-service documentation repositories'
//! export of Huawei's pages): section titles, paragraphs and bullets,
//! `.. table::` with a grid or simple table, bare grid and simple tables,
//! `.. code-block::` and `::` literal blocks. A bounded reader of the
//! forms those pages use, not a general rst parser.

use crate::blocks::{
    Block, BlockKind, MAX_BLOCKS, MAX_CELLS, MAX_ROWS, RawRow, RawTable, one_line,
};

/// One source line: its number, indentation (in chars) and text.
#[derive(Clone, Copy)]
struct Line<'a> {
    number: usize,
    indent: usize,
    text: &'a str,
}

impl Line<'_> {
    fn blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// The blocks of an rst page.
pub fn blocks(source: &str) -> Vec<Block> {
    let lines: Vec<Line> = source
        .lines()
        .enumerate()
        .map(|(index, text)| {
            let text = text.trim_end();
            let indent = text.chars().take_while(|c| *c == ' ').count();
            Line {
                number: index + 1,
                indent,
                text: text.trim_start(),
            }
        })
        .collect();
    let mut out = Vec::new();
    let mut at = 0;
    while at < lines.len() && out.len() < MAX_BLOCKS {
        at = block_at(&lines, at, &mut out).max(at + 1);
    }
    out
}

/// Reads the block at `at` into `out`; the index after it.
fn block_at(lines: &[Line], at: usize, out: &mut Vec<Block>) -> usize {
    let line = lines[at];
    let text = line.text;
    if line.blank() || text.starts_with(":original_name:") {
        return at + 1;
    }
    if let Some(next) = lines.get(at + 1)
        && is_underline(next.text, text)
    {
        out.push(heading(line.number, text));
        return at + 2;
    }
    if is_adornment(text)
        && lines
            .get(at + 2)
            .is_some_and(|l| is_underline(l.text, lines[at + 1].text))
    {
        out.push(heading(lines[at + 1].number, lines[at + 1].text));
        return at + 3;
    }
    if let Some(caption) = text.strip_prefix(".. table::") {
        let (body, next) = indented(lines, at + 1, line.indent);
        if let Some(mut table) = table_in(&body) {
            table.1.caption = Some(inline(caption.trim()));
            out.push(Block {
                line: line.number,
                kind: BlockKind::Table(table.1),
            });
        }
        return next;
    }
    if text.starts_with(".. code-block::") || text.starts_with(".. code::") || text == "::" {
        let (body, next) = indented(lines, at + 1, line.indent);
        out.push(code(line.number, &body));
        return next;
    }
    if text.starts_with("..") {
        // A target, a comment or another directive: its own line only
        // (a note's indented text is read as text).
        return at + 1;
    }
    if text.starts_with("+-") || is_simple_border(text) {
        let (body, next) = same_block(lines, at);
        if let Some((line, table)) = table_in(&body) {
            out.push(Block {
                line,
                kind: BlockKind::Table(table),
            });
        }
        return next;
    }
    paragraph(lines, at, out)
}

fn heading(number: usize, text: &str) -> Block {
    Block {
        line: number,
        kind: BlockKind::Heading(inline(text)),
    }
}

fn code(number: usize, body: &[Line]) -> Block {
    let indent = body
        .iter()
        .filter(|l| !l.blank())
        .map(|l| l.indent)
        .min()
        .unwrap_or(0);
    let text = body
        .iter()
        .map(|l| {
            if l.blank() {
                String::new()
            } else {
                format!("{}{}", " ".repeat(l.indent.saturating_sub(indent)), l.text)
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    Block {
        line: body
            .iter()
            .find(|l| !l.blank())
            .map_or(number, |l| l.number),
        kind: BlockKind::Code(text),
    }
}

/// A paragraph or bullet: consecutive non-blank lines that start no other
/// block. A paragraph ending in `::` is followed by a literal block.
fn paragraph(lines: &[Line], at: usize, out: &mut Vec<Block>) -> usize {
    let first = lines[at];
    let mut text = bullet(first.text).to_owned();
    let mut next = at + 1;
    while let Some(line) = lines.get(next) {
        if line.blank()
            || line.text.starts_with("..")
            || line.text.starts_with("+-")
            || is_simple_border(line.text)
            || bullet(line.text) != line.text
            || lines
                .get(next + 1)
                .is_some_and(|l| is_underline(l.text, line.text))
        {
            break;
        }
        text.push(' ');
        text.push_str(line.text);
        next += 1;
    }
    let literal = text.ends_with("::");
    let shown = inline(text.trim_end_matches(':'));
    if !shown.is_empty() {
        out.push(Block {
            line: first.number,
            kind: BlockKind::Text(shown),
        });
    }
    if literal {
        let (body, after) = indented(lines, next, first.indent);
        if body.iter().any(|l| !l.blank()) {
            out.push(code(first.number, &body));
            return after;
        }
    }
    next
}

/// `text` without its bullet (`-  `, `*  `, `#. `, `1. `).
fn bullet(text: &str) -> &str {
    for mark in ["- ", "* ", "#. "] {
        if let Some(rest) = text.strip_prefix(mark) {
            return rest.trim_start();
        }
    }
    if let Some((number, rest)) = text.split_once(". ")
        && !number.is_empty()
        && number.len() <= 3
        && number.chars().all(|c| c.is_ascii_digit())
    {
        return rest.trim_start();
    }
    text
}

/// The lines after `at` indented deeper than `indent` (blank lines
/// included), and the index after them.
fn indented<'a>(lines: &[Line<'a>], at: usize, indent: usize) -> (Vec<Line<'a>>, usize) {
    let mut end = at;
    while let Some(line) = lines.get(end) {
        if !line.blank() && line.indent <= indent {
            break;
        }
        end += 1;
    }
    (lines[at..end].to_vec(), end)
}

/// The table starting at `at`: lines up to the first blank one (a grid
/// table), or up to its third border (a simple table), never past a line
/// indented less than the table.
fn same_block<'a>(lines: &[Line<'a>], at: usize) -> (Vec<Line<'a>>, usize) {
    let indent = lines[at].indent;
    let simple = is_simple_border(lines[at].text);
    let mut borders = 0;
    let mut end = at;
    while let Some(line) = lines.get(end) {
        if !line.blank() && line.indent < indent {
            break;
        }
        if !simple && line.blank() {
            break;
        }
        if simple && is_simple_border(line.text) && line.indent == indent {
            borders += 1;
        }
        end += 1;
        if borders == 3 {
            break;
        }
    }
    (lines[at..end].to_vec(), end)
}

fn is_adornment(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if "=-~^\"'`#*+_:.".contains(first) => {
            text.len() >= 3 && chars.all(|c| c == first)
        }
        _ => false,
    }
}

/// Whether `line` underlines the title `title`.
fn is_underline(line: &str, title: &str) -> bool {
    is_adornment(line)
        && !title.trim().is_empty()
        && !is_adornment(title)
        && line.chars().count() >= title.trim().chars().count()
        && !title.starts_with("..")
        && !title.starts_with('+')
        && !title.starts_with('|')
}

/// `===== ===== ====`: a simple table's border (two columns at least).
fn is_simple_border(text: &str) -> bool {
    text.starts_with('=') && text.contains(' ') && text.chars().all(|c| c == '=' || c == ' ')
}

/// The grid or simple table in `body`, and its first line.
fn table_in(body: &[Line]) -> Option<(usize, RawTable)> {
    let start = body.iter().position(|l| !l.blank())?;
    let mut body = &body[start..];
    if body[0].text.starts_with('+') {
        let end = body.iter().position(Line::blank).unwrap_or(body.len());
        body = &body[..end];
    }
    let indent = body[0].indent;
    // Columns by char position relative to the table's indent.
    let rows: Vec<(usize, Vec<char>)> = body
        .iter()
        .map(|l| {
            let mut chars: Vec<char> = " "
                .repeat(l.indent.saturating_sub(indent))
                .chars()
                .collect();
            chars.extend(l.text.chars());
            (l.number, chars)
        })
        .collect();
    let table = if body[0].text.starts_with('+') {
        grid(&rows)
    } else if is_simple_border(body[0].text) {
        simple(&rows)
    } else {
        None
    }?;
    Some((body[0].number, table))
}

/// Cells of `chars` between column `bounds`.
fn slices(chars: &[char], bounds: &[(usize, usize)]) -> Vec<String> {
    bounds
        .iter()
        .map(|&(start, end)| {
            let end = end.min(chars.len());
            chars
                .get(start..end)
                .map_or(String::new(), |c| c.iter().collect::<String>())
        })
        .map(|cell| cell.trim().to_owned())
        .collect()
}

/// Appends one line of cells to a row's cells.
fn append(cells: &mut Vec<String>, line: Vec<String>) {
    cells.resize(line.len().max(cells.len()), String::new());
    for (cell, part) in cells.iter_mut().zip(line) {
        if !cell.is_empty() || !part.is_empty() {
            cell.push('\n');
        }
        cell.push_str(&part);
    }
}

fn finish(cells: Vec<String>) -> Vec<String> {
    cells.iter().map(|c| cell_text(c)).collect()
}

fn grid(rows: &[(usize, Vec<char>)]) -> Option<RawTable> {
    let (_, border) = rows.first()?;
    let plus: Vec<usize> = border
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == '+')
        .map(|(i, _)| i)
        .take(MAX_CELLS + 1)
        .collect();
    let bounds: Vec<(usize, usize)> = plus.windows(2).map(|w| (w[0] + 1, w[1])).collect();
    if bounds.is_empty() {
        return None;
    }
    let mut table = RawTable::default();
    let mut current: Option<(usize, Vec<String>)> = None;
    let mut done: Vec<RawRow> = Vec::new();
    for (number, chars) in rows {
        if chars.first() == Some(&'+') {
            if let Some((line, cells)) = current.take() {
                done.push(RawRow {
                    line,
                    cells: finish(cells),
                });
            }
            if chars.contains(&'=') && table.header.is_empty() {
                table.header = done
                    .drain(..)
                    .flat_map(|r| r.cells)
                    .take(bounds.len())
                    .collect();
            }
            continue;
        }
        if chars.first() != Some(&'|') {
            return None;
        }
        let entry = current.get_or_insert_with(|| (*number, Vec::new()));
        append(&mut entry.1, slices(chars, &bounds));
        if done.len() >= MAX_ROWS {
            break;
        }
    }
    if let Some((line, cells)) = current.take() {
        done.push(RawRow {
            line,
            cells: finish(cells),
        });
    }
    table.rows = done;
    Some(table)
}

fn simple(rows: &[(usize, Vec<char>)]) -> Option<RawTable> {
    let (_, border) = rows.first()?;
    let mut bounds = Vec::new();
    let mut at = 0;
    while at < border.len() && bounds.len() < MAX_CELLS {
        if border[at] == '=' {
            let start = at;
            while at < border.len() && border[at] == '=' {
                at += 1;
            }
            bounds.push((start, at));
        } else {
            at += 1;
        }
    }
    // Each column runs to the next one's start; the last to the line's end.
    let starts: Vec<usize> = bounds.iter().map(|(s, _)| *s).collect();
    let bounds: Vec<(usize, usize)> = starts
        .iter()
        .enumerate()
        .map(|(i, s)| (*s, starts.get(i + 1).copied().unwrap_or(usize::MAX)))
        .collect();
    let mut table = RawTable::default();
    let mut borders = 0;
    let mut current: Option<(usize, Vec<String>)> = None;
    let mut header: Vec<String> = Vec::new();
    for (number, chars) in rows {
        let text: String = chars.iter().collect();
        if is_simple_border(text.trim()) {
            borders += 1;
            if let Some((line, cells)) = current.take() {
                table.rows.push(RawRow {
                    line,
                    cells: finish(cells),
                });
            }
            if borders == 2 {
                header = table.rows.drain(..).flat_map(|r| r.cells).collect();
            }
            continue;
        }
        if text.trim().is_empty() {
            continue;
        }
        let cells = slices(chars, &bounds);
        let continues = cells.first().is_some_and(String::is_empty) && current.is_some();
        if !continues && let Some((line, cells)) = current.take() {
            table.rows.push(RawRow {
                line,
                cells: finish(cells),
            });
        }
        let entry = current.get_or_insert_with(|| (*number, Vec::new()));
        append(&mut entry.1, cells);
        if table.rows.len() >= MAX_ROWS {
            break;
        }
    }
    if let Some((line, cells)) = current.take() {
        table.rows.push(RawRow {
            line,
            cells: finish(cells),
        });
    }
    table.header = header;
    Some(table)
}

/// A cell's lines as text: paragraphs joined, bullets as `• ` lines.
fn cell_text(raw: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut paragraph = String::new();
    let flush = |paragraph: &mut String, out: &mut Vec<String>| {
        if !paragraph.trim().is_empty() {
            out.push(inline(paragraph.trim()));
        }
        paragraph.clear();
    };
    for line in raw.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with("..") {
            flush(&mut paragraph, &mut out);
            continue;
        }
        let item = bullet(line);
        if item != line {
            flush(&mut paragraph, &mut out);
            paragraph.push_str("• ");
            paragraph.push_str(item);
            continue;
        }
        if !paragraph.is_empty() {
            paragraph.push(' ');
        }
        paragraph.push_str(line);
    }
    flush(&mut paragraph, &mut out);
    out.join("\n")
}

/// Inline markup removed: roles (`:ref:`text <target>``), links,
/// literals, emphasis and backslash escapes.
pub fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut at = 0;
    while at < chars.len() {
        let c = chars[at];
        match c {
            '\\' => {
                if let Some(next) = chars.get(at + 1) {
                    out.push(*next);
                }
                at += 2;
                continue;
            }
            '*' => {}
            '`' => {
                // `text <target>`_ or ``literal``: keep the text.
                let end = chars[at + 1..]
                    .iter()
                    .position(|c| *c == '`')
                    .map(|p| at + 1 + p);
                let Some(end) = end else {
                    at += 1;
                    continue;
                };
                let inner: String = chars[at + 1..end].iter().collect();
                let shown = match inner.rfind(" <") {
                    Some(cut) if inner.ends_with('>') => inner[..cut].to_owned(),
                    _ => inner,
                };
                out.push_str(&shown);
                at = end + 1;
                while at < chars.len() && (chars[at] == '`' || chars[at] == '_') {
                    at += 1;
                }
                continue;
            }
            ':' => {
                // A role: `:name:` right before a backquote.
                let name_end = chars[at + 1..]
                    .iter()
                    .position(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
                    .map(|p| at + 1 + p);
                if let Some(end) = name_end
                    && end > at + 1
                    && chars.get(end) == Some(&':')
                    && chars.get(end + 1) == Some(&'`')
                {
                    at = end + 1;
                    continue;
                }
                out.push(c);
            }
            _ => out.push(c),
        }
        at += 1;
    }
    one_line(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markup_goes() {
        assert_eq!(
            inline("PUT https://{*Endpoint*}/v3/{*project_id*}/ip"),
            "PUT https://{Endpoint}/v3/{project_id}/ip"
        );
        assert_eq!(
            inline(":ref:`RetypeVolume <evs_04>` object"),
            "RetypeVolume object"
        );
        assert_eq!(
            inline("see `region <https://x.y/z>`__ and ``a\\_b``"),
            "see region and a_b"
        );
    }

    #[test]
    fn grid_and_simple_tables() {
        let page = "T\n=\n\n.. table:: **Table 1** URI parameters\n\n   ========== ========= ======\n   Parameter  Mandatory Type\n   ========== ========= ======\n   project_id Yes       String\n   volume_id  Yes       String\n                        more\n   ========== ========= ======\n\n+-----+------+\n| A   | B    |\n+=====+======+\n| x   | y    |\n|     | z    |\n+-----+------+\n";
        let blocks = blocks(page);
        let tables: Vec<&RawTable> = blocks
            .iter()
            .filter_map(|b| match &b.kind {
                BlockKind::Table(t) => Some(t),
                _ => None,
            })
            .collect();
        assert_eq!(tables.len(), 2, "{blocks:#?}");
        assert_eq!(tables[0].header, ["Parameter", "Mandatory", "Type"]);
        assert_eq!(tables[0].rows.len(), 2);
        assert_eq!(tables[0].rows[1].cells[2], "String more");
        assert_eq!(tables[1].rows[0].cells, ["x", "y z"]);
        assert_eq!(tables[1].rows[0].line, 17);
    }
}
