//! URLs with credentials in them (`http://user:password@host`) made safe
//! to print: whatever precedes the `@` of an authority becomes `***`.

/// `text` with the userinfo of every URL in it replaced by `***`:
/// `http://admin:pw@host/x` becomes `http://***@host/x`. Works on any
/// text (an error message quoting a URL, a URL that does not parse), so
/// that no message, help text or log line shows a password given in a URL.
pub fn redact_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (before, after) = rest.split_at(at + 3);
        out.push_str(before);
        let end = after
            .find(|c: char| matches!(c, '/' | '?' | '#' | '\\') || c.is_whitespace())
            .unwrap_or(after.len());
        let (authority, tail) = after.split_at(end);
        match authority.rfind('@') {
            Some(userinfo_end) => {
                out.push_str("***");
                out.push_str(&authority[userinfo_end..]);
            }
            None => out.push_str(authority),
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// Whether the authority of the URL `text` holds an `@` (userinfo, even
/// an empty user name: `http://:pw@host`, `http://@host`).
#[cfg(feature = "cli")]
pub(crate) fn has_userinfo(text: &str) -> bool {
    let after = text.split_once("://").map_or(text, |(_, after)| after);
    let end = after.find(['/', '?', '#', '\\']).unwrap_or(after.len());
    after[..end].contains('@')
}

/// `text`, a URL given by a user, safe to print: [`redact_urls`], and for
/// text without a scheme (`admin:pw@host`), whatever precedes its `@`.
#[cfg(feature = "cli")]
pub(crate) fn redact_given_url(text: &str) -> String {
    if text.contains("://") || !has_userinfo(text) {
        return redact_urls(text);
    }
    match text.rfind('@') {
        Some(at) => format!("***{}", &text[at..]),
        None => text.to_owned(),
    }
}
