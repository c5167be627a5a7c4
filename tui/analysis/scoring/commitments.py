"""Commitments: sentence-level P/R/F1 per language and actor accuracy (JSON Lines).

Scored as ``shared/eval/README.md`` says: each sentence is analysed alone with
``analyze(text, language=lang)``; it is predicted positive when the analysis reports
at least one commitment with ``negated == False``, and gold-positive when its
``commitment`` field is true. Negated gold commitments are negatives.

Actor accuracy is measured on true positives, comparing the gold ``actor`` with the
``actor`` of the first non-negated predicted commitment. The match is lenient but
honest (see ``actor_matches``): both strings are normalised (case, accents,
punctuation, leading determiners dropped); they match when one, as a whole word
sequence, contains the other, and the contained one has at least one content word
(a bare determiner or preposition never matches). A gold actor of ``""`` (implicit:
pro-drop or agentless) matches only an empty prediction, since sentences are
analysed alone and nothing can be resolved.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.analysis.commitments import find_commitments
from tui.analysis.model import Commitment
from tui.analysis.pipeline import analyze
from tui.analysis.segment import segment

_FUNCTION_WORDS = frozenset(
    "el la los las lo un una unos unas de del y e a en the a an of and its their his her "
    "our to in".split()
)


def normalise(text: str) -> list[str]:
    """Lower-case words without accents or punctuation, leading determiners dropped."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = "".join(c if c.isalnum() else " " for c in plain).split()
    while words and words[0] in _FUNCTION_WORDS:
        words.pop(0)
    return words


def _contains(big: list[str], small: list[str]) -> bool:
    n = len(small)
    return any(big[i : i + n] == small for i in range(len(big) - n + 1))


def actor_matches(gold: str, predicted: str) -> bool:
    """Lenient actor match: normalised containment either way (see module docstring)."""
    g, p = normalise(gold), normalise(predicted)
    if not g:
        return not p
    if not p:
        return False
    if _contains(p, g):
        return any(w not in _FUNCTION_WORDS for w in g)
    if _contains(g, p):
        return any(w not in _FUNCTION_WORDS for w in p)
    return False


@dataclass
class Tally:
    """Counts for one language."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    actor_ok: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        """Precision, recall, F1 and actor accuracy, in percent."""
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        acc = self.actor_ok / self.tp if self.tp else 0.0
        return {
            "precision": round(100 * p, 1),
            "recall": round(100 * r, 1),
            "f1": round(100 * f, 1),
            "actor_accuracy": round(100 * acc, 1),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
        }


def _first_positive(commitments: list[Commitment]) -> Commitment | None:
    return next((c for c in commitments if not c.negated), None)


def _commitments(text: str, lang: str, failures: list[str]) -> list[Commitment]:
    """``analyze`` the sentence; if another step of the engine fails, say so and fall
    back to the commitments step alone (it does not need actors or dates)."""
    try:
        return analyze(text, language=lang).commitments
    except Exception as exc:
        failures.append(f"{type(exc).__name__}: {exc}")
        return find_commitments(segment(text, lang), [], [])


def score(rows: list[dict[str, Any]]) -> tuple[dict[str, Tally], float]:
    """Tallies per language and the seconds spent in ``analyze``."""
    tallies: dict[str, Tally] = {}
    spent = 0.0
    failures: list[str] = []
    for row in rows:
        lang = row["lang"]
        tally = tallies.setdefault(lang, Tally())
        began = time.perf_counter()
        commitments = _commitments(row["text"], lang, failures)
        spent += time.perf_counter() - began
        found = _first_positive(commitments)
        gold = bool(row["commitment"])
        record = {
            "id": row.get("id", ""),
            "text": row["text"],
            "gold_kind": row.get("kind"),
            "gold_actor": row.get("actor", ""),
            "gold_trigger": row.get("trigger", ""),
            "predicted": [
                {"trigger": c.trigger, "actor": c.actor, "kind": c.kind, "negated": c.negated}
                for c in commitments
            ],
        }
        if gold and found is not None:
            tally.tp += 1
            if actor_matches(row.get("actor", ""), found.actor):
                tally.actor_ok += 1
            else:
                tally.errors.append({"error": "actor", **record})
        elif gold:
            tally.fn += 1
            tally.errors.append({"error": "fn", **record})
        elif found is not None:
            tally.fp += 1
            tally.errors.append({"error": "fp", **record})
        else:
            tally.tn += 1
    if failures:
        print(
            f"warning: analyze failed on {len(failures)} sentences (first: {failures[0]}); "
            "scored the commitments step alone there",
            file=sys.stderr,
        )
    return tallies, spent


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Command-line options of ``evaluate commitments``."""
    parser.add_argument("file", type=Path, help="JSON Lines file (text, lang, commitment, actor)")
    parser.add_argument("--errors", action="store_true", help="list false positives/negatives")
    parser.add_argument("--json", action="store_true", help="print figures as JSON")


def run(args: argparse.Namespace) -> int:
    """Score the file and print the figures."""
    with args.file.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    tallies, spent = score(rows)
    figures = {lang: t.figures() for lang, t in sorted(tallies.items())}
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for lang, f in figures.items():
            print(
                f"{lang}: P {f['precision']:.1f}  R {f['recall']:.1f}  F1 {f['f1']:.1f}  "
                f"actor accuracy {f['actor_accuracy']:.1f}  "
                f"(tp {f['tp']} fp {f['fp']} fn {f['fn']} tn {f['tn']})"
            )
        print(f"{len(rows)} sentences analysed in {spent:.2f} s", file=sys.stderr)
    if args.errors:
        for lang, t in sorted(tallies.items()):
            for e in t.errors:
                print(
                    f"\n[{lang} {e['error']}] {e['id']} gold={e['gold_kind']}/{e['gold_actor']!r}"
                    f"/{e['gold_trigger']!r}"
                )
                print(f"  {e['text'][:300]}")
                for p in e["predicted"]:
                    print(f"  -> {p}")
    return 0
