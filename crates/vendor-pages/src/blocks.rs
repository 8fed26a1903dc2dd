//! A page as a flat sequence of located blocks: what the HTML and the
//! reStructuredText readers produce, and what [`crate::layout`] places
//! into a [`crate::page::Page`].

/// One block of a page and the line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub line: usize,
    pub kind: BlockKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    /// A section title, inline markup removed.
    Heading(String),
    /// A paragraph or a list item, inline markup removed, one line.
    Text(String),
    Table(RawTable),
    /// A code block, as written.
    Code(String),
}

/// A table as cells: its caption (with its `Table N`), header and rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawTable {
    pub caption: Option<String>,
    pub header: Vec<String>,
    pub rows: Vec<RawRow>,
}

/// One body row: its first line and its cells (multi-line text, list
/// items starting with `• `).
#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    pub line: usize,
    pub cells: Vec<String>,
}

/// Most blocks, tables, rows and cells a reader keeps (hostile input).
pub const MAX_BLOCKS: usize = 20_000;
pub const MAX_ROWS: usize = 2_000;
pub const MAX_CELLS: usize = 32;

/// `text` on one line, runs of whitespace as one space.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
