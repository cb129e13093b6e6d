"""`python -m rlgen.bench dpo [--quick] [--json PATH]`: the side-by-side chat's time to first token and tokens/s
per column on this process's torch threads — the stacked decoder against the same sampler through transformers'
forward (the generic path), one column alone, and transformers' `generate` on the same model — and DPO training
steps/s of our pipeline vs a plain TRL `DPOTrainer` run with its default config on the same model and batch."""

from __future__ import annotations

import copy
import tempfile
import time

from rlgen import runtime
from rlgen.bench._report import parse_args, report

runtime.configure_torch()

import torch  # noqa: E402

from rlgen.dpo.arena import side_by_side  # noqa: E402
from rlgen.dpo.checkpoint import held_out_prompts, load_pair, shipped_pairs  # noqa: E402
from rlgen.dpo.sampling import stream_chat  # noqa: E402
from rlgen.dpo.training import DPOSettings, dpo_trainer  # noqa: E402


def chat_figures(ref, policy, tokenizer, prompts: list[str], max_new_tokens: int) -> dict:
    first_token, column_rates, generic_rates, single_rates, generate_rates = [], [], [], [], []
    for i, prompt in enumerate(prompts):
        messages = [{"role": "user", "content": prompt}]
        *_, step = side_by_side(ref, policy, tokenizer, messages, messages, 1.0, 1.0, max_new_tokens, seed=i)
        first_token.append(step.first_token_s)
        column_rates += [n / step.seconds for n in step.tokens]  # each column's tokens over the shared wall time
        *_, generic = side_by_side(ref, policy, tokenizer, messages, messages, 1.0, 1.0, max_new_tokens, seed=i,
                                   stacked=False)
        generic_rates += [n / generic.seconds for n in generic.tokens]
        start = time.perf_counter()
        count = sum(1 for s in stream_chat(policy, tokenizer, messages, 1.0, 1.0, max_new_tokens, seed=i) if not s.done)
        single_rates.append(count / (time.perf_counter() - start))
        ids = torch.tensor([tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_dict=False)])
        torch.manual_seed(i)
        start = time.perf_counter()
        out = policy.generate(ids, do_sample=True, top_k=0, max_new_tokens=max_new_tokens,
                              pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id)
        generate_rates.append((out.shape[1] - ids.shape[1]) / (time.perf_counter() - start))
    median = lambda xs: float(sorted(xs)[len(xs) // 2])  # noqa: E731
    return {"first_token_ms_median": 1000 * median(first_token), "first_token_ms_max": 1000 * max(first_token),
            "tokens_per_s_per_column_side_by_side": median(column_rates),
            "tokens_per_s_per_column_side_by_side_transformers_forward": median(generic_rates),
            "side_by_side_speedup_over_transformers_forward": median(column_rates) / median(generic_rates),
            "tokens_per_s_one_column_alone": median(single_rates),
            "tokens_per_s_transformers_generate": median(generate_rates)}


def steps_per_second(ref, tokenizer, pairs, steps: int, batch: int, ours: bool) -> float:
    """Steps/s of one DPO run on the same model, pairs and batch size: our settings, or TRL's defaults."""
    from transformers import PrinterCallback
    from trl import DPOConfig, DPOTrainer

    policy = copy.deepcopy(ref).train().requires_grad_(True)  # the shared π_ref may already be frozen
    frozen = copy.deepcopy(ref)
    with tempfile.TemporaryDirectory() as out:
        if ours:
            trainer = dpo_trainer(policy, frozen, tokenizer, pairs, DPOSettings(steps=steps, batch_size=batch), out)
        else:
            from datasets import Dataset

            # TRL's defaults (bf16, gradient checkpointing, lr 1e-6) with the one change it demands on a CPU
            config = DPOConfig(output_dir=out, max_steps=steps, per_device_train_batch_size=batch, report_to=[],
                               save_strategy="no", disable_tqdm=True, use_cpu=not torch.cuda.is_available())
            trainer = DPOTrainer(model=policy, ref_model=frozen, args=config, processing_class=tokenizer,
                                 train_dataset=Dataset.from_list([p.as_trl() for p in pairs]))
            trainer.remove_callback(PrinterCallback)
        result = trainer.train()
    return steps / result.metrics["train_runtime"]


def main(argv: list[str]) -> int:
    args = parse_args(argv, __doc__)
    ref, policy, tokenizer = load_pair()
    pairs = shipped_pairs()
    prompts = held_out_prompts(4 if args.quick else 12, seed=7)
    figures = chat_figures(ref, policy, tokenizer, prompts, 32 if args.quick else 64)
    steps = 2 if args.quick else 10
    ours = steps_per_second(ref, tokenizer, pairs, steps, 16, ours=True)
    plain = steps_per_second(ref, tokenizer, pairs, steps, 16, ours=False)
    figures |= {"dpo_steps_per_s_ours": ours, "dpo_steps_per_s_trl_default": plain,
                "dpo_speed_ratio_ours_over_default": ours / plain, "dpo_steps": steps, "dpo_batch": 16,
                "targets": {"first_token_ms": 100, "tokens_per_s_per_column": 150}}
    rows = [
        {"measure": "first token, both columns (median ms)", "value": figures["first_token_ms_median"],
         "target": "< 100"},
        {"measure": "tokens/s per column, side by side", "value": figures["tokens_per_s_per_column_side_by_side"],
         "target": ">= 150"},
        {"measure": "tokens/s per column, side by side, transformers forward",
         "value": figures["tokens_per_s_per_column_side_by_side_transformers_forward"], "target": "peer"},
        {"measure": "tokens/s, one column alone", "value": figures["tokens_per_s_one_column_alone"], "target": ""},
        {"measure": "tokens/s, transformers generate", "value": figures["tokens_per_s_transformers_generate"],
         "target": "peer"},
        {"measure": "DPO steps/s, ours (TRL + CPU overrides)", "value": ours, "target": ""},
        {"measure": "DPO steps/s, plain TRL defaults", "value": plain, "target": "peer"},
    ]
    report(f"DPO chat ({runtime.torch_threads()} torch thread(s))", rows, figures, args.json)
    return 0


def headline(record: dict) -> list[tuple[str, str]]:
    """The README's rows for this bench's record."""
    return [("chat, two policies side by side",
             f"{record['tokens_per_s_per_column_side_by_side']:.0f} tokens/s per column, "
             f"{record['side_by_side_speedup_over_transformers_forward']:.1f}× transformers' own forward; first "
             f"token after {record['first_token_ms_median']:.0f} ms (median)"),
            ("DPO training steps", f"{record['dpo_speed_ratio_ours_over_default']:.2f}× TRL's defaults "
             f"({record['dpo_steps_per_s_ours']:.1f} against {record['dpo_steps_per_s_trl_default']:.1f} steps/s)")]
