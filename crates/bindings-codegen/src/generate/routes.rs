//! The server router's routes: each spec path as axum can route it, or a
//! located refusal where axum's `Router::route` would panic.
//!
//! OpenAPI lets two paths name the capture at one position apart
//! (`/files/{FileId}` beside `/files/{FolderId}/items`), put literal text
//! around a capture (`/Accounts/{Sid}.json`) and put several captures in
//! one segment apart by text (`/names/{nameId}.{outputFormat}`); axum's
//! router (matchit) takes none of them. So each path gets a route of its
//! own: a capture is named as the first path through that position named
//! it, and a segment holding more than one capture takes the whole
//! segment, the handler taking each parameter out of it
//! (`bindings_server::Capture`). A path with a query part (`/key?id={id}` beside
//! `/key?search={pattern}`, Garage's admin API) is served on the route of
//! its path part, and a request goes to the operation whose query keys it
//! carries (the most keys first). Paths the router still cannot tell
//! apart, or that no request can reach, are refused.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Result, bail};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// A spec path as the router serves it.
pub(super) struct Route {
    /// The path as the spec writes it.
    pub path: String,
    /// The path in the router (axum's syntax, which for captures is
    /// OpenAPI's).
    pub axum: String,
    /// The path parameters whose capture is not simply `{name}`, by name.
    pub captures: BTreeMap<String, Capture>,
    /// What the path's query part asks of a request's query, in the
    /// order written (empty without a query part).
    pub query: Vec<QueryKey>,
}

/// One item of a path's query part: a key the request's query must hold.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct QueryKey {
    /// The query key.
    pub key: String,
    /// What its value must be.
    pub value: QueryValue,
}

/// The value of a [`QueryKey`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum QueryValue {
    /// Any value, or none (`?list`).
    Any,
    /// This text (`?beta=true`).
    Literal(String),
    /// The path parameter of this name (`?id={access_key}`).
    Parameter(String),
}

/// Where a path parameter is in its route's segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Capture {
    /// The capture's name in the route.
    pub route_name: String,
    /// The segment as the spec writes it (`{Sid}.json`).
    pub template: String,
}

/// What a request must hold of its query for an operation: a key, and its
/// value where the spec path fixes one.
type Condition = (String, Option<String>);

/// A route, a method and the query conditions of one operation on them.
type RouteKey = (String, String, Vec<Condition>);

/// The routes of one router, in the order they are added.
#[derive(Default)]
pub(super) struct Routes {
    /// axum's own router (its `matchit` version), for the conflicts and
    /// captures it refuses.
    matcher: matchit::Router<()>,
    /// The capture name in use after each route prefix.
    capture_names: BTreeMap<String, String>,
    /// Each route with a method and the query keys it asks for, and the
    /// spec path that added it.
    methods: BTreeMap<RouteKey, String>,
    added: BTreeSet<String>,
}

impl Routes {
    /// The route of `method path`, added to the router.
    pub fn add(&mut self, path: &str, method: &str) -> Result<Route> {
        let route = self.route_of(path)?;
        let key = (
            route.axum.clone(),
            method.to_ascii_lowercase(),
            route.query.iter().map(QueryKey::condition).collect(),
        );
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
        if path.contains('#') {
            bail!(
                "path `{path}` holds `#`, which ends the path of a URL: no request \
                 reaches it"
            );
        }
        let (path_part, query) = match path.split_once('?') {
            Some((path_part, query)) => (path_part, query_keys(path, query)?),
            None => (path, Vec::new()),
        };
        let mut axum = String::new();
        let mut captures = BTreeMap::new();
        // The route names of this route's captures so far: one name once.
        let mut in_route = BTreeSet::new();
        for segment in path_part.split('/').skip(1) {
            axum.push('/');
            let names = captures_of(path, segment)?;
            let Some(name) = names.first().copied() else {
                axum_07_check(path, segment)?;
                axum.push_str(segment);
                continue;
            };
            // A name an earlier capture of the route took through another
            // path (`/Channels/{Sid}`, then `/Channels/{ChannelSid}/Invites/{Sid}`)
            // gets a number: axum reads a capture by name.
            let route_name = self
                .capture_names
                .entry(axum.clone())
                .or_insert_with(|| {
                    let mut unique = name.to_owned();
                    let mut number = 2;
                    while in_route.contains(&unique) {
                        unique = format!("{name}_{number}");
                        number += 1;
                    }
                    unique
                })
                .clone();
            if !in_route.insert(route_name.clone()) {
                bail!(
                    "path `{path}`: two of its captures would be `{{{route_name}}}` in the \
                     server's router, which reads a capture by name"
                );
            }
            axum.push_str(&format!("{{{route_name}}}"));
            if route_name != name || segment != format!("{{{name}}}") {
                for name in names {
                    let capture = Capture {
                        route_name: route_name.clone(),
                        template: segment.to_owned(),
                    };
                    captures.insert(name.to_owned(), capture);
                }
            }
        }
        Ok(Route {
            path: path.to_owned(),
            axum,
            captures,
            query,
        })
    }
}

impl Route {
    /// The route's query conditions as `bindings_server::Operation::query`.
    pub fn query_tokens(&self) -> TokenStream {
        let items = self.query.iter().map(|item| match item.condition() {
            (key, Some(value)) => quote! { (#key, ::std::option::Option::Some(#value)) },
            (key, None) => quote! { (#key, ::std::option::Option::None) },
        });
        quote! { &[#(#items),*] }
    }
}

impl QueryKey {
    /// What a request's query must hold: the key, and its value when
    /// the path fixes one.
    pub fn condition(&self) -> Condition {
        let value = match &self.value {
            QueryValue::Literal(text) => Some(text.clone()),
            QueryValue::Any | QueryValue::Parameter(_) => None,
        };
        (self.key.clone(), value)
    }
}

/// The items of a path's query part (`id={access_key}&list`): a key
/// alone, `key=text` or `key={parameter}`.
fn query_keys(path: &str, query: &str) -> Result<Vec<QueryKey>> {
    let mut keys: Vec<QueryKey> = Vec::new();
    for item in query.split('&') {
        let (key, value) = item.split_once('=').unwrap_or((item, ""));
        let plain = |text: &str| !text.contains(['{', '}', '?', '=', '/']);
        if key.is_empty() || !plain(key) || keys.iter().any(|known| known.key == key) {
            bail!(
                "path `{path}`: the query part's item `{item}` is not a key the server's router \
                 can match (`key`, `key=text` or `key={{parameter}}`, each key once)"
            );
        }
        let value = if value.is_empty() {
            QueryValue::Any
        } else if let Some(name) = value.strip_prefix('{').and_then(|v| v.strip_suffix('}'))
            && !name.is_empty()
            && plain(name)
        {
            QueryValue::Parameter(name.to_owned())
        } else if plain(value) {
            QueryValue::Literal(value.to_owned())
        } else {
            bail!(
                "path `{path}`: the query part's item `{item}` has a value the server's router \
                 cannot match (text, or one `{{parameter}}`)"
            );
        };
        keys.push(QueryKey {
            key: key.to_owned(),
            value,
        });
    }
    Ok(keys)
}

/// The router's `.route(...)` calls: one per route and method, the
/// operations that share one (their paths apart only in the query part)
/// behind a dispatcher that picks by the request's query.
#[derive(Default)]
pub(super) struct AxumRoutes {
    /// (route, method), in the order first added, with the operations on
    /// them.
    groups: Vec<((String, String), Vec<Arm>)>,
}

/// One operation on a route.
struct Arm {
    id: String,
    /// Whether its path has a query part.
    has_query: bool,
    handler: Ident,
}

impl AxumRoutes {
    /// The operation `id` of `route` and `method`, which `handler` serves.
    pub fn add(&mut self, route: &Route, method: &str, id: &str, handler: &Ident) {
        let key = (route.axum.clone(), method.to_ascii_lowercase());
        let arm = Arm {
            id: id.to_owned(),
            has_query: !route.query.is_empty(),
            handler: handler.clone(),
        };
        match self.groups.iter_mut().find(|(known, _)| *known == key) {
            Some((_, arms)) => arms.push(arm),
            None => self.groups.push((key, vec![arm])),
        }
    }

    /// The `.route(...)` calls, and the dispatchers they name.
    pub fn render(&self, trait_name: &Ident) -> (Vec<TokenStream>, Vec<TokenStream>) {
        let mut routes = Vec::new();
        let mut dispatchers = Vec::new();
        let mut names = BTreeSet::new();
        for ((path, method), arms) in &self.groups {
            let method_ident = format_ident!("{method}");
            if let [arm] = arms.as_slice()
                && !arm.has_query
            {
                let handler = &arm.handler;
                routes
                    .push(quote! { .route(#path, ::axum::routing::#method_ident(#handler::<S>)) });
                continue;
            }
            let name = dispatcher_name(&mut names, path, method);
            routes.push(quote! { .route(#path, ::axum::routing::#method_ident(#name::<S>)) });
            dispatchers.push(dispatcher(&name, trait_name, (path, method), arms));
        }
        (routes, dispatchers)
    }
}

/// `dispatch_<method>_<path>`, numbered where two routes' names meet.
fn dispatcher_name(names: &mut BTreeSet<String>, path: &str, method: &str) -> Ident {
    let mut words: Vec<&str> = path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    if words.is_empty() {
        words.push("root");
    }
    let base = format!("dispatch_{method}_{}", words.join("_")).to_ascii_lowercase();
    let mut name = base.clone();
    for number in 2.. {
        if names.insert(name.clone()) {
            break;
        }
        name = format!("{base}_{number}");
    }
    format_ident!("{name}")
}

/// The handler of a route several operations share: each request goes to
/// the operation `bindings_server::Operation::find` says it belongs to
/// (by the query keys it carries), and one that belongs to none gets the
/// not-found answer.
fn dispatcher(
    name: &Ident,
    trait_name: &Ident,
    (path, method): (&str, &str),
    arms: &[Arm],
) -> TokenStream {
    let calls = arms.iter().map(|Arm { id, handler, .. }| {
        quote! {
            ::std::option::Option::Some(#id) => {
                ::axum::handler::Handler::call(#handler::<S>, request, state).await
            }
        }
    });
    let upper = method.to_uppercase();
    let doc = format!(" `{upper} {path}`: the operations on it, told apart by their query keys.");
    quote! {
        #[doc = #doc]
        async fn #name<S: #trait_name>(
            ::axum::extract::State(state): ::axum::extract::State<::std::sync::Arc<S>>,
            request: ::axum::extract::Request,
        ) -> ::axum::response::Response {
            let query = request.uri().query();
            match ::bindings_server::Operation::find(OPERATIONS, #upper, #path, query).map(|op| op.id) {
                #(#calls)*
                _ => not_found(request.method().clone(), request.uri().clone()).await,
            }
        }
    }
}

/// Whether `path` holds the capture `{name}` (OpenAPI requires it of a
/// path parameter; lint's `path-parameter-unused` reports one it lacks,
/// which no request can carry).
pub(super) fn captures(path: &str, name: &str) -> bool {
    path.contains(&format!("{{{name}}}"))
}

/// The captures in `segment` (`pre{name}post`, `{a}.{b}`), in order:
/// each named, and apart from the next by text, so that a segment
/// splits one way (`bindings_server::Capture` says which).
fn captures_of<'s>(path: &str, segment: &'s str) -> Result<Vec<&'s str>> {
    let mut names = Vec::new();
    let mut rest = segment;
    while let Some((text, after)) = rest.split_once('{') {
        if text.contains('}') {
            bail!(
                "path `{path}`: the segment `{segment}` closes a capture with `}}` it never opened"
            );
        }
        if !names.is_empty() && text.is_empty() {
            bail!(
                "path `{path}`: the segment `{segment}` holds two parameters with no text \
                 between them, which no server can tell apart"
            );
        }
        let Some((name, after)) = after.split_once('}') else {
            bail!(
                "path `{path}`: the segment `{segment}` opens a capture with `{{` it never closes"
            );
        };
        if name.is_empty() || name.starts_with('*') || name.contains('{') {
            bail!("path `{path}`: the segment `{segment}` has no parameter name the router takes");
        }
        names.push(name);
        rest = after;
    }
    if rest.contains('}') {
        bail!("path `{path}`: the segment `{segment}` closes a capture with `}}` it never opened");
    }
    Ok(names)
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
    use super::{Capture, QueryKey, QueryValue, Routes};

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

    /// Twilio: `/Channels/{Sid}` first names the capture after
    /// `/Channels/` `Sid`; the invite's own `{Sid}` further on is another
    /// capture, and gets a name of its own.
    #[test]
    fn a_capture_named_like_an_earlier_one_of_its_route_gets_a_name_of_its_own() {
        let mut routes = Routes::default();
        routes
            .add("/Services/{ServiceSid}/Channels/{Sid}", "get")
            .expect("first");
        let route = routes
            .add(
                "/Services/{ServiceSid}/Channels/{ChannelSid}/Invites/{Sid}",
                "get",
            )
            .expect("second");
        assert_eq!(
            route.axum,
            "/Services/{ServiceSid}/Channels/{Sid}/Invites/{Sid_2}"
        );
        assert_eq!(route.captures["ChannelSid"].route_name, "Sid");
        assert_eq!(route.captures["Sid"].route_name, "Sid_2");
    }

    #[test]
    fn text_around_a_capture_is_the_handlers_to_strip() {
        let mut routes = Routes::default();
        let route = routes.add("/Accounts/{Sid}.json", "get").expect("route");
        assert_eq!(route.axum, "/Accounts/{Sid}");
        let expected = Capture {
            route_name: "Sid".into(),
            template: "{Sid}.json".into(),
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
    fn captures_apart_by_text_share_their_segment() {
        let mut routes = Routes::default();
        let route = routes.add("/names/{id}.{format}", "get").expect("route");
        assert_eq!(route.axum, "/names/{id}");
        for name in ["id", "format"] {
            let capture = &route.captures[name];
            assert_eq!(
                (capture.route_name.as_str(), capture.template.as_str()),
                ("id", "{id}.{format}")
            );
        }
    }

    #[test]
    fn segments_that_split_no_one_way_are_refused() {
        let refused = refusal(&["/names/{id}{format}"]).unwrap_or_default();
        assert!(refused.contains("no text between them"), "{refused}");
        for path in ["/a/{x", "/a/x}", "/a/{}", "/a/{x}}"] {
            assert!(refusal(&[path]).is_some(), "{path}");
        }
    }

    #[test]
    fn query_parts_route_on_their_path_part() {
        let mut routes = Routes::default();
        let bare = routes.add("/key", "get").expect("bare");
        assert!(bare.query.is_empty());
        let by_id = routes.add("/key?id={access_key}", "get").expect("by id");
        assert_eq!(by_id.axum, "/key");
        let carried = QueryValue::Parameter("access_key".into());
        assert_eq!(
            (by_id.query[0].key.as_str(), &by_id.query[0].value),
            ("id", &carried)
        );
        let listed = routes.add("/key?list&beta=true", "get").expect("listed");
        let conditions: Vec<_> = listed.query.iter().map(QueryKey::condition).collect();
        assert_eq!(
            conditions,
            [("list".into(), None), ("beta".into(), Some("true".into()))]
        );
    }

    #[test]
    fn query_parts_one_request_matches_are_refused() {
        let refused = refusal(&["/key?id={a}", "/key?id={b}"]).unwrap_or_default();
        assert!(refused.contains("answer the same requests"), "{refused}");
        for path in ["/key?", "/key?{id}", "/key?a&a", "/key?a={b}{c}"] {
            let refused = refusal(&[path]).unwrap_or_default();
            assert!(refused.contains("query part"), "{path}: {refused}");
        }
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
