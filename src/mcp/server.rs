//! The MCP handler: four tools over the engine, the style guide as resources and a prompt.
//!
//! Tool failures the caller can act on (bad arguments, an unknown rule) come back as tool
//! results with `isError`, which assistants read; an unknown tool, prompt or resource is a
//! JSON-RPC error, as the specification says. Logs carry tool names, sizes, counts and timings,
//! never text.

use super::guide::{StyleGuide, GUIDE_URI};
use super::rewrite;
use super::schema::{
    CheckResult, CheckTextArgs, ExplainArgs, ExplainResult, FindingOut, ListRulesArgs,
    ListRulesResult, MatchedBy, NoticeOut, ReframeResult, ReframeTextArgs, RuleExplanation,
    RuleSummary,
};
use crate::engine::{Engine, Report};
use crate::lines::LineIndex;
use crate::log::Level;
use crate::prose::DocKind;
use crate::rule::Category;
use rmcp::handler::server::router::prompt::PromptRouter;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::{Json, Parameters};
use rmcp::model::{
    Implementation, ListResourcesResult, PaginatedRequestParams, PromptMessage,
    ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult, Resource,
    ResourceContents, Role, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{
    prompt, prompt_handler, prompt_router, tool, tool_handler, tool_router, ErrorData, RoleServer,
    ServerHandler,
};
use schemars::JsonSchema;
use serde::Deserialize;
use std::sync::{Arc, OnceLock};
use std::time::Instant;
use tokio::sync::Semaphore;

/// `check_text` returns at most this many findings unless asked for more.
const DEFAULT_MAX_FINDINGS: usize = 500;
/// Lints running at once (the rest wait their turn): one per core of a small machine.
const CONCURRENT_LINTS: usize = 2;
/// What the server tells an assistant at `initialize`.
const INSTRUCTIONS: &str = "Reframe checks clinical, therapy and personal writing for \
    stigmatising, pathologising and blaming language, explains why it can hurt, and offers \
    respectful reframes. Call check_text on a draft before showing it, reframe_text to apply the \
    reframes that keep the meaning, and explain for the reasons and sources behind a finding. \
    The style guide (resource reframe://style-guide, prompt style_guide) lists what to avoid. \
    Quoted speech is the speaker's own words; the writer stays in charge.";

/// The server: one engine (the project's settings and packs) shared by every request.
#[derive(Clone)]
pub struct ReframeServer {
    engine: Arc<Engine>,
    lints: Arc<Semaphore>,
    guide: Arc<OnceLock<StyleGuide>>,
    tool_router: ToolRouter<ReframeServer>,
    prompt_router: PromptRouter<ReframeServer>,
}

impl ReframeServer {
    /// A server over `engine`.
    pub fn new(engine: Arc<Engine>) -> ReframeServer {
        ReframeServer {
            engine,
            lints: Arc::new(Semaphore::new(CONCURRENT_LINTS)),
            guide: Arc::new(OnceLock::new()),
            tool_router: Self::tool_router(),
            prompt_router: Self::prompt_router(),
        }
    }

    /// Runs `work` on the engine off the protocol loop, at most [`CONCURRENT_LINTS`] at a time,
    /// so a long text neither stalls other messages nor ends the server if it panics.
    async fn on_engine<T: Send + 'static>(
        &self,
        tool: &'static str,
        work: impl FnOnce(&Engine) -> T + Send + 'static,
    ) -> Result<T, String> {
        let _permit = self
            .lints
            .acquire()
            .await
            .map_err(|_| "the server is shutting down".to_string())?;
        let engine = self.engine.clone();
        let started = Instant::now();
        let result = tokio::task::spawn_blocking(move || work(&engine)).await;
        crate::log!(
            Level::Debug,
            "mcp: {tool} took {:.1} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
        result.map_err(|_| {
            crate::log!(Level::Error, "mcp: {tool} failed inside the engine");
            format!("{tool} failed inside the engine (a bug in Reframe); the server keeps running")
        })
    }

    /// The style guide, built on first use.
    async fn guide(&self) -> Result<&StyleGuide, String> {
        if let Some(guide) = self.guide.get() {
            return Ok(guide);
        }
        let built = self.on_engine("style_guide", StyleGuide::new).await?;
        Ok(self.guide.get_or_init(|| built))
    }
}

/// Lints `text` and logs its size and finding count.
fn lint(engine: &Engine, tool: &str, text: &str, kind: DocKind) -> Report {
    let report = engine.lint(text, kind);
    crate::log!(
        Level::Debug,
        "mcp: {tool}: {} bytes, {} findings",
        text.len(),
        report.findings.len()
    );
    report
}

#[tool_router(router = tool_router)]
impl ReframeServer {
    #[tool(
        description = "Check a draft for stigmatising, pathologising or blaming wording. Returns \
            each finding with its rule id, category, severity, the matched text, its position \
            (1-based line and column, the column counted in Unicode characters; start and end \
            as byte offsets into the UTF-8 text, end exclusive), a message, why the wording can \
            hurt, and reframes (preferred first, each marked safe when it keeps the meaning). \
            Quoted speech is reported more quietly.",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn check_text(
        &self,
        Parameters(args): Parameters<CheckTextArgs>,
    ) -> Result<Json<CheckResult>, String> {
        let max = args.max_findings.unwrap_or(DEFAULT_MAX_FINDINGS);
        let result = self
            .on_engine("check_text", move |engine| {
                let text = args.text;
                let report = lint(engine, "check_text", &text, args.format.doc_kind());
                let index = LineIndex::new(&text);
                let total = report.findings.len();
                CheckResult {
                    findings: report
                        .findings
                        .iter()
                        .take(max)
                        .map(|f| FindingOut::new(&text, &index, f))
                        .collect(),
                    total,
                    omitted: total.saturating_sub(max),
                    notices: report
                        .notices
                        .iter()
                        .map(|n| NoticeOut::new(&index, n))
                        .collect(),
                }
            })
            .await?;
        Ok(Json(result))
    }

    #[tool(
        description = "Apply reframes to a draft. By default only the preferred reframe of \
            warning and error findings whose rules mark it safe (same meaning, other words) is \
            applied, as `reframe fix` does; `unsafe: true` also applies preferred reframes that \
            are suggestions. Returns the new text, \
            the changes (rule, original, replacement, position in the text sent: 1-based line \
            and column in Unicode characters, byte offsets), and the findings that need the \
            writer's judgement, each with a reason (both lists capped by `max_findings`, with \
            totals). Bytes outside the changes are kept as sent.",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn reframe_text(
        &self,
        Parameters(args): Parameters<ReframeTextArgs>,
    ) -> Result<Json<ReframeResult>, String> {
        let max = args.max_findings.unwrap_or(DEFAULT_MAX_FINDINGS);
        let result = self
            .on_engine("reframe_text", move |engine| {
                let report = lint(engine, "reframe_text", &args.text, args.format.doc_kind());
                rewrite::reframe(&args.text, &report.findings, args.include_unsafe, max)
            })
            .await?;
        crate::log!(
            Level::Debug,
            "mcp: reframe_text: {} changes, {} left for the writer",
            result.total_changes,
            result.total_needs_judgement
        );
        Ok(Json(result))
    }

    #[tool(
        description = "Explain a rule: its message, why the wording can hurt, reframes, \
            published sources, and example sentences it flags and leaves alone. Accepts a rule \
            id (from check_text or list_rules) or a phrase, which is checked as plain text to \
            find the rules it triggers.",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn explain(
        &self,
        Parameters(args): Parameters<ExplainArgs>,
    ) -> Result<Json<ExplainResult>, String> {
        let query = args.rule_or_phrase;
        if let Some(rule) = self.engine.rule(query.trim()) {
            let severity = self.engine.severity_of(&rule.id).unwrap_or(rule.severity);
            return Ok(Json(ExplainResult {
                matched_by: MatchedBy::RuleId,
                rules: vec![RuleExplanation::new(rule, severity)],
            }));
        }
        let rules = self
            .on_engine("explain", move |engine| {
                let report = lint(engine, "explain", &query, DocKind::PlainText);
                let mut rules: Vec<RuleExplanation> = Vec::new();
                for finding in &report.findings {
                    if rules.iter().any(|r| r.id == finding.rule.id) {
                        continue;
                    }
                    let mut explained = RuleExplanation::new(&finding.rule, finding.severity);
                    explained.matched = Some(query[finding.range.clone()].to_string());
                    explained.reframes_for_match = Some(finding.reframes.to_vec());
                    rules.push(explained);
                }
                rules
            })
            .await?;
        if rules.is_empty() {
            return Err("no rule has that id, and no rule flags that phrase; \
                 list_rules shows the ids"
                .to_string());
        }
        Ok(Json(ExplainResult {
            matched_by: MatchedBy::Phrase,
            rules,
        }))
    }

    #[tool(
        description = "List the rules: id, category, severity under the project's settings \
            (`off` rules included), message and reframe templates (`$1` stands for a matched \
            word). Optionally only one category.",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn list_rules(
        &self,
        Parameters(args): Parameters<ListRulesArgs>,
    ) -> Json<ListRulesResult> {
        let rules = self
            .engine
            .rules()
            .filter(|r| args.category.is_none_or(|c| c == r.category))
            .map(|r| RuleSummary {
                id: r.id.clone(),
                category: r.category,
                severity: self.engine.severity_of(&r.id).unwrap_or(r.severity),
                message: r.message.clone(),
                reframes: r.reframes.clone(),
                fix: r.fix,
            })
            .collect();
        Json(ListRulesResult { rules })
    }
}

/// Arguments of the `style_guide` prompt.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct StyleGuideArgs {
    /// Only this category (blame, doubt, identity, substance, suicide, pity, casual, hope).
    #[serde(default)]
    pub category: Option<Category>,
}

#[prompt_router]
impl ReframeServer {
    /// Style guidance for drafting clinical, therapy or personal text: the wording Reframe
    /// flags at warning level, per category, with a respectful alternative and the reason.
    #[prompt(name = "style_guide")]
    async fn style_guide(
        &self,
        Parameters(args): Parameters<StyleGuideArgs>,
    ) -> Result<Vec<PromptMessage>, ErrorData> {
        let guide = self
            .guide()
            .await
            .map_err(|e| ErrorData::internal_error(e, None))?;
        Ok(vec![PromptMessage::new_text(
            Role::User,
            format!(
                "While drafting, follow this guidance on wording; check the draft with \
                 check_text before showing it.\n\n{}",
                guide.render(args.category)
            ),
        )])
    }
}

/// The resource URI of one category's part of the guide.
fn category_uri(category: Category) -> String {
    format!("{GUIDE_URI}/{category}")
}

#[tool_handler(router = self.tool_router)]
#[prompt_handler(router = self.prompt_router)]
impl ServerHandler for ReframeServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(
            ServerCapabilities::builder()
                .enable_tools()
                .enable_prompts()
                .enable_resources()
                .build(),
        )
        .with_server_info(
            Implementation::new("reframe", env!("CARGO_PKG_VERSION")).with_title("Reframe"),
        )
        .with_instructions(INSTRUCTIONS)
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        let guide = self
            .guide()
            .await
            .map_err(|e| ErrorData::internal_error(e, None))?;
        let mut resources = vec![Resource::new(GUIDE_URI, "style-guide")
            .with_title("Reframe style guide")
            .with_description(
                "What to avoid when writing about people, and why, with respectful \
                 alternatives: generated from the rule library.",
            )
            .with_mime_type("text/markdown")];
        resources.extend(guide.categories().map(|category| {
            Resource::new(category_uri(category), format!("style-guide-{category}"))
                .with_title(format!("Reframe style guide: {}", category.label()))
                .with_description(format!("Only {}.", category.describe()))
                .with_mime_type("text/markdown")
        }));
        Ok(ListResourcesResult::with_all_items(resources))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        let guide = self
            .guide()
            .await
            .map_err(|e| ErrorData::internal_error(e, None))?;
        let uri = request.uri;
        let only = if uri == GUIDE_URI {
            None
        } else {
            match guide.categories().find(|c| uri == category_uri(*c)) {
                Some(category) => Some(category),
                None => {
                    return Err(ErrorData::resource_not_found(
                        "no such resource; resources/list shows the style guide's URIs",
                        None,
                    ))
                }
            }
        };
        let text = guide.render(only);
        Ok(ReadResourceResult::new(vec![
            ResourceContents::text(text, uri).with_mime_type("text/markdown")
        ])
        .into())
    }
}
