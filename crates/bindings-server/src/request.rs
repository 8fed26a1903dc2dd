//! Extracting and validating request parts.

use std::fmt;
use std::str::FromStr;

use axum::body::Body;
use std::collections::BTreeMap;

use axum::http::HeaderMap;
use serde::de::DeserializeOwned;

/// What kind of request problem occurred; the spec's `x-request-errors`
/// maps each kind (by its [`name`](ProblemKind::name)) to a status and code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProblemKind {
    /// No security alternative's credentials are present.
    MissingCredentials,
    /// A credential header is present but cannot be read (not visible
    /// ASCII), or a credential check refused it.
    InvalidCredentials,
    /// A required header is absent.
    MissingHeader,
    /// A header is not visible ASCII or breaks its schema.
    InvalidHeader,
    /// A path parameter breaks its schema.
    InvalidPath,
    /// A query parameter is missing, repeated or breaks its schema.
    InvalidQuery,
    /// The body is missing, not JSON, or breaks its schema.
    InvalidBody,
    /// The body is not `application/json`.
    UnsupportedMediaType,
    /// The body is larger than the limit.
    BodyTooLarge,
    /// The server failed to encode its own answer.
    Internal,
    /// No route matches the request's path.
    NotFound,
    /// The path exists but not with the request's method.
    MethodNotAllowed,
    /// The request's URI is longer than the server reads.
    UriTooLong,
    /// The request's headers are larger than the server reads.
    HeadersTooLarge,
}

impl ProblemKind {
    /// The kebab-case name `x-request-errors` uses.
    pub fn name(self) -> &'static str {
        match self {
            ProblemKind::MissingCredentials => "missing-credentials",
            ProblemKind::InvalidCredentials => "invalid-credentials",
            ProblemKind::MissingHeader => "missing-header",
            ProblemKind::InvalidHeader => "invalid-header",
            ProblemKind::InvalidPath => "invalid-path",
            ProblemKind::InvalidQuery => "invalid-query",
            ProblemKind::InvalidBody => "invalid-body",
            ProblemKind::UnsupportedMediaType => "unsupported-media-type",
            ProblemKind::BodyTooLarge => "body-too-large",
            ProblemKind::Internal => "internal",
            ProblemKind::NotFound => "not-found",
            ProblemKind::MethodNotAllowed => "method-not-allowed",
            ProblemKind::UriTooLong => "uri-too-long",
            ProblemKind::HeadersTooLarge => "headers-too-large",
        }
    }

    /// The status HTTP fixes for this kind, whatever `x-request-errors`
    /// says: a request for a path no operation has cannot be answered with
    /// an operation's documented status.
    pub fn fixed_status(self) -> Option<u16> {
        match self {
            ProblemKind::NotFound => Some(404),
            ProblemKind::MethodNotAllowed => Some(405),
            ProblemKind::UriTooLong => Some(414),
            ProblemKind::HeadersTooLarge => Some(431),
            _ => None,
        }
    }
}

/// The first of `candidates` that an operation documents (`documented`),
/// else the first candidate: `x-request-errors` may give a problem kind
/// several statuses in order of preference (`[401, 403]`).
pub fn first_documented(candidates: &[u16], documented: &[u16]) -> u16 {
    candidates
        .iter()
        .copied()
        .find(|status| documented.contains(status))
        .or_else(|| candidates.first().copied())
        .unwrap_or(400)
}

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    kind: ProblemKind,
    message: String,
}

impl Problem {
    pub fn new(kind: ProblemKind, message: impl Into<String>) -> Self {
        Problem {
            kind,
            message: message.into(),
        }
    }

    pub fn kind(&self) -> ProblemKind {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Problem {}

/// A parameter type that can be parsed from its text on the wire.
///
/// Implemented for every `FromStr` type whose error displays, which covers
/// the generated constrained strings and open enums, strings and numbers.
pub trait FromParam: Sized {
    fn from_param(text: &str) -> Result<Self, String>;
}

impl<T> FromParam for T
where
    T: FromStr,
    T::Err: fmt::Display,
{
    fn from_param(text: &str) -> Result<Self, String> {
        text.parse().map_err(|error: T::Err| error.to_string())
    }
}

/// The decoded `name=value` pairs of a query string.
pub fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

/// The query parameter `name`, parsed; `None` when absent. A parameter
/// given more than once is refused rather than guessed at.
pub fn query_param<T: FromParam>(
    pairs: &[(String, String)],
    name: &str,
) -> Result<Option<T>, Problem> {
    let mut values = pairs
        .iter()
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value);
    let Some(text) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(Problem::new(
            ProblemKind::InvalidQuery,
            format!("query parameter `{name}` is given more than once"),
        ));
    }
    T::from_param(text).map(Some).map_err(|error| {
        Problem::new(
            ProblemKind::InvalidQuery,
            format!("query parameter `{name}`: {error}"),
        )
    })
}

/// The query parameter `name` of a parameter that `allowEmptyValue`,
/// parsed: as [`query_param`], but an empty value `T` cannot read
/// (`flag=` for a boolean) is the parameter left out (`None`); one it
/// reads (an empty string) is itself.
pub fn query_param_allowing_empty<T: FromParam>(
    pairs: &[(String, String)],
    name: &str,
) -> Result<Option<T>, Problem> {
    let empty = |(key, value): &(String, String)| key == name && value.is_empty();
    if pairs.iter().filter(|(key, _)| key == name).count() == 1
        && pairs.iter().any(empty)
        && T::from_param("").is_err()
    {
        return Ok(None);
    }
    query_param(pairs, name)
}

/// The array query parameter `name` of a parameter that `allowEmptyValue`,
/// parsed: as [`query_list`], but given once with an empty value its items
/// cannot read (`status=` for an enum), it is the parameter left out
/// (`None`), as [`query_param_allowing_empty`] reads a single value.
pub fn query_list_allowing_empty<T: FromParam>(
    pairs: &[(String, String)],
    name: &str,
    explode: bool,
) -> Result<Option<Vec<T>>, Problem> {
    let mut given = pairs.iter().filter(|(key, _)| key == name);
    let sole_empty = matches!((given.next(), given.next()), (Some((_, v)), None) if v.is_empty());
    if sole_empty && T::from_param("").is_err() {
        return Ok(None);
    }
    query_list(pairs, name, explode)
}

/// The array query parameter `name`, each item parsed; `None` when absent.
/// `explode` (OpenAPI's default for `form`) reads `name=a&name=b`; without
/// it the one `name=a,b` is split at commas.
pub fn query_list<T: FromParam>(
    pairs: &[(String, String)],
    name: &str,
    explode: bool,
) -> Result<Option<Vec<T>>, Problem> {
    if explode {
        split_query_list(pairs, name, None)
    } else {
        split_query_list(pairs, name, Some(','))
    }
}

/// The array query parameter `name` as one `name=a|b` split at
/// `delimiter` (`spaceDelimited`, `pipeDelimited`, `form` without
/// `explode`), or with `None` as `name=a&name=b`; `None` when absent.
pub fn split_query_list<T: FromParam>(
    pairs: &[(String, String)],
    name: &str,
    delimiter: Option<char>,
) -> Result<Option<Vec<T>>, Problem> {
    let (explode, delimiter) = match delimiter {
        Some(delimiter) => (false, delimiter),
        None => (true, ','),
    };
    let mut values = pairs
        .iter()
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
        .peekable();
    if values.peek().is_none() {
        return Ok(None);
    }
    let texts: Vec<&str> = if explode {
        values.collect()
    } else {
        let joined: Vec<&str> = values.collect();
        if joined.len() > 1 {
            return Err(Problem::new(
                ProblemKind::InvalidQuery,
                format!("query parameter `{name}` is given more than once"),
            ));
        }
        delimited_items(joined[0], delimiter)
    };
    texts
        .into_iter()
        .map(|text| {
            T::from_param(text).map_err(|error| {
                Problem::new(
                    ProblemKind::InvalidQuery,
                    format!("query parameter `{name}`: {error}"),
                )
            })
        })
        .collect::<Result<Vec<T>, Problem>>()
        .map(Some)
}

/// The required array query parameter `name` (see [`query_list`]).
pub fn required_query_list<T: FromParam>(
    pairs: &[(String, String)],
    name: &str,
    explode: bool,
) -> Result<Vec<T>, Problem> {
    query_list(pairs, name, explode)?.ok_or_else(|| {
        Problem::new(
            ProblemKind::InvalidQuery,
            format!("query parameter `{name}` is required"),
        )
    })
}

/// The required query parameter `name`, parsed.
pub fn required_query_param<T: FromParam>(
    pairs: &[(String, String)],
    name: &str,
) -> Result<T, Problem> {
    query_param(pairs, name)?.ok_or_else(|| {
        Problem::new(
            ProblemKind::InvalidQuery,
            format!("query parameter `{name}` is required"),
        )
    })
}

/// The query parameter `name` whose schema is a union with an array
/// alternative (`oneOf: [string, array of strings]`): given once, parsed
/// as [`query_param`] does; given more than once (`form` style with
/// `explode`, OpenAPI's default for an array), its values are the array.
/// `None` when absent.
pub fn query_union<T: FromParam + DeserializeOwned>(
    pairs: &[(String, String)],
    name: &str,
) -> Result<Option<T>, Problem> {
    let values: Vec<&str> = pairs
        .iter()
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
        .collect();
    if values.len() < 2 {
        return query_param(pairs, name);
    }
    array_of(&values).map(Some).map_err(|why| {
        Problem::new(
            ProblemKind::InvalidQuery,
            format!(
                "query parameter `{name}`, given {} times: {why}",
                values.len()
            ),
        )
    })
}

/// The required query parameter `name` of [`query_union`].
pub fn required_query_union<T: FromParam + DeserializeOwned>(
    pairs: &[(String, String)],
    name: &str,
) -> Result<T, Problem> {
    query_union(pairs, name)?.ok_or_else(|| {
        Problem::new(
            ProblemKind::InvalidQuery,
            format!("query parameter `{name}` is required"),
        )
    })
}

/// `values` as an array of a union's alternative: the texts as strings,
/// else each read as JSON where it is (`5`, `true`).
fn array_of<T: DeserializeOwned>(values: &[&str]) -> Result<T, String> {
    use serde_json::Value;
    let text = |value: &&str| Value::String((*value).to_owned());
    let strings = Value::Array(values.iter().map(text).collect());
    serde_json::from_value(strings)
        .or_else(|_| {
            let typed = values
                .iter()
                .map(|value| serde_json::from_str(value).unwrap_or_else(|_| text(value)))
                .collect();
            serde_json::from_value(Value::Array(typed))
        })
        .map_err(|_| "its values are no alternative's array".to_owned())
}

/// The object query parameter `name` in `form` style with `explode`
/// (OpenAPI's default for an object): each of its `members` a query
/// parameter of its own (`?start=1&stop=2`), read into `T` with each
/// member's text parsed as its type needs; `None` when none is given.
pub fn query_object<T: DeserializeOwned>(
    pairs: &[(String, String)],
    name: &str,
    members: &[&str],
) -> Result<Option<T>, Problem> {
    object_of_pairs(pairs, name, |key| members.contains(&key))
}

/// The free-form object query parameter `name` in `form` style with
/// `explode` (`?key1=a&key2=b`): every query parameter the operation does
/// not name otherwise (`known`), read into `T`; `None` when there is none.
pub fn other_query_object<T: DeserializeOwned>(
    pairs: &[(String, String)],
    name: &str,
    known: &[&str],
) -> Result<Option<T>, Problem> {
    object_of_pairs(pairs, name, |key| !known.contains(&key))
}

/// The `pairs` whose name is `wanted`, read into `T`, each value's text
/// parsed as its member's type needs; `None` for no such pair.
fn object_of_pairs<T: DeserializeOwned>(
    pairs: &[(String, String)],
    name: &str,
    wanted: impl Fn(&str) -> bool,
) -> Result<Option<T>, Problem> {
    let given: Vec<(&str, &str)> = pairs
        .iter()
        .filter(|(key, _)| wanted(key))
        .map(|(key, value)| (key.as_str(), value.as_str()))
        .collect();
    if given.is_empty() {
        return Ok(None);
    }
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(given)
        .finish();
    let deserializer =
        serde_urlencoded::Deserializer::new(form_urlencoded::parse(encoded.as_bytes()));
    serde_path_to_error::deserialize(deserializer)
        .map(Some)
        .map_err(|error| {
            Problem::new(
                ProblemKind::InvalidQuery,
                format!("query parameter `{name}`: {}", error.inner()),
            )
        })
}

/// The object query parameter `name` in `form` style without `explode`:
/// one `name=x,1,y,2`, members and values in turn, read into `T` as
/// [`query_object`] reads its members; `None` when absent.
pub fn flat_query_object<T: DeserializeOwned>(
    pairs: &[(String, String)],
    name: &str,
) -> Result<Option<T>, Problem> {
    let invalid = |message: String| Problem::new(ProblemKind::InvalidQuery, message);
    // Empty items are kept: a member may be named "" or be "".
    let Some(joined) = query_param::<String>(pairs, name)? else {
        return Ok(None);
    };
    let items = delimited_items(&joined, ',');
    if !items.len().is_multiple_of(2) {
        return Err(invalid(format!(
            "query parameter `{name}` lists an odd number of members and values"
        )));
    }
    let members: Vec<(String, String)> = items
        .chunks(2)
        .map(|pair| (pair[0].to_owned(), pair[1].to_owned()))
        .collect();
    object_of_pairs(&members, name, |_| true)
}

/// The object query parameter `name` in `deepObject` style
/// (`name[x]=1&name[y][z]=2`, arrays as `name[list][0]=1` or
/// `name[list][]=1`), or a plain `name=1` where its schema allows a
/// scalar, read into `T` through `serde_qs` (nesting bounded at five
/// levels); `None` when absent.
///
/// Query text has no types: `serde_qs` hands every value over as text,
/// which a typed member parses but a union (`oneOf`, read by trying each
/// alternative) cannot. So where `T` refuses the text, it is read again
/// from the same values with those that read as numbers or booleans taken
/// as such; the first refusal is the one reported.
pub fn deep_object<T: DeserializeOwned>(
    pairs: &[(String, String)],
    name: &str,
) -> Result<Option<T>, Problem> {
    nested(pairs, name).map_err(|error| {
        Problem::new(
            ProblemKind::InvalidQuery,
            format!("query parameter `{name}`: {error}"),
        )
    })
}

/// [`deep_object`]'s reading, its error as text.
fn nested<T: DeserializeOwned>(
    pairs: &[(String, String)],
    name: &str,
) -> Result<Option<T>, String> {
    let opened = format!("{name}[");
    let given: Vec<(&str, &str)> = pairs
        .iter()
        .filter(|(key, _)| key == name || key.starts_with(&opened))
        .map(|(key, value)| (key.as_str(), value.as_str()))
        .collect();
    if given.is_empty() {
        return Ok(None);
    }
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(given)
        .finish();
    let config = serde_qs::Config::new()
        .use_form_encoding(true)
        .duplicate_key_behavior(serde_qs::DuplicateKeyBehavior::Error);
    let first = match config.deserialize_str::<BTreeMap<String, T>>(&encoded) {
        Ok(mut single) => return Ok(single.remove(name)),
        Err(error) => error,
    };
    // serde_qs reads `[]` as an array's next item (Rails' notation); in
    // OpenAPI's, which defines `deepObject` for objects only, it is the
    // member named "". Both are tried, each with typed text.
    let rails = config
        .deserialize_str::<BTreeMap<String, serde_json::Value>>(&encoded)
        .ok()
        .and_then(|mut text| text.remove(name));
    let readings = rails.into_iter().chain(member_tree(pairs, name));
    readings
        .map(typed_text)
        .find_map(|value| serde_json::from_value(value).ok())
        .map(Some)
        .ok_or_else(|| first.to_string())
}

/// The `name[a][b]=v` pairs as nested objects, each bracketed segment a
/// member name (`[]` the member ""), a member given more than once an
/// array (as `form` repeats an exploded array's name); `None` where one
/// member is both text and an object, or nesting passes five levels.
fn member_tree(pairs: &[(String, String)], name: &str) -> Option<serde_json::Value> {
    use serde_json::{Map, Value};
    let mut root = Map::new();
    for (key, value) in pairs {
        let Some(rest) = key.strip_prefix(name) else {
            continue;
        };
        if !rest.is_empty() && !rest.starts_with('[') {
            continue;
        }
        if rest.is_empty() {
            return Some(Value::String(value.clone()));
        }
        let inner = rest.strip_prefix('[')?.strip_suffix(']')?;
        let path: Vec<&str> = inner.split("][").collect();
        if path.len() > 5 {
            return None;
        }
        let (last, parents) = path.split_last()?;
        let mut node = &mut root;
        for member in parents {
            let child = node
                .entry((*member).to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            node = child.as_object_mut()?;
        }
        let text = Value::String(value.clone());
        match node.get_mut(*last) {
            None => {
                node.insert((*last).to_owned(), text);
            }
            Some(Value::Array(items)) => items.push(text),
            Some(Value::Object(_)) => return None,
            Some(first) => *first = Value::Array(vec![first.take(), text]),
        }
    }
    Some(Value::Object(root))
}

/// Query text as JSON: text that reads as a boolean or a number is one,
/// and an object keyed `0`, `1`, ... is the array it lists.
fn typed_text(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(text) => match text.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => serde_json::from_str::<serde_json::Number>(&text)
                .map_or(Value::String(text), Value::Number),
        },
        Value::Array(items) => Value::Array(items.into_iter().map(typed_text).collect()),
        Value::Object(members) => {
            let indexed = (0..members.len()).all(|i| members.contains_key(&i.to_string()));
            if indexed && !members.is_empty() {
                let mut members = members;
                let items = (0..members.len())
                    .filter_map(|i| members.remove(&i.to_string()))
                    .map(typed_text)
                    .collect();
                Value::Array(items)
            } else {
                let members = members
                    .into_iter()
                    .map(|(key, value)| (key, typed_text(value)))
                    .collect();
                Value::Object(members)
            }
        }
        other => other,
    }
}

/// `value`, the query parameter `name` read by one of the functions
/// above, which the operation requires.
pub fn required_in_query<T>(value: Option<T>, name: &str) -> Result<T, Problem> {
    value.ok_or_else(|| {
        Problem::new(
            ProblemKind::InvalidQuery,
            format!("query parameter `{name}` is required"),
        )
    })
}

/// The required object query parameter `name` (see [`query_object`]).
/// Without any of its members it is the empty object, where its type
/// takes one: an exploded form writes `{}` as nothing at all, so absence
/// cannot be told from it.
pub fn required_query_object<T: DeserializeOwned>(
    pairs: &[(String, String)],
    name: &str,
    members: &[&str],
) -> Result<T, Problem> {
    let empty = || serde_json::from_value(serde_json::Value::Object(serde_json::Map::new())).ok();
    query_object(pairs, name, members)?
        .or_else(empty)
        .ok_or_else(|| {
            Problem::new(
                ProblemKind::InvalidQuery,
                format!(
                    "query parameter `{name}` is required: one of its members {}",
                    members.join(", ")
                ),
            )
        })
}

/// The header `name`, parsed; `None` when absent.
pub fn header<T: FromParam>(headers: &HeaderMap, name: &str) -> Result<Option<T>, Problem> {
    let Some(value) = headers.get(name) else {
        return Ok(None);
    };
    let text = value.to_str().map_err(|_| {
        Problem::new(
            ProblemKind::InvalidHeader,
            format!("header `{name}` is not visible ASCII"),
        )
    })?;
    T::from_param(text).map(Some).map_err(|error| {
        Problem::new(
            ProblemKind::InvalidHeader,
            format!("header `{name}`: {error}"),
        )
    })
}

/// A negotiating header parameter `name` (`Accept`, `Accept-Encoding`,
/// `Accept-Charset`, `Accept-Language`), negotiated: the first of the
/// `offered` values its list accepts, parsed; `None` when absent. For
/// `Accept`, a media range (`*/*`, `text/*`, or one named); for the
/// others a token or `*`, not at `q=0`. A client's default (`*/*`,
/// python's `gzip, deflate`) is not a value of the parameter's `enum`, but
/// it accepts one; a list that accepts none is refused (RFC 9110 takes
/// `identity` where an `Accept-Encoding` does not refuse it, but the
/// spec's `enum` says what the operation takes).
pub fn accept_header<T: FromParam>(
    headers: &HeaderMap,
    name: &str,
    offered: &[&str],
) -> Result<Option<T>, Problem> {
    let Some(text) = header::<String>(headers, name)? else {
        return Ok(None);
    };
    let matches = if name.eq_ignore_ascii_case("accept") {
        media_matches
    } else {
        token_matches
    };
    let accepted = text
        .split(',')
        .find_map(|item| offered.iter().find(|value| matches(value, item)));
    let chosen = accepted.copied().unwrap_or(text.as_str());
    T::from_param(chosen).map(Some).map_err(|error| {
        Problem::new(
            ProblemKind::InvalidHeader,
            format!("header `{name}`: {error}"),
        )
    })
}

/// The required negotiating header parameter `name` (see [`accept_header`]).
pub fn required_accept_header<T: FromParam>(
    headers: &HeaderMap,
    name: &str,
    offered: &[&str],
) -> Result<T, Problem> {
    accept_header(headers, name, offered)?.ok_or_else(|| missing_header(name))
}

/// The required header `name`, parsed.
pub fn required_header<T: FromParam>(headers: &HeaderMap, name: &str) -> Result<T, Problem> {
    header(headers, name)?.ok_or_else(|| missing_header(name))
}

/// A required header is missing. Without `Authorization`, the request
/// has no credentials, which HTTP answers 401 (RFC 9110, 11.6.2) even
/// where a spec declares that header as a plain parameter.
fn missing_header(name: &str) -> Problem {
    let kind = if name.eq_ignore_ascii_case("authorization") {
        ProblemKind::MissingCredentials
    } else {
        ProblemKind::MissingHeader
    };
    Problem::new(kind, format!("header `{name}` is required"))
}

/// The array header `name` (`simple` style: items joined by commas, over
/// one or more header lines), each item parsed; `None` when absent.
/// The items of one delimited value (`a,b`): none for the empty text, the
/// one writing of the empty array (and of an array of one empty item: a
/// spec whose items refuse `""` leaves no doubt, `query-array-empty-
/// ambiguous` warns of those that do not), else every item, empty ones
/// too (`a,,b` is three items, `,` two empty ones).
fn delimited_items(text: &str, delimiter: char) -> Vec<&str> {
    if text.is_empty() {
        Vec::new()
    } else {
        text.split(delimiter).collect()
    }
}

pub fn header_list<T: FromParam>(
    headers: &HeaderMap,
    name: &str,
) -> Result<Option<Vec<T>>, Problem> {
    let invalid = |message: String| Problem::new(ProblemKind::InvalidHeader, message);
    let mut items = Vec::new();
    let mut present = false;
    for value in headers.get_all(name) {
        present = true;
        let text = value
            .to_str()
            .map_err(|_| invalid(format!("header `{name}` is not visible ASCII")))?;
        for item in text
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
        {
            items.push(
                T::from_param(item)
                    .map_err(|error| invalid(format!("header `{name}`: `{item}`: {error}")))?,
            );
        }
    }
    Ok(present.then_some(items))
}

/// The required array header `name` (see [`header_list`]).
pub fn required_header_list<T: FromParam>(
    headers: &HeaderMap,
    name: &str,
) -> Result<Vec<T>, Problem> {
    header_list(headers, name)?.ok_or_else(|| missing_header(name))
}

/// The cookie `name` of the request's `Cookie` headers, percent-decoded
/// and parsed; `None` when absent. Pairs that are not `name=value` are
/// passed over (clients send other cookies than the spec's); a cookie
/// given twice is refused rather than guessed at.
pub fn cookie<T: FromParam>(headers: &HeaderMap, name: &str) -> Result<Option<T>, Problem> {
    let invalid = |message: String| Problem::new(ProblemKind::InvalidHeader, message);
    cookie_text(headers, name)?
        .map(|text| {
            T::from_param(&text).map_err(|error| invalid(format!("cookie `{name}`: {error}")))
        })
        .transpose()
}

/// The required cookie `name` (see [`cookie()`]).
pub fn required_cookie<T: FromParam>(headers: &HeaderMap, name: &str) -> Result<T, Problem> {
    cookie(headers, name)?.ok_or_else(|| missing_cookie(name))
}

/// The array cookie `name` (`form` style: items joined by commas), each
/// item parsed; `None` when absent.
pub fn cookie_list<T: FromParam>(
    headers: &HeaderMap,
    name: &str,
) -> Result<Option<Vec<T>>, Problem> {
    let invalid = |message: String| Problem::new(ProblemKind::InvalidHeader, message);
    let Some(text) = cookie_text(headers, name)? else {
        return Ok(None);
    };
    delimited_items(&text, ',')
        .into_iter()
        .map(|item| {
            T::from_param(item).map_err(|error| invalid(format!("cookie `{name}`: {error}")))
        })
        .collect::<Result<Vec<T>, Problem>>()
        .map(Some)
}

/// The required array cookie `name` (see [`cookie_list`]).
pub fn required_cookie_list<T: FromParam>(
    headers: &HeaderMap,
    name: &str,
) -> Result<Vec<T>, Problem> {
    cookie_list(headers, name)?.ok_or_else(|| missing_cookie(name))
}

fn missing_cookie(name: &str) -> Problem {
    Problem::new(
        ProblemKind::MissingHeader,
        format!("cookie `{name}` is required"),
    )
}

/// The text of the cookie `name`, percent-decoded.
fn cookie_text(headers: &HeaderMap, name: &str) -> Result<Option<String>, Problem> {
    let invalid = |message: String| Problem::new(ProblemKind::InvalidHeader, message);
    let mut found = None;
    for value in headers.get_all(axum::http::header::COOKIE) {
        let text = value
            .to_str()
            .map_err(|_| invalid("the `Cookie` header is not visible ASCII".to_owned()))?;
        for pair in cookie::Cookie::split_parse_encoded(text).flatten() {
            if pair.name() != name {
                continue;
            }
            if found.replace(pair.value().to_owned()).is_some() {
                return Err(invalid(format!("cookie `{name}` is given more than once")));
            }
        }
    }
    Ok(found)
}

/// The essence (`type/subtype`, lower case) of the request's content type;
/// empty when it has none.
/// Borrowed when already lower case, as nearly every client sends it.
pub(crate) fn content_essence(headers: &HeaderMap) -> std::borrow::Cow<'_, str> {
    let essence = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim();
    if essence.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(essence.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(essence)
    }
}

/// Whether the request's body is a form (`application/x-www-form-urlencoded`).
pub(crate) fn is_form(headers: &HeaderMap) -> bool {
    content_essence(headers) == "application/x-www-form-urlencoded"
}

/// Whether the request's body is XML.
pub(crate) fn is_xml(headers: &HeaderMap) -> bool {
    is_xml_media(&content_essence(headers))
}

/// Whether a media type essence is XML (`application/xml`, `text/xml`,
/// `*+xml`).
pub fn is_xml_media(essence: &str) -> bool {
    essence == "application/xml" || essence == "text/xml" || essence.ends_with("+xml")
}

/// Whether the request's body is in one of the media types `media`
/// (essences, lower case).
pub(crate) fn is_in(headers: &HeaderMap, media: &[&str]) -> bool {
    let essence = content_essence(headers);
    media.iter().any(|m| *m == essence)
}

/// Whether a media type essence is YAML (see
/// [`openapi_source::is_yaml_media`]).
pub fn is_yaml_media(essence: &str) -> bool {
    openapi_source::is_yaml_media(essence)
}

/// Whether a media type essence is JSON (`application/json`, `*+json`).
pub fn is_json_media(essence: &str) -> bool {
    essence == "application/json" || essence.ends_with("+json")
}

/// Whether `essence` matches a declared media range (`text/plain`,
/// `image/*`, `*/*`).
fn media_matches(essence: &str, declared: &str) -> bool {
    let declared = declared
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match declared.split_once('/') {
        Some(("*", "*")) => true,
        Some((kind, "*")) => essence.split_once('/').is_some_and(|(k, _)| k == kind),
        _ => essence == declared,
    }
}

/// Whether a list item of `Accept-Encoding` and its kin (`gzip;q=0.8`,
/// `*`) accepts the token `value`.
fn token_matches(value: &str, item: &str) -> bool {
    let mut parts = item.split(';').map(str::trim);
    let token = parts.next().unwrap_or_default();
    let refused = parts.any(|parameter| {
        parameter
            .strip_prefix("q=")
            .and_then(|q| q.parse::<f64>().ok())
            .is_some_and(|q| q == 0.0)
    });
    !refused && (token == "*" || token.eq_ignore_ascii_case(value))
}

fn unsupported(headers: &HeaderMap, wanted: &str) -> Problem {
    let shown = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("none");
    Problem::new(
        ProblemKind::UnsupportedMediaType,
        format!("the body must be {wanted} (content type: {shown})"),
    )
}

/// The body's bytes, at most `limit` of them.
async fn read_limited(body: Body, limit: usize) -> Result<axum::body::Bytes, Problem> {
    axum::body::to_bytes(body, limit).await.map_err(|_| {
        Problem::new(
            ProblemKind::BodyTooLarge,
            format!("the body could not be read within the limit of {limit} bytes"),
        )
    })
}

/// The content type's essence and the body, at most `limit` bytes; `None`
/// when the request has neither (no body was sent).
async fn read_body<'h>(
    headers: &'h HeaderMap,
    body: Body,
    limit: usize,
) -> Result<Option<(std::borrow::Cow<'h, str>, axum::body::Bytes)>, Problem> {
    let essence = content_essence(headers);
    let bytes = read_limited(body, limit).await?;
    Ok((!bytes.is_empty() || !essence.is_empty()).then_some((essence, bytes)))
}

/// The body's bytes, at most `limit` of them, when its content type is
/// one `takes` accepts; `None` when the request has none; else the
/// unsupported-media problem, saying the body must be `wanted`.
async fn read_body_in(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    takes: impl Fn(&str) -> bool,
    wanted: &str,
) -> Result<Option<axum::body::Bytes>, Problem> {
    let Some((essence, bytes)) = read_body(headers, body, limit).await? else {
        return Ok(None);
    };
    if !takes(&essence) {
        return Err(unsupported(headers, wanted));
    }
    Ok(Some(bytes))
}

/// Whether the request's body is `multipart/form-data`.
pub(crate) fn is_multipart(headers: &HeaderMap) -> bool {
    content_essence(headers) == "multipart/form-data"
}

/// Reads a `multipart/form-data` body of at most `limit` bytes into `T`:
/// its parts read by the body's `schema` and checked against it (see
/// `multipart.rs`), or, without one, each part a string member.
pub async fn multipart_body<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    schema: Option<&crate::BodySchema>,
) -> Result<Option<T>, Problem> {
    const MULTIPART: &str = "multipart/form-data";
    let Some(bytes) = read_body_in(headers, body, limit, |e| e == MULTIPART, MULTIPART).await?
    else {
        return Ok(None);
    };
    let parts = crate::multipart::parts(headers, bytes).await?;
    let read = match schema {
        Some(schema) => schema.read_multipart(&parts, false)?,
        None => None,
    };
    let value = read.unwrap_or_else(|| crate::multipart::untyped(&parts));
    serde_json::from_value(value).map(Some).map_err(|error| {
        Problem::new(
            ProblemKind::InvalidBody,
            format!("invalid multipart body: {error}"),
        )
    })
}

/// Reads and decodes a JSON body (`application/json` or `*+json`) of at
/// most `limit` bytes.
pub async fn json_body<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<T, Problem> {
    optional_json_body(headers, body, limit)
        .await?
        .ok_or_else(|| Problem::new(ProblemKind::InvalidBody, "the request body is required"))
}

/// [`json_body`] for an optional body: `None` when the request has none.
pub async fn optional_json_body<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<Option<T>, Problem> {
    checked_json_body(headers, body, limit, None).await
}

/// [`optional_json_body`], the body also checked against its `schema`
/// (a [`crate::BodySchema`]) once it decodes. A body its type refuses is
/// checked against the schema too, and a refusal there is the one
/// answered: it says where and why, where the type may not (serde's
/// "did not match any variant of untagged enum" names no member).
pub async fn checked_json_body<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    schema: Option<&crate::BodySchema>,
) -> Result<Option<T>, Problem> {
    let Some(bytes) = read_body_in(headers, body, limit, is_json_media, "application/json").await?
    else {
        return Ok(None);
    };
    if bytes.is_empty() {
        return Ok(None);
    }
    let checked = |value: &serde_json::Value| schema.map_or(Ok(()), |schema| schema.check(value));
    match decode_json_bytes::<T>(&bytes) {
        Ok(decoded) => {
            if schema.is_some() {
                let value: serde_json::Value = serde_json::from_slice(&bytes)
                    .map_err(|error| Problem::new(ProblemKind::InvalidBody, error.to_string()))?;
                checked(&value)?;
            }
            Ok(Some(decoded))
        }
        Err(refused) => match serde_json::from_slice::<serde_json::Value>(&bytes) {
            Ok(value) => checked(&value).and(Err(refused)),
            Err(_) => Err(refused),
        },
    }
}

/// `bytes`, a JSON body, decoded.
fn decode_json_bytes<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    // A valid body decodes in one plain pass (which also refuses anything
    // after the value but whitespace: `{..} <html>` is not a JSON body);
    // only a refused one is decoded again to say where it broke.
    let decoded =
        serde_json::from_slice(bytes).or_else(|error| whole_numbers_decoded(bytes).ok_or(error));
    match decoded {
        // A member given twice is read differently by different readers
        // (the first, the last, or refused): refused whatever its name.
        Ok(value) => match repeated_member(bytes) {
            None => Ok(value),
            Some(message) => Err(Problem::new(ProblemKind::InvalidBody, message)),
        },
        Err(error) => Err(Problem::new(
            ProblemKind::InvalidBody,
            json_body_error::<T>(bytes).unwrap_or_else(|| format!("invalid body: {error}")),
        )),
    }
}

/// `bytes` decoded with each number written with a zero fraction (`25.0`,
/// `1e3`) read as the integer it is, as JSON Schema reads it (an
/// `integer` is any number without a fractional part); `None` when there
/// is no such number, or the body does not decode even so.
fn whole_numbers_decoded<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    let mut value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    if !whole_numbers_as_integers(&mut value) {
        return None;
    }
    serde_json::from_value(value).ok()
}

/// Rewrites each float of `value` with no fractional part that an `i64`
/// or a `u64` holds as that integer; whether any was.
fn whole_numbers_as_integers(value: &mut serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::Number(number) => {
            let Some(float) = number.as_f64().filter(|_| number.is_f64()) else {
                return false;
            };
            // Only where a float holds every integer (below 2^53): past it,
            // `-9223372036854775809` reads as the float of -2^63 and would
            // pass for an `i64`.
            const EXACT: f64 = 9_007_199_254_740_992.0;
            let integer = if float.fract() != 0.0 || float.abs() >= EXACT {
                None
            } else if float < 0.0 {
                Some(serde_json::Number::from(float as i64))
            } else {
                Some(serde_json::Number::from(float as u64))
            };
            integer.map(|integer| *number = integer).is_some()
        }
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |any, item| whole_numbers_as_integers(item) | any),
        Value::Object(members) => members
            .values_mut()
            .fold(false, |any, member| whole_numbers_as_integers(member) | any),
        _ => false,
    }
}

/// Why `bytes` (a JSON document) are refused for naming a member twice in
/// one object, at any depth and whatever the name (`"a"` and `"\u0061"` are
/// the same name); `None` when every object's names are distinct.
fn repeated_member(bytes: &[u8]) -> Option<String> {
    // One plain pass; the path is only worth its cost to explain a refusal.
    if serde_json::from_slice::<Distinct>(bytes).is_ok() {
        return None;
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, Distinct>(&mut deserializer) {
        Ok(Distinct) => None,
        Err(error) => {
            let path = error.path().to_string();
            let at = if path == "." {
                String::new()
            } else {
                format!(" at `{path}`")
            };
            Some(format!("invalid body{at}: {}", error.inner()))
        }
    }
}

/// Any JSON value in which no object names a member twice.
struct Distinct;

impl<'de> serde::Deserialize<'de> for Distinct {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DistinctVisitor)
    }
}

struct DistinctVisitor;

impl<'de> serde::de::Visitor<'de> for DistinctVisitor {
    type Value = Distinct;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Distinct, E> {
        Ok(Distinct)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Distinct, E> {
        Ok(Distinct)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Distinct, E> {
        Ok(Distinct)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Distinct, E> {
        Ok(Distinct)
    }

    fn visit_str<E>(self, _: &str) -> Result<Distinct, E> {
        Ok(Distinct)
    }

    fn visit_unit<E>(self) -> Result<Distinct, E> {
        Ok(Distinct)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut items: A) -> Result<Distinct, A::Error> {
        while items.next_element::<Distinct>()?.is_some() {}
        Ok(Distinct)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Distinct, A::Error> {
        let mut names = std::collections::HashSet::new();
        while let Some(MemberName(name)) = map.next_key::<MemberName<'de>>()? {
            if names.contains(&name) {
                return Err(serde::de::Error::custom(format_args!(
                    "the member `{}` is given more than once",
                    name.escape_debug()
                )));
            }
            map.next_value::<Distinct>()?;
            names.insert(name);
        }
        Ok(Distinct)
    }
}

/// A member name, borrowed from the body unless it holds an escape.
struct MemberName<'de>(std::borrow::Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for MemberName<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(MemberNameVisitor)
    }
}

struct MemberNameVisitor;

impl<'de> serde::de::Visitor<'de> for MemberNameVisitor {
    type Value = MemberName<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E>(self, name: &'de str) -> Result<MemberName<'de>, E> {
        Ok(MemberName(std::borrow::Cow::Borrowed(name)))
    }

    fn visit_str<E>(self, name: &str) -> Result<MemberName<'de>, E> {
        Ok(MemberName(std::borrow::Cow::Owned(name.to_owned())))
    }
}

/// Where and why `bytes` are not a `T`, with the path of the member that
/// broke; `None` when the second reading finds nothing more to say.
fn json_body_error<T: DeserializeOwned>(bytes: &[u8]) -> Option<String> {
    // Whole floats read as integers first, as the decoding did: the error
    // is then the one that refused the body (a `64.0` was taken, a
    // `36616423` past a `u16` was not), its position in the text as
    // rewritten, so left out.
    let rewritten = serde_json::from_slice::<serde_json::Value>(bytes)
        .ok()
        .and_then(|mut value| {
            whole_numbers_as_integers(&mut value)
                .then(|| serde_json::to_vec(&value).ok())
                .flatten()
        });
    let mut deserializer =
        serde_json::Deserializer::from_slice(rewritten.as_deref().unwrap_or(bytes));
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(_) => None,
        Err(error) => {
            let path = error.path().to_string();
            let at = if path == "." {
                String::new()
            } else {
                format!(" at `{path}`")
            };
            let said = error.inner().to_string();
            let said = match rewritten {
                Some(_) => said
                    .rsplit_once(" at line ")
                    .map_or(said.as_str(), |(said, _)| said)
                    .to_owned(),
                None => said,
            };
            Some(format!("invalid body{at}: {said}"))
        }
    }
}

/// Reads and decodes an `application/x-www-form-urlencoded` body; `None`
/// when the request has none. With a `schema` that names members, the
/// pairs are read by it (bracketed keys as its nested objects and arrays)
/// and the body is checked against it before it is decoded; otherwise
/// the pairs are read by the Rust type alone.
pub async fn form_body<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    schema: Option<&crate::BodySchema>,
) -> Result<Option<T>, Problem> {
    const FORM: &str = "application/x-www-form-urlencoded";
    let Some(bytes) = read_body_in(headers, body, limit, |e| e == FORM, FORM).await? else {
        return Ok(None);
    };
    if let Some(schema) = schema
        && let Some(value) = schema.read_form(&bytes)?
    {
        return serde_json::from_value(value).map(Some).map_err(|error| {
            Problem::new(
                ProblemKind::InvalidBody,
                format!("invalid form body: {error}"),
            )
        });
    }
    let first = match serde_urlencoded::from_bytes(&bytes) {
        Ok(body) => return Ok(Some(body)),
        Err(error) => error,
    };
    // Members that are arrays (`tags=a&tags=b`) or objects written in
    // brackets (`metadata[key]=v`, `items[0][price]=p`, as Stripe's
    // bodies are): the body read as one `deepObject`.
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&bytes)
        .map(|(key, value)| {
            let key = match key.split_once('[') {
                Some((member, rest)) => format!("body[{member}][{rest}"),
                None => format!("body[{key}]"),
            };
            (key, value.into_owned())
        })
        .collect();
    if let Ok(Some(body)) = nested(&pairs, "body") {
        return Ok(Some(body));
    }
    // A form has no way to write an empty array or object but to leave its
    // member out (`photoUrls: []` is no `photoUrls=` pair): a required
    // member missing is read as empty where that makes the body whole.
    member_tree(&pairs, "body")
        .and_then(|tree| {
            let typed = typed_text(tree.clone());
            with_empty_members(typed).or_else(|| with_empty_members(tree))
        })
        .map(Some)
        .ok_or_else(|| {
            Problem::new(
                ProblemKind::InvalidBody,
                format!("invalid form body: {first}"),
            )
        })
}

/// `value` as a `T`, each member `T` misses as required given as an empty
/// array, else an empty object (a form writes neither: `traits: {}` is no
/// pair at all); `None` when it is no `T` even so.
fn with_empty_members<T: DeserializeOwned>(mut value: serde_json::Value) -> Option<T> {
    use serde_json::Value;
    // Each round settles one member; a body has at most this many.
    for _ in 0..64 {
        let member = match serde_json::from_value::<T>(value.clone()) {
            Ok(body) => return Some(body),
            Err(error) => missing_field(&error.to_string())?,
        };
        let members = value.as_object_mut()?;
        if members.contains_key(&member) {
            return None;
        }
        members.insert(member.clone(), Value::Array(Vec::new()));
        let settled = match serde_json::from_value::<T>(value.clone()) {
            Ok(body) => return Some(body),
            Err(error) => missing_field(&error.to_string()).is_some_and(|next| next != member),
        };
        if !settled {
            // Not an array: an object, or no empty value at all.
            value
                .as_object_mut()?
                .insert(member, Value::Object(serde_json::Map::new()));
        }
    }
    None
}

/// `member` of serde's "missing field `member`".
fn missing_field(error: &str) -> Option<String> {
    let member = error.strip_prefix("missing field `")?.split('`').next()?;
    Some(member.to_owned())
}

/// Reads and decodes an XML body (`application/xml`, `text/xml`, `*+xml`)
/// into the body's type, read as OpenAPI's XML Object says for `schema`
/// (the body's schema, references inlined: see [`crate::xml`]); `None`
/// when the request has none.
pub async fn xml_body<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    schema: &str,
) -> Result<Option<T>, Problem> {
    let Some(bytes) = read_body_in(headers, body, limit, is_xml_media, "XML").await? else {
        return Ok(None);
    };
    let invalid = |why: String| Problem::new(ProblemKind::InvalidBody, why);
    let text =
        std::str::from_utf8(&bytes).map_err(|_| invalid("the XML body is not UTF-8".into()))?;
    let schema: serde_json::Value = serde_json::from_str(schema)
        .map_err(|error| invalid(format!("the body's schema is not JSON: {error}")))?;
    let value = crate::xml::to_json(text, &schema)
        .map_err(|why| invalid(format!("invalid XML body: {why}")))?;
    let body = serde_path_to_error::deserialize::<_, T>(value).map_err(|error| {
        invalid(format!(
            "invalid XML body at `{}`: {}",
            error.path(),
            error.inner()
        ))
    })?;
    Ok(Some(body))
}

/// Reads and decodes a YAML body (see [`is_yaml_media`]) into the body's
/// type, checked against its `schema` as a JSON body is: YAML's value is
/// the JSON one (a YAML document that JSON cannot hold, a key that is not
/// a string, is refused), read with nesting and aliases bounded; `None`
/// when the request has none.
pub async fn yaml_body<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    schema: Option<&crate::BodySchema>,
) -> Result<Option<T>, Problem> {
    let Some(bytes) = read_body_in(headers, body, limit, is_yaml_media, "YAML").await? else {
        return Ok(None);
    };
    let invalid = |why: String| Problem::new(ProblemKind::InvalidBody, why);
    let text =
        std::str::from_utf8(&bytes).map_err(|_| invalid("the YAML body is not UTF-8".into()))?;
    let mut value = openapi_source::yaml_value(text).map_err(|error| {
        invalid(format!(
            "invalid YAML body at line {}, column {}: {}",
            error.position.line, error.position.col, error.message
        ))
    })?;
    if let Some(schema) = schema {
        schema.check(&value)?;
    }
    whole_numbers_as_integers(&mut value);
    let body = serde_path_to_error::deserialize::<_, T>(value).map_err(|error| {
        invalid(format!(
            "invalid YAML body at `{}`: {}",
            error.path(),
            error.inner()
        ))
    })?;
    Ok(Some(body))
}

/// A body kept as bytes, whose content type must match one of the
/// `declared` media ranges; `None` when the request has none.
pub async fn raw_body(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    declared: &[&str],
) -> Result<Option<axum::body::Bytes>, Problem> {
    let Some((essence, bytes)) = read_body(headers, body, limit).await? else {
        return Ok(None);
    };
    if !declared
        .iter()
        .any(|declared| media_matches(&essence, declared))
    {
        return Err(unsupported(headers, &declared.join(" or ")));
    }
    Ok(Some(bytes))
}

/// [`raw_body`] for an operation that takes `multipart/form-data` but not
/// JSON (a file upload): a multipart body is also read part by part and
/// checked against the `multipart` schema the spec gives it (see
/// `multipart.rs`), so that a broken body, or one whose parts the schema
/// refuses (a required part missing), gets the invalid-body problem. The
/// body the operation gets is still the bytes as sent, so that its files
/// arrive byte for byte.
pub async fn checked_raw_body(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    declared: &[&str],
    multipart: Option<&crate::BodySchema>,
) -> Result<Option<axum::body::Bytes>, Problem> {
    let bytes = raw_body(headers, body, limit, declared).await?;
    if let Some(bytes) = &bytes
        && is_multipart(headers)
    {
        let parts = crate::multipart::parts(headers, bytes.clone()).await?;
        if let Some(schema) = multipart {
            schema.read_multipart(&parts, true)?;
        }
    }
    Ok(bytes)
}

/// A `text/*` body as a string; `None` when the request has none.
pub async fn text_body(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    declared: &[&str],
) -> Result<Option<String>, Problem> {
    let Some(bytes) = raw_body(headers, body, limit, declared).await? else {
        return Ok(None);
    };
    String::from_utf8(bytes.to_vec())
        .map(Some)
        .map_err(|_| Problem::new(ProblemKind::InvalidBody, "the text body is not UTF-8"))
}

/// A required body: `None` from an extractor above becomes the problem.
pub fn required_body<T>(body: Option<T>) -> Result<T, Problem> {
    body.ok_or_else(|| Problem::new(ProblemKind::InvalidBody, "the request body is required"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An object query parameter's type as the types crate declares one.
    #[derive(Debug, PartialEq)]
    struct Filter {
        start: i64,
        stop: Option<i64>,
        name: Option<String>,
    }

    bindings_wire::deserialize_object!(
        Filter,
        required: ["start" => start: i64],
        required_nullable: [],
        optional: ["stop" => stop: i64, "name" => name: String],
        optional_nullable: [],
        others: (),
    );

    static SCHEMAS: crate::Schemas = crate::Schemas::new(r#"{"$id": "urn:request-tests"}"#);
    /// A union whose variant holds an integer the `i64` cannot (the
    /// check states the Rust type's bounds, as the generated ones do).
    static COUNTS: crate::BodySchema = crate::BodySchema::new(
        &SCHEMAS,
        r#"{"anyOf": [{"type": "object", "required": ["rows"], "properties": {
            "rows": {"type": "integer", "maximum": 9223372036854775807}}}]}"#,
    );

    /// `Counts` as the types crate declares a union: untagged.
    #[derive(Debug, serde::Deserialize)]
    #[serde(untagged)]
    enum Counts {
        #[allow(dead_code)]
        Rows { rows: i64 },
    }

    /// A member `u16` beside one `i64`, as the types crate declares them.
    #[derive(Debug, serde::Deserialize)]
    struct Endpoint {
        #[allow(dead_code)]
        rate: u16,
        #[allow(dead_code)]
        days: i64,
    }

    #[test]
    fn a_refused_body_with_whole_floats_names_what_refused_it() {
        // svix: `64.0` is taken for an `i64`; `36616423.0` is past a `u16`.
        let body = br#"{"days": 64.0, "rate": 36616423.0}"#;
        let message = json_body_error::<Endpoint>(body).expect("refused");
        assert!(message.contains("at `rate`"), "{message}");
        assert!(message.contains("36616423"), "{message}");
        assert!(
            !message.contains("line"),
            "a position in the rewritten text: {message}"
        );
    }

    #[tokio::test]
    async fn a_body_its_type_refuses_gets_the_schema_s_reason_where_it_has_one() {
        let mut headers = HeaderMap::new();
        headers.insert(
            axum::http::header::CONTENT_TYPE,
            "application/json".parse().expect("a header value"),
        );
        let past = Body::from(r#"{"rows": 9106647920712789310570496}"#);
        let problem = checked_json_body::<Counts>(&headers, past, 1 << 16, Some(&COUNTS))
            .await
            .expect_err("refused");
        let message = problem.message();
        assert!(message.contains("at `/rows`"), "{message}");
        assert!(message.contains("greater than the maximum"), "{message}");
        // Without a schema, serde's own words.
        let past = Body::from(r#"{"rows": 9106647920712789310570496}"#);
        let problem = checked_json_body::<Counts>(&headers, past, 1 << 16, None)
            .await
            .expect_err("refused");
        assert!(problem.message().contains("untagged"), "{problem:?}");
    }

    /// A union of a string and an array of integers, as the types crate
    /// declares one (untagged, `FromStr` trying the text, then JSON).
    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<i64>),
    }

    impl std::str::FromStr for OneOrMany {
        type Err = String;
        fn from_str(text: &str) -> Result<Self, String> {
            Ok(OneOrMany::One(text.to_owned()))
        }
    }

    #[test]
    fn a_union_given_more_than_once_is_its_array() {
        let pairs = query_pairs(Some("id=a&n=1&n=2&bad=1&bad=x"));
        assert_eq!(
            query_union::<OneOrMany>(&pairs, "id"),
            Ok(Some(OneOrMany::One("a".into())))
        );
        assert_eq!(
            query_union::<OneOrMany>(&pairs, "n"),
            Ok(Some(OneOrMany::Many(vec![1, 2])))
        );
        assert_eq!(query_union::<OneOrMany>(&pairs, "none"), Ok(None));
        let bad = query_union::<OneOrMany>(&pairs, "bad").expect_err("not integers");
        assert_eq!(bad.kind(), ProblemKind::InvalidQuery);
        let missing = required_query_union::<OneOrMany>(&pairs, "none").expect_err("required");
        assert_eq!(missing.kind(), ProblemKind::InvalidQuery);
    }

    #[test]
    fn an_array_header_is_its_comma_separated_items() {
        let mut headers = HeaderMap::new();
        headers.append("x-ids", "1, 2".parse().expect("a value"));
        headers.append("x-ids", "3".parse().expect("a value"));
        headers.append("x-bad", "1,x".parse().expect("a value"));
        assert_eq!(
            header_list::<u32>(&headers, "x-ids"),
            Ok(Some(vec![1, 2, 3]))
        );
        assert_eq!(header_list::<u32>(&headers, "x-none"), Ok(None));
        let bad = header_list::<u32>(&headers, "x-bad").expect_err("not a number");
        assert_eq!(bad.kind(), ProblemKind::InvalidHeader);
        let missing = required_header_list::<u32>(&headers, "x-none").expect_err("required");
        assert_eq!(missing.kind(), ProblemKind::MissingHeader);
    }

    #[test]
    fn an_object_query_parameter_is_its_members() {
        let members = ["start", "stop", "name"];
        let pairs = query_pairs(Some("start=5&name=a%20b&other=1"));
        assert_eq!(
            query_object::<Filter>(&pairs, "filter", &members),
            Ok(Some(Filter {
                start: 5,
                stop: None,
                name: Some("a b".into())
            }))
        );
        let none = query_pairs(Some("other=1"));
        assert_eq!(query_object::<Filter>(&none, "filter", &members), Ok(None));
        let missing =
            required_query_object::<Filter>(&none, "filter", &members).expect_err("required");
        assert_eq!(missing.kind(), ProblemKind::InvalidQuery);
        let bad = query_pairs(Some("start=soon"));
        let error = query_object::<Filter>(&bad, "filter", &members).expect_err("not a number");
        assert_eq!(error.kind(), ProblemKind::InvalidQuery);
        let no_start = query_pairs(Some("stop=2"));
        assert!(query_object::<Filter>(&no_start, "filter", &members).is_err());
    }

    /// An object with no required member, as a filter of all-optional
    /// members is: `{}` is written as nothing.
    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Optional {
        stream: Option<String>,
    }

    #[test]
    fn a_required_object_query_parameter_without_members_is_empty_where_that_fits() {
        let none = query_pairs(Some("other=1"));
        let empty = required_query_object::<Optional>(&none, "filter", &["stream"]);
        assert_eq!(empty, Ok(Optional { stream: None }));
    }

    /// A union as the types crate declares one (`oneOf`, untagged).
    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[serde(untagged)]
    enum Created {
        Range(BTreeMap<String, i64>),
        At(i64),
    }

    #[test]
    fn a_deep_object_is_its_bracketed_members() {
        let pairs = query_pairs(Some("filter%5Bstart%5D=5&filter[name]=a+b&start=9"));
        let expected = Filter {
            start: 5,
            stop: None,
            name: Some("a b".into()),
        };
        assert_eq!(deep_object(&pairs, "filter"), Ok(Some(expected)));
        assert_eq!(deep_object::<Filter>(&pairs, "other"), Ok(None));
        let bad = query_pairs(Some("filter[start]=soon"));
        let error = deep_object::<Filter>(&bad, "filter").expect_err("not a number");
        assert_eq!(error.kind(), ProblemKind::InvalidQuery);
        let twice = query_pairs(Some("filter[start]=1&filter[start]=2"));
        assert!(deep_object::<Filter>(&twice, "filter").is_err());
    }

    #[test]
    fn a_deep_object_union_reads_numbers_as_numbers() {
        let range = query_pairs(Some("created[gte]=5&created[lt]=9"));
        let expected = BTreeMap::from([("gte".to_owned(), 5), ("lt".to_owned(), 9)]);
        assert_eq!(
            deep_object(&range, "created"),
            Ok(Some(Created::Range(expected)))
        );
        let at = query_pairs(Some("created=7"));
        assert_eq!(deep_object(&at, "created"), Ok(Some(Created::At(7))));
        let repeated = query_pairs(Some("r[a]=1&r[a]=2"));
        let expected = BTreeMap::from([("a".to_owned(), vec![1, 2])]);
        assert_eq!(deep_object(&repeated, "r"), Ok(Some(expected)));
        let empty = query_pairs(Some("m[]=1&m[a]=2&m2=3"));
        let expected = BTreeMap::from([(String::new(), 1), ("a".to_owned(), 2)]);
        assert_eq!(deep_object(&empty, "m"), Ok(Some(expected)));
        let lists = query_pairs(Some("f[ids][0]=3&f[ids][1]=4&g[ids][]=5"));
        let ids = |name| deep_object::<BTreeMap<String, Vec<u8>>>(&lists, name);
        assert_eq!(
            ids("f").map(|f| f.map(|f| f["ids"].clone())),
            Ok(Some(vec![3, 4]))
        );
        assert_eq!(
            ids("g").map(|g| g.map(|g| g["ids"].clone())),
            Ok(Some(vec![5]))
        );
    }

    #[test]
    fn a_flat_object_is_members_and_values_in_turn() {
        let pairs = query_pairs(Some("filter=start,5,name,,stop,7&odd=start"));
        let expected = Filter {
            start: 5,
            stop: Some(7),
            name: Some(String::new()),
        };
        assert_eq!(flat_query_object(&pairs, "filter"), Ok(Some(expected)));
        assert!(flat_query_object::<Filter>(&pairs, "odd").is_err());
        assert_eq!(flat_query_object::<Filter>(&pairs, "absent"), Ok(None));
    }

    #[test]
    fn a_free_form_object_is_the_parameters_not_named_otherwise() {
        let pairs = query_pairs(Some("limit=5&a=1&b=x"));
        let rest = other_query_object::<BTreeMap<String, String>>(&pairs, "metadata", &["limit"]);
        let expected = BTreeMap::from([
            ("a".to_owned(), "1".to_owned()),
            ("b".to_owned(), "x".to_owned()),
        ]);
        assert_eq!(rest, Ok(Some(expected)));
        let known = ["limit", "a", "b"];
        assert_eq!(
            other_query_object::<BTreeMap<String, String>>(&pairs, "m", &known),
            Ok(None)
        );
    }

    #[test]
    fn delimited_query_lists() {
        let pairs = query_pairs(Some("p=1|2&s=a%20b"));
        assert_eq!(
            split_query_list::<u8>(&pairs, "p", Some('|')),
            Ok(Some(vec![1, 2]))
        );
        let words = split_query_list::<String>(&pairs, "s", Some(' '));
        assert_eq!(words, Ok(Some(vec!["a".to_owned(), "b".to_owned()])));
        // Asana's `opt_fields=,` is two empty items, not an empty array;
        // `opt_fields=` is the empty array.
        let pairs = query_pairs(Some("two=,&none=&gap=a,,b"));
        let texts = |name| split_query_list::<String>(&pairs, name, Some(','));
        assert_eq!(texts("two"), Ok(Some(vec![String::new(), String::new()])));
        assert_eq!(texts("none"), Ok(Some(Vec::new())));
        assert_eq!(texts("gap").map(|t| t.map(|t| t.len())), Ok(Some(3)));
        assert_eq!(
            split_query_list::<u8>(&pairs, "two", Some(',')).map_err(|p| p.kind()),
            Err(ProblemKind::InvalidQuery)
        );
        assert_eq!(
            required_in_query(None::<u8>, "x").map_err(|p| p.kind()),
            Err(ProblemKind::InvalidQuery)
        );
    }

    #[test]
    fn query_parameters() {
        let pairs = query_pairs(Some("limit=10&offset=%31&x=1&x=2&bad=x"));
        assert_eq!(query_param::<u32>(&pairs, "limit"), Ok(Some(10)));
        assert_eq!(
            query_param::<String>(&pairs, "offset"),
            Ok(Some("1".into()))
        );
        assert_eq!(query_param::<u32>(&pairs, "absent"), Ok(None));
        let kind = |r: Result<Option<u32>, Problem>| r.map_err(|p| p.kind());
        assert_eq!(
            kind(query_param(&pairs, "x")),
            Err(ProblemKind::InvalidQuery)
        );
        assert_eq!(
            kind(query_param(&pairs, "bad")),
            Err(ProblemKind::InvalidQuery)
        );
        assert_eq!(
            required_query_param::<u32>(&pairs, "absent").map_err(|p| p.kind()),
            Err(ProblemKind::InvalidQuery)
        );
    }

    #[test]
    fn an_empty_list_value_its_items_cannot_read_is_the_parameter_left_out() {
        // The Petstore's `status`: `allowEmptyValue`, an exploded array of
        // an enum, sent as `status=`.
        let pairs = query_pairs(Some("status=&names=&both=&both=1"));
        let empty = |name| query_list_allowing_empty::<u8>(&pairs, name, true);
        assert_eq!(empty("status"), Ok(None));
        assert_eq!(empty("absent"), Ok(None));
        assert_eq!(
            empty("both").map_err(|p| p.kind()),
            Err(ProblemKind::InvalidQuery)
        );
        let names = query_list_allowing_empty::<String>(&pairs, "names", true);
        assert_eq!(names, Ok(Some(vec![String::new()])));
    }

    #[test]
    fn an_empty_value_a_type_cannot_read_is_the_parameter_left_out() {
        // Asana's `opt_pretty`: `allowEmptyValue`, a boolean.
        let pairs = query_pairs(Some("opt_pretty=&q=&flag=&flag=true&on=true"));
        let empty = query_param_allowing_empty::<bool>;
        assert_eq!(empty(&pairs, "opt_pretty"), Ok(None));
        assert_eq!(empty(&pairs, "on"), Ok(Some(true)));
        assert_eq!(
            query_param_allowing_empty::<String>(&pairs, "q"),
            Ok(Some(String::new()))
        );
        assert_eq!(
            empty(&pairs, "flag").map_err(|p| p.kind()),
            Err(ProblemKind::InvalidQuery),
            "given twice"
        );
        assert!(query_param::<bool>(&pairs, "opt_pretty").is_err());
    }

    #[test]
    fn query_lists() {
        let exploded = query_pairs(Some("tag=a&tag=b&n=1,2"));
        assert_eq!(
            query_list::<String>(&exploded, "tag", true),
            Ok(Some(vec!["a".to_owned(), "b".to_owned()]))
        );
        assert_eq!(
            query_list::<u8>(&exploded, "n", false),
            Ok(Some(vec![1, 2]))
        );
        assert_eq!(query_list::<u8>(&exploded, "absent", true), Ok(None));
        assert!(query_list::<u8>(&exploded, "tag", true).is_err());
        assert!(required_query_list::<u8>(&exploded, "absent", true).is_err());
    }

    #[test]
    fn cookies() {
        let mut headers = HeaderMap::new();
        headers.append(
            "cookie",
            "session=a%20b; ids=1%2C2; junk".parse().expect("a value"),
        );
        headers.append("cookie", "twice=1; twice=2; n=x".parse().expect("a value"));
        assert_eq!(
            cookie::<String>(&headers, "session"),
            Ok(Some("a b".into()))
        );
        assert_eq!(cookie_list::<u8>(&headers, "ids"), Ok(Some(vec![1, 2])));
        assert_eq!(cookie::<u8>(&headers, "absent"), Ok(None));
        let kind = |r: Result<Option<u8>, Problem>| r.map_err(|p| p.kind());
        assert_eq!(
            kind(cookie(&headers, "twice")),
            Err(ProblemKind::InvalidHeader)
        );
        assert_eq!(kind(cookie(&headers, "n")), Err(ProblemKind::InvalidHeader));
        let missing = required_cookie::<u8>(&headers, "absent").expect_err("required");
        assert_eq!(missing.kind(), ProblemKind::MissingHeader);
        assert!(required_cookie_list::<u8>(&headers, "absent").is_err());
    }

    #[test]
    fn headers() {
        let mut headers = HeaderMap::new();
        headers.insert("x-token", "abc".parse().expect("valid header"));
        assert_eq!(
            required_header::<String>(&headers, "X-Token"),
            Ok("abc".into())
        );
        assert_eq!(header::<String>(&headers, "X-Other"), Ok(None));
        assert_eq!(
            required_header::<String>(&headers, "X-Other").map_err(|p| p.kind()),
            Err(ProblemKind::MissingHeader)
        );
        assert_eq!(
            required_header::<String>(&headers, "Authorization").map_err(|p| p.kind()),
            Err(ProblemKind::MissingCredentials)
        );
    }

    /// A form body as the types crate declares one, with an array and an
    /// object member.
    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Charge {
        amount: i64,
        tags: Option<Vec<String>>,
        metadata: Option<BTreeMap<String, String>>,
    }

    #[tokio::test]
    async fn form_bodies_with_arrays_and_bracketed_objects() {
        let mut headers = HeaderMap::new();
        let form = "application/x-www-form-urlencoded"
            .parse()
            .expect("valid header");
        headers.insert("content-type", form);
        let read = |text: &'static str| form_body::<Charge>(&headers, Body::from(text), 1024, None);
        let flat = Charge {
            amount: 5,
            tags: None,
            metadata: None,
        };
        assert_eq!(read("amount=5").await, Ok(Some(flat)));
        let nested = read("amount=5&tags=a&tags=b&metadata%5Border%5D=7").await;
        let expected = Charge {
            amount: 5,
            tags: Some(vec!["a".into(), "b".into()]),
            metadata: Some(BTreeMap::from([("order".to_owned(), "7".to_owned())])),
        };
        assert_eq!(nested, Ok(Some(expected)));
        let bad = read("amount=many").await.map_err(|p| p.kind());
        assert_eq!(bad, Err(ProblemKind::InvalidBody));
    }

    /// Swagger Petstore v3's `Pet` as a form body: a required array.
    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Pet {
        id: i64,
        name: String,
        photo_urls: Vec<String>,
    }

    #[tokio::test]
    async fn a_required_array_left_out_of_a_form_is_empty() {
        let mut headers = HeaderMap::new();
        let form = "application/x-www-form-urlencoded"
            .parse()
            .expect("valid header");
        headers.insert("content-type", form);
        let read = |text: &'static str| form_body::<Pet>(&headers, Body::from(text), 1024, None);
        let pet = |photo_urls: Vec<String>| Pet {
            id: 10,
            name: "doggie".into(),
            photo_urls,
        };
        assert_eq!(read("id=10&name=doggie").await, Ok(Some(pet(Vec::new()))));
        assert_eq!(
            read("id=10&name=doggie&photoUrls=a").await,
            Ok(Some(pet(vec!["a".into()])))
        );
        // A required object left out is an empty one.
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct Settings {
            method: String,
            traits: BTreeMap<String, String>,
        }
        let settings =
            form_body::<Settings>(&headers, Body::from("method=profile"), 64, None).await;
        let empty = Settings {
            method: "profile".into(),
            traits: BTreeMap::new(),
        };
        assert_eq!(settings, Ok(Some(empty)));
        // A required scalar left out is still refused.
        let missing = read("name=doggie").await.map_err(|p| p.kind());
        assert_eq!(missing, Err(ProblemKind::InvalidBody));
    }

    /// Swagger Petstore v3's `Order`, sent as XML.
    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Order {
        id: i64,
        pet_id: i64,
        complete: bool,
        status: Option<String>,
    }

    const ORDER: &str = r#"{"type": "object", "properties": {"id": {"type": "integer"},
        "petId": {"type": "integer"}, "complete": {"type": "boolean"},
        "status": {"type": "string"}}}"#;

    #[tokio::test]
    async fn xml_bodies_are_read_by_their_schema() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "content-type",
            "application/xml".parse().expect("valid header"),
        );
        let read = |text: &'static str| xml_body::<Order>(&headers, Body::from(text), 1024, ORDER);
        let order =
            read("<order><id>10</id><petId>7</petId><complete>false</complete></order>").await;
        let expected = Order {
            id: 10,
            pet_id: 7,
            complete: false,
            status: None,
        };
        assert_eq!(order, Ok(Some(expected)));
        for bad in [
            "<order><id>ten</id></order>",
            "<order><id>10</order>",
            "<order/>",
        ] {
            let refused = read(bad).await.map_err(|p| p.kind());
            assert_eq!(refused, Err(ProblemKind::InvalidBody), "{bad}");
        }
    }

    #[tokio::test]
    async fn json_bodies() {
        let mut headers = HeaderMap::new();
        let wrong = json_body::<serde_json::Value>(&headers, Body::from("{}"), 16).await;
        assert_eq!(
            wrong.map_err(|p| p.kind()),
            Err(ProblemKind::UnsupportedMediaType)
        );

        headers.insert(
            "content-type",
            "application/json; charset=utf-8"
                .parse()
                .expect("valid header"),
        );
        let ok = json_body::<serde_json::Value>(&headers, Body::from("{\"a\":1}"), 16).await;
        assert_eq!(ok, Ok(serde_json::json!({"a": 1})));
        let large =
            json_body::<serde_json::Value>(&headers, Body::from("[1,2,3,4,5,6,7,8,9]"), 16).await;
        assert_eq!(large.map_err(|p| p.kind()), Err(ProblemKind::BodyTooLarge));
        let broken = json_body::<serde_json::Value>(&headers, Body::from("{"), 16).await;
        assert_eq!(broken.map_err(|p| p.kind()), Err(ProblemKind::InvalidBody));
        let trailing = json_body::<serde_json::Value>(&headers, Body::from("{} <html>"), 16).await;
        assert_eq!(
            trailing.map_err(|p| p.kind()),
            Err(ProblemKind::InvalidBody),
            "trailing garbage after the JSON value"
        );
        for repeated in [
            r#"{"a":1,"a":2}"#,
            r#"{"a":1,"\u0061":1}"#,
            r#"{"outer":[{"unknown":null,"unknown":null}]}"#,
        ] {
            let refused = json_body::<serde_json::Value>(&headers, Body::from(repeated), 64).await;
            let problem = refused.expect_err(repeated);
            assert_eq!(problem.kind(), ProblemKind::InvalidBody, "{repeated}");
            assert!(problem.message().contains("more than once"), "{problem}");
        }
        let nested = json_body::<serde_json::Value>(
            &headers,
            Body::from(r#"{"outer":[{"x":1,"y":{"x":2}},{"x":3}]}"#),
            64,
        )
        .await;
        assert!(
            nested.is_ok(),
            "the same name in different objects: {nested:?}"
        );
        let spaced = json_body::<serde_json::Value>(&headers, Body::from("{} \n"), 16).await;
        assert_eq!(spaced, Ok(serde_json::json!({})));
        let empty = json_body::<serde_json::Value>(&headers, Body::empty(), 16).await;
        assert_eq!(empty.map_err(|p| p.kind()), Err(ProblemKind::InvalidBody));

        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Typed {
            inner: Inner,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Inner {
            n: u8,
        }
        let typed = json_body::<Typed>(&headers, Body::from("{\"inner\":{\"n\":\"x\"}}"), 64).await;
        let problem = typed.expect_err("wrong type");
        assert!(problem.message().contains("`inner.n`"), "{problem}");
    }

    #[tokio::test]
    async fn a_whole_number_written_with_a_fraction_is_an_integer() {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", "application/json".parse().expect("type"));
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct Amount {
            value: i64,
            count: u64,
        }
        let body = Body::from(r#"{"value": -25.0, "count": 1e3}"#);
        let amount = json_body::<Amount>(&headers, body, 64).await;
        assert_eq!(
            amount.expect("integers"),
            Amount {
                value: -25,
                count: 1000
            }
        );
        let fraction =
            json_body::<Amount>(&headers, Body::from(r#"{"value": 2.5, "count": 1}"#), 64);
        assert!(fraction.await.is_err(), "2.5 is not an integer");
        let past = json_body::<Amount>(&headers, Body::from(r#"{"value": 1, "count": 1e20}"#), 64);
        assert!(past.await.is_err(), "past u64");
        let below = r#"{"value": -9223372036854775809, "count": 1}"#;
        let below = json_body::<Amount>(&headers, Body::from(below), 64);
        assert!(below.await.is_err(), "below i64, though its float is -2^63");
    }

    #[test]
    fn an_accept_header_is_negotiated_among_the_offered_values() {
        let offered = ["application/json", "text/csv"];
        let read = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert("accept", value.parse().expect("header"));
            accept_header::<String>(&headers, "Accept", &offered)
        };
        assert_eq!(read("*/*"), Ok(Some("application/json".to_owned())));
        assert_eq!(read("text/*;q=0.5"), Ok(Some("text/csv".to_owned())));
        assert_eq!(read("image/png, text/csv"), Ok(Some("text/csv".to_owned())));
        // Accepting none: the text as it is, which an enum type refuses.
        assert_eq!(read("{}"), Ok(Some("{}".to_owned())));
    }

    #[test]
    fn an_accept_encoding_header_is_negotiated_among_the_offered_codings() {
        let read = |offered: &[&str], value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert("accept-encoding", value.parse().expect("header"));
            accept_header::<String>(&headers, "Accept-Encoding", offered)
        };
        let influx = ["gzip", "identity"];
        // python-requests' default.
        assert_eq!(read(&influx, "gzip, deflate"), Ok(Some("gzip".into())));
        assert_eq!(
            read(&influx, "gzip;q=0, identity"),
            Ok(Some("identity".into()))
        );
        assert_eq!(read(&influx, "GZIP"), Ok(Some("gzip".into())));
        assert_eq!(read(&["gzip"], "*"), Ok(Some("gzip".into())));
        // Accepting none: the text as it is, which an enum type refuses.
        assert_eq!(read(&influx, "br"), Ok(Some("br".into())));
        assert_eq!(read(&influx, "gzip;q=0"), Ok(Some("gzip;q=0".into())));
    }
}
