"""Links that open a demo in a given state, and a QR code of them for a room.

``/?tab=dpo&prompt=How+was+the+film%3F&seed=3`` opens the DPO tab with that prompt and seed;
``/?tab=gridworld&algo=value_iteration&gamma=0.8`` opens GridWorld on value iteration at γ = 0.8. A tab declares
which of its controls a link may set with :func:`linked`, which also puts a "Share this demo" row under them:
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
from rlgen.ui.widgets import user_errors

MAX_TEXT = 500  # characters a link may put in a text box
MAX_QR = 2_000  # characters of a link drawn as a QR code (version 40 at level M holds 2,331 bytes)
RESERVED = ("tab", "lang", "present")


def linked(tab: str, **fields) -> None:
    """Controls of ``tab`` that a link sets, by the name the link uses; and the tab's share row."""
    root = Context.root_block
    if root is not None:
        table = getattr(root, "rlgen_links", None)
        if table is None:
            table = root.rlgen_links = {}
        table[tab] = fields
    with gr.Accordion(tr("Share this demo"), open=False, elem_classes=["rlgen-share"]):
        with gr.Row():
            button = gr.Button(tr("Copy link"), size="sm", scale=0, min_width=120, elem_id=f"{tab}-copy-link")
            link = gr.Textbox(label=tr("Link to this demo, as it is set now"), interactive=False, scale=4,
                              elem_id=f"{tab}-link")
        code = gr.Image(label=tr("QR code of the link"), interactive=False, height=220, show_label=True,
                        elem_id=f"{tab}-qr", buttons=["download"], format="png")
    button.click(None, list(fields.values()), link, js=link_js(tab, list(fields))).then(
        user_errors(qr_code), link, code, api_visibility="private", queue=False)


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


def opened(table: dict[str, dict]) -> tuple[list, Callable]:
    """(every linked control, a page-load handler that sets those the link names for the link's tab)."""
    order = [(tab, name, component) for tab, fields in table.items() for name, component in fields.items()]

    def open_link(request: gr.Request):
        params = dict(request.query_params) if request is not None else {}
        tab = (params.get("tab") or "").strip().lower()
        updates, refused = [], []
        for owner, name, component in order:
            raw = params.get(name)
            if owner != tab or raw is None or name in RESERVED:
                updates.append(gr.skip())
                continue
            try:
                updates.append(gr.update(value=checked_value(component, raw)))
            except ValueError:
                refused.append(name)
                updates.append(gr.skip())
        if refused:
            gr.Warning(say("The link's {names} could not be used here; the demo opened with its defaults for them.",
                           names=", ".join(refused)))
        return updates if len(updates) != 1 else updates[0]

    return [component for _, _, component in order], open_link
