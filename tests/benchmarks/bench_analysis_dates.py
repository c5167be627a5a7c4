"""Throughput of the dates step (run on demand: ``python tests/benchmarks/bench_analysis_dates.py``).

Texts are the MEANTIME documents of ``../shared/eval/dates`` rebuilt into natural
text the way the dates scorer does (research data, read by path, never copied).
Prints tokens per second, on one core, for the dates step alone (on segmented
documents) and for the whole ``analyze`` with each document's publication date.
Each figure is the best of three rounds after a warm-up round, which compiles
the grammar once; the dates step is also timed by CPU time (best of seven),
which other processes on a busy machine disturb less than wall time.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from tui.analysis.dates import find_dates
from tui.analysis.document import Document
from tui.analysis.pipeline import analyze
from tui.analysis.scoring.dates import read_tsv, rebuild
from tui.analysis.segment import segment

EVAL = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dates"
SETS = (("es-meantime.tsv", "es"), ("en-meantime.tsv", "en"))


def best_rate(
    run: Callable[[], object],
    tokens: int,
    rounds: int = 3,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """Tokens per second of the fastest of ``rounds`` runs (after one warm-up)."""
    run()
    best = float("inf")
    for _ in range(rounds):
        start = clock()
        run()
        best = min(best, clock() - start)
    return tokens / best


def _dates_step(docs: list[tuple[Document, dt.date]]) -> None:
    for doc, dct in docs:
        find_dates(doc, dct, True)


def _analyze_all(texts: list[tuple[str, dt.date]], language: str) -> None:
    for text, dct in texts:
        analyze(text, language=language, published=dct)


def main() -> int:
    if not EVAL.is_dir():
        print(f"skipped: {EVAL} not found")
        return 0
    for name, language in SETS:
        gold = read_tsv(EVAL / name)
        texts = [(rebuild(doc)[0], doc.dct) for doc in gold]
        tokens = sum(len(doc.tokens) for doc in gold)
        docs = [(segment(text, language), dct) for text, dct in texts]
        dates = best_rate(partial(_dates_step, docs), tokens)
        # CPU time of this process: steadier than wall time on a busy machine.
        dates_cpu = best_rate(partial(_dates_step, docs), tokens, 7, time.process_time)
        whole = best_rate(partial(_analyze_all, texts, language), tokens)
        print(f"{name}: {len(texts)} documents, {tokens} tokens")
        print(f"  dates step      {dates:10,.0f} tokens/s ({dates_cpu:,.0f} by CPU time)")
        print(f"  analyze         {whole:10,.0f} tokens/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
