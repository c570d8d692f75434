"""Writes synthetic clinical notes as Parquet (note_id, text) for the Spark example and its test.

Notes mix the built-in rules' own example sentences (those that must be flagged and those that
must not) with neutral clinical sentences, Markdown structure, accents and emoji, so the audit
sees realistic variety. Deterministic for a given seed.

    python generate_notes.py notes.parquet --count 100000
"""

from __future__ import annotations

import argparse
import random

import pyarrow as pa
import pyarrow.parquet as pq

from reframe_lint import Linter

NEUTRAL = [
    "Vitals stable; afebrile overnight.",
    "Discussed the discharge plan with the patient and her daughter.",
    "He reports sleeping five hours a night since the move.",
    "Blood pressure 128/82, heart rate 74.",
    "Follow-up in two weeks with primary care.",
    "She asked about side effects of the new medication.",
    "Labs pending: CBC, BMP, HbA1c.",
    "Patient declined the flu vaccine today.",
    "Reviewed the home exercise program; questions answered.",
    "Mood described as “okay, better than last week.”",
    "Señora García prefers appointments in the morning.",
    "Interpreter used for the visit (Portuguese).",
    "Wound edges clean and dry; dressing changed.",
    "Transportation to the clinic remains difficult for him.",
]
HEADINGS = ["## Subjective", "## Assessment", "## Plan", "**Follow-up**", "# Progress note"]
DECORATIONS = ["", "", "", "🙂 ", "José: ", "Zoë's note — ", "👩‍⚕️ ", "Ünal: "]


def sentence_pool(linter: Linter) -> list[str]:
    """The rules' flag and pass examples plus the neutral sentences."""
    pool = list(NEUTRAL)
    for rule in linter.rules():
        pool.extend(rule["flag_examples"])
        pool.extend(rule["pass_examples"])
    return pool


def note(rng: random.Random, pool: list[str]) -> str:
    """One note: a few paragraphs of sentences, sometimes a heading or a list."""
    paragraphs = []
    for _ in range(rng.randint(1, 3)):
        sentences = [rng.choice(DECORATIONS) + rng.choice(pool) for _ in range(rng.randint(1, 4))]
        shape = rng.random()
        if shape < 0.2:
            paragraphs.append(rng.choice(HEADINGS))
            paragraphs.append(" ".join(sentences))
        elif shape < 0.35:
            paragraphs.append("\n".join(f"- {s}" for s in sentences))
        else:
            paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="the Parquet file to write")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pool = sentence_pool(Linter())
    texts = [note(rng, pool) for _ in range(args.count)]
    table = pa.table({"note_id": pa.array(range(args.count), pa.int64()), "text": texts})
    pq.write_table(table, args.out)


if __name__ == "__main__":
    main()
