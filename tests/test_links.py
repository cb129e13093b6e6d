"""Links that open a demo in a given state: values checked like a person's input, a copy button, a QR code."""

from __future__ import annotations

import gradio as gr
import pytest

from rlgen.ui.links import checked_value, link_choice, opened, qr_code


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


def test_a_link_only_value_takes_one_of_its_choices():
    with gr.Blocks():
        preset = link_choice(("book", "path"), "book")
    assert checked_value(preset, "path") == "path"
    with pytest.raises(ValueError):
        checked_value(preset, "maze")


def test_a_link_marks_its_tab_opened_so_the_tab_shows_its_result():
    with gr.Blocks():
        prompt, seed = gr.Textbox(), gr.Number(value=0, precision=0, minimum=0)
        algo = gr.Dropdown(["value_iteration", "q_learning"], value="value_iteration")
        dpo_opened, grid_opened = gr.State(0), gr.State(0)
    controls, open_link = opened({"dpo": {"prompt": prompt, "seed": seed}, "gridworld": {"algo": algo}},
                                 {"dpo": dpo_opened, "gridworld": grid_opened})
    assert controls == [prompt, seed, algo, dpo_opened, grid_opened]
    *_, dpo_mark, grid_mark = open_link(Request(tab="dpo", seed="3"))
    assert dpo_mark == 1 and grid_mark != 1  # only the link's tab runs its result
    *_, dpo_mark, grid_mark = open_link(Request(tab="dpo"))
    assert dpo_mark != 1 and grid_mark != 1  # a link that sets nothing leaves the tab's opening result
    *_, dpo_mark, grid_mark = open_link(Request())
    assert dpo_mark != 1 and grid_mark != 1


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


# tab, the link's query, then what the page shows once it has opened: (selector, expected text or value)
OPENED = {
    "gridworld": ("preset=path&algo=q_learning&gamma=0.8&seed=4",
                  [("#gridworld-algorithm input", "Q-learning"), ("#gridworld-status textarea", "Q-learning")]),
    "geometry": ("preset=on%20a%20circle&n=30&algo=Convex%20hull%20%E2%80%94%20Graham%20scan&seed=4",
                 [("#geometry-algorithm input", "Graham scan"), ("#geometry-status textarea", "Graham scan: ")]),
    "deeprl": ("algo=REINFORCE&seed=2", [("#deeprl-status textarea", "REINFORCE")]),
    "ddpg": ("env=MountainCarContinuous-v0&noise=Ornstein%E2%80%93Uhlenbeck&seed=5",
             [("#ddpg-summary", "mountaincar"), ("#ddpg-summary", "(start seed 5)")]),
    "genlab": ("data=circles&seed=3", [("#genlab-dataset input", "circles"), ("#genlab-samples", "Data: circles")]),
    "dpo": ("prompt=How%20was%20your%20visit%20to%20Kyoto%3F&seed=3",
            [("#dpo-prompt textarea", "How was your visit to Kyoto?"), ("#dpo-right", "Kyoto")]),
    "diffusion": ("prompt=a%20green%20circle%20on%20a%20white%20background&steps=6&seed=5",
                  [("#diffusion-prompt textarea", "a green circle"), ("#diffusion-status textarea", "seed 5")]),
    "sd3": ("prompt=a%20yellow%20square%20on%20a%20black%20background&steps=5&seed=6",
            [("#sd3-prompt textarea", "a yellow square"), ("#sd3-status textarea", "seed 6")]),
    "kimivl": ("question=What%20colour%20is%20the%20largest%20shape%3F&seed=2",
               [("#vlm-question textarea", "largest shape"), ("#vlm-chat", "largest shape")]),
}


@pytest.mark.browser
@pytest.mark.parametrize("tab", list(OPENED))
def test_a_link_opens_each_tab_with_its_values_and_their_result(browser, app_url, tab):
    """The values a speaker puts on a slide land in the controls, and the tab's result is made for them."""
    import re

    from playwright.sync_api import expect

    query, shown = OPENED[tab]
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        page.goto(f"{app_url}?tab={tab}&{query}", wait_until="domcontentloaded")
        for selector, expected in shown:
            element = page.locator(selector).first
            pattern = re.compile(re.escape(expected), re.IGNORECASE)
            if selector.endswith(("input", "textarea")):
                expect(element).to_have_value(pattern, timeout=90_000)
            else:
                expect(element).to_contain_text(pattern, timeout=90_000)
    finally:
        context.close()
