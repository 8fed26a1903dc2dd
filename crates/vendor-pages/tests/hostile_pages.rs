//! Hostile pages are normal input: mutated seed pages (text) and mutated
//! corpus pages (HTML, rst; when `corpus/pages/files` is synced) never
//! panic and are read in bounded time.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use vendor_pages::page::{Format, parse_as};

fn samples() -> Vec<(Format, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut add = |path: PathBuf, format: Format| {
        if let Ok(text) = std::fs::read_to_string(&path) {
            out.push((format, text));
        }
    };
    for name in ["widgets-clean.txt", "gadget-clean.txt"] {
        add(root.join("tests/docs-pages").join(name), Format::Text);
    }
    add(
        root.join("../../../shared/seeds/000_49b27cbb744f4f91.txt"),
        Format::Text,
    );
    let files = root.join("../../corpus/pages/files");
    add(files.join("ecs-creating-an-ecs-group.html"), Format::Html);
    add(files.join("elb-adding-a-listener.html"), Format::Html);
    add(
        files.join("evs-changing-the-evs-disk-type.rst"),
        Format::Rst,
    );
    add(
        files.join("rds-changing-a-floating-ip-address.rst"),
        Format::Rst,
    );
    out
}

/// `text` with `edits` applied: each cuts, duplicates or overwrites a span
/// (at a char boundary) with markup-significant fragments.
fn mutate(text: &str, edits: &[(usize, usize, u8)]) -> String {
    const PIECES: &[&str] = &[
        "<table><tr><td>",
        "</td></tr>",
        "<caption>Table 9 x</caption>",
        "+---+---+\n| a | b |\n",
        "=== ===\n",
        ".. table:: **Table 2** y\n\n",
        "\n   ",
        "|",
        "{",
        "[",
        "Table 3",
        "Status code: 500\n",
        "GET /v1/{a}?b={b}\n",
        "`",
        "*",
        "\\",
        "<div><div><div>",
        "Array of",
        "\u{feff}",
        "\u{0301}",
    ];
    let mut out: Vec<char> = text.chars().collect();
    for &(at, len, piece) in edits {
        if out.is_empty() {
            break;
        }
        let at = at % out.len();
        let end = (at + len % 200).min(out.len());
        match piece % 3 {
            0 => {
                out.drain(at..end);
            }
            1 => {
                let span: Vec<char> = out[at..end].to_vec();
                out.splice(at..at, span);
            }
            _ => {
                let fragment = PIECES[piece as usize % PIECES.len()];
                out.splice(at..end, fragment.chars());
            }
        }
    }
    out.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn mutated_pages_never_panic_and_finish(
        edits in proptest::collection::vec((any::<usize>(), any::<usize>(), any::<u8>()), 1..12)
    ) {
        for (format, text) in samples() {
            let page = mutate(&text, &edits);
            let start = Instant::now();
            if let Ok(parsed) = parse_as(&page, format) {
                let _ = vendor_pages::import(&parsed);
            }
            prop_assert!(start.elapsed() < Duration::from_secs(5), "{format:?} took {:?}", start.elapsed());
        }
    }
}

#[test]
fn deep_and_wide_markup_is_bounded() {
    let deep = format!("<h1>t</h1><p>GET /v1/x</p>{}", "<div>".repeat(50_000));
    let wide = format!(
        "<h1>t</h1><p>GET /v1/x</p><h4>Request</h4><table><tr><th>Parameter</th><th>Type</th><th>Description</th></tr>{}</table>",
        "<tr><td rowspan=\"99999\" colspan=\"99999\">a</td></tr>".repeat(5_000)
    );
    let grid = format!("GET /v1/x\n\n{}", "+-+\n|a|\n".repeat(50_000));
    for (format, page) in [
        (Format::Html, deep),
        (Format::Html, wide),
        (Format::Rst, grid),
    ] {
        let start = Instant::now();
        if let Ok(parsed) = parse_as(&page, format) {
            let _ = vendor_pages::import(&parsed);
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{format:?}: {:?}",
            start.elapsed()
        );
    }
}
