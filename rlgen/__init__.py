"""rlgen: an offline-first playground for reinforcement learning and generative models."""

from rlgen import runtime  # noqa: F401  (sets threads and offline switches before anything else loads)

__version__ = "0.1.0"
