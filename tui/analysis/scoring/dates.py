"""Score date mentions on a TIMEX3 TSV (TempEval-3 style), or run the Duckling phrases.

MEANTIME-style files: a ``*!-DCTVALUE="YYYY-MM-DD"-!*`` line opens a document,
then ``token TAB BIO-type TAB value`` lines, a blank line between sentences.
Each document's text is rebuilt from its tokens (sentences on their own lines),
analysed whole with ``published`` = its DCT, and predicted spans are mapped back
to tokens. Gold = DATE and TIME; a prediction that only overlaps DURATION/SET
gold is ignored. Reported: strict (exact span) and relaxed (overlap) P/R/F1,
value accuracy over relaxed matches and value F1 = relaxed F1 x accuracy.

A file whose header starts with ``lang<TAB>section`` is Duckling's corpus: each
phrase the engine supports (a single date or time at day, week, month, quarter,
year, hour or minute grain) is analysed alone against the reference day and
passes when the widest mention has the expected value. Duckling reads a bare
"Monday" or "March" from its reference time as the next one, so the phrases are
analysed with ``find_dates(..., lean="future")``; news analysis is unchanged.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tui.analysis.dates import find_dates
from tui.analysis.model import DateMention
from tui.analysis.pipeline import analyze
from tui.analysis.segment import segment

_DCT = re.compile(r'\*!-DCTVALUE="(\d{4}-\d{2}-\d{2})"-!\*')
_NO_SPACE_BEFORE = frozenset(".,;:!?)]}%»”")
_NO_SPACE_AFTER = frozenset("([{¿¡«“")


@dataclass
class GoldSpan:
    first: int
    last: int
    kind: str
    value: str


@dataclass
class GoldDocument:
    dct: dt.date
    tokens: list[str] = field(default_factory=list)
    sentence_ends: set[int] = field(default_factory=set)
    spans: list[GoldSpan] = field(default_factory=list)


def read_tsv(path: Path) -> list[GoldDocument]:
    """Documents with their tokens and gold TIMEX spans (token indexes, inclusive)."""
    docs: list[GoldDocument] = []
    doc: GoldDocument | None = None
    current: GoldSpan | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        m = _DCT.match(raw)
        if m:
            doc = GoldDocument(dt.date.fromisoformat(m.group(1)))
            docs.append(doc)
            current = None
            continue
        if doc is None:
            continue
        if not raw.strip():
            if doc.tokens:
                doc.sentence_ends.add(len(doc.tokens) - 1)
            current = None
            continue
        token, tag, value = ([*raw.split("\t"), "", ""])[:3]
        index = len(doc.tokens)
        doc.tokens.append(token)
        if tag.startswith("B-") or (tag.startswith("I-") and current is None):
            current = GoldSpan(index, index, tag[2:], value)
            doc.spans.append(current)
        elif tag.startswith("I-") and current is not None:
            current.last = index
        else:
            current = None
    return docs


def rebuild(doc: GoldDocument) -> tuple[str, list[tuple[int, int]]]:
    """Natural text from tokens (one sentence a line) and each token's offsets."""
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    length = 0
    previous = ""
    for i, token in enumerate(doc.tokens):
        if i > 0:
            if i - 1 in doc.sentence_ends:
                sep = "\n"
            elif token[:1] in _NO_SPACE_BEFORE or previous[-1:] in _NO_SPACE_AFTER:
                sep = ""
            else:
                sep = " "
            parts.append(sep)
            length += len(sep)
        offsets.append((length, length + len(token)))
        parts.append(token)
        length += len(token)
        previous = token
    return "".join(parts), offsets


def to_tokens(start: int, end: int, offsets: list[tuple[int, int]]) -> tuple[int, int] | None:
    """First and last token overlapping the character span ``[start, end)``."""
    hit = [i for i, (s, e) in enumerate(offsets) if s < end and e > start]
    return (hit[0], hit[-1]) if hit else None


@dataclass
class Tally:
    gold: int = 0
    predicted: int = 0
    strict: int = 0
    relaxed_gold: int = 0
    relaxed_pred: int = 0
    value_ok: int = 0
    errors: list[str] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _detect(text: str, language: str, dct: dt.date, dates_only: bool) -> list[DateMention]:
    if dates_only:
        return find_dates(segment(text, language), dct, True)
    return analyze(text, language=language, published=dct).dates


def score_tsv(path: Path, language: str, dates_only: bool, tally: Tally) -> int:
    """Fill ``tally`` for one TSV file; returns the number of tokens analysed."""
    tokens = 0
    for doc in read_tsv(path):
        text, offsets = rebuild(doc)
        tokens += len(offsets)
        gold = [s for s in doc.spans if s.kind in ("DATE", "TIME")]
        other = [s for s in doc.spans if s.kind not in ("DATE", "TIME")]
        preds = []
        for mention in _detect(text, language, doc.dct, dates_only):
            span = to_tokens(mention.start, mention.end, offsets)
            if span:
                preds.append((span, mention))
        matched_pred: set[int] = set()
        for g in gold:
            tally.gold += 1
            best = None
            for j, ((a, b), _) in enumerate(preds):
                if j in matched_pred or b < g.first or a > g.last:
                    continue
                exact = (a, b) == (g.first, g.last)
                if best is None or exact:
                    best = j
                if exact:
                    break
            gold_text = " ".join(doc.tokens[g.first : g.last + 1])
            if best is None:
                tally.errors.append(f"MISS  {gold_text!r} gold={g.value} dct={doc.dct}")
                tally.kinds["missed"] += 1
                continue
            matched_pred.add(best)
            (a, b), mention = preds[best]
            tally.relaxed_gold += 1
            if (a, b) == (g.first, g.last):
                tally.strict += 1
            if mention.value.upper() == g.value.upper():
                tally.value_ok += 1
            else:
                tally.errors.append(
                    f"VALUE {mention.text!r} got={mention.value} gold={g.value} "
                    f"[{gold_text}] dct={doc.dct}"
                )
                tally.kinds[f"value:{mention.granularity}"] += 1
        for j, ((a, b), mention) in enumerate(preds):
            if j in matched_pred:
                tally.predicted += 1
                tally.relaxed_pred += 1
                continue
            if any(a <= o.last and b >= o.first for o in other):
                continue  # only overlaps a duration or a set: neither right nor wrong
            tally.predicted += 1
            tally.errors.append(f"EXTRA {mention.text!r} got={mention.value} dct={doc.dct}")
            tally.kinds[f"extra:{mention.granularity}"] += 1
    return tokens


_DUCKLING_GRAINS = {"Day", "Week", "Month", "Quarter", "Year", "Hour", "Minute"}


def _duckling_value(truncated: str, grain: str) -> str:
    if grain == "Week":
        d = dt.date.fromisoformat(truncated[:10])
        y, w, _ = d.isocalendar()
        return f"{y}-W{w:02d}"
    if grain == "Quarter":
        return f"{truncated[:4]}-Q{(int(truncated[5:7]) - 1) // 3 + 1}"
    if grain == "Month":
        return truncated[:7]
    if grain == "Year":
        return truncated[:4]
    if grain in ("Hour", "Minute"):
        return (
            truncated[:10]
            + "T"
            + (truncated[11:16] if len(truncated) > 13 else truncated[11:13] + ":00")
        )
    return truncated[:10]


def _in_reference_zone(value: str, reference_time: str) -> str:
    """A UTC clock value ("2013-02-14T08:00Z") as Duckling writes it, in the reference zone.

    Duckling gives times in its reference time's offset (-02:00); the same
    instant written in UTC is the same answer.
    """
    if not value.endswith("Z") or len(value) != 17:
        return value
    offset = dt.datetime.fromisoformat(reference_time).utcoffset()
    if offset is None:
        return value
    utc = dt.datetime.fromisoformat(value[:-1])
    return (utc + offset).strftime("%Y-%m-%dT%H:%M")


def score_duckling(path: Path, verbose: int) -> tuple[int, int, list[str]]:
    """(passed, total, failures) over the supported Duckling phrases."""
    passed = total = 0
    failures: list[str] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["kind"] != "datetime" or row["grain"] not in _DUCKLING_GRAINS:
                continue
            if row["lang"] not in ("es", "en"):
                continue
            anchor = dt.date.fromisoformat(row["reference_time"][:10])
            expected = _duckling_value(row["start_truncated_to_grain"], row["grain"])
            phrase = row["phrase"]
            total += 1
            # Duckling reads a bare "Monday" or "March" as the next one.
            now = dt.datetime.fromisoformat(row["reference_time"]).time()
            mentions = find_dates(
                segment(phrase, row["lang"]), anchor, True, lean="future", now=now
            )
            got = max(mentions, key=lambda m: m.end - m.start).value if mentions else "-"
            got = _in_reference_zone(got, row["reference_time"])
            if got.upper() == expected.upper():
                passed += 1
            else:
                failures.append(f"{row['lang']} {phrase!r}: got {got}, expected {expected}")
    return passed, total, failures


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``python -m tui.analysis.evaluate dates``."""
    parser.add_argument("files", nargs="+", type=Path, help="TIMEX3 TSV or Duckling TSV files")
    parser.add_argument("--language", help="language of the TSV (default: file name prefix)")
    parser.add_argument(
        "--dates-only", action="store_true", help="run only the dates step (faster to iterate)"
    )
    parser.add_argument("--errors", type=int, default=0, help="print this many errors")


def run(args: argparse.Namespace) -> int:
    """Score each file and print the figures."""
    for path in args.files:
        path = Path(path)
        if not path.is_file():
            print(f"{path}: not found", file=sys.stderr)
            return 2
        with path.open(encoding="utf-8") as handle:
            header = handle.readline()
        if header.startswith("lang\tsection"):
            passed, total, failures = score_duckling(path, args.errors)
            print(
                f"{path.name}: duckling phrases passed {passed}/{total} = {100 * passed / max(total, 1):.1f}%"
            )
            for line in failures[: args.errors]:
                print("  " + line)
            continue
        language = args.language or path.name.split("-")[0]
        tally = Tally()
        started = time.perf_counter()
        tokens = score_tsv(path, language, args.dates_only, tally)
        seconds = time.perf_counter() - started
        sp = tally.strict / tally.predicted if tally.predicted else 0.0
        sr = tally.strict / tally.gold if tally.gold else 0.0
        rp = tally.relaxed_pred / tally.predicted if tally.predicted else 0.0
        rr = tally.relaxed_gold / tally.gold if tally.gold else 0.0
        accuracy = tally.value_ok / tally.relaxed_gold if tally.relaxed_gold else 0.0
        relaxed_f1 = _f1(rp, rr)
        print(f"{path.name} ({language}): {tally.gold} gold, {tally.predicted} predicted")
        print(f"  strict  P {100 * sp:.1f}  R {100 * sr:.1f}  F1 {100 * _f1(sp, sr):.1f}")
        print(f"  relaxed P {100 * rp:.1f}  R {100 * rr:.1f}  F1 {100 * relaxed_f1:.1f}")
        print(f"  value accuracy {100 * accuracy:.1f}  value F1 {100 * relaxed_f1 * accuracy:.1f}")
        print(f"  {tokens} tokens in {seconds:.2f}s ({tokens / max(seconds, 1e-9):,.0f} tokens/s)")
        if tally.kinds:
            print(
                "  errors by kind: " + ", ".join(f"{k} {n}" for k, n in tally.kinds.most_common())
            )
        for line in tally.errors[: args.errors]:
            print("  " + line)
    return 0
