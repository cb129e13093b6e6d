"""The KimiVL image-QA tab: ask about an image (an upload, a generated scene or a sample photo), get a streamed
answer from a tiny model of Kimi-VL's shape, and look inside: the patch grid and vision-token count at the image's
native resolution, where the answer attended, and which experts the MoE router chose."""

from __future__ import annotations

import json
from functools import cache
from types import SimpleNamespace

import gradio as gr
import numpy as np
from PIL import Image

from rlgen import runtime
from rlgen.errors import InputError
from rlgen.progress import throttled
from rlgen.ui.i18n import on_load, say, tr
from rlgen.ui.links import linked
from rlgen.ui.live import REPLY_QUEUE
from rlgen.ui.widgets import (
    CHAT_BUTTONS,
    CheckedImage,
    advanced,
    check_number,
    resolve_seed,
    seed_controls,
    session_state,
    user_errors,
)
from rlgen.vlm import figures, real, scenes
from rlgen.vlm.chat import MAX_TURNS, check_question, look_inside, stream_answer
from rlgen.vlm.checkpoint import NAME as CHECKPOINT_NAME
from rlgen.vlm.checkpoint import load_model
from rlgen.vlm.processor import CELL, MAX_IMAGES, MAX_VISION_TOKENS, ImageInput, native_size, preprocess, to_rgb

TITLE = "KimiVL image QA"
DESCRIPTION = "Ask about an image: a tiny Kimi-VL (native-resolution ViT, pixel shuffle, MoE decoder) answers."

TINY = "tiny Kimi-VL (shipped, CPU)"
CHAT_EVERY_S = 0.1  # the answer streams at most ten updates a second (the last token always arrives)
SAMPLES = ("astronaut", "coffee", "chelsea", "rocket")
CANONICAL = ["How many shapes are there?", "How many red shapes are there?", "What color is the circle?",
             "What shape is the blue object?", "Is there a green square?", "Is the red circle left of the blue square?",
             "Which shape is closest to the star?", "Describe the image."]

INTRO = """
**Kimi-VL in miniature.** A **MoonViT**-style encoder reads the image at its *native* resolution: it is cut into
16-px patches (embedded by a small convolutional stem), each gets a learnable position embedding interpolated (bicubic) to the image's own patch grid plus
2-D RoPE in attention, and several images are packed into one sequence with attention kept inside each image.
A **2×2 pixel shuffle** turns every 2×2 block of patches into one token, so an image of W×H px costs
**(W/{cell})·(H/{cell}) vision tokens**, rounded (capped at {cap}); a **projector** (LayerNorm → Linear → GELU →
Linear) maps them into the decoder, where they replace the `<|media_pad|>` placeholders of Kimi-VL's chat template.
The decoder is transformers' **DeepSeek-V3** (MLA attention; MoE layers with a sigmoid router sending each token to
its top-2 of 8 routed experts, plus one shared expert: y = E_shared(x) + Σ_(i∈top-k) g_i(x)·E_i(x)).
The tiny model (3.0 M parameters) was trained here in Kimi-VL's stages — encoder pre-training on image-only targets, joint
captioning, instruction data — on scenes of 1–6 shapes; it knows circles, squares, triangles and stars in six colours, and
nothing else. Photos are outside its world (the real Kimi-VL-A3B handles them on a GPU host).
"""


KIND_NAMES = {"count": "count", "count_colour": "count by colour", "count_shape": "count by shape",
              "colour_of": "colour of", "shape_of": "shape of", "exists": "exists", "left_right": "left / right",
              "above_below": "above / below", "nearest_farthest": "nearest / farthest", "describe": "describe"}


def shipped_summary() -> str:
    """The shipped model's held-out accuracy per question type beside the blind baselines, from its TRAINING.json."""
    path = runtime.checkpoint_path(CHECKPOINT_NAME) / "TRAINING.json"
    if not path.exists():
        return say("No shipped checkpoint yet: run `python -m rlgen train vlm`.")
    ev = json.loads(path.read_text()).get("evaluation", {})
    if "held_out" not in ev:
        return say("The shipped checkpoint has not been evaluated yet.")
    ours, blind, blank = ev["held_out"], ev["blind_question_prior"], ev["blank_image"]
    rows = [f"| {say(KIND_NAMES.get(k, k))} | {100 * v:.0f} % | {100 * blind['by_type'][k]:.0f} % | "
            f"{100 * blank['by_type'][k]:.0f} % |" for k, v in ours["by_type"].items()]
    canonical = ("\n\n" + say("A description may list two shapes that are level (centres within {level:.0f} px "
                                 "horizontally) in either order; {share:.0f} % of them were in exactly the canonical "
                                 "order.", level=scenes.LEVEL, share=100 * ours["describe_in_canonical_order"])
                 if "describe_in_canonical_order" in ours else "")
    unseen = ev.get("unseen_sizes")
    extra = (say(" On image sizes and aspect ratios it never saw in training ({sizes}): **{share:.1f} %**.",
                 sizes=", ".join(f"{w}×{h}" for w, h in unseen["sizes"]), share=100 * unseen["overall"])
             if unseen else "")
    return (say("**How well the tiny model answers:** **{ours:.1f} %** of {n:,} held-out "
                "questions on scenes it never saw, against **{blind:.1f} %** for the best "
                "answer to the question alone (the blind baseline) and {blank:.1f} % for the model "
                "shown a blank image.", ours=100 * ours["overall"], n=ours["n"], blind=100 * blind["overall"],
                blank=100 * blank["overall"]) + extra
            + "\n\n" + say("| question | model | blind | blank image |") + "\n|---|---|---|---|\n"
            + "\n".join(rows) + canonical)


@cache
def sample_photo(name: str) -> Image.Image:
    import skimage.data

    if name not in SAMPLES:
        raise InputError(say("Unknown sample {name!r}; the samples are: {names}.", name=name, names=", ".join(SAMPLES)))
    return Image.fromarray(getattr(skimage.data, name)()).convert("RGB")


def new_state() -> dict:
    return {"history": [], "question": None}


def prepared_images(images: list[Image.Image | None], scale: float) -> tuple[list[ImageInput], list[str]]:
    """The images as the encoder sees them, after the person's resize factor; notes to show as warnings."""
    scale = check_number(scale, "The resize factor", 0.1, 4.0)
    given = [im for im in images if im is not None]
    if not given:
        raise InputError(say("Add an image first: upload one, make a random scene, or load a sample photo."))
    if len(given) > MAX_IMAGES:
        raise InputError(say("At most {n} images per question.", n=MAX_IMAGES))
    out, notes = [], []
    for image in given:
        rgb, converted = to_rgb(image)  # a ValueError for what is not an image
        if scale != 1.0:
            rgb = rgb.resize((max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale))),
                             Image.Resampling.BICUBIC)
        prepared = preprocess(rgb)
        notes += [*converted, *prepared.notes]
        out.append(prepared)
    return out, notes


def token_summary(images: list[ImageInput], scale: float) -> str:
    lines = []
    for k, im in enumerate(images, start=1):
        w0, h0 = round(im.original_size[0] / scale), round(im.original_size[1] / scale)
        native = native_size(w0, h0)
        twice = native_size(2 * w0, 2 * h0)
        resized = (say(" resized ×{scale:g} to {w}×{h} px,", scale=scale, w=im.original_size[0],
                       h=im.original_size[1]) if scale != 1 else "")
        lines.append(say("**Image {k}** ({w0}×{h0} px,{resized} encoded at {w}×{h}): "
                         "{columns}×{rows} patches → **{tokens} vision tokens**. At its native size: "
                         "{native} tokens; at twice the size: {twice} (cap {cap}).", k=k, w0=w0, h0=h0,
                         resized=resized, w=im.size[0], h=im.size[1], columns=im.grid[1], rows=im.grid[0],
                         tokens=im.tokens, native=(native[0] // CELL) * (native[1] // CELL),
                         twice=(twice[0] // CELL) * (twice[1] // CELL), cap=MAX_VISION_TOKENS))
    return "\n\n".join(lines)


def side_by_side(views: list[Image.Image]) -> Image.Image:
    if len(views) == 1:
        return views[0]
    height = max(v.height for v in views)
    canvas = Image.new("RGB", (sum(v.width for v in views) + 8 * (len(views) - 1), height), (255, 255, 255))
    x = 0
    for v in views:
        canvas.paste(v, (x, 0))
        x += v.width + 8
    return canvas


@user_errors
def show_grid(image1, image2, scale):
    """The patch grid view and token count, and a fresh conversation (the images open it)."""
    if image1 is None and image2 is None:
        return None, say("Add an image to see how the encoder cuts it into patches."), [], new_state(), None, None
    images, _ = prepared_images([image1, image2], scale)
    view = side_by_side([figures.patch_grid(im) for im in images])
    return view, token_summary(images, scale), [], new_state(), None, None


@user_errors
def random_scene(seed, randomize):
    used = resolve_seed(seed, randomize)
    scene = scenes.random_scene(np.random.default_rng(used))
    return scenes.render(scene), used, say("Scene {seed}: {description} (the ground truth, for checking).", seed=used,
                                           description=scenes.describe(scene))


@user_errors
def load_sample(name):
    return sample_photo(name), say("A photo: outside the tiny model's world of flat shapes — see what it makes of it.")


def chat_messages(history: list[tuple[str, str]], pending: tuple[str, str] | None = None,
                  thinking: str | None = None, thinking_done: bool = False) -> list:
    messages: list = []
    for q, a in history:
        messages += [{"role": "user", "content": q}, {"role": "assistant", "content": a or say("(an empty answer)")}]
    if pending is not None:
        messages.append({"role": "user", "content": pending[0]})
        if thinking:
            messages.append(gr.ChatMessage(role="assistant", content=thinking, metadata={
                "title": say("Thinking"), "status": "done" if thinking_done else "pending"}))
        messages.append({"role": "assistant", "content": pending[1] or "…"})
    return messages


def unlike_training_note(images: list, scale) -> str:
    """A sentence when an image is outside the tiny model's training scenes (empty otherwise): it then says so
    instead of answering as if it understood."""
    reasons = [say(scenes.REASONS[key], **values) for image in images if image is not None
               for key, values in scenes.unlike_training(image, float(scale))]
    if not reasons:
        return ""
    return " · " + say("Note: this image is outside what the tiny model was trained on: {reasons}. Its answer is "
                       "a guess, not understanding.", reasons="; ".join(reasons))


@user_errors
def ask(question, image1, image2, scale, temperature, seed, randomize, model_key, state):
    """Stream the answer into the chat; then show where it looked and how the router sent its tokens."""
    question = check_question(question)
    temperature = check_number(temperature, "Temperature", 0.0, 2.0)
    images, notes = prepared_images([image1, image2], scale)
    for note in notes:
        gr.Warning(note)
    used = resolve_seed(seed, randomize)
    history = list(state["history"])[-MAX_TURNS:]
    reply = ""
    if model_key == TINY:
        model, processor = load_model()
        answer = stream_answer(model, images, question, history, processor, temperature=temperature, seed=used)
        for reply in throttled(answer, CHAT_EVERY_S):
            yield chat_messages(history, (question, reply)), gr.skip(), gr.skip(), gr.skip(), say("answering…"), used
        inside = look_inside(model, images, question, reply, history, processor)
        overlay = side_by_side([figures.attention_overlay(im, a) for im, a in zip(images, inside.attention)])
        router = figures.router_heatmap(inside)
        status = say("{tokens} vision tokens · seed {seed} · ", tokens=sum(im.tokens for im in images), seed=used) + (
            say("greedy") if temperature == 0 else say("temperature {t:g}", t=temperature))
        status += unlike_training_note([image1, image2], scale)
    else:
        if model_key not in real.available():
            raise InputError(say("{model} is not served on this host (RLGEN_REAL_WEIGHTS=1 and {env}).", model=model_key,
                                 env=real.URL_ENV))
        thinking = ""
        originals = [im for im in (image1, image2) if im is not None]
        for thinking, reply in real.stream_real(model_key, originals, question, history):
            yield (chat_messages(history, (question, reply), thinking), gr.skip(), gr.skip(), gr.skip(),
                   say("answering…"), used)
        overlay, router, status = None, None, say("{model} via vLLM at {url}", model=model_key, url=real.server_url())
        if thinking:
            final = chat_messages(history, (question, reply), thinking, thinking_done=True)
            history = [*history, (question, reply)]
            yield final, {"history": history, "question": question}, overlay, router, status, used
            return
    history = [*history, (question, reply)]
    yield chat_messages(history), {"history": history, "question": question}, overlay, router, status, used


@user_errors
def regenerate(image1, image2, scale, temperature, seed, randomize, model_key, state):
    if not state["history"]:
        raise InputError(say("Nothing to regenerate yet: ask a question first."))
    *earlier, (question, _) = state["history"]
    yield from ask(question, image1, image2, scale, temperature, seed, randomize, model_key,
                   {"history": earlier, "question": question})


def clear():
    return [], new_state(), None, None, ""


def build() -> None:
    state = session_state(new_state())
    # the tab opens on a scene from the tiny model's world and a question it knows: Ask answers at once
    first_scene = random_scene(0, False)[0]
    first_grid = show_grid(first_scene, None, 1.0)[0]
    with gr.Row():
        with gr.Column(scale=2):
            images = _images(first_scene, first_grid)
        with gr.Column(scale=3):
            chat = _chat(images.seed)
    attention, router = _where_it_looked()
    # the explanation under the demo: Ask sits above the fold on a 720-px screen
    gr.Markdown(tr(INTRO, cell=CELL, cap=MAX_VISION_TOKENS), elem_classes=["rlgen-explain"])
    with gr.Accordion(tr("How well does it answer? (held-out accuracy per question type)"), open=False):
        gr.Markdown(on_load(shipped_summary), elem_id="vlm-accuracy")
    _wire_images(state, images, chat, attention, router)
    _wire_chat(state, images, chat, attention, router)


def _images(first_scene, first_grid) -> SimpleNamespace:
    """The two images and where they come from, the seed and resize settings, and the image as the encoder sees
    it with its vision-token count."""
    with gr.Row():
        image1 = CheckedImage(value=first_scene, type="pil", image_mode=None, label=tr("Image"),
                              sources=["upload", "clipboard"], height=240, elem_id="vlm-image")
        image2 = CheckedImage(type="pil", image_mode=None, label=tr("Second image (optional)"),
                              sources=["upload", "clipboard"], height=240)
    with gr.Row():
        scene_button = gr.Button(tr("Random scene"), variant="secondary", elem_id="vlm-scene")
        sample = gr.Dropdown([(tr(name), name) for name in SAMPLES], value=SAMPLES[0], label=tr("Sample photo"),
                             scale=2)
        sample_button = gr.Button(tr("Load photo"))
    with advanced(open=True):
        seed, randomize = seed_controls()
        scale = gr.Slider(0.25, 2.0, value=1.0, step=0.25, label=tr("Resize before encoding (×)"),
                          info=tr("See how the vision-token count follows the image's size"))
    grid_view = gr.Image(value=first_grid,
                         label=tr("As the encoder sees it: 16-px patches; each thick 2×2 block is one token"),
                         interactive=False, height=300, elem_id="vlm-grid")
    tokens = gr.Markdown(on_load(lambda: show_grid(first_scene, None, 1.0)[1]))
    return SimpleNamespace(image1=image1, image2=image2, scene_button=scene_button, sample=sample,
                           sample_button=sample_button, seed=seed, randomize=randomize, scale=scale,
                           grid_view=grid_view, tokens=tokens)


def _chat(seed: gr.Number) -> SimpleNamespace:
    """The conversation, the question with Ask, Stop, Regenerate and Clear, the model and temperature, example
    questions, the status, and the controls a link sets."""
    chatbot = gr.Chatbot(label=tr("Conversation"), height=300, elem_id="vlm-chat", buttons=CHAT_BUTTONS)
    question = gr.Textbox(value=CANONICAL[0], label=tr("Question"), placeholder="How many shapes are there?",
                          max_lines=3, elem_id="vlm-question")
    with gr.Row():
        send = gr.Button(tr("Ask"), variant="primary", elem_id="vlm-ask")
        stop = gr.Button(tr("Stop"))
        regen = gr.Button(tr("Regenerate"))
        clear_button = gr.Button(tr("Clear"))
    with advanced(open=True):
        model_key = gr.Dropdown([(tr(TINY), TINY), *real.available()], value=TINY, label=tr("Model"),
                                info=tr("Real Kimi-VL-A3B appears here on a GPU host with RLGEN_REAL_WEIGHTS=1"))
        temperature = gr.Slider(0.0, 1.5, value=0.0, step=0.1, label=tr("Temperature (0 = greedy)"))
    gr.Examples([[q] for q in CANONICAL], inputs=[question], label=tr("Questions the tiny model knows"))
    status = gr.Markdown(elem_classes=["rlgen-status"], elem_id="vlm-status")
    link_opened = linked("kimivl", question=question, seed=seed)
    return SimpleNamespace(chatbot=chatbot, question=question, send=send, stop=stop, regen=regen,
                           clear_button=clear_button, model_key=model_key, temperature=temperature, status=status,
                           link_opened=link_opened)


def _where_it_looked() -> tuple[gr.Image, gr.Plot]:
    """The answer's attention over the image beside the MoE router's choices."""
    with gr.Row():
        attention = gr.Image(
            label=tr("Where the answer looked: attention from the answer's tokens to each vision token "
                     "(averaged over heads and layers)"), interactive=False, height=320, elem_id="vlm-attention")
        router = gr.Plot(label=tr("MoE router: experts chosen per token and layer"))
    return attention, router


def _wire_images(state, images: SimpleNamespace, chat: SimpleNamespace, attention, router) -> None:
    """A new image or size redraws the encoder's view (and starts a new conversation); Random scene, Load photo."""
    i = images
    grid_outputs = [i.grid_view, i.tokens, chat.chatbot, state, attention, router]
    i.image1.change(show_grid, [i.image1, i.image2, i.scale], grid_outputs)
    i.image2.change(show_grid, [i.image1, i.image2, i.scale], grid_outputs)
    i.scale.release(show_grid, [i.image1, i.image2, i.scale], grid_outputs)
    i.scene_button.click(random_scene, [i.seed, i.randomize], [i.image1, i.seed, chat.status])
    i.sample_button.click(load_sample, [i.sample], [i.image1, chat.status])


def _wire_chat(state, images: SimpleNamespace, chat: SimpleNamespace, attention, router) -> None:
    """Ask (or Enter, or a link's question), Regenerate, Stop and Clear."""
    i, c = images, chat
    ask_inputs = [c.question, i.image1, i.image2, i.scale, c.temperature, i.seed, i.randomize, c.model_key, state]
    ask_outputs = [c.chatbot, state, attention, router, c.status, i.seed]
    asked = c.send.click(ask, ask_inputs, ask_outputs, show_progress_on=[c.status], **REPLY_QUEUE)
    submitted = c.question.submit(ask, ask_inputs, ask_outputs, show_progress_on=[c.status], **REPLY_QUEUE)
    linked_answer = c.link_opened.change(ask, ask_inputs, ask_outputs, show_progress_on=[c.status],  # a link's question
                                         api_visibility="private", **REPLY_QUEUE)
    regenerated = c.regen.click(regenerate, ask_inputs[1:], ask_outputs, show_progress_on=[c.status], **REPLY_QUEUE)
    c.stop.click(None, cancels=[asked, submitted, regenerated, linked_answer])
    c.clear_button.click(clear, None, [c.chatbot, state, attention, router, c.status])
