//! The workshop page's JSON API. Offsets are UTF-16 code units because that is how the
//! page's JavaScript indexes strings; errors are `{"error": "..."}` with a 4xx status.

use crate::engine::{Engine, Finding};
use crate::log;
use crate::log::Level;
use crate::position::utf16_ranges;
use crate::prose::DocKind;
use crate::rule::Category;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// What every handler shares: the engine, and a limit on lints running at once.
#[derive(Clone)]
pub struct State {
    engine: Arc<Engine>,
    permits: Arc<Semaphore>,
}

impl State {
    /// Shares `engine` with at most `concurrent_lints` lints at a time.
    pub fn new(engine: Arc<Engine>, concurrent_lints: usize) -> State {
        State {
            engine,
            permits: Arc::new(Semaphore::new(concurrent_lints)),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckRequest {
    text: String,
    #[serde(default)]
    kind: Kind,
}

#[derive(Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Kind {
    #[default]
    Markdown,
    Text,
}

#[derive(Serialize)]
struct CheckResponse {
    findings: Vec<PageFinding>,
    counts: serde_json::Map<String, serde_json::Value>,
    total: usize,
}

#[derive(Serialize)]
struct PageFinding {
    rule: String,
    category: &'static str,
    severity: &'static str,
    message: String,
    why: String,
    start: usize,
    end: usize,
    matched: String,
    reframes: Vec<String>,
    /// For each reframe: `safe` (same meaning) or `suggestion` (the writer decides).
    reframe_safety: Vec<&'static str>,
    sources: Vec<PageSource>,
    quoted: bool,
}

#[derive(Serialize)]
struct PageSource {
    title: String,
    url: String,
}

/// `POST /api/check`: lints the posted draft.
pub async fn check(
    axum::extract::State(state): axum::extract::State<State>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    if !is_json(&headers) {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the draft as JSON with the header Content-Type: application/json",
        );
    }
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!(
                    "the draft is larger than the page accepts ({} MiB); check a shorter piece",
                    super::MAX_BODY_BYTES >> 20
                ),
            )
        }
        Err(rejection) => return error(rejection.status(), "the request body could not be read"),
    };
    let request: CheckRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                &format!("expected {{\"text\": \"...\", \"kind\": \"markdown\" or \"text\"}}: {e}"),
            )
        }
    };
    let Ok(_permit) = state.permits.clone().acquire_owned().await else {
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the server is shutting down",
        );
    };
    let engine = state.engine.clone();
    let linted = tokio::task::spawn_blocking(move || {
        let kind = match request.kind {
            Kind::Markdown => DocKind::Markdown,
            Kind::Text => DocKind::PlainText,
        };
        let report = engine.lint(&request.text, kind);
        response_for(&request.text, &report.findings)
    })
    .await;
    match linted {
        Ok(response) => json(StatusCode::OK, &response),
        Err(_) => {
            log!(Level::Error, "a lint failed on the workshop page");
            error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "checking this draft failed; the problem has been logged without its text",
            )
        }
    }
}

fn response_for(text: &str, findings: &[Finding]) -> CheckResponse {
    let utf16 = utf16_ranges(text, findings.iter().map(|f| &f.range));
    let mut counts = serde_json::Map::new();
    for category in Category::ALL {
        let n = findings
            .iter()
            .filter(|f| f.rule.category == category)
            .count();
        counts.insert(category.as_str().into(), n.into());
    }
    CheckResponse {
        findings: findings
            .iter()
            .zip(utf16)
            .map(|(f, at)| PageFinding {
                rule: f.rule.id.clone(),
                category: f.rule.category.as_str(),
                severity: f.severity.as_str(),
                message: f.rule.message.clone(),
                why: unwrap_lines(&f.rule.why),
                start: at.start,
                end: at.end,
                matched: text[f.range.clone()].to_string(),
                reframes: f.reframes.to_vec(),
                reframe_safety: (0..f.reframes.len())
                    .map(|i| f.rule.reframe_safety(i).as_str())
                    .collect(),
                sources: f
                    .rule
                    .sources
                    .iter()
                    .map(|s| PageSource {
                        title: s.title.clone(),
                        url: s.url.clone(),
                    })
                    .collect(),
                quoted: f.quoted,
            })
            .collect(),
        counts,
        total: findings.len(),
    }
}

/// Rule files wrap long text at fixed widths; the page reflows it, keeping paragraph breaks.
fn unwrap_lines(text: &str) -> String {
    text.trim()
        .split("\n\n")
        .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// `GET /api/info`: the version, the number of rules and the categories, for the page's panel.
pub async fn info(axum::extract::State(state): axum::extract::State<State>) -> Response {
    let categories: Vec<_> = Category::ALL
        .iter()
        .map(|c| {
            serde_json::json!({
                "id": c.as_str(),
                "label": c.label(),
                "description": sentence_case(c.describe()),
            })
        })
        .collect();
    json(
        StatusCode::OK,
        &serde_json::json!({
            "version": env!("CARGO_PKG_VERSION"),
            "rules": state.engine.rules().count(),
            "categories": categories,
        }),
    )
}

fn sentence_case(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        format!("{}{}.", first.to_uppercase(), chars.as_str())
    })
}

/// Any path the page does not have.
pub async fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "there is nothing at this address")
}

/// A known path with the wrong method.
pub async fn method_not_allowed() -> Response {
    error(
        StatusCode::METHOD_NOT_ALLOWED,
        "this address does not accept that method",
    )
}

fn error(status: StatusCode, message: &str) -> Response {
    json(status, &serde_json::json!({ "error": message }))
}

fn json(status: StatusCode, value: &impl Serialize) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => (status, [(header::CONTENT_TYPE, "application/json")], body).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"))
}

/// Adds the headers every response carries (no caching, no sniffing, no framing, no
/// referrer) and logs method, route, status and time: never a body or a query string.
pub async fn log_and_harden(request: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let method = request.method().clone();
    let route: &'static str = match request.uri().path() {
        "/" => "/",
        "/app.js" => "/app.js",
        "/app.css" => "/app.css",
        "/api/info" => "/api/info",
        "/api/check" => "/api/check",
        _ => "(another path)",
    };
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CACHE_CONTROL, "no-store"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    log!(
        Level::Debug,
        "{method} {route} {} in {:.1} ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1e3
    );
    response
}
