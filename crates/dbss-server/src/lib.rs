//! Server trait and axum router for Huawei Cloud Database Security Service
//! (DBSS) audit reports and dashboard: serve or mock the API from Rust.
//!
//! [`Dbss`], the inputs, outputs and [`router`] are generated from
//! `openapi/dbss.yaml` into `generated.rs`; this file is hand-written and
//! regeneration never touches it.
//!
//! Implement [`Dbss`] with business logic only. [`router`] validates every
//! request against the spec first: a missing `X-Auth-Token`, a
//! `project_id` outside 32-64 characters, `limit=0` or a body that is not
//! the documented JSON is answered with status 400 and a `DbssError` body
//! (`DBSS.10000001`) without calling the implementation.
//!
//! To accept only requests signed with an access key pair (as DBSS does),
//! wrap the router with [`require_signatures`].
//!
//! ```no_run
//! use dbss_server::*;
//! use dbss_server::dbss_types::{DbssError, ReportClientSessionNew};
//!
//! struct Audit;
//!
//! impl Dbss for Audit {
//!     async fn count_db_client_session(&self, input: CountDbClientSessionInput) -> CountDbClientSessionOutput {
//!         if input.x_auth_token.as_deref() != Some("secret") {
//!             return CountDbClientSessionOutput::Unauthorized(DbssError {
//!                 error_code: Some("DBSS.10020100".into()),
//!                 ..Default::default()
//!             });
//!         }
//!         CountDbClientSessionOutput::Ok(vec![ReportClientSessionNew {
//!             db_ip: Some("100.79.0.248".into()),
//!             session_num: Some(16),
//!             ..Default::default()
//!         }])
//!     }
//!     // The other operations answer "not available" in this sketch.
//!     async fn count_operation_statistics(&self, _: CountOperationStatisticsInput) -> CountOperationStatisticsOutput {
//!         CountOperationStatisticsOutput::Forbidden(DbssError::default())
//!     }
//!     async fn list_audit_summary_infos(&self, _: ListAuditSummaryInfosInput) -> ListAuditSummaryInfosOutput {
//!         ListAuditSummaryInfosOutput::Forbidden(DbssError::default())
//!     }
//!     async fn list_audit_trend_history(&self, _: ListAuditTrendHistoryInput) -> ListAuditTrendHistoryOutput {
//!         ListAuditTrendHistoryOutput::Forbidden(DbssError::default())
//!     }
//! }
//!
//! # async fn serve() -> std::io::Result<()> {
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, router(Audit)).await
//! # }
//! ```

//! # Mocking
//!
//! [`mock::router`] answers every operation with the spec's documented
//! examples, behind the same validation; mount it in a test:
//!
//! ```
//! use tokio::io::{AsyncReadExt, AsyncWriteExt};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! let address = listener.local_addr()?;
//! tokio::spawn(async move { axum::serve(listener, dbss_server::mock::router()).await });
//!
//! let mut stream = tokio::net::TcpStream::connect(address).await?;
//! stream
//!     .write_all(b"GET /v2/b9351f98c724428794ba7d105fa3558d/audit/summary/info HTTP/1.1\r\n\
//!                  Host: localhost\r\nX-Auth-Token: token\r\nConnection: close\r\n\r\n")
//!     .await?;
//! let mut answer = String::new();
//! stream.read_to_string(&mut answer).await?;
//! assert!(answer.starts_with("HTTP/1.1 200"));
//! assert!(answer.contains("DBSS-mysql8-test"), "page 002's example");
//! # Ok(())
//! # }
//! ```

mod generated;
mod signatures;

pub use dbss_types;
pub use generated::*;
pub use huawei_signer;
pub use signatures::{SecretKeys, require_signatures};
