"""The Generative lab tab: score matching, SDE samplers, rectified flow and autoregressive digit models, each
trained live in seconds on a CPU while the page shows what it learns."""

from __future__ import annotations

import time
from collections.abc import Iterator
from types import SimpleNamespace

import gradio as gr
import numpy as np
from PIL import Image, ImageDraw

from rlgen import lettering
from rlgen.errors import InputError
from rlgen.genlab import autoregressive as ar
from rlgen.genlab import figures, lab2d, toy2d_data
from rlgen.genlab.flow import RectifiedFlow
from rlgen.genlab.metrics import mmd2
from rlgen.progress import throttled
from rlgen.ui.i18n import say, tr
from rlgen.ui.links import linked
from rlgen.ui.live import TRAINING_QUEUE, OwnModels
from rlgen.ui.widgets import (
    SESSION_TTL_S,
    Opening,
    advanced,
    check_number,
    resolve_seed,
    seed_controls,
    session_state,
    user_errors,
)

TITLE = "Generative lab"
DESCRIPTION = "Score matching, SDE samplers, rectified flow and autoregressive digit models, trained live on a CPU."

LATEX = [{"left": "$$", "right": "$$", "display": True}, {"left": "$", "right": "$", "display": False}]
SHOWN_POINTS = 1500
LIVE_SAMPLES = 400
FINAL_SAMPLES = 1000
FRAME_SECONDS = 0.4  # live views refresh at ≥ 2 frames a second
CANVAS_SIDE = 320
ANIMATION_FRAMES = 25
ANIMATION_SECONDS = 0.15
PIXEL_SECONDS = 0.06  # a pause per drawn pixel, so the eye can follow one pixel at a time
MAX_STEPS = 6000  # a few seconds on one thread; two trainings of this tab run at once, the rest queue
# each person's trained models stay on the server, at most this many in all (their state holds a reference)
OWN_MODELS = OwnModels(SESSION_TTL_S, capacity=64, what="trained model")

INTRO = r"""
### Why the image generator works, on data small enough to train while you watch
A diffusion model learns the **score** $\nabla_x \log p_\sigma(x)$ of the data blurred by noise of size $\sigma$,
then walks noise back to data along it. Pick a 2-D data set and a method and press **Start**: the samples, the
learned field and the loss update live (each model trains in seconds on one CPU thread). The last tab trains
autoregressive models that give the **exact likelihood** $p(x) = \prod_i p(x_i \mid x_{<i})$ of 8×8 digits.
"""

KNOWS_2D = ("**What a model here knows:** only the data it was just trained on — the 2-D data set chosen above, or "
            "the points you draw in the square [-3, 3]². It knows nothing of images or words: a model trained on "
            "*two moons* samples two arcs, and for *circles* you train again.")
KNOWS_DIGITS = ("**What these models know:** 8×8 black-and-white digits 0–9 (scikit-learn's 1,797 handwritten "
                "digits, pixels on above half intensity), nothing else: samples look like such digits, e.g. a 0 or "
                "a 7 in a 64-pixel grid.")

FIELD_TEXT = {
    lab2d.SMLD: r"""**Denoising score matching** over a ladder $\sigma_1 > \dots > \sigma_L$:
$$\min_\theta \; \mathbb{E}_{\sigma}\,\mathbb{E}_{x,z}\big\|\sigma\, s_\theta(x+\sigma z, \sigma) + z\big\|^2$$
whose minimiser is $s_\theta(\cdot,\sigma) = \nabla \log p_\sigma$. Arrows point uphill in density; at large $\sigma$
they all point to the middle, at small $\sigma$ to the nearest piece of data.""",
    lab2d.VE: r"""**VE SDE** $dx = \sqrt{d\sigma^2(t)/dt}\, dw$, $\sigma(t) = \sigma_{min}(\sigma_{max}/\sigma_{min})^t$, so
$x_t = x_0 + \sigma(t) z$. The net learns $s_\theta(x,t) \approx \nabla \log p_t(x)$ for every $t \in [\epsilon, 1]$
by the same denoising loss, weighted by $\sigma(t)^2$.""",
    lab2d.VP: r"""**VP SDE** $dx = -\tfrac12\beta(t)\,x\,dt + \sqrt{\beta(t)}\,dw$: the data shrink while noise grows,
$x_t = \alpha(t) x_0 + \sqrt{1-\alpha^2}\, z$ with $\alpha(t) = e^{-\frac12\int_0^t \beta}$ — the continuous limit of
DDPM. Arrows: $s_\theta(x,t) \approx \nabla \log p_t(x)$.""",
    lab2d.DDPM: r"""**DDPM**: $x_k = \sqrt{\bar\alpha_k}\,x_0 + \sqrt{1-\bar\alpha_k}\,\varepsilon$ over 100 steps; the net predicts the noise,
$\min \|\varepsilon - \varepsilon_\theta(x_k, k)\|^2$. The score is $-\varepsilon_\theta/\sqrt{1-\bar\alpha_k}$ (the arrows).""",
    lab2d.RF: r"""**Rectified flow** learns the velocity of straight lines from noise $x_0$ to data $x_1$:
$$\min_\theta\; \mathbb{E}_t \big\| v_\theta\big((1-t)x_0 + t x_1, t\big) - (x_1 - x_0)\big\|^2 .$$
Arrows: $v_\theta(x, t)$ (after reflow: the 2-RF velocity). $t = 0$ is noise, $t = 1$ is data.""",
}

# the noise slider in each method's own words: u = 0 is always the data end, but rectified flow's time runs the other
# way (t = 0 is noise), so its label names the slider 1 − t, as the learned field's title shows t
LEVEL_LABELS = {
    lab2d.SMLD: "Noise level σ (0 = the smallest σ, at the data; 1 = the largest, pure noise)",
    lab2d.VE: "Time t of the SDE (0 = the data end, 1 = the noise end)",
    lab2d.VP: "Time t of the SDE (0 = the data end, 1 = the noise end)",
    lab2d.DDPM: "Step k (0 = the first step, at the data; 1 = the last, pure noise)",
    lab2d.RF: "Noise level 1 − t (0: t = 1, the data; 1: t = 0, the noise)",
}

SAMPLER_TEXT = {
    lab2d.SMLD: r"""**Annealed Langevin dynamics**: at each level, $T$ steps of
$$x \leftarrow x + \tfrac{\alpha_i}{2}\, s_\theta(x, \sigma_i) + \sqrt{\alpha_i}\, z, \quad \alpha_i = \eta\,\sigma_i^2,$$
from $x \sim \mathcal N(0, \sigma_1^2 I)$. Each dot is a chain's position after one level: big noisy jumps first,
then small moves onto the data.""",
    lab2d.VE: r"""**Reverse-time SDE** (left) $dx = [f - g^2 \nabla\log p_t]\,dt + g\,d\bar w$ and the **probability-flow ODE**
(right) $dx/dt = f - \tfrac12 g^2 \nabla \log p_t$, integrated from the **same** starting noise. Both have the
marginals $p_t$; the SDE's paths jitter and land anywhere, the ODE's are smooth and deterministic.""",
    lab2d.DDPM: r"""**Ancestral sampling**: $x_{k-1} = \frac{1}{\sqrt{\alpha_k}}\big(x_k - \frac{\beta_k}{\sqrt{1-\bar\alpha_k}}
\varepsilon_\theta\big) + \sqrt{\beta_k}\, z$. The same starting points with two different noise draws end in
different places: DDPM sampling is a discretised reverse SDE.""",
    lab2d.RF: r"""**ODE paths** $dx/dt = v_\theta(x,t)$ from the same noise. 1-RF's paths bend (independent pairs cross, and the
learned velocity averages them); **reflow** retrains on the pairs $(x_0, \mathrm{ODE}_1(x_0))$ it produced, which
do not cross, so 2-RF's paths are nearly straight. Straightness
$S = \int_0^1 \mathbb E\|(x_1 - x_0) - \dot x_t\|^2 dt$ (0 = straight).""",
}
SAMPLER_TEXT[lab2d.VP] = SAMPLER_TEXT[lab2d.VE]

ONE_STEP_TEXT = r"""**One Euler step** $x_1 = x_0 + v_\theta(x_0, 0)$ lands on $\mathbb E[x_1 \mid x_0]$. For 1-RF that is an average
over many data points (a blur in the middle); after reflow each $x_0$ has one partner, so one step is nearly
enough. MMD² compares the samples with the data (0 = same distribution)."""

MIXTURE_TEXT = r"""For a Gaussian mixture $p = \sum_k w_k \mathcal N(\mu_k, s_k^2 I)$ the noised marginal is again a mixture
($\mu_k \to \alpha\mu_k$, $s_k^2 \to \alpha^2 s_k^2 + \sigma^2$), so its score is known exactly:
$$\nabla \log p_\sigma(x) = \sum_k r_k(x)\, \frac{\alpha\mu_k - x}{\alpha^2 s_k^2 + \sigma^2}$$
with $r_k$ the posterior weight of component $k$. Right: $\|s_\theta - s\| / \|s\|$ on a grid (capped at 1; far
from the data both are large and the net has seen no examples). For rectified flow the exact velocity of 1-RF is
$(x + (1-t)\nabla\log p_t(x))/t$."""

AR_INTRO = r"""**Autoregressive models** factor the likelihood by the chain rule, $p(x) = \prod_{i=1}^{64} p(x_i \mid x_{<i})$, in raster
order over scikit-learn's 8×8 digits (binarized at half intensity; 1,438 train / 359 held-out images).
- **FVSBN**: one logistic regression per pixel, $p(x_i = 1 \mid x_{<i}) = \sigma(b_i + \sum_{j<i} W_{ij} x_j)$.
- **NADE**: a hidden layer shared by all pixels, $h_i = \sigma(c + W_{:,<i}\, x_{<i})$,
  $p(x_i = 1 \mid x_{<i}) = \sigma(b_i + V_i^\top h_i)$.
- **Baseline**: every pixel independent, $p(x) = \prod_i p_i^{x_i}(1-p_i)^{1-x_i}$.

The held-out negative log-likelihood $-\log_2 p(x)$ is exact (bits per image; lower is better)."""

PIXEL_TEXT = r"""**Sampling** draws $x_1 \sim p(x_1)$, then $x_2 \sim p(x_2 \mid x_1)$, … one pixel at a time (red box: the
next pixel). Right: the probability each pixel had of being on when it was drawn, and for the boxed pixel
$p(x_i = 1 \mid x_{<i})$ given everything drawn so far. With *complete a held-out digit*, the top half is copied
from a test image and the model fills in the rest."""


# -- 2-D lab: per-user state and handlers (pure functions of their inputs) ----------------------------------------
def check_dataset(dataset: str, points: list | None) -> None:
    if dataset not in toy2d_data.DATASETS:
        raise InputError(say("Unknown data set {dataset!r}; choose one of: {choices}.", dataset=dataset,
                             choices=", ".join(toy2d_data.DATASETS)))
    if dataset == "your points":
        toy2d_data.check_user_points(points)


def preview(dataset: str, points: list | None, seed: int = 0):
    """The data alone (the first thing the page shows): no model yet."""
    if dataset == "your points" and len(points or []) < toy2d_data.MIN_USER_POINTS:
        return figures.samples_figure(np.zeros((0, 2), dtype=np.float32), None,
                                      say("Your points: click at least {n} on the canvas (left)",
                                          n=toy2d_data.MIN_USER_POINTS))
    data = toy2d_data.sample(dataset, SHOWN_POINTS, seed, points)
    return figures.samples_figure(data, None, say("Data: {dataset} — press Start to train a model",
                                                  dataset=say(dataset)))


def on_dataset(dataset: str, points: list | None, lab: dict | None = None):
    """New data set: a fresh preview; the mixture comparison only where the exact score is known; and, where a
    model was trained on another data set, a note that its field and paths still show that one."""
    trained = (lab or {}).get("dataset")
    note = (say("The model below was trained on {trained}, not on {dataset}: its field and sampler paths still show "
                "{trained}. Press Start to train one on {dataset}.", trained=say(trained), dataset=say(dataset))
            if trained and trained != dataset else gr.skip())
    return preview(dataset, points), gr.update(visible=toy2d_data.mixture(dataset) is not None), note


def on_method(method: str):
    lab2d.check_method(method)
    return (say(FIELD_TEXT[method]), say(SAMPLER_TEXT[method]),
            gr.update(visible=method == lab2d.RF), gr.update(label=say(LEVEL_LABELS[method])))


def _model(lab: dict | None):
    """The model behind the session's plain state (kept in :data:`OWN_MODELS`)."""
    return OWN_MODELS.get(lab.get("model") if lab else None, say("Train a model first (press Start)."))


def _final_views(lab: dict, u: float):
    model, data, mix = _model(lab), lab["data"], toy2d_data.mixture(lab["dataset"])
    field = lab2d.field_view(model, data, u)
    sampler = lab2d.sampler_view(model, data, lab["seed"])
    one_step = lab2d.one_step_view(model, data, lab["seed"]) if isinstance(model, RectifiedFlow) else gr.skip()
    mixture = lab2d.mixture_view(model, mix, u) if mix is not None else gr.skip()
    return field, sampler, one_step, mixture


def train_2d(dataset: str, method: str, steps: float, seed: float, randomize: bool, points: list | None,
             u: float) -> Iterator[tuple]:
    """Train the chosen method on the chosen data, streaming samples, loss and the learned field; when done,
    add the sampler views. Yields (state, status, samples, loss, field, sampler, one-step, mixture, seed)."""
    check_dataset(dataset, points)
    lab2d.check_method(method)
    steps = check_number(steps, say("Training steps"), 50, MAX_STEPS, integer=True)
    u = check_number(u, say("The noise-level slider"), 0.0, 1.0)
    seed = resolve_seed(seed, randomize)
    train_set = toy2d_data.sample(dataset, lab2d.TRAIN_POINTS, seed, points)
    data = train_set[:SHOWN_POINTS]
    lab = {"dataset": dataset, "method": method, "seed": seed, "data": data, "model": None}
    started = time.perf_counter()
    frame = None
    for frame in throttled(lab2d.train(method, train_set, steps, seed), FRAME_SECONDS):
        now = time.perf_counter()
        lab["model"] = OWN_MODELS.keep(frame.model, lab["model"])
        samples = lab2d.quick_samples(frame.model, LIVE_SAMPLES, seed + 1)
        status = say("{phase}: step {step}/{total}, loss {loss:.4f}, {seconds:.1f} s", phase=say(frame.phase),
                     step=frame.step, total=frame.total_steps, loss=frame.loss, seconds=now - started)
        reflow = lab2d.reflow_starts(method, steps)
        boundary = reflow if reflow is not None and frame.step > reflow else None
        yield (lab, status,
               figures.samples_figure(data, samples, say("{method} — step {step} of {total}", method=say(method),
                                                         step=frame.step, total=frame.total_steps)),
               figures.loss_figure(frame.losses, say("Training loss ({phase})", phase=say(frame.phase)), boundary),
               lab2d.field_view(frame.model, data, u), gr.skip(), gr.skip(), gr.skip(), seed)
    samples = lab2d.final_samples(frame.model, FINAL_SAMPLES, seed + 1)
    quality = mmd2(samples, toy2d_data.sample(dataset, len(samples), seed + 7, points))
    status = say("Done: {steps} steps in {seconds:.1f} s; final loss {loss:.4f}; sample MMD² to fresh data "
                 "{mmd:.4f} (0 = indistinguishable)", steps=frame.total_steps,
                 seconds=time.perf_counter() - started, loss=frame.loss, mmd=quality)
    yield (lab, status, figures.samples_figure(data, samples, say("{method}: {n} samples after training",
                                                                  method=say(method), n=len(samples))),
           figures.loss_figure(frame.losses, say("Training loss"), lab2d.reflow_starts(method, steps)),
           *_final_views(lab, u), seed)


def _trained(lab: dict | None) -> dict:
    _model(lab)
    return lab


def redraw_field(lab: dict | None, u: float):
    """The σ / t slider moved: the learned field (and the exact comparison) at the new level."""
    if not lab or lab.get("model") is None:
        return gr.skip(), gr.skip()
    u = check_number(u, say("The noise-level slider"), 0.0, 1.0)
    mix = toy2d_data.mixture(lab["dataset"])
    model = _model(lab)
    mixture = lab2d.mixture_view(model, mix, u) if mix is not None else gr.skip()
    return lab2d.field_view(model, lab["data"], u), mixture


def animate_paths(lab: dict | None) -> Iterator:
    """Replay the sampler view as it happens: the chains or paths grow from their start to their end."""
    lab = _trained(lab)
    paths = lab2d.sampler_paths(_model(lab), lab["seed"])
    frames = min(ANIMATION_FRAMES, paths.length - 1)
    for k in range(1, frames + 1):
        yield lab2d.sampler_figure(paths, lab["data"], k / frames)
        time.sleep(ANIMATION_SECONDS)


def redraw_paths(lab: dict | None, seed: float, randomize: bool):
    """New starting points for the sampler views (the trained model stays)."""
    lab = _trained(lab)
    lab = {**lab, "seed": resolve_seed(seed, randomize)}
    model = _model(lab)
    sampler = lab2d.sampler_view(model, lab["data"], lab["seed"])
    one_step = (lab2d.one_step_view(model, lab["data"], lab["seed"])
                if isinstance(model, RectifiedFlow) else gr.skip())
    return lab, sampler, one_step, lab["seed"]


def canvas_image(points: list | None) -> Image.Image:
    """The drawing canvas: [-3, 3]² with a grid and the clicked points."""
    img = Image.new("RGB", (CANVAS_SIDE, CANVAS_SIDE), "white")
    draw = ImageDraw.Draw(img)
    for k in range(-3, 4):
        p = to_pixel(k, k)
        color = (150, 150, 150) if k == 0 else (225, 225, 225)
        draw.line([(p[0], 0), (p[0], CANVAS_SIDE)], fill=color)
        draw.line([(0, p[1]), (CANVAS_SIDE, p[1])], fill=color)
    for x, y in points or []:
        px, py = to_pixel(x, y)
        draw.ellipse([px - 4, py - 4, px + 4, py + 4], fill=(214, 39, 40))
    words = say("{n} points (click to add)", n=len(points or []))
    draw.text((4, 4), words, fill=(60, 60, 60), font=lettering.font(12, words))
    return img


def to_pixel(x: float, y: float) -> tuple[float, float]:
    scale = CANVAS_SIDE / (2 * toy2d_data.CANVAS_LIMIT)
    return (x + toy2d_data.CANVAS_LIMIT) * scale, (toy2d_data.CANVAS_LIMIT - y) * scale


def add_point(points: list | None, px: float, py: float):
    """A click at pixel (px, py) of the canvas adds the data point it stands for."""
    points = list(points or [])
    if len(points) >= toy2d_data.MAX_USER_POINTS:
        raise InputError(say("At most {n} points can be drawn; clear some first.", n=toy2d_data.MAX_USER_POINTS))
    scale = 2 * toy2d_data.CANVAS_LIMIT / CANVAS_SIDE
    x = float(np.clip(px * scale - toy2d_data.CANVAS_LIMIT, -toy2d_data.CANVAS_LIMIT, toy2d_data.CANVAS_LIMIT))
    y = float(np.clip(toy2d_data.CANVAS_LIMIT - py * scale, -toy2d_data.CANVAS_LIMIT, toy2d_data.CANVAS_LIMIT))
    points.append([round(x, 3), round(y, 3)])
    return points, canvas_image(points)


def click_canvas(points: list | None, dataset: str, px: float | None = None, py: float | None = None):
    """A click on the canvas (or Clear, with no pixel): the new points, the canvas, and — when the chosen data
    set is "your points" — the data preview."""
    if px is None or py is None:
        points, image = [], canvas_image([])
    else:
        points, image = add_point(points, px, py)
    return points, image, preview(dataset, points) if dataset == "your points" else gr.skip()


# -- autoregressive digits ------------------------------------------------------------------------------------------
def train_digits(kind: str, steps: float, hidden: float, seed: float, randomize: bool) -> Iterator[tuple]:
    """Train FVSBN or NADE, streaming the NLL curve against the baseline and a few samples.
    Yields (state, status, NLL figure, samples figure, seed)."""
    steps = check_number(steps, say("Training steps"), 10, ar.MAX_AR_STEPS, integer=True)
    hidden = check_number(hidden, say("NADE hidden units"), 1, ar.MAX_HIDDEN, integer=True)
    seed = resolve_seed(seed, randomize)
    started = time.perf_counter()
    ref = None
    for frame in throttled(ar.train_autoregressive(kind, steps=steps, hidden=hidden, seed=seed), FRAME_SECONDS):
        now = time.perf_counter()
        done = frame.step == frame.total_steps
        ref = OWN_MODELS.keep(frame.model, ref)
        state = {"model": ref, "kind": kind, "seed": seed}
        images = ar.sample_images(frame.model, 16, seed + 1)
        verdict = (say("beats") if frame.test_bits < frame.baseline_bits else say("does not beat yet"))
        status = say("{state} {kind}: step {step}/{total}, held-out {bits:.2f} bits/image ({verdict} the "
                     "independent baseline's {baseline:.2f}), {seconds:.1f} s",
                     state=say("Done") if done else say("Training"), kind=kind, step=frame.step,
                     total=frame.total_steps, bits=frame.test_bits, verdict=verdict, baseline=frame.baseline_bits,
                     seconds=now - started)
        yield (state, status, figures.nll_figure(frame.history, frame.baseline_bits, kind),
               figures.digit_grid(images, say("16 samples from {kind} at step {step}", kind=kind, step=frame.step)),
               seed)


def draw_digit(state: dict | None, seed: float, randomize: bool, complete: bool) -> Iterator[tuple]:
    """Draw one digit pixel by pixel. Yields (digit figure, probability map, status, seed)."""
    model = OWN_MODELS.get(state.get("model") if state else None, say("Train FVSBN or NADE first (press Train)."))
    seed = resolve_seed(seed, randomize)
    prefix = None
    if complete:
        _, test = ar.binarized_digits()
        prefix = test[seed % len(test)][: ar.N_PIXELS // 2]
    for frame in ar.sample_pixels(model, seed, prefix):
        nxt = frame.index + 1 if frame.index + 1 < ar.N_PIXELS else None
        given = prefix is not None and frame.index < len(prefix)
        what = (say("copied from a held-out digit") if given
                else say("drawn with p(= 1) = {p:.3f}", p=frame.probs[frame.index]))
        yield (figures.digit_figure(frame.image, nxt, say("pixel {i} of {n}: {what}", i=frame.index + 1,
                                                          n=ar.N_PIXELS, what=what)),
               figures.probability_figure(frame.probs, nxt, frame.p_next),
               say("{kind}: pixel {i}/{n}", kind=state["kind"], i=frame.index + 1, n=ar.N_PIXELS), seed)
        if PIXEL_SECONDS:
            time.sleep(PIXEL_SECONDS)


# -- what the tab opens on ------------------------------------------------------------------------------------------
DEFAULT_DATASET, DEFAULT_LEVEL = "two moons", 0.3


def opening_2d() -> tuple:
    """The first method trained on the default data with the default steps and seed: (samples, loss, field,
    sampler)."""
    method = lab2d.METHODS[0]
    *_, last = train_2d(DEFAULT_DATASET, method, lab2d.DEFAULT_STEPS[method], 0, False, [], DEFAULT_LEVEL)
    return last[2:6]


def opening_digits() -> tuple:
    """NADE trained with the default steps, width and seed: (NLL curve, samples)."""
    *_, last = train_digits("NADE", 800, 32, 0, False)
    return last[2:4]


# -- layout ------------------------------------------------------------------------------------------------------
def build() -> None:
    gr.Markdown(tr(INTRO), latex_delimiters=LATEX)
    with gr.Tabs():
        with gr.Tab(tr("2-D: score, SDE, flow")):
            _build_2d()
        with gr.Tab(tr("Autoregressive digits")):
            _build_digits()


def _build_2d() -> None:
    """The 2-D tab: the training controls beside the data and the loss, then the learned field, the sampler's
    paths, and the one-step and mixture views some methods add."""
    opening = Opening(opening_2d)  # a trained result before any click
    lab = session_state(None)
    points = session_state([])
    first_method = lab2d.METHODS[0]
    with gr.Row():
        with gr.Column(scale=2):
            controls = _training_controls(first_method)
            canvas = _your_points()
        with gr.Column(scale=3):
            samples = gr.Plot(value=opening.part(0, preview(DEFAULT_DATASET, [])), label=tr("Data and samples"),
                              elem_id="genlab-samples")
            loss = gr.Plot(opening.part(1), label=tr("Training loss"), elem_id="genlab-loss")
    views = _field_and_sampler(opening, first_method)
    _wire_training(lab, points, controls, samples, loss, views)
    _wire_your_points(points, controls.dataset, canvas, samples)


def _training_controls(first_method: str) -> SimpleNamespace:
    """Start and Stop, the data set, the method, the training steps and seed, the controls a link sets, the status
    and what the models know."""
    with gr.Row():  # the main action leads the column: above the fold on a 720-px screen
        start = gr.Button(tr("Start"), variant="primary", elem_id="genlab-start")
        stop = gr.Button(tr("Stop"), variant="stop", elem_id="genlab-stop")
    dataset = gr.Dropdown([(tr(name), name) for name in toy2d_data.DATASETS], value="two moons",
                          label=tr("Data set"), elem_id="genlab-dataset")
    method = gr.Radio([(tr(name), name) for name in lab2d.METHODS], value=first_method, label=tr("Method"),
                      elem_id="genlab-method")
    with advanced(open=True):
        steps = gr.Slider(50, MAX_STEPS, value=lab2d.DEFAULT_STEPS[first_method], step=50,
                          label=tr("Training steps (≤ {n})", n=MAX_STEPS), elem_id="genlab-steps")
        seed, randomize = seed_controls()
    # a link's data set and method show as choosing them does: the data's preview, the method's notes
    linked("genlab", data=dataset, method=method, seed=seed)
    status = gr.Textbox(label=tr("Status"), interactive=False, elem_id="genlab-status",
                        elem_classes=["rlgen-status"],
                        value=tr("Shown: a model trained with the settings above when the app started. "
                                 "Press Start to train your own."))
    gr.Markdown(tr(KNOWS_2D), elem_classes=["rlgen-explain"], elem_id="genlab-knows")
    return SimpleNamespace(start=start, stop=stop, dataset=dataset, method=method, steps=steps, seed=seed,
                           randomize=randomize, status=status)


def _your_points() -> SimpleNamespace:
    """The folded canvas where a reader clicks the points of their own data set, and its Clear button."""
    with gr.Accordion(tr("Draw your own data (data set: “your points”)"), open=False):
        canvas = gr.Image(value=lambda: canvas_image([]), type="pil", interactive=False, show_label=False,
                          elem_id="genlab-canvas", height=CANVAS_SIDE, width=CANVAS_SIDE)
        clear = gr.Button(tr("Clear points"))
    return SimpleNamespace(image=canvas, clear=clear)


def _field_and_sampler(opening: Opening, first_method: str) -> SimpleNamespace:
    """The learned field and the sampler's paths, each beside its explanation; the one-step and mixture rows,
    hidden until a method that has them is chosen."""
    with gr.Row(equal_height=False):
        field = gr.Plot(opening.part(2), label=tr("Learned field"), elem_id="genlab-field", scale=3)
        with gr.Column(scale=2):
            level = gr.Slider(0, 1, value=DEFAULT_LEVEL, step=0.01, label=tr(LEVEL_LABELS[first_method]),
                              elem_id="genlab-level")
            field_text = gr.Markdown(tr(FIELD_TEXT[first_method]), latex_delimiters=LATEX,
                                     elem_classes=["rlgen-explain"])
    with gr.Row(equal_height=False):
        sampler = gr.Plot(opening.part(3), label=tr("Sampler paths"), elem_id="genlab-sampler", scale=3)
        with gr.Column(scale=2):
            sampler_text = gr.Markdown(tr(SAMPLER_TEXT[first_method]), latex_delimiters=LATEX,
                                       elem_classes=["rlgen-explain"])
            with gr.Row():
                animate = gr.Button(tr("Animate sampling"), elem_id="genlab-animate")
                repaths = gr.Button(tr("New starting points (seed box)"))
    with gr.Row(equal_height=False, visible=False) as one_step_row:
        one_step = gr.Plot(label=tr("One-step samples"), elem_id="genlab-one-step", scale=3)
        gr.Markdown(tr(ONE_STEP_TEXT), latex_delimiters=LATEX, elem_classes=["rlgen-explain"])
    with gr.Row(equal_height=False, visible=False) as mixture_row:
        mixture = gr.Plot(label=tr("Learned vs exact"), elem_id="genlab-mixture", scale=3)
        gr.Markdown(tr(MIXTURE_TEXT), latex_delimiters=LATEX, elem_classes=["rlgen-explain"])
    return SimpleNamespace(field=field, level=level, field_text=field_text, sampler=sampler,
                           sampler_text=sampler_text, animate=animate, repaths=repaths, one_step_row=one_step_row,
                           one_step=one_step, mixture_row=mixture_row, mixture=mixture)


def _wire_training(lab: gr.State, points: gr.State, controls: SimpleNamespace, samples: gr.Plot, loss: gr.Plot,
                   views: SimpleNamespace) -> None:
    """Start and Stop, the animation, and the views that follow the data set, the method, the level and the seed."""
    c, v = controls, views
    training = c.start.click(
        user_errors(train_2d), [c.dataset, c.method, c.steps, c.seed, c.randomize, points, v.level],
        [lab, c.status, samples, loss, v.field, v.sampler, v.one_step, v.mixture, c.seed],
        show_progress_on=[c.status], api_name="genlab_train_2d", **TRAINING_QUEUE)
    animation = v.animate.click(user_errors(animate_paths), lab, v.sampler, show_progress_on=[c.status])
    c.stop.click(None, cancels=[training, animation])
    c.dataset.change(user_errors(on_dataset), [c.dataset, points, lab], [samples, v.mixture_row, c.status],
                     cancels=[training])
    c.method.change(user_errors(on_method), c.method, [v.field_text, v.sampler_text, v.one_step_row, v.level])
    v.level.release(user_errors(redraw_field), [lab, v.level], [v.field, v.mixture], show_progress_on=[c.status])
    v.repaths.click(user_errors(redraw_paths), [lab, c.seed, c.randomize], [lab, v.sampler, v.one_step, c.seed],
                    show_progress_on=[c.status])


def _wire_your_points(points: gr.State, dataset: gr.Dropdown, canvas: SimpleNamespace, samples: gr.Plot) -> None:
    """A click on the canvas adds a point (and redraws the data when it is the chosen set); Clear empties it."""

    def on_click(current: list, chosen: str, evt: gr.SelectData):
        return click_canvas(current, chosen, *evt.index)

    canvas.image.select(user_errors(on_click), [points, dataset], [points, canvas.image, samples])
    canvas.clear.click(lambda chosen: click_canvas(None, chosen), dataset, [points, canvas.image, samples])


def _build_digits() -> None:
    opening = Opening(opening_digits)  # a trained result before any click
    state = session_state(None)
    gr.Markdown(tr(AR_INTRO), latex_delimiters=LATEX)
    with gr.Row():
        with gr.Column(scale=2):
            with gr.Row():
                train = gr.Button(tr("Train"), variant="primary", elem_id="genlab-ar-train")
                stop = gr.Button(tr("Stop"), variant="stop")
            kind = gr.Radio(list(ar.MODELS), value="NADE", label=tr("Model"), elem_id="genlab-ar-kind")
            with advanced(open=True):
                steps = gr.Slider(10, 3000, value=800, step=10, label=tr("Training steps (minibatches of 128)"))
                hidden = gr.Slider(4, 128, value=32, step=4, label=tr("NADE hidden units"))
                seed, randomize = seed_controls()
            status = gr.Textbox(label=tr("Status"), interactive=False, elem_classes=["rlgen-status"],
                                elem_id="genlab-ar-status",
                                value=tr("Shown: NADE trained with the settings above when the app started. "
                                         "Press Train to train your own."))
            gr.Markdown(tr(KNOWS_DIGITS), elem_classes=["rlgen-explain"], elem_id="genlab-ar-knows")
        with gr.Column(scale=3):
            nll = gr.Plot(opening.part(0), label=tr("Negative log-likelihood"), elem_id="genlab-nll")
            grid = gr.Plot(opening.part(1), label=tr("Samples"), elem_id="genlab-ar-samples")
    with gr.Row(equal_height=False):
        digit = gr.Plot(label=tr("Drawing a sample"), elem_id="genlab-digit", scale=2)
        probs = gr.Plot(label=tr("Conditional probabilities"), elem_id="genlab-probs", scale=2)
        with gr.Column(scale=2):
            gr.Markdown(tr(PIXEL_TEXT), latex_delimiters=LATEX, elem_classes=["rlgen-explain"])
            complete = gr.Checkbox(value=False, label=tr("Complete a held-out digit (top half given)"))
            draw = gr.Button(tr("Draw a sample pixel by pixel"), elem_id="genlab-draw")
    training = train.click(user_errors(train_digits), [kind, steps, hidden, seed, randomize],
                           [state, status, nll, grid, seed], show_progress_on=[status], api_name="genlab_train_ar",
                           **TRAINING_QUEUE)
    drawing = draw.click(user_errors(draw_digit), [state, seed, randomize, complete], [digit, probs, status, seed],
                         show_progress_on=[status])
    stop.click(None, cancels=[training, drawing])
