"""rlgen — the KimiVL image-QA tab as a Space of its own (run from a clone: `python spaces/kimivl/app.py`)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root holds the rlgen package

from rlgen.ui import build_app, serve  # noqa: E402

demo = build_app(["kimivl"])

if __name__ == "__main__":
    serve(demo)
