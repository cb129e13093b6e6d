"""The whole app as a public Space serves it: started like Hugging Face starts it, then sent what a hostile visitor
would send. A decompression bomb at every image input gets a clear message and costs the server almost nothing;
an upload over the cap is refused; the file route serves nothing outside gradio's cache."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from gradio_client import Client, handle_file
from PIL import Image

from tests.conftest import free_port
from tests.test_app import wait_for_page

ROOT = Path(__file__).resolve().parents[1]
BOMB_SIDE = 13_000  # 169 megapixels: ~20 KB as a one-bit PNG, ~0.7 GB once decoded as RGBA
RSS_BUDGET = 200e6


@pytest.fixture(scope="module")
def space(tmp_path_factory):
    """``python app.py`` from the repository root with the Spaces environment; yields (url, server process)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "HOST", "PORT")}
    env |= {"SYSTEM": "spaces", "GRADIO_SERVER_NAME": "0.0.0.0", "GRADIO_SERVER_PORT": str(port)}
    log = tmp_path_factory.mktemp("space") / "app.log"
    with open(log, "w") as out:
        server = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        assert wait_for_page(url, server, timeout=300) is not None, log.read_text()[-3000:]
        assert f"0.0.0.0:{port}" in log.read_text()
        yield url, server, log
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("bomb") / "bomb.png"
    Image.new("1", (BOMB_SIDE, BOMB_SIDE), 1).save(path, optimize=True)
    assert path.stat().st_size < 100_000
    return str(path)


class PeakRSS:
    """Samples a process's resident memory every 5 ms while the block runs; ``rise`` is peak minus start."""

    def __init__(self, pid: int):
        self.process = psutil.Process(pid)

    def __enter__(self):
        self.start = self.peak = self.process.memory_info().rss
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self):
        while self.running:
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.005)

    def __exit__(self, *exc):
        time.sleep(0.2)
        self.running = False
        self.thread.join()

    @property
    def rise(self) -> float:
        return self.peak - self.start


@pytest.mark.parametrize("endpoint, arguments", [
    ("/ask", lambda f: {"question": "What colour is the circle?", "image1": f, "image2": None}),
    ("/show_grid", lambda f: {"image1": None, "image2": f}),
    ("/diffusion_generate", lambda f: {"source": "upload", "upload": f, "sketch": None}),
    ("/diffusion_generate", lambda f: {"source": "sketch", "upload": None,
                                       "sketch": {"background": f, "layers": [], "composite": f}}),
], ids=["kimivl-upload", "kimivl-second-image", "diffusion-control-upload", "diffusion-sketch"])
def test_a_decompression_bomb_gets_a_clear_message_and_costs_the_server_nothing(space, bomb, endpoint, arguments):
    url, server, _ = space
    client = Client(url, verbose=False)
    with PeakRSS(server.pid) as memory:
        with pytest.raises(Exception) as refused:
            client.predict(**arguments(handle_file(bomb)), api_name=endpoint)
    message = str(refused.value)
    assert "megapixels" in message and "13,000×13,000" in message or "too large" in message, message
    assert "Could not preprocess" not in message
    assert memory.rise < RSS_BUDGET, f"server RSS rose {memory.rise / 1e6:.0f} MB"


def test_a_file_that_is_not_an_image_gets_a_clear_message(space, tmp_path):
    url, _, _ = space
    fake = tmp_path / "photo.png"
    fake.write_bytes(b"this is not a PNG at all" * 100)
    with pytest.raises(Exception, match="not an image"):
        Client(url, verbose=False).predict(image1=handle_file(str(fake)), image2=None, api_name="/show_grid")


def test_an_upload_over_the_size_cap_is_refused_before_it_is_stored(space, tmp_path):
    import httpx

    url, _, _ = space
    big = tmp_path / "big.png"
    with open(big, "wb") as out:
        out.truncate(12 * 1024 * 1024)
    with open(big, "rb") as handle:
        response = httpx.post(url + "gradio_api/upload", files={"files": ("big.png", handle)}, timeout=60)
    assert response.status_code == 413, response.text[:300]


@pytest.mark.parametrize("path", ["/etc/passwd", "../../etc/passwd", str(ROOT / "app.py"), str(ROOT / "README.md"),
                                  "%2e%2e/%2e%2e/etc/hostname", str(Path.home() / ".bashrc")])
def test_the_file_route_serves_nothing_outside_gradios_cache(space, path):
    import httpx

    url, _, _ = space
    response = httpx.get(url + "gradio_api/file=" + path, timeout=30)
    assert response.status_code in (403, 404), (path, response.status_code)


def test_the_app_keeps_serving_after_hostile_input(space):
    url, _, _ = space
    client = Client(url, verbose=False)
    _, _, status, _ = client.predict("value_iteration", 0.9, 5, 100, 200, 0.1, 0.1, 3, False, 0, False,
                                     api_name="/gridworld_step")
    assert "iteration k 1" in status
