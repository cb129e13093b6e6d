"""The tiny SD3: MMDiT pipeline, rectified-flow training with logit-normal t, the attention-logit probe, the
experiments and the tab's handlers — against closed forms and independent computations."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest
import torch
from scipy import stats
from skimage.metrics import peak_signal_noise_ratio

from rlgen import runtime
from rlgen.diffusion.mmdit import MMDiTPipeline, build_mmdit
from rlgen.diffusion.models import build_text_encoder, build_tokenizer
from rlgen.diffusion.sd3_experiments import MAX_SHIPPED_STEPS, run_experiment
from rlgen.diffusion.sd3_latents import LatentPool, build_vae, psnr, reconstruct
from rlgen.diffusion.sd3_positions import PositionPool, position_adherence, use_1d_positions
from rlgen.diffusion.sd3_training import AttentionLogitProbe, flow_matching_steps, mmdit_pipeline, sample_t
from rlgen.diffusion.training import Pool


@pytest.fixture(scope="module", autouse=True)
def _one_torch_thread() -> None:
    runtime.configure_torch()


@pytest.fixture(scope="module")
def tiny() -> tuple:
    with runtime.seeded(0):
        tokenizer = build_tokenizer()
        return build_mmdit(layers=1, heads=2, head_dim=16), build_text_encoder(len(tokenizer)), tokenizer


def test_logit_normal_t_matches_scipy_and_uniform_is_uniform():
    g = torch.Generator().manual_seed(0)
    t = sample_t(4000, "logit_normal", g).numpy()
    # logit(t) ~ N(0, 1) exactly when t ~ logit-normal(0, 1)
    assert stats.kstest(np.log(t / (1 - t)), stats.norm.cdf).pvalue > 0.01
    u = sample_t(4000, "uniform", g).numpy()
    assert stats.kstest(u, stats.uniform.cdf).pvalue > 0.01
    with pytest.raises(ValueError, match="Timestep sampling"):
        sample_t(4, "cosine", g)


def test_euler_on_the_exact_velocity_of_a_point_lands_on_it_in_any_number_of_steps(tiny):
    # one image x* as the whole data set: the flow's velocity is v = (x_t − x*)/t, and Euler steps along it
    # are exact, so the sampler must return x* whatever the step count
    pipe = mmdit_pipeline(*tiny)
    target = torch.linspace(-0.9, 0.9, 3 * 32 * 32).reshape(1, 3, 32, 32)

    def exact_velocity(x, t, cond, control=None, control_scale=1.0):
        return (x - target) / (float(t) / 1000)

    pipe.predict = exact_velocity
    for steps in (1, 3, 20):
        out = pipe("a red star on a blue background", num_inference_steps=steps, guidance_scale=1.0,
                   generator=torch.Generator().manual_seed(1), output_type="pt").images
        assert torch.allclose(out, target, atol=1e-5)


def test_pipeline_round_trips_through_save_pretrained(tiny, tmp_path):
    pipe = mmdit_pipeline(*tiny)
    pipe.save_pretrained(tmp_path)
    loaded = MMDiTPipeline.from_pretrained(tmp_path)
    assert loaded.transformer.config.qk_norm == "rms_norm" and loaded.resolution == 32

    def sample(p):
        return p("a blue circle on a white background", num_inference_steps=3,
                 generator=torch.Generator().manual_seed(0), output_type="pt").images

    assert torch.equal(sample(pipe), sample(loaded))


def test_a_resaved_checkpoint_does_not_name_the_folder_it_was_loaded_from(tiny, tmp_path):
    from rlgen.diffusion.training import save_half

    save_half(mmdit_pipeline(*tiny), tmp_path / "first")
    loaded = MMDiTPipeline.from_pretrained(tmp_path / "first")  # as a resumed run loads it
    save_half(loaded, tmp_path / "second")
    configs = list((tmp_path / "second").glob("*/config.json"))
    assert configs and not any(str(tmp_path) in c.read_text() for c in configs)
    assert MMDiTPipeline.from_pretrained(tmp_path / "second").transformer.config.qk_norm == "rms_norm"


def test_resuming_needs_a_saved_model(tmp_path):
    from rlgen.diffusion.sd3_training import train_mmdit

    with pytest.raises(ValueError, match="Nothing to resume"):
        train_mmdit(tmp_path, minutes=0.1, resume=True)


def test_traced_mmdit_call_equals_the_eager_transformer_bit_for_bit(tiny):
    from rlgen.diffusion import tracing
    from rlgen.diffusion.tracing import transformer_forward, wait_for_traces

    transformer, text_encoder = (copy.deepcopy(m).eval() for m in tiny[:2])
    pipe = mmdit_pipeline(transformer, text_encoder, tiny[2])
    x = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(0))
    t = torch.tensor([700.0, 700.0])
    cond = pipe.encode_prompt(["", "a red star on a blue background"])
    with torch.no_grad():
        reference = transformer(x, encoder_hidden_states=cond[:, 1:], pooled_projections=cond[:, 0], timestep=t,
                                return_dict=False)[0]
        for first in (True, False):  # the first call runs eagerly and queues the trace, the second replays it
            assert torch.equal(transformer_forward(transformer, x, t, cond[:, 1:], cond[:, 0]), reference)
            if first:
                wait_for_traces()
        assert isinstance(next(iter(tracing._TRACES[transformer].values())), torch.jit.ScriptModule)
        sample = pipe("a red star on a blue background", num_inference_steps=3, output_type="pt",
                      generator=torch.Generator().manual_seed(0)).images
        with tracing.eager():
            eager_sample = pipe("a red star on a blue background", num_inference_steps=3, output_type="pt",
                                generator=torch.Generator().manual_seed(0)).images
    assert torch.equal(sample, eager_sample)


def test_flow_matching_overfits_a_few_images(tiny):
    transformer, text_encoder, tokenizer = (copy.deepcopy(m) for m in tiny)
    pool = Pool.make(4, seed=0, controls=False)
    losses = [f.loss for f in flow_matching_steps(transformer, text_encoder, tokenizer, pool, 40, batch=8,
                                                  lr=3e-3, seed=0, warmup=1)]
    assert np.mean(losses[-8:]) < 0.7 * np.mean(losses[:4])


def test_attention_logit_probe_matches_the_logits_sdpa_sees(tiny, monkeypatch):
    from diffusers.models import attention_processor

    transformer, text_encoder, tokenizer = tiny
    seen = []
    real_sdpa = attention_processor.F.scaled_dot_product_attention

    def recording_sdpa(q, k, v, **kwargs):
        seen.append(float((q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])).abs().max()))
        return real_sdpa(q, k, v, **kwargs)

    monkeypatch.setattr(attention_processor.F, "scaled_dot_product_attention", recording_sdpa)
    probe = AttentionLogitProbe(transformer)
    g = torch.Generator().manual_seed(0)
    ids = tokenizer(["a red star on a blue background"] * 2, padding="max_length", max_length=16,
                    return_tensors="pt").input_ids
    with torch.no_grad():
        hidden = text_encoder(ids)
        transformer(torch.randn(2, 3, 32, 32, generator=g), encoder_hidden_states=hidden.last_hidden_state,
                    pooled_projections=hidden.pooler_output, timestep=torch.tensor([500.0, 500.0]))
    largest = probe.take()
    probe.remove()
    assert largest == pytest.approx(max(seen), rel=1e-5)
    # RMS-normalised q and k (unit scales) have norm √d, so |q·k|/√d ≤ √d
    assert largest <= math.sqrt(16) + 1e-4


def test_psnr_agrees_with_scikit_image():
    g = torch.Generator().manual_seed(0)
    a = torch.rand(2, 3, 8, 8, generator=g) * 2 - 1
    b = (a + 0.1 * torch.randn(a.shape, generator=g)).clamp(-1, 1)
    assert psnr(b, a) == pytest.approx(peak_signal_noise_ratio(a.numpy(), b.numpy(), data_range=2.0), rel=1e-5)


def test_qk_norm_experiment_bounds_the_logits_of_one_arm_only():
    frames = list(run_experiment("qk_norm", 12, seed=0, batch=8, pool_size=64))
    assert [f.step for f in frames] == list(range(1, 13)) and frames[-1].done
    off, on = (frames[-1].curves[arm]["largest attention logit"][1] for arm in ("QK-norm off", "QK-norm on"))
    assert len(off) == len(on) == 12
    assert max(on) <= math.sqrt(32) + 1e-3  # the bound of RMS-normalised q, k with head_dim 32
    assert max(off) > max(on)


@pytest.mark.parametrize("name,metrics", [("timesteps", {"validation loss", "prompt adherence"}),
                                          ("latent_channels", {"PSNR (dB)", "SSIM", "latent flow loss",
                                                              "prompt adherence"}),
                                          ("positions", {"position adherence", "left/right adherence"})])
def test_each_experiment_streams_both_arms_and_ends_with_their_samples(name, metrics):
    frames = list(run_experiment(name, 10, seed=0, batch=2, eval_every=10, pool_size=16, adherence_n=2))
    last = frames[-1]
    assert last.done and len(last.curves) == 2 and all(set(series) == metrics for series in last.curves.values())
    assert all(frame.samples is None for frame in frames[:-1])
    assert list(last.samples) == list(last.curves) and len(last.sample_captions) == 8
    for images in last.samples.values():
        assert images.shape == (8, 3, 32, 32) and images.min() >= -1 and images.max() <= 1


def test_latents_are_standardised_and_decode_to_the_vaes_reconstruction():
    pool = Pool.make(32, seed=0, controls=False)
    with runtime.seeded(0):
        vae = build_vae(4).eval()
    latents = LatentPool.encode(vae, pool)
    assert latents.latents.shape == (64, 4, 8, 8) and latents.captions == pool.captions * 2
    assert float(latents.latents.mean()) == pytest.approx(0, abs=1e-5)
    assert float(latents.latents.std()) == pytest.approx(1, abs=1e-5)
    torch.testing.assert_close(latents.decode(vae, latents.latents[:4]), reconstruct(vae, pool.images[:4]).clamp(-1, 1),
                               atol=1e-4, rtol=0)


@pytest.mark.parametrize("name,steps,message", [("sizes", 50, "Unknown experiment"),
                                                ("qk_norm", 5, "from 10 to 400"),
                                                ("qk_norm", 10_000, "from 10 to 400")])
def test_bad_experiment_settings_get_a_message(name, steps, message):
    with pytest.raises(ValueError, match=message):
        next(run_experiment(name, steps))


def test_shipped_runs_may_be_longer_than_live_ones_but_are_capped_too():
    with pytest.raises(ValueError, match="from 10 to 5000"):
        next(run_experiment("qk_norm", 10_000, max_steps=MAX_SHIPPED_STEPS))
    assert next(run_experiment("qk_norm", 500, batch=2, pool_size=16, max_steps=MAX_SHIPPED_STEPS)).total == 500


def test_position_judge_reads_rendered_scenes_and_a_mirror_fools_it_left_to_right():
    pool = PositionPool.make(48, seed=0)
    assert position_adherence(pool.images, pool.positions) == {"all": 1.0, "left/right": 1.0, "top/bottom": 1.0}
    mirrored = position_adherence(pool.images.flip(-1), pool.positions)
    assert mirrored["left/right"] == 0.0 and mirrored["top/bottom"] == 1.0


def test_one_d_positions_depend_on_the_raster_index_only(tiny):
    transformer = copy.deepcopy(tiny[0])
    use_1d_positions(transformer)
    p = transformer.pos_embed.pos_embed[0]  # (64 patches, dim)
    # sincos codes: p_i · p_j = Σ cos(ω (i − j)), a function of i − j alone
    assert float(p[0] @ p[8]) == pytest.approx(float(p[5] @ p[13]), abs=1e-4)
    assert float(p[0] @ p[1]) != pytest.approx(float(p[0] @ p[8]), abs=1e-3)
