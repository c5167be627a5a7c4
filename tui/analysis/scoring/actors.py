"""Actors: score person/organisation/place mentions on CoNLL-format NER files.

Scored the way ``shared/eval/README.md`` describes, so that dev figures here match
the held-out figures reported in issues: tokens are joined into natural text (one
sentence a line, 10 sentences a document), ``analyze`` runs on each document, its
actor spans are mapped back to tokens and compared by exact span. Gold MISC entities
are left out; a prediction that exactly matches a MISC entity counts neither way.

Reads IOB2 (``token TAG``), IOB1 (``token POS CHUNK TAG``, where ``I-`` may open an
entity) and MEANTIME (``-DOCSTART- name dct`` lines between documents).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tui.analysis.actors import find_actors
from tui.analysis.language import story_language
from tui.analysis.model import DEFAULT_MIN_CONFIDENCE, Actor
from tui.analysis.pipeline import analyze
from tui.analysis.segment import segment

KIND_TO_TAG = {"person": "PER", "organization": "ORG", "place": "LOC"}
SENTENCES_PER_DOCUMENT = 10

# Tokens glued to the previous / next token when CoNLL tokens are joined back into text.
_NO_SPACE_BEFORE = frozenset(",.;:!?)]}%»”…")
_NO_SPACE_AFTER = frozenset("([{¿¡«“$")


@dataclass
class Sentence:
    """One annotated sentence: tokens and gold entities as (first, last, type) token spans."""

    tokens: list[str]
    entities: list[tuple[int, int, str]]


@dataclass
class Counts:
    """True positives, predictions and gold entities, typed and untyped."""

    tp_typed: int = 0
    tp_untyped: int = 0
    predicted: int = 0
    gold: int = 0
    errors: Counter[str] = field(default_factory=Counter)

    def scores(self) -> dict[str, float]:
        """Precision, recall and F1 in percent, typed and untyped."""
        out: dict[str, float] = {}
        for label, tp in (("typed", self.tp_typed), ("untyped", self.tp_untyped)):
            p = 100.0 * tp / self.predicted if self.predicted else 0.0
            r = 100.0 * tp / self.gold if self.gold else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            out[f"{label}_p"], out[f"{label}_r"], out[f"{label}_f1"] = p, r, f
        return out


def _entities(tags: list[str]) -> list[tuple[int, int, str]]:
    """Entity spans from IOB1 or IOB2 tags (an ``I-`` after O or another type opens one)."""
    spans: list[tuple[int, int, str]] = []
    current: list[int | str] | None = None
    for i, tag in enumerate(tags):
        if tag == "O" or "-" not in tag:
            current = None
            continue
        prefix, kind = tag.split("-", 1)
        if prefix == "B" or current is None or current[2] != kind:
            current = [i, i, kind]
            spans.append((i, i, kind))
        else:
            current[1] = i
            spans[-1] = (int(current[0]), i, kind)
    return spans


def read_conll(path: Path) -> list[list[Sentence]]:
    """Documents of annotated sentences (``-DOCSTART-`` lines split documents)."""
    documents: list[list[Sentence]] = [[]]
    tokens: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if tokens:
            documents[-1].append(Sentence(list(tokens), _entities(tags)))
        tokens.clear()
        tags.clear()

    with path.open(encoding="utf-8") as handle:
        for raw in handle:
            line = raw.rstrip("\n")
            if line.startswith("-DOCSTART-"):
                flush()
                if documents[-1]:
                    documents.append([])
                continue
            if not line.strip():
                flush()
                continue
            parts = line.split()
            tokens.append(parts[0])
            tags.append(parts[-1])
    flush()
    return [doc for doc in documents if doc]


def join_tokens(sentences: list[Sentence]) -> tuple[str, list[list[tuple[int, int]]]]:
    """Natural text of ``sentences`` (one a line) and each token's character span."""
    parts: list[str] = []
    offsets: list[list[tuple[int, int]]] = []
    pos = 0
    for n, sentence in enumerate(sentences):
        if n:
            parts.append("\n")
            pos += 1
        spans: list[tuple[int, int]] = []
        open_quote = False
        glue_next = True
        for tok in sentence.tokens:
            glue = glue_next or tok in _NO_SPACE_BEFORE
            if tok in {'"', "'"}:
                glue = glue_next or open_quote
                glue_next = not open_quote
                open_quote = not open_quote
            else:
                glue_next = tok in _NO_SPACE_AFTER
            if not glue:
                parts.append(" ")
                pos += 1
            spans.append((pos, pos + len(tok)))
            parts.append(tok)
            pos += len(tok)
        offsets.append(spans)
    return "".join(parts), offsets


def _chunks(documents: list[list[Sentence]]) -> Iterator[list[Sentence]]:
    for doc in documents:
        for i in range(0, len(doc), SENTENCES_PER_DOCUMENT):
            yield doc[i : i + SENTENCES_PER_DOCUMENT]


def _token_span(
    offsets: list[list[tuple[int, int]]], start: int, end: int
) -> tuple[int, int, int] | None:
    """(sentence, first token, last token) of the tokens a character span overlaps."""
    for s, spans in enumerate(offsets):
        if not spans or spans[-1][1] <= start or spans[0][0] >= end:
            continue
        covered = [i for i, (a, b) in enumerate(spans) if a < end and b > start]
        if covered:
            return s, covered[0], covered[-1]
    return None


def _actors(
    text: str, language: str | None, actors_only: bool, min_confidence: float
) -> list[Actor]:
    if not actors_only:
        found = analyze(text, language=language).actors
    else:
        found = find_actors(segment(text, story_language(text, language)))
    return [a for a in found if a.confidence >= min_confidence]


def score(
    documents: list[list[Sentence]],
    language: str | None,
    show_errors: bool = False,
    actors_only: bool = False,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> tuple[Counts, dict[str, Counts], list[str]]:
    """Overall and per-type counts, plus error lines when asked.

    ``actors_only`` runs segmentation and the actors step alone (same actors, faster).
    Mentions below ``min_confidence`` are left out, as the desk leaves them out: what
    is scored is what a reader is shown (0 scores every mention).
    """
    total = Counts()
    per_type: dict[str, Counts] = {t: Counts() for t in ("PER", "ORG", "LOC")}
    lines: list[str] = []
    for chunk in _chunks(documents):
        text, offsets = join_tokens(chunk)
        gold: dict[tuple[int, int, int], str] = {}
        misc: set[tuple[int, int, int]] = set()
        for s, sentence in enumerate(chunk):
            for a, b, kind in sentence.entities:
                if kind == "MISC":
                    misc.add((s, a, b))
                elif kind in per_type:
                    gold[(s, a, b)] = kind
        predicted: dict[tuple[int, int, int], str] = {}
        for actor in _actors(text, language, actors_only, min_confidence):
            span = _token_span(offsets, actor.start, actor.end)
            if span is None or span in misc:
                continue
            predicted[span] = KIND_TO_TAG[actor.kind]
        total.gold += len(gold)
        total.predicted += len(predicted)
        for kind, counts in per_type.items():
            counts.gold += sum(1 for k in gold.values() if k == kind)
            counts.predicted += sum(1 for k in predicted.values() if k == kind)
        for span, kind in predicted.items():
            gkind = gold.get(span)
            if gkind is not None:
                total.tp_untyped += 1
                per_type[kind].tp_untyped += 1
                if gkind == kind:
                    total.tp_typed += 1
                    per_type[kind].tp_typed += 1
        if show_errors:
            lines.extend(_error_lines(chunk, gold, predicted, total.errors))
    return total, per_type, lines


def _error_lines(
    chunk: list[Sentence],
    gold: dict[tuple[int, int, int], str],
    predicted: dict[tuple[int, int, int], str],
    errors: Counter[str],
) -> list[str]:
    def words(span: tuple[int, int, int]) -> str:
        s, a, b = span
        return " ".join(chunk[s].tokens[a : b + 1])

    out: list[str] = []
    for span, kind in predicted.items():
        gkind = gold.get(span)
        if gkind is None:
            overlapping = [
                g for g in gold if g[0] == span[0] and g[1] <= span[2] and span[1] <= g[2]
            ]
            label = "boundary" if overlapping else "spurious"
            errors[label] += 1
            extra = f" gold={words(overlapping[0])}" if overlapping else ""
            out.append(f"{label}\t{kind}\t{words(span)}{extra}")
        elif gkind != kind:
            errors[f"type {gkind}->{kind}"] += 1
            out.append(f"type\t{gkind}->{kind}\t{words(span)}")
    for span, kind in gold.items():
        if span not in predicted:
            overlapping = [
                p for p in predicted if p[0] == span[0] and p[1] <= span[2] and span[1] <= p[2]
            ]
            if not overlapping:
                errors["missed"] += 1
                out.append(
                    f"missed\t{kind}\t{words(span)}\t| {' '.join(chunk[span[0]].tokens)[:120]}"
                )
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Command-line options of ``evaluate actors``."""
    parser.add_argument("file", type=Path, help="CoNLL file (IOB1 or IOB2, optional -DOCSTART-)")
    parser.add_argument("--language", default=None, help="ISO 639-1 code (detected if omitted)")
    parser.add_argument("--json", action="store_true", help="print figures as JSON")
    parser.add_argument("--errors", type=Path, default=None, help="write error lines to this file")
    parser.add_argument(
        "--actors-only", action="store_true", help="run only segmentation and actors"
    )
    parser.add_argument(
        "--min-confidence",
        type=float,
        default=DEFAULT_MIN_CONFIDENCE,
        help="score only mentions at least this confident, as the desk shows them "
        f"(default {DEFAULT_MIN_CONFIDENCE}; 0 scores every mention)",
    )
    parser.add_argument(
        "--first-sentences",
        type=int,
        default=0,
        help="score only the first N sentences of each document (MEANTIME annotates "
        "the title, date and first sentences of each article only)",
    )


def run(args: argparse.Namespace) -> int:
    """Score one file and print typed and untyped P/R/F1 (overall and per type)."""
    documents = read_conll(args.file)
    if args.first_sentences:
        documents = [doc[: args.first_sentences] for doc in documents]
    total, per_type, lines = score(
        documents,
        args.language,
        args.errors is not None,
        args.actors_only,
        getattr(args, "min_confidence", DEFAULT_MIN_CONFIDENCE),
    )
    figures = {"overall": total.scores(), **{k: v.scores() for k, v in per_type.items()}}
    figures["overall"].update(gold=total.gold, predicted=total.predicted)
    if args.errors is not None:
        args.errors.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if args.json:
        json.dump(figures, sys.stdout, indent=2)
        print()
        return 0
    print(f"{args.file.name}: {total.gold} gold, {total.predicted} predicted")
    for label, values in figures.items():
        line = (
            f"  {label:8s} typed P {values['typed_p']:5.1f} R {values['typed_r']:5.1f} "
            f"F1 {values['typed_f1']:5.1f}"
        )
        if label == "overall":  # untyped figures only make sense over all kinds
            line += (
                f" | untyped P {values['untyped_p']:5.1f} R {values['untyped_r']:5.1f} "
                f"F1 {values['untyped_f1']:5.1f}"
            )
        print(line)
    if total.errors:
        print("  errors: " + ", ".join(f"{k} {v}" for k, v in total.errors.most_common()))
    return 0
