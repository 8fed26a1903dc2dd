//! The behaviour test of webhooks.yaml (the corpus run puts it in the
//! scratch server crate's `tests/`, with the client crate as a
//! dev-dependency): the generated receiver serves a recording
//! implementation; the generated mock sends it every documented example,
//! the generated sender sends it typed values, and a request its schema
//! refuses gets the documented 400 without reaching the implementation.

mod common;

use std::sync::{Arc, Mutex};

use corpus_client::webhooks::{
    NewPetInput, NewPetOutput, PetGoneInput, PetGoneOutput, PetSoldInput, PetSoldOutput,
    Receiver, router,
};

#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

impl Recorder {
    fn record(&self, what: String) {
        self.0.lock().expect("the record").push(what);
    }

    fn seen(&self) -> Vec<String> {
        self.0.lock().expect("the record").clone()
    }
}

impl Receiver for Recorder {
    async fn new_pet(&self, input: NewPetInput) -> NewPetOutput {
        self.record(format!("newPet {}", serde_json::to_string(&input.body).expect("JSON")));
        NewPetOutput::Ok
    }

    async fn pet_sold(&self, input: PetSoldInput) -> PetSoldOutput {
        self.record(format!("pet.sold {}", serde_json::to_string(&input.body).expect("JSON")));
        PetSoldOutput::NoContent
    }

    async fn pet_gone(&self, input: PetGoneInput) -> PetGoneOutput {
        self.record(format!("petGone {}", serde_json::to_string(&input.body).expect("JSON")));
        PetGoneOutput::Accepted
    }
}

/// The generated receiver serving a new [`Recorder`]: its base URL, and
/// the recorder.
async fn receiver() -> (String, Recorder) {
    let recorder = Recorder::default();
    (common::serve(router(recorder.clone())).await, recorder)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mock_sends_every_documented_example_and_the_receiver_takes_it() {
    let (url, recorder) = receiver().await;
    let mock = env!("CARGO_BIN_EXE_corpus-mock");
    let output = tokio::process::Command::new(mock)
        .args(["--send-webhooks", &url])
        .output()
        .await
        .expect("the mock runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        ["newPet (rex): 200", "newPet (tom): 200", "pet.sold: 204", "petGone (example): 202"]
    );
    let seen = recorder.seen();
    assert_eq!(seen[0], r#"newPet {"id":7,"name":"Rex"}"#);
    assert_eq!(seen[1], r#"newPet {"id":8,"name":"Tom","tag":null}"#);
    assert!(seen[2].starts_with(r#"pet.sold {"id":"#), "{seen:?}");
    assert_eq!(seen[3], r#"petGone {"id":9}"#);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_typed_sender_reaches_the_receiver() {
    let (url, recorder) = receiver().await;
    let sender = corpus_server::webhooks::Client::new(&url);
    let pet: corpus_types::Pet =
        serde_json::from_value(serde_json::json!({"id": 1, "name": "Ada"})).expect("a pet");
    let answer = sender.new_pet().body(pet).send().await.expect("sent");
    assert_eq!(answer.status().as_u16(), 200);
    let sold: corpus_types::PetSoldBody =
        serde_json::from_value(serde_json::json!({"id": 1, "price": 2.5})).expect("a sale");
    let answer = sender.pet_sold().body(sold).send().await.expect("sent");
    assert_eq!(answer.status().as_u16(), 204);
    assert_eq!(
        recorder.seen(),
        [r#"newPet {"id":1,"name":"Ada"}"#, r#"pet.sold {"id":1,"price":2.5}"#]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_webhook_its_schema_refuses_gets_the_documented_400() {
    let (url, recorder) = receiver().await;
    let client = reqwest::Client::new();
    let answer = client
        .post(format!("{url}/pet.sold"))
        .header("content-type", "application/json")
        .body(r#"{"id": 1, "price": "free"}"#)
        .send()
        .await
        .expect("sent");
    assert_eq!(answer.status().as_u16(), 400);
    let problem: corpus_types::Problem = answer.json().await.expect("the documented body");
    assert!(!problem.message.is_empty());
    assert!(recorder.seen().is_empty());
}
