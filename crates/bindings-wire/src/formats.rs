//! String formats that keep their wire text: a decoded value re-encodes as
//! the exact text it came from (`A0B1...` stays uppercase, which a parsed
//! `uuid::Uuid` would print in lowercase), and is checked on the way in.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

/// Why a string is not of the format its schema names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    input: String,
    format: &'static str,
    reason: String,
}

impl FormatError {
    pub(crate) fn new(input: &str, format: &'static str, reason: impl fmt::Display) -> Self {
        FormatError {
            input: input.chars().take(64).collect(),
            format,
            reason: reason.to_string(),
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not {}: {}",
            self.input, self.format, self.reason
        )
    }
}

impl std::error::Error for FormatError {}

/// Implements `Display`, serde and schemars for a type that keeps its wire
/// text in `self.wire` and parses with `FromStr`.
macro_rules! wire_text {
    ($type:ty, $name:literal, $format:literal) => {
        impl ::std::fmt::Display for $type {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.wire)
            }
        }

        impl ::serde::Serialize for $type {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.wire)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $type {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let text = ::std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
                text.parse().map_err(::serde::de::Error::custom)
            }
        }

        #[cfg(feature = "schemars")]

        impl ::schemars::JsonSchema for $type {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                $name.into()
            }

            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!({ "type": "string", "format": $format })
            }
        }
    };
}
pub(crate) use wire_text;

/// An RFC 3339 `full-date` (`format: date`, `2025-10-14`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    date: NaiveDate,
    wire: String,
}

impl Date {
    /// The calendar date.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// The text as it travels on the wire.
    pub fn as_str(&self) -> &str {
        &self.wire
    }
}

impl From<NaiveDate> for Date {
    fn from(date: NaiveDate) -> Self {
        Date {
            date,
            wire: date.format("%Y-%m-%d").to_string(),
        }
    }
}

impl FromStr for Date {
    type Err = FormatError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        // RFC 3339 full-date is exactly `YYYY-MM-DD`; chrono alone would
        // also take `2025-1-4`.
        let shaped = text.len() == 10
            && text.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        if !shaped {
            return Err(FormatError::new(text, "a date", "expected YYYY-MM-DD"));
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(|date| Date {
                date,
                wire: text.to_owned(),
            })
            .map_err(|error| FormatError::new(text, "a date", error))
    }
}

wire_text!(Date, "Date", "date");

/// A UUID (`format: uuid`) in its 36-character hyphenated form, any case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uuid {
    value: u128,
    wire: String,
}

impl Uuid {
    /// The 128 bits, most significant first as written.
    pub fn as_u128(&self) -> u128 {
        self.value
    }

    /// The 16 bytes, in the order written.
    pub fn to_bytes(&self) -> [u8; 16] {
        self.value.to_be_bytes()
    }

    /// The text as it travels on the wire.
    pub fn as_str(&self) -> &str {
        &self.wire
    }
}

impl From<u128> for Uuid {
    fn from(value: u128) -> Self {
        let hex = format!("{value:032x}");
        let wire = format!(
            "{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..]
        );
        Uuid { value, wire }
    }
}

impl FromStr for Uuid {
    type Err = FormatError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bytes = text.as_bytes();
        let shaped = bytes.len() == 36
            && bytes.iter().enumerate().all(|(i, b)| match i {
                8 | 13 | 18 | 23 => *b == b'-',
                _ => b.is_ascii_hexdigit(),
            });
        if !shaped {
            return Err(FormatError::new(
                text,
                "a UUID",
                "expected 8-4-4-4-12 hexadecimal digits",
            ));
        }
        let digits: String = text.chars().filter(|c| *c != '-').collect();
        u128::from_str_radix(&digits, 16)
            .map(|value| Uuid {
                value,
                wire: text.to_owned(),
            })
            .map_err(|error| FormatError::new(text, "a UUID", error))
    }
}

wire_text!(Uuid, "Uuid", "uuid");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_their_text_and_refuse_other_shapes() {
        let date: Date = serde_json::from_str("\"2024-02-29\"").expect("a leap day");
        assert_eq!(
            date.date(),
            NaiveDate::from_ymd_opt(2024, 2, 29).expect("valid")
        );
        assert_eq!(
            serde_json::to_string(&date).expect("encodes"),
            "\"2024-02-29\""
        );
        for bad in [
            "2023-02-29",
            "2025-1-4",
            "2025-10-14T00:00:00Z",
            "",
            "２０２５-10-14",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        assert_eq!(
            Date::from(NaiveDate::from_ymd_opt(7, 1, 2).expect("valid")).as_str(),
            "0007-01-02"
        );
    }

    #[test]
    fn uuids_keep_their_case() {
        let wire = "\"A0B1C2D3-0000-4000-8000-00000000000F\"";
        let uuid: Uuid = serde_json::from_str(wire).expect("a UUID");
        assert_eq!(serde_json::to_string(&uuid).expect("encodes"), wire);
        assert_eq!(uuid.to_bytes()[0], 0xa0);
        assert_eq!(uuid.as_u128() & 0xf, 0xf);
        assert_eq!(
            Uuid::from(uuid.as_u128()).as_str(),
            "a0b1c2d3-0000-4000-8000-00000000000f"
        );
        for bad in [
            "a0b1c2d3000040008000000000000000",
            "g0b1c2d3-0000-4000-8000-00000000000f",
            "",
            "+0b1c2d3-0000-4000-8000-00000000000f",
        ] {
            assert!(bad.parse::<Uuid>().is_err(), "{bad}");
        }
    }
}
