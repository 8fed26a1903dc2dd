use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, SecondsFormat};

/// An RFC 3339 timestamp that keeps its wire form.
///
/// Servers differ in how they print the same instant (Go trims trailing
/// zeros of the fraction, others pad to milliseconds; offsets vary), so a
/// decoded timestamp re-encodes as the exact text it came from. Build new
/// ones with [`Timestamp::from`] a `DateTime`, or [`Timestamp::now`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Timestamp {
    instant: DateTime<FixedOffset>,
    wire: String,
}

/// Why a string is not an RFC 3339 timestamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError {
    input: String,
    reason: String,
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not an RFC 3339 timestamp: {}",
            self.input, self.reason
        )
    }
}

impl std::error::Error for TimestampError {}

impl Timestamp {
    /// The current time in UTC, with nanoseconds.
    pub fn now() -> Self {
        Self::from(chrono::Utc::now().fixed_offset())
    }

    /// The instant, with the offset it was written in.
    pub fn instant(&self) -> DateTime<FixedOffset> {
        self.instant
    }

    /// The text as it travels on the wire.
    pub fn as_str(&self) -> &str {
        &self.wire
    }
}

impl From<DateTime<FixedOffset>> for Timestamp {
    fn from(instant: DateTime<FixedOffset>) -> Self {
        Timestamp {
            instant,
            wire: instant.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        }
    }
}

impl FromStr for Timestamp {
    type Err = TimestampError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        DateTime::parse_from_rfc3339(text)
            .map(|instant| Timestamp {
                instant,
                wire: text.to_owned(),
            })
            .map_err(|error| TimestampError {
                input: text.to_owned(),
                reason: error.to_string(),
            })
    }
}

crate::formats::wire_text!(Timestamp, "Timestamp", "date-time");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_wire_form() {
        for wire in [
            "2025-10-14T15:16:01.277047628+08:00",
            "2025-10-14T15:16:01.27+08:00",
            "2025-10-14T07:16:01Z",
            "2025-10-14t07:16:01.000z",
        ] {
            let json = format!("\"{wire}\"");
            let ts: Timestamp = serde_json::from_str(&json).expect(wire);
            assert_eq!(serde_json::to_string(&ts).expect("encodes"), json);
        }
    }

    #[test]
    fn parses_the_instant_and_offset() {
        let ts: Timestamp = "2025-10-14T15:16:01.277047628+08:00"
            .parse()
            .expect("valid");
        assert_eq!(ts.instant().offset().local_minus_utc(), 8 * 3600);
        assert_eq!(ts.instant().timestamp_subsec_nanos(), 277_047_628);
    }

    #[test]
    fn rejects_what_is_not_rfc_3339() {
        for bad in ["2025-08-20 07:58:58", "yesterday", "2025-10-14T15:16:01"] {
            let error = bad.parse::<Timestamp>().expect_err(bad);
            assert!(error.to_string().contains(bad));
        }
        assert!(serde_json::from_str::<Timestamp>("1712570404644").is_err());
    }

    #[test]
    fn new_timestamps_print_rfc_3339() {
        let instant = DateTime::parse_from_rfc3339("2025-10-14T15:16:01.5+08:00").expect("valid");
        assert_eq!(
            Timestamp::from(instant).as_str(),
            "2025-10-14T15:16:01.500+08:00"
        );
    }
}
