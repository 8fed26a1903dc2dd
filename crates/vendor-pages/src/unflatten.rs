//! A table that flattens nested objects into its own rows (ELB's API
//! version page: `version | Object`, then `id`, `links | Array`, `href`,
//! `rel`, `version | String`, ...), nested again by the page's example:
//! each row is a member of the innermost open object whose example value
//! has that member, and an object or array-of-objects row the page types
//! no further opens its example value as the next object.

use serde_json::Value;

use crate::page::{Field, PageType};

/// The table's rows as the example nests them: the top-level rows first
/// (named `""`), then one table per nested object, named after its member.
/// `None` when a row is in none of the open objects, or would be a member
/// of one twice.
pub(crate) fn nest(rows: &[Field], example: &Value) -> Option<Vec<(String, Vec<Field>)>> {
    let mut tables: Vec<(String, Vec<Field>)> = vec![(String::new(), Vec::new())];
    // The open objects, outermost first: a table and its example value.
    let mut open: Vec<(usize, &Value)> = vec![(0, example)];
    for row in rows {
        let depth = open.iter().rposition(|(_, v)| v.get(&row.name).is_some())?;
        open.truncate(depth + 1);
        let (table, value) = open[depth];
        if tables[table].1.iter().any(|f| f.name == row.name) {
            return None;
        }
        let mut row = row.clone();
        if let Some(inner) = opened(&row.ty, &value[&row.name]) {
            let name = crate::page::placeholder(&row.name)
                .unwrap_or(&row.name)
                .to_owned();
            if tables.iter().any(|(n, _)| *n == name) {
                return None;
            }
            row.ty = match row.ty {
                PageType::Array(_) => PageType::Array(Box::new(PageType::Object(name.clone()))),
                _ => PageType::Object(name.clone()),
            };
            tables.push((name, Vec::new()));
            open.push((tables.len() - 1, inner));
        }
        tables[table].1.push(row);
    }
    // An object the example opens but no row follows into stays untyped.
    let empty: Vec<String> = tables
        .iter()
        .filter(|(_, fields)| fields.is_empty())
        .map(|(name, _)| name.clone())
        .collect();
    for (_, fields) in &mut tables {
        for field in fields
            .iter_mut()
            .filter(|f| names(&f.ty).is_some_and(|n| empty.contains(&n.to_owned())))
        {
            field.ty = match &field.ty {
                PageType::Array(_) => PageType::Array(Box::new(PageType::Other(String::new()))),
                _ => PageType::Object(String::new()),
            };
        }
    }
    tables.retain(|(name, fields)| name.is_empty() || !fields.is_empty());
    Some(tables)
}

/// The example value a row of type `ty` opens: an object for an object
/// row, the first item for an array of objects, when the page names no
/// type for it.
fn opened<'a>(ty: &PageType, value: &'a Value) -> Option<&'a Value> {
    match (ty, value) {
        (PageType::Object(name), Value::Object(_)) if name.is_empty() => Some(value),
        (PageType::Array(inner), Value::Array(items)) if matches!(&**inner, PageType::Other(n) | PageType::Object(n) if n.is_empty()) => {
            items.first().filter(|item| item.is_object())
        }
        _ => None,
    }
}

fn names(ty: &PageType) -> Option<&str> {
    match ty {
        PageType::Object(name) => Some(name),
        PageType::Array(inner) => match &**inner {
            PageType::Object(name) => Some(name),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, ty: PageType) -> Field {
        Field::new(name.into(), 1, None, ty, String::new())
    }

    #[test]
    fn the_example_nests_a_flattened_table() {
        let untyped = || PageType::Array(Box::new(PageType::Other(String::new())));
        let rows = [
            row("version", PageType::Object(String::new())),
            row("id", PageType::String),
            row("links", untyped()),
            row("href", PageType::String),
            row("rel", PageType::String),
            row("version", PageType::String),
            row("status", PageType::String),
        ];
        let example = serde_json::json!({"version": {"id": "v1", "links": [{"href": "h", "rel": "self"}], "version": "", "status": "CURRENT"}});
        let tables = nest(&rows, &example).expect("nests");
        let names: Vec<(&str, Vec<&str>)> = tables
            .iter()
            .map(|(n, f)| (n.as_str(), f.iter().map(|f| f.name.as_str()).collect()))
            .collect();
        assert_eq!(
            names,
            [
                ("", vec!["version"]),
                ("version", vec!["id", "links", "version", "status"]),
                ("links", vec!["href", "rel"]),
            ]
        );
        assert_eq!(tables[0].1[0].ty, PageType::Object("version".into()));
    }

    #[test]
    fn a_row_the_example_does_not_hold_is_not_nested() {
        let rows = [
            row("version", PageType::Object(String::new())),
            row("id", PageType::String),
            row("other", PageType::String),
        ];
        let example = serde_json::json!({"version": {"id": "v1"}});
        assert_eq!(nest(&rows, &example), None);
    }
}
