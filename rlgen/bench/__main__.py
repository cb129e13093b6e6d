"""`python -m rlgen.bench NAME [--json PATH]`."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import rlgen.bench


def available() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(rlgen.bench.__path__) if not m.name.startswith("_"))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in available():
        print(f"usage: python -m rlgen.bench NAME [--json PATH]; NAME is one of: {', '.join(available())}")
        return 2
    return importlib.import_module(f"rlgen.bench.{argv[0]}").main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
