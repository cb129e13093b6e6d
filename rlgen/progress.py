"""One protocol for streamed work, and one throttle.

Every long job in rlgen (a training loop, a sampling chain, an animation) is a generator of frames. Whatever
else a domain's frame carries (values, a model, figure data), the UI and the tests can read progress from it
the same way: :func:`progress_of` gives a :class:`Progress` with the step, the total when known, and a one-line
message. :func:`throttled` thins a fast stream to what a browser can draw, always keeping the last frame, so a
loop never needs its own clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

STREAM_EVERY_S = 0.25  # four updates a second: smooth to watch, cheap to send


@dataclass(frozen=True)
class Progress:
    """Where a streamed job stands: ``step`` of ``total`` (None when open-ended), and what it is doing."""

    step: int
    total: int | None = None
    message: str = ""

    @property
    def fraction(self) -> float | None:
        return None if not self.total else min(1.0, self.step / self.total)

    def line(self) -> str:
        count = f"{self.step:,}" if self.total is None else f"{self.step:,}/{self.total:,}"
        return f"{count} {self.message}".strip()


def progress_of(frame: Any) -> Progress:
    """The progress a frame reports: its own ``progress()`` if it has one, else its ``step``/``total``
    attributes (``total_steps`` is accepted as the total)."""
    own = getattr(frame, "progress", None)
    if callable(own):
        return own()
    if isinstance(own, Progress):
        return own
    total = getattr(frame, "total", getattr(frame, "total_steps", None))
    return Progress(int(getattr(frame, "step", 0)), None if total is None else int(total),
                    str(getattr(frame, "message", "")))


def throttled(frames: Iterable[T], every_s: float = STREAM_EVERY_S, *,
              keep: Callable[[T], bool] | None = None,
              clock: Callable[[], float] = time.perf_counter) -> Iterator[T]:
    """Pass on at most one frame per ``every_s`` seconds, plus every frame for which ``keep(frame)`` is true
    (a finished episode, a phase change), and always the last frame of the stream."""
    last_sent = -float("inf")
    pending: T | None = None
    has_pending = False
    for frame in frames:
        now = clock()
        if now - last_sent >= every_s or (keep is not None and keep(frame)):
            last_sent, has_pending = now, False
            yield frame
        else:
            pending, has_pending = frame, True
    if has_pending:
        yield pending  # type: ignore[misc]


def paced(frames: Iterable[T], fps: float, *, clock: Callable[[], float] = time.perf_counter,
          sleep: Callable[[float], None] = time.sleep) -> Iterator[T]:
    """Pass on every frame, no faster than ``fps`` frames a second (an animation a person watches): each frame
    leaves at least ``1 / fps`` after the one before, however long it took to make or to send."""
    interval = 1.0 / fps
    last_sent: float | None = None
    for frame in frames:
        if last_sent is not None:
            sleep(max(0.0, interval - (clock() - last_sent)))
        last_sent = clock()
        yield frame
