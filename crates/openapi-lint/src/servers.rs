//! Server URLs: the document's, a path item's and an operation's.

use super::{Report, Rule};

/// Every `servers` list's URLs that end in `/` (other than `/` itself):
/// a path starts with `/`, so the joined URL holds `//`, which servers
/// and clients read differently.
pub(super) fn check(report: &mut Report<'_>) {
    let root = report.root();
    let mut lists = vec![("/servers".to_owned(), &root["servers"])];
    for (path, item) in root["paths"].as_object().into_iter().flatten() {
        let at = format!("/paths/{}", openapi_source::escape_token(path));
        lists.push((format!("{at}/servers"), &item["servers"]));
        for method in openapi_source::version::METHODS {
            lists.push((format!("{at}/{method}/servers"), &item[*method]["servers"]));
        }
    }
    for (pointer, servers) in lists {
        for (index, server) in servers.as_array().into_iter().flatten().enumerate() {
            let Some(url) = server["url"].as_str() else {
                continue;
            };
            if url.len() > 1 && url.ends_with('/') {
                report.at(
                    &format!("{pointer}/{index}/url"),
                    Rule::ServerTrailingSlash,
                    format!("server URL `{url}` ends in `/`: every path starts with `/`, so the URL of each operation holds `//`; leave the trailing `/` out"),
                );
            }
        }
    }
}
