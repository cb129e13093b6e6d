"""The Diffusion / ControlNet tab's handlers, called as the UI calls them: results, and a clear message for
each kind of bad input."""

from __future__ import annotations

import gradio as gr
import numpy as np
import pytest
from PIL import Image

from rlgen.diffusion.control import MAX_SIDE
from rlgen.ui import diffusion as tab
from rlgen.ui.widgets import user_errors

DEFAULTS = dict(prompt="a red star on a blue background", source="sample", sample="star (procedural)", upload=None,
                sketch=None, preprocessor="canny", low=0.1, high=0.2, strength=1.0, guidance=3.0, steps=3,
                sampler="Flow Euler", n_images=2, seed=0, randomize=False, compare_off=True)


def run(**overrides) -> list[tuple]:
    return list(tab.generate_images(**{**DEFAULTS, **overrides}))


def test_generation_streams_the_gallery_and_trajectory_then_controlnet_off():
    frames = run()
    gallery, trajectory, _, status, seed = frames[-2]
    assert len(gallery) == 2 and gallery[0].size == (160, 160)
    assert trajectory.width > trajectory.height and "Step 3/3" in status and seed == 0
    off = frames[-1][2]
    assert len(off) == 2 and "ControlNet off" in frames[-1][3]


def test_same_seed_gives_the_same_images_and_control_changes_them():
    a = run(compare_off=False)[-1][0]
    b = run(compare_off=False)[-1][0]
    assert all(np.array_equal(np.asarray(x), np.asarray(y)) for x, y in zip(a, b))
    off = run(compare_off=True)[-1][2]
    assert any(not np.array_equal(np.asarray(x), np.asarray(y)) for x, y in zip(a, off))


def test_empty_prompt_samples_unconditionally():
    frames = run(prompt="   ", source="none", compare_off=False)
    assert "unconditional" in frames[-1][3] and len(frames[-1][0]) == 2


def test_words_outside_the_tiny_models_vocabulary_are_named_not_silently_ignored():
    status = run(prompt="a red dragon on a blue sky", source="none", steps=1, n_images=1, compare_off=False)[-1][3]
    assert "Unknown to the tiny model" in status and "dragon, sky" in status
    status = run(source="none", steps=1, n_images=1, compare_off=False)[-1][3]
    assert "Unknown" not in status  # the default prompt is all words it knows


@pytest.mark.parametrize("sampler", ["DDPM", "DDIM", "Euler", "DPM-Solver++"])
def test_epsilon_samplers_run_and_say_the_control_map_is_not_theirs(sampler):
    frames = run(sampler=sampler, compare_off=False)
    assert "ignores the control map" in frames[-1][3] and len(frames[-1][0]) == 2


@pytest.mark.parametrize("field,value,message", [
    ("steps", 101, "from 1 to 100"),
    ("n_images", 17, "from 1 to 16"),
    ("prompt", "a " * 150, "cap is 200"),
    ("guidance", 50, "between 0 and 20"),
    ("seed", -1, "whole number from 0"),
    ("sampler", "Heun", "Unknown sampler"),
    ("low", 0.5, "must not exceed"),
])
def test_out_of_range_inputs_get_a_message_naming_the_cap(field, value, message):
    with pytest.raises(ValueError, match=message):
        run(**{field: value})


def test_a_non_image_upload_is_refused_clearly(tmp_path):
    bogus = tmp_path / "notes.png"
    bogus.write_text("this is not an image")
    with pytest.raises(ValueError, match="not an image"):
        run(source="upload", upload=str(bogus))
    with pytest.raises(ValueError, match="Upload an image first"):
        run(source="upload", upload=None)


def test_a_large_upload_is_resized_to_the_stated_cap(tmp_path):
    path = tmp_path / "large.png"
    Image.new("L", (4_000, 4_000), 255).save(path)
    preview, note = tab.preview_control("upload", None, str(path), None, "mask", 0.1, 0.2)
    assert f"resized to {MAX_SIDE} x {MAX_SIDE}" in note and f"cap: {MAX_SIDE} px" in note
    assert preview.size == (256, 256)


def test_an_upload_over_the_pixel_cap_is_refused_with_the_cap_in_the_message(tmp_path):
    path = tmp_path / "huge.png"
    Image.new("L", (10_000, 10_000), 255).save(path)
    with pytest.raises(gr.Error, match="25 megapixels"):
        user_errors(tab.preview_control)("upload", None, str(path), None, "mask", 0.1, 0.2)


def test_sketch_becomes_a_mask_control_map():
    canvas = np.full((256, 256, 4), 255, np.uint8)
    canvas[64:192, 64:192, :3] = 0  # a black square drawn on white
    preview, note = tab.preview_control("sketch", None, None, {"composite": canvas}, "mask", 0.1, 0.2)
    pixels = np.asarray(preview)[..., 0] > 0
    assert 0.2 < pixels.mean() < 0.3 and "mask map" in note


@pytest.mark.parametrize("name", ["astronaut", "coffee", "chelsea (cat)"])
def test_shipped_sample_images_give_canny_maps(name):
    preview, note = tab.preview_control("sample", name, None, None, "canny", 0.2, 0.4)
    assert preview.size == (256, 256) and "canny map" in note


def test_step_comparison_grid_has_a_row_per_model_and_a_column_per_step_count():
    image, seed = tab.compare_steps("a green circle on a white background", 3.0, 5, False)
    assert seed == 5 and image.width > 5 * 96 and image.height > 3 * 96


def test_real_weight_models_say_how_to_switch_them_on(monkeypatch):
    monkeypatch.setattr("rlgen.runtime.REAL_WEIGHTS", False)
    with pytest.raises(ValueError, match="RLGEN_REAL_WEIGHTS=1"):
        run(model="Stable Diffusion 1.5 + ControlNet canny")
    with pytest.raises(ValueError, match="Unknown model"):
        run(model="my/secret-model")


def test_the_exported_space_carries_every_checkpoint_the_tab_loads(tmp_path):
    from rlgen import registry
    from rlgen.diffusion.checkpoint import CHECKPOINTS, CLASSIFIER
    from rlgen.spaces_export import export_space

    assert sorted(registry.for_tab("diffusion")) == sorted([*CHECKPOINTS.values(), CLASSIFIER])
    space = export_space("diffusion", tmp_path / "space")
    shipped = sorted(p.name for p in (space / "rlgen" / "checkpoints").iterdir())
    assert shipped == sorted(registry.for_tab("diffusion"))
    assert all((space / "rlgen" / "checkpoints" / name / "TRAINING.json").exists() for name in shipped)


def test_the_defaults_show_what_controlnet_does():
    """With the tab's default prompt and control map, ControlNet on puts the star in the map's top-left corner;
    off, the model alone puts it near the middle."""
    import inspect

    import numpy as np

    defaults = {name: p.default for name, p in inspect.signature(tab.generate_images).parameters.items()
                if p.default is not inspect.Parameter.empty}
    assert tab.DEFAULT_SAMPLE in tab.ctl.SAMPLES and defaults.get("model", tab.TINY) == tab.TINY
    frames = run(sample=tab.DEFAULT_SAMPLE, steps=20, n_images=2)
    on = [f for f in frames if isinstance(f[0], list)][-1][0]
    off = frames[-1][2]

    def centre(image) -> np.ndarray:  # where the red star is, as a fraction of the side
        pixels = np.asarray(image.convert("RGB").resize((32, 32)), dtype=int)
        red = (pixels[..., 0] > 150) & (pixels[..., 2] < 120)
        rows, cols = np.nonzero(red)
        return np.array([cols.mean(), rows.mean()]) / 32

    assert all((centre(im) < 0.4).all() for im in on), [centre(im) for im in on]
    assert all((abs(centre(im) - 0.5) < 0.2).all() for im in off), [centre(im) for im in off]
