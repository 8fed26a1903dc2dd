//! `<api>-mock --send-webhooks URL`: each documented webhook example sent
//! to a consumer, as the API would send it. A webhook `name` goes to
//! `URL` followed by its route (`/name`, percent-encoded), where the
//! generated receiver (`<api>-client`'s `webhooks::router`) serves it.

use std::process::ExitCode;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, Uri, header};
use hyper_util::rt::TokioIo;

/// One documented example of one webhook, as the mock sends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebhookExample {
    /// The webhook's name in the spec.
    pub webhook: &'static str,
    /// The example's name (empty: a value generated from the schema, the
    /// spec showing none).
    pub example: &'static str,
    /// `POST`, usually.
    pub method: &'static str,
    /// Below the consumer's URL: `/` and the webhook's name.
    pub route: &'static str,
    /// The documented media type (empty: no body).
    pub content_type: &'static str,
    pub body: &'static str,
}

/// How long one webhook request may take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Sends every example to `url`; a line per example with the status the
/// consumer answered. Fails when one is not answered 2xx, or `url` is not
/// an `http://` URL.
pub fn send_all(name: &str, url: &str, examples: &[WebhookExample]) -> ExitCode {
    if examples.is_empty() {
        eprintln!("{name}: the spec documents no webhook");
        return ExitCode::FAILURE;
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("{name}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut failed = false;
    for example in examples {
        let shown = match example.example {
            "" => example.webhook.to_owned(),
            named => format!("{} ({named})", example.webhook),
        };
        let sent =
            runtime.block_on(async { tokio::time::timeout(TIMEOUT, send(url, example)).await });
        match sent {
            Ok(Ok(status)) => {
                println!("{shown}: {status}");
                failed |= !(200..300).contains(&status);
            }
            Ok(Err(error)) => {
                eprintln!("{name}: {shown}: {error}");
                failed = true;
            }
            Err(_) => {
                eprintln!("{name}: {shown}: no answer within {}s", TIMEOUT.as_secs());
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The target of `example` below `url`, and the host to connect to.
fn target(url: &str, example: &WebhookExample) -> Result<(Uri, String), String> {
    let base: Uri = url
        .parse()
        .map_err(|error| format!("`{url}` is not a URL: {error}"))?;
    if base.scheme_str() != Some("http") {
        return Err(format!(
            "`{url}`: the mock sends webhooks over http:// only"
        ));
    }
    let authority = base
        .authority()
        .ok_or_else(|| format!("`{url}` names no host"))?;
    let address = format!(
        "{}:{}",
        authority.host(),
        authority.port_u16().unwrap_or(80)
    );
    let path = format!("{}{}", base.path().trim_end_matches('/'), example.route);
    let uri = Uri::builder()
        .scheme("http")
        .authority(authority.as_str())
        .path_and_query(path)
        .build()
        .map_err(|error| format!("`{url}`: {error}"))?;
    Ok((uri, address))
}

async fn send(url: &str, example: &WebhookExample) -> Result<u16, String> {
    let (uri, address) = target(url, example)?;
    let stream = tokio::net::TcpStream::connect(&address)
        .await
        .map_err(|error| format!("cannot connect to {address}: {error}"))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|error| error.to_string())?;
    tokio::spawn(connection);
    // Origin form (`POST /path HTTP/1.1`), the host in its header.
    let mut request = Request::builder()
        .method(example.method)
        .uri(uri.path_and_query().map_or("/", |p| p.as_str()))
        .header(header::HOST, uri.authority().map_or("", |a| a.as_str()));
    if !example.content_type.is_empty() {
        request = request.header(header::CONTENT_TYPE, example.content_type);
    }
    let request = request
        .body(Body::from(example.body))
        .map_err(|error| error.to_string())?;
    let answer = sender
        .send_request(request)
        .await
        .map_err(|error| error.to_string())?;
    Ok(answer.status().as_u16())
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: WebhookExample = WebhookExample {
        webhook: "pet.new",
        example: "",
        method: "POST",
        route: "/pet.new",
        content_type: "application/json",
        body: "{}",
    };

    #[test]
    fn targets_go_below_the_consumers_url() {
        let (uri, address) = target("http://127.0.0.1:9/hooks/", &EXAMPLE).expect("a target");
        assert_eq!(uri.to_string(), "http://127.0.0.1:9/hooks/pet.new");
        assert_eq!(address, "127.0.0.1:9");
        assert!(target("https://example.com", &EXAMPLE).is_err());
        assert!(target("not a url", &EXAMPLE).is_err());
    }

    #[test]
    fn every_example_is_sent_and_its_status_read() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = listener.local_addr().expect("address");
        let server = std::thread::spawn(move || {
            use std::io::{Read as _, Write as _};
            let (mut stream, _) = listener.accept().expect("a connection");
            let mut request = [0u8; 4096];
            let read = stream.read(&mut request).expect("a request");
            let request = String::from_utf8_lossy(&request[..read]).into_owned();
            stream
                .write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
                .expect("an answer");
            request
        });
        let status = send_all("test", &format!("http://{address}"), &[EXAMPLE]);
        let request = server.join().expect("the server");
        assert_eq!(status, ExitCode::SUCCESS);
        assert!(request.starts_with("POST /pet.new HTTP/1.1"), "{request}");
        assert!(
            request.contains("content-type: application/json"),
            "{request}"
        );
    }
}
