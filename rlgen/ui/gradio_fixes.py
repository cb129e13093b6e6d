"""Fixes to gradio 6.31 that a public Space needs, applied once at launch (and in the tests).

**Images rewritten while served.**
gradio stores a PIL image output under ``<cache>/<content hash>/image.<fmt>`` and rewrites that file with
``write_bytes`` on every call. When many sessions receive the same image at once (everyone on the default grid),
one request truncates the file while another is streaming it: the client sees "peer closed connection without
sending complete message body" and the server logs ``h11 LocalProtocolError: Too little data for declared
Content-Length``. Since the folder is named by the content's hash, a file that is already there already holds
these bytes: write it only when it is missing, under a temporary name renamed into place (atomic on POSIX), as
gradio's own ``save_file_to_cache`` does for files given by path.

**Every visitor kept forever.** When a session starts, gradio's ``SessionState`` makes a copy of the config of
every block of the app (about 1 MB for this app, measured with tracemalloc), used only to restore a deep link,
and ``StateHolder`` never drops a session (only beyond 10,000 of them): a public Space's memory grew with every
visitor. Here a session's block configs are made when first read, and a session closed for an hour (gradio's
own grace period) or unused for longer than the session time to live is dropped, its states' delete callbacks
called first.

**An empty slider is a crash.** A slider's value sent as ``null`` (an API call, a hand-made request) reaches
``Number.raise_if_out_of_bounds``, which compares ``None < minimum`` and fails with a ``TypeError``: an internal
error instead of a message. Here it is the message a person would get for an empty number box.
"""

from __future__ import annotations

import datetime
import os
import tempfile
from copy import copy
from pathlib import Path

from gradio import processing_utils, state_holder
from gradio.components.number import Number

_original_save_pil = processing_utils.save_pil_to_cache
_original_save_bytes = processing_utils.save_bytes_to_cache


def write_once(folder: Path, name: str, data: bytes) -> str:
    """``folder/name`` holding ``data``, written atomically and only if absent; its absolute path."""
    folder.mkdir(exist_ok=True, parents=True)
    target = (folder / name).resolve()
    if not target.exists():
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    return str(target)


def save_pil_to_cache(img, cache_dir: str, name: str = "image", format: str = "webp") -> str:
    data = processing_utils.encode_pil_to_bytes(img, format)
    return write_once(Path(cache_dir) / processing_utils.hash_bytes(data), f"{name}.{format}", data)


def save_bytes_to_cache(data: bytes, file_name: str, cache_dir: str) -> str:
    if not Path(file_name).suffix:
        file_name = file_name + processing_utils.detect_audio_format(data)
    return write_once(Path(cache_dir) / processing_utils.hash_bytes(data), Path(file_name).name, data)


class NoBackendSwitch:
    """gradio switches matplotlib's backend around every event; without matplotlib installed each switch is a
    failed import that searches every ``sys.path`` entry, twice per event (about 2 % of a busy server's CPU)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None


class ConfigOnDemand(dict):
    """A session's config of each block, made when first read (gradio makes them all when a session starts)."""

    def __init__(self, blocks_config, keys: list[int]):
        super().__init__()
        self.blocks_config, self.keys_at_start = blocks_config, keys

    def __missing__(self, key: int) -> dict:
        block = self.blocks_config.blocks[key]  # KeyError for a block the session does not have, as before
        config = self[key] = self.blocks_config.config_for_block(key, [], block)
        return config

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or key in self.keys_at_start

    def _complete(self) -> None:
        for key in self.keys_at_start:
            if not dict.__contains__(self, key) and key in self.blocks_config.blocks:
                self[key]  # noqa: B018  (made on reading)

    def items(self):
        self._complete()
        return super().items()

    def values(self):
        self._complete()
        return super().values()

    def __iter__(self):
        self._complete()
        return super().__iter__()


def session_state_init(self, blocks) -> None:
    """``gradio.state_holder.SessionState.__init__`` with the block configs made on demand."""
    self.blocks_config = copy(blocks.default_config)
    self.config_values = ConfigOnDemand(self.blocks_config,
                                        [k for k in self.blocks_config.blocks if k in blocks.blocks])
    self.state_data = {}
    self._state_ttl = {}
    self.is_closed = False
    self.STATE_TTL_WHEN_CLOSED = 1 if os.getenv("GRADIO_IS_E2E_TEST", None) else 3600


_original_out_of_bounds = Number.raise_if_out_of_bounds


def raise_if_out_of_bounds(num: float | None, minimum: float | None, maximum: float | None) -> None:
    """gradio's range check, with an empty value refused as the user's mistake instead of a ``TypeError``."""
    if num is None:
        from gradio.exceptions import Error

        from rlgen.ui.i18n import say

        raise Error(say("A number is needed here; the value was empty."))
    _original_out_of_bounds(num, minimum, maximum)


_original_delete_expired = state_holder.StateHolder.delete_all_expired_state
_original_session_init = state_holder.SessionState.__init__


def delete_expired_sessions(self, unused_for_s: float | None = None) -> None:
    """gradio's sweep of expired states, then: drop each session closed for longer than its grace period or
    unused for longer than ``unused_for_s`` (default: the app's session time to live)."""
    from rlgen.ui.widgets import SESSION_TTL_S

    _original_delete_expired(self)
    now = datetime.datetime.now()
    limit = SESSION_TTL_S if unused_for_s is None else unused_for_s
    for session_id, used in list(self.time_last_used.items()):
        session = self.session_data.get(session_id)
        idle = (now - used).total_seconds()
        if session is None or idle > limit or (session.is_closed and idle > session.STATE_TTL_WHEN_CLOSED):
            self.delete_state(session_id)  # every state's delete callback (live runs, trained models)
            with self.lock:
                self.session_data.pop(session_id, None)
                self.time_last_used.pop(session_id, None)


def apply() -> None:
    """Install the atomic writers, the on-demand session configs, the session sweep and the empty-slider check, and
    drop the backend switch where matplotlib is absent (idempotent)."""
    import importlib.util

    from gradio import utils

    processing_utils.save_pil_to_cache = save_pil_to_cache
    processing_utils.save_bytes_to_cache = save_bytes_to_cache
    state_holder.SessionState.__init__ = session_state_init
    state_holder.StateHolder.delete_all_expired_state = delete_expired_sessions
    Number.raise_if_out_of_bounds = staticmethod(raise_if_out_of_bounds)
    if importlib.util.find_spec("matplotlib") is None:
        utils.MatplotlibBackendMananger = NoBackendSwitch
