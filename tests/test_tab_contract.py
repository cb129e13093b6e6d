"""The contract every tab keeps, checked against every tab in ``rlgen.ui.TABS`` (scikit-learn's ``check_estimator``,
for tabs): a new tab that breaks it fails here, whoever wrote it.

- It declares a title and a description and lays itself out with ``build()``.
- Every handler answers hostile input (NaN and 100,000-character text; empty values; extreme numbers and control
  characters; choices that are not offered) with a message for the person, never with a bug: a handler either
  works, or raises ``gr.Error`` that is the user's-mistake kind (made from an ``InputError`` or raised as one),
  never the "internal error" an unexpected exception becomes. Values go through each component's own
  ``preprocess`` first, as a request's do.
- Every long job (a generator event in the training line) can be stopped by a Stop button, and an event that
  shares a limit shares one of the app's lines (clicks, replies, images, training), never a line of its own.
"""

from __future__ import annotations

import inspect
import itertools
import warnings

import gradio as gr
import pytest

from rlgen.errors import InputError
from rlgen.ui import TABS, gradio_fixes, tab_module
from rlgen.ui.live import CLICK_QUEUE, IMAGE_QUEUE, REPLY_QUEUE, TRAINING_QUEUE

HUGE = "x" * 100_000
PROFILES = ("nan and huge text", "empty", "extreme")


@pytest.fixture(scope="module")
def built_tabs() -> dict[str, gr.Blocks]:
    gradio_fixes.apply()  # as the app does at launch
    tabs = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for key in TABS:
            with gr.Blocks() as demo:
                tab_module(key).build()
            tabs[key] = demo
    return tabs


def hostile(component, profile: str):
    """What a request could send for ``component`` (before its preprocessing)."""
    if isinstance(component, gr.State):
        return component.value  # the server's own state, never sent by a client
    numbers = {"nan and huge text": float("nan"), "empty": None, "extreme": -1e308}
    texts = {"nan and huge text": HUGE, "empty": "", "extreme": "\x00\u202e" * 50 + "{0}{x!r}%s"}
    if isinstance(component, (gr.Number, gr.Slider)):
        return numbers[profile]
    if isinstance(component, gr.Textbox):
        return texts[profile]
    if isinstance(component, gr.CheckboxGroup):
        return ["no such choice"] if profile != "empty" else []
    if isinstance(component, (gr.Dropdown, gr.Radio)):
        return "no such choice" if profile == "nan and huge text" else None
    return None


def takes_event_data(fn) -> bool:
    """Click handlers get gradio's event data (where on the image), which a request cannot forge; their logic is
    tested as pure functions of the coordinates."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.annotation in (gr.SelectData, gr.EventData, "gr.SelectData", "gr.EventData") for p in parameters)


def our_handlers(demo: gr.Blocks):
    for block_fn in demo.fns.values():
        fn = block_fn.fn
        if fn is None or getattr(fn, "__module__", "").startswith("gradio") or takes_event_data(fn):
            continue  # a browser-only event, gradio's own (examples), or one fed by a click's event data
        yield block_fn


def call_hostile(block_fn, profile: str) -> tuple[str, str | None]:
    """("ok" | "refused" | "bug", what) for one handler called with hostile values."""
    try:
        args = [hostile(c, profile) if isinstance(c, gr.State) else c.preprocess(hostile(c, profile))
                for c in block_fn.inputs]
        out = block_fn.fn(*args)
        if inspect.isgenerator(out):
            for _ in itertools.islice(out, 2):  # a stream's first frames: the checks come before any work
                pass
            out.close()
    except gr.Error as exc:
        if exc.__cause__ is None or isinstance(exc.__cause__, InputError):
            return "refused", str(exc.message)
        return "bug", f"{type(exc.__cause__).__name__}: {exc.__cause__}"
    except Exception as exc:  # noqa: BLE001 - every other exception is what this test looks for
        return "bug", f"{type(exc).__name__}: {exc}"
    return "ok", None


@pytest.mark.parametrize("tab", list(TABS))
def test_each_tab_declares_a_title_a_description_and_build(tab):
    module = tab_module(tab)
    assert isinstance(module.TITLE, str) and module.TITLE
    assert isinstance(module.DESCRIPTION, str) and 20 <= len(module.DESCRIPTION) <= 300
    assert callable(module.build) and not inspect.signature(module.build).parameters


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("tab", list(TABS))
def test_every_handler_answers_hostile_input_with_a_message_never_a_bug(built_tabs, tab, profile, caplog):
    outcomes = {}
    for block_fn in our_handlers(built_tabs[tab]):
        outcomes.setdefault(block_fn.name, set()).add(call_hostile(block_fn, profile))
    bugs = {name: what for name, results in outcomes.items() for kind, what in results if kind == "bug"}
    assert bugs == {}
    refused = [what for results in outcomes.values() for kind, what in results if kind == "refused"]
    if profile == "nan and huge text":
        assert refused, f"{tab}: no handler refused NaN or 100,000 characters"
    assert all(what and "Internal error" not in what for what in refused)


@pytest.mark.parametrize("tab", list(TABS))
def test_every_long_job_can_be_stopped(built_tabs, tab):
    demo = built_tabs[tab]
    dependencies = demo.get_config_file()["dependencies"]
    cancelled = {i for d in dependencies for i in (d.get("cancels") or [])}
    handlers = {d["id"]: demo.fns[d["id"]] for d in dependencies if demo.fns[d["id"]].fn is not None}
    long_jobs = {i: fn for i, fn in handlers.items() if inspect.isgeneratorfunction(inspect.unwrap(fn.fn))
                 and fn.concurrency_id == TRAINING_QUEUE["concurrency_id"]}
    assert {fn.name for i, fn in long_jobs.items() if i not in cancelled} == set()


@pytest.mark.parametrize("tab", list(TABS))
def test_events_that_share_a_limit_share_one_of_the_apps_lines(built_tabs, tab):
    lines = {queue["concurrency_id"] for queue in (CLICK_QUEUE, REPLY_QUEUE, IMAGE_QUEUE, TRAINING_QUEUE)}
    named = {fn.concurrency_id for fn in built_tabs[tab].fns.values() if not fn.concurrency_id.isdigit()}
    assert named <= lines  # unnamed ids are gradio's own, one per event
