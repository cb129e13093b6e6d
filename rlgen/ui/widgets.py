"""Pieces every tab shares: the theme, the error contract (only an ``InputError`` is the user's mistake), inputs
that are checked before gradio decodes them, and the seed controls."""

from __future__ import annotations

import contextlib
import functools
import inspect
import json
import logging
import math
import random
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

import gradio as gr

from rlgen import imaging, runtime
from rlgen.errors import InputError
from rlgen.ui.i18n import language, localized, localized_plot, said, say, tr

CSS = """
.rlgen-explain { font-size: 0.95em; }
.rlgen-status textarea, .rlgen-status input { font-family: ui-monospace, monospace; }
/* nine tabs: tighter tab buttons keep every title in the bar at 1280 px instead of an overflow menu */
.tab-container button[role="tab"] { padding-left: 6px !important; padding-right: 6px !important; }
/* the page's header is one line: the tabs and each tab's first action start high on a 720-px screen */
.rlgen-header p { margin: 0; }
.rlgen-header .rlgen-name { font-size: 1.5em; font-weight: 700; margin-right: 0.3em; }
/* a block's label sits above its image, gallery or plot: gradio floats it over the picture's top-left corner,
   where it hid the first image, the top of a control map and the step headers of a trajectory */
.block:has(> label.float[data-testid="block-label"]) { display: flex; flex-direction: column; height: auto !important; }
.block > label.float[data-testid="block-label"] { position: static; flex: none; align-self: flex-start;
  margin: 0 0 4px 0; max-width: 100%; }
/* plotly draws white panels whatever the page's theme: in dark mode they are inverted, hues kept */
.dark .js-plotly-plot .main-svg { filter: invert(0.92) hue-rotate(180deg); }
/* presenter view (/?present=1): readable from the back of a room at 1024x768 */
body.rlgen-present .gradio-container { --text-xxs: 20px; --text-xs: 20px; --text-sm: 20px; --text-md: 22px;
  --text-lg: 26px; --text-xl: 30px; --text-xxl: 34px; --block-label-text-size: 20px; --block-info-text-size: 20px;
  --button-large-text-size: 22px; --button-small-text-size: 20px; --input-text-size: 22px;
  --block-title-text-size: 22px; --prose-text-size: 22px; }
body.rlgen-present .js-plotly-plot .main-svg text { font-size: 20px !important; }
/* radio choices and check boxes set their own 14-px size, not gradio's text variables */
body.rlgen-present .gradio-container label span { font-size: 20px; }
/* ... with each tab's advanced settings out of the way: the main actions and results fill the screen */
body.rlgen-present .rlgen-advanced { display: none !important; }
"""

# Presenter view: ?present=1 in the link (or the P key: rlgen.ui.stage.SHORTCUTS_JS) enlarges every text and plot
# label.
PRESENT_JS = """
() => {
  document.body.classList.toggle("rlgen-present", new URLSearchParams(window.location.search).get("present") === "1");
}
"""

# system fonts only (no request leaves the page), with the usual Chinese faces of each system before the fallback
SYSTEM_FONTS = ["ui-sans-serif", "system-ui", "Segoe UI", "Roboto", "Helvetica", "Arial", "PingFang SC",
                "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "sans-serif"]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"]


def theme() -> gr.themes.Base:
    """gradio's Soft theme with system fonts, its indigo one step darker where text sits on it or beside it: the
    labels (indigo 500 on indigo 100), primary buttons (white on indigo 500) and notes (grey 400 on white) fall
    short of WCAG AA's 4.5:1 contrast in the Soft theme (axe-core)."""
    return gr.themes.Soft(font=SYSTEM_FONTS, font_mono=MONO_FONTS).set(
        block_label_text_color="*primary_700", block_title_text_color="*primary_700",
        block_info_text_color="*neutral_600", checkbox_label_text_color="*neutral_800",
        button_primary_background_fill="*primary_600", button_primary_background_fill_hover="*primary_700",
        button_primary_text_color="white", checkbox_label_background_fill_selected="*primary_600",
        body_text_color_subdued="*neutral_600", color_accent="*primary_600")


log = logging.getLogger("rlgen")


def internal_error(exc: BaseException) -> gr.Error:
    """A bug, not the user's mistake: logged with its traceback under a short id that the message repeats."""
    incident = uuid.uuid4().hex[:8]
    log.error("internal error %s: %s", incident, exc, exc_info=exc)
    return gr.Error(say("Internal error (id {incident}): something went wrong on our side, not with your input. "
                        "The app is still running; try again, and mention this id if you report it.",
                        incident=incident), title=say("Internal error"))


def user_errors(fn: Callable) -> Callable:
    """Run a handler (plain or generator) under the one error contract: an :class:`InputError` from the domain
    reaches the person as a ``gr.Error`` with its message, in the reader's language (:func:`said`); a ``gr.Error``
    passes through; anything else is a bug, logged with its traceback and shown as :func:`internal_error`. The
    figures the handler returns are said in the reader's language too (:func:`localized`)."""
    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def generator_wrapper(*args, **kwargs):
            # closing: a Stop that closes this generator closes the handler's too
            with _error_contract(), contextlib.closing(fn(*args, **kwargs)) as frames:
                for frame in frames:
                    yield localized(frame)

        return generator_wrapper

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with _error_contract():
            return localized(fn(*args, **kwargs))

    return wrapper


@contextlib.contextmanager
def _error_contract():
    try:
        yield
    except gr.Error:
        raise
    except InputError as exc:
        raise gr.Error(said(exc), title=say("Error")) from exc
    except Exception as exc:
        raise internal_error(exc) from exc


def plots_said_on_load(demo: gr.Blocks) -> None:
    """Every plot's first figure in the reader's language; call inside the page's Blocks once every tab is built. A
    plot whose figure is made when the page opens gets it through :func:`localized`; the plots whose first figure was
    made while the page was built (in English) get their Chinese copy, made once, in one load event for Chinese
    readers."""
    fixed = []
    for block in list(demo.blocks.values()):
        if isinstance(block, gr.Plot) and block.load_event_to_attach:
            make, triggers, inputs = block.load_event_to_attach
            block.load_event_to_attach = (functools.wraps(make)(lambda *a, make=make: localized(make(*a))), triggers,
                                          inputs)
        elif isinstance(block, gr.Plot) and block.value:
            fixed.append(block)
    if not fixed:
        return
    english = [block.value["plot"] for block in fixed]
    chinese = functools.cache(lambda: tuple(localized_plot(plot) for plot in english))

    def first_figures():
        values = chinese() if language() == "zh" else (gr.skip(),) * len(fixed)
        return values if len(values) > 1 else values[0]

    demo.load(first_figures, None, fixed, show_progress="hidden", queue=False)


def loaded_values_give_way(demo: gr.Blocks) -> None:
    """A value made when the page opens never overwrites what the reader did meanwhile: every event that writes a
    component whose value is made on page load (an :class:`Opening`, an :func:`~rlgen.ui.i18n.on_load` text) first
    cancels that component's load in the reader's session, where it has not returned yet. On a busy server an
    opening can take seconds; a reader who pressed Generate before it arrived saw the opening replace their images.
    Call inside the page's Blocks once every tab is built (after :func:`plots_said_on_load`): it attaches the load
    events that gradio would attach when the block closes, so that the events can name them."""
    from gradio.events import EventListenerMethod, set_cancel_events

    demo.default_config.attach_load_events()
    loads = {}
    for block in demo.blocks.values():
        if getattr(block, "load_event_to_attach", None) and block.load_event is not None:
            block.load_event_to_attach = None  # attached: not again when the block closes
            loads[block._id] = block.load_event
    cancels: dict[tuple[int, str], list[dict]] = {}
    for fn in demo.fns.values():
        first = fn
        while not first.targets and first.trigger_after is not None:  # a .then(): cancel on the first event's trigger
            first = demo.fns[first.trigger_after]
        written = [loads[block._id] for block in fn.outputs if block._id in loads]
        for block_id, event in first.targets:
            if written and block_id in demo.blocks and event != "load":
                found = cancels.setdefault((block_id, event), [])
                found.extend(load for load in written if load not in found)
    for (block_id, event), written in cancels.items():
        set_cancel_events([EventListenerMethod(demo.blocks[block_id], event)], written)


def tab_from_link(keys: list[str]) -> Callable:
    """A page-load handler that selects the tab a link names (``/?tab=dpo``): a slide can open a demo directly.
    A missing or unknown key leaves the first tab."""

    def opened_tab(request: gr.Request):
        key = (request.query_params.get("tab") or "").strip().lower() if request is not None else ""
        return gr.Tabs(selected=key) if key in keys else gr.skip()

    return opened_tab


def tab_hash_js(keys: list[str]) -> str:
    """A page script: a link written with a hash (``/#dpo``, which never reaches the server) goes to the same tab as
    ``/?tab=dpo``, its other query values kept."""
    return TAB_HASH_JS.replace("KEYS", json.dumps(list(keys)))


TAB_HASH_JS = """
() => {
  const key = decodeURIComponent(window.location.hash.slice(1)).trim().toLowerCase();
  const params = new URLSearchParams(window.location.search);
  if (KEYS.includes(key) && !params.has("tab")) {
    params.set("tab", key);
    window.location.replace(window.location.pathname + "?" + params.toString());
  }
}
"""


def on_gpu(fn: Callable) -> Callable:
    """``spaces.GPU(fn)`` where the ``spaces`` package is installed (a Hugging Face Space: a GPU is attached for
    each call on ZeroGPU hardware, nothing changes elsewhere), else ``fn`` unchanged. A folder named ``spaces``
    without the package imports as an empty namespace, hence the attribute check."""
    try:
        import spaces
    except ImportError:
        return fn
    gpu = getattr(spaces, "GPU", None)
    return fn if gpu is None else gpu(fn)


# -- inputs that never fail before the handler runs ---------------------------------------------------------------
def _checked_file(file, max_pixels: int) -> None:
    """Refuse an image payload (gradio ``FileData`` or bytes) from its header, before gradio decodes it."""
    try:
        if file is None:
            return
        if isinstance(file, (bytes, bytearray, memoryview)):
            imaging.check_image(bytes(file), max_pixels)
        elif getattr(file, "url", None) and str(file.url).startswith("data:"):
            imaging.check_image(imaging.data_url_bytes(file.url), max_pixels)
        elif getattr(file, "path", None):
            if Path(file.path).suffix.lower() == ".svg":
                raise InputError("SVG drawings are not accepted; upload a PNG, JPEG, WebP, GIF or BMP image.")
            imaging.check_image(file.path, max_pixels)
    except InputError as exc:
        raise gr.Error(said(exc), title=say("Image refused")) from exc


class CheckedImage(gr.Image):
    """``gr.Image`` whose input is checked from the file header (size cap, is it an image) before gradio
    decodes a pixel: a 20 KB decompression bomb costs the server nothing and gets a clear message."""

    is_template = True  # the browser renders it as a plain gr.Image
    # No __init__ of its own: gradio builds the page config from the __init__ signature, so an override taking
    # **kwargs would drop every prop (label, height, elem_id) from the page.
    max_pixels = imaging.MAX_PIXELS

    def preprocess(self, payload):
        _checked_file(payload, self.max_pixels)
        return super().preprocess(payload)


class CheckedSketchpad(gr.Sketchpad):
    """``gr.Sketchpad`` whose background, layers and composite are checked from their headers first."""

    max_pixels = imaging.MAX_PIXELS

    def get_block_name(self) -> str:
        return "imageeditor"

    def get_block_class(self) -> str:
        return "imageeditor"

    def convert_and_format_image(self, file, flatten_on_white: bool = False):
        _checked_file(file, self.max_pixels)
        return super().convert_and_format_image(file, flatten_on_white)


class Number(gr.Number):
    """``gr.Number`` that passes an empty or non-finite entry on to the handler (which says what it needs)
    instead of failing inside gradio with "cannot convert float NaN to integer"."""

    is_template = True

    def preprocess(self, payload):
        if payload is None or not math.isfinite(payload):
            return None if payload is None else float(payload)
        if self.minimum is not None and payload < self.minimum or self.maximum is not None and payload > self.maximum:
            return float(payload)  # the handler's check names the range in words
        return self.round_to_precision(payload, self.precision)


class Opening:
    """What a tab opens on when making it takes seconds (pictures generated with the defaults): made once, in a
    background thread that the first page load starts, and shared by every visitor. :meth:`part` gives a component
    value; gradio calls it on each page load. A load waits at most ``wait_s`` for the result, so the first visitors
    after a start hold a shared slot only briefly and see an empty view until it is made, and an action of theirs
    that writes the same view cancels the late opening (:func:`loaded_values_give_way`); building the app (and a
    test that never opens the page) costs nothing. The openings are made one after another, and never beside a model
    load (they hold ``runtime.MODEL_LOADING``): a model loaded from a checkpoint is first built on torch's "meta"
    device with process-wide functions swapped, which is not safe while another thread loads a model."""


    def __init__(self, make: Callable[[], tuple], wait_s: float = 5.0):
        self._make, self._result, self._wait_s = make, (), wait_s
        self._done, self._started = threading.Event(), threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        with self._started:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, args=(self._make,), name="rlgen-opening",
                                                daemon=True)
                self._thread.start()

    def _run(self, make: Callable[[], tuple]) -> None:
        try:  # visitors wait on it: it is served, and never steps aside for them (runtime.Courtesy)
            with runtime.MODEL_LOADING, runtime.COURTESY.serving():
                self._result = make()
        except Exception as exc:  # a bug: logged; the page opens without the picture
            log.error("the opening view failed: %s", exc, exc_info=exc)
        self._done.set()

    def result(self, wait_s: float | None = None) -> tuple:
        """The result, waiting up to ``wait_s`` seconds (forever when None); empty if not made yet."""
        self.start()
        self._done.wait(wait_s)
        return self._result

    def part(self, index: int, default: object = None) -> Callable[[], object]:
        """A component value: item ``index`` of the result, or ``default`` where there is none yet."""
        from gradio.context import LocalContext

        def value():
            if LocalContext.request.get(None) is None:
                return default
            result = self.result(self._wait_s)
            return result[index] if len(result) > index else default

        return value


# A chat's own buttons: copy a message, copy the conversation. gradio's "share" (to a Space's discussions) has no
# accessible name in 6.31 (axe-core: "button-name", critical) and nothing to share to outside a Space.
CHAT_BUTTONS = ["copy", "copy_all"]

SESSION_TTL_S = 3 * 3600  # a lecture and then some; a session's state is freed after this long unchanged


def session_state(value=None, **kwargs) -> gr.State:
    """Per-user state: plain data that gradio frees ``SESSION_TTL_S`` after its last change (without a TTL every
    visitor's state stays for the life of the server)."""
    return gr.State(value, time_to_live=SESSION_TTL_S, **kwargs)


MAX_SEED = 2**31 - 1


def shown(value: float) -> str:
    """A number as a person writes it: 100,000,000 rather than 1e+08; a fraction with 4 significant digits."""
    if math.isfinite(value) and float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:.4g}"


def advanced(label: str = "More settings", open: bool = False) -> gr.Accordion:
    """An accordion for a tab's advanced settings: closed on the page, hidden in the presenter view."""
    return gr.Accordion(tr(label), open=open, elem_classes=["rlgen-advanced"])


def seed_controls(value: int = 0) -> tuple[gr.Number, gr.Checkbox]:
    """A seed box and a "randomize" toggle; handlers call :func:`resolve_seed` and show the seed used."""
    with gr.Row():
        seed = Number(value=value, label=tr("Seed"), precision=0, minimum=0, maximum=MAX_SEED, scale=3)
        randomize = gr.Checkbox(value=False, label=tr("Randomize seed"), scale=2, min_width=160)
    return seed, randomize


def resolve_seed(seed: float | None, randomize: bool) -> int:
    """The seed a run uses: a fresh one when randomizing, else the box's value (checked)."""
    if randomize:
        return random.randint(0, MAX_SEED)
    if seed is None or not math.isfinite(seed) or int(seed) != seed or not 0 <= seed <= MAX_SEED:
        if seed is None:
            raise InputError(say("The seed must be a whole number from 0 to {max:,}.", max=MAX_SEED))
        raise InputError(say("The seed must be a whole number from 0 to {max:,} (got {seed}).", max=MAX_SEED,
                             seed=shown(seed)))
    return int(seed)


def check_choice(value: object, choices, name: str) -> object:
    """A value of a list-like control (a radio, a dropdown) that must be one of ``choices``; a link or an API call
    can send anything."""
    if value not in choices:
        raise InputError(say("{name}: choose one of {choices} (got {value!r}).", name=say(name),
                             choices=", ".join(map(str, choices)), value=value))
    return value


def check_number(value: float | None, name: str, low: float, high: float, *, integer: bool = False) -> float:
    """A number from a UI control, checked: finite, within [low, high], whole where it must be. The message is
    in the reader's language (``name`` too, where the Chinese tables have it)."""
    kind = say("a whole number") if integer else say("a number")
    name, low_, high_ = say(name), shown(low), shown(high)
    if value is None:
        raise InputError(say("{name} is empty: enter {kind} from {low} to {high}.", name=name, kind=kind, low=low_,
                             high=high_))
    if not math.isfinite(value):
        raise InputError(say("{name} must be {kind} from {low} to {high} (got {value}).", name=name, kind=kind,
                             low=low_, high=high_, value=value))
    if not low <= value <= high:
        raise InputError(say("{name} must lie between {low} and {high} (got {value}).", name=name, low=low_,
                             high=high_, value=shown(value)))
    if integer and int(value) != value:
        raise InputError(say("{name} must be a whole number (got {value}).", name=name, value=shown(value)))
    return int(value) if integer else float(value)
