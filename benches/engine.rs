//! Engine throughput: checking a 1 MB Markdown document with the full library and with ten
//! times the rules, and the cost of loading the built-in library (the language server's start).
//! A plain timing loop rather than criterion keeps the dev-dependencies, and CI, small.
//!
//! A large document's chunks are linted on all of rayon's threads, so each throughput figure is
//! taken on one core (a one-thread pool) and the headline also on all cores.

use reframe::{builtin_rules, DocKind, Engine, EngineBuilder, Library, LoadedRule};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// About 1 MB of note-like Markdown: one paragraph with three flagged phrases, code and a link
/// in every `flagged_every` paragraphs. Each paragraph is numbered, so no two chunks are alike:
/// the engine lints a repeated chunk once, and a document of copies would time that instead.
fn document(flagged_every: usize) -> String {
    let flagged = "The client arrived on time and we reviewed the sleep log together. She described \
        feeling hesitant about the new medication because of side effects, and we agreed to revisit \
        the plan next week. Her brother committed suicide two years ago; she was resistant to talking \
        about it today, which makes sense. Urine drug screen was clean.\n\n\
        ```\ncode block resistant\n```\n\n- list item with a [link](https://example.org) and *emphasis*\n\n";
    let clean =
        "We reviewed the week's sleep log together and talked through what helped on the harder \
        evenings. She wants to keep the walking routine and try the breathing exercise before bed; \
        we agreed to look at the plan again next week and to share the summary with her GP.\n\n";
    let mut text = String::with_capacity(1 << 20);
    let mut visit = 0;
    while text.len() < 1 << 20 {
        visit += 1;
        let paragraph = if visit % flagged_every == 0 {
            flagged
        } else {
            clean
        };
        text.push_str(&format!("Visit {visit}. {paragraph}"));
    }
    text
}

/// The built-in rules copied nine more times under new ids: ten times the library. With
/// `own_words`, each copy's letters are shifted along the alphabet (`resistant` becomes
/// `sftjtubou`), so the copies, like most rules of a larger library, never occur in the text; the
/// matcher's one pass must then cost what it did. Without, each copy is its phrase plus a word
/// (`resistant x1`): it shares its original's anchors and is tried at each of their hits, the
/// worst case for a library whose rules share their words.
fn tenfold(own_words: bool) -> Vec<LoadedRule> {
    let mut all = Vec::new();
    for copy in 1..10u8 {
        for loaded in builtin_rules() {
            let mut rule = (*loaded.rule).clone();
            rule.id = format!("{}-copy{copy}", rule.id);
            let changed = |p: &String| {
                if own_words {
                    shift_letters(p, copy)
                } else {
                    format!("{p} x{copy}")
                }
            };
            rule.phrases = rule.phrases.iter().map(changed).collect();
            rule.regex = rule.regex.as_ref().map(changed);
            if own_words {
                rule.anchors = rule.anchors.iter().map(changed).collect();
            }
            all.push(LoadedRule {
                rule: Arc::new(rule),
                origin: loaded.origin.clone(),
            });
        }
    }
    all
}

/// `pattern` with every ASCII letter moved `by` places along the alphabet, except in word-list
/// names (`@person`) and regex escapes (`\b`, `\s`).
fn shift_letters(pattern: &str, by: u8) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut keep_word = false;
    for c in pattern.chars() {
        keep_word = matches!(c, '@' | '\\') || (keep_word && c.is_ascii_alphabetic());
        out.push(match c {
            'a'..='z' if !keep_word => (b'a' + (c as u8 - b'a' + by) % 26) as char,
            'A'..='Z' if !keep_word => (b'A' + (c as u8 - b'A' + by) % 26) as char,
            _ => c,
        });
    }
    out
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

/// The built-in library compiled anew, as a process start does.
fn fresh_library() -> Result<Engine, reframe::LocatedError> {
    EngineBuilder::new().library(Library::BuiltinFresh).build()
}

/// Runs `run` on a pool of one thread: one core.
fn one_core<T: Send>(run: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a one-thread pool")
        .install(run)
}

fn main() {
    let typical = document(10);
    let dense = document(1);
    let engine = Engine::builtin();
    // `cargo test --all-targets` runs this file too, as a debug build: check that it works and
    // print no figures, which would be a debug build's. `cargo bench` passes `--bench`.
    if !std::env::args().any(|arg| arg == "--bench") {
        let report = engine.lint(&typical, DocKind::Markdown);
        assert!(!report.findings.is_empty(), "the typical note has findings");
        return;
    }
    one_core(|| {
        measure(
            "lint 1 MB markdown, full library, one core",
            Some(typical.len()),
            || engine.lint(&typical, DocKind::Markdown),
        );
        measure(
            "lint 1 MB markdown, full library, a flagged paragraph in each, one core",
            Some(dense.len()),
            || engine.lint(&dense, DocKind::Markdown),
        );
    });
    measure(
        &format!(
            "lint 1 MB markdown, full library, all {} cores",
            rayon::current_num_threads()
        ),
        Some(typical.len()),
        || engine.lint(&typical, DocKind::Markdown),
    );
    for (name, own_words) in [
        (
            "lint 1 MB markdown, 10x rules (the copies have words of their own), one core",
            true,
        ),
        (
            "lint 1 MB markdown, 10x rules (each copy shares its original's words), one core",
            false,
        ),
    ] {
        let big = EngineBuilder::new()
            .rules(tenfold(own_words))
            .build()
            .unwrap();
        one_core(|| {
            measure(name, Some(typical.len()), || {
                big.lint(&typical, DocKind::Markdown)
            })
        });
    }
    measure("parse the built-in rule files", None, || {
        builtin_rules().len()
    });
    measure(
        "load the built-in library: parse, compile, index the anchors",
        None,
        || fresh_library().is_ok(),
    );
    measure(
        "load the built-in library and lint one sentence (its first regexes compile)",
        None,
        || {
            fresh_library()
                .unwrap()
                .lint("The client was resistant.", DocKind::PlainText)
                .findings
                .len()
        },
    );
}
