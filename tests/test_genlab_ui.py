"""The Generative lab tab's handlers, called as gradio would call them, and one browser test."""

from __future__ import annotations

import gradio as gr
import numpy as np
import plotly.graph_objects as go
import pytest
from playwright.sync_api import expect

from rlgen.genlab import lab2d, toy2d_data
from rlgen.genlab.flow import RectifiedFlow
from rlgen.ui import genlab
from rlgen.ui.widgets import user_errors
from tests.conftest import save_screenshot


@pytest.fixture(autouse=True)
def quick_views(monkeypatch):
    """No pause between drawn pixels and fewer final samples: the handlers' logic, at test speed."""
    monkeypatch.setattr(genlab, "PIXEL_SECONDS", 0.0)
    monkeypatch.setattr(genlab, "FINAL_SAMPLES", 200)
    monkeypatch.setattr(genlab, "ANIMATION_SECONDS", 0.0)


def test_training_streams_live_frames_then_the_sampler_views():
    frames = list(genlab.train_2d("two moons", lab2d.RF, 140, 7, False, [], 0.3))
    lab, status, samples, loss, field, sampler, one_step, mixture, seed = frames[-1]
    assert seed == 7 and lab["seed"] == 7 and isinstance(genlab.OWN_MODELS.get(lab["model"], ""), RectifiedFlow)
    assert set(lab["model"]) == {"token"}  # the session's state is plain data; the model stays on the server
    assert status.startswith("Done: 140 steps") and "MMD²" in status
    assert {t.name for t in samples.data} == {"data", "model samples"}
    assert len(samples.data[1].x) == 200
    assert len(loss.data[0].y) == 140
    assert "velocity" in field.layout.title.text
    assert "reflow" in sampler.layout.title.text and "1-RF" in one_step.layout.annotations[0].text
    assert mixture == gr.skip()  # no exact answer for two moons
    live = frames[:-1]
    assert live and all(f[5] == gr.skip() for f in live)  # the sampler's paths come once training is done


def test_mixture_data_gets_the_learned_vs_exact_comparison():
    *_, final = genlab.train_2d("gaussian mixture", lab2d.DDPM, 100, 0, False, [], 0.5)
    mixture = final[7]
    assert isinstance(mixture, go.Figure)
    assert [a.text for a in mixture.layout.annotations][:2] == ["learned", "exact (closed form)"]
    field, redrawn = genlab.redraw_field(final[0], 0.9)
    assert "k = 90" in field.layout.title.text and isinstance(redrawn, go.Figure)


def test_each_method_draws_its_own_sampler_view():
    titles = {}
    for method in lab2d.METHODS:
        *_, final = genlab.train_2d("8 gaussians", method, 60, 1, False, [], 0.2)
        titles[method] = final[5].layout.title.text
    assert "Langevin" in titles[lab2d.SMLD]
    assert "VE SDE" in titles[lab2d.VE] and "VP SDE" in titles[lab2d.VP]
    assert "DDPM" in titles[lab2d.DDPM] and "reflow" in titles[lab2d.RF]


def test_redrawing_paths_uses_the_new_seed_and_keeps_the_model():
    *_, final = genlab.train_2d("circles", lab2d.VE, 60, 0, False, [], 0.3)
    lab, sampler, one_step, seed = genlab.redraw_paths(final[0], 11, False)
    assert seed == 11 and lab["model"] is final[0]["model"]
    first = sampler.data[1].x
    again = genlab.redraw_paths(final[0], 11, False)[1].data[1].x
    assert np.array_equal(first, again)  # same seed, same picture


def test_animation_grows_the_paths_to_the_full_sampler_view():
    *_, final = genlab.train_2d("two moons", lab2d.SMLD, 60, 2, False, [], 0.3)
    frames = list(genlab.animate_paths(final[0]))
    model = genlab.OWN_MODELS.get(final[0]["model"], "")
    assert len(frames) == len(model.sigmas)  # one frame per noise level of annealed Langevin
    lengths = [len(f.data[1].x) for f in frames]  # the first chain's positions so far
    assert lengths == sorted(lengths) and lengths[0] == 2
    np.testing.assert_array_equal(frames[-1].data[1].x, final[5].data[1].x)
    assert "10 of 10" not in frames[-1].layout.title.text and "levels done" in frames[0].layout.title.text


def test_canvas_clicks_become_data_points():
    points, image = genlab.add_point([], 0, 0)
    assert points == [[-3.0, 3.0]]
    points, image = genlab.add_point(points, genlab.CANVAS_SIDE / 2, genlab.CANVAS_SIDE * 3 / 4)
    assert points[-1] == [0.0, -1.5]
    assert image.size == (genlab.CANVAS_SIDE, genlab.CANVAS_SIDE)
    px, py = genlab.to_pixel(*points[-1])
    assert image.getpixel((int(px), int(py))) == (214, 39, 40)


def test_clicks_refresh_the_preview_only_when_drawing_is_the_chosen_data_set():
    points, _, preview = genlab.click_canvas([[0, 0], [1, 1]], "your points", 200, 100)
    assert len(points) == 3 and len(preview.data[0].x) == genlab.SHOWN_POINTS
    assert genlab.click_canvas(points, "two moons", 10, 10)[2] == gr.skip()
    cleared, _, empty = genlab.click_canvas(points, "your points")
    assert cleared == [] and "click at least 3" in empty.layout.title.text


def test_a_drawn_data_set_trains():
    points = []
    for x in range(40, 300, 20):
        points, _ = genlab.add_point(points, x, x)
    *_, final = genlab.train_2d("your points", lab2d.SMLD, 60, 0, False, points, 0.3)
    assert final[1].startswith("Done")
    figure = genlab.on_dataset("your points", points)[0]
    assert len(figure.data[0].x) == genlab.SHOWN_POINTS


def test_a_model_shown_beside_other_data_than_it_was_trained_on_is_flagged():
    *_, final = genlab.train_2d("two moons", lab2d.SMLD, 50, 0, False, [], 0.3)
    lab = final[0]
    note = genlab.on_dataset("circles", [], lab)[2]
    assert "trained on two moons, not on circles" in note and "Start" in note
    assert genlab.on_dataset("two moons", [], lab)[2] == gr.skip()  # its own data: nothing to flag
    assert genlab.on_dataset("circles", [], None)[2] == gr.skip()  # no model yet


@pytest.mark.parametrize(("args", "message"), [
    (("spirals", lab2d.SMLD, 100, 0, False, [], 0.3), "Unknown data set"),
    (("two moons", "GAN", 100, 0, False, [], 0.3), "Unknown method"),
    (("two moons", lab2d.SMLD, 10**6, 0, False, [], 0.3), "between 50 and 6,000"),
    (("two moons", lab2d.SMLD, 100.5, 0, False, [], 0.3), "whole number"),
    (("two moons", lab2d.SMLD, 100, -1, False, [], 0.3), "seed"),
    (("two moons", lab2d.SMLD, 100, 0, False, [], float("nan")), "must be a number"),
    (("your points", lab2d.SMLD, 100, 0, False, [[0, 0]], 0.3), "at least 3"),
])
def test_bad_input_becomes_a_message(args, message):
    with pytest.raises(gr.Error, match=message):
        next(user_errors(genlab.train_2d)(*args))


def test_actions_that_need_a_model_say_so():
    with pytest.raises(gr.Error, match="Train a model first"):
        user_errors(genlab.redraw_paths)(None, 0, False)
    with pytest.raises(gr.Error, match="Train FVSBN or NADE first"):
        next(user_errors(genlab.draw_digit)(None, 0, False, False))
    assert genlab.redraw_field(None, 0.5) == (gr.skip(), gr.skip())
    too_many = [[0.0, 0.0]] * toy2d_data.MAX_USER_POINTS
    with pytest.raises(gr.Error, match="At most 500"):
        user_errors(genlab.add_point)(too_many, 1, 1)


def test_digit_training_streams_nll_against_the_baseline_and_draws_pixel_by_pixel():
    frames = list(genlab.train_digits("FVSBN", 60, 32, 3, False))
    state, status, nll, grid, seed = frames[-1]
    assert seed == 3 and status.startswith("Done FVSBN") and "beats" in status
    assert nll.data[1].y[-1] < nll.layout.shapes[0].y0  # held-out curve ends below the baseline line
    drawn = list(genlab.draw_digit(state, 5, False, True))
    assert len(drawn) == 64
    digit, probs, text, used = drawn[-1]
    assert used == 5 and text.endswith("64/64")
    assert "copied from a held-out digit" in drawn[10][0].layout.title.text
    with pytest.raises(gr.Error, match="hidden units"):
        next(user_errors(genlab.train_digits)("NADE", 60, 1000, 0, False))


@pytest.mark.browser
def test_browser_trains_a_2d_model_live_and_samples_appear(page):
    page.get_by_role("tab", name=genlab.TITLE).first.click()
    expect(page.locator("#genlab-start")).to_be_visible(timeout=30_000)
    page.get_by_label(lab2d.RF).check()
    page.locator("#genlab-start").click()
    page.wait_for_function(
        "() => (document.querySelector('#genlab-status textarea')?.value ?? '').includes('step')", timeout=60_000)
    page.wait_for_function(
        "() => (document.querySelector('#genlab-status textarea')?.value ?? '').startsWith('Done')", timeout=240_000)
    expect(page.locator("#genlab-samples")).to_contain_text("model samples", timeout=30_000)
    expect(page.locator("#genlab-sampler")).to_contain_text("after reflow", timeout=30_000)
    page.locator("#genlab-samples").scroll_into_view_if_needed()
    save_screenshot(page, "genlab")
