"""Score the analysis on annotated files: ``python -m tui.analysis.evaluate KIND FILE``.

KIND is ``actors`` (CoNLL), ``dates`` (TSV with TIMEX3 values) or ``commitments``
(JSON Lines), scored as ``shared/eval/README.md`` describes. Each kind lives in
``tui.analysis.scoring.<kind>`` with ``add_arguments(parser)`` and ``run(args) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
import sys

KINDS = ("actors", "dates", "commitments")


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the scorer of the chosen kind."""
    parser = argparse.ArgumentParser(prog="python -m tui.analysis.evaluate")
    sub = parser.add_subparsers(dest="kind", required=True)
    modules = {}
    for kind in KINDS:
        module = importlib.import_module(f"tui.analysis.scoring.{kind}")
        modules[kind] = module
        module.add_arguments(sub.add_parser(kind, help=module.__doc__))
    args = parser.parse_args(argv)
    return int(modules[args.kind].run(args))


if __name__ == "__main__":
    sys.exit(main())
