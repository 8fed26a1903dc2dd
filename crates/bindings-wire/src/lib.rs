//! Wire-format building blocks shared by the generated `*-types` crates.
//!
//! Generated code invokes the macros here instead of spelling out trait
//! impls, so the behaviour (and its tests) lives in one hand-written place:
//!
//! - [`Timestamp`], [`Date`], [`Uuid`]: string formats, checked, re-encoded exactly as received.
//! - [`open_enum!`]: known values plus a catch-all that keeps any other string.
//! - [`int_enum!`]: closed integer enums, on the wire as JSON numbers.
//! - [`constrained_string!`]: strings validated against length and pattern.
//! - [`double_option`]: `Option<Option<T>>` fields that keep absent and `null` apart.
//! - [`double`]: doubles written as their producers write them (`0`, not `0.0`).
//! - [`non_null`]: optional members that refuse `null` unless the spec makes them nullable.

mod constrained;
pub mod double;
mod enums;
mod formats;
mod integer_string;
pub mod non_null;
mod timestamp;

pub use constrained::{ConstraintError, StringConstraints};
pub use formats::{Date, FormatError, Uuid};
pub use integer_string::IntegerStringError;
pub use timestamp::{Timestamp, TimestampError};

/// Serde helpers for `Option<Option<T>>` members: absent stays absent
/// (`None`), `null` stays `null` (`Some(None)`). Use with
/// `#[serde(default, skip_serializing_if = "Option::is_none", with = "bindings_wire::double_option")]`.
pub use serde_with::rust::double_option;

#[doc(hidden)]
pub mod __private {
    pub use crate::integer_string::{check_pattern, check_range, parse_canonical, range_error};
    pub use schemars;
    pub use serde;
    pub use serde_json;
}
