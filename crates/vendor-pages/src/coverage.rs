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
    /// Tables understood as another operation's (an example section that
    /// walks through a second API with its parameter tables): counted in
    /// `tables` and `rows`, not read into this operation.
    pub aside: Vec<Aside>,
    /// Lines of tables read as prose: no column names a member and none
    /// gives a type (`Security Policy | TLS Version | Cipher Suite`, a
    /// value mapping in a description). Counted as read, and said.
    pub prose: Vec<usize>,
}

/// A table set aside as another operation's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aside {
    pub line: usize,
    pub rows: usize,
    /// Whose it is: `POST /v1/.../publicips (line 476)`.
    pub whose: String,
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

    /// Rows in tables set aside as another operation's.
    pub fn rows_aside(&self) -> usize {
        self.aside.iter().map(|a| a.rows).sum()
    }

    /// `5 of 5 tables, 40 of 42 rows`, and what was set aside.
    pub fn summary(&self) -> String {
        let mut text = format!(
            "{} of {} tables, {} of {} rows",
            self.tables_read, self.tables, self.rows_read, self.rows
        );
        if let Some(first) = self.aside.first() {
            text.push_str(&format!(
                "; {} table(s) of {} row(s) set aside as another operation's, from line {}: {}",
                self.aside.len(),
                self.rows_aside(),
                first.line,
                first.whose
            ));
        }
        if let Some(first) = self.prose.first() {
            text.push_str(&format!(
                "; {} table(s) read as prose (no member name or type column), from line {first}",
                self.prose.len()
            ));
        }
        text
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
