//! Server trait and axum router for Huawei Cloud Database Security Service
//! (DBSS) audit reports and dashboard: serve or mock the API from Rust.
//!
//! [`Dbss`], the inputs, outputs and [`router`] are generated from
//! `openapi/dbss.yaml` into `generated.rs`; this file is hand-written and
//! regeneration never touches it.
//!
//! Implement [`Dbss`] with business logic only. [`router`] validates every
//! request against the spec first: a `project_id` outside 32-64
//! characters, `limit=0` or a body that is not the documented JSON is
//! answered with status 400 and a `DbssError` body (`DBSS.10000001`), and a
//! request without credentials with the API gateway's 401 `APIGW.0301`
//! (403 where the operation documents no 401), without calling the
//! implementation.
//!
//! The router checks only that credentials are present. To check them,
//! wrap it with [`require_credentials`] (or [`require_token`],
//! [`require_signatures`]): tokens compare in constant time, signatures
//! verify with `SDK-HMAC-SHA256`, and a wrong credential gets the
//! documented 401 `DBSS.10020100`.
//!
//! ```no_run
//! use dbss_server::*;
//! use dbss_server::dbss_types::{DbssError, ReportClientSessionNew};
//!
//! struct Audit;
//!
//! impl Dbss for Audit {
//!     async fn count_db_client_session(&self, _: CountDbClientSessionInput) -> CountDbClientSessionOutput {
//!         // Generated structs are built with `new` (required members) and
//!         // `with_*` setters, so a member a later spec adds breaks nothing.
//!         CountDbClientSessionOutput::Ok(vec![ReportClientSessionNew::new()
//!             .with_db_ip("100.79.0.248".into())
//!             .with_session_num(16)])
//!     }
//!     // The other operations answer "not available" in this sketch. An
//!     // answer with documented headers (`X-Request-Id` on errors) carries
//!     // them in `headers`; the router writes the ones that are set.
//!     async fn count_operation_statistics(&self, _: CountOperationStatisticsInput) -> CountOperationStatisticsOutput {
//!         CountOperationStatisticsOutput::Forbidden { body: DbssError::default(), headers: Default::default() }
//!     }
//!     async fn list_audit_summary_infos(&self, _: ListAuditSummaryInfosInput) -> ListAuditSummaryInfosOutput {
//!         ListAuditSummaryInfosOutput::Forbidden { body: DbssError::default(), headers: Default::default() }
//!     }
//!     async fn list_audit_trend_history(&self, _: ListAuditTrendHistoryInput) -> ListAuditTrendHistoryOutput {
//!         ListAuditTrendHistoryOutput::Forbidden { body: DbssError::default(), headers: Default::default() }
//!     }
//! }
//!
//! # async fn serve() -> std::io::Result<()> {
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! let token = std::env::var("DBSS_TOKEN").unwrap_or_default();
//! axum::serve(listener, require_token(router(Audit), token)).await
//! # }
//! ```

// The mocking section documents the `mock` feature, and its example runs only with it.
#![cfg_attr(feature = "mock", doc = include_str!("mocking.md"))]

mod credentials;
mod generated;

pub use credentials::{
    Accepted, SecretKeys, SingleKey, require_credentials, require_signatures, require_token,
};
pub use dbss_types;
pub use generated::*;
pub use huawei_signer;
