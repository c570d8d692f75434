//! Engine throughput: checking a 1 MB Markdown document with the full library and with ten
//! times the rules, and the cost of loading the built-in library (the language server's start).
//! A plain timing loop rather than criterion keeps the dev-dependencies, and CI, small.

use reframe::config::{QuoteMode, Settings};
use reframe::engine::{compile_user_rules, Engine};
use reframe::error::LocatedError;
use reframe::load::{builtin_rules, LoadedRule};
use reframe::prose::DocKind;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// About 1 MB of note-like Markdown with a realistic density of flagged phrases and code.
fn document() -> String {
    let paragraph = "The client arrived on time and we reviewed the sleep log together. She described \
        feeling hesitant about the new medication because of side effects, and we agreed to revisit \
        the plan next week. Her brother committed suicide two years ago; she was resistant to talking \
        about it today, which makes sense. Urine drug screen was clean.\n\n\
        ```\ncode block resistant\n```\n\n- list item with a [link](https://example.org) and *emphasis*\n\n";
    let mut text = String::with_capacity(1 << 20);
    while text.len() < 1 << 20 {
        text.push_str(paragraph);
    }
    text
}

/// The built-in rules copied nine more times under new ids and phrases: ten times the library.
fn tenfold() -> Vec<LoadedRule> {
    let mut all = Vec::new();
    for copy in 1..10 {
        for loaded in builtin_rules() {
            let mut rule = (*loaded.rule).clone();
            rule.id = format!("{}-copy{copy}", rule.id);
            rule.phrases = rule
                .phrases
                .iter()
                .map(|p| format!("{p} x{copy}"))
                .collect();
            if let Some(regex) = &rule.regex {
                rule.regex = Some(format!("{regex} x{copy}"));
            }
            all.push(LoadedRule {
                rule: Arc::new(rule),
                origin: loaded.origin.clone(),
            });
        }
    }
    all
}

/// Times `run` and prints the median and fastest of `samples` runs (after one warm-up run),
/// with throughput when `bytes` is given. Without `--bench` (as under `cargo test
/// --all-targets`) each benchmark runs once, as a smoke test.
fn measure<T>(name: &str, bytes: Option<usize>, mut run: impl FnMut() -> T) {
    let benching = std::env::args().any(|a| a == "--bench");
    let samples = if benching { 20 } else { 1 };
    std::hint::black_box(run());
    let mut times: Vec<Duration> = (0..samples)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(run());
            start.elapsed()
        })
        .collect();
    times.sort();
    let median = times[times.len() / 2];
    let rate = bytes.map_or(String::new(), |b| {
        format!(", {:.1} MB/s", b as f64 / 1e6 / median.as_secs_f64())
    });
    println!(
        "{name}: median {:.2} ms, fastest {:.2} ms over {samples} runs{rate}",
        median.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
    );
}

fn main() {
    let text = document();
    let engine = Engine::builtin();
    measure("lint 1 MB markdown, full library", Some(text.len()), || {
        engine.lint(&text, DocKind::Markdown)
    });
    let extra = compile_user_rules(tenfold()).unwrap();
    let big = Engine::new(extra, &Settings::default(), &|_, m| {
        LocatedError::whole_file(Path::new("x"), m)
    })
    .unwrap();
    measure("lint 1 MB markdown, 10x rules", Some(text.len()), || {
        big.lint(&text, DocKind::Markdown)
    });
    measure(
        "load the built-in library and lint one sentence",
        None,
        || {
            let rules = compile_user_rules(builtin_rules()).unwrap();
            Engine::isolated(rules, QuoteMode::default())
                .unwrap()
                .lint("The client was resistant.", DocKind::PlainText)
                .findings
                .len()
        },
    );
}
