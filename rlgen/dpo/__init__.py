"""DPO on a chat model small enough for a CPU: corpus and ground-truth reward (`corpus`), tokenizer and tiny Llama
(`lm`), sampling and log-probabilities (`sampling`), SFT → pairs → reward model → DPO (`training`), our readable
loss (`loss`), KL and distinct-n (`metrics`), the side-by-side arena (`arena`), the shipped checkpoint (`checkpoint`),
RLHF beside it — RLOO/GRPO through TRL from the reward model (`rlhf`), best-of-N (`best_of_n`), preferred-FT
(`preferred_ft`) — the reward-vs-KL frontier of every method (`frontier`), real allow-listed pairs (`real`) and
figures (`figures`). No gradio here.

The names most callers need are importable from the package itself (loaded on first use, so that importing
`rlgen.dpo.corpus` alone does not load torch)."""

from __future__ import annotations

import importlib

_EXPORTS = {
    "load_pair": "rlgen.dpo.checkpoint", "chat": "rlgen.dpo.sampling", "stream_chat": "rlgen.dpo.sampling",
    "implicit_reward": "rlgen.dpo.sampling", "reward": "rlgen.dpo.corpus", "dpo_loss": "rlgen.dpo.loss",
    "kl_estimate": "rlgen.dpo.metrics", "distinct_n": "rlgen.dpo.metrics", "train_dpo": "rlgen.dpo.training",
    "train_rl": "rlgen.dpo.rlhf", "best_of_n": "rlgen.dpo.best_of_n", "preferred_ft": "rlgen.dpo.preferred_ft",
    "side_by_side": "rlgen.dpo.arena", "score_reply": "rlgen.dpo.arena",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'rlgen.dpo' has no attribute {name!r}")
