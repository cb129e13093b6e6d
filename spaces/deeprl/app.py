"""rlgen — the "Tables to deep RL" tab as a Space of its own (run from a clone: `python spaces/deeprl/app.py`)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root holds the rlgen package

from rlgen.ui import build_app, serve  # noqa: E402

demo = build_app(["deeprl"])

if __name__ == "__main__":
    serve(demo)
