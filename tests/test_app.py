"""The app as a whole: it serves on loopback and answers through gradio_client; the Space exporter and the
command line work; the runtime made its decisions."""

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest
import yaml
from gradio_client import Client

from rlgen import runtime
from rlgen.ui import TABS
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[1]


def test_runtime_sets_offline_single_thread_defaults():
    assert os.environ["GRADIO_ANALYTICS_ENABLED"] == "False"
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    if runtime.cpu_count() <= 2 and "RLGEN_THREADS" not in os.environ:
        assert runtime.torch_threads() == 1 and os.environ["OMP_WAIT_POLICY"] == "PASSIVE"


def test_thread_override_is_honoured(monkeypatch):
    monkeypatch.setenv("RLGEN_THREADS", "3")
    assert runtime.torch_threads() == 3


def test_gridworld_endpoint_answers_through_gradio_client(app_url):
    client = Client(app_url, verbose=False)
    image, plot, status, seed = client.predict(
        "value_iteration", 0.9, 5, 100, 200, 0.1, 0.1, 3, False, 0, False, api_name="/gridworld_step")
    assert Path(image).exists() and "iteration k 1" in status and seed == 0


def test_bad_input_reaches_the_client_as_a_message_and_the_app_keeps_serving(app_url):
    client = Client(app_url, verbose=False)
    with pytest.raises(Exception, match="γ must lie between"):
        client.predict("value_iteration", 1.0, 5, 100, 200, 0.1, 0.1, 3, False, 0, False,
                       api_name="/gridworld_step")
    _, _, status, _ = client.predict("policy_iteration", 0.9, 5, 100, 200, 0.1, 0.1, 3, False, 0, False,
                                     api_name="/gridworld_step")
    assert "iteration k 1" in status


@pytest.fixture(scope="module")
def exported_spaces(tmp_path_factory):
    """Every tab's Space, exported and started the way the host starts it: `python app.py` in the Space's folder
    with SYSTEM=spaces, GRADIO_SERVER_NAME=0.0.0.0, a GRADIO_SERVER_PORT and no PYTHONPATH. All start at once
    (each start is mostly imports; in parallel the two cores finish them in a third of the time)."""
    from rlgen.spaces_export import export_space

    spaces = {}
    for tab in sorted(TABS):
        target = export_space(tab, tmp_path_factory.mktemp(f"space-{tab}") / "space")
        port = free_port()
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "HOST", "PORT")}
        env |= {"SYSTEM": "spaces", "GRADIO_SERVER_NAME": "0.0.0.0", "GRADIO_SERVER_PORT": str(port)}
        log = target.parent / "space.log"
        with open(log, "w") as out:
            server = subprocess.Popen([sys.executable, "app.py"], cwd=target, env=env, stdout=out,
                                      stderr=subprocess.STDOUT)
        spaces[tab] = (target, port, server, log)
    yield spaces
    for _, _, server, _ in spaces.values():
        server.terminate()
    for _, _, server, _ in spaces.values():
        server.wait(timeout=30)


@pytest.mark.parametrize("tab", sorted(TABS))
def test_exported_space_serves_its_page_as_hugging_face_runs_it(tab, exported_spaces):
    """The exported Space carries what the host needs, and its app.py, started as the host starts it, serves its
    page on every interface."""
    target, port, server, log = exported_spaces[tab]
    meta = front_matter((target / "README.md").read_text())
    assert meta["sdk"] == "gradio" and meta["app_file"] == "app.py"
    assert (target / "requirements.txt").read_text().count("torch==2.13.0") == 1
    assert (target / "rlgen" / "__init__.py").exists()
    lfs = (target / ".gitattributes").read_text()
    assert "*.safetensors filter=lfs" in lfs  # the Hub takes the weights through LFS/Xet only
    page = wait_for_page(f"http://127.0.0.1:{port}/", server, timeout=600)
    assert page is not None, log.read_text()[-3000:]
    assert "rlgen" in page and "gradio" in page
    assert f"0.0.0.0:{port}" in log.read_text()  # bound to every interface, as the host needs
    listening = [c for c in psutil.Process(server.pid).net_connections("tcp") if c.status == "LISTEN"]
    assert any(c.laddr.ip == "0.0.0.0" and c.laddr.port == port for c in listening), listening


def wait_for_page(url: str, server: subprocess.Popen, timeout: float) -> str | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.5)
    return None


def test_the_address_honours_gradios_variables_then_the_aliases_then_loopback(monkeypatch):
    from rlgen.ui import address

    for name in ("GRADIO_SERVER_NAME", "GRADIO_SERVER_PORT", "HOST", "PORT"):
        monkeypatch.delenv(name, raising=False)
    assert address() == ("127.0.0.1", 7860)
    monkeypatch.setenv("HOST", "127.0.0.2")
    monkeypatch.setenv("PORT", "8001")
    assert address() == ("127.0.0.2", 8001)
    monkeypatch.setenv("GRADIO_SERVER_NAME", "0.0.0.0")
    monkeypatch.setenv("GRADIO_SERVER_PORT", "7861")
    assert address() == ("0.0.0.0", 7861)
    assert address("127.0.0.1", 9000) == ("127.0.0.1", 9000)


def test_export_refuses_an_unknown_tab_or_a_used_folder(tmp_path):
    from rlgen.spaces_export import export_space

    with pytest.raises(ValueError, match="Unknown tab"):
        export_space("nope", tmp_path / "x")
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "file").write_text("x")
    with pytest.raises(ValueError, match="not empty"):
        export_space("gridworld", tmp_path / "used")


@pytest.mark.parametrize("tab", sorted(TABS))
def test_each_tab_has_a_space_in_the_repository(tab):
    folder = ROOT / "spaces" / tab
    assert (folder / "app.py").exists()
    meta = front_matter((folder / "README.md").read_text())
    assert meta["sdk"] == "gradio" and meta["app_file"] == "app.py" and len(meta["short_description"]) <= 60


def front_matter(text: str) -> dict:
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


def test_root_readme_carries_the_spaces_front_matter_and_the_two_commands():
    text = (ROOT / "README.md").read_text()
    meta = front_matter(text)
    assert meta["sdk"] == "gradio" and meta["app_file"] == "app.py" and len(meta["short_description"]) <= 60
    assert "pip install -r requirements.txt && python app.py" in text
    assert "pip install -r requirements-dev.txt && pytest" in text
    assert "torch==2.13.0" in (ROOT / "requirements.txt").read_text()


def test_bench_smoke_run_writes_self_explaining_json(tmp_path):
    out = tmp_path / "gw.json"
    subprocess.run([sys.executable, "-m", "rlgen.bench", "gridworld", "--quick", "--json", str(out)], check=True,
                   cwd=ROOT, capture_output=True, timeout=600)
    import json

    figures = json.loads(out.read_text())
    assert figures["value_iteration"]["20x20"]["speedup_over_loop"] > 1
    assert figures["mc_epsilon_greedy_episode"]["seconds_with_update"] > 0


def test_cli_lists_its_commands():
    done = subprocess.run([sys.executable, "-m", "rlgen", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0
    for command in ("serve", "train", "bench", "export-space"):
        assert command in done.stdout


def test_building_the_app_prints_no_library_warning():
    """A new user's first start is quiet: no torchvision, deprecation or other library warning."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}
    env["PYTHONPATH"] = str(ROOT)
    started = subprocess.run([sys.executable, "-c", "from rlgen.ui import build_app; build_app()"], cwd=ROOT,
                             env=env, capture_output=True, text=True, timeout=300)
    assert started.returncode == 0, started.stderr[-2000:]
    noisy = [line for line in (started.stdout + started.stderr).splitlines() if "warn" in line.lower()]
    assert noisy == []


@pytest.mark.browser
@pytest.mark.parametrize("key", ["dpo", "kimivl"])
def test_a_link_with_a_tab_opens_that_tab(browser, app_url, key):
    from playwright.sync_api import expect

    from rlgen.ui import tab_module

    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        page.goto(f"{app_url}?tab={key}", wait_until="domcontentloaded")
        selected = page.get_by_role("tab", name=tab_module(key).TITLE).first
        expect(selected).to_have_attribute("aria-selected", "true", timeout=30_000)
        page = context.new_page()  # a link written with a hash (a slide's anchor) opens the same tab
        page.goto(f"{app_url}#{key}", wait_until="domcontentloaded")
        selected = page.get_by_role("tab", name=tab_module(key).TITLE).first
        expect(selected).to_have_attribute("aria-selected", "true", timeout=30_000)
        page = context.new_page()  # a second visit (going on in the same page was now and then aborted)
        page.goto(f"{app_url}?tab=nope", wait_until="domcontentloaded")
        expect(page.get_by_role("tab", selected=True).first).to_have_text(tab_module("gridworld").TITLE,
                                                                           timeout=30_000)
    finally:
        context.close()


@pytest.mark.browser
def test_the_presenter_view_enlarges_text_from_a_link_or_the_p_key(browser, app_url):
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    label = "#gridworld-step"

    def size() -> float:
        return page.eval_on_selector(label, "e => parseFloat(getComputedStyle(e).fontSize)")

    try:
        page.goto(app_url, wait_until="domcontentloaded")
        page.locator(label).wait_for(timeout=30_000)
        normal = size()
        page = context.new_page()
        page.goto(f"{app_url}?present=1", wait_until="domcontentloaded")
        page.locator(label).wait_for(timeout=30_000)
        page.wait_for_function("document.body.classList.contains('rlgen-present')", timeout=30_000)
        assert size() >= 20 > normal
        page.locator("body").press("p")
        page.wait_for_function("!document.body.classList.contains('rlgen-present')", timeout=10_000)
    finally:
        context.close()


def test_no_file_carries_merge_conflict_markers():
    suffixes = {".py", ".md", ".txt", ".json", ".toml", ".ini", ".cfg", ".yml", ".yaml"}
    skip = {".git", "__pycache__", "node_modules"}
    marked = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*")
              if p.suffix in suffixes and p.is_file() and not skip & set(p.parts)
              and any(line.startswith(("<<<<<<< ", ">>>>>>> ")) for line in p.read_text(errors="ignore").splitlines())]
    assert marked == []


@pytest.mark.browser
def test_keyboard_shortcuts_press_the_open_tabs_actions_and_switch_tabs(browser, app_url):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        page.goto(f"{app_url}?tab=gridworld", wait_until="domcontentloaded")
        status = page.locator("#gridworld-status textarea")
        expect(status).to_have_value(re.compile("Step or Run"), timeout=30_000)
        page.locator("body").press("s")  # Step
        expect(status).to_have_value(re.compile(r"iteration k 1\b"), timeout=30_000)
        page.locator("body").press("2")  # the second tab
        expect(page.locator("[role=tab]").nth(1)).to_have_attribute("aria-selected", "true")
    finally:
        context.close()


@pytest.mark.browser
def test_plots_follow_dark_mode(browser, app_url):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(f"{app_url}?tab=gridworld&__theme=dark", wait_until="domcontentloaded")
        page.locator("#gridworld-step").click()
        svg = page.locator("#gridworld-convergence .main-svg").first
        svg.wait_for(timeout=30_000)
        assert "invert" in svg.evaluate("e => getComputedStyle(e).filter")
    finally:
        context.close()


@pytest.mark.browser
def test_visiting_every_tab_twice_logs_no_error_and_exhausts_no_webgl_contexts(browser, app_url):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    messages: list[tuple[str, str]] = []
    page.on("console", lambda m: messages.append((m.type, m.text)))
    page.on("pageerror", lambda e: messages.append(("pageerror", str(e))))
    try:
        page.goto(app_url, wait_until="domcontentloaded")
        tabs = page.locator("[role=tablist]").first.locator("[role=tab]")
        tabs.first.wait_for(timeout=30_000)
        for _ in range(2):
            for i in range(tabs.count()):
                tabs.nth(i).click()
                page.wait_for_timeout(600)
        errors = [text for kind, text in messages if kind in ("error", "pageerror")]
        contexts = [text for _, text in messages if "Too many active WebGL contexts" in text]
        assert errors == [] and contexts == []
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("tab", list(TABS))
def test_a_phone_sees_each_tab_without_sideways_scrolling(browser, app_url, tab):
    from tests.conftest import save_screenshot, settled

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{app_url}?tab={tab}", wait_until="domcontentloaded")
        page.locator("[role=tabpanel]:visible").first.wait_for(timeout=30_000)
        settled(page)  # laid out with its opening values
        assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
        save_screenshot(page, f"{tab}-phone")
    finally:
        context.close()


MAIN_ACTION = "[role=tabpanel]:visible button.primary:visible"  # the key R presses: the tab's first primary button


@pytest.mark.browser
@pytest.mark.parametrize("tab", list(TABS))
def test_every_tabs_main_action_is_above_the_fold_and_large_in_the_presenter_view(browser, app_url, tab):
    """At 1280x720 the open tab's main action is on the first screen; at 1024x768 in the presenter view the
    advanced controls are folded away, and the action, the explanations and the plots' ticks are 20 px or more."""
    from tests.conftest import opened, save_screenshot, settled

    with opened(browser, f"{app_url}?tab={tab}") as page:
        button = page.locator(MAIN_ACTION).first
        button.wait_for(timeout=30_000)
        settled(page)
        box = button.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 720, (button.inner_text(), box)
    with opened(browser, f"{app_url}?tab={tab}&present=1", 1024, 768) as page:
        page.wait_for_function("document.body.classList.contains('rlgen-present')", timeout=30_000)
        button = page.locator(MAIN_ACTION).first
        button.wait_for(timeout=30_000)
        settled(page)  # the plots drawn, with their ticks
        sizes = page.locator("[role=tabpanel]:visible").first.evaluate("""(root) => {
            const size = (e) => parseFloat(getComputedStyle(e).fontSize);
            const shown = (selector) => Array.from(root.querySelectorAll(selector))
                .filter((e) => e.offsetParent !== null || e.closest('svg'));
            return {button: size(root.querySelector('button.primary')),
                    text: shown('.rlgen-explain p, label span').map(size),
                    ticks: shown('.js-plotly-plot .main-svg text').map(size),
                    advanced: shown('.rlgen-advanced').length};
        }""")
        assert sizes["button"] >= 20 and min(sizes["text"], default=20) >= 20, sizes
        assert min(sizes["ticks"], default=20) >= 20 and sizes["advanced"] == 0, sizes
        save_screenshot(page, f"{tab}-present")


@pytest.mark.browser
def test_a_new_action_clears_the_error_of_the_last_one(browser, app_url):
    """A mistake's message goes when the reader acts again: no stale error stays up beside a good result."""
    from playwright.sync_api import expect

    from tests.conftest import opened

    with opened(browser, f"{app_url}?tab=dpo") as page:
        prompt = page.locator("#dpo-prompt textarea")
        prompt.wait_for(timeout=30_000)
        prompt.fill("")
        send = page.locator("[role=tabpanel]:visible button.primary").first
        send.click()
        toast = page.locator(".toast-wrap .toast-body")
        expect(toast.first).to_contain_text("empty", timeout=30_000)
        prompt.fill("How was your visit to Kyoto?")
        send.click()
        expect(toast).to_have_count(0, timeout=5_000)
