"""The Stable Diffusion 3 tab: the tiny MMDiT beside the UNet on the same prompt, noise and step count, and SD3's
changes as experiments (shipped curves, plus reduced runs trained live)."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import gradio as gr

from rlgen import runtime
from rlgen.diffusion.checkpoint import load_pipeline
from rlgen.diffusion.generation import check_request, labelled_grid, recorded_steps
from rlgen.diffusion.real import REAL_MODELS, generate_real, load_real_text_to_image
from rlgen.diffusion.sd3_checkpoint import load_mmdit_pipeline
from rlgen.diffusion.sd3_compare import side_by_side
from rlgen.diffusion.sd3_experiments import EXPERIMENTS, MAX_LIVE_STEPS, run_experiment
from rlgen.diffusion.sd3_figures import experiment_figure, samples_grid, shipped_results, shipped_samples
from rlgen.diffusion.shapes import COLOUR_NAMES, SHAPES
from rlgen.errors import InputError
from rlgen.progress import throttled
from rlgen.ui.i18n import on_load, said, say, tr
from rlgen.ui.links import linked
from rlgen.ui.live import IMAGE_QUEUE, TRAINING_QUEUE
from rlgen.ui.widgets import Opening, advanced, check_number, on_gpu, resolve_seed, seed_controls, user_errors

TITLE = "SD3 (MMDiT)"
DESCRIPTION = "A tiny MMDiT with rectified flow beside the UNet, and SD3's changes as experiments you can run."

LATEX = [{"left": "$$", "right": "$$", "display": True}, {"left": "$", "right": "$", "display": False}]
DEFAULT_PROMPT = "a red star on a blue background"
MAX_SIDE_BY_SIDE_IMAGES = 8
REAL_SD3 = next(key for key, spec in REAL_MODELS.items() if spec.family == "sd3")  # its pinned base id
MAX_REAL_IMAGES = 4

INTRO = r"""
### Stable Diffusion 3 in miniature
SD3 ("Scaling Rectified Flow Transformers for High-Resolution Image Synthesis", Esser et al. 2024) replaces the
UNet with a **multimodal diffusion transformer (MMDiT)**: image patches $x$ and caption tokens $c$ keep their own
weights but meet in **one joint attention**,
$\mathrm{Attn}\big([Q_x;Q_c],[K_x;K_c],[V_x;V_c]\big)=\mathrm{softmax}\big(QK^\top/\sqrt d\big)V$, and every block is
modulated by the timestep and a pooled caption vector. Both models here are trained with **rectified flow**,
$x_t=(1-t)\,x_0+t\,\varepsilon$, loss $\|v_\theta(x_t,t,c)-(\varepsilon-x_0)\|^2$, $t\sim$ logit-normal$(0,1)$:
$\pi(t)=\frac{1}{\sqrt{2\pi}}\frac{1}{t(1-t)}\exp\!\big(-\tfrac{\mathrm{logit}(t)^2}{2}\big)$.
Both read the same tiny CLIP text encoder's vocabulary and were trained on the same shapes and captions.
"""

EXPERIMENTS_INTRO = r"""
**SD3's changes, tested.** Each experiment trains two small MMDiTs (or two VAEs) that differ in one thing, from the
same initial weights on the same batches. *Timesteps*: uniform vs logit-normal $t$ — validation loss (fixed images,
noise and an even grid of $t$) and prompt adherence (the shapes classifier, 20 Euler steps). *QK-norm*: off vs
RMSNorm on queries and keys at a high learning rate — training loss and the largest attention logit
$\max|q\cdot k|/\sqrt d$ (without the norm it keeps growing; SD3 §5.3.2). *Latent channels*: a VAE with 4 vs 16
latent channels (32×32 → 8×8) — reconstruction PSNR and SSIM on held-out images — then a small MMDiT trained in each
latent space, whose decoded samples the classifier judges. *Positions*: 1-D (raster order) vs
2-D sincos codes for the patches, on captions that say where the shape is (*"a red star on the left on a blue
background"*) — how often the generated shape lands on the named side. Each run ends with both arms' samples for
the same eight held-out captions and the same noise.
"""

FINDINGS: dict[str, str] = {  # experiment -> what its shipped run measured, set against the paper
    "qk_norm": ("**What the shipped run shows** (4,000 steps per arm at learning rate 10⁻²): without QK-norm the "
                "largest attention logit climbs from 1.6 to a median of 26 over the last 500 steps, with spikes up to "
                "638 — the growth SD3 (§5.3.2) reports ahead of training instabilities; with RMSNorm on queries and "
                "keys it never passes 10.4, and the training loss is lower (median of the last 200 steps 0.111 "
                "against 0.139)."),
    "timesteps": ("**What the shipped run shows** (4,000 steps per arm): uniform *t* learns faster at first — prompt "
                  "adherence 45 % against 31 % at step 1,000, and a lower validation loss until step 3,500; by step "
                  "4,000 logit-normal *t* has caught up (validation loss 0.140 against 0.146, adherence 52 % against "
                  "47 %, a gap within the noise of 64 samples). SD3's Table 1 ranks logit-normal first for models "
                  "and runs far larger than this one; here its edge is not yet resolved."),
    "latent_channels": ("**What the shipped run shows** (4,000 steps per phase): 16 latent channels reconstruct better "
                        "than 4 (PSNR 29.6 against 26.6 dB, SSIM 0.94 against 0.88) — SD3's reason for 16 (§5.2.1). "
                        "The MMDiT has a harder target in the larger latent space (flow loss 0.235 against 0.227), "
                        "and after 4,000 steps its prompt adherence is lower with 16 channels (36 % against 58 %): "
                        "the paper finds that the larger latent space pays off only with larger models."),
    "positions": ("**What the shipped run shows** (4,000 steps per arm): with 2-D sincos codes every generated "
                  "shape lands on the side its caption names from step 1,750 on; with 1-D (raster-order) codes the "
                  "model stays at chance (about 50 %) until step 2,500, then reaches 88 % at step 2,750 and 100 % from step "
                  "3,250 on. A patch's "
                  "row and column, given as such, make \"left\" and \"right\" easier to learn."),
}

VOCABULARY = ("**Words the tiny models know** — shapes: {shapes}; colours: {colours}. "
              'E.g. *"a yellow triangle on a purple background"*.')
WORDS = {"shapes": ", ".join(SHAPES), "colours": ", ".join(COLOUR_NAMES)}


# -- handlers -----------------------------------------------------------------------------------------------
def check_prompt(prompt: str | None, steps: float, guidance: float, n_images: float) -> tuple[str, list[str]]:
    """The prompt and the words the models never saw; a prompt of nothing but unknown words is refused."""
    prompt, unknown = check_request(prompt, steps, 1, guidance, 1.0, "Flow Euler")
    check_number(n_images, "Number of images", 1, MAX_SIDE_BY_SIDE_IMAGES, integer=True)
    if prompt and len(unknown) == len(prompt.split()):
        raise InputError(say("None of the words in {prompt!r} is known to the tiny models. ", prompt=prompt)
                         + say(VOCABULARY, **WORDS))
    return prompt, unknown


def compare(prompt, steps, guidance, n_images, seed, randomize) -> Iterator[tuple]:
    """UNet and MMDiT on the same prompt, noise seed, Euler sampler and step count, streamed step by step."""
    seed = resolve_seed(seed, randomize)
    prompt, unknown = check_prompt(prompt, steps, guidance, n_images)
    notes = []
    if unknown:
        notes.append(say("Unknown to the tiny models (no effect): {words}.", words=", ".join(unknown)))
    if not prompt:
        notes.append(say("Empty prompt: unconditional samples."))
    pipes = {"UNet": load_pipeline("flow"), "MMDiT": load_mmdit_pipeline()}
    for frame in side_by_side(pipes, prompt, int(steps), float(guidance), seed, int(n_images), text=say):
        status = say("Step {step}/{total} · seed {seed} · Flow Euler, w = {w:g}. ", step=frame.step, total=frame.total,
                     seed=seed, w=float(guidance))
        yield frame.images["UNet"], frame.images["MMDiT"], frame.trajectory, (status + " ".join(notes)).strip(), seed


def generate_real_sd3(prompt, steps, guidance, n_images, seed, randomize, resolution: int | None = None,
                      local_root=None) -> Iterator[tuple]:
    """The real Stable Diffusion 3 (real weights on, GPU host): the pinned base through diffusers'
    ``StableDiffusion3Pipeline``, text to image; the trajectory shows the first image's decoded x_t at a few
    steps. Any words are allowed (its text encoders know English)."""
    seed = resolve_seed(seed, randomize)
    prompt, _ = check_request(prompt, steps, 1, guidance, 1.0, "Flow Euler")
    check_number(n_images, "Number of images", 1, MAX_REAL_IMAGES, integer=True)
    spec = REAL_MODELS[REAL_SD3]
    pipe = load_real_text_to_image(REAL_SD3, local_root)
    keep = tuple(recorded_steps(int(steps)))
    shown, labels = [], []
    for step, images in generate_real(pipe, spec.family, prompt, None, int(steps), float(guidance), 1.0,
                                      int(n_images), seed, resolution or spec.resolution, keep):
        if step in keep and step != int(steps):
            shown.append(images[0])
            labels.append(say("step {step}", step=step))
            continue
        trajectory = labelled_grid([shown], ["x_t"], labels) if shown else None
        status = say("{model} @ {revision}: {steps} steps · seed {seed} · w = {w:g}.", model=spec.base,
                     revision=spec.base_revision[:7], steps=int(steps), seed=seed, w=float(guidance))
        yield images, trajectory, status, seed


def _shipped_run(name: str) -> dict:
    if name not in EXPERIMENTS:
        raise InputError(say("Unknown experiment {name!r}; the experiments are: {names}.", name=name,
                             names=", ".join(EXPERIMENTS)))
    results = shipped_results()
    if name not in results:
        raise InputError(say("The shipped results have no {name!r} run yet: run `python -m rlgen train "
                             "diffusion-sd3-experiments --only {name}`, or press Run live.", name=name))
    return results[name]


def _shipped_figure(name: str, run: dict):
    settings = run["settings"]
    title = say("{name}: shipped run, {steps} steps, batch {batch}, seed {seed}", name=name, steps=settings["steps"],
                batch=settings["batch"], seed=settings["seed"])
    return experiment_figure(run["curves"], title)


def _shipped_text(name: str, run: dict) -> str:
    summary = "; ".join(f"{say(arm)}: " + ", ".join(f"{say(m)} {v:.3g}" for m, v in values.items())
                        for arm, values in run["summary"].items())
    text = say("Final values — {summary}.", summary=summary)
    if name in FINDINGS:
        text += "\n\n" + say(FINDINGS[name])
    return text


def shipped_experiment(name: str):
    """The shipped run of experiment ``name``: its figure, a summary of the final values with what the run found,
    and its sample grid."""
    run = _shipped_run(name)
    return _shipped_figure(name, run), _shipped_text(name, run), shipped_samples(name)


def opening_comparison() -> tuple:
    """Both models on the tab's default prompt, steps, guidance and seed: what the tab opens on."""
    *_, last = compare(DEFAULT_PROMPT, 20, 3.0, 4, 0, False)
    return last


def initial_shipped(name: str, part: int | None = None):
    """The shipped figure, summary and samples shown when the page opens, or a note where the results have not
    been trained; with ``part`` (0, 1 or 2) only that one, made alone (each is a value of its own on page load)."""
    try:
        run = _shipped_run(name)
    except InputError as exc:
        values = (None, said(exc), None)
        return values if part is None else values[part]
    makers = (lambda: _shipped_figure(name, run), lambda: _shipped_text(name, run), lambda: shipped_samples(name))
    return tuple(make() for make in makers) if part is None else makers[part]()


def live_experiment(name: str, steps, seed, randomize) -> Iterator[tuple]:
    """A reduced run of experiment ``name`` trained here and now, its curves streamed."""
    seed = resolve_seed(seed, randomize)
    steps = check_number(steps, "Steps", 10, MAX_LIVE_STEPS, integer=True)
    frames = run_experiment(name, steps, seed, eval_every=max(5, steps // 8), pool_size=512, adherence_n=16)
    for frame in throttled(frames, 1.0):
        message = say("{experiment}: step {step}/{total}, {seconds:.0f} s", experiment=frame.experiment,
                      step=frame.step, total=frame.total, seconds=frame.seconds)
        samples = samples_grid(frame.samples, frame.sample_captions) if frame.samples else None
        yield (experiment_figure(frame.curves, say("{name}: live run, seed {seed}", name=name, seed=seed)), message,
               seed, samples)


# -- layout -------------------------------------------------------------------------------------------------
def build() -> None:
    gr.Markdown(tr(INTRO), latex_delimiters=LATEX)
    ui = _comparison_section()
    _real_section(ui)
    gr.Markdown(tr(EXPERIMENTS_INTRO), latex_delimiters=LATEX, elem_classes=["rlgen-explain"])
    _experiments_section()


def _comparison_section() -> SimpleNamespace:
    """The prompt and its settings beside both models' galleries and the first image's trajectories, opened on the
    default comparison (made without a click); Generate (or a link's prompt) compares the two models."""
    opening = Opening(opening_comparison)
    ui = SimpleNamespace()
    with gr.Row():
        with gr.Column(scale=2):
            ui.prompt = gr.Textbox(value=DEFAULT_PROMPT, label=tr("Prompt"), max_lines=2,
                                   elem_id="sd3-prompt", info=tr("at most 200 characters"))
            with gr.Row():  # the main action right under the prompt: above the fold on a 720-px screen
                go = gr.Button(tr("Generate with both"), variant="primary", elem_id="sd3-generate")
                ui.stop = gr.Button(tr("Stop"), variant="stop")
            gr.Markdown(tr(VOCABULARY, **WORDS), elem_classes=["rlgen-explain"])
            with advanced(open=True):
                ui.steps = gr.Slider(1, 100, value=20, step=1, label=tr("Euler steps (≤ 100)"))
                ui.guidance = gr.Slider(0.0, 10.0, value=3.0, step=0.5, label=tr("Guidance scale w"))
                n_images = gr.Slider(1, MAX_SIDE_BY_SIDE_IMAGES, value=4, step=1,
                                     label=tr("Images per model (≤ {n})", n=MAX_SIDE_BY_SIDE_IMAGES))
                ui.seed, ui.randomize = seed_controls()
            status = gr.Textbox(label=tr("Status"), interactive=False, elem_id="sd3-status",
                                elem_classes=["rlgen-status"],
                                value=tr("Shown: the default prompt with seed 0. Press Generate with both."))
            link_opened = linked("sd3", prompt=ui.prompt, seed=ui.seed, steps=ui.steps)
        with gr.Column(scale=3):
            with gr.Row():
                unet = gr.Gallery(opening.part(0), label=tr("UNet (UNet2DConditionModel)"), columns=2, height="auto",
                                  format="png", elem_id="sd3-unet-gallery")
                mmdit = gr.Gallery(opening.part(1), label=tr("MMDiT (SD3Transformer2DModel)"), columns=2, height="auto",
                                   format="png", elem_id="sd3-mmdit-gallery")
            trajectory = gr.Image(opening.part(2),
                                  label=tr("Denoising trajectories of the first image: x_t and predicted x₀"),
                                  interactive=False, format="png", elem_id="sd3-trajectory")
    inputs = [ui.prompt, ui.steps, ui.guidance, n_images, ui.seed, ui.randomize]
    outputs = [unet, mmdit, trajectory, status, ui.seed]
    running = go.click(user_errors(compare), inputs, outputs, show_progress_on=[status], api_name="sd3_compare",
                       **IMAGE_QUEUE)
    linked_run = link_opened.change(user_errors(compare), inputs, outputs, show_progress_on=[status],
                                    api_visibility="private", **IMAGE_QUEUE)
    ui.stop.click(None, cancels=[running, linked_run])
    return ui


def _real_section(ui: SimpleNamespace) -> None:
    """The real SD3 on the same prompt and settings, shown where real weights are switched on."""
    with gr.Accordion(tr("The real Stable Diffusion 3 (real weights are switched on)"), open=False,
                      visible=runtime.REAL_WEIGHTS):
        gr.Markdown(tr("`{model}` through diffusers' `StableDiffusion3Pipeline`, on the prompt, steps, guidance and "
                       "seed above.", model=REAL_MODELS[REAL_SD3].base))
        real_n = gr.Slider(1, MAX_REAL_IMAGES, value=1, step=1, label=tr("Images (≤ {n})", n=MAX_REAL_IMAGES))
        real_go = gr.Button(tr("Generate with Stable Diffusion 3"), elem_id="sd3-real-generate")
        real_gallery = gr.Gallery(label=tr("Stable Diffusion 3 (real weights)"), columns=4, height=320)
        real_trajectory = gr.Image(label=tr("Decoded x_t of the first image"), interactive=False)
        real_status = gr.Textbox(label=tr("Status"), interactive=False, elem_classes=["rlgen-status"])
    if runtime.REAL_WEIGHTS:
        real_run = real_go.click(user_errors(on_gpu(generate_real_sd3)),
                                 [ui.prompt, ui.steps, ui.guidance, real_n, ui.seed, ui.randomize],
                                 [real_gallery, real_trajectory, real_status, ui.seed], show_progress_on=[real_status],
                                 api_name="sd3_real", concurrency_limit=1)
        ui.stop.click(None, cancels=[real_run])


def _experiments_section() -> None:
    """SD3's changes as experiments: the chosen one's shipped curves, summary and samples, and a reduced run
    trained live."""
    with gr.Row():
        with gr.Column(scale=1):
            experiment = gr.Radio([(tr(name), name) for name in EXPERIMENTS], value="qk_norm", label=tr("Experiment"),
                                  elem_id="sd3-experiment")
            live_steps = gr.Slider(10, MAX_LIVE_STEPS, value=80, step=10,
                                   label=tr("Live run: training steps per arm (≤ {n}; ~80 run in a minute)",
                                            n=MAX_LIVE_STEPS))
            with advanced():
                live_seed, live_randomize = seed_controls()
            with gr.Row():
                run = gr.Button(tr("Run live (reduced)"), variant="primary", elem_id="sd3-run-live")
                stop_run = gr.Button(tr("Stop"), variant="stop")
            live_status = gr.Textbox(label=tr("Live run"), interactive=False, elem_classes=["rlgen-status"])
        with gr.Column(scale=3):
            shipped_plot = gr.Plot(value=lambda: initial_shipped("qk_norm", 0), label=tr("Shipped run"))
            shipped_summary = gr.Markdown(on_load(lambda: initial_shipped("qk_norm", 1)))
            shipped_grid = gr.Image(value=lambda: initial_shipped("qk_norm", 2), interactive=False, format="png",
                                    label=tr("Shipped run: each arm's samples at the end (same noise down a column)"))
            live_plot = gr.Plot(label=tr("Live run"))
            live_grid = gr.Image(label=tr("Live run: each arm's samples at the end"), interactive=False, format="png")
    experiment.change(user_errors(shipped_experiment), experiment, [shipped_plot, shipped_summary, shipped_grid],
                      api_visibility="private")
    training = run.click(user_errors(live_experiment), [experiment, live_steps, live_seed, live_randomize],
                         [live_plot, live_status, live_seed, live_grid], show_progress_on=[live_status],
                         api_name="sd3_live_experiment", **TRAINING_QUEUE)
    stop_run.click(None, cancels=[training])
