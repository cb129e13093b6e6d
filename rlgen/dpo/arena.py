"""The arena behind the tab: the same conversation sent to π_ref and to the DPO policy with the same sampling
settings and seed, both streamed together; the scores under each reply; and a person's votes turned into
preference pairs for a short DPO round."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from transformers import PreTrainedModel, PreTrainedTokenizerBase

from rlgen.dpo.corpus import reward, scored_words
from rlgen.dpo.sampling import reply_logp, stream_columns
from rlgen.dpo.training import Pair
from rlgen.errors import InputError

CHOICES = ("left", "right", "tie")
MAX_VOTES = 200


@dataclass
class ReplyScore:
    reward: float  # the ground truth: Σ lexicon valences
    logp_policy: float  # log π(y|x), summed over the reply's tokens (its end token included)
    logp_ref: float  # log π_ref(y|x)
    implicit_reward: float  # β·(log π − log π_ref)
    scored_words: list[tuple[str, float]] = field(default_factory=list)

    def line(self, beta: float, text: Callable[..., str] = str.format) -> str:
        """The line under the reply; ``text(template, **values)`` fills it (the UI passes one that translates)."""
        words = ", ".join(f"{w} {v:+g}" for w, v in self.scored_words) or text("no lexicon words")
        return text(SCORE_LINE, reward=self.reward, words=words, logp=self.logp_policy, logp_ref=self.logp_ref,
                    implicit=self.implicit_reward, beta=beta)


SCORE_LINE = ("reward **{reward:+g}** ({words}) · log π {logp:.1f} · log π_ref {logp_ref:.1f} · "
              "β·log π/π_ref **{implicit:+.2f}** (β={beta:g})")


def score_reply(policy: PreTrainedModel, ref: PreTrainedModel, tokenizer: PreTrainedTokenizerBase,
                messages: list[dict], reply: str, beta: float) -> ReplyScore:
    """The numbers under a reply: the ground-truth reward and both models' log-probabilities of it."""
    logp_policy = reply_logp(policy, tokenizer, messages, reply)
    logp_ref = reply_logp(ref, tokenizer, messages, reply)
    return ReplyScore(reward(reply), logp_policy, logp_ref, beta * (logp_policy - logp_ref), scored_words(reply))


@dataclass
class ArenaStep:
    left: str
    right: str
    left_done: bool
    right_done: bool
    first_token_s: float | None  # seconds until both columns showed their first token
    seconds: float
    tokens: tuple[int, int]


def side_by_side(ref: PreTrainedModel, policy: PreTrainedModel, tokenizer: PreTrainedTokenizerBase,
                 left_messages: list[dict], right_messages: list[dict], temperature: float, top_p: float,
                 max_new_tokens: int, seed: int, stacked: bool = True) -> Iterator[ArenaStep]:
    """Both models answer, one token each per round, with the same settings and the same seed: the left column is
    π_ref (the SFT model), the right the DPO policy. Each reply is the one its model gives alone with this seed.
    Two tiny Llamas decode as one batched computation; ``stacked=False`` forces the generic path."""
    start = time.perf_counter()
    first = None
    counts = [0, 0]
    for left, right in stream_columns([ref, policy], tokenizer, [left_messages, right_messages], temperature,
                                      top_p, max_new_tokens, seed, stacked):
        counts = [c + (not s.done) for c, s in zip(counts, (left, right))]
        if first is None:  # the first round gives both columns their first token (or their end)
            first = time.perf_counter() - start
        yield ArenaStep(left.text, right.text, left.done, right.done, first, time.perf_counter() - start,
                        (counts[0], counts[1]))


def vote_pair(prompt: str, left: str, right: str, choice: str) -> Pair | None:
    """A person's vote as a preference pair (a tie gives none); rewards hold the ground truth for display."""
    if choice not in CHOICES:
        raise InputError("A vote is one of {choices} (got {choice!r}).", choices=', '.join(CHOICES), choice=choice)
    if not left.strip() or not right.strip():
        raise InputError("Both columns need a reply before you can vote: send a prompt first.")
    if choice == "tie" or left == right:
        return None
    chosen, rejected = (left, right) if choice == "left" else (right, left)
    return Pair(prompt, chosen, rejected, reward(chosen), reward(rejected))


def add_vote(votes: list[Pair], pair: Pair | None) -> list[Pair]:
    if len(votes) >= MAX_VOTES:
        raise InputError("You have {max_votes} votes, the cap: train on them, or reload the page to start over.",
                         max_votes=MAX_VOTES)
    return [*votes, pair] if pair is not None else list(votes)


def votes_agreeing(votes: list[Pair]) -> float | None:
    """The share of a person's votes that the ground-truth reward agrees with (ties in reward count half)."""
    if not votes:
        return None
    return sum(1.0 if v.chosen_reward > v.rejected_reward else 0.5 if v.chosen_reward == v.rejected_reward else 0.0
               for v in votes) / len(votes)
