"""The KimiVL tab: handlers on the shipped model (bad input, streaming answers, multi-turn, regenerate, looking
inside), the shipped checkpoint's accuracy against the blind baseline, the real-weights client against a fake
vLLM server on loopback, the bench, and a browser run."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import gradio as gr
import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from rlgen.runtime import checkpoint_path
from rlgen.ui import vlm as tab
from rlgen.vlm import real, scenes
from rlgen.vlm.checkpoint import load_model
from rlgen.vlm.evaluation import accuracy_table, held_out, question_prior
from rlgen.vlm.processor import MAX_VISION_TOKENS, preprocess
from tests.conftest import save_screenshot


def scene(seed: int = 0, **kw) -> tuple[scenes.Scene, Image.Image]:
    s = scenes.random_scene(np.random.default_rng(seed), **kw)
    return s, scenes.render(s)


def run_ask(question: str, image1, image2=None, state=None, **overrides):
    args = dict(scale=1.0, temperature=0.0, seed=0, randomize=False, model_key=tab.TINY)
    args.update(overrides)
    return list(tab.ask(question, image1, image2, args["scale"], args["temperature"], args["seed"],
                        args["randomize"], args["model_key"], state or tab.new_state()))


@pytest.mark.parametrize("question, image, overrides, message", [
    ("", "scene", {}, "empty"),
    ("x" * 100_000, "scene", {}, "100,000 characters"),
    ("How many shapes are there?", None, {}, "Add an image"),
    ("How many shapes are there?", "not an image", {}, "not an image"),
    ("How many shapes are there?", "scene", {"temperature": float("nan")}, "Temperature"),
    ("How many shapes are there?", "scene", {"scale": 50}, "resize factor"),
    ("How many shapes are there?", "scene", {"model_key": "Kimi-VL-A3B-Instruct"}, "not served on this host"),
])
def test_bad_input_gets_a_clear_message(question, image, overrides, message):
    picture = scene()[1] if image == "scene" else image
    with pytest.raises(gr.Error, match=message):
        run_ask(question, picture, **overrides)


def test_answers_stream_then_the_inside_views_appear():
    _, image = scene(3, width=128, height=96)
    frames = run_ask("How many shapes are there?", image)
    assert len(frames) >= 2
    chat, state, attention, router, status, seed = frames[-1]
    assert [m["role"] for m in chat] == ["user", "assistant"]
    assert state["history"] == [("How many shapes are there?", chat[-1]["content"])]
    assert isinstance(attention, Image.Image) and router.data and "vision tokens" in status
    # a follow-up keeps the first turn
    frames = run_ask("Describe the image.", image, state=state)
    assert [m["role"] for m in frames[-1][0]] == ["user", "assistant", "user", "assistant"]
    assert frames[-1][0][-1]["content"].split(" ")[0] in scenes.NUMBER_WORDS  # "three shapes: ..."


def test_regenerate_replaces_the_last_answer_and_clear_empties_the_chat():
    _, image = scene(4)
    state = run_ask("How many shapes are there?", image)[-1][1]
    frames = list(tab.regenerate(image, None, 1.0, 0.0, 0, False, tab.TINY, state))
    assert frames[-1][1]["history"] == state["history"]  # greedy: the same answer again, not a second turn
    with pytest.raises(gr.Error, match="Nothing to regenerate"):
        list(tab.regenerate(image, None, 1.0, 0.0, 0, False, tab.TINY, tab.new_state()))
    assert tab.clear()[0] == [] and tab.clear()[1] == tab.new_state()


def test_two_images_resizing_and_the_token_summary():
    _, a = scene(5, width=96, height=64)
    _, b = scene(6, width=64, height=160)
    view, summary, chat, state, *_ = tab.show_grid(a, b, 1.0)
    assert "**6 vision tokens**" in summary and "**10 vision tokens**" in summary
    assert chat == [] and state == tab.new_state() and view.width > view.height
    _, summary, *_ = tab.show_grid(a, None, 2.0)
    assert "**24 vision tokens**" in summary
    frames = run_ask("How many shapes are there?", a, b)
    assert frames[-1][1]["history"]


def test_awkward_images_are_converted_with_a_warning(monkeypatch):
    warnings = []
    monkeypatch.setattr(gr, "Warning", lambda message: warnings.append(message))
    rgba = Image.new("RGBA", (10_000, 10_000), (255, 0, 0, 128))
    frames = run_ask("How many shapes are there?", rgba)
    assert any("transparency" in w for w in warnings) and any("shrunk" in w for w in warnings)
    assert frames[-1][1]["history"]
    assert preprocess(rgba).tokens <= MAX_VISION_TOKENS


def test_random_scene_and_sample_photos():
    image, used, status = tab.random_scene(7, False)
    assert used == 7 and image.size[0] in scenes.SIDES and "ground truth" in status
    photo, _ = tab.load_sample("coffee")
    assert photo.mode == "RGB" and photo.size == (600, 400)


def test_shipped_model_beats_the_blind_baseline_on_held_out_scenes():
    model, processor = load_model()
    from rlgen.vlm.chat import answer_batch

    items = held_out(200, seed=12_345)
    images = [[preprocess(scenes.render(s))] for s, _ in items]
    predictions = answer_batch(model, processor, [(im, qa.question) for im, (_, qa) in zip(images, items)])
    ours = accuracy_table(items, predictions)["overall"]
    blind = question_prior(5_000)
    baseline = accuracy_table(items, [blind(qa) for _, qa in items])["overall"]
    record = json.loads((checkpoint_path("vlm") / "TRAINING.json").read_text())
    assert ours >= baseline + 0.25, (ours, baseline)
    assert abs(ours - record["evaluation"]["held_out"]["overall"]) < 0.08  # the shipped claim, re-measured



def test_tab_shows_the_shipped_accuracy_per_question_type_beside_the_blind_baseline():
    from rlgen.ui.vlm import KIND_NAMES, shipped_summary

    ev = json.loads((checkpoint_path("vlm") / "TRAINING.json").read_text())["evaluation"]
    text = shipped_summary()
    assert f"{100 * ev['held_out']['overall']:.1f} %" in text
    assert f"{100 * ev['blind_question_prior']['overall']:.1f} %" in text
    assert all(f"| {KIND_NAMES[k]} |" in text for k in scenes.QUESTION_TYPES)


def test_shipped_models_vision_tokens_say_where_each_shape_is():
    """The decoder can only compare positions its input carries: a linear probe reads each shape's column and row
    off its projected vision token (the model before the token-position loss kept the column, R^2 0.82, and lost
    the row, -0.09)."""
    from rlgen.vlm.evaluation import position_probe

    probe = position_probe(*load_model())
    assert probe["after_projector"]["column"] > 0.5 and probe["after_projector"]["row"] > 0.5, probe


# ------------------------------------------------------------------------------------------------- real weights

class FakeVLLM(BaseHTTPRequestHandler):
    """An OpenAI-compatible chat-completions endpoint that streams a Thinking model's reply."""
    bodies: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeVLLM.bodies.append(body)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for piece in ["◁think▷I count ", "three shapes.◁/think▷", "There are ", "three."]:
            chunk = {"choices": [{"delta": {"content": piece}}]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        self.wfile.write(b"data: [DONE]\n\n")

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeVLLM)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def test_real_models_are_an_allow_list_pinned_to_commit_hashes():
    for model in real.REAL_MODELS.values():
        assert model.repo.startswith("moonshotai/Kimi-VL-A3B-")
        assert len(model.revision) == 40 and int(model.revision, 16) >= 0
    assert "--trust-remote-code" in real.vllm_command("Kimi-VL-A3B-Instruct")
    with pytest.raises(ValueError, match="allow-list"):
        real.request_body("someone/else", [], "hi")
    assert real.available() == []  # this test host has no real weights switched on


def test_thinking_reply_streams_into_a_collapsible_thought(fake_server, monkeypatch):
    monkeypatch.setattr(real, "available", lambda: list(real.REAL_MODELS))
    monkeypatch.setenv(real.URL_ENV, fake_server)
    _, image = scene(8)
    frames = run_ask("How many shapes are there?", image, model_key="Kimi-VL-A3B-Thinking-2506")
    chat, state = frames[-1][0], frames[-1][1]
    thought = [m for m in chat if isinstance(m, gr.ChatMessage)]
    assert thought and thought[0].content == "I count three shapes." and thought[0].metadata["status"] == "done"
    assert chat[-1]["content"] == "There are three." and state["history"][-1][1] == "There are three."
    sent = FakeVLLM.bodies[-1]
    assert sent["model"] == "moonshotai/Kimi-VL-A3B-Thinking-2506" and sent["stream"]
    assert sent["messages"][0]["content"][0]["image_url"]["url"].startswith("data:image/png;base64,")


def test_split_thinking_handles_partial_and_plain_replies():
    assert real.split_thinking("◁think▷half a tho") == ("half a tho", "")
    assert real.split_thinking("just an answer") == ("", "just an answer")


def test_bench_quick_run_reports_latency_and_packing(tmp_path):
    from rlgen.bench import vlm as bench

    out = tmp_path / "vlm.json"
    assert bench.main(["--quick", "--json", str(out)]) == 0
    figures = json.loads(out.read_text())
    assert figures["answer_latency_ms"]["median"] > 0 and figures["packed_vs_one_by_one"]["ratio"] > 0


@pytest.mark.browser
def test_browser_random_scene_question_and_answer(page):
    page.get_by_role("tab", name=tab.TITLE).first.click()
    page.locator("#vlm-scene").click()
    expect(page.locator("#vlm-grid img").first).to_be_visible(timeout=30_000)
    page.locator("#vlm-question textarea").fill("How many shapes are there?")
    page.locator("#vlm-ask").click()
    expect(page.locator("#vlm-status")).to_contain_text("vision tokens", timeout=60_000)
    expect(page.locator("#vlm-chat [data-testid='user']").last).to_contain_text("How many shapes")
    expect(page.locator("#vlm-chat [data-testid='bot']").last).not_to_be_empty()
    expect(page.locator("#vlm-attention img").first).to_be_visible(timeout=30_000)
    page.wait_for_function("() => document.querySelector('#vlm-attention img')?.complete")
    page.locator("#vlm-question").scroll_into_view_if_needed()
    save_screenshot(page, "kimivl")


def test_a_photo_is_answered_with_a_note_that_it_is_outside_the_training_scenes():
    from rlgen.ui import vlm as tab

    photo = tab.sample_photo("astronaut")
    *_, last = tab.ask("How many shapes are there?", photo, None, 1.0, 0.0, 0, False, tab.TINY, tab.new_state())
    assert "outside what the tiny model was trained on" in last[4] and "photo" in last[4]
    scene = tab.random_scene(0, False)[0]
    *_, last = tab.ask("How many shapes are there?", scene, None, 1.0, 0.0, 0, False, tab.TINY, tab.new_state())
    assert "outside" not in last[4]
