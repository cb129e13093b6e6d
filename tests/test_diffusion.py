"""The diffusion backend: procedural data, the pipeline's pieces and their known answers."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from diffusers import FlowMatchEulerDiscreteScheduler

from rlgen import runtime
from rlgen.diffusion.models import build_controlnet, build_text_encoder, build_tokenizer, build_unet
from rlgen.diffusion.pipeline import EPSILON_SAMPLERS, SAMPLERS, ShapesPipeline, make_scheduler
from rlgen.diffusion.shapes import (
    SHAPES,
    Scene,
    ShapeSpec,
    canny_edges,
    filled_mask,
    make_batch,
    parse_caption,
    random_scene,
    render,
)
from rlgen.diffusion.training import _pipeline


@pytest.fixture(scope="module")
def tiny_flow() -> ShapesPipeline:
    torch.manual_seed(0)
    tokenizer = build_tokenizer()
    return _pipeline(build_unet(), build_text_encoder(len(tokenizer)), tokenizer, "flow")


def test_caption_names_what_is_drawn():
    scene = Scene((ShapeSpec("star", "red", 16, 16, 10),), "blue")
    assert scene.caption == "a red star on a blue background"
    assert parse_caption(scene.caption) == ("star", "red", "blue")
    image = render(scene)
    assert tuple(image[0, 0]) == (40, 80, 220)  # the corner is background blue
    assert tuple(image[16, 16]) == (220, 40, 40)  # the centre is the red star
    assert Scene((ShapeSpec("circle", "orange", 16, 16, 8),), "green").caption.startswith("an orange circle")


def test_two_shape_scenes_name_both_shapes():
    scene = random_scene(np.random.default_rng(3), n_shapes=2)
    assert scene.caption.count(" and ") == 1 and all(s.shape in scene.caption for s in scene.shapes)


def test_canny_map_traces_the_filled_mask_boundary():
    from scipy.ndimage import binary_dilation, binary_erosion

    scene = Scene((ShapeSpec("square", "yellow", 16, 16, 10),), "black")
    edges, mask = canny_edges(render(scene)), filled_mask(scene)
    boundary = mask & ~binary_erosion(mask)
    assert edges.sum() > 20
    assert not (edges & ~binary_dilation(boundary, iterations=2)).any()  # no edge away from the outline
    assert (boundary & binary_dilation(edges, iterations=2)).mean() / boundary.mean() > 0.9  # outline covered


def test_fresh_controlnet_zero_convolutions_leave_the_base_output_unchanged(tiny_flow):
    controlnet = build_controlnet(tiny_flow.unet)
    x, t = torch.randn(2, 12, 16, 16), torch.tensor([500.0, 500.0])
    hidden = tiny_flow.encode_prompt(["a red star on a blue background"] * 2)
    control = (torch.rand(2, 3, 32, 32) > 0.5).float()
    with torch.no_grad():
        down, mid = controlnet(x, t, encoder_hidden_states=hidden, controlnet_cond=control, return_dict=False)
        plain = tiny_flow.unet(x, t, encoder_hidden_states=hidden).sample
        joined = tiny_flow.unet(x, t, encoder_hidden_states=hidden, down_block_additional_residuals=down,
                                mid_block_additional_residual=mid).sample
    assert all(torch.count_nonzero(r) == 0 for r in [*down, mid])
    assert torch.equal(plain, joined)
    with_cn = ShapesPipeline(**{**tiny_flow.components, "controlnet": controlnet})
    a = with_cn("a red star on a blue background", image=control[0], num_inference_steps=3,
                generator=torch.Generator().manual_seed(1), output_type="pt").images
    b = tiny_flow("a red star on a blue background", num_inference_steps=3,
                  generator=torch.Generator().manual_seed(1), output_type="pt").images
    assert torch.equal(a, b)


@pytest.mark.parametrize("steps", [1, 2, 4, 20])
def test_flow_scheduler_recovers_x0_from_the_true_velocity(steps):
    g = torch.Generator().manual_seed(0)
    x0, noise = torch.randn(4, 3, 8, 8, generator=g), torch.randn(4, 3, 8, 8, generator=g)
    scheduler = FlowMatchEulerDiscreteScheduler()
    scheduler.set_timesteps(sigmas=list(np.linspace(1.0, 1.0 / steps, steps)))
    x = noise  # σ = 1: pure noise
    for t in scheduler.timesteps:
        x = scheduler.step(noise - x0, t, x).prev_sample  # the true velocity of x_t = (1 − σ)x₀ + σε
    torch.testing.assert_close(x, x0, atol=1e-5, rtol=0)


def test_predicted_x0_is_exact_for_the_true_velocity(tiny_flow):
    g = torch.Generator().manual_seed(0)
    x0, noise = torch.randn(1, 3, 4, 4, generator=g), torch.randn(1, 3, 4, 4, generator=g)
    tiny_flow.scheduler.set_timesteps(sigmas=[1.0, 0.6, 0.3])
    for i, sigma in enumerate([1.0, 0.6, 0.3]):
        x_t = (1 - sigma) * x0 + sigma * noise
        torch.testing.assert_close(tiny_flow._predict_x0(x_t, noise - x0, None, i), x0, atol=1e-6, rtol=0)


def test_save_then_load_reproduces_the_image_for_a_seed(tiny_flow, tmp_path):
    tiny_flow.save_pretrained(tmp_path)
    loaded = ShapesPipeline.from_pretrained(tmp_path)
    kwargs = dict(prompt="a green circle on a white background", num_inference_steps=4, output_type="pt")
    a = tiny_flow(**kwargs, generator=torch.Generator().manual_seed(7)).images
    b = loaded(**kwargs, generator=torch.Generator().manual_seed(7)).images
    assert torch.equal(a, b)
    pil = loaded(**{**kwargs, "output_type": "pil"}, generator=torch.Generator().manual_seed(7)).images
    assert pil[0].size == (32, 32) and pil[0].mode == "RGB"


def test_trajectory_yields_every_step_and_ends_on_the_returned_image(tiny_flow):
    frames = list(tiny_flow.trajectory("a red star on a blue background", num_inference_steps=5,
                                       generator=torch.Generator().manual_seed(3)))
    assert [f.step for f in frames] == [1, 2, 3, 4, 5]
    final = tiny_flow("a red star on a blue background", num_inference_steps=5, output_type="pt",
                      generator=torch.Generator().manual_seed(3)).images
    assert torch.equal(frames[-1].x_t.clamp(-1, 1), final)
    torch.testing.assert_close(frames[-1].x0, frames[-1].x_t.clamp(-1, 1), atol=1e-5, rtol=0)  # σ = 0 at the end


@pytest.mark.parametrize("sampler", EPSILON_SAMPLERS)
def test_every_epsilon_sampler_swaps_in_and_samples(sampler):
    torch.manual_seed(0)
    tokenizer = build_tokenizer()
    pipe = _pipeline(build_unet(), build_text_encoder(len(tokenizer)), tokenizer, "epsilon")
    pipe.scheduler = make_scheduler(sampler, pipe.scheduler.config)
    assert isinstance(pipe.scheduler, SAMPLERS[sampler][0])
    frames = list(pipe.trajectory("a blue square on a red background", num_inference_steps=3,
                                  generator=torch.Generator().manual_seed(0)))
    assert len(frames) == 3 and all(torch.isfinite(f.x_t).all() and torch.isfinite(f.x0).all() for f in frames)


def test_caps_on_steps_and_images_are_stated(tiny_flow):
    with pytest.raises(ValueError, match="between 1 and 100"):
        tiny_flow("a red star", num_inference_steps=101)
    with pytest.raises(ValueError, match="At most 16 images"):
        tiny_flow("a red star", num_images_per_prompt=17)
    with pytest.raises(ValueError, match="no ControlNet"):
        tiny_flow("a red star", image=np.zeros((32, 32), bool))


def test_tokenizer_spells_each_vocabulary_word_as_one_token():
    tokenizer = build_tokenizer()
    tokens = tokenizer.convert_ids_to_tokens(tokenizer("an orange triangle and a purple star").input_ids)
    assert tokens[1:-1] == ["an</w>", "orange</w>", "triangle</w>", "and</w>", "a</w>", "purple</w>", "star</w>"]


def test_tokenizer_numbers_its_tokens_the_same_in_every_process():
    import json
    import subprocess
    import sys
    from pathlib import Path

    script = "import json; from rlgen.diffusion.models import build_tokenizer as b; print(json.dumps(b().get_vocab()))"
    root = Path(__file__).resolve().parents[1]
    other = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=root)
    assert json.loads(other.stdout) == build_tokenizer().get_vocab()  # the tokenizers trainer alone is not stable


def test_batches_are_balanced_over_shapes():
    batch = make_batch(np.random.default_rng(0), 400, controls=False)
    counts = np.bincount(batch.shape_ids, minlength=len(SHAPES))
    assert counts.min() > 70 and batch.images.min() >= -1 and batch.images.max() <= 1


def test_the_shipped_classifier_reads_every_caption_off_the_pixels():
    from rlgen.diffusion.metrics import adherence_scores

    rng = np.random.default_rng(123)
    scenes = [random_scene(rng, 1) for _ in range(300)]
    images = torch.from_numpy(np.stack([render(s).transpose(2, 0, 1) for s in scenes]).astype(np.float32) / 127.5 - 1)
    scores = adherence_scores(images, scenes)
    assert scores["shape"] >= 0.98 and scores["colour"] >= 0.99 and scores["background"] >= 0.99


def test_edge_f1_counts_edges_within_one_pixel_as_matched():
    from rlgen.diffusion.metrics import edge_f1

    edges = np.zeros((32, 32), bool)
    edges[8:24, 10] = True
    assert edge_f1(edges, edges) == 1.0
    assert edge_f1(edges, np.roll(edges, 1, axis=1)) == 1.0  # one pixel off: within tolerance
    assert edge_f1(edges, np.roll(edges, 5, axis=1)) == 0.0
    half = edges.copy()
    half[16:24, 10] = False  # precision 1, recall 8/16 (+1 row matched through the tolerance)
    assert edge_f1(edges, half) == pytest.approx(2 * 1 * (9 / 16) / (1 + 9 / 16))


def test_a_resumed_run_keeps_the_earlier_runs_in_its_record():
    from rlgen.diffusion.training import _with_history

    first = {"steps": 500, "seconds": 1900.0, "command": "train --stage flow", "metrics": {"x": 1}}
    second = _with_history({"steps": 900, "seconds": 700.0, "metrics": {}}, dict(first))
    third = _with_history({"steps": 100, "seconds": 50.0, "metrics": {}}, dict(second))
    assert second["total_steps"] == 1400 and second["history"][0]["command"] == "train --stage flow"
    assert third["total_steps"] == 1500 and third["total_seconds"] == 2650.0 and len(third["history"]) == 2
    again = _with_history({"steps": 200, "seconds": 60.0, "metrics": {}}, second)  # a later periodic save
    assert again == _with_history({"steps": 200, "seconds": 60.0, "metrics": {}}, second)
    assert again["total_steps"] == 1600 and len(again["history"]) == 2 and "history" not in again["history"][1]


@pytest.mark.parametrize("batch", [1, 3])
def test_traced_unet_and_controlnet_calls_equal_the_eager_modules_bit_for_bit(tiny_flow, batch):
    from rlgen.diffusion import tracing
    from rlgen.diffusion.tracing import controlnet_forward, unet_forward, wait_for_traces

    unet = tiny_flow.unet.eval()
    controlnet = build_controlnet(unet).eval()
    with torch.no_grad():  # a trained ControlNet has non-zero joins: perturb them so the residuals matter
        for p in controlnet.parameters():
            p.add_(0.01 * torch.randn(p.shape, generator=torch.Generator().manual_seed(p.numel())))
    g = torch.Generator().manual_seed(batch)
    x, t = torch.randn(batch, 12, 16, 16, generator=g), torch.tensor(420.0)
    hidden = tiny_flow.encode_prompt(["a red star on a blue background"] * batch)
    control = (torch.rand(batch, 3, 32, 32, generator=g) > 0.5).float()
    with torch.no_grad():
        down, mid = controlnet(x, t, encoder_hidden_states=hidden, controlnet_cond=control, conditioning_scale=0.7,
                               return_dict=False)
        eager = unet(x, t, encoder_hidden_states=hidden, down_block_additional_residuals=down,
                     mid_block_additional_residual=mid).sample
        for first in (True, False):  # the first call runs eagerly and starts the traces, the second replays them
            traced_down, traced_mid = controlnet_forward(controlnet, x, t, hidden, control, 0.7)
            assert all(torch.equal(a, b) for a, b in zip([*down, mid], [*traced_down, traced_mid]))
            assert torch.equal(unet_forward(unet, x, t, hidden, traced_down, traced_mid), eager)
            assert torch.equal(unet_forward(unet, x, t, hidden), unet(x, t, encoder_hidden_states=hidden).sample)
            if first:
                wait_for_traces()
        assert len(tracing._TRACES[unet]) >= 2 and all(isinstance(tr, torch.jit.ScriptModule)
                                                       for tr in [*tracing._TRACES[unet].values(),
                                                                  *tracing._TRACES[controlnet].values()])


def test_training_mode_and_autograd_take_the_eager_path(tiny_flow):
    from rlgen.diffusion.tracing import traceable

    x = torch.randn(1, 12, 16, 16)
    unet = tiny_flow.unet
    with torch.enable_grad():
        assert not traceable(unet.eval(), x)  # training steps need autograd through the real modules
    with torch.no_grad():
        assert not traceable(unet.train(), x)  # dropout and friends behave differently in train mode
        assert traceable(unet.eval(), x)


def test_the_one_training_loop_trains_saves_and_resumes(tmp_path):
    """The denoiser and the ControlNet share one loop: a few steps are saved with a record, and a resumed run
    adds its steps to the earlier run's."""
    from rlgen.diffusion import training

    first = training.train_denoiser(tmp_path / "flow", "flow", 1.0, batch=2, max_steps=3, log=lambda _: None)
    assert first["steps"] == 3 and not first["partial"] and (tmp_path / "flow" / "model_index.json").exists()
    again = training.train_denoiser(tmp_path / "flow", "flow", 1.0, batch=2, max_steps=2, log=lambda _: None,
                                    resume=True)
    assert again["total_steps"] == 5 and len(again["history"]) == 1
    control = training.train_controlnet(tmp_path / "cn", runtime.checkpoint_path("diffusion-flow"), 0.005,
                                        batch=2, log=lambda _: None)
    assert control["objective"] == "controlnet" and control["steps"] >= 1
    assert (tmp_path / "cn" / "TRAINING.json").exists()
