//! Zed extension for Reframe: registers `reframe lsp` for Markdown, Plain Text and Git Commit.
//! The server binary is not downloaded: it is `lsp.reframe.binary.path` from the settings,
//! else `reframe` on the worktree's PATH.
use zed_extension_api::{self as zed, serde_json, settings::LspSettings, LanguageServerId, Result};

struct Reframe;

const INSTALL_HINT: &str = "reframe not found on PATH. Install it with `pip install reframe-lint` \
or `cargo install reframe-lint`, or set lsp.reframe.binary.path in Zed's settings";

impl zed::Extension for Reframe {
    fn new() -> Self {
        Reframe
    }

    fn language_server_command(&mut self, id: &LanguageServerId, worktree: &zed::Worktree) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree(id.as_ref(), worktree).ok().and_then(|s| s.binary);
        let path = binary
            .as_ref()
            .and_then(|b| b.path.clone())
            .or_else(|| worktree.which("reframe"))
            .ok_or_else(|| INSTALL_HINT.to_string())?;
        let args = binary
            .as_ref()
            .and_then(|b| b.arguments.clone())
            .unwrap_or_else(|| vec!["lsp".to_string()]);
        let mut env = worktree.shell_env();
        if let Some(extra) = binary.and_then(|b| b.env) {
            env.extend(extra);
        }
        Ok(zed::Command { command: path, args, env })
    }

    fn language_server_initialization_options(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        Ok(Some(server_settings(id, worktree)))
    }

    fn language_server_workspace_configuration(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        Ok(Some(serde_json::json!({ "reframe": server_settings(id, worktree) })))
    }
}

/// The server settings: `lsp.reframe.settings`, else `lsp.reframe.initialization_options`.
/// Sent both ways, so the server's workspace/configuration request (which replaces the
/// initializationOptions) gets the same values.
fn server_settings(id: &LanguageServerId, worktree: &zed::Worktree) -> serde_json::Value {
    let lsp = LspSettings::for_worktree(id.as_ref(), worktree).ok();
    lsp.and_then(|s| s.settings.or(s.initialization_options))
        .unwrap_or_else(|| serde_json::json!({}))
}

zed::register_extension!(Reframe);
