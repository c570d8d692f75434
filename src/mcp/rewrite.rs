//! `reframe_text`: which findings get their preferred reframe, and which are left for the writer.
//! The edits themselves come from [`preferred_edits`], as in `reframe fix`: safe reframes only,
//! unless suggestions are asked for.

use super::schema::{Change, FindingOut, Judgement, JudgementReason, Position, ReframeResult};
use crate::engine::Finding;
use crate::fix::{apply_edits, preferred_edits, FixScope};
use crate::lines::LineIndex;
use crate::rule::{FixSafety, Severity};

/// The quietest severity whose findings are changed, as `reframe fix` does by default.
const MIN_SEVERITY: Severity = Severity::Warning;

/// The text with the preferred reframe of every eligible finding applied, the first `max_listed`
/// changes, and the first `max_listed` findings left for the writer with the reason.
/// `findings` must be sorted by start, as the engine reports them.
pub fn reframe(
    text: &str,
    findings: &[Finding],
    include_unsafe: bool,
    max_listed: usize,
) -> ReframeResult {
    let scope = if include_unsafe {
        FixScope::WithSuggestions
    } else {
        FixScope::SafeOnly
    };
    let allowed = |f: &Finding| include_unsafe || f.rule.reframe_safety(0) == FixSafety::Safe;
    let edits = preferred_edits(findings, MIN_SEVERITY, scope);
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

    const TEXT: &str = "The client is resistant to treatment.\n\n\
                        He will never recover, she supposedly said.\n\n\
                        Her brother committed suicide.\n";

    fn left(result: &ReframeResult) -> Vec<(&str, JudgementReason)> {
        result
            .needs_judgement
            .iter()
            .map(|j| (j.finding.rule.as_str(), j.reason))
            .collect()
    }

    #[test]
    fn applies_safe_reframes_and_leaves_the_rest_with_reasons() {
        let engine = Engine::builtin();
        let report = engine.lint(TEXT, DocKind::PlainText);
        let result = reframe(TEXT, &report.findings, false, usize::MAX);
        assert_eq!(
            result.text,
            TEXT.replace("committed suicide", "died by suicide")
        );
        let changed: Vec<_> = result
            .changes
            .iter()
            .map(|c| (c.rule.as_str(), c.original.as_str(), c.position.line))
            .collect();
        assert_eq!(changed, [("committed-suicide", "committed suicide", 5)]);
        assert_eq!(
            left(&result),
            [
                ("resistant-to", JudgementReason::NotMarkedSafe),
                ("will-never-recover", JudgementReason::BelowWarning),
                ("supposedly", JudgementReason::NoReframe),
            ]
        );
    }

    #[test]
    fn unsafe_also_applies_suggestions() {
        let engine = Engine::builtin();
        let report = engine.lint(TEXT, DocKind::PlainText);
        let result = reframe(TEXT, &report.findings, true, usize::MAX);
        assert_eq!(
            result.text,
            TEXT.replace("committed suicide", "died by suicide")
                .replace("resistant to", "hesitant about")
        );
        assert_eq!(result.total_changes, 2);
        assert_eq!(
            left(&result),
            [
                ("will-never-recover", JudgementReason::BelowWarning),
                ("supposedly", JudgementReason::NoReframe),
            ]
        );
    }

    #[test]
    fn lists_stop_at_the_limit_but_every_change_is_applied() {
        let engine = Engine::builtin();
        let text = "Her brother committed suicide, supposedly.\n\n".repeat(5);
        let report = engine.lint(&text, DocKind::PlainText);
        let result = reframe(&text, &report.findings, false, 2);
        assert_eq!((result.changes.len(), result.total_changes), (2, 5));
        assert_eq!(
            (result.needs_judgement.len(), result.total_needs_judgement),
            (2, 5)
        );
        assert!(!result.text.contains("committed"));
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
