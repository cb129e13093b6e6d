"""The page in Chinese and English: every text has both languages, and a Chinese reader sees Chinese."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from rlgen.ui import TABS, tab_module
from rlgen.ui.i18n import TAB_TITLES_ZH, chinese, key_of, missing, say, tr, translations
from tests.conftest import ENGLISH_PHRASE, calls_named

UI = Path(__file__).resolve().parents[1] / "rlgen" / "ui"


def literal_texts() -> dict[str, str]:
    """Every literal text passed to ``tr`` or ``say`` in the UI package: {English template: where}."""
    found = {}
    for node, where in sorted(calls_named("tr", UI) + calls_named("say", UI), key=lambda call: call[1]):
        if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            found.setdefault(node.args[0].value, where)
    return found


def test_every_text_in_the_code_has_chinese():
    table = chinese()
    absent = {text: where for text, where in literal_texts().items() if text not in table}
    assert not absent, f"no Chinese for {len(absent)} texts, e.g. {list(absent.items())[:5]}"


def test_every_text_on_the_built_page_has_both_languages():
    from rlgen.ui import build_app

    build_app()
    assert missing() == []
    table = translations({key: tab_module(key).TITLE for key in TABS})
    assert set(table["en"]) == set(table["zh"])
    for language in ("en", "zh"):
        assert all(str(text).strip() for text in table[language].values()), language
    assert set(TAB_TITLES_ZH) == set(TABS)


def test_placeholders_are_filled_in_both_languages():
    label = tr("Step")
    assert label.key == key_of("Step")
    table = chinese()
    for english, text in table.items():  # a Chinese text uses exactly the English text's placeholders
        fields = _fields(english)
        assert (fields is None and _fields(text) is None) or set(fields) == set(_fields(text) or ()), english


def test_texts_the_tabs_take_from_their_domain_tables_have_chinese():
    """Names and explanations that GridWorld, Tables to deep RL and Geometry read from their domain's tables (an
    algorithm added there needs its Chinese here too)."""
    from rlgen.geometry import catalog, hull3d
    from rlgen.geometry import sketch as pad
    from rlgen.geometry.predicates import PREDICATE_KINDS
    from rlgen.ui import deeprl, gridworld

    texts = [gridworld.explanation(key) for key in gridworld.ALGORITHMS]
    texts += [text for spec in gridworld.ALGORITHMS.values() for text in (spec.label, spec.x_label)]
    texts += [*deeprl.FEATURES, *deeprl.METRIC_NAMES.values(), *(unit for _, _, unit, _ in deeprl.DEFAULTS.values())]
    texts += [text for name, algorithm in catalog.ALGORITHMS.items() for text in (name, algorithm.explanation)]
    texts += ["everything", *pad.MODES, *pad.PRESETS, *PREDICATE_KINDS, *hull3d.SHAPES]
    table = chinese()
    assert [text for text in texts if text not in table] == []


def test_explanations_and_number_checks_answer_in_chinese():
    """A zh reader who picks an algorithm gets its explanation in Chinese; a wrong number gets a Chinese message."""
    from gradio.context import LocalContext

    from rlgen.errors import InputError
    from rlgen.ui import geometry, gridworld
    from rlgen.ui.widgets import check_number

    class Request:
        cookies, headers = {"rlgen-lang": "zh"}, {}

    token = LocalContext.request.set(Request())
    try:
        assert gridworld._explain("value_iteration")[0].startswith("**值迭代。** $v_{k+1}(s)")
        assert geometry._caption(geometry.Step("hull so far"), 0, 3) == "第 1 步，共 3 步：hull so far"
        with pytest.raises(InputError, match="回合长度必须在 1 到 1,000,000 之间"):
            check_number(0, "Episode length", 1, 1_000_000, integer=True)
    finally:
        LocalContext.request.reset(token)
    assert gridworld._explain("value_iteration")[0].startswith("**Value iteration.**")


def _fields(template: str) -> list[str] | None:
    """The placeholders of a template; None for a text that is no template (LaTeX braces: it is used as it is)."""
    import string

    try:
        return [name for _, name, _, _ in string.Formatter().parse(template) if name]
    except ValueError:
        return None


def test_handlers_answer_in_the_readers_language(monkeypatch):
    from gradio.context import LocalContext

    class Request:
        def __init__(self, cookies, accept):
            self.cookies, self.headers = cookies, {"accept-language": accept}

    assert say("Status") == "Status"  # outside an event: English
    for cookies, accept, expected in [({}, "zh-CN,zh;q=0.9", "状态"), ({}, "en-US,en", "Status"),
                                      ({"rlgen-lang": "en"}, "zh-CN", "Status"),
                                      ({"rlgen-lang": "zh"}, "en-US", "状态")]:
        token = LocalContext.request.set(Request(cookies, accept))
        try:
            assert say("Status") == expected, (cookies, accept)
        finally:
            LocalContext.request.reset(token)


def test_a_tab_without_a_chinese_title_is_an_error():
    with pytest.raises(KeyError, match="no Chinese title"):
        translations({"new-tab": "New tab"})


@pytest.mark.browser
def test_a_chinese_browser_sees_the_header_and_tab_titles_in_chinese(browser, app_url):
    from playwright.sync_api import expect

    from tests.conftest import save_screenshot

    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(app_url, wait_until="domcontentloaded")
        expect(page.get_by_role("tab", name=TAB_TITLES_ZH["dpo"])).to_be_visible(timeout=30_000)
        expect(page.get_by_text("在 CPU 上实时观看强化学习").first).to_be_visible()
        expect(page.get_by_role("tab", name=tab_module("dpo").TITLE, exact=True)).to_have_count(0)
        expect(page.locator("#gridworld-step")).to_have_text("单步")
        save_screenshot(page, "app-zh")
    finally:
        context.close()


@pytest.mark.browser
def test_a_link_and_the_switch_choose_the_language(browser, app_url):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US")
    page = context.new_page()
    try:
        page.goto(app_url + "?lang=zh", wait_until="domcontentloaded")
        expect(page.locator("#gridworld-step")).to_have_text("单步", timeout=30_000)
        page.locator("#rlgen-language").click()
        expect(page.locator("#gridworld-step")).to_have_text("Step")
        assert {c["name"]: c["value"] for c in context.cookies()}.get("rlgen-lang") == "en"
        page = context.new_page()
        page.goto(app_url, wait_until="domcontentloaded")  # the choice is remembered (in the same browser)
        expect(page.locator("#gridworld-step")).to_have_text("Step", timeout=30_000)
        page.locator("#rlgen-language").click()
        expect(page.locator("#gridworld-step")).to_have_text("单步")
    finally:
        context.close()


# English on purpose: a quoted text (a paper's title; a prompt to type, since the tiny models read English only),
# and the tiny models' own words and sample questions
QUOTED = re.compile(r'"[^"]*"|“[^”]*”')


def _sample_inputs() -> list[str]:
    from rlgen.diffusion.shapes import COLOUR_NAMES, SHAPES
    from rlgen.ui.vlm import CANONICAL

    return [", ".join(SHAPES), ", ".join(COLOUR_NAMES), *CANONICAL, *tab_module("dpo").EXAMPLE_PROMPTS]


def untranslated(texts: list[str]) -> list[str]:
    """The texts among ``texts`` that are English: a text the tables translate, or an English phrase (two words
    running; names such as "Stable Diffusion" or "DDPG" are not phrases; quoted texts and the tiny models' sample
    inputs are not counted)."""
    table = chinese()
    english = {text.strip() for text, zh in table.items() if zh.strip() != text.strip() and "{" not in text}
    samples = _sample_inputs()

    def phrase(text: str) -> bool:
        text = QUOTED.sub("", text)
        for sample in samples:
            text = text.replace(sample, "")
        return bool(ENGLISH_PHRASE.search(text))

    return sorted({t.strip() for t in texts if t.strip() in english or phrase(t)})


@pytest.mark.browser
@pytest.mark.parametrize("tab", list(TABS))
def test_a_chinese_reader_finds_no_english_label_in_a_tab(browser, app_url, tab):
    """Every label, button, tab name and heading the page shows in a tab is in Chinese for a zh-CN browser."""
    from playwright.sync_api import expect

    from tests.conftest import save_screenshot, settled

    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{app_url}?tab={tab}", wait_until="domcontentloaded")
        expect(page.get_by_role("tab", name=TAB_TITLES_ZH[tab])).to_have_attribute("aria-selected", "true",
                                                                                   timeout=30_000)
        settled(page)
        texts = page.locator("[role=tabpanel]:visible").first.evaluate(
            """(root) => Array.from(root.querySelectorAll(
                   'label, button, [role=tab], span[data-testid="block-info"], h1, h2, h3, h4, p, li, th'))
                 .filter((e) => e.offsetParent !== null)
                 .filter((e) => !e.closest('.bubble-wrap, [role=log]'))  // a chat: the tiny models' own English
                 .map((e) => Array.from(e.querySelectorAll('code'))  // a command is not a phrase to translate
                   .reduce((text, code) => text.replace(code.innerText, ''), e.innerText))""")
        assert untranslated(texts) == []
        save_screenshot(page, f"{tab}-zh")
    finally:
        context.close()
