//! Path parameters out of the segments the router captured.
//!
//! axum's router captures a whole segment under one name. OpenAPI lets a
//! segment hold literal text around a parameter (`{Sid}.json`) or several
//! parameters apart by text (`{nameId}.{outputFormat}`), and lets two
//! paths name the capture at one position apart; the generated handler
//! says how (a [`Capture`]), and the parameter's text is taken out of the
//! segment here.
//!
//! How a segment splits where a parameter's value could hold the text
//! after it (`a.b.json` for `{name}.{format}`) is not something OpenAPI
//! says: here each parameter ends at the first occurrence of the text
//! after it, and the last takes what is left (`a`, `b.json`), in one pass
//! over the segment.

use axum::extract::RawPathParams;

use crate::request::{FromParam, Problem, ProblemKind};

/// Where the router captures a path parameter when that is not simply
/// `{name}`: under the name an earlier path gave that position (axum's
/// router takes one name per position), or within a segment holding more
/// than the parameter (`{Sid}.json`, `{nameId}.{outputFormat}`).
#[derive(Clone, Copy, Debug)]
pub struct Capture<'a> {
    /// The capture's name in the route.
    pub route_name: &'a str,
    /// The segment as the spec's path writes it: the parameters in braces,
    /// the text around them.
    pub template: &'a str,
}

/// The path parameter `name`, parsed.
pub fn path_param<T: FromParam>(params: &RawPathParams, name: &str) -> Result<T, Problem> {
    parsed(name, segment(params, name, name)?)
}

/// The path parameter `name`, captured as `capture` says, taken out of its
/// segment and parsed.
pub fn captured_path_param<T: FromParam>(
    params: &RawPathParams,
    name: &str,
    capture: Capture<'_>,
) -> Result<T, Problem> {
    let segment = segment(params, capture.route_name, name)?;
    let text = segment_value(capture.template, segment, name).ok_or_else(|| {
        invalid(format!(
            "path segment `{segment}` is not `{}`",
            capture.template
        ))
    })?;
    parsed(name, text)
}

fn invalid(message: String) -> Problem {
    Problem::new(ProblemKind::InvalidPath, message)
}

/// The segment the router captured as `route_name`, for parameter `name`.
fn segment<'p>(
    params: &'p RawPathParams,
    route_name: &str,
    name: &str,
) -> Result<&'p str, Problem> {
    params
        .iter()
        .find_map(|(key, value)| (key == route_name).then_some(value))
        .ok_or_else(|| invalid(format!("path parameter `{name}` is missing")))
}

fn parsed<T: FromParam>(name: &str, text: &str) -> Result<T, Problem> {
    T::from_param(text).map_err(|error| invalid(format!("path parameter `{name}`: {error}")))
}

/// One piece of a segment template.
#[derive(Debug, PartialEq, Eq)]
enum Part<'t> {
    Text(&'t str),
    Parameter(&'t str),
}

/// The pieces of `template`, or `None` when a brace is left open.
fn parts(template: &str) -> Option<Vec<Part<'_>>> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some((text, after)) = rest.split_once('{') {
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        let (name, after) = after.split_once('}')?;
        parts.push(Part::Parameter(name));
        rest = after;
    }
    if !rest.is_empty() {
        parts.push(Part::Text(rest));
    }
    Some(parts)
}

/// The text of parameter `name` in `segment`, which `template` describes;
/// `None` when the segment does not fit the template or the template
/// does not hold `name`.
pub(crate) fn segment_value<'s>(template: &str, segment: &'s str, name: &str) -> Option<&'s str> {
    let parts = parts(template)?;
    let mut rest = segment;
    let mut parts = parts.as_slice();
    if let [Part::Text(text), tail @ ..] = parts {
        rest = rest.strip_prefix(*text)?;
        parts = tail;
    }
    if let [head @ .., Part::Text(text)] = parts {
        rest = rest.strip_suffix(*text)?;
        parts = head;
    }
    let mut found = None;
    let mut pieces = parts.iter().peekable();
    while let Some(part) = pieces.next() {
        let value = match (part, pieces.peek()) {
            (Part::Parameter(_), Some(Part::Text(text))) => {
                let (value, after) = rest.split_once(*text)?;
                pieces.next();
                rest = after;
                value
            }
            (Part::Parameter(_), None) => std::mem::take(&mut rest),
            // Two parameters with no text between them, or text the
            // prefix and suffix do not account for: no split is defined.
            _ => return None,
        };
        if *part == Part::Parameter(name) {
            found = found.or(Some(value));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::segment_value;

    #[test]
    fn a_whole_segment_is_the_value() {
        assert_eq!(segment_value("{id}", "abc", "id"), Some("abc"));
        assert_eq!(segment_value("{id}", "", "id"), Some(""));
    }

    #[test]
    fn text_around_a_parameter_is_taken_off() {
        assert_eq!(segment_value("{Sid}.json", "AC1.json", "Sid"), Some("AC1"));
        assert_eq!(segment_value("v{n}", "v2", "n"), Some("2"));
        assert_eq!(segment_value("{Sid}.json", "AC1.xml", "Sid"), None);
        assert_eq!(segment_value("x{a}x", "x", "a"), None);
    }

    #[test]
    fn parameters_apart_by_text_split_at_its_first_occurrence() {
        let template = "{nameId}.{outputFormat}";
        assert_eq!(
            segment_value(template, "22474.json", "nameId"),
            Some("22474")
        );
        assert_eq!(
            segment_value(template, "22474.json", "outputFormat"),
            Some("json")
        );
        assert_eq!(
            segment_value(template, "a.b.json", "outputFormat"),
            Some("b.json")
        );
        assert_eq!(segment_value(template, "22474", "nameId"), None);
        let template = "({a}-{b}).{c}";
        assert_eq!(segment_value(template, "(1-2).3", "b"), Some("2"));
        assert_eq!(segment_value(template, "(1-2).3", "c"), Some("3"));
    }

    #[test]
    fn templates_without_a_split_or_the_name_match_nothing() {
        assert_eq!(segment_value("{a}{b}", "ab", "a"), None);
        assert_eq!(segment_value("{a}.{b}", "x.y", "c"), None);
        assert_eq!(segment_value("{a", "x", "a"), None);
    }

    #[test]
    fn a_long_segment_splits_in_one_pass() {
        let segment = ".".repeat(1 << 16);
        let template = "{a}.{b}.{c}.{d}";
        assert_eq!(segment_value(template, &segment, "d"), Some(&segment[3..]));
    }
}
