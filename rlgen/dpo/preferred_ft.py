"""Preferred-FT, the DPO paper's simplest baseline: supervised fine-tuning of π_ref on the chosen reply of each
preference pair, max Σ log π(y_w|x), ignoring the rejected one and the reward model."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from transformers import PreTrainedModel, PreTrainedTokenizerFast

from rlgen.dpo.corpus import Conversation
from rlgen.dpo.training import Pair, SFTFrame, clean_copy, sft
from rlgen.errors import InputError

MAX_FT_STEPS = 2_000


@dataclass
class PreferredFTSettings:
    steps: int = 120
    batch_size: int = 16
    learning_rate: float = 1e-4
    seed: int = 0

    def validate(self) -> PreferredFTSettings:
        if int(self.steps) != self.steps or not 1 <= self.steps <= MAX_FT_STEPS:
            raise InputError("Steps must be a whole number from 1 to {max_ft_steps:,} (got {steps}).",
                             max_ft_steps=MAX_FT_STEPS, steps=self.steps)
        if not 1 <= self.batch_size <= 256:
            raise InputError("Batch size must lie between 1 and 256 (got {batch_size}).", batch_size=self.batch_size)
        if not 0 < self.learning_rate <= 1e-2:
            raise InputError("Learning rate must lie in (0, 0.01] (got {learning_rate:g}).",
                             learning_rate=self.learning_rate)
        return self


def chosen_conversations(pairs: list[Pair]) -> list[Conversation]:
    return [Conversation(({"role": "user", "content": p.prompt}, {"role": "assistant", "content": p.chosen}),
                         "preferred", "chosen") for p in pairs]


def preferred_ft(ref: PreTrainedModel, tokenizer: PreTrainedTokenizerFast, pairs: list[Pair],
                 settings: PreferredFTSettings) -> Iterator[tuple[SFTFrame, PreTrainedModel]]:
    """Fine-tune a copy of π_ref on the chosen replies (the SFT stage's loss and schedule); yields each step's
    frame with the policy, which is in train mode between steps and in eval mode after the last."""
    settings.validate()
    if not pairs:
        raise InputError("There are no preference pairs to fine-tune on.")
    policy = clean_copy(ref).requires_grad_(True)
    for frame in sft(policy, tokenizer, chosen_conversations(pairs), settings.steps, settings.batch_size,
                     settings.learning_rate, settings.seed):
        yield frame, policy
