"""Next-token logits for several chat columns decoding together. Two implementations of one small interface
(`start` with each column's prompt, then `step` with each column's new token):

- :class:`StackedLlama` — the tiny Llama's own weights, stacked over the columns' models (π_ref and the policy
  share one architecture) so that every column advances in one batched computation: `bmm` over stacked weights,
  preallocated key/value tensors, a precomputed RoPE table, and the RMSNorm weights folded into the matrices
  that follow them. About 60 tensor operations per token for all columns together, against several hundred
  module calls per column through transformers (the side-by-side chat shares one CPU thread).
- :class:`CachedForward` — any `PreTrainedModel` through its own forward with a `DynamicCache`, one column per
  model: the generic path (real 7B pairs on a GPU host, other architectures, other dtypes).

`column_decoder(models)` picks the first when every model allows it. Both are exact: tests compare their logits
with `LlamaForCausalLM`'s forward."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass

from rlgen import runtime

runtime.configure_torch()

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from transformers import DynamicCache, LlamaForCausalLM, PreTrainedModel  # noqa: E402

from rlgen.errors import InputError  # noqa: E402


def _shape(model: PreTrainedModel) -> tuple:
    c = model.config
    return (c.vocab_size, c.hidden_size, c.intermediate_size, c.num_hidden_layers, c.num_attention_heads,
            c.rms_norm_eps, c.rope_parameters.get("rope_theta"), c.max_position_embeddings)


def stackable(models: list[PreTrainedModel]) -> bool:
    """True when :class:`StackedLlama` computes exactly what these models' forwards compute: plain Llamas in
    float32 on the CPU (no biases, SiLU MLP, default RoPE, one key/value head per query head) of one shape."""
    for model in models:
        c = model.config
        if not (type(model) is LlamaForCausalLM and model.device.type == "cpu" and model.dtype == torch.float32
                and not c.attention_bias and not c.mlp_bias and c.hidden_act == "silu"
                and getattr(c, "pretraining_tp", 1) == 1
                and (c.rope_parameters or {}).get("rope_type", "default") == "default"
                and c.num_key_value_heads == c.num_attention_heads
                and c.head_dim * c.num_attention_heads == c.hidden_size):
            return False
    return len({_shape(m) for m in models}) == 1


def _rotate_half_rows(weight: torch.Tensor, heads: int) -> torch.Tensor:
    """Rows R·W such that (R·W)x = rotate_half(Wx) per head: rotate_half(u) = (−u₂, u₁) for u = (u₁, u₂)."""
    w = weight.view(heads, -1, weight.shape[1])
    half = w.shape[1] // 2
    return torch.cat((-w[:, half:], w[:, :half]), dim=1).reshape_as(weight)


@dataclass(frozen=True)
class StackedWeights:
    """The columns' Llamas as stacked tensors (index 0 … M−1 along the first axis), prepared for decoding."""

    embed: torch.Tensor  # [M·V, d]: row m·V + token
    layers: list[tuple[torch.Tensor, ...]]  # per layer: W_qkv [M, d, 5d], W_o [M, d, d], W_gu [M, d, 2I], W_d [M, I, d]
    head: torch.Tensor  # [M, d, V]
    cos: torch.Tensor  # [T, D], the models' own RoPE table
    sin: torch.Tensor


@torch.no_grad()
def _stack(models: list[LlamaForCausalLM], length: int) -> StackedWeights:
    heads = models[0].config.num_attention_heads

    def fused(m: LlamaForCausalLM, i: int) -> tuple:
        layer = m.model.layers[i]
        a, mlp = layer.self_attn, layer.mlp
        q, k = a.q_proj.weight, a.k_proj.weight
        # RMSNorm(x)·W = x̂·(W·diag(w)): the norm's weight folds into the columns of the next matrices
        qkv = torch.cat((q, k, a.v_proj.weight, _rotate_half_rows(q, heads), _rotate_half_rows(k, heads)))
        gate_up = torch.cat((mlp.gate_proj.weight, mlp.up_proj.weight)) * layer.post_attention_layernorm.weight
        return (qkv * layer.input_layernorm.weight).T, a.o_proj.weight.T, gate_up.T, mlp.down_proj.weight.T

    layers = []
    for i in range(models[0].config.num_hidden_layers):
        parts = [fused(m, i) for m in models]
        layers.append(tuple(torch.stack([p[j] for p in parts]).contiguous() for j in range(4)))
    embed = torch.cat([m.model.embed_tokens.weight for m in models])
    head = torch.stack([(m.lm_head.weight * m.model.norm.weight).T for m in models]).contiguous()
    cos, sin = models[0].model.rotary_emb(embed, torch.arange(length)[None])
    return StackedWeights(embed, layers, head, cos[0], sin[0])


_STACKS: OrderedDict[tuple, tuple[list[weakref.ref], tuple, StackedWeights]] = OrderedDict()
_STACKS_LOCK = threading.Lock()  # shared by every session's chat turns


def _signature(models: list[PreTrainedModel]) -> tuple | None:
    """Changes whenever a parameter is replaced or modified in place (each in-place op bumps `_version`); None
    for weights made under `inference_mode`, which keep no version counter (never cached, then)."""
    params = [p for m in models for p in m.parameters()]
    return None if any(p.is_inference() for p in params) else tuple((p.data_ptr(), p._version) for p in params)


def stacked_weights(models: list[LlamaForCausalLM], length: int) -> StackedWeights:
    """The stacked weights of these models, prepared once and reused while none of the models changes (a chat
    turn with the shipped pair then starts without re-stacking ~8 MB; a retrained policy gets fresh ones)."""
    key = (*map(id, models), length)
    signature = _signature(models)
    if signature is None:
        return _stack(models, length)
    with _STACKS_LOCK:
        hit = _STACKS.get(key)
        if hit is not None and [r() for r in hit[0]] == list(models) and hit[1] == signature:
            _STACKS.move_to_end(key)
            return hit[2]
        weights = _stack(models, length)
        _remember(key, models, signature, weights)
    return weights


def _remember(key: tuple, models: list[LlamaForCausalLM], signature: tuple, weights: StackedWeights) -> None:
    """Keep ``weights`` under ``key`` (call with ``_STACKS_LOCK`` held), dropping entries nobody can hit again."""
    for stale in [k for k, (refs, _, _) in _STACKS.items() if any(r() is None for r in refs)]:
        del _STACKS[stale]  # a policy nobody holds any more
    _STACKS[key] = ([weakref.ref(m) for m in models], signature, weights)
    while len(_STACKS) > 4:  # a few pairs at most: the shipped one and people's latest policies
        _STACKS.popitem(last=False)


class StackedLlama:
    """One decoding session over :class:`StackedWeights` with its own key/value cache. Column m attends only
    to its own keys, at its own positions."""

    def __init__(self, models: list[LlamaForCausalLM], length: int):
        if not stackable(models):
            raise InputError("StackedLlama needs float32 CPU Llamas of one shape; use CachedForward.")
        config = models[0].config
        self.heads, self.head_dim = config.num_attention_heads, config.head_dim
        self.hidden, self.vocab, self.eps = config.hidden_size, config.vocab_size, config.rms_norm_eps
        self.length = length
        w = stacked_weights(models, length)
        self.embed, self.layers, self.head, self.cos, self.sin = w.embed, w.layers, w.head, w.cos, w.sin
        shape = (config.num_hidden_layers, len(models), self.heads, length, self.head_dim)
        self.keys, self.values = torch.zeros(shape), torch.zeros(shape)  # zeros: masked slots must not be NaN
        self.offsets = (torch.arange(len(models)) * self.vocab)[:, None]
        self.positions: list[int] = []

    def forward(self, rows: slice, tokens: torch.Tensor, positions: torch.Tensor, span: int) -> torch.Tensor:
        """Logits [B, V] of the last position, for columns ``rows`` (B of them) fed ``tokens`` [B, S] at
        ``positions`` [B, S]; keys and values land in the cache; attention reads its first ``span`` slots."""
        batch, seq = tokens.shape
        heads, dim, hidden = self.heads, self.head_dim, self.hidden
        column = torch.arange(rows.start, rows.stop)[:, None].expand(batch, seq)
        x = F.embedding(tokens + self.offsets[rows], self.embed)
        cos = self.cos[positions].view(batch, seq, 1, 1, dim)
        sin = self.sin[positions].view(batch, seq, 1, 1, dim)
        visible = (torch.arange(span) <= positions[:, :, None]).unsqueeze(1)  # [B, 1, S, span]: causal, own slots
        for i, (qkv_w, o_w, gate_up_w, down_w) in enumerate(self.layers):
            qkv = torch.bmm(F.rms_norm(x, (hidden,), eps=self.eps), qkv_w[rows]).view(batch, seq, 5, heads, dim)
            qk = torch.addcmul(qkv[:, :, :2] * cos, qkv[:, :, 3:], sin)  # RoPE: u·cos θ + rotate_half(u)·sin θ
            self.keys[i][column, :, positions] = qk[:, :, 1]
            self.values[i][column, :, positions] = qkv[:, :, 2]
            attended = F.scaled_dot_product_attention(qk[:, :, 0].transpose(1, 2), self.keys[i][rows, :, :span],
                                                      self.values[i][rows, :, :span], attn_mask=visible)
            x = torch.baddbmm(x, attended.transpose(1, 2).reshape(batch, seq, hidden), o_w[rows])  # x + attn·Wₒ
            gate, up = torch.bmm(F.rms_norm(x, (hidden,), eps=self.eps), gate_up_w[rows]).chunk(2, dim=-1)
            x = torch.baddbmm(x, F.silu(gate) * up, down_w[rows])  # x + (SiLU(x·W_g) ⊙ x·W_u)·W_d
        last = F.rms_norm(x[:, -1:], (hidden,), eps=self.eps)
        return torch.bmm(last, self.head[rows])[:, 0]

    def start(self, prompts: list[list[int]]) -> torch.Tensor:
        """Each column reads its own prompt (lengths differ, so one forward each); next-token logits [M, V]."""
        rows = []
        for m, ids in enumerate(prompts):
            if not 0 < len(ids) < self.length:
                raise InputError("A prompt of {n_ids} tokens does not fit a context of {length}.",
                                 n_ids=len(ids), length=self.length)
            positions = torch.arange(len(ids))[None]
            rows.append(self.forward(slice(m, m + 1), torch.tensor([ids]), positions, len(ids)))
        self.positions = [len(ids) for ids in prompts]
        return torch.cat(rows)

    def step(self, tokens: list[int], active: list[bool]) -> torch.Tensor:
        """Every column takes its token at its next position in one batched forward; a finished column
        (``active`` False) stays where it is and its logits are to be ignored."""
        positions = list(self.positions)
        self.positions = [p + a for p, a in zip(positions, active)]
        if max(positions) >= self.length:
            raise InputError("The context of {length} tokens is full.", length=self.length)
        return self.forward(slice(0, len(tokens)), torch.tensor(tokens)[:, None], torch.tensor(positions)[:, None],
                            max(positions) + 1)


class CachedForward:
    """One `PreTrainedModel` per column through its own forward, each with its own `DynamicCache`."""

    def __init__(self, models: list[PreTrainedModel]):
        self.models = [m.eval() for m in models]
        self.caches = [DynamicCache() for _ in models]
        self.rows: list[torch.Tensor] = []

    def _next(self, m: int, ids: list[int]) -> torch.Tensor:
        model = self.models[m]
        out = model(input_ids=torch.tensor([ids], device=model.device), cache=self.caches[m], use_cache=True,
                    logits_to_keep=1)  # only the next token's logits
        return out.logits[0, -1].float().cpu()  # sampling happens on the CPU with the CPU generator

    def start(self, prompts: list[list[int]]) -> torch.Tensor:
        self.rows = [self._next(m, ids) for m, ids in enumerate(prompts)]
        return torch.stack(self.rows)

    def step(self, tokens: list[int], active: list[bool]) -> torch.Tensor:
        self.rows = [self._next(m, [t]) if a else row for m, (t, a, row) in enumerate(zip(tokens, active, self.rows))]
        return torch.stack(self.rows)


def column_decoder(models: list[PreTrainedModel], length: int, stacked: bool = True) -> StackedLlama | CachedForward:
    """The stacked decoder where it computes the same as the models' forwards (unless ``stacked`` is False, for
    comparisons), the generic one elsewhere."""
    return StackedLlama(models, length) if stacked and stackable(models) else CachedForward(models)
