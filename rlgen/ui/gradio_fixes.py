"""Fixes to gradio 6.31 that a public Space needs, applied once at launch (and in the tests).

gradio stores a PIL image output under ``<cache>/<content hash>/image.<fmt>`` and rewrites that file with
``write_bytes`` on every call. When many sessions receive the same image at once (everyone on the default grid),
one request truncates the file while another is streaming it: the client sees "peer closed connection without
sending complete message body" and the server logs ``h11 LocalProtocolError: Too little data for declared
Content-Length``. Since the folder is named by the content's hash, a file that is already there already holds
these bytes: write it only when it is missing, under a temporary name renamed into place (atomic on POSIX), as
gradio's own ``save_file_to_cache`` does for files given by path.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from gradio import processing_utils

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


def apply() -> None:
    """Install the atomic writers, and drop the backend switch where matplotlib is absent (idempotent)."""
    import importlib.util

    from gradio import utils

    processing_utils.save_pil_to_cache = save_pil_to_cache
    processing_utils.save_bytes_to_cache = save_bytes_to_cache
    if importlib.util.find_spec("matplotlib") is None:
        utils.MatplotlibBackendMananger = NoBackendSwitch
