"""Best-of-N sampling: draw N replies from π_ref, keep the one the reward model scores highest. No training at all,
and still a point on the reward-vs-KL frontier: the best-of-N policy's KL to π_ref is at most
log N − (N − 1)/N nats (Stiennon et al. 2020; Beirami et al. 2024 show the bound is tight for distinct replies).

Each prompt gets M ≥ N replies once; the expected reward of best-of-N for every N ≤ M is read off them with the
unbiased order-statistics estimator: sort the M replies by reward-model score, s_(1) ≤ … ≤ s_(M); the i-th is
the best of a random N-subset with probability C(i − 1, N − 1) / C(M, N) (Nakano et al. 2021; Gao et al. 2023)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
from transformers import LlamaForSequenceClassification, PreTrainedModel, PreTrainedTokenizerFast

from rlgen.dpo.corpus import reward
from rlgen.dpo.sampling import sample_replies
from rlgen.dpo.training import reward_model_scores
from rlgen.errors import InputError

MAX_N = 64
NS = (1, 2, 4, 8, 16, 32, 64)


def kl_bound(n: int) -> float:
    """KL(π_best-of-N ‖ π_ref) ≤ log N − (N − 1)/N, in nats."""
    return math.log(n) - (n - 1) / n


def best_of_n_weights(m: int, n: int) -> np.ndarray:
    """P(the i-th smallest of m scores is the largest of a uniformly random n-subset), i = 1..m."""
    if not 1 <= n <= m:
        raise InputError("N must lie between 1 and the {m} replies sampled per prompt (got {n}).", m=m, n=n)
    total = math.comb(m, n)
    return np.array([math.comb(i - 1, n - 1) / total for i in range(1, m + 1)])


def expected_best_of_n(scores: np.ndarray, values: np.ndarray, n: int) -> float:
    """E[value of the reply with the highest score among n drawn without replacement from the m given], averaged
    over prompts. ``scores`` and ``values`` are [prompt, reply] arrays."""
    scores, values = np.atleast_2d(scores), np.atleast_2d(values)
    order = np.argsort(scores, axis=1, kind="stable")
    ranked = np.take_along_axis(values, order, axis=1)
    return float((ranked @ best_of_n_weights(scores.shape[1], n)).mean())


def check_ns(ns: tuple[int, ...] | list[int]) -> tuple[int, ...]:
    ns = tuple(int(n) for n in ns)
    if not ns:
        raise InputError("Give at least one N for best-of-N.")
    for n in ns:
        if not 1 <= n <= MAX_N:
            raise InputError("Best-of-N takes N from 1 to {max_n} (got {n}): each prompt is sampled {max_n} times "
                             "at most.", max_n=MAX_N, n=n)
    return tuple(sorted(set(ns)))


@dataclass
class BestOfNFrame:
    """The replies scored so far (``done`` of ``total`` prompts) and the best-of-N curve over them."""

    done: int
    total: int
    ns: tuple[int, ...]
    rm_scores: list[list[float]] = field(default_factory=list)  # [prompt][reply]
    rewards: list[list[float]] = field(default_factory=list)  # ground truth, same shape
    examples: list[dict] = field(default_factory=list)  # the first prompt's replies, best by r_φ first

    @property
    def step(self) -> int:
        return self.done

    def curve(self) -> list[dict]:
        """For each N: KL bound, expected ground-truth reward and expected reward-model score of best-of-N."""
        if not self.rm_scores:
            return []
        scores, values = np.array(self.rm_scores), np.array(self.rewards)
        return [{"n": n, "kl": kl_bound(n), "reward": expected_best_of_n(scores, values, n),
                 "rm_score": expected_best_of_n(scores, scores, n)} for n in self.ns]


def best_of_n(ref: PreTrainedModel, tokenizer: PreTrainedTokenizerFast, reward_model: LlamaForSequenceClassification,
              prompts: list[str], ns: tuple[int, ...] = NS, seed: int = 0, chunk: int = 4,
              max_new_tokens: int = 64) -> Iterator[BestOfNFrame]:
    """Sample max(ns) replies per prompt from π_ref (temperature 1), score each with the reward model and the
    ground truth, and yield the curve after every ``chunk`` prompts."""
    ns = check_ns(ns)
    if not prompts:
        raise InputError("There are no prompts to sample.")
    m = max(ns)
    frame = BestOfNFrame(0, len(prompts), ns)
    for start in range(0, len(prompts), chunk):
        batch = prompts[start:start + chunk]
        replies = sample_replies(ref, tokenizer, batch, m, seed=seed + start, max_new_tokens=max_new_tokens)
        for prompt, options in zip(batch, replies):
            scores = reward_model_scores(reward_model, tokenizer, [[{"role": "user", "content": prompt}]] * m, options)
            frame.rm_scores.append(scores)
            frame.rewards.append([reward(r) for r in options])
            if not frame.examples:
                frame.examples = sorted(({"prompt": prompt, "reply": r, "rm": round(s, 3), "reward": reward(r)}
                                         for r, s in zip(options, scores)), key=lambda e: -e["rm"])
        frame.done = min(len(prompts), start + chunk)
        yield frame
