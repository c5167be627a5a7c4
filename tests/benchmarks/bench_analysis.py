"""Throughput of the analysis engine (run on demand: ``python tests/benchmarks/bench_analysis.py``).

Texts are the dev sets of ``../shared/eval/actors`` joined into natural text the way
the scorer does (10 sentences a document; research-only data, read by path, never
copied). Prints tokens per second, on one core, for:

- the whole ``analyze`` (language given, as the desk does for feeds that declare it),
- ``analyze`` with language detection,
- segmentation alone, and the actors step alone (on pre-segmented documents).

Each figure is the best of five rounds after a warm-up round, which loads the word
lists and gazetteers once. Before that, the one-off costs of a process are printed:
the first ``analyze`` of each language (word lists, gazetteers) and the statistical
language model, which is loaded only when function words do not decide.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from tui.analysis.actors import find_actors
from tui.analysis.language import _identifier
from tui.analysis.pipeline import analyze
from tui.analysis.scoring.actors import join_tokens, read_conll
from tui.analysis.segment import segment

EVAL = Path(__file__).resolve().parents[3] / "shared" / "eval" / "actors"
SETS = (("es-conll2002-dev.conll", "es"), ("en-conll2003-dev.conll", "en"))
PER_DOCUMENT = 10


def load(name: str) -> tuple[list[str], int]:
    """Natural-text documents of a dev set and their token count (CoNLL tokens)."""
    texts: list[str] = []
    tokens = 0
    for doc in read_conll(EVAL / name):
        for i in range(0, len(doc), PER_DOCUMENT):
            chunk = doc[i : i + PER_DOCUMENT]
            texts.append(join_tokens(chunk)[0])
            tokens += sum(len(s.tokens) for s in chunk)
    return texts, tokens


def best_rate(run: Callable[[], object], tokens: int, rounds: int = 5) -> float:
    """Tokens per second of the fastest of ``rounds`` runs (after one warm-up)."""
    run()
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return tokens / best


def report(name: str, language: str) -> None:
    """Print the figures of one dev set."""
    texts, tokens = load(name)
    docs = [segment(t, language) for t in texts]
    figures = {
        "analyze": best_rate(lambda: [analyze(t, language) for t in texts], tokens),
        "analyze+langid": best_rate(lambda: [analyze(t) for t in texts], tokens),
        "segment": best_rate(lambda: [segment(t, language) for t in texts], tokens),
        "actors": best_rate(lambda: [find_actors(d) for d in docs], tokens),
    }
    print(f"{name}: {len(texts)} documents, {tokens} tokens")
    for label, rate in figures.items():
        print(f"  {label:15s} {rate:10,.0f} tokens/s")


def one_off_costs() -> None:
    """Seconds of the first calls in this process (each is paid once)."""
    for language, text in (("es", "El Gobierno de México."), ("en", "The U.S. government.")):
        start = time.perf_counter()
        analyze(text, language)
        print(f"first analyze ({language}, loads word lists)  {time.perf_counter() - start:6.2f} s")
    start = time.perf_counter()
    _identifier()
    print(f"language model (loaded on first need)   {time.perf_counter() - start:6.2f} s")


def main() -> int:
    if not EVAL.is_dir():
        print(f"skipped: {EVAL} not found")
        return 0
    one_off_costs()
    for name, language in SETS:
        report(name, language)
    return 0


if __name__ == "__main__":
    sys.exit(main())
