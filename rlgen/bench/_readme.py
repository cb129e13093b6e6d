"""The README's performance table, made from the records in docs/bench/ (never typed by hand).

Each bench module that writes a record has ``headline(record) -> list[tuple[str, str]]``: the few (measure,
result) pairs a reader should see, with the peer each is measured against. ``python -m rlgen.bench readme``
rewrites the table between the README's markers; ``python -m rlgen.bench all`` does it after refreshing every
record, and a test checks that the README says what the records say.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RECORDS = ROOT / "docs" / "bench"
README = ROOT / "README.md"
START, END = "<!-- bench-table:start -->", "<!-- bench-table:end -->"


def recorded() -> list[str]:
    return sorted(path.stem for path in RECORDS.glob("*.json"))


def table() -> str:
    """The markdown table: one row per headline of every recorded bench."""
    lines = ["| bench | measure | result |", "| --- | --- | --- |"]
    for name in recorded():
        record = json.loads((RECORDS / f"{name}.json").read_text())
        headline = getattr(importlib.import_module(f"rlgen.bench.{name}"), "headline", None)
        if headline is None:
            raise LookupError(f"rlgen.bench.{name} writes a record but has no headline(record)")
        for measure, result in headline(record):
            lines.append(f"| [`{name}`](docs/bench/{name}.json) | {measure} | {result} |")
    return "\n".join(lines)


def section(text: str) -> str:
    """The README text between the markers."""
    return text[text.index(START) + len(START):text.index(END)].strip("\n")


def update(readme: Path = README) -> bool:
    """Rewrite the table in ``readme``; True when it changed."""
    text = readme.read_text()
    new = f"{text[:text.index(START) + len(START)]}\n{table()}\n{text[text.index(END):]}"
    if new != text:
        readme.write_text(new)
    return new != text


def main(argv: list[str] | None = None) -> int:
    changed = update()
    print(f"README performance table {'updated' if changed else 'already up to date'} "
          f"from {len(recorded())} records in docs/bench/")
    return 0
