//! Project configuration (`.reframe.toml`) and editor settings, and how they layer.
//!
//! The project file is the team's shared base; editor settings adjust it for one user. Both have
//! the same shape, [`Settings`], so one merge rule serves the CLI, the language server and
//! `reframe serve`.

use crate::error::LocatedError;
use crate::rule::Severity;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file name searched for, walking up from each checked file.
pub const CONFIG_FILE_NAME: &str = ".reframe.toml";

/// What to do with a match inside quotation marks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteMode {
    /// Report it at `hint` at most: the writer may be quoting someone.
    #[default]
    Hint,
    /// Do not report it.
    Ignore,
    /// Report it like any other match.
    Flag,
}

/// Settings shared by `.reframe.toml` and editors. Every field is optional so layers can be
/// merged; see [`Settings::layered`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Rule ids to turn off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable: Option<Vec<String>>,
    /// Phrases, in plain words, that are never flagged (e.g. "treatment-resistant").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow: Option<Vec<String>>,
    /// Extra rule files or folders (rule packs), relative to the file that names them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<Vec<String>>,
    /// Quotation handling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quotes: Option<QuoteMode>,
    /// Severity by category name or rule id (`off` turns it off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<BTreeMap<String, Severity>>,
}

impl Settings {
    /// `self` adjusted by `over`: lists are combined, severities and quote handling in `over`
    /// win. Used for editor settings over the project file.
    pub fn layered(&self, over: &Settings) -> Settings {
        fn union(a: &Option<Vec<String>>, b: &Option<Vec<String>>) -> Option<Vec<String>> {
            match (a, b) {
                (None, None) => None,
                _ => {
                    let mut all: Vec<String> = a.iter().chain(b).flatten().cloned().collect();
                    let mut seen = std::collections::HashSet::new();
                    all.retain(|x| seen.insert(x.clone()));
                    Some(all)
                }
            }
        }
        let severity = match (&self.severity, &over.severity) {
            (None, None) => None,
            (a, b) => {
                let mut merged = a.clone().unwrap_or_default();
                merged.extend(b.clone().unwrap_or_default());
                Some(merged)
            }
        };
        Settings {
            disable: union(&self.disable, &over.disable),
            allow: union(&self.allow, &over.allow),
            rules: union(&self.rules, &over.rules),
            quotes: over.quotes.or(self.quotes),
            severity,
        }
    }
}

/// A `.reframe.toml`, parsed, with where it lives (rule paths are relative to it).
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectConfig {
    /// The file.
    pub path: PathBuf,
    /// Its text, kept to locate later errors (unknown rule ids) at their line.
    pub source: String,
    /// Its settings.
    pub settings: Settings,
}

/// Largest config file read; a bigger one is almost certainly not a config file.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

impl ProjectConfig {
    /// Reads and parses a config file. Errors are `path:line:column: what is wrong`.
    pub fn read(path: &Path) -> Result<ProjectConfig, LocatedError> {
        use std::io::Read;
        let file = std::fs::File::open(path)
            .map_err(|e| LocatedError::whole_file(path, format!("cannot read config: {e}")))?;
        let mut bytes = Vec::new();
        file.take(MAX_CONFIG_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| LocatedError::whole_file(path, format!("cannot read config: {e}")))?;
        if bytes.len() as u64 > MAX_CONFIG_BYTES {
            return Err(LocatedError::whole_file(
                path,
                "config file is larger than 1 MiB",
            ));
        }
        let source = String::from_utf8(bytes)
            .map_err(|_| LocatedError::whole_file(path, "config file is not valid UTF-8"))?;
        ProjectConfig::parse(path, source)
    }

    /// Parses config text; `path` locates errors and relative rule paths.
    pub fn parse(path: &Path, source: String) -> Result<ProjectConfig, LocatedError> {
        let settings: Settings =
            toml::from_str(&source).map_err(|e| LocatedError::from_toml(path, &source, &e))?;
        Ok(ProjectConfig {
            path: path.to_path_buf(),
            source,
            settings,
        })
    }

    /// The folder that relative rule paths start from.
    pub fn base_dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// Locates `needle` (a key or value written in the file) for an error message.
    pub fn error_at(&self, needle: &str, message: impl Into<String>) -> LocatedError {
        let offset = self.source.find(needle).unwrap_or(0);
        LocatedError::at_offset(&self.path, &self.source, offset, message)
    }
}

/// Walks up from `start` (a file or folder) to find the nearest `.reframe.toml`.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(start).ok()?;
    let mut dir = if absolute.is_dir() {
        absolute.as_path()
    } else {
        absolute.parent()?
    };
    loop {
        let candidate = dir.join(CONFIG_FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = dir.parent()?;
    }
}

/// The commented starter written by `reframe init`.
pub const STARTER_CONFIG: &str = r#"# Reframe project configuration. Editor settings can adjust it for one user.
# Every rule is described in docs/rules.md; `reframe explain RULE-ID` prints one.

# Rule ids to turn off for this project.
disable = []

# Phrases, in plain words, that are never flagged here. For example a research team
# that uses "treatment-resistant" as a defined term:
# allow = ["treatment-resistant"]
allow = []

# Extra rule files or folders (rule packs) your team writes, relative to this file.
# A pack is a TOML file of [[rule]] tables: `reframe rules schema` prints its format and
# `reframe rules test PACK` checks its examples. For example, with a file team-rules.toml
# beside this one:
# rules = ["team-rules.toml"]
rules = []

# Matches inside quotation marks: "hint" (at most a hint), "ignore", or "flag".
quotes = "hint"

# Severity by category (blame, doubt, identity, substance, suicide, pity, casual, hope)
# or by rule id: error, warning, info, hint or off.
[severity]
# casual = "hint"
# non-compliant = "error"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_an_error_with_line() {
        let err = ProjectConfig::parse(
            Path::new(".reframe.toml"),
            "allow = []\nalow = [\"x\"]\n".into(),
        )
        .unwrap_err();
        assert_eq!(err.line, 2, "{err}");
        assert!(err.message.contains("alow"), "{err}");
    }

    #[test]
    fn bad_severity_value_is_an_error_with_line() {
        let err = ProjectConfig::parse(
            Path::new(".reframe.toml"),
            "[severity]\nblame = \"loud\"\n".into(),
        )
        .unwrap_err();
        assert_eq!(err.line, 2, "{err}");
    }

    #[test]
    fn starter_config_parses() {
        let config = ProjectConfig::parse(Path::new("x"), STARTER_CONFIG.into()).unwrap();
        assert_eq!(config.settings.quotes, Some(QuoteMode::Hint));
    }

    #[test]
    fn layering_unions_lists_and_overrides_values() {
        let base = Settings {
            allow: Some(vec!["a".into()]),
            quotes: Some(QuoteMode::Hint),
            severity: Some([("blame".to_string(), Severity::Hint)].into()),
            ..Settings::default()
        };
        let over = Settings {
            allow: Some(vec!["b".into(), "a".into()]),
            quotes: Some(QuoteMode::Flag),
            severity: Some([("blame".to_string(), Severity::Error)].into()),
            ..Settings::default()
        };
        let merged = base.layered(&over);
        assert_eq!(merged.allow, Some(vec!["a".to_string(), "b".to_string()]));
        assert_eq!(merged.quotes, Some(QuoteMode::Flag));
        assert_eq!(merged.severity.unwrap()["blame"], Severity::Error);
    }
}
