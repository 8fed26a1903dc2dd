//! The server router's routes: each spec path as axum can route it, or a
//! located refusal where axum's `Router::route` would panic.
//!
//! OpenAPI lets two paths name the capture at one position apart
//! (`/files/{FileId}` beside `/files/{FolderId}/items`) and put literal
//! text around a capture (`/Accounts/{Sid}.json`); axum's router (matchit)
//! takes neither. So each path gets a route of its own: a capture is named
//! as the first path through that position named it, and a capture with
//! text around it takes the whole segment, the handler checking and
//! stripping the text. Paths the router still cannot tell apart, or that
//! no request can reach, are refused.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Result, bail};

/// A spec path as the router serves it.
pub(super) struct Route {
    /// The path as the spec writes it.
    pub path: String,
    /// The path in the router (axum's syntax, which for captures is
    /// OpenAPI's).
    pub axum: String,
    /// The path parameters whose capture is not simply `{name}`, by name.
    pub captures: BTreeMap<String, Capture>,
}

/// Where a path parameter is in its route's segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Capture {
    /// The capture's name in the route.
    pub route_name: String,
    /// Literal text before the parameter in its segment.
    pub prefix: String,
    /// Literal text after the parameter in its segment.
    pub suffix: String,
}

/// The routes of one router, in the order they are added.
#[derive(Default)]
pub(super) struct Routes {
    /// axum's own router (its `matchit` version), for the conflicts and
    /// captures it refuses.
    matcher: matchit::Router<()>,
    /// The capture name in use after each route prefix.
    capture_names: BTreeMap<String, String>,
    /// Each route with its methods, and the spec path that added each.
    methods: BTreeMap<(String, String), String>,
    added: BTreeSet<String>,
}

impl Routes {
    /// The route of `method path`, added to the router.
    pub fn add(&mut self, path: &str, method: &str) -> Result<Route> {
        let route = self.route_of(path)?;
        let key = (route.axum.clone(), method.to_ascii_lowercase());
        if let Some(other) = self.methods.get(&key)
            && other != path
        {
            bail!(
                "`{} {path}` and `{} {other}` answer the same requests (the server's router \
                 sees both as `{}`), so no router can tell them apart",
                method.to_uppercase(),
                method.to_uppercase(),
                route.axum
            );
        }
        self.methods.insert(key, path.to_owned());
        if self.added.insert(route.axum.clone()) {
            self.matcher.insert(&route.axum, ()).map_err(|error| {
                anyhow::anyhow!(
                    "path `{path}` cannot be served by the server's router (axum, matchit, \
                     as `{}`): {error}",
                    route.axum
                )
            })?;
        }
        Ok(route)
    }

    fn route_of(&mut self, path: &str) -> Result<Route> {
        if !path.starts_with('/') {
            bail!("path `{path}` does not start with `/`, which the server's router (axum) needs");
        }
        if let Some(mark) = path.chars().find(|c| matches!(c, '#' | '?')) {
            bail!(
                "path `{path}` holds `{mark}`, which ends the path of a URL: no request \
                 reaches it"
            );
        }
        let mut axum = String::new();
        let mut captures = BTreeMap::new();
        for segment in path.split('/').skip(1) {
            axum.push('/');
            let Some((prefix, name, suffix)) = capture_of(path, segment)? else {
                axum_07_check(path, segment)?;
                axum.push_str(segment);
                continue;
            };
            let route_name = self
                .capture_names
                .entry(axum.clone())
                .or_insert_with(|| name.to_owned())
                .clone();
            axum.push_str(&format!("{{{route_name}}}"));
            if route_name != name || !prefix.is_empty() || !suffix.is_empty() {
                let capture = Capture {
                    route_name,
                    prefix: prefix.to_owned(),
                    suffix: suffix.to_owned(),
                };
                captures.insert(name.to_owned(), capture);
            }
        }
        Ok(Route {
            path: path.to_owned(),
            axum,
            captures,
        })
    }
}

/// Whether `path` holds the capture `{name}` (OpenAPI requires it of a
/// path parameter; lint's `path-parameter-unused` reports one it lacks,
/// which no request can carry).
pub(super) fn captures(path: &str, name: &str) -> bool {
    path.contains(&format!("{{{name}}}"))
}

/// The capture in `segment` (`pre{name}post`), if any: one at most.
fn capture_of<'s>(path: &str, segment: &'s str) -> Result<Option<(&'s str, &'s str, &'s str)>> {
    let Some((prefix, rest)) = segment.split_once('{') else {
        return Ok(None);
    };
    let Some((name, suffix)) = rest.split_once('}') else {
        bail!("path `{path}`: the segment `{segment}` opens a capture with `{{` it never closes");
    };
    if suffix.contains(['{', '}']) || prefix.contains('}') {
        bail!(
            "path `{path}`: the segment `{segment}` holds more than one parameter, which the \
             server's router cannot split"
        );
    }
    if name.is_empty() || name.starts_with('*') {
        bail!("path `{path}`: the segment `{segment}` has no parameter name the router takes");
    }
    Ok(Some((prefix, name, suffix)))
}

/// axum 0.8 refuses segments of its 0.7 capture syntax (`:id`, `*rest`).
fn axum_07_check(path: &str, segment: &str) -> Result<()> {
    if let Some(mark) = [':', '*'].into_iter().find(|&c| segment.starts_with(c)) {
        bail!(
            "path `{path}`: the segment `{segment}` starts with `{mark}`, which the server's \
             router (axum) takes for a capture of its older syntax and refuses"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Capture, Routes};

    fn refusal(paths: &[&str]) -> Option<String> {
        let mut routes = Routes::default();
        paths.iter().find_map(|path| {
            let error = routes.add(path, "get").err()?;
            Some(error.to_string())
        })
    }

    #[test]
    fn plain_paths_are_their_own_routes() {
        let mut routes = Routes::default();
        for path in ["/a/{x}", "/a/{x}/b", "/a/literal", "/"] {
            let route = routes.add(path, "get").expect("route");
            assert_eq!(route.axum, path);
            assert!(route.captures.is_empty());
        }
        assert!(routes.add("/a/{x}", "post").is_ok());
    }

    #[test]
    fn captures_named_apart_take_the_first_name() {
        let mut routes = Routes::default();
        routes.add("/files/{FileId}", "get").expect("first");
        let route = routes
            .add("/files/{FolderId}/items", "get")
            .expect("second");
        assert_eq!(route.axum, "/files/{FileId}/items");
        let capture = &route.captures["FolderId"];
        assert_eq!(capture.route_name, "FileId");
    }

    #[test]
    fn text_around_a_capture_is_the_handlers_to_strip() {
        let mut routes = Routes::default();
        let route = routes.add("/Accounts/{Sid}.json", "get").expect("route");
        assert_eq!(route.axum, "/Accounts/{Sid}");
        let expected = Capture {
            route_name: "Sid".into(),
            prefix: String::new(),
            suffix: ".json".into(),
        };
        assert_eq!(route.captures["Sid"], expected);
        let calls = routes.add("/Accounts/{AccountSid}/Calls.json", "get");
        assert_eq!(calls.expect("calls").axum, "/Accounts/{Sid}/Calls.json");
    }

    #[test]
    fn paths_one_request_matches_are_refused() {
        let refused = refusal(&["/projects/{id}", "/projects/{uid}"]).unwrap_or_default();
        assert!(refused.contains("answer the same requests"), "{refused}");
        let refused = refusal(&["/a/{x}.json", "/a/{x}.xml"]).unwrap_or_default();
        assert!(refused.contains("answer the same requests"), "{refused}");
    }

    #[test]
    fn two_captures_in_one_segment_are_refused() {
        let refused = refusal(&["/names/{id}.{format}"]).unwrap_or_default();
        assert!(refused.contains("more than one parameter"), "{refused}");
    }

    #[test]
    fn paths_no_request_reaches_are_refused() {
        let refused = refusal(&["/files/{id}#get_shared_link"]).unwrap_or_default();
        assert!(refused.contains("no request reaches it"), "{refused}");
        assert!(refusal(&["a"]).is_some());
    }

    #[test]
    fn segments_of_axum_07_syntax_are_refused() {
        let refused = refusal(&["/a/:id"]).unwrap_or_default();
        assert!(refused.contains("`:id`"), "{refused}");
        assert!(refusal(&["/a/*rest"]).is_some());
    }
}
