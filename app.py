"""rlgen: every finished tab in one page. `python app.py` serves on 127.0.0.1:7860 (HOST / PORT override)."""

from rlgen.ui import build_app, serve

demo = build_app()

if __name__ == "__main__":
    serve(demo)
