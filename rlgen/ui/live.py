"""Server-side homes for what cannot be plain per-session data, and the concurrency limits of events.

A running algorithm is a generator: it cannot live in ``gr.State`` (deep-copied, and a generator shared by two
events of one session fails with "generator already executing"). :class:`LiveRuns` keeps each session's
generator on the server under a random token that the session's plain state carries, with one lock per token so
that Step, Run and Walk of one session queue behind one another instead of colliding. Entries idle for longer
than the session TTL are dropped, and the table never holds more than ``capacity`` entries (least recently used
first out); a caller whose entry is gone rebuilds it from its plain state.
"""

from __future__ import annotations

import functools
import inspect
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from rlgen.errors import InputError
from rlgen.runtime import COURTESY

# Concurrency. Python runs one thread at a time, so a room's requests are served fastest a few at a time, first
# come first served, rather than twenty at once sharing the interpreter (measured: a DPO reply's p95 went from
# 7.8 s to under 4 s). Quick clicks (a step, a run of a geometry algorithm: tens of ms) share two slots; model
# replies (a chat answer: a few hundred ms) share two others, so a click never waits behind a reply. Streams
# that mostly sleep between frames need room for a whole room of viewers; heavy work (training, sampling big
# models) is held to what two cores bear.
CLICKS = 2
CLICK_QUEUE = {"concurrency_id": "clicks", "concurrency_limit": CLICKS}
REPLY_QUEUE = {"concurrency_id": "replies", "concurrency_limit": 2}
# one picture a person waits for (a diffusion sample: about a second of compute)
IMAGE_QUEUE = {"concurrency_id": "images", "concurrency_limit": 2}
STREAMING = 32
HEAVY = 2
# every training run in the app shares one limit (two at once on two cores); the rest wait in line and see
# their place in the queue. Training loops also step aside while the events below are computing a reply
# (rlgen.runtime.Courtesy): a room's clicks stay quick while someone trains.
TRAINING_QUEUE = {"concurrency_id": "training", "concurrency_limit": HEAVY}
WAITED_ON = (CLICK_QUEUE["concurrency_id"], REPLY_QUEUE["concurrency_id"], IMAGE_QUEUE["concurrency_id"])


def waited_on(fn: Callable) -> Callable:
    """``fn`` (plain or generator) computing inside :meth:`rlgen.runtime.Courtesy.serving`: while it runs, training
    loops step aside. A generator is marked per step, so the pauses between its frames do not hold anyone back."""
    if getattr(fn, "rlgen_waited_on", False):
        return fn
    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def stream(*args, **kwargs):
            frames = fn(*args, **kwargs)
            while True:
                with COURTESY.serving():
                    try:
                        frame = next(frames)
                    except StopIteration:
                        return
                yield frame

        stream.rlgen_waited_on = True
        return stream

    @functools.wraps(fn)
    def call(*args, **kwargs):
        with COURTESY.serving():
            return fn(*args, **kwargs)

    call.rlgen_waited_on = True
    return call


def serve_waiting_first(demo) -> None:
    """Mark every event of the quick lines (clicks, replies, images) as waited on (:func:`waited_on`)."""
    for block_fn in demo.fns.values():
        if block_fn.fn is not None and block_fn.concurrency_id in WAITED_ON:
            block_fn.fn = waited_on(block_fn.fn)


def new_token() -> str:
    return uuid.uuid4().hex


class LiveRuns:
    """token -> (lock, value, last use); thread-safe."""

    def __init__(self, ttl_s: float, capacity: int = 2000, clock: Callable[[], float] = time.monotonic):
        self.ttl_s, self.capacity, self.clock = ttl_s, capacity, clock
        self._entries: OrderedDict[str, list] = OrderedDict()
        self._table_lock = threading.Lock()

    def _sweep(self, now: float) -> None:
        while self._entries:
            token, (lock, _, used) = next(iter(self._entries.items()))
            if now - used <= self.ttl_s and len(self._entries) <= self.capacity:
                break
            if lock.locked():  # in use right now: keep it, look again later
                self._entries.move_to_end(token)
                break
            del self._entries[token]

    def lock(self, token: str) -> threading.Lock:
        """The session's lock (created on first use): hold it while reading or advancing its value."""
        with self._table_lock:
            now = self.clock()
            entry = self._entries.get(token)
            if entry is None:
                entry = self._entries[token] = [threading.Lock(), None, now]
            entry[2] = now
            self._entries.move_to_end(token)
            self._sweep(now)
            return entry[0]

    def get(self, token: str) -> Any:
        with self._table_lock:
            entry = self._entries.get(token)
            return None if entry is None else entry[1]

    def put(self, token: str, value: Any) -> None:
        with self._table_lock:
            now = self.clock()
            entry = self._entries.setdefault(token, [threading.Lock(), None, now])
            entry[1], entry[2] = value, now
            self._entries.move_to_end(token)
            self._sweep(now)

    def drop(self, token: str | None) -> None:
        with self._table_lock:
            self._entries.pop(token, None)

    def __len__(self) -> int:
        return len(self._entries)


class OwnModels:
    """Models that people trained live, kept on the server while each session holds only a plain reference
    (``{"token": ..., **about}``) in its ``gr.State``: the state stays small plain data, the models are bounded
    in number and age, and a reference whose model was freed gets a clear message instead of a crash."""

    def __init__(self, ttl_s: float, capacity: int, what: str = "trained model"):
        self.what = what
        self._runs = LiveRuns(ttl_s, capacity)

    def keep(self, model: Any, ref: dict | None = None, **about) -> dict:
        """Store ``model`` under ``ref``'s token (a new one if ``ref`` is None); the reference to keep in state."""
        token = ref["token"] if ref else new_token()
        self._runs.put(token, model)
        return {"token": token, **about}

    def get(self, ref: dict | None, missing: str) -> Any:
        """The model behind ``ref``; ``missing`` says what to do when there is none yet."""
        if not ref:
            raise InputError(missing)
        model = self._runs.get(ref["token"])
        if model is None:
            hours = self._runs.ttl_s / 3600
            raise InputError(
                "Your {what} is no longer kept: the server keeps the {capacity} most recent for "
                "up to {hours:g} hours. Train it again.", what=self.what, capacity=self._runs.capacity, hours=hours
            )
        self._runs.lock(ref["token"])  # marks it as recently used
        return model

    def drop(self, ref: dict | None) -> None:
        if ref:
            self._runs.drop(ref.get("token"))

    def __len__(self) -> int:
        return len(self._runs)
