"""Timing and reporting shared by the benchmarks: best-of-n wall time, a printed table, optional JSON."""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections.abc import Callable
from pathlib import Path

from rlgen import runtime


def best_time(fn: Callable[[], object], repeats: int = 3, clock: Callable[[], float] = time.perf_counter) -> float:
    """The fastest of ``repeats`` runs, in seconds of ``clock`` (the least disturbed by other load on a shared
    box); ``clock=time.process_time`` counts CPU time only."""
    best = float("inf")
    for _ in range(repeats):
        start = clock()
        fn()
        best = min(best, clock() - start)
    return best


def parse_args(argv: list[str], description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--quick", action="store_true", help="smaller sizes (a smoke run, for tests)")
    return parser.parse_args(argv)


def report(title: str, rows: list[dict], figures: dict, json_path: Path | None) -> None:
    """Print ``rows`` as an aligned table and write ``figures`` (plus machine facts) to ``json_path``."""
    print(title)
    if rows:
        columns = list(rows[0])
        cells = [[_fmt(r.get(c)) for c in columns] for r in rows]
        widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
        print("  ".join(c.ljust(w) for c, w in zip(columns, widths)))
        for row in cells:
            print("  ".join(v.ljust(w) for v, w in zip(row, widths)))
    if json_path is not None:
        write_record(title, figures, json_path)
        print(f"wrote {json_path}")


def write_record(title: str, figures: dict, json_path: Path) -> None:
    """``figures`` with the title and the machine's facts, as JSON at ``json_path``."""
    payload = {
        "benchmark": title,
        "machine": {"python": platform.python_version(), "cores": runtime.cpu_count(),
                    "torch_threads": runtime.torch_threads()},
        **figures,
    }
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(payload, indent=2))


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def versus(ours_s: float, peer_s: float, peer: str) -> str:
    """"3.2× faster than Qhull" or "23× slower than shapely": our time against a peer's, in words."""
    ratio = peer_s / ours_s
    return f"{ratio:.2g}× faster than {peer}" if ratio >= 1 else f"{1 / ratio:.2g}× slower than {peer}"
