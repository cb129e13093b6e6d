"""Links that open a demo in a given state: values checked like a person's input, a copy button, a QR code."""

from __future__ import annotations

import gradio as gr
import pytest

from rlgen.ui.links import checked_value, opened, qr_code


def test_a_link_value_is_checked_like_input():
    with gr.Blocks():
        algo = gr.Dropdown([("Value iteration", "value_iteration"), ("Q-learning", "q_learning")],
                           value="value_iteration")
        gamma = gr.Slider(0.0, 1.0, value=0.9)
        seed = gr.Number(value=0, precision=0, minimum=0)
        prompt = gr.Textbox()
        flag = gr.Checkbox()
    assert checked_value(algo, "q_learning") == "q_learning"
    assert checked_value(gamma, "0.8") == 0.8
    assert checked_value(seed, "3") == 3 and isinstance(checked_value(seed, "3"), int)
    assert checked_value(prompt, "How was the film?") == "How was the film?"
    assert checked_value(flag, "true") is True
    for component, raw in [(algo, "rm -rf"), (gamma, "1.5"), (gamma, "nan"), (seed, "-1"), (seed, "x"),
                           (prompt, "x" * 10_000), (flag, "maybe")]:
        with pytest.raises(ValueError):
            checked_value(component, raw)


class Request:
    def __init__(self, **params):
        self.query_params = params


def test_a_link_sets_only_its_tabs_controls_and_names_what_it_refused(monkeypatch):
    with gr.Blocks():
        prompt, seed = gr.Textbox(), gr.Number(value=0, precision=0, minimum=0)
        algo = gr.Dropdown(["value_iteration", "q_learning"], value="value_iteration")
    controls, open_link = opened({"dpo": {"prompt": prompt, "seed": seed}, "gridworld": {"algo": algo}})
    assert controls == [prompt, seed, algo]
    warned = []
    monkeypatch.setattr(gr, "Warning", lambda message: warned.append(message))
    updates = open_link(Request(tab="dpo", prompt="Hi", seed="3", algo="q_learning"))
    assert updates[0]["value"] == "Hi" and updates[1]["value"] == 3
    assert not isinstance(updates[2], dict) or "value" not in updates[2]  # another tab's control is left alone
    assert not warned
    updates = open_link(Request(tab="gridworld", algo="nonsense"))
    assert not isinstance(updates[2], dict) or "value" not in updates[2]
    assert warned and "algo" in warned[0]


def test_the_qr_code_holds_the_link():
    image = qr_code("http://127.0.0.1:7860/?tab=dpo&seed=3")
    assert image.size[0] == image.size[1] and image.size[0] > 100
    assert qr_code("") is None


@pytest.mark.browser
def test_a_link_opens_the_demo_set_and_copy_link_makes_it(browser, app_url):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        page.goto(f"{app_url}?tab=dpo&prompt=Any%20tips%20for%20Kyoto%3F&seed=7", wait_until="domcontentloaded")
        prompt = page.locator("#dpo-prompt textarea")
        expect(prompt).to_have_value("Any tips for Kyoto?", timeout=30_000)
        page.locator(".rlgen-share:visible").first.get_by_text("Share this demo").click()  # open the row
        page.locator("#dpo-copy-link").click()
        link = page.locator("#dpo-link textarea")
        expect(link).to_have_value(__import__("re").compile(r"tab=dpo.*seed=7"), timeout=15_000)
        assert "prompt=Any+tips+for+Kyoto%3F" in link.input_value()
        expect(page.locator("#dpo-qr img")).to_be_visible(timeout=15_000)
    finally:
        context.close()
