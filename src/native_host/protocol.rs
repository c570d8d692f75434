//! The requests the browser extension sends and the replies it gets, over one [`Engine`].
//! Every request may carry an `id`, echoed in its reply so the extension can match them;
//! checks also echo the field and version they were for, so a reply for text that has since
//! changed is dropped. Offsets are UTF-16 code units, as JavaScript indexes strings.

use crate::engine::{Engine, Finding, LintCache, DOCS_URL};
use crate::position::utf16_ranges;
use crate::prose::DocKind;
use crate::rule::{Rule, Severity};
use serde::Deserialize;
use serde_json::{json, Map, Value};

/// Fields whose lint caches are kept; the least recently checked is dropped beyond this.
const CACHED_FIELDS: usize = 32;
/// A field id is the extension's short name for a form field, never page text.
const MAX_FIELD_ID_CHARS: usize = 64;

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
enum Request {
    /// Who is answering: the version, the rule count and the current settings.
    Hello {},
    /// Lint a field's text.
    Check {
        field: String,
        version: u64,
        text: String,
    },
    /// Forget a field (it left the page).
    Forget { field: String },
    /// One rule in full.
    Explain { rule: String },
    /// Every rule, briefly.
    Rules {},
    /// Read the settings, or change them when a value is given.
    Settings {
        #[serde(default)]
        threshold: Option<Severity>,
    },
}

/// What one browser's host keeps between requests: the engine, the settings and a lint cache
/// for each recently checked field, so a keystroke re-lints one paragraph.
pub struct Session {
    engine: Engine,
    threshold: Severity,
    fields: Vec<(String, LintCache)>,
}

impl Session {
    /// A session over `engine`, reporting findings at `hint` and above until told otherwise.
    pub fn new(engine: Engine) -> Session {
        Session {
            engine,
            threshold: Severity::Hint,
            fields: Vec::new(),
        }
    }

    /// The reply to one message body. Malformed requests get an error reply; nothing here
    /// panics on input.
    pub fn handle(&mut self, body: &[u8]) -> Value {
        let mut message: Map<String, Value> = match serde_json::from_slice(body) {
            Ok(Value::Object(map)) => map,
            Ok(_) => return error(None, "a request must be a JSON object"),
            Err(e) => return error(None, &format!("the request is not JSON: {e}")),
        };
        let id = message.remove("id");
        let request = match Request::deserialize(Value::Object(message)) {
            Ok(request) => request,
            Err(e) => return error(id, &format!("not a request this host knows: {e}")),
        };
        let mut reply = match request {
            Request::Hello {} => json!({
                "type": "hello",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": self.engine.rules().count(),
                "threshold": self.threshold,
                "docs": DOCS_URL,
            }),
            Request::Check {
                field,
                version,
                text,
            } => self.check(field, version, &text),
            Request::Forget { field } => {
                self.fields.retain(|(f, _)| *f != field);
                json!({ "type": "forget", "field": field })
            }
            Request::Explain { rule } => match self.engine.rule(&rule) {
                Some(found) => json!({
                    "type": "explain",
                    "rule": self.rule_json(found, true),
                }),
                None => json!({
                    "type": "error",
                    "error": format!("there is no rule `{rule}`"),
                }),
            },
            Request::Rules {} => json!({
                "type": "rules",
                "rules": self.engine.rules().map(|r| self.rule_json(r, false)).collect::<Vec<_>>(),
            }),
            Request::Settings { threshold } => {
                match threshold {
                    Some(Severity::Off) => {
                        return error(id, "the threshold is one of hint, info, warning, error")
                    }
                    Some(t) => self.threshold = t,
                    None => {}
                }
                json!({ "type": "settings", "threshold": self.threshold })
            }
        };
        if let (Some(id), Value::Object(map)) = (id, &mut reply) {
            map.insert("id".into(), id);
        }
        reply
    }

    fn check(&mut self, field: String, version: u64, text: &str) -> Value {
        if field.chars().count() > MAX_FIELD_ID_CHARS {
            return json!({
                "type": "error",
                "error": format!("a field id is at most {MAX_FIELD_ID_CHARS} characters"),
            });
        }
        let mut cache = match self.fields.iter().position(|(f, _)| *f == field) {
            Some(i) => self.fields.remove(i).1,
            None => LintCache::default(),
        };
        let report = self.engine.lint_cached(
            text,
            DocKind::PlainText,
            &mut cache,
            crate::engine::Edits::Unknown,
        );
        if self.fields.len() >= CACHED_FIELDS {
            self.fields.remove(0);
        }
        let shown: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.severity >= self.threshold)
            .collect();
        let findings = findings_json(text, &shown);
        self.fields.push((field.clone(), cache));
        json!({
            "type": "check",
            "field": field,
            "version": version,
            "total": shown.len(),
            "findings": findings,
        })
    }

    fn rule_json(&self, rule: &Rule, full: bool) -> Value {
        let mut value = json!({
            "id": rule.id,
            "category": rule.category.as_str(),
            "severity": self.engine.severity_of(&rule.id).unwrap_or(rule.severity),
            "message": rule.message,
            "docs": format!("{DOCS_URL}#{}", rule.id),
        });
        if full {
            value["why"] = unwrap_lines(&rule.why).into();
            value["reframes"] = json!(rule.reframes);
            value["sources"] = sources_json(rule);
        }
        value
    }
}

/// Findings as the underlines need them; the card asks for the rule's reasons and sources with
/// `explain` when it opens, so a long text's reply stays small (a 20 KB note has hundreds of
/// findings, and every reply is parsed and copied twice inside the browser).
fn findings_json(text: &str, findings: &[&Finding]) -> Vec<Value> {
    let utf16 = utf16_ranges(text, findings.iter().map(|f| &f.range));
    findings
        .iter()
        .zip(utf16)
        .map(|(f, at)| {
            json!({
                "rule": f.rule.id,
                "category": f.rule.category.as_str(),
                "severity": f.severity,
                "message": f.rule.message,
                "start": at.start,
                "end": at.end,
                "matched": &text[f.range.clone()],
                "reframes": f.reframes,
            })
        })
        .collect()
}

fn sources_json(rule: &Rule) -> Value {
    rule.sources
        .iter()
        .map(|s| json!({ "title": s.title, "url": s.url }))
        .collect()
}

/// Rule files wrap long text at fixed widths; the card reflows it, keeping paragraph breaks.
fn unwrap_lines(text: &str) -> String {
    text.trim()
        .split("\n\n")
        .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// An error reply, with the request's id when it had one.
pub fn error(id: Option<Value>, message: &str) -> Value {
    let mut reply = json!({ "type": "error", "error": message });
    if let Some(id) = id {
        reply["id"] = id;
    }
    reply
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        Session::new(Engine::builtin())
    }

    fn ask(session: &mut Session, request: Value) -> Value {
        session.handle(request.to_string().as_bytes())
    }

    #[test]
    fn check_echoes_field_version_and_id_with_utf16_offsets() {
        let mut s = session();
        let text = "😀 The client is non-compliant with meds.";
        let reply = ask(
            &mut s,
            json!({"type": "check", "id": 7, "field": "f1", "version": 3, "text": text}),
        );
        assert_eq!(reply["type"], "check", "{reply}");
        assert_eq!(
            (
                reply["id"].clone(),
                reply["field"].clone(),
                reply["version"].clone()
            ),
            (json!(7), json!("f1"), json!(3))
        );
        let finding = reply["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["matched"] == "non-compliant with")
            .unwrap_or_else(|| panic!("no non-compliant finding in {reply}"));
        let start = finding["start"].as_u64().unwrap() as usize;
        let end = finding["end"].as_u64().unwrap() as usize;
        let units: Vec<u16> = text.encode_utf16().collect();
        assert_eq!(
            String::from_utf16(&units[start..end]).unwrap(),
            "non-compliant with"
        );
        assert!(!finding["reframes"].as_array().unwrap().is_empty());
        assert!(
            finding.get("why").is_none(),
            "reasons come with explain: {finding}"
        );
        assert_eq!(reply["total"], reply["findings"].as_array().unwrap().len());
    }

    #[test]
    fn the_threshold_filters_findings() {
        let mut s = session();
        let text = "He is a schizophrenic and an addict who committed suicide.";
        let check = |s: &mut Session| {
            ask(
                s,
                json!({"type": "check", "field": "a", "version": 1, "text": text}),
            )["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["severity"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        let all = check(&mut s);
        assert!(all.len() >= 2, "{all:?}");
        let reply = ask(&mut s, json!({"type": "settings", "threshold": "error"}));
        assert_eq!(reply["threshold"], "error");
        let loud = check(&mut s);
        assert!(loud.iter().all(|sev| sev == "error"), "{loud:?}");
        assert_eq!(loud.len(), all.iter().filter(|sev| *sev == "error").count());
        let reply = ask(&mut s, json!({"type": "settings", "threshold": "off"}));
        assert_eq!(reply["type"], "error");
    }

    #[test]
    fn explain_rules_and_hello() {
        let mut s = session();
        let rules = ask(&mut s, json!({"type": "rules", "id": "r"}));
        let list = rules["rules"].as_array().unwrap();
        assert_eq!(list.len(), s.engine.rules().count());
        let first = list[0]["id"].as_str().unwrap().to_string();
        let explained = ask(&mut s, json!({"type": "explain", "rule": first}));
        assert_eq!(explained["rule"]["id"], first.as_str());
        assert!(!explained["rule"]["why"].as_str().unwrap().is_empty());
        assert!(!explained["rule"]["sources"].as_array().unwrap().is_empty());
        assert!(explained["rule"]["docs"]
            .as_str()
            .unwrap()
            .ends_with(&first));
        let unknown = ask(
            &mut s,
            json!({"type": "explain", "rule": "no-such-rule", "id": 4}),
        );
        assert_eq!(
            (unknown["type"].clone(), unknown["id"].clone()),
            (json!("error"), json!(4))
        );
        let hello = ask(&mut s, json!({"type": "hello"}));
        assert_eq!(hello["rules"], list.len());
    }

    #[test]
    fn malformed_requests_get_error_replies() {
        let mut s = session();
        for body in [
            &b"not json"[..],
            b"[1,2]",
            br#"{"type":"launch"}"#,
            br#"{"type":"check","field":"a"}"#,
            br#"{"type":"check","field":"a","version":-1,"text":""}"#,
            br#"{"type":"rules","extra":1}"#,
            b"\xff\xfe",
        ] {
            let reply = s.handle(body);
            assert_eq!(reply["type"], "error", "{}", String::from_utf8_lossy(body));
            assert!(!reply["error"].as_str().unwrap().is_empty());
        }
        let long_field = "f".repeat(MAX_FIELD_ID_CHARS + 1);
        let reply = ask(
            &mut s,
            json!({"type": "check", "field": long_field, "version": 1, "text": "x"}),
        );
        assert_eq!(reply["type"], "error");
    }

    #[test]
    fn field_caches_are_bounded_and_forgotten() {
        let mut s = session();
        for i in 0..CACHED_FIELDS + 5 {
            ask(
                &mut s,
                json!({"type": "check", "field": format!("f{i}"), "version": 1, "text": "resistant client"}),
            );
        }
        assert_eq!(s.fields.len(), CACHED_FIELDS);
        assert_eq!(s.fields[0].0, "f5");
        ask(&mut s, json!({"type": "forget", "field": "f6"}));
        assert!(s.fields.iter().all(|(f, _)| f != "f6"));
    }

    #[test]
    fn a_cached_field_gives_the_same_findings_as_a_fresh_lint() {
        let mut s = session();
        let first = "The client is resistant.\n\nShe is non-compliant.";
        let second = "The client is resistant.\n\nShe is non-compliant with meds and an addict.";
        ask(
            &mut s,
            json!({"type": "check", "field": "x", "version": 1, "text": first}),
        );
        let cached = ask(
            &mut s,
            json!({"type": "check", "field": "x", "version": 2, "text": second}),
        );
        let fresh = ask(
            &mut session(),
            json!({"type": "check", "field": "y", "version": 2, "text": second}),
        );
        assert_eq!(cached["findings"], fresh["findings"]);
    }
}
