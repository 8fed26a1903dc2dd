//! `x-enum-varnames` (openapi-generator's extension naming an enum's
//! variants): used when it names every value once, with distinct Rust
//! names; otherwise the variants are named from their values and lint says
//! why the names were not used (`generator-varnames-ignored`), since a
//! published spec's slip (Xero lists 169 names for 168 values) should not
//! stop its generation.

use serde_json::Value;

use super::naming::type_ident;

/// The variant names `names` gives `values`, or why they cannot be used.
pub fn usable(names: &Value, values: &[Value]) -> Result<Vec<String>, String> {
    let Value::Array(names) = names else {
        return Err("`x-enum-varnames` is not a list".into());
    };
    if names.len() != values.len() {
        return Err(format!(
            "`x-enum-varnames` has {} names for {} values",
            names.len(),
            values.len()
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut usable = Vec::with_capacity(names.len());
    for name in names {
        let Some(name) = name.as_str() else {
            return Err(format!(
                "`x-enum-varnames` has a name that is not a string: {name}"
            ));
        };
        let ident = type_ident(name).to_string();
        if ident == "Unknown" || !seen.insert(ident.clone()) {
            return Err(format!(
                "`x-enum-varnames` name `{name}` is not a distinct Rust variant (`{ident}`)"
            ));
        }
        usable.push(name.to_owned());
    }
    Ok(usable)
}

/// Every `x-enum-varnames` of the document that [`usable`] refuses: the
/// pointer to it and why.
pub fn ignored(root: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    super::walk::objects(root, &mut |pointer, object| {
        if let (Some(names), Some(Value::Array(values))) =
            (object.get("x-enum-varnames"), object.get("enum"))
            && let Err(why) = usable(names, values)
        {
            found.push((
                format!("{pointer}/x-enum-varnames"),
                format!("{why}; the variants are named from their values instead"),
            ));
        }
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_for_every_value_are_used() {
        let names = usable(&json!(["Yes", "No"]), &[json!("Y"), json!("N")]);
        assert_eq!(names, Ok(vec!["Yes".to_owned(), "No".to_owned()]));
    }

    #[test]
    fn a_count_that_differs_is_refused_with_both_counts() {
        let why = usable(&json!(["A", "B", "C"]), &[json!(1), json!(2)]);
        assert_eq!(
            why,
            Err("`x-enum-varnames` has 3 names for 2 values".to_owned())
        );
    }

    #[test]
    fn names_that_collide_in_rust_are_refused() {
        assert!(usable(&json!(["a_b", "A-B"]), &[json!(1), json!(2)]).is_err());
        assert!(usable(&json!(["Unknown"]), &[json!(1)]).is_err());
    }

    #[test]
    fn ignored_names_are_found_where_they_are_written() {
        let root = json!({"components": {"schemas": {"E": {
            "enum": ["a", "b"], "x-enum-varnames": ["A"]}}}});
        let found = ignored(&root);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "/components/schemas/E/x-enum-varnames");
    }
}
