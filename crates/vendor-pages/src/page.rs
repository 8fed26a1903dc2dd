//! Vendor API reference pages as data, in the two layouts of the seeds:
//! Huawei Cloud's (the same across its services: a URI line, numbered
//! tables with one cell per line, "Status code: N" sections, example
//! requests and responses, a status code table) and obshell's (pipe
//! tables). Every item keeps the page line it was read from.

use serde_json::Value;

pub use crate::coverage::{Coverage, Unread};

/// Largest page read, and most lines a JSON example may span.
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;
const MAX_EXAMPLE_LINES: usize = 2000;

/// A type as a page writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageType {
    String,
    /// 32-bit (`Integer`, obshell's Go `int` is 64-bit: [`PageType::Long`]).
    Integer,
    Long,
    Boolean,
    Double,
    Float,
    Number,
    /// A timestamp (obshell's `time.Time`).
    Time,
    /// An object, by the name of the table that describes it.
    Object(String),
    Array(Box<PageType>),
    /// Anything else, as written.
    Other(String),
}

/// RDS's v1 types: `Dictionary data structure` an object, `List data
/// structure` an array of objects; `None` (a member given as `{}`) and
/// ECS's `Null` (given as `null`), an object with no members.
fn data_structure(lower: &str) -> Option<PageType> {
    if lower == "none" || lower == "null" {
        return Some(PageType::Object(String::new()));
    }
    match lower.strip_suffix(" data structure")? {
        "dictionary" => Some(PageType::Object(String::new())),
        "list" => Some(PageType::Array(Box::new(PageType::Other(String::new())))),
        _ => None,
    }
}

impl PageType {
    /// Huawei Cloud's type column: `String`, `Long`, `Array of strings`,
    /// `Duration object`, `Array of DbssErrorDetail objects`; `Array` or
    /// `List` alone is an array of items the page does not type there.
    pub(crate) fn huawei(text: &str) -> Option<PageType> {
        let text = text.trim();
        let scalar = |word: &str| match word.to_ascii_lowercase().trim_end_matches('s') {
            "string" => Some(PageType::String),
            "integer" | "int" | "int32" | "byte" => Some(PageType::Integer),
            "long" | "int64" => Some(PageType::Long),
            "boolean" | "bool" => Some(PageType::Boolean),
            "double" => Some(PageType::Double),
            "float" => Some(PageType::Float),
            "number" | "decimal" | "bigdecimal" => Some(PageType::Number),
            "object" | "dict" | "map" | "json" | "jsonobject" => {
                Some(PageType::Object(String::new()))
            }
            "array" | "list" | "jsonarray" => {
                Some(PageType::Array(Box::new(PageType::Other(String::new()))))
            }
            "datetime" => Some(PageType::Time),
            _ => None,
        };
        // `Array. For details, see Table 9.`: the type is the first
        // sentence; the rest names its table, which the linker reads.
        if let Some((head, _)) = text.split_once(". ") {
            return PageType::huawei(head);
        }
        let text = text.trim_end_matches('.');
        let lower = text.to_ascii_lowercase();
        if let Some(structure) = data_structure(&lower) {
            return Some(structure);
        }
        if lower.starts_with("map<") || lower.starts_with("map(") {
            return Some(PageType::Object(String::new()));
        }
        if let Some(inner) = ["array<", "list<", "list(", "set<"]
            .iter()
            .find_map(|p| lower.strip_prefix(p).map(|_| &text[p.len()..]))
        {
            let inner = inner.trim_end_matches(['>', ')']);
            return Some(PageType::Array(Box::new(
                PageType::huawei(inner).unwrap_or_else(|| PageType::Other(inner.to_owned())),
            )));
        }
        if let Some(inner) = lower.strip_suffix(" array").map(|r| &text[..r.len()]) {
            let inner = inner.trim().trim_end_matches(" structure");
            let item = match inner.to_ascii_lowercase().as_str() {
                "json" => PageType::Other(String::new()),
                _ => PageType::huawei(inner).unwrap_or_else(|| PageType::Object(inner.to_owned())),
            };
            return Some(PageType::Array(Box::new(item)));
        }
        for prefix in ["Array of ", "array of ", "List of ", "list of "] {
            if let Some(inner) = text.strip_prefix(prefix) {
                return Some(PageType::Array(Box::new(
                    PageType::huawei(inner).unwrap_or_else(|| PageType::Other(inner.to_owned())),
                )));
            }
        }
        if let Some(name) = text
            .strip_suffix(" objects")
            .or_else(|| text.strip_suffix(" object"))
            .or_else(|| text.strip_suffix(" structure"))
        {
            return Some(PageType::Object(name.trim().to_owned()));
        }
        if text == "Object" {
            return Some(PageType::Object(String::new()));
        }
        scalar(text)
    }

    /// A value the page writes in words (a default) as JSON of this
    /// type: `1.0` a number for a Double, `true` a boolean, `/` the
    /// one-item array `["/"]` for an array. Text that is not of the type
    /// stays a string, for lint to report against its schema.
    pub fn value_of(&self, text: &str) -> Value {
        let parsed = match self {
            PageType::Integer | PageType::Long => text.parse::<i64>().ok().map(Value::from),
            PageType::Double | PageType::Float | PageType::Number => text
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(Value::from),
            PageType::Boolean => text.parse::<bool>().ok().map(Value::from),
            PageType::Array(item) => Some(match serde_json::from_str(text) {
                Ok(Value::Array(items)) => Value::Array(items),
                _ => Value::Array(vec![item.value_of(text)]),
            }),
            _ => None,
        };
        parsed.unwrap_or_else(|| Value::from(text))
    }

    /// Whether `value` is what the page's `text` says for this type
    /// (numbers by value: `1` is `1.0`).
    pub fn same_value(&self, value: &Value, text: &str) -> bool {
        same(value, &self.value_of(text))
    }

    /// obshell's Go types: `string`, `int`, `bool`, `float64`, `time.Time`,
    /// `[]TenantSessionDbStats`, `ApiError`.
    fn go(text: &str) -> PageType {
        let text = text.trim();
        if let Some(inner) = text.strip_prefix("[]") {
            return PageType::Array(Box::new(PageType::go(inner)));
        }
        match text {
            "string" => PageType::String,
            "int" | "int64" | "uint64" => PageType::Long,
            "int32" | "uint32" | "int16" | "int8" => PageType::Integer,
            "bool" => PageType::Boolean,
            "float64" => PageType::Double,
            "float32" => PageType::Float,
            "time.Time" => PageType::Time,
            name if name.starts_with(|c: char| c.is_ascii_uppercase()) => {
                PageType::Object(name.to_owned())
            }
            other => PageType::Other(other.to_owned()),
        }
    }
}

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b))
        }
        _ => a == b,
    }
}

/// A lower or upper bound stated in words.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    pub value: f64,
    pub exclusive: bool,
}

/// One row of a parameter or member table.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub line: usize,
    pub mandatory: Option<bool>,
    pub ty: PageType,
    pub type_text: String,
    pub description: String,
    /// Values listed in bullets (`• MONTH: 1 month`).
    pub values: Vec<String>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub minimum: Option<Bound>,
    pub maximum: Option<Bound>,
    pub default: Option<String>,
    /// The object table that describes this string's content (SMN's
    /// `value`, a JSON policy document written as a string, `For
    /// details, see Table 1`): the member stays a string.
    pub content: Option<String>,
}

impl Field {
    /// A row as read, before its description is interpreted.
    pub(crate) fn new(
        name: String,
        line: usize,
        mandatory: Option<bool>,
        ty: PageType,
        type_text: String,
    ) -> Self {
        Field {
            name,
            line,
            mandatory,
            ty,
            type_text,
            description: String::new(),
            values: Vec::new(),
            min_length: None,
            max_length: None,
            minimum: None,
            maximum: None,
            default: None,
            content: None,
        }
    }
}

/// A table of members, named by its title (`Duration`, or the role for
/// the top-level tables).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: String,
    pub line: usize,
    pub fields: Vec<Field>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Path,
    Query,
    Header,
}

impl Place {
    pub fn as_str(self) -> &'static str {
        match self {
            Place::Path => "path",
            Place::Query => "query",
            Place::Header => "header",
        }
    }
}

/// The answer documented for one status.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResponseSection {
    pub status: u16,
    pub line: usize,
    /// The top-level body table, if any.
    pub body: Option<Table>,
    /// Object tables under this status, by name.
    pub objects: Vec<Table>,
}

/// A JSON example and the line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub line: usize,
    pub value: Value,
}

/// One page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub title: Option<String>,
    /// `Updated on 2025-09-10`: the date and its line.
    pub updated: Option<(String, usize)>,
    pub method: String,
    /// The URI with `{name}` parameters (obshell's `:name` converted).
    pub uri: String,
    pub uri_line: usize,
    pub summary: Option<String>,
    pub parameters: Vec<(Place, Field)>,
    /// The request body's top-level members.
    pub body: Option<Table>,
    /// Object tables of the request side.
    pub request_objects: Vec<Table>,
    pub responses: Vec<ResponseSection>,
    pub request_example: Option<Example>,
    pub response_examples: Vec<(u16, Example)>,
    /// The status code table: each code and its line.
    pub status_codes: Vec<(u16, usize)>,
    /// Tables and rows read out of those present, and what was not read.
    pub coverage: Coverage,
}

impl Page {
    /// Takes `METHOD /path` from line `number` when the page has none yet.
    fn read_uri(&mut self, number: usize, text: &str) -> bool {
        if !self.method.is_empty() {
            return false;
        }
        let Some((method, uri)) = method_and_uri(text) else {
            return false;
        };
        self.method = method;
        self.uri = uri;
        self.uri_line = number;
        true
    }
}

/// Why a page could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.line, self.message)
    }
}

const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

/// How a page is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Browser-copied text (Huawei Cloud's layout, or obshell's pipe
    /// tables).
    Text,
    /// The vendor's saved HTML.
    Html,
    /// reStructuredText (the documentation repositories' pages).
    Rst,
}

impl Format {
    /// By the file's extension, else by its content.
    pub fn of(path: &std::path::Path, text: &str) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("html" | "htm" | "xhtml") => Format::Html,
            Some("rst") => Format::Rst,
            Some("txt" | "md") => Format::Text,
            _ => Format::sniff(text),
        }
    }

    /// By the content alone.
    pub fn sniff(text: &str) -> Format {
        let start = text.trim_start();
        let lower: String = start
            .chars()
            .take(512)
            .collect::<String>()
            .to_ascii_lowercase();
        if start.starts_with('<')
            && (lower.contains("<h1")
                || lower.contains("<html")
                || lower.contains("<a ")
                || lower.contains("<div")
                || lower.contains("<!doctype"))
        {
            Format::Html
        } else if start.starts_with(":original_name:")
            || text.contains("\n.. table::")
            || text.contains("\n.. code-block::")
        {
            Format::Rst
        } else {
            Format::Text
        }
    }
}

/// Reads a page in any layout, its format found from its content.
pub fn parse(text: &str) -> Result<Page, PageError> {
    parse_as(text, Format::sniff(text))
}

/// Reads a page written in `format`.
pub fn parse_as(text: &str, format: Format) -> Result<Page, PageError> {
    if text.len() > MAX_PAGE_BYTES {
        return Err(PageError {
            line: 1,
            message: format!("longer than {MAX_PAGE_BYTES} bytes"),
        });
    }
    let page = match format {
        Format::Text => parse_text(text),
        Format::Html => match crate::html::blocks(text) {
            Ok(blocks) => crate::layout::page(&blocks),
            Err((line, message)) => return Err(PageError { line, message }),
        },
        Format::Rst => crate::layout::page(&crate::rst::blocks(text)),
    };
    if page.method.is_empty() {
        return Err(PageError {
            line: 1,
            message: "no `METHOD /path` line (a URI or request path section)".into(),
        });
    }
    Ok(page)
}

fn parse_text(text: &str) -> Page {
    // Non-blank lines with their 1-based numbers.
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line.trim_end()))
        .filter(|(_, line)| !line.trim().is_empty())
        .collect();
    if lines
        .iter()
        .any(|(_, line)| line.trim_start().starts_with("|---"))
    {
        parse_pipes(&lines)
    } else {
        parse_huawei(&lines)
    }
}

/// `METHOD /path` at the start of `line`, with `:name` made `{name}`,
/// without a host (`https://{Endpoint}`, `10.10.10.1:2886`), a query
/// (`?limit={limit}`, `{?interface, service_id}`) or spaces inside a
/// template (`{begin _time}`).
pub(crate) fn method_and_uri(line: &str) -> Option<(String, String)> {
    let (method, rest) = line.trim().split_once(' ')?;
    if !METHODS.contains(&method) {
        return None;
    }
    let mut uri = String::new();
    let mut depth = 0usize;
    for c in rest.trim_start().chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            c if c.is_whitespace() && depth == 0 => break,
            c if c.is_whitespace() => continue,
            _ => {}
        }
        uri.push(c);
    }
    if let Some(at) = uri.find("{?") {
        uri.truncate(at);
    }
    if let Some(at) = uri.find('?') {
        uri.truncate(at);
    }
    if let Some(at) = uri.find("://") {
        uri = uri[at + 3..].to_owned();
    }
    // A host before the path (`10.10.10.1:2886/api/...`) is not part of it.
    if !uri.starts_with('/') {
        uri = uri.find('/').map(|at| uri[at..].to_owned())?;
    }
    let uri = uri
        .split('/')
        .map(|segment| match segment.strip_prefix(':') {
            Some(name) => format!("{{{name}}}"),
            None => segment.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/");
    Some((method.to_owned(), uri))
}

/// What a description says in words: bullet values, lengths, ranges, a
/// default.
pub(crate) fn read_description(field: &mut Field) {
    let text = field.description.clone();
    for line in text.lines() {
        let line = line.trim();
        if let Some(item) = line.strip_prefix('•').or_else(|| line.strip_prefix("- ")) {
            let value = item.split(':').next().unwrap_or_default().trim();
            if !value.is_empty() && !value.contains(' ') && !field.values.iter().any(|v| v == value)
            {
                field.values.push(value.to_owned());
            }
        }
    }
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = flat.to_ascii_lowercase();
    let number_after = |from: usize| -> Option<f64> {
        let rest = lower.get(from..)?.trim_start();
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
            .unwrap_or(rest.len());
        rest[..end].trim_end_matches('.').parse().ok()
    };
    if let Some(at) = lower.find(" characters") {
        // "contains 32 to 64 characters", "1 to 64 characters"
        let before = &lower[..at];
        let words: Vec<&str> = before.split_whitespace().collect();
        if let [.., low, "to", high] = words.as_slice()
            && let (Ok(low), Ok(high)) = (low.parse::<u64>(), high.parse::<u64>())
        {
            field.min_length = Some(low);
            field.max_length = Some(high);
        }
    }
    for (phrase, exclusive, lower_bound) in [
        ("greater than or equal to", false, true),
        ("greater than", true, true),
        ("less than or equal to", false, false),
        ("less than", true, false),
    ] {
        let mut from = 0;
        while let Some(found) = lower[from..].find(phrase) {
            let at = from + found;
            from = at + phrase.len();
            // "greater than" also starts "greater than or equal to".
            if exclusive && lower[from..].trim_start().starts_with("or equal to") {
                continue;
            }
            if let Some(value) = number_after(from) {
                let bound = Some(Bound { value, exclusive });
                if lower_bound {
                    field.minimum = field.minimum.or(bound);
                } else {
                    field.maximum = field.maximum.or(bound);
                }
            }
        }
    }
    if matches!(
        field.ty,
        PageType::Array(_) | PageType::Object(_) | PageType::Boolean
    ) {
        // A range of an array or object counts its items, not a value.
        (
            field.minimum,
            field.maximum,
            field.min_length,
            field.max_length,
        ) = (None, None, None, None);
    }
    if field.ty == PageType::Boolean {
        field.values.clear();
    }
    // Bullets under an object (or array of objects) describe its members
    // (`hostname`: the host name), and a default stated there is a
    // member's: neither is a value of the object.
    let object = match &field.ty {
        PageType::Object(_) => true,
        PageType::Array(inner) => matches!(**inner, PageType::Object(_)),
        _ => false,
    };
    if object {
        field.values.clear();
        return;
    }
    if let Some(at) = lower.find("default value is ") {
        let start = at + "default value is ".len();
        let value = flat[start..]
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .trim_end_matches(['.', ','])
            .trim_matches(['"', '`']);
        if is_default_value(&field.ty, value) {
            field.default = Some(value.to_owned());
        }
    }
    // Bullets whose lengths the row's own length range refuses are rules
    // about the value (a password's `Digits`), not values of it.
    let fits = |value: &String| {
        let length = value.chars().count() as u64;
        field.min_length.is_none_or(|min| length >= min)
            && field.max_length.is_none_or(|max| length <= max)
    };
    if !field.values.iter().all(fits) {
        field.values.clear();
    }
}

/// Whether the word after "The default value is" is a value: one of the
/// row's type (`1000` for an Integer), not the start of a sentence (`the
/// same as ...`) nor a word for no value (`null`, `empty`).
fn is_default_value(ty: &PageType, word: &str) -> bool {
    const NOT_VALUES: [&str; 8] = ["", "the", "a", "an", "null", "none", "empty", "not"];
    if NOT_VALUES.contains(&word.to_ascii_lowercase().as_str()) {
        return false;
    }
    let typed = matches!(
        ty,
        PageType::Integer
            | PageType::Long
            | PageType::Double
            | PageType::Float
            | PageType::Number
            | PageType::Boolean
    );
    !typed || !ty.value_of(word).is_string()
}

/// Whether `line` ends a table: the next table, a status section or a
/// section of the page. ("Error Codes" is also how a member's description
/// reads, so it ends no table.)
fn ends_table(line: &str) -> bool {
    is_heading(line) && !matches!(line.trim(), "Error Codes" | "URI" | "Function")
}

/// Whether `line` starts something other than a table row.
fn is_heading(line: &str) -> bool {
    let line = line.trim();
    line.starts_with("Table ")
        && line
            .split_whitespace()
            .nth(1)
            .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
        || line.starts_with("Status code:")
        || matches!(
            line,
            "Request Parameters"
                | "Response Parameters"
                | "Example Requests"
                | "Example Responses"
                | "Status Codes"
                | "Error Codes"
                | "URI"
                | "Function"
        )
}

/// A row that names no member but stands for any (`<operator>`, IAM): the
/// object is a map from such names to the row's type.
pub fn placeholder(name: &str) -> Option<&str> {
    name.strip_prefix('<')
        .and_then(|rest| rest.strip_suffix('>'))
        .filter(|inner| is_identifier(inner))
}

pub(crate) fn is_identifier(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty()
        && !text.contains(' ')
        && text.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '[' | ']' | '.' | ':' | '@')
        })
}

/// Reads the rows of a Huawei table starting at `at` (after its title):
/// the header cells, then rows of name, [Mandatory], Type, Description.
fn huawei_table(lines: &[(usize, &str)], mut at: usize) -> (Vec<Field>, usize) {
    let mut headers = Vec::new();
    while at < lines.len()
        && matches!(
            lines[at].1.trim(),
            "Parameter" | "Mandatory" | "Type" | "Description"
        )
    {
        headers.push(lines[at].1.trim());
        at += 1;
    }
    let mandatory_column = headers.contains(&"Mandatory");
    let mut fields: Vec<Field> = Vec::new();
    let row_at = |index: usize| -> Option<(bool, PageType, String, usize)> {
        let (_, name) = *lines.get(index)?;
        if !is_identifier(name) || ends_table(name) {
            return None;
        }
        if mandatory_column {
            let mandatory = match lines.get(index + 1)?.1.trim() {
                "Yes" => true,
                "No" => false,
                _ => return None,
            };
            let type_text = lines.get(index + 2)?.1.trim();
            let ty = PageType::huawei(type_text)?;
            Some((mandatory, ty, type_text.to_owned(), index + 3))
        } else {
            let type_text = lines.get(index + 1)?.1.trim();
            let ty = PageType::huawei(type_text)?;
            Some((false, ty, type_text.to_owned(), index + 2))
        }
    };
    while at < lines.len() && !ends_table(lines[at].1) {
        match row_at(at) {
            Some((mandatory, ty, type_text, next)) => {
                fields.push(Field::new(
                    lines[at].1.trim().to_owned(),
                    lines[at].0,
                    mandatory_column.then_some(mandatory),
                    ty,
                    type_text,
                ));
                at = next;
            }
            None => {
                if let Some(field) = fields.last_mut() {
                    field.description.push_str(lines[at].1.trim());
                    field.description.push('\n');
                }
                at += 1;
            }
        }
    }
    for field in &mut fields {
        read_description(field);
    }
    (fields, at)
}

/// The JSON value starting at `lines[at]` (a line beginning with `{` or
/// `[`), and the index after it.
fn json_at(lines: &[(usize, &str)], at: usize) -> Option<(Example, usize)> {
    let start = lines.get(at)?;
    if !start.1.trim_start().starts_with(['{', '[']) {
        return None;
    }
    let mut text = String::new();
    for (offset, (_, line)) in lines[at..].iter().take(MAX_EXAMPLE_LINES).enumerate() {
        text.push_str(line);
        text.push('\n');
        if let Ok(value) = serde_json::from_str::<Value>(&text) {
            return Some((
                Example {
                    line: start.0,
                    value,
                },
                at + offset + 1,
            ));
        }
    }
    None
}

fn parse_huawei(lines: &[(usize, &str)]) -> Page {
    #[derive(PartialEq)]
    enum Section {
        Head,
        Function,
        Request,
        Response,
        ExampleRequests,
        ExampleResponses,
        StatusCodes,
        ErrorCodes,
    }
    let mut page = Page::default();
    let mut section = Section::Head;
    let mut at = 0;
    let mut example_status: Option<u16> = None;
    while at < lines.len() {
        let (number, line) = lines[at];
        let trimmed = line.trim();
        if let Some(date) = trimmed.strip_prefix("Updated on ") {
            page.updated = date
                .split_whitespace()
                .next()
                .map(|date| (date.to_owned(), number));
            at += 1;
            continue;
        }
        match trimmed {
            "Function" => section = Section::Function,
            "URI" => section = Section::Request,
            "Request Parameters" => section = Section::Request,
            "Response Parameters" => section = Section::Response,
            "Example Requests" => section = Section::ExampleRequests,
            "Example Responses" => section = Section::ExampleResponses,
            "Status Codes" => section = Section::StatusCodes,
            "Error Codes" => section = Section::ErrorCodes,
            _ => {}
        }
        if is_heading(trimmed)
            && !trimmed.starts_with("Table ")
            && !trimmed.starts_with("Status code:")
        {
            at += 1;
            continue;
        }
        if page.title.is_none() && section == Section::Head && !trimmed.contains('/') {
            page.title = Some(trimmed.to_owned());
        }
        if page.read_uri(number, trimmed) {
            at += 1;
            continue;
        }
        if section == Section::Function && page.summary.is_none() {
            page.summary = Some(trimmed.to_owned());
            at += 1;
            continue;
        }
        if let Some(status) = trimmed.strip_prefix("Status code:") {
            let status = status.trim().parse::<u16>().unwrap_or(0);
            match section {
                Section::ExampleResponses => example_status = Some(status),
                _ => page.responses.push(ResponseSection {
                    status,
                    line: number,
                    ..Default::default()
                }),
            }
            at += 1;
            continue;
        }
        if let Some(title) = trimmed.strip_prefix("Table ") {
            let name = title
                .split_once(' ')
                .map(|(_, name)| name.trim())
                .unwrap_or_default()
                .to_owned();
            let (fields, next) = huawei_table(lines, at + 1);
            page.coverage.tables += 1;
            page.coverage.tables_read += 1;
            page.coverage.rows += fields.len();
            page.coverage.rows_read += fields.len();
            let table = Table {
                name: name.clone(),
                line: number,
                fields,
            };
            let lower = name.to_ascii_lowercase();
            let place = if lower.starts_with("path param") {
                Some(Place::Path)
            } else if lower.starts_with("query param") {
                Some(Place::Query)
            } else if lower.contains("header param") && section != Section::Response {
                Some(Place::Header)
            } else {
                None
            };
            match (place, section == Section::Response) {
                (Some(place), _) => page
                    .parameters
                    .extend(table.fields.into_iter().map(|field| (place, field))),
                (None, false) if lower.contains("body param") => page.body = Some(table),
                (None, false) => page.request_objects.push(table),
                (None, true) => {
                    if page.responses.is_empty() {
                        page.responses.push(ResponseSection {
                            status: 200,
                            line: number,
                            ..Default::default()
                        });
                    }
                    if let Some(response) = page.responses.last_mut() {
                        if lower.contains("body param") {
                            response.body = Some(table);
                        } else if !lower.contains("header param") {
                            response.objects.push(table);
                        }
                    }
                }
            }
            at = next;
            continue;
        }
        match section {
            Section::ExampleRequests => {
                if let Some((example, next)) = json_at(lines, at) {
                    page.request_example.get_or_insert(example);
                    at = next;
                    continue;
                }
            }
            Section::ExampleResponses => {
                if let Some((example, next)) = json_at(lines, at) {
                    page.response_examples
                        .push((example_status.unwrap_or(200), example));
                    at = next;
                    continue;
                }
            }
            Section::StatusCodes => {
                if trimmed.len() == 3
                    && let Ok(code) = trimmed.parse::<u16>()
                {
                    page.status_codes.push((code, number));
                }
            }
            _ => {}
        }
        at += 1;
    }
    page
}

/// The cells of a pipe-table row (`| a | b |`), or `None` for a separator.
fn cells(line: &str) -> Option<Vec<String>> {
    let line = line.trim();
    if line.starts_with("|---") || line.starts_with("| ---") {
        return None;
    }
    let inner = line.strip_prefix('|')?;
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    Some(
        inner
            .split('|')
            .map(|cell| cell.trim().to_owned())
            .collect(),
    )
}

/// A pipe table: its column names and its rows, each with its line.
struct PipeTable {
    columns: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
}

/// The pipe table whose header starts at `at` (cells one per line, each
/// ending with `|`, then `|---|`), and the index after it.
fn pipe_table(lines: &[(usize, &str)], mut at: usize) -> (PipeTable, usize) {
    let mut columns = Vec::new();
    while at < lines.len() && !lines[at].1.trim_start().starts_with("|---") {
        let header = lines[at].1.trim().trim_end_matches('|').trim();
        if header.is_empty() || lines[at].1.trim().starts_with('|') {
            break;
        }
        columns.push(header.to_owned());
        at += 1;
    }
    if at < lines.len() && lines[at].1.trim_start().starts_with("|---") {
        at += 1;
    }
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    while at < lines.len() && lines[at].1.trim_start().starts_with('|') {
        if let Some(row) = cells(lines[at].1)
            && row.iter().any(|cell| !cell.is_empty())
        {
            rows.push((lines[at].0, row));
        }
        at += 1;
    }
    (PipeTable { columns, rows }, at)
}

fn parse_pipes(lines: &[(usize, &str)]) -> Page {
    let mut page = Page::default();
    let mut at = 0;
    let mut after = "";
    while at < lines.len() {
        let (number, line) = lines[at];
        let trimmed = line.trim();
        if page.summary.is_none() && at == 0 {
            page.summary = Some(trimmed.to_owned());
        }
        if page.read_uri(number, trimmed) {
            at += 1;
            continue;
        }
        let header_follows = lines
            .get(at + 1)
            .is_some_and(|(_, next)| next.trim().ends_with('|') && !next.trim().starts_with('|'));
        if header_follows && !trimmed.ends_with('|') {
            let (PipeTable { columns, rows }, next) = pipe_table(lines, at + 1);
            let column = |name: &str| columns.iter().position(|c| c.eq_ignore_ascii_case(name));
            let (name_at, type_at, required_at, description_at) = (
                column("Parameter"),
                column("Type"),
                column("Required"),
                column("Description"),
            );
            let fields: Vec<Field> = rows
                .iter()
                .filter_map(|(line, row)| {
                    let name = row.get(name_at?)?.clone();
                    let type_text = type_at
                        .and_then(|i| row.get(i))
                        .cloned()
                        .unwrap_or_default();
                    let mut field = Field::new(
                        name,
                        *line,
                        required_at
                            .and_then(|i| row.get(i))
                            .map(|cell| cell.eq_ignore_ascii_case("yes")),
                        PageType::go(&type_text),
                        type_text,
                    );
                    field.description = description_at
                        .and_then(|i| row.get(i))
                        .cloned()
                        .unwrap_or_default();
                    read_description(&mut field);
                    Some(field)
                })
                .collect();
            page.coverage.tables += 1;
            page.coverage.rows += rows.len();
            page.coverage.rows_read += fields.len();
            let lower = trimmed.to_ascii_lowercase();
            let placed = lower.starts_with("request parameters")
                || lower == "response"
                || lower.starts_with("response parameters")
                || trimmed.trim_end_matches(':').ends_with("data structure");
            if placed {
                page.coverage.tables_read += 1;
            } else {
                page.coverage.unread(
                    number,
                    format!("a table after `{trimmed}`, which names no part of the operation"),
                );
            }
            if lower.starts_with("request parameters") {
                for field in fields {
                    let place = if page.uri.contains(&format!("{{{}}}", field.name)) {
                        Place::Path
                    } else if field.description.to_ascii_lowercase().contains("header") {
                        Place::Header
                    } else {
                        Place::Query
                    };
                    page.parameters.push((place, field));
                }
            } else if lower == "response" || lower.starts_with("response parameters") {
                page.responses.push(ResponseSection {
                    status: 200,
                    line: number,
                    body: Some(Table {
                        name: "Response".into(),
                        line: number,
                        fields,
                    }),
                    objects: Vec::new(),
                });
            } else if let Some(name) = trimmed
                .strip_suffix("data structure:")
                .or_else(|| trimmed.strip_suffix("data structure"))
            {
                let table = Table {
                    name: name.trim().to_owned(),
                    line: number,
                    fields,
                };
                match page.responses.last_mut() {
                    Some(response) => response.objects.push(table),
                    None => page.request_objects.push(table),
                }
            }
            at = next;
            continue;
        }
        match trimmed {
            "Request example" | "Response example" => after = trimmed,
            _ => {
                if let Some((example, next)) = json_at(lines, at) {
                    if after == "Response example" {
                        page.response_examples.push((200, example));
                    } else {
                        page.request_example.get_or_insert(example);
                    }
                    at = next;
                    continue;
                }
            }
        }
        at += 1;
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_read_as_written() {
        assert_eq!(PageType::huawei("Long"), Some(PageType::Long));
        assert_eq!(
            PageType::huawei("Array of strings"),
            Some(PageType::Array(Box::new(PageType::String)))
        );
        assert_eq!(
            PageType::huawei("Array of DbssErrorDetail objects"),
            Some(PageType::Array(Box::new(PageType::Object(
                "DbssErrorDetail".into()
            ))))
        );
        assert_eq!(PageType::huawei("Definition:"), None);
    }

    /// Types of older templates met in the wide scan of the snapshots.
    #[test]
    fn older_templates_types_read_as_written() {
        let any_array = || Some(PageType::Array(Box::new(PageType::Other(String::new()))));
        let object = || Some(PageType::Object(String::new()));
        assert_eq!(
            PageType::huawei("Array. For details, see Table 9."),
            any_array()
        );
        assert_eq!(PageType::huawei("List data structure"), any_array());
        assert_eq!(PageType::huawei("JSONArray"), any_array());
        assert_eq!(
            PageType::huawei("Dictionary data structure. For details, see Table 3."),
            object()
        );
        assert_eq!(PageType::huawei("None"), object());
        assert_eq!(PageType::huawei("Null"), object());
        assert_eq!(PageType::huawei("datetime"), Some(PageType::Time));
        assert_eq!(PageType::huawei("Byte"), Some(PageType::Integer));
        assert_eq!(
            PageType::huawei("Set<String>"),
            Some(PageType::Array(Box::new(PageType::String)))
        );
        assert_eq!(
            PageType::huawei("Versions structure"),
            Some(PageType::Object("Versions".into()))
        );
        assert_eq!(PageType::huawei("Integer/Boolean"), None);
        assert_eq!(
            PageType::go("[]TenantSessionDbStats"),
            PageType::Array(Box::new(PageType::Object("TenantSessionDbStats".into())))
        );
    }

    #[test]
    fn constraints_in_words() {
        let mut field = Field::new(
            "limit".into(),
            1,
            Some(false),
            PageType::String,
            "String".into(),
        );
        field.description = "Range:\nGreater than 0 and less than or equal to 10000\n** Default value**:\nThe default value is 100.\n".into();
        read_description(&mut field);
        assert_eq!(
            field.minimum,
            Some(Bound {
                value: 0.0,
                exclusive: true
            })
        );
        assert_eq!(
            field.maximum,
            Some(Bound {
                value: 10000.0,
                exclusive: false
            })
        );
        assert_eq!(field.default.as_deref(), Some("100"));
        field.description =
            "The value contains 3 to 4 characters.\n  • HOUR: 1 hour\n  • DAY: 1 day\n".into();
        field.values.clear();
        read_description(&mut field);
        assert_eq!((field.min_length, field.max_length), (Some(3), Some(4)));
        assert_eq!(field.values, ["HOUR", "DAY"]);
    }

    #[test]
    fn bullets_the_rows_length_refuses_are_rules_not_values() {
        let mut field = Field::new(
            "password".into(),
            1,
            Some(true),
            PageType::String,
            "String".into(),
        );
        field.description = "Contains 8 to 32 characters and at least two of:\n  • Digits\n  • Special characters\n".into();
        read_description(&mut field);
        assert!(field.values.is_empty(), "{:?}", field.values);
    }

    #[test]
    fn a_default_is_a_value_of_the_rows_type() {
        for (ty, text, default) in [
            (
                PageType::Integer,
                "The default value is the same as min_instance_number.",
                None,
            ),
            (PageType::String, "The default value is null.", None),
            (
                PageType::Integer,
                "The default value is 1000.",
                Some("1000"),
            ),
            (PageType::String, "The default value is desc.", Some("desc")),
        ] {
            let mut field = Field::new("n".into(), 1, Some(false), ty, String::new());
            field.description = text.into();
            read_description(&mut field);
            assert_eq!(field.default.as_deref(), default, "{text}");
        }
    }

    #[test]
    fn bullets_under_an_object_are_its_members_not_values() {
        for (ty, text) in [
            (PageType::Object(String::new()), "Object"),
            (
                PageType::Array(Box::new(PageType::Object("dns_assignment".into()))),
                "Array of dns_assignment objects",
            ),
        ] {
            let mut field = Field::new("profile".into(), 1, Some(false), ty, text.into());
            field.description = "Settings.\n-  hostname: the host\n-  fqdn: the FQDN\nThe default value is false.\n".into();
            read_description(&mut field);
            assert!(field.values.is_empty(), "{text}: {:?}", field.values);
            assert_eq!(field.default, None, "{text}");
        }
    }

    #[test]
    fn uris_lose_hosts_and_colons() {
        assert_eq!(
            method_and_uri("GET 10.10.10.1:2886/api/v1/tenant/t1/sessions/stats"),
            Some(("GET".into(), "/api/v1/tenant/t1/sessions/stats".into()))
        );
        assert_eq!(
            method_and_uri("GET /api/v1/tenant/:name/sessions/stats"),
            Some(("GET".into(), "/api/v1/tenant/{name}/sessions/stats".into()))
        );
        assert_eq!(method_and_uri("Querying things"), None);
    }

    #[test]
    fn a_default_in_words_is_typed_as_its_row() {
        let double = PageType::Double;
        assert_eq!(double.value_of("1.0"), serde_json::json!(1.0));
        assert!(double.same_value(&serde_json::json!(1), "1.0"));
        let paths = PageType::Array(Box::new(PageType::Other(String::new())));
        assert_eq!(paths.value_of("/"), serde_json::json!(["/"]));
        assert_eq!(PageType::Boolean.value_of("true"), serde_json::json!(true));
        assert_eq!(PageType::Integer.value_of("ten"), serde_json::json!("ten"));
        assert!(!PageType::Integer.same_value(&serde_json::json!(10), "11"));
    }
}
