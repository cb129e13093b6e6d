"""What the domain packages say to a person (an ``InputError``) reaches a Chinese reader in Chinese: every message is a
literal template with named fields, every template has its Chinese, and the UI's one error path renders it in the
reader's language."""

from __future__ import annotations

import ast
import pickle
import string
from pathlib import Path

import gradio as gr
import pytest

from rlgen.errors import InputError
from rlgen.ui.i18n import chinese
from tests.conftest import calls_named, reader

RLGEN = Path(__file__).resolve().parents[1] / "rlgen"


def input_errors() -> list[tuple[ast.Call, str]]:
    """Every ``InputError(...)`` written in rlgen/, with where it is."""
    return calls_named("InputError", RLGEN)



def test_every_domain_message_is_a_template_with_named_fields():
    """An f-string's text is known only when it is raised, so it could never be looked up: the values go in as fields.
    (The UI's own messages may be made by ``say`` already, in the reader's language.)"""
    made_elsewhere = []
    for call, where in input_errors():
        first = call.args[0] if call.args else None
        if isinstance(first, ast.Call) and getattr(first.func, "id", None) == "say":
            continue
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)) and not where.startswith("rlgen/ui/"):
            made_elsewhere.append(where)
            continue
        if isinstance(first, ast.Constant):
            parsed = string.Formatter().parse(first.value) if call.keywords else ()
            fields = {name for _, name, _, _ in parsed if name}
            assert fields == {keyword.arg for keyword in call.keywords}, where
    assert made_elsewhere == []


def test_every_input_error_template_has_chinese():
    table = chinese()
    absent = {call.args[0].value: where for call, where in input_errors()
              if call.args and isinstance(call.args[0], ast.Constant) and call.args[0].value not in table}
    assert not absent, f"no Chinese for {len(absent)} InputError templates, e.g. {list(absent.items())[:5]}"


def test_the_english_message_and_the_fields_travel_together():
    error = InputError("Grid side must be 2–{cap}, got {n:,}.", cap=12, n=1000)
    assert str(error) == "Grid side must be 2–12, got 1,000."
    assert (error.template, error.fields) == ("Grid side must be 2–{cap}, got {n:,}.", {"cap": 12, "n": 1000})
    assert str(InputError("Without fields the braces stay: {x}.")) == "Without fields the braces stay: {x}."
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.fields) == (str(error), error.fields)


def _shown(handler, *args) -> str:
    from rlgen.ui.widgets import user_errors

    with pytest.raises(gr.Error) as caught:
        user_errors(handler)(*args)
    return caught.value.message


def test_a_domain_message_reaches_a_chinese_reader_in_chinese():
    """The grid editor's size check, with the name of the control it checks said in Chinese too."""
    from rlgen.gridworld import editing

    spec = editing.book_spec()
    with reader("zh"):
        message = _shown(editing.resize, spec, 60, 5)
    assert message == "行数必须是 2 到 50 之间的整数（收到 60）；浏览器中的网格最大为 50×50。"
    with reader("en"):
        message = _shown(editing.resize, spec, 60, 5)
    assert message == ("The number of rows must be a whole number from 2 to 50 (got 60); the grid is capped at "
                       "50×50 in the browser.")


def test_messages_from_every_domain_are_said_in_chinese():
    from rlgen.ddpg.agent import DDPGConfig
    from rlgen.geometry import catalog, sketch, sweep
    from rlgen.gridworld.planning import check_gamma
    from rlgen.vlm.chat import check_question

    with reader("zh"):
        assert _shown(check_gamma, 1.5).startswith("γ 必须在 [0, 1) 内（收到 1.5）")
        assert _shown(lambda: DDPGConfig(tau=2.0).validate()).startswith("tau（软更新系数）必须在 (0, 1] 内")
        assert _shown(check_question, " ") == "请就图像提一个问题（问题为空）。"
        hull = catalog.ALGORITHMS["Convex hull — Graham scan"]
        assert _shown(lambda: next(hull.steps(sketch.Sketch(), catalog.Options()))) == (
            "还没有点：在“点”模式下点击画布，或载入一个预设（凸包）。")
        assert _shown(lambda: list(sweep.any_intersection_steps([[(0, 0), (1, 1)]]))) == (
            "相交检测至少需要 2 条线段（收到 1 条）。")
