"""`python -m rlgen export-space TAB DIR`: a self-contained Hugging Face Space folder for one tab —
the ``rlgen`` package copied in (with only that tab's checkpoints), its requirements, and an app.py."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from rlgen import registry, runtime
from rlgen.errors import InputError

ROOT = runtime.PACKAGE_DIR.parent

APP_TEMPLATE = '''"""rlgen — the {title} tab as a Space of its own."""

from rlgen.ui import build_app, serve

demo = build_app(["{key}"])

if __name__ == "__main__":
    serve(demo)
'''


# The Hub stores binary files through LFS/Xet only; a plain git push of a safetensors file is refused.
GITATTRIBUTES = "".join(
    f"{pattern} filter=lfs diff=lfs merge=lfs -text\n" for pattern in ("*.safetensors", "*.png", "*.gif", "*.jpg")
)


def space_readme(key: str, title: str, description: str) -> str:
    return f"""---
title: {json.dumps("rlgen " + title, ensure_ascii=False)}
emoji: 🎛️
colorFrom: indigo
colorTo: green
sdk: gradio
sdk_version: 6.31.0
python_version: "3.11"
app_file: app.py
pinned: false
short_description: {json.dumps(_short(description), ensure_ascii=False)}
---

# rlgen — {title}

{description}

This Space serves one tab of rlgen, an offline-first playground for reinforcement learning and generative
models. Everything runs on a CPU; nothing is downloaded at run time.
"""


def _short(description: str, limit: int = 60) -> str:
    """Spaces cap short_description at 60 characters: cut at a word boundary."""
    if len(description) <= limit:
        return description
    return description[: limit - 1].rsplit(" ", 1)[0].rstrip(",:;") + "…"


def export_space(key: str, directory: str | Path) -> Path:
    """Write the Space for tab ``key`` into ``directory`` (created; must be empty if it exists)."""
    from rlgen.ui import TABS

    if key not in TABS:
        raise InputError("Unknown tab {key!r}; the tabs are: {tabs}.", key=key, tabs=', '.join(TABS))
    target = Path(directory)
    if target.exists() and any(target.iterdir()):
        raise InputError("{target} is not empty; choose a new folder for the Space.", target=target)
    target.mkdir(parents=True, exist_ok=True)
    module_file = Path(TABS[key].replace(".", "/") + ".py")
    module_text = (ROOT / module_file).read_text()
    title = _constant(module_text, "TITLE") or key
    description = _constant(module_text, "DESCRIPTION") or f"The {title} tab of rlgen."
    checkpoints = registry.for_tab(key)

    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = {n for n in names if n in ("__pycache__",) or n.endswith(".pyc")}
        if Path(folder).resolve() == runtime.CHECKPOINT_DIR.resolve():
            skipped |= {n for n in names if n not in checkpoints}
        return skipped

    shutil.copytree(runtime.PACKAGE_DIR, target / "rlgen", ignore=ignore)
    shutil.copy(ROOT / "requirements.txt", target / "requirements.txt")
    (target / "app.py").write_text(APP_TEMPLATE.format(title=title, key=key))
    (target / "README.md").write_text(space_readme(key, title, description))
    (target / ".gitattributes").write_text(GITATTRIBUTES)
    return target


def _constant(text: str, name: str) -> str | None:
    """A module-level string constant read without importing the module (no gradio needed to export)."""
    import ast

    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            value = ast.literal_eval(node.value)
            return value if isinstance(value, str) else None
    return None
