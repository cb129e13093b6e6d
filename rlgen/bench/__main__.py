"""`python -m rlgen.bench NAME [--json PATH]`, or `python -m rlgen.bench all` to refresh every record in docs/bench/
and the README's table made from them (`python -m rlgen.bench readme`: the table alone)."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

import rlgen.bench


def available() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(rlgen.bench.__path__) if not m.name.startswith("_"))


RECORDS = Path(__file__).resolve().parents[2] / "docs" / "bench"


def run_all(extra: list[str]) -> int:
    """Every bench in turn, each writing its record to docs/bench/NAME.json; the exit code of the worst."""
    worst = 0
    for name in available():
        print(f"== {name}", flush=True)
        worst = max(worst, importlib.import_module(f"rlgen.bench.{name}").main(
            [*extra, "--json", str(RECORDS / f"{name}.json")]))
    from rlgen.bench import _readme

    _readme.main([])
    return worst


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "all":
        return run_all(argv[1:])
    if argv and argv[0] == "readme":  # the README's table from the records, without running anything
        from rlgen.bench import _readme

        return _readme.main(argv[1:])
    if not argv or argv[0] not in available():
        print(f"usage: python -m rlgen.bench NAME|all|readme [--json PATH]; NAME is one of: {', '.join(available())}")
        return 2
    return importlib.import_module(f"rlgen.bench.{argv[0]}").main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
