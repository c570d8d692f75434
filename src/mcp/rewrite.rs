//! `reframe_text`: which findings get their preferred reframe, and which are left for the writer.
//! The edits themselves come from [`preferred_edits`], as in `reframe fix`.

use super::schema::{Change, FindingOut, Judgement, JudgementReason, Position, ReframeResult};
use crate::engine::Finding;
use crate::fix::{apply_edits, preferred_edits};
use crate::lines::LineIndex;
use crate::rule::{Rule, Severity};

/// The quietest severity whose findings are changed, as `reframe fix` does by default.
const MIN_SEVERITY: Severity = Severity::Warning;

/// Whether applying `rule`'s preferred reframe without the writer's review keeps the sentence's
/// meaning. The rule data carries no such marking yet, so every rule counts as safe and
/// `reframe_text` behaves like `reframe fix`; once rules say which of their fixes keep meaning,
/// this is the one place that reads it, and `unsafe: false` then leaves the others for the writer.
pub fn reframe_keeps_meaning(_rule: &Rule) -> bool {
    true
}

/// The text with the preferred reframe of every eligible finding applied, the first `max_listed`
/// changes, and the first `max_listed` findings left for the writer with the reason.
/// `findings` must be sorted by start, as the engine reports them.
pub fn reframe(
    text: &str,
    findings: &[Finding],
    include_unsafe: bool,
    max_listed: usize,
) -> ReframeResult {
    let allowed = |f: &Finding| include_unsafe || reframe_keeps_meaning(&f.rule);
    let edits = preferred_edits(findings.iter().filter(|f| allowed(f)), MIN_SEVERITY);
    let index = LineIndex::new(text);
    let mut next_edit = edits.iter().peekable();
    let mut changes = Vec::new();
    let mut needs_judgement = Vec::new();
    let mut total_needs_judgement = 0;
    for finding in findings {
        let eligible = allowed(finding) && finding.severity >= MIN_SEVERITY;
        match next_edit.peek() {
            Some(edit) if eligible && edit.range == finding.range => {
                if changes.len() < max_listed {
                    changes.push(Change {
                        rule: finding.rule.id.clone(),
                        original: text[finding.range.clone()].to_string(),
                        replacement: edit.replacement.clone(),
                        position: Position::of(&index, &finding.range),
                    });
                }
                next_edit.next();
            }
            _ => {
                total_needs_judgement += 1;
                if needs_judgement.len() < max_listed {
                    needs_judgement.push(Judgement {
                        reason: reason_left(finding, allowed(finding)),
                        finding: FindingOut::new(text, &index, finding),
                    });
                }
            }
        }
    }
    ReframeResult {
        text: apply_edits(text, &edits),
        changes,
        total_changes: edits.len(),
        needs_judgement,
        total_needs_judgement,
    }
}

/// Why a finding that got no edit was left alone.
fn reason_left(finding: &Finding, allowed: bool) -> JudgementReason {
    if finding.reframes.is_empty() {
        JudgementReason::NoReframe
    } else if finding.severity < MIN_SEVERITY {
        JudgementReason::BelowWarning
    } else if !allowed {
        JudgementReason::NotMarkedSafe
    } else {
        JudgementReason::OverlapsChange
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;
    use crate::prose::DocKind;

    #[test]
    fn applies_warnings_and_leaves_the_rest_with_reasons() {
        let engine = Engine::builtin();
        let text = "The client is resistant to treatment.\n\n\
                    He will never recover, she supposedly said.\n";
        let report = engine.lint(text, DocKind::PlainText);
        let result = reframe(text, &report.findings, false, usize::MAX);
        assert_eq!(
            result.text,
            "The client is hesitant about treatment.\n\n\
             He will never recover, she supposedly said.\n"
        );
        let changed: Vec<_> = result
            .changes
            .iter()
            .map(|c| (c.rule.as_str(), c.original.as_str(), c.position.line))
            .collect();
        assert_eq!(changed, [("resistant-to", "resistant to", 1)]);
        let left: Vec<_> = result
            .needs_judgement
            .iter()
            .map(|j| (j.finding.rule.as_str(), j.reason))
            .collect();
        assert_eq!(
            left,
            [
                ("will-never-recover", JudgementReason::BelowWarning),
                ("supposedly", JudgementReason::NoReframe),
            ]
        );
    }

    #[test]
    fn unsafe_changes_nothing_while_every_rule_keeps_meaning() {
        let engine = Engine::builtin();
        let text = "The client is non-compliant. He committed suicide.\n";
        let report = engine.lint(text, DocKind::PlainText);
        assert!(report
            .findings
            .iter()
            .all(|f| reframe_keeps_meaning(&f.rule)));
        let safe = reframe(text, &report.findings, false, usize::MAX);
        let all = reframe(text, &report.findings, true, usize::MAX);
        assert_eq!(safe.text, all.text);
        assert_eq!(safe.changes.len(), 2);
        assert_eq!(safe.total_changes, 2);
    }

    #[test]
    fn lists_stop_at_the_limit_but_every_change_is_applied() {
        let engine = Engine::builtin();
        let text = "He is non-compliant, supposedly.\n\n".repeat(5);
        let report = engine.lint(&text, DocKind::PlainText);
        let result = reframe(&text, &report.findings, false, 2);
        assert_eq!((result.changes.len(), result.total_changes), (2, 5));
        assert_eq!(
            (result.needs_judgement.len(), result.total_needs_judgement),
            (2, 5)
        );
        assert!(!result.text.contains("non-compliant"));
    }

    #[test]
    fn text_without_findings_is_returned_unchanged() {
        let engine = Engine::builtin();
        let text = "We met on Tuesday and planned the next session.\r\n";
        let report = engine.lint(text, DocKind::Markdown);
        let result = reframe(text, &report.findings, false, usize::MAX);
        assert_eq!(result.text, text);
        assert!(result.changes.is_empty() && result.needs_judgement.is_empty());
    }
}
