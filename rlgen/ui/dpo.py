"""The DPO chat tab: π_ref (the SFT model) and its DPO-tuned policy answer side by side; vote, train on your
votes, or train DPO live and watch TRL's metrics, the KL and the reward-vs-KL frontier."""

from __future__ import annotations

import copy
import threading
from functools import cache, lru_cache
from types import SimpleNamespace

import gradio as gr

from rlgen import runtime
from rlgen.dpo import arena, figures, real
from rlgen.dpo.checkpoint import FRONTIER, TRAINING, held_out_prompts, load_pair, read_json, shipped_pairs
from rlgen.dpo.corpus import TOPICS, known_examples, things_named
from rlgen.dpo.loss import LOSS_TYPES
from rlgen.dpo.sampling import MAX_NEW_TOKENS, MAX_PROMPT_CHARS
from rlgen.dpo.training import MAX_LIVE_STEPS, DPOSettings, train_dpo
from rlgen.errors import InputError
from rlgen.progress import throttled
from rlgen.ui import rlhf
from rlgen.ui.i18n import language, on_load, say, tr
from rlgen.ui.links import linked
from rlgen.ui.live import REPLY_QUEUE, TRAINING_QUEUE, OwnModels
from rlgen.ui.widgets import (
    CHAT_BUTTONS,
    SESSION_TTL_S,
    Number,
    advanced,
    check_number,
    on_gpu,
    resolve_seed,
    seed_controls,
    session_state,
    user_errors,
)

TITLE = "DPO chat"
DESCRIPTION = "A tiny chat model and its DPO-tuned policy side by side: vote, retrain on your votes, see the KL."

TINY = "tiny pair (shipped, CPU)"
SHIPPED, MINE = "shipped DPO policy", "my trained policy"
DATA_SHIPPED, DATA_BOTH, DATA_VOTES = "shipped pairs", "shipped pairs + my votes", "my votes only"
STREAM_EVERY_S = 0.1  # chat columns: at most 10 updates a second (a busy server streams a slow reply in more frames)
KL_PROMPTS = 16  # held-out prompts sampled for each live KL estimate
# Greedy by default: each column shows its policy's most likely reply, where DPO's shift is plainest. With sampling,
# both columns draw from one seeded stream of random numbers (so a reply is what its model gives alone with that
# seed); where the two distributions agree on the likely words, the same draws pick the same words, and seed 0 at
# T = 0.8 happens to give both columns the same short reply for half of these prompts.
DEFAULT_TEMPERATURE = 0.0
EXAMPLE_PROMPTS = (
    "What did you think of the film Midnight Harbor?",
    "How was your visit to Kyoto?",
    "What did you think of Blue Door Cafe?",
)
DEFAULTS_NOTE = ("Same settings and seed on both sides; greedy decoding (temperature 0) shows each policy's most "
                 "likely reply. Raise the temperature to sample.")
KNOWS = ("**What the tiny pair knows:** only the English chats it was trained on — opinions on the films, books, "
         "products, places, restaurants and plans of its corpus, e.g. {examples}. Ask about one of them "
         "(*“How was your visit to Kyoto?”*); a prompt that names none of them is answered about one of those, "
         "with a note saying so.")
# each person's trained policy stays on the server, at most this many in all (their state holds a reference)
OWN_POLICIES = OwnModels(SESSION_TTL_S, capacity=32, what="trained policy")
NO_POLICY = "You have no trained policy yet: train on your votes or run “Train DPO live”."

INTRO = """
**Direct Preference Optimization.** RLHF takes three stages: supervised fine-tuning (→ **π_ref**), a reward model
fitted to preference pairs, then RL against it with a KL penalty. DPO skips the reward model: every policy
implicitly defines one, **r(x, y) = β·log π(y|x)/π_ref(y|x)**, so the policy is trained on the pairs directly with
**L = −log σ(β[log π(y_w|x)/π_ref(y_w|x) − log π(y_l|x)/π_ref(y_l|x)])**.
Here both models are ~1M-parameter Llama-style LMs trained by this project on a chat corpus it generates; the
ground-truth reward is a sentiment lexicon score you can check by hand (the sum of the valences of the words, e.g.
*wonderful* +2, *dull* −1), as the DPO paper rated IMDb continuations with a sentiment classifier. The preference
pairs were sampled from π_ref and ranked by that reward.
"""


def empty_history() -> dict:
    return {"left": [], "right": [], "left_notes": [], "right_notes": [], "voted": True}


_REAL_LOADING = threading.Lock()


@cache
def _real_pair(key: str):
    return real.load_real_pair(key)


def real_pair(key: str):
    """A real pair, loaded once per process (two sessions asking at once wait for one load) and shared
    read-only."""
    with _REAL_LOADING:
        return _real_pair(key)


def models(model_key: str, source: str, mine) -> tuple:
    """(π_ref, policy on the right, tokenizer, β of the shipped policy, a label for the right column)."""
    if model_key == TINY:
        ref, policy, tokenizer = load_pair()
        beta = read_json(TRAINING).get("recipe", {}).get("dpo", {}).get("beta", 0.1)
        if source == MINE:
            return ref, OWN_POLICIES.get(mine, say(NO_POLICY)), tokenizer, beta, say("your policy")
        return ref, policy, tokenizer, beta, say("DPO policy")
    if source == MINE:
        raise InputError(say("Your trained policies belong to the tiny pair; choose it to chat with them."))
    ref, policy, tokenizer = real_pair(model_key)
    return ref, policy, tokenizer, real.REAL_PAIRS[model_key].beta, real.REAL_PAIRS[model_key].label


def display(history: dict, side: str) -> list[dict]:
    """The chat as shown: each reply with its scores in a line under it."""
    notes = iter(history[f"{side}_notes"])
    shown = []
    for message in history[side]:
        content = message["content"] or say("(empty reply)")
        if message["role"] == "assistant":
            content += f"\n\n*{next(notes, '')}*"
        shown.append({"role": message["role"], "content": content})
    return shown


def check_settings(temperature: float, top_p: float, max_tokens: float, beta: float) -> tuple[float, float, int, float]:
    temperature = check_number(temperature, say("Temperature"), 0.0, 2.0)
    top_p = check_number(top_p, "Top-p", 0.01, 1.0)
    max_tokens = int(check_number(max_tokens, say("Max new tokens"), 1, MAX_NEW_TOKENS, integer=True))
    beta = check_number(beta, "β", float("-inf"), float("inf"))
    if beta <= 0:
        raise InputError(say("β must be positive (got {beta:g}): the implicit reward is β·log π/π_ref.", beta=beta))
    return temperature, top_p, max_tokens, beta


@user_errors
def send(prompt: str, history: dict, temperature, top_p, max_tokens, beta, seed, randomize, model_key, source, mine):
    """Stream both columns' replies to the same prompt, then put the scores under each."""
    temperature, top_p, max_tokens, beta = check_settings(temperature, top_p, max_tokens, beta)
    prompt = prompt or ""
    if not prompt.strip():
        raise InputError(say("The prompt is empty: type a question for the two models."))
    if len(prompt) > MAX_PROMPT_CHARS:
        raise InputError(say("The prompt is {n:,} characters; the cap is {cap:,}. Your conversation is unchanged.",
                             n=len(prompt), cap=MAX_PROMPT_CHARS))
    used_seed = resolve_seed(seed, randomize)
    ref, policy, tokenizer, _, label = models(model_key, source, mine)
    turn = {"role": "user", "content": prompt}
    left, right = [*history["left"], turn], [*history["right"], turn]
    pending = {**history, "left": left, "right": right}
    step = None
    replies = arena.side_by_side(ref, policy, tokenizer, left, right, temperature, top_p, max_tokens, used_seed)
    for step in throttled(replies, STREAM_EVERY_S):
        shown_left = [*display(pending, "left"), {"role": "assistant", "content": step.left}]
        shown_right = [*display(pending, "right"), {"role": "assistant", "content": step.right}]
        yield shown_left, shown_right, gr.skip(), "", used_seed, say("answering… {n} tokens", n=sum(step.tokens))
    left_score = arena.score_reply(policy, ref, tokenizer, left, step.left, beta)
    right_score = arena.score_reply(policy, ref, tokenizer, right, step.right, beta)
    done = {"left": [*left, {"role": "assistant", "content": step.left}],
            "right": [*right, {"role": "assistant", "content": step.right}],
            "left_notes": [*history["left_notes"], left_score.line(beta, say)],
            "right_notes": [*history["right_notes"], right_score.line(beta, say)], "voted": False}
    rate = sum(step.tokens) / max(step.seconds, 1e-9)
    status = say("seed {seed} · first tokens after {ms:.0f} ms · {left} + {right} tokens at {rate:.0f} tokens/s in "
                 "all · right column: {label}. Which is better? Vote below.", seed=used_seed,
                 ms=1000 * (step.first_token_s or 0), left=step.tokens[0], right=step.tokens[1], rate=rate, label=label)
    if model_key == TINY and not things_named(prompt):  # say what the tiny pair knows, not as if it understood
        status += " " + say("Note: the tiny models only know the things of their training chats ({examples}); "
                            "this prompt names none of them, so both reply about one of those instead.",
                            examples=known_examples())
    yield display(done, "left"), display(done, "right"), done, "", used_seed, status


OPENING_PROMPT = EXAMPLE_PROMPTS[0]  # answered as the tab opens; the box then holds the next example


@lru_cache(maxsize=2)  # greedy decoding with seed 0: the same for every visitor, made once per language
def _opening(lang: str) -> tuple:
    *_, (left, right, done, *_) = send(OPENING_PROMPT, empty_history(), DEFAULT_TEMPERATURE, 0.95, 64, 0.1, 0, False,
                                       TINY, SHIPPED, None)
    return left, right, done


def opening(part: int):
    """A component value: the left (0) or right (1) chat of the opening prompt answered by both shipped policies
    with the tab's defaults, in the reader's language; empty while the page is built. (The conversation a reader
    continues starts with their own first prompt.)"""
    return on_load(lambda: copy.deepcopy(_opening(language())[part]), empty=[])


def clear() -> tuple:
    return [], [], empty_history(), say("Conversation cleared.")


@user_errors
def vote(choice: str, history: dict, votes: list) -> tuple:
    """Record the person's preference on the latest pair of replies into their session's pairs."""
    if not history["left"] or history["left"][-1]["role"] != "assistant":
        raise InputError(say("Votes are on replies to your own prompts (the example shown was answered as the page opened): send a "
                             "prompt first."))
    if history["voted"]:
        raise InputError(say("You already voted on these replies: send another prompt."))
    prompt = history["left"][-2]["content"]
    pair = arena.vote_pair(prompt, history["left"][-1]["content"], history["right"][-1]["content"], choice)
    votes = arena.add_vote(votes, pair)
    history = {**history, "voted": True}
    note = say("tie: no pair recorded") if pair is None else say("recorded: {choice}", choice=say(choice))
    return history, votes, votes_line(votes, note)


def votes_line(votes: list, note: str = "", text=say) -> str:
    """How many pairs the votes gave, by ``text`` (:func:`say` in an event, :func:`tr` on the page)."""
    agree = arena.votes_agreeing(votes)
    if agree is None:
        line = text("**{n}** preference pair(s) from your votes.", n=len(votes))
    else:
        line = text("**{n}** preference pair(s) from your votes; the lexicon reward agrees with {pct:.0f} % of them.",
                    n=len(votes), pct=100 * agree)
    return f"{note} · {line}" if note else line


def settings_from(steps, beta, loss_type, learning_rate, pairs: int, seed: int, cap: int) -> DPOSettings:
    steps = int(check_number(steps, say("Steps"), 1, cap, integer=True))
    beta = check_number(beta, "β", float("-inf"), float("inf"))
    learning_rate = check_number(learning_rate, say("Learning rate"), 1e-7, 1e-2)
    return DPOSettings(beta=beta, loss_type=loss_type, steps=steps, batch_size=max(1, min(16, pairs)),
                       learning_rate=learning_rate, seed=seed).validate()


@user_errors
def train_on_votes(votes: list, steps, beta, loss_type, learning_rate, source: str, mine):
    """A short DPO round on the person's pairs, continuing from the policy in the right column; swaps it in."""
    if not votes:
        raise InputError(say("You have no votes yet: compare two replies and press one of the vote buttons first."))
    settings = settings_from(steps, beta, loss_type, learning_rate, len(votes), 0, 100)
    ref, shipped, tokenizer = load_pair()
    start_from = OWN_POLICIES.get(mine, say(NO_POLICY)) if source == MINE and mine else shipped
    frame = None
    for frame in train_dpo(ref, tokenizer, votes, settings, policy=start_from):
        m = frame.metrics
        yield (say("step {step}/{total} · loss {loss:.3f} · margin {margin:+.3f}", step=frame.step, total=frame.total,
                   loss=m["loss"][-1], margin=m["rewards/margins"][-1]), gr.skip(), gr.skip(), gr.skip())
    yield (say("Trained {steps} steps on your {n} pair(s) (β={beta:g}, {loss}); the right column now answers with "
               "your policy.", steps=frame.step, n=len(votes), beta=settings.beta, loss=settings.loss_type),
           OWN_POLICIES.keep(frame.policy, mine), MINE, [])


@user_errors
def train_live(steps, beta, loss_type, learning_rate, data, seed, randomize, votes: list):
    """DPO from π_ref for N steps, streaming TRL's metrics, a KL estimate and the run's place on the frontier."""
    used_seed = resolve_seed(seed, randomize)
    pairs = {DATA_SHIPPED: shipped_pairs(), DATA_BOTH: shipped_pairs() + list(votes), DATA_VOTES: list(votes)}.get(data)
    if pairs is None:
        raise InputError(say("Choose the training data: {a}, {b} or {c}.", a=say(DATA_SHIPPED), b=say(DATA_BOTH),
                             c=say(DATA_VOTES)))
    if not pairs:
        raise InputError(say("You have no votes yet: vote in the arena, or train on the shipped pairs."))
    settings = settings_from(steps, beta, loss_type, learning_rate, len(pairs), used_seed, MAX_LIVE_STEPS)
    ref, _, tokenizer = load_pair()
    points = read_json(FRONTIER).get("points", [])
    prompts = held_out_prompts(KL_PROMPTS)
    yield (say("starting: {n} pairs, seed {seed}", n=len(pairs), seed=used_seed), figures.training_figure(None),
           figures.frontier_figure(points), gr.skip(), gr.skip(), used_seed)
    label = say("your run (β={beta:g}, {loss})", beta=settings.beta, loss=settings.loss_type)
    for frame in train_dpo(ref, tokenizer, pairs, settings, kl_prompts=prompts, kl_every=max(5, settings.steps // 8)):
        live = list(zip(frame.kl, frame.sample_reward, frame.kl_steps))
        m = frame.metrics
        kl = say(" · KL {kl:.2f} nats", kl=frame.kl[-1]) if frame.kl else ""
        status = say("{state}: step {step}/{total} in {seconds:.0f} s · loss {loss:.3f} · accuracy {accuracy:.2f}{kl}",
                     state=say("done") if frame.done else say("training"), step=frame.step, total=frame.total,
                     seconds=frame.seconds, loss=m["loss"][-1], accuracy=m["rewards/accuracies"][-1], kl=kl)
        if frame.done:
            status += say(" — the arena's right column can now use it (“my trained policy”).")
        yield (status, figures.training_figure(frame), figures.frontier_figure(points, live, label),
               OWN_POLICIES.keep(frame.policy) if frame.done else gr.skip(), MINE if frame.done else gr.skip(),
               used_seed)


def shipped_summary(text=say) -> str:
    """The shipped pair's figures, by ``text`` (:func:`say` in an event, :func:`tr` on the page)."""
    info = read_json(TRAINING)
    if not info:
        return text("No shipped checkpoint yet: run `python -m rlgen train dpo`.")
    ev, rm = info["evaluation"], info["reward_model"]
    stages = info["stage_seconds"]
    return text("Shipped pair: `python -m rlgen train dpo` — {parameters:,} parameters, {minutes:.1f} min on "
                "{threads} thread(s) of a shared 2-core machine (SFT {sft:.0f} s, DPO {dpo:.0f} s). On {prompts} "
                "held-out prompts: reward **{reward_ref:+.2f}** (π_ref) → **{reward_policy:+.2f}** (DPO), win rate "
                "{win:.0f} %, KL {kl:.2f} nats, distinct-2 {d2_ref:.2f} → {d2_policy:.2f}. Stage 2 (what DPO skips): "
                "a Bradley–Terry reward model on the same pairs ranks {accuracy:.0f} % of {pairs} held-out pairs "
                "correctly.", parameters=info["parameters"], minutes=sum(stages.values()) / 60,
                threads=info["torch_threads"], sft=stages.get("sft", 0), dpo=stages["dpo"], prompts=ev["prompts"],
                reward_ref=ev["reward_ref"], reward_policy=ev["reward_policy"], win=100 * ev["win_rate"],
                kl=ev["kl"], d2_ref=ev["distinct_2_ref"], d2_policy=ev["distinct_2_policy"],
                accuracy=100 * rm["held_out_accuracy"], pairs=rm["held_out_pairs"])


def build() -> None:
    """The arena (two chat columns, sampling, votes), DPO trained live, then the RLHF section."""
    history, votes = session_state(empty_history()), session_state([])
    mine = session_state(None, delete_callback=OWN_POLICIES.drop)
    chat = _chat_columns()
    # the explanation under the chat: Send sits above the fold on a 720-px screen
    gr.Markdown(tr(INTRO), elem_classes="rlgen-explain")
    gr.Markdown(shipped_summary(tr))
    sampling = _sampling()
    link_opened = linked("dpo", prompt=chat.prompt, temperature=sampling.temperature, seed=sampling.seed)
    _wire_chat(chat, sampling, history, mine, link_opened)
    _votes(history, votes, chat.source, mine)
    _train_live(votes, chat.source, mine)
    rlhf.build_section()


def _chat_columns() -> SimpleNamespace:
    """The models to compare, the two chat columns, the prompt with its examples, and the status line."""
    with gr.Row():
        model_key = gr.Dropdown([(tr(TINY), TINY), *real.available()], value=TINY, label=tr("Models"),
                                info=tr("Real pairs appear with RLGEN_REAL_WEIGHTS=1 on a GPU host."), scale=2)
        source = gr.Radio([(tr(SHIPPED), SHIPPED), (tr(MINE), MINE)], value=SHIPPED, label=tr("Right column"), scale=2)
    with gr.Row():
        left = gr.Chatbot(opening(0), label=tr("Reference (SFT) π_ref"), height=380, elem_id="dpo-left",
                          buttons=CHAT_BUTTONS)
        right = gr.Chatbot(opening(1), label=tr("DPO policy π"), height=380, elem_id="dpo-right",
                           buttons=CHAT_BUTTONS)
    with gr.Row():
        prompt = gr.Textbox(value=EXAMPLE_PROMPTS[1], label=tr("Your message (sent to both)"), scale=5,
                            elem_id="dpo-prompt")
        send_button = gr.Button(tr("Send"), variant="primary", scale=1)
        clear_button = gr.Button(tr("Clear"), scale=1)
    gr.Examples([[p] for p in EXAMPLE_PROMPTS], [prompt], label=tr("Prompts where the two policies part ways"))
    gr.Markdown(tr(KNOWS, examples=", ".join(f"`{topic.things[0]}`" for topic in TOPICS)), elem_classes="rlgen-explain",
                elem_id="dpo-knows")
    status = gr.Markdown(tr(DEFAULTS_NOTE), elem_classes="rlgen-status")
    return SimpleNamespace(model_key=model_key, source=source, left=left, right=right, prompt=prompt,
                           send_button=send_button, clear_button=clear_button, status=status)


def _sampling() -> SimpleNamespace:
    """The folded sampling settings both columns share, and the seed."""
    with advanced("Sampling (shared by both columns)"):
        with gr.Row():
            temperature = gr.Slider(0.0, 2.0, value=DEFAULT_TEMPERATURE, step=0.05,
                                    label=tr("Temperature (0 = greedy)"))
            top_p = gr.Slider(0.05, 1.0, value=0.95, step=0.05, label="Top-p")
            max_tokens = Number(value=64, precision=0, label=tr("Max new tokens (≤ {n})", n=MAX_NEW_TOKENS))
            beta = Number(value=0.1, label=tr("β for the implicit reward"))
        seed, randomize = seed_controls(0)
    return SimpleNamespace(temperature=temperature, top_p=top_p, max_tokens=max_tokens, beta=beta, seed=seed,
                           randomize=randomize)


def _wire_chat(chat: SimpleNamespace, sampling: SimpleNamespace, history, mine, link_opened) -> None:
    """Send (or Enter, or a link's prompt) answers in both columns; Clear empties them."""
    s = sampling
    chat_inputs = [chat.prompt, history, s.temperature, s.top_p, s.max_tokens, s.beta, s.seed, s.randomize,
                   chat.model_key, chat.source, mine]
    chat_outputs = [chat.left, chat.right, history, chat.prompt, s.seed, chat.status]
    answer = on_gpu(send) if runtime.REAL_WEIGHTS else send
    chat.send_button.click(answer, chat_inputs, chat_outputs, show_progress_on=[chat.status], **REPLY_QUEUE)
    chat.prompt.submit(answer, chat_inputs, chat_outputs, show_progress_on=[chat.status], **REPLY_QUEUE)

    def answer_link(*values):  # a link's prompt stays in the box, so "Copy link" gives the same demo back
        for left_chat, right_chat, chats, _, used_seed, text in answer(*values):
            yield left_chat, right_chat, chats, used_seed, text

    link_opened.change(answer_link, chat_inputs, [chat.left, chat.right, history, s.seed, chat.status],
                       show_progress_on=[chat.status], api_visibility="private", **REPLY_QUEUE)
    chat.clear_button.click(clear, None, [chat.left, chat.right, history, chat.status])


def _votes(history, votes, source, mine) -> None:
    """The "Which is better?" part: the vote buttons, the votes so far, and a short DPO round on them."""
    gr.Markdown(tr("### Which is better?"))
    with gr.Row():
        left_better = gr.Button(tr("⬅ Left is better"))
        tie = gr.Button(tr("Tie"))
        right_better = gr.Button(tr("Right is better ➡"))
    votes_md = gr.Markdown(votes_line([], text=tr))
    with gr.Row():
        vote_steps = Number(value=20, precision=0, label=tr("Steps (≤ {n})", n=100))
        vote_beta = Number(value=0.1, label="β")
        vote_loss = gr.Dropdown(list(LOSS_TYPES), value="sigmoid", label=tr("Loss type"))
        vote_lr = Number(value=1e-4, label=tr("Learning rate"))
        vote_train = gr.Button(tr("Train on my votes"), variant="primary")
        vote_stop = gr.Button(tr("Stop"), variant="stop")
    for button, choice in ((left_better, "left"), (tie, "tie"), (right_better, "right")):
        button.click(lambda h, v, c=choice: vote(c, h, v), [history, votes], [history, votes, votes_md])
    vote_run = vote_train.click(train_on_votes, [votes, vote_steps, vote_beta, vote_loss, vote_lr, source, mine],
                                [votes_md, mine, source, votes], show_progress_on=[votes_md], **TRAINING_QUEUE)
    vote_stop.click(None, None, None, cancels=[vote_run]).then(
        lambda v: votes_line(v, say("Stopped: the right column keeps the policy it had.")), votes, votes_md)


def _train_live(votes, source, mine) -> None:
    """The "Train DPO live" part: its settings, Start and Stop, TRL's metrics and the run on the frontier."""
    gr.Markdown(tr("### Train DPO live (from π_ref, with TRL's DPOTrainer)"))
    with advanced(open=True):
        with gr.Row():
            live_steps = Number(value=60, precision=0, label=tr("Steps (≤ {n})", n=MAX_LIVE_STEPS))
            live_beta = Number(value=0.1, label="β")
            live_loss = gr.Dropdown(list(LOSS_TYPES), value="sigmoid", label=tr("Loss type"))
            live_lr = Number(value=1e-4, label=tr("Learning rate"))
            data = gr.Radio([(tr(DATA_SHIPPED), DATA_SHIPPED), (tr(DATA_BOTH), DATA_BOTH),
                             (tr(DATA_VOTES), DATA_VOTES)], value=DATA_SHIPPED, label=tr("Training pairs"))
        live_seed, live_randomize = seed_controls(0)
    with gr.Row():
        start = gr.Button(tr("Start"), variant="primary")
        stop = gr.Button(tr("Stop"), variant="stop")
    live_status = gr.Textbox(label=tr("Status"), interactive=False, elem_classes="rlgen-status")
    metrics_plot = gr.Plot(value=figures.training_figure(None), label=tr("TRL metrics and KL"))
    frontier_plot = gr.Plot(value=figures.frontier_figure(read_json(FRONTIER).get("points", [])),
                            label=tr("Frontier"))
    run = start.click(train_live, [live_steps, live_beta, live_loss, live_lr, data, live_seed, live_randomize, votes],
                      [live_status, metrics_plot, frontier_plot, mine, source, live_seed],
                      show_progress_on=[live_status], **TRAINING_QUEUE)
    stop.click(None, None, None, cancels=[run]).then(lambda: say("stopped."), None, live_status)
