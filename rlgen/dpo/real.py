"""Real SFT/DPO pairs for a GPU host: an allow-list pinned to revisions, opted into with RLGEN_REAL_WEIGHTS=1.
A person picks a key from the list; no repository id typed in the browser ever reaches `from_pretrained`.
The pair then goes through the same chat, log-probability and implicit-reward code as the tiny one."""

from __future__ import annotations

from dataclasses import dataclass

from rlgen import runtime

runtime.configure_torch()

import torch  # noqa: E402
from transformers import AutoModelForCausalLM, AutoTokenizer, PreTrainedModel, PreTrainedTokenizerBase  # noqa: E402

from rlgen.errors import InputError  # noqa: E402


@dataclass(frozen=True)
class RealPair:
    label: str
    ref_id: str
    ref_revision: str
    policy_id: str
    policy_revision: str
    beta: float  # the β the policy was trained with (for its implicit reward)


REAL_PAIRS: dict[str, RealPair] = {
    # Zephyr-7B-β: Mistral-7B SFT on UltraChat, then DPO on UltraFeedback with β = 0.1 (Tunstall et al. 2023).
    # Both pinned to the newest commit found in the hub's pages (no network here to ask the hub itself):
    # huggingface.co/HuggingFaceH4/mistral-7b-sft-beta/tree/d7b9d226… ("Delete training_args.bin", the 6th and
    # latest commit listed, safetensors weights) and huggingface.co/HuggingFaceH4/zephyr-7b-beta/commits/70788fbb…
    # ("Update README.md", after "Upload MistralForCausalLM (#20)").
    "zephyr-7b-beta": RealPair("Zephyr 7B β vs its SFT reference (Mistral 7B)",
                               "HuggingFaceH4/mistral-7b-sft-beta", "d7b9d226fb91df9de570ec0ee119f46e007f6142",
                               "HuggingFaceH4/zephyr-7b-beta", "70788fbbbdcedb5bc7f309548eceef33fb3b02e6", 0.1),
}


def available(enabled: bool | None = None) -> list[str]:
    """The keys a person may pick: none unless real weights are switched on."""
    return list(REAL_PAIRS) if (runtime.REAL_WEIGHTS if enabled is None else enabled) else []


def load_real_pair(key: str, enabled: bool | None = None, registry: dict[str, RealPair] | None = None,
                   ) -> tuple[PreTrainedModel, PreTrainedModel, PreTrainedTokenizerBase]:
    """(reference, DPO policy, tokenizer) for an allow-listed ``key``, at their pinned revisions; bfloat16 on a
    GPU, float32 on a CPU. ``registry`` replaces the allow-list in tests (tiny models saved to a folder)."""
    registry = REAL_PAIRS if registry is None else registry
    if not (runtime.REAL_WEIGHTS if enabled is None else enabled):
        raise InputError("Real weights are off: start the app with RLGEN_REAL_WEIGHTS=1 on a GPU host to use them.")
    if key not in registry:
        raise InputError("{key!r} is not on the allow-list of real pairs ({registered}).",
                         key=key, registered=', '.join(registry) or 'empty')
    pair = registry[key]
    cuda = torch.cuda.is_available()
    options = {"dtype": torch.bfloat16 if cuda else torch.float32}
    if cuda:
        options["device_map"] = "cuda"
    ref = runtime.load_pretrained(AutoModelForCausalLM, pair.ref_id, revision=pair.ref_revision, **options).eval()
    policy = runtime.load_pretrained(AutoModelForCausalLM, pair.policy_id, revision=pair.policy_revision,
                                     **options).eval()
    tokenizer = AutoTokenizer.from_pretrained(pair.policy_id, revision=pair.policy_revision)
    if tokenizer.chat_template is None:
        raise InputError("The tokenizer of {policy_id} has no chat template.", policy_id=pair.policy_id)
    return ref, policy, tokenizer
