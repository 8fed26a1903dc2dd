//! Enum macros used by generated code.

/// Declares an enum-like string whose set of values is open.
///
/// Each known value gets a variant; any other string decodes to
/// `Unknown(String)` and re-encodes exactly as received, so a value the
/// vendor adds later, or a casing its own example uses, survives a round
/// trip. Matching is exact: `"finished"` is not `"FINISHED"`.
///
/// ```
/// bindings_wire::open_enum! {
///     /// State of a job.
///     pub enum JobStatus {
///         /// Done.
///         Finished = "FINISHED",
///         Running = "RUNNING",
///     }
/// }
/// let status: JobStatus = serde_json::from_str("\"finished\"").unwrap();
/// assert_eq!(status, JobStatus::Unknown("finished".into()));
/// assert_eq!(serde_json::to_string(&status).unwrap(), "\"finished\"");
/// assert_eq!(JobStatus::from("RUNNING"), JobStatus::Running);
/// assert_eq!(JobStatus::KNOWN, ["FINISHED", "RUNNING"]);
/// assert_eq!(JobStatus::ALL, [JobStatus::Finished, JobStatus::Running]);
/// ```
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $value:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        ///
        /// Open: a value a later spec lists becomes a variant of its own, so
        /// matches outside this crate need a wildcard arm (`#[non_exhaustive]`).
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$variant_meta])* #[doc = concat!("`", $value, "`")] $variant, )+
            /// A value this version of the spec does not list, kept as received.
            Unknown(::std::string::String),
        }

        impl $name {
            /// The values the spec lists, as the wire carries them.
            pub const KNOWN: &'static [&'static str] = &[$($value),+];

            /// The variants of the values the spec lists, in its order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The value as it travels on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )+
                    Self::Unknown(other) => other.as_str(),
                }
            }

            /// Whether the value is one the spec lists.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $value => Self::$variant, )+
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    $( $value => Self::$variant, )+
                    _ => Self::Unknown(value),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, ::std::convert::Infallible> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as $crate::__private::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
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
                $crate::__private::schemars::json_schema!({
                    "type": "string",
                    "x-extensible-enum": [$($value),+],
                })
            }
        }
    };
}

/// Declares a closed set of integers that travel as JSON numbers.
///
/// ```
/// bindings_wire::int_enum! {
///     /// Whether to regenerate.
///     pub enum Regenerate: i32 {
///         No = 0,
///         Yes = 1,
///     }
/// }
/// assert_eq!(serde_json::to_string(&Regenerate::Yes).unwrap(), "1");
/// assert!(serde_json::from_str::<Regenerate>("2").is_err());
/// assert_eq!(Regenerate::VALUES, [0, 1]);
/// assert_eq!(Regenerate::ALL, [Regenerate::No, Regenerate::Yes]);
/// // As a parameter carries it.
/// assert_eq!("1".parse::<Regenerate>(), Ok(Regenerate::Yes));
/// assert!("2".parse::<Regenerate>().is_err());
/// assert!("yes".parse::<Regenerate>().is_err());
/// ```
#[macro_export]
macro_rules! int_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident : $repr:ty {
            $( $(#[$variant_meta:meta])* $variant:ident = $value:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$variant_meta])* #[doc = concat!("`", stringify!($value), "`")] $variant, )+
        }

        impl $name {
            /// The values the spec allows.
            pub const VALUES: &'static [$repr] = &[$($value),+];

            /// The variants, in the spec's order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The value as it travels on the wire.
            pub fn value(self) -> $repr {
                match self {
                    $( Self::$variant => $value, )+
                }
            }
        }

        impl ::std::convert::TryFrom<$repr> for $name {
            type Error = ::std::string::String;

            fn try_from(value: $repr) -> ::std::result::Result<Self, ::std::string::String> {
                match value {
                    $( $value => Ok(Self::$variant), )+
                    other => Err(format!(
                        "{} is not an allowed {}; allowed: {:?}",
                        other,
                        stringify!($name),
                        Self::VALUES
                    )),
                }
            }
        }

        impl ::std::convert::From<$name> for $repr {
            fn from(value: $name) -> Self {
                value.value()
            }
        }

        /// The value as a path, query or header parameter carries it.
        impl ::std::str::FromStr for $name {
            type Err = ::std::string::String;

            fn from_str(text: &str) -> ::std::result::Result<Self, ::std::string::String> {
                let value: $repr = text
                    .parse()
                    .map_err(|_| format!("`{}` is not an integer {}", text, stringify!($name)))?;
                Self::try_from(value)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.value(), f)
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::__private::serde::Serialize::serialize(&self.value(), serializer)
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = <$repr as $crate::__private::serde::Deserialize>::deserialize(deserializer)?;
                Self::try_from(value).map_err(<D::Error as $crate::__private::serde::de::Error>::custom)
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
                let format = match stringify!($repr) {
                    "i32" => "int32",
                    _ => "int64",
                };
                $crate::__private::schemars::json_schema!({
                    "type": "integer",
                    "format": format,
                    "enum": [$($value),+],
                })
            }
        }
    };
}
