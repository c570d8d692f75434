//! The phrase pattern language: plain words that a non-programmer can write, compiled to regex.
//!
//! `commit{s,ted,ting} suicide`, `non-compliant`, `is [so,very] ocd`, `@person @be resistant`.
//! See docs/rule-format.md for the user-facing description. Besides the regex, compilation yields
//! *anchors*: literal strings one of which every match contains. The matcher finds anchors for
//! all rules in one Aho-Corasick pass, so the cost per document does not grow with the rule count.

use crate::error::DataError;
use std::fmt::Write;
use std::ops::Range;
use std::sync::LazyLock;

/// Words that name a person, for `@person`: the subject of the clinical descriptors that only
/// stigmatize when they are about someone.
pub const PERSON_WORDS: &[&str] = &[
    "patient",
    "patients",
    "pt",
    "client",
    "clients",
    "he",
    "she",
    "they",
    "him",
    "her",
    "them",
    "person",
    "people",
    "individual",
    "individuals",
    "man",
    "woman",
    "men",
    "women",
    "boy",
    "girl",
    "boys",
    "girls",
    "child",
    "children",
    "kid",
    "kids",
    "teen",
    "teens",
    "teenager",
    "teenagers",
    "adolescent",
    "adolescents",
    "adult",
    "adults",
    "mother",
    "mothers",
    "father",
    "fathers",
    "mom",
    "dad",
    "parent",
    "parents",
    "family",
    "son",
    "daughter",
    "brother",
    "sister",
    "sibling",
    "friend",
    "boyfriend",
    "girlfriend",
    "grandmother",
    "grandfather",
    "grandma",
    "grandpa",
    "uncle",
    "aunt",
    "cousin",
    "neighbour",
    "neighbor",
    "roommate",
    "guy",
    "lady",
    "gentleman",
    "wife",
    "husband",
    "partner",
    "veteran",
    "veterans",
    "member",
    "resident",
    "residents",
    "student",
    "students",
    "youth",
    "user",
    "caller",
    "participant",
    "participants",
    "consumer",
    "service user",
    "inmate",
    "inmates",
    "prisoner",
    "prisoners",
    "suspect",
    "suspects",
    "shooter",
    "gunman",
    "attacker",
    "assailant",
    "defendant",
    "defendants",
    "offender",
    "offenders",
    "victim",
    "tenant",
    "tenants",
    "passenger",
    "employee",
    "employees",
    "coworker",
    "colleague",
    "classmate",
    "soldier",
    "soldiers",
    "neighbours",
    "neighbors",
    "roommates",
    "wives",
    "husbands",
    "sons",
    "daughters",
    "brothers",
    "sisters",
    "siblings",
    "friends",
    "spouse",
    "grandson",
    "granddaughter",
    "nephew",
    "niece",
    "stepfather",
    "stepmother",
    "widow",
    "widower",
    "mr",
    "mrs",
    "ms",
    "mx",
    "who",
];

/// Words that may sit between a person and their verb in `@subject` ("the client has
/// repeatedly refused", "she would then claim"): auxiliaries and a few adverbs not ending in
/// *-ly* (every *-ly* word may sit there too).
pub const SUBJECT_BETWEEN: &[&str] = &[
    "again",
    "also",
    "always",
    "are",
    "been",
    "being",
    "continued to",
    "continues to",
    "did",
    "do",
    "does",
    "even",
    "had",
    "has",
    "have",
    "initially",
    "is",
    "just",
    "keeps",
    "kept",
    "later",
    "may",
    "might",
    "now",
    "often",
    "once",
    "outright",
    "previously",
    "since",
    "sometimes",
    "still",
    "then",
    "was",
    "were",
    "will",
    "would",
];

/// Nouns that name a person, for `@someone`: relations, roles, jobs and characters. Unlike
/// `@person` it holds no pronouns, so it can stand for the person a label is put before ("a
/// bipolar young mother", "the schizophrenic night porter").
pub const PERSON_NOUNS: &[&str] = &[
    "actor",
    "actors",
    "actress",
    "actresses",
    "adolescent",
    "adolescents",
    "adult",
    "adults",
    "agent",
    "agents",
    "artist",
    "artists",
    "athlete",
    "athletes",
    "aunts",
    "baby",
    "beggar",
    "boss",
    "boy",
    "boyfriend",
    "boyfriends",
    "boys",
    "bride",
    "brother",
    "brothers",
    "cashier",
    "celebrities",
    "celebrity",
    "character",
    "characters",
    "chef",
    "child",
    "children",
    "citizen",
    "clerk",
    "client",
    "clients",
    "colleague",
    "colleagues",
    "cop",
    "cops",
    "cousin",
    "cousins",
    "coworker",
    "coworkers",
    "dad",
    "dads",
    "dancer",
    "dancers",
    "daughter",
    "daughters",
    "defendant",
    "defendants",
    "detective",
    "detectives",
    "doctor",
    "doctors",
    "drifter",
    "elder",
    "employee",
    "employees",
    "ex-boyfriend",
    "ex-girlfriend",
    "ex-husband",
    "ex-partner",
    "ex-wife",
    "farmer",
    "father",
    "fathers",
    "female",
    "females",
    "fiance",
    "fiancee",
    "fiancé",
    "fiancée",
    "friend",
    "friends",
    "gentleman",
    "girl",
    "girlfriend",
    "girlfriends",
    "girls",
    "grandfather",
    "grandfathers",
    "grandmother",
    "grandmothers",
    "grandparent",
    "grandparents",
    "groom",
    "gunman",
    "gunmen",
    "hermit",
    "hero",
    "heroine",
    "heroines",
    "husband",
    "husbands",
    "individual",
    "individuals",
    "infant",
    "inmate",
    "inmates",
    "inpatient",
    "inpatients",
    "janitor",
    "kid",
    "kids",
    "killer",
    "killers",
    "lady",
    "lawyer",
    "lawyers",
    "loner",
    "male",
    "males",
    "man",
    "mechanic",
    "member",
    "members",
    "men",
    "miner",
    "mom",
    "moms",
    "monk",
    "mother",
    "mothers",
    "mum",
    "mums",
    "musician",
    "musicians",
    "nanny",
    "neighbor",
    "neighbors",
    "neighbour",
    "neighbours",
    "nephew",
    "nephews",
    "niece",
    "nieces",
    "novelist",
    "nun",
    "nurse",
    "nurses",
    "offender",
    "offenders",
    "officer",
    "officers",
    "orphan",
    "outpatient",
    "outpatients",
    "painter",
    "parent",
    "parents",
    "participant",
    "participants",
    "partner",
    "partners",
    "patient",
    "patients",
    "people",
    "person",
    "persons",
    "pilot",
    "pilots",
    "poet",
    "poets",
    "politician",
    "politicians",
    "porter",
    "porters",
    "priest",
    "priests",
    "prisoner",
    "prisoners",
    "probands",
    "protagonist",
    "protagonists",
    "pt",
    "pts",
    "recluse",
    "relative",
    "relatives",
    "resident",
    "residents",
    "roommate",
    "roommates",
    "runaway",
    "runaways",
    "shooter",
    "shooters",
    "sibling",
    "siblings",
    "singer",
    "singers",
    "sister",
    "sisters",
    "soldier",
    "soldiers",
    "son",
    "sons",
    "spouse",
    "spouses",
    "stepdaughter",
    "stepfather",
    "stepmother",
    "stepson",
    "student",
    "students",
    "subject",
    "subjects",
    "survivor",
    "suspect",
    "suspects",
    "teacher",
    "teachers",
    "teen",
    "teenager",
    "teenagers",
    "teens",
    "tenant",
    "tenants",
    "toddler",
    "tourist",
    "traveler",
    "traveller",
    "twin",
    "twins",
    "uncles",
    "vagrant",
    "veteran",
    "veterans",
    "victim",
    "volunteer",
    "volunteers",
    "waiter",
    "waitress",
    "widow",
    "widower",
    "wife",
    "wives",
    "woman",
    "women",
    "worker",
    "workers",
    "writer",
    "writers",
    "youth",
    "youths",
];

/// Words that put a sentence in a care setting, for `@care`: the people cared for, care
/// itself, and what it is made of (medication, sessions, meals, tests). Verbs like "refused"
/// or "non-compliant" label a person there; in a changelog or a history book they do not.
pub const CARE_WORDS: &[&str] = &[
    "addict",
    "addiction",
    "addicts",
    "admission",
    "admitted",
    "alcohol",
    "alcoholic",
    "alcoholics",
    "alcoholism",
    "allergic",
    "allergies",
    "allergy",
    "antibiotics",
    "antipsychotics",
    "appointment",
    "appointments",
    "assessment",
    "attend",
    "bed",
    "biopsy",
    "bipap",
    "bloods",
    "bloodwork",
    "breakfast",
    "care",
    "catheter",
    "chemo",
    "chemotherapy",
    "client",
    "clients",
    "clinic",
    "clinician",
    "clinicians",
    "counseling",
    "counselling",
    "counsellor",
    "counselor",
    "cpap",
    "ct",
    "detox",
    "diagnosis",
    "dialysis",
    "diet",
    "dinner",
    "discharge",
    "discharged",
    "doctor",
    "doctors",
    "dose",
    "doses",
    "dosing",
    "dressing",
    "drinking",
    "drug",
    "drugs",
    "eat",
    "eating",
    "ecg",
    "ekg",
    "engage",
    "exam",
    "examination",
    "fluid",
    "fluids",
    "foley",
    "follow-up",
    "food",
    "heparin",
    "homework",
    "hospital",
    "hospitalised",
    "hospitalized",
    "inhaler",
    "inhalers",
    "injection",
    "injections",
    "inmate",
    "inmates",
    "insulin",
    "intervention",
    "interventions",
    "iv",
    "jab",
    "lab",
    "labs",
    "labwork",
    "lunch",
    "meal",
    "meals",
    "med",
    "medication",
    "medications",
    "medicine",
    "medicines",
    "meds",
    "mri",
    "nurse",
    "nurses",
    "nursing",
    "obs",
    "oxygen",
    "pain",
    "participant",
    "participants",
    "patient",
    "patients",
    "phlebotomy",
    "physician",
    "physicians",
    "pill",
    "pills",
    "prescribed",
    "prescription",
    "procedure",
    "provider",
    "providers",
    "psychiatric",
    "psychiatrist",
    "psychiatrists",
    "psychologist",
    "psychologists",
    "pt",
    "readmitted",
    "referral",
    "regimen",
    "rehab",
    "resident",
    "residents",
    "scan",
    "seizure",
    "seizures",
    "service user",
    "service users",
    "session",
    "sessions",
    "shower",
    "sober",
    "sobriety",
    "staff",
    "surgery",
    "symptoms",
    "tablet",
    "tablets",
    "therapist",
    "therapy",
    "transfusion",
    "treatment",
    "treatments",
    "vaccination",
    "vaccine",
    "vaccines",
    "veteran",
    "veterans",
    "visit",
    "vitals",
    "ward",
    "wound",
    "wounds",
    "x-ray",
];

/// Forms of *to be* (and the linking verbs notes use like it), for `@be`.
pub const BE_WORDS: &[&str] = &[
    "is", "are", "was", "were", "be", "been", "being", "am", "seems", "seemed", "appears",
    "appeared", "remains", "remained", "became", "becomes",
];

/// Words that end a `@mod` slot: articles, pronouns, prepositions, conjunctions, negation,
/// auxiliaries, the verbs that take an object ("finding it difficult", "was given bad news") and
/// the verbs of naming ("are named bipolar transistors"). Any other word may sit in the slot as a modifier. Sorted, for the slot's regex.
pub const SLOT_STOP_WORDS: &[&str] = &[
    "a", "about", "all", "also", "am", "an", "and", "any", "are", "as", "asked", "at", "be",
    "because", "been", "before", "being", "but", "by", "called", "can", "could", "did", "do",
    "does", "doing", "done", "dubbed", "felt", "find", "finding", "finds", "for", "found", "from",
    "given", "got", "had", "has", "have", "having", "he", "her", "him", "his", "how", "i", "if",
    "in", "into", "is", "isn't", "it", "its", "made", "make", "makes", "making", "may", "me",
    "might", "must", "my", "named", "never", "no", "nor", "not", "now", "of", "on", "or", "our",
    "put", "she", "should", "so", "taking", "termed", "than", "that", "the", "their", "theirs",
    "them", "they", "this", "to", "told", "us", "was", "wasn't", "we", "were", "weren't", "what",
    "when", "where", "which", "who", "will", "with", "without", "would", "you", "your",
];

/// How many words a `@mod` slot holds at most.
pub const SLOT_WORDS: usize = 3;

/// A numbered `{…}` group: how many alternatives it has, so reframe templates can pick the
/// option in the same position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// Number of alternatives, including an empty one.
    pub alternatives: usize,
}

/// The regex capture index of group `n` (1-based) of a compiled pattern: groups are the only
/// captures, each `(?P<gN>` followed by one `(?P<gN_i>` per alternative, in order. Templates
/// look captures up by index, which is much cheaper than by name for every match.
pub fn group_capture_index(groups: &[Group], n: usize) -> usize {
    1 + groups[..n - 1]
        .iter()
        .map(|g| 1 + g.alternatives)
        .sum::<usize>()
}

/// Whether an anchor always begins, or always ends, a word of the text: true for a literal that
/// starts (or ends) its word in the pattern. A hit of the anchor inside a longer word, like
/// `help` in "helped", then cannot be part of a match, and the matcher skips it before running
/// the phrase's regex.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct WordEdges {
    /// The anchor begins a word.
    pub start: bool,
    /// The anchor ends a word.
    pub end: bool,
}

/// One set of alternatives a match must contain one of, and where they sit in their word.
struct AnchorSet {
    words: Vec<String>,
    edges: WordEdges,
}

/// A compiled phrase pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompiledPattern {
    /// Regex source without flags or word boundaries around it.
    pub regex: String,
    /// The pattern begins with `@start`, so its regex begins at a sentence or list item's
    /// start rather than at a word boundary.
    pub at_start: bool,
    /// Literal, lowercase strings one of which every match contains. Empty when the pattern
    /// has no literal word (`@person @be`): fine for a guard, not for a phrase.
    pub anchors: Vec<String>,
    /// Whether the anchors begin or end a word wherever a match contains them.
    pub anchor_edges: WordEdges,
    /// Another lowercase ASCII word that every match contains besides an anchor, if the pattern
    /// has one: a window around an anchor hit without it need not be searched.
    pub also_required: Option<String>,
    /// The numbered groups, in order: group `n` is `groups[n - 1]`, regex group `gN`, and its
    /// alternatives are regex groups `gN_0`, `gN_1`, ….
    pub groups: Vec<Group>,
}

/// Compiles one pattern. Errors are plain messages; the loader adds the location.
pub fn compile(pattern: &str) -> Result<CompiledPattern, DataError> {
    let tokens = tokenize(pattern);
    if tokens.is_empty() {
        return Err("empty pattern".into());
    }
    let mut compiler = Compiler::default();
    let mut parts: Vec<(String, bool, Join)> = Vec::new();
    let mut anchor_candidates: Vec<AnchorSet> = Vec::new();
    for (index, token) in tokens.iter().enumerate() {
        if *token == "@start" && index > 0 {
            return Err(format!("in `{pattern}`: `@start` can only begin a pattern").into());
        }
        let (regex, optional, anchors) = compiler
            .token(token)
            .map_err(|e| format!("in `{pattern}`: {e}"))?;
        if !optional {
            anchor_candidates.extend(anchors);
        }
        let join = match *token {
            "@be" | "@link" => Join::Verb,
            "@mod" => Join::Slot,
            "@start" => Join::Start,
            "," | ";" | ":" | "[,]" | "[;]" | "[:]" => Join::Punct,
            _ => Join::Space,
        };
        parts.push((regex, optional, join));
    }
    let at_start = tokens[0] == "@start";
    if parts.iter().all(|(_, optional, _)| *optional) {
        return Err(format!("in `{pattern}`: every word is optional").into());
    }
    let mut regex = String::new();
    let mut required_seen = false;
    let mut glued = false;
    for (part, optional, join) in parts {
        match (join, optional, required_seen && !glued) {
            (Join::Start, _, _) => {
                regex.push_str(&part);
                glued = true;
                continue;
            }
            (Join::Slot, _, after_required) => regex.push_str(&slot(&part, after_required)),
            // A comma, semicolon or colon sits on the word before it, with or without a space.
            (Join::Punct, true, true) => write!(regex, r"(?:\s*{part})?").unwrap(),
            (Join::Punct, false, true) => write!(regex, r"\s*{part}").unwrap(),
            (_, true, false) => write!(regex, r"(?:{part}\s+)?").unwrap(),
            (_, true, true) => write!(regex, r"(?:\s+{part})?").unwrap(),
            (_, false, false) => regex.push_str(&part),
            // `@be` and `@link` also match the contractions `'s` and `'re`, which follow
            // without a space.
            (Join::Verb, false, true) => write!(regex, r"(?:\s+{part}|{CONTRACTED_LINK})").unwrap(),
            (_, false, true) => write!(regex, r"\s+{part}").unwrap(),
        }
        // A slot before the first required word ends with its own space.
        glued = join == Join::Slot && !required_seen;
        required_seen |= !optional;
    }
    // Every anchor hit runs the phrase's regex, so the best anchor set is the one that occurs
    // least: one without everyday words if there is one, then the one whose shortest member is
    // longest (a short anchor also occurs inside longer words).
    let best = anchor_candidates
        .iter()
        .enumerate()
        .max_by_key(|(_, set)| {
            (
                !set.words
                    .iter()
                    .any(|a| COMMON_WORDS.binary_search(&a.as_str()).is_ok()),
                set.words
                    .iter()
                    .map(|a| a.chars().count())
                    .min()
                    .unwrap_or(0),
            )
        })
        .map(|(index, _)| index);
    let also_required = anchor_candidates
        .iter()
        .enumerate()
        .filter(|&(index, set)| Some(index) != best && set.words.len() == 1)
        .map(|(_, set)| &set.words[0])
        .filter(|word| word.is_ascii() && word.len() >= 3)
        .max_by_key(|word| word.len())
        .cloned();
    let (anchors, anchor_edges) = best.map_or_else(Default::default, |index| {
        let set = anchor_candidates.swap_remove(index);
        (set.words, set.edges)
    });
    Ok(CompiledPattern {
        regex,
        at_start,
        anchors,
        anchor_edges,
        also_required,
        groups: compiler.groups,
    })
}

/// How a token's regex joins the one before it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Join {
    /// After whitespace.
    Space,
    /// After whitespace, or glued on as a contraction (`she's`, `they're`).
    Verb,
    /// A `@mod` slot, which brings its own whitespace.
    Slot,
    /// `@start`, which ends with the whitespace before the next word.
    Start,
    /// A comma, semicolon or colon: right after the word before it, or after a space.
    Punct,
}

/// The regex of a `@mod` slot: up to [`SLOT_WORDS`] modifiers, each possibly followed by a
/// comma and a coordinating conjunction ("angry, noncompliant and"). `word` is the regex of
/// one modifier. After a required word each modifier brings its leading whitespace; before
/// one, its trailing whitespace.
fn slot(word: &str, after_required: bool) -> String {
    let joiner = r"(?:\s*,)?(?:\s+(?:and|or|but|&))?";
    if after_required {
        // A list may also start with a comma after the word before it: "difficult, demanding
        // patients". One copy of the word regex per slot word: it is the largest part of
        // the guards that most rules share.
        format!(r"(?:\s*,)?(?:\s+{word}{joiner}){{0,{SLOT_WORDS}}}")
    } else {
        format!(r"(?:{word}{joiner}\s+){{0,{SLOT_WORDS}}}")
    }
}

/// The contractions `@be` and `@link` accept right after the word before them: `'s`, `'re`,
/// and with a following verb `'s been`, `'d be`, `'ll be`.
const CONTRACTED_LINK: &str =
    r"['’](?:s|re)(?:\s+(?:been|being|become|getting))?|['’](?:d|ll)\s+(?:be|been|become)";

/// Splits a pattern into words, keeping `[…]` and `{…}` groups whole even when they hold
/// spaces (`no one should [have to]`).
fn tokenize(pattern: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    let mut depth = 0i32;
    let mut start: Option<usize> = None;
    for (i, c) in pattern.char_indices() {
        match c {
            '[' | '{' => depth += 1,
            ']' | '}' => depth -= 1,
            _ => {}
        }
        if c.is_whitespace() && depth <= 0 {
            if let Some(s) = start.take() {
                tokens.push(&pattern[s..i]);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        tokens.push(&pattern[s..]);
    }
    tokens
}

#[derive(Default)]
struct Compiler {
    groups: Vec<Group>,
}

impl Compiler {
    /// Compiles one whitespace-separated token into (regex, optional, anchor candidate sets).
    fn token(&mut self, token: &str) -> Result<(String, bool, Vec<AnchorSet>), DataError> {
        match token {
            "*" => return Ok((r"[\w'’-]+".into(), false, vec![])),
            "@person" => return Ok((PERSON_REGEX.clone(), false, vec![])),
            "@be" => return Ok((BE_REGEX.clone(), false, vec![])),
            "@link" => return Ok((LINK_REGEX.clone(), false, vec![])),
            "@mod" => return Ok((SLOT_WORD_REGEX.clone(), true, vec![])),
            "@word" => return Ok((WORD_REGEX.clone(), false, vec![])),
            "@start" => return Ok((START_REGEX.into(), false, vec![])),
            "@subject" => return Ok((SUBJECT_REGEX.clone(), false, vec![])),
            "@care" => return Ok((CARE_REGEX.clone(), false, vec![])),
            "@someone" => return Ok((SOMEONE_REGEX.clone(), false, vec![])),
            "@age" => return Ok((AGE_REGEX.clone(), false, vec![])),
            "@bed" => return Ok((BED_REGEX.into(), false, vec![])),
            "@name" => return Ok((NAME_REGEX.clone(), false, vec![])),
            _ if token.starts_with('@') => {
                return Err(format!(
                    "unknown word list `{token}` (known: @person, @someone, @subject, @name, @be, @link, @mod, @word, @care, @age, @bed, @start)"
                )
                .into())
            }
            _ => {}
        }
        // An optional comma, semicolon or colon (`[,]`): the comma cannot be one of a list's options.
        if let Some(mark @ ("," | ";" | ":")) = token
            .strip_prefix('[')
            .and_then(|inner| inner.strip_suffix(']'))
        {
            return Ok((regex::escape(mark), true, vec![]));
        }
        if let Some(inner) = token.strip_prefix('[') {
            let inner = inner
                .strip_suffix(']')
                .ok_or_else(|| format!("`{token}`: `[` without a closing `]`"))?;
            if inner.contains(['{', '}', '[', ']']) {
                return Err(format!(
                    "`{token}`: an optional word cannot contain `{{`, `}}`, `[` or `]`"
                )
                .into());
            }
            let options: Vec<String> = inner
                .split(',')
                .map(|option| {
                    option
                        .split_whitespace()
                        .map(literal_word)
                        .collect::<Result<Vec<_>, _>>()
                        .map(|words| words.join(r"\s+"))
                })
                .collect::<Result<_, _>>()?;
            if options.iter().any(String::is_empty) {
                return Err(format!("`{token}`: empty option").into());
            }
            return Ok((format!("(?:{})", options.join("|")), true, vec![]));
        }
        if token.contains(']') {
            return Err(format!("`{token}`: `]` without an opening `[`").into());
        }
        self.word(token).map(|(re, anchors)| (re, false, anchors))
    }

    /// A word with `{…}` groups, hyphens and apostrophes.
    fn word(&mut self, token: &str) -> Result<(String, Vec<AnchorSet>), DataError> {
        let mut regex = String::new();
        let mut anchors: Vec<PlacedAnchors> = Vec::new();
        let mut literal = String::new();
        let mut rest = token;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('{') {
                let end = after
                    .find('}')
                    .ok_or_else(|| format!("`{token}`: `{{` without a closing `}}`"))?;
                let inner = &after[..end];
                if inner.contains('{') {
                    return Err(format!("`{token}`: `{{…}}` groups cannot nest").into());
                }
                flush_literal(&mut literal, &mut regex, &mut anchors);
                let alternatives: Vec<&str> = inner.split(',').collect();
                let number = self.groups.len() + 1;
                let mut group = format!("(?P<g{number}>");
                for (i, alt) in alternatives.iter().enumerate() {
                    if i > 0 {
                        group.push('|');
                    }
                    write!(group, "(?P<g{number}_{i}>{})", literal_word(alt)?).unwrap();
                }
                group.push(')');
                let span = regex.len()..regex.len() + group.len();
                regex.push_str(&group);
                let pieces: Option<Vec<FixedPiece>> =
                    alternatives.iter().map(|a| FixedPiece::of(a)).collect();
                if let Some(pieces) = pieces {
                    anchors.push(PlacedAnchors {
                        words: pieces.iter().map(|p| p.text.to_lowercase()).collect(),
                        span,
                        starts_alternative: pieces.iter().all(|p| p.starts),
                        ends_alternative: pieces.iter().all(|p| p.ends),
                    });
                }
                self.groups.push(Group {
                    alternatives: alternatives.len(),
                });
                rest = &after[end + 1..];
            } else if rest.starts_with('}') {
                return Err(format!("`{token}`: `}}` without an opening `{{`").into());
            } else {
                let c = rest.chars().next().unwrap();
                match c {
                    '-' | '\'' | '’' => {
                        flush_literal(&mut literal, &mut regex, &mut anchors);
                        regex.push_str(special_char(c));
                    }
                    _ => literal.push(c),
                }
                rest = &rest[c.len_utf8()..];
            }
        }
        flush_literal(&mut literal, &mut regex, &mut anchors);
        let anchors = anchors
            .into_iter()
            .map(|placed| {
                let alphanumeric_edge = |pick: fn(&str) -> Option<char>| {
                    placed
                        .words
                        .iter()
                        .all(|w| pick(w).is_some_and(char::is_alphanumeric))
                };
                AnchorSet {
                    edges: WordEdges {
                        start: placed.span.start == 0
                            && placed.starts_alternative
                            && alphanumeric_edge(|w| w.chars().next()),
                        end: placed.span.end == regex.len()
                            && placed.ends_alternative
                            && alphanumeric_edge(|w| w.chars().next_back()),
                    },
                    words: placed.words,
                }
            })
            .collect();
        Ok((regex, anchors))
    }
}

/// An anchor set found in a word, with where its regex sits in the word's regex and whether its
/// anchors are whole alternatives at their start and end.
struct PlacedAnchors {
    words: Vec<String>,
    span: Range<usize>,
    starts_alternative: bool,
    ends_alternative: bool,
}

/// The longest part of a `{…}` alternative that every match of it contains as written: the
/// regex lets hyphens, apostrophes and spaces vary, so the parts between them are fixed.
struct FixedPiece<'a> {
    text: &'a str,
    /// The piece begins the alternative.
    starts: bool,
    /// The piece ends the alternative.
    ends: bool,
}

impl<'a> FixedPiece<'a> {
    /// `None` for an alternative with no fixed part (the empty one in `help{,s}`).
    fn of(alternative: &'a str) -> Option<FixedPiece<'a>> {
        let mut longest = 0..0;
        let mut start = 0;
        for (at, c) in alternative
            .char_indices()
            .chain(std::iter::once((alternative.len(), ' ')))
        {
            if matches!(c, '-' | '\'' | '’') || c.is_whitespace() {
                if at - start > longest.len() {
                    longest = start..at;
                }
                start = at + c.len_utf8();
            }
        }
        (!longest.is_empty()).then(|| FixedPiece {
            text: &alternative[longest.clone()],
            starts: longest.start == 0,
            ends: longest.end == alternative.len(),
        })
    }
}

fn flush_literal(literal: &mut String, regex: &mut String, anchors: &mut Vec<PlacedAnchors>) {
    if literal.is_empty() {
        return;
    }
    let start = regex.len();
    regex.push_str(&regex::escape(literal));
    anchors.push(PlacedAnchors {
        words: vec![literal.to_lowercase()],
        span: start..regex.len(),
        starts_alternative: true,
        ends_alternative: true,
    });
    literal.clear();
}

/// The regex for a hyphen (hyphen, space or nothing) or an apostrophe (straight or curly).
fn special_char(c: char) -> &'static str {
    match c {
        '-' => r"(?:[-‐‑]|\s+)?",
        _ => "['’]",
    }
}

/// A plain word (no groups) as regex, with hyphen and apostrophe handling.
fn literal_word(word: &str) -> Result<String, DataError> {
    if word.contains(['{', '}', '[', ']', '@', '*']) {
        return Err(format!("`{word}`: unexpected special character").into());
    }
    let mut out = String::with_capacity(word.len() + 8);
    // Plain characters are escaped a run at a time.
    let mut run_start = 0;
    for (at, c) in word.char_indices() {
        let special = matches!(c, '-' | '\'' | '’');
        if !special && !c.is_whitespace() {
            continue;
        }
        out.push_str(&regex::escape(&word[run_start..at]));
        run_start = at + c.len_utf8();
        if special {
            out.push_str(special_char(c));
        } else if !out.ends_with(r"\s+") {
            out.push_str(r"\s+");
        }
    }
    out.push_str(&regex::escape(&word[run_start..]));
    Ok(out)
}

/// Words so frequent in notes and prose that anchoring a phrase on one would run its regex
/// every few sentences; a phrase is anchored on another of its words when it has one. Sorted,
/// for binary search.
const COMMON_WORDS: &[&str] = &[
    "a", "about", "after", "again", "all", "also", "always", "an", "and", "any", "are", "as", "at",
    "back", "be", "been", "before", "being", "but", "by", "can", "come", "could", "day", "did",
    "do", "does", "done", "down", "each", "even", "every", "feel", "few", "for", "from", "get",
    "gets", "getting", "give", "go", "going", "good", "got", "had", "has", "have", "he", "help",
    "her", "here", "him", "his", "how", "i", "if", "in", "into", "is", "it", "just", "keep",
    "know", "last", "like", "made", "make", "many", "may", "me", "more", "most", "much", "must",
    "my", "never", "new", "next", "no", "not", "now", "of", "off", "on", "once", "one", "only",
    "or", "other", "our", "out", "over", "own", "people", "said", "same", "say", "see", "she",
    "should", "so", "some", "still", "such", "take", "than", "that", "the", "their", "them",
    "then", "there", "these", "they", "things", "think", "this", "those", "through", "time", "to",
    "today", "told", "too", "two", "up", "us", "very", "want", "was", "way", "we", "week", "well",
    "went", "were", "what", "when", "which", "while", "who", "why", "will", "with", "work",
    "would", "year", "yet", "you", "your",
];

/// Pairs of letters that, written as initials ("u.s.", "e.g.", "a.m."), are an abbreviation
/// far more often than a person's initials; also the last two letters of a longer one ("s.a."
/// in "u.s.a.", "k.a." in "a.k.a."), which a word boundary after a full stop lets a pattern
/// start at.
const NOT_INITIALS: &[&str] = &[
    "ad", "ai", "am", "bc", "bs", "dc", "eg", "eu", "hr", "ie", "ip", "it", "ka", "la", "md", "nb",
    "ny", "nz", "ok", "pm", "ps", "qa", "rn", "sa", "tv", "uk", "un", "us",
];

/// `@name`: a person named in a form only a person's name takes, in lowercased text: a title
/// and a name ("Mr. K", "Dr. Ana Ruiz", "Ms Okafor") or two or more initials, with a surname
/// after them or not ("J.D.", "J. D. Salinger"). A bare capitalised word is not enough: the
/// text is lowercased, and "Windows", "Python" or "Detroit" are capitalised too.
static NAME_REGEX: LazyLock<String> = LazyLock::new(|| {
    let name = r"[a-z][\w'’-]*";
    let titled = format!(r"(?:mr|mrs|ms|mx|miss|mister|dr|prof)\.?\s+{name}(?:\s+{name})?");
    let first_pair: Vec<String> = ('a'..='z')
        .map(|first| {
            let second: String = ('a'..='z')
                .filter(|&c| !NOT_INITIALS.contains(&format!("{first}{c}").as_str()))
                .collect();
            format!(r"{first}\.\s?[{second}]")
        })
        .collect();
    let initials = format!(
        r"(?:{})\.(?:\s?[a-z]\.)*(?:\s+{name})?",
        first_pair.join("|")
    );
    format!("(?:{titled}|{initials})")
});

/// `@subject`: a person as the subject of a verb, with what may come between them: "the
/// client refused", "she has repeatedly refused", "they've often claimed", "Mr. Ortiz still
/// insists". A title takes the name after it. Up to three auxiliaries or adverbs.
static SUBJECT_REGEX: LazyLock<String> = LazyLock::new(|| {
    let titled = r"(?:mr|mrs|ms|mx|miss)\.?\s+[a-z][\w'’-]*";
    let contraction = r"(?:['’](?:s|ve|d|ll|re))?";
    let between = word_list(SUBJECT_BETWEEN);
    format!(
        r"(?:{}|{titled}){contraction}(?:\s+(?:{between}|[a-z]+ly)){{0,3}}",
        PERSON_REGEX.as_str()
    )
});

/// Endings of drug names (lorazepam, olanzapine, sertraline, oxycodone, lisinopril): a sentence
/// that names a medication is about care, though no list could name every one. Each ending is
/// rare outside drug names; "-azine" is left out for "magazine".
const DRUG_ENDINGS: &[&str] = &[
    "azepam",
    "zolam",
    "apine",
    "idone",
    "oxetine",
    "alopram",
    "traline",
    "pril",
    "olol",
    "sartan",
    "statin",
    "mycin",
    "cillin",
    "floxacin",
    "prazole",
    "profen",
    "codone",
    "morphone",
    "triptyline",
    "adone",
    "orphine",
    "oxone",
    "trexone",
];

/// `@care`: one word of [`CARE_WORDS`], or a drug name by its ending.
static CARE_REGEX: LazyLock<String> = LazyLock::new(|| {
    format!(
        r"(?:{}|[a-z]{{3,}}(?:{}))",
        word_list(CARE_WORDS),
        DRUG_ENDINGS.join("|")
    )
});

/// `@someone`: one noun of [`PERSON_NOUNS`].
static SOMEONE_REGEX: LazyLock<String> = LazyLock::new(|| word_list(PERSON_NOUNS));

/// `@person` and `@be` as regexes, built once: many phrases and guards use them.
static PERSON_REGEX: LazyLock<String> = LazyLock::new(|| word_list(PERSON_WORDS));

/// The regex `@person` compiles to, which a compiled pattern starting with `@person` starts
/// with: guards put one copy of it in front of all such patterns.
pub fn person_regex() -> &'static str {
    &PERSON_REGEX
}
static BE_REGEX: LazyLock<String> = LazyLock::new(|| word_list(BE_WORDS));

/// `@link`: a linking verb, with what it takes before its complement: *to be* in every tense
/// and modal (`is`, `has been`, `could be`, `might have been`), verbs that work like it (`seems`, `appeared`,
/// `remained`, `became`, `gets`, `stayed`, `looks`, `seems to be`, `continues to be`), and the
/// verbs of description (`was described as`, `presents as`, `comes across as`, `is known to
/// be`). An auxiliary may carry an adverb: "has always been", "is often seen as".
static LINK_REGEX: LazyLock<String> = LazyLock::new(|| {
    let adverb = r"(?:\s+(?:always|also|often|just|recently|sometimes|usually|generally|consistently|repeatedly|increasingly|still|now|again|frequently|typically|occasionally))?";
    let be = r"(?:is|are|was|were|am|be|been|being)";
    let like_be = r"(?:seems?|seemed|appears?|appeared|remains?|remained|becomes?|became|gets?|got|getting|grows?|grew|growing|stays?|stayed|looks?|looked|sounds?|sounded|acts?|acted|acting|turned|turns)";
    let described = r"(?:described|seen|known|labell?ed|documented|considered|regarded|viewed|perceived|characteri[sz]ed|noted|reported|thought|felt|found|believed|deemed|observed|portrayed|painted|charted)";
    let modal = r"(?:can|could|may|might|will|would|should|must)";
    let to_be =
        r"(?:continues?|continued|tends?|tended|seems?|seemed|appears?|appeared|proved|proves)";
    let presents = r"(?:presents?|presented|presenting|comes?|came|coming)";
    let alternatives = [
        format!(r"{be}{adverb}\s+{described}\s+(?:as|to\s+be)"),
        format!(r"(?:has|have|had){adverb}\s+been"),
        format!(r"{modal}{adverb}\s+(?:be|become|get|seem|appear)"),
        format!(r"{modal}(?:\s+have|['’]ve){adverb}\s+been"),
        format!(r"{to_be}\s+to\s+be"),
        format!(r"{presents}(?:\s+across)?\s+as"),
        format!(r"{be}\s+(?:being|getting|becoming|growing|acting|seeming)"),
        like_be.to_string(),
        be.to_string(),
    ];
    format!("(?:{})", alternatives.join("|"))
});

/// One modifier of a `@mod` slot: any word (hyphenated compounds too) but the
/// [`SLOT_STOP_WORDS`].
static SLOT_WORD_REGEX: LazyLock<String> =
    LazyLock::new(|| format!(r"{}(?:-[a-z0-9']+)*", *SLOT_WORD_TRIE));
static SLOT_WORD_TRIE: LazyLock<String> = LazyLock::new(|| word_not_in(SLOT_STOP_WORDS));

/// Function words a `@mod` slot lets through (it reads “since”, “like” or “over” as describing
/// words in a list) but that are not the describing word `@word` stands for: the other
/// prepositions and conjunctions, and adverbs that end a clause (“a drunk too”).
pub const WORD_EXTRA_STOP_WORDS: &[&str] = &[
    "across",
    "after",
    "again",
    "against",
    "along",
    "although",
    "among",
    "amongst",
    "anymore",
    "around",
    "behind",
    "below",
    "beneath",
    "beside",
    "besides",
    "between",
    "beyond",
    "despite",
    "during",
    "either",
    "else",
    "ever",
    "except",
    "here",
    "herself",
    "himself",
    "like",
    "myself",
    "neither",
    "once",
    "over",
    "past",
    "per",
    "since",
    "themselves",
    "then",
    "there",
    "though",
    "through",
    "throughout",
    "till",
    "too",
    "toward",
    "towards",
    "under",
    "unless",
    "until",
    "upon",
    "via",
    "whereas",
    "whether",
    "while",
    "whom",
    "whose",
    "within",
    "yet",
    "yourself",
];

/// `@word`: one word (hyphenated compounds too) that is not a function word: neither one of the
/// [`SLOT_STOP_WORDS`] nor of the [`WORD_EXTRA_STOP_WORDS`].
static WORD_REGEX: LazyLock<String> = LazyLock::new(|| format!(r"{}(?:-[a-z0-9']+)*", *WORD_TRIE));
static WORD_TRIE: LazyLock<String> = LazyLock::new(|| {
    let mut words: Vec<&str> = SLOT_STOP_WORDS.to_vec();
    words.extend_from_slice(WORD_EXTRA_STOP_WORDS);
    word_not_in(&words)
});

/// The word tries of `@mod` and `@word`, each one group: kilobytes of regex that recur whole
/// in many guards, which [`crate::match_only`] parses once and splices in.
pub fn word_tries() -> [&'static str; 2] {
    [&SLOT_WORD_TRIE, &WORD_TRIE]
}

/// `@start`: the start of a sentence, a line or a list item, where a note's subject-less
/// sentence ("Refuses meds.") or a bullet ("- Exaggerates symptoms") begins: the start of the
/// text, or a sentence end, colon or block break (not one after a space: inline code inside a
/// line, which the guards see with the space before it), then any list marker; a list item's line; or
/// a line after a short one (a note's lines, a heading). A line break after a long line is
/// wrapped prose, not a new start: "you must not\nclaim that you wrote it". Only a guard can
/// begin with it; the whitespace before the next word is part of it.
const START_REGEX: &str = concat!(
    r"(?:(?:\A|[.!?;:]|(?:\A|[^ \t\x{1e}])\x{1e}+)\s*(?:(?:[-*+•–]|\d{1,3}[.)])[ \t]+)?",
    r"|\n[ \t]*(?:[-*+•–]|\d{1,3}[.)])[ \t]+",
    r"|(?:\A|[\n\x{1e}])[^\n\x{1e}]{0,40}\n[ \t]*)"
);

/// `@age`: a note's age-and-sex shorthand before what it says about the person: "54M",
/// "32 y/o F", "67yo male", "45-year-old", "45 y.o. WM", "60 yr old", "45yoF", with a comma
/// after it or not. A number alone is a count ("54 bipolar patients"), so an age unit or a
/// sex letter must follow it. Text is lowercased before guards and phrases see it.
static AGE_REGEX: LazyLock<String> = LazyLock::new(|| {
    let unit = r"(?:y/o|y\.o\.?|yo|yrs?\.?[\s-]+old|years?[\s-]+old|y)";
    let sex = r"(?:male|female|man|woman|gentleman|lady|boy|girl|[wbh][mf]|aa[mf]|m|f)";
    format!(r"\d{{1,3}}(?:[\s-]*{unit}(?:[\s-]*{sex})?|[\s-]*{sex})(?:\s*,)?")
});

/// `@bed`: where a person lies or waits on a ward or in an emergency department, written as
/// a place and a number or code ("room 12", "bed 4", "bay 3", "rm 5", "hall bed 2", "cubicle
/// 7B", "trauma bay 1"), a bed code alone ("4B", "B12", "#14"), or an area people are put in
/// ("triage", "resus", "seclusion", "majors"). A bare number is not one ("in 12 hours").
const BED_REGEX: &str = concat!(
    r"(?:(?:(?:hall|hallway|side|exam|trauma|resus|obs|isolation|seclusion|treatment|ed|er)\s+)?",
    r"(?:room|rm\.?|bed|bay|cubicle|cube|pod|booth|stretcher|chair|cot|resus|trauma|obs|hall)",
    r"\s*#?\s*[a-z]?\d{1,3}[a-z]?",
    r"|\d{1,3}[a-rt-z]|[a-z]\d{1,3}|#\d{1,3}",
    r"|(?:the\s+)?(?:triage|resus|seclusion|majors|minors))"
);

/// A regex for one word (letters, digits, apostrophes) that is none of `words`: a trie of the
/// words, where each node also allows any letter that leaves the trie, and a node that is not
/// a word's end allows the word to stop there. The regex crate has no look-ahead to say "not
/// these words" any other way.
fn word_not_in(words: &[&str]) -> String {
    #[derive(Default)]
    struct Node {
        children: std::collections::BTreeMap<char, Node>,
        end: bool,
    }
    let mut root = Node::default();
    for word in words {
        let mut node = &mut root;
        for c in word.chars() {
            node = node.children.entry(c).or_default();
        }
        node.end = true;
    }
    const LETTER: &str = "a-z0-9'";
    fn walk(node: &Node, is_root: bool, out: &mut String) {
        let mut branches = Vec::new();
        if !is_root && !node.end {
            branches.push(String::new());
        }
        let leave = letter_class_without(|c| node.children.contains_key(&c));
        branches.push(format!("{leave}[{LETTER}]*"));
        for (c, child) in &node.children {
            let mut inner = String::new();
            walk(child, false, &mut inner);
            branches.push(format!("{}{inner}", regex::escape(&c.to_string())));
        }
        write!(out, "(?:{})", branches.join("|")).unwrap();
    }
    let mut out = String::new();
    walk(&root, true, &mut out);
    out
}

/// The class of [`word_not_in`]'s letters (`a-z`, `0-9`, `'`) but those `left_out`, written
/// out as ranges (`[0-9'c-eg-z]`) rather than as a class difference: the difference is the
/// same set, but parsing it cost a large share of building the regexes that hold a trie.
fn letter_class_without(left_out: impl Fn(char) -> bool) -> String {
    let mut class = String::from("[");
    let mut run: Option<(char, char)> = None;
    let flush = |run: &mut Option<(char, char)>, class: &mut String| {
        if let Some((first, last)) = run.take() {
            class.push(first);
            if last != first {
                if last as u32 > first as u32 + 1 {
                    class.push('-');
                }
                class.push(last);
            }
        }
    };
    for c in ('0'..='9').chain(['\'']).chain('a'..='z') {
        if left_out(c) {
            flush(&mut run, &mut class);
        } else {
            run = match run {
                Some((first, last)) if c as u32 == last as u32 + 1 => Some((first, c)),
                _ => {
                    flush(&mut run, &mut class);
                    Some((c, c))
                }
            };
        }
    }
    flush(&mut run, &mut class);
    class.push(']');
    class
}

fn word_list(words: &[&str]) -> String {
    let mut sorted: Vec<&str> = words.to_vec();
    // Longest first, so `service user` wins over `user` in leftmost-first alternation.
    sorted.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let alternatives: Vec<String> = sorted
        .iter()
        .map(|w| {
            w.split(' ')
                .map(|p| literal_word(p).unwrap())
                .collect::<Vec<_>>()
                .join(r"\s+")
        })
        .collect();
    format!("(?:{})", alternatives.join("|"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    #[test]
    fn slot_stop_words_are_sorted() {
        assert!(SLOT_STOP_WORDS.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn common_words_are_sorted_for_binary_search() {
        assert!(COMMON_WORDS.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn group_capture_indexes_are_the_regex_captures() {
        let compiled = compile("[very] {a,b-c} @person x{y,,z}-w {it's,q}").unwrap();
        let regex = Regex::new(&compiled.regex).unwrap();
        let names: Vec<Option<&str>> = regex.capture_names().collect();
        assert_eq!(compiled.groups.len(), 3);
        for (n, group) in compiled.groups.iter().enumerate().map(|(i, g)| (i + 1, g)) {
            let index = group_capture_index(&compiled.groups, n);
            assert_eq!(names[index], Some(format!("g{n}").as_str()));
            for alternative in 0..group.alternatives {
                let name = format!("g{n}_{alternative}");
                assert_eq!(names[index + 1 + alternative], Some(name.as_str()));
            }
        }
    }

    fn matches(pattern: &str, text: &str) -> bool {
        let compiled = compile(pattern).unwrap();
        Regex::new(&format!(r"(?i)\b(?:{})\b", compiled.regex))
            .unwrap()
            .is_match(text)
    }

    #[test]
    fn alternatives_and_inflections() {
        assert!(matches(
            "commit{s,ted,ting} suicide",
            "he committed suicide"
        ));
        assert!(matches("commit{s,ted,ting} suicide", "COMMITS  suicide"));
        assert!(!matches("commit{s,ted,ting} suicide", "commit suicide"));
        assert!(matches("client{,s}", "clients"));
        assert!(matches("client{,s}", "client"));
    }

    #[test]
    fn hyphen_space_and_joined_variants() {
        for text in [
            "non-compliant",
            "non compliant",
            "noncompliant",
            "Non‑compliant",
        ] {
            assert!(matches("non-compliant", text), "{text}");
        }
    }

    #[test]
    fn whole_words_only() {
        assert!(!matches("nuts", "donuts"));
        assert!(!matches("mental", "mentality"));
    }

    #[test]
    fn optional_words_and_wildcards() {
        assert!(matches("is [so,very] ocd", "she is so OCD"));
        assert!(matches("is [so,very] ocd", "she is OCD"));
        assert!(matches("[so] ocd", "so OCD"));
        assert!(matches(
            "no one should [have to] suffer",
            "no one should have to suffer"
        ));
        assert!(matches(
            "no one should [have to] suffer",
            "no one should suffer"
        ));
        assert!(matches("refuses * meds", "refuses his meds"));
        assert!(matches("@person @be resistant", "The client is resistant"));
        assert!(matches("@person @be resistant", "she's resistant"));
        assert!(
            !matches("@person @be resistant", "the wall is resistant x")
                && !matches("@person @be resistant", "clientis resistant")
        );
        assert!(matches("don't", "don’t"));
    }

    #[test]
    fn link_covers_the_linking_verbs() {
        for text in [
            "the client is manipulative",
            "she seems manipulative",
            "he appeared manipulative",
            "the gentleman seemed manipulative",
            "they remained manipulative",
            "she became manipulative",
            "he was described as manipulative",
            "she presents as manipulative",
            "he comes across as manipulative",
            "she has always been manipulative",
            "he could be manipulative",
            "he might have been manipulative",
            "she must've been manipulative",
            "he would’ve always been manipulative",
            "she continues to be manipulative",
            "he's manipulative",
            "they're manipulative",
            "she's been manipulative",
            "he was being manipulative",
            "he is often seen as manipulative",
        ] {
            assert!(matches("@person @link manipulative", text), "{text}");
        }
        assert!(!matches(
            "@person @link manipulative",
            "the plan is manipulative"
        ));
        assert!(!matches(
            "@person @link manipulative",
            "she said manipulative"
        ));
    }

    #[test]
    fn names_are_titles_with_a_name_or_initials_not_abbreviations() {
        let name = regex::Regex::new(&format!(r"\A(?:{})\z", NAME_REGEX.as_str())).unwrap();
        for named in [
            "mr. k",
            "dr. ana ruiz",
            "ms okafor",
            "j.d.",
            "j. d. salinger",
            "a.j.",
            "t.j. miller",
        ] {
            assert!(name.is_match(named), "{named}");
        }
        for other in [
            "u.s.",
            "e.g.",
            "a.m.",
            "i.e.",
            "windows",
            "python",
            "the market",
            "k.",
            "mr.",
        ] {
            assert!(!name.is_match(other), "{other}");
        }
    }

    #[test]
    fn mod_slots_hold_up_to_three_modifiers_and_coordination() {
        let p = "@person @link @mod manipulative";
        for text in [
            "the client is manipulative",
            "the client is very manipulative",
            "the client was angry, noncompliant and manipulative",
            "she is increasingly, openly manipulative",
            "he became hostile and manipulative",
        ] {
            assert!(matches(p, text), "{text}");
        }
        for text in [
            "the client is not manipulative",
            "she is in a manipulative relationship",
            "he is the manipulative one",
            "she is one, two, three, four manipulative",
        ] {
            assert!(!matches(p, text), "{text}");
        }
        assert!(matches(
            "mentally ill @mod {people,adults}",
            "mentally ill homeless people"
        ));
        let listed = "difficult @mod {patients,clients}";
        assert!(matches(listed, "difficult, demanding patients"));
        assert!(matches(listed, "difficult, demanding and needy clients"));
        assert!(matches(listed, "difficult patients"));
        assert!(!matches(listed, "difficult, and patients"));
        assert!(!matches(listed, "difficult, the clients"));
        assert!(matches(
            "mentally ill @mod {people,adults}",
            "mentally ill adults"
        ));
        assert!(!matches(
            "mentally ill @mod {people,adults}",
            "mentally ill and the people"
        ));
        assert!(matches("{a,an} @mod alcoholic", "an elderly alcoholic"));
        assert!(matches(
            "{a,an} @mod alcoholic",
            "a chronic, homeless alcoholic"
        ));
        assert!(matches("@mod addict{,s}", "chronic addicts"));
        assert_eq!(
            compile("{a,an} @mod alcoholic").unwrap().anchors,
            ["alcoholic"]
        );
        assert!(compile("@mod").unwrap_err().0.contains("optional"));
    }

    #[test]
    fn word_is_one_word_that_is_not_a_function_word() {
        for text in ["driver", "man", "19-year-old", "tory", "well-known"] {
            assert!(
                matches("a drunk @word", &format!("a drunk {text}")),
                "{text}"
            );
        }
        for text in [
            "and", "who", "the", "my", "with", "was", "not", "since", "like", "too",
        ] {
            assert!(
                !matches("a drunk @word", &format!("a drunk {text}")),
                "{text}"
            );
        }
        assert!(!matches("a drunk @word", "a drunk"));
        assert!(matches("{and,or} @word", "and abusive"));
        assert!(!matches("{and,or} @word", "and my"));
    }

    #[test]
    fn word_extra_stop_words_are_sorted_and_new() {
        assert!(WORD_EXTRA_STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        for word in WORD_EXTRA_STOP_WORDS {
            assert!(!SLOT_STOP_WORDS.contains(word), "{word}");
        }
    }

    #[test]
    fn words_outside_a_list_are_all_other_words() {
        let re = Regex::new(&format!("^{}$", word_not_in(&["is", "it", "the"]))).unwrap();
        for word in ["i", "its", "isx", "th", "there", "x", "client", "don't"] {
            assert!(re.is_match(word), "{word}");
        }
        for word in ["is", "it", "the"] {
            assert!(!re.is_match(word), "{word}");
        }
    }

    #[test]
    fn a_letter_class_without_some_letters_is_the_class_difference() {
        for left_out in ["", "a", "az", "abcdfg", "0'", "09'az", "bdfhjlnprtvxz", "'"] {
            let class = letter_class_without(|c| left_out.contains(c));
            let written = Regex::new(&format!("^{class}$")).unwrap();
            let difference = Regex::new(&format!(
                "^[a-z0-9'&&[^{}]]$",
                regex::escape(if left_out.is_empty() { "-" } else { left_out })
            ))
            .unwrap();
            for c in (0u8..128).map(char::from).chain(['é', 'ß']) {
                let c = c.to_string();
                assert_eq!(
                    written.is_match(&c),
                    difference.is_match(&c),
                    "{left_out:?} {c:?}"
                );
            }
        }
    }

    #[test]
    fn start_begins_sentences_lines_and_list_items() {
        let compiled = compile("@start").unwrap();
        assert!(compiled.at_start);
        let before = Regex::new(&format!(r"(?:{})\s*\z", compiled.regex)).unwrap();
        for text in [
            "",
            "- ",
            "Seen today. ",
            "meds\n- ",
            "1. ",
            "Plan: ",
            "\u{1e}",
            "Plan\u{1e}\u{1e}",
        ] {
            assert!(before.is_match(text), "{text:?}");
        }
        // Inline code inside a line, which the guards see with the space before it.
        assert!(!before.is_match(" \u{1e}\u{1e} "));
        assert!(before.is_match("Plan\n") && before.is_match("Seen in clinic today\n"));
        for text in [
            "the client ",
            "Dr. Smith ",
            "she ",
            "the software must not be misrepresented; you must not\n",
        ] {
            assert!(!before.is_match(text), "{text:?}");
        }
        assert!(compile("x @start").unwrap_err().0.contains("@start"));
    }

    #[test]
    fn subject_is_a_person_with_auxiliaries_and_adverbs_before_the_verb() {
        for text in [
            "the client refused",
            "she has repeatedly refused",
            "they've often refused",
            "Mr. Ortiz still refused",
            "the patient would then refuse",
            "he steadfastly refused",
        ] {
            assert!(matches("@subject refus{e,ed}", text), "{text}");
        }
        for text in [
            "the server refused",
            "git has refused",
            "she said the app refused",
            "he was told and refused too",
        ] {
            assert!(!matches("@subject refus{e,ed}", text), "{text}");
        }
    }

    #[test]
    fn care_words_mark_a_care_setting() {
        for text in [
            "took her meds",
            "the ward round",
            "Pt seen",
            "a service user",
            "offered lorazepam",
            "started olanzapine",
            "on lisinopril",
        ] {
            assert!(matches("@care", text), "{text}");
        }
        for text in [
            "the server log",
            "a commit message",
            "a new magazine",
            "in April",
            "a pril",
        ] {
            assert!(!matches("@care", text), "{text}");
        }
        assert!(CARE_WORDS.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(SUBJECT_BETWEEN.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn age_is_a_notes_age_and_sex_shorthand() {
        for text in [
            "54M bipolar",
            "54 m bipolar",
            "32 y/o F bipolar",
            "67yo male bipolar",
            "45-year-old bipolar",
            "45 y.o. WM bipolar",
            "60 yr old bipolar",
            "45yoF bipolar",
            "54M, bipolar",
            "a 45 years old bipolar",
        ] {
            assert!(matches("@age bipolar", text), "{text}");
        }
        for text in [
            "54 bipolar",
            "2054M bipolar",
            "54 mg bipolar",
            "54 mother bipolar",
            "age 54 with bipolar",
        ] {
            assert!(!matches("@age bipolar", text), "{text}");
        }
    }

    #[test]
    fn bed_is_a_ward_place_with_its_number() {
        for text in [
            "in room 12",
            "in bed 4",
            "in bay 3",
            "in rm. 5",
            "in hall bed 2",
            "in cubicle 7B",
            "in trauma bay 1",
            "in 4B",
            "in B12",
            "in #14",
            "in triage",
            "in the resus",
        ] {
            assert!(matches("in @bed", text), "{text}");
        }
        for text in [
            "in 12 hours",
            "in 2019",
            "in the room",
            "in bed",
            "in 90s",
            "in 3am",
        ] {
            assert!(!matches("in @bed", text), "{text}");
        }
    }

    #[test]
    fn punctuation_sits_on_the_word_before_it() {
        for text in [
            "attempted suicide, but",
            "attempted suicide , but",
            "attempted suicide but",
        ] {
            assert!(matches("attempted suicide [,] but", text), "{text}");
        }
        assert!(matches("attempted suicide , but", "attempted suicide, but"));
        assert!(!matches("attempted suicide , but", "attempted suicide but"));
        assert!(!matches(
            "attempted suicide [,] but",
            "attempted suicide; but"
        ));
        assert!(matches("once [;] then", "once; then"));
    }

    #[test]
    fn line_breaks_count_as_spaces() {
        assert!(matches("committed suicide", "committed\nsuicide"));
    }

    #[test]
    fn anchors_are_the_longest_literal() {
        assert_eq!(compile("non-complian{t,ce}").unwrap().anchors, ["complian"]);
        assert_eq!(
            compile("commit{s,ted,ting} suicide").unwrap().anchors,
            ["suicide"]
        );
        assert_eq!(
            compile("{addict,abuser}").unwrap().anchors,
            ["addict", "abuser"]
        );
        assert_eq!(
            compile("@person @be resistant").unwrap().anchors,
            ["resistant"]
        );
        // An everyday word is passed over for a rarer one, even a shorter one.
        assert_eq!(
            compile("never {follows,follow,followed} through")
                .unwrap()
                .anchors,
            ["follows", "follow", "followed"]
        );
        assert_eq!(compile("ocd {about,with}").unwrap().anchors, ["ocd"]);
        let never = compile("never {tries,try} [again]").unwrap();
        assert_eq!(never.anchors, ["tries", "try"]);
        assert_eq!(never.also_required.as_deref(), Some("never"));
        assert_eq!(compile("{a,b} [never]").unwrap().also_required, None);
        // A hyphen, apostrophe or space may vary, so an alternative's anchor is its longest
        // part between them.
        assert_eq!(
            compile("again {reminded,re-educated,instructed}")
                .unwrap()
                .anchors,
            ["reminded", "educated", "instructed"]
        );
        assert_eq!(
            compile("{service user,client’s}").unwrap().anchors,
            ["service", "client"]
        );
    }

    #[test]
    fn groups_are_numbered_in_order() {
        let compiled = compile("commit{s,ted} {a,the} x").unwrap();
        assert_eq!(compiled.groups.len(), 2);
        assert_eq!(compiled.groups[0].alternatives, 2);
    }

    #[test]
    fn errors_name_the_problem() {
        assert!(compile("").is_err());
        assert!(compile("[so]").unwrap_err().0.contains("optional"));
        assert!(compile("commit{s").unwrap_err().0.contains("closing"));
        assert!(compile("@nobody x").unwrap_err().0.contains("@nobody"));
        assert!(compile("@person @be").unwrap().anchors.is_empty());
    }
}
