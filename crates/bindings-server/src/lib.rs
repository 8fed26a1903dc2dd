//! Runtime of the generated `*-server` crates.
//!
//! A generated handler turns a request into its operation's typed input
//! with the helpers here; each failure is a [`Problem`] that the generated
//! code answers with the spec's documented error status and body
//! (the spec's `x-request-errors`). Responses go out through [`respond`],
//! which wraps them in the API's [`Envelope`] when it has one.

mod envelope;
mod request;

pub use envelope::{Envelope, Fill, Member, WireError, decode_body, respond, respond_json};
pub use request::{
    FromParam, Problem, ProblemKind, header, json_body, path_param, query_pairs, query_param,
    required_header, required_query_param,
};
