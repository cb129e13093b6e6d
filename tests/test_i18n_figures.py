"""The figures the domain packages draw reach a Chinese reader in Chinese: titles, axis and colour-bar titles,
annotations, legends and hover labels are said from the zh tables where a figure is returned, and words drawn into
pictures use a font that has Chinese glyphs."""

from __future__ import annotations

import copy
import inspect
import itertools
import json
import re

import gradio as gr
import plotly.graph_objects as go
import pytest
from gradio.components.plot import PlotData

from rlgen.ui.i18n import _FIGURE_TEXT_KEYS, figure_text, localized
from tests.conftest import calls_named, reader

# Proper nouns, abbreviations and symbols that stay as they are in the Chinese articles.
KEPT = {"DDPG", "TD3", "SAC", "DQN", "DPO", "RLOO", "GRPO", "RLHF", "SFT", "KL", "MMD", "MoE", "MMDiT", "SD3", "QK",
        "norm", "logit", "SDE", "ODE", "VE", "VP", "SMLD", "DDPM", "RF", "NADE", "FVSBN", "TD", "linear", "REINFORCE",
        "QAC", "A2C", "Robbins", "Monro", "log", "max", "min", "rad", "UNet", "ControlNet", "KimiVL", "Pendulum",
        "MountainCar", "Continuous", "Langevin", "Euler", "Bernoulli", "Ornstein", "Uhlenbeck", "best-of-N", "lr"}



def english_words(text: str) -> set[str]:
    """Words of two or more Latin letters, leaving out plotly's %{…} fields, HTML tags, identifiers (x_k, π_ref) and
    the kept names."""
    text = re.sub(r"%\{[^}]*\}|<[^>]*>", " ", text)
    words = re.findall(r"[\w\-]+", text)  # x₁, orient3d and π_ref are symbols, not words
    return {w for w in words if len(w) > 1 and w.replace("-", "").isalpha() and w.isascii()
            and w not in KEPT and not all(part in KEPT for part in w.split("-"))}


def shown_texts(figure: dict) -> set[str]:
    found: set[str] = set()

    def walk(node, key=None):
        if isinstance(node, dict):
            for k, v in node.items():
                if k != "template":  # plotly's theme: no text a person reads
                    walk(v, k)
        elif isinstance(node, list):
            for item in node:
                walk(item, key)
        elif isinstance(node, str) and key in _FIGURE_TEXT_KEYS:
            found.add(node)

    walk(figure)
    return found


def test_a_figure_is_said_from_the_tables_for_a_chinese_reader_only():
    figure = go.Figure(go.Scatter(x=[1], y=[2], name="running return",
                                  hovertemplate="x=%{x:.2f}<br>expert %{x}<br>weight %{z:.2f}<extra></extra>"))
    figure.update_layout(title="Episode return -127.1", xaxis_title="time step")
    with reader("en"):
        assert localized(figure) is figure
    with reader("zh"):
        said = json.loads(localized((figure, "status"))[0].plot)
    assert said["layout"]["title"]["text"] == "回合回报 -127.1"  # a title made with a value
    assert said["layout"]["xaxis"]["title"]["text"] == "时间步"
    assert said["data"][0]["name"] == "累计回报"
    assert said["data"][0]["hovertemplate"] == "x=%{x:.2f}<br>专家 %{x}<br>权重 %{z:.2f}<extra></extra>"
    assert figure.layout.title.text == "Episode return -127.1"  # the English figure is left as it was


def test_a_value_in_a_title_is_said_too_and_unknown_text_stays():
    assert figure_text("deterministic μ(s): return -127.1") == "确定性 μ(s)：回报 -127.1"
    assert figure_text("noisy #2: return -126.7") == "加噪 #2：回报 -126.7"
    assert figure_text("Estimating E[X] for a ±1 coin: 40 samples") == "估计±1 硬币的 E[X]：40 个样本"
    assert figure_text("something no table knows") == "something no table knows"


def test_words_in_pictures_use_a_font_with_chinese_glyphs_where_the_system_has_one():
    from PIL import ImageFont

    from rlgen import lettering

    latin = lettering.font(12, "step 3")
    assert latin is lettering.font(12, "step 4") is ImageFont.load_default(size=12) or latin.getname() == (
        ImageFont.load_default(size=12).getname())  # Latin text keeps Pillow's default look
    if any(_installed(name) for name, _ in lettering.CJK_FONTS):
        chinese = lettering.font(12, "第 3 步")
        assert chinese.getname() != latin.getname() and chinese.getmask("第").getbbox() is not None


def _installed(name: str) -> bool:
    from PIL import ImageFont

    try:
        ImageFont.truetype(name, 10)
    except OSError:
        return False
    return True


def test_a_ddpg_caption_and_a_diffusion_label_come_in_the_readers_words():
    from rlgen.ddpg.animation import pendulum_frame
    from rlgen.ui.i18n import say

    with reader("zh"):
        english = pendulum_frame(0.3, 1.0, 5, -12.5)
        chinese = pendulum_frame(0.3, 1.0, 5, -12.5, text=say)
    assert english.tobytes() != chinese.tobytes()  # "力矩 … 累计回报" drawn instead of "torque … return so far"
    with reader("zh"):
        assert say("return so far = {value:.1f}", value=-12.5) == "累计回报 = -12.5"
        assert say("step {step}", step=5) == "第 5 步"


def _plots(value, found: list) -> list:
    """Every figure in a handler's output: gradio's PlotData (said) or a plotly figure (left English: a bug)."""
    if isinstance(value, PlotData):
        found.append(json.loads(value.plot))
    elif isinstance(value, go.Figure):
        found.append(None)
    elif isinstance(value, tuple | list):
        for item in value:
            _plots(item, found)
    elif isinstance(value, dict):
        _plots(value.get("value") if value.get("__type__") == "update" else list(value.values()), found)
    return found


def test_every_tabs_figures_reach_a_chinese_reader_in_chinese():
    """Build the page, then as a Chinese reader run every event that draws a plot with the controls' first values
    (the first two frames of a stream), in the order the page declares them, keeping what each leaves in the session
    state (a trained model for the next event): no figure may come back English, and no English word may be left in
    a figure's titles, legends or hover labels."""
    from rlgen.ui import build_app

    demo = build_app()
    states = {id(block): copy.deepcopy(block.value) for block in demo.blocks.values() if isinstance(block, gr.State)}
    left: dict[str, set[str]] = {}
    unsaid, events = [], 0
    with reader("zh"):
        for dependency in demo.fns.values():  # the first figures the page was built with come in one load event
            frames = _run(dependency, states)
            events += frames is not None
            name = getattr(dependency.fn, "__name__", "event")
            for figure in _plots(frames or [], []):
                if figure is None:
                    unsaid.append(name)
                for text in shown_texts(figure or {}):
                    if english_words(text):
                        left.setdefault(name, set()).add(text)
    assert events >= 20
    assert unsaid == [], f"figures returned in English by {sorted(set(unsaid))}"
    assert left == {}, f"English left in the figures: {sorted(left.items())}"


def _run(dependency, states: dict) -> list | None:
    """The first frames of an event that draws a plot, with the controls' first values and the session states so
    far (updated from its outputs); None for an event that draws no plot or needs what the first values lack."""
    if dependency.fn is None or not any(isinstance(o, gr.Plot) for o in dependency.outputs):
        return None
    if any("Data" in str(p.annotation) for p in inspect.signature(dependency.fn).parameters.values()):
        return None  # a click on an image (gradio's SelectData): the handler tests drive those
    args = [states.get(id(c), copy.deepcopy(getattr(c, "value", None))) for c in dependency.inputs]
    try:
        result = dependency.fn(*args)
        frames = list(itertools.islice(result, 2)) if inspect.isgenerator(result) else [result]
    except gr.Error:  # needs something the first values do not give (an uploaded image, a trained model)
        return None
    for frame in frames:
        outputs = frame if isinstance(frame, tuple) and len(dependency.outputs) > 1 else (frame,)
        for component, value in zip(dependency.outputs, outputs):
            if isinstance(component, gr.State) and not (isinstance(value, dict) and "__type__" in value):
                states[id(component)] = value
    return frames


def test_every_word_a_domain_draws_into_a_picture_has_chinese():
    """A domain function that writes words into pixels makes them with its ``text`` argument (the UI passes ``say``):
    each literal it passes there needs its Chinese."""
    import ast
    from pathlib import Path

    from rlgen.ui.i18n import chinese

    root = Path(__file__).resolve().parents[1] / "rlgen"
    words = {node.args[0].value: where for node, where in calls_named("text", root)
             if not where.startswith("rlgen/ui/") and node.args and isinstance(node.args[0], ast.Constant)}
    assert len(words) >= 8
    assert {word: where for word, where in words.items() if word not in chinese()} == {}


@pytest.mark.browser
def test_a_chinese_browser_sees_the_plots_of_several_tabs_in_chinese(browser, app_url):
    """One page load in a zh-CN browser, four tabs whose plots are drawn when the page opens: their titles, axis titles
    and legends are Chinese, with no English word left."""
    from playwright.sync_api import expect

    from rlgen.ui.i18n import TAB_TITLES_ZH

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{app_url}?tab=ddpg", wait_until="domcontentloaded")
        for tab, expected in (("ddpg", "评估回报"), ("deeprl", "回合"), ("dpo", "奖励–KL 前沿"), ("sd3", "训练步数")):
            page.get_by_role("tab", name=TAB_TITLES_ZH[tab]).click()
            panel = page.locator("[role=tabpanel]:visible").first
            plot_text = panel.locator(".js-plotly-plot .main-svg").locator(".gtitle, .xtitle, .ytitle, .legendtext")
            expect(plot_text.filter(has_text=expected).first).to_be_attached(timeout=30_000)
            texts = plot_text.evaluate_all("(es) => es.map((e) => e.textContent)")  # SVG text has no innerText
            left = {text for text in texts if english_words(text)}
            assert left == set(), (tab, left)
    finally:
        context.close()
