//! The rule data model: what a `[[rule]]` table in a rule file holds.
//!
//! These types are the contract with rule authors and with tools that write rule files, so field
//! names are stable. Validation that serde cannot express (kebab-case ids, at least one source,
//! enough examples) lives in [`Rule::validate`].

use crate::error::DataError;
#[cfg(feature = "front-ends")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The eight families of wording the library covers. Every rule belongs to exactly one, and
/// configuration can set a whole family's severity at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "front-ends", derive(JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Resistance, blame and compliance framing.
    Blame,
    /// Credibility and doubt markers.
    Doubt,
    /// A person reduced to a diagnosis or status.
    Identity,
    /// Substance use.
    Substance,
    /// Suicide and self-harm.
    Suicide,
    /// Pity and victim framing.
    Pity,
    /// Casual ableism and slurs.
    Casual,
    /// Hope-removing or absolute framing.
    Hope,
}

impl Category {
    /// Every category, in the order documentation and reports list them.
    pub const ALL: [Category; 8] = [
        Category::Blame,
        Category::Doubt,
        Category::Identity,
        Category::Substance,
        Category::Suicide,
        Category::Pity,
        Category::Casual,
        Category::Hope,
    ];

    /// The lowercase name used in rule files, configuration and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Blame => "blame",
            Category::Doubt => "doubt",
            Category::Identity => "identity",
            Category::Substance => "substance",
            Category::Suicide => "suicide",
            Category::Pity => "pity",
            Category::Casual => "casual",
            Category::Hope => "hope",
        }
    }

    /// A short title for headings, chart axes and the workshop page's panel.
    pub fn label(self) -> &'static str {
        match self {
            Category::Blame => "Blame and compliance",
            Category::Doubt => "Doubt",
            Category::Identity => "Identity",
            Category::Substance => "Substance use",
            Category::Suicide => "Suicide and self-harm",
            Category::Pity => "Pity",
            Category::Casual => "Casual ableism",
            Category::Hope => "Hope",
        }
    }

    /// A short human description, for documentation and reports.
    pub fn describe(self) -> &'static str {
        match self {
            Category::Blame => "resistance, blame and compliance framing",
            Category::Doubt => "credibility and doubt markers",
            Category::Identity => "a person reduced to a diagnosis or status",
            Category::Substance => "substance use",
            Category::Suicide => "suicide and self-harm",
            Category::Pity => "pity and victim framing",
            Category::Casual => "casual ableism and slurs",
            Category::Hope => "hope-removing or absolute framing",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Category {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| format!("unknown category `{s}` (expected one of blame, doubt, identity, substance, suicide, pity, casual, hope)"))
    }
}

/// How loudly a finding is reported. Ordered from quietest (`Off`) to loudest (`Error`), so
/// `--fail-on` and quotation capping are plain comparisons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "front-ends", derive(JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Not reported at all.
    Off,
    /// A quiet suggestion; most editors show it only as a faint mark.
    Hint,
    /// Worth knowing.
    Info,
    /// Worth changing.
    Warning,
    /// Should not ship.
    Error,
}

impl Severity {
    /// The lowercase name used in rule files, configuration and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Off => "off",
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "off" => Ok(Severity::Off),
            "hint" => Ok(Severity::Hint),
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            _ => Err(format!(
                "unknown severity `{s}` (expected one of error, warning, info, hint, off)"
            )),
        }
    }
}

/// Whether a rule's preferred reframe may be applied without the writer looking, as ruff
/// separates safe fixes from unsafe ones.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "front-ends", derive(JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum FixSafety {
    /// A suggestion: the reframe may change what the sentence says, so the writer decides.
    #[default]
    Suggestion,
    /// Safe: the preferred reframe says the same thing in other words and fits every sentence
    /// the rule flags, so `reframe fix` applies it.
    Safe,
}

impl FixSafety {
    /// The lowercase name used in rule files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            FixSafety::Suggestion => "suggestion",
            FixSafety::Safe => "safe",
        }
    }

    fn is_suggestion(&self) -> bool {
        *self == FixSafety::Suggestion
    }
}

/// A published source that backs a rule. Every rule cites at least one, so a writer can check
/// the reasoning rather than take the tool's word for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "front-ends", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Title of the guidance, paper or style guide.
    pub title: String,
    /// Where to read it.
    pub url: String,
}

/// Sentences that pin a rule's behaviour down: each `flag` sentence must produce the rule and
/// each `pass` sentence must not. `reframe rules test` runs them all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "front-ends", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// Sentences the rule must flag.
    #[serde(default)]
    pub flag: Vec<String>,
    /// Sentences the rule must leave alone: the realistic traps.
    #[serde(default)]
    pub pass: Vec<String>,
}

/// One phrase rule, exactly as written in a rule file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "front-ends", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Kebab-case identifier, unique across every loaded rule.
    pub id: String,
    /// The family of wording this rule belongs to.
    pub category: Category,
    /// Default severity; configuration can change it.
    pub severity: Severity,
    /// Phrase patterns in the pattern language (see docs/rule-format.md).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phrases: Vec<String>,
    /// Escape hatch: a regular expression, for the rare case phrases cannot express.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    /// Literal words one of which every `regex` match contains; they drive the fast first pass.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anchors: Vec<String>,
    /// Match case exactly instead of ignoring it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub case_sensitive: bool,
    /// The word is also a surname or a title (“Jason Nutter”, Hitchcock's “Psycho”): a
    /// capitalised match inside a sentence that reads as a name is no finding.
    #[serde(default, skip_serializing_if = "is_false")]
    pub also_a_name: bool,
    /// Patterns that must not end right before the match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_before: Vec<String>,
    /// Patterns that must not start right after the match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_after: Vec<String>,
    /// At least one of these patterns must end right before the match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires_before: Vec<String>,
    /// At least one of these patterns must start right after the match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires_after: Vec<String>,
    /// At least one of these patterns must occur in the same sentence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires_nearby: Vec<String>,
    /// The rule is silent when any of these patterns occurs in the same sentence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unless_nearby: Vec<String>,
    /// One line naming the issue, without shaming the writer.
    pub message: String,
    /// Why the wording can hurt.
    pub why: String,
    /// Replacement templates for the matched text; the first is preferred.
    #[serde(default)]
    pub reframes: Vec<String>,
    /// `safe` when the preferred reframe keeps the meaning in every sentence the rule flags, so
    /// `reframe fix` may apply it unasked; otherwise every reframe is a suggestion.
    #[serde(default, skip_serializing_if = "FixSafety::is_suggestion")]
    pub fix: FixSafety,
    /// Published guidance behind the rule.
    pub sources: Vec<Source>,
    /// Sentences that must and must not produce the rule.
    #[serde(default)]
    pub examples: Examples,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Rule {
    /// Checks what the type system cannot: id shape, required content and example counts.
    ///
    /// Returns a message without location; the loader adds `file:line`.
    pub fn validate(&self) -> Result<(), DataError> {
        if !is_kebab_case(&self.id) {
            return Err(format!(
                "rule id `{}` must be kebab-case (lowercase letters, digits and single hyphens)",
                self.id
            )
            .into());
        }
        if self.id.parse::<Category>().is_ok() {
            return Err(format!(
                "rule id `{}` is a category name; choose another id",
                self.id
            )
            .into());
        }
        match (self.phrases.is_empty(), &self.regex) {
            (true, None) => {
                return Err(format!("rule `{}` needs `phrases` or `regex`", self.id).into())
            }
            (false, Some(_)) => {
                return Err(
                    format!("rule `{}` has both `phrases` and `regex`; use one", self.id).into(),
                )
            }
            (true, Some(_)) if self.anchors.is_empty() => {
                return Err(format!(
                "rule `{}` uses `regex` and needs `anchors`: literal words every match contains",
                self.id
            )
                .into())
            }
            _ => {}
        }
        if self.message.trim().is_empty() || self.message.contains('\n') {
            return Err(format!("rule `{}` needs a one-line `message`", self.id).into());
        }
        if self.why.trim().is_empty() {
            return Err(format!("rule `{}` needs a `why` paragraph", self.id).into());
        }
        if self.sources.is_empty() {
            return Err(format!("rule `{}` needs at least one entry in `sources`", self.id).into());
        }
        if let Some(bad) = self
            .sources
            .iter()
            .find(|s| !(s.url.starts_with("https://") || s.url.starts_with("http://")))
        {
            return Err(format!(
                "rule `{}`: source URL `{}` must start with http:// or https://",
                self.id, bad.url
            )
            .into());
        }
        if self.fix == FixSafety::Safe && self.reframes.is_empty() {
            return Err(format!(
                "rule `{}` has `fix = \"safe\"` but no reframes to apply",
                self.id
            )
            .into());
        }
        if self.examples.flag.is_empty() {
            return Err(format!(
                "rule `{}` needs at least one `examples.flag` sentence",
                self.id
            )
            .into());
        }
        Ok(())
    }

    /// The safety of reframe number `index`: only the preferred one (index 0) can be safe; the
    /// others are alternatives for the writer to choose between.
    pub fn reframe_safety(&self, index: usize) -> FixSafety {
        if index == 0 {
            self.fix
        } else {
            FixSafety::Suggestion
        }
    }
}

/// True for ids like `non-compliant` or `committed-suicide-2`.
pub fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The shape of a rule file, for the JSON Schema.
#[cfg(feature = "front-ends")]
#[derive(JsonSchema)]
#[allow(dead_code)]
struct RuleFile {
    /// The rules in this file.
    rule: Vec<Rule>,
}

/// The JSON Schema of a rule file, generated from these types so it cannot drift.
#[cfg(feature = "front-ends")]
pub fn rule_file_schema() -> schemars::Schema {
    schemars::schema_for!(RuleFile)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kebab_case_ids() {
        assert!(is_kebab_case("non-compliant"));
        assert!(is_kebab_case("rule2"));
        assert!(!is_kebab_case("Non-compliant"));
        assert!(!is_kebab_case("non_compliant"));
        assert!(!is_kebab_case("-x"));
        assert!(!is_kebab_case("a--b"));
        assert!(!is_kebab_case(""));
    }

    #[test]
    fn severity_orders_from_off_to_error() {
        assert!(Severity::Off < Severity::Hint);
        assert!(Severity::Hint < Severity::Info);
        assert!(Severity::Info < Severity::Warning);
        assert!(Severity::Warning < Severity::Error);
        assert_eq!("warning".parse::<Severity>(), Ok(Severity::Warning));
        assert!("loud".parse::<Severity>().is_err());
    }
}
