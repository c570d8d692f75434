//! The engine: rules + settings in, findings out. Every front end (CLI, language server,
//! `reframe serve`, `reframe report`) calls [`Engine::lint`]; none has lint logic of its own.

use crate::chunk;
use crate::config::{QuoteMode, Settings};
pub use crate::edits::Edits;
use crate::error::LocatedError;
use crate::load::{builtin_rules_with, LoadedRule};
use crate::matcher::{CompiledRule, Matcher, SharedGuards};
use crate::mention::{self, block_start, Mention};
use crate::pattern;
use crate::prose::{self, DocKind, BLOCK_BREAK};
use crate::rule::{Category, Rule, Severity};
use crate::suppress::{self, Suppressions};
use regex::Regex;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};
use std::sync::{Arc, OnceLock};

/// Where rule documentation is published; each rule's entry is `DOCS_URL#<rule-id>`.
pub const DOCS_URL: &str = "https://github.com/reframe-tool/reframe/blob/main/docs/rules.md";

/// One flagged phrase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The rule that matched.
    pub rule: Arc<Rule>,
    /// Byte range in the document.
    pub range: Range<usize>,
    /// Effective severity after configuration and quotation handling.
    pub severity: Severity,
    /// Reframes rendered for this match; the first is preferred. Shared by every finding with
    /// the same rendering (see [`RawMatch::reframes`](crate::matcher::RawMatch)), so a finding's
    /// own size stays fixed.
    pub reframes: Arc<[String]>,
    /// Whether the match sits inside quotation marks.
    pub quoted: bool,
}

/// Something about the document that is not a finding but that the writer should see, like an
/// unknown rule id in a suppression comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// Byte range in the document.
    pub range: Range<usize>,
    /// What is wrong.
    pub message: String,
}

/// Everything the engine reports about one document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Findings sorted by position.
    pub findings: Vec<Finding>,
    /// Problems with suppression comments.
    pub notices: Vec<Notice>,
    /// The chunks that have findings, in order, so a front end can reuse what it made of a
    /// chunk's findings while the chunk is unchanged.
    pub chunks: Vec<ChunkFindings>,
}

/// One chunk (a blank-line separated block) of a linted document and its findings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChunkFindings {
    /// Byte range of the chunk; it starts at a line start.
    pub range: Range<usize>,
    /// Indices of the chunk's findings in [`Report::findings`].
    pub findings: Range<usize>,
    /// The chunk's findings before suppression, relative to its start: one allocation shared by
    /// every report while the chunk's text and the engine stay the same.
    result: Arc<[Finding]>,
}

impl ChunkFindings {
    /// Whether `other` describes the same findings relative to the chunk's start: the same
    /// chunk result, with nothing suppressed in either. A memo keyed on [`ChunkFindings::key`]
    /// that keeps its `ChunkFindings` (and so the result alive) confirms a hit with this.
    pub fn same_findings(&self, other: &ChunkFindings) -> bool {
        Arc::ptr_eq(&self.result, &other.result)
            && self.findings.len() == self.result.len()
            && other.findings.len() == other.result.len()
    }

    /// A key for memos: the address of the shared chunk result.
    pub fn key(&self) -> usize {
        Arc::as_ptr(&self.result) as *const Finding as usize
    }
}

/// Per-document memo of chunk results for [`Engine::lint_cached`]: the chunks of the text last
/// linted and what each holds, so its size follows the document's.
#[derive(Default)]
pub struct LintCache {
    engine_id: u64,
    markdown: bool,
    /// Length of the text last linted.
    len: usize,
    chunks: Vec<CachedChunk>,
}

/// How many rules must share a guard for [`Engine::build_shared_guards`] to build it: nine
/// built-in guards, each common to five to seventeen rules.
const SHARED_GUARD_MIN_RULES: usize = 5;

/// Texts at least this long have their chunks linted on all cores; below it, sharing the work
/// costs more than it saves.
const PARALLEL_MIN_BYTES: usize = 256 * 1024;

/// One chunk of the text last linted: where it was, a hash of its text (to find it again after
/// an unknown change) and its findings, with ranges relative to its start.
#[derive(Clone)]
struct CachedChunk {
    range: Range<usize>,
    hash: u64,
    findings: Arc<[Finding]>,
}

/// Hashes a map whose keys are [`hash_text`] values by taking the key itself: they are hashes
/// already, and hashing each again took a few percent of a lint of prose.
#[derive(Default)]
struct HashIsKey(u64);

impl std::hash::Hasher for HashIsKey {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, key: u64) {
        self.0 = key;
    }
}

fn hash_text(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// Rules compiled together with the settings that shape what is reported.
pub struct Engine {
    /// Distinguishes engines so a [`LintCache`] never serves results from another one.
    id: u64,
    matcher: Arc<Matcher>,
    /// Effective severity per rule index in the matcher.
    severities: Vec<Severity>,
    allow: Option<Regex>,
    quotes: QuoteMode,
    mentions: QuoteMode,
}

/// Names the engine by its rule count, never its settings' text.
impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("rules", &self.matcher.rules().len())
            .finish_non_exhaustive()
    }
}

/// The built-in rules, parsed and compiled; phrase and guard regexes are built on first use.
/// [`Engine::builtin`] does this once per process; the engine benchmark times it.
pub fn compile_builtin_rules() -> Vec<Arc<CompiledRule>> {
    let shared_guards = Arc::new(SharedGuards::default());
    builtin_rules_with(|loaded| {
        let id = loaded.rule.id.clone();
        Arc::new(
            CompiledRule::new(loaded, false, &shared_guards)
                .unwrap_or_else(|e| panic!("built-in rule `{id}` does not compile: {e}")),
        )
    })
}

fn builtin_compiled() -> &'static Vec<Arc<CompiledRule>> {
    static BUILTIN: OnceLock<Vec<Arc<CompiledRule>>> = OnceLock::new();
    BUILTIN.get_or_init(compile_builtin_rules)
}

fn builtin_matcher() -> Arc<Matcher> {
    static MATCHER: OnceLock<Arc<Matcher>> = OnceLock::new();
    MATCHER
        .get_or_init(|| {
            Arc::new(
                Matcher::new(builtin_compiled().clone()).expect("built-in rule ids are unique"),
            )
        })
        .clone()
}

/// Which built-in rules an engine starts from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Library {
    /// The built-in library, compiled once per process and shared by every engine.
    #[default]
    Builtin,
    /// The built-in library compiled anew, as a process start does (for benchmarks).
    BuiltinFresh,
    /// No built-in rules: only the packs given, each switched on (for testing rules alone).
    None,
}

/// Compiles user rule files, checking every regex now so errors carry their location.
pub fn compile_user_rules(rules: Vec<LoadedRule>) -> Result<Vec<Arc<CompiledRule>>, LocatedError> {
    let shared_guards = Arc::new(SharedGuards::default());
    rules
        .into_iter()
        .map(|loaded| {
            let origin = loaded.origin.clone();
            let id = loaded.rule.id.clone();
            CompiledRule::new(loaded, true, &shared_guards)
                .map(Arc::new)
                .map_err(|message| LocatedError {
                    path: origin.path,
                    line: origin.line,
                    column: 1,
                    message: format!("rule `{id}`: {message}"),
                })
        })
        .collect()
}

impl Engine {
    /// The built-in library with default settings; the same as `EngineBuilder::new().build()`.
    pub fn builtin() -> Engine {
        Engine::with_matcher(builtin_matcher(), &Settings::default())
            .expect("default settings are valid")
    }

    /// The id of the rule that was matching when a lint on this thread panicked.
    pub fn rule_in_progress(&self) -> Option<&str> {
        self.matcher.rule_in_progress()
    }

    /// Assembles an engine for [`crate::EngineBuilder`]: `rules` after the built-in library
    /// (or alone), shaped by `settings`. `locate` turns a settings key that names no rule or
    /// category into an error at its place.
    pub(crate) fn from_parts(
        library: Library,
        rules: Vec<Arc<CompiledRule>>,
        settings: &Settings,
        locate: &dyn Fn(&str, String) -> LocatedError,
    ) -> Result<Engine, LocatedError> {
        let matcher = match library {
            Library::Builtin if rules.is_empty() => builtin_matcher(),
            Library::Builtin => {
                let mut all = builtin_compiled().clone();
                all.extend(rules);
                Arc::new(Matcher::new(all)?)
            }
            Library::BuiltinFresh => {
                let mut all = compile_builtin_rules();
                all.extend(rules);
                Arc::new(Matcher::new(all)?)
            }
            Library::None => Arc::new(Matcher::new(rules)?),
        };
        let mut engine = Engine::with_matcher(matcher, settings)
            .map_err(|(key, message)| locate(&key, message))?;
        if library == Library::None {
            // Rules tested alone are switched on even if they ship `off`: their examples must
            // hold whatever the default.
            for severity in &mut engine.severities {
                *severity = (*severity).max(Severity::Hint);
            }
        }
        Ok(engine)
    }

    fn with_matcher(
        matcher: Arc<Matcher>,
        settings: &Settings,
    ) -> Result<Engine, (String, String)> {
        let rules = matcher.rules();
        let mut severities: Vec<Severity> = rules.iter().map(|r| r.loaded.rule.severity).collect();
        let overrides = settings.severity.clone().unwrap_or_default();
        // Categories first, then rules, so a rule's own setting wins. A category setting does
        // not switch on rules that ship `off`: those are contested and need an explicit choice.
        for (key, severity) in &overrides {
            if let Ok(category) = key.parse::<Category>() {
                for (i, rule) in rules.iter().enumerate() {
                    if rule.loaded.rule.category == category
                        && rule.loaded.rule.severity != Severity::Off
                    {
                        severities[i] = *severity;
                    }
                }
            }
        }
        for (key, severity) in &overrides {
            if key.parse::<Category>().is_ok() {
                continue;
            }
            let index = matcher.index_of(key).ok_or_else(|| {
                (
                    key.clone(),
                    format!("`{key}` in [severity] is neither a category nor a known rule id"),
                )
            })?;
            severities[index] = *severity;
        }
        for id in settings.disable.iter().flatten() {
            let index = matcher.index_of(id).ok_or_else(|| {
                (
                    id.clone(),
                    format!("`{id}` in `disable` is not a known rule id"),
                )
            })?;
            severities[index] = Severity::Off;
        }
        let allow = compile_allow(settings.allow.as_deref().unwrap_or_default())?;
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        Ok(Engine {
            id: NEXT_ID.fetch_add(1, AtomicOrdering::Relaxed),
            matcher,
            severities,
            allow,
            quotes: settings.quotes.unwrap_or_default(),
            mentions: settings.mentions.unwrap_or_default(),
        })
    }

    /// Every rule this engine knows, in load order.
    pub fn rules(&self) -> impl Iterator<Item = &Arc<Rule>> {
        self.matcher.rules().iter().map(|r| &r.loaded.rule)
    }

    /// Builds now the guard regexes that many rules share (see
    /// [`Matcher::build_shared_guards`]), so the first lint need not wait for them. Takes a few
    /// milliseconds; the language server calls it on a spare thread at start-up.
    pub fn build_shared_guards(&self) {
        self.matcher.build_shared_guards(SHARED_GUARD_MIN_RULES);
    }

    /// The rule with this id.
    pub fn rule(&self, id: &str) -> Option<&Arc<Rule>> {
        self.matcher
            .index_of(id)
            .map(|i| &self.matcher.rules()[i].loaded.rule)
    }

    /// The effective severity of a rule under this engine's settings.
    pub fn severity_of(&self, id: &str) -> Option<Severity> {
        self.matcher.index_of(id).map(|i| self.severities[i])
    }

    /// Lints a whole document.
    pub fn lint(&self, text: &str, kind: DocKind) -> Report {
        self.lint_cached(text, kind, &mut LintCache::default(), Edits::Unknown)
    }

    /// Lints a document, reusing `cache`'s results for chunks (blank-line separated blocks)
    /// that have not changed. `edits` must describe every change since `cache` was last used:
    /// with a [`Edits::Span`] only the chunks around it are found and linted again, and the
    /// rest are moved; with [`Edits::Unknown`] every chunk is found again and those whose text is
    /// unchanged are reused. The result is always the same as [`Engine::lint`]'s; the language
    /// server keeps one cache per open document so a keystroke re-lints one paragraph.
    pub fn lint_cached(
        &self,
        text: &str,
        kind: DocKind,
        cache: &mut LintCache,
        edits: Edits,
    ) -> Report {
        let markdown = kind == DocKind::Markdown;
        let usable = cache.engine_id == self.id && cache.markdown == markdown;
        let old = if usable {
            std::mem::take(&mut cache.chunks)
        } else {
            Vec::new()
        };
        let chunks = match edits {
            _ if old.is_empty() => self.lint_all(text, kind, &[]),
            Edits::None if cache.len == text.len() => old,
            Edits::Span {
                start,
                old_end,
                new_end,
            } if old_end <= cache.len
                && new_end <= text.len()
                && cache.len - old_end == text.len() - new_end =>
            {
                self.relint_span(text, kind, old, start, new_end)
            }
            _ => self.lint_all(text, kind, &old),
        };
        let report = self.assemble(text, kind, &chunks);
        *cache = LintCache {
            engine_id: self.id,
            markdown,
            len: text.len(),
            chunks,
        };
        report
    }

    /// The report over all chunks: findings moved to document offsets, less those that
    /// suppression comments switch off (they work across chunks, so they are found in the whole
    /// document), and the comments' problems.
    fn assemble(&self, text: &str, kind: DocKind, chunks: &[CachedChunk]) -> Report {
        let directives = suppress::parse(text, kind);
        let suppressions = (!directives.is_empty()).then(|| Suppressions::new(text, &directives));
        let total = chunks.iter().map(|c| c.findings.len()).sum();
        let mut findings = Vec::with_capacity(total);
        let mut spans = Vec::new();
        for chunk in chunks.iter().filter(|c| !c.findings.is_empty()) {
            let first = findings.len();
            let shift = chunk.range.start;
            findings.extend(
                chunk
                    .findings
                    .iter()
                    .map(|f| Finding {
                        range: f.range.start + shift..f.range.end + shift,
                        ..f.clone()
                    })
                    .filter(|f| {
                        suppressions
                            .as_ref()
                            .is_none_or(|s| !s.suppresses(&f.rule.id, f.range.start))
                    }),
            );
            if findings.len() > first {
                spans.push(ChunkFindings {
                    range: chunk.range.clone(),
                    findings: first..findings.len(),
                    result: chunk.findings.clone(),
                });
            }
        }
        let notices = directives
            .iter()
            .flat_map(|d| &d.ids)
            .filter(|(id, _)| self.matcher.index_of(id).is_none())
            .map(|(id, range)| Notice {
                range: range.clone(),
                message: format!("unknown rule id `{id}` in a reframe suppression comment"),
            })
            .collect();
        Report {
            findings,
            notices,
            chunks: spans,
        }
    }

    /// Every chunk of `text`, linted unless one of `known`, or an earlier chunk of `text`, had
    /// the same text. A large text's chunks are linted on all of rayon's threads; the result is
    /// the same as linting them one after another.
    fn lint_all(&self, text: &str, kind: DocKind, known: &[CachedChunk]) -> Vec<CachedChunk> {
        let mut seen: HashMap<u64, Arc<[Finding]>, BuildHasherDefault<HashIsKey>> =
            known.iter().map(|c| (c.hash, c.findings.clone())).collect();
        let markdown = kind == DocKind::Markdown;
        if text.len() < PARALLEL_MIN_BYTES || rayon::current_num_threads() < 2 {
            let mut chunks = Vec::new();
            for range in chunk::chunks(text, markdown) {
                let chunk = self.chunk_result(text, kind, range, |hash| seen.get(&hash));
                seen.insert(chunk.hash, chunk.findings.clone());
                chunks.push(chunk);
            }
            return chunks;
        }
        use rayon::prelude::*;
        let ranges = chunk::chunks(text, markdown);
        let hashes: Vec<u64> = ranges
            .par_iter()
            .map(|range| hash_text(&text[range.clone()]))
            .collect();
        // The first chunk with each new text is linted; the others share its result.
        let mut first_seen =
            std::collections::HashSet::<u64, BuildHasherDefault<HashIsKey>>::default();
        let fresh: Vec<usize> = (0..ranges.len())
            .filter(|&i| !seen.contains_key(&hashes[i]) && first_seen.insert(hashes[i]))
            .collect();
        let linted: Vec<Arc<[Finding]>> = fresh
            .par_iter()
            .map(|&i| self.lint_chunk(&text[ranges[i].clone()], kind).into())
            .collect();
        seen.extend(fresh.iter().map(|&i| hashes[i]).zip(linted));
        ranges
            .into_iter()
            .zip(hashes)
            .map(|(range, hash)| CachedChunk {
                range,
                hash,
                findings: seen[&hash].clone(),
            })
            .collect()
    }

    /// The chunks of `text` after one changed region that ends at `new_end`: the chunks before
    /// the region are kept, the chunks from just before the one holding `start` are found and
    /// linted again until a chunk ends where an old one did past the region, and the old chunks
    /// from there are kept, moved.
    fn relint_span(
        &self,
        text: &str,
        kind: DocKind,
        old: Vec<CachedChunk>,
        start: usize,
        new_end: usize,
    ) -> Vec<CachedChunk> {
        let mut first = old
            .iter()
            .position(|c| c.range.end > start)
            .unwrap_or(old.len() - 1);
        // Whether a blank line ends a chunk depends on the next line with text after it, so
        // the chunk before is found again too, and so is any run of blank chunks before that.
        if first > 0 {
            first -= 1;
            while first > 0 && chunk::is_blank(text[old[first].range.clone()].as_bytes()) {
                first -= 1;
            }
        }
        let from = old[first].range.start;
        let growth = text.len() as isize - old.last().map_or(0, |c| c.range.end) as isize;
        let mut chunks: Vec<CachedChunk> = old[..first].to_vec();
        let mut rest = first;
        for range in chunk::Chunks::new(text, kind == DocKind::Markdown, from) {
            let end = range.end;
            chunks.push(self.chunk_result(text, kind, range, |_| None));
            if end < new_end || end == text.len() {
                continue;
            }
            let old_end = (end as isize - growth) as usize;
            while rest < old.len() && old[rest].range.end < old_end {
                rest += 1;
            }
            if rest < old.len() && old[rest].range.end == old_end {
                chunks.extend(old[rest + 1..].iter().map(|c| CachedChunk {
                    range: (c.range.start as isize + growth) as usize
                        ..(c.range.end as isize + growth) as usize,
                    ..c.clone()
                }));
                return chunks;
            }
        }
        if chunks.is_empty() {
            chunks.push(self.chunk_result(text, kind, 0..0, |_| None));
        }
        chunks
    }

    /// One chunk's findings: `known`'s for the hash of its text, or a fresh lint.
    fn chunk_result<'k>(
        &self,
        text: &str,
        kind: DocKind,
        range: Range<usize>,
        known: impl Fn(u64) -> Option<&'k Arc<[Finding]>>,
    ) -> CachedChunk {
        let piece = &text[range.clone()];
        let hash = hash_text(piece);
        let findings = match known(hash) {
            Some(found) => found.clone(),
            None => self.lint_chunk(piece, kind).into(),
        };
        CachedChunk {
            range,
            hash,
            findings,
        }
    }

    /// Matches, severities, allow list and quotation handling for one chunk. The matcher hands
    /// over its matches as it finds them, so a chunk of megabytes holds its findings, not every
    /// candidate match.
    fn lint_chunk(&self, text: &str, kind: DocKind) -> Vec<Finding> {
        let masked = prose::mask(text, kind);
        let mut findings: Vec<Finding> = Vec::new();
        let mut covered_until = 0usize;
        let wanted = |rule: usize| self.severities[rule] != Severity::Off;
        self.matcher.find_each(&masked, wanted, |raw| {
            // A span yields one finding: a match that overlaps one already kept is that
            // finding's business, whether it lies inside it ("resistant" inside
            // "treatment-resistant") or shares words with it ("the schizophrenic" and
            // "schizophrenic gunman"). Matches arrive sorted by start, longest first, so the
            // kept one starts first and is the longest there; one comparison per match.
            // Checked first: every way out below leaves the findings as they are, and the
            // mention checks are the costliest step of a finding.
            if raw.range.start < covered_until {
                return;
            }
            let mut severity = self.severities[raw.rule];
            if self.allowed(&masked, &raw.range) {
                return;
            }
            // A quoted label, a word on an avoid list, a self-description: mentioned, not
            // used on someone.
            let mention = mention::of(&masked, &raw.range);
            let quoted = mention == Some(Mention::Quoted);
            let rule = &self.matcher.rules()[raw.rule].loaded.rule;
            let mode = match mention {
                None => QuoteMode::Flag,
                Some(Mention::Quoted) => self.quotes,
                // A person may claim a label for themselves, but trivialising a condition
                // ("I'm so OCD about my desk") is as much the misuse in the first person.
                Some(Mention::SelfDescribed) if rule.category == Category::Casual => {
                    QuoteMode::Flag
                }
                Some(_) => self.mentions,
            };
            match mode {
                QuoteMode::Ignore => return,
                QuoteMode::Hint => severity = severity.min(Severity::Hint),
                QuoteMode::Flag => {}
            }
            covered_until = covered_until.max(raw.range.end);
            findings.push(Finding {
                rule: rule.clone(),
                range: raw.range,
                severity,
                reframes: raw.reframes,
                quoted,
            });
        });
        findings
    }

    fn allowed(&self, masked: &str, range: &Range<usize>) -> bool {
        let Some(allow) = &self.allow else {
            return false;
        };
        let lo = block_start(masked, range.start, 200);
        let hi = masked[range.end..]
            .char_indices()
            .take_while(|&(i, c)| c != BLOCK_BREAK && i < 200)
            .last()
            .map_or(range.end, |(i, c)| range.end + i + c.len_utf8());
        allow
            .find_iter(&masked[lo..hi])
            .any(|m| lo + m.start() <= range.start && lo + m.end() >= range.end)
    }
}

fn compile_allow(phrases: &[String]) -> Result<Option<Regex>, (String, String)> {
    if phrases.is_empty() {
        return Ok(None);
    }
    let mut alternatives = Vec::new();
    for phrase in phrases {
        let compiled = pattern::compile(phrase)
            .map_err(|e| (phrase.clone(), format!("allow phrase `{phrase}`: {e}")))?;
        alternatives.push(format!("(?:{})", compiled.regex));
    }
    let source = format!(r"(?i)\b(?:{})\b", alternatives.join("|"));
    Regex::new(&source)
        .map(Some)
        .map_err(|e| (phrases[0].clone(), format!("allow list: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lints `before`, applies each edit (range, replacement) in turn, then lints with the
    /// recorded span, and checks the result against a fresh lint of the edited text.
    fn check_edits(before: &str, edits: &[(Range<usize>, &str)]) {
        let engine = Engine::builtin();
        for kind in [DocKind::Markdown, DocKind::PlainText] {
            let mut cache = LintCache::default();
            engine.lint_cached(before, kind, &mut cache, Edits::Unknown);
            let mut text = before.to_string();
            let mut recorded = Edits::None;
            for (range, replacement) in edits {
                text.replace_range(range.clone(), replacement);
                recorded.replaced(range.clone(), replacement.len());
            }
            let incremental = engine.lint_cached(&text, kind, &mut cache, recorded);
            assert_eq!(incremental, engine.lint(&text, kind), "{kind:?}: {text:?}");
            // The memo now describes the edited text: nothing changed, nothing to re-lint.
            let again = engine.lint_cached(&text, kind, &mut cache, Edits::None);
            assert_eq!(again, incremental);
        }
    }

    /// First person spares a label a writer claims for themselves, not a condition trivialised.
    #[test]
    fn first_person_trivialising_stays_a_warning() {
        let engine = Engine::builtin();
        let severity_of = |text: &str, rule: &str| {
            let report = engine.lint(text, DocKind::PlainText);
            let found: Vec<_> = report
                .findings
                .iter()
                .filter(|f| f.rule.id == rule)
                .collect();
            assert_eq!(found.len(), 1, "{rule} in {text:?}: {:?}", report.findings);
            found[0].severity
        };
        assert_eq!(
            severity_of("I'm so OCD about my desk.", "so-ocd"),
            Severity::Warning
        );
        assert_eq!(
            severity_of("She's so OCD about her desk.", "so-ocd"),
            Severity::Warning
        );
        assert_eq!(
            severity_of("As an addict in recovery, I know the shame.", "an-addict"),
            Severity::Hint
        );
    }

    const NOTE: &str = "The client is resistant.\n\nShe committed suicide.\n\n\
        ```\nresistant\n```\n\nHe is an addict.\n\n<!-- note -->\n\nNon-compliant today.";

    #[test]
    fn edits_inside_a_paragraph_relint_it_and_move_the_rest() {
        let at = NOTE.find("resistant").unwrap();
        check_edits(NOTE, &[(at..at, "very ")]);
        check_edits(NOTE, &[(at..at + 9, "hesitant")]);
        let addict = NOTE.find("addict").unwrap();
        check_edits(NOTE, &[(addict..addict + 6, "person"), (0..3, "A")]);
    }

    #[test]
    fn opening_and_closing_constructs_rechunk_what_follows() {
        let second = NOTE.find("She").unwrap();
        // An unclosed fence or comment swallows everything after it.
        check_edits(NOTE, &[(second..second, "```\n")]);
        check_edits(NOTE, &[(second..second, "<!-- open\n")]);
        // Front matter only counts at the very start.
        check_edits(NOTE, &[(0..0, "---\n")]);
        let fence = NOTE.find("```\nresistant").unwrap();
        check_edits(NOTE, &[(fence..fence + 3, "")]);
        let comment = NOTE.find("<!--").unwrap();
        check_edits(NOTE, &[(comment + 11..comment + 14, "")]);
    }

    #[test]
    fn joining_splitting_and_edge_edits() {
        let blank = NOTE.find("\n\n").unwrap();
        check_edits(NOTE, &[(blank..blank + 1, "")]);
        check_edits(NOTE, &[(5..5, "\n\n")]);
        check_edits(NOTE, &[(NOTE.len()..NOTE.len(), " The patient refused.")]);
        check_edits(NOTE, &[(0..NOTE.len(), "")]);
        check_edits("", &[(0..0, "He is an addict.\n\nStill.")]);
        check_edits("resistant\r\n\r\nclient", &[(9..10, "")]);
    }

    #[test]
    fn edits_that_change_what_a_blank_line_ends() {
        // An indented line after blank lines continues the list item; un-indented, it is a
        // paragraph of its own, and indented again, code would be its reading alone.
        let list = "- The plan:\n\n\n    the client is resistant.\n\nEnd.";
        let indent = list.find("    the").unwrap();
        check_edits(list, &[(indent..indent + 2, "")]);
        check_edits(list, &[(indent..indent, "\n\n")]);
        let unindented = list.replace("    the", "the");
        let at = unindented.find("the client").unwrap();
        check_edits(&unindented, &[(at..at, "    ")]);
        // An HTML block kind that blank lines do not end, opened and closed by edits.
        let html = "Intro.\n\nThe client is resistant.\n\nShe is an addict.\n\n>\n\nOut.";
        let second = html.find("The").unwrap();
        check_edits(html, &[(second..second, "<!x\n\n")]);
        let doctype = "Intro.\n\n<!x\n\nThe client is resistant.\n\n>\n\nOut.";
        let opener = doctype.find("<!x").unwrap();
        check_edits(doctype, &[(opener..opener + 3, "")]);
    }

    /// A large document of every construct the chunker knows, repeated with variations so
    /// some chunks are alike and some are not.
    fn large_document() -> String {
        let mut text = String::from("---\ntitle: notes\n---\n\n");
        for i in 0..4_000 {
            text.push_str(&format!(
                "Session {i}. The client is resistant and non-compliant; she committed suicide \
                 ideation is noted.\n\n- item {i}: he is an addict\n\n    the patient refused\n\n\
                 > quoted: \"the client is resistant\"\n\n```\nresistant {i}\n```\n\n\
                 <!-- reframe-disable-next-line -->\nHe is an addict.\n\n| a | b |\n|---|---|\n\
                 | noncompliant | {i} |\n\n"
            ));
            if i % 7 == 0 {
                text.push_str("The client is resistant.\n\n");
            }
        }
        text
    }

    /// A paragraph of about 5 KB with findings of many rules, guarded matches that pass and
    /// fail, quotations, mentions and matches inside longer ones, its sentences joined by `sep`.
    fn varied_paragraph(sep: &str) -> String {
        let sentences = [
            "The client is resistant to homework and was non-compliant with the plan.",
            "Her father committed suicide when she was twelve.",
            "Referral describes him as an addict; staff once wrote \"junkie\" in the chart.",
            "Patient is in denial about the drinking.",
            "The word 'manipulative' came up in the team meeting.",
            "He is a schizophrenic who refused his medication, and she suffers from depression.",
            "The airway is difficult, and the patient is very difficult.",
            "Treatment-resistant depression was discussed as if she were a lost cause.",
            "Urine drug screen was clean today; the room was clean too.",
            "I was an addict myself for ten years.",
            "Words to avoid include: crazy, psycho, nuts.",
            "Antibiotic resistant bacteria were found, and a water-resistant dressing was used.",
            "The client exaggerates pain and is attention-seeking.",
            "She is wheelchair-bound and a victim of polio.",
        ];
        let neutral = [
            "Client arrived on time and reported a difficult week at work.",
            "We reviewed the sleep diary; she is getting about six hours a night.",
            "Discussed coping strategies including walks, journaling and calling a friend.",
            "Mood rated 5/10, up from 3/10 last session.",
        ];
        let mut parts = Vec::new();
        for (i, sentence) in sentences.iter().cycle().take(40).enumerate() {
            parts.push(*sentence);
            parts.push(neutral[i % neutral.len()]);
            if i % 3 == 0 {
                parts.push(neutral[(i + 1) % neutral.len()]);
            }
        }
        parts.join(sep)
    }

    /// One paragraph (or one line) of hundreds of kilobytes is linted in pieces; each copy of a
    /// repeated paragraph in it gets what the same copy gets in a text of three, at its place.
    #[test]
    fn a_huge_paragraph_gets_the_findings_of_its_parts() {
        let engine = Engine::builtin();
        for (sep, kind) in [
            (" ", DocKind::Markdown),
            ("\n", DocKind::Markdown),
            ("\n", DocKind::PlainText),
        ] {
            let paragraph = varied_paragraph(sep);
            // Longer than the engine looks back from any match (4,000 bytes, for quotes), so
            // every copy but the first and last sees the same text around it.
            assert!(paragraph.len() > 4_400, "{}", paragraph.len());
            let copies = |n: usize| vec![paragraph.as_str(); n].join(sep);
            let relative =
                |report: &Report, copy: usize| -> Vec<(Range<usize>, String, Severity, bool)> {
                    let start = copy * (paragraph.len() + sep.len());
                    let end = start + paragraph.len();
                    report
                        .findings
                        .iter()
                        .filter(|f| f.range.start >= start && f.range.start < end)
                        .map(|f| {
                            assert!(
                                f.range.end <= end,
                                "a finding crosses copies: {:?}",
                                f.range
                            );
                            (
                                f.range.start - start..f.range.end - start,
                                format!("{} {:?}", f.rule.id, f.reframes),
                                f.severity,
                                f.quoted,
                            )
                        })
                        .collect()
                };
            let small = engine.lint(&copies(3), kind);
            assert_eq!(small.chunks.len(), 1);
            let n = 80;
            let big_text = copies(n);
            assert!(big_text.len() > 350_000);
            let big = engine.lint(&big_text, kind);
            assert_eq!(big.chunks.len(), 1, "one chunk: {sep:?} {kind:?}");
            let middle = relative(&small, 1);
            let rules: std::collections::HashSet<&str> =
                small.findings.iter().map(|f| f.rule.id.as_str()).collect();
            assert!(rules.len() >= 10, "{rules:?}");
            assert!(middle.iter().any(|f| f.3), "a quoted finding");
            assert!(
                middle.iter().any(|f| f.2 == Severity::Hint),
                "a capped finding"
            );
            assert_eq!(relative(&big, 0), relative(&small, 0), "{sep:?} {kind:?}");
            for copy in 1..n - 1 {
                assert_eq!(
                    relative(&big, copy),
                    middle,
                    "copy {copy}, {sep:?} {kind:?}"
                );
            }
            assert_eq!(
                relative(&big, n - 1),
                relative(&small, 2),
                "{sep:?} {kind:?}"
            );
            assert_eq!(
                big.findings.len(),
                small.findings.len() + (n - 3) * middle.len()
            );
        }
    }

    #[test]
    fn all_cores_lint_a_large_document_as_one_core_does() {
        let text = large_document();
        assert!(text.len() > 4 * PARALLEL_MIN_BYTES);
        let engine = Engine::builtin();
        let pool = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
        };
        for kind in [DocKind::Markdown, DocKind::PlainText] {
            let one = pool(1).install(|| engine.lint(&text, kind));
            let many = pool(4).install(|| engine.lint(&text, kind));
            assert!(one.findings.len() > 10_000, "{}", one.findings.len());
            assert_eq!(one, many, "{kind:?}");
        }
    }

    /// Every sentence the library is measured on: each built-in rule's flag and pass examples,
    /// the written corpus and the real corpus's tune half (never the holdout half).
    fn measured_sentences() -> Vec<String> {
        let mut sentences: Vec<String> = crate::load::builtin_rules()
            .iter()
            .flat_map(|l| l.rule.examples.flag.iter().chain(&l.rule.examples.pass))
            .cloned()
            .collect();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
        for dir in [root.clone(), root.join("real/tune")] {
            let mut files: Vec<_> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect();
            files.sort();
            for file in files {
                let value: toml::Value =
                    toml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
                let cases = value.get("case").and_then(|c| c.as_array());
                for case in cases.into_iter().flatten() {
                    sentences.push(case["text"].as_str().unwrap().to_string());
                }
            }
        }
        assert!(sentences.len() > 3000, "{}", sentences.len());
        sentences
    }

    /// Pairs of rules whose matches may share words without one holding the other, because
    /// the first (earlier) finding says all the reader needs: “a hardcore user of heroin”.
    const OVERLAPS_INTENDED: &[(&str, &str)] = &[("hardcore-drug-user", "users-of-drugs")];

    /// A span yields one finding. The engine keeps the first of overlapping matches (see
    /// `lint_chunk`); so which rule speaks does not depend on where the match starts, two rules'
    /// matches over the measured sentences either nest (the longer one speaks) or do not touch.
    #[test]
    fn no_two_findings_share_words_in_any_example_or_corpus_sentence() {
        let engine = Engine::builtin();
        let rules = engine.matcher.rules();
        let mut problems = Vec::new();
        for sentence in measured_sentences() {
            let findings = engine.lint(&sentence, DocKind::PlainText).findings;
            for pair in findings.windows(2) {
                if pair[1].range.start < pair[0].range.end {
                    problems.push(format!(
                        "findings overlap: [{}] {:?} and [{}] {:?} in {sentence:?}",
                        pair[0].rule.id,
                        &sentence[pair[0].range.clone()],
                        pair[1].rule.id,
                        &sentence[pair[1].range.clone()],
                    ));
                }
            }
            let masked = prose::mask(&sentence, DocKind::PlainText);
            let mut raw = Vec::new();
            engine.matcher.find_each(
                &masked,
                |rule| engine.severities[rule] != Severity::Off,
                |m| raw.push((m.rule, m.range)),
            );
            for (i, (a, ra)) in raw.iter().enumerate() {
                for (b, rb) in &raw[i + 1..] {
                    let (a, b) = (&rules[*a].loaded.rule.id, &rules[*b].loaded.rule.id);
                    let crossing = rb.start > ra.start && rb.start < ra.end && rb.end > ra.end;
                    if crossing && !OVERLAPS_INTENDED.contains(&(a.as_str(), b.as_str())) {
                        problems.push(format!(
                            "matches cross: [{a}] {:?} and [{b}] {:?} in {sentence:?}",
                            &sentence[ra.clone()],
                            &sentence[rb.clone()],
                        ));
                    }
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn a_match_sharing_words_with_an_earlier_finding_is_not_a_second_finding() {
        let rules = crate::load::parse_rule_file(
            std::path::Path::new("pack.toml"),
            r#"
[[rule]]
id = "first-pair"
category = "blame"
severity = "warning"
phrases = ["alpha beta"]
message = "m"
why = "w"
reframes = ["x"]
sources = [{ title = "t", url = "https://example.org" }]
examples = { flag = ["alpha beta", "alpha beta."], pass = ["beta", "gamma"] }

[[rule]]
id = "second-pair"
category = "blame"
severity = "error"
phrases = ["beta gamma"]
message = "m"
why = "w"
reframes = ["y"]
sources = [{ title = "t", url = "https://example.org" }]
examples = { flag = ["beta gamma", "beta gamma."], pass = ["beta", "alpha"] }
"#,
        )
        .unwrap();
        let engine = crate::builder::EngineBuilder::new()
            .library(Library::None)
            .rules(rules)
            .build()
            .unwrap();
        let ids = |text: &str| -> Vec<String> {
            let report = engine.lint(text, DocKind::PlainText);
            report.findings.iter().map(|f| f.rule.id.clone()).collect()
        };
        assert_eq!(ids("alpha beta gamma"), ["first-pair"]);
        assert_eq!(
            ids("alpha beta, then beta gamma"),
            ["first-pair", "second-pair"]
        );
        assert_eq!(ids("beta gamma"), ["second-pair"]);
    }
}
