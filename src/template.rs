//! Reframe templates: `$1`, `{1:dies,died,dying}`, `$name`, and case adaptation.
//!
//! A reframe replaces the matched text in place, so it has to fit: keep the inflection the writer
//! used and the capital letter at the start of a sentence.

use crate::error::DataError;
use crate::pattern::{group_capture_index, Group};
use regex::Captures;

/// One piece of a parsed template.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Text(String),
    /// `$n`: the text group n matched, by the group's capture index.
    Group(usize),
    /// `$name` / `${name}`: a named regex capture.
    Named(String),
    /// `{n:a,b,c}`: the option in the position of group n's matched alternative, by the capture
    /// index of the group's first alternative.
    Choice(usize, Vec<String>),
}

/// A parsed reframe template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    pieces: Vec<Piece>,
}

impl Template {
    /// Parses a template. `groups` are the numbered groups of one phrase (empty for `regex`
    /// rules); references are checked against them so mistakes surface at load time.
    pub fn parse(source: &str, groups: &[Group]) -> Result<Template, DataError> {
        let mut pieces = Vec::new();
        let mut text = String::new();
        let mut rest = source;
        while let Some(c) = rest.chars().next() {
            if c == '$' {
                let after = &rest[1..];
                if let Some(after) = after.strip_prefix('$') {
                    text.push('$');
                    rest = after;
                    continue;
                }
                let (name, consumed) = if let Some(braced) = after.strip_prefix('{') {
                    let end = braced
                        .find('}')
                        .ok_or_else(|| format!("`${{` without `}}` in reframe `{source}`"))?;
                    (&braced[..end], end + 2)
                } else {
                    let end = after
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(after.len());
                    (&after[..end], end)
                };
                if name.is_empty() {
                    return Err(format!(
                        "`$` must be followed by a group number or name in reframe `{source}` (write `$$` for a dollar sign)"
                    ).into());
                }
                flush(&mut text, &mut pieces);
                if let Ok(n) = name.parse::<usize>() {
                    check_group(n, groups, source)?;
                    pieces.push(Piece::Group(group_capture_index(groups, n)));
                } else {
                    pieces.push(Piece::Named(name.to_string()));
                }
                rest = &after[consumed..];
            } else if c == '{' {
                let end = rest
                    .find('}')
                    .ok_or_else(|| format!("`{{` without `}}` in reframe `{source}`"))?;
                let inner = &rest[1..end];
                let (number, options) = inner
                    .split_once(':')
                    .ok_or_else(|| format!("`{{{inner}}}` in reframe `{source}` should look like `{{1:dies,died,dying}}`"))?;
                let n: usize = number.trim().parse().map_err(|_| {
                    format!("`{{{inner}}}` in reframe `{source}`: `{number}` is not a group number")
                })?;
                check_group(n, groups, source)?;
                let options: Vec<String> = options.split(',').map(str::to_string).collect();
                let expected = groups[n - 1].alternatives;
                if options.len() != expected {
                    return Err(format!(
                        "`{{{inner}}}` in reframe `{source}` has {} options but group {n} has {expected} alternatives",
                        options.len()
                    ).into());
                }
                flush(&mut text, &mut pieces);
                pieces.push(Piece::Choice(group_capture_index(groups, n) + 1, options));
                rest = &rest[end + 1..];
            } else {
                text.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        flush(&mut text, &mut pieces);
        Ok(Template { pieces })
    }

    /// Renders the template for one match, then adapts its case to the matched text.
    ///
    /// `haystack` is the text as written that the captures' offsets refer to: the regex may
    /// have run on a lowercased copy of it, and a reframe quotes the writer's own letters.
    pub fn render(&self, captures: &Captures<'_>, haystack: &str, case_sensitive: bool) -> String {
        let as_written = |m: regex::Match<'_>| &haystack[m.range()];
        let Some(whole) = captures.get(0) else {
            return String::new();
        };
        let matched = as_written(whole);
        // The matched text's first capital is the sentence's ("Heroin abuse is common."), not
        // the word's: it goes wherever the reframe starts, and a word quoted from the match
        // further in is lowercased ("Unhealthy heroin use", not "unhealthy Heroin use").
        let sentence_capital =
            is_capitalised(matched) && at_sentence_start(&haystack[..whole.start()]);
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Group(index) => {
                    if let Some(m) = captures.get(*index) {
                        let text = as_written(m);
                        if sentence_capital && m.start() == whole.start() && !out.is_empty() {
                            out.push_str(&lowercase_first(text));
                        } else {
                            out.push_str(text);
                        }
                    }
                }
                Piece::Named(name) => {
                    if let Some(m) = captures.name(name) {
                        out.push_str(as_written(m));
                    }
                }
                Piece::Choice(first, options) => {
                    let chosen = (0..options.len())
                        .find(|i| captures.get(first + i).is_some())
                        .unwrap_or(0);
                    out.push_str(&options[chosen]);
                }
            }
        }
        // A capital that belongs to an abbreviation ("IV drug user", "BPD") is not a sentence
        // start, nor are an acronym's capitals the writer's shouting.
        if starts_with_abbreviation(matched) {
            return if at_sentence_start(&haystack[..whole.start()]) {
                capitalise_first(out)
            } else {
                out
            };
        }
        // A case-sensitive rule's capitals are its own (an acronym, a title), except a
        // sentence's first capital, which the reframe's start takes, and words in capitals
        // throughout ("PAST HISTORY: ALCOHOL ABUSE"), which the reframe keeps up.
        if case_sensitive {
            let mut letters = matched.chars().filter(|c| c.is_alphabetic());
            let all_caps = letters.all(char::is_uppercase);
            if all_caps && matched.contains(char::is_whitespace) {
                return out.to_uppercase();
            }
            if matched.starts_with(char::is_uppercase)
                && at_sentence_start(&haystack[..whole.start()])
            {
                return capitalise_first(out);
            }
            return out;
        }
        adapt_case(matched, out, case_sensitive)
    }
}

/// Whether `text` opens with a capitalised word: a capital, then only lowercase letters up to
/// the first character that is not a letter ("Heroin", "Painkiller", not "EtOH" or "IV").
fn is_capitalised(text: &str) -> bool {
    let mut letters = text.chars().take_while(|c| c.is_alphabetic());
    letters.next().is_some_and(char::is_uppercase) && letters.all(char::is_lowercase)
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn capitalise_first(text: String) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if first.is_lowercase() => first.to_uppercase().chain(chars).collect(),
        _ => text,
    }
}

fn flush(text: &mut String, pieces: &mut Vec<Piece>) {
    if !text.is_empty() {
        pieces.push(Piece::Text(std::mem::take(text)));
    }
}

fn check_group(n: usize, groups: &[Group], source: &str) -> Result<(), DataError> {
    if n == 0 || n > groups.len() {
        return Err(format!(
            "reframe `{source}` refers to group {n}, but the phrase has {} `{{…}}` group(s)",
            groups.len()
        )
        .into());
    }
    Ok(())
}

/// Whether `matched` opens with an all-capital abbreviation ("IV drug user") but is not all
/// capitals itself, or is one acronym ("BPD").
fn starts_with_abbreviation(matched: &str) -> bool {
    let first: String = matched
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .collect();
    let letters = first.chars().filter(|c| c.is_alphabetic()).count();
    // A lone word of two to four capitals is an acronym ("BPD", "IVDU"), not a word in caps.
    let lone_acronym = first.len() == matched.len() && letters <= 4;
    letters >= 2
        && first.chars().all(|c| !c.is_lowercase())
        && (matched.chars().any(char::is_lowercase) || lone_acronym)
}

/// Whether text ending with `before` starts a sentence next (unknown counts as a start).
pub(crate) fn at_sentence_start(before: &str) -> bool {
    before.trim_end().chars().last().is_none_or(|c| {
        matches!(
            c,
            '.' | '!' | '?' | ':' | '"' | '“' | '(' | '#' | '*' | '-' | '>'
        )
    })
}

/// Makes `reframe` start with a capital when `matched` does, and all caps when `matched` is
/// (unless the rule matches case exactly, where caps are part of the term, like `OCD`).
pub fn adapt_case(matched: &str, reframe: String, case_sensitive: bool) -> String {
    // A case-sensitive rule matches capitals the rule itself wrote (an acronym), which say
    // nothing about the writer's sentence.
    if case_sensitive {
        return reframe;
    }
    let mut letters = matched.chars().filter(|c| c.is_alphabetic());
    if letters.clone().nth(1).is_some() && letters.all(char::is_uppercase) {
        return reframe.to_uppercase();
    }
    match (matched.chars().next(), reframe.chars().next()) {
        (Some(m), Some(r)) if m.is_uppercase() && r.is_lowercase() => {
            let mut out: String = r.to_uppercase().collect();
            out.push_str(&reframe[r.len_utf8()..]);
            out
        }
        _ => reframe,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::compile;
    use regex::Regex;

    /// Renders as the matcher does: the regex runs on a lowercased copy of `text`.
    fn render(pattern: &str, template: &str, text: &str) -> String {
        let compiled = compile(pattern).unwrap();
        let re = Regex::new(&compiled.regex).unwrap();
        let lowered = text.to_ascii_lowercase();
        let caps = re.captures(&lowered).unwrap();
        Template::parse(template, &compiled.groups)
            .unwrap()
            .render(&caps, text, false)
    }

    #[test]
    fn choice_follows_the_matched_inflection() {
        let t = "{1:dies,died,dying} by suicide";
        assert_eq!(
            render("commit{s,ted,ting} suicide", t, "committed suicide"),
            "died by suicide"
        );
        assert_eq!(
            render("commit{s,ted,ting} suicide", t, "commits suicide"),
            "dies by suicide"
        );
        assert_eq!(
            render("commit{s,ted,ting} suicide", t, "Committing suicide"),
            "Dying by suicide"
        );
    }

    #[test]
    fn group_text_is_reused() {
        assert_eq!(
            render(
                "{resistant,hostile} client",
                "client who seems $1",
                "resistant client"
            ),
            "client who seems resistant"
        );
        // Quoted as written, though the regex matched a lowercased copy.
        assert_eq!(
            render("{addict,user} status", "$1 (their word)", "ADDICT STATUS"),
            "ADDICT (THEIR WORD)"
        );
        assert_eq!(
            render("the {addict,user}", "someone called $1", "the Addict"),
            "someone called Addict"
        );
        assert_eq!(render("x", "costs $$5", "x"), "costs $5");
    }

    #[test]
    fn an_abbreviation_capitalises_only_at_a_sentence_start() {
        let pattern = "iv drug user";
        let t = "person who injects drugs";
        assert_eq!(
            render(pattern, t, "IV drug user at risk."),
            "Person who injects drugs"
        );
        assert_eq!(
            render(pattern, t, "Seen. IV drug user at risk."),
            "Person who injects drugs"
        );
        assert_eq!(
            render(pattern, t, "a 34-year-old IV drug user"),
            "person who injects drugs"
        );
        assert_eq!(
            render(pattern, t, "IV DRUG USER"),
            "PERSON WHO INJECTS DRUGS"
        );
    }

    #[test]
    fn an_acronym_is_not_shouting() {
        let t = "with borderline personality disorder";
        assert_eq!(render("bpd", t, "a 28 yo F BPD with SI"), t);
        assert_eq!(
            render("bpd", t, "BPD, presenting with SI"),
            "With borderline personality disorder"
        );
        // A longer word in capitals is the writer's caps, and the reframe keeps them up.
        assert_eq!(
            render("addict", "person who uses drugs", "HE IS AN ADDICT"),
            "PERSON WHO USES DRUGS"
        );
    }

    /// Renders as the matcher does for a rule that matches case exactly: on the text as written.
    fn render_exact(pattern: &str, template: &str, text: &str) -> String {
        let compiled = compile(pattern).unwrap();
        let re = Regex::new(&compiled.regex).unwrap();
        let caps = re.captures(text).unwrap();
        Template::parse(template, &compiled.groups)
            .unwrap()
            .render(&caps, text, true)
    }

    #[test]
    fn a_sentence_capital_stays_at_the_start_of_the_reframe() {
        let pattern = "{heroin,opioid,etoh}-abuse";
        let t = "unhealthy $1 use";
        assert_eq!(
            render(pattern, t, "Heroin abuse is common."),
            "Unhealthy heroin use"
        );
        assert_eq!(
            render(pattern, t, "Seen today. Opioid abuse, ongoing."),
            "Unhealthy opioid use"
        );
        // Where the quoted word starts the reframe, it keeps its capital.
        assert_eq!(render(pattern, "$1 use", "Heroin abuse."), "Heroin use");
        // An abbreviation keeps its capitals.
        assert_eq!(render(pattern, t, "EtOH abuse."), "Unhealthy EtOH use");
        assert_eq!(render(pattern, t, "ETOH ABUSE."), "UNHEALTHY ETOH USE");

        // A rule that matches case exactly keeps its own capitals but not the sentence's.
        let pattern = "{Opioid,opioid,Heroin}-abuse";
        assert_eq!(
            render_exact(pattern, t, "Opioid abuse rose."),
            "Unhealthy opioid use"
        );
        assert_eq!(
            render_exact(pattern, t, "Notes: Heroin abuse."),
            "Unhealthy heroin use"
        );
        assert_eq!(
            render_exact(pattern, t, "Rates of opioid abuse rose."),
            "unhealthy opioid use"
        );
        // Mid-sentence, a capital is the writer's (a name, a title) and stays.
        assert_eq!(
            render_exact(pattern, t, "rates of Opioid abuse rose"),
            "unhealthy Opioid use"
        );
        assert_eq!(
            render_exact(pattern, "$1 use", "Opioid abuse rose."),
            "Opioid use"
        );
        assert_eq!(
            render_exact(
                "{Opioid,opioid}-Abuse",
                "$1 Use",
                "the Opioid Abuse Epidemic"
            ),
            "Opioid Use"
        );
    }

    #[test]
    fn case_is_adapted() {
        assert_eq!(
            adapt_case(
                "Addict",
                "person with a substance use disorder".into(),
                false
            ),
            "Person with a substance use disorder"
        );
        assert_eq!(
            adapt_case("ADDICT", "person who uses drugs".into(), false),
            "PERSON WHO USES DRUGS"
        );
        assert_eq!(
            adapt_case("OCD", "very particular".into(), true),
            "very particular"
        );
        assert_eq!(adapt_case("addict", "person".into(), false), "person");
        assert_eq!(adapt_case("A", "person".into(), false), "Person");
    }

    #[test]
    fn bad_references_are_errors() {
        let groups = compile("commit{s,ted} suicide").unwrap().groups;
        assert!(Template::parse("$2", &groups)
            .unwrap_err()
            .0
            .contains("group 2"));
        assert!(Template::parse("{1:a,b,c}", &groups)
            .unwrap_err()
            .0
            .contains("3 options"));
        assert!(Template::parse("{1 a}", &groups).is_err());
        assert!(Template::parse("$", &groups).is_err());
    }
}
