//! The one way every front end builds an [`Engine`]: the built-in library, a project's
//! `.reframe.toml` if there is one, settings layered over it (an editor's, an API caller's), and
//! rule packs. The CLI, the language server, the workshop page, the rule tests and the bindings
//! all go through here, so a setting means the same everywhere.

use crate::config::{self, ProjectConfig, Settings};
use crate::engine::{compile_user_rules, Engine, Library};
use crate::error::LocatedError;
use crate::load::{read_rule_path, LoadedRule};
use std::path::{Path, PathBuf};

/// What an engine is built from. Cheap to clone; [`EngineBuilder::build`] does the work.
///
/// ```
/// use reframe::{DocKind, EngineBuilder, Settings};
///
/// let settings = Settings { disable: Some(vec!["resistant".into()]), ..Settings::default() };
/// let engine = EngineBuilder::new().settings(settings).build()?;
/// let report = engine.lint("The client was non-compliant.", DocKind::PlainText);
/// assert_eq!(report.findings[0].rule.id, "non-compliant");
/// # Ok::<(), reframe::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct EngineBuilder {
    library: Library,
    project: Option<ProjectConfig>,
    settings: Settings,
    rule_paths: Vec<PathBuf>,
    rules: Vec<LoadedRule>,
}

impl EngineBuilder {
    /// The built-in library at default settings.
    pub fn new() -> EngineBuilder {
        EngineBuilder::default()
    }

    /// Which built-in rules to start from (the shared built-in library by default).
    pub fn library(mut self, library: Library) -> EngineBuilder {
        self.library = library;
        self
    }

    /// A project's parsed `.reframe.toml`; its rule paths are relative to it.
    pub fn project(mut self, project: ProjectConfig) -> EngineBuilder {
        self.project = Some(project);
        self
    }

    /// Reads the config file at `path` as the project's.
    pub fn config_file(self, path: &Path) -> Result<EngineBuilder, LocatedError> {
        Ok(self.project(ProjectConfig::read(path)?))
    }

    /// The nearest `.reframe.toml` at or above `start` (a file or folder), if there is one.
    pub fn discover_config(self, start: &Path) -> Result<EngineBuilder, LocatedError> {
        match config::discover(start) {
            Some(path) => self.config_file(&path),
            None => Ok(self),
        }
    }

    /// Settings over the project's: lists are combined, values win. Rule paths in them are
    /// read as given (make them absolute first if they are relative to something else).
    pub fn settings(mut self, settings: Settings) -> EngineBuilder {
        self.settings = settings;
        self
    }

    /// Rule packs: rule files, or folders of them.
    pub fn rule_paths<P: Into<PathBuf>>(mut self, paths: impl IntoIterator<Item = P>) -> Self {
        self.rule_paths.extend(paths.into_iter().map(Into::into));
        self
    }

    /// Rules already read (what `reframe rules test` checks one at a time).
    pub fn rules(mut self, rules: impl IntoIterator<Item = LoadedRule>) -> EngineBuilder {
        self.rules.extend(rules);
        self
    }

    /// The project config this builder reads, if any.
    pub fn project_config(&self) -> Option<&ProjectConfig> {
        self.project.as_ref()
    }

    /// Reads the packs, compiles them (checking every pattern now, so errors carry the pack's
    /// file and line), and applies the settings. Every error is located in a file. Unknown rule ids or categories in the settings
    /// are errors at their line in `.reframe.toml`.
    pub fn build(&self) -> Result<Engine, LocatedError> {
        let mut loaded = Vec::new();
        if let Some(project) = &self.project {
            for path in project.settings.rules.iter().flatten() {
                let resolved = project.base_dir().join(path);
                loaded.extend(read_rule_path(&resolved).map_err(|e| {
                    // A pack that cannot be read is reported where the config names it.
                    if e.path == resolved && e.line == 1 && e.message.starts_with("cannot") {
                        project.error_at(path, e.message)
                    } else {
                        e
                    }
                })?);
            }
        }
        for path in self.settings.rules.iter().flatten() {
            loaded.extend(read_rule_path(Path::new(path))?);
        }
        for path in &self.rule_paths {
            loaded.extend(read_rule_path(path)?);
        }
        loaded.extend(self.rules.iter().cloned());
        let compiled = compile_user_rules(loaded)?;
        let mut settings = match &self.project {
            Some(project) => project.settings.layered(&self.settings),
            None => self.settings.clone(),
        };
        settings.rules = None;
        let locate = |key: &str, message: String| match &self.project {
            Some(project) => project.error_at(key, message),
            None => LocatedError::whole_file(Path::new("settings"), message),
        };
        Engine::from_parts(self.library, compiled, &settings, &locate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prose::DocKind;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    const PACK: &str = r#"[[rule]]
id = "team-word"
category = "blame"
severity = "warning"
phrases = ["frobnicated"]
message = "m"
why = "w"
reframes = ["changed"]
sources = [{ title = "t", url = "https://example.org" }]
[rule.examples]
flag = ["It frobnicated.", "Frobnicated again."]
pass = ["Nothing here.", "Still nothing."]
"#;

    #[test]
    fn project_packs_and_settings_layer() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "pack.toml", PACK);
        let config = write(
            dir.path(),
            ".reframe.toml",
            "rules = [\"pack.toml\"]\n[severity]\nteam-word = \"hint\"\n",
        );
        let over = Settings {
            disable: Some(vec!["non-compliant".into()]),
            ..Settings::default()
        };
        let engine = EngineBuilder::new()
            .config_file(&config)
            .unwrap()
            .settings(over)
            .build()
            .unwrap();
        let report = engine.lint("He frobnicated; non-compliant.", DocKind::PlainText);
        let ids: Vec<_> = report.findings.iter().map(|f| f.rule.id.as_str()).collect();
        assert_eq!(ids, ["team-word"]);
        assert_eq!(report.findings[0].severity, crate::rule::Severity::Hint);
    }

    #[test]
    fn a_pack_reusing_a_builtin_id_is_an_error_at_the_pack() {
        let dir = tempfile::tempdir().unwrap();
        let pack = write(
            dir.path(),
            "pack.toml",
            &format!("# a pack\n\n{}", PACK.replace("team-word", "non-compliant")),
        );
        let error = EngineBuilder::new()
            .rule_paths([&pack])
            .build()
            .unwrap_err()
            .to_string();
        let expected_start = format!(
            "{}:3:1: rule id `non-compliant` is already taken",
            pack.display()
        );
        assert!(error.starts_with(&expected_start), "{error}");
    }

    #[test]
    fn unknown_rule_in_config_is_located_at_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let config = write(
            dir.path(),
            ".reframe.toml",
            "allow = []\ndisable = [\"no-such-rule\"]\n",
        );
        let error = EngineBuilder::new()
            .config_file(&config)
            .unwrap()
            .build()
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with(&format!("{}:2:", config.display())),
            "{error}"
        );
        assert!(error.contains("no-such-rule"), "{error}");
    }

    #[test]
    fn a_rule_tested_alone_is_on_even_if_it_ships_off() {
        let off = PACK.replace("severity = \"warning\"", "severity = \"off\"");
        let rules = crate::load::parse_rule_file(Path::new("p.toml"), &off).unwrap();
        let engine = EngineBuilder::new()
            .library(Library::None)
            .rules(rules)
            .build()
            .unwrap();
        assert_eq!(engine.rules().count(), 1);
        let report = engine.lint("It frobnicated.", DocKind::PlainText);
        assert_eq!(report.findings.len(), 1);
    }
}
