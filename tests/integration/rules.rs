//! The rule library: every rule's own examples, library-wide requirements, the generated
//! reference, and accuracy on the labelled corpus.

use reframe::engine::Engine;
use reframe::load::{builtin_rules, BUILTIN_RULE_FILES};
use reframe::rule::Category;
use reframe::ruletest::{evaluate, run_examples};
use std::collections::BTreeMap;
use std::path::Path;

#[test]
fn every_rule_passes_its_own_examples() {
    let rules = builtin_rules();
    let failures = run_examples(&rules, &|path| {
        BUILTIN_RULE_FILES
            .iter()
            .find(|(p, _)| Path::new(p) == path)
            .map(|(_, s)| s.to_string())
    });
    let listing: Vec<String> = failures.iter().map(|f| f.to_string()).collect();
    assert!(
        failures.is_empty(),
        "{} example failures:\n{}",
        failures.len(),
        listing.join("\n")
    );
}

/// The example packs in `rules/packs/` load beside the built-in library (no id clashes) and
/// pass their own examples, as `reframe rules test rules/packs/X.toml` checks them.
#[test]
fn example_packs_pass_their_own_examples() {
    let packs = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/packs");
    let mut files: Vec<_> = std::fs::read_dir(&packs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 2, "{files:?}");
    for file in files {
        let rules = reframe::load::read_rule_path(&file).unwrap();
        assert!(
            rules.len() >= 10,
            "{}: {} rules",
            file.display(),
            rules.len()
        );
        let mut everything = builtin_rules();
        everything.extend(rules.iter().cloned());
        let compiled = reframe::engine::compile_user_rules(everything).unwrap();
        if let Err(clash) = reframe::matcher::Matcher::new(compiled) {
            panic!("{}: {clash}", file.display());
        }
        let failures = run_examples(&rules, &|path| std::fs::read_to_string(path).ok());
        let listing: Vec<String> = failures.iter().map(|f| f.to_string()).collect();
        assert!(failures.is_empty(), "{}", listing.join("\n"));
    }
}

#[test]
fn library_covers_every_category_with_complete_rules() {
    let rules = builtin_rules();
    assert!(rules.len() >= 250, "only {} rules", rules.len());
    let mut per_category: BTreeMap<Category, usize> = BTreeMap::new();
    for loaded in &rules {
        let rule = &loaded.rule;
        *per_category.entry(rule.category).or_default() += 1;
        let at = format!(
            "{}:{} [{}]",
            loaded.origin.path.display(),
            loaded.origin.line,
            rule.id
        );
        assert!(
            rule.examples.flag.len() >= 2,
            "{at}: needs two flag examples"
        );
        assert!(
            rule.examples.pass.len() >= 2,
            "{at}: needs two pass examples"
        );
        assert!(!rule.sources.is_empty(), "{at}: needs a source");
        assert!(
            !rule.reframes.is_empty() || rule.message.len() > 20,
            "{at}: needs reframes, or a message saying what to describe instead"
        );
    }
    for category in Category::ALL {
        assert!(
            per_category.get(&category).copied().unwrap_or(0) > 0,
            "no {category} rules"
        );
    }
}

#[test]
fn generated_rule_reference_is_current() {
    let generated = reframe::docs::rules_markdown(&Engine::builtin());
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md"))
        .unwrap_or_default();
    assert!(
        generated == committed,
        "docs/rules.md is stale: run `cargo run --release -- rules docs > docs/rules.md`"
    );
}

#[test]
fn corpus_meets_recall_and_false_alarm_goals() {
    let scores = evaluate(
        &Engine::builtin(),
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus")),
    )
    .unwrap();
    let (mut phrases, mut caught, mut traps, mut alarms) = (0, 0, 0, 0);
    let mut problems = Vec::new();
    for (name, s) in &scores {
        phrases += s.phrases;
        caught += s.caught;
        traps += s.traps;
        alarms += s.false_alarms;
        problems.extend(s.problems.iter().map(|p| format!("{name}: {p}")));
    }
    assert!(
        phrases >= 150 && traps >= 150,
        "corpus too small: {phrases} phrases, {traps} traps"
    );
    let recall = caught as f64 / phrases as f64;
    let false_alarm_rate = alarms as f64 / traps as f64;
    assert!(
        recall >= 0.95 && false_alarm_rate <= 0.02,
        "recall {:.1}% (goal 95%), false alarms {:.1}% (goal ≤ 2%)\n{}",
        recall * 100.0,
        false_alarm_rate * 100.0,
        problems.join("\n")
    );
}
