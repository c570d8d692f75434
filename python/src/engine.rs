//! The one place the Python API builds an engine, through the same settings as every front end.

use reframe::config::{ProjectConfig, Settings};
use reframe::engine::Engine;
use reframe::error::LocatedError;
use std::path::{Path, PathBuf};

/// Where a `Linter`'s settings come from.
pub enum ConfigSource {
    /// A `.reframe.toml` file; its `rules` paths are relative to it.
    File(PathBuf),
    /// The same keys given as a Python dict; `rules` paths are relative to the working folder.
    Settings(Settings),
}

/// The name that locates errors in settings given as a dict.
const DICT_CONFIG_NAME: &str = "config";

/// The built-in rules plus the packs in `rule_paths`, shaped by `config`: what `reframe check
/// --config FILE --rules PACK` builds.
pub fn build_engine(
    rule_paths: &[PathBuf],
    config: Option<ConfigSource>,
) -> Result<Engine, LocatedError> {
    let config = match config {
        Some(ConfigSource::File(path)) => ProjectConfig::read(&path)?,
        Some(ConfigSource::Settings(settings)) => ProjectConfig {
            path: PathBuf::from(DICT_CONFIG_NAME),
            source: serde_json::to_string(&settings).unwrap_or_default(),
            settings,
        },
        None => ProjectConfig {
            path: PathBuf::from(DICT_CONFIG_NAME),
            source: String::new(),
            settings: Settings::default(),
        },
    };
    let extra: Vec<&Path> = rule_paths.iter().map(PathBuf::as_path).collect();
    Engine::from_project(&config, &Settings::default(), &extra)
}

/// Reads settings given as JSON text (a dict serialised by Python), with the same keys and
/// checks as `.reframe.toml`.
pub fn settings_from_json(json: &str) -> Result<Settings, LocatedError> {
    serde_json::from_str(json).map_err(|e| LocatedError {
        path: PathBuf::from(DICT_CONFIG_NAME),
        line: 1,
        column: 1,
        message: e.to_string(),
    })
}
