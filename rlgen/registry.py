"""The one list of shipped checkpoints and of the commands that train them.

Each domain declares its checkpoints where they are defined (its ``checkpoint`` module calls :func:`register`
and :func:`register_trainer`): the folder under ``rlgen/checkpoints/``, the tab that shows it, how to load it
and which trainer writes it. ``python -m rlgen checkpoints`` lists them, ``python -m rlgen train NAME`` runs a
trainer, and the Spaces exporter copies a tab's checkpoints, all from here. ``TRAINING.json`` is read in one
place, :func:`training_record`.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from dataclasses import dataclass
from pathlib import Path

from rlgen import runtime
from rlgen.errors import InputError

# the modules that register checkpoints (imported on demand: they load torch and their libraries)
DOMAINS = (
    "rlgen.ddpg.checkpoint",
    "rlgen.diffusion.checkpoint",
    "rlgen.diffusion.sd3_checkpoint",
    "rlgen.dpo.checkpoint",
    "rlgen.vlm.checkpoint",
)


@dataclass(frozen=True)
class Checkpoint:
    name: str  # folder under rlgen/checkpoints/
    tabs: tuple[str, ...]  # the keys of the tabs (rlgen.ui.TABS) that load it
    summary: str  # one line: what it is
    loader: str  # "module:function" that loads it, called with ``loader_args``
    trained_by: str  # the trainer (python -m rlgen train NAME) that writes it
    loader_args: tuple = ()
    # what it achieved: (label, path into TRAINING.json with "/" between keys), shown by `python -m rlgen checkpoints`
    figures: tuple[tuple[str, str], ...] = ()

    @property
    def path(self) -> Path:
        return runtime.checkpoint_path(self.name)

    def load(self):
        return _resolve(self.loader)(*self.loader_args)


_REGISTRY: dict[str, Checkpoint] = {}
_TRAINERS: dict[str, str] = {}


def register(*checkpoints: Checkpoint) -> None:
    for checkpoint in checkpoints:
        _REGISTRY[checkpoint.name] = checkpoint


def register_trainer(name: str, target: str) -> None:
    """``python -m rlgen train NAME`` calls ``target`` ("module:function") with the remaining arguments."""
    _TRAINERS[name] = target


def trainers() -> dict[str, str]:
    checkpoints()
    return dict(sorted(_TRAINERS.items()))


def train(name: str, argv: list[str]) -> object:
    known = trainers()
    if name not in known:
        raise InputError("Unknown trainer {name!r}; choose from: {known}.", name=name, known=', '.join(known))
    return _resolve(known[name])(argv)


def checkpoints() -> dict[str, Checkpoint]:
    """Every registered checkpoint, by name (importing the domains that declare them)."""
    for module in DOMAINS:
        importlib.import_module(module)
    return dict(sorted(_REGISTRY.items()))


def get(name: str) -> Checkpoint:
    known = checkpoints()
    if name not in known:
        raise InputError("Unknown checkpoint {name!r}; the checkpoints are: {known}.",
                         name=name, known=', '.join(known))
    return known[name]


def for_tab(tab: str) -> list[str]:
    return [c.name for c in checkpoints().values() if tab in c.tabs]


def training_record(name: str) -> dict:
    """The checkpoint's ``TRAINING.json`` ({} if it has none yet)."""
    path = runtime.checkpoint_path(name) / "TRAINING.json"
    return json.loads(path.read_text()) if path.exists() else {}


def files(name: str) -> list[Path]:
    folder = runtime.checkpoint_path(name)
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def fingerprint(name: str) -> tuple[int, str]:
    """(bytes, sha256 over every file's relative path and contents)."""
    digest, size, folder = hashlib.sha256(), 0, runtime.checkpoint_path(name)
    for path in files(name):
        data = path.read_bytes()
        size += len(data)
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + data)
    return size, digest.hexdigest()


HEADLINE_KEYS = ("seconds", "total_seconds", "cpu_minutes", "total_cpu_minutes", "steps", "total_steps",
                 "parameters")


def headline(record: dict, figures: tuple[tuple[str, str], ...] = ()) -> str:
    """A short line of a TRAINING.json: the figures its checkpoint declares, then its cost and size."""
    parts = []
    for label, path in figures:
        value = _at(record, path)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            parts.append(f"{label} {_number(value)}")
    parts += [f"{key} {_number(record[key])}" for key in HEADLINE_KEYS
              if isinstance(record.get(key), (int, float)) and not isinstance(record.get(key), bool)]
    return " · ".join(parts)


def _number(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) or float(value).is_integer() else f"{value:,.4g}"


def _at(record: dict, path: str) -> object:
    value: object = record
    for key in path.split("/"):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def listing() -> str:
    """The table ``python -m rlgen checkpoints`` prints."""
    rows = []
    for c in checkpoints().values():
        size, sha = fingerprint(c.name)
        figures = headline(training_record(c.name), c.figures)
        rows.append((c.name, ",".join(c.tabs), f"{size / 2**20:.2f} MB", sha[:12],
                     f"{c.summary} (train: {c.trained_by})", figures))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = [f"{'name':<{widths[0]}}  {'tabs':<{widths[1]}}  {'size':>{widths[2]}}  {'sha256':<{widths[3]}}  what"]
    for r in rows:
        lines.append(f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]:<{widths[3]}}  {r[4]}")
        if r[5]:
            lines.append(" " * (sum(widths) + 8) + r[5])
    total = sum(fingerprint(c)[0] for c in checkpoints())
    lines.append(f"{len(rows)} checkpoints, {total / 2**20:.1f} MB in all")
    return "\n".join(lines)


def _resolve(target: str):
    module, function = target.split(":")
    return getattr(importlib.import_module(module), function)
