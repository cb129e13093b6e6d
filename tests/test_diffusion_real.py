"""The real-weights path, offline: tiny random SD 1.5 / SD 3 components saved to a temporary folder the way the
hub lays them out (base pipeline + ControlNet), loaded back through ``load_real_pipeline`` (and the bases alone,
text to image, through ``load_real_text_to_image``) and run."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from diffusers import (
    AutoencoderKL,
    ControlNetModel,
    DDIMScheduler,
    FlowMatchEulerDiscreteScheduler,
    SD3ControlNetModel,
    SD3Transformer2DModel,
    StableDiffusion3Pipeline,
    StableDiffusionPipeline,
    UNet2DConditionModel,
)
from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection, T5Config, T5EncoderModel

from rlgen.diffusion.models import build_tokenizer
from rlgen.diffusion.real import REAL_MODELS, generate_real, load_real_pipeline, load_real_text_to_image

SD15 = "Stable Diffusion 1.5 + ControlNet canny"
SD3 = "Stable Diffusion 3 medium + ControlNet canny"


def tiny_vae(**extra) -> AutoencoderKL:
    return AutoencoderKL(block_out_channels=(8, 8), in_channels=3, out_channels=3, latent_channels=4,
                         down_block_types=("DownEncoderBlock2D",) * 2, up_block_types=("UpDecoderBlock2D",) * 2,
                         norm_num_groups=4, **extra)


def clip_config(vocab: int, **extra) -> CLIPTextConfig:
    return CLIPTextConfig(vocab_size=vocab, hidden_size=32, intermediate_size=37, num_hidden_layers=1,
                          num_attention_heads=4, max_position_embeddings=77, bos_token_id=0, eos_token_id=1,
                          pad_token_id=1, **extra)


@pytest.fixture(scope="module")
def sd15_folder(tmp_path_factory):
    torch.manual_seed(0)
    root = tmp_path_factory.mktemp("sd15")
    tokenizer = build_tokenizer()
    unet = UNet2DConditionModel(sample_size=8, in_channels=4, out_channels=4, block_out_channels=(8, 16),
                                layers_per_block=1, cross_attention_dim=32, norm_num_groups=4, attention_head_dim=4,
                                down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
                                up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"))
    base = StableDiffusionPipeline(vae=tiny_vae(), text_encoder=CLIPTextModel(clip_config(len(tokenizer))),
                                   tokenizer=tokenizer, unet=unet, scheduler=DDIMScheduler(), safety_checker=None,
                                   feature_extractor=None, requires_safety_checker=False)
    base.save_pretrained(root / "base")
    controlnet = ControlNetModel.from_unet(unet, conditioning_embedding_out_channels=(8, 8))
    torch.nn.init.normal_(controlnet.controlnet_mid_block.weight, std=0.1)  # a "trained" ControlNet: not zero
    controlnet.save_pretrained(root / "controlnet")
    return root


@pytest.fixture(scope="module")
def sd3_folder(tmp_path_factory):
    torch.manual_seed(0)
    root = tmp_path_factory.mktemp("sd3")
    tokenizer = build_tokenizer()
    dims = dict(sample_size=8, patch_size=1, in_channels=4, num_layers=1, attention_head_dim=8, num_attention_heads=4,
                joint_attention_dim=32, caption_projection_dim=32, pooled_projection_dim=64, out_channels=4)
    clip = clip_config(len(tokenizer), projection_dim=32)
    base = StableDiffusion3Pipeline(
        transformer=SD3Transformer2DModel(**dims), scheduler=FlowMatchEulerDiscreteScheduler(),
        vae=tiny_vae(shift_factor=0.0609, scaling_factor=1.5035),
        text_encoder=CLIPTextModelWithProjection(clip), tokenizer=tokenizer,
        text_encoder_2=CLIPTextModelWithProjection(clip), tokenizer_2=tokenizer,
        text_encoder_3=T5EncoderModel(T5Config(vocab_size=len(tokenizer), d_model=32, d_kv=8, d_ff=37, num_layers=1,
                                               num_heads=4, decoder_start_token_id=0)),
        tokenizer_3=tokenizer)
    base.save_pretrained(root / "base")
    SD3ControlNetModel(**{k: v for k, v in dims.items()}).save_pretrained(root / "controlnet")
    return root


def test_allow_list_names_both_families():
    assert {m.family for m in REAL_MODELS.values()} == {"sd15", "sd3"}
    with pytest.raises(ValueError, match="allow-list"):
        load_real_pipeline("some/other-model", local_root="/nonexistent")


def test_real_weights_stay_off_without_the_opt_in(monkeypatch):
    monkeypatch.setattr("rlgen.runtime.REAL_WEIGHTS", False)
    with pytest.raises(ValueError, match="RLGEN_REAL_WEIGHTS=1"):
        load_real_pipeline(SD15)


@pytest.mark.parametrize("key,fixture", [(SD15, "sd15_folder"), (SD3, "sd3_folder")])
def test_tiny_components_load_and_generate_through_the_real_path(key, fixture, request):
    root = request.getfixturevalue(fixture)
    pipe = load_real_pipeline(key, local_root=root)
    control = np.zeros((16, 16), bool)
    control[4:12, 4] = True
    frames = list(generate_real(pipe, REAL_MODELS[key].family, "a red star", control, steps=2, guidance=2.0,
                                strength=1.0, n_images=1, seed=0, resolution=16, record_steps=(1,)))
    assert [step for step, _ in frames] == [1, 2]
    final = frames[-1][1][0]
    assert final.size == (16, 16)
    again = list(generate_real(pipe, REAL_MODELS[key].family, "a red star", control, steps=2, guidance=2.0,
                               strength=1.0, n_images=1, seed=0, resolution=16))[-1][1][0]
    assert np.array_equal(np.asarray(final), np.asarray(again))  # same seed, same image


def test_every_allow_listed_model_is_pinned_to_a_commit_hash():
    import re

    for spec in REAL_MODELS.values():
        for revision in (spec.base_revision, spec.controlnet_revision):
            assert re.fullmatch(r"[0-9a-f]{40}", revision), f"{revision!r} is not a commit hash"


@pytest.mark.parametrize("key,fixture,pipeline", [(SD15, "sd15_folder", StableDiffusionPipeline),
                                                  (SD3, "sd3_folder", StableDiffusion3Pipeline)])
def test_each_base_generates_text_to_image_alone_and_shares_its_weights_with_the_controlnet_pipeline(
        key, fixture, pipeline, request):
    root = request.getfixturevalue(fixture)
    base = load_real_text_to_image(key, local_root=root)
    assert type(base) is pipeline
    frames = list(generate_real(base, REAL_MODELS[key].family, "a red star", None, steps=2, guidance=2.0,
                                strength=1.0, n_images=2, seed=0, resolution=16, record_steps=(1,)))
    assert [step for step, _ in frames] == [1, 2] and len(frames[-1][1]) == 2
    assert frames[-1][1][0].size == (16, 16)
    with_controlnet = load_real_pipeline(key, local_root=root)
    denoiser = "unet" if REAL_MODELS[key].family == "sd15" else "transformer"
    assert getattr(with_controlnet, denoiser) is getattr(base, denoiser) and with_controlnet.vae is base.vae
    assert next(with_controlnet.controlnet.parameters()).dtype == next(base.vae.parameters()).dtype
    assert load_real_text_to_image(key, local_root=root) is base  # loaded once


def test_the_sd3_tab_runs_the_real_sd3_path_and_checks_its_input(sd3_folder, monkeypatch):
    from rlgen.ui import sd3 as tab

    frames = list(tab.generate_real_sd3("a red star in a forest", 3, 2.0, 1, 0, False, resolution=16,
                                        local_root=sd3_folder))
    images, trajectory, status, seed = frames[-1]
    assert len(images) == 1 and images[0].size == (16, 16) and trajectory is not None
    assert REAL_MODELS[tab.REAL_SD3].base in status and "3 steps" in status and seed == 0
    for bad, message in [(dict(n_images=5), "between 1 and 4"), (dict(steps=0), "from 1 to 100")]:
        args = {**dict(prompt="a red star", steps=3, guidance=2.0, n_images=1, seed=0, randomize=False), **bad}
        with pytest.raises(ValueError, match=message):
            list(tab.generate_real_sd3(**args, resolution=16, local_root=sd3_folder))
    monkeypatch.setattr("rlgen.runtime.REAL_WEIGHTS", False)
    with pytest.raises(ValueError, match="RLGEN_REAL_WEIGHTS=1"):
        list(tab.generate_real_sd3("a red star", 3, 2.0, 1, 0, False))
