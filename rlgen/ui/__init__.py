"""The UI layer: one module per tab, each exposing ``TITLE`` and ``build()``. gradio lives here and nowhere
else. ``TABS`` is the table of finished tabs that ``app.py``, ``python -m rlgen serve`` and the Spaces use."""

from __future__ import annotations

import importlib
import os

from rlgen import runtime  # noqa: F401  (analytics off before gradio is imported)

# key -> module; a tab appears in the app once its module is listed here.
TABS: dict[str, str] = {
    "gridworld": "rlgen.ui.gridworld",
    "geometry": "rlgen.ui.geometry",
    "ddpg": "rlgen.ui.ddpg",
    "genlab": "rlgen.ui.genlab",
    "dpo": "rlgen.ui.dpo",
    "diffusion": "rlgen.ui.diffusion",
    "kimivl": "rlgen.ui.vlm",
}

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860


def tab_module(key: str):
    if key not in TABS:
        raise ValueError(f"Unknown tab {key!r}; the tabs are: {', '.join(TABS)}.")
    return importlib.import_module(TABS[key])


def build_app(tabs: list[str] | None = None):
    """One ``gr.Blocks`` holding the given tabs (all finished tabs by default)."""
    import gradio as gr

    keys = list(TABS) if tabs is None else tabs
    modules = [tab_module(k) for k in keys]
    with gr.Blocks(title="rlgen — RL and generative models, live") as demo:
        gr.Markdown(
            "# rlgen\nWatch reinforcement-learning and generative-model algorithms work, live, on a CPU. "
            "Every model here is small, trained by this project and shipped with it; nothing is downloaded."
        )
        if len(modules) == 1:
            modules[0].build()
        else:
            for key, module in zip(keys, modules):
                with gr.Tab(module.TITLE, id=key):
                    module.build()
    return demo


def launch_kwargs() -> dict:
    """What ``launch()`` takes in gradio 6 (theme/css moved there): a theme with system fonts only, so the
    page makes no request outside the server (the default theme pulls fonts from a CDN)."""
    from rlgen.ui.widgets import CSS, theme

    return {"theme": theme(), "css": CSS, "footer_links": [], "show_error": True}


def serve(demo=None, tabs: list[str] | None = None, host: str | None = None, port: int | None = None) -> None:
    """Serve on loopback by default (``HOST``/``PORT`` override)."""
    demo = demo or build_app(tabs)
    demo.queue(default_concurrency_limit=4).launch(
        server_name=host or os.environ.get("HOST", DEFAULT_HOST),
        server_port=int(port or os.environ.get("PORT", DEFAULT_PORT)),
        **launch_kwargs(),
    )
