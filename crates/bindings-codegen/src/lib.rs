//! The generator and the spec diff.
//!
//! - [`generate`]: one normalised model of a spec ([`generate::load_model`])
//!   rendered into three crates: `<api>-types` (serde types), `<api>-client`
//!   (progenitor's client over those types, with a command line) and
//!   `<api>-server` (an axum router over a trait with one method per
//!   operation, and a mock). [`generate::SupportCheck`] is the generator's
//!   own lint check (rules `generator-support`, `generator-untyped`,
//!   `generator-default-dropped`, `generator-varnames-ignored`,
//!   `generator-body-unchecked`,
//!   `server-refusal-undocumented`, `form-body-ambiguous`,
//!   `integer-range-unstated`, `not-found-undocumented`,
//!   `discriminator-value-contradiction`, `discriminator-property-optional`,
//!   `success-is-upgrade`, `identifier-wider-than-parameter`,
//!   `nullable-enum-without-null`, `object-type-implied`,
//!   `keyword-of-another-type`, `framing-header-parameter` and
//!   `reserved-header-parameter`).
//! - [`diff`]: every change between two versions of a spec, each with its
//!   effect on wire clients, wire servers and Rust code (the compatibility
//!   policy).

pub mod diff;
pub mod generate;
