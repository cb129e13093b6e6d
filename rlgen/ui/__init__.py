"""The UI layer: one module per tab, each exposing ``TITLE`` and ``build()``. gradio lives here and nowhere
else. ``TABS`` is the table of finished tabs that ``app.py``, ``python -m rlgen serve`` and the Spaces use."""

from __future__ import annotations

import importlib
import os

from rlgen import runtime  # first: analytics off before gradio is imported
from rlgen.errors import InputError

# key -> module; a tab appears in the app once its module is listed here.
TABS: dict[str, str] = {
    "gridworld": "rlgen.ui.gridworld",
    "geometry": "rlgen.ui.geometry",
    "deeprl": "rlgen.ui.deeprl",
    "ddpg": "rlgen.ui.ddpg",
    "genlab": "rlgen.ui.genlab",
    "dpo": "rlgen.ui.dpo",
    "diffusion": "rlgen.ui.diffusion",
    "sd3": "rlgen.ui.sd3",
    "kimivl": "rlgen.ui.vlm",
}

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860

# A lecture hall at once on a 2-core CPU: heavy events set their own concurrency_limit; the queue holds at most
# QUEUE_MAX_SIZE waiting events, beyond which a request is told the app is busy instead of piling up.
QUEUE_MAX_SIZE = 256
DEFAULT_CONCURRENCY = 4
MAX_FILE_SIZE = "10mb"  # an upload over this is refused by the server before it is stored
CACHE_SWEEP = (1800, 3600)  # every 30 min delete cached uploads and outputs older than an hour


def tab_module(key: str):
    if key not in TABS:
        raise InputError("Unknown tab {key!r}; the tabs are: {tabs}.", key=key, tabs=', '.join(TABS))
    return importlib.import_module(TABS[key])


def build_app(tabs: list[str] | None = None):
    """One ``gr.Blocks`` holding the given tabs (all finished tabs by default)."""
    import gradio as gr
    from gradio.i18n import I18nData

    from rlgen.ui import gradio_fixes
    from rlgen.ui.i18n import LANGUAGE_JS, i18n, tr
    from rlgen.ui.links import opened
    from rlgen.ui.stage import A11Y_JS, SHORTCUTS_JS, TOASTS_JS
    from rlgen.ui.widgets import PRESENT_JS, loaded_values_give_way, plots_said_on_load, tab_from_link, tab_hash_js

    gradio_fixes.apply()
    keys = list(TABS) if tabs is None else tabs
    modules = [tab_module(k) for k in keys]
    with gr.Blocks(title="rlgen — RL and generative models, live", delete_cache=CACHE_SWEEP) as demo:
        with gr.Row(equal_height=False):
            gr.Markdown(I18nData("header"), elem_classes=["rlgen-header"], sanitize_html=False)
            gr.Button(tr("中文"), size="sm", scale=0, min_width=90, elem_id="rlgen-language",
                      variant="secondary").click(None, js="() => window.rlgenSwitchLanguage()")
        for script in (tab_hash_js(keys), PRESENT_JS, LANGUAGE_JS, SHORTCUTS_JS, TOASTS_JS, A11Y_JS):  # run on load
            demo.load(None, None, None, js=script)
        if len(modules) == 1:
            modules[0].build()
        else:
            with gr.Tabs() as tabs:
                for key, module in zip(keys, modules):
                    with gr.Tab(I18nData(f"tab.{key}"), id=key):
                        module.build()
            # a link such as /?tab=dpo opens that tab (a slide can jump straight to a demo)
            demo.load(tab_from_link(keys), None, tabs, show_progress="hidden", queue=False)
        # ... and the controls it names (?tab=dpo&prompt=...&seed=3), then the tab shows its result for them
        linked_controls, open_link = opened(getattr(demo, "rlgen_links", {}), getattr(demo, "rlgen_link_opened", {}))
        if linked_controls:  # queued: only a queued event's changed states fire their .change in the browser
            demo.load(open_link, None, linked_controls, show_progress="hidden", api_visibility="private")
        plots_said_on_load(demo)  # the figures the domains drew, in the reader's language
        loaded_values_give_way(demo)  # ... never drawn over what the reader has done since the page opened
    # launch() takes the translations (made now that every tab has said which texts it uses); launch_kwargs(demo)
    # passes them on
    demo.rlgen_i18n = i18n({key: module.TITLE for key, module in zip(keys, modules)})
    return demo


def launch_kwargs(demo=None) -> dict:
    """What ``launch()`` takes in gradio 6 (theme/css moved there): a theme with system fonts only, so the
    page makes no request outside the server (the default theme pulls fonts from a CDN), and ``demo``'s
    translations (the page follows the browser's language)."""
    from rlgen.ui.widgets import CSS, theme

    kwargs = {"theme": theme(), "css": CSS, "footer_links": [], "show_error": True,
              "max_file_size": MAX_FILE_SIZE}
    if getattr(demo, "rlgen_i18n", None) is not None:
        kwargs["i18n"] = demo.rlgen_i18n
    return kwargs


def address(host: str | None = None, port: int | None = None) -> tuple[str, int]:
    """Where to listen: an explicit argument, else gradio's own ``GRADIO_SERVER_NAME``/``GRADIO_SERVER_PORT``
    (what Hugging Face Spaces sets: 0.0.0.0:7860), else the ``HOST``/``PORT`` aliases, else loopback:7860."""
    env = os.environ
    host = host or env.get("GRADIO_SERVER_NAME") or env.get("HOST") or DEFAULT_HOST
    port = port or env.get("GRADIO_SERVER_PORT") or env.get("PORT") or DEFAULT_PORT
    return host, int(port)


def serve(demo=None, tabs: list[str] | None = None, host: str | None = None, port: int | None = None) -> None:
    """Serve the app with the limits a public Space needs: a bounded queue, an upload cap, a cache sweep."""
    demo = demo or build_app(tabs)
    server_name, server_port = address(host, port)
    with_queue(demo).launch(server_name=server_name, server_port=server_port, **launch_kwargs(demo))


def with_queue(demo):
    """``demo`` with the queue a crowd needs: a default concurrency per event and a bounded waiting line."""
    from rlgen.ui.live import serve_waiting_first

    share_clicks(demo)
    serve_waiting_first(demo)
    runtime.COURTESY.install()  # training steps aside while those are computed
    return demo.queue(default_concurrency_limit=DEFAULT_CONCURRENCY, max_size=QUEUE_MAX_SIZE)


def share_clicks(demo) -> None:
    """Every event left at the default limit that returns at once (not a stream) joins the shared click slots
    (:data:`rlgen.ui.live.CLICK_QUEUE`): a click in one tab and a click in another wait in one short line."""
    import inspect

    from rlgen.ui.live import CLICK_QUEUE

    for fn in demo.fns.values():
        if fn.fn is not None and fn.concurrency_limit == "default" and not inspect.isgeneratorfunction(fn.fn):
            fn.concurrency_id, fn.concurrency_limit = CLICK_QUEUE["concurrency_id"], CLICK_QUEUE["concurrency_limit"]
