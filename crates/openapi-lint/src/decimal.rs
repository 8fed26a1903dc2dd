//! Which decimal integers a `pattern` admits, decided exactly.
//!
//! A pattern is a regular language, and so are "the decimal integers above
//! N" and "below N": their intersection is empty or not, and a shortest
//! member is found by a breadth-first walk of the two automata side by
//! side (lazy DFAs of `regex-automata`). Integers are read in their
//! canonical form (`0`, `-12`, `10000`: no sign on positives, no leading
//! zero), the form a generated type writes.
//!
//! `regex-automata` reads Rust's regex syntax, not ECMA-262; a pattern it
//! cannot read (look-around, a back-reference) is not decided, and a
//! witness it finds is checked with `regress`, the ECMA-262 engine, before
//! anyone is told about it.

use std::collections::{HashMap, VecDeque};

use regex_automata::Anchored;
use regex_automata::hybrid::LazyStateID;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson;
use regex_automata::util::{start, syntax};

/// The longest integer looked at, in bytes (an `i128` has 40 with its
/// sign); a witness longer than this is not searched for.
const MAX_LENGTH: usize = 48;

/// How many states of the two automata together are visited at most.
const MAX_STATES: usize = 100_000;

/// The bytes a canonical integer is written with.
const ALPHABET: &[u8] = b"-0123456789";

/// The least (by length, then in order) canonical integer above `bound`
/// that `pattern` admits, if there is one and it can be decided.
pub(crate) fn admitted_above(pattern: &str, bound: i128) -> Option<String> {
    witness(pattern, &above(bound))
}

/// The shortest canonical integer below `bound` that `pattern` admits, if
/// there is one and it can be decided.
pub(crate) fn admitted_below(pattern: &str, bound: i128) -> Option<String> {
    witness(pattern, &below(bound))
}

/// Whether `pattern` (ECMA-262, unanchored as JSON Schema reads it)
/// matches `text`; `None` when it does not compile.
pub(crate) fn matches(pattern: &str, text: &str) -> Option<bool> {
    let regex = regress::Regex::new(pattern).ok()?;
    Some(regex.find(text).is_some())
}

/// A lazy DFA with its cache.
struct Machine {
    dfa: DFA,
    cache: Cache,
}

impl Machine {
    fn new(pattern: &str) -> Option<Self> {
        let dfa = DFA::builder()
            .syntax(syntax::Config::new().unicode(false).utf8(false))
            .thompson(thompson::Config::new().utf8(false))
            .build(pattern)
            .ok()?;
        let cache = dfa.create_cache();
        Some(Machine { dfa, cache })
    }

    fn start(&mut self, anchored: Anchored) -> Option<LazyStateID> {
        let config = start::Config::new().anchored(anchored);
        self.dfa.start_state(&mut self.cache, &config).ok()
    }

    fn next(&mut self, state: LazyStateID, byte: u8) -> Option<LazyStateID> {
        let next = self.dfa.next_state(&mut self.cache, state, byte).ok()?;
        (!next.is_quit()).then_some(next)
    }

    fn accepts_at_end(&mut self, state: LazyStateID) -> bool {
        self.dfa
            .next_eoi_state(&mut self.cache, state)
            .is_ok_and(|end| end.is_match())
    }

    fn cleared(&self) -> bool {
        self.cache.clear_count() > 0
    }
}

/// Where the walk is in the pattern: still looking for a match, or past one
/// (a pattern is unanchored: a match anywhere admits the whole string).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum PatternState {
    Searching(LazyStateID),
    Matched,
}

/// A state of the walk: where it is in the pattern and in the language.
type Pair = (PatternState, LazyStateID);

/// How the walk reached each state: the state before and the byte read.
type Parents = HashMap<Pair, Option<(Pair, u8)>>;

/// The shortest string of `language` (canonical integers, a regex of
/// ours) that `pattern` matches somewhere, checked with `regress`.
fn witness(pattern: &str, language: &str) -> Option<String> {
    let mut machines = (
        Machine::new(pattern)?,
        Machine::new(&format!("(?:{language})$"))?,
    );
    let start = (
        PatternState::Searching(machines.0.start(Anchored::No)?),
        machines.1.start(Anchored::Yes)?,
    );
    let mut parents = Parents::from([(start, None)]);
    let found = search(&mut machines, start, &mut parents);
    // State ids are only meaningful while the caches were never cleared.
    if machines.0.cleared() || machines.1.cleared() {
        return None;
    }
    let mut bytes = Vec::new();
    let mut at = found?;
    while let Some(Some((previous, byte))) = parents.get(&at) {
        bytes.push(*byte);
        at = *previous;
    }
    bytes.reverse();
    let text = String::from_utf8(bytes).ok()?;
    (matches(pattern, &text) == Some(true)).then_some(text)
}

/// Breadth-first from `start`, bytes in order: the first state where both
/// the pattern and the language accept, recording in `parents` how each
/// state was reached.
fn search(
    (pattern, language): &mut (Machine, Machine),
    start: Pair,
    parents: &mut Parents,
) -> Option<Pair> {
    let mut queue = VecDeque::from([(start, 0usize)]);
    while let Some((state @ (at_pattern, at_language), length)) = queue.pop_front() {
        let pattern_done = match at_pattern {
            PatternState::Matched => true,
            PatternState::Searching(id) => pattern.accepts_at_end(id),
        };
        if pattern_done && language.accepts_at_end(at_language) {
            return Some(state);
        }
        if length >= MAX_LENGTH || parents.len() > MAX_STATES {
            continue;
        }
        for &byte in ALPHABET {
            let language_next = language.next(at_language, byte)?;
            if language_next.is_dead() {
                continue;
            }
            let pattern_next = match at_pattern {
                PatternState::Matched => PatternState::Matched,
                PatternState::Searching(id) => match pattern.next(id, byte)? {
                    next if next.is_dead() => continue,
                    next if next.is_match() => PatternState::Matched,
                    next => PatternState::Searching(next),
                },
            };
            let next = (pattern_next, language_next);
            if let std::collections::hash_map::Entry::Vacant(entry) = parents.entry(next) {
                entry.insert(Some((state, byte)));
                queue.push_back((next, length + 1));
            }
        }
    }
    None
}

/// Canonical integers above `bound`, as a regex.
fn above(bound: i128) -> String {
    let magnitude = bound.unsigned_abs().to_string();
    if bound >= 0 {
        alternatives(&magnitudes_above(&magnitude))
    } else {
        let mut parts = vec!["0".to_owned(), "[1-9][0-9]*".to_owned()];
        parts.extend(magnitudes_below(&magnitude).iter().map(|m| format!("-{m}")));
        alternatives(&parts)
    }
}

/// Canonical integers below `bound`, as a regex.
fn below(bound: i128) -> String {
    let magnitude = bound.unsigned_abs().to_string();
    if bound > 0 {
        let mut parts = vec!["-[1-9][0-9]*".to_owned(), "0".to_owned()];
        parts.extend(magnitudes_below(&magnitude));
        alternatives(&parts)
    } else {
        let parts: Vec<String> = magnitudes_above(&magnitude)
            .iter()
            .map(|m| format!("-{m}"))
            .collect();
        alternatives(&parts)
    }
}

/// A regex of `parts`, or one that matches nothing.
fn alternatives(parts: &[String]) -> String {
    if parts.is_empty() {
        // An empty class: no string at all.
        return "[^\\x00-\\xFF]".to_owned();
    }
    let grouped: Vec<String> = parts.iter().map(|part| format!("(?:{part})")).collect();
    grouped.join("|")
}

/// Regexes of the positive canonical integers above `digits` (itself
/// canonical, `0` included).
fn magnitudes_above(digits: &str) -> Vec<String> {
    if digits == "0" {
        return vec!["[1-9][0-9]*".to_owned()];
    }
    let length = digits.len();
    let mut parts = vec![format!("[1-9][0-9]{{{length},}}")];
    for (index, digit) in digits.bytes().enumerate() {
        if digit < b'9' {
            parts.push(format!(
                "{}[{}-9][0-9]{{{}}}",
                &digits[..index],
                char::from(digit + 1),
                length - index - 1
            ));
        }
    }
    parts
}

/// Regexes of the positive canonical integers below `digits`.
fn magnitudes_below(digits: &str) -> Vec<String> {
    let length = digits.len();
    let mut parts = Vec::new();
    if length >= 2 {
        parts.push(format!("[1-9][0-9]{{0,{}}}", length - 2));
    }
    for (index, digit) in digits.bytes().enumerate() {
        let least = if index == 0 { b'1' } else { b'0' };
        if digit > least {
            parts.push(format!(
                "{}[{}-{}][0-9]{{{}}}",
                &digits[..index],
                char::from(least),
                char::from(digit - 1),
                length - index - 1
            ));
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every canonical integer from -1200 to 1200.
    fn integers() -> impl Iterator<Item = i128> {
        -1200..=1200
    }

    #[test]
    fn the_languages_above_and_below_are_exact() {
        for bound in [
            -1000, -101, -100, -99, -10, -9, -1, 0, 1, 9, 10, 99, 100, 101, 999, 1000,
        ] {
            let above = regress::Regex::new(&format!("^(?:{})$", above(bound))).expect("above");
            let below = regress::Regex::new(&format!("^(?:{})$", below(bound))).expect("below");
            for n in integers() {
                let text = n.to_string();
                assert_eq!(above.find(&text).is_some(), n > bound, "{n} above {bound}");
                assert_eq!(below.find(&text).is_some(), n < bound, "{n} below {bound}");
            }
            for text in ["", "-", "01", "-0", "+1", "1-"] {
                assert!(
                    above.find(text).is_none() && below.find(text).is_none(),
                    "{text}"
                );
            }
        }
    }

    #[test]
    fn a_pattern_wider_than_its_maximum_has_a_witness() {
        let limit = "^([1-9][0-9]{0,3}|10000)$";
        assert_eq!(admitted_above(limit, 1000).as_deref(), Some("1001"));
        assert_eq!(admitted_above(limit, 9999).as_deref(), Some("10000"));
        assert_eq!(admitted_above(limit, 10000), None);
        assert_eq!(admitted_below(limit, 1), None);
        assert_eq!(admitted_below(limit, 5).as_deref(), Some("1"));
        assert_eq!(
            admitted_above("^(1000|2000)$", 1500).as_deref(),
            Some("2000")
        );
    }

    #[test]
    fn an_unanchored_pattern_admits_whatever_contains_a_match() {
        // `[0-9]{1,5}` matches inside any longer number.
        assert_eq!(
            admitted_above("[0-9]{1,5}", 99999).as_deref(),
            Some("100000")
        );
        assert_eq!(admitted_below("^[0-9]+$", 0), None);
        assert_eq!(admitted_below("[0-9]+", 0).as_deref(), Some("-1"));
    }

    #[test]
    fn a_pattern_the_automata_cannot_read_decides_nothing() {
        assert_eq!(admitted_above("^(?=1)[0-9]+$", 0), None);
        assert_eq!(admitted_above("(", 0), None);
    }
}
