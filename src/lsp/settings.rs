//! Editor settings: from `initializationOptions`, `workspace/configuration` (section
//! `reframe`) and `workspace/didChangeConfiguration`. The shared part is [`Settings`], layered
//! over the project's `.reframe.toml`; the rest only concerns the server.

use crate::config::{QuoteMode, Settings};
use crate::fix::FixScope;
use crate::rule::Severity;
use serde::Deserialize;
use std::collections::BTreeMap;

/// How many diagnostics one document shows when the user has not chosen. No editor can show a
/// million findings usefully, and each publish carries them all.
pub const DEFAULT_MAX_PROBLEMS: usize = 500;

/// The language ids checked when the user has not chosen.
pub const DEFAULT_LANGUAGES: &[&str] =
    &["markdown", "plaintext", "text", "gitcommit", "git-commit"];

/// Settings as editors send them (camelCase). Unknown keys are ignored: clients add their own
/// (e.g. `trace`).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EditorSettings {
    /// Master switch.
    pub enable: Option<bool>,
    /// Severity by category or rule id.
    pub severity: Option<BTreeMap<String, Severity>>,
    /// Rule ids to turn off.
    pub disable: Option<Vec<String>>,
    /// Phrases never flagged.
    pub allow: Option<Vec<String>>,
    /// Extra rule files or packs.
    pub rules: Option<Vec<String>>,
    /// Show the preferred reframe as an inlay hint.
    pub inlay_hints: Option<bool>,
    /// Language ids to check.
    pub languages: Option<Vec<String>>,
    /// Quotation handling.
    pub quotes: Option<QuoteMode>,
    /// Handling of other mentions (avoid lists, self-description).
    pub mentions: Option<QuoteMode>,
    /// Wait this long after a change before linting.
    pub debounce_ms: Option<u64>,
    /// Let fix-all (`source.fixAll.reframe`) apply suggestions too, not only safe reframes.
    pub unsafe_fixes: Option<bool>,
    /// The most diagnostics shown for one document; a notice says how many more there are.
    pub max_problems: Option<usize>,
}

impl EditorSettings {
    /// Parses a settings value; accepts `{ "reframe": { … } }` or the inner object, and `null`.
    pub fn from_json(value: &serde_json::Value) -> crate::error::Result<EditorSettings> {
        let inner = value.get("reframe").unwrap_or(value);
        // Some clients encode an empty table as `[]` (Neovim's Lua) or send `null`.
        if inner.is_null() || inner.as_array().is_some_and(Vec::is_empty) {
            return Ok(EditorSettings::default());
        }
        serde_json::from_value(inner.clone())
            .map_err(|e| crate::error::Error::Invalid(format!("invalid reframe settings: {e}")))
    }

    /// The part shared with `.reframe.toml`.
    pub fn shared(&self) -> Settings {
        Settings {
            disable: self.disable.clone(),
            allow: self.allow.clone(),
            rules: self.rules.clone(),
            quotes: self.quotes,
            mentions: self.mentions,
            severity: self.severity.clone(),
        }
    }

    /// Whether documents with this language id are checked.
    pub fn checks_language(&self, language_id: &str) -> bool {
        match &self.languages {
            Some(list) => list.iter().any(|l| l == language_id),
            None => DEFAULT_LANGUAGES.contains(&language_id),
        }
    }

    /// Whether linting is on.
    pub fn enabled(&self) -> bool {
        self.enable.unwrap_or(true)
    }

    /// Whether inlay hints are on.
    pub fn inlay_hints(&self) -> bool {
        self.inlay_hints.unwrap_or(true)
    }

    /// Which reframes fix-all applies: safe ones unless the user opted into suggestions.
    pub fn fix_scope(&self) -> FixScope {
        if self.unsafe_fixes.unwrap_or(false) {
            FixScope::WithSuggestions
        } else {
            FixScope::SafeOnly
        }
    }

    /// The most diagnostics shown for one document.
    pub fn max_problems(&self) -> usize {
        self.max_problems.unwrap_or(DEFAULT_MAX_PROBLEMS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn accepts_wrapped_and_inner_objects() {
        let a = EditorSettings::from_json(&json!({"reframe": {"inlayHints": false}})).unwrap();
        let b =
            EditorSettings::from_json(&json!({"inlayHints": false, "trace": {"server": "off"}}))
                .unwrap();
        assert_eq!(a, b);
        assert!(!a.inlay_hints());
        assert!(EditorSettings::from_json(&json!(null)).unwrap().enabled());
        assert_eq!(
            EditorSettings::from_json(&json!([])).unwrap(),
            EditorSettings::default()
        );
    }

    #[test]
    fn bad_values_are_errors() {
        assert!(EditorSettings::from_json(&json!({"severity": {"blame": "loud"}})).is_err());
    }

    #[test]
    fn default_languages() {
        let s = EditorSettings::default();
        assert!(s.checks_language("markdown") && s.checks_language("gitcommit"));
        assert!(!s.checks_language("rust"));
    }
}
