"""The real Kimi-VL-A3B on a GPU host (opt-in: ``RLGEN_REAL_WEIGHTS=1``), from an allow-list pinned to revisions.

It is served by vLLM, which runs Kimi-VL's remote code (transformers 5 has no ``kimi_vl`` model type and the remote
code was written for transformers 4.48-4.51)::

    vllm serve moonshotai/Kimi-VL-A3B-Instruct --revision 398eede0... --trust-remote-code --max-model-len 16384

and the host sets ``RLGEN_KIMI_VL_URL`` to the server's OpenAI-compatible address (``http://127.0.0.1:8000/v1``).
``trust_remote_code`` is passed for these pinned ids only; a user can pick among them but never type an id.
"""

from __future__ import annotations

import base64
import io
import json
import os
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image

from rlgen import runtime
from rlgen.errors import InputError
from rlgen.vlm.processor import MAX_IMAGES

URL_ENV = "RLGEN_KIMI_VL_URL"
THINK_OPEN, THINK_CLOSE = "◁think▷", "◁/think▷"  # how Kimi-VL-Thinking wraps its reasoning


@dataclass(frozen=True)
class RealModel:
    repo: str
    revision: str  # a commit hash, found in hub snapshot paths (sources below)
    thinking: bool
    temperature: float  # Moonshot's recommendation: 0.2 for Instruct, 0.8 for Thinking
    max_tokens: int


REAL_MODELS: dict[str, RealModel] = {
    # revision from a hub cache path models--moonshotai--Kimi-VL-A3B-Instruct/snapshots/398eede...
    "Kimi-VL-A3B-Instruct": RealModel("moonshotai/Kimi-VL-A3B-Instruct", "398eede0903cd983a2bfa0cc634e9ac1d843f375",
                                      thinking=False, temperature=0.2, max_tokens=1024),
    # revision from a hub cache path models--moonshotai--Kimi-VL-A3B-Thinking-2506/snapshots/aa17309...
    "Kimi-VL-A3B-Thinking-2506": RealModel("moonshotai/Kimi-VL-A3B-Thinking-2506",
                                           "aa1730989e7558695b44ee493623e03bd325a994",
                                           thinking=True, temperature=0.8, max_tokens=4096),
}


def server_url() -> str | None:
    return os.environ.get(URL_ENV) or None


def available() -> list[str]:
    """The real models this host can serve: only with ``RLGEN_REAL_WEIGHTS=1`` and a vLLM server configured."""
    return list(REAL_MODELS) if runtime.REAL_WEIGHTS and server_url() else []


def vllm_command(key: str) -> str:
    model = _model(key)
    return (f"vllm serve {model.repo} --revision {model.revision} --trust-remote-code "
            f"--served-model-name {model.repo} --max-model-len 16384 --limit-mm-per-prompt image={MAX_IMAGES}")


def _model(key: str) -> RealModel:
    if key not in REAL_MODELS:
        raise InputError("{key!r} is not on the allow-list; the real models are: {real_models}.",
                         key=key, real_models=', '.join(REAL_MODELS))
    return REAL_MODELS[key]


def split_thinking(text: str) -> tuple[str, str]:
    """(thinking, answer) of a Thinking model's output; the thinking is "" for a model that does not think."""
    if THINK_OPEN not in text:
        return "", text.strip()
    _, _, rest = text.partition(THINK_OPEN)
    thought, closed, answer = rest.partition(THINK_CLOSE)
    return thought.strip(), answer.strip() if closed else ""


def _data_url(image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def request_body(key: str, images: list[Image.Image], question: str, history: list[tuple[str, str]] = ()) -> dict:
    model = _model(key)
    messages = []
    for i, (q, a) in enumerate([*history, (question, None)]):
        parts = [{"type": "image_url", "image_url": {"url": _data_url(im)}} for im in images] if i == 0 else []
        messages.append({"role": "user", "content": [*parts, {"type": "text", "text": q}]})
        if a is not None:
            messages.append({"role": "assistant", "content": a})
    return {"model": model.repo, "messages": messages, "stream": True, "temperature": model.temperature,
            "max_tokens": model.max_tokens}


def stream_real(key: str, images: list[Image.Image], question: str, history: list[tuple[str, str]] = (),
                url: str | None = None, timeout_s: float = 120.0) -> Iterator[tuple[str, str]]:
    """Stream (thinking so far, answer so far) from the vLLM server's chat-completions endpoint."""
    url = url or server_url()
    if not url:
        raise InputError("No Kimi-VL server is configured: start vLLM and set {url_env} (see rlgen/vlm/real.py).",
                         url_env=URL_ENV)
    body = json.dumps(request_body(key, images, question, history)).encode()
    request = urllib.request.Request(url.rstrip("/") + "/chat/completions", data=body,
                                     headers={"Content-Type": "application/json"})
    text = ""
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            for raw in response:
                line = raw.decode("utf-8").strip()
                if not line.startswith("data:"):
                    continue
                payload = line[len("data:"):].strip()
                if payload == "[DONE]":
                    break
                delta = json.loads(payload)["choices"][0].get("delta", {}).get("content") or ""
                if delta:
                    text += delta
                    yield split_thinking(text)
    except OSError as exc:
        raise InputError("The Kimi-VL server at {url} did not answer ({exc}).", url=url, exc=exc) from exc
