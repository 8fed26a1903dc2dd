//! Base URLs given on a command line: no userinfo in any form, and no
//! message quotes a password given in one.
#![cfg(feature = "cli")]

use bindings_client::cli::base_url;

fn refused(text: &str) -> String {
    let failure = base_url("base-url", text).expect_err("refused");
    let message = failure.to_string();
    assert!(!message.contains("pw"), "the password shows: {message}");
    message
}

#[test]
fn a_plain_base_url_is_taken_without_its_trailing_slash() {
    assert_eq!(
        base_url("base-url", "http://127.0.0.1:8080/"),
        Ok("http://127.0.0.1:8080".into())
    );
}

#[test]
fn user_and_password_are_refused() {
    assert!(refused("http://admin:pw@host").contains("http://***@host"));
}

#[test]
fn a_password_without_a_user_name_is_refused() {
    let message = refused("http://:pw@host");
    assert!(message.contains("no credentials"), "{message}");
}

#[test]
fn a_user_name_alone_is_refused() {
    assert!(refused("http://pw@host").contains("***@host"));
}

#[test]
fn an_empty_userinfo_is_refused() {
    assert!(base_url("base-url", "http://@host").is_err());
}

#[test]
fn userinfo_with_a_bad_port_is_refused_without_showing_the_password() {
    assert!(refused("http://admin:pw@host:99999").contains("http://***@host:99999"));
}

#[test]
fn userinfo_without_a_scheme_is_refused_without_showing_the_password() {
    assert!(refused("admin:pw@host").contains("***@host"));
}

#[test]
fn a_url_that_does_not_parse_is_refused() {
    assert!(base_url("base-url", "127.0.0.1:8080").is_err());
}

#[test]
fn another_scheme_is_refused() {
    assert!(base_url("base-url", "ftp://host").is_err());
}

#[test]
fn a_query_is_refused() {
    assert!(base_url("base-url", "http://host/?a=1").is_err());
}
