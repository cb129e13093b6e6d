"""rlgen: an offline-first playground for reinforcement learning and generative models."""

from rlgen import (
    imaging,  # noqa: F401, I001  (PIL's pixel limit lowered to the app's cap before any image opens)
    runtime,  # noqa: F401  (sets threads and offline switches before anything else loads)
)

__version__ = "0.1.0"
