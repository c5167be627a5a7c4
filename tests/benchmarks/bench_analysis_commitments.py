"""Throughput of the commitments step (run on demand: ``python tests/benchmarks/bench_analysis_commitments.py``).

Reads real articles from ``../shared/corpus/articles`` (publishers' copyright: read by
path, never copied) and the shared samples; prints tokens per second of
``find_commitments`` alone (on pre-segmented documents) and of the whole ``analyze``.
"""

from __future__ import annotations

import html
import re
import sys
import time
from pathlib import Path

from tui.analysis.commitments import find_commitments
from tui.analysis.language import detect_language
from tui.analysis.pipeline import analyze
from tui.analysis.segment import segment

SHARED = Path(__file__).resolve().parents[3] / "shared"
_TAG = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S | re.I)


def _texts() -> list[str]:
    out = []
    for path in sorted((SHARED / "corpus" / "articles").glob("*.expected.html")):
        text = html.unescape(_TAG.sub("\n", path.read_text(encoding="utf-8", errors="replace")))
        out.append(re.sub(r"\n\s*\n+", "\n\n", text))
    for path in sorted((SHARED / "samples").glob("*.md")):
        out.append(path.read_text(encoding="utf-8"))
    return [t for t in out if t.strip()]


def main() -> int:
    texts = _texts()
    if not texts:
        print("no shared corpus found; nothing to measure")
        return 0
    docs = [segment(t, detect_language(t)) for t in texts]
    tokens = sum(len(s.tokens) for d in docs for s in d.sentences)
    # Best of several rounds of CPU time: the machine is shared, wall time is noisy.
    rounds = 20
    step = float("inf")
    found = 0
    for _ in range(rounds):
        began = time.process_time()
        found = sum(len(find_commitments(doc, [], [])) for doc in docs)
        step = min(step, time.process_time() - began)
    for text in texts:
        analyze(text)  # warm every step's caches
    whole = float("inf")
    for _ in range(3):
        began = time.process_time()
        for text in texts:
            analyze(text)
        whole = min(whole, time.process_time() - began)
    print(f"{len(texts)} texts, {tokens} tokens, {found} commitments")
    print(f"find_commitments: {tokens / step:,.0f} tokens/s")
    print(f"analyze (whole):  {tokens / whole:,.0f} tokens/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
