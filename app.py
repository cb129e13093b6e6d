"""rlgen: every finished tab in one page. `python app.py` serves on 127.0.0.1:7860 locally, and on the address
that GRADIO_SERVER_NAME / GRADIO_SERVER_PORT give (Hugging Face Spaces sets 0.0.0.0:7860); HOST / PORT are aliases."""

from rlgen.ui import build_app, serve

demo = build_app()

if __name__ == "__main__":
    serve(demo)
