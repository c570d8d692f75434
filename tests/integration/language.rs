//! The built-in library on the shapes real writing takes, through the binary: labels on people
//! in care are flagged; the same words about things, software, history, or in a passage that
//! names a label to reject it, are not warnings.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// (rule, severity, matched text) of every finding `reframe check` reports for `text`.
fn findings(text: &str) -> Vec<(String, String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.md");
    std::fs::write(&path, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_reframe"))
        .current_dir(dir.path())
        .args(["check", "--format", "json", "--fail-on", "never"])
        .arg(Path::new("a.md"))
        .output()
        .unwrap();
    let found: Value = serde_json::from_slice(&out.stdout).unwrap();
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let field = |name: &str| f[name].as_str().unwrap().to_string();
            (field("rule"), field("severity"), field("matched"))
        })
        .collect()
}

fn matched(found: &[(String, String, String)]) -> Vec<&str> {
    found.iter().map(|(_, _, m)| m.as_str()).collect()
}

#[test]
fn an_essay_that_rejects_labels_only_hints_at_the_labels_it_names() {
    let essay = "\
# Why hesitation deserves respect

Hesitation in therapy is a way a part of us keeps itself safe. Our resistance shows where the \
tender places are, and honouring that resistance is part of the work.

It is tempting to talk as if a teenager is choosing to be difficult, or as though her father \
were lazy and manipulative. What gets labelled resistance is usually fear.

Calling clients resistant moves the problem onto them.
";
    let found = findings(essay);
    // Only the labels the writer names to reject, each at hint at most.
    assert!(
        found.iter().all(|(_, severity, _)| severity == "hint"),
        "{found:?}"
    );
    for label in matched(&found) {
        assert!(
            [
                "choosing to be difficult",
                "lazy",
                "manipulative",
                "resistance",
                "resistant"
            ]
            .contains(&label),
            "{label} in {found:?}"
        );
    }
    // The essay's own two uses of "resistance" are never findings; only the labelled one
    // may be.
    let resistance = matched(&found)
        .iter()
        .filter(|m| m.eq_ignore_ascii_case("resistance"))
        .count();
    assert!(resistance <= 1, "{found:?}");
    assert!(matched(&found).contains(&"lazy"), "{found:?}");
}

#[test]
fn refusal_and_doubt_are_about_people_in_care() {
    let flagged = findings(
        "The patient has repeatedly refused his evening insulin.\n\n\
         Mr. Okafor still insists his pain is a nine.\n\n\
         She is tired and refuses to attend group.\n",
    );
    assert_eq!(
        matched(&flagged),
        ["refused", "insists", "refuses to"],
        "{flagged:?}"
    );
    let silent = findings(
        "The server refused the connection after the update.\n\n\
         git refuses to check out a branch that is already checked out, and the man page \
         claims that this is safe.\n\n\
         The general steadfastly refused pressure from his allies to join the war.\n\n\
         Refuse to argue with the client; reflect instead.\n",
    );
    assert!(silent.is_empty(), "{silent:?}");
}

#[test]
fn compliance_is_queried_in_care_and_silent_elsewhere() {
    let care = findings(
        "Medication compliance was poor, and reminders may increase compliance in older \
         patients.\n\nMany patients find it hard to comply with treatment for years.\n",
    );
    assert_eq!(care.len(), 3, "{care:?}");
    assert!(care.iter().all(|(_, severity, _)| severity == "hint"));
    let elsewhere = findings(
        "Static lung compliance fell on the ventilator.\n\n\
         The vendor hired a compliance officer after the audit.\n\n\
         Notice of non-compliance with this License ends your rights under it.\n",
    );
    assert!(elsewhere.is_empty(), "{elsewhere:?}");
}

#[test]
fn casual_words_flag_people_not_things() {
    let people = findings(
        "Some crazy guy followed me home.\n\nHonestly, you're so lame.\n\n\
         No sane person would do that.\n",
    );
    assert_eq!(matched(&people), ["crazy", "lame", "sane"], "{people:?}");
    let things = findings(
        "The weather has been crazy all week.\n\nAn insane amount of data arrived.\n\n\
         The traffic was mental.\n\nThe market went nuts.\n\nThe library ships sane \
         defaults after a quick sanity check.\n\nWrite to schizo@example.org for the patch.\n",
    );
    assert!(things.is_empty(), "{things:?}");
}

#[test]
fn labels_in_a_list_before_the_person_and_their_adverbs() {
    let found = findings(
        "Every ward has difficult, demanding patients.\n\n\
         Staff described angry, noncompliant and manipulative clients.\n\n\
         She manipulatively played staff against each other on the ward.\n",
    );
    let labels = matched(&found);
    for label in [
        "difficult",
        "demanding",
        "angry",
        "noncompliant",
        "manipulative",
        "manipulatively",
    ] {
        assert!(labels.contains(&label), "{label} missing from {found:?}");
    }
}

#[test]
fn a_heading_that_names_words_to_avoid_makes_its_list_mentions() {
    let found = findings("## Words to avoid\n- addict\n- junkie\n");
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|(_, severity, _)| severity == "hint"));
}

#[test]
fn stereotypes_a_passage_rejects_are_mentions_and_plain_labels_are_not() {
    // Public writing about stigma names the stereotypes it rejects: each label inside the
    // clause a cue introduces is a hint at most.
    let essay = findings(
        "# What stigma sounds like\n\n\
         Stigma might include inaccurate or unfounded thoughts like they are manipulative, \
         unmotivated, or at fault for their condition.\n\n\
         We keep hearing the myth that addicts are weak-willed.\n\n\
         People in pain are too often stereotyped as drug-seeking.\n\n\
         People wrongly assume that patients who relapse are noncompliant.\n\n\
         That people who self-harm are attention-seeking is a myth.\n",
    );
    let labels = matched(&essay);
    for label in [
        "manipulative",
        "unmotivated",
        "addicts",
        "drug-seeking",
        "noncompliant",
        "attention-seeking",
    ] {
        assert!(labels.contains(&label), "{label} missing from {essay:?}");
    }
    assert!(
        essay.iter().all(|(_, severity, _)| severity == "hint"),
        "{essay:?}"
    );
    // The same labels in plain sentences, and after the writer's own voice returns, stay
    // warnings.
    let notes = findings(
        "Despite the myth that recovery is quick, the client is unmotivated.\n\n\
         The stigma that addicts face is real.\n\n\
         He is manipulative and noncompliant.\n",
    );
    let warned: Vec<&str> = notes
        .iter()
        .filter(|(_, severity, _)| severity == "warning")
        .map(|(_, _, m)| m.as_str())
        .collect();
    for label in ["unmotivated", "addicts", "manipulative", "noncompliant"] {
        assert!(
            warned.contains(&label),
            "{label} not a warning in {notes:?}"
        );
    }
}
