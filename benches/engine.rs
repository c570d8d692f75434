//! Engine throughput: checking a 1 MB Markdown document with the full library, the cost of
//! compiling the built-in library, and throughput with ten times the rules.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use reframe::config::Settings;
use reframe::engine::{compile_user_rules, Engine};
use reframe::error::LocatedError;
use reframe::load::{builtin_rules, LoadedRule};
use reframe::prose::DocKind;
use std::path::Path;
use std::sync::Arc;

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

fn bench(c: &mut Criterion) {
    let text = document();
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(20);
    let engine = Engine::builtin();
    group.bench_function("lint 1 MB markdown, full library", |b| {
        b.iter(|| engine.lint(&text, DocKind::Markdown))
    });
    let extra = compile_user_rules(tenfold()).unwrap();
    let big = Engine::new(extra, &Settings::default(), &|_, m| {
        LocatedError::whole_file(Path::new("x"), m)
    })
    .unwrap();
    group.bench_function("lint 1 MB markdown, 10x rules", |b| {
        b.iter(|| big.lint(&text, DocKind::Markdown))
    });
    group.finish();
    c.bench_function("parse and compile the built-in library", |b| {
        b.iter(|| {
            let rules = builtin_rules();
            compile_user_rules(rules).unwrap().len()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
