//! Regexes that only answer whether a text matches, for rule guards.
//!
//! A guard asks "is there a match in this window?", never where. `regex::Regex` builds, besides
//! the forward automaton, a reverse one (to find where a match starts), prefilters and a
//! one-pass DFA; for the guards of the built-in library that was over half their build time,
//! and guards are built on first use, while a document is being linted. [`MatchOnly`] builds
//! just the forward NFA and a lazy DFA over it, with a PikeVM over the same NFA for the texts
//! the lazy DFA cannot search (a Unicode word boundary next to a non-ASCII letter).
//!
//! Most of what is left of a guard's build is parsing its source, and most of that is the word
//! tries of `@mod` and `@word` ([`crate::pattern::word_tries`]), kilobytes each and whole in
//! dozens of guards. Each trie is parsed once; a guard's source is parsed with a placeholder
//! character where a trie stands, and the trie's parsed form goes in its place.

use regex_automata::hybrid::dfa::{Cache as DfaCache, DFA};
use regex_automata::nfa::thompson::pikevm::{Cache as PikeCache, PikeVM};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::Pool;
use regex_automata::Input;
use regex_syntax::hir::{Capture, Hir, HirKind, Repetition};
use std::sync::{LazyLock, OnceLock};

/// Search state for one thread at a time: the lazy DFA's states, and the PikeVM's once a text
/// needed it (its sets are sized to the NFA, hundreds of kilobytes for a guard with a word
/// trie, and most guards never need them).
struct Caches {
    dfa: DfaCache,
    pike: Option<PikeCache>,
}

type CachePool = Pool<Caches, Box<dyn Fn() -> Caches + Send + Sync>>;

/// A regex that reports only whether it matches, with `regex::Regex`'s syntax and meaning.
pub struct MatchOnly {
    dfa: DFA,
    pike: PikeVM,
    caches: CachePool,
}

/// Why a regex could not be built: its syntax, or its size over the limit.
#[derive(Debug)]
pub enum BuildError {
    TooBig(usize),
    Invalid(String),
}

impl MatchOnly {
    /// Builds `source` with the `regex` crate's defaults (Unicode, UTF-8), its compiled NFA
    /// held to `size_limit` bytes and the lazy DFA's cache to `cache_capacity`.
    pub fn new(source: &str, size_limit: usize, cache_capacity: usize) -> Result<Self, BuildError> {
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .nfa_size_limit(Some(size_limit))
                    // The PikeVM needs the implicit whole-match group; nothing needs the others.
                    .which_captures(WhichCaptures::Implicit),
            )
            .build_from_hir(&parse(source)?)
            .map_err(|e| match e.size_limit() {
                Some(limit) => BuildError::TooBig(limit),
                None => BuildError::Invalid(e.to_string()),
            })?;
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .unicode_word_boundary(true)
                    .cache_capacity(cache_capacity)
                    // A capacity too small for this NFA fails a search, which the PikeVM
                    // then answers, rather than the build.
                    .skip_cache_capacity_check(true),
            )
            .build_from_nfa(nfa.clone())
            .map_err(|e| BuildError::Invalid(e.to_string()))?;
        let pike = PikeVM::new_from_nfa(nfa).map_err(|e| BuildError::Invalid(e.to_string()))?;
        let for_dfa = dfa.clone();
        let caches: CachePool = Pool::new(Box::new(move || Caches {
            dfa: for_dfa.create_cache(),
            pike: None,
        }));
        Ok(MatchOnly { dfa, pike, caches })
    }

    /// Whether the regex matches anywhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        let input = Input::new(text).earliest(true);
        let mut caches = self.caches.get();
        match self.dfa.try_search_fwd(&mut caches.dfa, &input) {
            Ok(found) => found.is_some(),
            Err(_) => {
                let pike = caches.pike.get_or_insert_with(|| self.pike.create_cache());
                self.pike.is_match(pike, input)
            }
        }
    }
}

/// The word tries, each parsed the first time a guard holds it.
static TRIES: LazyLock<Vec<(&'static str, OnceLock<Hir>)>> = LazyLock::new(|| {
    crate::pattern::word_tries()
        .into_iter()
        .map(|trie| (trie, OnceLock::new()))
        .collect()
});

fn parsed_trie(i: usize) -> &'static Hir {
    let (trie, parsed) = &TRIES[i];
    parsed.get_or_init(|| regex_syntax::parse(trie).expect("the word tries parse"))
}

/// The first of the private-use characters that stand for [`TRIES`] while a source is parsed.
const PLACEHOLDER: u32 = 0xE000;

fn placeholder_index(c: char) -> Option<usize> {
    (c as u32)
        .checked_sub(PLACEHOLDER)
        .map(|i| i as usize)
        .filter(|&i| i < TRIES.len())
}

/// `source` parsed as the `regex` crate parses it, with each word trie it holds spliced in
/// from [`TRIES`]. A source with flags (`(?i)`) or with a placeholder character of its own is
/// parsed whole, since the tries were parsed without flags.
fn parse(source: &str) -> Result<Hir, BuildError> {
    let invalid = |e: regex_syntax::Error| BuildError::Invalid(e.to_string());
    let has_flags = source.match_indices("(?").any(|(at, _)| {
        let rest = &source[at + 2..];
        !rest.starts_with(':') && !rest.starts_with("P<")
    });
    if has_flags || source.chars().any(|c| placeholder_index(c).is_some()) {
        return regex_syntax::parse(source).map_err(invalid);
    }
    let mut held = source.to_string();
    for (i, (trie, _)) in TRIES.iter().enumerate() {
        if held.contains(trie) {
            let stand_in = char::from_u32(PLACEHOLDER + i as u32).expect("a private-use char");
            held = held.replace(trie, stand_in.encode_utf8(&mut [0; 4]));
        }
    }
    if held.len() == source.len() {
        return regex_syntax::parse(source).map_err(invalid);
    }
    // An error names the source as written, not the one with placeholders.
    let hir = regex_syntax::parse(&held).map_err(|_| {
        regex_syntax::parse(source).map_or_else(invalid, |_| {
            BuildError::Invalid("a word trie did not parse in place".into())
        })
    })?;
    Ok(splice(&hir))
}

/// `hir` with each placeholder character replaced by the trie it stands for.
fn splice(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Literal(literal) => {
            let Ok(text) = std::str::from_utf8(&literal.0) else {
                return hir.clone();
            };
            if !text.chars().any(|c| placeholder_index(c).is_some()) {
                return hir.clone();
            }
            let mut parts = Vec::new();
            let mut run = String::new();
            for c in text.chars() {
                match placeholder_index(c) {
                    Some(i) => {
                        if !run.is_empty() {
                            parts.push(Hir::literal(std::mem::take(&mut run).into_bytes()));
                        }
                        parts.push(parsed_trie(i).clone());
                    }
                    None => run.push(c),
                }
            }
            if !run.is_empty() {
                parts.push(Hir::literal(run.into_bytes()));
            }
            Hir::concat(parts)
        }
        HirKind::Empty | HirKind::Class(_) | HirKind::Look(_) => hir.clone(),
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            min: r.min,
            max: r.max,
            greedy: r.greedy,
            sub: Box::new(splice(&r.sub)),
        }),
        HirKind::Capture(c) => Hir::capture(Capture {
            index: c.index,
            name: c.name.clone(),
            sub: Box::new(splice(&c.sub)),
        }),
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(splice).collect()),
        HirKind::Alternation(parts) => Hir::alternation(parts.iter().map(splice).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(source: &str) -> MatchOnly {
        MatchOnly::new(source, 1 << 21, 1 << 21).unwrap()
    }

    /// The same answers as `regex::Regex` on ASCII text, on text whose non-ASCII letters sit at
    /// a Unicode word boundary (where the lazy DFA gives way to the PikeVM), and with anchors.
    #[test]
    fn answers_as_the_regex_crate_does() {
        let sources = [
            r"\b(?:refus(?:es|ed)|declin(?:es|ed))\b",
            r"\A[\s\-]*(?:to\s+)?(?:treat|see)\b",
            r"(?:\b(?:the|a)\s+)?caf\w*\b",
            r"\bnaïve\b",
            r"(?i)\bÉTAT\b",
        ];
        let texts = [
            "she refused the medication",
            "refusedly",
            " to treat him",
            "he came to treat",
            "at the café today",
            "the naïve client",
            "naïveté",
            "l'état",
            "— déclin —",
            "",
        ];
        for source in sources {
            let ours = build(source);
            let theirs = regex::Regex::new(source).unwrap();
            for text in texts {
                assert_eq!(
                    ours.is_match(text),
                    theirs.is_match(text),
                    "{source:?} on {text:?}"
                );
            }
        }
    }

    /// A source with word tries parses to the same expression as when it is parsed whole:
    /// tries inside words, between literals, under a repetition and twice in one source.
    #[test]
    fn splicing_the_word_tries_changes_nothing() {
        let [slot, word] = crate::pattern::word_tries();
        let sources = [
            format!(r"\bthe\s+{slot}\s+addict\b"),
            format!(r"\A[\s\-]*(?:\s+{slot}){{0,3}}\s+(?:is|was)\b"),
            format!(r"(?:{word}|x{slot}y)(?:-[a-z]+)*"),
            format!(r"\b(?P<g1>a|an)\s+{word}\b"),
        ];
        for source in &sources {
            let spliced = parse(source).unwrap();
            assert_eq!(
                spliced,
                regex_syntax::parse(source).unwrap(),
                "{source:.80}"
            );
        }
        // Flags keep the whole source parsed as written.
        let flagged = format!(r"(?i)\bÉ\s+{slot}");
        assert_eq!(
            parse(&flagged).unwrap(),
            regex_syntax::parse(&flagged).unwrap()
        );
    }

    #[test]
    fn reports_invalid_and_oversized_patterns() {
        assert!(matches!(
            MatchOnly::new("(unclosed", 1 << 21, 1 << 21),
            Err(BuildError::Invalid(_))
        ));
        // The error quotes the source as written, with no placeholder in it.
        let [slot, _] = crate::pattern::word_tries();
        match MatchOnly::new(&format!(r"(?:{slot}\s+(unclosed"), 1 << 21, 1 << 21) {
            Err(BuildError::Invalid(message)) => {
                assert!(message.contains("unclosed"), "{message}");
                assert!(!message.contains('\u{e000}'), "{message}");
            }
            _ => panic!("an unclosed group is an error"),
        }
        assert!(matches!(
            MatchOnly::new(r"\w{1000}", 1 << 12, 1 << 21),
            Err(BuildError::TooBig(_))
        ));
    }
}
