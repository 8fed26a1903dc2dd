//! The vendor's saved HTML of an API page (Huawei's export, as Open
//! Telekom Cloud's doc-exports keep it): `h1`/`h4` titles, paragraphs and
//! list items, `table` with `caption`, `thead` and `tbody`, `pre`
//! examples. Parsed with `scraper` (html5ever); each block's page line is
//! found by walking the source alongside, in document order.

use scraper::{ElementRef, Html, Node};

use crate::blocks::{
    Block, BlockKind, MAX_BLOCKS, MAX_CELLS, MAX_ROWS, RawRow, RawTable, one_line,
};

/// How deep elements are followed (html5ever builds any depth).
const MAX_DEPTH: usize = 128;

/// Deepest element nesting read: html5ever's tree building slows down
/// quadratically with depth, and no page of the vendor's nests beyond 40.
const MAX_SOURCE_DEPTH: usize = 512;

/// The blocks of an HTML page, or why it is not read (the line where it
/// nests too deep).
pub fn blocks(source: &str) -> Result<Vec<Block>, (usize, String)> {
    if let Some(line) = too_deep(source) {
        return Err((
            line,
            format!("elements nested deeper than {MAX_SOURCE_DEPTH}"),
        ));
    }
    Ok(parse(source))
}

/// The line where the source's tags (void ones aside) first nest deeper
/// than [`MAX_SOURCE_DEPTH`], counted without parsing.
fn too_deep(source: &str) -> Option<usize> {
    const VOID: &[&str] = &[
        "br", "img", "hr", "meta", "link", "input", "col", "wbr", "area", "base", "source",
    ];
    let mut depth = 0usize;
    let mut line = 1;
    let bytes = source.as_bytes();
    for (at, byte) in bytes.iter().enumerate() {
        match byte {
            b'\n' => line += 1,
            b'<' => match bytes.get(at + 1) {
                Some(b'/') => depth = depth.saturating_sub(1),
                Some(c) if c.is_ascii_alphabetic() => {
                    let name: String = source[at + 1..]
                        .chars()
                        .take_while(char::is_ascii_alphanumeric)
                        .collect::<String>()
                        .to_ascii_lowercase();
                    if !VOID.contains(&name.as_str()) {
                        depth += 1;
                    }
                    if depth > MAX_SOURCE_DEPTH {
                        return Some(line);
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    None
}

fn parse(source: &str) -> Vec<Block> {
    let document = Html::parse_document(source);
    let mut walker = Walker {
        locator: Locator::new(source),
        out: Vec::new(),
        text: String::new(),
        text_line: 1,
    };
    walker.element(document.root_element(), 0);
    walker.flush();
    walker.out
}

/// Finds elements in the source, in document order: the line of an
/// element's `id` (Huawei's export gives most block elements one), else
/// of its next opening tag.
struct Locator<'a> {
    source: &'a str,
    cursor: usize,
    /// The line of `cursor`, counted as it moves (never from the start).
    line: usize,
}

impl<'a> Locator<'a> {
    fn new(source: &'a str) -> Self {
        Locator {
            source,
            cursor: 0,
            line: 1,
        }
    }

    fn line(&self) -> usize {
        self.line
    }

    /// Moves to `element` and says its line.
    fn at(&mut self, element: &ElementRef) -> usize {
        let rest = self.source.get(self.cursor..).unwrap_or_default();
        let found = match element.attr("id") {
            Some(id) => rest.find(&format!("id=\"{id}\"")),
            None => tag_in(rest, element.value().name()),
        };
        if let Some(offset) = found {
            self.line += rest
                .get(..offset)
                .map_or(0, |skipped| skipped.matches('\n').count());
            self.cursor += offset;
        }
        self.line
    }
}

/// The first `<name` followed by a space, `>` or `/` in `text`.
fn tag_in(text: &str, name: &str) -> Option<usize> {
    let needle = format!("<{name}");
    let mut from = 0;
    while let Some(found) = text.get(from..)?.find(&needle) {
        let at = from + found;
        let next = text[at + needle.len()..].chars().next();
        if matches!(next, Some(' ' | '>' | '/' | '\n' | '\t')) {
            return Some(at);
        }
        from = at + needle.len();
    }
    None
}

struct Walker<'a> {
    locator: Locator<'a>,
    out: Vec<Block>,
    /// Text of the current paragraph, and its line.
    text: String,
    text_line: usize,
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "section"
            | "body"
            | "br"
            | "caption"
    )
}

impl Walker<'_> {
    fn push(&mut self, line: usize, kind: BlockKind) {
        if self.out.len() < MAX_BLOCKS {
            self.out.push(Block { line, kind });
        }
    }

    fn flush(&mut self) {
        let text = one_line(&self.text);
        self.text.clear();
        if !text.is_empty() {
            let line = self.text_line;
            self.push(line, BlockKind::Text(text));
        }
    }

    fn element(&mut self, element: ElementRef, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let name = element.value().name();
        match name {
            "script" | "style" | "head" => {}
            "table" => {
                self.flush();
                let line = self.locator.at(&element);
                let table = self.table(element);
                self.push(line, BlockKind::Table(table));
            }
            "pre" => {
                self.flush();
                let line = self.locator.at(&element);
                let code: String = element.text().collect();
                self.push(line, BlockKind::Code(code));
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                let line = self.locator.at(&element);
                self.push(
                    line,
                    BlockKind::Heading(one_line(&element.text().collect::<String>())),
                );
            }
            name if is_block(name) => {
                self.flush();
                self.text_line = self.locator.at(&element);
                self.children(element, depth);
                self.flush();
            }
            _ => self.children(element, depth),
        }
    }

    fn children(&mut self, element: ElementRef, depth: usize) {
        for child in element.children() {
            match child.value() {
                Node::Text(text) => {
                    if self.text.trim().is_empty() {
                        self.text_line = self.locator.line();
                    }
                    self.text.push_str(text);
                }
                Node::Element(_) => {
                    if let Some(child) = ElementRef::wrap(child) {
                        self.element(child, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    /// A table's caption, header and rows (cells spanning rows repeated
    /// in the rows they span).
    fn table(&mut self, table: ElementRef) -> RawTable {
        let mut raw = RawTable::default();
        let mut rows: Vec<(ElementRef, bool)> = Vec::new();
        for part in table.child_elements() {
            match part.value().name() {
                "caption" => raw.caption = Some(one_line(&part.text().collect::<String>())),
                "thead" => rows.extend(rows_of(part).map(|row| (row, true))),
                "tbody" | "tfoot" => rows.extend(rows_of(part).map(|row| (row, false))),
                "tr" => rows.push((part, false)),
                _ => {}
            }
        }
        let mut spans: Vec<(usize, usize, String)> = Vec::new();
        for (row, in_head) in rows.into_iter().take(MAX_ROWS) {
            let line = self.locator.at(&row);
            let header = in_head || (raw.header.is_empty() && raw.rows.is_empty() && all_th(row));
            let cells = self.cells(row, &mut spans);
            if header && raw.header.is_empty() {
                raw.header = cells.into_iter().map(|c| one_line(&c)).collect();
            } else if !header {
                raw.rows.push(RawRow { line, cells });
            }
        }
        raw
    }

    /// The cells of `row`, with cells of earlier rows that span into it.
    fn cells(&mut self, row: ElementRef, spans: &mut Vec<(usize, usize, String)>) -> Vec<String> {
        let mut cells: Vec<String> = Vec::new();
        let mut own = row
            .child_elements()
            .filter(|cell| matches!(cell.value().name(), "td" | "th"))
            .take(MAX_CELLS);
        while cells.len() < MAX_CELLS {
            let column = cells.len();
            if let Some(span) = spans
                .iter_mut()
                .find(|(at, left, _)| *at == column && *left > 0)
            {
                span.1 -= 1;
                cells.push(span.2.clone());
                continue;
            }
            let Some(cell) = own.next() else { break };
            let text = cell_text(cell, 0);
            let rowspan = cell
                .attr("rowspan")
                .and_then(|n| n.trim().parse::<usize>().ok())
                .unwrap_or(1);
            if rowspan > 1 {
                spans.retain(|(at, _, _)| *at != column);
                spans.push((column, rowspan.min(MAX_ROWS) - 1, text.clone()));
            }
            let colspan = cell
                .attr("colspan")
                .and_then(|n| n.trim().parse::<usize>().ok())
                .unwrap_or(1);
            for _ in 0..colspan.clamp(1, MAX_CELLS) {
                cells.push(text.clone());
            }
        }
        cells.truncate(MAX_CELLS);
        cells
    }
}

fn rows_of<'a>(part: ElementRef<'a>) -> impl Iterator<Item = ElementRef<'a>> {
    part.child_elements()
        .filter(|row| row.value().name() == "tr")
}

fn all_th(row: ElementRef) -> bool {
    let mut cells = row.child_elements().peekable();
    cells.peek().is_some() && cells.all(|cell| cell.value().name() == "th")
}

/// A cell's text: paragraphs on lines of their own, list items as `• `.
fn cell_text(element: ElementRef, depth: usize) -> String {
    let mut out = String::new();
    if depth > MAX_DEPTH {
        return out;
    }
    for child in element.children() {
        match child.value() {
            Node::Text(text) => out.push_str(text),
            Node::Element(_) => {
                let Some(child) = ElementRef::wrap(child) else {
                    continue;
                };
                let name = child.value().name();
                let inner = cell_text(child, depth + 1);
                if name == "li" {
                    out.push_str("\n• ");
                    out.push_str(inner.trim());
                    out.push('\n');
                } else if is_block(name) || matches!(name, "pre" | "table" | "tr") {
                    out.push('\n');
                    out.push_str(&inner);
                    out.push('\n');
                } else {
                    out.push_str(&inner);
                }
            }
            _ => {}
        }
    }
    if depth == 0 {
        return out
            .lines()
            .map(one_line)
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
    }
    out
}
