"""The tiny Kimi-VL: encoder geometry, packing, pixel shuffle, the processor's placeholder expansion, MoE routing,
scenes and their answers, save/load, answering, bad input, and the shipped model's held-out accuracy."""

from __future__ import annotations

import io

import numpy as np
import pytest
import torch
from PIL import Image

from rlgen.vlm import scenes
from rlgen.vlm.chat import answer, answer_batch, look_inside, stream_answer
from rlgen.vlm.model import apply_rope, interpolate_pos_emb, new_model, pixel_shuffle, pixel_unshuffle, rope_2d, routers
from rlgen.vlm.processor import CELL, MAX_VISION_TOKENS, MEDIA_PAD, KimiVLProcessor, native_size, preprocess
from rlgen.vlm.training import CellHead, Encoder, RouterBalance, make_batch, train_stage


@pytest.fixture(scope="module")
def processor() -> KimiVLProcessor:
    return KimiVLProcessor()


@pytest.fixture(scope="module")
def model(processor):
    tok = processor.tokenizer
    return new_model(len(tok), processor.media_pad_id, processor.end_id, tok.pad_token_id, seed=0).eval()


def scene_image(seed: int, width: int = 96, height: int = 64) -> tuple[scenes.Scene, Image.Image]:
    scene = scenes.random_scene(np.random.default_rng(seed), width, height)
    return scene, scenes.render(scene)


@pytest.mark.parametrize("h,w", [(3, 17), (12, 2), (5, 5), (16, 16), (2, 30)])
def test_position_grid_interpolation_and_2d_rope_keep_shapes_for_odd_aspect_ratios(h, w):
    grid = torch.randn(16, 16, 32)
    assert interpolate_pos_emb(grid, h, w).shape == (h * w, 32)
    cos, sin = rope_2d(h, w, 32, 100.0)
    assert cos.shape == sin.shape == (h * w, 16)
    x = torch.randn(2, 4, h * w, 32)
    rotated = apply_rope(x, cos, sin)
    assert rotated.shape == x.shape
    torch.testing.assert_close(rotated.norm(dim=-1), x.norm(dim=-1))  # a rotation keeps lengths


def test_interpolating_to_the_grids_own_size_is_the_identity():
    grid = torch.randn(16, 16, 8)
    torch.testing.assert_close(interpolate_pos_emb(grid, 16, 16), grid.reshape(256, 8))


def test_2d_rope_scores_depend_only_on_the_offset_between_patches():
    cos, sin = rope_2d(6, 6, 16, 100.0)
    q, k = torch.randn(16), torch.randn(16)
    def score(i, j):
        return float(apply_rope(q, cos[i], sin[i]) @ apply_rope(k, cos[j], sin[j]))
    # patch (1,1)->(2,3) and (3,2)->(4,4): the same offset (+1, +2)
    assert score(1 * 6 + 1, 2 * 6 + 3) == pytest.approx(score(3 * 6 + 2, 4 * 6 + 4), abs=1e-4)


def test_packing_two_images_gives_the_same_encoder_output_as_encoding_each_alone(model):
    a, b = preprocess(scene_image(1, 96, 48)[1]), preprocess(scene_image(2, 48, 128)[1])
    tower = model.vision_tower
    with torch.no_grad():
        packed = tower(torch.from_numpy(np.concatenate([a.patches, b.patches])), torch.tensor([a.grid, b.grid]))
        alone_a = tower(torch.from_numpy(a.patches), torch.tensor([a.grid]))
        alone_b = tower(torch.from_numpy(b.patches), torch.tensor([b.grid]))
    torch.testing.assert_close(packed, torch.cat([alone_a, alone_b]), atol=1e-5, rtol=1e-5)


def test_pixel_shuffle_is_a_pure_reshape_that_unshuffle_inverts():
    grids = torch.tensor([[4, 6], [2, 2], [8, 2]])
    features = torch.randn(int((grids[:, 0] * grids[:, 1]).sum()), 5)
    merged = pixel_shuffle(features, grids)
    assert merged.shape == (features.shape[0] // 4, 20)
    torch.testing.assert_close(pixel_unshuffle(merged, grids), features)
    # the first merged token of the first image holds patches (0,0), (0,1), (1,0), (1,1) of its 4 x 6 grid
    torch.testing.assert_close(merged[0], torch.cat([features[0], features[1], features[6], features[7]]))


@pytest.mark.parametrize("size", [(96, 64), (48, 144), (1000, 30), (37, 53)])
def test_processor_expands_each_placeholder_to_exactly_the_merged_patch_count(processor, size):
    image = Image.new("RGB", size, (200, 30, 30))
    second = Image.new("RGB", (64, 64), "white")
    content = [{"type": "image"}, {"type": "image"}, {"type": "text", "text": "Describe the image."}]
    messages = [{"role": "user", "content": content}]
    batch = processor(messages, [image, second])
    prepared = batch["images"]
    h, w = prepared[0].grid
    assert prepared[0].tokens == h * w // 4
    pads = int((batch["input_ids"] == processor.media_pad_id).sum())
    assert pads == prepared[0].tokens + prepared[1].tokens
    assert batch["pixel_patches"].shape == (h * w + prepared[1].grid[0] * prepared[1].grid[1], 3 * 16 * 16)
    assert prepared[0].size[0] % CELL == 0 and prepared[0].size[1] % CELL == 0


def test_chat_template_writes_kimi_vls_format(processor):
    content = [{"type": "image"}, {"type": "text", "text": "How many shapes are there?"}]
    messages = [{"role": "user", "content": content}]
    assert processor.apply_chat_template(messages) == (
        "<|im_user|>user<|im_middle|><|media_start|>image<|media_content|><|media_pad|><|media_end|>"
        "How many shapes are there?<|im_end|><|im_assistant|>assistant<|im_middle|>")


def test_training_ids_are_the_chat_templates_ids(processor):
    scene, image = scene_image(3)
    prepared = preprocess(image)
    qas = scenes.questions(scene, np.random.default_rng(0), 3)
    ids, labels = Encoder(processor).conversation(qas, prepared.tokens)
    messages = []
    for i, qa in enumerate(qas):
        content = ([{"type": "image"}] if i == 0 else []) + [{"type": "text", "text": qa.question}]
        messages += [{"role": "user", "content": content}, {"role": "assistant", "content": qa.answer}]
    templated = processor(messages, [prepared], add_generation_prompt=False)["input_ids"][0].tolist()
    assert ids == templated
    answer_tokens = [t for t, la in zip(ids, labels) if la != -100]
    expected = sum((processor.tokenizer(qa.answer, add_special_tokens=False).input_ids + [processor.end_id]
                    for qa in qas), [])
    assert answer_tokens == expected


def test_native_size_keeps_the_aspect_ratio_and_stays_under_the_token_cap():
    assert native_size(96, 64) == (96, 64)
    w, h = native_size(10_000, 10_000)
    assert (w // CELL) * (h // CELL) <= MAX_VISION_TOKENS and w == h
    w, h = native_size(4000, 1000)
    assert (w // CELL) * (h // CELL) <= MAX_VISION_TOKENS and 3.5 <= w / h <= 4.5


def test_router_sends_each_token_to_exactly_k_routed_experts_plus_the_shared_one(model, processor):
    _, image = scene_image(4)
    inside = look_inside(model, [image], "How many shapes are there?", "3", processor=processor)
    k = model.config.text_config.num_experts_per_tok
    layers = [layer for layer, _ in routers(model)]
    assert sorted(inside.experts) == layers and layers[0] == model.config.text_config.first_k_dense_replace
    for weights in inside.experts.values():
        assert weights.shape == (len(inside.tokens), model.config.text_config.n_routed_experts)
        assert ((weights > 0).sum(axis=1) == k).all()
        np.testing.assert_allclose(weights.sum(axis=1), 1.0, rtol=1e-5)  # normalised top-k weights
    for _, gate in routers(model):
        assert model.language_model.model.layers[layers[0]].mlp.shared_experts is not None
        assert gate.top_k == k


def test_look_inside_gives_the_answers_attention_on_each_images_merged_patches(model, processor):
    _, a = scene_image(5, 96, 64)
    _, b = scene_image(6, 48, 48)
    inside = look_inside(model, [a, b], "Describe the image.", "one shape: a red circle", processor=processor)
    assert [m.shape for m in inside.attention] == [(2, 3), (2, 2)]  # 96 x 64 and 48 -> 64 px, in 32-px tokens
    assert all((m >= 0).all() for m in inside.attention)


def test_aux_free_balancing_moves_the_bias_towards_underloaded_experts(model, processor):
    balance = RouterBalance(model, rate=0.01)
    batch = make_batch(Encoder(processor), np.random.default_rng(0), 4, (1, 2), scenes.QUESTION_TYPES)
    model.train()
    with torch.no_grad():
        model(batch.input_ids, attention_mask=batch.attention_mask, pixel_patches=batch.pixel_patches,
              grid_hws=batch.grid_hws)
    model.eval()
    loads = {layer: load.clone() for layer, load in balance.loads.items()}
    before = {layer: gate.e_score_correction_bias.clone() for layer, gate in balance.gates}
    balance.step()
    for layer, gate in balance.gates:
        delta = gate.e_score_correction_bias - before[layer]
        expected = 0.01 * torch.sign(loads[layer].mean() - loads[layer])
        torch.testing.assert_close(delta, expected)
        gate.e_score_correction_bias.copy_(before[layer])


def test_scene_answers_are_read_off_the_scene():
    rng = np.random.default_rng(0)
    for _ in range(200):
        scene = scenes.random_scene(rng)
        assert 1 <= len(scene.shapes) <= 6
        for s in scene.shapes:
            assert s.r <= s.x <= scene.width - s.r and s.r <= s.y <= scene.height - s.r
        assert scenes.ask(scene, "count", rng).answer == str(len(scene.shapes))
        assert scenes.describe(scene).startswith(scenes.NUMBER_WORDS[len(scene.shapes)])
        qa = scenes.ask(scene, "exists", rng)
        c, s = qa.question.rstrip("?").replace(" in the image", "").split()[-2:]
        s = {v: k for k, v in scenes.PLURAL.items()}.get(s, s)
        assert qa.answer == ("yes" if any(o.colour == c and o.shape == s for o in scene.shapes) else "no")


def test_training_only_kinds_list_shapes_top_down_and_ask_above_in_its_own_wording():
    rng = np.random.default_rng(2)
    asked = 0
    for _ in range(200):
        scene = scenes.random_scene(rng)
        listed = scenes.ask(scene, "describe_top_down", rng).answer
        names = [s.name for s in sorted(scene.shapes, key=lambda s: s.y)]
        items = listed.split(": ")[1].replace(" and ", ", ").split(", ")
        assert [item.split(" ", 1)[1] for item in items] == names
        qa = scenes.ask(scene, "above_only", rng)
        if qa is None:
            continue
        asked += 1
        assert qa.kind == "above_only" and any(q.split("{a}")[1].split("{b}")[0] in qa.question
                                               for q in scenes.ABOVE)
    assert asked > 50


def test_every_question_type_is_asked_and_the_scene_sizes_vary():
    rng = np.random.default_rng(1)
    kinds, sizes = set(), set()
    for _ in range(100):
        scene = scenes.random_scene(rng)
        sizes.add((scene.width, scene.height))
        kinds.update(qa.kind for qa in scenes.questions(scene, rng, 10))
    assert kinds == set(scenes.QUESTION_TYPES)
    assert len(sizes) > 20 and {s.background for s in [scenes.random_scene(rng) for _ in range(50)]} == \
        set(scenes.BACKGROUNDS)


def test_no_question_or_answer_of_any_kind_has_an_unknown_word(processor):
    unk = processor.tokenizer.unk_token_id
    rng = np.random.default_rng(2)
    for _ in range(300):
        scene = scenes.random_scene(rng)
        for qa in scenes.questions(scene, rng, len(scenes.QUESTION_TYPES)):
            for text in (qa.question, qa.answer):
                assert unk not in processor.tokenizer(text, add_special_tokens=False).input_ids, text


def test_canonical_questions_use_no_unknown_word(processor):
    unk = processor.tokenizer.unk_token_id
    for text in ["How many shapes are there?", "How many red shapes are there?", "What color is the circle?",
                 "What shape is the blue object?", "Is there a green square?",
                 "four shapes: a blue triangle, a green star, an orange square and a green circle"]:
        assert unk not in processor.tokenizer(text, add_special_tokens=False).input_ids


def test_save_and_load_give_the_same_answer(tmp_path, model, processor):
    from rlgen.vlm.checkpoint import load, save

    _, image = scene_image(7)
    save(model, processor, tmp_path)
    loaded, loaded_processor = load(tmp_path)
    question = "What do you see?"
    assert answer(loaded, [image], question, processor=loaded_processor) == \
        answer(model.half().float(), [image], question, processor=processor)


def test_streaming_yields_growing_prefixes_of_the_answer(model, processor):
    _, image = scene_image(8)
    parts = list(stream_answer(model, [image], "Describe the image.", processor=processor, max_new_tokens=6))
    assert 1 <= len(parts) <= 6
    for shorter, longer in zip(parts, parts[1:]):
        assert longer.startswith(shorter.split(" ")[0])


def test_batched_answers_equal_one_at_a_time(model, processor):
    items = []
    for seed in range(3):
        _, image = scene_image(seed, 48 + 16 * seed, 64)
        items.append(([preprocess(image)], "How many shapes are there?"))
    assert answer_batch(model, processor, items) == [answer(model, im, q, processor=processor) for im, q in items]


def test_bad_images_and_questions_get_clear_messages(model, processor):
    _, image = scene_image(9)
    with pytest.raises(ValueError, match="empty"):
        answer(model, [image], "   ", processor=processor)
    with pytest.raises(ValueError, match="100,000 characters"):
        answer(model, [image], "why?" * 25_000, processor=processor)
    with pytest.raises(ValueError, match="not an image"):
        preprocess(b"%PDF-1.4")
    with pytest.raises(ValueError, match="Add an image"):
        answer(model, [], "How many shapes are there?", processor=processor)
    with pytest.raises(ValueError, match="At most 2 images"):
        answer(model, [image] * 3, "How many shapes are there?", processor=processor)


def test_alpha_16_bit_and_animated_images_are_converted_with_a_note():
    rgba = Image.new("RGBA", (64, 64), (255, 0, 0, 0))
    prepared = preprocess(rgba)
    assert any("transparency" in n for n in prepared.notes)
    assert np.allclose(prepared.patches, 1.0)  # fully transparent -> the white background
    deep = Image.fromarray((np.arange(64 * 64).reshape(64, 64) * 16).astype(np.uint16))
    assert any("8 bits" in n for n in preprocess(deep).notes)
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (32, 32), c) for c in ("red", "blue")]
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    assert any("animated" in n for n in preprocess(Image.open(io.BytesIO(buffer.getvalue()))).notes)
    huge = preprocess(Image.new("RGB", (10_000, 10_000), "white"))
    assert huge.tokens <= MAX_VISION_TOKENS and any("shrunk" in n for n in huge.notes)


def test_a_short_training_stage_lowers_the_loss(processor):
    tok = processor.tokenizer
    fresh = new_model(len(tok), processor.media_pad_id, processor.end_id, tok.pad_token_id, seed=1)
    frames = list(train_stage(fresh, processor, "encoder", 30, batch=8, lr=3e-3, log_every=10, log=lambda s: None))
    assert frames[-1].loss < frames[0].loss
    frames = list(train_stage(fresh, processor, "joint", 30, batch=8, lr=3e-3, log_every=10, log=lambda s: None))
    assert frames[-1].loss < frames[0].loss


def test_token_position_target_is_the_centre_of_each_merged_block_and_trains_the_projector(processor):
    b = make_batch(Encoder(processor), np.random.default_rng(0), 2, (1, 1), ("count",), size=(96, 64))
    head = CellHead(128, 128)
    # a head that reads position off the tokens exactly scores zero: merged token (row r, col c) of the 2 x 3 grid
    # sits at ((2c + 1) / 8, (2r + 1) / 8), the units of the per-patch position targets
    rows, cols = np.meshgrid(np.arange(2), np.arange(3), indexing="ij")
    exact = torch.tensor(np.c_[(2 * cols.ravel() + 1) / 8, (2 * rows.ravel() + 1) / 8], dtype=torch.float32)
    with torch.no_grad():
        head.token_where.weight.zero_()
        head.token_where.bias.zero_()
        head.token_where.weight[:, :2] = torch.eye(2)
    loss, metrics = head.token_loss(torch.nn.functional.pad(exact.repeat(2, 1), (0, 126)), b, 2)
    assert loss.item() < 1e-10 and metrics["token_where_rmse_patches"] < 1e-4
    # the loss reaches the projector (the point of it: the decoder's input must keep where each token is)
    tok = processor.tokenizer
    model = new_model(len(tok), processor.media_pad_id, processor.end_id, tok.pad_token_id, seed=3)
    merge = model.config.vision_config.merge_kernel_size[0]
    with torch.enable_grad():
        features = model.vision_tower(b.pixel_patches, b.grid_hws)
        head = CellHead(128, 128)
        torch.nn.init.normal_(head.token_where.weight)  # (zero at the start of training: no pull until it learns)
        loss, _ = head.token_loss(model.multi_modal_projector(pixel_shuffle(features, b.grid_hws, merge)), b, merge)
        loss.backward()
    assert model.multi_modal_projector.linear_2.weight.grad.abs().sum() > 0


def test_training_reads_position_off_every_decoder_layers_vision_latents(processor):
    tok = processor.tokenizer
    fresh = new_model(len(tok), processor.media_pad_id, processor.end_id, tok.pad_token_id, seed=4)
    head = CellHead.for_model(fresh)
    assert len(head.latent_where) == fresh.config.text_config.num_hidden_layers
    frames = list(train_stage(fresh, processor, "joint", 4, batch=4, log_every=2, log=lambda s: None, head=head))
    assert {"token_where_rmse_patches", "latent_where_rmse_patches"} <= set(frames[-1].metrics)
    assert all(w.weight.abs().sum() > 0 for w in head.latent_where)  # they trained
    hooks = [layer.self_attn.kv_a_proj_with_mqa._forward_hooks for layer in fresh.language_model.model.layers]
    assert not any(hooks)  # and the hooks that fed them are gone


def test_questions_name_where_their_shapes_are_for_the_grounding_read_outs():
    rng = np.random.default_rng(5)
    seen = set()
    for _ in range(200):
        scene = scenes.random_scene(rng)
        for kind in ("colour_of", "shape_of", "left_right", "above_below", "nearest_farthest", "above_only"):
            qa = scenes.ask(scene, kind, rng)
            if qa is None:
                continue
            seen.add(kind)
            centres = {(s.x, s.y): s for s in scene.shapes}
            assert qa.refs and all((x, y) in centres for _, x, y in qa.refs)
            for end, x, y in qa.refs:  # each phrase ends where it names its shape: by shape, colour or both
                words = qa.question[:end].split()
                shape = centres[(x, y)]
                assert words[-1] in (shape.shape, shape.colour, "shape"), qa.question
            assert all(c in centres for c in qa.focus)
            if kind in ("left_right", "above_below", "above_only"):
                a, b = (centres[c] for c in qa.focus)
                yes = a.x < b.x if "left" in qa.question else a.x > b.x if "right" in qa.question else None
                if kind != "left_right":
                    up = any(w in qa.question for w in ("above", "higher", "over"))
                    yes = a.y < b.y if up else a.y > b.y
                assert (qa.answer == "yes") == yes, qa.question
            if kind == "nearest_farthest":
                assert centres[qa.focus[1]].name == qa.answer
    assert seen == {"colour_of", "shape_of", "left_right", "above_below", "nearest_farthest", "above_only"}
    assert scenes.ask(scenes.random_scene(rng), "count", rng).refs == ()


def test_grounding_targets_sit_on_the_naming_token_and_the_answer_predicting_token(processor):
    kinds = ("left_right", "above_below", "nearest_farthest", "colour_of", "count")
    b = make_batch(Encoder(processor), np.random.default_rng(2), 6, (1, 5), kinds, size=(128, 96))
    tok = processor.tokenizer
    words = set(scenes.SHAPES) | set(scenes.COLOURS) | {"shape"}
    assert len(b.ref_at) >= 6 and len(b.focus_at) >= 6
    assert all(tok.convert_ids_to_tokens(int(b.input_ids[r, t])) in words for r, t in b.ref_at.tolist())
    for (r, t), mask in zip(b.focus_at.tolist(), b.focus_mask.tolist()):
        assert tok.convert_ids_to_tokens(int(b.input_ids[r, t])) == "<|im_middle|>"
        assert b.labels[r, t] == -100 and b.labels[r, t + 1] != -100  # it predicts the answer's first token
        assert mask in ([1, 1, 0, 0], [1, 1, 1, 1])
    # in the units of the per-patch position targets (patches of the encoded image / 8): inside the image
    assert (b.ref_where >= 0).all() and (b.ref_where[:, 0] <= 128 / 128).all() and (b.ref_where[:, 1] <= 96 / 128).all()


def test_grounding_loss_trains_the_decoder_and_is_zero_without_named_shapes(processor):
    tok = processor.tokenizer
    fresh = new_model(len(tok), processor.media_pad_id, processor.end_id, tok.pad_token_id, seed=6)
    head = CellHead.for_model(fresh)
    assert len(head.ref_where) == len(head.focus_where) == 2
    kinds = ("above_below", "nearest_farthest", "count")
    b = make_batch(Encoder(processor), np.random.default_rng(3), 4, (3, 3), kinds)
    with torch.enable_grad():
        for w in (*head.ref_where, *head.focus_where):
            torch.nn.init.normal_(w.weight, std=0.1)  # (zero at the start of training: no pull until it learns)
        out = fresh.language_model(inputs_embeds=fresh.embed(b.input_ids, b.pixel_patches, b.grid_hws),
                                   attention_mask=b.attention_mask, output_hidden_states=True)
        loss, metrics = head.grounding_loss(out.hidden_states, b)
        loss.backward()
    assert loss.item() > 0 and {"ref_where_rmse_patches", "focus_where_rmse_patches"} <= set(metrics)
    layers = fresh.language_model.model.layers
    assert layers[0].self_attn.kv_a_proj_with_mqa.weight.grad.abs().sum() > 0  # it reaches back into the decoder
    assert fresh.multi_modal_projector.linear_2.weight.grad.abs().sum() > 0  # and to the image
    assert layers[3].self_attn.kv_a_proj_with_mqa.weight.grad is None  # nothing after layer 3 is read
    counts = make_batch(Encoder(processor), np.random.default_rng(3), 2, (1, 1), ("count",))
    out = fresh.language_model(inputs_embeds=fresh.embed(counts.input_ids, counts.pixel_patches, counts.grid_hws),
                               output_hidden_states=True)
    loss, metrics = head.grounding_loss(out.hidden_states, counts)
    assert loss.item() == 0 and metrics == {}
    frames = list(train_stage(fresh, processor, "instruct", 2, batch=4, log_every=1, log=lambda s: None,
                              kinds=("above_below", "count"), grounding=1.0))
    assert "focus_where_rmse_patches" in frames[-1].metrics


def test_curriculum_weights_question_kinds():
    from rlgen.vlm.checkpoint import DEFAULT_CURRICULUM, curriculum

    mix = curriculum("above_below=3,nearest_farthest=2")
    assert mix.count("above_below") == 3 and mix.count("nearest_farthest") == 2 and mix.count("count") == 1
    assert set(mix) == set(scenes.QUESTION_TYPES)
    assert curriculum(DEFAULT_CURRICULUM) == scenes.QUESTION_TYPES + ("left_right", "above_below",
                                                                      "nearest_farthest") * 2
    import argparse

    for bad in ("above=2", "above_below=two", "above_below"):
        with pytest.raises(argparse.ArgumentTypeError, match="KIND=WEIGHT"):
            curriculum(bad)


def test_media_pad_token_is_kimis(processor):
    assert processor.tokenizer.convert_ids_to_tokens(processor.media_pad_id) == MEDIA_PAD


def test_train_command_runs_every_stage_and_writes_its_record(tmp_path):
    import json

    from rlgen.vlm.checkpoint import load, train

    train(["--patch-steps", "2", "--encoder-steps", "2", "--joint-steps", "2", "--instruct-steps", "2",
           "--batch", "4", "--eval-n", "20", "--out", str(tmp_path)])
    record = json.loads((tmp_path / "TRAINING.json").read_text())
    assert list(record["stages"]) == ["patches", "encoder", "joint", "instruct"]
    assert {"held_out", "blind_question_prior", "blank_image", "unseen_sizes"} <= set(record["evaluation"])
    assert record["evaluation"]["held_out"]["n"] == 20 and "python -m rlgen train vlm" in record["command"]
    model, processor = load(tmp_path)
    assert isinstance(answer(model, [scene_image(0)[1]], "How many shapes are there?", processor=processor), str)


def test_resume_runs_only_the_stages_asked_for_and_keeps_the_history(tmp_path, monkeypatch):
    import json

    from rlgen.vlm import processor as processor_module
    from rlgen.vlm.checkpoint import load, train

    small = ["--batch", "4", "--eval-n", "20", "--out", str(tmp_path)]
    train(["--patch-steps", "1", "--encoder-steps", "1", "--joint-steps", "1", "--instruct-steps", "1", *small])
    saved = load(tmp_path)[1].tokenizer.get_vocab()
    # a newer vocabulary in the code must not reach a resumed model, whose embedding rows follow its own ids
    newer = processor_module.vocabulary()
    monkeypatch.setattr(processor_module, "vocabulary", lambda: newer[:30] + ["zzz"] + newer[30:])
    train(["--resume", "--patch-steps", "0", "--encoder-steps", "0", "--joint-steps", "0", "--instruct-steps", "0",
           "--relational-steps", "2", *small])
    record = json.loads((tmp_path / "TRAINING.json").read_text())
    assert list(record["stages"]) == ["relational"] and record["stages"]["relational"]["steps"] == 2
    assert list(record["history"][0]["stages"]) == ["patches", "encoder", "joint", "instruct"]
    assert record["total_seconds"] >= record["seconds"]
    assert load(tmp_path)[1].tokenizer.get_vocab() == saved


def test_a_description_may_list_level_shapes_in_either_order_but_no_others():
    a = scenes.Shape("circle", "red", "small", 20.0, 20.0, 8.0)
    b = scenes.Shape("square", "blue", "small", 25.0, 60.0, 8.0)  # 5 px right of a: level
    c = scenes.Shape("star", "green", "small", 70.0, 30.0, 8.0)
    scene = scenes.Scene(96, 96, "white", (255, 255, 255), (c, b, a))
    right = scenes.describe(scene)
    assert right == "three shapes: a red circle, a blue square and a green star"
    swapped = "three shapes: a blue square, a red circle and a green star"
    assert scenes.descriptions(scene) == {right, swapped}
    qa = scenes.QA("Describe the image.", right, "describe")
    assert scenes.is_right(scene, qa, "Three shapes: a blue square, a red circle and a green star.")
    assert not scenes.is_right(scene, qa, "three shapes: a green star, a red circle and a blue square")
    assert not scenes.is_right(scene, qa, "two shapes: a red circle and a blue square")
    from rlgen.vlm.evaluation import accuracy_table

    table = accuracy_table([(scene, qa)] * 2, [right, swapped])
    assert table["by_type"]["describe"] == 1.0 and table["describe_in_canonical_order"] == 0.5
    other = scenes.QA("What color is the star?", "green", "colour_of")
    assert scenes.is_right(scene, other, "Green.") and not scenes.is_right(scene, other, "red")


def test_photos_and_huge_images_are_told_apart_from_training_scenes():
    """The tiny model flags what it was not trained on instead of answering as if it understood."""
    import skimage.data

    rng = np.random.default_rng(7)
    for _ in range(40):
        assert scenes.unlike_training(scenes.render(scenes.random_scene(rng))) == []
    for name in ("astronaut", "coffee", "chelsea"):
        reasons = scenes.unlike_training(Image.fromarray(getattr(skimage.data, name)()))
        assert "photo" in dict(reasons), name
    big = scenes.render(scenes.random_scene(rng)).resize((640, 640))
    assert dict(scenes.unlike_training(big))["size"] == {"side": 640, "low": 64, "high": 160}
    assert scenes.REASONS["size"].format(side=640, low=64, high=160).startswith("it is 640 px across")
    assert scenes.unlike_training(big, scale=0.25) == []  # the resize before encoding brings it back in range
