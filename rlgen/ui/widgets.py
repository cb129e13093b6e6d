"""Pieces every tab shares: the theme, error handling that turns a domain ``ValueError`` into ``gr.Error``,
and the seed controls."""

from __future__ import annotations

import functools
import inspect
import math
import random
from collections.abc import Callable

import gradio as gr

CSS = """
.rlgen-explain { font-size: 0.95em; }
.rlgen-status textarea, .rlgen-status input { font-family: ui-monospace, monospace; }
"""

SYSTEM_FONTS = ["ui-sans-serif", "system-ui", "Segoe UI", "Roboto", "Helvetica", "Arial", "sans-serif"]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"]


def theme() -> gr.themes.Base:
    return gr.themes.Soft(font=SYSTEM_FONTS, font_mono=MONO_FONTS)


def user_errors(fn: Callable) -> Callable:
    """Run a handler (plain or generator) so that a ``ValueError`` from the domain reaches the person as a
    ``gr.Error`` with its message, and nothing else in the app is disturbed."""
    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def generator_wrapper(*args, **kwargs):
            try:
                yield from fn(*args, **kwargs)
            except ValueError as exc:
                raise gr.Error(str(exc)) from exc

        return generator_wrapper

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ValueError as exc:
            raise gr.Error(str(exc)) from exc

    return wrapper


MAX_SEED = 2**31 - 1


def seed_controls(value: int = 0) -> tuple[gr.Number, gr.Checkbox]:
    """A seed box and a "randomize" toggle; handlers call :func:`resolve_seed` and show the seed used."""
    with gr.Row():
        seed = gr.Number(value=value, label="Seed", precision=0, minimum=0, maximum=MAX_SEED, scale=3)
        randomize = gr.Checkbox(value=False, label="Randomize seed", scale=2)
    return seed, randomize


def resolve_seed(seed: float | None, randomize: bool) -> int:
    """The seed a run uses: a fresh one when randomizing, else the box's value (checked)."""
    if randomize:
        return random.randint(0, MAX_SEED)
    if seed is None or not math.isfinite(seed):
        raise ValueError("The seed must be a whole number.")
    if int(seed) != seed or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"The seed must be a whole number from 0 to {MAX_SEED} (got {seed}).")
    return int(seed)


def check_number(value: float | None, name: str, low: float, high: float, *, integer: bool = False) -> float:
    """A number from a UI control, checked: finite, within [low, high], whole where it must be."""
    if value is None or not math.isfinite(value):
        raise ValueError(f"{name} must be a number (got {value}).")
    if not low <= value <= high:
        raise ValueError(f"{name} must lie between {low:g} and {high:g} (got {value:g}).")
    if integer and int(value) != value:
        raise ValueError(f"{name} must be a whole number (got {value:g}).")
    return int(value) if integer else float(value)
