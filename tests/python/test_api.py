"""The `reframe_lint` API: offsets, settings, packs, check_many, tables and errors."""

from __future__ import annotations

from pathlib import Path

import pytest

import reframe_lint
from reframe_lint import COLUMNS, ConfigError, Linter

REPO = Path(__file__).resolve().parents[2]
FLAGGED = "The patient remains non-compliant and was readmitted."


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter()


def test_offsets_index_the_python_string(linter: Linter):
    text = "👩‍⚕️ Notes for José — 🙂🙂\n\nÀ la visite: the patient remains non-compliant and was readmitted. Ça va."
    findings = linter.check(text)
    assert [f.rule for f in findings] == ["non-compliant"]
    f = findings[0]
    assert text[f.start : f.end] == f.matched == "non-compliant"
    assert text.encode()[f.byte_start : f.byte_end].decode() == f.matched
    # Multi-byte characters come before the match, so the two kinds of offset differ.
    assert f.byte_start > f.start
    assert f.sentence == "À la visite: the patient remains non-compliant and was readmitted."
    assert f.category == "blame" and f.severity == "warning"
    assert f.reframes and f.message


def test_offsets_after_astral_characters_in_many_findings(linter: Linter):
    text = "\n\n".join(f"{'🙂' * i} {FLAGGED}" for i in range(1, 6))
    findings = linter.check(text)
    assert len(findings) == 5
    for f in findings:
        assert text[f.start : f.end] == f.matched


def test_markdown_code_is_skipped_unless_plain_text(linter: Linter):
    # Both uses are about the patient, so only the Markdown reading (code is not prose) tells
    # them apart.
    text = "The patient is `non-compliant` again and remains non-compliant after discharge."
    assert len(linter.check(text)) == 1
    assert len(linter.check(text, markdown=False)) == 2


def test_check_many_keeps_input_order(linter: Linter):
    texts = [
        FLAGGED if i % 3 == 0 else f"Note {i}: she was a frequent flyer." if i % 3 == 1 else "Fine."
        for i in range(600)
    ]
    results = linter.check_many(texts)
    assert len(results) == len(texts)
    assert results == [linter.check(t) for t in texts]
    assert linter.check_many(texts[::-1]) == results[::-1]
    assert any(results[1]) and not any(results[2])


def test_check_many_gives_the_same_results_on_any_thread_count(linter: Linter):
    texts = [f"{'é' * (i % 7)} {FLAGGED} She is a frequent flyer." for i in range(300)]
    one = linter.check_many(texts, threads=1)
    assert one == linter.check_many(texts, threads=2) == linter.check_many(texts)
    with pytest.raises(ValueError):
        linter.check_many(texts, threads=0)


def test_check_many_takes_any_iterable_and_none(linter: Linter):
    results = linter.check_many(iter([FLAGGED, None, ""]))
    assert [len(r) for r in results] == [1, 0, 0]
    with pytest.raises(TypeError, match=r"texts\[1\]"):
        linter.check_many([FLAGGED, 42])


def test_check_frame_has_one_row_per_finding(linter: Linter):
    pandas = pytest.importorskip("pandas")
    texts = [FLAGGED, "Fine.", "🙂 " + FLAGGED + " She is a frequent flyer."]
    frame = linter.check_frame(texts, ids=["a", "b", "c"])
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == list(COLUMNS)
    expected = [(i, f) for i, fs in zip("abc", linter.check_many(texts)) for f in fs]
    assert len(frame) == len(expected) >= 3
    assert list(frame["id"]) == [i for i, _ in expected]
    assert list(frame["rule"]) == [f.rule for _, f in expected]
    assert list(frame["start"]) == [f.start for _, f in expected]
    assert str(frame["start"].dtype) == "int64"
    for row in frame.itertuples():
        text = texts["abc".index(row.id)]
        assert text[row.start : row.end] == row.matched
        assert row.matched in row.context


def test_check_frame_ids_default_to_positions_and_must_match(linter: Linter):
    pytest.importorskip("pandas")
    frame = linter.check_frame(["Fine.", FLAGGED])
    assert list(frame["id"]) == [1]
    with pytest.raises(ValueError, match="1 ids for 2 documents"):
        linter.check_frame(["Fine.", FLAGGED], ids=["only"])


def test_check_arrow_table(linter: Linter):
    pyarrow = pytest.importorskip("pyarrow")
    table = linter.check_arrow([FLAGGED, FLAGGED], ids=[10, 20])
    assert isinstance(table, pyarrow.Table)
    assert table.column_names == list(COLUMNS)
    assert table.column("id").to_pylist() == [10, 20]
    assert table.schema.field("byte_start").type == pyarrow.int64()
    assert table.column("matched").to_pylist() == ["non-compliant"] * 2
    empty = linter.check_arrow(["Fine."])
    assert empty.num_rows == 0 and empty.column_names == list(COLUMNS)


def test_config_dict_uses_reframe_toml_keys():
    assert Linter(config={"disable": ["non-compliant"]}).check(FLAGGED) == []
    raised = Linter(config={"severity": {"non-compliant": "error"}}).check(FLAGGED)
    assert [f.severity for f in raised] == ["error"]
    with pytest.raises(ConfigError, match="no-such-rule"):
        Linter(config={"disable": ["no-such-rule"]})
    with pytest.raises(ConfigError, match="unknown field `disabled`"):
        Linter(config={"disabled": ["non-compliant"]})


def test_config_file_and_its_packs(tmp_path: Path):
    (tmp_path / ".reframe.toml").write_text(
        f'rules = ["{(REPO / "rules/packs/memoir.toml").as_posix()}"]\n'
        '[severity]\nblame = "error"\n'
    )
    linter = Linter(config=tmp_path / ".reframe.toml")
    assert [f.severity for f in linter.check(FLAGGED)] == ["error"]
    memoir = "After the funeral my mother lost her mind."
    assert [f.rule for f in linter.check(memoir)] == ["memoir-lost-her-mind"]
    assert Linter().check(memoir) == []
    assert [f.rule for f in Linter(rules=[REPO / "rules/packs"]).check(memoir)] == [
        "memoir-lost-her-mind"
    ]


def test_a_bad_rule_pack_raises_a_located_error(tmp_path: Path):
    pack = tmp_path / "pack.toml"
    pack.write_text('# a pack\n[[rule]]\nid = "x"\nphrases = ["unclosed\n')
    with pytest.raises(ConfigError) as raised:
        Linter(rules=[pack])
    error = raised.value
    assert isinstance(error, ValueError)
    assert (error.path, error.line) == (str(pack), 4)
    assert str(error) == f"{pack}:4:{error.column}: {error.reason}"


def test_an_invalid_rule_is_located_at_its_table(tmp_path: Path):
    pack = tmp_path / "pack.toml"
    pack.write_text(
        "# a pack\n\n[[rule]]\n"
        'id = "Not_Kebab"\ncategory = "blame"\nseverity = "warning"\nphrases = ["xyzzy"]\n'
        'message = "m"\nwhy = "w"\nsources = []\n'
    )
    with pytest.raises(ConfigError) as raised:
        Linter(rules=[pack])
    assert (raised.value.path, raised.value.line, raised.value.column) == (str(pack), 3, 1)


def test_a_missing_config_file_names_it(tmp_path: Path):
    with pytest.raises(ConfigError, match="missing.toml:1:1: cannot read config"):
        Linter(config=tmp_path / "missing.toml")
    with pytest.raises(TypeError):
        Linter(config=42)


def test_rules_lists_the_library_with_effective_severity():
    rules = {r["id"]: r for r in Linter(config={"disable": ["non-compliant"]}).rules()}
    assert rules["non-compliant"]["severity"] == "off"
    assert rules["non-compliant"]["category"] == "blame"
    assert "non-compliant" in rules["non-compliant"]["phrases"]
    assert rules["non-compliant"]["flag_examples"]


def test_version_and_docs():
    assert reframe_lint.__version__.count(".") == 2
    assert Linter.check.__doc__ and Linter.check_frame.__doc__
    assert reframe_lint.Finding.__doc__


def test_check_many_refuses_one_str(linter: Linter):
    with pytest.raises(TypeError, match="not one str"):
        linter.check_many(FLAGGED)


def test_check_many_lets_other_python_threads_run(linter: Linter):
    import threading
    import time

    texts = [f"Visit {i}. {FLAGGED} She is a frequent flyer.\n\n" * 20 for i in range(3000)]
    calling = threading.Event()
    returned = threading.Event()

    def work():
        calling.set()
        linter.check_many(texts)
        returned.set()

    worker = threading.Thread(target=work)
    worker.start()
    calling.wait()
    # Counts how often this thread runs while the worker is inside `check_many`. A call that
    # held the GIL throughout would let it run at most once or twice, at the very start.
    turns = 0
    while not returned.is_set():
        turns += 1
        time.sleep(0.001)
    worker.join()
    assert turns >= 20, f"this thread ran {turns} times while check_many ran"


def test_check_frame_skips_missing_pandas_values(linter: Linter):
    pandas = pytest.importorskip("pandas")
    notes = pandas.DataFrame({"id": [1, 2, 3], "text": [FLAGGED, None, FLAGGED]})
    notes.loc[1, "text"] = float("nan")
    frame = linter.check_frame(notes["text"], ids=notes["id"])
    assert list(frame["id"]) == [1, 3]
    typed = pandas.Series([FLAGGED, pandas.NA], dtype="string")
    assert list(linter.check_frame(typed)["id"]) == [0]
    with pytest.raises(TypeError, match=r"texts\[1\]"):
        linter.check_frame([FLAGGED, 3])
