"""The grid world's five actions, in the book's order, and the move each makes as (d_row, d_col)."""

from __future__ import annotations

import numpy as np

ACTIONS: tuple[str, ...] = ("up", "right", "down", "left", "stay")
ACTION_DELTAS = np.array([(-1, 0), (0, 1), (1, 0), (0, -1), (0, 0)], dtype=np.int64)
N_ACTIONS = len(ACTIONS)
