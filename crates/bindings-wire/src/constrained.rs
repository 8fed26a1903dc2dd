//! Strings that must satisfy a spec's `minLength`, `maxLength` and `pattern`.

use std::fmt;
use std::sync::OnceLock;

/// The constraints of one string schema. Lengths count Unicode scalar
/// values, as JSON Schema does.
#[derive(Debug)]
pub struct StringConstraints {
    pub type_name: &'static str,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<&'static str>,
    #[doc(hidden)]
    pub compiled: OnceLock<Result<regress::Regex, String>>,
}

/// Why a string does not satisfy its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstraintError {
    type_name: &'static str,
    problem: String,
}

impl ConstraintError {
    /// What is wrong, without the type name.
    pub fn problem(&self) -> &str {
        &self.problem
    }
}

impl fmt::Display for ConstraintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: {}", self.type_name, self.problem)
    }
}

impl std::error::Error for ConstraintError {}

impl StringConstraints {
    /// Constraints for `type_name`; use in a `static`.
    pub const fn new(
        type_name: &'static str,
        min_length: Option<usize>,
        max_length: Option<usize>,
        pattern: Option<&'static str>,
    ) -> Self {
        StringConstraints {
            type_name,
            min_length,
            max_length,
            pattern,
            compiled: OnceLock::new(),
        }
    }

    /// Checks `value` against every constraint.
    pub fn check(&self, value: &str) -> Result<(), ConstraintError> {
        let fail = |problem: String| {
            Err(ConstraintError {
                type_name: self.type_name,
                problem,
            })
        };
        let length = value.chars().count();
        if let Some(min) = self.min_length
            && length < min
        {
            return fail(format!(
                "{length} characters, fewer than the minimum of {min}"
            ));
        }
        if let Some(max) = self.max_length
            && length > max
        {
            return fail(format!(
                "{length} characters, more than the maximum of {max}"
            ));
        }
        if let Some(pattern) = self.pattern {
            // ECMA-262, as JSON Schema says (look-around included), and
            // unanchored. The generator compiled the pattern already; a
            // failure here still rejects the value rather than panicking.
            match self
                .compiled
                .get_or_init(|| regress::Regex::new(pattern).map_err(|e| e.to_string()))
            {
                Ok(regex) if regex.find(value).is_some() => {}
                Ok(_) => return fail(format!("`{value}` does not match the pattern `{pattern}`")),
                Err(error) => {
                    return fail(format!("the pattern `{pattern}` does not compile: {error}"));
                }
            }
        }
        Ok(())
    }
}

/// Implements a validated string newtype `pub struct Name(String);`.
///
/// Every keyword is optional, as it is in the spec. Each one given is also
/// an associated constant, so code and docs can name the spec's numbers
/// instead of repeating them: `Name::MIN_LENGTH`, `Name::MAX_LENGTH`
/// (`usize`, in characters) and `Name::PATTERN`.
///
/// ```
/// pub struct ProjectId(String);
/// bindings_wire::constrained_string!(ProjectId, min_length: 2, max_length: 4, pattern: "^[a-z]+$");
///
/// assert!(ProjectId::new("abc").is_ok());
/// assert!(ProjectId::new("a").is_err());
/// assert!(ProjectId::new("ABC").is_err());
/// assert!(serde_json::from_str::<ProjectId>("\"abcde\"").is_err());
/// assert_eq!(ProjectId::new("b".repeat(ProjectId::MAX_LENGTH)).map(|id| id.len()), Ok(4));
/// ```
#[macro_export]
macro_rules! constrained_string {
    (
        $name:ident
        $(, min_length: $min:literal)?
        $(, max_length: $max:literal)?
        $(, pattern: $pattern:literal)?
        $(,)?
    ) => {
        impl $name {
            $(
                #[doc = concat!("The fewest characters the spec allows (`minLength`): ", stringify!($min), ".")]
                pub const MIN_LENGTH: usize = $min;
            )?
            $(
                #[doc = concat!("The most characters the spec allows (`maxLength`): ", stringify!($max), ".")]
                pub const MAX_LENGTH: usize = $max;
            )?
            $(
                #[doc = concat!("The spec's `pattern`: `", $pattern, "`.")]
                pub const PATTERN: &'static str = $pattern;
            )?

            /// The constraints the spec puts on this string.
            pub fn constraints() -> &'static $crate::StringConstraints {
                static CONSTRAINTS: $crate::StringConstraints = $crate::StringConstraints::new(
                    stringify!($name),
                    $crate::constrained_string!(@option $($min)?),
                    $crate::constrained_string!(@option $($max)?),
                    $crate::constrained_string!(@option $($pattern)?),
                );
                &CONSTRAINTS
            }

            /// Validates `value` against the spec's constraints.
            pub fn new(
                value: impl ::std::convert::Into<::std::string::String>,
            ) -> ::std::result::Result<Self, $crate::ConstraintError> {
                let value = value.into();
                Self::constraints().check(&value)?;
                Ok(Self(value))
            }

            /// The string.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The string, by value.
            pub fn into_inner(self) -> ::std::string::String {
                self.0
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.0, f)
            }
        }

        impl ::std::clone::Clone for $name {
            fn clone(&self) -> Self {
                Self(self.0.clone())
            }
        }

        impl ::std::cmp::PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.0 == other.0
            }
        }

        impl ::std::cmp::Eq for $name {}

        impl ::std::hash::Hash for $name {
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                self.0.hash(state);
            }
        }

        impl ::std::ops::Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::ConstraintError;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Self::new(value)
            }
        }

        impl ::std::convert::TryFrom<&str> for $name {
            type Error = $crate::ConstraintError;

            fn try_from(value: &str) -> ::std::result::Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl ::std::convert::TryFrom<&::std::string::String> for $name {
            type Error = $crate::ConstraintError;

            fn try_from(value: &::std::string::String) -> ::std::result::Result<Self, Self::Error> {
                Self::new(value.as_str())
            }
        }

        impl ::std::convert::TryFrom<::std::string::String> for $name {
            type Error = $crate::ConstraintError;

            fn try_from(value: ::std::string::String) -> ::std::result::Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl ::std::convert::From<$name> for ::std::string::String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as $crate::__private::serde::Deserialize>::deserialize(deserializer)?;
                Self::new(value).map_err(<D::Error as $crate::__private::serde::de::Error>::custom)
            }
        }

        #[cfg(feature = "schemars")]

        impl $crate::__private::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(
                _: &mut $crate::__private::schemars::SchemaGenerator,
            ) -> $crate::__private::schemars::Schema {
                let constraints = Self::constraints();
                let mut schema = $crate::__private::schemars::json_schema!({ "type": "string" });
                if let Some(min) = constraints.min_length {
                    schema.insert("minLength".into(), min.into());
                }
                if let Some(max) = constraints.max_length {
                    schema.insert("maxLength".into(), max.into());
                }
                if let Some(pattern) = constraints.pattern {
                    schema.insert("pattern".into(), pattern.into());
                }
                schema
            }
        }
    };
    (@option) => { ::std::option::Option::None };
    (@option $value:literal) => { ::std::option::Option::Some($value) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_characters() {
        let c = StringConstraints::new("T", Some(2), Some(3), None);
        assert!(c.check("äö").is_ok());
        assert_eq!(
            c.check("a").map_err(|e| e.to_string()),
            Err("invalid T: 1 characters, fewer than the minimum of 2".into())
        );
        assert!(c.check("abcd").is_err());
    }

    #[test]
    fn patterns_are_anchored_as_written() {
        let c = StringConstraints::new("Limit", None, None, Some("^([1-9][0-9]{0,3}|10000)$"));
        for ok in ["1", "100", "9999", "10000"] {
            assert!(c.check(ok).is_ok(), "{ok}");
        }
        for bad in ["0", "10001", "01", "", "-1", "1e3"] {
            assert!(c.check(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_broken_pattern_rejects_instead_of_panicking() {
        let c = StringConstraints::new("T", None, None, Some("("));
        assert!(c.check("x").is_err());
    }
}
