"""The RLHF half of the DPO tab: the shipped reward model used for real — RLOO/GRPO through TRL streamed live,
best-of-N from π_ref, the frontier of every method (shipped and a reduced live run), and π_ref, π_DPO and π_RLHF
answering the same prompt side by side."""

from __future__ import annotations

import time
from functools import cache
from types import SimpleNamespace

import gradio as gr

from rlgen.dpo import figures
from rlgen.dpo.best_of_n import MAX_N, best_of_n, check_ns, kl_bound
from rlgen.dpo.checkpoint import (
    FRONTIER,
    held_out_prompts,
    load_model,
    load_pair,
    load_reward_model,
    read_json,
    shipped_pairs,
)
from rlgen.dpo.corpus import make_prompts, reward, scored_words
from rlgen.dpo.frontier import METHOD_NAMES, Plan, dominance, sweep
from rlgen.dpo.rlhf import MAX_LIVE_RL_STEPS, METHODS, RL_POLICY, RLSettings, train_rl
from rlgen.dpo.sampling import MAX_NEW_TOKENS, MAX_PROMPT_CHARS, reply_logp, stream_columns
from rlgen.dpo.training import reward_model_scores
from rlgen.errors import InputError
from rlgen.runtime import checkpoint_path
from rlgen.ui.i18n import on_load, say, tr
from rlgen.ui.live import REPLY_QUEUE, TRAINING_QUEUE, OwnModels
from rlgen.ui.widgets import (
    CHAT_BUTTONS,
    SESSION_TTL_S,
    Number,
    check_number,
    resolve_seed,
    seed_controls,
    session_state,
    user_errors,
)

KL_PROMPTS = 16  # held-out prompts sampled for each live KL estimate
STREAM_EVERY_S = 0.1  # chat columns: at most 10 updates a second, as the DPO columns
COLUMNS = ("π_ref (SFT)", "π_DPO", "π_RLHF")
OWN_RL = OwnModels(SESSION_TTL_S, capacity=32, what="RL policy")
NO_RL = ("There is no RL policy yet: train RLOO or GRPO live below (or ship one with "
         "`python -m rlgen train dpo-frontier` or `python -m rlgen train dpo-rlhf`).")

INTRO = """
### RLHF with the same reward model: RLOO, GRPO and best-of-N
RLHF's third stage maximises **E_{y~π}[r_φ(x, y)] − β·KL(π‖π_ref)** with reinforcement learning, using the
Bradley–Terry reward model r_φ trained on the same pairs as DPO. **RLOO** samples k replies per prompt and uses the
mean reward of the other k − 1 as each one's baseline; **GRPO** standardises rewards within the group and adds a
per-token KL term to its clipped loss (both through TRL). **Best-of-N** trains nothing: it samples N replies from
π_ref and keeps the one r_φ likes best, at a KL of at most **log N − (N − 1)/N** nats. **Preferred-FT** fine-tunes
π_ref on the chosen replies only. r_φ is a learned stand-in for the lexicon reward: when r_φ climbs and the true
reward does not, the policy is exploiting r_φ (reward hacking).
"""


@cache
def shipped_rl_policy():
    """The RLOO policy written by `python -m rlgen train dpo-rlhf`, or None when there is none (shared,
    read-only)."""
    folder = checkpoint_path("dpo") / RL_POLICY
    return load_model(folder) if (folder / "config.json").exists() else None


def frontier_points() -> list[dict]:
    return read_json(FRONTIER).get("points", [])


def frontier_summary() -> str:
    """The shipped frontier in a few lines, in the reader's language (the page asks for it as it loads)."""
    info = read_json(FRONTIER)
    if not info.get("points"):
        return say("No frontier shipped yet: run `python -m rlgen train dpo-frontier`.")
    runs = ", ".join(f"{r['run']} {r['cpu_seconds']:.0f}" for r in info.get("runs", []))
    partial = "" if info.get("complete", True) else say(" The sweep was cut short: some settings are missing.")
    return say("{dominance}  \n*Shipped frontier: {prompts} held-out prompts, one sampled reply each (best-of-N: the "
               "expectation over 64 samples per prompt, placed at its KL bound, so if anything too far right); "
               "`python -m rlgen train dpo-frontier` took {minutes:.0f} CPU-min (CPU-s per run: {runs}).{partial}*",
               dominance=dominance(info["points"], text=say), prompts=info["prompts"],
               minutes=info.get("cpu_seconds", 0) / 60, runs=runs, partial=partial)


@user_errors
def train_rl_live(method, kl_coef, steps, learning_rate, seed, randomize):
    """RLOO or GRPO from π_ref against the shipped reward model, streaming r_φ beside the true reward, the KL, sample
    replies and the run's place on the frontier."""
    used_seed = resolve_seed(seed, randomize)
    steps = int(check_number(steps, say("Steps"), 1, MAX_LIVE_RL_STEPS, integer=True))
    kl_coef = check_number(kl_coef, say("KL coefficient β"), float("-inf"), float("inf"))
    learning_rate = check_number(learning_rate, say("Learning rate"), 1e-7, 1e-2)
    settings = RLSettings(method=method, kl_coef=kl_coef, steps=steps, learning_rate=learning_rate,
                          seed=used_seed).validate()
    ref, _, tokenizer = load_pair()
    points = frontier_points()
    label = say("your {method} run (β={beta:g})", method=method.upper(), beta=kl_coef)
    yield (say("starting {method}: seed {seed}", method=method.upper(), seed=used_seed), figures.rl_figure(None), figures.frontier_figure(points),
           "", gr.skip(), used_seed)
    for frame in train_rl(ref, tokenizer, load_reward_model(), make_prompts(800, seed=1), settings,
                          kl_prompts=held_out_prompts(KL_PROMPTS), kl_every=max(5, steps // 8)):
        live = list(zip(frame.kl, frame.sample_reward, frame.kl_steps))
        kl = say(" · KL {kl:.2f} nats · r_φ {rm:+.2f} · true reward {reward:+.2f} (held-out)", kl=frame.kl[-1],
                 rm=frame.sample_rm[-1], reward=frame.sample_reward[-1]) if frame.kl else ""
        status = say("{state}: step {step}/{total} in {seconds:.0f} s{kl}", state=say("done") if frame.done
                     else say("training"), step=frame.step, total=frame.total, seconds=frame.seconds, kl=kl)
        if frame.done:
            status += say(" — the three-column chat can now use it.")
        samples = "\n".join(say("- step {step}: “{reply}” — r_φ {rm:+.2f}, true reward {reward:+g}", step=s["step"],
                                 reply=s["reply"], rm=s["rm"], reward=s["reward"])
                            for s in frame.samples[-6:])
        yield (status, figures.rl_figure(frame), figures.frontier_figure(points, live, label),
               say("**Replies to “{prompt}” over training**\n\n{samples}", prompt=frame.samples[0]["prompt"],
                   samples=samples) if frame.samples else "",
               OWN_RL.keep(frame.policy, label=label) if frame.done else gr.skip(), used_seed)


def check_prompt(prompt: str | None) -> str:
    prompt = prompt or ""
    if not prompt.strip():
        raise InputError(say("The prompt is empty: type a question for the models."))
    if len(prompt) > MAX_PROMPT_CHARS:
        raise InputError(say("The prompt is {n:,} characters; the cap is {cap:,}.", n=len(prompt), cap=MAX_PROMPT_CHARS))
    return prompt


@user_errors
def best_of_n_prompt(prompt, n, seed, randomize) -> tuple[str, int]:
    """N replies from π_ref to one prompt, ranked by the reward model, with the true reward of each."""
    prompt = check_prompt(prompt)
    n = int(check_number(n, "N", 1, MAX_N, integer=True))
    check_ns((n,))
    used_seed = resolve_seed(seed, randomize)
    ref, _, tokenizer = load_pair()
    *_, frame = best_of_n(ref, tokenizer, load_reward_model(), [prompt], (n,), seed=used_seed)
    rows = "\n".join(f"| {say('**pick**') if i == 0 else i + 1} | {e['reply']} | {e['rm']:+.2f} | {e['reward']:+g} |"
                     for i, e in enumerate(frame.examples))
    picked = frame.examples[0]
    best_true = max(e["reward"] for e in frame.examples)
    verdict = (say("r_φ's pick is also the best by the true reward.") if picked["reward"] == best_true else
               say("r_φ's pick scores {picked:+g} by the true reward; the best of the {n} had {best:+g}.",
                   picked=picked["reward"], n=n, best=best_true))
    return (say("Best-of-{n} (KL ≤ {bound:.2f} nats). {verdict}\n\n| rank by r_φ | reply | r_φ | true reward |\n"
                "|---|---|---|---|\n", n=n, bound=kl_bound(n), verdict=verdict) + rows, used_seed)


@user_errors
def frontier_live(seed, randomize):
    """The reduced frontier: every method once on a few held-out prompts, points streamed as they are measured."""
    used_seed = resolve_seed(seed, randomize)
    ref, _, tokenizer = load_pair()
    plan = Plan.live()
    plan.seed = used_seed
    points: list[dict] = []
    started = time.perf_counter()
    yield (say("starting: best-of-N first, then DPO, RLOO, GRPO and preferred-FT…"), figures.frontier_figure([]), "",
           used_seed)
    for item in sweep(ref, tokenizer, load_reward_model(), shipped_pairs(), held_out_prompts(plan.prompts), plan):
        if isinstance(item, dict):
            status = say("{run} done ({cpu:.0f} CPU-s); {seconds:.0f} s in all", run=item["run"],
                         cpu=item["cpu_seconds"], seconds=time.perf_counter() - started)
        else:
            points.append({"method": item.method, "setting": item.setting, "step": item.step, "kl": item.kl,
                           "reward": item.reward, "rm_score": item.rm_score})
            status = say("{method}: KL {kl:.2f}, reward {reward:+.2f} ({seconds:.0f} s)",
                         method=METHOD_NAMES[item.method], kl=item.kl, reward=item.reward,
                         seconds=time.perf_counter() - started)
        yield status, figures.frontier_figure(points), dominance(points, text=say), used_seed


def score_line(policy, ref, rm, tokenizer, prompt: str, reply: str) -> str:
    chat = [{"role": "user", "content": prompt}]
    words = ", ".join(f"{w} {v:+g}" for w, v in scored_words(reply)) or say("no lexicon words")
    ratio = reply_logp(policy, tokenizer, chat, reply) - reply_logp(ref, tokenizer, chat, reply)
    rm_score = reward_model_scores(rm, tokenizer, [chat], [reply])[0]
    return say("true reward **{reward:+g}** ({words}) · r_φ **{rm:+.2f}** · log π/π_ref {ratio:+.1f}",
               reward=reward(reply), words=words, rm=rm_score, ratio=ratio)


@user_errors
def send_three(prompt, temperature, top_p, max_tokens, seed, randomize, mine):
    """π_ref, π_DPO and π_RLHF (your live run, else the shipped RLOO policy) answer the same prompt with the same
    settings and seed, streamed together; the same scores go under each reply."""
    prompt = check_prompt(prompt)
    temperature = check_number(temperature, say("Temperature"), 0.0, 2.0)
    top_p = check_number(top_p, "Top-p", 0.01, 1.0)
    max_tokens = int(check_number(max_tokens, say("Max new tokens"), 1, MAX_NEW_TOKENS, integer=True))
    used_seed = resolve_seed(seed, randomize)
    ref, dpo, tokenizer = load_pair()
    rl = OWN_RL.get(mine, say(NO_RL)) if mine else shipped_rl_policy()
    if rl is None:
        raise InputError(say(NO_RL))
    models = [ref, dpo, rl]
    chat = [{"role": "user", "content": prompt}]
    last, columns = 0.0, None
    for columns in stream_columns(models, tokenizer, [chat] * 3, temperature, top_p, max_tokens, used_seed):
        if time.perf_counter() - last < STREAM_EVERY_S and not all(c.done for c in columns):
            continue
        last = time.perf_counter()
        yield (*([*chat, {"role": "assistant", "content": c.text}] for c in columns), used_seed, say("answering…"))
    rm = load_reward_model()
    shown = [[*chat, {"role": "assistant", "content": (c.text or say("(empty reply)")) + "\n\n*"
                      + score_line(m, ref, rm, tokenizer, prompt, c.text) + "*"}] for c, m in zip(columns, models)]
    source = mine["label"] if mine else say("the shipped RLOO policy")
    yield (*shown, used_seed, say("seed {seed} · π_RLHF is {source}.", seed=used_seed, source=source))


def build_section() -> None:
    """The RLHF part of the DPO tab (called inside its Blocks)."""
    gr.Markdown(tr(INTRO), elem_classes="rlgen-explain")
    rl_policy = session_state(None, delete_callback=OWN_RL.drop)
    _three_policies(rl_policy)
    _best_of_n()
    rl = _rl_controls()
    frontier_plot = _frontier()
    run = rl.start.click(train_rl_live, rl.inputs, [rl.status, rl.plot, frontier_plot, rl.samples, rl_policy, rl.seed],
                         show_progress_on=[rl.status], **TRAINING_QUEUE)
    rl.stop.click(None, None, None, cancels=[run]).then(lambda: say("stopped."), None, rl.status)


def _three_policies(rl_policy) -> None:
    """π_ref, the DPO policy and the RL policy answer the same prompt."""
    gr.Markdown(tr("#### Three policies, one prompt"))
    with gr.Row():
        columns = [gr.Chatbot(label=name, height=300, elem_id=f"rlhf-col-{i}", buttons=CHAT_BUTTONS) for i, name in enumerate(COLUMNS)]
    with gr.Row():
        prompt = gr.Textbox(label=tr("Your message (sent to all three)"), scale=5, elem_id="rlhf-prompt",
                            placeholder="Should I buy the Nimbus headphones?")  # the tiny models know English only
        send = gr.Button(tr("Send"), variant="primary", scale=1)
    with gr.Row():
        temperature = gr.Slider(0.0, 2.0, value=0.8, step=0.05, label=tr("Temperature (0 = greedy)"))
        top_p = gr.Slider(0.05, 1.0, value=0.95, step=0.05, label="Top-p")
        max_tokens = Number(value=64, precision=0, label=tr("Max new tokens (≤ {n})", n=MAX_NEW_TOKENS))
    seed, randomize = seed_controls(0)
    status = gr.Markdown("", elem_classes="rlgen-status")
    inputs = [prompt, temperature, top_p, max_tokens, seed, randomize, rl_policy]
    for trigger in (send.click, prompt.submit):
        trigger(send_three, inputs, [*columns, seed, status], show_progress_on=[status], **REPLY_QUEUE)


def _best_of_n() -> None:
    """N replies from π_ref, ranked by the reward model, beside their true rewards."""
    gr.Markdown(tr("#### Best-of-N from π_ref, ranked by the reward model"))
    with gr.Row():
        prompt = gr.Textbox(label=tr("Prompt"), value="What did you think of the film Midnight Harbor?", scale=4)
        n = Number(value=8, precision=0, label=f"N (1–{MAX_N})", scale=1)
        button = gr.Button(tr("Sample and rank"), scale=1)
    seed, randomize = seed_controls(0)
    table = gr.Markdown("")
    button.click(best_of_n_prompt, [prompt, n, seed, randomize], [table, seed], **REPLY_QUEUE)


def _rl_controls() -> SimpleNamespace:
    """RLOO / GRPO trained live from π_ref against the reward model (wired by the caller: it also draws on the
    frontier below)."""
    gr.Markdown(tr("#### RLOO / GRPO live (TRL, from π_ref against r_φ)"))
    with gr.Row():
        method = gr.Radio(list(METHODS), value="rloo", label=tr("Method"))
        kl_coef = Number(value=0.1, label=tr("KL coefficient β (> 0)"))
        steps = Number(value=40, precision=0, label=tr("Steps (≤ {n})", n=MAX_LIVE_RL_STEPS))
        learning_rate = Number(value=2e-4, label=tr("Learning rate"))
    seed, randomize = seed_controls(0)
    with gr.Row():
        start = gr.Button(tr("Start RL"), variant="primary")
        stop = gr.Button(tr("Stop"), variant="stop")
    status = gr.Textbox(label=tr("Status"), interactive=False, elem_classes="rlgen-status")
    plot = gr.Plot(value=figures.rl_figure(None), label=tr("r_φ vs true reward, KL"))
    samples = gr.Markdown("")
    return SimpleNamespace(inputs=[method, kl_coef, steps, learning_rate, seed, randomize], start=start, stop=stop,
                           status=status, plot=plot, samples=samples, seed=seed)


def _frontier() -> gr.Plot:
    """The shipped frontier of every method, its summary, and a reduced sweep run live; the plot."""
    gr.Markdown(tr("#### The frontier: every method on the same held-out prompts"))
    summary = gr.Markdown(on_load(frontier_summary))  # made as the page loads, in the reader's language
    plot = gr.Plot(value=figures.frontier_figure(frontier_points()), label=tr("Frontier, all methods"))
    seed, randomize = seed_controls(0)
    with gr.Row():
        start = gr.Button(tr("Run a reduced frontier live (a few CPU-minutes)"))
        stop = gr.Button(tr("Stop"), variant="stop")
    status = gr.Textbox(label=tr("Status"), interactive=False, elem_classes="rlgen-status")
    live = start.click(frontier_live, [seed, randomize], [status, plot, summary, seed], show_progress_on=[status],
                       **TRAINING_QUEUE)
    stop.click(None, None, None, cancels=[live]).then(lambda: say("stopped."), None, status)
    return plot
