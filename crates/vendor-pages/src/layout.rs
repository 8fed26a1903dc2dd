//! The blocks of an HTML or rst page placed into a [`Page`]: which
//! section a block is in (every template Huawei has published: `Request`/
//! `Response`, `Request Parameters`, `Request Body`, `Request Message`,
//! `Requests`; `Returned Values`, `Status Codes`), what each table is (by
//! its header, its caption or the label line above it, and its section),
//! which object table a member refers to (by type name, by `Table N` in
//! its description, by its own name). Everything not placed is counted
//! and located in the page's [`Coverage`].

use serde_json::Value;

use crate::blocks::{Block, BlockKind, RawRow, RawTable};
use crate::coverage::Coverage;
use crate::page::{
    Example, Field, Page, PageType, Place, ResponseSection, Table, read_description,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Head,
    Function,
    Uri,
    Request,
    Response,
    ExampleRequest,
    ExampleResponse,
    Examples,
    Status,
    Errors,
    Prose,
}

fn section(title: &str) -> Section {
    let lower = title.trim().trim_end_matches(':').to_ascii_lowercase();
    let lower = lower.trim();
    let singular = lower.trim_end_matches('s');
    match singular {
        "function" | "description" => Section::Function,
        "uri" | "url" => Section::Uri,
        "request" | "request parameter" | "request body" | "request message" => Section::Request,
        "response" | "response parameter" | "response body" | "response message"
        | "normal response" | "abnormal response" => Section::Response,
        "example request" | "sample request" | "request example" => Section::ExampleRequest,
        "example response" | "sample response" | "response example" => Section::ExampleResponse,
        "example" | "sample" => Section::Examples,
        "status code" | "returned value" | "return value" | "status code and error code" => {
            Section::Status
        }
        "error code" => Section::Errors,
        _ => Section::Prose,
    }
}

/// What a table is.
#[derive(Debug, Clone, PartialEq)]
enum Role {
    Parameters(Option<Place>),
    Body,
    Object,
    ResponseBody,
    ResponseObject,
    Ignored,
}

/// A parameter table as read, before objects are linked.
#[derive(Debug, Clone)]
struct Placed {
    number: Option<u32>,
    name: Option<String>,
    role: Role,
    /// The response status it documents (`None`: the success status).
    status: Option<u16>,
    table: Table,
    /// Rows that repeat an earlier row's name with another type, with
    /// every row in page order: the table flattens nested objects, to be
    /// nested again by the page's example (`unflatten.rs`).
    flat: Option<Flat>,
}

/// A flattened table as read.
#[derive(Debug, Clone)]
struct Flat {
    rows: Vec<Field>,
    /// Each repeating row: its line and what it is.
    repeats: Vec<(usize, String)>,
}

#[derive(Default)]
struct State {
    page: Page,
    placed: Vec<Placed>,
    section: Option<Section>,
    label: Option<String>,
    /// `Status code: N` in a response or example section.
    status: Option<u16>,
    example_status: Option<u16>,
    /// The next code block is a request (`true`) or response example.
    code_role: Option<bool>,
    /// Parameter tables in example sections, placed at the end: another
    /// operation's when an example requests one, else unread.
    example_tables: Vec<(usize, usize)>,
    /// The rows of the table being placed.
    pending_rows: usize,
    /// The halves of a request line given as `PATH: ...` and `Method: ...`.
    split_path: Option<(usize, String)>,
    split_method: Option<String>,
    /// The first request line of an example for another operation than
    /// the page's: its line and `METHOD /path`.
    other_request: Option<(usize, String)>,
}

/// Reads `blocks` into a page.
pub fn page(blocks: &[Block]) -> Page {
    let mut state = State::default();
    for block in blocks {
        match &block.kind {
            BlockKind::Heading(title) => state.heading(block.line, title),
            BlockKind::Text(text) => state.text(block.line, text),
            BlockKind::Code(code) => state.code(block.line, code),
            BlockKind::Table(table) => state.table(block.line, table),
        }
    }
    state.finish()
}

impl State {
    fn current(&self) -> Section {
        self.section.unwrap_or(Section::Head)
    }

    fn heading(&mut self, _line: usize, title: &str) {
        if self.page.title.is_none() && self.section.is_none() {
            self.page.title = Some(title.to_owned());
            self.section = Some(Section::Head);
            return;
        }
        let next = section(title);
        self.section = Some(next);
        self.label = None;
        self.code_role = None;
        if matches!(next, Section::Response | Section::ExampleResponse) {
            self.status = None;
            self.example_status = None;
        }
        // RDS's v1 `Abnormal Response` section: the error answers.
        if next == Section::Response && title.to_ascii_lowercase().contains("abnormal") {
            self.status = Some(0);
        }
    }

    fn text(&mut self, line: usize, text: &str) {
        if self.page.method.is_empty() && self.read_uri(line, text) {
            return;
        }
        let section = self.current();
        if section == Section::Function && self.page.summary.is_none() {
            self.page.summary = Some(text.to_owned());
            return;
        }
        if let Some(status) = status_line(text) {
            match section {
                Section::ExampleResponse | Section::Examples => self.example_status = Some(status),
                Section::Status => self.page.status_codes.push((status, line)),
                _ => {
                    self.status = Some(status);
                    self.add_response(status, line);
                }
            }
            return;
        }
        if section == Section::Status
            && let Some(status) = leading_status(text)
        {
            self.page.status_codes.push((status, line));
            return;
        }
        let lower = text.to_ascii_lowercase();
        if lower.contains("example") || lower.starts_with("sample") {
            if lower.contains("request") {
                self.code_role = Some(true);
            } else if lower.contains("response") {
                self.code_role = Some(false);
                self.example_status = if lower.contains("abnormal") {
                    Some(0)
                } else {
                    None
                };
            }
        }
        if matches!(section, Section::Request | Section::Response) && lower.contains("abnormal") {
            self.status = Some(0);
        } else if matches!(section, Section::Response) && lower.starts_with("normal") {
            self.status = None;
        }
        self.label = (text.len() <= 120).then(|| text.to_owned());
    }

    fn read_uri(&mut self, line: usize, text: &str) -> bool {
        let Some((method, uri)) = crate::page::method_and_uri(text) else {
            return self.split_uri(line, text);
        };
        self.page.method = method;
        self.page.uri = uri;
        self.page.uri_line = line;
        true
    }

    /// RDS's v1 template gives the request line in two paragraphs of the
    /// URI section, `PATH: /v1.0/{project_id}/instances` and `Method:
    /// POST`: each half is read, and the request line (at the path's
    /// line) is the page's once both are.
    fn split_uri(&mut self, line: usize, text: &str) -> bool {
        if self.current() != Section::Uri {
            return false;
        }
        let Some((label, value)) = text.trim().split_once(':') else {
            return false;
        };
        let value = value.trim();
        match label.trim().to_ascii_lowercase().as_str() {
            "path" if value.starts_with('/') => self.split_path = Some((line, value.to_owned())),
            "method" if !value.is_empty() && value.chars().all(|c| c.is_ascii_alphabetic()) => {
                self.split_method = Some(value.to_ascii_uppercase());
            }
            _ => return false,
        }
        if let (Some((at, path)), Some(method)) = (&self.split_path, &self.split_method)
            && let Some((method, uri)) = crate::page::method_and_uri(&format!("{method} {path}"))
        {
            self.page.method = method;
            self.page.uri = uri;
            self.page.uri_line = *at;
        }
        true
    }

    fn add_response(&mut self, status: u16, line: usize) {
        if !self.page.responses.iter().any(|r| r.status == status) {
            self.page.responses.push(ResponseSection {
                status,
                line,
                ..Default::default()
            });
        }
    }

    fn code(&mut self, line: usize, code: &str) {
        let section = self.current();
        if self.page.method.is_empty()
            && let Some(first) = code.lines().find(|l| !l.trim().is_empty())
            && self.read_uri(line, first)
        {
            return;
        }
        let request_line = code.lines().find_map(crate::page::method_and_uri);
        let has_method = request_line.is_some();
        if let Some((method, uri)) = request_line
            && self.other_request.is_none()
            && matches!(
                section,
                Section::ExampleRequest | Section::ExampleResponse | Section::Examples
            )
            && !self.is_own_request(&method, &uri)
        {
            self.other_request = Some((line, format!("{method} {uri}")));
        }
        let request = match (section, self.code_role) {
            (Section::ExampleRequest, _) => true,
            (Section::ExampleResponse, _) => false,
            (_, Some(role)) => role,
            (Section::Examples, None) => has_method,
            _ => return,
        };
        let Some((offset, value)) = first_json(code) else {
            return;
        };
        let example = Example {
            line: line + offset,
            value,
        };
        if request {
            self.page.request_example.get_or_insert(example);
        } else if self.example_status != Some(0) {
            let status = self.example_status.unwrap_or(0);
            if !self
                .page
                .response_examples
                .iter()
                .any(|(s, _)| *s == status)
            {
                self.page.response_examples.push((status, example));
            }
        }
    }

    /// Whether `METHOD uri` (an example's request line, values in place of
    /// `{parameters}`) is the page's own operation.
    fn is_own_request(&self, method: &str, uri: &str) -> bool {
        let segments = |uri: &str| -> Vec<String> {
            let path = uri.split(['?', '#']).next().unwrap_or_default();
            path.split('/')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let (own, theirs) = (segments(&self.page.uri), segments(uri));
        method.eq_ignore_ascii_case(&self.page.method)
            && own.len() == theirs.len()
            && own
                .iter()
                .zip(&theirs)
                .all(|(own, theirs)| own.contains('{') || own == theirs)
    }

    fn table(&mut self, line: usize, raw: &RawTable) {
        let coverage = &mut self.page.coverage;
        coverage.tables += 1;
        coverage.rows += raw.rows.len();
        let (number, caption) = caption(raw.caption.as_deref());
        let header: Vec<String> = raw.header.iter().map(|h| h.to_ascii_lowercase()).collect();
        match kind(&header) {
            Kind::Status => self.status_table(line, raw),
            Kind::Errors => {
                coverage.tables_read += 1;
                coverage.rows_read += raw.rows.len();
            }
            Kind::Prose => {
                coverage.tables_read += 1;
                coverage.rows_read += raw.rows.len();
                coverage.prose.push(line);
            }
            Kind::Parameters(columns) => {
                let label = caption
                    .clone()
                    .or_else(|| self.label.clone())
                    .unwrap_or_default();
                self.pending_rows = raw.rows.len();
                let Some(role) = self.role(&label, line) else {
                    return;
                };
                // An object table with no type column (SMN's policy
                // document: `Parameter | Description | Constraint`) says
                // nothing of its members' types; a parameter table's
                // members are strings.
                let untyped =
                    columns.ty.is_none() && matches!(role, Role::Object | Role::ResponseObject);
                let (fields, flat) = self.fields(raw, &columns, untyped);
                self.page.coverage.tables_read += 1;
                let name = match role {
                    Role::Object | Role::ResponseObject => object_name(&label),
                    _ => None,
                };
                self.placed.push(Placed {
                    number,
                    name: name.clone(),
                    role,
                    status: self.status,
                    table: Table {
                        name: name.unwrap_or_default(),
                        line,
                        fields,
                    },
                    flat,
                });
            }
            Kind::Unknown => coverage.unread(
                line,
                format!(
                    "a table whose header `{}` is not a parameter or status table",
                    raw.header.join(" | ")
                ),
            ),
        }
        self.label = None;
    }

    fn status_table(&mut self, line: usize, raw: &RawTable) {
        let coverage = &mut self.page.coverage;
        coverage.tables_read += 1;
        for row in &raw.rows {
            match row.cells.first().and_then(|c| leading_status(c)) {
                Some(status) => {
                    coverage.rows_read += 1;
                    self.page.status_codes.push((status, row.line));
                }
                None => coverage.unread(
                    row.line,
                    format!("a status table row without a status code (table at line {line})"),
                ),
            }
        }
    }

    /// What a parameter table is, from its caption or label and section;
    /// `None` (recorded as unread) when it is in no section that has
    /// parameters.
    fn role(&mut self, label: &str, line: usize) -> Option<Role> {
        let lower = label.to_ascii_lowercase();
        let section = self.current();
        let request_side = matches!(section, Section::Uri | Section::Request | Section::Head);
        if lower.contains("header") {
            return Some(if request_side {
                Role::Parameters(Some(Place::Header))
            } else {
                Role::Ignored
            });
        }
        if request_side && lower.contains("query") {
            return Some(Role::Parameters(Some(Place::Query)));
        }
        if request_side
            && (lower.contains("path param")
                || lower.contains("uri param")
                || section == Section::Uri)
        {
            return Some(Role::Parameters(None));
        }
        let named = object_name(label).is_some();
        match section {
            Section::Request | Section::Head => Some(if named || self.has(&Role::Body, None) {
                Role::Object
            } else {
                Role::Body
            }),
            Section::Response => {
                let status = self.status;
                Some(if named || self.has(&Role::ResponseBody, status) {
                    Role::ResponseObject
                } else {
                    Role::ResponseBody
                })
            }
            Section::ExampleRequest | Section::ExampleResponse | Section::Examples => {
                self.example_tables.push((line, self.pending_rows));
                None
            }
            _ => {
                self.page.coverage.unread(line, OUTSIDE);
                None
            }
        }
    }

    fn has(&self, role: &Role, status: Option<u16>) -> bool {
        self.placed
            .iter()
            .any(|p| &p.role == role && (*role == Role::Body || p.status == status))
    }

    /// The rows of a parameter table; each row not understood is recorded.
    /// A row repeating an earlier row's name with another type is kept
    /// apart, with every row, for the example to nest ([`Flat`]).
    fn fields(
        &mut self,
        raw: &RawTable,
        columns: &Columns,
        untyped: bool,
    ) -> (Vec<Field>, Option<Flat>) {
        let mut fields: Vec<Field> = Vec::new();
        let mut flat = Flat {
            rows: Vec::new(),
            repeats: Vec::new(),
        };
        let rows = raw.rows.iter().flat_map(|row| alternatives(row, columns));
        for (row, counted) in rows {
            let field = match field(&row, columns, untyped) {
                Ok(field) => field,
                Err(why) => {
                    self.page.coverage.unread(row.line, why);
                    continue;
                }
            };
            if !counted {
                // The second name of a row that documents two: its row
                // was counted with the first.
                fields.push(field);
                continue;
            }
            flat.rows.push(field.clone());
            match fields.iter().find(|earlier| earlier.name == field.name) {
                // The same member again (EVS, IAM): read, kept once.
                Some(earlier) if earlier.ty == field.ty => self.page.coverage.rows_read += 1,
                // One object cannot have a member twice: the table
                // flattens a nested object into its parent's rows (ELB's
                // `version` object holding a `version` string).
                Some(_) => flat.repeats.push((
                    row.line,
                    format!(
                        "a row `{}` repeating an earlier row's name (a nested object flattened into the table, which the page's example does not nest)",
                        short(&field.name)
                    ),
                )),
                None => {
                    self.page.coverage.rows_read += 1;
                    fields.push(field);
                }
            }
        }
        let flat = (!flat.repeats.is_empty()).then_some(flat);
        (fields, flat)
    }

    fn finish(mut self) -> Page {
        let success = self
            .page
            .status_codes
            .iter()
            .map(|(s, _)| *s)
            .chain(self.page.responses.iter().map(|r| r.status))
            .find(|s| (200..300).contains(s))
            .unwrap_or(200);
        self.set_aside_example_tables();
        self.unflatten_tables(success);
        link(&mut self.placed, &mut self.page.coverage);
        for placed in std::mem::take(&mut self.placed) {
            let status = match placed.status {
                None => Some(success),
                Some(0) => None,
                Some(status) => Some(status),
            };
            place(&mut self.page, placed, status);
        }
        for (status, _) in &mut self.page.response_examples {
            if *status == 0 {
                *status = success;
            }
        }
        self.page.responses.retain(|r| r.status != 0);
        if self.page.body.is_none() {
            // An example body of a request that has none documented.
            self.page.request_example = None;
        }
        self.page.status_codes.dedup();
        self.page
    }
}

impl State {
    /// Parameter tables of example sections: another operation's when an
    /// example there requests one (ELB's load balancer page walks through
    /// VPC's EIP API with its tables), else unread.
    fn set_aside_example_tables(&mut self) {
        let coverage = &mut self.page.coverage;
        for (line, rows) in std::mem::take(&mut self.example_tables) {
            match &self.other_request {
                Some((at, whose)) => coverage.aside.push(crate::coverage::Aside {
                    line,
                    rows,
                    whose: format!("{whose} (line {at})"),
                }),
                None => coverage.unread(line, OUTSIDE),
            }
        }
    }
}

impl State {
    /// Each flattened table nested again by its example, or its repeating
    /// rows recorded unread.
    fn unflatten_tables(&mut self, success: u16) {
        let mut nested = Vec::new();
        for placed in &mut self.placed {
            let Some(flat) = placed.flat.take() else {
                continue;
            };
            let example = match placed.role {
                Role::Body | Role::Object => self.page.request_example.as_ref(),
                _ => self
                    .page
                    .response_examples
                    .iter()
                    .find(|(s, _)| match placed.status {
                        None => *s == 0 || *s == success,
                        Some(status) => *s == status,
                    })
                    .map(|(_, e)| e),
            };
            let coverage = &mut self.page.coverage;
            match example.and_then(|e| crate::unflatten::nest(&flat.rows, &e.value)) {
                Some(mut tables) if tables.len() > 1 => {
                    coverage.rows_read += flat.repeats.len();
                    placed.table.fields = tables.remove(0).1;
                    let role = if is_response(&placed.role) {
                        Role::ResponseObject
                    } else {
                        Role::Object
                    };
                    for (name, fields) in tables {
                        nested.push(Placed {
                            number: None,
                            name: Some(name.clone()),
                            role: role.clone(),
                            status: placed.status,
                            table: Table {
                                name,
                                line: placed.table.line,
                                fields,
                            },
                            flat: None,
                        });
                    }
                }
                _ => {
                    for (line, what) in flat.repeats {
                        coverage.unread(line, what);
                    }
                }
            }
        }
        self.placed.extend(nested);
    }
}

const OUTSIDE: &str = "a parameter table outside the URI, request and response sections";

/// Puts a linked table into the page.
fn place(page: &mut Page, placed: Placed, status: Option<u16>) {
    let table = placed.table;
    match placed.role {
        Role::Parameters(place) => {
            for field in table.fields {
                let place = place.unwrap_or_else(|| {
                    if page.uri.contains(&format!("{{{}}}", field.name)) {
                        Place::Path
                    } else {
                        Place::Query
                    }
                });
                page.parameters.push((place, field));
            }
        }
        Role::Body => page.body = Some(table),
        Role::Object | Role::ResponseObject if table.name.is_empty() => {}
        Role::Object => page.request_objects.push(table),
        Role::ResponseBody | Role::ResponseObject => {
            let Some(status) = status else {
                page.coverage.unread(
                    table.line,
                    "a table of an abnormal response with no status code",
                );
                return;
            };
            if !page.responses.iter().any(|r| r.status == status) {
                page.responses.push(ResponseSection {
                    status,
                    line: table.line,
                    ..Default::default()
                });
            }
            if let Some(response) = page.responses.iter_mut().find(|r| r.status == status) {
                if placed.role == Role::ResponseBody {
                    response.body = Some(table);
                } else {
                    response.objects.push(table);
                }
            }
        }
        Role::Ignored => {}
    }
}

/// Links members to object tables on the same side, names unnamed
/// object tables after the member that refers to them, and gives a
/// response object the name of a different request object a suffix.
fn link(placed: &mut [Placed], coverage: &mut Coverage) {
    let request_names = request_tables(placed);
    for p in placed.iter_mut().filter(|p| p.role == Role::ResponseObject) {
        if let Some(name) = p.name.clone() {
            p.table.name = distinct_name(name, p, &request_names);
            p.name = Some(p.table.name.clone());
        }
    }
    for index in 0..placed.len() {
        let side = is_response(&placed[index].role);
        for row in 0..placed[index].table.fields.len() {
            let field = placed[index].table.fields[row].clone();
            let owner = placed[index].name.clone();
            let (target, content) = match referenced(placed, &field, owner.as_deref(), side) {
                Some(target) => (target, false),
                None => match content_table(placed, &field, side) {
                    Some(target) => (target, true),
                    None => continue,
                },
            };
            let name = match &placed[target].name {
                Some(name) => name.clone(),
                None => {
                    let name = table_name(&field.name);
                    let name = distinct_name(name, &placed[target], &request_tables(placed));
                    placed[target].name = Some(name.clone());
                    placed[target].table.name = name.clone();
                    name
                }
            };
            if content {
                placed[index].table.fields[row].content = Some(name);
            } else {
                refer_to(&mut placed[index].table.fields[row], &name);
            }
        }
    }
    link_unnamed(placed);
    for p in placed.iter() {
        if matches!(p.role, Role::Object | Role::ResponseObject) && p.name.is_none() {
            // Read row by row, but placed nowhere: not read.
            coverage.tables_read = coverage.tables_read.saturating_sub(1);
            coverage.rows_read = coverage.rows_read.saturating_sub(p.table.fields.len());
            coverage.unread(
                p.table.line,
                "an object table no member refers to and no caption names",
            );
        }
    }
}

/// An object table still unnamed belongs to the nearest member before it,
/// on its side, whose type is an object or array the page does not name
/// (`topics | Array`, then `Table 3 Parameter description`).
fn link_unnamed(placed: &mut [Placed]) {
    for target in 0..placed.len() {
        if placed[target].name.is_some()
            || !matches!(placed[target].role, Role::Object | Role::ResponseObject)
        {
            continue;
        }
        let side = is_response(&placed[target].role);
        let owner = (0..target)
            .rev()
            .filter(|i| is_response(&placed[*i].role) == side)
            .find_map(|i| {
                let row = placed[i]
                    .table
                    .fields
                    .iter()
                    .rposition(|f| untyped(&f.ty))?;
                Some((i, row))
            });
        if let Some((i, row)) = owner {
            let name = table_name(&placed[i].table.fields[row].name);
            let name = distinct_name(name, &placed[target], &request_tables(placed));
            refer_to(&mut placed[i].table.fields[row], &name);
            placed[target].name = Some(name.clone());
            placed[target].table.name = name;
        }
    }
}

/// The request's object tables named so far: name and members.
fn request_tables(placed: &[Placed]) -> Vec<(String, Vec<Field>)> {
    placed
        .iter()
        .filter(|p| p.role == Role::Object)
        .filter_map(|p| p.name.clone().map(|n| (n, p.table.fields.clone())))
        .collect()
}

/// `name` for the object table `p`, or `<name>Response` when `p` is a
/// response object and a request object of that name has other members
/// (`security_group` asked for with a name, answered with its rules).
fn distinct_name(name: String, p: &Placed, request_names: &[(String, Vec<Field>)]) -> String {
    let clash = p.role == Role::ResponseObject
        && request_names
            .iter()
            .any(|(n, fields)| *n == name && *fields != p.table.fields);
    if clash {
        format!("{name}Response")
    } else {
        name
    }
}

/// The name of a table the page names after the member that refers to it:
/// `operator` for `<operator>`.
fn table_name(member: &str) -> String {
    crate::page::placeholder(member)
        .unwrap_or(member)
        .to_owned()
}

/// An object or array whose member type the page does not name.
fn untyped(ty: &PageType) -> bool {
    match ty {
        PageType::Object(name) => name.is_empty(),
        PageType::Array(inner) => match &**inner {
            PageType::Other(name) | PageType::Object(name) => name.is_empty(),
            _ => false,
        },
        _ => false,
    }
}

fn is_response(role: &Role) -> bool {
    matches!(
        role,
        Role::ResponseBody | Role::ResponseObject | Role::Ignored
    )
}

/// The object table `field` refers to: by its type's name, by `Table N`
/// in its description, by its own name.
fn referenced(
    placed: &[Placed],
    field: &Field,
    owner: Option<&str>,
    response: bool,
) -> Option<usize> {
    let objects = |p: &&Placed| {
        matches!(p.role, Role::Object | Role::ResponseObject) && is_response(&p.role) == response
    };
    let type_name = match &field.ty {
        PageType::Object(name) => Some(name.as_str()),
        PageType::Array(inner) => match &**inner {
            PageType::Object(name) => Some(name.as_str()),
            PageType::Other(_) => Some(""),
            _ => None,
        },
        _ => None,
    }?;
    let position =
        |pred: &dyn Fn(&Placed) -> bool| placed.iter().position(|p| objects(&p) && pred(p));
    let named = |p: &Placed, name: &str| {
        p.name
            .as_deref()
            .is_some_and(|n| n == name || n.strip_suffix("Response") == Some(name))
    };
    if !type_name.is_empty()
        && let Some(found) = position(&|p| named(p, type_name))
    {
        return Some(found);
    }
    // `Array of Table 1 objects` (SMN) names the table by its number.
    let numbers = table_references(&field.type_text)
        .into_iter()
        .chain(table_references(&field.description));
    for number in numbers {
        if let Some(found) = position(&|p| p.number == Some(number)) {
            return Some(found);
        }
    }
    // IAM names a nested table by its path: `role.policy.Statement` is
    // the `Statement` member of the `role.policy` table.
    if let Some(owner) = owner
        && let Some(found) =
            position(&|p| named(p, &format!("{owner}.{}", table_name(&field.name))))
    {
        return Some(found);
    }
    position(&|p| named(p, &field.name))
}

/// The object table that describes the content of a string member (or
/// of one whose table gives no types): one its description names by number (`For details, see Table 1`, SMN's
/// policy document in `value`), or one named after it (ModelArts'
/// `parameter` string, `Table 5 parameter parameters`).
fn content_table(placed: &[Placed], field: &Field, response: bool) -> Option<usize> {
    let untyped = PageType::Other(String::new());
    if field.ty != PageType::String && field.ty != untyped {
        return None;
    }
    let objects = |p: &Placed| {
        matches!(p.role, Role::Object | Role::ResponseObject) && is_response(&p.role) == response
    };
    table_references(&field.description)
        .into_iter()
        .find_map(|number| {
            placed
                .iter()
                .position(|p| objects(p) && p.number == Some(number))
        })
        .or_else(|| {
            placed
                .iter()
                .position(|p| objects(p) && p.name.as_deref() == Some(field.name.as_str()))
        })
}

/// `field` refers to the object table `name`: bullets and a default in
/// its description were its members' (`crate::page::read_description`).
fn refer_to(field: &mut Field, name: &str) {
    field.ty = retarget(&field.ty, name);
    field.values.clear();
    field.default = None;
}

fn retarget(ty: &PageType, name: &str) -> PageType {
    match ty {
        PageType::Array(_) => PageType::Array(Box::new(PageType::Object(name.to_owned()))),
        _ => PageType::Object(name.to_owned()),
    }
}

/// `N` of every `Table N` in `text`.
fn table_references(text: &str) -> Vec<u32> {
    text.match_indices("Table ")
        .filter_map(|(at, found)| {
            let rest = &text[at + found.len()..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}

/// `Table 3 server_group parameters` as (3, `server_group parameters`).
fn caption(caption: Option<&str>) -> (Option<u32>, Option<String>) {
    let Some(caption) = caption.map(str::trim).filter(|c| !c.is_empty()) else {
        return (None, None);
    };
    if let Some(rest) = caption.strip_prefix("Table ") {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(number) = digits.parse() {
            let rest = rest[digits.len()..].trim();
            return (Some(number), (!rest.is_empty()).then(|| rest.to_owned()));
        }
    }
    (None, Some(caption.to_owned()))
}

const ROLE_WORDS: &[&str] = &[
    "request",
    "response",
    "uri",
    "url",
    "path",
    "query",
    "header",
    "body",
    "parameter",
    "normal",
    "abnormal",
    "status",
    "field",
    "description",
    "returned",
    "example",
];

/// The object a caption or label names: `server_group parameters`,
/// `ListenerRef`, `job field description`, `Parameters in the name field`,
/// `tags objects`; none for a role (`Request parameters`) or prose.
fn object_name(label: &str) -> Option<String> {
    let text = label.trim().trim_end_matches([':', '.']).trim();
    let lower = text.to_ascii_lowercase();
    let mut candidate = text;
    let inner = |prefix: &str, suffix: &str| {
        lower
            .strip_prefix(prefix)
            .and_then(|r| r.strip_suffix(suffix))
            .map(|r| &text[prefix.len()..prefix.len() + r.len()])
    };
    if let Some(name) =
        inner("parameters in the ", " field").or_else(|| inner("description of the ", " field"))
    {
        candidate = name;
    } else if let Some(at) = lower.find(" field description ") {
        candidate = &text[..at];
    } else {
        for suffix in [
            " field data structure description",
            " data structure description",
            " field description",
            " parameter description",
            " parameters",
            " parameter",
            " objects",
            " object",
            " field",
        ] {
            if lower.ends_with(suffix) {
                candidate = &text[..text.len() - suffix.len()];
                break;
            }
        }
    }
    let candidate = candidate.trim();
    let word = candidate.to_ascii_lowercase();
    let is_role = ROLE_WORDS.contains(&word.trim_end_matches('s'));
    (crate::page::is_identifier(candidate) && !is_role).then(|| candidate.to_owned())
}

/// Which columns of a parameter table hold what.
#[derive(Debug, Clone)]
struct Columns {
    name: usize,
    mandatory: Option<usize>,
    ty: Option<usize>,
    description: Option<usize>,
    /// Further columns (`Constraint`, `Value Range`) read into the
    /// description.
    more: Vec<usize>,
}

enum Kind {
    Parameters(Columns),
    Status,
    Errors,
    /// No member name column and no type column: a table of the text.
    Prose,
    Unknown,
}

fn kind(header: &[String]) -> Kind {
    let first = header.first().map(String::as_str).unwrap_or_default();
    if first.contains("status code")
        || first.contains("returned value")
        || first.contains("return value")
        || first == "status"
        || first == "http status code"
    {
        return Kind::Status;
    }
    if header.iter().any(|h| h.contains("error code")) {
        return Kind::Errors;
    }
    let position = |names: &[&str]| header.iter().position(|h| names.contains(&h.trim()));
    let ty = position(&["type", "parameter type", "data type", "value type"]);
    let Some(name) = position(&[
        "parameter",
        "name",
        "element",
        "field",
        "parameter name",
        "attribute",
        "response item",
    ]) else {
        return if ty.is_none() && !header.iter().any(|h| names_a_member(h)) {
            Kind::Prose
        } else {
            Kind::Unknown
        };
    };
    if name != 0 {
        return Kind::Unknown;
    }
    let mandatory = position(&["mandatory", "required", "is mandatory", "mandatory or not"]);
    let description = position(&["description", "parameter description"]);
    if description.is_none() && ty.is_none() {
        return Kind::Unknown;
    }
    let known = [Some(name), mandatory, ty, description];
    let more: Vec<usize> = (0..header.len())
        .filter(|i| !known.contains(&Some(*i)))
        .collect();
    Kind::Parameters(Columns {
        name,
        mandatory,
        ty,
        description,
        more,
    })
}

/// A header cell that could head a column of member names or of their
/// properties (`Header`, `Parameter ID`, `Item`, `Mandatory`): a table
/// with one is not prose.
fn names_a_member(header: &str) -> bool {
    [
        "parameter",
        "name",
        "field",
        "header",
        "member",
        "key",
        "item",
        "property",
        "argument",
        "option",
        "variable",
        "attribute",
        "element",
        "mandatory",
        "required",
    ]
    .iter()
    .any(|word| header.split_whitespace().any(|w| w == *word))
}

/// A name cell wrapped inside a word (`scaling\_ configuration \_id`, as
/// a narrow rst column breaks it) joined again: the spaces beside an
/// underscore, dot or hyphen go. Other names are left as they are.
fn rejoin(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let mut joined = String::new();
    for (i, word) in words.iter().enumerate() {
        let glued = |w: &str| w.starts_with(['_', '.', '-']) || w.ends_with(['_', '.', '-']);
        if i > 0 && !(glued(word) || glued(words[i - 1])) {
            joined.push(' ');
        }
        joined.push_str(word);
    }
    joined
}

/// A row whose name cell holds several names, one per line, each a
/// member name (SMN's `Principal` / `NotPrincipal`: either may be given),
/// as one row per name, the first counted as the page's row; any other
/// row as it is.
fn alternatives(row: &RawRow, columns: &Columns) -> Vec<(RawRow, bool)> {
    let cell = row.cells.get(columns.name).map_or("", String::as_str);
    let names: Vec<String> = cell.lines().map(rejoin).filter(|n| !n.is_empty()).collect();
    if names.len() < 2 || !names.iter().all(|n| crate::page::is_identifier(n)) {
        return vec![(row.clone(), true)];
    }
    names
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let mut one = row.clone();
            one.cells[columns.name] = name;
            (one, i == 0)
        })
        .collect()
}

/// One parameter row, or why it is not one; `untyped`: the table gives
/// no types (its members' are unknown, not strings).
fn field(row: &RawRow, columns: &Columns, untyped: bool) -> Result<Field, String> {
    let cell = |at: Option<usize>| {
        at.and_then(|i| row.cells.get(i))
            .map(|c| c.trim())
            .unwrap_or_default()
    };
    let joined = rejoin(cell(Some(columns.name)));
    let name = joined.as_str();
    if !crate::page::is_identifier(name) && crate::page::placeholder(name).is_none() {
        return Err(format!(
            "a row whose name `{}` is not a parameter name",
            short(name)
        ));
    }
    let type_text = crate::blocks::one_line(cell(columns.ty));
    let ty = if untyped {
        PageType::Other(String::new())
    } else if columns.ty.is_none() {
        PageType::String
    } else {
        PageType::huawei(&type_text).ok_or_else(|| {
            format!(
                "row `{name}`: the type `{}` is not understood",
                short(&type_text)
            )
        })?
    };
    let mandatory = match columns.mandatory {
        None => None,
        Some(_) => Some(mandatory(cell(columns.mandatory)).ok_or_else(|| {
            format!(
                "row `{name}`: Mandatory `{}` is neither yes nor no",
                short(cell(columns.mandatory))
            )
        })?),
    };
    let mut field = Field::new(name.to_owned(), row.line, mandatory, ty, type_text);
    let mut description = cell(columns.description).to_owned();
    for extra in &columns.more {
        let text = cell(Some(*extra));
        if !text.is_empty() {
            description.push('\n');
            description.push_str(text);
        }
    }
    field.description = description;
    read_description(&mut field);
    if untyped {
        // Bullets of a member of unknown type are not its values.
        field.values.clear();
        field.default = None;
    }
    Ok(field)
}

fn mandatory(text: &str) -> Option<bool> {
    let lower = text.trim().to_ascii_lowercase();
    let word = lower
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or_default();
    match word {
        "yes" | "mandatory" | "true" | "required" => Some(true),
        "no" | "optional" | "false" | "conditional" | "" => Some(false),
        _ => None,
    }
}

fn short(text: &str) -> String {
    let one = crate::blocks::one_line(text);
    match one.char_indices().nth(60) {
        Some((at, _)) => format!("{}...", &one[..at]),
        None => one,
    }
}

/// `Status code: 200` (also `Status Code 200`).
fn status_line(text: &str) -> Option<u16> {
    let lower = text.trim().to_ascii_lowercase();
    let rest = lower
        .strip_prefix("status code")?
        .trim_start_matches([':', ' ']);
    leading_status(rest).filter(|_| rest.len() <= 40)
}

/// A status code at the start of `text` (`200`, `200 OK`, `404: ...`).
fn leading_status(text: &str) -> Option<u16> {
    let text = text.trim();
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    let after = text[digits.len()..].chars().next();
    if digits.len() != 3 || after.is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    digits.parse().ok().filter(|s| (100..600).contains(s))
}

/// The first JSON value of a code block (after a request line, say), and
/// its line offset in the block.
fn first_json(code: &str) -> Option<(usize, Value)> {
    let mut offset = 0;
    for (index, line) in code.lines().enumerate() {
        if line.trim_start().starts_with(['{', '[']) {
            let rest = code.get(offset..)?;
            let mut values = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
            return match values.next() {
                Some(Ok(value)) => Some((index, value)),
                _ => None,
            };
        }
        offset += line.len() + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::page::{Format, PageType, parse_as};

    fn response_page(rows: &[(&str, &str)]) -> String {
        let mut table = String::new();
        for (name, ty) in rows {
            table.push_str(&format!(
                "   | {name:<9} | {ty:<7} | About it.   |\n   +-----------+---------+-------------+\n"
            ));
        }
        format!(
            "Querying\n========\n\nURI\n---\n\nGET /v2/things\n\nResponse\n--------\n\n-  Parameter description\n\n   +-----------+---------+-------------+\n   | Parameter | Type    | Description |\n   +===========+=========+=============+\n{table}"
        )
    }

    #[test]
    fn a_member_listed_twice_is_read_once_and_a_nested_one_is_unread() {
        let page = response_page(&[("id", "String"), ("size", "Integer"), ("id", "String")]);
        let page = parse_as(&page, Format::Rst).expect("reads");
        let mut coverage = page.coverage.clone();
        assert!(coverage.complete(), "{:?}", coverage.lines("page"));
        let body = page.responses[0].body.as_ref().expect("body");
        assert_eq!(body.fields.len(), 2);

        let page = response_page(&[
            ("version", "Object"),
            ("id", "String"),
            ("version", "String"),
        ]);
        let page = parse_as(&page, Format::Rst).expect("reads");
        let mut coverage = page.coverage.clone();
        let lines = coverage.lines("page");
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].contains("a row `version` repeating"), "{lines:?}");
    }

    /// RDS's v1 template: the request line as `PATH:` and `Method:`
    /// paragraphs, `Normal Response`, types `Dictionary data structure.
    /// For details, see Table N.`, `None`, and a name cell wrapped inside
    /// the word.
    const RDS_V1: &str = "Rebooting\n=========\n\nURI\n---\n\n-  URI format\n\n   PATH: /v1.0/{project_id}/instances/{instance_id}/action\n\n   Method: POST\n\n-  Parameter description\n\n   ============== ========= ===========\n   Name           Mandatory Description\n   ============== ========= ===========\n   project_id     Yes       The project\n   instance\\_ id  Yes       The instance\n   ============== ========= ===========\n\nRequest\n-------\n\n   ======= ========= ==== ===========\n   Name    Mandatory Type Description\n   ======= ========= ==== ===========\n   restart Yes       None Left blank.\n   ======= ========= ==== ===========\n\nNormal Response\n---------------\n\n   .. table:: **Table 3** Parameter description\n\n      +-------------+------------------------------------------------------+-------------+\n      | Name        | Type                                                 | Description |\n      +=============+======================================================+=============+\n      | extendparam | Dictionary data structure. For details, see Table 4. | The jobs.   |\n      +-------------+------------------------------------------------------+-------------+\n\n   .. table:: **Table 4** extendparam field data structure description\n\n      ==== ====== ===========\n      Name Type   Description\n      ==== ====== ===========\n      id   String The task.\n      ==== ====== ===========\n";

    #[test]
    fn the_rds_v1_template_is_read_whole() {
        let page = parse_as(RDS_V1, Format::Rst).expect("reads");
        let mut coverage = page.coverage.clone();
        assert!(coverage.complete(), "{:?}", coverage.lines("page"));
        assert_eq!(page.method, "POST");
        assert_eq!(
            page.uri,
            "/v1.0/{project_id}/instances/{instance_id}/action"
        );
        assert_eq!(page.parameters[1].1.name, "instance_id");
        let body = page.body.as_ref().expect("a request body");
        assert_eq!(body.fields[0].ty, PageType::Object(String::new()));
        let section = page.responses.first().expect("a response");
        let answer = section.body.as_ref().expect("a response body");
        assert_eq!(answer.fields[0].ty, PageType::Object("extendparam".into()));
        assert_eq!(section.objects[0].fields[0].name, "id");
    }

    /// A table with no member name column and no type column is a table
    /// of the text, read and said; one with a `Header` column is not.
    #[test]
    fn prose_tables_are_read_as_prose_and_said() {
        let kind = |header: &[&str]| {
            super::kind(
                &header
                    .iter()
                    .map(|h| h.to_ascii_lowercase())
                    .collect::<Vec<_>>(),
            )
        };
        assert!(matches!(
            kind(&["Security Policy", "TLS Version", "Cipher Suite"]),
            super::Kind::Prose
        ));
        assert!(matches!(
            kind(&["Header", "Description", "Mandatory", "Example"]),
            super::Kind::Unknown
        ));
        assert!(matches!(
            kind(&["Item", "Description"]),
            super::Kind::Unknown
        ));
        let page = "Listing\n=======\n\nURI\n---\n\nGET /v2/things\n\nFunction\n--------\n\n   ============= ===========\n   TLS Version   Cipher Suite\n   ============= ===========\n   TLSv1.2       AES128\n   ============= ===========\n";
        let page = parse_as(page, Format::Rst).expect("reads");
        let mut coverage = page.coverage.clone();
        assert!(coverage.complete(), "{:?}", coverage.lines("page"));
        assert!(
            coverage.summary().contains("1 table(s) read as prose"),
            "{}",
            coverage.summary()
        );
    }

    /// SMN's topic policy: a string member whose content (a JSON policy
    /// document) two tables with no type column describe, one row naming
    /// two members that stand for each other.
    const STRING_CONTENT: &str = "Updating\n========\n\nURI\n---\n\nPUT /v2/topics/{name}\n\nRequest\n-------\n\n   +-----------+-----------+--------+-------------------------------------+\n   | Parameter | Mandatory | Type   | Description                         |\n   +===========+===========+========+=====================================+\n   | value     | Yes       | String | The policy. For details, see Table 1 |\n   +-----------+-----------+--------+-------------------------------------+\n\n   .. table:: **Table 1** Topic attribute values\n\n      +-----------+---------------+--------------------------+\n      | Parameter | Description   | Constraint               |\n      +===========+===============+==========================+\n      | Version   | Its version   | Only 2016-09-07          |\n      +-----------+---------------+--------------------------+\n      | Statement | Its rules     | For details, see Table 2 |\n      +-----------+---------------+--------------------------+\n\n   .. table:: **Table 2** Statement elements description\n\n      +--------------+---------------+------------+\n      | Element      | Description   | Constraint |\n      +==============+===============+============+\n      | Principal    | Who, or who   | Either one |\n      |              | not           |            |\n      | NotPrincipal |               |            |\n      +--------------+---------------+------------+\n";

    #[test]
    fn tables_describing_a_string_s_content_are_its_content() {
        let page = parse_as(STRING_CONTENT, Format::Rst).expect("reads");
        let mut coverage = page.coverage.clone();
        assert!(coverage.complete(), "{:?}", coverage.lines("page"));
        let body = page.body.as_ref().expect("a body");
        assert_eq!(body.fields[0].ty, PageType::String);
        assert_eq!(body.fields[0].content.as_deref(), Some("value"));
        let value = &page.request_objects[0];
        assert_eq!(value.name, "value");
        assert_eq!(value.fields[1].content.as_deref(), Some("Statement"));
        assert_eq!(value.fields[0].ty, PageType::Other(String::new()));
        let names: Vec<&str> = page.request_objects[1]
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(names, ["Principal", "NotPrincipal"]);
        assert_eq!((coverage.rows_read, coverage.rows), (4, 4));
    }

    /// A name cell is joined again only where a word was broken beside
    /// an underscore, dot or hyphen.
    #[test]
    fn wrapped_names_are_joined_and_two_names_stay_two() {
        assert_eq!(
            super::rejoin("scaling_ configuration _id"),
            "scaling_configuration_id"
        );
        assert_eq!(super::rejoin("a. b"), "a.b");
        assert_eq!(
            super::rejoin("Principal NotPrincipal"),
            "Principal NotPrincipal"
        );
    }

    /// SMN's old template: a member typed `Array of Table 1 objects`, the
    /// table captioned `Table 1 Message template structure` (no name).
    #[test]
    fn a_type_that_names_a_table_by_its_number_is_that_table() {
        let page = "Querying Templates\n==================\n\nURI\n---\n\nGET /v2/{project_id}/templates\n\nResponse\n--------\n\n-  Parameter description\n\n   +-----------+-----------------------------------------+-------------+\n   | Parameter | Type                                    | Description |\n   +===========+=========================================+=============+\n   | templates | Array of :ref:`Table 1 <t1>` objects    | Templates   |\n   +-----------+-----------------------------------------+-------------+\n\n   .. _t1:\n\n   .. table:: **Table 1** Message template structure\n\n      +-----------+--------+-------------+\n      | Parameter | Type   | Description |\n      +===========+========+=============+\n      | name      | String | Its name    |\n      +-----------+--------+-------------+\n";
        let page = parse_as(page, Format::Rst).expect("reads");
        let mut coverage = page.coverage.clone();
        assert!(coverage.complete(), "{:?}", coverage.lines("page"));
        let section = page.responses.first().expect("a response");
        let body = section.body.as_ref().expect("a body table");
        assert_eq!(
            body.fields[0].ty,
            PageType::Array(Box::new(PageType::Object("templates".into())))
        );
        assert_eq!(section.objects[0].name, "templates");
        assert_eq!(section.objects[0].fields[0].name, "name");
    }

    /// An example section that walks through another API with that API's
    /// parameter table (ELB's load balancer page binding a VPC EIP).
    fn example_page(example_uri: &str) -> String {
        format!(
            "Creating\n========\n\nURI\n---\n\nPOST /v2/things\n\nExample Request\n---------------\n\n-  Example request 2\n\n   +-----------+---------+-------------+\n   | Parameter | Type    | Description |\n   +===========+=========+=============+\n   | publicip  | String  | About it.   |\n   +-----------+---------+-------------+\n\n.. code-block::\n\n   {example_uri}\n\n   {{\"publicip\": \"x\"}}\n"
        )
    }

    #[test]
    fn an_example_walking_through_another_api_sets_its_tables_aside() {
        let page = parse_as(
            &example_page("POST https://{Endpoint}/v1/8b7e/publicips"),
            Format::Rst,
        )
        .expect("reads");
        let mut coverage = page.coverage.clone();
        assert!(coverage.complete(), "{:?}", coverage.lines("page"));
        assert_eq!(coverage.rows_aside(), 1);
        assert!(
            coverage.summary().contains("POST /v1/8b7e/publicips"),
            "{}",
            coverage.summary()
        );

        // The page's own request: a table there is still not understood.
        let page = parse_as(
            &example_page("POST https://{Endpoint}/v2/things"),
            Format::Rst,
        )
        .expect("reads");
        let mut coverage = page.coverage.clone();
        assert_eq!(coverage.rows_aside(), 0);
        assert_eq!(
            coverage.lines("page").len(),
            1,
            "{:?}",
            coverage.lines("page")
        );
    }
}
