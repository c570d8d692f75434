//! The report as one self-contained page: inline CSS and SVG charts, no script, no network,
//! printable. The markup is well-formed XML (XHTML syntax) so it can be checked mechanically.

use super::{plural, FileSummary, Summary};
use crate::rule::Category;
use std::fmt::Write;

/// Bars in the "most frequent rules" chart.
const TOP_RULES_CHARTED: usize = 10;
const CHART_WIDTH: usize = 680;
const LABEL_WIDTH: usize = 200;
const ROW_HEIGHT: usize = 26;
/// Room right of the longest bar for its number.
const COUNT_ROOM: usize = 50;

/// Renders the summary as an HTML page.
pub fn html(summary: &Summary) -> String {
    let mut out = String::new();
    out.push_str(HEAD);
    let _ = write!(
        out,
        "<header><h1>Reframe report</h1><p class=\"lede\" data-total=\"{}\" data-files=\"{}\">\
         <strong>{}</strong> finding{} in <strong>{}</strong> file{}.</p>{INTRO}</header>\n<main>\n",
        summary.findings,
        summary.files,
        summary.findings,
        plural(summary.findings),
        summary.files,
        plural(summary.files),
    );
    categories_section(&mut out, summary);
    files_chart_section(&mut out, summary);
    rules_section(&mut out, summary);
    phrases_section(&mut out, summary);
    out.push_str("<section><h2>Drafts</h2>\n");
    for (i, file) in summary.per_file.iter().enumerate() {
        file_section(&mut out, i, file);
    }
    out.push_str("</section>\n</main>\n</body>\n</html>\n");
    out
}

const HEAD: &str = r#"<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>Reframe report</title>
<style>
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { margin-bottom: 0.25rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #d0d7de; } h3 { margin-top: 1.75rem; font-family: ui-monospace, monospace; font-size: 1rem; }
.lede { font-size: 1.2rem; } .intro { color: #57606a; }
table { border-collapse: collapse; margin: 1rem 0; } th, td { border: 1px solid #d0d7de; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
svg.chart { max-width: 100%; height: auto; display: block; margin: 1rem 0; }
svg text { font: 13px system-ui, sans-serif; fill: #1f2328; }
.legend { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; padding: 0; list-style: none; font-size: 0.9rem; }
.swatch { display: inline-block; width: 0.9rem; height: 0.9rem; border: 1px solid #333; margin-right: 0.3rem; vertical-align: -0.1rem; }
.sentence { margin: 0.75rem 0 0.25rem; }
.reframes { margin: 0 0 0.5rem; color: #3d444d; }
mark { padding: 0 0.1rem; border-radius: 2px; color: inherit; }
mark.error { background: #ffd8d6; border-bottom: 2px solid #cf222e; }
mark.warning { background: #fff0c2; border-bottom: 2px dashed #9a6700; }
mark.info { background: #dbeafe; border-bottom: 2px dotted #0969da; }
mark.hint { background: #eaeef2; border-bottom: 1px dotted #57606a; }
.sev { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.03em; }
code { font-family: ui-monospace, monospace; font-size: 0.9em; }
.c-blame { fill: #D55E00; background: #D55E00; } .c-doubt { fill: #E69F00; background: #E69F00; }
.c-identity { fill: #0072B2; background: #0072B2; } .c-substance { fill: #009E73; background: #009E73; }
.c-suicide { fill: #CC79A7; background: #CC79A7; } .c-pity { fill: #56B4E9; background: #56B4E9; }
.c-casual { fill: #F0E442; background: #F0E442; } .c-hope { fill: #999999; background: #999999; }
rect.bar { stroke: #333; stroke-width: 0.5; }
@media print { body { max-width: none; padding: 0; } section, table, svg, .sentence { break-inside: avoid; } * { print-color-adjust: exact; -webkit-print-color-adjust: exact; } }
</style>
</head>
<body>
"#;

const INTRO: &str = "<p class=\"intro\">Each finding marks wording that research and style \
guides say can follow a person: blame, doubt, a person reduced to a diagnosis, and more. The \
counts show patterns, not grades. Every flagged sentence below comes with gentler \
alternatives; the writer decides.</p>";

fn categories_section(out: &mut String, summary: &Summary) {
    out.push_str("<section><h2>By category</h2>\n");
    let bars: Vec<Bar> = Category::ALL
        .iter()
        .map(|c| Bar {
            label: c.label().to_string(),
            full: c.label().to_string(),
            segments: vec![(c.as_str(), summary.by_category[c.as_str()])],
        })
        .collect();
    bar_chart(out, "chart-categories", "Findings by category", &bars);
    out.push_str("<table><thead><tr><th>Category</th><th>What it covers</th><th>Findings</th></tr></thead><tbody>\n");
    for c in Category::ALL {
        let _ = writeln!(
            out,
            "<tr><td><span class=\"swatch c-{id}\"></span>{}</td><td>{}</td><td class=\"n\" data-category=\"{id}\">{}</td></tr>",
            c.label(),
            c.describe(),
            summary.by_category[c.as_str()],
            id = c.as_str(),
        );
    }
    out.push_str("</tbody></table></section>\n");
}

fn files_chart_section(out: &mut String, summary: &Summary) {
    if summary.per_file.len() < 2 {
        return;
    }
    out.push_str("<section><h2>Across drafts</h2>\n<p class=\"intro\">One bar per draft, in the order given (name drafts by date to see patterns over time).</p>\n");
    let bars: Vec<Bar> = summary
        .per_file
        .iter()
        .map(|f| Bar {
            label: short_path(&f.path),
            full: f.path.clone(),
            segments: Category::ALL
                .iter()
                .map(|c| (c.as_str(), f.by_category[c.as_str()]))
                .collect(),
        })
        .collect();
    bar_chart(out, "chart-files", "Findings per draft, by category", &bars);
    out.push_str("<ul class=\"legend\">");
    for c in Category::ALL {
        let _ = write!(
            out,
            "<li><span class=\"swatch c-{}\"></span>{}</li>",
            c.as_str(),
            c.label()
        );
    }
    out.push_str("</ul></section>\n");
}

fn rules_section(out: &mut String, summary: &Summary) {
    if summary.by_rule.is_empty() {
        return;
    }
    out.push_str("<section><h2>Rules that came up</h2>\n");
    let bars: Vec<Bar> = summary
        .by_rule
        .iter()
        .take(TOP_RULES_CHARTED)
        .map(|r| Bar {
            label: r.rule.clone(),
            full: r.rule.clone(),
            segments: vec![(r.category, r.count)],
        })
        .collect();
    bar_chart(out, "chart-rules", "The most frequent rules", &bars);
    out.push_str("<table><thead><tr><th>Rule</th><th>Category</th><th>Findings</th><th>Message</th></tr></thead><tbody>\n");
    for r in &summary.by_rule {
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"n\" data-rule=\"{}\">{}</td><td>{}</td></tr>",
            escape(&r.rule),
            r.category,
            escape(&r.rule),
            r.count,
            escape(&r.message)
        );
    }
    out.push_str("</tbody></table></section>\n");
}

fn phrases_section(out: &mut String, summary: &Summary) {
    if summary.recurring_phrases.is_empty() {
        return;
    }
    out.push_str("<section><h2>Phrases that recur</h2>\n<table><thead><tr><th>Phrase</th><th>Times</th></tr></thead><tbody>\n");
    for p in &summary.recurring_phrases {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
            escape(&p.phrase),
            p.count
        );
    }
    out.push_str("</tbody></table></section>\n");
}

fn file_section(out: &mut String, i: usize, file: &FileSummary) {
    let _ = writeln!(
        out,
        "<article id=\"file-{i}\" data-findings=\"{}\"><h3>{}</h3><p>{} finding{} in {} words.</p>",
        file.findings,
        escape(&file.path),
        file.findings,
        plural(file.findings),
        file.words
    );
    for sentence in &file.sentences {
        let _ = write!(
            out,
            "<p class=\"sentence\"><span class=\"sev\">Line {}</span> ",
            sentence.line
        );
        let mut cursor = 0;
        for f in &sentence.findings {
            out.push_str(&escape(&sentence.text[cursor..f.range.start]));
            let _ = write!(
                out,
                "<mark class=\"{sev}\" data-rule=\"{rule}\" title=\"{sev}: {rule}\">{}</mark>",
                escape(&f.matched),
                sev = f.severity,
                rule = escape(&f.rule),
            );
            cursor = f.range.end;
        }
        out.push_str(&escape(&sentence.text[cursor..]));
        out.push_str("</p>\n<ul class=\"reframes\">");
        for f in &sentence.findings {
            let _ = write!(
                out,
                "<li><span class=\"sev\">{}</span> <code>{}</code>: {}",
                f.severity,
                escape(&f.rule),
                escape(&f.message)
            );
            if !f.reframes.is_empty() {
                let options: Vec<String> = f
                    .reframes
                    .iter()
                    .map(|r| format!("“{}”", escape(r)))
                    .collect();
                let _ = write!(out, " <em>Try:</em> {}.", options.join(", "));
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>\n");
    }
    if file.sentences_not_shown > 0 {
        let _ = writeln!(
            out,
            "<p class=\"not-shown\">{}</p>",
            escape(&super::markdown::not_shown(file.sentences_not_shown))
        );
    }
    out.push_str("</article>\n");
}

/// One row of a horizontal bar chart: a label and coloured segments (category id, count).
struct Bar {
    label: String,
    /// What the label stands for, whole: the tooltip and the screen readers' text.
    full: String,
    segments: Vec<(&'static str, usize)>,
}

/// A horizontal bar chart. Every bar also prints its number, so colour is never the only cue,
/// and the title and description give screen readers the same figures.
fn bar_chart(out: &mut String, id: &str, title: &str, bars: &[Bar]) {
    let max = bars
        .iter()
        .map(|b| b.segments.iter().map(|s| s.1).sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let span = CHART_WIDTH - LABEL_WIDTH - COUNT_ROOM;
    let height = bars.len() * ROW_HEIGHT + 10;
    let description: Vec<String> = bars
        .iter()
        .map(|b| {
            format!(
                "{}: {}",
                b.full,
                b.segments.iter().map(|s| s.1).sum::<usize>()
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"{id}\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {CHART_WIDTH} {height}\" \
         width=\"{CHART_WIDTH}\" height=\"{height}\"><title id=\"{id}-title\">{}</title>\
         <desc id=\"{id}-desc\">{}</desc>",
        escape(title),
        escape(&description.join("; "))
    );
    for (row, bar) in bars.iter().enumerate() {
        let y = 5 + row * ROW_HEIGHT;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\"><title>{}</title>{}</text>",
            LABEL_WIDTH - 8,
            y + ROW_HEIGHT / 2 + 4,
            escape(&bar.full),
            escape(&bar.label)
        );
        let mut x = LABEL_WIDTH;
        for &(category, count) in bar.segments.iter().filter(|s| s.1 > 0) {
            let width = (count * span).div_ceil(max);
            let _ = write!(
                out,
                "<rect class=\"bar c-{category}\" x=\"{x}\" y=\"{}\" width=\"{width}\" height=\"{}\"><title>{category}: {count}</title></rect>",
                y + 3,
                ROW_HEIGHT - 6
            );
            x += width;
        }
        let total: usize = bar.segments.iter().map(|s| s.1).sum();
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\">{total}</text>",
            x + 6,
            y + ROW_HEIGHT / 2 + 4
        );
    }
    out.push_str("</svg>\n");
}

/// A path short enough for a chart axis: whole when it fits, else its last components
/// behind "…/", cut only between components (the file name is kept whole, and the chart's
/// tooltip shows the whole path).
fn short_path(path: &str) -> String {
    const ROOM: usize = 28;
    if path.chars().count() <= ROOM {
        return path.to_string();
    }
    let mut parts = path.rsplit(['/', '\\']);
    let mut short = parts.next().unwrap_or(path).to_string();
    for part in parts {
        if short.chars().count() + part.chars().count() + 3 > ROOM {
            break;
        }
        short = format!("{part}/{short}");
    }
    format!("…/{short}")
}

/// Escapes text for element content and attribute values alike.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and newline are not allowed in XML.
            c if c.is_control() && c != '\t' && c != '\n' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::short_path;

    #[test]
    fn short_paths_are_whole_or_cut_between_components() {
        assert_eq!(short_path("drafts/week1.md"), "drafts/week1.md");
        assert_eq!(
            short_path("examples/workshop/workshop-exercise.txt"),
            "…/workshop-exercise.txt"
        );
        assert_eq!(
            short_path("a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p.md"),
            "…/e/f/g/h/i/j/k/l/m/n/o/p.md"
        );
        let long = "x".repeat(40) + ".md";
        assert_eq!(short_path(&long), format!("…/{long}"));
    }
}
