//! Mentions: a word talked about rather than used to label someone.
//!
//! A style guide's table ("Avoid: addict"), a quoted label ('addict', “addict”), a list of
//! words to avoid under the heading that introduces it, a person describing themselves ("I'm a
//! recovering addict") and a stereotype the writer reports to reject it ("the myth that addicts
//! are weak-willed") do not label anyone; the engine reports matches there at `hint` at most
//! (see the `quotes` and `mentions` settings). Everything here reads the masked prose view of
//! one chunk, so offsets are the document's.

use crate::matcher::{ceil_char, floor_char};
use crate::prose::{BlockBreaks, BLOCK_BREAK};
use aho_corasick::AhoCorasick;
use std::ops::Range;
use std::sync::LazyLock;

/// Why a match reads as a mention.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mention {
    /// Inside quotation marks, double or single.
    Quoted,
    /// In a list or table of words to avoid, or after "instead of", "the term" and the like.
    Listed,
    /// Part of a first-person self-description.
    SelfDescribed,
    /// In a clause the writer sets up as unreal in order to reject it: "as if that client is
    /// choosing to be difficult", "as though she were lazy".
    Distanced,
    /// In a clause that reports a stereotype or a false belief the writer rejects: "the myth
    /// that people with schizophrenia are violent", "people wrongly assume they are lazy",
    /// "unfounded thoughts like they are dangerous".
    Stereotype,
}

/// How far back the context of a match is read, in bytes.
const REACH: usize = 400;
/// How many lines above a list item are read for the heading that introduces the list.
const LIST_LINES: usize = 40;
/// How far above a list item, in bytes, its heading is looked for.
const LIST_REACH: usize = 4000;

/// Whether the match at `range` of `masked` (a chunk's masked prose view) is a mention.
pub fn of(masked: &str, range: &Range<usize>) -> Option<Mention> {
    if in_double_quotes(masked, range.start)
        || in_single_quotes(masked, range)
        || wrapped_in_quotes(masked, range)
        || in_quoted_sentence(masked, range)
    {
        return Some(Mention::Quoted);
    }
    if listed(masked, range)
        || headword(masked, range)
        || enumerated(masked, range)
        || judged_list(masked, range)
        || flat_table_row(masked, range)
        || versus_heading(masked, range)
        || parallel_versus(masked, range)
        || among_person_first_terms(masked, range)
        || under_statement_intro(masked, range)
        || used_as_a_word(masked, range)
    {
        return Some(Mention::Listed);
    }
    if self_described(masked, range.start)
        || self_reported(masked, range.start)
        || self_introduced(masked, range)
        || self_grouped(masked, range)
        || self_included_after(masked, range)
        || self_part(masked, range)
    {
        return Some(Mention::SelfDescribed);
    }
    if distanced(masked, range.start)
        || negated(masked, range)
        || negated_instruction(masked, range)
        || reported_impersonally(masked, range)
    {
        return Some(Mention::Distanced);
    }
    if stereotyped(masked, range.start)
        || judged_after(masked, range)
        || names_a_stereotype(masked, range)
        || rejected_by_next_sentence(masked, range)
    {
        return Some(Mention::Stereotype);
    }
    None
}

/// Words that name a stereotype or a false belief, and adjectives that call a belief false:
/// the content they introduce ("the myth that …", "unfounded thoughts like …", "stereotypes
/// such as …") is reported, not asserted.
const STEREOTYPE_CUES: &[&str] = &[
    "baseless",
    "erroneous",
    "inaccurate",
    "misbelief",
    "misbeliefs",
    "misconception",
    "misconceptions",
    "misperception",
    "misperceptions",
    "mistaken",
    "myth",
    "myths",
    "prejudice",
    "prejudiced",
    "prejudices",
    "stereotype",
    "stereotyped",
    "stereotypes",
    "stereotypical",
    "stereotyping",
    "stigma",
    "stigmas",
    "stigmatised",
    "stigmatising",
    "stigmatized",
    "stigmatizing",
    "trope",
    "tropes",
    "unfounded",
    "untrue",
];

/// Words for a belief or an image of people. "False" is a cue only before one ("the false
/// belief that …", not "a false positive"), and "that" introduces a reported belief only
/// after one ("the myth that …", not "the stigma that people face").
const BELIEF_HEADS: &[&str] = &[
    "assumption",
    "assumptions",
    "belief",
    "beliefs",
    "claim",
    "claims",
    "idea",
    "ideas",
    "image",
    "images",
    "impression",
    "impressions",
    "misbelief",
    "misbeliefs",
    "misconception",
    "misconceptions",
    "misperception",
    "misperceptions",
    "myth",
    "myths",
    "narrative",
    "narratives",
    "notion",
    "notions",
    "perception",
    "perceptions",
    "portrayal",
    "portrayals",
    "prejudice",
    "prejudices",
    "stereotype",
    "stereotypes",
    "thought",
    "thoughts",
    "trope",
    "tropes",
    "view",
    "views",
];

/// Adjectives that make a belief word a cue: "the false belief that …", "negative views such
/// as …", "the popular image of …". Alone they are not ("a false positive", "negative for
/// COVID").
const BELIEF_JUDGEMENTS: &[&str] = &[
    "common",
    "entrenched",
    "false",
    "harmful",
    "negative",
    "outdated",
    "pernicious",
    "persistent",
    "pervasive",
    "popular",
    "prevailing",
    "prevalent",
    "public",
    "societal",
    "widespread",
    "wrong",
];

/// Verbs that, after a word for a belief, say it is held or spreads: "the notion persists that
/// …", "the belief is pervasive that …", "the idea remains widespread that …".
const BELIEF_HELD: &[&str] = &[
    "is",
    "was",
    "are",
    "were",
    "remains",
    "remained",
    "persists",
    "persisted",
    "prevails",
    "prevailed",
    "lingers",
    "lingered",
];

/// Verbs of labelling whose label follows "as": "labels people who use drugs as junkies",
/// "casts them as weak", "portrayed as psychos".
const LABEL_VERBS: &[&str] = &[
    "branded",
    "branding",
    "brands",
    "casts",
    "depict",
    "depicted",
    "depicting",
    "depicts",
    "dubbed",
    "dubs",
    "label",
    "labeled",
    "labeling",
    "labelled",
    "labelling",
    "labels",
    "portray",
    "portrayed",
    "portraying",
    "portrays",
    "typecast",
    "typecasts",
];

/// Verbs of seeing someone as something; they report a label only when other people do the
/// seeing ([`OTHER_VIEWERS`]): "I see him as an addict" is the writer's own.
const SEEING_VERBS: &[&str] = &[
    "see",
    "sees",
    "saw",
    "seen",
    "view",
    "views",
    "viewed",
    "perceive",
    "perceives",
    "perceived",
    "regard",
    "regards",
    "regarded",
    "treat",
    "treats",
    "treated",
];

/// Other people as the ones who see someone as something.
const OTHER_VIEWERS: &[&str] = &[
    "others",
    "people",
    "society",
    "everyone",
    "everybody",
    "strangers",
    "outsiders",
    "public",
    "neighbours",
    "neighbors",
    "they",
    "folks",
];

/// Adverbs that call a belief or a description wrong; they make a mention only before a verb
/// of believing or describing ("wrongly assume", "are mistakenly seen as"), so "was wrongly
/// given the dose" is not one.
const WRONGLY: &[&str] = &[
    "erroneously",
    "falsely",
    "inaccurately",
    "incorrectly",
    "mistakenly",
    "unfairly",
    "unjustly",
    "wrongfully",
    "wrongly",
];

/// Beginnings of verbs of believing, seeing and describing, for [`WRONGLY`].
const BELIEF_VERB_STEMS: &[&str] = &[
    "accus",
    "assum",
    "associat",
    "attribut",
    "believ",
    "blam",
    "brand",
    "call",
    "cast",
    "characteris",
    "characteriz",
    "consider",
    "depict",
    "describ",
    "dismiss",
    "dub",
    "equat",
    "imagin",
    "judg",
    "label",
    "link",
    "paint",
    "perceiv",
    "portray",
    "presum",
    "regard",
    "stereotyp",
    "suppos",
    "think",
    "thought",
    "treat",
    "view",
];
const BELIEF_VERBS: &[&str] = &["saw", "see", "seen", "sees", "tie", "tied", "ties"];

/// Words after which the writer speaks in their own voice again.
const CONTRAST: &[&str] = &[
    "actually", "although", "but", "however", "instead", "reality", "though", "truth", "whereas",
    "while", "yet",
];

/// Words that make the clause they open subordinate ("Despite the myth that …, the client
/// is …"): a comma after the reported content then ends it.
const SUBORDINATORS: &[&str] = &[
    "after", "although", "because", "before", "contrary", "despite", "if", "since", "though",
    "unlike", "when", "whereas", "while",
];

/// Verbs that, right after "and" or "but", give the sentence's subject a second predicate: the
/// writer has left the reported belief ("… that he needs no meds, and is noncompliant").
const RESUMING_VERBS: &[&str] = &[
    "appeared",
    "appears",
    "continued",
    "continues",
    "declined",
    "declines",
    "had",
    "has",
    "is",
    "presented",
    "presents",
    "refused",
    "refuses",
    "remained",
    "remains",
    "reported",
    "reports",
    "stated",
    "states",
    "was",
];

/// How many words after a cue its introducer ("that", "like", "such as", a colon) may come.
const CUE_TO_CONTENT: usize = 6;
/// How many words of reported content a cue covers.
const CONTENT_WORDS: usize = 20;

/// True when the match sits in content that a stereotype cue introduces, within its sentence:
/// "the myth that people with schizophrenia are violent", "people wrongly assume they are
/// lazy", "stereotypes such as crazy or psycho". The writer is describing a stereotype, not
/// labelling anyone.
fn stereotyped(masked: &str, start: usize) -> bool {
    let lo = floor_char(masked, start.saturating_sub(300));
    let before = masked[lo..start].to_ascii_lowercase();
    let sentence_start = before
        .rfind(['.', ';', '!', '?', '\n', BLOCK_BREAK])
        .map_or(0, |i| i + 1);
    let sentence = &before[sentence_start..];
    if !STEREOTYPE_CUE_SET.is_match(sentence) {
        return false;
    }
    let tokens = clause_tokens(sentence);
    // After "but", "however" and the like the writer speaks for themselves.
    let from = tokens
        .iter()
        .rposition(|t| CONTRAST.contains(t))
        .map_or(0, |i| i + 1);
    (from..tokens.len()).rev().any(|cue| {
        content_start(&tokens, cue).is_some_and(|content| {
            let content = &tokens[content..];
            let words = content
                .iter()
                .filter(|t| t.chars().any(char::is_alphanumeric));
            // "Despite the myth that …, the client is …": the comma ends a subordinate cue. A
            // subordinate clause closed before the cue ("When …, this is also referred to as
            // …, … or …") leaves the cue in the main clause, whose commas list its content.
            let clause_from = tokens[..cue]
                .iter()
                .rposition(|t| *t == ",")
                .map_or(0, |i| i + 1);
            let subordinate = tokens[clause_from..cue]
                .iter()
                .any(|t| SUBORDINATORS.contains(t));
            // "has the false belief that he needs no meds and is noncompliant": a second verb
            // for the sentence's subject ends the belief.
            let resumed = content.windows(2).any(|pair| {
                matches!(pair[0], "and" | "but" | "or") && RESUMING_VERBS.contains(&pair[1])
            });
            words.count() <= CONTENT_WORDS && !resumed && !(subordinate && content.contains(&","))
        })
    })
}

/// "The addict stereotype is harmful", "the junkie trope": the label names an image of people,
/// the word right after it.
fn names_a_stereotype(masked: &str, range: &Range<usize>) -> bool {
    let hi = ceil_char(masked, (range.end + 30).min(masked.len()));
    let after = masked[range.end..hi].to_ascii_lowercase();
    let next = after
        .trim_start_matches([' ', '-'])
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default();
    matches!(
        next,
        "stereotype"
            | "stereotypes"
            | "trope"
            | "tropes"
            | "caricature"
            | "caricatures"
            | "cliche"
            | "cliches"
            | "myth"
            | "myths"
            | "label"
            | "labels"
            | "narrative"
            | "narratives"
            | "archetype"
    )
}

/// Verdicts that, after a "that" clause opening the sentence, reject what it said: "That addicts
/// are weak-willed is a myth", "The idea that people with schizophrenia are violent is false".
const VERDICTS_AFTER: &[&str] = &[
    "false",
    "misconception",
    "misconceptions",
    "myth",
    "myths",
    "stereotype",
    "stereotypes",
    "untrue",
    "wrong",
];

/// True when the match sits in a "that" clause opening its sentence ("That …", "The idea that
/// …", "The belief that …") and a few words after it the sentence calls the clause a myth, a
/// stereotype or false.
fn judged_after(masked: &str, range: &Range<usize>) -> bool {
    const ENDS: [char; 7] = ['.', ';', '!', '?', ':', '\n', BLOCK_BREAK];
    if !contains_lowered(raw_sentence_before(masked, range.start, 160, &ENDS), "that") {
        return false;
    }
    let lo = floor_char(masked, range.start.saturating_sub(160));
    let before = masked[lo..range.start].to_ascii_lowercase();
    let sentence_start = before
        .rfind(['.', ';', '!', '?', ':', '\n', BLOCK_BREAK])
        .map_or(0, |i| i + 1);
    let opening = clause_tokens(&before[sentence_start..]);
    // "That …" or "The idea that …": "that" opens the sentence or follows a word for a belief,
    // and no comma after it (a comma would close the clause before the match).
    let Some(that) = opening.iter().take(3).position(|t| *t == "that") else {
        return false;
    };
    if that > 0 && !BELIEF_HEADS.contains(&opening[that - 1]) {
        return false;
    }
    if opening[that..].contains(&",") || opening.len() - that > CONTENT_WORDS {
        return false;
    }
    let after = sentence_after(masked, range, 160);
    let rest = clause_tokens(&after);
    // The verdict comes soon after the clause: "… is a myth", "… is simply not true".
    rest.iter()
        .take(CUE_TO_CONTENT + 6)
        .take_while(|t| **t != ",")
        .position(|t| VERDICTS_AFTER.contains(t) || *t == "true")
        .is_some_and(|at| {
            let verdict = rest[at];
            // "not true", "isn't true": "true" only after a negation.
            verdict != "true"
                || rest[..at]
                    .iter()
                    .any(|t| matches!(*t, "not" | "isn't" | "isn’t" | "never"))
        })
}

/// Words for an image of people that a following sentence may point back at to reject it:
/// "That stereotype could not be further from the truth", "This myth …".
const IMAGE_WORDS: &[&str] = &[
    "belief",
    "caricature",
    "idea",
    "image",
    "misconception",
    "myth",
    "notion",
    "perception",
    "picture",
    "stereotype",
    "stereotypes",
    "trope",
    "view",
];

/// True when the match sits in a sentence that tells what someone believed or how they saw
/// people ("my generation thought of heroin addicts as street bums"), and the next sentence
/// points back at it as a stereotype or calls it false: "That stereotype could not be any
/// further from the truth", "This is a myth". "My brother is an addict. That stereotype hurts
/// him" holds no belief, and stays a use.
fn rejected_by_next_sentence(masked: &str, range: &Range<usize>) -> bool {
    let hi = ceil_char(masked, (range.end + 300).min(masked.len()));
    let after = &masked[range.end..hi];
    let Some(end) = after.find(['.', '!', '?', '\n', BLOCK_BREAK]) else {
        return false;
    };
    if !after[end..].starts_with(['.', '!', '?']) {
        return false;
    }
    let next = after[end + 1..].trim_start_matches([' ', '"', '”', '’', '\'']);
    let opener = next.split_whitespace().next().unwrap_or_default();
    if !["that", "this", "such", "these", "those"]
        .iter()
        .any(|w| opener.eq_ignore_ascii_case(w))
    {
        return false;
    }
    let head = next[..floor_char(next, next.len().min(80))].to_ascii_lowercase();
    let words: Vec<&str> = words_of(&head).take(5).collect();
    let points_back = match words.as_slice() {
        // "That stereotype …", "This common myth …".
        [_, w, ..] if IMAGE_WORDS.contains(w) => true,
        [_, _, w, ..] if IMAGE_WORDS.contains(w) => true,
        // "That is a myth", "This is simply not true".
        [_, "is" | "was", rest @ ..] => rest.iter().take(3).any(|w| {
            VERDICTS_AFTER.contains(w) || matches!(*w, "stereotype" | "nonsense" | "untrue")
        }),
        _ => false,
    };
    if !points_back {
        return false;
    }
    const ENDS: [char; 6] = ['.', ';', '!', '?', '\n', BLOCK_BREAK];
    let before = raw_sentence_before(masked, range.start, 200, &ENDS).to_ascii_lowercase();
    let believed = words_of(&before).any(is_belief_verb);
    believed
}

/// Where the content introduced by the cue at `tokens[i]` begins, if `tokens[i]` is a cue
/// and introduces something before the match.
fn content_start(tokens: &[&str], i: usize) -> Option<usize> {
    let word = tokens[i];
    let next = |k: usize| tokens.get(i + k).copied();
    if WRONGLY.contains(&word) {
        // "wrongly assume", "are mistakenly seen as", "unfairly and wrongly labelled".
        if let Some(k) = (1..=3).find(|&k| next(k).is_some_and(is_belief_verb)) {
            return Some(i + k + 1);
        }
        // "many assume, wrongly, that …".
        let before = &tokens[i.saturating_sub(3)..i];
        let that = (1..=2).find(|&k| next(k) == Some("that"));
        return that
            .filter(|_| before.iter().any(|w| is_belief_verb(w)))
            .map(|k| i + k + 1);
    }
    if matches!(word, "refer" | "refers" | "referring" | "referred") && next(1) == Some("to") {
        // "people may refer to them as addicts", "are often referred to as junkies"; not a
        // referral ("referred to detox as he drinks daily"): one or two words between.
        return (2..=4)
            .find(|&k| next(k) == Some("as"))
            .filter(|&k| k == 2 || word != "referred" || is_pronoun(tokens[i + 2]))
            .map(|k| i + k + 1);
    }
    if matches!(word, "reduce" | "reduces" | "reduced" | "reducing") {
        // "stop reducing us to mere addicts": the label after "to", a few words on.
        return (1..=3)
            .find(|&k| next(k) == Some("to"))
            .filter(|&k| k >= 2 && (1..k).all(|j| next(j).is_some_and(is_pronoun)))
            .map(|k| i + k + 1);
    }
    if SEEING_VERBS.contains(&word)
        && i > 0
        && OTHER_VIEWERS.contains(&tokens[i - 1])
        && next(1).is_some_and(is_pronoun)
        && next(2) == Some("as")
    {
        // "scared about how others see her as an addict", "society views them as junkies":
        // the label other people put on someone, after "as".
        return Some(i + 3);
    }
    if LABEL_VERBS.contains(&word) {
        // "labels people who use drugs as junkies", "casts them as weak": the label after
        // "as", a few words on and with no comma between.
        return (1..=CUE_TO_CONTENT)
            .map_while(|k| next(k).filter(|w| *w != ","))
            .position(|w| w == "as")
            .map(|k| i + k + 2);
    }
    // "it is untrue that …", "it is not true that …".
    let negated = || i > 0 && matches!(tokens[i - 1], "not" | "isn't" | "isn’t" | "never");
    if next(1) == Some("that")
        && (matches!(
            word,
            "false" | "untrue" | "wrong" | "baseless" | "unfounded"
        ) || (word == "true" && negated()))
    {
        return Some(i + 2);
    }
    let is_head = |w: &str| BELIEF_HEADS.contains(&w);
    // "The notion is pervasive that …", "the idea persists that …": a belief word, a verb that
    // says it is held, a judgement of how widely (not needed after "persists"), then "that".
    if is_head(word) && next(1).is_some_and(|w| BELIEF_HELD.contains(&w)) {
        let mut k = 2;
        while next(k).is_some_and(|w| matches!(w, "still" | "so" | "very" | "widely" | "deeply")) {
            k += 1;
        }
        let spreads = !matches!(next(1), Some("is" | "was" | "are" | "were"));
        if next(k).is_some_and(|w| BELIEF_JUDGEMENTS.contains(&w) || w == "held") {
            k += 1;
        } else if !spreads {
            return None;
        }
        return (next(k) == Some("that")).then_some(i + k + 1);
    }
    let cue = STEREOTYPE_CUES.contains(&word)
        || (BELIEF_JUDGEMENTS.contains(&word) && next(1).is_some_and(is_head));
    if !cue {
        return None;
    }
    // "stereotyped as lazy", "the myth of the lazy addict".
    match next(1) {
        Some("as") if word.ends_with("ed") => return Some(i + 2),
        Some("of") if is_head(word) => return Some(i + 2),
        _ => {}
    }
    let last = (i + CUE_TO_CONTENT).min(tokens.len().saturating_sub(1));
    (i + 1..=last).find_map(|j| match tokens[j] {
        "like" | "including" | "example" | "instance" | "namely" | ":" | "—" | "–" | "-" => {
            Some(j + 1)
        }
        "such" if tokens.get(j + 1) == Some(&"as") => Some(j + 2),
        // "the myth that …", "stigmatizing beliefs that …", "the myth persists that …".
        "that"
            if tokens[j.saturating_sub(3).max(i)..j]
                .iter()
                .any(|w| is_head(w)) =>
        {
            Some(j + 1)
        }
        _ => None,
    })
}

fn is_pronoun(word: &str) -> bool {
    matches!(
        word,
        "them" | "him" | "her" | "us" | "me" | "you" | "themselves" | "people" | "someone"
    )
}

fn is_belief_verb(word: &str) -> bool {
    BELIEF_VERBS.contains(&word) || BELIEF_VERB_STEMS.iter().any(|s| word.starts_with(s))
}

/// The words of a clause, lowercased already, with commas, colons and dashes kept as tokens
/// of their own; other punctuation and quotation marks are dropped.
fn clause_tokens(clause: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    let mut word_start = None;
    for (i, c) in clause.char_indices() {
        let in_word =
            c.is_alphanumeric() || (word_start.is_some() && matches!(c, '\'' | '’' | '-'));
        if in_word {
            word_start.get_or_insert(i);
            continue;
        }
        if let Some(s) = word_start.take() {
            tokens.push(clause[s..i].trim_end_matches(['\'', '’', '-']));
        }
        if matches!(c, ',' | ':' | '—' | '–' | '-') {
            tokens.push(&clause[i..i + c.len_utf8()]);
        }
    }
    if let Some(s) = word_start {
        tokens.push(clause[s..].trim_end_matches(['\'', '’', '-']));
    }
    tokens
}

/// Words for a word's part of speech or use: what a sentence names when it talks about a word
/// (“addict should no longer be used as a noun”).
const WORD_USES: &[&str] = &[
    "noun",
    "nouns",
    "adjective",
    "adjectives",
    "verb",
    "verbs",
    "term",
    "terms",
    "word",
    "words",
    "label",
    "labels",
    "descriptor",
    "descriptors",
];

/// True when the sentence goes on to say how the matched word is used, so it talks about the
/// word: “addict should no longer be used as a noun”, “junkie is used as a label for …”, or
/// defines it (see [`defined`]). For a use, the words right after the match are a form of *to
/// be* or a modal, and a few words later comes “as a noun”, “as a term” and the like (“is a
/// term”, “is a label”).
fn used_as_a_word(masked: &str, range: &Range<usize>) -> bool {
    let after = sentence_after(masked, range, 80);
    let tokens = clause_tokens(&after);
    let Some(first) = tokens.first() else {
        return false;
    };
    if defined(masked, range, &tokens) {
        return true;
    }
    if !matches!(
        *first,
        "is" | "was"
            | "are"
            | "were"
            | "isn't"
            | "isn’t"
            | "should"
            | "shouldn't"
            | "shouldn’t"
            | "must"
            | "can"
            | "cannot"
            | "can't"
            | "can’t"
            | "may"
            | "might"
            | "could"
    ) {
        return false;
    }
    tokens.windows(3).take(7).any(|w| {
        matches!(w[0], "as" | "is" | "was" | "are" | "were" | "be")
            && matches!(w[1], "a" | "an")
            && WORD_USES.contains(&w[2])
    })
}

/// Words that may sit between a form of *to be* and "defined as": "is often defined as".
const DEFINITION_ADVERBS: &[&str] = &[
    "broadly",
    "clinically",
    "commonly",
    "formally",
    "generally",
    "here",
    "loosely",
    "narrowly",
    "often",
    "operationally",
    "sometimes",
    "traditionally",
    "typically",
    "usually",
];

/// Words before a term that make it someone's or something's in particular ("the addict
/// refers to his dealer as …", "her noncompliance is defined as …"), so the sentence is about
/// a person or a case, not a definition of the term.
const PARTICULAR: &[&str] = &[
    "a", "an", "her", "his", "its", "my", "our", "that", "the", "their", "these", "this", "those",
    "your",
];

/// True when the match is the term a sentence defines (`tokens`: the words after it in its
/// sentence): it opens its sentence or the clause after a comma, bare or after a
/// word or two that are not an article or a possessive ("Noncompliance is defined as …",
/// "Medication noncompliance refers to …", "Malingering, defined as …"), and the sentence goes
/// on with a verb of definition. "The addict refers to his dealer as …" is about a person.
fn defined(masked: &str, range: &Range<usize>, tokens: &[&str]) -> bool {
    let (linked, rest) = match tokens {
        [be @ ("is" | "are" | "was" | "were"), rest @ ..] => (Some(*be), rest),
        ["," | "-" | "–" | "—", rest @ ..] => (Some(","), rest),
        rest => (None, rest),
    };
    let rest = match rest {
        [adverb, rest @ ..] if DEFINITION_ADVERBS.contains(adverb) => rest,
        rest => rest,
    };
    // "A drug seeker is defined as …": a generic definition may take an indefinite article.
    let generic = matches!(
        (linked, rest),
        (Some(be), ["defined" | "understood", "as", ..]) if be != ","
    );
    let defines = match (linked, rest) {
        (Some(_), ["defined" | "understood", "as", ..]) => true,
        (Some(be), ["used", "to", "describe" | "mean" | "refer", ..]) => be != ",",
        (None, ["refers" | "refer", "to", ..] | ["denotes" | "denote", ..]) => true,
        _ => false,
    };
    if !defines {
        return false;
    }
    const ENDS: [char; 7] = ['.', ';', '!', '?', ':', '\n', BLOCK_BREAK];
    let before = raw_sentence_before(masked, range.start, 60, &ENDS).to_ascii_lowercase();
    // A phrase set off before it by a comma ("In most audits, …") is not part of the term.
    let words = clause_tokens(&before[before.rfind(',').map_or(0, |i| i + 1)..]);
    let article_first = generic && matches!(words.first(), Some(&("a" | "an")));
    words.len() <= 2
        && !words
            .iter()
            .enumerate()
            .any(|(i, w)| !(i == 0 && article_first) && (PARTICULAR.contains(w) || is_pronoun(w)))
}

/// Cues that make the clause after them unreal: the writer describes a view to reject it.
const IRREALIS_CUES: &[&str] = &["as if", "as though"];

/// True when the match sits a few words after "as if" or "as though" in its clause: "treating
/// her as if she were lazy", "as though the client is choosing to be difficult".
fn distanced(masked: &str, start: usize) -> bool {
    let lo = floor_char(masked, start.saturating_sub(160));
    let before = masked[lo..start].to_ascii_lowercase();
    let clause_start = before
        .rfind(['.', ';', '!', '?', ':', '\n', BLOCK_BREAK])
        .map_or(0, |i| i + 1);
    let clause = &before[clause_start..];
    if !IRREALIS_CUE_SET.is_match(clause) {
        return false;
    }
    IRREALIS_CUES.iter().any(|cue| {
        find_word(clause, cue).is_some_and(|at| {
            // "acts as if", "looks as though": the writer's own impression, not a view
            // set up to be rejected.
            let verb = clause[..at].split_whitespace().next_back().unwrap_or("");
            !PERCEIVED.contains(&verb) && clause[at + cue.len()..].split_whitespace().count() <= 10
        })
    })
}

/// True when a noun label is denied of its subject: "he isn't a junkie; he is a person with an
/// illness", "she is not an alcoholic". The writer rejects the label rather than applying it;
/// "not just an addict" still applies it.
fn negated(masked: &str, range: &Range<usize>) -> bool {
    // A noun label has its article, right before the match or as its first word.
    let before = masked[..range.start].trim_end();
    let article_before = ["a", "an"].iter().any(|article| {
        before.len() >= article.len()
            && before.as_bytes()[before.len() - article.len()..]
                .eq_ignore_ascii_case(article.as_bytes())
    });
    let head = &masked.as_bytes()[range.start..(range.start + 3).min(masked.len())];
    let article_first = head.len() >= 2
        && (head[..2].eq_ignore_ascii_case(b"a ") || head.eq_ignore_ascii_case(b"an "));
    if !article_before && !article_first {
        return false;
    }
    let clause = clause_before(masked, range.start, 80);
    let mut words: Vec<&str> = clause.split_whitespace().collect();
    // A noun label ("not a junkie", or a match that starts with its article); an adjective
    // ("not dangerous to others") may be a clinical statement, and stays a use.
    let matched = masked[range.clone()].to_ascii_lowercase();
    let own_article = matched.starts_with("a ") || matched.starts_with("an ");
    if words.last().is_some_and(|w| matches!(*w, "a" | "an")) {
        words.pop();
    } else if !own_article {
        return false;
    }
    let n = words.len();
    let denied_be = |w: &str| {
        matches!(
            w.replace('’', "'").as_str(),
            "isn't" | "aren't" | "wasn't" | "weren't" | "ain't"
        )
    };
    let be = |w: &str| {
        matches!(
            w.replace('’', "'").as_str(),
            "is" | "are"
                | "was"
                | "were"
                | "am"
                | "be"
                | "been"
                | "he's"
                | "she's"
                | "they're"
                | "i'm"
                | "you're"
                | "we're"
                | "it's"
        )
    };
    match words.as_slice() {
        [.., b, "not" | "never"] => be(b),
        [.., last] => n >= 2 && denied_be(last),
        _ => false,
    }
}

/// Verbs of believing whose clause a negated instruction rejects: "Do not assume the family is
/// resistive", "never presume she is lazy".
const ASSUMING_VERBS: &[&str] = &[
    "assume",
    "assuming",
    "presume",
    "presuming",
    "believe",
    "believing",
    "think",
    "thinking",
    "suppose",
    "conclude",
    "concluding",
    "imply",
    "implying",
    "infer",
    "suggest",
    "suggesting",
];

/// Verbs that put a label on an object right after it: "don't label him non-compliant", "never
/// call a client an addict".
const NAMING_VERBS: &[&str] = &[
    "label",
    "labelling",
    "labeling",
    "call",
    "calling",
    "brand",
    "branding",
    "dub",
    "term",
    "consider",
];

/// Verbs that put a label on someone after "as": "do not describe her as non-compliant", "avoid
/// charting him as drug seeking".
const AS_VERBS: &[&str] = &[
    "describe",
    "describing",
    "characterize",
    "characterizing",
    "characterise",
    "characterising",
    "refer",
    "referring",
    "see",
    "view",
    "viewing",
    "regard",
    "regarding",
    "treat",
    "treating",
    "think",
    "chart",
    "charting",
    "document",
    "documenting",
    "record",
    "recording",
    "portray",
    "portraying",
    "label",
    "labelling",
    "labeling",
    "consider",
];

/// Verbs of saying or writing whose object is the word itself, right after them: "it said not
/// to use the homeless", "never chart refused".
const SAYING_VERBS: &[&str] = &[
    "use",
    "using",
    "say",
    "saying",
    "write",
    "writing",
    "chart",
    "charting",
    "document",
    "documenting",
];

/// Determiners that, last before a match, make it the head of the object ("don't call the
/// addict names"), not a label put on one.
const DETERMINERS: &[&str] = &[
    "a", "an", "the", "this", "that", "these", "those", "his", "her", "their", "my", "our", "your",
    "its", "any", "every", "each", "some",
];

/// True when the match is the label a negated instruction tells the reader not to think, put
/// on someone, or say: "Do not assume the family is resistive", "don't label him non-compliant",
/// "never describe her as drug seeking", "it said not to use the homeless". The writer rejects
/// the label. What the instruction is about stays a use: "Do not let the resistive patient
/// leave", "Do not assume the resistive family will return".
fn negated_instruction(masked: &str, range: &Range<usize>) -> bool {
    const ENDS: [char; 8] = ['.', ';', '!', '?', ':', '\n', BLOCK_BREAK, '('];
    let raw = raw_sentence_before(masked, range.start, 160, &ENDS);
    if !["not", "n't", "n’t", "never", "avoid"]
        .iter()
        .any(|n| contains_lowered(raw, n))
    {
        return false;
    }
    let lowered = raw.to_ascii_lowercase().replace('’', "'");
    let words = clause_tokens(&lowered);
    // The verb the negation governs: "do not assume", "don't label", "never call", "not to
    // use", "avoid describing", "try not to assume".
    let Some(neg) = words.iter().rposition(|w| {
        matches!(
            *w,
            "not" | "don't" | "dont" | "shouldn't" | "mustn't" | "never" | "avoid"
        )
    }) else {
        return false;
    };
    let negator = words[neg];
    // "Do not …" gives an order when nothing but a softener comes before it in its clause:
    // "the staff do not see …" reports what someone does.
    let opens_clause = |at: usize| {
        words[..at]
            .iter()
            .rev()
            .take_while(|w| **w != ",")
            .all(|w| {
                matches!(
                    *w,
                    "please" | "and" | "so" | "then" | "but" | "also" | "just"
                )
            })
    };
    let imperative = match negator {
        // "should not", "must not", "not to" ("told not to use"), and "do not" opening its
        // clause; not "he is not" or "staff do not".
        "not" => {
            neg > 0 && matches!(words[neg - 1], "should" | "must")
                || neg > 0 && words[neg - 1] == "do" && opens_clause(neg - 1)
                || words.get(neg + 1) == Some(&"to")
        }
        "don't" | "dont" => opens_clause(neg),
        // "Never assume …", "you should never …"; not "he never thought …".
        "never" | "avoid" => {
            opens_clause(neg)
                || neg > 0
                    && matches!(
                        words[neg - 1],
                        "please" | "you" | "should" | "must" | "to" | "always"
                    )
        }
        _ => true,
    };
    if !imperative {
        return false;
    }
    let mut v = neg + 1;
    while words
        .get(v)
        .is_some_and(|w| matches!(*w, "to" | "ever" | "just" | "simply" | "automatically"))
    {
        v += 1;
    }
    let Some(&verb) = words.get(v) else {
        return false;
    };
    let between = &words[v + 1..];
    // A comma or a dash after the verb, or a contrast, ends what it governs.
    if between
        .iter()
        .any(|w| CONTRAST.contains(w) || matches!(*w, "," | "—" | "–" | "-"))
    {
        return false;
    }
    let after = masked[range.end..].chars().next();
    if SAYING_VERBS.contains(&verb) && between.is_empty() {
        // "never chart refused": the word itself, not something it owns ("the addict's").
        return !after.is_some_and(|c| c == '\'' || c == '’' || c.is_alphanumeric());
    }
    if ASSUMING_VERBS.contains(&verb) {
        // The label is the predicate of the assumed clause: "the family is resistive", "that
        // he is just an addict".
        let Some(be) = between.iter().rposition(|w| {
            matches!(
                *w,
                "is" | "are"
                    | "was"
                    | "were"
                    | "be"
                    | "being"
                    | "been"
                    | "he's"
                    | "she's"
                    | "they're"
                    | "seems"
                    | "seem"
            )
        }) else {
            return false;
        };
        return between.len() <= 12
            && between[be + 1..]
                .iter()
                .all(|w| matches!(*w, "a" | "an" | "just" | "simply" | "being" | "always"));
    }
    if let Some(as_at) = between.iter().rposition(|w| *w == "as") {
        // "describe her as non-compliant", "refer to clients as addicts".
        // The words before "as" are the verb's object, not a clause of their own ("see
        // anything that would classify them as …").
        return AS_VERBS.contains(&verb)
            && as_at <= 4
            && !between[..as_at].iter().any(|w| {
                matches!(
                    *w,
                    "that" | "which" | "who" | "would" | "could" | "will" | "is" | "are" | "was"
                )
            })
            && between[as_at + 1..]
                .iter()
                .all(|w| matches!(*w, "a" | "an"));
    }
    if NAMING_VERBS.contains(&verb) {
        // "label him non-compliant", "call the client an addict": an object, then the label.
        let object = match between {
            [object @ .., "a" | "an"] => object,
            object => object,
        };
        return (1..=4).contains(&object.len())
            && !object.last().is_some_and(|w| DETERMINERS.contains(w));
    }
    false
}

/// Past participles of saying and writing that, after an impersonal "it was", report what
/// someone else said or wrote: "It was also written that she was non-compliant".
/// A note's own passives ("it was reported that …", "it was documented that …") and hedges
/// ("it is thought that …") pass the label on, and stay uses.
const REPORTED_PARTICIPLES: &[&str] = &[
    "alleged",
    "argued",
    "asserted",
    "assumed",
    "claimed",
    "implied",
    "presumed",
    "rumored",
    "rumoured",
    "said",
    "suggested",
    "written",
];

/// True when the match sits in a "that" clause an impersonal passive reports: "It was also
/// written that she was non-compliant", "it has been said that addicts …". The writer passes on
/// what others wrote or said. "It was noted that …" is the writer's own observation, and "She
/// was non-compliant, as written in the chart" asserts the label.
fn reported_impersonally(masked: &str, range: &Range<usize>) -> bool {
    const ENDS: [char; 7] = ['.', ';', '!', '?', ':', '\n', BLOCK_BREAK];
    let raw = raw_sentence_before(masked, range.start, 200, &ENDS);
    if !contains_lowered(raw, "that") || !contains_lowered(raw, "it") {
        return false;
    }
    let lowered = raw.to_ascii_lowercase().replace('’', "'");
    let words: Vec<&str> = words_of(&lowered).filter(|w| !w.is_empty()).collect();
    let Some(that) = words.iter().rposition(|w| *w == "that") else {
        return false;
    };
    let content = &words[that + 1..];
    if content.len() > CONTENT_WORDS || content.iter().any(|w| CONTRAST.contains(w)) {
        return false;
    }
    // "it was (also) written (in her chart) that": the participle at most four words before
    // "that", "it" and a form of "to be" before it.
    let Some(verb) =
        (that.saturating_sub(5)..that).find(|&k| REPORTED_PARTICIPLES.contains(&words[k]))
    else {
        return false;
    };
    let mut k = verb;
    while k > 0
        && matches!(
            words[k - 1],
            "also"
                | "often"
                | "once"
                | "previously"
                | "later"
                | "then"
                | "repeatedly"
                | "widely"
                | "commonly"
                | "even"
                | "falsely"
                | "been"
        )
    {
        k -= 1;
    }
    k >= 2 && matches!(words[k - 1], "was" | "is" | "has" | "had") && words[k - 2] == "it"
        || k >= 1 && matches!(words[k - 1], "it's" | "it'd")
}

/// True when the match is inside a sentence a guide quotes in single quotes, as an example of
/// wording: "Describe what you observe: 'Patient refused medications, stating I don't want to
/// take them.'" The quotation opens after a space, a bracket or a colon, before a letter, and
/// closes right after the sentence's own punctuation; apostrophes inside words ("don't") are
/// neither. Longer than a quoted label, so [`in_single_quotes`] leaves it.
fn in_quoted_sentence(masked: &str, range: &Range<usize>) -> bool {
    let line = line_bounds(masked, range);
    let before = &masked[line.start..range.start];
    let after = &masked[range.end..line.end];
    let is_mark = |c: char| matches!(c, '\'' | '‘' | '’');
    if !before.contains(is_mark) || !after.contains(is_mark) {
        return false;
    }
    // The opening mark: the last mark before the match that is not inside a word.
    let mut opened = None;
    for (at, c) in before.char_indices().rev().filter(|&(_, c)| is_mark(c)) {
        let prev = before[..at].chars().next_back();
        let next = before[at + c.len_utf8()..]
            .chars()
            .next()
            .or_else(|| masked[range.start..].chars().next());
        let inside_word =
            prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric);
        if inside_word {
            continue;
        }
        let opens = c != '’'
            && prev.is_none_or(|p| p.is_whitespace() || "([{—–-/:".contains(p))
            && next.is_some_and(char::is_alphanumeric);
        if !opens {
            return false;
        }
        opened = Some((at, c));
        break;
    }
    let Some((at, c)) = opened else {
        return false;
    };
    if before[at..].split_whitespace().count() > 30 {
        return false;
    }
    let closer = if c == '‘' { '’' } else { c };
    for (i, m) in after.char_indices().filter(|&(_, m)| is_mark(m)) {
        let prev = after[..i].chars().next_back();
        let next = after[i + m.len_utf8()..].chars().next();
        if prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric) {
            continue;
        }
        // Closed right after the sentence's punctuation: ".'", ",'", "?'".
        return (m == closer || m == '’')
            && prev.is_some_and(|p| ".,!?".contains(p))
            && next.is_none_or(|n| !n.is_alphanumeric())
            && after[..i].split_whitespace().count() <= 30;
    }
    false
}

/// True when the match is on a line that sets two wordings side by side, each a clause with the
/// same opening word: "Client is non-compliant VS Client said he does not want to take his
/// medication". A note's "Client is non-compliant vs. partially compliant" weighs two findings
/// and stays a use.
fn parallel_versus(masked: &str, range: &Range<usize>) -> bool {
    let line = line_bounds(masked, range);
    let text = &masked[line.clone()];
    if !contains_lowered(text, " vs") && !contains_lowered(text, " versus ") {
        return false;
    }
    let bytes = masked.as_bytes();
    if line.start > 0
        && !matches!(bytes[line.start - 1], b'\n' | b'\r')
        && bytes[line.start - 1] != BLOCK_BREAK as u8
    {
        return false;
    }
    let lowered = text
        .trim_matches(|c: char| c.is_whitespace() || c == BLOCK_BREAK)
        .to_ascii_lowercase();
    let Some((left, right)) = [" vs. ", " vs ", " versus "]
        .iter()
        .find_map(|v| lowered.split_once(v))
    else {
        return false;
    };
    let left_words: Vec<&str> = words_of(strip_list_marker(left)).collect();
    let right_first = words_of(right).next().unwrap_or_default();
    (2..=10).contains(&left_words.len())
        && !left.contains(['.', ';', '!', '?'])
        && right_first.len() >= 2
        && left_words.first() == Some(&right_first)
        && words_of(right).count() >= 2
}

/// Words for a part of a mind that a label may name in recovery writing: "the addict voice",
/// "my addict brain".
const MIND_PARTS: &[&str] = &[
    "voice",
    "voices",
    "brain",
    "brains",
    "mind",
    "minds",
    "mindset",
    "thinking",
    "self",
    "side",
    "personality",
    "part",
];

/// True when the label names a part of the writer's own mind: "the addict voice that took up
/// residence in our brain", "my addict brain", "the addict in me". "The addict voice in his
/// head" is someone else's.
fn self_part(masked: &str, range: &Range<usize>) -> bool {
    let hi = ceil_char(masked, (range.end + 24).min(masked.len()));
    let next: Vec<String> = words_of(&masked[range.end..hi])
        .take(2)
        .map(str::to_ascii_lowercase)
        .collect();
    let in_me = matches!(
        next.iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice(),
        [
            "in" | "inside" | "within",
            "me" | "us" | "myself" | "ourselves",
            ..
        ]
    );
    let part = next
        .first()
        .is_some_and(|w| MIND_PARTS.contains(&w.as_str()));
    if !in_me && !part {
        return false;
    }
    if in_me {
        return true;
    }
    let before = raw_clause_before(masked, range.start, 40).to_ascii_lowercase();
    if matches!(before.split_whitespace().next_back(), Some("my" | "our")) {
        return true;
    }
    // The rest of the sentence gives the part to the writer, and to no one else.
    let after = sentence_after(masked, range, 200).replace('’', "'");
    let words: Vec<&str> = words_of(&after).collect();
    words.iter().any(|w| {
        matches!(
            *w,
            "i" | "we" | "my" | "our" | "me" | "us" | "i'm" | "we're"
        )
    }) && !words.iter().any(|w| {
        matches!(
            *w,
            "he" | "she"
                | "they"
                | "his"
                | "her"
                | "their"
                | "him"
                | "them"
                | "he's"
                | "she's"
                | "they're"
        )
    })
}

/// Verbs before "as if" that report how someone seemed to the writer.
const PERCEIVED: &[&str] = &[
    "act", "acted", "acting", "acts", "appear", "appeared", "appears", "behave", "behaved",
    "behaves", "behaving", "carried", "carries", "look", "looked", "looking", "looks", "seem",
    "seemed", "seems", "sound", "sounded", "sounds",
];

/// Start of the block containing `offset`, looking back at most `limit` bytes.
pub fn block_start(masked: &str, offset: usize, limit: usize) -> usize {
    let mut lo = offset.saturating_sub(limit);
    while !masked.is_char_boundary(lo) {
        lo += 1;
    }
    masked[lo..offset].last_break().map_or(lo, |i| lo + i + 1)
}

/// True when `offset` is inside "…" or “…” within its block: an odd number of straight quotes
/// before it, or an opening curly quote not yet closed.
fn in_double_quotes(masked: &str, offset: usize) -> bool {
    let before = &masked[block_start(masked, offset, 4000)..offset];
    let straight = memchr::memchr_iter(b'"', before.as_bytes()).count();
    let open = last_of(before, '“');
    let close = last_of(before, '”');
    straight % 2 == 1 || matches!((open, close), (Some(o), c) if c.is_none_or(|c| c < o))
}

/// True when double quotes wrap the match and nothing else: `"addict"`, `“junkie”`. Straight
/// quotes nested in a quotation ("… only see you as an "addict". …") leave an even count
/// before the match, so [`in_double_quotes`] misses them; a quote mark on each side does not.
fn wrapped_in_quotes(masked: &str, range: &Range<usize>) -> bool {
    let opens = masked[..range.start].ends_with(['"', '“']);
    let closes = masked[range.end..].starts_with(['"', '”']);
    let before_open = masked[..range.start]
        .chars()
        .rev()
        .nth(1)
        .is_none_or(|c| !c.is_alphanumeric());
    opens && closes && before_open
}

/// True when the match sits between single quotes on its line: an opening `'` or `‘` (after a
/// space, a bracket or the line's start, before a letter) with no closing one between it and
/// the match, and a closing one (after the match, before a space, punctuation or the line's
/// end) on the same line. Apostrophes inside words ("don't") and possessives ("clients'")
/// are neither.
fn in_single_quotes(masked: &str, range: &Range<usize>) -> bool {
    let line = line_bounds(masked, range);
    let before = &masked[line.start..range.start];
    let after = &masked[range.end..line.end];
    let is_open = |text: &str, at: usize, c: char| {
        let prev = text[..at].chars().next_back();
        let next = text[at + c.len_utf8()..].chars().next();
        c != '’'
            && prev.is_none_or(|p| p.is_whitespace() || "([{—–-/:".contains(p))
            // Right before the match, `next` is its first character, outside `text`.
            && next.is_none_or(char::is_alphanumeric)
    };
    let is_close = |text: &str, at: usize, c: char| {
        let prev = text[..at].chars().next_back();
        let next = text[at + c.len_utf8()..].chars().next();
        // Right after the match, `prev` is its last character, outside `text`.
        c != '‘'
            && prev.is_none_or(|p| !p.is_whitespace())
            && next.is_none_or(|n| !n.is_alphanumeric())
    };
    // The last quote mark before the match must open a quotation.
    let Some((at, c)) = last_quote_mark(before).filter(|&(at, c)| is_open(before, at, c)) else {
        return false;
    };
    // Quoted labels are short: a stray apostrophe far back is not an opening quote.
    if before[at..].split_whitespace().count() > 6 {
        return false;
    }
    let quoted_char = if c == '‘' { '’' } else { c };
    after
        .char_indices()
        .find(|&(i, c)| (c == quoted_char || c == '’') && is_close(after, i, c))
        .is_some_and(|(i, _)| after[..i].split_whitespace().count() <= 6)
}

/// Where the last `c`, a character of more than one byte, is in `text`: its first byte found
/// with `memchr`, without building a searcher for each of the many findings that ask.
fn last_of(text: &str, c: char) -> Option<usize> {
    let mut encoded = [0; 4];
    let encoded = c.encode_utf8(&mut encoded).as_bytes();
    let bytes = text.as_bytes();
    let mut end = bytes.len();
    while let Some(at) = memchr::memrchr(encoded[0], &bytes[..end]) {
        if bytes[at..].starts_with(encoded) {
            return Some(at);
        }
        end = at;
    }
    None
}

/// The last single quote mark of `text` (`'`, `‘` or `’`) and where it is: found with `memchr`,
/// as every finding asks and a line may be hundreds of bytes long.
fn last_quote_mark(text: &str) -> Option<(usize, char)> {
    // `‘` and `’` are E2 80 98 and E2 80 99 in UTF-8.
    let bytes = text.as_bytes();
    let mut end = bytes.len();
    while let Some(at) = memchr::memrchr2(b'\'', 0xE2, &bytes[..end]) {
        match &bytes[at..] {
            [b'\'', ..] => return Some((at, '\'')),
            [0xE2, 0x80, 0x98, ..] => return Some((at, '‘')),
            [0xE2, 0x80, 0x99, ..] => return Some((at, '’')),
            _ => end = at,
        }
    }
    None
}

/// The line holding `range`, within its block and [`REACH`] bytes either side.
fn line_bounds(masked: &str, range: &Range<usize>) -> Range<usize> {
    let lo = floor_char(masked, range.start.saturating_sub(REACH));
    let hi = ceil_char(masked, (range.end + REACH).min(masked.len()));
    let bytes = masked.as_bytes();
    let start = memchr::memrchr2(b'\n', BLOCK_BREAK as u8, &bytes[lo..range.start])
        .map_or(lo, |i| lo + i + 1);
    let end = memchr::memchr2(b'\n', BLOCK_BREAK as u8, &bytes[range.end..hi])
        .map_or(hi, |i| range.end + i);
    start..end
}

/// Words that, before a colon at the start of a line, mark the line as words to avoid
/// ("Avoid: addict; junkie"), and, in a heading or a line ending with a colon, the list
/// below it.
const AVOID_LABELS: &[&str] = &[
    "avoid",
    "don't",
    "don’t",
    "do not",
    "instead of",
    "less preferred",
    "never say",
    "not this",
    "rather than",
    "reconsider",
];

/// Judgements that mark a heading or label as words to avoid only beside a word for words:
/// "Harmful language" and "Outdated terms" introduce a list of labels, "Harmful behaviours" and
/// "Problematic substance use" introduce notes about a person.
const AVOID_JUDGEMENTS: &[&str] = &[
    "outdated",
    "old",
    "retire",
    "replace",
    "reject",
    "dislike",
    "derogatory",
    "pejorative",
    "hurtful",
    "loaded",
    "stigmatizing",
    "stigmatising",
    "harmful",
    "offensive",
    "problematic",
];
const WORDS_FOR_WORDS: &[&str] = &[
    "word",
    "words",
    "term",
    "terms",
    "language",
    "label",
    "labels",
    "phrase",
    "phrases",
    "wording",
    "expressions",
    "vocabulary",
];

/// Cues that make the words right after them a mention in running prose, in the order they are
/// tried: the swaps, the instructions about saying, the names for a word, and calling someone.
static INLINE_CUES: LazyLock<Vec<&str>> =
    LazyLock::new(|| [SWAP_CUES, SAYING_CUES, NAMING_CUES, CALLING_CUES].concat());

/// "Instead of X": a word offered for swapping.
const SWAP_CUES: &[&str] = &["instead of", "rather than", "in place of"];

/// Instructions about saying or using a word.
const SAYING_CUES: &[&str] = &[
    "don't say",
    "don’t say",
    "do not say",
    "don't use",
    "don’t use",
    "do not use",
    "don't call",
    "don’t call",
    "do not call",
    "stop saying",
    "stop using",
    "avoid saying",
    "avoid using",
    "avoid calling",
    "avoid terms like",
    "avoid words like",
];

/// What names a word as a word: "the term", "so-called", "labelled".
const NAMING_CUES: &[&str] = &[
    "the word",
    "the words",
    "the term",
    "the terms",
    "the label",
    "the labels",
    "so-called",
    "so called",
    "labelled",
    "labeled",
    "labelling",
    "labeling",
    "branded",
    "is called",
    "was called",
    "are called",
    "were called",
    "titled",
    "entitled",
];

/// Calling someone something.
const CALLING_CUES: &[&str] = &[
    "calling clients",
    "calling patients",
    "calling people",
    "calling someone",
    "call clients",
    "call patients",
    "call people",
    "call someone",
    "words like",
    "terms like",
    "labels like",
    "phrases like",
    "words such as",
    "terms such as",
    "labels such as",
    "phrases such as",
    "a term like",
    "a word like",
    "a label like",
    "a phrase like",
    "a term such as",
    "a word such as",
    "calling a person",
    "call a person",
    "calling somebody",
    "call somebody",
    "when saying",
    "by saying",
];

/// Whether a comma closes the phrase `cue` governs, when the cue opens the sentence: "Instead
/// of addict, use …", "The term junkie, though, …". After a verb of saying or calling, commas
/// go on with the list.
fn comma_closes(cue: &str) -> bool {
    SWAP_CUES.contains(&cue) || NAMING_CUES.contains(&cue)
}

/// Words that open a clause of their own after a cue's words: "stop using the terms 'crazy'
/// and 'psycho' when describing the mentally ill" mentions two words, then uses a label.
const CLAUSE_STARTS: &[&str] = &[
    "when",
    "whenever",
    "while",
    "because",
    "since",
    "unless",
    "although",
    "though",
    "who",
    "which",
    "describing",
    "describe",
    "referring",
    "about",
];

/// True when the match is in a line or list of words to avoid, or follows an inline cue.
fn listed(masked: &str, range: &Range<usize>) -> bool {
    let line = line_bounds(masked, range);
    let lowered = masked[line.start..range.start].to_ascii_lowercase();
    if crossed_out(&lowered) {
        return true;
    }
    let after_on_line = &masked[range.end..line.end];
    if struck_out(&lowered, after_on_line) || judged_in_brackets(after_on_line) {
        return true;
    }
    let head = strip_list_marker(&lowered);
    // "Avoid: addict; addicted", "Outdated: mentally retarded" — a label before a colon.
    if let Some(colon) = head.find(':') {
        if colon <= 40 && (has_avoid_label(&head[..colon]) || bare_judgement(&head[..colon])) {
            return true;
        }
    }
    // "Say this: person with schizophrenia. Not this: schizophrenic." — a label before a colon
    // that opens a later sentence of the line, with nothing after the colon but the words.
    let sentence_start = head.rfind(['.', ';', '!', '?']).map_or(0, |i| i + 1);
    let sentence = head[sentence_start..].trim_start();
    if let Some(colon) = sentence.find(':') {
        let label = &sentence[..colon];
        if label.len() <= 30
            && (has_avoid_label(label) || bare_judgement(label))
            && !sentence[colon + 1..].contains(':')
        {
            return true;
        }
    }
    if asked_about(sentence, after_on_line) {
        return true;
    }
    // "Use person who uses drugs, not drug user or addict."
    if use_not_sentence(sentence) {
        return true;
    }
    // "Example: A person with epilepsy, not an epileptic." — a preferred term, then ", not"
    // and the term it replaces, closing the sentence.
    if term_not_term(sentence) && sentence_ends_soon(&masked[range.end..line.end], 4) {
        return true;
    }
    // "Avoid addict, junkie" — a line that starts with the imperative, up to its first
    // sentence end ("Avoid NSAIDs. Non-compliant with …" is an instruction, then a use).
    if starts_with_word(head, "avoid") && !head.contains(['.', ';', '!', '?']) {
        return true;
    }
    if inline_cue(&lowered) || avoid_sentence(&lowered) {
        return true;
    }
    // An item of an avoid list is a word or a short phrase, or a row of a table; a sentence
    // under such a heading ("He is an addict.") is a use.
    let whole = masked[line.start..line.end].trim();
    // A word or a short phrase, or a line of them each closed by a full stop ("Addict. Junkie.
    // Druggie.").
    let item = whole.len() <= 80
        && (!whole.ends_with(['.', '!', '?'])
            || whole
                .split(['.', '!', '?'])
                .all(|piece| piece.split_whitespace().count() <= 3));
    (item || whole.contains('|')) && under_avoid_heading(masked, line.start)
}

/// Marks that a guide puts before wording to drop, as a tick goes before wording to use.
const CROSS_MARKS: &[char] = &['×', '✗', '✘', '✕', '✖', '❌', '❎', '🚫', '⛔'];

/// True when the line opens with a cross mark and a space, as a guide marks wording to drop:
/// "× Committed suicide", "❌ Addict, junkie".
fn crossed_out(line_before: &str) -> bool {
    let text = line_before.trim_start_matches(|c: char| c.is_whitespace() || c == BLOCK_BREAK);
    let opens_with_cross = |text: &str| {
        text.strip_prefix(CROSS_MARKS)
            .map(|rest| rest.trim_start_matches('\u{fe0f}'))
            .is_some_and(|rest| rest.starts_with([' ', '\u{a0}']))
    };
    // The last mark before the match decides: "✅ Person who uses drugs ❌ Junkie", and "✘ Left
    // early ✔ …" is wording to use. A mark later in the line is a cross only a few words back,
    // and never "×", which there is a multiplication sign ("Client × 2 visits").
    match text.rfind(|c: char| CROSS_MARKS.contains(&c) || TICK_MARKS.contains(&c)) {
        Some(0) => opens_with_cross(text),
        Some(at) => {
            let rest = &text[at..];
            !rest.starts_with('×') && opens_with_cross(rest) && rest.split_whitespace().count() <= 8
        }
        None => false,
    }
}

/// Marks that a guide puts before wording to use.
const TICK_MARKS: &[char] = &['✓', '✔', '✅', '☑', '👍'];

/// True when the match is struck through on its line: between `~~` and `~~` ("~~junkie~~
/// person who uses drugs").
fn struck_out(line_before: &str, line_after: &str) -> bool {
    line_before.matches("~~").count() % 2 == 1 && line_after.contains("~~")
}

/// True when a bracket right after the match judges it: "Junkie (avoid)", "Substance abuser
/// (outdated) / person with …", "mentally retarded (offensive)".
fn judged_in_brackets(line_after: &str) -> bool {
    let Some(inner) = line_after.trim_start().strip_prefix('(') else {
        return false;
    };
    let Some(close) = inner.find(')') else {
        return false;
    };
    let inner = inner[..close].to_ascii_lowercase();
    // Only a label: "(avoid opioids)" after "drug seeking" is a note's plan.
    let label_only = words_of(&inner).all(|w| {
        AVOID_HEADING_WORDS.contains(&w)
            || AVOID_JUDGEMENTS.contains(&w)
            || LIST_VERDICTS.contains(&w)
            || WORDS_FOR_WORDS.contains(&w)
            || matches!(w, "incorrect" | "wrong")
    });
    label_only
        && inner.split_whitespace().count() <= 3
        && (has_avoid_label(&inner)
            || bare_judgement(&inner)
            || matches!(inner.trim(), "not preferred" | "incorrect" | "wrong"))
}

/// True when `label` is a judgement of wording alone, as a column's or a line's label:
/// "Outdated", "Offensive", "Stigmatizing", "Problematic".
fn bare_judgement(label: &str) -> bool {
    let words: Vec<&str> = words_of(label).collect();
    words.len() <= 2
        && words.first().is_some_and(|w| {
            LIST_VERDICTS.contains(w) || matches!(*w, "problematic" | "pejorative" | "hurtful")
        })
}

/// "Is it OK to say junkie?", "Can I call someone an addict?": a question that asks about
/// saying the word. `sentence` is the lowered sentence up to the match; `after_on_line` the
/// line after it.
fn asked_about(sentence: &str, after_on_line: &str) -> bool {
    let words: Vec<&str> = words_of(sentence).collect();
    const PERSON: &[&str] = &["someone", "somebody", "people", "them", "him", "her"];
    let n = words.len();
    let asks = match words.as_slice() {
        [.., "say" | "call"] => true,
        [.., "say" | "call", "a" | "an" | "the"] => true,
        // "call someone", "call someone a".
        [.., "call", w] => PERSON.contains(w),
        [.., "call", w, "a" | "an"] => PERSON.contains(w),
        _ => false,
    } && n > 0;
    if !asks {
        return false;
    }
    let end = after_on_line
        .find(['.', '!', '?', ';'])
        .filter(|&i| after_on_line[i..].starts_with('?'));
    end.is_some_and(|i| after_on_line[..i].split_whitespace().count() <= 4)
}

/// "Use person who uses drugs, not addict", "Say died by suicide, not committed suicide": an
/// imperative to use one wording, then ", not" and the words to drop, a few words on.
fn use_not_sentence(sentence: &str) -> bool {
    let first = sentence.split_whitespace().next().unwrap_or_default();
    if !matches!(first, "use" | "say" | "write" | "prefer" | "choose" | "try") {
        return false;
    }
    sentence.rfind(" not ").is_some_and(|at| {
        let after = &sentence[at + " not ".len()..];
        after.split_whitespace().count() <= 5
    })
}

/// Labels that open an example in a guide: "Example: A person with epilepsy, not …".
const EXAMPLE_LABELS: &[&str] = &[
    "example:",
    "examples:",
    "e.g.",
    "e.g.,",
    "eg:",
    "for example,",
];

/// "A person with epilepsy, not an epileptic", "Someone with a mental illness, not someone who
/// suffers from …": `sentence` (the lowered sentence up to the match) is a short term, then
/// ", not" and at most a few words. A clause with a subject and a form of *to be* before the
/// comma ("he is tired, not …") describes someone, so it is no pair of terms; "a person who is
/// deaf" is.
fn term_not_term(sentence: &str) -> bool {
    let mut text = strip_list_marker(sentence).trim_start();
    for label in EXAMPLE_LABELS {
        if let Some(rest) = text.strip_prefix(label) {
            text = strip_list_marker(rest).trim_start();
        }
    }
    let Some(at) = text.rfind(", not ") else {
        return false;
    };
    if text[at + ", not ".len()..].split_whitespace().count() > 6 {
        return false;
    }
    let words: Vec<&str> = words_of(&text[..at]).collect();
    if words.is_empty() || words.len() > 8 || text[..at].contains([',', ';', ':']) {
        return false;
    }
    words.iter().enumerate().all(|(i, w)| {
        let relative = i > 0 && matches!(words[i - 1], "who" | "that");
        !matches!(
            *w,
            "i" | "he" | "she" | "they" | "we" | "you" | "it" | "his" | "her" | "their"
        ) && (relative || !matches!(*w, "is" | "are" | "was" | "were" | "am" | "be"))
    })
}

/// True when the sentence holding the match ends within `words` words after it, on its line,
/// with no comma between: "The patient, not the addict, is in bed 4" goes on after the term.
fn sentence_ends_soon(after_on_line: &str, words: usize) -> bool {
    let end = after_on_line
        .find(['.', ';', '!', '?'])
        .unwrap_or(after_on_line.len());
    let rest = &after_on_line[..end];
    !rest.contains(',') && rest.split_whitespace().count() <= words
}

/// A sentence inside a line that opens with the imperative "Avoid" and lists words: "Avoid
/// alcoholic, addict, user, and abuser unless …". Only a short list may come between "avoid" and
/// the match; a reason ("Avoid opioids as he is an addict") makes the rest of the sentence a use.
fn avoid_sentence(before_on_line: &str) -> bool {
    let start = before_on_line
        .rfind(['.', ';', '!', '?'])
        .map_or(0, |i| i + 1);
    let sentence = before_on_line[start..].trim_start();
    let Some(rest) = sentence.strip_prefix("avoid ") else {
        return false;
    };
    let words: Vec<&str> = rest.split_whitespace().collect();
    words.len() <= 8
        && !words.iter().any(|w| {
            matches!(
                w.trim_matches(|c: char| !c.is_alphanumeric()),
                "as" | "since"
                    | "because"
                    | "if"
                    | "when"
                    | "while"
                    | "is"
                    | "are"
                    | "was"
                    | "were"
            )
        })
}

/// The clause before the match holds a cue like "instead of" or "the term". A cue that starts
/// its sentence ("Instead of addict, use …") covers only up to the next comma.
fn inline_cue(before_on_line: &str) -> bool {
    let sentence_start = before_on_line
        .rfind(['.', ';', '!', '?', ':', '(', '['])
        .map_or(0, |i| i + 1);
    let sentence = &before_on_line[sentence_start..];
    if !INLINE_CUE_SET.is_match(sentence) {
        return false;
    }
    for cue in INLINE_CUES.iter() {
        let Some(at) = find_word(sentence, cue) else {
            continue;
        };
        let between = &sentence[at + cue.len()..];
        let cue_starts_sentence = strip_list_marker(&sentence[..at]).trim().is_empty();
        // Mentions are short: a cue many words back is about something else.
        if between.split_whitespace().count() > 8 {
            continue;
        }
        // "Instead of addict, use …": the comma closes the cue's phrase, and a clause follows.
        // After a verb that takes words ("calling a person an alcoholic, a drunk", "do not use
        // terms that imply suffering, affliction"), commas go on with the list, unless a clause
        // with its own subject follows one ("don't call him names, he is …").
        if between.contains(',')
            && (comma_closes(cue) && cue_starts_sentence
                || words_of(&between[between.rfind(',').unwrap_or(0)..]).any(|w| {
                    matches!(
                        w,
                        "he" | "she" | "they" | "i" | "we" | "is" | "was" | "are" | "were"
                    )
                }))
        {
            continue;
        }
        if words_of(between).any(|w| CLAUSE_STARTS.contains(&w)) {
            continue;
        }
        return true;
    }
    false
}

/// True when the line at `line_start` is an item of a list (or a short line of a table or
/// glossary) whose heading or introducing line names words to avoid.
///
/// Lines are read upwards one at a time and the walk stops at the first line that decides,
/// so a match costs a line or two of reading in running prose, however dense its findings.
fn under_avoid_heading(masked: &str, line_start: usize) -> bool {
    const BREAK: u8 = BLOCK_BREAK as u8;
    let bytes = masked.as_bytes();
    // `line_bounds` cut a line longer than its reach: that is prose, not a list item.
    if line_start > 0 && !matches!(bytes[line_start - 1], b'\n' | BREAK) {
        return false;
    }
    let lo = floor_char(masked, line_start.saturating_sub(LIST_REACH));
    let mut lines_read = 0;
    // `end` is the separator that ends the line being read.
    let mut end = line_start;
    // Whether a blank line was passed: only the list's own heading may come before it.
    let mut past_blank = false;
    while end > lo && lines_read < LIST_LINES {
        let line_end = end - 1;
        let start = memchr::memrchr2(b'\n', BREAK, &bytes[lo..line_end]).map_or(lo, |i| lo + i + 1);
        let line = &masked[start..line_end];
        end = start;
        if line.is_empty() && start > lo && bytes[start - 1] == b'\n' {
            // A blank line ends the list ("\n\n", or a block break between two line breaks),
            // unless the line above it is the list's heading ("Not this", blank, the items).
            let after = &bytes[line_end..];
            if after.starts_with(b"\n") || after.starts_with(&[BREAK, b'\n']) {
                if past_blank {
                    return false;
                }
                past_blank = true;
                continue;
            }
        }
        if line.trim().is_empty() {
            continue;
        }
        lines_read += 1;
        let lowered = line.to_ascii_lowercase();
        let text = strip_list_marker(&lowered).trim();
        if past_blank {
            return avoid_heading(text);
        }
        if avoid_table_header(text) {
            return true;
        }
        // "Avoid:", "# Words to avoid", and "Instead of…" on a line of its own.
        let introduces = text.ends_with([':', '…'])
            || text.ends_with("...")
            || line.trim_start().starts_with('#');
        let names_avoid = has_avoid_label(text) || text.contains("to avoid");
        if introduces {
            return names_avoid || introduces_words(text);
        }
        // "The following words have been used to describe someone. Read over the list …": a
        // paragraph right above the list that says it lists words.
        if introduces_words(text) {
            return true;
        }
        // The masked view of a Markdown heading has lost its `#`: a short line that names
        // words to avoid, with no sentence end, is the list's heading.
        if names_avoid && text.len() <= 60 && !text.ends_with(['.', '!', '?']) {
            return true;
        }
        // A sentence in between ends the list; a table's row does not, however long, nor an
        // item that ends with "etc.".
        let sentence = text.len() > 80 || (text.ends_with('.') && !text.ends_with("etc."));
        // A row's cell may open its line with the pipe ("| These terms are offensive. |").
        if sentence && !line.contains('|') {
            return false;
        }
    }
    false
}

/// Words a heading of a list of words to avoid is made of, beside [`AVOID_JUDGEMENTS`] and
/// [`WORDS_FOR_WORDS`]: "Not this", "Words to avoid", "Don't say", "Less preferred terms".
const AVOID_HEADING_WORDS: &[&str] = &[
    "avoid",
    "do",
    "don't",
    "don’t",
    "instead",
    "less",
    "never",
    "not",
    "of",
    "preferred",
    "rather",
    "reconsider",
    "say",
    "saying",
    "than",
    "that",
    "the",
    "these",
    "this",
    "to",
    "use",
    "using",
];

/// True when `text` is a heading of a list of words to avoid standing apart from its list, as
/// plain text copies of guides set it: a short line of heading words only that names wording to
/// avoid ("Not This", "Words to avoid", "Avoid:", "## Stigmatizing language"). "Don't forget
/// the milk" is no heading of words.
pub fn avoid_heading(text: &str) -> bool {
    let text = text
        .trim_matches(|c: char| c.is_whitespace() || c == BLOCK_BREAK || "#*_:".contains(c))
        .to_ascii_lowercase();
    if text.is_empty() || text.len() > 40 || text.contains(['.', '!', '?', ';', ',']) {
        return false;
    }
    let heading_word = |w: &str| {
        AVOID_HEADING_WORDS.contains(&w)
            || AVOID_JUDGEMENTS.contains(&w)
            || WORDS_FOR_WORDS.contains(&w)
    };
    words_of(&text).all(heading_word) && (has_avoid_label(&text) || text.contains("to avoid"))
}

/// True when `text` announces a list of words: "the following words", "the following terms
/// and phrases", "a list of labels", "these words:".
fn introduces_words(text: &str) -> bool {
    ["the following ", "list of ", "these "].iter().any(|lead| {
        text.match_indices(lead).any(|(at, _)| {
            let rest = &text[at + lead.len()..];
            // A word may come between: "the following stigmatizing terms".
            words_of(rest)
                .take(2)
                .any(|w| WORDS_FOR_WORDS.contains(&w) || MORE_WORDS_FOR_WORDS.contains(&w))
                && (*lead != "these " || text.trim_end().ends_with(':'))
        })
    })
}

/// Words for words beyond [`WORDS_FOR_WORDS`] that show a sentence is about vocabulary:
/// "slang references to people (e.g., …)", "insults such as …".
const MORE_WORDS_FOR_WORDS: &[&str] = &[
    "slang",
    "slurs",
    "slur",
    "insults",
    "names",
    "nicknames",
    "terminology",
    "jargon",
    "designations",
    "descriptors",
    "epithets",
    "euphemisms",
];

fn names_words(text: &str) -> bool {
    WORDS_FOR_WORDS
        .iter()
        .chain(MORE_WORDS_FOR_WORDS)
        .any(|w| find_word(text, w).is_some())
}

/// What joins a term to its replacement in a table of words: an equals sign or an arrow.
const EQUATES: &[&str] = &["=", "→", "->", "⇒"];

/// True when the match is the headword of a glossary entry: the whole of its block ("1.
/// Addict" above the paragraph that discusses it), or the head of a line before a dash or a
/// colon whose gloss talks about the word ("Addict – This word fails …", "Clean/dirty/sober:
/// these terms …") or that sits under a heading naming words to avoid. A note's line ("Addict
/// - wants detox today") glosses a person, not a word, and stays a use.
fn headword(masked: &str, range: &Range<usize>) -> bool {
    let line = line_bounds(masked, range);
    let before = strip_list_marker(&masked[line.start..range.start]).trim();
    let after = &masked[range.end..line.end];
    // "Addict = person with a substance use disorder", "Former/reformed addict → person in
    // recovery": a short head, then an equals sign or an arrow to the replacement.
    // The head is a term: an article or a word or two before the match, or terms joined by
    // slashes; a few words after it, no sentence.
    if let Some(at) = EQUATES.iter().filter_map(|m| after.find(m)).min() {
        let short = |t: &str, words: usize| {
            t.len() <= 30
                && t.split_whitespace().count() <= words
                && !t.contains(|c: char| ".;!?:".contains(c) || c.is_ascii_digit())
        };
        let head_words = if before.contains('/') { 4 } else { 2 };
        if short(before, head_words) && short(after[..at].trim(), 3) {
            return true;
        }
    }
    // Only other short terms may come before it on its line: "Clean/dirty/sober", "Habit or
    // Drug Habit".
    let head_ok = before.is_empty()
        || (before.len() <= 30
            && (before.ends_with(['/', ','])
                || before.ends_with(" or")
                || before.ends_with(" and"))
            && before.split_whitespace().count() <= 4);
    if !head_ok {
        return false;
    }
    let rest = after.trim_end_matches(|c: char| c.is_whitespace() || c == BLOCK_BREAK);
    let rest = rest.trim_end_matches(':').trim();
    // "Abuser, Addict, Alcoholic" above the paragraph that discusses them: more terms after the
    // match make it one headword of several.
    let rest = if more_terms(rest) { "" } else { rest };
    if rest.is_empty() {
        let own = masked[line.start..line.end]
            .trim_matches(|c: char| c.is_whitespace() || c == BLOCK_BREAK);
        if own.len() > 40 {
            return false;
        }
        // The title of the paragraph right after it, which discusses the word: a long
        // sentence that uses the word again. The next item of a problem list is short.
        let hi = ceil_char(masked, (line.end + 400).min(masked.len()));
        let next = masked[line.end..hi]
            .trim_start_matches(|c: char| c.is_whitespace() || c == BLOCK_BREAK);
        let next_line = next.split(['\n', BLOCK_BREAK]).next().unwrap_or_default();
        if next.is_empty() {
            // The last line of its chunk, whose paragraph comes next: a title when the block
            // before it is a paragraph of prose, not another item of a list.
            let prev = masked[..line.start]
                .trim_end_matches(|c: char| c.is_whitespace() || c == BLOCK_BREAK);
            let prev_line = prev.rsplit(['\n', BLOCK_BREAK]).next().unwrap_or_default();
            let separate = masked[..line.start].ends_with(BLOCK_BREAK);
            return separate && prev_line.len() > 80 && prev_line.ends_with(['.', '?', '!']);
        }
        let word = masked[range.clone()].to_ascii_lowercase();
        let next_lower = next_line.to_ascii_lowercase();
        let first_sentence = next_lower.split(['.', '?', '!']).next().unwrap_or_default();
        // The paragraph uses the word again, or opens by talking about a word ("This term
        // implies …").
        return next_line.len() > 80
            && next_line.contains(['.', '?', '!'])
            && (find_word(&next_lower, &word).is_some() || names_words(first_sentence));
    }
    // More terms of the same head ("/dirty/sober", "(r)"), then the separator.
    let sep = ["–", "—", "- ", ":"]
        .iter()
        .filter_map(|m| rest.find(m))
        .min();
    let Some(sep) = sep else {
        return false;
    };
    let head_rest = &rest[..sep];
    if head_rest.len() > 30 || head_rest.contains(['.', ',', ';']) && !head_rest.contains('/') {
        return false;
    }
    let gloss = rest[sep..].to_ascii_lowercase();
    let first_sentence = gloss.split(['.', '!', '?']).next().unwrap_or_default();
    names_words(first_sentence)
        || replacement_gloss(first_sentence)
        || under_avoid_heading(masked, line.start)
}

/// True when a glossary line's gloss tells what to say in the headword's place: "Addict: use
/// person with a substance use disorder instead", "Junkie — say person who uses drugs". It opens
/// with the imperative and offers a person; "Non-compliant – try the depot instead" is a note's
/// plan.
fn replacement_gloss(first_sentence: &str) -> bool {
    let gloss = first_sentence.trim_start_matches(|c: char| "–—-: ".contains(c));
    let mut words = words_of(gloss);
    let opens = words
        .next()
        .is_some_and(|w| matches!(w, "use" | "say" | "try" | "write" | "prefer" | "instead"));
    opens
        && words_of(gloss).any(|w| {
            matches!(
                w,
                "person" | "people" | "someone" | "individual" | "individuals"
            )
        })
}

/// True when `rest` (what follows a match on its line) is only more terms joined to it: ",
/// Alcoholic", "/reformed addict", " or Drug Habit". Each is a word or a short phrase.
fn more_terms(rest: &str) -> bool {
    if rest.len() > 40 || !rest.starts_with([',', '/']) {
        return false;
    }
    rest.split([',', '/'])
        .skip(1)
        .map(|t| t.trim())
        .map(|t| {
            t.strip_prefix("or ")
                .or(t.strip_prefix("and "))
                .unwrap_or(t)
        })
        .all(|t| {
            !t.is_empty()
                && t.split_whitespace().count() <= 3
                && !t.contains(|c: char| ".;!?:()".contains(c) || c.is_ascii_digit())
        })
}

/// Verdicts after a list that opens its sentence and say the items are words to drop:
/// "Crazy, lunatic and psycho are offensive", "… are derogatory". They close the sentence; one
/// that goes on ("… are offensive to the neighbours") may judge people.
const LIST_VERDICTS: &[&str] = &[
    "offensive",
    "derogatory",
    "pejorative",
    "demeaning",
    "dehumanizing",
    "dehumanising",
    "stigmatizing",
    "stigmatising",
    "slurs",
    "insulting",
    "outdated",
    "ableist",
];

/// True when the match is an item of a list of two or more short items that opens its sentence
/// and that the sentence then judges as words: "Crazy, manic, lunatic, psycho, and schizo are
/// offensive", "Psychotic, schizophrenic and similar words should only be used …", "Alcoholic
/// and abuse are negative terms". "Addicts and dealers are harmful to the town" judges people,
/// and stays a use.
fn judged_list(masked: &str, range: &Range<usize>) -> bool {
    const ENDS: [char; 7] = ['.', ';', '!', '?', ':', '\n', BLOCK_BREAK];
    // An item opens its sentence or follows a comma, a slash, "and" or "or": every other match
    // is ruled out before anything is allocated.
    let just_before = masked[..range.start].trim_end_matches(' ');
    let opens_item = just_before.is_empty()
        || just_before.ends_with([',', '/'])
        || just_before.ends_with(ENDS)
        || [" and", " or"].iter().any(|w| {
            just_before.len() >= w.len()
                && just_before.as_bytes()[just_before.len() - w.len()..]
                    .eq_ignore_ascii_case(w.as_bytes())
        });
    if !opens_item {
        return false;
    }
    let before = raw_sentence_before(masked, range.start, 160, &ENDS);
    let after = sentence_after(masked, range, 160);
    let split = |text: &str| -> Vec<String> {
        text.replace(" and ", ",")
            .replace(" or ", ",")
            .split([',', '/'])
            .map(|t| t.trim().to_owned())
            .collect()
    };
    let short = |t: &String| t.split_whitespace().count() <= 3 && !t.contains(['(', ')', '"']);
    let lowered_before = format!(" {}", before.to_ascii_lowercase());
    let items_before = split(&lowered_before);
    let (last, earlier) = items_before.split_last().expect("split yields one piece");
    if !matches!(last.as_str(), "" | "and" | "or") || !earlier.iter().all(short) {
        return false;
    }
    // The rest of the list, up to the verb that judges it.
    let padded = format!("{} ", after.trim_end_matches(['.', '!', '?', ';']));
    let Some((at, verb)) = [" are ", " is ", " should ", " and similar ", " and other "]
        .iter()
        .filter_map(|v| padded.find(v).map(|i| (i, *v)))
        .min_by_key(|&(i, _)| i)
    else {
        return false;
    };
    let items_after = split(&padded[..at]);
    let (own, later) = items_after.split_first().expect("split yields one piece");
    if !own.is_empty() || !later.iter().all(short) {
        return false;
    }
    let count = earlier
        .iter()
        .chain(later)
        .filter(|t| !t.is_empty())
        .count()
        + 1;
    if count < 2 {
        return false;
    }
    let verdict: Vec<&str> = words_of(&padded[at + verb.len()..]).take(4).collect();
    match verb {
        " and similar " | " and other " => {
            verdict.first().is_some_and(|w| WORDS_FOR_WORDS.contains(w))
        }
        " should " => matches!(
            verdict.as_slice(),
            ["be", "avoided", ..]
                | ["not", "be", "used", ..]
                | ["only", "be", "used", ..]
                | ["never", "be", "used", ..]
        ),
        // "… are negative terms", or a verdict that closes the sentence: "… are offensive." A
        // verdict that goes on ("are offensive to the neighbours") may judge people.
        _ => {
            verdict.iter().any(|w| WORDS_FOR_WORDS.contains(w))
                || verdict.len() <= 2 && verdict.last().is_some_and(|w| LIST_VERDICTS.contains(w))
        }
    }
}

/// True when the match is on a lone line comparing two terms, as a style guide heads an entry:
/// "Alcohol use disorder vs. alcoholism", "Baby with neonatal abstinence syndrome vs. born
/// addicted". A line of its own, with no sentence in it, and a short term either side.
fn versus_heading(masked: &str, range: &Range<usize>) -> bool {
    let line = line_bounds(masked, range);
    let text = masked[line.clone()].trim_matches(|c: char| c.is_whitespace() || c == BLOCK_BREAK);
    if text.len() > 80 || text.contains([',', ';', ':', '!', '?', '"', '(']) {
        return false;
    }
    let bytes = masked.as_bytes();
    let own_line = |at: usize| {
        at == 0 || matches!(bytes[at - 1], b'\n' | b'\r') || bytes[at - 1] == BLOCK_BREAK as u8
    };
    if !own_line(line.start) {
        return false;
    }
    let lowered = text.to_ascii_lowercase();
    let Some((left, right)) = [" vs. ", " vs ", " versus "]
        .iter()
        .find_map(|v| lowered.split_once(v))
    else {
        return false;
    };
    let term = |t: &str| {
        let words = t.split_whitespace().count();
        (1..=7).contains(&words) && !t.trim_end().ends_with('.')
    };
    term(left) && term(right)
}

/// True when `line` offers person-first wording, as a guide's column of terms to use does:
/// "people with epilepsy", "Person in long-term recovery", "someone who uses drugs".
fn person_first(line: &str) -> bool {
    let mut words = words_of(line).map(str::to_ascii_lowercase);
    let mut first = words.next().unwrap_or_default();
    if matches!(first.as_str(), "a" | "an") {
        first = words.next().unwrap_or_default();
    }
    let joins = words.next().unwrap_or_default();
    matches!(
        first.as_str(),
        "person" | "persons" | "people" | "someone" | "individual" | "individuals"
    ) && matches!(
        joins.as_str(),
        "with" | "who" | "in" | "living" | "experiencing" | "without" | "affected" | "of" | "on"
    )
}

/// True when the match is a whole short line in a run of short lines, at least two of them
/// person-first wording: a guide's two-column table of terms to use and to drop, flattened
/// into lines with its header lost ("people with epilepsy / epileptics / people who are deaf /
/// the deaf"). A note's list ("Hypertension / Alcoholic / Smoker") offers no such wording.
fn among_person_first_terms(masked: &str, range: &Range<usize>) -> bool {
    const BREAK: u8 = BLOCK_BREAK as u8;
    let line = line_bounds(masked, range);
    let bytes = masked.as_bytes();
    let own_start = line.start == 0 || matches!(bytes[line.start - 1], b'\n' | BREAK);
    let own_end = line.end == masked.len() || matches!(bytes[line.end], b'\n' | BREAK);
    let short = |text: &str| {
        let text =
            strip_list_marker(text.trim_matches(|c: char| c.is_whitespace() || c == BLOCK_BREAK));
        !text.is_empty()
            && text.len() <= 50
            && text.split_whitespace().count() <= 6
            && !text.contains(['.', '!', '?', ';', ':', '"', '“'])
    };
    if !own_start || !own_end || !short(&masked[line.clone()]) {
        return false;
    }
    let lo = floor_char(masked, line.start.saturating_sub(400));
    let hi = ceil_char(masked, (line.end + 400).min(masked.len()));
    // Neighbouring lines, nearest first, up to a line that is not a term or a blank line.
    let neighbours = |lines: &mut dyn Iterator<Item = &str>| -> Vec<bool> {
        lines
            .skip(1)
            .take(4)
            .take_while(|l| short(l))
            .map(person_first)
            .collect()
    };
    let before = neighbours(&mut masked[lo..line.end].rsplit(['\n', BLOCK_BREAK]));
    let after = neighbours(&mut masked[line.start..hi].split(['\n', BLOCK_BREAK]));
    let offered = before.iter().chain(&after).filter(|p| **p).count();
    before.len() + after.len() >= 3 && offered >= 2 && !person_first(&masked[line])
}

/// True when the match is in a line of short example sentences right under a line that ends
/// with a colon and announces statements or sentences: "Offer informative statements without
/// interpretation:" over "Jane experiences depression. Jane suffers from depression." A note's
/// "Plan:" over "Pt refused dinner." announces no wording, and stays a use.
fn under_statement_intro(masked: &str, range: &Range<usize>) -> bool {
    const BREAK: u8 = BLOCK_BREAK as u8;
    let line = line_bounds(masked, range);
    let bytes = masked.as_bytes();
    if line.start == 0 || !matches!(bytes[line.start - 1], b'\n' | BREAK) {
        return false;
    }
    let text = &masked[line.clone()];
    // Every sentence of the line is short.
    if text.len() > 400
        || text
            .split(['.', '!', '?'])
            .any(|s| s.split_whitespace().count() > 8)
    {
        return false;
    }
    let lo = floor_char(masked, line.start.saturating_sub(300));
    let above = masked[lo..line.start - 1]
        .rsplit(['\n', BLOCK_BREAK])
        .next()
        .unwrap_or_default()
        .trim_end();
    if !above.ends_with(':') {
        return false;
    }
    // Statements or sentences, not words: a sentence under "Words to avoid:" is a use.
    let lowered = above.to_ascii_lowercase();
    ["statement", "sentence"]
        .iter()
        .any(|w| lowered.contains(w))
}

/// Where an enumeration starts: a colon, a bracket, or "such as", "like", "including" (as they
/// appear in the lowered sentence, spaces included).
const LIST_INTROS: &[&str] = &[
    ":",
    "(",
    "such as ",
    " like ",
    " including ",
    " include ",
    " includes ",
    " are ",
    " is ",
    " as ",
    " lists ",
    " listed ",
];

/// Words that say a list gives examples, as they read once "e.g." and "i.e." are "eg" and "ie".
const EXAMPLE_OPENERS: &[&str] = &["eg", "ie", "for example", "examples include", "e g"];

/// The words an item of a list may follow: "and", "or", and the last word of each list intro
/// and example opener. Every finding asks, so they are gathered once.
static ITEM_OPENERS: LazyLock<Vec<&str>> = LazyLock::new(|| {
    let mut words: Vec<&str> = ["and", "or"]
        .into_iter()
        .chain(
            LIST_INTROS
                .iter()
                .chain(EXAMPLE_OPENERS)
                .filter_map(|intro| intro.split_whitespace().next_back()),
        )
        .collect();
    words.sort_unstable();
    words.dedup();
    words
});

/// True when the match is one item of an enumeration of three or more short items that gives
/// examples of words: "Examples: crazy, psycho, nuts", "slang references to people (e.g.,
/// alcoholic, junkie, doper, drunk)", "For example: afflicted, suffers, is a victim of". A list
/// after a colon in a note ("Behaviour: agitated, combative, hostile") names no words and
/// gives no examples, so it stays a use.
fn enumerated(masked: &str, range: &Range<usize>) -> bool {
    // An item of a list follows a separator, "and" or "or", or the words that open the list:
    // every other match (nearly all of them) is ruled out before anything is allocated.
    let just_before = masked[..range.start].trim_end_matches(' ');
    let opens_item = just_before.ends_with([',', '/', ':', '('])
        || just_before
            .rsplit(|c: char| !c.is_alphanumeric() && c != '.')
            .next()
            .is_some_and(|word| {
                // "e.g." as written is the "eg" the openers are matched as.
                let undotted = || {
                    word.bytes()
                        .filter(|&b| b != b'.')
                        .map(|b| b.to_ascii_lowercase())
                };
                ITEM_OPENERS.iter().any(|last| undotted().eq(last.bytes()))
            });
    if !opens_item {
        return false;
    }
    let lo = floor_char(masked, range.start.saturating_sub(300));
    let hi = ceil_char(masked, (range.end + 200).min(masked.len()));
    // Only the sentence before the match is read (every finding asks, so it is found on the
    // text as written, and only it is lowered): the dots of "e.g." and "i.e." do not end it.
    let written = &masked[lo..range.start];
    let sentence = written[sentence_start(written)..]
        .to_ascii_lowercase()
        .replace("e.g.", "eg  ")
        .replace("i.e.", "ie  ");
    let sentence = sentence.as_str();
    let Some((at, len)) = LIST_INTROS
        .iter()
        .filter_map(|m| sentence.rfind(m).map(|i| (i, m.len())))
        .max_by_key(|&(i, _)| i)
    else {
        return false;
    };
    let lead = &sentence[..at];
    let mut list = sentence[at + len..].trim_start();
    let mut example = lead.contains("example");
    for opener in EXAMPLE_OPENERS {
        if let Some(rest) = list.strip_prefix(opener) {
            list = rest.trim_start_matches([',', ':', ' ']);
            example = true;
        }
    }
    let short = |item: &str| {
        let words = item.split_whitespace().count();
        words <= 4
    };
    let split = |text: &str| -> Vec<String> {
        text.replace(" and ", ",")
            .replace(" or ", ",")
            .split([',', '/'])
            .map(|t| t.trim().to_owned())
            .collect()
    };
    let items_before = split(list);
    // The piece right before the match is what the match starts ("" or "and", "or").
    let (last, earlier) = items_before.split_last().expect("split yields one piece");
    if !matches!(last.as_str(), "" | "and" | "or") || !earlier.iter().all(|t| short(t)) {
        return false;
    }
    let after = masked[range.end..hi]
        .to_ascii_lowercase()
        .replace("etc.", "etc ");
    let tail_end = after
        .find(['.', ';', '!', '?', ')', '\n', BLOCK_BREAK])
        .unwrap_or(after.len());
    let items_after = split(&after[..tail_end]);
    let (own, later) = items_after.split_first().expect("split yields one piece");
    // The last item may run on into the rest of the sentence ("… and user among words …"),
    // and commas after it are the sentence's, not the list's ("… or the disabled are unfair
    // because they ignore individuality, equality, or dignity"). The match is the last item
    // when "and" or "or" comes right before it.
    let last_item = matches!(last.as_str(), "and" | "or")
        || list.trim_end().ends_with(" and")
        || list.trim_end().ends_with(" or");
    let run_on = if last_item || !short(own) {
        0
    } else {
        later
            .iter()
            .position(|t| !short(t))
            .map_or(later.len(), |i| i + 1)
    };
    let later = &later[..run_on];
    let inner = later.split_last().map_or(&[][..], |(_, inner)| inner);
    if !(short(own) || last_item) || !inner.iter().all(|t| short(t)) {
        return false;
    }
    let count = earlier
        .iter()
        .chain(later)
        .filter(|t| !t.is_empty() && *t != "etc")
        .count()
        + 1;
    // Words for words may also follow the list: "lists abuser, addict and junkie among words
    // that stigmatize".
    let rest = &after[..];
    let rest = &rest[..rest
        .find(['.', ';', '!', '?', '\n', BLOCK_BREAK])
        .unwrap_or(rest.len())];
    count >= 3 && (example || names_words(lead) || names_words(rest))
}

/// Where the last sentence of `text` starts: after its last `.`, `;`, `!`, `?`, line break or
/// block break, except the dots of "e.g." and "i.e.".
fn sentence_start(text: &str) -> usize {
    let bytes = text.as_bytes();
    let abbreviation_at = |from: usize| {
        bytes.get(from..from + 4).is_some_and(|four| {
            four.eq_ignore_ascii_case(b"e.g.") || four.eq_ignore_ascii_case(b"i.e.")
        })
    };
    (0..bytes.len())
        .rev()
        .find(|&i| match bytes[i] {
            b';' | b'!' | b'?' | b'\n' => true,
            b'.' => !(i >= 3 && abbreviation_at(i - 3) || i >= 1 && abbreviation_at(i - 1)),
            b => b == BLOCK_BREAK as u8,
        })
        .map_or(0, |i| i + 1)
}

/// Words a table's header row is made of when its cells have run together in plain text
/// ("Instead of… People hear... Try...", "Problematic Preferred", "Avoid Use").
const HEADER_WORDS: &[&str] = &[
    "a",
    "alternative",
    "alternatives",
    "avoid",
    "better",
    "context",
    "current",
    "deficit-based",
    "do",
    "don't",
    "don’t",
    "example",
    "examples",
    "explanation",
    "harmful",
    "hear",
    "hears",
    "here's",
    "here’s",
    "how",
    "impact",
    "inclusive",
    "instead",
    "issue",
    "it",
    "language",
    "less",
    "matters",
    "meaning",
    "might",
    "more",
    "non-inclusive",
    "not",
    "of",
    "offensive",
    "outdated",
    "people",
    "people-first",
    "person-first",
    "phrase",
    "phrases",
    "prefer",
    "preferred",
    "problematic",
    "reason",
    "recommended",
    "recovery-oriented",
    "respectful",
    "say",
    "says",
    "stigmatising",
    "stigmatizing",
    "term",
    "terms",
    "that",
    "the",
    "these",
    "this",
    "to",
    "try",
    "use",
    "what",
    "why",
    "word",
    "words",
];

/// True when `line` is a table's header row run together in plain text: a short line of
/// [`HEADER_WORDS`] only (two of them may have lost the space between them: "try
/// thisinstead of this"), naming a column of wording to drop ("instead of", "avoid",
/// "problematic") and one of wording to use ("try", "use", "preferred").
fn flat_header(line: &str) -> bool {
    let text = line.trim_matches(|c: char| c.is_whitespace() || c == BLOCK_BREAK);
    if text.len() > 60 || text.contains([':', '|', '?', ',', ';', '"', '(']) {
        return false;
    }
    let lowered = text.to_ascii_lowercase();
    // Dots only as an ellipsis: a full stop would end a sentence.
    if lowered.replace("...", "").replace('…', "").contains('.') {
        return false;
    }
    let words: Vec<&str> = lowered
        .split_whitespace()
        .map(|w| w.trim_matches(['.', '…', '!']))
        .filter(|w| !w.is_empty())
        .collect();
    if !(2..=8).contains(&words.len()) {
        return false;
    }
    let known = |w: &str| {
        HEADER_WORDS.contains(&w)
            || (1..w.len()).any(|i| {
                w.is_char_boundary(i)
                    && HEADER_WORDS.contains(&&w[..i])
                    && HEADER_WORDS.contains(&&w[i..])
            })
    };
    if !words.iter().all(|w| known(w)) {
        return false;
    }
    let drops = words
        .windows(2)
        .any(|p| p[0].ends_with("instead") && p[1] == "of")
        || words.iter().any(|w| {
            matches!(
                *w,
                "avoid"
                    | "don't"
                    | "don’t"
                    | "problematic"
                    | "harmful"
                    | "outdated"
                    | "offensive"
                    | "stigmatizing"
                    | "stigmatising"
                    | "deficit-based"
                    | "non-inclusive"
            )
        });
    let offers = words.iter().any(|w| {
        [
            "try",
            "use",
            "say",
            "prefer",
            "recommended",
            "alternative",
            "better",
            "inclusive",
        ]
        .iter()
        .any(|o| w.starts_with(o))
            || matches!(
                *w,
                "do" | "person-first" | "people-first" | "recovery-oriented"
            )
    });
    drops && offers
}

/// True when the match is in the first cell of a row of a plain-text table whose header row
/// ran together ([`flat_header`]) above it in its block: before any quotation or sentence on
/// its line ("Addict, drug abuser, junkie, etc. \"It's all your fault …\" Person who uses
/// substances"). Rows may be long, so any line may come between the row and its header.
fn flat_table_row(masked: &str, range: &Range<usize>) -> bool {
    const BREAK: u8 = BLOCK_BREAK as u8;
    let line = line_bounds(masked, range);
    let bytes = masked.as_bytes();
    if line.start == 0 || !matches!(bytes[line.start - 1], b'\n' | BREAK) {
        return false;
    }
    let before = &masked[line.start..range.start];
    // A full stop other than that of "etc." ends the first cell.
    let full_stop = before
        .match_indices('.')
        .any(|(at, _)| !before[..at].to_ascii_lowercase().ends_with("etc"));
    if before.contains(['"', '“', '”', '!', '?', ';'])
        || full_stop
        || before.split_whitespace().count() > 12
    {
        return false;
    }
    let lo = floor_char(masked, line.start.saturating_sub(LIST_REACH));
    let mut end = line.start;
    let mut lines_read = 0;
    while end > lo && lines_read < LIST_LINES {
        let line_end = end - 1;
        let start = memchr::memrchr2(b'\n', BREAK, &bytes[lo..line_end]).map_or(lo, |i| lo + i + 1);
        let text = &masked[start..line_end];
        end = start;
        if text.is_empty() && start > lo && bytes[start - 1] == b'\n' {
            // A blank line ends the table: "\n\n", or a block break between two line breaks.
            let after = &bytes[line_end..];
            if after.starts_with(b"\n") || after.starts_with(&[BREAK, b'\n']) {
                return false;
            }
        }
        if text.trim().is_empty() {
            continue;
        }
        lines_read += 1;
        if text.len() <= 64 && flat_header(text) {
            return true;
        }
        // A heading or a line that introduces something else ends the search.
        if text.trim_end().ends_with(':') || text.trim_start().starts_with('#') {
            return false;
        }
    }
    false
}

/// Judgements that name a table's column of wording to drop, beside [`AVOID_JUDGEMENTS`]: "Not
/// inclusive", "Deficit-based language", "Stigmatising". A cell of a header row is short, so
/// these need no word for words beside them there.
const COLUMN_JUDGEMENTS: &[&str] = &[
    "not inclusive",
    "non-inclusive",
    "less inclusive",
    "exclusionary",
    "deficit",
    "deficit-based",
    "disrespectful",
    "ableist",
];

/// Names of a table's column of wording to use, beside the verbs that start one ("Use",
/// "Preferred"): "More inclusive", "Recovery-oriented language", "Person-first".
const COLUMN_OFFERS: &[&str] = &[
    "inclusive",
    "more inclusive",
    "recovery-oriented",
    "recovery oriented",
    "strengths-based",
    "strength-based",
    "person-first",
    "people-first",
    "person-centred",
    "person-centered",
    "respectful",
    "do",
    "what to say",
];

/// The header row of a table of words: one column judges the words ("Stigmatizing", "Avoid",
/// "Instead of", "Not this") and another offers the replacement ("Preferred", "Use", "Say this").
fn avoid_table_header(text: &str) -> bool {
    if !text.contains('|') {
        return false;
    }
    let cells: Vec<&str> = text
        .split('|')
        .map(|c| c.trim().trim_matches(['*', '_', ':']).trim())
        .filter(|c| !c.is_empty())
        .collect();
    let judged = cells.iter().position(|c| {
        has_avoid_label(c)
            || AVOID_JUDGEMENTS
                .iter()
                .chain(COLUMN_JUDGEMENTS)
                .any(|j| starts_with_word(c, j) && c.split_whitespace().count() <= 3)
    });
    // Another cell offers the wording to use: "Use instead", "Preferred", "What to say".
    let offered = |c: &&str| {
        [
            "prefer",
            "use",
            "say",
            "recommended",
            "better",
            "alternative",
            "try",
            "instead",
        ]
        .iter()
        .any(|w| c.starts_with(w))
            || COLUMN_OFFERS
                .iter()
                .any(|w| starts_with_word(c, w) && c.split_whitespace().count() <= 3)
            || ["say", "use", "write"]
                .iter()
                .any(|w| find_word(c, w).is_some())
    };
    let offered_elsewhere =
        judged.is_some_and(|j| cells.iter().enumerate().any(|(i, c)| i != j && offered(c)));
    cells.len() >= 2 && cells.len() <= 4 && offered_elsewhere
}

/// First-person pronouns and verbs that open a self-description, and words that may sit
/// between them and the label ("I'm a recovering addict"). A word outside that short list (a
/// person, a verb) means the label is about someone else: "I am worried the client is …".
const SELF_OPENERS: &[&str] = &[
    "i'm",
    "i’m",
    "i am",
    "i was",
    "i've been",
    "i’ve been",
    "i have been",
    "i had been",
    "i used to be",
    "i became",
    "i'd been",
    "i’d been",
    // "I was born an alcoholic and I will die an alcoholic."
    "i was born",
    "i will die",
    "i'll die",
    "i’ll die",
    "i'm going to die",
    "i’m going to die",
    "i am going to die",
    "called myself",
    "i identify as",
    "i identified as",
    "identify myself as",
    "i describe myself as",
    "i consider myself",
    "i considered myself",
    "i see myself as",
    "i saw myself as",
    "call myself",
    "calling myself",
    "labelled me",
    "labeled me",
    "called me",
    "i got",
    "i get",
    "i stayed",
    "i stay",
    "i've stayed",
    "i’ve stayed",
    "i've got",
    "i’ve got",
    "me to get",
    "me to stay",
    "me to be",
];
const SELF_BETWEEN: &[&str] = &[
    "a",
    "an",
    "just",
    "still",
    "not",
    "no",
    "longer",
    "also",
    "once",
    "now",
    "never",
    "really",
    "recovering",
    "former",
    "proud",
    "grateful",
    "real",
    "true",
    "total",
    "functioning",
    "high",
    "like",
    "another",
    "one",
    "the",
    "kind",
    "of",
    "full-blown",
    "active",
    "practicing",
    "better",
    "good",
    "perfect",
];

/// The clause before `start`, lowercased: back to the nearest sentence or clause mark, within
/// `reach` bytes.
fn clause_before(masked: &str, start: usize, reach: usize) -> String {
    raw_clause_before(masked, start, reach).to_ascii_lowercase()
}

/// [`clause_before`] as written: the cheap test of whether a check can apply reads this, and
/// only a clause that passes is lowered.
fn raw_clause_before(masked: &str, start: usize, reach: usize) -> &str {
    let lo = floor_char(masked, start.saturating_sub(reach));
    let before = &masked[lo..start];
    let clause_start = before
        .rfind(['.', ';', '!', '?', ',', ':', '\n', BLOCK_BREAK])
        .map_or(0, |i| i + 1);
    &before[clause_start..]
}

/// The rest of the sentence after `range`, lowercased, read at most `reach` bytes on.
fn sentence_after(masked: &str, range: &Range<usize>, reach: usize) -> String {
    let hi = ceil_char(masked, (range.end + reach).min(masked.len()));
    let after = &masked[range.end..hi];
    let end = after
        .find(['.', ';', '!', '?', '\n', BLOCK_BREAK])
        .unwrap_or(after.len());
    after[..end].to_ascii_lowercase()
}

/// The sentence of `masked` that ends at `start`, as written, read back at most `reach` bytes:
/// after the last of `ends`.
fn raw_sentence_before<'t>(masked: &'t str, start: usize, reach: usize, ends: &[char]) -> &'t str {
    let lo = floor_char(masked, start.saturating_sub(reach));
    let before = &masked[lo..start];
    &before[before.rfind(ends).map_or(0, |i| i + 1)..]
}

/// Whether `text` contains `needle` (lowercase ASCII) in any letter case: what a search of the
/// lowered text would find, without lowering it.
fn contains_lowered(text: &str, needle: &str) -> bool {
    let (bytes, needle) = (text.as_bytes(), needle.as_bytes());
    // Candidates are found with memchr on the needle's first letter, in either case: the
    // checks run for every finding on hundreds of bytes around it.
    let Some(key) = needle.iter().position(u8::is_ascii_alphabetic) else {
        return bytes.windows(needle.len()).any(|w| w == needle);
    };
    let letter = needle[key];
    memchr::memchr2_iter(letter, letter.to_ascii_uppercase(), bytes).any(|at| {
        at.checked_sub(key)
            .and_then(|start| bytes.get(start..start + needle.len()))
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
    })
}

/// Words that may sit between "I" and a form of *to be* in a self-description: auxiliaries,
/// negations and verbs of attitude ("I will always be", "I'll still be", "I don't mind being",
/// "I hated being").
const SELF_AUXILIARIES: &[&str] = &[
    "will", "'ll", "would", "'d", "could", "might", "may", "must", "should", "can", "can't",
    "cannot", "do", "don't", "did", "didn't", "not", "never", "always", "still", "now", "mind",
    "hate", "hated", "love", "loved", "like", "liked", "want", "wanted", "to", "used", "admit",
    "admitted", "accept", "accepted", "proud", "of", "about", "tired", "afraid", "ashamed", "stop",
    "stopped", "quit", "also", "just", "really", "probably", "ever", "how", "learned", "learnt",
    "tried", "trying", "try", "began", "started", "decided", "going", "gonna",
];

/// "I will always be an alcoholic", "I don't mind being an addict", "I learned how to become a
/// better anorexic": the first person, a few auxiliaries or verbs of attitude, a form of *to be*
/// or *to become*, then the words of [`SELF_BETWEEN`].
fn self_with_be(clause: &str) -> bool {
    let words: Vec<&str> = words_of(clause).collect();
    let Some(be) = words
        .iter()
        .rposition(|w| matches!(*w, "be" | "being" | "been" | "am" | "become" | "becoming"))
    else {
        return false;
    };
    if !words[be + 1..].iter().all(|w| SELF_BETWEEN.contains(w)) {
        return false;
    }
    let Some(me) = words[..be]
        .iter()
        .rposition(|w| matches!(*w, "i" | "i'll" | "i’ll" | "i'd" | "i’d" | "i've" | "i’ve"))
    else {
        return false;
    };
    let between = &words[me + 1..be];
    between.len() <= 4
        && between.iter().all(|w| {
            SELF_AUXILIARIES.contains(w) || SELF_AUXILIARIES.contains(&w.replace('’', "'").as_str())
        })
}

/// Verbs that report what someone said about themselves: "Claudia told us she was a heroin
/// addict".
const REPORTING_VERBS: &[&str] = &[
    "told",
    "tells",
    "said",
    "says",
    "shared",
    "shares",
    "admitted",
    "admits",
    "explained",
    "explains",
    "disclosed",
    "discloses",
];

/// Adverbs between a teller and the reporting verb ("Claudia later told us").
const TELLER_ADVERBS: &[&str] = &[
    "still", "also", "later", "then", "once", "always", "often", "openly", "proudly", "finally",
    "had", "has", "have",
];

/// Who a report may be told to, between the verb and "she was …".
const LISTENERS: &[&str] = &[
    "us",
    "me",
    "them",
    "him",
    "her",
    "everyone",
    "everybody",
    "the",
    "group",
    "class",
    "room",
    "that",
];

/// People whose report about someone is their label, not the person's own: "the nurse said he
/// was an addict" stays a use.
const OTHER_REPORTERS: &[&str] = &[
    "doctor",
    "doctors",
    "nurse",
    "nurses",
    "staff",
    "psychiatrist",
    "therapist",
    "physician",
    "clinician",
    "counselor",
    "counsellor",
    "police",
    "officer",
    "officers",
    "officials",
    "judge",
    "prosecutor",
    "prosecutors",
    "records",
    "chart",
    "neighbors",
    "neighbours",
];

/// True when the clause reports a third person's description of themselves: "Claudia told us
/// she was a heroin addict", "he shared that he had been a junkie for years, and was clean
/// now". The label is the person's own word, retold.
fn self_reported(masked: &str, start: usize) -> bool {
    let raw = raw_clause_before(masked, start, 160);
    if !REPORTING_VERB_SET.is_match(raw) {
        return false;
    }
    let clause = raw.to_ascii_lowercase().replace('’', "'");
    let words: Vec<&str> = words_of(&clause).collect();
    let is_be = |w: &str| matches!(w, "was" | "is" | "were" | "are" | "been" | "be");
    let Some(be) = words.iter().rposition(|w| is_be(w)) else {
        return false;
    };
    if !words[be + 1..].iter().all(|w| SELF_BETWEEN.contains(w)) {
        return false;
    }
    let Some(verb) = words[..be]
        .iter()
        .rposition(|w| REPORTING_VERBS.contains(w))
    else {
        return false;
    };
    if words[..verb].iter().any(|w| OTHER_REPORTERS.contains(w)) {
        return false;
    }
    let mut at = verb + 1;
    while at < be && at <= verb + 3 && LISTENERS.contains(&words[at]) {
        at += 1;
    }
    let Some(&subject) = words
        .get(at)
        .filter(|w| matches!(**w, "she" | "he" | "they"))
    else {
        return false;
    };
    // The teller is the person described: a pronoun that agrees ("he said he was …") or a
    // name ("Claudia told us she was …"); "our family says he was …" and "she said he was …"
    // report another person.
    let raw_words: Vec<&str> = raw.split_whitespace().collect();
    let Some(teller) = raw_words[..verb.min(raw_words.len())]
        .iter()
        .rev()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .find(|w| !TELLER_ADVERBS.contains(&w.to_ascii_lowercase().as_str()))
    else {
        return false;
    };
    let lowered_teller = teller.to_ascii_lowercase();
    let named = teller.starts_with(|c: char| c.is_uppercase())
        && !matches!(lowered_teller.as_str(), "she" | "he" | "they" | "i" | "we")
        && !OTHER_REPORTERS.contains(&lowered_teller.as_str());
    if !(named || lowered_teller == subject) {
        return false;
    }
    // "she was …", "she had been …", or a second predicate: "she was …, and had been …".
    let between = &words[at + 1..be];
    between
        .iter()
        .all(|w| matches!(*w, "had" | "has" | "have" | "used" | "to"))
        || (between.contains(&"and") && between.len() <= 8)
}

/// "the chance to help another still suffering alcoholic", "one-on-ones with other drunks":
/// in a sentence the writer tells in the first person, "other", "another" or "fellow" before
/// the label counts the writer among the people it names.
fn self_grouped(masked: &str, range: &Range<usize>) -> bool {
    let raw = raw_clause_before(masked, range.start, 80);
    // "another" contains "other".
    if !contains_lowered(raw, "other") && !contains_lowered(raw, "fellow") {
        return false;
    }
    let clause = raw.to_ascii_lowercase();
    let words: Vec<&str> = clause.split_whitespace().collect();
    let Some(other) = words
        .iter()
        .rposition(|w| matches!(*w, "other" | "another" | "fellow"))
    else {
        return false;
    };
    let between = &words[other + 1..];
    if between.len() > 2
        || !between.iter().all(|w| {
            matches!(
                *w,
                "still"
                    | "suffering"
                    | "recovering"
                    | "practicing"
                    | "practising"
                    | "active"
                    | "sober"
            )
        })
    {
        return false;
    }
    // The first person in the same sentence, and no one else named as a subject after it: in
    // "I am proud of the part he played in motivating other addicts" the others are his peers.
    let lo = floor_char(masked, range.start.saturating_sub(300));
    let before = masked[lo..range.start].to_ascii_lowercase();
    let sentence = &before[before
        .rfind(['.', ';', '!', '?', '\n', BLOCK_BREAK])
        .map_or(0, |i| i + 1)..];
    let words: Vec<&str> = words_of(sentence).collect();
    let Some(me) = words.iter().rposition(|w| {
        matches!(
            *w,
            "i" | "i'm"
                | "i’m"
                | "i've"
                | "i’ve"
                | "i'll"
                | "i’ll"
                | "me"
                | "my"
                | "we"
                | "our"
                | "us"
        )
    }) else {
        return false;
    };
    !words[me + 1..].iter().any(|w| {
        matches!(
            *w,
            "he" | "she"
                | "they"
                | "he's"
                | "she's"
                | "they're"
                | "he’s"
                | "she’s"
                | "they’re"
                | "he'd"
                | "she'd"
                | "they'd"
        )
    })
}

/// "Not all shopping addicts are female, although of course, I am", "addicts like me",
/// "junkies, myself included": the rest of the sentence counts the writer among the people the
/// label names.
fn self_included_after(masked: &str, range: &Range<usize>) -> bool {
    let after = sentence_after(masked, range, 100);
    let words: Vec<&str> = words_of(&after).filter(|w| !w.is_empty()).collect();
    let starts = |phrase: &[&str]| words.starts_with(phrase);
    if starts(&["like", "me"])
        || starts(&["like", "myself"])
        || starts(&["such", "as", "me"])
        || starts(&["such", "as", "myself"])
    {
        return true;
    }
    let has = |phrase: &[&str]| words.windows(phrase.len()).any(|w| w == phrase);
    if has(&["myself", "included"])
        || has(&["me", "included"])
        || has(&["including", "me"])
        || has(&["including", "myself"])
    {
        return true;
    }
    // The sentence ends on the writer, after a conjunction: "…, although of course, I am",
    // "and so am I", "as I am"; not "asked what I am".
    let joined = |w: &str| {
        matches!(
            w,
            "although" | "though" | "but" | "and" | "course" | "as" | "like" | "yes"
        )
    };
    match words.as_slice() {
        [.., "so", "am", "i"] => true,
        [.., before, "i", "am"] | [.., before, "i", "am", "one"] => joined(before),
        [.., before, "i'm", "one"] | [.., before, "i’m", "one"] => joined(before),
        _ => false,
    }
}

fn self_described(masked: &str, start: usize) -> bool {
    let clause = &clause_before(masked, start, 120);
    // "I was a mess, a total addict": an appositive after a self-description.
    let own_article = {
        let head =
            masked[start..ceil_char(masked, (start + 3).min(masked.len()))].to_ascii_lowercase();
        head.starts_with("a ") || head.starts_with("an ")
    };
    let appositive = match clause.split_whitespace().next() {
        Some(w) => matches!(w, "a" | "an"),
        None => own_article,
    };
    if appositive && clause.split_whitespace().all(|w| SELF_BETWEEN.contains(&w)) {
        let comma = start - clause.len();
        if masked[..comma].ends_with(',') {
            let before = comma - 1;
            let previous = clause_before(masked, before, 120);
            let words: Vec<&str> = previous.split_whitespace().collect();
            let norm = |w: &&str| w.replace('’', "'");
            let first_person_be = words
                .iter()
                .position(|w| matches!(norm(w).as_str(), "i" | "i'm" | "i've"))
                .is_some_and(|me| {
                    let rest = &words[me..];
                    rest.len() <= 6
                        && rest.iter().take(4).any(|w| {
                            matches!(
                                norm(w).as_str(),
                                "i'm" | "am" | "was" | "been" | "be" | "being"
                            )
                        })
                });
            if first_person_be {
                return true;
            }
        }
    }
    if self_with_be(clause) {
        return true;
    }
    if !SELF_OPENER_SET.is_match(clause) {
        return false;
    }
    SELF_OPENERS.iter().any(|opener| {
        find_word(clause, opener).is_some_and(|at| {
            clause[at + opener.len()..]
                .split_whitespace()
                .all(|w| SELF_BETWEEN.contains(&w))
        })
    })
}

/// "As an addict, I lied to everyone": a label the writer puts on themselves in an opening
/// phrase, with the first person as the subject right after it.
fn self_introduced(masked: &str, range: &Range<usize>) -> bool {
    let raw = raw_clause_before(masked, range.start, 60);
    if !raw
        .split_whitespace()
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("as"))
    {
        return false;
    }
    let clause = raw.to_ascii_lowercase();
    let mut words = clause.split_whitespace();
    if words.next() != Some("as") || !words.all(|w| SELF_BETWEEN.contains(&w)) {
        return false;
    }
    // The label may take a short complement before the comma: "As a sufferer of migraine, I …".
    let hi = floor_char(masked, (range.end + 80).min(masked.len()));
    let after = masked[range.end..hi].to_ascii_lowercase();
    let Some(comma) = after.find(',') else {
        return false;
    };
    let complement = &after[..comma];
    // A longer complement is a phrase that qualifies the label: "As an addict in recovery with
    // 35 years clean, I …"; "As an addict walked in, I …" is a clause.
    let limit = match complement.split_whitespace().next() {
        Some("in" | "of" | "with" | "from" | "for" | "since" | "who" | "myself") => 14,
        _ => 4,
    };
    if complement.contains(['.', ';', '!', '?', '\n', BLOCK_BREAK])
        || complement.split_whitespace().count() > limit
        || finite_verb(complement)
    {
        return false;
    }
    let rest = &after[comma + 1..];
    let subject = rest.split_whitespace().next().unwrap_or_default();
    [
        "i", "i'm", "i’m", "i'd", "i’d", "i've", "i’ve", "we", "my", "me",
    ]
    .contains(&subject)
}

/// True when `phrase` holds a verb of its own, not inside a relative clause: "walked into the
/// clinic" makes "As an addict walked into the clinic, I …" a clause of time, where "in
/// recovery who has stayed clean" qualifies the label.
fn finite_verb(phrase: &str) -> bool {
    for w in words_of(phrase) {
        if matches!(w, "who" | "that" | "which") {
            return false;
        }
        let irregular = matches!(
            w,
            "is" | "was"
                | "were"
                | "are"
                | "came"
                | "comes"
                | "went"
                | "goes"
                | "left"
                | "sat"
                | "ran"
                | "stood"
                | "got"
                | "took"
                | "fell"
                | "began"
                | "said"
                | "told"
        );
        if irregular || w.len() > 4 && w.ends_with("ed") {
            return true;
        }
    }
    false
}

/// The words of `text`, each without the punctuation around it; apostrophes inside or at the
/// end of a word stay ("i'm", "clients'").
fn words_of(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’'))
}

fn strip_list_marker(line: &str) -> &str {
    let trimmed = line.trim_start_matches(|c: char| {
        c.is_whitespace() || "-*+•#|>".contains(c) || c == BLOCK_BREAK
    });
    let digits = trimmed.trim_start_matches(|c: char| c.is_ascii_digit());
    if digits.len() < trimmed.len() {
        if let Some(rest) = digits.strip_prefix(['.', ')']) {
            return rest.trim_start();
        }
    }
    trimmed
}

/// One automaton over a cue list: the context of nearly every match holds none of the cues,
/// and one pass rules that out where a search per cue would not.
fn cue_set(cues: &[&str]) -> AhoCorasick {
    AhoCorasick::new(cues).expect("cue lists are short literal phrases")
}

static AVOID_LABEL_SET: LazyLock<AhoCorasick> =
    LazyLock::new(|| cue_set(&[AVOID_LABELS, AVOID_JUDGEMENTS].concat()));
static INLINE_CUE_SET: LazyLock<AhoCorasick> = LazyLock::new(|| cue_set(&INLINE_CUES));
static SELF_OPENER_SET: LazyLock<AhoCorasick> = LazyLock::new(|| cue_set(SELF_OPENERS));
static REPORTING_VERB_SET: LazyLock<AhoCorasick> = LazyLock::new(|| cue_set(REPORTING_VERBS));
static IRREALIS_CUE_SET: LazyLock<AhoCorasick> = LazyLock::new(|| cue_set(IRREALIS_CUES));
/// Every stereotype cue is one of these words: a sentence with none is ruled out in one pass.
static STEREOTYPE_CUE_SET: LazyLock<AhoCorasick> = LazyLock::new(|| {
    cue_set(
        &[
            STEREOTYPE_CUES,
            BELIEF_JUDGEMENTS,
            LABEL_VERBS,
            SEEING_VERBS,
            WRONGLY,
            &[
                "true", "refer", "reduc", "persist", "prevail", "linger", "held",
            ],
        ]
        .concat(),
    )
});

fn has_avoid_label(text: &str) -> bool {
    if !AVOID_LABEL_SET.is_match(text) {
        return false;
    }
    let has = |cues: &[&str]| cues.iter().any(|cue| find_word(text, cue).is_some());
    has(AVOID_LABELS) || (has(AVOID_JUDGEMENTS) && has(WORDS_FOR_WORDS))
}

fn starts_with_word(text: &str, word: &str) -> bool {
    text.strip_prefix(word)
        .is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric()))
}

/// The last whole-word occurrence of `word` in `text`.
fn find_word(text: &str, word: &str) -> Option<usize> {
    text.rmatch_indices(word).map(|(i, _)| i).find(|&i| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_lowered_finds_the_needle_in_any_case_anywhere() {
        assert!(contains_lowered("Client VS client", " vs"));
        assert!(contains_lowered("a Versus b", " versus "));
        assert!(contains_lowered("That", "that"));
        assert!(contains_lowered("so it ends with IT", "it"));
        assert!(!contains_lowered("vs at the start", " vs"));
        assert!(!contains_lowered("tha", "that"));
        assert!(!contains_lowered("", "it"));
        assert!(contains_lowered("x, y", ", "));
        assert!(!contains_lowered("x ,y", ", "));
    }

    #[test]
    fn last_of_agrees_with_rfind() {
        for text in ["", "“a” b “c", "”“", "é“ü”x—", "no quotes"] {
            for c in ['“', '”', '—'] {
                assert_eq!(last_of(text, c), text.rfind(c), "{text:?} {c}");
            }
        }
    }

    #[test]
    fn last_quote_mark_agrees_with_a_scan_by_characters() {
        let by_chars = |text: &str| {
            text.char_indices()
                .rev()
                .find(|&(_, c)| ['\'', '‘', '’'].contains(&c))
        };
        for text in [
            "",
            "no marks here",
            "the 'word",
            "don't — ‘quoted’ and “double” – then ’",
            "é’ü‘x",
            "‘",
            "a’b'c“d”",
            "—–…",
        ] {
            assert_eq!(last_quote_mark(text), by_chars(text), "{text:?}");
        }
    }

    fn mention(text: &str, word: &str) -> Option<Mention> {
        let at = text.find(word).unwrap();
        of(text, &(at..at + word.len()))
    }

    #[test]
    fn double_quotes_are_detected_per_block() {
        assert!(in_double_quotes("she said \"I am x", 15));
        assert!(!in_double_quotes("she said \"a\" then x", 18));
        assert!(in_double_quotes("“I am x", 8));
        assert!(!in_double_quotes("“a” x", 8));
        assert!(!in_double_quotes("\"a\u{1e}x", 3));
    }

    #[test]
    fn single_quoted_labels_but_not_apostrophes() {
        assert_eq!(
            mention("Calling someone 'an addict' hurts.", "addict"),
            Some(Mention::Quoted)
        );
        assert_eq!(
            mention("Words like ‘junkie’ wound.", "junkie"),
            Some(Mention::Quoted)
        );
        assert_eq!(
            mention("The client's resistant today, isn't he?", "resistant"),
            None
        );
        assert_eq!(
            mention("The clients' addict friends don't visit.", "addict"),
            None
        );
    }

    #[test]
    fn avoid_lists_and_inline_cues() {
        let listed = Some(Mention::Listed);
        assert_eq!(
            mention("Use: person with SUD\nAvoid: Addict; junkie", "junkie"),
            listed
        );
        assert_eq!(
            mention("- Don't say: committed suicide", "committed"),
            listed
        );
        assert_eq!(
            mention("Instead of addict, use person with SUD.", "addict"),
            listed
        );
        assert_eq!(
            mention(
                "Say alcohol use disorder instead of alcohol abuse, and alcoholism.",
                "alcoholism"
            ),
            listed
        );
        assert_eq!(
            mention("We retired the term addict years ago.", "addict"),
            listed
        );
        assert_eq!(
            mention("## Language to avoid\n- addict\n- junkie\n", "junkie"),
            listed
        );
        assert_eq!(mention("Words to avoid:\n\u{1e}addict\n", "addict"), listed);
        // Not mentions: a use after an unrelated colon, or a heading about something else.
        assert_eq!(mention("Plan: the client is an addict", "addict"), None);
        assert_eq!(mention("## Progress\n- addict relapsed\n", "addict"), None);
        assert_eq!(
            mention("Instead of resting, the addict went out.", "addict"),
            None
        );
        assert_eq!(
            mention("He avoids meds and is non-compliant.", "non-compliant"),
            None
        );
    }

    fn mention_last(text: &str, word: &str) -> Option<Mention> {
        let at = text.rfind(word).unwrap();
        of(text, &(at..at + word.len()))
    }

    #[test]
    fn table_headers_that_judge_a_column_without_the_word_avoid() {
        let listed = Some(Mention::Listed);
        assert_eq!(
            mention(
                "Deficit-based | Strengths-based |\n---|---|\nNon-compliant | Declined the plan |",
                "Non-compliant"
            ),
            listed
        );
        assert_eq!(
            mention(
                "Not inclusive | More inclusive | Why |\n|---|---|---|\n| Fits and spells | Seizures |\n| A row that explains at length why the word lunatic is no longer used here. |\n| Lunatic | Person with a mental illness |",
                "| Lunatic"
            ),
            listed
        );
        // Column names that judge results, not words, make no table of words.
        assert_eq!(
            mention("Negative | Positive |\n---|---|\nAddict | yes |", "Addict"),
            None
        );
        assert_eq!(
            mention(
                "Morning | Evening |\n---|---|\nManipulative | calm |",
                "Manipulative"
            ),
            None
        );
    }

    #[test]
    fn a_behaviour_plan_table_is_no_table_of_words() {
        let plan = "Inappropriate behaviour | Appropriate response |\n---|---|\nAttention seeking | Planned ignoring |";
        assert_eq!(mention(plan, "Attention seeking"), None);
    }

    #[test]
    fn plain_text_table_headers_run_together() {
        let listed = Some(Mention::Listed);
        assert_eq!(
            mention(
                "Avoid Use\nJunkie, crackhead Person who uses drugs",
                "crackhead"
            ),
            listed
        );
        assert_eq!(
            mention(
                "Instead of… What people hear… Try…\nDruggie, pothead \"You are worthless.\" Person who uses cannabis",
                "pothead"
            ),
            listed
        );
        assert_eq!(
            mention(
                "Try thisInstead of this\nperson who drinks heavilya drunk",
                "drunk"
            ),
            listed
        );
        // A line that is not made of header words, a match after the row's first cell, or a
        // blank line between: uses.
        assert_eq!(
            mention("Try to avoid stress\nThe addict came back.", "addict"),
            None
        );
        assert_eq!(
            mention_last(
                "Avoid Use\nAddict \"It's all your fault.\" The addict in bed 4 is asking for you.",
                "addict"
            ),
            None
        );
        assert_eq!(
            mention("Avoid Use\n\nJunkies hang out here.", "Junkies"),
            None
        );
    }

    #[test]
    fn a_term_then_not_the_term_it_replaces() {
        let listed = Some(Mention::Listed);
        assert_eq!(
            mention(
                "Example: A person with diabetes, not a diabetic.",
                "diabetic"
            ),
            listed
        );
        assert_eq!(
            mention_last(
                "- Someone living with bipolar disorder, not a bipolar.",
                "bipolar"
            ),
            listed
        );
        // A clause about someone, or a sentence that goes on after the term.
        assert_eq!(mention("He is stubborn, not resistant.", "resistant"), None);
        assert_eq!(
            mention("The patient, not the addict, is in bed 4.", "addict"),
            None
        );
    }

    #[test]
    fn lists_that_open_a_sentence_judged_as_words() {
        let listed = Some(Mention::Listed);
        assert_eq!(
            mention("Retard, spaz, and cripple are derogatory.", "spaz"),
            listed
        );
        assert_eq!(
            mention("Junkie and crackhead are outdated terms.", "crackhead"),
            listed
        );
        assert_eq!(
            mention(
                "Lunatic, maniac and similar labels should never be used.",
                "maniac"
            ),
            listed
        );
        // A verdict that goes on, or one that judges people, leaves a use.
        assert_eq!(
            mention(
                "Junkies, drunks and dealers are offensive to the neighbours.",
                "drunks"
            ),
            None
        );
        assert_eq!(mention("Addicts and dealers are harmful.", "Addicts"), None);
    }

    #[test]
    fn a_lone_line_comparing_two_terms() {
        assert_eq!(
            mention(
                "Person with schizophrenia vs. schizophrenic",
                "schizophrenic"
            ),
            Some(Mention::Listed)
        );
        assert_eq!(
            mention(
                "He said the addict vs. the dealer fight was over.",
                "addict"
            ),
            None
        );
        assert_eq!(mention("Note: addict vs. patient", "addict"), None);
    }

    #[test]
    fn a_headword_among_several_terms() {
        assert_eq!(
            mention(
                "Junkie, Crackhead, Druggie\nProblem with the terms: these words reduce a person to their drug use and deny them dignity.",
                "Crackhead"
            ),
            Some(Mention::Listed)
        );
        assert_eq!(
            mention(
                "Junkie, crackhead, druggie\nHe came in at noon and left before the doctor could see him, again.",
                "crackhead"
            ),
            None
        );
    }

    #[test]
    fn a_list_announced_as_words() {
        let listed = Some(Mention::Listed);
        assert_eq!(
            mention(
                "Staff were asked to react to the following terms.\n- Manipulative\n- Attention seeking",
                "Attention seeking"
            ),
            listed
        );
        assert_eq!(
            mention(
                "Please never use the following words:\n- Nutjob\n- Psycho",
                "Psycho"
            ),
            listed
        );
        assert_eq!(
            mention(
                "The following patients were seen today.\n- Manipulative man in bed 3",
                "Manipulative"
            ),
            None
        );
    }

    #[test]
    fn examples_of_names_for_groups_are_words() {
        assert_eq!(
            mention(
                "Group designations such as the crippled, the insane, or the retarded are unfair to many, as they ignore worth, dignity, or rights.",
                "the insane"
            ),
            Some(Mention::Listed)
        );
        assert_eq!(
            mention(
                "Group designations such as the crippled, the insane, or the retarded are unfair to many, as they ignore worth, dignity, or rights.",
                "the retarded"
            ),
            Some(Mention::Listed)
        );
        assert_eq!(
            mention(
                "Staff such as the nurse, the porter, or the junkie at the door were there.",
                "the junkie"
            ),
            None
        );
    }

    #[test]
    fn a_heading_set_apart_from_its_list_by_a_blank_line() {
        let listed = Some(Mention::Listed);
        assert_eq!(mention("Not This\n\n- Retard\n- Spaz", "Spaz"), listed);
        assert_eq!(
            mention("Outdated terms\n\n• Lunatic\n• Maniac", "Maniac"),
            listed
        );
        // A line that is not a heading of words, or two blank lines, ends the list.
        assert_eq!(
            mention("Don't forget the meds\n\n- Junkie in bed 4", "Junkie"),
            None
        );
        assert_eq!(
            mention("Words to avoid\n\n- addict\n\n- junkie", "junkie"),
            None
        );
        assert!(avoid_heading("## Language to avoid"));
        assert!(!avoid_heading("Harmful behaviours"));
    }

    #[test]
    fn marks_brackets_and_labels_that_judge_a_term() {
        let listed = Some(Mention::Listed);
        assert_eq!(
            mention("✔ Person who drinks heavily ✘ Drunkard", "Drunkard"),
            listed
        );
        assert_eq!(
            mention("~~Lunatic~~ person with a mental illness", "Lunatic"),
            listed
        );
        assert_eq!(
            mention(
                "Crackhead (do not use) / person who uses cocaine",
                "Crackhead"
            ),
            listed
        );
        assert_eq!(
            mention("Offensive: spastic. Use: disabled person.", "spastic"),
            listed
        );
        // A tick before the match, a bracket that is a note's plan, a judgement that is not
        // of words.
        assert_eq!(
            mention("✘ Left early ✔ Junkie in bay 2 settled", "Junkie"),
            None
        );
        assert_eq!(
            mention(
                "Drug seeking (avoid opioids) per night team",
                "Drug seeking"
            ),
            None
        );
        assert_eq!(
            mention(
                "Harmful: drinks a bottle of vodka daily, junkie friends",
                "junkie"
            ),
            None
        );
    }

    #[test]
    fn a_gloss_that_offers_a_person_and_a_question_about_a_word() {
        let listed = Some(Mention::Listed);
        assert_eq!(
            mention("Druggie — say someone who uses drugs.", "Druggie"),
            listed
        );
        assert_eq!(mention("Can I call someone a nutcase?", "nutcase"), listed);
        assert_eq!(mention("Is it ever fine to say retard?", "retard"), listed);
        // A note's plan, and a question about a person.
        assert_eq!(
            mention("Non-compliant – try the depot instead.", "Non-compliant"),
            None
        );
        assert_eq!(mention("Would you say he is an addict?", "addict"), None);
    }

    #[test]
    fn inline_cues_go_on_through_lists_and_stop_at_a_clause() {
        let listed = Some(Mention::Listed);
        assert_eq!(
            mention("Calling a person a drunk, a lush or a wino hurts.", "wino"),
            listed
        );
        assert_eq!(
            mention(
                "Do not use words that imply weakness, frailty or lunacy.",
                "lunacy"
            ),
            listed
        );
        assert_eq!(
            mention(
                "We must stop using the words nuts and psycho when talking about the mentally ill.",
                "psycho"
            ),
            listed
        );
        assert_eq!(
            mention(
                "We must stop using the words nuts and psycho when talking about the mentally ill.",
                "mentally ill"
            ),
            None
        );
        assert_eq!(
            mention("Don't call him names, he is an addict.", "addict"),
            None
        );
        assert_eq!(
            mention("Instead of resting, the addict went out.", "addict"),
            None
        );
    }

    #[test]
    fn a_word_wrapped_in_quotes_inside_a_quotation() {
        assert_eq!(
            mention(
                "People told me \"you are just a \"junkie\" now\" and left.",
                "junkie"
            ),
            Some(Mention::Quoted)
        );
        assert_eq!(
            mention("Her \"plan\" failed and the junkie left.", "junkie"),
            None
        );
    }

    #[test]
    fn irrealis_distancing_is_a_mention() {
        let distanced = Some(Mention::Distanced);
        assert_eq!(
            mention(
                "We talk as if the teenager is choosing to be difficult, and it shows.",
                "difficult"
            ),
            distanced
        );
        assert_eq!(
            mention("Staff treated him as though he were lazy.", "lazy"),
            distanced
        );
        // A real description after an earlier "as if" clause is not distanced.
        assert_eq!(
            mention(
                "She looked as if she had not slept. He is lazy about the forms.",
                "lazy"
            ),
            None
        );
        assert_eq!(
            mention("The patient is lazy about the exercises.", "lazy"),
            None
        );
        // The writer's impression of how someone behaved is a use, not a rejected view.
        assert_eq!(
            mention("He acts as if he is entitled to the bed.", "entitled"),
            None
        );
    }

    #[test]
    fn content_a_stereotype_cue_introduces_is_a_mention() {
        assert_eq!(
            mention(
                "She is scared about how others see her as an addict.",
                "addict"
            ),
            Some(Mention::Stereotype)
        );
        assert_eq!(
            mention("Honestly, I see him as an addict now.", "addict"),
            None
        );

        let reported = Some(Mention::Stereotype);
        let cases = [
            (
                "Stigma might include inaccurate or unfounded thoughts like they are \
                 dangerous, incapable of managing treatment, or at fault for their condition.",
                "dangerous",
            ),
            (
                "We still meet the myth that people with schizophrenia are violent.",
                "violent",
            ),
            (
                "There is a misconception that addicts are weak-willed.",
                "addicts",
            ),
            ("People wrongly assume they are lazy.", "lazy"),
            (
                "Clients are often unfairly seen as manipulative.",
                "manipulative",
            ),
            ("They face stereotypes such as crazy or psycho.", "psycho"),
            ("The stereotype of the lazy addict persists.", "lazy"),
            (
                "Addicts are often stereotyped as unmotivated.",
                "unmotivated",
            ),
            (
                "The prejudice that the mentally ill are violent runs deep.",
                "mentally ill",
            ),
            (
                "Typical stigma related to addiction patients: they are dangerous and lazy.",
                "lazy",
            ),
            (
                "There is a false belief that addicts choose their illness.",
                "addicts",
            ),
            (
                "Some clinicians hold negative views, such as that patients in pain are \
                 drug-seeking.",
                "drug-seeking",
            ),
            (
                "There are harmful myths about suicide, for example that people who talk \
                 about it are attention-seeking.",
                "attention-seeking",
            ),
            ("Society labels people who use drugs as junkies.", "junkies"),
            (
                "The stigma casts them as weak and manipulative.",
                "manipulative",
            ),
            (
                "Many assume, wrongly, that addicts are manipulative.",
                "manipulative",
            ),
            ("That addicts are weak-willed is a myth.", "addicts"),
            ("It is not true that junkies are lazy.", "junkies"),
            (
                "The idea that people with schizophrenia are dangerous is simply not true.",
                "dangerous",
            ),
        ];
        for (text, word) in cases {
            assert_eq!(mention(text, word), reported, "{text}");
        }
    }

    #[test]
    fn a_plain_description_beside_a_stereotype_cue_is_a_use() {
        let cases = [
            ("The patient is dangerous.", "dangerous"),
            ("He is lazy and unmotivated.", "unmotivated"),
            // The writer speaks again after the contrast, or after a subordinate clause.
            (
                "The myth that addicts are lazy is common, but this client is manipulative.",
                "manipulative",
            ),
            (
                "Despite the myth that addicts are weak-willed, this client is unmotivated.",
                "unmotivated",
            ),
            // A cue that introduces nothing: a relative "that", a "false" that is no belief,
            // "wrongly" before a verb that is not one of believing or describing.
            (
                "The stigma that addicts face keeps them from care.",
                "addicts",
            ),
            (
                "The test was a false positive, and the client is an addict.",
                "addict",
            ),
            (
                "He was wrongly given the dose and is unmotivated.",
                "unmotivated",
            ),
            (
                "Because of stigma, the client is unmotivated to attend.",
                "unmotivated",
            ),
            // A judgement word before something that is no belief, a labelling verb with no
            // "as", "wrongly" after a verb but before no "that".
            (
                "Urine was negative for opioids and he is drug-seeking.",
                "drug-seeking",
            ),
            (
                "The public health nurse finds him manipulative.",
                "manipulative",
            ),
            (
                "Staff label his pills, and he is manipulative as ever.",
                "manipulative",
            ),
            (
                "He was treated wrongly, and now he is manipulative.",
                "manipulative",
            ),
            // A second verb for the subject leaves the belief.
            (
                "Patient has the false belief that he needs no insulin and is noncompliant.",
                "noncompliant",
            ),
            // A "that" clause the sentence does not reject, or one closed before the verdict.
            (
                "That he is manipulative is clear from the notes.",
                "manipulative",
            ),
            ("It is true that he is manipulative.", "manipulative"),
            (
                "Staff felt that he was manipulative, and the rumour was false.",
                "manipulative",
            ),
            (
                "So that he is not dangerous to others, staff removed the blades; his fear \
                 was a myth.",
                "dangerous",
            ),
            // The cue in an earlier sentence.
            ("Myths abound. He is lazy.", "lazy"),
            // Reported content is short: a label far past the cue is the writer's own.
            (
                "The myth that recovery is quick hurts families who wait through months of \
                 relapse and return and relapse again as their son stays angry, bitter and \
                 unmotivated.",
                "unmotivated",
            ),
        ];
        for (text, word) in cases {
            assert_eq!(mention(text, word), None, "{text}");
        }
    }

    #[test]
    fn reported_labels_are_mentions() {
        let listed = Some(Mention::Listed);
        assert_eq!(
            mention("What gets labelled resistance is often fear.", "resistance"),
            listed
        );
        assert_eq!(
            mention("Calling clients resistant shifts the blame.", "resistant"),
            listed
        );
    }

    #[test]
    fn a_judgement_heads_an_avoid_list_only_beside_a_word_for_words() {
        let listed = "Harmful language:\n- addict\n- junkie";
        assert_eq!(mention(listed, "junkie"), Some(Mention::Listed));
        let notes = "Harmful behaviours:\n- addict\n- junkie";
        assert_eq!(mention(notes, "junkie"), None);
        let notes = "Problematic substance use:\njunkie";
        assert_eq!(mention(notes, "junkie"), None);
    }

    #[test]
    fn a_sentence_under_an_avoid_heading_is_a_use() {
        let text = "Words to avoid:\nHe called himself a junkie.";
        assert_eq!(mention(text, "junkie"), None);
        let text = "Words to avoid:\njunkie\n| addict | person who uses drugs |";
        assert_eq!(mention(text, "addict"), Some(Mention::Listed));
    }

    #[test]
    fn a_cross_mark_marks_wording_to_drop() {
        let text = "✓ Died by suicide\n\n× Committed suicide\n\n❌ Addict, junkie";
        assert_eq!(mention(text, "Committed"), Some(Mention::Listed));
        assert_eq!(mention(text, "junkie"), Some(Mention::Listed));
        // A multiplication sign before a number, or a cross later in the line, marks nothing.
        assert_eq!(mention("×2 weeks, still a junkie", "junkie"), None);
        assert_eq!(mention("Client × 2 visits, a junkie", "junkie"), None);
    }

    #[test]
    fn rows_and_etc_items_keep_an_avoid_list_going() {
        let text = "Language to Avoid\n• Mentally ill • Crazy, nuts, etc.\n• Victim • Addict";
        assert_eq!(mention(text, "Addict"), Some(Mention::Listed));
        // A plain-text table: its header names what not to say and what to say instead.
        let text = "Don’t Say This | What To Do/Say |\nA long first row that goes on and on about \
                    why nobody should say this at all | Never say this |\nHe is a junkie | He \
                    uses drugs |";
        assert_eq!(mention(text, "junkie"), Some(Mention::Listed));
        // A sentence still ends the list.
        let text = "Language to Avoid\n• Crazy\nHe was seen today.\n• Addict";
        assert_eq!(mention(text, "Addict"), None);
    }

    #[test]
    fn a_markdown_heading_without_its_hash_introduces_an_avoid_list() {
        // The masked view of "## Words to avoid\n- addict" keeps no `#`, newline or marker.
        let masked = "\u{1e}\u{1e}\u{1e}Words to avoid\u{1e}\u{1e}\u{1e}addict\u{1e}";
        assert_eq!(mention(masked, "addict"), Some(Mention::Listed));
        let masked = "\u{1e}\u{1e}\u{1e}Progress\u{1e}\u{1e}\u{1e}addict\u{1e}";
        assert_eq!(mention(masked, "addict"), None);
    }

    #[test]
    fn first_person_self_description() {
        let own = Some(Mention::SelfDescribed);
        assert_eq!(
            mention("I'm a recovering addict and proud of it.", "addict"),
            own
        );
        assert_eq!(mention("For years I was a junkie.", "junkie"), own);
        assert_eq!(
            mention("She never forced me to get clean and sober.", "clean"),
            own
        );
        assert_eq!(
            mention("I am worried the client is resistant.", "resistant"),
            None
        );
        assert_eq!(
            mention("He said I'm fine but he is an addict.", "addict"),
            None
        );
        // Someone's own description, retold; a clinician's report is their label.
        let retold = "The first day, Claudia told us she was a heroin addict and had been \
                      clean and sober for fifteen years.";
        assert_eq!(mention(retold, "heroin addict"), own);
        assert_eq!(mention(retold, "clean"), own);
        assert_eq!(
            mention("He shared that he is a recovering alcoholic.", "alcoholic"),
            own
        );
        assert_eq!(
            mention("The nurse told us she was an addict.", "addict"),
            None
        );
        assert_eq!(mention("He told us his son was an addict.", "addict"), None);
        assert_eq!(mention("She said he was an addict.", "addict"), None);
        assert_eq!(
            mention("Our family still says he was an addict.", "addict"),
            None
        );
        assert_eq!(
            mention("Claudia later told us she was an addict.", "addict"),
            own
        );
        assert_eq!(
            mention("As an addict, I lied to everyone I loved.", "addict"),
            own
        );
        assert_eq!(
            mention("As a sufferer of migraine, I avoid screens.", "sufferer of"),
            own
        );
        assert_eq!(
            mention(
                "As a sufferer of bipolar disorder, he was in hospital.",
                "sufferer of"
            ),
            None
        );
        assert_eq!(
            mention(
                "Back then, as a practicing alcoholic, my days began at noon.",
                "alcoholic"
            ),
            own
        );
        assert_eq!(
            mention("As an addict, he lied to everyone.", "addict"),
            None
        );
        assert_eq!(
            mention("I treated him as an addict, I admit.", "addict"),
            None
        );
    }

    #[test]
    fn a_glossary_headword_is_a_mention() {
        let listed = Some(Mention::Listed);
        assert_eq!(
            mention(
                "Words we dislike\n- Junkie – This word mocks a health condition.",
                "Junkie"
            ),
            listed
        );
        assert_eq!(
            mention(
                "Clean/dirty: these terms tie a test result to hygiene.",
                "dirty"
            ),
            listed
        );
        // A title over the paragraph that discusses it, or after a paragraph of prose when
        // that paragraph is in the next chunk; a word alone is still a use.
        assert_eq!(mention("\u{1e}\u{1e}Junkie\u{1e}", "Junkie"), None);
        let text = "The next word hurts people who use drugs, and it keeps many of them away from care for years.\u{1e}\u{1e}Junkie\u{1e}";
        assert_eq!(mention(text, "Junkie"), listed);
        let text = "\u{1e}Junkie\u{1e}\u{1e}People who use heroin are still called a junkie on the street, and the word sticks to them for years.";
        assert_eq!(mention(text, "Junkie"), listed);
        let text = "\u{1e}\u{1e}Junkie\u{1e}\u{1e}This word turns a person who uses drugs into a figure of contempt, and it follows them.";
        assert_eq!(mention(text, "Junkie"), listed);
        // Alternatives joined by "or" over the paragraph that discusses them.
        let text = "Habit or Drug Habit\u{1e}Problem with the term: calling an illness a habit makes recovery sound like a matter of willpower alone.";
        assert_eq!(mention(text, "Drug Habit"), listed);
        // A note's line glosses a person, not a word; a problem list's item is a use.
        assert_eq!(
            mention("Addict - wants detox, UDS positive.", "Addict"),
            None
        );
        assert_eq!(
            mention(
                "Problem list:\u{1e}Alcoholic\u{1e}Noncompliant\u{1e}",
                "Alcoholic"
            ),
            None
        );
        assert_eq!(
            mention(
                "Anxious and Addict\u{1e}Seen in clinic today with her mother, who says she is using again and has lost her job this month.",
                "Addict"
            ),
            None
        );
    }

    #[test]
    fn an_enumeration_of_example_words_is_a_mention() {
        let listed = Some(Mention::Listed);
        assert_eq!(
            mention(
                "Some slang (e.g., junkie, stoner, druggie) still hurts.",
                "stoner"
            ),
            listed
        );
        assert_eq!(
            mention("Examples: lunatic, psycho, nutter, etc.", "psycho"),
            listed
        );
        assert_eq!(
            mention(
                "Never use language that belittles. For example: nutter, maniac, loony.",
                "maniac"
            ),
            listed
        );
        assert_eq!(
            mention(
                "On the list of words to retire are junkie, crackhead and lush.",
                "crackhead"
            ),
            listed
        );
        // A list of findings in a note names no words and gives no examples.
        assert_eq!(
            mention("Behaviour: agitated, combative, hostile.", "combative"),
            None
        );
        assert_eq!(
            mention("Plan (detox, rehab, addict group).", "addict"),
            None
        );
    }

    #[test]
    fn reported_references_are_mentions() {
        let stereotype = Some(Mention::Stereotype);
        assert_eq!(
            mention("Neighbours still refer to him as a junkie.", "junkie"),
            stereotype
        );
        assert_eq!(
            mention("They are often referred to as junkies.", "junkies"),
            stereotype
        );
        // A referral is not a label.
        assert_eq!(
            mention("He was referred to detox as he is a junkie.", "junkie"),
            None
        );
    }

    #[test]
    fn an_avoid_sentence_inside_a_line_lists_words() {
        let listed = Some(Mention::Listed);
        let text = "Use person-first terms. Avoid junkie, addict, and user unless quoting.";
        assert_eq!(mention(text, "addict"), listed);
        // A reason after "avoid" makes the rest a use.
        let text = "Plan reviewed. Avoid opioids as he is an addict.";
        assert_eq!(mention(text, "addict"), None);
    }

    #[test]
    fn names_and_reductions_are_mentions() {
        assert_eq!(
            mention("Her podcast is called Hello Junkie.", "Junkie"),
            Some(Mention::Listed)
        );
        assert_eq!(
            mention("The press keeps reducing us to mere junkies.", "junkies"),
            Some(Mention::Stereotype)
        );
        assert_eq!(
            mention("The dose was reduced to junkie levels.", "junkie"),
            None
        );
    }

    #[test]
    fn guide_shapes_name_words_to_drop() {
        let listed = Some(Mention::Listed);
        // A table whose header judges one column and offers the other.
        let text = "Stigmatizing | Preferred\nJunkie, addict | Person who uses drugs";
        assert_eq!(mention(text, "addict"), listed);
        let text = "Date | Note\nJunkie, addict | seen in clinic";
        assert_eq!(mention(text, "addict"), None);
        // A label before a colon later in the line, and "use X, not Y".
        assert_eq!(
            mention(
                "Say this: person with a psychosis. Not this: psycho.",
                "psycho."
            ),
            listed
        );
        assert_eq!(
            mention("Use person in recovery, not ex-junkie.", "ex-junkie"),
            listed
        );
        assert_eq!(
            mention(
                "Use the side door, not the front; the junkie is back.",
                "junkie"
            ),
            None
        );
        // A heading that judges the words it lists.
        assert_eq!(
            mention("Terms to retire\n- junkie\n- crackhead", "crackhead"),
            listed
        );
        // "so-called", and words for words after the list.
        assert_eq!(
            mention("The so-called junkie of the tabloids is a myth.", "junkie"),
            listed
        );
        assert_eq!(
            mention(
                "NIDA lists abuser, junkie and user among words that stigmatize.",
                "junkie"
            ),
            listed
        );
    }

    #[test]
    fn equations_and_instead_of_cards_are_mentions() {
        assert_eq!(
            mention("Drug abuser = Person with substance use disorder", "abuser"),
            Some(Mention::Listed)
        );
        assert_eq!(
            mention(
                "Former/reformed addict/alcoholic = Person in recovery",
                "addict"
            ),
            Some(Mention::Listed)
        );
        // A label in a sentence before an equals sign is still a use.
        assert_eq!(
            mention("The patient is an addict and the plan = detox.", "addict"),
            None
        );
        // "Instead of…" on a line of its own introduces the words on the next line.
        let card = "Instead of...\nAddict. Junkie. Druggie.\nTry this!\nPerson who uses drugs.";
        assert_eq!(mention(card, "Junkie"), Some(Mention::Listed));
        // A note's line of full sentences under a heading is a use.
        let note = "Assessment:\nHe is an addict. He wants detox today.";
        assert_eq!(mention(note, "addict"), None);
    }

    #[test]
    fn arrows_and_named_stereotypes_are_mentions() {
        assert_eq!(
            mention("- Junkie → person who uses drugs", "Junkie"),
            Some(Mention::Listed)
        );
        assert_eq!(
            mention("Crackhead -> person who uses cocaine", "Crackhead"),
            Some(Mention::Listed)
        );
        assert_eq!(
            mention("The junkie stereotype keeps people from care.", "junkie"),
            Some(Mention::Stereotype)
        );
        assert_eq!(
            mention(
                "Reconsider: junkie. Use instead: person who injects drugs.",
                "junkie"
            ),
            Some(Mention::Listed)
        );
        // In a sentence, a label before an arrow is still a use.
        assert_eq!(
            mention(
                "The junkie in bed 4 went home -> GP to follow up.",
                "junkie"
            ),
            None
        );
    }

    #[test]
    fn a_denied_label_is_a_mention() {
        let denied = Some(Mention::Distanced);
        assert_eq!(
            mention("He isn't a junkie; he is a man with an illness.", "junkie"),
            denied
        );
        assert_eq!(mention("She was never an addict.", "addict"), denied);
        assert_eq!(mention("My son is not a psycho.", "psycho"), denied);
        assert_eq!(mention("She is not an alcoholic.", "an alcoholic"), denied);
        // "Not just" still applies the label; "never" before a verb is no denial.
        assert_eq!(mention("He is not just an addict.", "addict"), None);
        assert_eq!(mention("She never refuses her meds.", "refuses"), None);
    }

    #[test]
    fn a_sentence_about_how_a_word_is_used_mentions_it() {
        let listed = Some(Mention::Listed);
        assert_eq!(
            mention(
                "The guide says addict should no longer be used as a noun.",
                "addict"
            ),
            listed
        );
        assert_eq!(
            mention(
                "In old charts, lunatic was a term for anyone in the asylum.",
                "lunatic"
            ),
            listed
        );
        // About the person, not the word.
        assert_eq!(
            mention("The addict should be seen as a person first.", "addict"),
            None
        );
        assert_eq!(
            mention("He is an addict, as a rule of thumb.", "addict"),
            None
        );
        assert_eq!(
            mention(
                "The junkie was a regular in the word games at the shelter.",
                "junkie"
            ),
            None
        );
    }

    #[test]
    fn a_term_a_sentence_defines_is_mentioned() {
        let listed = Some(Mention::Listed);
        for (sentence, term) in [
            (
                "Noncompliance is defined as missing two doses in a week.",
                "Noncompliance",
            ),
            (
                "Malingering refers to feigning illness for gain.",
                "Malingering",
            ),
            (
                "In most audits, frequent flyers are defined as four visits a year.",
                "frequent flyers",
            ),
            (
                "Medication noncompliance is often defined as taking under 80%.",
                "noncompliance",
            ),
            (
                "Drug-seeking, defined as asking for opioids by name, was coded.",
                "Drug-seeking",
            ),
            ("Junkie denotes a person who injects heroin.", "Junkie"),
            (
                "Addict is used to describe someone by their illness.",
                "Addict",
            ),
        ] {
            assert_eq!(mention(sentence, term), listed, "{sentence}");
        }
        // About a person or a case, not the term.
        for (sentence, term) in [
            ("The addict refers to his dealer as a friend.", "addict"),
            (
                "Her noncompliance is defined as a risk in the plan.",
                "noncompliance",
            ),
            (
                "He said the junkie refers to everyone as brother.",
                "junkie",
            ),
            (
                "Noncompliance was noted and defined as a concern.",
                "Noncompliance",
            ),
            (
                "The client is noncompliant, defined as missing doses.",
                "noncompliant",
            ),
        ] {
            assert_eq!(mention(sentence, term), None, "{sentence}");
        }
    }

    #[test]
    fn more_first_person_self_descriptions() {
        let own = Some(Mention::SelfDescribed);
        assert_eq!(mention("I will always be an alcoholic.", "alcoholic"), own);
        assert_eq!(
            mention("So I don't mind being an addict now.", "addict"),
            own
        );
        assert_eq!(mention("Tomorrow I'll still be a drunk.", "drunk"), own);
        assert_eq!(
            mention("Back then I was a mess, a total junkie.", "junkie"),
            own
        );
        assert_eq!(
            mention("I identify as an addict in recovery.", "addict"),
            own
        );
        assert_eq!(mention("I was a liar, an alcoholic.", "an alcoholic"), own);
        assert_eq!(
            mention("I was tired, the junkie in bed 4 kept shouting.", "junkie"),
            None
        );
        assert_eq!(
            mention("At meetings I sit with other drunks.", "drunks"),
            own
        );
        assert_eq!(
            mention("I get to help another suffering alcoholic.", "alcoholic"),
            own
        );
        assert_eq!(
            mention(
                "From those books I learnt how to become a perfect bulimic.",
                "bulimic"
            ),
            own
        );
        assert_eq!(
            mention("At nineteen I decided to become a better drunk.", "drunk"),
            own
        );
        // Someone else described, or no first person.
        assert_eq!(
            mention("I think she has always been an addict.", "addict"),
            None
        );
        assert_eq!(
            mention("I watched my brother become an addict.", "addict"),
            None
        );
        assert_eq!(
            mention("I was born an alcoholic and I will die one.", "alcoholic"),
            own
        );
        assert_eq!(
            mention("Sober or not, I'll die a drunk in their eyes.", "drunk"),
            own
        );
        assert_eq!(
            mention("I was born the year my father became an addict.", "addict"),
            None
        );
        assert_eq!(
            mention("I worry she is becoming a better liar.", "liar"),
            None
        );
        assert_eq!(
            mention("The ward admitted other addicts overnight.", "addicts"),
            None
        );
        assert_eq!(
            mention(
                "I was proud of the way she sponsored other alcoholics in her last year.",
                "alcoholics"
            ),
            None
        );
        assert_eq!(
            mention(
                "We laughed about it with other addicts at the meeting.",
                "addicts"
            ),
            own
        );
        assert_eq!(
            mention(
                "Not all shopping addicts are female, although of course, I am.",
                "shopping addicts"
            ),
            own
        );
        assert_eq!(
            mention("People stare at junkies like me on the bus.", "junkies"),
            own
        );
        assert_eq!(
            mention("The ward is full of addicts, myself included.", "addicts"),
            own
        );
        assert_eq!(
            mention("The addicts in bed 3 and 4 asked what I am.", "addicts"),
            None
        );
        assert_eq!(
            mention("The addicts I work with are not like me at all.", "addicts"),
            None
        );
    }

    #[test]
    fn a_negated_instruction_rejects_the_label() {
        let distanced = Some(Mention::Distanced);
        for (sentence, term) in [
            ("Do not assume the family is resistive.", "resistive"),
            (
                "Don't label him non-compliant in the notes.",
                "non-compliant",
            ),
            ("Never describe her as drug seeking.", "drug seeking"),
            ("You should not assume that he is just an addict.", "addict"),
            (
                "Staff were told not to use the homeless when writing notes.",
                "the homeless",
            ),
            ("Please never call a client an addict.", "addict"),
        ] {
            assert_eq!(mention(sentence, term), distanced, "{sentence}");
        }
        // What the instruction is about, a clause of its own, or a report of what staff do.
        for (sentence, term) in [
            (
                "Do not let the resistive patient leave the unit.",
                "resistive",
            ),
            (
                "Do not assume the resistive family will return.",
                "resistive",
            ),
            ("Never call the resistive family after 8 pm.", "resistive"),
            (
                "Do not discharge the non-compliant patient without a plan.",
                "non-compliant",
            ),
            (
                "Staff do not see anything that would classify them as abusing alcohol.",
                "abusing",
            ),
            (
                "Do not assume anything, he is non-compliant with every plan.",
                "non-compliant",
            ),
        ] {
            assert_eq!(mention(sentence, term), None, "{sentence}");
        }
    }

    #[test]
    fn an_impersonal_report_of_what_others_wrote() {
        let distanced = Some(Mention::Distanced);
        assert_eq!(
            mention(
                "It was also written that she was non-compliant.",
                "non-compliant"
            ),
            distanced
        );
        assert_eq!(
            mention(
                "It has often been said that addicts never change.",
                "addicts"
            ),
            distanced
        );
        // The writer's own finding, or the label asserted with its source.
        assert_eq!(
            mention(
                "She was non-compliant, as written in the chart.",
                "non-compliant"
            ),
            None
        );
        assert_eq!(
            mention("It was noted that she was non-compliant.", "non-compliant"),
            None
        );
        assert_eq!(
            mention(
                "It was reported that he was non-compliant again.",
                "non-compliant"
            ),
            None
        );
        assert_eq!(
            mention(
                "It was written up because she was non-compliant.",
                "non-compliant"
            ),
            None
        );
    }

    #[test]
    fn a_belief_said_to_be_widely_held() {
        let stereotype = Some(Mention::Stereotype);
        assert_eq!(
            mention(
                "The notion is pervasive that alcoholics cannot be helped.",
                "alcoholics"
            ),
            stereotype
        );
        assert_eq!(
            mention(
                "The idea persists that addicts choose their illness.",
                "addicts"
            ),
            stereotype
        );
        assert_eq!(
            mention(
                "The belief remains widely held that schizophrenics are violent.",
                "schizophrenics"
            ),
            stereotype
        );
        // A belief that is not said to be held or to spread, or a new sentence.
        assert_eq!(
            mention("The thought was that he is an addict.", "addict"),
            None
        );
        assert_eq!(
            mention(
                "The stigma is pervasive, and alcoholics cannot get help here.",
                "alcoholics"
            ),
            None
        );
        assert_eq!(
            mention(
                "The notion is pervasive; alcoholics cannot be helped here.",
                "alcoholics"
            ),
            None
        );
    }

    #[test]
    fn a_naming_after_a_closed_subordinate_clause_lists_its_terms() {
        assert_eq!(
            mention(
                "When a person declines help, this is also referred to as non-compliance, rejection, or refusal of care.",
                "refusal"
            ),
            Some(Mention::Stereotype)
        );
        // A subordinate clause still open at the cue is closed by the comma.
        assert_eq!(
            mention(
                "When referred to as non-compliant, the client is refusing every visit.",
                "refusing"
            ),
            None
        );
    }

    #[test]
    fn a_generic_definition_may_take_an_indefinite_article() {
        let listed = Some(Mention::Listed);
        assert_eq!(
            mention(
                "A drug seeker is defined as a patient who requests a drug for resale.",
                "drug seeker"
            ),
            listed
        );
        assert_eq!(
            mention(
                "An addict is understood as someone who cannot stop.",
                "addict"
            ),
            listed
        );
        assert_eq!(
            mention(
                "A drug seeker, defined as high risk by triage, left the ward.",
                "drug seeker"
            ),
            None
        );
        assert_eq!(
            mention(
                "A drug seeker was admitted and defined as high risk.",
                "drug seeker"
            ),
            None
        );
    }

    #[test]
    fn a_sentence_quoted_in_single_quotes_as_an_example() {
        assert_eq!(
            mention(
                "Chart what you see: 'Patient refused medications, stating I don't want to take them.' Let the facts speak.",
                "refused"
            ),
            Some(Mention::Quoted)
        );
        // Apostrophes inside words, or a quotation that starts after the match.
        assert_eq!(
            mention(
                "The patient's mother refused medications, stating she didn't want them.",
                "refused"
            ),
            None
        );
        assert_eq!(
            mention(
                "Staff said the patient refused medications, stating 'I don't want them.'",
                "refused"
            ),
            None
        );
    }

    #[test]
    fn a_recovery_self_introduction_and_the_writers_own_mind() {
        let own = Some(Mention::SelfDescribed);
        assert_eq!(
            mention(
                "As an addict in recovery with 35 years clean and sober, I have watched friends relapse.",
                "addict"
            ),
            own
        );
        assert_eq!(
            mention(
                "The addict voice that moved into our brain when we started drinking never leaves.",
                "addict"
            ),
            own
        );
        assert_eq!(
            mention(
                "Some nights my addict brain still bargains with me.",
                "addict"
            ),
            own
        );
        // A clause of time, and someone else's mind.
        assert_eq!(
            mention(
                "As an addict walked into the clinic, I called security.",
                "addict"
            ),
            None
        );
        assert_eq!(
            mention(
                "As an addict in the waiting room started shouting, I called security.",
                "addict"
            ),
            None
        );
        assert_eq!(
            mention("The addict voice in his head tells him to use.", "addict"),
            None
        );
    }

    #[test]
    fn two_wordings_set_side_by_side() {
        assert_eq!(
            mention(
                "Client is non-compliant VS Client said he does not want to take his medication",
                "non-compliant"
            ),
            Some(Mention::Listed)
        );
        assert_eq!(
            mention(
                "Client is non-compliant vs. partially compliant with meds today.",
                "non-compliant"
            ),
            None
        );
    }

    #[test]
    fn a_belief_the_next_sentence_rejects() {
        let stereotype = Some(Mention::Stereotype);
        assert_eq!(
            mention(
                "Back then we thought of heroin addicts as street bums. That stereotype could not be further from the truth.",
                "heroin addicts"
            ),
            stereotype
        );
        assert_eq!(
            mention(
                "Many people assume schizophrenics are violent. This is a myth.",
                "schizophrenics"
            ),
            stereotype
        );
        // No belief in the sentence, or a next sentence that does not reject it.
        assert_eq!(
            mention(
                "My brother is an addict. That stereotype hurts him.",
                "addict"
            ),
            None
        );
        assert_eq!(
            mention(
                "I thought he was an addict. That was before the scan.",
                "addict"
            ),
            None
        );
    }

    #[test]
    fn a_flattened_column_of_person_first_terms() {
        let table = "people with epilepsy\nepileptics\npeople who are deaf\nthe deaf\nperson in recovery\nreformed addict";
        assert_eq!(mention(table, "epileptics"), Some(Mention::Listed));
        assert_eq!(mention(table, "reformed addict"), Some(Mention::Listed));
        // A note's list, with one person-first line or none, or a sentence around the line.
        assert_eq!(
            mention(
                "Hypertension\nAlcoholic\nPerson with diabetes on ward 3\nSmoker",
                "Alcoholic"
            ),
            None
        );
        assert_eq!(
            mention(
                "Ward 3 today\nepileptics\nstroke patients\nfalls risk",
                "epileptics"
            ),
            None
        );
        assert_eq!(
            mention(
                "people with epilepsy\nThe epileptics on ward 3 had a bad night.\npeople who are deaf\nthe deaf",
                "epileptics"
            ),
            None
        );
    }

    #[test]
    fn short_example_sentences_under_a_line_announcing_statements() {
        assert_eq!(
            mention(
                "Offer plain statements without emotion:\nSam has asthma. Sam suffers from asthma. Lee uses a wheelchair.",
                "suffers from"
            ),
            Some(Mention::Listed)
        );
        // A note's heading, a heading of words (a sentence under it is a use), or a long
        // sentence under the announcing line.
        assert_eq!(
            mention(
                "Plan:\nSam suffers from asthma. Review in a week.",
                "suffers from"
            ),
            None
        );
        assert_eq!(
            mention("Words to avoid:\nSam suffers from asthma.", "suffers from"),
            None
        );
        assert_eq!(
            mention(
                "Offer plain statements without emotion:\nSam, who came in on Tuesday with his mother, suffers from asthma and needs a new inhaler.",
                "suffers from"
            ),
            None
        );
    }
}
