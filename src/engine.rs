//! The engine: rules + settings in, findings out. Every front end (CLI, language server,
//! `reframe serve`, `reframe report`) calls [`Engine::lint`]; none has lint logic of its own.

use crate::chunk;
use crate::config::{ProjectConfig, QuoteMode, Settings};
use crate::error::LocatedError;
use crate::load::{builtin_rules, read_rule_path, LoadedRule};
use crate::matcher::{CompiledRule, Matcher};
use crate::pattern;
use crate::prose::{self, DocKind, BLOCK_BREAK};
use crate::rule::{Category, Rule, Severity};
use crate::suppress::{self, Suppressions};
use regex::Regex;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
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
    /// Reframes rendered for this match; the first is preferred.
    pub reframes: Vec<String>,
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
}

/// Per-document memo of chunk results for [`Engine::lint_cached`]. It holds only the chunks
/// seen in the last lint, so its size follows the document's.
#[derive(Default)]
pub struct LintCache {
    engine_id: u64,
    chunks: HashMap<u64, Arc<[Finding]>>,
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
}

fn builtin_compiled() -> &'static Vec<Arc<CompiledRule>> {
    static BUILTIN: OnceLock<Vec<Arc<CompiledRule>>> = OnceLock::new();
    BUILTIN.get_or_init(|| {
        builtin_rules()
            .into_iter()
            .map(|loaded| {
                let id = loaded.rule.id.clone();
                Arc::new(
                    CompiledRule::new(loaded, false)
                        .unwrap_or_else(|e| panic!("built-in rule `{id}` does not compile: {e}")),
                )
            })
            .collect()
    })
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

/// Compiles user rule files, checking every regex now so errors carry their location.
pub fn compile_user_rules(rules: Vec<LoadedRule>) -> Result<Vec<Arc<CompiledRule>>, LocatedError> {
    rules
        .into_iter()
        .map(|loaded| {
            let origin = loaded.origin.clone();
            let id = loaded.rule.id.clone();
            CompiledRule::new(loaded, true)
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
    /// The built-in library with default settings.
    pub fn builtin() -> Engine {
        Engine::with_matcher(builtin_matcher(), &Settings::default())
            .expect("default settings are valid")
    }

    /// The id of the rule that was matching when a lint on this thread panicked.
    pub fn rule_in_progress(&self) -> Option<&str> {
        self.matcher.rule_in_progress()
    }

    /// Built-in rules plus `extra` (rule packs), shaped by `settings`.
    ///
    /// Unknown rule ids or categories in `settings` are errors; `locate` turns a key into a
    /// located error (for `.reframe.toml` it finds the key's line).
    pub fn new(
        extra: Vec<Arc<CompiledRule>>,
        settings: &Settings,
        locate: &dyn Fn(&str, String) -> LocatedError,
    ) -> Result<Engine, LocatedError> {
        let matcher = if extra.is_empty() {
            builtin_matcher()
        } else {
            let mut all = builtin_compiled().clone();
            all.extend(extra);
            let matcher = Matcher::new(all).map_err(|message| {
                let id = message.split('`').nth(1).unwrap_or_default().to_string();
                locate(&id, message)
            })?;
            Arc::new(matcher)
        };
        Engine::with_matcher(matcher, settings).map_err(|(key, message)| locate(&key, message))
    }

    /// An engine over exactly these rules (no built-ins), each switched on even if it ships
    /// `off`: `reframe rules test` checks each rule's examples with only that rule loaded, so
    /// its guards must do the work.
    pub fn isolated(rules: Vec<Arc<CompiledRule>>, quotes: QuoteMode) -> Result<Engine, String> {
        let matcher = Arc::new(Matcher::new(rules)?);
        let settings = Settings {
            quotes: Some(quotes),
            ..Settings::default()
        };
        let mut engine = Engine::with_matcher(matcher, &settings).map_err(|(_, m)| m)?;
        for severity in &mut engine.severities {
            *severity = (*severity).max(Severity::Hint);
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
        })
    }

    /// Built-in rules and a project's `.reframe.toml` (rule paths relative to it).
    pub fn from_project(
        config: &ProjectConfig,
        over: &Settings,
        extra_rule_paths: &[&Path],
    ) -> Result<Engine, LocatedError> {
        let settings = config.settings.layered(over);
        let mut loaded = Vec::new();
        for path in config.settings.rules.iter().flatten() {
            let resolved = config.base_dir().join(path);
            loaded.extend(read_rule_path(&resolved).map_err(|e| {
                if e.path == resolved && e.line == 1 && e.message.starts_with("cannot") {
                    config.error_at(path, e.message)
                } else {
                    e
                }
            })?);
        }
        for path in over.rules.iter().flatten() {
            loaded.extend(read_rule_path(Path::new(path))?);
        }
        for path in extra_rule_paths {
            loaded.extend(read_rule_path(path)?);
        }
        let extra = compile_user_rules(loaded)?;
        let mut settings = settings;
        settings.rules = None;
        Engine::new(extra, &settings, &|key, message| {
            config.error_at(key, message)
        })
    }

    /// Every rule this engine knows, in load order.
    pub fn rules(&self) -> impl Iterator<Item = &Arc<Rule>> {
        self.matcher.rules().iter().map(|r| &r.loaded.rule)
    }

    /// Every rule with its origin.
    pub fn loaded_rules(&self) -> impl Iterator<Item = &LoadedRule> {
        self.matcher.rules().iter().map(|r| &r.loaded)
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
        self.lint_cached(text, kind, &mut LintCache::default())
    }

    /// Lints a document, reusing `cache`'s results for chunks (blank-line separated blocks)
    /// whose text has not changed. The result is the same as [`Engine::lint`]; the language
    /// server keeps one cache per open document so a keystroke re-lints one paragraph.
    pub fn lint_cached(&self, text: &str, kind: DocKind, cache: &mut LintCache) -> Report {
        if cache.engine_id != self.id {
            *cache = LintCache {
                engine_id: self.id,
                ..LintCache::default()
            };
        }
        let mut fresh: HashMap<u64, Arc<[Finding]>> = HashMap::new();
        let mut findings = Vec::new();
        for range in chunk::chunks(text, kind == DocKind::Markdown) {
            let piece = &text[range.clone()];
            let key = hash_text(piece);
            let chunk_findings = match fresh
                .get(&key)
                .cloned()
                .or_else(|| cache.chunks.remove(&key))
            {
                Some(found) => found,
                None => self.lint_chunk(piece, kind).into(),
            };
            findings.extend(chunk_findings.iter().map(|f| Finding {
                range: f.range.start + range.start..f.range.end + range.start,
                ..f.clone()
            }));
            fresh.insert(key, chunk_findings);
        }
        cache.chunks = fresh;
        self.apply_suppressions(text, kind, findings)
    }

    /// Matches, severities, allow list and quotation handling for one chunk.
    fn lint_chunk(&self, text: &str, kind: DocKind) -> Vec<Finding> {
        let masked = prose::mask(text, kind);
        let mut findings: Vec<Finding> = Vec::new();
        let mut covered_until = 0usize;
        for raw in self.matcher.find(&masked) {
            let mut severity = self.severities[raw.rule];
            if severity == Severity::Off || self.allowed(&masked, &raw.range) {
                continue;
            }
            let quoted = in_quotes(&masked, raw.range.start);
            if quoted {
                match self.quotes {
                    QuoteMode::Ignore => continue,
                    QuoteMode::Hint => severity = severity.min(Severity::Hint),
                    QuoteMode::Flag => {}
                }
            }
            // A match inside a longer one (e.g. "resistant" inside "treatment-resistant") is
            // the longer rule's business. Matches arrive sorted by start, longest first.
            if raw.range.end <= covered_until && !findings.is_empty() {
                continue;
            }
            covered_until = covered_until.max(raw.range.end);
            findings.push(Finding {
                rule: self.matcher.rules()[raw.rule].loaded.rule.clone(),
                range: raw.range,
                severity,
                reframes: raw.reframes,
                quoted,
            });
        }
        findings
    }

    /// Suppression comments work across chunks, so they are applied to the whole document.
    fn apply_suppressions(&self, text: &str, kind: DocKind, mut findings: Vec<Finding>) -> Report {
        let directives = suppress::parse(text, kind);
        if directives.is_empty() {
            return Report {
                findings,
                notices: Vec::new(),
            };
        }
        let suppressions = Suppressions::new(text, &directives);
        findings.retain(|f| !suppressions.suppresses(&f.rule.id, f.range.start));
        let notices = directives
            .iter()
            .flat_map(|d| &d.ids)
            .filter(|(id, _)| self.matcher.index_of(id).is_none())
            .map(|(id, range)| Notice {
                range: range.clone(),
                message: format!("unknown rule id `{id}` in a reframe suppression comment"),
            })
            .collect();
        Report { findings, notices }
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

/// Start of the block containing `offset`, looking back at most `limit` bytes.
fn block_start(masked: &str, offset: usize, limit: usize) -> usize {
    let mut lo = offset.saturating_sub(limit);
    while !masked.is_char_boundary(lo) {
        lo += 1;
    }
    masked[lo..offset]
        .rfind(BLOCK_BREAK)
        .map_or(lo, |i| lo + i + 1)
}

/// True when `offset` is inside "…" or “…” within its block: an odd number of straight quotes
/// before it, or an opening curly quote not yet closed.
fn in_quotes(masked: &str, offset: usize) -> bool {
    let before = &masked[block_start(masked, offset, 4000)..offset];
    let straight = before.matches('"').count();
    let open = before.rfind('“');
    let close = before.rfind('”');
    straight % 2 == 1 || matches!((open, close), (Some(o), c) if c.is_none_or(|c| c < o))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_detected_per_block() {
        assert!(in_quotes("she said \"I am x", 15));
        assert!(!in_quotes("she said \"a\" then x", 18));
        assert!(in_quotes("“I am x", 8));
        assert!(!in_quotes("“a” x", 8));
        assert!(!in_quotes("\"a\u{1e}x", 3));
    }
}
