"""The page in Chinese and English: every key has both languages, and a zh-CN browser sees the Chinese."""

from __future__ import annotations

import pytest

from rlgen.ui import TABS, tab_module
from rlgen.ui.i18n import TAB_TITLES_ZH, translations


def test_every_key_has_both_languages():
    table = translations({key: tab_module(key).TITLE for key in TABS})
    assert set(table["en"]) == set(table["zh"])
    for language in ("en", "zh"):
        assert all(text.strip() for text in table[language].values()), language
    assert set(TAB_TITLES_ZH) == set(TABS)


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
        save_screenshot(page, "app-zh")
    finally:
        context.close()
