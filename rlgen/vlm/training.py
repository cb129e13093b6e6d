"""Training in Kimi-VL's stages, at toy scale, with ``accelerate``:

0. patch-embedding warm-up: the convolutional stem alone learns the stage-1 targets (a small CNN gets out of the
   plateau on shape faster than a whole ViT, which then starts from patch features that already know shapes);
1. encoder pre-training on image-only targets: every patch predicts what is centred in it (nothing, or a shape
   with its colour, size and exact centre) and what covers it, through a linear head dropped afterwards;
2. joint training: the projector and decoder learn to describe the image (captions);
3. instruction data: multi-turn conversations with every question type.

In stages 2 and 3 the encoder keeps training (at half the learning rate) and keeps its stage-1 targets as an
auxiliary loss: shape recognition from scratch is the slow part (a ViT plateaus near chance for hundreds of steps
before shapes "click"), so it must not stop when the decoder starts.

A small decoder left to itself learns the answer priors and ignores the image (in early trials it scored the ~43 %
a text-only model scores); the dense image-only targets of stage 1 and the captions of stage 2 make it look.

Looking is not yet comparing: questions about two shapes' places (above/below above all) stayed at chance even once
every vision token and every decoder layer's latent said where it was. Linear read-outs of the decoder's residual
stream (:meth:`CellHead.grounding_loss`) supervise the retrieval step by step: the last token of "the red circle"
should know where the red circle is, and the token that predicts the answer where both compared shapes are.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from accelerate import Accelerator
from torch import nn

from rlgen import runtime
from rlgen.errors import InputError
from rlgen.vlm import scenes
from rlgen.vlm.model import TinyKimiVLForConditionalGeneration, pixel_shuffle, routers
from rlgen.vlm.processor import (
    IM_ASSISTANT,
    IM_END,
    IM_MIDDLE,
    IM_USER,
    MEDIA_CONTENT,
    MEDIA_END,
    MEDIA_PAD,
    MEDIA_START,
    PATCH,
    KimiVLProcessor,
    preprocess,
)

IGNORE = -100


# ------------------------------------------------------------------------------------------------------------ batches

@dataclass
class Batch:
    input_ids: torch.Tensor  # (B, L), right-padded
    attention_mask: torch.Tensor
    labels: torch.Tensor  # IGNORE except on the assistant's answers and their <|im_end|>
    pixel_patches: torch.Tensor
    grid_hws: torch.Tensor
    cell_targets: torch.Tensor  # (N, 5) per patch: shape, colour, size (-1 where no shape is centred), dx, dy
    objectness: torch.Tensor  # (N,) 1 where a shape's centre falls in the patch
    cover: torch.Tensor  # (N, 2): shape and colour of the shape nearest the patch that overlaps it, else 0
    position: torch.Tensor  # (N, 2): the patch's own centre (column, row), in units of 8 patches
    # grounding (see CellHead.grounding_loss), centres in the same units as ``position``:
    ref_at: torch.Tensor  # (R, 2) (row in the batch, token) of the last token naming a shape
    ref_where: torch.Tensor  # (R, 2) that shape's centre
    focus_at: torch.Tensor  # (F, 2) (row, token) of the token that predicts an answer
    focus_where: torch.Tensor  # (F, 4) the centres of the (up to two) shapes the answer turns on
    focus_mask: torch.Tensor  # (F, 4) 1 where there is such a shape


@dataclass
class Grounding:
    """Where, in a conversation's tokens, the model should already know where a shape is."""
    refs: list[tuple[int, float, float]]  # (token, x, y in pixels)
    focus: list[tuple[int, tuple[tuple[float, float], ...]]]  # (token that predicts the answer, centres)


class Encoder:
    """Token ids of conversations in Kimi-VL's template, built from pieces (the same ids the chat template gives,
    which a test checks) so that a training step spends its time in the model, not in Jinja."""

    def __init__(self, processor: KimiVLProcessor):
        tok = processor.tokenizer
        self.tok = tok
        self.ids = {t: tok.convert_tokens_to_ids(t) for t in
                    (IM_USER, IM_ASSISTANT, IM_MIDDLE, IM_END, MEDIA_START, MEDIA_CONTENT, MEDIA_PAD, MEDIA_END)}
        self.user = [self.ids[IM_USER], *tok("user", add_special_tokens=False).input_ids, self.ids[IM_MIDDLE]]
        self.assistant = [self.ids[IM_ASSISTANT], *tok("assistant", add_special_tokens=False).input_ids,
                          self.ids[IM_MIDDLE]]
        self.image_word = tok("image", add_special_tokens=False).input_ids

    def conversation(self, turns: list[scenes.QA], image_tokens: int,
                     grounding: Grounding | None = None) -> tuple[list[int], list[int]]:
        """(ids, labels) of a conversation whose first user turn starts with the image; ``grounding``, if given,
        is filled with the token positions of the questions' grounding targets (:attr:`scenes.QA.refs`,
        :attr:`scenes.QA.focus`)."""
        ids: list[int] = []
        labels: list[int] = []
        for i, qa in enumerate(turns):
            user = list(self.user)
            if i == 0:
                user += [self.ids[MEDIA_START], *self.image_word, self.ids[MEDIA_CONTENT]]
                user += [self.ids[MEDIA_PAD]] * image_tokens + [self.ids[MEDIA_END]]
            if grounding is not None:
                for end, x, y in qa.refs:  # words are whole tokens: the prefix ends on the phrase's last token
                    prefix = len(self.tok(qa.question[:end], add_special_tokens=False).input_ids)
                    grounding.refs.append((len(ids) + len(user) + prefix - 1, x, y))
            user += self.tok(qa.question, add_special_tokens=False).input_ids + [self.ids[IM_END]]
            answer = self.tok(qa.answer, add_special_tokens=False).input_ids + [self.ids[IM_END]]
            if grounding is not None and qa.focus:
                grounding.focus.append((len(ids) + len(user) + len(self.assistant) - 1, qa.focus))
            ids += user + self.assistant + answer
            labels += [IGNORE] * (len(user) + len(self.assistant)) + answer
        return ids, labels


def cell_labels(scene: scenes.Scene, size: tuple[int, int], cell: int = PATCH) -> tuple[np.ndarray, ...]:
    """Per patch of the image as encoded at ``size``: objectness, (shape, colour, size, dx, dy) of the shape
    centred in it, (shape + 1, colour + 1) of the shape that covers it (0, 0 for background), and the patch's own
    position (so that the features say *where* as linearly as *what*: left/right, above/below and nearest all
    compare positions)."""
    sx, sy = size[0] / scene.width, size[1] / scene.height
    w, h = size[0] // cell, size[1] // cell
    objectness = np.zeros(h * w, dtype=np.int64)
    targets = np.full((h * w, 5), -1.0, dtype=np.float32)
    cover = np.zeros((h * w, 2), dtype=np.int64)
    best = np.full(h * w, np.inf)
    cols, rows = np.meshgrid(np.arange(w), np.arange(h))
    for s in scene.shapes:
        # distance from the shape's centre to each patch's square (0 inside it), in pixels
        px, py = s.x * sx, s.y * sy
        dx = np.maximum(np.abs(px - (cols + 0.5) * cell) - cell / 2, 0).ravel()
        dy = np.maximum(np.abs(py - (rows + 0.5) * cell) - cell / 2, 0).ravel()
        d = np.hypot(dx, dy)
        hit = (d < 0.7 * s.r * min(sx, sy)) & (d < best)
        cover[hit] = (scenes.SHAPES.index(s.shape) + 1, list(scenes.COLOURS).index(s.colour) + 1)
        best[hit] = d[hit]
    for s in scene.shapes:
        cx, cy = s.x * sx / cell, s.y * sy / cell
        col, row = min(int(cx), w - 1), min(int(cy), h - 1)
        i = row * w + col
        objectness[i] = 1
        targets[i] = (scenes.SHAPES.index(s.shape), list(scenes.COLOURS).index(s.colour),
                      0 if s.size == "small" else 1, cx - col - 0.5, cy - row - 0.5)
    position = np.stack([(cols.ravel() + 0.5) / 8, (rows.ravel() + 0.5) / 8], axis=1).astype(np.float32)
    return objectness, targets, cover, position


def make_batch(encoder: Encoder, rng: np.random.Generator, batch: int, turns: tuple[int, int],
               kinds: tuple[str, ...], size: tuple[int, int] | None = None) -> Batch:
    """``batch`` scenes of one size (random unless given), each with a conversation of 1..``turns[1]`` turns."""
    width, height = size or (int(rng.choice(scenes.SIDES)), int(rng.choice(scenes.SIDES)))
    seqs, labs, patches, grids, objs, cells, covers, positions = [], [], [], [], [], [], [], []
    ref_at, ref_where, focus_at, focus_where, focus_mask = [], [], [], [], []
    for row in range(batch):
        scene = scenes.random_scene(rng, width, height)
        image = preprocess(scenes.render(scene))
        qas = scenes.questions(scene, rng, int(rng.integers(turns[0], turns[1] + 1)), kinds)
        grounding = Grounding([], [])
        ids, labels = encoder.conversation(qas, image.tokens, grounding)
        # pixels of the scene -> the cell labels' units (patches of the image as encoded, / 8)
        sx, sy = image.size[0] / scene.width / (8 * PATCH), image.size[1] / scene.height / (8 * PATCH)
        for token, x, y in grounding.refs:
            ref_at.append((row, token))
            ref_where.append((x * sx, y * sy))
        for token, centres in grounding.focus:
            focus_at.append((row, token))
            flat = [v for x, y in centres[:2] for v in (x * sx, y * sy)]
            focus_where.append(flat + [0.0] * (4 - len(flat)))
            focus_mask.append([1.0] * len(flat) + [0.0] * (4 - len(flat)))
        seqs.append(ids)
        labs.append(labels)
        patches.append(image.patches)
        grids.append(image.grid)
        o, c, v, where = cell_labels(scene, image.size)
        objs.append(o)
        cells.append(c)
        covers.append(v)
        positions.append(where)
    longest = max(map(len, seqs))
    pad = encoder.tok.pad_token_id
    input_ids = torch.tensor([s + [pad] * (longest - len(s)) for s in seqs])
    labels = torch.tensor([la + [IGNORE] * (longest - len(la)) for la in labs])
    mask = torch.tensor([[1] * len(s) + [0] * (longest - len(s)) for s in seqs])
    return Batch(input_ids, mask, labels, torch.from_numpy(np.concatenate(patches)), torch.tensor(grids),
                 torch.from_numpy(np.concatenate(cells)), torch.from_numpy(np.concatenate(objs)),
                 torch.from_numpy(np.concatenate(covers)), torch.from_numpy(np.concatenate(positions)),
                 torch.tensor(ref_at, dtype=torch.long).view(-1, 2), torch.tensor(ref_where).view(-1, 2),
                 torch.tensor(focus_at, dtype=torch.long).view(-1, 2), torch.tensor(focus_where).view(-1, 4),
                 torch.tensor(focus_mask).view(-1, 4))


# ------------------------------------------------------------------------------------------------------------- losses

class CellHead(nn.Module):
    """Stage 1's linear read-out of each patch: objectness, shape, colour, size and the centre offset of a
    shape centred there, and the shape and colour of whatever covers it."""

    GROUNDED_LAYERS = (2, 3)  # the decoder layers whose outputs the grounding read-outs see

    def __init__(self, dim: int, token_dim: int, latent_dim: int = 0, layers: int = 0):
        super().__init__()
        n_s, n_c = len(scenes.SHAPES), len(scenes.COLOURS)
        self.sizes = [2, n_s, n_c, 2, 2, n_s + 1, n_c + 1, 2]
        self.linear = nn.Linear(dim, sum(self.sizes))
        self.token_where = nn.Linear(token_dim, 2)
        self.latent_where = nn.ModuleList(nn.Linear(latent_dim, 2) for _ in range(layers))
        grounded = [n for n in self.GROUNDED_LAYERS if n <= layers]
        self.ref_where = nn.ModuleList(nn.Linear(token_dim, 2) for _ in grounded)
        self.focus_where = nn.ModuleList(nn.Linear(token_dim, 4) for _ in grounded)
        for where in (self.token_where, *self.latent_where, *self.ref_where, *self.focus_where):
            # zero: no pull on a trained model until they learn
            nn.init.zeros_(where.weight)
            nn.init.zeros_(where.bias)

    @classmethod
    def for_model(cls, model: TinyKimiVLForConditionalGeneration) -> CellHead:
        text = model.config.text_config
        return cls(model.config.vision_config.hidden_size, text.hidden_size, text.kv_lora_rank, text.num_hidden_layers)

    def token_loss(self, projected: torch.Tensor, batch: Batch, merge: int,
                   latents: list[torch.Tensor] = ()) -> tuple[torch.Tensor, dict]:
        """Where each projected vision token (the decoder's input) sits, read out linearly, and the same from each
        decoder layer's compressed key-value latent of the vision tokens (``latents``: MLA attention reads a
        token through that latent alone). The trap it closes, measured on the model trained without it: an
        object's row is linear in the encoder's features (R^2 0.79) but not after the projector (0.11; the
        column 0.81), since captions list shapes left to right; with the projector made to keep it (0.59), the
        decoder's 32-d latents still dropped it (0.14). Above/below sat at chance through 8,000 steps of
        questions about it: the decoder cannot learn to read what its input lacks, and nothing pulls the input
        to keep what the decoder does not yet read."""
        target = pixel_shuffle(batch.position, batch.grid_hws, merge).view(len(projected), -1, 2).mean(1)
        error = F.mse_loss(self.token_where(projected), target)
        metrics = {"token_where_rmse_patches": 8 * error.item() ** 0.5}
        if len(latents):
            latent = torch.stack([F.mse_loss(head(z), target) for head, z in zip(self.latent_where, latents)]).mean()
            metrics["latent_where_rmse_patches"] = 8 * latent.item() ** 0.5
            error = error + latent
        return 4 * error, metrics

    def grounding_loss(self, hidden_states: tuple[torch.Tensor, ...], batch: Batch) -> tuple[torch.Tensor, dict]:
        """Where the shapes a question is about are, read out linearly from the decoder's residual stream after
        layers 2 and 3: at the last token of each phrase that names a shape ("the red circle"), that shape's
        centre; at the token that predicts the answer, the centres of the shapes the answer turns on (the two
        compared, or the one and its nearest or farthest). The answer alone ("yes"/"no", the comparison XOR the
        wording) gave the decoder no gradient towards fetching the rows: above/below sat at chance with the row in
        the vision tokens and in every layer's latents. These read-outs ask for each step of the retrieval."""
        losses, metrics = [], {}
        if len(batch.ref_at):
            rows, tokens = batch.ref_at.unbind(1)
            for head, n in zip(self.ref_where, self.GROUNDED_LAYERS):
                losses.append(F.mse_loss(head(hidden_states[n][rows, tokens]), batch.ref_where))
            metrics["ref_where_rmse_patches"] = 8 * losses[-1].item() ** 0.5
        if len(batch.focus_at):
            rows, tokens = batch.focus_at.unbind(1)
            weight = batch.focus_mask.sum().clamp(min=1)
            for head, n in zip(self.focus_where, self.GROUNDED_LAYERS):
                error = (head(hidden_states[n][rows, tokens]) - batch.focus_where) ** 2
                losses.append((error * batch.focus_mask).sum() / weight)
            metrics["focus_where_rmse_patches"] = 8 * losses[-1].item() ** 0.5
        if not losses:
            return hidden_states[0].new_zeros(()), metrics
        return 4 * torch.stack(losses).mean(), metrics

    def loss(self, features: torch.Tensor, batch: Batch) -> tuple[torch.Tensor, dict]:
        obj, shape, colour, size, offset, cover_shape, cover_colour, where = \
            self.linear(features).split(self.sizes, dim=-1)
        has = batch.objectness.bool()
        t = batch.cell_targets
        loss = F.cross_entropy(obj, batch.objectness)
        loss = loss + F.cross_entropy(cover_shape, batch.cover[:, 0]) + F.cross_entropy(cover_colour, batch.cover[:, 1])
        loss = loss + 4 * F.mse_loss(where, batch.position)
        found = obj.argmax(-1).bool()
        metrics = {"objectness_f1": (2 * (found & has).sum() / (found.sum() + has.sum()).clamp(min=1)).item()}
        if has.any():
            # shape is the hard, slow attribute: weighted up
            loss = loss + 2 * F.cross_entropy(shape[has], t[has, 0].long())
            loss = loss + F.cross_entropy(colour[has], t[has, 1].long())
            loss = loss + F.cross_entropy(size[has], t[has, 2].long()) + 4 * F.mse_loss(offset[has], t[has, 3:])
            metrics["shape_acc"] = (shape[has].argmax(-1) == t[has, 0].long()).float().mean().item()
            metrics["colour_acc"] = (colour[has].argmax(-1) == t[has, 1].long()).float().mean().item()
        return loss, metrics


class RouterBalance:
    """DeepSeek-V3's auxiliary-loss-free balancing: after each step, each router's expert bias moves by ``rate``
    towards the under-loaded experts (b_i += rate * sign(mean load - load_i)); backprop never touches it."""

    def __init__(self, model: TinyKimiVLForConditionalGeneration, rate: float = 1e-3):
        self.rate = rate
        self.loads: dict[int, torch.Tensor] = {}
        self.gates = routers(model)
        self.handles = [gate.register_forward_hook(self._hook(layer)) for layer, gate in self.gates]

    def close(self) -> None:
        for handle in self.handles:
            handle.remove()

    def _hook(self, layer: int):
        def record(module, inputs, outputs):
            if module.training:
                counts = torch.bincount(outputs[2].reshape(-1), minlength=module.num_experts).float()
                self.loads[layer] = self.loads.get(layer, 0) + counts
        return record

    def step(self) -> float:
        """Apply the update; returns the worst max/mean load ratio (1.0 = perfectly balanced)."""
        worst = 1.0
        with torch.no_grad():
            for layer, gate in self.gates:
                load = self.loads.pop(layer, None)
                if load is None:
                    continue
                gate.e_score_correction_bias += self.rate * torch.sign(load.mean() - load)
                worst = max(worst, float(load.max() / load.mean().clamp(min=1)))
        return worst


# ------------------------------------------------------------------------------------------------------------- stages

STAGES = ("patches", "encoder", "joint", "instruct")


def _parameter_groups(model: TinyKimiVLForConditionalGeneration, head: CellHead, stage: str, lr: float) -> list:
    """What a stage trains: the patch embedding (patches), the vision tower (encoder), or everything with the
    vision side at half the learning rate (joint, instruct); the read-out head always."""
    vision = list(model.vision_tower.parameters()) + list(head.parameters())
    if stage == "patches":
        return [{"params": list(model.vision_tower.patch_embed.parameters()) + list(head.parameters()), "lr": lr}]
    if stage == "encoder":
        return [{"params": vision, "lr": lr}]
    rest = list(model.multi_modal_projector.parameters()) + list(model.language_model.parameters())
    return [{"params": rest, "lr": lr}, {"params": vision, "lr": lr * 0.5}]


def _answer_losses(net: TinyKimiVLForConditionalGeneration, head: CellHead, b, patches: torch.Tensor,
                   latents: list[torch.Tensor], grounding: float, metrics: dict) -> tuple[torch.Tensor, torch.Tensor]:
    """(the decoder's loss on the answers, the read-out loss of where each image token's latent points), for the
    stages that train the language model; ``latents`` are filled by hooks during the forward pass and
    ``metrics`` gains token accuracy and the read-outs' figures."""
    merge = net.config.vision_config.merge_kernel_size[0]
    rank = net.config.text_config.kv_lora_rank
    projected = net.multi_modal_projector(pixel_shuffle(patches, b.grid_hws, merge))
    embeds = net.embed(b.input_ids, projected=projected)
    out = net.language_model(inputs_embeds=embeds, attention_mask=b.attention_mask, labels=b.labels,
                             output_hidden_states=grounding > 0)
    slots = b.input_ids == net.config.media_placeholder_token_id
    where, where_metrics = head.token_loss(projected, b, merge, [z[slots][:, :rank] for z in latents])
    metrics.update(where_metrics)
    if grounding > 0:
        grounded, grounded_metrics = head.grounding_loss(out.hidden_states, b)
        metrics.update(grounded_metrics)
        where = where + grounding * grounded
    answer = b.labels[:, 1:] != IGNORE
    predicted = out.logits[:, :-1].argmax(-1)
    metrics["token_acc"] = (predicted[answer] == b.labels[:, 1:][answer]).float().mean().item()
    return out.loss, where


@dataclass
class StageFrame:
    stage: str
    step: int
    steps: int
    loss: float
    metrics: dict
    seconds: float


def _optimiser(groups: list[dict], steps: int) -> tuple[torch.optim.Optimizer, torch.optim.lr_scheduler.LambdaLR]:
    """AdamW over ``groups`` with a linear warm-up, then cosine decay to a tenth of the peak over ``steps``."""
    opt = torch.optim.AdamW(groups, weight_decay=0.01)
    warmup = min(100, steps // 10 + 1)
    schedule = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / warmup) * (
        0.1 + 0.45 * (1 + math.cos(math.pi * min(1.0, s / max(1, steps))))))
    return opt, schedule


def _stage_loss(net, head: CellHead, stage: str, b, latents: list[torch.Tensor], grounding: float,
                aux_weight: float) -> tuple[torch.Tensor, dict]:
    """One batch's loss in ``stage``: the read-out's on the patches (stage 1: the patch embedding alone), and from
    the joint stage on the answers' language loss with the read-out (and grounding) as an auxiliary."""
    if stage == "patches":
        grids = [tuple(g) for g in b.grid_hws.tolist()]
        patches = F.gelu(net.vision_tower.patch_embed(b.pixel_patches, grids))
    else:
        patches = net.vision_tower(b.pixel_patches, b.grid_hws)
    loss, metrics = head.loss(patches, b)
    if stage in ("joint", "instruct"):
        latents.clear()
        language, where = _answer_losses(net, head, b, patches, latents, grounding, metrics)
        loss = language + aux_weight * (loss + where)
    return loss, metrics


def train_stage(model: TinyKimiVLForConditionalGeneration, processor: KimiVLProcessor, stage: str, steps: int,
                batch: int = 32, lr: float = 2e-3, seed: int = 0, log_every: int = 25,
                log: Callable[[str], None] = print, head: CellHead | None = None, aux_weight: float = 0.5,
                kinds: tuple[str, ...] | None = None, grounding: float = 0.0):
    """A generator of :class:`StageFrame` s for one stage; the model (and ``head``, the stage-1 read-out, which
    later stages keep as an auxiliary loss with ``aux_weight``) is trained in place. ``kinds`` overrides the
    question kinds drawn in the instruct stage (a kind listed twice is asked twice as often); ``grounding`` weighs
    :meth:`CellHead.grounding_loss` (0: off)."""
    if stage not in STAGES:
        raise InputError("Unknown stage {stage!r}; the stages are: {stages}.", stage=stage, stages=', '.join(STAGES))
    runtime.configure_torch()
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    accelerator = Accelerator(cpu=not torch.cuda.is_available())
    encoder = Encoder(processor)
    head = head or CellHead.for_model(model)
    groups = _parameter_groups(model, head, stage, lr)
    opt, schedule = _optimiser(groups, steps)
    model, opt = accelerator.prepare(model, opt)
    balance = RouterBalance(accelerator.unwrap_model(model)) if stage in ("joint", "instruct") else None
    kinds = ("describe",) if stage == "joint" else kinds or scenes.QUESTION_TYPES
    turns = (1, 1) if stage == "joint" else (1, 6)
    latents: list[torch.Tensor] = []  # each decoder layer's compressed key-value latents, from hooks
    net = accelerator.unwrap_model(model)
    hooks = [layer.self_attn.kv_a_proj_with_mqa.register_forward_hook(lambda m, i, out: latents.append(out))
             for layer in net.language_model.model.layers] if stage in ("joint", "instruct") else []
    model.train()
    start = time.perf_counter()
    history: list[float] = []
    metrics: dict = {}
    try:
        for step in range(1, steps + 1):
            b = make_batch(encoder, rng, batch, turns, kinds)
            loss, metrics = _stage_loss(net, head, stage, b, latents, grounding, aux_weight)
            opt.zero_grad(set_to_none=True)
            accelerator.backward(loss)
            torch.nn.utils.clip_grad_norm_([p for g in groups for p in g["params"]], 1.0)
            opt.step()
            schedule.step()
            if balance is not None:
                metrics["expert_load_max_over_mean"] = balance.step()
            history.append(loss.item())
            if step % log_every == 0 or step == steps:
                seconds = time.perf_counter() - start
                mean = float(np.mean(history[-log_every:]))
                log(f"{stage} step {step}/{steps} loss {mean:.4f} " +
                    " ".join(f"{k} {v:.3f}" for k, v in metrics.items()) + f" {seconds:.0f}s")
                yield StageFrame(stage, step, steps, mean, dict(metrics), seconds)
    finally:  # also when the caller stops early: no hook left recording on the model
        if balance is not None:
            balance.close()
        for hook in hooks:
            hook.remove()
    model.eval()
