"""The Diffusion / ControlNet tab: text- and control-conditioned generation with the tiny shipped models (and
Stable Diffusion + ControlNet on a GPU host that opts into real weights)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from types import SimpleNamespace

import gradio as gr
import numpy as np

from rlgen import runtime
from rlgen.diffusion import control as ctl
from rlgen.diffusion.checkpoint import load_pipeline
from rlgen.diffusion.generation import (
    Request,
    check_request,
    generate,
    labelled_grid,
    recorded_steps,
    steps_comparison,
)
from rlgen.diffusion.pipeline import EPSILON_SAMPLERS, FLOW_SAMPLERS, MAX_IMAGES, MAX_STEPS
from rlgen.diffusion.real import REAL_MODELS, generate_real, load_real_pipeline
from rlgen.diffusion.shapes import COLOUR_NAMES, RESOLUTION, SHAPES
from rlgen.errors import InputError
from rlgen.progress import STREAM_EVERY_S, throttled
from rlgen.ui.i18n import say, tr
from rlgen.ui.links import linked
from rlgen.ui.live import IMAGE_QUEUE
from rlgen.ui.widgets import (
    CheckedImage,
    CheckedSketchpad,
    Opening,
    advanced,
    check_number,
    on_gpu,
    resolve_seed,
    seed_controls,
    user_errors,
)

TITLE = "Diffusion / ControlNet"
DESCRIPTION = "Text- and edge-conditioned image generation: DDPM, rectified flow and ControlNet, trained here."
# a literal list: the Space exporter reads it from this file's text without importing it (a test checks that it
# names the checkpoint module's directories)

LATEX = [{"left": "$$", "right": "$$", "display": True}, {"left": "$", "right": "$", "display": False}]
SAMPLERS = [*FLOW_SAMPLERS, *EPSILON_SAMPLERS]
SOURCES = ["sample", "upload", "sketch", "none"]
TINY = "tiny (shipped)"

INTRO = r"""
### Generate 32×32 images from a caption and a control map
Two denoisers of the same architecture (a `UNet2DConditionModel` reading a tiny `CLIPTextModel`), trained here on
procedural shapes: one with the **ε (DDPM) objective**, one with **rectified flow** as in Stable Diffusion 3.
A **ControlNet** on the flow model follows canny edges or a filled mask. Pick a sampler: *Flow Euler* uses the
flow model (and the ControlNet); the others use the ε model, which has no ControlNet.
"""

EQUATIONS = r"""
**Forward noising (DDPM).** $x_t = \sqrt{\bar\alpha_t}\,x_0 + \sqrt{1-\bar\alpha_t}\,\varepsilon$, $\varepsilon\sim\mathcal N(0, I)$.

**ε-objective.** $\min_\theta\ \mathbb E_{t,x_0,\varepsilon}\,\|\varepsilon - \varepsilon_\theta(x_t, t, c)\|^2$; sampling walks
$t = T \to 0$ (DDPM adds fresh noise each step, DDIM/DPM-Solver++ follow the deterministic ODE).

**Rectified flow (flow matching).** $x_t = (1-t)\,x_0 + t\,\varepsilon$ and
$\min_\theta\ \mathbb E\,\|v_\theta(x_t, t, c) - (\varepsilon - x_0)\|^2$ with $t \sim$ logit-normal (SD3). Straight paths: an
Euler step $x_{t-\Delta} = x_t - \Delta\, v_\theta$ is exact when the path is straight, so few steps suffice.

**Predicted x₀** (the trajectory's second row): $\hat x_0 = x_t - t\,v_\theta$ (flow) or
$(x_t - \sqrt{1-\bar\alpha_t}\,\varepsilon_\theta)/\sqrt{\bar\alpha_t}$ (ε).

**Classifier-free guidance.** $\hat v = v_\theta(x_t,\varnothing) + w\,(v_\theta(x_t, c) - v_\theta(x_t,\varnothing))$; 10 % of
training captions were blank, so an empty prompt generates unconditionally.

**ControlNet.** A trainable copy $\mathcal F(\cdot;\Theta_c)$ of the UNet's encoder reads the control map $c_f$; its
features join the frozen UNet through **zero convolutions** $\mathcal Z$:
$y_c = \mathcal F(x;\Theta) + \mathcal Z\big(\mathcal F(x + \mathcal Z(c_f;\Theta_{z1});\Theta_c);\Theta_{z2}\big)$. At the start
$\mathcal Z = 0$, so the model is exactly the base model and training cannot damage it.
"""

VOCABULARY = (
    "**Words the tiny model knows** — shapes: {shapes}; colours: {colours}. Write e.g. "
    '*"a red star on a blue background"* or *"an orange circle on a black background"*; '
    "leave it empty for an unconditional sample."
)


# -- handlers: pure functions of their inputs (testable without a browser) ----------------------------------
def control_source(source: str, sample: str | None, upload: str | None, sketch) -> tuple[np.ndarray | None, str]:
    """The image the preprocessor reads, and a note (e.g. that it was resized)."""
    if source == "none":
        return None, ""
    if source == "sample":
        return ctl.sample_image(sample or next(iter(ctl.SAMPLES))), ""
    if source == "upload":
        if not upload:
            raise InputError(say("Upload an image first (or pick a sample image)."))
        return ctl.load_upload(upload)
    if source == "sketch":
        composite = sketch.get("composite") if isinstance(sketch, dict) else sketch
        if composite is None:
            raise InputError(say("Draw something on the sketchpad first."))
        return ctl.cap_array(np.asarray(composite))
    raise InputError(say("Unknown control source {source!r}; choose one of: {sources}.", source=source,
                         sources=", ".join(SOURCES)))


def control_map(source, sample, upload, sketch, preprocessor: str, low: float, high: float):
    image, note = control_source(source, sample, upload, sketch)
    if image is None:
        return None, note
    low = check_number(low, "Canny low threshold", 0.0, 1.0)
    high = check_number(high, "Canny high threshold", 0.0, 1.0)
    if low > high:
        raise InputError(say("The canny low threshold ({low:g}) must not exceed the high one ({high:g}).", low=low,
                             high=high))
    return ctl.preprocess(image, preprocessor, RESOLUTION, low, high), note


def preview_control(source, sample, upload, sketch, preprocessor, low, high):
    """The control map the model will see (blown up), and a line about it."""
    if source == "upload" and not upload:
        return None, say("Upload an image to use as the control image.")
    if source == "sketch" and not (isinstance(sketch, dict) and sketch.get("composite") is not None):
        return None, say("Draw on the sketchpad: black strokes on white.")
    control, note = control_map(source, sample, upload, sketch, preprocessor, low, high)
    if control is None:
        return None, note or say("No control map: the image follows the prompt alone.")
    text = say("{preprocessor} map at {size}×{size}: {on:.0%} of pixels on.", preprocessor=preprocessor,
               size=RESOLUTION, on=control.mean())
    return ctl.preview(control), " ".join(t for t in (note, text) if t)


def generate_real_images(model: str, prompt, source, sample, upload, sketch, preprocessor, low, high, strength,
                         guidance, steps, n_images, seed) -> Iterator[tuple]:
    """Stable Diffusion + ControlNet from the allow-list (real weights on): the control map is made at the
    model's resolution; the trajectory shows the decoded x_t of the first image."""
    spec = REAL_MODELS[model]
    image, note = control_source(source, sample, upload, sketch)
    if image is None or preprocessor == "none":
        raise InputError(say("The real ControlNet pipelines need a control map: pick a control image and canny or "
                             "mask."))
    control = ctl.preprocess(image, preprocessor, spec.resolution, low, high)
    pipe = load_real_pipeline(model)
    keep = tuple(recorded_steps(int(steps)))
    shown, labels = [], []
    for step, images in generate_real(pipe, spec.family, prompt, control, int(steps), float(guidance),
                                      float(strength), int(n_images), seed, spec.resolution, keep):
        if step in keep and step != int(steps):
            shown.append(images[0])
            labels.append(say("step {step}", step=step))
            continue
        trajectory = labelled_grid([shown], ["x_t"], labels) if shown else None
        yield (images, trajectory, None,
               say("{model}: {steps} steps · seed {seed}. {note}", model=model, steps=steps, seed=seed,
                   note=note).strip(), seed)


def generate_images(prompt, source, sample, upload, sketch, preprocessor, low, high, strength, guidance, steps,
                    sampler, n_images, seed, randomize, compare_off, model: str = TINY) -> Iterator[tuple]:
    """Stream the gallery and the trajectory; then, if asked, the same seed with ControlNet off."""
    seed = resolve_seed(seed, randomize)
    prompt, unknown = check_request(prompt, steps, n_images, guidance, strength, sampler)
    if model != TINY:
        if model not in REAL_MODELS:
            raise InputError(say("Unknown model {model!r}; the models are: {models}.", model=model,
                                 models=", ".join([TINY, *REAL_MODELS])))
        yield from generate_real_images(model, prompt, source, sample, upload, sketch, preprocessor, low, high,
                                        strength, guidance, steps, n_images, seed)
        return
    control, note = control_map(source, sample, upload, sketch, preprocessor, low, high)
    request = Request(prompt, control, int(steps), float(guidance), float(strength), sampler, int(n_images), seed)
    flow = sampler in FLOW_SAMPLERS
    pipe = load_pipeline("controlnet" if flow and control is not None else "flow" if flow else "base", sampler)
    notes = [note] if note else []
    if unknown:
        notes.append(say("Unknown to the tiny model (ignored in effect): {words}.", words=", ".join(unknown)))
    if not prompt:
        notes.append(say("Empty prompt: an unconditional sample."))
    if control is not None and not flow:
        notes.append(say("The ControlNet belongs to the rectified-flow model; the ε model ignores the control map."))
        request = dataclasses.replace(request, control=None)
    off_images = None
    # a few pictures a second: a 10-step image takes ~0.2 s, and each frame sent costs the server two encoded images
    for frame in throttled(generate(pipe, request, text=say), STREAM_EVERY_S):
        status = say("Step {step}/{total} · seed {seed} · {sampler}. ", step=frame.step, total=frame.total, seed=seed,
                     sampler=sampler) + " ".join(notes)
        yield frame.images, frame.trajectory, gr.skip(), status.strip(), seed
    if compare_off and flow and control is not None:
        for off in generate(pipe, request, use_controlnet=False):
            off_images = off.images
        yield gr.skip(), gr.skip(), off_images, (status + say(" Right: the same seed with ControlNet off.")).strip(), seed
    elif compare_off:
        yield gr.skip(), gr.skip(), None, (status + say(" (ControlNet off needs a control map and Flow Euler.)")), seed


def opening_images() -> tuple:
    """The tab's defaults (prompt, sample control map, Flow Euler, seed 0), with ControlNet on and off: what the tab
    opens on. Returns (gallery, trajectory, gallery with ControlNet off)."""
    shown: list = [None, None, None]
    for frame in generate_images(DEFAULT_PROMPT, "sample", DEFAULT_SAMPLE, None, None, "canny", 0.1, 0.2, 1.0, 3.0,
                                 20, "Flow Euler", 4, 0, False, True):
        for i, value in enumerate(frame[:3]):
            if not isinstance(value, dict):  # gr.skip() leaves a view as it was
                shown[i] = value
    return tuple(shown)


def compare_steps(prompt, guidance, seed, randomize):
    """DDPM/DDIM (ε model) vs rectified flow at 1, 2, 4, 8 and 20 steps, same prompt and noise."""
    seed = resolve_seed(seed, randomize)
    prompt, _ = check_request(prompt, 1, 1, guidance, 1.0, "Flow Euler")
    epsilon = {name: load_pipeline("base", name) for name in ("DDPM", "DDIM")}
    image = steps_comparison(epsilon, load_pipeline("flow"), prompt, float(guidance), seed, text=say)
    return image, seed


def sample_preview(name: str):
    return blow_up_source(ctl.sample_image(name))


def blow_up_source(image: np.ndarray):
    from PIL import Image

    pil = Image.fromarray(image)
    pil.thumbnail((256, 256))
    return pil


# the default control map puts a small star in the top-left corner, where the model alone would not: the images
# with ControlNet on and off differ at a glance
DEFAULT_SAMPLE = "star, top left (procedural)"
DEFAULT_PROMPT = "a red star on a blue background"


# -- layout ----------------------------------------------------------------------------------------------
def build() -> None:
    """The prompt and control map beside the generation settings and the images they give."""
    opening = Opening(opening_images)  # the defaults' pictures, shown without a click
    gr.Markdown(tr(INTRO), latex_delimiters=LATEX)
    with gr.Row():
        with gr.Column(scale=2):
            control = _prompt_and_control()
        with gr.Column(scale=3):
            settings = _generate_controls(control.prompt)
            results = _results(opening)
    _wire_control_map(control, settings.status)
    _wire_generation(control, settings, results)


def _prompt_and_control() -> SimpleNamespace:
    """The prompt and the words it may use, the control image, its preprocessor, and the control map it gives."""
    prompt = gr.Textbox(value=DEFAULT_PROMPT, label=tr("Prompt"), lines=1, max_lines=2,
                        elem_id="diffusion-prompt", info=tr("at most 200 characters"))
    gr.Markdown(tr(VOCABULARY, shapes=", ".join(SHAPES), colours=", ".join(COLOUR_NAMES)),
                elem_classes=["rlgen-explain"])
    source = gr.Radio([(tr(name), name) for name in SOURCES], value="sample", label=tr("Control image from"),
                      elem_id="diffusion-source")
    sample = gr.Dropdown([(tr(name), name) for name in ctl.SAMPLES], value=DEFAULT_SAMPLE, label=tr("Sample image"),
                         elem_id="diffusion-sample")
    upload = CheckedImage(type="filepath",
                          label=tr("Upload (resized to ≤ {side} px on the long side)", side=ctl.MAX_SIDE),
                          sources=["upload", "clipboard"], visible=False, elem_id="diffusion-upload")
    sketch = CheckedSketchpad(type="numpy", label=tr("Sketch (black on white)"), visible=False,
                              canvas_size=(256, 256), elem_id="diffusion-sketch")
    with gr.Row():
        preprocessor = gr.Radio([(tr(name), name) for name in ctl.PREPROCESSORS], value="canny",
                                label=tr("Preprocessor"))
    with gr.Row():
        low = gr.Slider(0.0, 1.0, value=0.1, step=0.01, label=tr("Canny low threshold"))
        high = gr.Slider(0.0, 1.0, value=0.2, step=0.01, label=tr("Canny high threshold"))
    with gr.Row():
        source_view = gr.Image(label=tr("Control image"), interactive=False, height=200,
                               value=sample_preview(DEFAULT_SAMPLE))
        preview = gr.Image(label=tr("Control map (what the ControlNet sees)"), interactive=False, height=200,
                           elem_id="diffusion-preview",
                           value=preview_control("sample", DEFAULT_SAMPLE, None, None, "canny", 0.1, 0.2)[0])
    return SimpleNamespace(prompt=prompt, source=source, sample=sample, upload=upload, sketch=sketch,
                           preprocessor=preprocessor, low=low, high=high, source_view=source_view, preview=preview,
                           inputs=[source, sample, upload, sketch, preprocessor, low, high])


def _generate_controls(prompt: gr.Textbox) -> SimpleNamespace:
    """The model, Generate and Stop, the sampler's settings, the ControlNet-off option, the status, and the
    controls a link sets."""
    model = gr.Dropdown([(tr(TINY), TINY), *REAL_MODELS], value=TINY, label=tr("Model (real weights are switched on)"),
                        visible=runtime.REAL_WEIGHTS)
    with gr.Row():
        go = gr.Button(tr("Generate"), variant="primary", elem_id="diffusion-generate")
        stop = gr.Button(tr("Stop"), variant="stop")
    with advanced(open=True):
        with gr.Row():
            sampler = gr.Dropdown(SAMPLERS, value="Flow Euler", label=tr("Sampler"),
                                  elem_id="diffusion-sampler")
            steps = gr.Slider(1, MAX_STEPS, value=20, step=1, label=tr("Steps (≤ {n})", n=MAX_STEPS))
            n_images = gr.Slider(1, MAX_IMAGES, value=4, step=1, label=tr("Images (≤ {n})", n=MAX_IMAGES))
        with gr.Row():
            guidance = gr.Slider(0.0, 10.0, value=3.0, step=0.5, label=tr("Guidance scale w"))
            strength = gr.Slider(0.0, 2.0, value=1.0, step=0.05, label=tr("Control strength"))
        seed, randomize = seed_controls()
    compare_off = gr.Checkbox(value=True, label=tr("Also run the same seed with ControlNet off"))
    status = gr.Textbox(label=tr("Status"), interactive=False, elem_id="diffusion-status",
                        elem_classes=["rlgen-status"],
                        value=tr("Shown: the default prompt and control map with seed 0. Press Generate."))
    link_opened = linked("diffusion", prompt=prompt, sampler=sampler, steps=steps, seed=seed)
    return SimpleNamespace(model=model, go=go, stop=stop, sampler=sampler, steps=steps, n_images=n_images,
                           guidance=guidance, strength=strength, seed=seed, randomize=randomize,
                           compare_off=compare_off, status=status, link_opened=link_opened)


def _results(opening: Opening) -> SimpleNamespace:
    """The images with ControlNet on and off, the denoising trajectory, the comparison by number of steps, and
    the folded equations."""
    with gr.Row():
        gallery = gr.Gallery(opening.part(0), label=tr("Generated"), columns=4, height=260,
                             elem_id="diffusion-gallery", format="png")
        gallery_off = gr.Gallery(opening.part(2), label=tr("Same seed, ControlNet off"), columns=4, height=260,
                                 format="png", elem_id="diffusion-gallery-off")
    trajectory = gr.Image(opening.part(1), label=tr("Denoising trajectory of the first image: x_t and predicted x₀"),
                          interactive=False, format="png", elem_id="diffusion-trajectory")
    with gr.Accordion(tr("DDPM vs rectified flow by number of steps"), open=False):
        compare_button = gr.Button(tr("Compare at 1, 2, 4, 8 and 20 steps"))
        comparison = gr.Image(label=tr("Same prompt and noise seed"), interactive=False, format="png")
    with gr.Accordion(tr("The equations"), open=False):
        gr.Markdown(tr(EQUATIONS), latex_delimiters=LATEX, elem_classes=["rlgen-explain"])
    return SimpleNamespace(gallery=gallery, gallery_off=gallery_off, trajectory=trajectory,
                           compare_button=compare_button, comparison=comparison)


def _wire_control_map(control: SimpleNamespace, status: gr.Textbox) -> None:
    """The control image shown for its source, and the control map redrawn as any of its inputs changes."""

    def show_source(kind: str):
        return (gr.update(visible=kind == "sample"), gr.update(visible=kind == "upload"),
                gr.update(visible=kind == "sketch"))

    c = control
    c.source.change(show_source, c.source, [c.sample, c.upload, c.sketch], api_visibility="private")
    c.sample.change(user_errors(sample_preview), c.sample, c.source_view, api_visibility="private")
    for trigger in (c.source.change, c.sample.change, c.upload.change, c.preprocessor.change, c.low.release,
                    c.high.release):
        trigger(user_errors(preview_control), c.inputs, [c.preview, status], api_visibility="private")
    c.sketch.change(user_errors(preview_control), c.inputs, [c.preview, status], api_visibility="private",
                    trigger_mode="always_last")


def _wire_generation(control: SimpleNamespace, settings: SimpleNamespace, results: SimpleNamespace) -> None:
    """Generate (or a link) streams the images; Stop cancels; the steps comparison."""
    s = settings
    generate = user_errors(on_gpu(generate_images) if runtime.REAL_WEIGHTS else generate_images)
    generate_inputs = [control.prompt, *control.inputs, s.strength, s.guidance, s.steps, s.sampler, s.n_images,
                       s.seed, s.randomize, s.compare_off, s.model]
    generate_outputs = [results.gallery, results.trajectory, results.gallery_off, s.status, s.seed]
    running = s.go.click(generate, generate_inputs, generate_outputs, show_progress_on=[s.status],
                         api_name="diffusion_generate", **IMAGE_QUEUE)
    linked_run = s.link_opened.change(generate, generate_inputs, generate_outputs, show_progress_on=[s.status],
                                      api_visibility="private", **IMAGE_QUEUE)
    s.stop.click(None, cancels=[running, linked_run])
    results.compare_button.click(user_errors(compare_steps), [control.prompt, s.guidance, s.seed, s.randomize],
                                 [results.comparison, s.seed], show_progress_on=[s.status],
                                 api_name="diffusion_compare_steps")
