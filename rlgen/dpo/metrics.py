"""How far the policy moved and whether it still talks: a Monte Carlo KL(π‖π_ref), distinct-n, and the
ground-truth reward of both models on held-out prompts."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from rlgen import runtime

runtime.configure_torch()

import torch  # noqa: E402
from transformers import PreTrainedModel, PreTrainedTokenizerFast  # noqa: E402

from rlgen.dpo.corpus import reward, words  # noqa: E402
from rlgen.dpo.sampling import completion_batch, sample_replies, sequence_logps  # noqa: E402


@torch.no_grad()
def log_ratios(policy: PreTrainedModel, ref: PreTrainedModel, tokenizer: PreTrainedTokenizerFast, prompts: list[str],
               replies: list[str], batch_size: int = 64) -> np.ndarray:
    """log π(y|x) − log π_ref(y|x) for each (prompt, reply)."""
    out = []
    for start in range(0, len(prompts), batch_size):
        chats = [[{"role": "user", "content": p}] for p in prompts[start:start + batch_size]]
        batch = completion_batch(tokenizer, chats, replies[start:start + batch_size])
        out.append((sequence_logps(policy, batch) - sequence_logps(ref, batch)).numpy())
    return np.concatenate(out) if out else np.zeros(0)


def kl_estimate(policy: PreTrainedModel, ref: PreTrainedModel, tokenizer: PreTrainedTokenizerFast, prompts: list[str],
                seed: int = 0, max_new_tokens: int = 64) -> tuple[float, list[str]]:
    """KL(π‖π_ref) per prompt ≈ mean over y ~ π of log π(y|x)/π_ref(y|x) (sequence level, in nats); also returns
    the sampled replies."""
    replies = [r[0] for r in sample_replies(policy, tokenizer, prompts, 1, seed=seed, max_new_tokens=max_new_tokens)]
    return float(np.mean(log_ratios(policy, ref, tokenizer, prompts, replies))), replies


def distinct_n(texts: list[str], n: int) -> float:
    """Distinct n-grams over all n-grams in the replies (Li et al. 2016): near 0 when a model repeats itself."""
    grams = [tuple(ws[i:i + n]) for ws in map(words, texts) for i in range(len(ws) - n + 1)]
    return len(set(grams)) / len(grams) if grams else 0.0


def repetition_rate(texts: list[str], n: int = 3) -> float:
    """The fraction of replies that repeat one of their own word n-grams (the degenerate "friend friend…")."""
    def repeats(ws: list[str]) -> bool:
        grams = [tuple(ws[i:i + n]) for i in range(len(ws) - n + 1)]
        return len(grams) != len(set(grams))
    return float(np.mean([repeats(words(t)) for t in texts])) if texts else 0.0


@dataclass
class Evaluation:
    prompts: int
    reward_ref: float
    reward_policy: float
    reward_ref_sem: float
    reward_policy_sem: float
    win_rate: float  # policy reply scores higher than the reference's reply to the same prompt (ties count half)
    kl: float
    distinct_1_ref: float
    distinct_2_ref: float
    distinct_1_policy: float
    distinct_2_policy: float
    repetition_ref: float
    repetition_policy: float
    mean_words_ref: float
    mean_words_policy: float

    def to_dict(self) -> dict:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}


def evaluate(policy: PreTrainedModel, ref: PreTrainedModel, tokenizer: PreTrainedTokenizerFast, prompts: list[str],
             seed: int = 0) -> tuple[Evaluation, list[str], list[str]]:
    """One sampled reply per held-out prompt from each model (temperature 1, same seed); their rewards, KL and
    distinct-n."""
    kl, mine = kl_estimate(policy, ref, tokenizer, prompts, seed=seed)
    theirs = [r[0] for r in sample_replies(ref, tokenizer, prompts, 1, seed=seed)]
    rp, rr = np.array([reward(t) for t in mine]), np.array([reward(t) for t in theirs])
    sem = lambda x: float(x.std(ddof=1) / np.sqrt(len(x))) if len(x) > 1 else 0.0  # noqa: E731
    ev = Evaluation(
        prompts=len(prompts), reward_ref=float(rr.mean()), reward_policy=float(rp.mean()), reward_ref_sem=sem(rr),
        reward_policy_sem=sem(rp), win_rate=float(np.mean((rp > rr) + 0.5 * (rp == rr))), kl=kl,
        distinct_1_ref=distinct_n(theirs, 1), distinct_2_ref=distinct_n(theirs, 2),
        distinct_1_policy=distinct_n(mine, 1), distinct_2_policy=distinct_n(mine, 2),
        repetition_ref=repetition_rate(theirs), repetition_policy=repetition_rate(mine),
        mean_words_ref=float(np.mean([len(words(t)) for t in theirs])),
        mean_words_policy=float(np.mean([len(words(t)) for t in mine])),
    )
    return ev, theirs, mine
