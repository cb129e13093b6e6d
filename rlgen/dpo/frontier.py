"""The reward-vs-KL frontier (the DPO paper's Figure 2 in miniature) with every method on the same held-out prompts:
DPO at several β, RLOO and GRPO from the reward model at several KL coefficients, best-of-N sampling from π_ref
(N = 1..64) and preferred-FT. Each trained run is measured at a few points along its training by the ground-truth
reward of sampled replies, the reward model's score of them and KL(π‖π_ref); best-of-N's KL is its bound
log N − (N − 1)/N. `python -m rlgen train dpo-frontier` writes rlgen/checkpoints/dpo/frontier.json with each
run's CPU time, after every run; `--resume` measures only the runs a stopped sweep left out."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from rlgen import runtime
from rlgen.dpo.best_of_n import NS, best_of_n
from rlgen.dpo.checkpoint import (
    FRONTIER,
    NAME,
    PAIRS,
    Recipe,
    held_out_prompts,
    load_model,
    load_pairs,
    load_tokenizer,
    save_model,
)
from rlgen.dpo.corpus import make_prompts, reward
from rlgen.dpo.metrics import distinct_n, kl_estimate
from rlgen.dpo.preferred_ft import PreferredFTSettings, preferred_ft
from rlgen.dpo.rlhf import RL_POLICY, SHIPPED_RL, RLSettings, train_rl
from rlgen.dpo.training import DPOSettings, Pair, reward_model_scores, train_dpo
from rlgen.errors import InputError

METHODS = ("reference", "best-of-n", "dpo", "preferred-ft", "rloo", "grpo")
METHOD_NAMES = {"reference": "π_ref (SFT)", "dpo": "DPO", "rloo": "RLOO", "grpo": "GRPO", "best-of-n": "best-of-N",
                "preferred-ft": "preferred-FT"}
SETTING_NAMES = {"dpo": "β", "rloo": "β", "grpo": "β", "best-of-n": "N", "preferred-ft": "lr"}


@dataclass
class FrontierPoint:
    method: str
    setting: float  # β for DPO, the KL coefficient for RLOO/GRPO, N for best-of-N, the learning rate for preferred-FT
    step: int
    kl: float
    reward: float  # mean ground-truth reward
    rm_score: float  # mean reward-model score of the same replies
    distinct_2: float | None = None


@dataclass
class Plan:
    """What one frontier run trains and measures."""

    prompts: int = 64
    betas: tuple[float, ...] = (0.1, 1.0, 0.03)
    dpo: DPOSettings = field(default_factory=lambda: Recipe().dpo)
    kl_coefs: tuple[float, ...] = (0.1, 0.02, 0.5)
    rl: RLSettings = field(default_factory=lambda: RLSettings(steps=80, learning_rate=2e-4))
    rl_methods: tuple[str, ...] = ("rloo", "grpo")
    rl_prompts: int = 800
    ns: tuple[int, ...] = NS
    preferred_ft: PreferredFTSettings = field(default_factory=PreferredFTSettings)
    evaluations: int = 3
    seed: int = 0

    @classmethod
    def quick(cls) -> Plan:
        """A smoke-sized run (seconds), for tests."""
        return cls(prompts=4, betas=(0.1,), dpo=DPOSettings(steps=2, batch_size=4), kl_coefs=(0.1,),
                   rl=RLSettings(steps=2, prompts_per_step=2, generations=2), rl_prompts=8, ns=(1, 2, 4),
                   preferred_ft=PreferredFTSettings(steps=2, batch_size=4), evaluations=1)

    @classmethod
    def live(cls) -> Plan:
        """The reduced run the tab streams: every method once, on fewer prompts (a few CPU-minutes)."""
        return cls(prompts=24, betas=(0.1,), dpo=DPOSettings(beta=0.1, steps=60, learning_rate=1e-4),
                   kl_coefs=(0.1,), rl=RLSettings(steps=60, learning_rate=2e-4), rl_prompts=400, ns=(1, 4, 16, 64),
                   preferred_ft=PreferredFTSettings(steps=60, learning_rate=2e-4), evaluations=2)


def measure(policy, ref, tokenizer, reward_model, prompts: list[str], seed: int) -> tuple[float, float, float, float]:
    """(KL(π‖π_ref), mean ground-truth reward, mean reward-model score, distinct-2) of one reply per prompt."""
    kl, replies = kl_estimate(policy, ref, tokenizer, prompts, seed=seed)
    rm = reward_model_scores(reward_model, tokenizer, [[{"role": "user", "content": p}] for p in prompts], replies)
    return kl, float(np.mean([reward(r) for r in replies])), float(np.mean(rm)), distinct_n(replies, 2)


def _marks(steps: int, evaluations: int) -> set[int]:
    return {round(steps * (i + 1) / evaluations) for i in range(evaluations)}


def run_name(method: str, setting: float | None) -> str:
    """A run's name in frontier.json's ``runs``: the method, and β for DPO, RLOO and GRPO."""
    return method if setting is None or method == "preferred-ft" else f"{method} β={setting:g}"


@dataclass
class _Runs:
    """The runs of one sweep, each a generator of points; they share π_ref, the reward model, the prompts and the
    seed, and each starts from π_ref."""

    ref: object
    tokenizer: object
    reward_model: object
    pairs: list[Pair]
    prompts: list[str]
    plan: Plan
    final: dict = field(default_factory=dict)  # what the last run leaves besides its points (an RL run's policy)

    def __post_init__(self) -> None:
        self.rl_prompts = make_prompts(self.plan.rl_prompts, seed=self.plan.seed + 1)  # the pairs' prompt stream

    def point(self, method: str, setting: float, step: int, policy) -> FrontierPoint:
        kl, gt, rm, d2 = measure(policy, self.ref, self.tokenizer, self.reward_model, self.prompts, self.plan.seed)
        return FrontierPoint(method, setting, step, kl, gt, rm, d2)

    def settings(self) -> dict[str, list]:
        plan = self.plan
        return {"best-of-n": [None], "dpo": list(plan.betas), "preferred-ft": [plan.preferred_ft.learning_rate],
                **{m: list(plan.kl_coefs) for m in plan.rl_methods}}

    def schedule(self, methods: tuple[str, ...], done: frozenset[str]) -> Iterator[tuple[str, str, float | None]]:
        """(run name, method, setting) breadth first: every method's first setting, then every method's second, …,
        so that a sweep cut short still holds every method; runs in ``done`` left out."""
        settings = self.settings()
        order = [m for m in METHODS if m in settings and m in methods]
        for round_ in range(max(len(v) for v in settings.values())):
            for method in order:
                if round_ < len(settings[method]) and run_name(method, settings[method][round_]) not in done:
                    yield run_name(method, settings[method][round_]), method, settings[method][round_]

    def run(self, method: str, setting: float | None) -> Iterator[FrontierPoint]:
        self.final.clear()
        if method == "best-of-n":
            return self.best_of_n()
        if method in self.plan.rl_methods:
            return self.rl(method, setting)
        return {"dpo": self.dpo, "preferred-ft": self.preferred_ft}[method](setting)

    def best_of_n(self) -> Iterator[FrontierPoint]:
        *_, frame = best_of_n(self.ref, self.tokenizer, self.reward_model, self.prompts, self.plan.ns,
                              seed=self.plan.seed)  # the last frame holds every N
        for c in frame.curve():
            yield FrontierPoint("best-of-n", c["n"], 0, c["kl"], c["reward"], c["rm_score"])

    def dpo(self, beta: float) -> Iterator[FrontierPoint]:
        settings = DPOSettings(**{**asdict(self.plan.dpo), "beta": beta, "seed": self.plan.seed})
        marks = _marks(settings.steps, self.plan.evaluations)
        for f in train_dpo(self.ref, self.tokenizer, self.pairs, settings):
            if f.step in marks and not f.done:
                yield self.point("dpo", beta, f.step, f.policy)
                f.policy.train()

    def preferred_ft(self, learning_rate: float) -> Iterator[FrontierPoint]:
        settings = PreferredFTSettings(**{**asdict(self.plan.preferred_ft), "learning_rate": learning_rate})
        marks = _marks(settings.steps, self.plan.evaluations)
        for f, policy in preferred_ft(self.ref, self.tokenizer, self.pairs, settings):
            if f.step in marks:
                yield self.point("preferred-ft", learning_rate, f.step, policy)
                policy.train()

    def rl(self, method: str, coef: float) -> Iterator[FrontierPoint]:
        settings = RLSettings(**{**asdict(self.plan.rl), "method": method, "kl_coef": coef, "seed": self.plan.seed})
        marks = _marks(settings.steps, self.plan.evaluations)
        for f in train_rl(self.ref, self.tokenizer, self.reward_model, self.rl_prompts, settings):
            if f.step in marks and not f.done and f.steps:
                yield self.point(method, coef, f.step, f.policy)
                f.policy.train()
        self.final["policy"] = f.policy


def sweep(ref, tokenizer, reward_model, pairs: list[Pair], prompts: list[str], plan: Plan,
          methods: tuple[str, ...] = METHODS, done: frozenset[str] = frozenset()) -> Iterator[FrontierPoint | dict]:
    """Every method's points, one run after another; after each run a dict ``{"run": …, "cpu_seconds": …}`` (an RL
    run's also holds its final ``policy``). Runs named in ``done`` (and π_ref's point, if "reference" is in it) are
    skipped: every run starts from π_ref with its own seed, so a sweep resumed this way measures what a whole one
    would."""
    runs = _Runs(ref, tokenizer, reward_model, pairs, prompts, plan)
    if "reference" in methods and "reference" not in done:
        yield runs.point("reference", 0.0, 0, ref)
    for name, method, setting in runs.schedule(methods, done):
        started = time.process_time()
        yield from runs.run(method, setting)
        extra = {"samples": len(prompts) * max(plan.ns)} if method == "best-of-n" else {}
        yield {"run": name, "cpu_seconds": round(time.process_time() - started, 1), **extra, **runs.final}


def reward_within(points: list[dict], method: str, kl_cap: float) -> float | None:
    """The best mean reward a method reached at KL ≤ kl_cap (π_ref itself counts: every method starts there)."""
    rewards = [p["reward"] for p in points if p["method"] in (method, "reference") and p["kl"] <= kl_cap]
    return max(rewards) if rewards else None


def _english(template: str, **values) -> str:
    return template.format(**values)


def below_right(points: list[dict], of: tuple[str, ...], by: tuple[str, ...]) -> tuple[int, int]:
    """(how many, of how many) trained points of the methods ``of`` lie below and to the right of some point of the
    methods ``by``: as far or further from π_ref for no more reward (dominated by it)."""
    mine = [p for p in points if p["method"] in of]
    theirs = [p for p in points if p["method"] in by]
    dominated = [p for p in mine if any(q["kl"] <= p["kl"] and q["reward"] >= p["reward"] for q in theirs)]
    return len(dominated), len(mine)


def dpo_against_rl(points: list[dict], rl: tuple[str, ...] = ("rloo", "grpo"), text=_english) -> str:
    """The DPO paper's comparison in a sentence: DPO against RL from the reward model, point by point, and how far
    each went."""
    rl = tuple(m for m in rl if any(p["method"] == m for p in points))
    dpo = [p for p in points if p["method"] == "dpo"]
    if not dpo or not rl:
        return ""
    rl_points = [p for p in points if p["method"] in rl]
    beaten, n_rl = below_right(points, rl, ("dpo",))
    lost, n_dpo = below_right(points, ("dpo",), rl)
    best_dpo, best_rl = max(dpo, key=lambda p: p["reward"]), max(rl_points, key=lambda p: p["reward"])
    names = "/".join(METHOD_NAMES[m] for m in rl)
    return text(
        "DPO against RL from the reward model ({names}), the DPO paper's comparison: {beaten} of the {n_rl} RL points "
        "lie below and right of a DPO point (further from π_ref for less reward) and {lost} of the {n_dpo} DPO points "
        "below and right of an RL point; DPO's best point is {dpo_reward:+.2f} at KL {dpo_kl:.2f}, RL's "
        "{rl_reward:+.2f} at KL {rl_kl:.2f} ({rl_method} β = {rl_setting:g}).", names=names, beaten=beaten, n_rl=n_rl,
        lost=lost, n_dpo=n_dpo, dpo_reward=best_dpo["reward"], dpo_kl=best_dpo["kl"], rl_reward=best_rl["reward"],
        rl_kl=best_rl["kl"], rl_method=METHOD_NAMES[best_rl["method"]], rl_setting=best_rl["setting"])


def dominance(points: list[dict], caps: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0), text=_english) -> str:
    """A sentence, computed from the points, on which method's frontier lies highest at each KL budget; ``text``
    fills each template (the page passes one that answers in the reader's language)."""
    methods = [m for m in METHODS if m != "reference" and any(p["method"] == m for p in points)]
    if len(methods) < 2:
        return text("Run more than one method to compare their frontiers.")
    leaders = []
    for cap in caps:
        best = sorted(((reward_within(points, m, cap), m) for m in methods), reverse=True)
        (top, leader), (second, runner) = best[0], best[1]
        leaders.append((cap, leader, top, runner, second))
    names = {leader for _, leader, *_ in leaders}
    parts = [text("KL ≤ {cap:g}: {a} {ra:+.2f} vs {b} {rb:+.2f}", cap=cap, a=METHOD_NAMES[a], ra=ra,
                  b=METHOD_NAMES[b], rb=rb)
             for cap, a, ra, b, rb in leaders]
    paper = dpo_against_rl(points, text=text)
    paper = f" {paper}" if paper else ""
    if len(names) == 1:
        leader = names.pop()
        margin = float(np.mean([ra - rb for _, _, ra, _, rb in leaders]))
        return text("Here **{leader}'s frontier dominates**: it reaches the highest ground-truth reward at every KL "
                    "budget, by {margin:.2f} on average over the next best ({parts}).", leader=METHOD_NAMES[leader],
                    margin=margin, parts="; ".join(parts)) + paper
    return text("No single frontier dominates here ({parts}).", parts="; ".join(parts)) + paper


def resumed(path: Path, plan: Plan) -> tuple[list[dict], list[dict], frozenset[str], dict]:
    """What an interrupted sweep left in frontier.json: its points, its runs, the names of the runs (and π_ref's
    point) not to measure again, and its clock and CPU totals. Refused if it was measured under another plan."""
    if not path.exists():
        return [], [], frozenset(), {}
    info = json.loads(path.read_text())
    if info.get("plan") != json.loads(json.dumps(asdict(plan))):
        raise InputError("{name} was measured under another plan; run the sweep without --resume to "
                         "measure every point again.", name=path.name)
    points, runs = info.get("points", []), info.get("runs", [])
    done = {r["run"] for r in runs} | ({"reference"} if any(p["method"] == "reference" for p in points) else set())
    return points, runs, frozenset(done), {k: info.get(k, 0.0) for k in ("seconds", "cpu_seconds")}


def train_frontier(argv: list[str] | None = None) -> dict:
    """`python -m rlgen train dpo-frontier [--quick] [--dir DIR] [--methods M …]` (needs `python -m rlgen train dpo`
    first)."""
    from transformers import LlamaForSequenceClassification

    parser = argparse.ArgumentParser(prog="python -m rlgen train dpo-frontier")
    parser.add_argument("--quick", action="store_true", help="a smoke-sized sweep")
    parser.add_argument("--dir", type=Path, help="the checkpoint folder (default rlgen/checkpoints/dpo)")
    parser.add_argument("--methods", nargs="+", choices=METHODS, default=list(METHODS))
    parser.add_argument("--resume", action="store_true",
                        help="keep the runs frontier.json already holds (same plan) and measure only the missing ones")
    args = parser.parse_args(argv or [])
    root = args.dir or runtime.checkpoint_path(NAME)
    ref, tokenizer = load_model(root / "ref"), load_tokenizer(root)
    reward_model = load_model(root / "reward_model", LlamaForSequenceClassification)
    pairs = load_pairs(root / PAIRS)
    plan = Plan.quick() if args.quick else Plan()
    prompts = held_out_prompts(plan.prompts)
    start, cpu = time.perf_counter(), time.process_time()
    points, runs, done, before = resumed(root / FRONTIER, plan) if args.resume else ([], [], frozenset(), {})
    info: dict = {}

    def write(complete: bool) -> None:
        """Written after every run, so an interrupted sweep still leaves what it measured (marked incomplete)."""
        info.update({"command": " ".join(["python -m rlgen train dpo-frontier", *(argv or [])]),
                     "complete": complete,
                     "seconds": round(before.get("seconds", 0.0) + time.perf_counter() - start, 1),
                     "cpu_seconds": round(before.get("cpu_seconds", 0.0) + time.process_time() - cpu, 1),
                     "torch_threads": runtime.torch_threads(),
                     "prompts": len(prompts), "plan": json.loads(json.dumps(asdict(plan))), "runs": runs,
                     "points": [p if isinstance(p, dict) else
                                {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(p).items()}
                                for p in points]})
        info["summary"] = dominance(info["points"])
        (root / FRONTIER).write_text(json.dumps(info, indent=2))

    for item in sweep(ref, tokenizer, reward_model, pairs, prompts, plan, tuple(args.methods), done):
        if isinstance(item, dict):
            policy = item.pop("policy", None)
            if policy is not None and item["run"] == f"{SHIPPED_RL.method} β={SHIPPED_RL.kl_coef:g}" \
                    and asdict(plan.rl)["steps"] == SHIPPED_RL.steps:
                save_model(policy, root / RL_POLICY)  # the chat's π_RLHF: this run is the shipped RLOO recipe
                item["saved_as"] = RL_POLICY
            runs.append(item)
            print(f"  {item['run']}: {item['cpu_seconds']:.0f} CPU-s", flush=True)
            write(complete=False)
            continue
        points.append(item)
        print(f"{item.method:<12} {item.setting:<7g} step {item.step:>4}  KL {item.kl:7.3f}  reward {item.reward:6.3f}"
              f"  r_φ {item.rm_score:6.3f}", flush=True)
    write(complete=True)
    print(info["summary"], file=sys.stderr)
    print(f"wrote {root / FRONTIER} in {info['seconds']:.0f}s", file=sys.stderr)
    return info
