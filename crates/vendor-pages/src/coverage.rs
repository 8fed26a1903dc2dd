//! How much of a page a reader understood: tables and rows read out of
//! those present, and every block it could not place, located.

/// A block of the page that was not understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unread {
    pub line: usize,
    pub what: String,
}

/// Tables and rows read out of those present, and what was not read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Coverage {
    pub tables: usize,
    pub tables_read: usize,
    pub rows: usize,
    pub rows_read: usize,
    /// In page order.
    pub unread: Vec<Unread>,
}

impl Coverage {
    pub fn unread(&mut self, line: usize, what: impl Into<String>) {
        self.unread.push(Unread {
            line,
            what: what.into(),
        });
    }

    /// Whether everything present was read.
    pub fn complete(&self) -> bool {
        self.unread.is_empty()
    }

    /// `5 of 5 tables, 40 of 42 rows`.
    pub fn summary(&self) -> String {
        format!(
            "{} of {} tables, {} of {} rows",
            self.tables_read, self.tables, self.rows_read, self.rows
        )
    }

    /// The unread blocks as `PAGE:LINE: unread: ...`, first first.
    pub fn lines(&mut self, page: &str) -> Vec<String> {
        self.unread.sort_by_key(|u| u.line);
        self.unread
            .iter()
            .map(|u| format!("{page}:{}: unread: {}", u.line, u.what))
            .collect()
    }
}
