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
    #[cfg(feature = "schemars")]
    pub use schemars;
    pub use serde;
    pub use serde_json;
}

/// A member name as generated `Deserialize` impls read it: borrowed from
/// the input when it can be (no allocation per member), owned when the
/// name had to be unescaped.
#[doc(hidden)]
#[derive(Debug)]
pub struct Key<'de>(std::borrow::Cow<'de, str>);

impl<'de> Key<'de> {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> serde::de::Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a member name")
            }

            fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(value)))
            }

            fn visit_str<E>(self, value: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(value.to_owned())))
            }

            fn visit_string<E>(self, value: String) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(value)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// `Deserialize` for a generated object struct: one pass over the members,
/// each known one decoded into its slot, every other one kept in the
/// `others` field (or skipped when the schema says
/// `additionalProperties: false`). serde's derive with `#[serde(flatten)]`
/// buffers every member first; this reads as fast as a plain struct and
/// loses nothing. Semantics are the derive's: a missing required member
/// is `missing_field`, a repeated one `duplicate_field`, a missing
/// nullable one `None`; `null` for a member that is not nullable is
/// refused by its type.
///
/// ```
/// #[derive(Debug, PartialEq)]
/// pub struct Session {
///     pub ip: String,
///     pub name: Option<Option<String>>,
///     pub others: serde_json::Map<String, serde_json::Value>,
/// }
/// bindings_wire::deserialize_object!(Session,
///     required: ["ip" => ip: String],
///     required_nullable: [],
///     optional: [],
///     optional_nullable: ["name" => name: String],
///     others: (others: serde_json::Value));
///
/// let session: Session = serde_json::from_str(r#"{"ip":"1.2.3.4","name":null,"port":1}"#).unwrap();
/// assert_eq!(session.name, Some(None));
/// assert_eq!(session.others["port"], 1);
/// assert!(serde_json::from_str::<Session>(r#"{"name":"x"}"#).is_err());
/// ```
#[macro_export]
macro_rules! deserialize_object {
    (
        $name:ident,
        required: [$($r_wire:literal => $r_field:ident : $r_ty:ty),* $(,)?],
        required_nullable: [$($n_wire:literal => $n_field:ident : $n_ty:ty),* $(,)?],
        optional: [$($o_wire:literal => $o_field:ident : $o_ty:ty),* $(,)?],
        optional_nullable: [$($p_wire:literal => $p_field:ident : $p_ty:ty),* $(,)?],
        others: ($($others_field:ident : $others_ty:ty)?) $(,)?
    ) => {
        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                struct Members;
                impl<'de> $crate::__private::serde::de::Visitor<'de> for Members {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }

                    #[allow(unused_mut, unused_variables, clippy::match_single_binding)]
                    fn visit_map<A: $crate::__private::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::std::result::Result<$name, A::Error> {
                        use $crate::__private::serde::de::Error as _;
                        $(let mut $r_field: ::std::option::Option<$r_ty> = None;)*
                        $(let mut $n_field: ::std::option::Option<::std::option::Option<$n_ty>> = None;)*
                        $(let mut $o_field: ::std::option::Option<$o_ty> = None;)*
                        $(let mut $p_field: ::std::option::Option<::std::option::Option<$p_ty>> = None;)*
                        $(let mut $others_field = ::std::default::Default::default();)?
                        while let Some(key) = map.next_key::<$crate::Key<'de>>()? {
                            match key.as_str() {
                                $($r_wire => {
                                    if $r_field.is_some() {
                                        return Err(A::Error::duplicate_field($r_wire));
                                    }
                                    $r_field = Some(map.next_value::<$r_ty>()?);
                                })*
                                $($n_wire => {
                                    if $n_field.is_some() {
                                        return Err(A::Error::duplicate_field($n_wire));
                                    }
                                    $n_field = Some(map.next_value::<::std::option::Option<$n_ty>>()?);
                                })*
                                $($o_wire => {
                                    if $o_field.is_some() {
                                        return Err(A::Error::duplicate_field($o_wire));
                                    }
                                    $o_field = Some(map.next_value::<$o_ty>()?);
                                })*
                                $($p_wire => {
                                    if $p_field.is_some() {
                                        return Err(A::Error::duplicate_field($p_wire));
                                    }
                                    $p_field = Some(map.next_value::<::std::option::Option<$p_ty>>()?);
                                })*
                                _ => {
                                    $crate::deserialize_object!(@other map, key $(, $others_field : $others_ty)?);
                                }
                            }
                        }
                        Ok($name {
                            $($r_field: $r_field.ok_or_else(|| A::Error::missing_field($r_wire))?,)*
                            $($n_field: $n_field.unwrap_or(None),)*
                            $($o_field,)*
                            $($p_field,)*
                            $($others_field,)?
                        })
                    }
                }
                deserializer.deserialize_map(Members)
            }
        }
    };
    (@other $map:ident, $key:ident, $others_field:ident : $others_ty:ty) => {
        let value = $map.next_value::<$others_ty>()?;
        ::std::iter::Extend::extend(&mut $others_field, [($key.into_string(), value)]);
    };
    (@other $map:ident, $key:ident) => {
        let _ = $key;
        $map.next_value::<$crate::__private::serde::de::IgnoredAny>()?;
    };
}
