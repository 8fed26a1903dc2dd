//! Integers carried in JSON strings (`type: string, format: int64`, the
//! convention of Google's and Huawei Cloud's APIs for `offset`/`limit`):
//! integers in Rust, decimal strings on the wire.

use std::fmt;

/// Why a string is not an integer of its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegerStringError {
    type_name: &'static str,
    problem: String,
}

impl fmt::Display for IntegerStringError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: {}", self.type_name, self.problem)
    }
}

impl std::error::Error for IntegerStringError {}

/// Checks `value` against `[minimum, maximum]` (when given), saying the
/// range in words ("an integer from 1 to 10000") when it is outside.
#[doc(hidden)]
pub fn check_range(
    type_name: &'static str,
    value: i128,
    minimum: Option<i128>,
    maximum: Option<i128>,
    shown: &str,
) -> Result<(), IntegerStringError> {
    let inside = minimum.is_none_or(|min| value >= min) && maximum.is_none_or(|max| value <= max);
    if inside {
        return Ok(());
    }
    Err(range_error(type_name, shown, minimum, maximum))
}

/// Parses a canonical decimal integer: digits, an optional leading `-`, no
/// leading zeros, so that the text re-encodes exactly as received.
#[doc(hidden)]
pub fn parse_canonical(
    type_name: &'static str,
    text: &str,
    minimum: Option<i128>,
    maximum: Option<i128>,
) -> Result<i128, IntegerStringError> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let canonical = !digits.is_empty()
        && digits.len() <= 39
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
        && text != "-0";
    let parsed = canonical.then(|| text.parse::<i128>().ok()).flatten();
    match parsed {
        Some(value) => check_range(type_name, value, minimum, maximum, text).map(|()| value),
        None => Err(range_error(type_name, text, minimum, maximum)),
    }
}

/// The error for `value` outside `[minimum, maximum]`.
#[doc(hidden)]
pub fn range_error(
    type_name: &'static str,
    value: &str,
    minimum: Option<i128>,
    maximum: Option<i128>,
) -> IntegerStringError {
    let range = match (minimum, maximum) {
        (Some(min), Some(max)) => format!("an integer from {min} to {max}"),
        (Some(min), None) => format!("an integer of at least {min}"),
        (None, Some(max)) => format!("an integer of at most {max}"),
        (None, None) => "an integer".to_owned(),
    };
    IntegerStringError {
        type_name,
        problem: format!("`{value}` is not {range}"),
    }
}

/// Checks the text against the spec's `pattern` too, which may say more
/// than the range (a number of digits).
#[doc(hidden)]
pub fn check_pattern(
    constraints: &crate::StringConstraints,
    text: &str,
) -> Result<(), IntegerStringError> {
    constraints.check(text).map_err(|error| IntegerStringError {
        type_name: constraints.type_name,
        problem: error.problem().to_owned(),
    })
}

/// Implements an integer newtype `pub struct Name(T);` that is a decimal
/// string on the wire, within `minimum..=maximum`.
///
/// Every keyword after `format` is optional, as it is in the spec. Each
/// one given is also an associated constant, so code and docs can name the
/// spec's numbers instead of repeating them: `minimum` is `Name::MIN`,
/// `maximum` `Name::MAX` (both of type `T`), `pattern` `Name::PATTERN`,
/// `default` `Name::DEFAULT` (a `Name`; the generator gives it only when
/// the spec's default is valid).
///
/// ```
/// pub struct Limit(u16);
/// bindings_wire::integer_string!(Limit, u16, format: "int32", minimum: 1, maximum: 10000, default: 100);
///
/// let limit = Limit::try_from(100).unwrap();
/// assert_eq!(serde_json::to_string(&limit).unwrap(), "\"100\"");
/// assert_eq!(limit.get(), 100);
/// assert_eq!((Limit::MIN, Limit::MAX, Limit::DEFAULT.get()), (1, 10000, 100));
/// assert!(serde_json::from_str::<Limit>("\"0\"").is_err());
/// assert_eq!(
///     "10001".parse::<Limit>().unwrap_err().to_string(),
///     "invalid Limit: `10001` is not an integer from 1 to 10000"
/// );
/// ```
#[macro_export]
macro_rules! integer_string {
    (
        $name:ident, $repr:ty, format: $format:literal
        $(, minimum: $min:literal)?
        $(, maximum: $max:literal)?
        $(, pattern: $pattern:literal)?
        $(, default: $default:literal)?
        $(,)?
    ) => {
        impl $name {
            $(
                #[doc = concat!("The least value the spec allows (`minimum`): ", stringify!($min), ".")]
                pub const MIN: $repr = $min;
            )?
            $(
                #[doc = concat!("The greatest value the spec allows (`maximum`): ", stringify!($max), ".")]
                pub const MAX: $repr = $max;
            )?
            $(
                #[doc = concat!("The spec's `pattern` for the decimal text: `", $pattern, "`.")]
                pub const PATTERN: &'static str = $pattern;
            )?
            $(
                #[doc = concat!("The value the spec says applies when none is sent (`default`): ", stringify!($default), ".")]
                pub const DEFAULT: Self = Self($default);
            )?

            /// The least value the spec allows, if it says one.
            const MINIMUM: ::std::option::Option<i128> = $crate::integer_string!(@option $($min)?);
            /// The greatest value the spec allows, if it says one.
            const MAXIMUM: ::std::option::Option<i128> = $crate::integer_string!(@option $($max)?);

            /// The spec's `pattern` for the decimal text, if any.
            fn text_constraints() -> &'static $crate::StringConstraints {
                static CONSTRAINTS: $crate::StringConstraints = $crate::StringConstraints::new(
                    stringify!($name),
                    None,
                    None,
                    $crate::integer_string!(@option $($pattern)?),
                );
                &CONSTRAINTS
            }

            /// `value`, if the spec allows it.
            pub fn new(value: $repr) -> ::std::result::Result<Self, $crate::IntegerStringError> {
                $crate::__private::check_range(
                    stringify!($name),
                    i128::from(value),
                    Self::MINIMUM,
                    Self::MAXIMUM,
                    &value.to_string(),
                )?;
                Ok(Self(value))
            }

            /// The integer.
            pub fn get(&self) -> $repr {
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
                *self
            }
        }

        impl ::std::marker::Copy for $name {}

        impl ::std::cmp::PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.0 == other.0
            }
        }

        impl ::std::cmp::Eq for $name {}

        impl ::std::cmp::PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> ::std::option::Option<::std::cmp::Ordering> {
                ::std::option::Option::Some(::std::cmp::Ord::cmp(self, other))
            }
        }

        impl ::std::cmp::Ord for $name {
            fn cmp(&self, other: &Self) -> ::std::cmp::Ordering {
                self.0.cmp(&other.0)
            }
        }

        impl ::std::hash::Hash for $name {
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                self.0.hash(state);
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::IntegerStringError;

            fn from_str(text: &str) -> ::std::result::Result<Self, Self::Err> {
                let value = $crate::__private::parse_canonical(
                    stringify!($name),
                    text,
                    Self::MINIMUM,
                    Self::MAXIMUM,
                )?;
                $crate::__private::check_pattern(Self::text_constraints(), text)?;
                // In range, so it fits unless the range is wider than the type.
                <$repr as ::std::convert::TryFrom<i128>>::try_from(value)
                    .map(Self)
                    .map_err(|_| {
                        $crate::__private::range_error(stringify!($name), text, Self::MINIMUM, Self::MAXIMUM)
                    })
            }
        }

        $crate::integer_string!(@from $name, $repr, i8 i16 i32 i64 isize u8 u16 u32 u64 usize);

        impl ::std::convert::TryFrom<&str> for $name {
            type Error = $crate::IntegerStringError;

            fn try_from(value: &str) -> ::std::result::Result<Self, Self::Error> {
                value.parse()
            }
        }

        impl ::std::convert::TryFrom<::std::string::String> for $name {
            type Error = $crate::IntegerStringError;

            fn try_from(value: ::std::string::String) -> ::std::result::Result<Self, Self::Error> {
                value.parse()
            }
        }

        impl ::std::convert::TryFrom<&::std::string::String> for $name {
            type Error = $crate::IntegerStringError;

            fn try_from(value: &::std::string::String) -> ::std::result::Result<Self, Self::Error> {
                value.parse()
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.collect_str(&self.0)
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let text = <::std::borrow::Cow<'de, str> as $crate::__private::serde::Deserialize>::deserialize(deserializer)?;
                text.parse().map_err(<D::Error as $crate::__private::serde::de::Error>::custom)
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
                let mut schema = $crate::__private::schemars::json_schema!({
                    "type": "string",
                    "format": $format
                });
                if let Some(pattern) = Self::text_constraints().pattern {
                    schema.insert("pattern".into(), pattern.into());
                }
                let number = |bound: ::std::option::Option<i128>| {
                    bound.and_then($crate::__private::serde_json::Number::from_i128)
                };
                if let Some(min) = number(Self::MINIMUM) {
                    schema.insert("minimum".into(), min.into());
                }
                if let Some(max) = number(Self::MAXIMUM) {
                    schema.insert("maximum".into(), max.into());
                }
                schema
            }
        }
    };
    (@option) => { ::std::option::Option::None };
    (@option $value:literal) => { ::std::option::Option::Some($value) };
    (@from $name:ident, $repr:ty, $($source:ty)*) => {
        $(
            impl ::std::convert::TryFrom<$source> for $name {
                type Error = $crate::IntegerStringError;

                fn try_from(value: $source) -> ::std::result::Result<Self, Self::Error> {
                    match <$repr as ::std::convert::TryFrom<$source>>::try_from(value) {
                        Ok(value) => Self::new(value),
                        Err(_) => Err($crate::__private::range_error(
                            stringify!($name),
                            &value.to_string(),
                            Self::MINIMUM,
                            Self::MAXIMUM,
                        )),
                    }
                }
            }
        )*
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    pub struct Celsius(i16);
    crate::integer_string!(Celsius, i16, format: "int16", minimum: -40, pattern: "^-?[0-9]{1,2}$");

    #[test]
    fn each_keyword_given_is_a_constant() {
        assert_eq!(Celsius::MIN, -40);
        assert_eq!(Celsius::PATTERN, "^-?[0-9]{1,2}$");
        assert!("-41".parse::<Celsius>().is_err());
        assert_eq!("-40".parse::<Celsius>().map(|c| c.get()), Ok(Celsius::MIN));
        assert_eq!(
            "100".parse::<Celsius>().map_err(|e| e.to_string()),
            Err("invalid Celsius: `100` does not match the pattern `^-?[0-9]{1,2}$`".to_owned())
        );
    }

    #[test]
    fn only_canonical_decimals_parse() {
        for (text, ok) in [
            ("0", true),
            ("10", true),
            ("-3", true),
            ("007", false),
            ("-0", false),
            ("+1", false),
            ("1e3", false),
            ("", false),
            (" 1", false),
        ] {
            assert_eq!(parse_canonical("T", text, None, None).is_ok(), ok, "{text}");
        }
    }

    #[test]
    fn ranges_are_said_in_words() {
        assert_eq!(
            parse_canonical("Limit", "0", Some(1), Some(10000))
                .expect_err("out of range")
                .to_string(),
            "invalid Limit: `0` is not an integer from 1 to 10000"
        );
        assert_eq!(
            parse_canonical("Offset", "-1", Some(0), None)
                .expect_err("out of range")
                .to_string(),
            "invalid Offset: `-1` is not an integer of at least 0"
        );
    }
}
