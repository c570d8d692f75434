//! Whether a reframe fits the sentence it lands in: simple grammar checks on the text around
//! a replacement.
//!
//! A reframe replaces the matched words in place, so the words just before and after it stay.
//! These checks catch the seams that break most often: a verb form after "being" or "is"
//! ("reports being having difficulty"), an article that no longer suits the next word ("a
//! person" replacing "addict" after "an"), and a singular reframe for a plural match. They are
//! heuristics for rule writers, run by `reframe rules test` on every rule's `examples.flag`
//! sentences; they never run on a writer's text.

use std::ops::Range;

/// Words that end in "-ing" but are not verb forms, so "being" before them is fine.
const NOT_PARTICIPLES: &[&str] = &[
    "thing",
    "nothing",
    "something",
    "anything",
    "everything",
    "king",
    "ring",
    "sibling",
    "spring",
    "string",
    "morning",
    "evening",
    "during",
    "ceiling",
    "darling",
    "wedding",
];

/// Finite verbs that cannot follow a form of *to be* ("is has", "being does").
const FINITE_AFTER_BE: &[&str] = &["has", "does", "did", "is", "are", "was", "were", "am"];

/// Forms of *to be* that take an adjective or a participle next.
const BE_FORMS: &[&str] = &["is", "are", "was", "were", "am", "be", "been", "being"];

/// Words that start with a vowel letter but a consonant sound ("a unit", "a one-off").
const CONSONANT_SOUND_PREFIXES: &[&str] = &["uni", "use", "usu", "uti", "eu", "one", "once", "ur"];

/// Words that start with a consonant letter but a vowel sound ("an hour").
const VOWEL_SOUND_PREFIXES: &[&str] = &["hour", "honest", "honor", "honour", "heir"];

/// Problems with `text` (a sentence after a replacement) where a pair of words touches
/// `replaced`, the byte range the reframe now occupies. Each problem names the words.
pub fn seam_problems(text: &str, replaced: &Range<usize>) -> Vec<String> {
    let words = words(text);
    let mut problems = Vec::new();
    for (i, pair) in words.windows(2).enumerate() {
        let (first, second) = (&pair[0], &pair[1]);
        // Only pairs the replacement made: one of the two words lies in it.
        let touches = |w: &Word| w.range.start < replaced.end && replaced.start < w.range.end;
        if !(touches(first) || touches(second)) {
            continue;
        }
        // Words split by a sentence or clause mark do not form a pair.
        if text[first.range.end..second.range.start]
            .chars()
            .any(|c| !c.is_whitespace())
        {
            continue;
        }
        let a = first.lower.as_str();
        let b = second.lower.as_str();
        let b_text = &text[second.range.clone()];
        if a == "being" && is_participle(b) {
            problems.push(format!("“being {b}”: a verb form after “being”"));
        }
        // "being not taking": the "not" does not change the verb form.
        if a == "being" && b == "not" {
            if let Some(third) = words.get(i + 2).filter(|w| is_participle(&w.lower)) {
                let c = &third.lower;
                problems.push(format!("“being not {c}”: a verb form after “being”"));
            }
        }
        if BE_FORMS.contains(&a) && FINITE_AFTER_BE.contains(&b) {
            problems.push(format!("“{a} {b}”: two verbs in a row"));
        }
        if a == "a" && starts_with_vowel_sound(b_text) {
            problems.push(format!("“a {b}”: “an” before a vowel sound"));
        }
        if a == "an" && !starts_with_vowel_sound(b_text) {
            problems.push(format!("“an {b}”: “a” before a consonant sound"));
        }
    }
    problems
}

/// Problems with the capitals of `reframe` replacing `matched` where a sentence starts
/// (`at_start`): a capital the reframe drops ("heroin use" for "Heroin abuse"), and the
/// sentence's capital carried into the reframe's middle ("unhealthy Heroin use"). An
/// abbreviation or a word in capitals throughout ("EtOH", "IV") is the word's own and may go
/// anywhere; mid-sentence, capitals are the writer's.
pub fn capital_problems(matched: &str, reframe: &str, at_start: bool) -> Vec<String> {
    let mut problems = Vec::new();
    let (Some(m), Some(r)) = (matched.chars().next(), reframe.chars().next()) else {
        return problems;
    };
    if !at_start {
        return problems;
    }
    if m.is_uppercase() && r.is_lowercase() {
        problems.push(format!(
            "“{reframe}” starts in lowercase where “{matched}” starts with a capital"
        ));
    }
    let first = words(matched).into_iter().next();
    if let Some(first) = first.filter(|w| is_capitalised(&matched[w.range.clone()])) {
        for word in words(reframe).iter().skip(1) {
            let text = &reframe[word.range.clone()];
            if word.lower == first.lower && is_capitalised(text) {
                problems.push(format!(
                    "“{text}” keeps the capital it had at the start of “{matched}”"
                ));
            }
        }
    }
    problems
}

/// Whether `word` has one capital, at its start ("Heroin", not "EtOH", "IV" or "heroin").
fn is_capitalised(word: &str) -> bool {
    let mut letters = word.chars().filter(|c| c.is_alphabetic());
    letters.next().is_some_and(char::is_uppercase)
        && letters.clone().next().is_some()
        && letters.all(char::is_lowercase)
}

/// Whether `word` (lowercase) is an "-ing" verb form. A hyphenated "-ing" word is an adjective
/// ("connection-seeking").
fn is_participle(word: &str) -> bool {
    word.ends_with("ing") && !word.contains('-') && !NOT_PARTICIPLES.contains(&word)
}

/// Whether `phrase` starts with a finite verb ("was pulled away", "has not yet"), so it replaces
/// a verb phrase rather than words that follow "is".
pub fn starts_with_finite_verb(phrase: &str) -> bool {
    words(phrase).first().is_some_and(|w| {
        FINITE_AFTER_BE.contains(&w.lower.as_str())
            || matches!(w.lower.as_str(), "have" | "had" | "do")
    })
}

/// Whether a phrase reads as singular ("a person with …", "someone who …") or plural
/// ("people who …"), when its words say so clearly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Number {
    /// Clearly one.
    Singular,
    /// Clearly more than one.
    Plural,
}

/// The number a reframe's words mark, if any.
pub fn marked_number(reframe: &str) -> Option<Number> {
    let words = words(reframe);
    let lower: Vec<&str> = words.iter().map(|w| w.lower.as_str()).collect();
    let plural = lower
        .iter()
        .any(|w| matches!(*w, "people" | "persons" | "individuals" | "those"));
    let singular = matches!(lower.first(), Some(&"a" | &"an"))
        || lower
            .iter()
            .any(|w| matches!(*w, "person" | "someone" | "somebody"));
    match (singular, plural) {
        (true, false) => Some(Number::Singular),
        (false, true) => Some(Number::Plural),
        _ => None,
    }
}

/// Nouns for a group of people: singular, yet rightly reframed as "the people …".
const GROUP_NOUNS: &[&str] = &[
    "caseload",
    "population",
    "group",
    "cohort",
    "community",
    "family",
    "team",
    "crowd",
    "class",
];

/// Whether `phrase` names a group of people with a singular noun ("my caseload").
pub fn names_a_group(phrase: &str) -> bool {
    words(phrase)
        .iter()
        .any(|w| GROUP_NOUNS.contains(&w.lower.as_str()))
}

/// Whether `word` starts with a vowel sound, by spelling: good enough for "a"/"an" checks.
/// An all-capital abbreviation is read letter by letter ("an SUD", "an MRI").
pub fn starts_with_vowel_sound(word: &str) -> bool {
    let letters: String = word.chars().take_while(|c| c.is_alphabetic()).collect();
    if letters.chars().count() > 1 && letters.chars().all(|c| c.is_ascii_uppercase()) {
        return letters.starts_with(['A', 'E', 'F', 'H', 'I', 'L', 'M', 'N', 'O', 'R', 'S', 'X']);
    }
    let lower = letters.to_lowercase();
    if VOWEL_SOUND_PREFIXES.iter().any(|p| lower.starts_with(p)) {
        return true;
    }
    if CONSONANT_SOUND_PREFIXES
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return false;
    }
    lower.starts_with(['a', 'e', 'i', 'o', 'u'])
}

/// A word: letters, digits and inner apostrophes or hyphens.
struct Word {
    range: Range<usize>,
    lower: String,
}

fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start = None;
    let is_word_char = |c: char| c.is_alphanumeric() || c == '\'' || c == '’' || c == '-';
    for (i, c) in text.char_indices() {
        match (start, is_word_char(c)) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                out.push(Word {
                    range: s..i,
                    lower: text[s..i].to_lowercase(),
                });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Word {
            range: s..text.len(),
            lower: text[s..].to_lowercase(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(before: &str, reframe: &str, after: &str) -> Vec<String> {
        let text = format!("{before}{reframe}{after}");
        seam_problems(&text, &(before.len()..before.len() + reframe.len()))
    }

    #[test]
    fn verb_forms_after_being_and_is() {
        assert_eq!(
            problems("She reports being ", "having difficulty", " with meds."),
            ["“being having”: a verb form after “being”"]
        );
        assert_eq!(
            problems("He is ", "has doubts", " about it."),
            ["“is has”: two verbs in a row"]
        );
        assert_eq!(
            problems("She reports being ", "not taking", " her meds."),
            ["“being not taking”: a verb form after “being”"]
        );
        assert!(problems("She reports ", "having difficulty", " with meds.").is_empty());
        assert!(problems("He is ", "connection-seeking", " today.").is_empty());
        assert!(problems("She is ", "having difficulty", " with meds.").is_empty());
        assert!(problems("Being ", "something", " else.").is_empty());
    }

    #[test]
    fn articles_suit_the_next_word() {
        assert_eq!(
            problems("He is a ", "addict", "."),
            ["“a addict”: “an” before a vowel sound"]
        );
        assert_eq!(
            problems("He is an ", "person who uses drugs", "."),
            ["“an person”: “a” before a consonant sound"]
        );
        assert!(problems("He is ", "an unusual case", ".").is_empty());
        assert!(problems("It was ", "a one-off", ".").is_empty());
        assert!(problems("It took ", "an hour", ".").is_empty());
        assert!(problems("She has ", "an SUD", ".").is_empty());
    }

    #[test]
    fn only_pairs_the_replacement_made_count() {
        // "a apple" was in the sentence already; the reframe did not make it.
        assert!(problems("A apple, and ", "someone", " else.").is_empty());
        // A comma splits a pair.
        assert!(problems("She is, ", "has", " been.").is_empty());
    }

    #[test]
    fn capitals_stay_where_the_sentence_puts_them() {
        assert!(capital_problems("Heroin abuse", "Unhealthy heroin use", true).is_empty());
        assert!(capital_problems("Heroin abuse", "Heroin use", true).is_empty());
        assert!(capital_problems("heroin abuse", "unhealthy heroin use", true).is_empty());
        assert!(capital_problems("EtOH abuse", "Unhealthy EtOH use", true).is_empty());
        // Mid-sentence, an abbreviation's capitals say nothing about the reframe's start.
        assert!(capital_problems("IV drug user", "person who injects drugs", false).is_empty());
        assert!(capital_problems("Heroin abuse", "unhealthy Heroin use", false).is_empty());
        assert_eq!(
            capital_problems("Heroin abuse", "Unhealthy Heroin use", true),
            ["“Heroin” keeps the capital it had at the start of “Heroin abuse”"]
        );
        assert_eq!(
            capital_problems("Heroin abuse", "unhealthy heroin use", true),
            ["“unhealthy heroin use” starts in lowercase where “Heroin abuse” starts with a capital"]
        );
        assert_eq!(
            capital_problems("DNA", "missed", true),
            ["“missed” starts in lowercase where “DNA” starts with a capital"]
        );
    }

    #[test]
    fn number_marked_by_words() {
        assert_eq!(
            marked_number("a person with schizophrenia"),
            Some(Number::Singular)
        );
        assert_eq!(marked_number("people who use drugs"), Some(Number::Plural));
        assert_eq!(marked_number("died by suicide"), None);
        assert!(names_a_group("my caseload"));
        assert!(!names_a_group("an addict"));
    }
}
