//! YAML documents as JSON values that remember where each node was written.
//!
//! OpenAPI tooling works on JSON values, but a maintainer fixing a spec needs
//! `file:line:col`. [`SourceDoc::parse`] builds the JSON value from the YAML
//! event stream and records, for every node, the position of its key (for
//! mapping members) or of the node itself (for sequence items and the root),
//! keyed by JSON Pointer.
//!
//! [`version`] rewrites OpenAPI 3.1 and 3.2 documents into the 3.0 form
//! every consumer reads. [`spec`] follows local `$ref`s in the typed `openapiv3` model and holds
//! the small readings of a spec every consumer shares.

mod json;
pub mod spec;
pub mod version;

use std::collections::HashMap;
use std::fmt;

use serde_json::{Map, Number, Value};
use yaml_rust2::Yaml;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A 1-based line and column in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub col: usize,
}

impl Position {
    /// The start of the file.
    pub const START: Position = Position { line: 1, col: 1 };

    fn from_marker(mark: Marker) -> Self {
        // yaml-rust2 counts lines from 1 and columns from 0.
        Position {
            line: mark.line().max(1),
            col: mark.col() + 1,
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// A YAML syntax error, or a construct the JSON data model cannot hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub position: Position,
    pub message: String,
}

/// A parsed YAML document with the source position of each node.
#[derive(Debug, Clone)]
pub struct SourceDoc {
    value: Value,
    positions: HashMap<String, Position>,
}

impl SourceDoc {
    /// Parses a single YAML document.
    ///
    /// The events are read in a loop, not through yaml-rust2's recursive
    /// `load`, so that nesting is bounded here ([`MAX_DEPTH`]) before any
    /// recursion could overflow the stack; reading stops at the first error.
    /// A leading byte-order mark is skipped; a second document is an error
    /// (a spec is one document).
    pub fn parse(text: &str) -> Result<Self, SyntaxError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if let Some(error) = forbidden_character(text) {
            return Err(error);
        }
        if text.trim_start().starts_with(['{', '[']) {
            match json::read(text) {
                json::Read::Document(value, positions) => {
                    return Ok(SourceDoc { value, positions });
                }
                json::Read::Refused(error) => return Err(error),
                // A YAML flow document, or broken JSON: YAML reads it and
                // says where.
                json::Read::NotJson => {}
            }
        }
        Self::parse_yaml(text)
    }

    /// [`SourceDoc::parse`] through the YAML reader alone, whatever the
    /// text (a JSON document reads the same either way; `parse` takes the
    /// faster JSON reader for it).
    pub fn parse_yaml(text: &str) -> Result<Self, SyntaxError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut adjusted = std::borrow::Cow::Borrowed(text);
        for _ in 0..MAX_CLOSER_ADJUSTMENTS {
            match Self::read_yaml(&adjusted) {
                Err(error) if error.message == "invalid indentation" => {
                    match indent_closer(&adjusted, error.position.line) {
                        Some(next) => adjusted = std::borrow::Cow::Owned(next),
                        None => return Err(error),
                    }
                }
                read => return read,
            }
        }
        Self::read_yaml(&adjusted)
    }

    /// One reading of `text` by yaml-rust2, as it is.
    fn read_yaml(text: &str) -> Result<Self, SyntaxError> {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        let mut documents = 0;
        loop {
            let (event, mark) = parser.next_token().map_err(|e| SyntaxError {
                position: Position::from_marker(*e.marker()),
                message: e.info().to_owned(),
            })?;
            match event {
                Event::StreamEnd => break,
                Event::DocumentStart => {
                    documents += 1;
                    if documents > 1 {
                        return Err(SyntaxError {
                            position: Position::from_marker(mark),
                            message: "a second YAML document; a spec is one document".into(),
                        });
                    }
                }
                _ => {}
            }
            builder.on_event(event, mark);
            if let Some(error) = builder.error.take() {
                return Err(error);
            }
        }
        Ok(SourceDoc {
            value: builder.root.unwrap_or(Value::Null),
            positions: builder.positions,
        })
    }

    /// The document as a JSON value.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// Whether the node at `pointer` was written in the source.
    pub fn has(&self, pointer: &str) -> bool {
        self.positions.contains_key(pointer)
    }

    /// Where the node at `pointer` was written. A pointer with no recorded
    /// position (a node that does not exist) falls back to its nearest
    /// existing ancestor, so a finding about a missing member points at the
    /// object that lacks it.
    pub fn position(&self, pointer: &str) -> Position {
        let mut current = pointer;
        loop {
            if let Some(position) = self.positions.get(current) {
                return *position;
            }
            match current.rfind('/') {
                Some(index) => current = &current[..index],
                None => return Position::START,
            }
        }
    }
}

/// How many closing brackets [`SourceDoc::parse_yaml`] indents before it
/// gives up (each costs a reading of the document).
const MAX_CLOSER_ADJUSTMENTS: usize = 256;

/// `text` with line `line` (1-based) indented by two more spaces, when that
/// line holds only the closing brackets of flow collections (`}`, `]`,
/// commas, a comment): a flow mapping written as a block value often closes
/// at its key's indentation (`example: {` ... `}`), which YAML 1.2 calls
/// too little indentation and libyaml, js-yaml and PyYAML read anyway.
/// Such a line starts no node, so every node keeps its position. `None`
/// for any other line: that error stands.
fn indent_closer(text: &str, line: usize) -> Option<String> {
    let start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let end = text[start..].find('\n').map_or(text.len(), |at| start + at);
    let content = text[start..end].trim_start_matches(' ');
    let (brackets, comment) = content.split_once('#').unwrap_or((content, ""));
    let only_closers = brackets.trim_end().starts_with(['}', ']'])
        && brackets
            .chars()
            .all(|c| matches!(c, '}' | ']' | ',' | ' ' | '\r'))
        && (comment.is_empty() || brackets.ends_with(' '));
    if !only_closers {
        return None;
    }
    let mut adjusted = String::with_capacity(text.len() + 2);
    adjusted.push_str(&text[..start]);
    adjusted.push_str("  ");
    adjusted.push_str(&text[start..]);
    Some(adjusted)
}

/// The first control character YAML 1.2 allows nowhere in a stream (a
/// NUL or another C0 control but tab, line feed and carriage return),
/// located. yaml-rust2 would stop reading at a NUL and call the text before
/// it the whole document. (DEL and C1 controls are allowed inside quoted
/// scalars, as JSON allows them in strings.)
fn forbidden_character(text: &str) -> Option<SyntaxError> {
    let forbidden =
        |c: char| matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}');
    let (offset, found) = text.char_indices().find(|&(_, c)| forbidden(c))?;
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some(SyntaxError {
        position: Position { line, col },
        message: format!(
            "the character U+{:04X} is not allowed in a YAML stream",
            u32::from(found)
        ),
    })
}

/// Whether a media type essence (lower case, no parameters) is YAML:
/// `application/yaml`, `text/yaml`, their `x-` forms, `text/yml`,
/// `text/vnd.yaml`, or any `+yaml` type. The generator and the generated
/// servers decide by this one list.
pub fn is_yaml_media(essence: &str) -> bool {
    matches!(
        essence,
        "application/yaml"
            | "application/x-yaml"
            | "text/yaml"
            | "text/x-yaml"
            | "text/yml"
            | "text/vnd.yaml"
    ) || essence.ends_with("+yaml")
}

/// One YAML document (or JSON, which YAML reads too) as a JSON value, read
/// once and as it is: nesting bounded by [`MAX_DEPTH`], what aliases copy
/// by [`MAX_ALIAS_NODES`], a second document an error. For text nobody
/// vetted, such as a request body; a spec goes through [`SourceDoc::parse`],
/// which also says where each node is and mends a closer's indentation.
pub fn yaml_value(text: &str) -> Result<Value, SyntaxError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(error) = forbidden_character(text) {
        return Err(error);
    }
    SourceDoc::read_yaml(text).map(|doc| doc.value)
}

/// `text` with every control character escaped (`\n`, `\u{1b}`), so that
/// a name taken from a spec prints as one inert line: no line break for a
/// CI log to read as a new command, no terminal escape sequence.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Escapes one reference token for use in a JSON Pointer (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Unescapes one JSON Pointer reference token.
pub fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// `parent` extended by one token.
pub fn child(parent: &str, token: &str) -> String {
    format!("{parent}/{}", escape_token(token))
}

enum Frame {
    Mapping {
        pointer: String,
        anchor: usize,
        members: Map<String, Value>,
        pending_key: Option<String>,
    },
    Sequence {
        pointer: String,
        anchor: usize,
        items: Vec<Value>,
    },
}

/// Deepest nesting of mappings and sequences read. Real specs stay far
/// below it; every recursive walk over a document (ours, serde's,
/// jsonschema's) is safe at this depth, and a hostile file cannot overflow
/// the stack.
pub const MAX_DEPTH: usize = 128;

/// Most nodes that aliases may add by copying their anchors: a few hundred
/// bytes of nested aliases (a "billion laughs") would otherwise expand to
/// gigabytes.
pub const MAX_ALIAS_NODES: usize = 1_000_000;

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<Value>,
    positions: HashMap<String, Position>,
    /// Each anchored node and how many nodes it holds.
    anchors: HashMap<usize, (Value, usize)>,
    /// Nodes finished so far inside each open frame, and at the top.
    counts: Vec<usize>,
    alias_nodes: usize,
    error: Option<SyntaxError>,
}

impl Builder {
    fn fail(&mut self, mark: Marker, message: impl Into<String>) {
        if self.error.is_none() {
            self.error = Some(SyntaxError {
                position: Position::from_marker(mark),
                message: message.into(),
            });
        }
    }

    /// Called for each node start; returns the node's pointer, or `None` when
    /// the node is a mapping key (only scalars may be keys).
    fn place(&mut self, mark: Marker) -> Option<String> {
        let position = Position::from_marker(mark);
        match self.stack.last_mut() {
            None => {
                self.positions.insert(String::new(), Position::START);
                Some(String::new())
            }
            Some(Frame::Sequence { pointer, items, .. }) => {
                let pointer = format!("{pointer}/{}", items.len());
                self.positions.insert(pointer.clone(), position);
                Some(pointer)
            }
            Some(Frame::Mapping {
                pointer,
                pending_key: Some(key),
                ..
            }) => Some(child(pointer, key)),
            Some(Frame::Mapping { .. }) => None,
        }
    }

    /// Whether `tag` (if any) is one of YAML's core schema, which JSON can
    /// hold; any other (`!!python/object`, `!custom`) is reported.
    fn core_tag(&mut self, tag: Option<&Tag>, mark: Marker) -> bool {
        let Some(tag) = tag else {
            return true;
        };
        let core = tag.handle == "tag:yaml.org,2002:"
            && matches!(
                tag.suffix.as_str(),
                "str" | "int" | "float" | "bool" | "null" | "map" | "seq"
            );
        if !core {
            self.fail(
                mark,
                format!(
                    "the tag `{}{}` is not part of YAML's core schema, so JSON cannot hold it",
                    tag.handle, tag.suffix
                ),
            );
        }
        core
    }

    /// Opens a frame, unless that nests deeper than [`MAX_DEPTH`].
    fn open(&mut self, frame: Frame, mark: Marker) {
        if self.stack.len() >= MAX_DEPTH {
            self.fail(
                mark,
                format!("nested deeper than {MAX_DEPTH} levels of mappings and sequences"),
            );
            return;
        }
        self.stack.push(frame);
        self.counts.push(0);
    }

    /// Adds a finished node of `nodes` nodes to the open frame's count.
    fn count(&mut self, nodes: usize) {
        if let Some(count) = self.counts.last_mut() {
            *count += nodes;
        }
    }

    fn finish(&mut self, value: Value, anchor: usize, nodes: usize, mark: Marker) {
        if anchor != 0 {
            self.anchors.insert(anchor, (value.clone(), nodes));
        }
        self.count(nodes);
        match self.stack.last_mut() {
            None => self.root = Some(value),
            Some(Frame::Sequence { items, .. }) => items.push(value),
            Some(Frame::Mapping {
                members,
                pending_key,
                ..
            }) => {
                if let Some(key) = pending_key.take() {
                    members.insert(key, value);
                } else {
                    self.fail(mark, "mapping keys must be plain scalars");
                }
            }
        }
    }

    fn key_or_place(&mut self, key: &str, mark: Marker) -> bool {
        if let Some(Frame::Mapping {
            pointer,
            members,
            pending_key: pending @ None,
            ..
        }) = self.stack.last_mut()
        {
            if members.contains_key(key) {
                let message = format!("duplicate mapping key `{key}`");
                self.fail(mark, message);
                return true;
            }
            let key_pointer = child(pointer, key);
            *pending = Some(key.to_owned());
            self.positions
                .insert(key_pointer, Position::from_marker(mark));
            return true;
        }
        false
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                if self.key_or_place(&text, mark) {
                    return;
                }
                self.place(mark);
                if !self.core_tag(tag.as_ref(), mark) {
                    return;
                }
                let value = scalar_value(&text, style, tag.as_ref());
                self.finish(value, anchor, 1, mark);
            }
            Event::Alias(anchor) => {
                let Some((value, nodes)) = self
                    .anchors
                    .get(&anchor)
                    .map(|(value, nodes)| (value, *nodes))
                else {
                    self.fail(mark, "alias refers to an unknown anchor");
                    return;
                };
                // Counted before the copy is made: the copy is the cost.
                self.alias_nodes = self.alias_nodes.saturating_add(nodes);
                if self.alias_nodes > MAX_ALIAS_NODES {
                    self.fail(
                        mark,
                        format!("aliases expand to more than {MAX_ALIAS_NODES} nodes"),
                    );
                    return;
                }
                let value = value.clone();
                if let Value::String(key) = &value
                    && self.key_or_place(key, mark)
                {
                    return;
                }
                self.place(mark);
                self.finish(value, 0, nodes, mark);
            }
            Event::MappingStart(anchor, tag) if self.core_tag(tag.as_ref(), mark) => {
                match self.place(mark) {
                    Some(pointer) => self.open(
                        Frame::Mapping {
                            pointer,
                            anchor,
                            members: Map::new(),
                            pending_key: None,
                        },
                        mark,
                    ),
                    None => self.fail(mark, "mapping keys must be plain scalars"),
                }
            }
            Event::SequenceStart(anchor, tag) if self.core_tag(tag.as_ref(), mark) => {
                match self.place(mark) {
                    Some(pointer) => self.open(
                        Frame::Sequence {
                            pointer,
                            anchor,
                            items: Vec::new(),
                        },
                        mark,
                    ),
                    None => self.fail(mark, "mapping keys must be plain scalars"),
                }
            }
            // A collection with a tag outside the core schema (reported).
            Event::MappingStart(..) | Event::SequenceStart(..) => {}
            Event::MappingEnd | Event::SequenceEnd => {
                let (value, anchor) = match self.stack.pop() {
                    Some(Frame::Mapping {
                        members, anchor, ..
                    }) => (Value::Object(members), anchor),
                    Some(Frame::Sequence { items, anchor, .. }) => (Value::Array(items), anchor),
                    None => return,
                };
                let nodes = self.counts.pop().unwrap_or_default() + 1;
                self.finish(value, anchor, nodes, mark);
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

/// Resolves a scalar the way YAML 1.2's core schema does: quoted scalars and
/// `!!str` are strings; plain ones may be null, booleans or numbers.
fn scalar_value(text: &str, style: TScalarStyle, tag: Option<&Tag>) -> Value {
    if tag.is_some_and(|tag| tag.suffix == "str") {
        return Value::String(text.to_owned());
    }
    if style != TScalarStyle::Plain {
        return Value::String(text.to_owned());
    }
    // Integers past i64 (a `uint64` example) stay integers, not floats.
    if text.bytes().all(|b| b.is_ascii_digit())
        && let Ok(unsigned) = text.parse::<u64>()
    {
        return Value::Number(unsigned.into());
    }
    match Yaml::from_str(text) {
        Yaml::Null => Value::Null,
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Integer(i) => Value::Number(i.into()),
        Yaml::Real(real) => real
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map_or_else(|| Value::String(text.to_owned()), Value::Number),
        _ => Value::String(text.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_media_types() {
        for essence in [
            "text/yml",
            "application/yaml",
            "application/apply-patch+yaml",
        ] {
            assert!(is_yaml_media(essence), "{essence}");
        }
        for essence in ["application/json", "text/plain", "application/yamlish"] {
            assert!(!is_yaml_media(essence), "{essence}");
        }
    }

    #[test]
    fn a_yaml_value_is_read_once_and_bounded() {
        let value = yaml_value("dryRun: true\nstack: {id: s1}\n").expect("valid");
        assert_eq!(
            value,
            serde_json::json!({"dryRun": true, "stack": {"id": "s1"}})
        );
        assert_eq!(
            yaml_value("[1, 2]").expect("flow"),
            serde_json::json!([1, 2])
        );
        assert!(yaml_value("a: 1\n---\nb: 2\n").is_err(), "two documents");
        assert!(yaml_value(&"[".repeat(MAX_DEPTH + 1)).is_err(), "too deep");
        assert!(yaml_value("a: \u{1}").is_err(), "a control character");
    }

    #[test]
    fn integers_past_i64_stay_integers() {
        let doc = SourceDoc::parse("a: 18446744073709551615\nb: 007\nc: 1.5\n").expect("valid");
        assert_eq!(doc.value()["a"], serde_json::json!(u64::MAX));
        assert!(doc.value()["c"].is_f64());
    }

    #[test]
    fn records_key_positions() {
        let doc = SourceDoc::parse("a:\n  b: 1\n  c:\n    - x\n    - {d: true}\n").expect("valid");
        assert_eq!(doc.position("/a"), Position { line: 1, col: 1 });
        assert_eq!(doc.position("/a/b"), Position { line: 2, col: 3 });
        assert_eq!(doc.position("/a/c/1"), Position { line: 5, col: 7 });
        assert_eq!(doc.position("/a/c/1/d"), Position { line: 5, col: 8 });
        assert_eq!(doc.position("/a/missing"), Position { line: 1, col: 1 });
        assert_eq!(
            doc.value(),
            &serde_json::json!({"a": {"b": 1, "c": ["x", {"d": true}]}})
        );
    }

    #[test]
    fn resolves_scalars_like_yaml_1_2() {
        let doc = SourceDoc::parse(
            "a: '1'\nb: 1\nc: 1.5\nd: null\ne: ~\nf: yes\ng: \"true\"\nh: false\n",
        )
        .expect("valid");
        assert_eq!(
            doc.value(),
            &serde_json::json!({"a": "1", "b": 1, "c": 1.5, "d": null, "e": null, "f": "yes", "g": "true", "h": false})
        );
    }

    #[test]
    fn reports_syntax_errors_with_position() {
        let error = SourceDoc::parse("a: [1, 2\nb: 3\n").expect_err("unterminated flow sequence");
        assert!(error.position.line >= 1, "{error:?}");
        let duplicate = SourceDoc::parse("a: 1\nb: 2\na: 3\n").expect_err("duplicate key");
        assert_eq!(duplicate.position, Position { line: 3, col: 1 });
        assert!(duplicate.message.contains("duplicate"));
    }

    #[test]
    fn alias_bombs_are_refused_quickly() {
        // Nine levels of ten aliases each: 10^9 nodes if expanded.
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..10 {
            let previous = format!("*a{}", level - 1);
            let items = [previous.as_str(); 10].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{items}]\n"));
        }
        let started = std::time::Instant::now();
        let error = SourceDoc::parse(&text).expect_err("a billion laughs");
        assert!(error.message.contains("aliases expand"), "{error:?}");
        assert!(error.position.line > 1, "located at the alias: {error:?}");
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn deep_nesting_is_refused_without_overflowing_the_stack() {
        let depth = 3_000;
        let text = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        // yaml-rust2 stops flow collections itself, at its own limit.
        let error = SourceDoc::parse(&text).expect_err("too deep");
        assert!(
            error.message.contains("nested deeper") || error.message.contains("recursion"),
            "{error:?}"
        );
        let mut mapping = String::new();
        for level in 0..2_500 {
            mapping.push_str(&" ".repeat(level));
            mapping.push_str("x-a:\n");
        }
        let error = SourceDoc::parse(&mapping).expect_err("too deep");
        assert!(error.message.contains("nested deeper"), "{error:?}");
        let fine = format!("{}1{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(SourceDoc::parse(&fine).is_ok());
    }

    #[test]
    fn one_document_with_or_without_a_byte_order_mark() {
        assert!(SourceDoc::parse("\u{feff}a: 1\n").is_ok());
        let error = SourceDoc::parse("a: 1\n---\nb: 2\n").expect_err("two documents");
        assert_eq!(error.position.line, 2, "{error:?}");
    }

    #[test]
    fn language_specific_tags_are_refused() {
        let error =
            SourceDoc::parse("a: !!python/object:os.system ls\n").expect_err("a python tag");
        assert!(error.message.contains("python"), "{error:?}");
        assert!(SourceDoc::parse("a: !!str 1\n").is_ok());
    }

    #[test]
    fn aliases_copy_the_anchored_node() {
        let doc = SourceDoc::parse("a: &x {b: 1}\nc: *x\n").expect("valid");
        assert_eq!(doc.value()["c"], serde_json::json!({"b": 1}));
    }
}
