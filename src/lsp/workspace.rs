//! Which engine serves which document: one per `.reframe.toml` (found by walking up from the
//! document), layered with the editor's settings. A broken config keeps its last good engine.

use super::settings::EditorSettings;
use crate::builder::EngineBuilder;
use crate::config;
use crate::engine::Engine;
use crate::error::LocatedError;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Engines by config file (`None`: no config file applies).
#[derive(Default)]
pub struct WorkspaceEngines {
    editor: EditorSettings,
    /// Folder that relative paths in editor settings start from.
    root: Option<PathBuf>,
    built: HashMap<Option<PathBuf>, Arc<Engine>>,
    /// Current problems, by config key, so they can be shown and cleared.
    pub errors: HashMap<Option<PathBuf>, LocatedError>,
}

impl WorkspaceEngines {
    /// Replaces editor settings and forgets built engines (they are rebuilt on demand).
    pub fn configure(&mut self, editor: EditorSettings, root: Option<PathBuf>) {
        self.editor = editor;
        self.root = root;
        self.reload();
    }

    /// Rebuilds every engine on next use (config or rule files changed), keeping the old ones
    /// as the fallback when a rebuild fails.
    pub fn reload(&mut self) {
        let keys: Vec<_> = self.built.keys().cloned().collect();
        for key in keys {
            self.build(key);
        }
    }

    /// The current editor settings.
    pub fn editor(&self) -> &EditorSettings {
        &self.editor
    }

    /// The engine for a document at `path` (or an unsaved one).
    pub fn engine_for(&mut self, path: Option<&Path>) -> Arc<Engine> {
        let key = path.and_then(config::discover);
        if let Some(engine) = self.built.get(&key) {
            return engine.clone();
        }
        self.build(key.clone());
        self.built[&key].clone()
    }

    fn build(&mut self, key: Option<PathBuf>) {
        match self.try_build(key.as_deref()) {
            Ok(engine) => {
                self.errors.remove(&key);
                self.built.insert(key, Arc::new(engine));
            }
            Err(error) => {
                self.errors.insert(key.clone(), error);
                // A config that was broken from the start: the editor settings alone are the
                // last good configuration for its documents.
                let fallback = (!self.built.contains_key(&key)).then(|| {
                    key.as_ref()
                        .and_then(|_| self.try_build(None).ok())
                        .map_or_else(|| Arc::new(Engine::builtin()), Arc::new)
                });
                if let Some(fallback) = fallback {
                    self.built.entry(key).or_insert(fallback);
                }
            }
        }
    }

    fn try_build(&self, config_path: Option<&Path>) -> Result<Engine, LocatedError> {
        let mut over = self.editor.shared();
        over.rules = over.rules.map(|paths| {
            paths
                .into_iter()
                .map(|p| match &self.root {
                    Some(root) if Path::new(&p).is_relative() => root.join(p).display().to_string(),
                    _ => p,
                })
                .collect()
        });
        let builder = EngineBuilder::new().settings(over);
        match config_path {
            Some(path) => builder.config_file(path)?.build(),
            None => builder.build(),
        }
    }
}
