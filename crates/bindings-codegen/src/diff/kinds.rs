//! Every kind of change `diff` reports: a stable id, and what it
//! means for each audience. ARCHITECTURE.md's table is this table.

use serde::Serialize;

/// What a change means for one audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Nothing that worked stops working; documentation, metadata.
    Info,
    /// Everything that worked keeps working.
    Compatible,
    /// Something that worked may stop working.
    Breaking,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Compatible => "compatible",
            Level::Breaking => "breaking",
        }
    }
}

/// One kind of change and its effect on the three audiences: clients of
/// the wire API, servers of the wire API, and Rust code using the
/// generated crates (under the compatibility policy in ARCHITECTURE.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Kind {
    pub id: &'static str,
    pub client: Level,
    pub server: Level,
    pub rust: Level,
    /// One line on what changed, for the table.
    pub what: &'static str,
}

impl Kind {
    /// The most severe of the three effects.
    pub fn worst(&self) -> Level {
        self.client.max(self.server).max(self.rust)
    }
}

use Level::{Breaking as B, Compatible as C, Info as I};

const fn kind(
    id: &'static str,
    client: Level,
    server: Level,
    rust: Level,
    what: &'static str,
) -> Kind {
    Kind {
        id,
        client,
        server,
        rust,
        what,
    }
}

/// Every kind, grouped as the spec is: document, operations, parameters,
/// bodies, responses, schemas (once as a request sees them, once as a
/// response does: a member a client must now send breaks clients, one a
/// server must now send breaks servers).
pub const KINDS: &[Kind] = &[
    kind("api-version-changed", I, I, I, "`info.version` changed"),
    kind("server-added", I, I, C, "a server URL was added"),
    kind(
        "server-removed",
        B,
        I,
        B,
        "a server URL was removed (clients calling it, `server_url` helpers)",
    ),
    kind(
        "component-schema-added",
        I,
        I,
        C,
        "a component schema (a Rust type) was added",
    ),
    kind(
        "component-schema-removed",
        I,
        I,
        B,
        "a component schema (a Rust type) was removed",
    ),
    kind(
        "operation-added",
        C,
        B,
        B,
        "an operation was added (servers must implement it; the server trait gains a method)",
    ),
    kind("operation-removed", B, C, B, "an operation was removed"),
    kind(
        "webhook-added",
        C,
        C,
        I,
        "a webhook (3.1: a request the API sends its consumers) was added",
    ),
    kind(
        "webhook-removed",
        B,
        C,
        I,
        "a webhook was removed (consumers no longer receive it)",
    ),
    kind(
        "webhook-changed",
        B,
        B,
        I,
        "a webhook's request or answers changed (`$ref`s followed); not classified finer yet, so counted breaking",
    ),
    kind(
        "operation-id-changed",
        I,
        I,
        B,
        "an operation's `operationId` changed (Rust method and type names follow it)",
    ),
    kind(
        "operation-deprecated",
        I,
        I,
        I,
        "an operation became deprecated",
    ),
    kind(
        "operation-description-changed",
        I,
        I,
        I,
        "an operation's summary or description changed (rustdoc)",
    ),
    kind(
        "security-requirement-added",
        B,
        C,
        I,
        "an operation now needs credentials it did not",
    ),
    kind(
        "security-requirement-removed",
        C,
        B,
        I,
        "an operation no longer needs credentials (a server still asking refuses conforming clients)",
    ),
    kind(
        "parameter-added-required",
        B,
        C,
        B,
        "a required parameter was added",
    ),
    kind(
        "parameter-added-optional",
        C,
        C,
        C,
        "an optional parameter was added (a builder method and an `Option` field of a `#[non_exhaustive]` input)",
    ),
    kind(
        "parameter-removed",
        C,
        C,
        B,
        "a parameter was removed (servers ignore it; its builder method is gone)",
    ),
    kind(
        "parameter-became-required",
        B,
        C,
        B,
        "a parameter became required",
    ),
    kind(
        "parameter-became-optional",
        C,
        B,
        B,
        "a parameter became optional (servers must do without it)",
    ),
    kind(
        "request-body-added-required",
        B,
        C,
        B,
        "a required request body was added",
    ),
    kind(
        "request-body-added-optional",
        C,
        C,
        B,
        "an optional request body was added",
    ),
    kind(
        "request-body-removed",
        C,
        C,
        B,
        "the request body was removed",
    ),
    kind(
        "request-body-became-required",
        B,
        C,
        B,
        "the request body became required",
    ),
    kind(
        "request-body-became-optional",
        C,
        B,
        B,
        "the request body became optional",
    ),
    kind(
        "request-media-type-added",
        C,
        B,
        C,
        "a request media type was added (servers must read it)",
    ),
    kind(
        "request-media-type-removed",
        B,
        C,
        B,
        "a request media type was removed",
    ),
    kind(
        "response-status-added",
        C,
        C,
        B,
        "a response status was documented (an output variant is added)",
    ),
    kind(
        "response-status-removed",
        C,
        B,
        B,
        "a response status was removed (servers answering it break the contract)",
    ),
    kind(
        "response-media-type-added",
        C,
        C,
        C,
        "a response media type was added beside others",
    ),
    kind(
        "response-media-type-removed",
        B,
        C,
        B,
        "a response media type was removed",
    ),
    kind(
        "response-header-added",
        C,
        C,
        C,
        "a response header was documented (an `Option` field of a `#[non_exhaustive]` headers struct)",
    ),
    kind(
        "response-header-removed",
        B,
        C,
        B,
        "a response header was removed",
    ),
    kind(
        "response-header-became-required",
        C,
        B,
        B,
        "a response header became required (servers must send it; its field is no longer an `Option`)",
    ),
    kind(
        "response-header-became-optional",
        B,
        C,
        B,
        "a response header became optional (clients may miss it)",
    ),
    // Schemas in requests (parameters and request bodies).
    kind(
        "request-type-changed",
        B,
        B,
        B,
        "a request value's type changed",
    ),
    kind(
        "request-format-changed",
        B,
        B,
        B,
        "a request value's format changed (its Rust type changes)",
    ),
    kind(
        "request-became-nullable",
        C,
        B,
        B,
        "a request value may now be null",
    ),
    kind(
        "request-became-non-nullable",
        B,
        C,
        B,
        "a request value may no longer be null",
    ),
    kind(
        "request-enum-value-added",
        C,
        B,
        B,
        "a closed request enum gained a value (servers must accept it; a variant is added)",
    ),
    kind(
        "request-enum-value-removed",
        B,
        C,
        B,
        "a closed request enum lost a value",
    ),
    kind(
        "request-open-enum-value-added",
        C,
        C,
        C,
        "an open (`x-extensible-enum`) request enum gained a known value (a variant of a `#[non_exhaustive]` enum)",
    ),
    kind(
        "request-open-enum-value-removed",
        C,
        C,
        B,
        "an open request enum lost a known value (its variant is gone)",
    ),
    kind(
        "request-constraint-tightened",
        B,
        C,
        I,
        "a request value admits less: a bound, `multipleOf`, `uniqueItems`, `additionalProperties`, a `type` or `enum` or `pattern` where there was none, `items` or a member schema added",
    ),
    kind(
        "request-constraint-loosened",
        C,
        B,
        I,
        "a request value admits more (the reverse of the above)",
    ),
    kind(
        "request-pattern-changed",
        B,
        B,
        I,
        "a request value's pattern changed",
    ),
    kind(
        "request-default-changed",
        B,
        C,
        I,
        "a request value's `default` was added, removed or changed (a client omitting it gets another behaviour)",
    ),
    kind(
        "request-became-read-only",
        B,
        C,
        I,
        "a request member became `readOnly` (clients must stop sending it)",
    ),
    kind(
        "request-no-longer-read-only",
        C,
        B,
        I,
        "a request member is no longer `readOnly` (servers must read it)",
    ),
    kind(
        "request-property-added-required",
        B,
        C,
        B,
        "a required request member was added",
    ),
    kind(
        "request-property-added-optional",
        C,
        C,
        C,
        "an optional request member was added (a field of a `#[non_exhaustive]` struct with setters)",
    ),
    kind(
        "request-property-removed",
        C,
        C,
        B,
        "a request member was removed (servers ignore it; its field is gone)",
    ),
    kind(
        "request-property-became-required",
        B,
        C,
        B,
        "a request member became required",
    ),
    kind(
        "request-property-became-optional",
        C,
        B,
        B,
        "a request member became optional",
    ),
    kind(
        "request-alternative-added",
        C,
        B,
        B,
        "a request `oneOf`/`anyOf` gained an alternative",
    ),
    kind(
        "request-alternative-removed",
        B,
        C,
        B,
        "a request `oneOf`/`anyOf` lost an alternative",
    ),
    // Schemas in responses.
    kind(
        "response-type-changed",
        B,
        B,
        B,
        "a response value's type changed",
    ),
    kind(
        "response-format-changed",
        B,
        B,
        B,
        "a response value's format changed (its Rust type changes)",
    ),
    kind(
        "response-became-nullable",
        B,
        C,
        B,
        "a response value may now be null",
    ),
    kind(
        "response-became-non-nullable",
        C,
        B,
        B,
        "a response value may no longer be null",
    ),
    kind(
        "response-enum-value-added",
        B,
        C,
        B,
        "a closed response enum gained a value (clients refuse it; a variant is added)",
    ),
    kind(
        "response-enum-value-removed",
        C,
        B,
        B,
        "a closed response enum lost a value",
    ),
    kind(
        "response-open-enum-value-added",
        C,
        C,
        C,
        "an open response enum gained a known value (it stops arriving as `Unknown`)",
    ),
    kind(
        "response-open-enum-value-removed",
        C,
        C,
        B,
        "an open response enum lost a known value",
    ),
    kind(
        "response-constraint-tightened",
        C,
        B,
        I,
        "a response value admits less (a bound, `multipleOf`, ...; see the request kind)",
    ),
    kind(
        "response-constraint-loosened",
        B,
        C,
        I,
        "a response value admits more (clients may see values they never did)",
    ),
    kind(
        "response-pattern-changed",
        B,
        B,
        I,
        "a response value's pattern changed",
    ),
    kind(
        "response-default-changed",
        B,
        C,
        I,
        "a response value's `default` was added, removed or changed (a client reading an absent member assumes another value)",
    ),
    kind(
        "response-became-write-only",
        B,
        C,
        I,
        "a response member became `writeOnly` (servers stop sending it)",
    ),
    kind(
        "response-no-longer-write-only",
        C,
        B,
        I,
        "a response member is no longer `writeOnly` (servers must send it as documented)",
    ),
    kind(
        "response-property-added-required",
        C,
        B,
        B,
        "a required response member was added (servers must send it)",
    ),
    kind(
        "response-property-added-optional",
        C,
        C,
        C,
        "an optional response member was added",
    ),
    kind(
        "response-property-removed",
        B,
        C,
        B,
        "a response member was removed",
    ),
    kind(
        "response-property-became-required",
        C,
        B,
        B,
        "a response member became required",
    ),
    kind(
        "response-property-became-optional",
        B,
        C,
        B,
        "a response member became optional (clients may miss it)",
    ),
    kind(
        "response-alternative-added",
        B,
        C,
        B,
        "a response `oneOf`/`anyOf` gained an alternative",
    ),
    kind(
        "response-alternative-removed",
        C,
        B,
        B,
        "a response `oneOf`/`anyOf` lost an alternative",
    ),
    kind(
        "schema-description-changed",
        I,
        I,
        I,
        "a schema or member description changed (rustdoc)",
    ),
];

/// The kind with `id`.
pub fn kind_of(id: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|kind| kind.id == id)
}

/// The table of kinds as markdown, for ARCHITECTURE.md.
pub fn markdown_table() -> String {
    let mut table = String::from(
        "| change id | wire clients | wire servers | Rust code | what |\n|---|---|---|---|---|\n",
    );
    for kind in KINDS {
        table.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            kind.id,
            kind.client.name(),
            kind.server.name(),
            kind.rust.name(),
            kind.what
        ));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for kind in KINDS {
            assert!(seen.insert(kind.id), "{} twice", kind.id);
            assert!(
                kind.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{}",
                kind.id
            );
        }
    }
}
