//! Finding rule matches in prose: one Aho-Corasick pass over every rule's anchors, then each
//! candidate's phrase regex and context guards in a small window around it.
//!
//! The cost per document depends on how many anchors occur in it, not on how many rules exist.
//! Phrase and guard regexes compile lazily, the first time a candidate needs them, so start-up
//! stays fast however large the library grows.

use crate::error::DataError;
use crate::error::LocatedError;
use crate::load::LoadedRule;
use crate::match_only::{self, MatchOnly};
use crate::pattern::{self, WordEdges};
use crate::prose::{BlockBreaks, BLOCK_BREAK};
use crate::rule::Rule;
use crate::template::Template;
use aho_corasick::automaton::Automaton;
use aho_corasick::{dfa, Anchored, MatchKind};
use memchr::memmem;
use regex::{Regex, RegexBuilder};
use std::cell::OnceCell;
use std::cmp::Reverse;
use std::collections::{btree_map, BTreeMap, HashMap};
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// How far around an anchor a phrase may reach, in bytes.
const PHRASE_REACH: usize = 160;
/// How many bytes of text [`Matcher::find_each`] finds anchors in at a time: the anchor hits of
/// a segment are held while its windows are searched.
const HIT_SEGMENT: usize = 64 * 1024;
/// How many searched windows [`Matcher::find`] remembers.
const RECENT_WINDOWS: usize = 64;
/// How far guards look before or after a match, in bytes.
const GUARD_REACH: usize = 120;
/// How far a sentence may extend from a match for `requires_nearby` / `unless_nearby`.
const SENTENCE_REACH: usize = 400;
/// Compiled size limit for user regexes: a huge pattern is an error, not a memory spike.
const REGEX_SIZE_LIMIT: usize = 1 << 21;

/// A phrase of a rule, compiled lazily.
struct Phrase {
    source: String,
    /// The regex runs on the ASCII-lowercased text (see [`Haystacks`]).
    on_lowered: bool,
    /// A word every match contains besides the anchor (see `pattern::CompiledPattern`).
    also_required: Option<memmem::Finder<'static>>,
    regex: OnceLock<Regex>,
    /// Set by the thread that builds `regex`.
    building: AtomicBool,
    templates: Vec<Template>,
}

/// A rule's context guards, compiled lazily; each matches where any of its regexes does (none:
/// no guard). Guards run on the ASCII-lowercased text.
struct Guards {
    not_before: Guard,
    not_after: Guard,
    requires_before: Guard,
    requires_after: Guard,
    requires_nearby: Guard,
    unless_nearby: Guard,
}

/// One guard's regexes: its patterns with a word slot (`@mod`, `@word`) one regex each, and the
/// rest as one alternation (see [`guard_sources`]).
type Guard = Vec<Arc<LazyRegex>>;

fn any_match(guard: &Guard, text: &str) -> bool {
    guard.iter().any(|r| r.get().is_match(text))
}

impl Guards {
    /// A rule's guards as regex sources, each shared with the rules that have the same one.
    fn new(rule: &Rule, shared: &SharedGuards) -> Result<Guards, DataError> {
        let [not_before, not_after, requires_before, requires_after, requires_nearby, unless_nearby] =
            Guards::lists(rule).map(|(patterns, kind)| {
                guard_sources(patterns, kind)
                    .map(|sources| sources.into_iter().map(|s| shared.get(s)).collect())
            });
        Ok(Guards {
            not_before: not_before?,
            not_after: not_after?,
            requires_before: requires_before?,
            requires_after: requires_after?,
            requires_nearby: requires_nearby?,
            unless_nearby: unless_nearby?,
        })
    }

    /// A rule's guard pattern lists, in the order of [`Guards::slots`].
    fn lists(rule: &Rule) -> [(&[String], GuardKind); 6] {
        [
            (&rule.not_before, GuardKind::Before),
            (&rule.not_after, GuardKind::After),
            (&rule.requires_before, GuardKind::Before),
            (&rule.requires_after, GuardKind::After),
            (&rule.requires_nearby, GuardKind::Nearby),
            (&rule.unless_nearby, GuardKind::Nearby),
        ]
    }

    fn slots(&self) -> [&Guard; 6] {
        [
            &self.not_before,
            &self.not_after,
            &self.requires_before,
            &self.requires_after,
            &self.requires_nearby,
            &self.unless_nearby,
        ]
    }

    fn all(&self) -> impl Iterator<Item = &Arc<LazyRegex>> {
        self.slots().into_iter().flatten()
    }
}

/// Guard regexes by source, shared by rules compiled together: seventeen built-in rules have
/// the same `requires_before` list, whose regex takes over a millisecond to build, and a lint
/// that meets several of them should build it once.
#[derive(Default)]
pub struct SharedGuards(Mutex<HashMap<String, Arc<LazyRegex>>>);

impl SharedGuards {
    fn get(&self, source: String) -> Arc<LazyRegex> {
        let mut guards = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        guards
            .entry(source)
            .or_insert_with_key(|source| Arc::new(LazyRegex::new(source.clone())))
            .clone()
    }
}

struct LazyRegex {
    source: String,
    regex: OnceLock<MatchOnly>,
    /// Set by the thread that builds `regex`.
    building: AtomicBool,
}

impl LazyRegex {
    fn new(source: String) -> Self {
        LazyRegex {
            source,
            regex: OnceLock::new(),
            building: AtomicBool::new(false),
        }
    }

    fn get(&self) -> &MatchOnly {
        built_once(&self.regex, &self.building, || {
            build_guard(&self.source).expect("guard regexes are checked when the rule is compiled")
        })
    }
}

/// `cell`'s value, which `build` makes the first time. A large text's chunks are linted on
/// rayon's threads, and in note-like text both threads meet the same rules at the same time:
/// a thread that finds another building the regex it needs runs other pending lint work while
/// it waits, where blocking on the cell left a core idle for each regex built (most of a
/// large file's lint). Work run that way waits on the cell if it meets a regex being built
/// in turn: each wait that ran work would nest another lint on the thread's stack, and a
/// language server with many edits pending overflowed it. Outside rayon, or with nothing
/// pending, a thread waits on the cell.
fn built_once<'a, T>(
    cell: &'a OnceLock<T>,
    building: &AtomicBool,
    build: impl FnOnce() -> T,
) -> &'a T {
    if let Some(value) = cell.get() {
        return value;
    }
    if building.swap(true, Ordering::AcqRel) && !RUNNING_WHILE_WAITING.get() {
        let rule = RULE_IN_PROGRESS.get();
        RUNNING_WHILE_WAITING.set(true);
        while cell.get().is_none() && rayon::yield_now() == Some(rayon::Yield::Executed) {}
        RUNNING_WHILE_WAITING.set(false);
        RULE_IN_PROGRESS.set(rule);
    }
    cell.get_or_init(build)
}

/// A guard's regex: guards only ask whether a window matches (see [`MatchOnly`]).
fn build_guard(source: &str) -> Result<MatchOnly, String> {
    MatchOnly::new(source, REGEX_SIZE_LIMIT, REGEX_SIZE_LIMIT).map_err(|e| match e {
        match_only::BuildError::TooBig(limit) => too_big(limit),
        match_only::BuildError::Invalid(message) => invalid(&message),
    })
}

fn build_regex(source: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(source)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
}

/// A rule ready to match: its phrases and guards as regex sources, compiled on first use.
pub struct CompiledRule {
    /// The rule and where it came from.
    pub loaded: LoadedRule,
    phrases: Vec<Phrase>,
    /// Each phrase's anchors (lowercase literals, one of which occurs in any match), with the
    /// phrase's index and where the anchor sits in its word: an anchor hit runs only the
    /// phrases it was taken from, and only when it is where those phrases need it.
    anchors: Vec<(String, u32, WordEdges)>,
    /// Built on first use: most rules never get past their anchors in a document, and building
    /// every guard's source took a third of the library's start-up.
    guards: OnceLock<Guards>,
    shared_guards: Arc<SharedGuards>,
}

impl CompiledRule {
    /// Compiles a rule's patterns to regex sources and checks its reframe templates.
    ///
    /// With `eager`, every regex is also built now, so user rule files report regex errors (and
    /// over-large patterns) at load time with their location instead of at first use. Rules
    /// compiled with the same `shared_guards` build a guard they have in common once.
    pub fn new(
        loaded: LoadedRule,
        eager: bool,
        shared_guards: &Arc<SharedGuards>,
    ) -> Result<CompiledRule, DataError> {
        let rule = &loaded.rule;
        let mut phrases = Vec::new();
        let mut anchors = Vec::new();
        if let Some(source) = &rule.regex {
            let templates = rule
                .reframes
                .iter()
                .map(|t| Template::parse(t, &[]))
                .collect::<Result<_, _>>()?;
            // A regex is the writer's own, capitals and all, so it runs on the text as written.
            let flags = if rule.case_sensitive { "" } else { "(?i)" };
            phrases.push(Phrase {
                source: format!(r"{flags}\b(?:{source})\b"),
                on_lowered: false,
                also_required: None,
                regex: OnceLock::new(),
                building: AtomicBool::new(false),
                templates,
            });
            anchors.extend(
                rule.anchors
                    .iter()
                    .map(|a| (a.to_lowercase(), 0, WordEdges::default())),
            );
        }
        for phrase in &rule.phrases {
            let on_lowered = !rule.case_sensitive;
            let (compiled, flags) = if on_lowered {
                let lowered = phrase.to_ascii_lowercase();
                (pattern::compile(&lowered)?, case_flag_for_lowered(&lowered))
            } else {
                (pattern::compile(phrase)?, "")
            };
            if compiled.at_start {
                return Err(format!(
                    "phrase `{phrase}`: `@start` can only begin a guard (`requires_before`, `not_before`)"
                ).into());
            }
            if compiled.anchors.is_empty() {
                return Err(format!(
                    "phrase `{phrase}` needs at least one literal word (not only `*`, `@person` or `@be`)"
                ).into());
            }
            let templates = rule
                .reframes
                .iter()
                .map(|t| Template::parse(t, &compiled.groups))
                .collect::<Result<_, _>>()?;
            let index = phrases.len() as u32;
            let edges = compiled.anchor_edges;
            anchors.extend(compiled.anchors.into_iter().map(|a| (a, index, edges)));
            phrases.push(Phrase {
                source: format!(r"{flags}\b(?:{})\b", compiled.regex),
                on_lowered,
                also_required: compiled
                    .also_required
                    .map(|word| memmem::Finder::new(&word).into_owned()),
                regex: OnceLock::new(),
                building: AtomicBool::new(false),
                templates,
            });
        }
        anchors.sort();
        anchors.dedup();
        let compiled = CompiledRule {
            loaded,
            phrases,
            anchors,
            guards: OnceLock::new(),
            shared_guards: shared_guards.clone(),
        };
        if eager {
            compiled.build_all()?;
        }
        Ok(compiled)
    }

    fn build_all(&self) -> Result<(), DataError> {
        for phrase in &self.phrases {
            let regex = build_regex(&phrase.source).map_err(|e| regex_error(&e))?;
            let _ = phrase.regex.set(regex);
        }
        let _ = self
            .guards
            .set(Guards::new(&self.loaded.rule, &self.shared_guards)?);
        for lazy in self.guards().all() {
            if lazy.regex.get().is_none() {
                let regex = build_guard(&lazy.source)?;
                let _ = lazy.regex.set(regex);
            }
        }
        Ok(())
    }

    fn guards(&self) -> &Guards {
        self.guards.get_or_init(|| {
            Guards::new(&self.loaded.rule, &self.shared_guards)
                .expect("built-in guard patterns are checked by the test suite")
        })
    }

    fn phrase_regex(&self, index: usize) -> &Regex {
        let phrase = &self.phrases[index];
        built_once(&phrase.regex, &phrase.building, || {
            build_regex(&phrase.source)
                .expect("built-in phrase regexes are checked by the test suite")
        })
    }

    /// Checks the context guards for a match at `range` of `text`, the lowercased haystack.
    /// `text` is the lowercased view the guards run on; `written` the same view as written.
    fn guards_allow(&self, text: &str, written: &str, range: &Range<usize>) -> bool {
        let g = self.guards();
        let before = || &text[guard_start(text, written, range.start)..range.start];
        let after = || &text[range.end..guard_end(text, range.end)];
        if !g.not_before.is_empty() && any_match(&g.not_before, before()) {
            return false;
        }
        if !g.not_after.is_empty() && any_match(&g.not_after, after()) {
            return false;
        }
        // The subject guards (`@person @link @mod`) are the largest regexes: checked after the
        // short lists that may already rule the match out.
        if !g.requires_before.is_empty() && !any_match(&g.requires_before, before()) {
            return false;
        }
        if !g.requires_after.is_empty() && !any_match(&g.requires_after, after()) {
            return false;
        }
        if !g.requires_nearby.is_empty() || !g.unless_nearby.is_empty() {
            let bounds = sentence_bounds(text, range);
            if !g.requires_nearby.is_empty()
                && !any_match(
                    &g.requires_nearby,
                    &text[nearby_context(text, bounds.clone(), range)],
                )
            {
                return false;
            }
            if !g.unless_nearby.is_empty() && any_match(&g.unless_nearby, &text[bounds]) {
                return false;
            }
        }
        true
    }
}

/// The case flag of a regex that runs on ASCII-lowercased text, given its lowercased pattern.
/// ASCII letters need none: lowercasing the text made them match either case, and a regex
/// without `(?i)` builds about three times faster, which is most of what the first lint of a
/// document costs. Other letters (`É`) keep `(?i)`, as lowercasing the text left them alone.
fn case_flag_for_lowered(pattern: &str) -> &'static str {
    if pattern
        .chars()
        .any(|c| !c.is_ascii() && (c.is_lowercase() || c.is_uppercase()))
    {
        "(?i)"
    } else {
        ""
    }
}

fn regex_error(e: &regex::Error) -> String {
    match e {
        regex::Error::CompiledTooBig(limit) => too_big(*limit),
        other => invalid(&other.to_string()),
    }
}

fn too_big(limit: usize) -> String {
    format!(
        "the regex is too large once compiled (over {limit} bytes); simplify it or split the rule"
    )
}

fn invalid(message: &str) -> String {
    format!("invalid regex: {}", message.replace('\n', " "))
}

#[derive(Clone, Copy)]
enum GuardKind {
    Before,
    After,
    Nearby,
}

/// The regex sources of a guard's patterns: one for each pattern with a word slot (`@mod`,
/// `@word`), one for the rest together. A word slot is a trie of every word but the function
/// words, kilobytes of regex; dozens of rules share a pattern such as `@person @link @mod`, and
/// as its own regex it is built once for all of them, where an alternation with each rule's
/// other patterns was built once per rule (most of a first lint's time).
fn guard_sources(patterns: &[String], kind: GuardKind) -> Result<Vec<String>, DataError> {
    let has_slot = |p: &&String| p.contains("@mod") || p.contains("@word");
    let (slotted, rest): (Vec<&String>, Vec<&String>) = patterns.iter().partition(has_slot);
    let rest: Vec<String> = rest.into_iter().cloned().collect();
    let mut sources = guard_source(&rest, kind)?.into_iter().collect::<Vec<_>>();
    for pattern in slotted {
        sources.extend(guard_source(std::slice::from_ref(pattern), kind)?);
    }
    Ok(sources)
}

/// The regex source of a guard's patterns, `None` without patterns.
fn guard_source(patterns: &[String], kind: GuardKind) -> Result<Option<String>, DataError> {
    if patterns.is_empty() {
        return Ok(None);
    }
    // Guards never render reframes, so their `{…}` groups need no names; naming them would
    // repeat names across the alternation.
    static GROUP_NAME: std::sync::LazyLock<Regex> =
        std::sync::LazyLock::new(|| Regex::new(r"\(\?P<g\d+(?:_\d+)?>").unwrap());
    let lowered: Vec<String> = patterns.iter().map(|p| p.to_ascii_lowercase()).collect();
    // After the match, a pattern that ends in punctuation (a closing quotation mark, `."`) ends
    // where it ends: the word boundary the others need would fail before a space or the end of
    // the text (`in "pain."` at the end of a note).
    let (open_ended, lowered): (Vec<String>, Vec<String>) = lowered
        .into_iter()
        .partition(|p| matches!(kind, GuardKind::After) && ends_in_punctuation(p));
    let mut open = Vec::new();
    for p in &open_ended {
        let compiled = pattern::compile(p)?;
        open.push(format!(
            "(?:{})",
            GROUP_NAME.replace_all(&compiled.regex, "(?:")
        ));
    }
    let mut alternatives = Vec::new();
    // Patterns that begin with `@start` begin at a sentence's start, not at a word boundary.
    let mut at_start = Vec::new();
    for p in &lowered {
        let compiled = pattern::compile(p)?;
        let regex = GROUP_NAME.replace_all(&compiled.regex, "(?:").into_owned();
        if compiled.at_start {
            at_start.push(format!("(?:{regex})"));
        } else {
            alternatives.push(regex);
        }
    }
    // Patterns starting with `@person` share its long word list. A guard has up to eight; one
    // copy in front of their alternation halves the regex and cuts a quarter off its build,
    // which the first lint of a document waits for. Guards only ask whether they match, so
    // the order of alternatives does not matter.
    let person = pattern::person_regex();
    let mut after_person = Vec::new();
    let mut branches = Vec::new();
    for alternative in &alternatives {
        match alternative.strip_prefix(person) {
            Some(rest) => after_person.push(rest),
            None => branches.push(format!("(?:{alternative})")),
        }
    }
    if !after_person.is_empty() {
        branches.push(format!("{person}(?:{})", after_person.join("|")));
    }
    let flags = case_flag_for_lowered(&(lowered.concat() + &open_ended.concat()));
    // Before and nearby, a word pattern starts at a word boundary; after the match, the
    // whitespace before it does that.
    let boundary = if matches!(kind, GuardKind::After) {
        ""
    } else {
        r"\b"
    };
    let worded = (!branches.is_empty()).then(|| format!(r"{boundary}(?:{})", branches.join("|")));
    let alternation = worded
        .into_iter()
        .chain(at_start)
        .collect::<Vec<_>>()
        .join("|");
    let source = match kind {
        GuardKind::Before => format!(r"{flags}(?:{alternation})[\s\-‐‑]*\z"),
        GuardKind::After if !open.is_empty() => {
            let open = open.join("|");
            if alternation.is_empty() {
                format!(r"{flags}\A[\s\-‐‑]*(?:{open})")
            } else {
                format!(r"{flags}\A[\s\-‐‑]*(?:(?:{alternation})\b|{open})")
            }
        }
        GuardKind::After => format!(r"{flags}\A[\s\-‐‑]*(?:{alternation})\b"),
        GuardKind::Nearby => format!(r"{flags}(?:{alternation})\b"),
    };
    Ok(Some(source))
}

/// Whether a guard pattern ends in punctuation rather than a word, a group or a token.
fn ends_in_punctuation(pattern: &str) -> bool {
    pattern
        .trim_end()
        .chars()
        .last()
        .is_some_and(|c| !c.is_alphanumeric() && !matches!(c, '}' | ']' | '*' | '-'))
}

/// A rule match that passed its guards, with its reframes rendered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawMatch {
    /// Index of the rule in the [`Matcher`].
    pub rule: usize,
    /// Byte range in the text.
    pub range: Range<usize>,
    /// Reframes rendered for this match, case adapted: one copy shared by every match with
    /// the same rendering (see [`shared_reframes`]).
    pub reframes: Arc<[String]>,
}

/// The one shared copy of a rendering of reframes. Most renderings repeat (a rule's reframes,
/// in two or three cases), so each thread keeps the ones it has made; a document with millions
/// of findings then holds a handful of copies instead of one per finding. The memo is cleared
/// when it grows past a few thousand renderings, which bounds it whatever the text.
pub fn shared_reframes(rendered: Vec<String>) -> Arc<[String]> {
    use std::cell::RefCell;
    const MEMO_LIMIT: usize = 4096;
    thread_local! {
        static MEMO: RefCell<std::collections::HashSet<Arc<[String]>>> = RefCell::default();
    }
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        if let Some(shared) = memo.get(rendered.as_slice()) {
            return shared.clone();
        }
        if memo.len() >= MEMO_LIMIT {
            memo.clear();
        }
        let shared: Arc<[String]> = rendered.into();
        memo.insert(shared.clone());
        shared
    })
}

/// Where an anchor occurs in the text.
struct AnchorHit {
    start: usize,
    end: usize,
    /// The anchor's automaton pattern id.
    anchor: usize,
}

/// A phrase an anchor hit may be part of.
struct Target {
    rule: u32,
    phrase: u32,
    /// Where the anchor must sit in its word for the phrase to match there.
    edges: WordEdges,
}

/// Every loaded rule, compiled into one matcher.
pub struct Matcher {
    rules: Vec<Arc<CompiledRule>>,
    /// Every rule's anchors, matched in any ASCII case.
    automaton: dfa::DFA,
    /// The length of the longest anchor, in bytes.
    longest_anchor: usize,
    /// The phrases each anchor (by automaton pattern id) was taken from.
    targets: Vec<Vec<Target>>,
    by_id: HashMap<String, usize>,
}

impl Matcher {
    /// Builds a matcher from compiled rules. Rule ids must be unique: a second rule with an id
    /// already taken is an error at that rule's own file and line.
    pub fn new(rules: Vec<Arc<CompiledRule>>) -> Result<Matcher, LocatedError> {
        let mut by_id = HashMap::with_capacity(rules.len());
        for (i, rule) in rules.iter().enumerate() {
            let id = &rule.loaded.rule.id;
            if let Some(previous) = by_id.insert(id.clone(), i) {
                let first = &rules[previous].loaded.origin;
                let second = &rule.loaded.origin;
                return Err(LocatedError {
                    path: second.path.clone(),
                    line: second.line,
                    column: 1,
                    message: format!(
                        "rule id `{id}` is already taken by the rule at {}:{}; give this rule another id",
                        first.path.display(),
                        first.line
                    ),
                });
            }
        }
        let mut anchor_ids: HashMap<&str, usize> = HashMap::new();
        let mut anchors: Vec<&str> = Vec::new();
        let mut targets: Vec<Vec<Target>> = Vec::new();
        for (rule_index, rule) in rules.iter().enumerate() {
            for (anchor, phrase_index, edges) in &rule.anchors {
                let id = *anchor_ids.entry(anchor.as_str()).or_insert_with(|| {
                    anchors.push(anchor.as_str());
                    targets.push(Vec::new());
                    anchors.len() - 1
                });
                targets[id].push(Target {
                    rule: rule_index as u32,
                    phrase: *phrase_index,
                    edges: *edges,
                });
            }
        }
        // Standard semantics report every anchor ending at each byte, overlapping ones too.
        // Without a prefilter: with hundreds of anchors none would skip much.
        let automaton = dfa::Builder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .build(&anchors)
            .map_err(|e| {
                let origin = rules
                    .first()
                    .map(|r| r.loaded.origin.clone())
                    .unwrap_or_default();
                LocatedError {
                    path: origin.path,
                    line: origin.line,
                    column: 1,
                    message: format!("too many phrases to search at once: {e}"),
                }
            })?;
        let longest_anchor = anchors.iter().map(|a| a.len()).max().unwrap_or(0);
        Ok(Matcher {
            rules,
            automaton,
            longest_anchor,
            targets,
            by_id,
        })
    }

    /// Builds now every guard regex that at least `min_rules` rules have in common. The first
    /// lint of almost any note meets a guard that many rules share, and waits for its regex to
    /// build (the most shared one takes over a millisecond); the language server has it built
    /// on a spare thread before the first document arrives.
    pub fn build_shared_guards(&self, min_rules: usize) {
        let mut uses: HashMap<(usize, &[String]), (usize, usize)> = HashMap::new();
        for (rule_index, rule) in self.rules.iter().enumerate() {
            for (slot, (patterns, _)) in Guards::lists(&rule.loaded.rule).into_iter().enumerate() {
                if !patterns.is_empty() {
                    uses.entry((slot, patterns)).or_insert((rule_index, 0)).1 += 1;
                }
            }
        }
        for ((slot, _), (rule_index, count)) in uses {
            if count >= min_rules {
                for guard in self.rules[rule_index].guards().slots()[slot] {
                    guard.get();
                }
            }
        }
    }

    /// The compiled rules, in load order.
    pub fn rules(&self) -> &[Arc<CompiledRule>] {
        &self.rules
    }

    /// The index of the rule with this id.
    /// The rule whose match was running when a [`Matcher::find`] on this thread panicked, so a
    /// crash can be reported by rule id without quoting the text.
    pub fn rule_in_progress(&self) -> Option<&str> {
        let index = RULE_IN_PROGRESS.get()?;
        Some(self.rules.get(index)?.loaded.rule.id.as_str())
    }

    /// The position of rule `id` in [`Matcher::rules`].
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Finds every guarded rule match in `text`, a masked prose view (see [`crate::prose`]).
    /// Matches come back sorted by start, then longest first.
    #[cfg(test)]
    pub fn find(&self, text: &str) -> Vec<RawMatch> {
        let mut found = Vec::new();
        self.find_each(text, |_| true, |m| found.push(m));
        found
    }

    /// [`Matcher::find`]'s matches handed to `emit` one at a time, in the same order, as soon
    /// as no later match can come before them: the memory a search holds is bounded however
    /// large the text (one paragraph of megabytes with a finding every few words), not one
    /// record per anchor hit and candidate match of the whole text. Rules for which `wanted`
    /// is false (those a configuration turns off) are not searched at all.
    pub fn find_each(
        &self,
        text: &str,
        wanted: impl Fn(usize) -> bool,
        emit: impl FnMut(RawMatch),
    ) {
        self.find_in_segments(text, HIT_SEGMENT, wanted, emit);
    }

    /// [`Matcher::find_each`], finding anchors `segment` bytes of text at a time; returns the
    /// most anchor hits and pending matches it held at once.
    fn find_in_segments(
        &self,
        text: &str,
        segment: usize,
        wanted: impl Fn(usize) -> bool,
        mut emit: impl FnMut(RawMatch),
    ) -> Held {
        RULE_IN_PROGRESS.set(None);
        let haystacks = Haystacks {
            as_written: text,
            lowered: OnceCell::new(),
        };
        // The (rule, phrase, window start) triples already searched, so one regex run covers
        // every anchor hit in a window. Hits come in text order, so only recent windows need
        // remembering, and a short list beats hashing. Searching one twice costs time only:
        // a match already found is skipped (see `Pending`).
        let mut seen: Vec<(u32, u32, usize)> = Vec::new();
        let mut pending = Pending::new();
        let mut held = Held::default();
        let mut from = 0;
        while from < text.len() {
            let to = from.saturating_add(segment.max(1)).min(text.len());
            let hits = self.anchor_hits(text.as_bytes(), from..to);
            held.hits = held.hits.max(hits.len());
            for hit in hits {
                // Hits come sorted by start, and a phrase window reaches at most
                // PHRASE_REACH before its hit, so no later match starts before this.
                pending.settle(
                    floor_char(text, hit.start.saturating_sub(PHRASE_REACH)),
                    &mut emit,
                );
                let starts_word = !text[..hit.start].ends_with(is_word_char);
                let ends_word = !text[hit.end..].starts_with(is_word_char);
                let window = phrase_window(text, hit.start, hit.end);
                for target in &self.targets[hit.anchor] {
                    if (target.edges.start && !starts_word)
                        || (target.edges.end && !ends_word)
                        || !wanted(target.rule as usize)
                    {
                        continue;
                    }
                    let key = (target.rule, target.phrase, window.start);
                    if seen.contains(&key) {
                        continue;
                    }
                    if seen.len() == RECENT_WINDOWS {
                        seen.retain(|&(_, _, start)| start + 2 * PHRASE_REACH >= window.start);
                        if seen.len() == RECENT_WINDOWS {
                            seen.remove(0);
                        }
                    }
                    seen.push(key);
                    self.match_phrase(
                        &haystacks,
                        window.clone(),
                        target.rule as usize,
                        target.phrase as usize,
                        &mut pending,
                    );
                }
            }
            from = to;
        }
        pending.settle(usize::MAX, &mut emit);
        held.pending = pending.most;
        held
    }

    /// Every occurrence of an anchor in `text` that starts in `starts`, overlapping ones too,
    /// sorted by start.
    ///
    /// Each step of the automaton waits for the state the one before it loaded, so a pass over
    /// the text is held to one memory load per byte; two passes over the two halves of
    /// `starts`, taken in turn, go nearly twice as fast. Each pass runs on past the end of its
    /// half to finish the anchors that start in it.
    fn anchor_hits(&self, text: &[u8], starts: Range<usize>) -> Vec<AnchorHit> {
        let dfa = &self.automaton;
        let Ok(start) = dfa.start_state(Anchored::No) else {
            return Vec::new();
        };
        let middle = starts.start + starts.len() / 2;
        let reach = |end: usize| (end + self.longest_anchor).min(text.len());
        let first = &text[starts.start..reach(middle)];
        let second = &text[middle..reach(starts.end)];
        let mut hits = Vec::new();
        let mut report = |state, end: usize, starts: Range<usize>| {
            if dfa.is_match(state) {
                for i in 0..dfa.match_len(state) {
                    let anchor = dfa.match_pattern(state, i);
                    let start = end - dfa.pattern_len(anchor);
                    if starts.contains(&start) {
                        hits.push(AnchorHit {
                            start,
                            end,
                            anchor: anchor.as_usize(),
                        });
                    }
                }
            }
        };
        let (mut in_first, mut in_second) = (start, start);
        // The two halves in step while both have bytes (zipped, so no byte needs a bounds
        // check), then the rest of the longer one.
        let both = first.len().min(second.len());
        for (i, (&a, &b)) in first[..both].iter().zip(&second[..both]).enumerate() {
            in_first = dfa.next_state(Anchored::No, in_first, a);
            if dfa.is_special(in_first) {
                report(in_first, starts.start + i + 1, starts.start..middle);
            }
            in_second = dfa.next_state(Anchored::No, in_second, b);
            if dfa.is_special(in_second) {
                report(in_second, middle + i + 1, middle..starts.end);
            }
        }
        for (i, &a) in first.iter().enumerate().skip(both) {
            in_first = dfa.next_state(Anchored::No, in_first, a);
            if dfa.is_special(in_first) {
                report(in_first, starts.start + i + 1, starts.start..middle);
            }
        }
        for (i, &b) in second.iter().enumerate().skip(both) {
            in_second = dfa.next_state(Anchored::No, in_second, b);
            if dfa.is_special(in_second) {
                report(in_second, middle + i + 1, middle..starts.end);
            }
        }
        hits.sort_unstable_by_key(|hit| (hit.start, hit.end, hit.anchor));
        hits
    }

    fn match_phrase(
        &self,
        haystacks: &Haystacks<'_>,
        window: Range<usize>,
        rule_index: usize,
        phrase_index: usize,
        found: &mut Pending,
    ) {
        RULE_IN_PROGRESS.set(Some(rule_index));
        let rule = &self.rules[rule_index];
        let phrase = &rule.phrases[phrase_index];
        let text = haystacks.as_written;
        if let Some(word) = &phrase.also_required {
            if word
                .find(&haystacks.lowered().as_bytes()[window.clone()])
                .is_none()
            {
                return;
            }
        }
        let regex = rule.phrase_regex(phrase_index);
        let searched = if phrase.on_lowered {
            haystacks.lowered()
        } else {
            text
        };
        let haystack = &searched[window.clone()];
        // Only the matches found for the first time that pass their guards need their groups
        // (for the reframes): the rest are found without capture slots, which cost a second
        // and third search of the match (most matches are found again by the overlapping
        // windows of the hits around them).
        for whole in regex.find_iter(haystack) {
            let range = window.start + whole.start()..window.start + whole.end();
            if range.is_empty() {
                continue;
            }
            // A window overlaps the windows of the hits around it, so most matches are found
            // again; the first finding of a rule's range is the one kept, and whether it
            // passes depends only on the rule and the range.
            let Some(slot) = found.vacant(rule_index, &range) else {
                continue;
            };
            if !is_word_bounded(text, &range)
                || runs_past_an_item(text, &range)
                || in_name(text, &range)
                || (rule.loaded.rule.also_a_name && reads_as_proper_name(text, &range))
                || !rule.guards_allow(haystacks.lowered(), text, &range)
            {
                slot.insert(None);
                continue;
            }
            if debug_panic_rule() == Some(rule.loaded.rule.id.as_str()) {
                panic!("REFRAME_DEBUG_PANIC");
            }
            // Searching from the match's start (with the text before it as context) finds the
            // same leftmost-first match, now with its groups.
            let captures = regex
                .captures_at(haystack, whole.start())
                .expect("the match is found again from its start");
            debug_assert_eq!(captures.get(0).map(|m| m.range()), Some(whole.range()));
            let reframes = shared_reframes(
                phrase
                    .templates
                    .iter()
                    .map(|t| {
                        t.render(
                            &captures,
                            &text[window.clone()],
                            rule.loaded.rule.case_sensitive,
                        )
                    })
                    .collect(),
            );
            slot.insert(Some(RawMatch {
                rule: rule_index,
                range,
                reframes,
            }));
        }
    }
}

/// The text a [`Matcher::find`] searches, as written and ASCII-lowercased. The copy has the
/// same length and character boundaries, so offsets carry over; the patterns' regexes, written
/// in lowercase, then need no case-insensitive flag (see [`case_flag_for_lowered`]).
struct Haystacks<'t> {
    as_written: &'t str,
    lowered: OnceCell<String>,
}

impl Haystacks<'_> {
    fn lowered(&self) -> &str {
        self.lowered
            .get_or_init(|| self.as_written.to_ascii_lowercase())
    }
}

/// The most a [`Matcher::find_each`] held at once: what bounds its memory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Held {
    /// Anchor hits (those of one segment).
    hits: usize,
    /// Matches found but not yet handed on.
    pending: usize,
}

/// Where [`Matcher::find_each`] holds the matches of the windows searched lately until no later
/// window can find one before them: each rule's range once (the first time it is found), with
/// `None` if it failed its guards, sorted as `find` returns them (by start, longest first, then
/// by rule).
struct Pending {
    matches: BTreeMap<(usize, Reverse<usize>, usize), Option<RawMatch>>,
    /// The most matches held at once.
    most: usize,
}

type PendingSlot<'p> = btree_map::VacantEntry<'p, (usize, Reverse<usize>, usize), Option<RawMatch>>;

impl Pending {
    fn new() -> Self {
        Pending {
            matches: BTreeMap::new(),
            most: 0,
        }
    }

    /// The place for rule `rule`'s match at `range`, unless that was found already.
    fn vacant(&mut self, rule: usize, range: &Range<usize>) -> Option<PendingSlot<'_>> {
        match self.matches.entry((range.start, Reverse(range.end), rule)) {
            btree_map::Entry::Vacant(slot) => Some(slot),
            btree_map::Entry::Occupied(_) => None,
        }
    }

    /// Hands on, in order, the matches that start before `before`.
    fn settle(&mut self, before: usize, emit: &mut impl FnMut(RawMatch)) {
        self.most = self.most.max(self.matches.len());
        while let Some(entry) = self.matches.first_entry() {
            if entry.key().0 >= before {
                break;
            }
            if let Some(found) = entry.remove() {
                emit(found);
            }
        }
    }
}

thread_local! {
    static RULE_IN_PROGRESS: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
    /// Whether this thread is running other work while it waits for a regex (see [`built_once`]).
    static RUNNING_WHILE_WAITING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Test hook for crash containment: with `REFRAME_DEBUG_PANIC=RULE-ID` in the environment, a
/// match of that rule panics.
fn debug_panic_rule() -> Option<&'static str> {
    static RULE: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    RULE.get_or_init(|| {
        std::env::var("REFRAME_DEBUG_PANIC")
            .ok()
            .filter(|id| !id.is_empty())
    })
    .as_deref()
}

/// The window a phrase regex runs in: the anchor's block, at most [`PHRASE_REACH`] either side.
fn phrase_window(text: &str, start: usize, end: usize) -> Range<usize> {
    let lo = floor_char(text, start.saturating_sub(PHRASE_REACH));
    let hi = ceil_char(text, (end + PHRASE_REACH).min(text.len()));
    let lo = text[lo..start].last_break().map_or(lo, |i| lo + i + 1);
    let hi = text[end..hi].first_break().map_or(hi, |i| end + i);
    // Start the window at a word boundary so `\b` at its edge is real.
    let lo = if lo == 0 || text[..lo].ends_with(BLOCK_BREAK) {
        lo
    } else {
        text[lo..start]
            .find(char::is_whitespace)
            .map_or(start, |i| lo + i)
    };
    lo..hi
}

fn guard_start(text: &str, written: &str, start: usize) -> usize {
    let lo = floor_char(text, start.saturating_sub(GUARD_REACH));
    let lo = text[lo..start].last_break().map_or(lo, |i| lo + i + 1);
    if lo == 0 || text[..lo].ends_with(BLOCK_BREAK) {
        inline_break_start(written, lo).unwrap_or(lo)
    } else {
        text[lo..start]
            .find(char::is_whitespace)
            .map_or(start, |i| lo + i)
    }
}

/// The longest run of breaks read as inline code or HTML rather than a gap between blocks.
const INLINE_BREAK_REACH: usize = 200;

/// Where the space before a run of breaks ending at `lo` starts, when the run stands for inline
/// code or HTML inside a line (“the `handler` neglects to”): a short run with a space or tab on
/// each side and a lowercase word after it. A gap between blocks has the next block's first word
/// right after it, and a capital after the run may begin a sentence (“seen <br> Refuses”). The guards
/// before a match then see that space and the break, so `@start` does not take the code for a
/// block's start.
fn inline_break_start(text: &str, lo: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    if lo == 0 || !matches!(bytes.get(lo), Some(b' ' | b'\t')) {
        return None;
    }
    // A capital after it may begin a sentence after a line break in HTML (“seen <br> Refuses”).
    let next = bytes[lo..].iter().find(|&&b| b != b' ' && b != b'\t');
    if !next.is_some_and(u8::is_ascii_lowercase) {
        return None;
    }
    let run = bytes[lo.saturating_sub(INLINE_BREAK_REACH + 1)..lo]
        .iter()
        .rev()
        .take_while(|&&b| b == BLOCK_BREAK as u8)
        .count();
    let run_start = lo - run;
    (run > 0
        && run <= INLINE_BREAK_REACH
        && run_start > 0
        && matches!(bytes[run_start - 1], b' ' | b'\t'))
    .then(|| run_start - 1)
}

fn guard_end(text: &str, end: usize) -> usize {
    let hi = ceil_char(text, (end + GUARD_REACH).min(text.len()));
    text[end..hi].first_break().map_or(hi, |i| end + i)
}

/// The sentence around `range`: back to the previous sentence end or block break, forward to
/// the next, each at most [`SENTENCE_REACH`] bytes away.
pub fn sentence_bounds(text: &str, range: &Range<usize>) -> Range<usize> {
    let lo = floor_char(text, range.start.saturating_sub(SENTENCE_REACH));
    let hi = ceil_char(text, (range.end + SENTENCE_REACH).min(text.len()));
    let before = &text[lo..range.start];
    let start = before
        .char_indices()
        .rev()
        .find(|&(i, c)| {
            c == BLOCK_BREAK
                || (c == '\n' && starts_list_item(&text[lo + i + 1..]))
                || (is_sentence_end(c)
                    && before[i + c.len_utf8()..].starts_with(char::is_whitespace))
        })
        .map_or(lo, |(i, c)| lo + i + c.len_utf8());
    let start =
        start + (text[start..range.start].len() - text[start..range.start].trim_start().len());
    let after = &text[range.end..hi];
    let end = after
        .char_indices()
        .find(|&(i, c)| {
            c == BLOCK_BREAK
                || (c == '\n' && starts_list_item(&after[i + 1..]))
                || (is_sentence_end(c)
                    && after[i + c.len_utf8()..]
                        .chars()
                        .next()
                        .is_none_or(char::is_whitespace))
        })
        .map_or(hi, |(i, _)| range.end + i);
    start..end
}

/// The most words a sentence may have and still read as a fragment of a note.
const FRAGMENT_WORDS: usize = 3;
/// How many fragments in a row lead back to the sentence they describe.
const FRAGMENT_RUN: usize = 4;

/// What `requires_nearby` reads for a match at `range` in `sentence`: the sentence, and for a
/// fragment of a few words ("Argumentative.", "Nasty attitude, manipulative.") or a sentence
/// the match opens without a subject ("Refuses to go to her room.") the sentences before it in
/// the same block back to the first full one, as a note's fragments go on describing that
/// sentence's subject ("Pt agitated on the unit. Refuses to go to her room. Manipulative.").
fn nearby_context(text: &str, sentence: Range<usize>, range: &Range<usize>) -> Range<usize> {
    let is_fragment =
        |bounds: &Range<usize>| text[bounds.clone()].split_whitespace().count() <= FRAGMENT_WORDS;
    let opens_it = text[sentence.start..range.start.max(sentence.start)]
        .trim_start_matches(|c: char| c.is_whitespace() || "-*+•–".contains(c))
        .is_empty();
    let mut start = sentence.start;
    let mut current = sentence.clone();
    for step in 0..FRAGMENT_RUN {
        let continues = is_fragment(&current) || (step == 0 && opens_it);
        if !continues {
            break;
        }
        let Some((end, _)) = text[..current.start]
            .char_indices()
            .rev()
            .find(|&(_, c)| !c.is_whitespace())
        else {
            break;
        };
        let previous = sentence_bounds(text, &(end..end));
        if previous.end > current.start || text[previous.start..current.start].contains(BLOCK_BREAK)
        {
            break;
        }
        start = previous.start;
        current = previous;
    }
    start..sentence.end
}

/// Whether `line` begins with a list marker (`-`, `*`, `+`, `•`, `1.`, `2)`): each list item
/// is a sentence of its own, even in plain text where the items share a block.
fn starts_list_item(line: &str) -> bool {
    let line = line.trim_start_matches([' ', '\t']);
    let digits = line.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = if digits.len() < line.len() && digits.len() + 3 >= line.len() {
        digits.strip_prefix(['.', ')'])
    } else {
        line.strip_prefix(['-', '*', '+', '•'])
    };
    rest.is_some_and(|r| r.starts_with([' ', '\t']))
}

/// Whether a match runs from a list item's line onto a next line that starts with a capital:
/// in "• Addict • Alcoholic" above "Person-first terms:", the items end with the line, though
/// a parser reads the lines as one paragraph. Wrapped prose ("an alcoholic\nfather") may
/// still run on.
fn runs_past_an_item(text: &str, range: &Range<usize>) -> bool {
    let Some(newline) = memchr::memchr(b'\n', &text.as_bytes()[range.clone()]) else {
        return false;
    };
    let next_line = text[range.start + newline + 1..].trim_start_matches([' ', '\t']);
    if !next_line.starts_with(|c: char| c.is_uppercase()) {
        return false;
    }
    let line_start = text[..range.start]
        .rfind(['\n', BLOCK_BREAK])
        .map_or(0, |i| i + 1);
    starts_list_item(&text[line_start..])
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | ';')
}

/// Whether `c` is surely a word character for the regexes' `\b`, which counts every letter,
/// mark and decimal digit; a character this says no to may still be one.
fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || c.is_ascii_digit() || c == '_'
}

fn is_word_bounded(text: &str, range: &Range<usize>) -> bool {
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// Whether the match is part of a name rather than a word of prose: an email address or
/// handle (`schizo@example.org`, `@crazy`), a file name, path or identifier (`lame.c`,
/// `src/insane`, `send_unwilling`), a command-line option (`--no-show-signature`), or the
/// middle of a longer hyphenated name (`select-font-no-show-text`).
fn in_name(text: &str, range: &Range<usize>) -> bool {
    let before = &text[..range.start];
    let after = &text[range.end..];
    let mut prev = before.chars().rev();
    let (p1, p2) = (prev.next(), prev.next());
    let mut next = after.chars();
    let (n1, n2) = (next.next(), next.next());
    let glued_after = |c: char| n1 == Some(c) && n2.is_some_and(char::is_alphanumeric);
    let glued_before = |c: char| p1 == Some(c) && p2.is_some_and(char::is_alphanumeric);
    // Two words joined by one slash are prose, not a path: “alcohol/drug abuse”,
    // “substance abuse/dependence”, “and/or”.
    let slashed_words = word_pair(text, range);
    (matches!(p1, Some('@' | '\\' | '_')) || (p1 == Some('/') && !slashed_words))
        || (p1 == Some('-') && p2 == Some('-'))
        || n1 == Some('@')
        || ['.', '_', '\\'].into_iter().any(glued_after)
        || (glued_after('/') && !slashed_words)
        || (glued_before('-') && glued_after('-'))
}

/// Words before a capitalised common noun in a title or a heading (“Confessions of a Nutter”,
/// “The Total Psycho”): after them a capital letter does not make a name.
const BEFORE_A_COMMON_NOUN: &[&str] = &[
    "a", "absolute", "an", "another", "any", "big", "bloody", "complete", "every", "like",
    "little", "no", "old", "proper", "real", "right", "some", "such", "that", "the", "this",
    "total", "utter", "what",
];

/// Titles that end with a full stop before a name (“Mr. Nutter”), which is then no sentence end.
const TITLES: &[&str] = &["dr", "mr", "mrs", "ms", "mx", "prof", "rev", "st"];

/// Whether a match of a word that is also a surname or a title reads as a name: it is
/// capitalised (not all capitals) inside a sentence, after a capitalised word (a first name, a
/// title, the name of a maker: “Jason Nutter”, “Mayor Nutter”, “Hitchcock's Psycho”) or after a
/// lowercase word that does not introduce a common noun (“said Nutter”, “the film Psycho”),
/// and not after an article or an intensifier (“a Nutter”, “the Total Psycho” in a title).
fn reads_as_proper_name(text: &str, range: &Range<usize>) -> bool {
    let matched = &text[range.clone()];
    let mut chars = matched.chars();
    if !chars.next().is_some_and(char::is_uppercase) || !chars.any(char::is_lowercase) {
        return false;
    }
    let before = text[..range.start].trim_end_matches([' ', '\t']);
    let (before, after_title_stop) = match before.strip_suffix('.') {
        Some(rest) => (rest, true),
        None => (before, false),
    };
    let word_start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphanumeric() || c == '\'' || c == '’')
        .last()
        .map_or(before.len(), |(i, _)| i);
    let word = &before[word_start..];
    let bare = word
        .trim_end_matches("'s")
        .trim_end_matches("’s")
        .to_ascii_lowercase();
    if word.is_empty() {
        return false;
    }
    if after_title_stop {
        return TITLES.contains(&bare.as_str());
    }
    if !BEFORE_A_COMMON_NOUN.contains(&bare.as_str()) {
        return true;
    }
    // A capitalised article inside a sentence opens a title: “Dostoevsky's The Idiot”.
    ["the", "a", "an"].contains(&bare.as_str())
        && word.starts_with(|c: char| c.is_uppercase())
        && before[..word_start]
            .trim_end_matches([' ', '\t'])
            .ends_with(|c: char| c.is_alphanumeric() || c == ',')
}

/// Whether the match sits in a token of two words joined by one slash (“alcohol/drug”): letters
/// (and hyphens or apostrophes) on both sides, nothing that marks a path, address or file name.
fn word_pair(text: &str, range: &Range<usize>) -> bool {
    let is_edge = |c: char| c.is_whitespace() || "()[]{}\"“”,;".contains(c);
    let start = text[..range.start]
        .char_indices()
        .rev()
        .find(|&(_, c)| is_edge(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[range.end..]
        .char_indices()
        .find(|&(_, c)| is_edge(c))
        .map_or(text.len(), |(i, _)| range.end + i);
    let token = text[start..end].trim_end_matches(['.', ',', ';', ':', '!', '?']);
    let mut parts = token.split('/');
    let (Some(first), Some(second), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let wordy = |part: &str| {
        part.chars().count() >= 2
            // The match itself may hold spaces (“drug abuse”).
            && part
                .chars()
                .all(|c| c.is_alphabetic() || c.is_whitespace() || matches!(c, '-' | '\'' | '’'))
    };
    wordy(first) && wordy(second)
}

/// The char boundary at or before byte `i`.
pub(crate) fn floor_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The char boundary at or after byte `i`.
pub(crate) fn ceil_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A thread waiting for a value runs other tasks, but a task it runs that way waits on the
    /// value rather than running yet another: with every task wanting the value being built,
    /// each wait that ran a task used to nest one more on the stack, and a language server
    /// overflowed it.
    #[test]
    fn waiting_runs_other_tasks_one_deep_at_most() {
        use std::cell::Cell;
        use std::sync::atomic::AtomicUsize;
        thread_local! {
            static DEPTH: Cell<usize> = const { Cell::new(0) };
        }
        let cell = OnceLock::new();
        let building = AtomicBool::new(false);
        let deepest = AtomicUsize::new(0);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        pool.install(|| {
            use rayon::prelude::*;
            (0..2000).into_par_iter().for_each(|_| {
                let depth = DEPTH.get() + 1;
                DEPTH.set(depth);
                deepest.fetch_max(depth, Ordering::SeqCst);
                built_once(&cell, &building, || {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                });
                DEPTH.set(depth - 1);
            });
        });
        assert!(deepest.load(Ordering::SeqCst) <= 2, "{deepest:?}");
    }

    /// Many rayon tasks asking for a value at once: it is built once, and every task gets it,
    /// those that found it being built having run other tasks while they waited.
    #[test]
    fn a_value_asked_for_at_once_is_built_once() {
        use std::sync::atomic::AtomicUsize;
        let cell = OnceLock::new();
        let building = AtomicBool::new(false);
        let builds = AtomicUsize::new(0);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap();
        let values: Vec<usize> = pool.install(|| {
            use rayon::prelude::*;
            (0..64)
                .into_par_iter()
                .map(|_| {
                    *built_once(&cell, &building, || {
                        std::thread::sleep(std::time::Duration::from_millis(20));
                        builds.fetch_add(1, Ordering::SeqCst) + 7
                    })
                })
                .collect()
        });
        assert_eq!(builds.load(Ordering::SeqCst), 1);
        assert!(values.iter().all(|&v| v == 7), "{values:?}");
    }

    #[test]
    fn names_are_not_prose() {
        let at = |text: &str, word: &str| {
            let start = text.find(word).unwrap();
            in_name(text, &(start..start + word.len()))
        };
        assert!(at("mail schizo@example.org today", "schizo"));
        assert!(at("see lame.c for it", "lame"));
        assert!(at("pass --no-show-signature", "no-show"));
        assert!(at("the select-font-no-show-text test", "no-show"));
        assert!(at("call send_unwilling()", "unwilling"));
        assert!(!at("She was lame. Then", "lame"));
        assert!(!at("an ex-addict, now", "addict"));
        assert!(!at("a no-show today", "no-show"));
        assert!(!at("treatment-resistant depression", "resistant"));
        // Two words joined by a slash are prose; a path, an address or a file is a name.
        assert!(!at("alcohol/drug abuse was common", "drug abuse"));
        assert!(!at("substance abuse/dependence in 40%", "substance abuse"));
        assert!(at("see docs/drug/abuse.md", "abuse"));
        assert!(at("open example.com/insane today", "insane"));
        assert!(at("the file lame.c/x", "lame"));
    }

    #[test]
    fn an_after_guard_ending_in_punctuation_needs_no_word_after_it() {
        let guard = |patterns: &[&str]| {
            let patterns: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
            Regex::new(&guard_source(&patterns, GuardKind::After).unwrap().unwrap()).unwrap()
        };
        let quote = guard(&["\" *", ".\""]);
        // A closing mark after the sentence's full stop, at the end of the text or before a space.
        assert!(quote.is_match(".\""));
        assert!(quote.is_match(".\" Then"));
        assert!(quote.is_match("\" at home"));
        // A pattern that ends in a word still ends at a word boundary.
        assert!(!quote.is_match("\""));
        assert!(!quote.is_match("\" "));
        assert!(!guard(&["for"]).is_match("format"));
    }

    fn is_sentence_end(c: char) -> bool {
        matches!(c, '.' | '!' | '?' | ';')
    }

    /// The sentence bounds by definition, scanning characters.
    fn sentence_bounds_by_chars(text: &str, range: &Range<usize>) -> Range<usize> {
        let lo = floor_char(text, range.start.saturating_sub(SENTENCE_REACH));
        let hi = ceil_char(text, (range.end + SENTENCE_REACH).min(text.len()));
        let before = &text[lo..range.start];
        let start = before
            .char_indices()
            .rev()
            .find(|&(i, c)| {
                c == BLOCK_BREAK
                    || (is_sentence_end(c)
                        && before[i + c.len_utf8()..].starts_with(char::is_whitespace))
            })
            .map_or(lo, |(i, c)| lo + i + c.len_utf8());
        let start =
            start + (text[start..range.start].len() - text[start..range.start].trim_start().len());
        let after = &text[range.end..hi];
        let end = after
            .char_indices()
            .find(|&(i, c)| {
                c == BLOCK_BREAK
                    || (is_sentence_end(c)
                        && after[i + c.len_utf8()..]
                            .chars()
                            .next()
                            .is_none_or(char::is_whitespace))
            })
            .map_or(hi, |(i, _)| range.end + i);
        start..end
    }

    #[test]
    fn sentence_bounds_by_bytes_equal_by_characters() {
        let mut text = String::new();
        for i in 0..300 {
            text.push_str(
                [
                    "Wörds é ",
                    "end. ",
                    "ask?\u{a0}",
                    "semi;x ",
                    "\u{1e}",
                    "no.stop ",
                    "😀! ",
                ][i * 5 % 7],
            );
        }
        let boundaries: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        for (k, &start) in boundaries.iter().enumerate() {
            let end = boundaries[(k + 3).min(boundaries.len() - 1)];
            assert_eq!(
                sentence_bounds(&text, &(start..end)),
                sentence_bounds_by_chars(&text, &(start..end)),
                "{start}..{end}"
            );
        }
    }
    use crate::load::parse_rule_file;
    use std::path::Path;

    fn matcher(body: &str) -> Matcher {
        let source = format!(
            "[[rule]]\nid = \"t\"\ncategory = \"blame\"\nseverity = \"warning\"\nmessage = \"m\"\nwhy = \"w\"\nsources = [{{ title = \"t\", url = \"https://e.org\" }}]\n{body}\n[rule.examples]\nflag = [\"x\"]\n"
        );
        let loaded = parse_rule_file(Path::new("t.toml"), &source).unwrap();
        let rules = loaded
            .into_iter()
            .map(|l| Arc::new(CompiledRule::new(l, true, &Arc::default()).unwrap()))
            .collect();
        Matcher::new(rules).unwrap()
    }

    fn found(m: &Matcher, text: &str) -> Vec<String> {
        m.find(text)
            .iter()
            .map(|r| text[r.range.clone()].to_string())
            .collect()
    }

    #[test]
    fn finds_phrases_and_renders_reframes() {
        let m = matcher("phrases = [\"commit{s,ted,ting} suicide\"]\nreframes = [\"{1:dies,died,dying} by suicide\"]");
        let hits = m.find("He Committed suicide in 2019.");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].range, 3..20);
        assert_eq!(hits[0].reframes[..], ["Died by suicide"]);
    }

    #[test]
    fn not_before_and_not_after_guards() {
        let m = matcher("phrases = [\"resistant\", \"resistance\"]\nnot_before = [\"water\", \"antibiotic\"]\nnot_after = [\"training\", \"band{,s}\"]");
        assert_eq!(found(&m, "The client was resistant."), ["resistant"]);
        assert!(found(&m, "A water-resistant watch.").is_empty());
        assert!(found(&m, "Antibiotic resistant bacteria").is_empty());
        assert!(found(&m, "Resistance training twice a week.").is_empty());
        assert!(found(&m, "resistance bands").is_empty());
    }

    #[test]
    fn a_fragment_reads_the_sentences_it_continues() {
        let text = "Pt declined labs today. Argumentative. Manipulative. Next plan.";
        let at = text.find("Manipulative").unwrap();
        let context = nearby_context(text, sentence_bounds(text, &(at..at + 12)), &(at..at + 12));
        assert_eq!(
            &text[context],
            "Pt declined labs today. Argumentative. Manipulative"
        );
        // A full sentence reads only itself, and a block break ends the run.
        let long = "The team met today. She was manipulative with staff";
        let at = long.find("manipulative").unwrap();
        let context = nearby_context(long, sentence_bounds(long, &(at..at + 12)), &(at..at + 12));
        assert_eq!(&long[context], "She was manipulative with staff");
        let split = "Pt declined labs.\u{1e}Manipulative.";
        let at = split.find("Manipulative").unwrap();
        let context = nearby_context(
            split,
            sentence_bounds(split, &(at..at + 12)),
            &(at..at + 12),
        );
        assert_eq!(&split[context], "Manipulative");
        // A sentence the match opens, with no subject, continues the one before it.
        let note = "Pt agitated on the unit tonight. Refuses to go to her room";
        let at = note.find("Refuses").unwrap();
        let context = nearby_context(note, sentence_bounds(note, &(at..at + 7)), &(at..at + 7));
        assert_eq!(&note[context], note);
        // A sentence with its own subject does not.
        let own = "Pt agitated on the unit tonight. The printer refuses to print";
        let at = own.find("refuses").unwrap();
        let context = nearby_context(own, sentence_bounds(own, &(at..at + 7)), &(at..at + 7));
        assert_eq!(&own[context], "The printer refuses to print");
    }

    #[test]
    fn requires_nearby_looks_within_the_sentence() {
        let m = matcher(
            "phrases = [\"clean\"]\nrequires_nearby = [\"urine\", \"drug screen\", \"tox\"]",
        );
        assert_eq!(found(&m, "Urine drug screen was clean today."), ["clean"]);
        assert!(found(&m, "Urine sample sent. The room was clean.").is_empty());
    }

    #[test]
    fn requires_before_with_person_subject() {
        let m = matcher("phrases = [\"difficult\"]\nrequires_before = [\"@person @be [very,so]\"]");
        assert_eq!(found(&m, "The patient is very difficult."), ["difficult"]);
        assert!(found(&m, "The airway is difficult.").is_empty());
    }

    #[test]
    fn start_guards_treat_list_items_and_headings_as_sentences() {
        let m = matcher(
            "phrases = [\"exaggerates\"]\nrequires_before = [\"@person @mod\", \"@start\"]",
        );
        assert_eq!(found(&m, "- Exaggerates symptoms"), ["Exaggerates"]);
        assert_eq!(
            found(&m, "Plan reviewed.\n- Exaggerates pain"),
            ["Exaggerates"]
        );
        assert_eq!(found(&m, "Seen today. Exaggerates pain."), ["Exaggerates"]);
        assert_eq!(found(&m, "\u{1e}Exaggerates symptoms"), ["Exaggerates"]);
        assert_eq!(found(&m, "The client often exaggerates."), ["exaggerates"]);
        assert!(found(&m, "The report exaggerates the risk.").is_empty());
        let m = matcher("phrases = [\"refuse to\"]\nnot_before = [\"@start\"]");
        assert!(found(&m, "Refuse to argue with the client.").is_empty());
        assert!(found(&m, "- Refuse to argue.").is_empty());
        assert_eq!(found(&m, "They refuse to eat."), ["refuse to"]);
    }

    #[test]
    fn start_cannot_begin_a_phrase() {
        let source = "[[rule]]\nid = \"t\"\ncategory = \"blame\"\nseverity = \"warning\"\nphrases = [\"@start refuses\"]\nmessage = \"m\"\nwhy = \"w\"\nsources = [{ title = \"t\", url = \"https://e.org\" }]\n[rule.examples]\nflag = [\"x\"]\n";
        let loaded = parse_rule_file(Path::new("t.toml"), source).unwrap();
        let err = CompiledRule::new(loaded[0].clone(), true, &Arc::default())
            .err()
            .unwrap();
        assert!(err.0.contains("@start"), "{err}");
    }

    #[test]
    fn phrases_do_not_cross_block_breaks() {
        let m = matcher("phrases = [\"committed suicide\"]");
        assert!(found(&m, "committed\u{1e}suicide").is_empty());
        assert_eq!(found(&m, "committed\nsuicide"), ["committed\nsuicide"]);
    }

    #[test]
    fn a_word_that_is_also_a_name_is_left_alone_where_it_reads_as_one() {
        let m = matcher("phrases = [\"nutter\"]\nalso_a_name = true");
        for name in [
            "A patch from Jason Nutter fixed it.",
            "Thanks to Mayor Nutter and his staff.",
            "The letter was signed by Mr. Nutter.",
            "Reported by Nutter in March.",
            "(Ann Nutter's fix)",
            "a review of Ann Smith's The Nutter, her second novel",
        ] {
            assert!(found(&m, name).is_empty(), "{name}");
        }
        for slur in [
            "Some nutter was shouting outside.",
            "Nutter, she called him.",
            "He called me a Nutter.",
            "Confessions of a Total Nutter",
            "The NUTTER next door",
            "It ended. Nutter or not, he stayed.",
            "Smith,\nNutter again",
        ] {
            assert_eq!(found(&m, slur).len(), 1, "{slur}");
        }
        // Without the setting, a name is matched like any word.
        let plain = matcher("phrases = [\"nutter\"]");
        assert_eq!(found(&plain, "Jason Nutter"), ["Nutter"]);
    }

    #[test]
    fn inline_code_before_a_word_is_no_sentence_start() {
        let m = matcher("phrases = [\"neglects to\"]\nrequires_before = [\"@start\"]");
        // Inline code is masked as breaks with a space on each side.
        assert!(found(&m, "The \u{1e}\u{1e}\u{1e} neglects to close it.").is_empty());
        assert!(found(&m, "If \u{1e}\u{1e} neglects to close it.").is_empty());
        // A gap between blocks, a sentence end after code, and a list item still start one.
        assert_eq!(found(&m, "Plan\u{1e}\u{1e}Neglects to eat.").len(), 1);
        assert_eq!(found(&m, "Run \u{1e}\u{1e}. Neglects to eat.").len(), 1);
        assert_eq!(found(&m, "\u{1e}\u{1e}Neglects to eat.").len(), 1);
        assert_eq!(found(&m, "- neglects to eat").len(), 1);
        assert_eq!(
            found(&m, "Seen \u{1e}\u{1e}\u{1e}\u{1e} Neglects to eat.").len(),
            1
        );
    }

    #[test]
    fn matches_are_whole_words() {
        let m = matcher("phrases = [\"nuts\"]");
        assert!(found(&m, "donuts and walnuts").is_empty());
        assert_eq!(found(&m, "that's nuts"), ["nuts"]);
    }

    #[test]
    fn user_regex_is_checked_eagerly() {
        let source = "[[rule]]\nid = \"t\"\ncategory = \"blame\"\nseverity = \"warning\"\nregex = \"(a\"\nanchors = [\"a\"]\nmessage = \"m\"\nwhy = \"w\"\nsources = [{ title = \"t\", url = \"https://e.org\" }]\n[rule.examples]\nflag = [\"x\"]\n";
        let loaded = parse_rule_file(Path::new("t.toml"), source).unwrap();
        let err = CompiledRule::new(loaded[0].clone(), true, &Arc::default())
            .err()
            .unwrap();
        assert!(err.0.contains("invalid regex"), "{err}");
        let huge = source.replace("(a", "a{1000}{1000}");
        let loaded = parse_rule_file(Path::new("t.toml"), &huge).unwrap();
        let err = CompiledRule::new(loaded[0].clone(), true, &Arc::default())
            .err()
            .unwrap();
        assert!(err.0.contains("too large"), "{err}");
    }

    #[test]
    fn guards_with_groups_combine() {
        let m = matcher(
            "phrases = [\"x\"]\nnot_before = [\"lost {her,his}\", \"los{e,ing} {her,his}\"]",
        );
        assert!(found(&m, "lost her x").is_empty());
        assert_eq!(found(&m, "found her x"), ["x"]);
    }

    #[test]
    fn case_is_ignored_unless_the_rule_matches_it_exactly() {
        // Letters beyond ASCII in a pattern match either case too, though the text is only
        // lowercased in ASCII; and guards ignore case.
        let m = matcher("phrases = [\"RÉSISTANT élève\"]\nnot_before = [\"Très\"]");
        assert_eq!(found(&m, "un Résistant ÉLÈVE"), ["Résistant ÉLÈVE"]);
        assert!(found(&m, "un TRÈS résistant élève").is_empty());
        let m = matcher("phrases = [\"OCD\"]\ncase_sensitive = true");
        assert_eq!(found(&m, "OCD, not ocd or Ocd"), ["OCD"]);
    }

    #[test]
    fn anchor_hits_are_every_occurrence_wherever_the_halves_meet() {
        let m = matcher("phrases = [\"resistant\", \"resist{s,ed}\", \"ant colony\"]");
        let mut anchors: Vec<&str> = Vec::new();
        for rule in &m.rules {
            for (anchor, _, _) in &rule.anchors {
                if !anchors.contains(&anchor.as_str()) {
                    anchors.push(anchor);
                }
            }
        }
        assert_eq!(anchors.len(), 3, "{anchors:?}");
        // Each anchor at every offset around the middle, and texts shorter than an anchor.
        for len in 0..40 {
            for at in 0..len {
                let padded = format!("{}ReSistAnt colony{}", "x".repeat(at), "x".repeat(len));
                let text = &padded[..len];
                let mut expected = Vec::new();
                for (id, anchor) in anchors.iter().enumerate() {
                    for start in 0..text.len() {
                        if text[start..].to_ascii_lowercase().starts_with(anchor) {
                            expected.push((start, start + anchor.len(), id));
                        }
                    }
                }
                expected.sort();
                // The whole text at once, and in segments of every size that cuts an anchor.
                for segment in [usize::MAX, 1, 2, 3, 5, 8, 13] {
                    let mut hits = Vec::new();
                    let mut from = 0;
                    while from < text.len() {
                        let to = from.saturating_add(segment).min(text.len());
                        hits.extend(
                            m.anchor_hits(text.as_bytes(), from..to)
                                .iter()
                                .map(|h| (h.start, h.end, h.anchor)),
                        );
                        from = to;
                    }
                    assert_eq!(hits, expected, "{text:?} in segments of {segment}");
                }
            }
        }
    }

    /// One paragraph of dense matches: every few words a phrase, some inside longer ones, some
    /// guarded out, in windows that overlap.
    fn dense_paragraph(copies: usize) -> String {
        let sentence = "The client is resistant and non-compliant, treatment-resistant \
            depression noted; he committed suicide ideation, an addict, water-resistant watch, \
            \"resistant\" she said. ";
        let mut text = String::new();
        for i in 0..copies {
            text.push_str(sentence);
            if i % 5 == 0 {
                text.push('\n');
            }
        }
        text
    }

    #[test]
    fn matches_come_sorted_once_each_whatever_the_segment() {
        let m = Matcher::new(crate::engine::compile_builtin_rules()).unwrap();
        let text = dense_paragraph(3_000);
        assert!(text.len() > 4 * HIT_SEGMENT);
        let collect = |segment| {
            let mut found = Vec::new();
            m.find_in_segments(&text, segment, |_| true, |f| found.push(f));
            found
        };
        let whole = collect(usize::MAX);
        assert!(whole.len() > 10_000, "{}", whole.len());
        // Sorted by start, longest first, then by rule, and no rule's range twice.
        let key = |f: &RawMatch| (f.range.start, Reverse(f.range.end), f.rule);
        assert!(whole.windows(2).all(|w| key(&w[0]) < key(&w[1])));
        for segment in [1, 7, 100, 4_096, HIT_SEGMENT] {
            assert!(collect(segment) == whole, "segments of {segment}");
        }
    }

    #[test]
    fn a_search_holds_a_bounded_number_of_hits_and_matches() {
        let m = Matcher::new(crate::engine::compile_builtin_rules()).unwrap();
        let held = |copies| {
            let mut found = 0usize;
            let held = m.find_in_segments(
                &dense_paragraph(copies),
                HIT_SEGMENT,
                |_| true,
                |_| found += 1,
            );
            (held, found)
        };
        let (small, small_found) = held(1_500);
        let (large, large_found) = held(6_000);
        assert_eq!(large_found, 4 * small_found);
        // A text four times as long holds what one segment of it does, not four times more:
        // the hits of one segment, and the matches of a few windows.
        assert!(small.hits > 1_000, "{small:?}");
        assert!(
            large.hits <= small.hits + small.hits / 50,
            "{small:?} {large:?}"
        );
        assert_eq!(large.pending, small.pending);
        assert!(small.pending < 100, "{small:?}");
    }

    #[test]
    fn a_phrase_does_not_run_from_an_item_onto_a_capitalised_line() {
        let m = matcher("phrases = [\"alcoholic {father,person}\"]");
        assert!(found(&m, "• Addict • Alcoholic\nPerson-first terms:").is_empty());
        // Wrapped prose, or an item whose next line goes on in lowercase, still runs on.
        assert_eq!(found(&m, "her alcoholic\nFather"), ["alcoholic\nFather"]);
        assert_eq!(
            found(&m, "- an alcoholic\n  father"),
            ["alcoholic\n  father"]
        );
    }

    #[test]
    fn list_items_are_sentences_of_their_own() {
        let text = "- urine sent\n- room was clean\n12. ok";
        let at = text.find("clean").unwrap();
        assert_eq!(
            &text[sentence_bounds(text, &(at..at + 5))],
            "- room was clean"
        );
        let text = "a line\nwrapped clean";
        let at = text.find("clean").unwrap();
        assert_eq!(&text[sentence_bounds(text, &(at..at + 5))], text);
    }

    #[test]
    fn sentence_bounds_stop_at_punctuation() {
        let text = "First one. Second has word here. Third.";
        let at = text.find("word").unwrap();
        let bounds = sentence_bounds(text, &(at..at + 4));
        assert_eq!(&text[bounds], "Second has word here");
    }
}
