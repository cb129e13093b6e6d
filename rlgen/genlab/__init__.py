"""The generative-models lab: small 2-D score models, SDE samplers, rectified flow and autoregressive
likelihood models on 8×8 digits, each trained live in seconds on one CPU thread. No gradio here."""
