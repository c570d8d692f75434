//! The `LanguageServer` implementation: document state, configuration, and the handlers.

use super::config_edit::add_to_list;
use super::convert::{self, Encoding, Positions};
use super::publish::PublishMemo;
use super::settings::EditorSettings;
use super::transport::Notifier;
use super::workspace::WorkspaceEngines;
use crate::config::CONFIG_FILE_NAME;
use crate::engine::{Edits, Engine, Finding, LintCache, Report};
use crate::files::{write_atomic, Expect};
use crate::fix::{preferred_edits, FixScope};
use crate::log;
use crate::log::Level;
use crate::prose::DocKind;
use crate::rule::{FixSafety, Severity};
use ropey::Rope;
use serde_json::Value;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

/// The command behind "Allow …" and "Turn off rule …": the server edits `.reframe.toml` itself.
const ADD_TO_CONFIG: &str = "reframe.addToConfig";
/// The fix-all code action kind.
const FIX_ALL_KIND: &str = "source.fixAll.reframe";
/// Closing a document at least this large hands its freed memory back to the system.
const LARGE_DOCUMENT_BYTES: usize = 1 << 20;

/// An open document.
struct Document {
    /// Names the document in logs, which never carry its URI or text. Serials start at 1;
    /// logs say doc 0 for closed files linted for workspace diagnostics.
    serial: u64,
    rope: Rope,
    version: i32,
    language_id: String,
    /// The last lint: the version it is for and what it found. It outlives edits, because a
    /// lint that panics falls back on it.
    report: Option<(i32, Arc<Report>)>,
    /// Whether `report` describes the current text and settings.
    report_is_current: bool,
    /// Chunk results for the next lint; taken while a lint runs.
    cache: LintCache,
    /// What changed since `cache` was filled; taken with it, so edits that arrive while a
    /// lint runs are kept for the next one.
    edits: Edits,
    /// The last published diagnostics, serialised by chunk; taken while a publish is made.
    published: PublishMemo,
    /// Whether the text or settings changed since the push task last took the document.
    dirty: bool,
    /// Whether a push task ([`push_diagnostics`]) runs for the document.
    pushing: bool,
}

/// What the client told us it can do, and what we negotiated.
#[derive(Default, Clone)]
struct ClientInfo {
    encoding: Option<Encoding>,
    pull_diagnostics: bool,
    workspace_refresh: bool,
    configuration: bool,
    dynamic_watchers: bool,
    roots: Vec<PathBuf>,
}

#[derive(Default)]
struct State {
    client: ClientInfo,
    documents: HashMap<Uri, Document>,
    engines: WorkspaceEngines,
    opened: u64,
}

/// The language server. All state sits behind one mutex that is never held across `.await`.
pub struct Backend {
    client: Client,
    /// Diagnostics go out through this, not `client`: see [`Notifier`].
    notifier: Notifier,
    state: Arc<Mutex<State>>,
}

impl Backend {
    /// Creates the server for one client connection.
    pub fn new(client: Client, notifier: Notifier) -> Backend {
        Backend {
            client,
            notifier,
            state: Arc::new(Mutex::new(State::default())),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    fn encoding(&self) -> Encoding {
        self.state().client.encoding.unwrap_or(Encoding::Utf16)
    }

    /// Lints the current version of `uri`: see [`lint_now`].
    fn lint_now(&self, uri: &Uri) -> Option<(Rope, i32, Arc<Report>)> {
        lint_now(&self.state, uri)
    }

    /// Marks `uri` changed and, for clients without pull diagnostics, makes sure a push task
    /// will lint and publish its newest version.
    fn refresh(&self, uri: Uri) {
        schedule_push(&self.state, &self.notifier, uri);
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<Diagnostic>, version: Option<i32>) {
        self.notifier
            .publish(&PublishDiagnosticsParams::new(uri, diagnostics, version));
    }

    /// At most `maxProblems` diagnostics, then the notice of those left out.
    fn diagnostics(&self, rope: &Rope, report: &Report) -> Vec<Diagnostic> {
        let max_problems = self.state().engines.editor().max_problems();
        let mut positions = Positions::new(rope, self.encoding());
        let total = report.findings.len() + report.notices.len();
        let mut diagnostics = Vec::with_capacity(total.min(max_problems) + 1);
        diagnostics.extend(
            report
                .findings
                .iter()
                .take(max_problems)
                .map(|f| convert::diagnostic(&mut positions, f)),
        );
        diagnostics.extend(
            report
                .notices
                .iter()
                .take(max_problems - diagnostics.len())
                .map(|n| convert::notice_diagnostic(&mut positions, n)),
        );
        if total > max_problems {
            diagnostics.push(convert::cap_notice(max_problems, total));
        }
        diagnostics
    }

    /// Re-lints every open document (configuration changed) and asks pull clients to refresh.
    async fn refresh_all(&self) {
        let (uris, pull, refresh) = {
            let mut state = self.state();
            for doc in state.documents.values_mut() {
                doc.report_is_current = false;
            }
            // Build the engines now, so a configuration that breaks is reported below.
            let State {
                documents, engines, ..
            } = &mut *state;
            for uri in documents.keys() {
                engines.engine_for(file_path(uri).as_deref());
            }
            (
                state.documents.keys().cloned().collect::<Vec<_>>(),
                state.client.pull_diagnostics,
                state.client.workspace_refresh,
            )
        };
        if pull {
            if refresh {
                let _ = self.client.workspace_diagnostic_refresh().await;
            }
        } else {
            for uri in uris {
                self.refresh(uri);
            }
        }
        let _ = self.client.inlay_hint_refresh().await;
        self.report_config_errors().await;
    }

    /// Shows broken config or rule files: a message, and a diagnostic in the file at its line.
    async fn report_config_errors(&self) {
        let errors: Vec<_> = self.state().engines.errors.values().cloned().collect();
        for error in errors {
            log!(Level::Warn, "configuration error: {error}");
            self.client
                .show_message(
                    MessageType::ERROR,
                    format!("Reframe keeps the last good configuration: {error}"),
                )
                .await;
            let Some(uri) = Uri::from_file_path(&error.path) else {
                continue;
            };
            let line = error.line.saturating_sub(1) as u32;
            let diagnostic = Diagnostic {
                range: Range::new(Position::new(line, 0), Position::new(line, u32::MAX)),
                severity: Some(DiagnosticSeverity::ERROR),
                source: Some("reframe".into()),
                message: error.message.clone(),
                ..Diagnostic::default()
            };
            self.publish(uri, vec![diagnostic], None);
        }
    }

    /// Pulls `reframe` settings from the client when it supports `workspace/configuration`.
    async fn pull_configuration(&self) {
        if !self.state().client.configuration {
            return;
        }
        let items = vec![ConfigurationItem {
            scope_uri: None,
            section: Some("reframe".into()),
        }];
        if let Ok(values) = self.client.configuration(items).await {
            if let Some(value) = values.into_iter().next() {
                self.apply_settings(&value).await;
            }
        }
    }

    async fn apply_settings(&self, value: &Value) {
        match EditorSettings::from_json(value) {
            Ok(settings) => {
                let mut state = self.state();
                let root = state.client.roots.first().cloned();
                state.engines.configure(settings, root);
            }
            Err(message) => {
                self.client
                    .show_message(
                        MessageType::ERROR,
                        format!("Reframe keeps its last good settings: {message}"),
                    )
                    .await;
            }
        }
    }

    fn finding_context(&self, uri: &Uri) -> Result<(Rope, i32, Arc<Report>, Encoding)> {
        let encoding = self.encoding();
        let (rope, version, report) = self
            .lint_now(uri)
            .ok_or_else(|| Error::invalid_params(format!("unknown document {}", uri.as_str())))?;
        Ok((rope, version, report, encoding))
    }
}

/// Runs a lint behind a panic boundary: a bug in one document's lint must not kill the server.
/// The panic is logged by rule id, and the chunk memo, which may be half-updated, is dropped.
fn lint_contained(
    engine: &Engine,
    text: &str,
    kind: DocKind,
    cache: &mut LintCache,
    edits: Edits,
    serial: u64,
) -> Option<Report> {
    let result = catch_unwind(AssertUnwindSafe(|| {
        engine.lint_cached(text, kind, cache, edits)
    }));
    if result.is_err() {
        *cache = LintCache::default();
        log!(
            Level::Error,
            "doc {serial}: the lint panicked in rule {}; keeping the last diagnostics",
            engine
                .rule_in_progress()
                .unwrap_or("(none: outside rule matching)")
        );
    }
    result.ok()
}

/// Lints the current version of `uri`, stores the result, and returns it with the rope it
/// was computed on. `None` for unknown or unchecked documents.
fn lint_now(state: &Mutex<State>, uri: &Uri) -> Option<(Rope, i32, Arc<Report>)> {
    let (text, kind, version, engine, mut cache, edits, serial) = {
        let mut state = lock(state);
        let State {
            documents, engines, ..
        } = &mut *state;
        let doc = documents.get_mut(uri)?;
        if !engines.editor().enabled() || !engines.editor().checks_language(&doc.language_id) {
            return Some((doc.rope.clone(), doc.version, Arc::new(Report::default())));
        }
        if let Some((v, report)) = doc.report.as_ref().filter(|_| doc.report_is_current) {
            if *v == doc.version {
                return Some((doc.rope.clone(), *v, report.clone()));
            }
        }
        let engine = engines.engine_for(file_path(uri).as_deref());
        // Not `to_string`: it grows the string chunk by chunk, copying a megabyte several
        // times over (a sixth of the server's time per keystroke on a 1 MB document).
        let mut text = String::with_capacity(doc.rope.len_bytes());
        text.extend(doc.rope.chunks());
        (
            text,
            DocKind::from_language_id(&doc.language_id),
            doc.version,
            engine,
            std::mem::take(&mut doc.cache),
            std::mem::take(&mut doc.edits),
            doc.serial,
        )
    };
    let started = std::time::Instant::now();
    let report = lint_contained(&engine, &text, kind, &mut cache, edits, serial);
    if let Some(report) = &report {
        log!(
            Level::Debug,
            "doc {serial} v{version}: {} findings, {} notices in {:.1} ms",
            report.findings.len(),
            report.notices.len(),
            started.elapsed().as_secs_f64() * 1e3
        );
        if crate::log::enabled(Level::Trace) {
            for finding in &report.findings {
                log!(
                    Level::Trace,
                    "doc {serial} v{version}: {} at bytes {}..{}",
                    finding.rule.id,
                    finding.range.start,
                    finding.range.end
                );
            }
        }
    }
    let mut state = lock(state);
    let doc = state.documents.get_mut(uri)?;
    doc.cache = cache;
    let report = match report {
        Some(report) => Arc::new(report),
        // The lint panicked: keep the last good findings.
        None => doc
            .report
            .as_ref()
            .map(|(_, r)| r.clone())
            .unwrap_or_default(),
    };
    if doc.version == version {
        doc.report = Some((version, report.clone()));
        doc.report_is_current = true;
    }
    Some((doc.rope.clone(), version, report))
}

/// The state behind its mutex, even after a panic while it was held: a panic must not take
/// the server down with it.
fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Marks `uri` changed and, for clients without pull diagnostics, makes sure a push task will
/// lint and publish its newest version.
fn schedule_push(state: &Arc<Mutex<State>>, notifier: &Notifier, uri: Uri) {
    let mut locked = lock(state);
    let pull = locked.client.pull_diagnostics;
    let Some(doc) = locked.documents.get_mut(&uri) else {
        return;
    };
    doc.dirty = true;
    if pull || doc.pushing {
        return;
    }
    doc.pushing = true;
    drop(locked);
    tokio::spawn(push_diagnostics(state.clone(), notifier.clone(), uri));
}

/// How often the server looks at its configuration files itself, for clients that cannot
/// watch them (Neovim on Linux sends no `didChangeWatchedFiles`).
const CONFIG_POLL: Duration = Duration::from_secs(2);

/// Re-checks open documents whenever a configuration file that applies to one of them appears,
/// changes or goes. Runs for the rest of the session.
async fn watch_configs(state: Arc<Mutex<State>>, notifier: Notifier, client: Client) {
    loop {
        tokio::time::sleep(CONFIG_POLL).await;
        let uris = {
            let mut locked = lock(&state);
            let State {
                documents, engines, ..
            } = &mut *locked;
            let paths: Vec<_> = documents.keys().filter_map(file_path).collect();
            if !engines.changed_on_disk(&paths) {
                continue;
            }
            log!(
                Level::Info,
                "a configuration file changed on disk; reloading"
            );
            engines.reload();
            for doc in documents.values_mut() {
                doc.report_is_current = false;
            }
            documents.keys().cloned().collect::<Vec<_>>()
        };
        let ClientInfo {
            pull_diagnostics,
            workspace_refresh,
            ..
        } = lock(&state).client.clone();
        if pull_diagnostics && workspace_refresh {
            let _ = client.workspace_diagnostic_refresh().await;
        }
        for uri in uris {
            schedule_push(&state, &notifier, uri);
        }
    }
}

/// Lints `uri` and publishes its diagnostics until its newest version is published, then
/// ends. One runs per document at a time: edits that arrive while it lints are all applied
/// by their handlers, and the next round lints the newest version once, so a burst of edits
/// costs a few lints, not one per edit. Lints run on a blocking thread, so the server keeps
/// reading (and applying) edits meanwhile; results for a version that is no longer the
/// newest are dropped.
async fn push_diagnostics(state: Arc<Mutex<State>>, notifier: Notifier, uri: Uri) {
    loop {
        let debounce = lock(&state).engines.editor().debounce_ms.unwrap_or(0);
        // Typing goes on: wait for a pause of `debounce` without an edit.
        if debounce > 0 {
            loop {
                let before = lock(&state).documents.get(&uri).map(|d| d.version);
                tokio::time::sleep(Duration::from_millis(debounce)).await;
                if lock(&state).documents.get(&uri).map(|d| d.version) == before {
                    break;
                }
            }
        }
        let linted = {
            let (state, uri) = (state.clone(), uri.clone());
            tokio::task::spawn_blocking(move || lint_and_serialise(&state, &uri)).await
        };
        let mut state = lock(&state);
        let Some(doc) = state.documents.get_mut(&uri) else {
            return;
        };
        if let Ok(Some((version, message))) = linted {
            // Under the lock, so a close's empty publish cannot be overtaken by this one.
            if version == doc.version {
                notifier.publish_serialised(&uri, message);
            }
        }
        if !doc.dirty {
            doc.pushing = false;
            return;
        }
    }
}

/// Lints the newest version of `uri` and makes its `publishDiagnostics`, unless the newest
/// version changed meanwhile. Clears the document's `dirty` flag as it takes the text.
fn lint_and_serialise(state: &Mutex<State>, uri: &Uri) -> Option<(i32, Vec<u8>)> {
    if let Some(doc) = lock(state).documents.get_mut(uri) {
        doc.dirty = false;
    }
    let (rope, version, report) = lint_now(state, uri)?;
    let (mut memo, encoding, max_problems) = {
        let mut state = lock(state);
        let encoding = state.client.encoding.unwrap_or(Encoding::Utf16);
        let max_problems = state.engines.editor().max_problems();
        let doc = state.documents.get_mut(uri)?;
        if doc.version != version {
            return None;
        }
        (std::mem::take(&mut doc.published), encoding, max_problems)
    };
    let message = memo.notification(uri, version, &rope, &report, encoding, max_problems);
    if let Some(doc) = lock(state).documents.get_mut(uri) {
        doc.published = memo;
    }
    Some((version, message))
}

fn file_path(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(|p| p.into_owned())
}

fn text_edit(
    rope: &Rope,
    range: &std::ops::Range<usize>,
    new_text: String,
    encoding: Encoding,
) -> TextEdit {
    TextEdit {
        range: convert::range(rope, range, encoding),
        new_text,
    }
}

fn single_file_edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        // Load the built-in library on another thread while the client reads the reply and
        // sends its first document: the first lint then finds it ready, or nearly, and the
        // guards many rules share already built.
        std::thread::spawn(|| Engine::builtin().build_shared_guards());
        let caps = &params.capabilities;
        let offers_utf8 = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|encodings| encodings.contains(&PositionEncodingKind::UTF8));
        let encoding = if offers_utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        let workspace = caps.workspace.as_ref();
        let mut roots: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| file_path(&f.uri))
            .collect();
        #[allow(deprecated)]
        if roots.is_empty() {
            roots.extend(params.root_uri.as_ref().and_then(file_path));
        }
        let info = ClientInfo {
            encoding: Some(encoding),
            pull_diagnostics: caps
                .text_document
                .as_ref()
                .is_some_and(|t| t.diagnostic.is_some()),
            workspace_refresh: workspace
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            configuration: workspace.and_then(|w| w.configuration).unwrap_or(false),
            dynamic_watchers: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            roots,
        };
        log!(
            Level::Info,
            "initialize: client {:?}, positions {:?}, diagnostics by {}",
            params.client_info.as_ref().map(|c| c.name.as_str()),
            info.encoding,
            if info.pull_diagnostics {
                "pull"
            } else {
                "push"
            }
        );
        let settings = match params
            .initialization_options
            .as_ref()
            .map(EditorSettings::from_json)
        {
            Some(Ok(settings)) => settings,
            Some(Err(message)) => {
                self.client.show_message(MessageType::ERROR, message).await;
                EditorSettings::default()
            }
            None => EditorSettings::default(),
        };
        {
            let mut state = self.state();
            let root = info.roots.first().cloned();
            state.client = info;
            state.engines.configure(settings, root);
        }
        Ok(InitializeResult {
            offset_encoding: None,
            server_info: Some(ServerInfo {
                name: "reframe".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: ServerCapabilities {
                position_encoding: Some(match encoding {
                    Encoding::Utf8 => PositionEncodingKind::UTF8,
                    Encoding::Utf16 => PositionEncodingKind::UTF16,
                }),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::SOURCE_FIX_ALL,
                            CodeActionKind::new(FIX_ALL_KIND),
                        ]),
                        resolve_provider: Some(false),
                        work_done_progress_options: WorkDoneProgressOptions::default(),
                    },
                )),
                inlay_hint_provider: Some(OneOf::Left(true)),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![ADD_TO_CONFIG.into()],
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                }),
                diagnostic_provider: Some(DiagnosticServerCapabilities::Options(
                    DiagnosticOptions {
                        identifier: Some("reframe".into()),
                        inter_file_dependencies: false,
                        workspace_diagnostics: true,
                        work_done_progress_options: WorkDoneProgressOptions::default(),
                    },
                )),
                ..ServerCapabilities::default()
            },
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.pull_configuration().await;
        if !self.state().client.dynamic_watchers {
            tokio::spawn(watch_configs(
                self.state.clone(),
                self.notifier.clone(),
                self.client.clone(),
            ));
        }
        if self.state().client.dynamic_watchers {
            let watchers = ["**/.reframe.toml", "**/*.toml"]
                .into_iter()
                .map(|glob| FileSystemWatcher {
                    glob_pattern: GlobPattern::String(glob.into()),
                    kind: None,
                })
                .collect();
            let registration = Registration {
                id: "reframe-watch-config".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
                    watchers,
                })
                .ok(),
            };
            let _ = self.client.register_capability(vec![registration]).await;
        }
        self.report_config_errors().await;
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        {
            let mut state = self.state();
            state.opened += 1;
            let serial = state.opened;
            log!(
                Level::Debug,
                "doc {serial} opened: {} bytes, language {:?}",
                doc.text.len(),
                doc.language_id
            );
            state.documents.insert(
                doc.uri.clone(),
                Document {
                    serial,
                    rope: Rope::from_str(&doc.text),
                    version: doc.version,
                    language_id: doc.language_id,
                    report: None,
                    report_is_current: false,
                    cache: LintCache::default(),
                    edits: Edits::None,
                    published: PublishMemo::default(),
                    dirty: false,
                    pushing: false,
                },
            );
        }
        self.refresh(doc.uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        {
            let mut state = self.state();
            let encoding = state.client.encoding.unwrap_or(Encoding::Utf16);
            let Some(doc) = state.documents.get_mut(&uri) else {
                return;
            };
            for change in params.content_changes {
                convert::apply_change(
                    &mut doc.rope,
                    change.range,
                    &change.text,
                    encoding,
                    &mut doc.edits,
                );
            }
            doc.version = params.text_document.version;
            doc.report_is_current = false;
        }
        self.refresh(uri);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let pull = {
            let mut state = self.state();
            let closed = state.documents.remove(&uri);
            let pull = state.client.pull_diagnostics;
            drop(state);
            if let Some(doc) = closed {
                log!(Level::Debug, "doc {} closed", doc.serial);
                let large = doc.rope.len_bytes() >= LARGE_DOCUMENT_BYTES;
                drop(doc);
                if large {
                    crate::memory::return_freed_memory();
                }
            }
            pull
        };
        if !pull {
            self.publish(uri, Vec::new(), None);
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let pushed = params.settings.get("reframe").is_some()
            || params.settings.as_object().is_some_and(|o| !o.is_empty());
        if pushed {
            self.apply_settings(&params.settings).await;
        } else {
            self.pull_configuration().await;
        }
        self.refresh_all().await;
    }

    async fn did_change_watched_files(&self, _: DidChangeWatchedFilesParams) {
        self.state().engines.reload();
        self.refresh_all().await;
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let (rope, version, report, _) = self.finding_context(&params.text_document.uri)?;
        let result_id = format!("{version}:{:p}", Arc::as_ptr(&report));
        if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
            return Ok(DocumentDiagnosticReportResult::Report(
                DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                    related_documents: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                        result_id,
                    },
                }),
            ));
        }
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: Some(result_id),
                    items: self.diagnostics(&rope, &report),
                },
            }),
        ))
    }

    async fn workspace_diagnostic(
        &self,
        _: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        let (roots, open) = {
            let state = self.state();
            (
                state.client.roots.clone(),
                state.documents.keys().cloned().collect::<Vec<_>>(),
            )
        };
        let mut items = Vec::new();
        for uri in &open {
            if let Some((rope, version, report)) = self.lint_now(uri) {
                items.push(WorkspaceDocumentDiagnosticReport::Full(
                    WorkspaceFullDocumentDiagnosticReport {
                        uri: uri.clone(),
                        version: Some(version as i64),
                        full_document_diagnostic_report: FullDocumentDiagnosticReport {
                            result_id: None,
                            items: self.diagnostics(&rope, &report),
                        },
                    },
                ));
            }
        }
        for path in roots.iter().flat_map(|root| crate::walk::prose_files(root)) {
            let Some(uri) = Uri::from_file_path(&path) else {
                continue;
            };
            if open.contains(&uri) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let engine = self.state().engines.engine_for(Some(&path));
            let kind = DocKind::from_path(&path.to_string_lossy());
            let Some(report) = lint_contained(
                &engine,
                &text,
                kind,
                &mut LintCache::default(),
                Edits::Unknown,
                0,
            ) else {
                continue;
            };
            let rope = Rope::from_str(&text);
            items.push(WorkspaceDocumentDiagnosticReport::Full(
                WorkspaceFullDocumentDiagnosticReport {
                    uri,
                    version: None,
                    full_document_diagnostic_report: FullDocumentDiagnosticReport {
                        result_id: None,
                        items: self.diagnostics(&rope, &report),
                    },
                },
            ));
        }
        Ok(WorkspaceDiagnosticReportResult::Report(
            WorkspaceDiagnosticReport { items },
        ))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let uri = &params.text_document_position_params.text_document.uri;
        let (rope, _, report, encoding) = self.finding_context(uri)?;
        let at = convert::offset(
            &rope,
            params.text_document_position_params.position,
            encoding,
        );
        Ok(report
            .findings
            .iter()
            .find(|f| f.range.start <= at && at <= f.range.end)
            .map(|f| convert::hover(&rope, f, encoding)))
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        if !self.state().engines.editor().inlay_hints() {
            return Ok(Some(Vec::new()));
        }
        let (rope, _, report, encoding) = self.finding_context(&params.text_document.uri)?;
        let Some(wanted) = convert::byte_range(&rope, params.range, encoding) else {
            return Err(Error::invalid_params("range ends before it starts"));
        };
        Ok(Some(
            report
                .findings
                .iter()
                .filter(|f| f.range.end >= wanted.start && f.range.start <= wanted.end)
                .filter_map(|f| convert::inlay_hint(&rope, f, encoding))
                .collect(),
        ))
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        #[derive(serde::Deserialize)]
        struct AddToConfig {
            document: Uri,
            key: String,
            value: String,
        }
        if params.command != ADD_TO_CONFIG {
            return Err(Error::invalid_params(format!(
                "unknown command {:?}",
                params.command
            )));
        }
        let args: AddToConfig = params
            .arguments
            .into_iter()
            .next()
            .and_then(|value| serde_json::from_value(value).ok())
            .filter(|a: &AddToConfig| a.key == "allow" || a.key == "disable")
            .ok_or_else(|| {
                Error::invalid_params("expected {document, key: allow | disable, value}")
            })?;
        if let Err(error) = self
            .add_to_config(&args.document, &args.key, &args.value)
            .await
        {
            self.client
                .show_message(MessageType::ERROR, format!("Reframe: {}", error.message))
                .await;
            return Err(error);
        }
        Ok(None)
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        let (rope, _, report, encoding) = self.finding_context(&uri)?;
        let Some(wanted) = convert::byte_range(&rope, params.range, encoding) else {
            return Err(Error::invalid_params("range ends before it starts"));
        };
        let only = params.context.only.clone();
        let wants = |kind: &CodeActionKind| {
            only.as_ref().is_none_or(|only| {
                only.iter().any(|o| {
                    kind.as_str() == o.as_str()
                        || kind.as_str().starts_with(&format!("{}.", o.as_str()))
                })
            })
        };
        let mut actions = Vec::new();
        if wants(&CodeActionKind::QUICKFIX) {
            for finding in report
                .findings
                .iter()
                .filter(|f| f.range.start <= wanted.end && wanted.start <= f.range.end)
            {
                actions.extend(self.quick_fixes(&uri, &rope, finding, encoding));
            }
        }
        let fix_all = CodeActionKind::new(FIX_ALL_KIND);
        if only.is_some() && wants(&fix_all) {
            let scope = self.state().engines.editor().fix_scope();
            let edits: Vec<TextEdit> = preferred_edits(&report.findings, Severity::Warning, scope)
                .into_iter()
                .map(|e| text_edit(&rope, &e.range, e.replacement, encoding))
                .collect();
            if !edits.is_empty() {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: {
                        let n = edits.len();
                        let changes = if n == 1 { "change" } else { "changes" };
                        match scope {
                            FixScope::SafeOnly => format!("Reframe all safe ({n} {changes})"),
                            FixScope::WithSuggestions => {
                                format!("Reframe all, suggestions too ({n} {changes})")
                            }
                        }
                    },
                    kind: Some(fix_all),
                    edit: Some(single_file_edit(&uri, edits)),
                    ..CodeAction::default()
                }));
            }
        }
        Ok(Some(actions))
    }
}

impl Backend {
    fn quick_fixes(
        &self,
        uri: &Uri,
        rope: &Rope,
        finding: &Finding,
        encoding: Encoding,
    ) -> Vec<CodeActionOrCommand> {
        let diagnostic = convert::diagnostic(&mut Positions::new(rope, encoding), finding);
        let mut actions = Vec::new();
        for (i, reframe) in finding.reframes.iter().enumerate() {
            let title = match finding.rule.reframe_safety(i) {
                FixSafety::Safe => format!("Reframe as “{reframe}”"),
                FixSafety::Suggestion => {
                    format!("Reframe as “{reframe}” (suggestion: check it keeps your meaning)")
                }
            };
            actions.push(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: Some(single_file_edit(
                    uri,
                    vec![text_edit(rope, &finding.range, reframe.clone(), encoding)],
                )),
                is_preferred: Some(i == 0),
                ..CodeAction::default()
            });
        }
        let (language_id, matched) = {
            let state = self.state();
            let language = state
                .documents
                .get(uri)
                .map(|d| d.language_id.clone())
                .unwrap_or_default();
            (language, rope.byte_slice(finding.range.clone()).to_string())
        };
        // Ignore here: a suppression comment on its own line above the match.
        let line = rope.byte_to_line(finding.range.start);
        let line_start = rope.line_to_byte(line);
        let indent: String = rope
            .line(line)
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        let newline = if rope.line(line).to_string().ends_with("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let comment = if DocKind::from_language_id(&language_id) == DocKind::Markdown {
            format!(
                "{indent}<!-- reframe-disable-next-line {} -->{newline}",
                finding.rule.id
            )
        } else {
            format!(
                "{indent}reframe-disable-next-line {}{newline}",
                finding.rule.id
            )
        };
        actions.push(CodeAction {
            title: "Ignore here".into(),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostic.clone()]),
            edit: Some(single_file_edit(
                uri,
                vec![text_edit(
                    rope,
                    &(line_start..line_start),
                    comment,
                    encoding,
                )],
            )),
            ..CodeAction::default()
        });
        let phrase = matched
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let config_actions = [
            (
                format!("Allow “{phrase}” in this workspace"),
                "allow",
                phrase.clone(),
            ),
            (
                format!("Turn off rule {} in this workspace", finding.rule.id),
                "disable",
                finding.rule.id.clone(),
            ),
        ];
        if self.config_path(uri).is_some() {
            for (title, key, value) in config_actions {
                let arguments = serde_json::json!({"document": uri, "key": key, "value": value});
                actions.push(CodeAction {
                    title: title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    command: Some(Command::new(
                        title,
                        ADD_TO_CONFIG.into(),
                        Some(vec![arguments]),
                    )),
                    ..CodeAction::default()
                });
            }
        }
        actions
            .into_iter()
            .map(CodeActionOrCommand::CodeAction)
            .collect()
    }

    /// The `.reframe.toml` that applies to the document `uri`, else a new one in its
    /// workspace root.
    fn config_path(&self, uri: &Uri) -> Option<PathBuf> {
        let doc_path = file_path(uri);
        doc_path
            .as_deref()
            .and_then(crate::config::discover)
            .or_else(|| {
                let roots = self.state().client.roots.clone();
                let root = roots
                    .iter()
                    .find(|r| doc_path.as_ref().is_some_and(|p| p.starts_with(r)))
                    .or(roots.first())?;
                Some(root.join(CONFIG_FILE_NAME))
            })
    }

    /// Adds `value` to the list `key` in the `.reframe.toml` for `document`, unless it is
    /// there already. The server writes the file itself (atomically), so no editor is left
    /// with an unsaved buffer for a file the user never opened; when the editor has the file
    /// open, the change goes into that buffer instead. The engines reload at once.
    async fn add_to_config(&self, document: &Uri, key: &str, value: &str) -> Result<()> {
        let path = self
            .config_path(document)
            .ok_or_else(|| Error::invalid_params("no workspace folder for a .reframe.toml"))?;
        let failed = |message: String| Error {
            message: message.into(),
            ..Error::internal_error()
        };
        let open = Uri::from_file_path(&path).and_then(|config_uri| {
            let state = self.state();
            let doc = state.documents.get(&config_uri)?;
            Some((config_uri, doc.rope.clone(), doc.version))
        });
        if let Some((config_uri, rope, version)) = open {
            let current = rope.to_string();
            let updated = add_to_list(&current, key, value).map_err(|e| failed(e.to_string()))?;
            if updated != current {
                let encoding = self.encoding();
                let whole = text_edit(&rope, &(0..current.len()), updated, encoding);
                let edit = WorkspaceEdit {
                    document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                        text_document: OptionalVersionedTextDocumentIdentifier {
                            uri: config_uri,
                            version: Some(version),
                        },
                        edits: vec![OneOf::Left(whole)],
                    }])),
                    ..WorkspaceEdit::default()
                };
                let _ = self.client.apply_edit(edit).await;
            }
            return Ok(());
        }
        // Read, edit and write with no `.await` between: two choices of the same action
        // run one after the other, and the second finds the entry already there.
        let current = match std::fs::read(&path) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(failed(format!("cannot read {}: {e}", path.display()))),
        };
        let text = match &current {
            Some(bytes) => std::str::from_utf8(bytes)
                .map_err(|_| failed(format!("{} is not UTF-8", path.display())))?,
            None => "",
        };
        let updated = add_to_list(text, key, value).map_err(|e| failed(e.to_string()))?;
        if updated != text {
            let expect = current
                .as_deref()
                .map_or(Expect::Anything, Expect::Unchanged);
            write_atomic(&path, &updated, expect).map_err(|e| failed(e.to_string()))?;
            log!(
                Level::Info,
                "added an entry to {key} in a configuration file"
            );
        }
        self.state().engines.reload();
        self.refresh_all().await;
        Ok(())
    }
}
