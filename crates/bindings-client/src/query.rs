//! Query parameters in the styles progenitor's `QueryParam` does not
//! write: it sends every parameter as `form` with `explode` (an array as
//! `a=1&a=2`, an object as its members), whatever the spec says.
//!
//! A generated client sends the others through [`StyledQuery`]:
//! `form` without `explode` (`a=1,2`), `spaceDelimited` (`a=1 2`),
//! `pipeDelimited` (`a=1|2`) and `deepObject` (`a[x]=1&a[y][z]=2`).

use serde::ser::{Error as _, Serialize, Serializer};
use serde_json::Value;

/// How a query parameter is written on the wire (OpenAPI's `style`, with
/// `explode` where it matters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryStyle {
    /// `form` without `explode`: `a=1,2`, an object `a=x,1,y,2`.
    FormFlat,
    /// `spaceDelimited`: an array as `a=1 2`.
    SpaceDelimited,
    /// `pipeDelimited`: an array as `a=1|2`.
    PipeDelimited,
    /// `deepObject`: an object as `a[x]=1`, nested members as
    /// `a[y][z]=2`, arrays as `a[list][0]=1`.
    DeepObject,
}

/// The query parameter `name` with `value`, written in `style`; for
/// `reqwest::RequestBuilder::query`. Nothing is sent for `None`.
#[derive(Debug)]
pub struct StyledQuery<'a, T: ?Sized> {
    name: &'a str,
    value: &'a T,
    style: QueryStyle,
}

impl<'a, T: ?Sized> StyledQuery<'a, T> {
    /// The parameter `name` with `value` in `style`.
    pub fn new(name: &'a str, value: &'a T, style: QueryStyle) -> Self {
        StyledQuery { name, value, style }
    }
}

impl<T: Serialize + ?Sized> StyledQuery<'_, T> {
    /// The `name=value` pairs the parameter is sent as.
    ///
    /// # Errors
    ///
    /// When the value has no form in its style: an array or object inside
    /// a delimited list, a value `serde_qs` cannot write.
    pub fn pairs(&self) -> Result<Vec<(String, String)>, String> {
        let value = serde_json::to_value(self.value).map_err(|error| error.to_string())?;
        if value.is_null() {
            return Ok(Vec::new());
        }
        if self.style == QueryStyle::DeepObject {
            return deep_object_pairs(self.name, &value);
        }
        let delimiter = match self.style {
            QueryStyle::SpaceDelimited => " ",
            QueryStyle::PipeDelimited => "|",
            QueryStyle::FormFlat | QueryStyle::DeepObject => ",",
        };
        let text = flat_text(self.name, value, delimiter)?;
        Ok(vec![(self.name.to_owned(), text)])
    }
}

/// `value` as one parameter's text: a scalar as itself, an array's items
/// and an object's members and values in turn joined by `delimiter`.
pub(crate) fn flat_text(name: &str, value: Value, delimiter: &str) -> Result<String, String> {
    let items: Vec<Value> = match value {
        Value::Array(items) => items,
        Value::Object(members) => members
            .into_iter()
            .flat_map(|(key, value)| [Value::String(key), value])
            .collect(),
        scalar => vec![scalar],
    };
    let texts = items
        .iter()
        .map(|item| scalar_text(name, item))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(texts.join(delimiter))
}

impl<T: Serialize + ?Sized> Serialize for StyledQuery<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.pairs().map_err(S::Error::custom)?)
    }
}

/// `name[member]=...` pairs of `value`, through `serde_qs` (form-encoded
/// so that `+` and brackets in values survive the round trip).
fn deep_object_pairs(name: &str, value: &Value) -> Result<Vec<(String, String)>, String> {
    let single = std::collections::BTreeMap::from([(name, value)]);
    let encoded = serde_qs::Config::new()
        .use_form_encoding(true)
        .serialize_string(&single)
        .map_err(|error| format!("query parameter `{name}`: {error}"))?;
    Ok(form_urlencoded::parse(encoded.as_bytes())
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect())
}

/// An item of a delimited list as text; nested arrays and objects have no
/// form there.
fn scalar_text(name: &str, item: &Value) -> Result<String, String> {
    match item {
        Value::String(text) => Ok(text.clone()),
        Value::Number(number) => Ok(number.to_string()),
        Value::Bool(flag) => Ok(flag.to_string()),
        Value::Null => Ok(String::new()),
        Value::Array(_) | Value::Object(_) => Err(format!(
            "parameter `{name}`: an array or object inside a delimited list has no form on \
             the wire"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::{QueryStyle, StyledQuery};
    use std::collections::BTreeMap;

    fn encoded<T: serde::Serialize>(name: &str, value: &T, style: QueryStyle) -> String {
        let query = StyledQuery::new(name, value, style);
        let pairs = query.pairs().expect("pairs");
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
    }

    #[test]
    fn delimited_lists_join_their_items() {
        let items = ["a b", "c"];
        assert_eq!(encoded("q", &items, QueryStyle::FormFlat), "q=a+b%2Cc");
        assert_eq!(encoded("q", &items, QueryStyle::PipeDelimited), "q=a+b%7Cc");
        assert_eq!(encoded("q", &[1, 2], QueryStyle::SpaceDelimited), "q=1+2");
    }

    #[test]
    fn a_flat_object_lists_members_and_values() {
        let object = BTreeMap::from([("x", 1), ("y", 2)]);
        assert_eq!(
            encoded("p", &object, QueryStyle::FormFlat),
            "p=x%2C1%2Cy%2C2"
        );
    }

    #[test]
    fn nothing_is_sent_for_none() {
        let none: Option<Vec<i32>> = None;
        assert_eq!(encoded("q", &none, QueryStyle::PipeDelimited), "");
        assert_eq!(encoded("q", &none, QueryStyle::DeepObject), "");
    }

    #[test]
    fn a_deep_object_nests_its_members_in_brackets() {
        let inner = BTreeMap::from([("gte", "1+2")]);
        let object = BTreeMap::from([("created", inner)]);
        let query = StyledQuery::new("filter", &object, QueryStyle::DeepObject);
        let pairs = query.pairs().expect("pairs");
        assert_eq!(
            pairs,
            vec![("filter[created][gte]".to_owned(), "1+2".to_owned())]
        );
        let list = BTreeMap::from([("ids", vec![3, 4])]);
        let query = StyledQuery::new("f", &list, QueryStyle::DeepObject);
        let pairs = query.pairs().expect("pairs");
        assert_eq!(pairs[1], ("f[ids][1]".to_owned(), "4".to_owned()));
    }

    #[test]
    fn a_deep_object_scalar_is_the_parameter_itself() {
        let query = StyledQuery::new("created", &5, QueryStyle::DeepObject);
        assert_eq!(
            query.pairs(),
            Ok(vec![("created".to_owned(), "5".to_owned())])
        );
    }

    #[test]
    fn nested_values_in_a_delimited_list_are_refused() {
        let nested = [[1]];
        let query = StyledQuery::new("q", &nested, QueryStyle::PipeDelimited);
        assert!(query.pairs().is_err());
    }
}
