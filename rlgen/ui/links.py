"""Links that open a demo in a given state, and a QR code of them for a room.

``/?tab=dpo&prompt=How+was+the+film%3F&seed=3`` opens the DPO tab with that prompt and seed and shows both
replies; ``/?tab=gridworld&preset=book&algo=value_iteration`` opens GridWorld on the book's grid and runs value
iteration on it. A tab declares which of its controls a link may set with :func:`linked`, which returns a state
that changes once a link has set them: the tab runs its first result on that state's ``.change``, so the page
shows the result for the link's values, not the defaults'. :func:`linked` also puts a "Share this demo" row there:
"Copy link" writes the tab's current state into such a link (and to the clipboard) and shows its QR code, so a
speaker can put the exact demo on a slide or in front of the audience. A link's values are checked like a
person's input: a value outside a control's choices or range is left out, with a warning that names it.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable

import gradio as gr
from gradio.context import Context

from rlgen.errors import InputError
from rlgen.ui.i18n import say, tr
from rlgen.ui.widgets import session_state, user_errors

MAX_TEXT = 500  # characters a link may put in a text box
MAX_QR = 2_000  # characters of a link drawn as a QR code (version 40 at level M holds 2,331 bytes)
RESERVED = ("tab", "lang", "present")


def linked(tab: str, **fields) -> gr.State:
    """Controls of ``tab`` that a link sets, by the name the link uses; and the tab's share row. Returns a state
    that changes after a link for ``tab`` has set its controls: wire the tab's first result to its ``.change``.
    The state is placed on the page by :func:`opened`, outside every tab: gradio 6.31 fires ``.change`` of a state
    inside a ``gr.Tab`` when the page mounts, whatever its value."""
    root = Context.root_block
    link_opened = session_state(0, render=False)
    if root is not None:
        if getattr(root, "rlgen_links", None) is None:
            root.rlgen_links, root.rlgen_link_opened = {}, {}
        root.rlgen_links[tab] = fields
        root.rlgen_link_opened[tab] = link_opened
    shared = {name: c for name, c in fields.items() if not isinstance(c, gr.State)}  # the page's own controls
    with gr.Accordion(tr("Share this demo"), open=False, elem_classes=["rlgen-share"]):
        with gr.Row():
            button = gr.Button(tr("Copy link"), size="sm", scale=0, min_width=120, elem_id=f"{tab}-copy-link")
            link = gr.Textbox(label=tr("Link to this demo, as it is set now"), interactive=False, scale=4,
                              elem_id=f"{tab}-link")
        code = gr.Image(label=tr("QR code of the link"), interactive=False, height=220, show_label=True,
                        elem_id=f"{tab}-qr", buttons=["download"], format="png")
    button.click(None, list(shared.values()), link, js=link_js(tab, list(shared))).then(
        user_errors(qr_code), link, code, api_visibility="private", queue=False)
    return link_opened


def link_choice(choices: tuple[str, ...], value: str) -> gr.State:
    """A value only a link sets (no control shows it, e.g. GridWorld's preset grid), checked against ``choices``."""
    state = session_state(value)
    state.rlgen_choices = tuple(choices)
    return state


def link_js(tab: str, names: list[str]) -> str:
    """The browser side of "Copy link": this page's address with the tab and the given controls' values."""
    return f"""
(...values) => {{
  const names = {json.dumps(names)};
  const url = new URL(window.location.origin + window.location.pathname);
  url.searchParams.set("tab", {json.dumps(tab)});
  names.forEach((name, i) => {{
    const value = values[i];
    if (value !== null && value !== undefined && value !== "") {{ url.searchParams.set(name, String(value)); }}
  }});
  const lang = localStorage.getItem("rlgen-lang");
  if (lang) {{ url.searchParams.set("lang", lang); }}
  const text = url.toString();
  if (navigator.clipboard) {{ navigator.clipboard.writeText(text).catch(() => {{}}); }}
  return text;
}}
"""


def qr_code(link: str):
    """The QR code of ``link`` (empty when there is none)."""
    if not link:
        return None
    if len(link) > MAX_QR:
        raise InputError(say("This link is too long for a QR code ({n:,} characters; at most {max:,}).",
                             n=len(link), max=MAX_QR))
    import segno
    from PIL import Image

    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=8, border=2)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


def checked_value(component, raw: str):
    """``raw`` (text from a link) as a value of ``component``; ValueError where the control would not take it."""
    allowed = getattr(component, "rlgen_choices", None)
    if allowed is not None:
        if raw not in allowed:
            raise ValueError(raw)
        return raw
    if isinstance(component, gr.Checkbox):
        if raw.lower() not in ("true", "false", "1", "0"):
            raise ValueError(raw)
        return raw.lower() in ("true", "1")
    choices = getattr(component, "choices", None)
    if choices:
        values = [c[1] if isinstance(c, (tuple, list)) else c for c in choices]
        match = next((v for v in values if str(v) == raw), None)
        if match is None:
            raise ValueError(raw)
        return match
    if isinstance(component, (gr.Number, gr.Slider)):
        number = float(raw)
        low, high = getattr(component, "minimum", None), getattr(component, "maximum", None)
        if not math.isfinite(number) or (low is not None and number < low) or (high is not None and number > high):
            raise ValueError(raw)
        return int(number) if number.is_integer() and getattr(component, "precision", None) == 0 else number
    if len(raw) > MAX_TEXT:
        raise ValueError(raw[:40])
    return raw


def opened(table: dict[str, dict], link_opened: dict[str, gr.State] | None = None) -> tuple[list, Callable]:
    """(every linked control, then each tab's link-opened state; a page-load handler that sets the controls the
    link names for the link's tab and, where it set any, changes that tab's state so the tab shows its result)."""
    link_opened = link_opened or {}
    for state in link_opened.values():
        if not state.is_rendered:
            state.render()
    order = [(tab, name, component) for tab, fields in table.items() for name, component in fields.items()]

    def open_link(request: gr.Request):
        params = dict(request.query_params) if request is not None else {}
        tab = (params.get("tab") or "").strip().lower()
        updates, refused, applied = [], [], False
        for owner, name, component in order:
            raw = params.get(name)
            if owner != tab or raw is None or name in RESERVED:
                updates.append(gr.skip())
                continue
            try:
                updates.append(gr.update(value=checked_value(component, raw)))
                applied = True
            except ValueError:
                refused.append(name)
                updates.append(gr.skip())
        if refused:
            gr.Warning(say("The link's {names} could not be used here; the demo opened with its defaults for them.",
                           names=", ".join(refused)))
        updates += [1 if applied and owner == tab else gr.skip() for owner in link_opened]
        return updates if len(updates) != 1 else updates[0]

    return [component for _, _, component in order] + list(link_opened.values()), open_link
