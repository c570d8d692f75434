//! The one place the Python API builds an engine, through the same settings as every front end.

use reframe::{Engine, EngineBuilder, LocatedError, Settings};
use std::path::PathBuf;

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
    let builder = EngineBuilder::new().rule_paths(rule_paths);
    match config {
        Some(ConfigSource::File(path)) => builder.config_file(&path)?.build(),
        Some(ConfigSource::Settings(settings)) => builder.settings(settings).build(),
        None => builder.build(),
    }
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
