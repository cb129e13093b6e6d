"""Shared fixtures: the app served on a free loopback port, and a Playwright page in Debian's Chromium that
records every request so a test can assert the page never left 127.0.0.1."""

from __future__ import annotations

import ast
import contextlib
import os
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from rlgen import runtime

# pytest (its plugins) can import torch before any test module imports rlgen: apply the thread policy now, or the
# torch tests run on two spinning OpenMP threads on a 2-core box (measured 3.5x slower for the diffusion tests).
runtime.configure_torch()

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("RLGEN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_blocks(demo) -> str:
    """Launch ``demo`` on a free loopback port without blocking; returns its URL."""
    from rlgen.ui import launch_kwargs, with_queue

    with_queue(demo)
    _, url, _ = demo.launch(
        server_name="127.0.0.1",
        server_port=free_port(),
        prevent_thread_lock=True,
        quiet=True,
        **launch_kwargs(demo),
    )
    return url


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """The whole app (every tab of app.py), served once for the test session."""
    from rlgen.ui import build_app

    demo = build_app()
    url = serve_blocks(demo)
    yield url
    demo.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (.ci/run installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, app_url):
    """A fresh page on the app; after the test, asserts every request stayed on loopback."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(app_url, wait_until="domcontentloaded")
    page.get_by_text("rlgen", exact=False).first.wait_for(timeout=30_000)
    yield page
    context.close()
    outside = [u for u in requests if urlparse(u).scheme in ("http", "https", "ws", "wss")
               and urlparse(u).hostname not in LOOPBACK]
    assert not outside, f"the page made requests outside 127.0.0.1: {outside[:5]}"


@pytest.fixture(scope="module")
def tokenizer():
    """The DPO domain's tests: a tokenizer trained on 400 synthetic conversations (one per test module)."""
    from rlgen.dpo.corpus import make_corpus
    from rlgen.dpo.lm import train_tokenizer

    conversations = make_corpus(400, seed=0)
    return train_tokenizer((m["content"] for c in conversations for m in c.messages), vocab_size=400)


@pytest.fixture(scope="module")
def tiny_ref(tokenizer):
    """The DPO domain's tests: a random tiny Llama (2 layers, width 32) in eval mode as π_ref, fresh for each test
    module; a test that changes it works on a copy."""
    from rlgen.dpo.lm import new_model, tiny_llama_config

    config = tiny_llama_config(tokenizer, hidden=32, layers=2, heads=2, intermediate=64)
    return new_model(config, seed=0).eval()


def save_screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


@contextlib.contextmanager
def reader(language: str | None = None, accept_language: str = ""):
    """Run handlers as for one reader: ``language`` as chosen on the page (the ``rlgen-lang`` cookie) or, without
    it, the browser's ``Accept-Language`` header."""
    from gradio.context import LocalContext

    class Request:
        cookies = {"rlgen-lang": language} if language else {}
        headers = {"accept-language": accept_language} if accept_language else {}

    token = LocalContext.request.set(Request())
    try:
        yield
    finally:
        LocalContext.request.reset(token)


# two English words in a row ("Discount factor", "press Step or Run"): text a Chinese reader should not meet; a name
# such as "Bowyer–Watson" or "DDPG" is one word
ENGLISH_PHRASE = re.compile(r"\b[A-Za-z][a-z]{2,}[ ,]+[a-z]{3,}\b")


def calls_named(name: str, root: Path, pattern: str = "*.py") -> list[tuple[ast.Call, str]]:
    """Every call of ``name(...)`` written in the files under ``root`` matching ``pattern``, with where it is."""
    found = []
    for path in sorted(root.rglob(pattern)):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == name:
                found.append((node, f"{path.relative_to(root.parent)}:{node.lineno}"))
    return found


@contextlib.contextmanager
def opened(browser, url: str, width: int = 1280, height: int = 720, **options):
    """A page in a browser context of its own (a ``width`` x ``height`` viewport, other context ``options``) that
    has loaded ``url``; the context is closed afterwards."""
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    try:
        page = context.new_page()
        page.goto(url, wait_until="domcontentloaded")
        yield page
    finally:
        context.close()


# a component gradio is still filling (a load event or a run in flight) shows its status tracker (hidden when idle),
# and some are drawn at 20 % opacity or under a pulsing border: a page is settled when none of these is left
SETTLED = "() => !document.querySelector('.pending, .generating, [data-testid=status-tracker]:not(.hide)')"


def settled(page, timeout: float = 60_000) -> None:
    """Wait until no component of ``page`` is waiting for an event's result (the opening values included), then
    a moment more for the last values to be drawn."""
    page.wait_for_function(SETTLED, timeout=timeout)
    page.wait_for_timeout(300)
