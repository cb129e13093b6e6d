"""The shared UI pieces every tab relies on: the error contract, inputs checked before gradio decodes them,
gradio's image cache written atomically, and the per-session registry of live runs."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import gradio as gr
import pytest
from PIL import Image

from rlgen.errors import InputError
from rlgen.ui import gradio_fixes
from rlgen.ui.live import LiveRuns
from rlgen.ui.widgets import CheckedImage, CheckedSketchpad, Number, user_errors


# -- the error contract --------------------------------------------------------------------------------------------
def test_an_input_error_reaches_the_user_with_its_own_message():
    @user_errors
    def handler(x):
        raise InputError(f"Grid side {x} is over the cap of 12.")

    with pytest.raises(gr.Error) as raised:
        handler(50)
    assert raised.value.message == "Grid side 50 is over the cap of 12."


def test_any_other_exception_is_a_logged_bug_not_the_users_mistake(caplog):
    @user_errors
    def handler():
        return 1 / 0

    with caplog.at_level(logging.ERROR, logger="rlgen"), pytest.raises(gr.Error) as raised:
        handler()
    message = raised.value.message
    assert message.startswith("Internal error (id ") and "not with your input" in message
    incident = message.split("(id ")[1][:8]
    record = next(r for r in caplog.records if incident in r.getMessage())
    assert record.exc_info and record.exc_info[0] is ZeroDivisionError  # the traceback is in the log
    assert "division by zero" not in message  # and the raw text is not shown as if the user caused it


def test_generator_handlers_keep_the_contract_mid_stream(caplog):
    @user_errors
    def stream(fail_with):
        yield 1
        raise fail_with

    frames = stream(InputError("Stop after the first frame."))
    assert next(frames) == 1
    with pytest.raises(gr.Error, match="Stop after the first frame"):
        next(frames)
    frames = stream(KeyError("x"))
    next(frames)
    with caplog.at_level(logging.ERROR, logger="rlgen"), pytest.raises(gr.Error, match="Internal error"):
        next(frames)


def test_a_gr_error_passes_through_unchanged():
    @user_errors
    def handler():
        raise gr.Error("Already a message.", title="Custom")

    with pytest.raises(gr.Error) as raised:
        handler()
    assert raised.value.message == "Already a message." and raised.value.title == "Custom"


# -- inputs checked before decoding ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "ours, theirs, kwargs",
    [
        (CheckedImage, gr.Image, {"type": "pil", "label": "Image", "height": 240, "elem_id": "an-image"}),
        (Number, gr.Number, {"value": 3, "label": "Seed", "precision": 0, "minimum": 0, "elem_id": "a-number"}),
        (CheckedSketchpad, gr.Sketchpad, {"label": "Sketch", "height": 300, "elem_id": "a-sketch"}),
    ],
)
def test_checked_inputs_render_exactly_as_the_gradio_component_they_extend(ours, theirs, kwargs):
    """gradio builds the page from the __init__ signature: a subclass must not lose a prop (it once lost all)."""
    with gr.Blocks():
        mine, plain = ours(**kwargs), theirs(**kwargs)
    assert mine.get_block_name() == plain.get_block_name()
    assert mine.get_config() | {"name": None} == plain.get_config() | {"name": None}


def test_a_checked_image_refuses_a_bomb_from_its_header_before_decoding(tmp_path, monkeypatch):
    path = tmp_path / "bomb.png"
    Image.new("1", (13_000, 13_000)).save(path)
    decoded = []
    monkeypatch.setattr(gr.Image, "preprocess", lambda self, payload: decoded.append(payload))
    with gr.Blocks():
        image = CheckedImage(type="pil")
    with pytest.raises(gr.Error, match="megapixel"):
        image.preprocess(gr.FileData(path=str(path), orig_name="bomb.png"))
    assert decoded == []


def test_a_number_passes_nan_and_out_of_range_on_to_the_handler():
    with gr.Blocks():
        box = Number(value=1, minimum=0, maximum=10, precision=0)
    assert box.preprocess(None) is None
    assert box.preprocess(float("nan")) != box.preprocess(float("nan"))  # NaN arrives as NaN, for the handler
    assert box.preprocess(1e8) == 1e8
    assert box.preprocess(4.4) == 4


# -- gradio's image cache -------------------------------------------------------------------------------------------
def test_a_cached_image_is_written_once_and_never_rewritten_in_place(tmp_path):
    """Serving a file while another request rewrote it truncated downloads under load: the fix writes a
    content-addressed file only when absent, under a temporary name renamed into place."""
    picture = Image.new("RGB", (64, 64), (10, 200, 30))
    first = gradio_fixes.save_pil_to_cache(picture, str(tmp_path), format="png")
    inode, size = Path(first).stat().st_ino, Path(first).stat().st_size
    seen = []

    def save():
        seen.append(gradio_fixes.save_pil_to_cache(picture, str(tmp_path), format="png"))

    threads = [threading.Thread(target=save) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(seen) == {first}
    assert Path(first).stat().st_ino == inode and Path(first).stat().st_size == size  # the same file, untouched
    assert not list(tmp_path.rglob("*.part"))  # no temporary left behind
    assert Image.open(first).getpixel((3, 3)) == (10, 200, 30)


def test_the_fix_is_what_gradio_calls_once_applied():
    from gradio import processing_utils

    gradio_fixes.apply()
    assert processing_utils.save_pil_to_cache is gradio_fixes.save_pil_to_cache
    assert processing_utils.save_bytes_to_cache is gradio_fixes.save_bytes_to_cache


# -- gradio's sessions -----------------------------------------------------------------------------------------------
def _small_app():
    with gr.Blocks() as demo:
        kept = gr.State([], time_to_live=60, delete_callback=lambda value: value.append("freed"))
        box = gr.Textbox(label="Prompt", value="hi")
        gr.Button("Go").click(lambda x: x, box, box)
        gr.Slider(0, 1, label="γ")
    return demo, kept


def test_a_new_session_makes_its_block_configs_only_when_read():
    """gradio made a config of every block when a session started (about 1 MB per visitor for this app)."""
    from gradio import state_holder

    gradio_fixes.apply()
    demo, _ = _small_app()
    eager = state_holder.SessionState.__new__(state_holder.SessionState)
    gradio_fixes._original_session_init(eager, demo)
    lazy = state_holder.SessionState(demo)
    assert dict.__len__(lazy.config_values) == 0  # nothing made yet
    assert list(lazy.components) == list(eager.components)  # the same configs once read, in the same order
    some = next(iter(eager.config_values))
    assert some in lazy.config_values and lazy.config_values[some] == eager.config_values[some]


def test_the_whole_app_session_costs_little_until_read():
    import tracemalloc

    from gradio import state_holder

    from rlgen.ui import build_app

    gradio_fixes.apply()
    demo = build_app()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        sessions = [state_holder.SessionState(demo) for _ in range(20)]
        per_session = (tracemalloc.get_traced_memory()[0] - before) / len(sessions)
    finally:
        tracemalloc.stop()
    assert per_session < 100_000, f"{per_session / 1e6:.2f} MB per session"


def test_sessions_closed_or_unused_for_long_are_dropped_with_their_state_freed():
    import datetime

    from gradio import state_holder

    gradio_fixes.apply()
    demo, kept = _small_app()
    holder = state_holder.StateHolder()
    holder.set_blocks(demo)
    for name in ("active", "closed", "idle"):
        holder[name][kept._id] = [name]
    long_ago = datetime.datetime.now() - datetime.timedelta(hours=2)
    holder.session_data["closed"].is_closed = True
    holder.time_last_used["closed"] = long_ago  # closed, past gradio's one-hour grace period
    holder.time_last_used["idle"] = long_ago
    freed = holder.session_data["closed"].state_data[kept._id]
    holder.delete_all_expired_state()
    assert set(holder.session_data) == {"active", "idle"} and freed == ["closed", "freed"]
    gradio_fixes.delete_expired_sessions(holder, unused_for_s=3600)  # idle beyond the time to live
    assert set(holder.session_data) == {"active"} and set(holder.time_last_used) == {"active"}


# -- live runs ------------------------------------------------------------------------------------------------------
class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_live_runs_expire_after_their_ttl_and_keep_within_capacity():
    clock = Clock()
    runs = LiveRuns(ttl_s=10, capacity=3, clock=clock)
    for token in "abc":
        runs.lock(token)
        runs.put(token, token.upper())
    runs.lock("d")  # a fourth: the least recently used goes
    assert runs.get("a") is None and runs.get("b") == "B" and len(runs) == 3
    clock.now = 11
    runs.lock("e")
    assert runs.get("b") is None and runs.get("c") is None and len(runs) == 1


def test_a_run_in_use_is_never_swept_and_one_session_queues_behind_itself():
    clock = Clock()
    runs = LiveRuns(ttl_s=1, capacity=1, clock=clock)
    held = runs.lock("busy")
    runs.put("busy", "generator")
    with held:
        clock.now = 5
        runs.lock("other")
        assert runs.get("busy") == "generator"  # still running: kept
        assert runs.lock("busy") is held and not held.acquire(blocking=False)  # the same lock: Step waits for Run
    runs.drop("busy")
    assert runs.get("busy") is None


@pytest.mark.browser
def test_an_opening_that_arrives_late_never_draws_over_what_the_reader_did(browser):
    """A reader presses the button while the tab's opening is still being made: what the button's event and its
    ``.then()`` wrote stays, in each of two sessions; a reader who waits gets the opening."""
    import time

    from rlgen.ui.widgets import Opening, loaded_values_give_way
    from tests.conftest import opened, serve_blocks

    def slow_opening():
        time.sleep(4)
        return "the opening", "the opening too"

    with gr.Blocks() as demo:
        opening = Opening(slow_opening, wait_s=10)
        shown = gr.Textbox(opening.part(0, "…"), elem_id="shown")
        later = gr.Textbox(opening.part(1, "…"), elem_id="later")
        button = gr.Button("Go", elem_id="go")
        button.click(lambda: "the reader's own", None, shown).then(lambda: "chained", None, later)
        loaded_values_give_way(demo)
    url = serve_blocks(demo)

    def values(page) -> list[str]:
        return [page.locator(f"#{name} textarea").input_value() for name in ("shown", "later")]

    try:
        with opened(browser, url) as first, opened(browser, url) as second, opened(browser, url) as waiting:
            for page in (first, second):
                page.wait_for_selector("#shown [data-testid=status-tracker]:not(.hide)")  # the opening is on its way
                page.locator("#go").click()
            for page in (first, second):
                page.wait_for_function("() => document.querySelector('#later textarea').value === 'chained'")
            waiting.wait_for_function("() => document.querySelector('#later textarea').value === 'the opening too'",
                                      timeout=30_000)
            first.wait_for_timeout(1000)  # the opening has been made and has come back: it stayed away
            assert values(first) == values(second) == ["the reader's own", "chained"]
            assert values(waiting) == ["the opening", "the opening too"]
    finally:
        demo.close()
