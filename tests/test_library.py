"""docs/library.md is a specification: every code block on it runs as written, and the package roots give the
names it uses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

DOC = Path(__file__).resolve().parents[1] / "docs" / "library.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)


def test_the_page_has_an_example_for_every_domain():
    text = DOC.read_text()
    for package in ("gridworld", "geometry", "ddpg", "dpo", "diffusion", "vlm", "genlab"):
        assert f"from rlgen.{package} import" in text, package


@pytest.mark.parametrize("code", BLOCKS, ids=[re.search(r"from rlgen\.(\w+)", b).group(1) for b in BLOCKS])
def test_each_example_runs_as_written(code, capsys):
    exec(compile(code, str(DOC), "exec"), {"__name__": "__example__"})
    assert capsys.readouterr().out.strip()  # every example shows something


def test_answer_takes_what_load_model_returns_and_is_right():
    from rlgen.vlm import answer, load_model, random_scene, render

    right = 0
    for seed in range(10):
        scene = random_scene(seed)
        right += answer(load_model(), [render(scene)], "How many shapes are there?") == str(len(scene.shapes))
    assert right >= 9


def test_a_processor_with_another_vocabulary_is_refused(monkeypatch):
    from rlgen.errors import InputError
    from rlgen.vlm import answer, load_model, processor, random_scene, render

    model, shipped = load_model()
    words = processor.vocabulary()
    monkeypatch.setattr(processor, "vocabulary", lambda: [*words[:30], "zzz", *words[30:]])
    other = processor.KimiVLProcessor()
    image: Image.Image = render(random_scene(1))
    with pytest.raises(InputError, match="not the one the model was trained with"):
        answer(model, [image], "How many shapes are there?", processor=other)
    assert answer(model, [image], "How many shapes are there?")  # without a processor: the model's own


PUBLIC_API = {
    "rlgen.gridworld": ["GridWorld", "value_iteration", "policy_iteration", "q_learning"],
    "rlgen.geometry": ["convex_hull", "delaunay", "closest_pair", "min_enclosing_circle"],
    "rlgen.ddpg": ["load_agent", "load_pretrained", "rollout", "train", "recipe", "evaluate"],
    "rlgen.dpo": ["load_pair", "chat", "side_by_side", "train_dpo", "implicit_reward"],
    "rlgen.diffusion": ["load_pipeline", "generate"],
    "rlgen.vlm": ["load_model", "answer"],
    "rlgen.genlab": ["train", "sample", "final_samples", "mmd2"],
}


@pytest.mark.parametrize("package", sorted(PUBLIC_API))
def test_each_domain_offers_its_main_names_at_the_package_root(package):
    import importlib

    module = importlib.import_module(package)
    for name in PUBLIC_API[package]:
        assert callable(getattr(module, name)), f"{package}.{name}"
        assert name in getattr(module, "__all__", [name]), f"{package}.__all__ lacks {name}"
