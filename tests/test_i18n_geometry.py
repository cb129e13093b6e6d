"""The sketchpad's step captions reach a Chinese reader in Chinese: every caption an algorithm of ``rlgen.geometry``
yields is a literal English template with named values, every template (and every word filled into one) has its
Chinese with the same fields, and the current-step caption a handler shows is said in the reader's language while an
English reader's words stay as they were."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from rlgen.geometry import catalog
from rlgen.geometry import sketch as pad
from rlgen.geometry.steps import Step
from rlgen.ui import geometry as tab
from rlgen.ui.i18n import chinese
from tests.conftest import ENGLISH_PHRASE, calls_named, reader

GEOMETRY = Path(__file__).resolve().parents[1] / "rlgen" / "geometry"


def fields(template: str) -> list[tuple]:
    return sorted((name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(template)
                  if name is not None)


def step_calls() -> list[tuple[ast.Call, str]]:
    return calls_named("Step", GEOMETRY)


def test_every_step_caption_is_a_template_with_chinese_of_the_same_fields():
    """A caption made by an f-string is known only when it is made, so it could never be looked up."""
    table = chinese()
    calls = step_calls()
    assert len(calls) >= 60
    formatted = [where for call, where in calls if isinstance(call.args[0], ast.JoinedStr)]
    assert not formatted, f"captions made by f-strings (pass the values as fields): {formatted}"
    literals = {call.args[0].value: where for call, where in calls if isinstance(call.args[0], ast.Constant)}
    absent = sorted(where for template, where in literals.items() if template not in table)
    assert not absent, f"step captions without Chinese: {absent}"
    different = sorted(where for template, where in literals.items() if fields(template) != fields(table[template]))
    assert not different, f"Chinese captions whose fields differ from the English: {different}"


def sketches():
    """A sketch with something for every algorithm (points, a simple polygon, segments, half-planes, a query
    point), and a few whose points take the algorithms' other branches."""
    full = pad.Sketch()
    for name in ("uniform", "star polygon", "random segments", "random half-planes"):
        full = pad.preset(full, name, 40, 1)[0]
    yield pad.click(full, "query point", 360, 240)[0]
    for name in ("with duplicates", "collinear"):
        yield pad.click(pad.preset(full, name, 30, 5)[0], "query point", 360, 240)[0]


def runs():
    """(algorithm, steps) for every algorithm of the catalog on every sketch it can take, both point-in-polygon
    methods."""
    for sketch in sketches():
        for name, algorithm in catalog.ALGORITHMS.items():
            for method in ("ray", "winding") if "Point in polygon" in name else ("ray",):
                try:
                    steps = list(algorithm.steps(sketch, catalog.Options(pip_method=method)))
                except ValueError:
                    continue  # e.g. a triangulation of collinear points: its message is tested elsewhere
                yield name, steps


def test_every_algorithm_says_its_steps_in_chinese():
    table = chinese()
    seen_algorithms, seen_templates, english = set(), set(), []
    with reader("zh"):
        for name, steps in runs():
            seen_algorithms.add(name)
            for k, step in enumerate(steps):
                seen_templates.add(step.template)
                assert step.template in table, f"{name}: no Chinese for {step.template!r}"
                words = [v for v in step.values.values() if isinstance(v, str) and len(v) > 1]
                assert all(word in table for word in words), f"{name}: no Chinese for a word of {step.values}"
                caption = tab._caption(step, k, len(steps))
                assert caption.startswith(f"第 {k + 1} 步，共 {len(steps)} 步：")
                if ENGLISH_PHRASE.search(caption):
                    english.append((name, caption))
    assert seen_algorithms == set(catalog.ALGORITHMS)
    assert not english, f"English in Chinese captions: {english[:5]}"
    assert len(seen_templates) >= 50


SQUARE = pad.Sketch(points=((0.0, 0.0), (3.0, 0.0), (3.0, 4.0), (0.0, 4.0), (1.0, 1.0)))


def test_an_english_readers_captions_are_as_before():
    steps = list(catalog.ALGORITHMS["Convex hull — Andrew's monotone chain"].steps(SQUARE, catalog.Options()))
    assert steps[1].caption == "lower chain: push; 1 on the stack."
    assert steps[-1].caption == "Lower + upper chain = the hull: 4 vertices."
    diameter = list(catalog.ALGORITHMS["Rotating calipers — diameter"].steps(SQUARE, catalog.Options()))
    assert diameter[-1].caption == "Diameter = 5."
    with reader("en"):
        assert tab._caption(steps[-1], len(steps) - 1, len(steps)) == (
            f"Step {len(steps)} of {len(steps)}: Lower + upper chain = the hull: 4 vertices.")
    with reader("zh"):
        assert tab._caption(steps[1], 1, len(steps)) == f"第 2 步，共 {len(steps)} 步：下凸壳：入栈；栈中有 1 个点。"


@pytest.mark.parametrize("template, values, english", [
    ("Edge {i}: antipodal vertex {j}; best diameter so far {best:.4g}.", {"i": 2, "j": 5, "best": 12.345678},
     "Edge 2: antipodal vertex 5; best diameter so far 12.35."),
    ("Signed area = {area:.6g} ({orientation}).", {"area": -6.0, "orientation": "clockwise"},
     "Signed area = -6 (clockwise)."),
    ("hull so far", {}, "hull so far"),
])
def test_a_step_is_its_template_and_values(template, values, english):
    step = Step(template, (), **values)
    assert step.caption == step.text() == english and step.values == values
    with reader("zh"):
        said = tab._caption(step, 0, 1)
    assert ("{" not in said) and (said == "第 1 步，共 1 步：hull so far" or not ENGLISH_PHRASE.search(said))


def test_the_3d_hulls_status_line_reaches_a_chinese_reader_in_chinese():
    from rlgen.ui import geometry3d

    with reader("zh"):
        statuses = [status for _, status, _ in geometry3d.hull3d_frames("ball", 30, 0, False)]
    assert statuses and all(not ENGLISH_PHRASE.search(s) for s in statuses), statuses[-1]
    english = [status for _, status, _ in geometry3d.hull3d_frames("ball", 30, 0, False)]
    assert english[-1].startswith("Hull: 30 triangular faces on 17 vertices, volume 1.57056.")
