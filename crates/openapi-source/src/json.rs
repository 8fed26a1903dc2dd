//! JSON documents read straight into values and positions, in one pass
//! with memory in proportion to the document. (yaml-rust2's scanner holds
//! every token of a flow collection until it knows whether a `:` follows,
//! which for a JSON document is most of the document.)
//!
//! Only structure and positions are read here; strings and numbers are
//! decoded by serde_json from their text. Anything that is not plain JSON
//! (a YAML flow document, a syntax error) returns `None`, and the YAML
//! reader takes the text, with its own located errors.

use std::collections::HashMap;

use serde_json::{Map, Number, Value};

use crate::{MAX_DEPTH, Position, SyntaxError, child};

/// What reading JSON gave: the document, or a located error that YAML
/// would give too (a duplicate key, nesting too deep), or "not JSON".
pub(crate) enum Read {
    Document(Value, HashMap<String, Position>),
    Refused(SyntaxError),
    NotJson,
}

/// Reads `text` as one JSON value (whitespace around it).
pub(crate) fn read(text: &str) -> Read {
    let mut reader = Reader {
        text: text.as_bytes(),
        at: 0,
        line: 1,
        line_start: 0,
        counted: (0, 0),
        positions: HashMap::new(),
        refused: None,
    };
    reader.positions.insert(String::new(), Position::START);
    reader.skip_space();
    let value = reader.value(String::new(), 0);
    reader.skip_space();
    match (value, reader.refused) {
        (_, Some(error)) => Read::Refused(error),
        (Some(value), None) if reader.at == reader.text.len() => {
            Read::Document(value, reader.positions)
        }
        _ => Read::NotJson,
    }
}

struct Reader<'a> {
    text: &'a [u8],
    at: usize,
    line: usize,
    line_start: usize,
    /// (byte offset, characters since its line's start): the column counted
    /// so far, so that a long line is counted once, not once per node.
    counted: (usize, usize),
    positions: HashMap<String, Position>,
    refused: Option<SyntaxError>,
}

impl Reader<'_> {
    fn position(&mut self) -> Position {
        let (from, before) = if self.counted.0 >= self.line_start {
            self.counted
        } else {
            (self.line_start, 0)
        };
        // Characters are counted by their first bytes (not 0b10xxxxxx).
        let more = self.text[from..self.at]
            .iter()
            .filter(|&&byte| byte & 0xC0 != 0x80)
            .count();
        self.counted = (self.at, before + more);
        Position {
            line: self.line,
            col: before + more + 1,
        }
    }

    fn skip_space(&mut self) {
        while let Some(&byte) = self.text.get(self.at) {
            match byte {
                b'\n' => {
                    self.at += 1;
                    self.line += 1;
                    self.line_start = self.at;
                }
                b' ' | b'\t' | b'\r' => self.at += 1,
                _ => break,
            }
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_space();
        if self.text.get(self.at) == Some(&byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn refuse(&mut self, message: String) -> Option<Value> {
        let position = self.position();
        self.refuse_at(position, message)
    }

    fn refuse_at(&mut self, position: Position, message: String) -> Option<Value> {
        if self.refused.is_none() {
            self.refused = Some(SyntaxError { position, message });
        }
        None
    }

    /// The value at the cursor, whose pointer is `pointer`.
    fn value(&mut self, pointer: String, depth: usize) -> Option<Value> {
        self.skip_space();
        match self.text.get(self.at)? {
            b'{' | b'[' if depth >= MAX_DEPTH => self.refuse(format!(
                "nested deeper than {MAX_DEPTH} levels of mappings and sequences"
            )),
            b'{' => self.object(pointer, depth),
            b'[' => self.array(pointer, depth),
            b'"' => self.string().map(Value::String),
            _ => self.literal(),
        }
    }

    fn object(&mut self, pointer: String, depth: usize) -> Option<Value> {
        self.at += 1;
        let mut members = Map::new();
        if self.eat(b'}') {
            return Some(Value::Object(members));
        }
        loop {
            self.skip_space();
            let at = self.position();
            if self.text.get(self.at) != Some(&b'"') {
                return None;
            }
            let key = self.string()?;
            if members.contains_key(&key) {
                return self.refuse_at(at, format!("duplicate mapping key `{key}`"));
            }
            let member = child(&pointer, &key);
            self.positions.insert(member.clone(), at);
            if !self.eat(b':') {
                return None;
            }
            let value = self.value(member, depth + 1)?;
            members.insert(key, value);
            if self.eat(b'}') {
                return Some(Value::Object(members));
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    fn array(&mut self, pointer: String, depth: usize) -> Option<Value> {
        self.at += 1;
        let mut items = Vec::new();
        if self.eat(b']') {
            return Some(Value::Array(items));
        }
        loop {
            self.skip_space();
            let item = format!("{pointer}/{}", items.len());
            let at = self.position();
            self.positions.insert(item.clone(), at);
            items.push(self.value(item, depth + 1)?);
            if self.eat(b']') {
                return Some(Value::Array(items));
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    /// A string at the cursor, decoded by serde_json from its text.
    fn string(&mut self) -> Option<String> {
        let start = self.at;
        self.at += 1;
        loop {
            match self.text.get(self.at)? {
                b'\\' => self.at += 2,
                b'"' => break,
                b'\n' => return None,
                _ => self.at += 1,
            }
        }
        self.at += 1;
        let raw = std::str::from_utf8(self.text.get(start..self.at)?).ok()?;
        serde_json::from_str(raw).ok()
    }

    /// `true`, `false`, `null` or a number.
    fn literal(&mut self) -> Option<Value> {
        let start = self.at;
        while self
            .text
            .get(self.at)
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.'))
        {
            self.at += 1;
        }
        let raw = std::str::from_utf8(&self.text[start..self.at]).ok()?;
        match raw {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            "null" => Some(Value::Null),
            _ => number(raw).map(Value::Number),
        }
    }
}

/// A JSON number as the YAML reader reads it: integers as `i64` (past it,
/// `u64`), the rest as `f64` parsed exactly (serde_json's own parser may
/// round the last digit differently).
fn number(raw: &str) -> Option<Number> {
    let digits = raw.strip_prefix('-').unwrap_or(raw);
    if !digits.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(integer) = raw.parse::<i64>() {
            return Some(integer.into());
        }
        if let Ok(unsigned) = raw.parse::<u64>() {
            return Some(unsigned.into());
        }
    }
    raw.parse::<f64>().ok().and_then(Number::from_f64)
}
