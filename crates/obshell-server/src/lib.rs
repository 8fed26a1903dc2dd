//! Server trait and axum router for the OceanBase obshell agent's tenant
//! session statistics: serve or mock the API from Rust.
//!
//! [`Obshell`], the inputs, outputs and [`router`] are generated from
//! `openapi/obshell.yaml` into `generated.rs`; this file is hand-written and
//! regeneration never touches it.
//!
//! Implementations return the payload ([`obshell_types::TenantSessionStats`])
//! or the error ([`obshell_types::ApiError`]); the router wraps it in
//! obshell's `OcsAgentResponse` envelope and fills `successful`,
//! `timestamp`, `duration`, `status` and `traceId` itself. A request without
//! `X-OCS-Header` gets 400 `Request.Header.NotFound`, as from obshell.
//!
//! To accept only requests with obshell's encrypted credentials, as an agent
//! with a password does, wrap the router with [`require_password`].
//!
//! ```no_run
//! use obshell_server::*;
//! use obshell_server::obshell_types::{ApiError, TenantSessionStats};
//!
//! struct Agent;
//!
//! impl Obshell for Agent {
//!     async fn get_secret(&self, _: GetSecretInput) -> GetSecretOutput {
//!         GetSecretOutput::Ok(obshell_types::AgentSecret::new(
//!             "127.0.0.1".into(),
//!             2886,
//!             "<base64 PKCS#1 DER>".into(),
//!         ))
//!     }
//!
//!     async fn get_tenant_sessions_stats(&self, input: GetTenantSessionsStatsInput) -> GetTenantSessionsStatsOutput {
//!         if input.name != "t1" {
//!             return GetTenantSessionsStatsOutput::BadRequest(ApiError::new(
//!                 "OB.Tenant.NotExist".into(),
//!                 format!("Tenant '{}' not exist.", input.name),
//!             ));
//!         }
//!         GetTenantSessionsStatsOutput::Ok(TenantSessionStats::new(0, 0, 0.0, vec![], vec![], vec![]))
//!     }
//! }
//!
//! # async fn serve() -> std::io::Result<()> {
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:2886").await?;
//! axum::serve(listener, router(Agent)).await
//! # }
//! ```

mod generated;
mod passwords;

pub use generated::*;
pub use obshell_auth;
pub use obshell_types;
pub use passwords::{AgentAuth, require_password};
