//! `redact_urls`: the userinfo of every URL in a text becomes `***`.

use bindings_client::redact_urls;

#[test]
fn user_and_password_become_stars() {
    assert_eq!(redact_urls("http://admin:pw@host/x"), "http://***@host/x");
}

#[test]
fn an_empty_user_name_is_redacted_too() {
    assert_eq!(redact_urls("http://:pw@host"), "http://***@host");
}

#[test]
fn every_url_of_a_message_is_redacted() {
    assert_eq!(
        redact_urls("error sending request for url (https://a:b@h:1/p?q=@) and http://c@d"),
        "error sending request for url (https://***@h:1/p?q=@) and http://***@d"
    );
}

#[test]
fn an_at_sign_after_the_host_is_kept() {
    assert_eq!(redact_urls("http://host/a@b"), "http://host/a@b");
}

#[test]
fn text_without_urls_is_unchanged() {
    assert_eq!(redact_urls("nothing to see: a@b"), "nothing to see: a@b");
}

#[tokio::test]
async fn a_refused_connection_names_the_server_without_its_userinfo() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    drop(listener);
    let error = reqwest::Client::new()
        .get(format!("http://admin:pw@{address}/v1/x"))
        .send()
        .await
        .expect_err("nothing listens");
    let line = bindings_client::cause_chain(&error);
    // reqwest moves userinfo into an Authorization header, so the URL it
    // reports has none; either way no password shows.
    assert!(!line.contains("pw"), "{line}");
}
