"""The grid world of Zhao's "Mathematical Foundations of Reinforcement Learning" (chapter 1).

Conventions follow the book, not his code: cells are (row, col), 0-indexed here and 1-indexed on screen;
five actions up, right, down, left, stay; deterministic moves; bumping into the boundary leaves the agent in
place and pays ``r_boundary``; forbidden cells may be entered and pay ``r_forbidden``; entering or staying on
the target pays ``r_target``; anything else pays ``r_other``. The target is not absorbing: a continuing task.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from rlgen.errors import InputError
from rlgen.gridworld.actions import ACTION_DELTAS, ACTIONS, N_ACTIONS  # noqa: F401  (ACTION_DELTAS: re-exported)

MAX_DENSE_P_ENTRIES = 200_000_000  # S*A*S floats; beyond this `P` would take > 1.6 GB


class GridWorld(gym.Env):
    """A tabular MDP and a gymnasium ``Env`` at once.

    Observations are state indices ``s = row * cols + col``; actions index :data:`ACTIONS`.
    ``next_state`` (S×A) and ``R`` (S×A) are the model the planning algorithms use; ``P`` (S×A×S) is the
    same model as a dense transition array.
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 4}

    def __init__(
        self,
        rows: int = 5,
        cols: int = 5,
        target: tuple[int, int] | None = (3, 2),
        forbidden: Iterable[Sequence[int]] = (),
        r_boundary: float = -1.0,
        r_forbidden: float = -1.0,
        r_target: float = 1.0,
        r_other: float = 0.0,
        start: tuple[int, int] = (0, 0),
        render_mode: str | None = None,
    ) -> None:
        rows, cols = int(rows), int(cols)
        if rows < 1 or cols < 1:
            raise InputError("The grid needs at least one row and one column (got {rows}×{cols}).",
                             rows=rows, cols=cols)
        if target is None:
            raise InputError("The grid has no target: mark exactly one cell as the target.")
        rewards = {"r_boundary": r_boundary, "r_forbidden": r_forbidden, "r_target": r_target, "r_other": r_other}
        for name, value in rewards.items():
            if not np.isfinite(value):
                raise InputError("{name} must be a finite number (got {value}).", name=name, value=value)
        self.rows, self.cols = rows, cols
        self.target = self._check_cell(target, "target")
        self.forbidden = tuple(sorted({self._check_cell(c, "forbidden cell") for c in forbidden}))
        if self.target in self.forbidden:
            raise InputError("Cell {cell} cannot be both the target and forbidden.", cell=_show(self.target))
        self.start = self._check_cell(start, "start")
        self.r_boundary, self.r_forbidden = float(r_boundary), float(r_forbidden)
        self.r_target, self.r_other = float(r_target), float(r_other)
        if render_mode not in (None, "rgb_array"):
            raise InputError("render_mode must be None or 'rgb_array' (got {render_mode!r}).", render_mode=render_mode)
        self.render_mode = render_mode

        self.n_states = rows * cols
        self.observation_space = spaces.Discrete(self.n_states)
        self.action_space = spaces.Discrete(N_ACTIONS)
        self.next_state, self.R = self._build_model()
        self._state = self.to_index(self.start)
        self._trajectory: list[int] = [self._state]

    # -- construction -------------------------------------------------------------------------------
    @classmethod
    def book_example(cls, r_forbidden: float = -1.0, **kwargs) -> GridWorld:
        """The 5×5 running example of the book's chapters 2–4: target at (4, 3), forbidden cells (2,2), (2,3),
        (3,3), (4,2), (4,4), (5,2) — 1-indexed as the book prints them."""
        book_forbidden = [(2, 2), (2, 3), (3, 3), (4, 2), (4, 4), (5, 2)]
        return cls(
            5,
            5,
            target=(3, 2),
            forbidden=[(r - 1, c - 1) for r, c in book_forbidden],
            r_forbidden=r_forbidden,
            **kwargs,
        )

    def _check_cell(self, cell: Sequence[int], what: str) -> tuple[int, int]:
        r, c = (int(v) for v in cell)
        if not (0 <= r < self.rows and 0 <= c < self.cols):
            raise InputError("The {what} {cell} lies outside the {rows}×{cols} grid.",
                             what=what, cell=_show((r, c)), rows=self.rows, cols=self.cols)
        return r, c

    def _build_model(self) -> tuple[np.ndarray, np.ndarray]:
        rows_idx, cols_idx = np.divmod(np.arange(self.n_states), self.cols)
        nr = rows_idx[:, None] + ACTION_DELTAS[None, :, 0]
        nc = cols_idx[:, None] + ACTION_DELTAS[None, :, 1]
        off_grid = (nr < 0) | (nr >= self.rows) | (nc < 0) | (nc >= self.cols)
        nr = np.where(off_grid, rows_idx[:, None], nr)
        nc = np.where(off_grid, cols_idx[:, None], nc)
        next_state = nr * self.cols + nc

        cell_reward = np.full(self.n_states, self.r_other)
        if self.forbidden:
            cell_reward[[self.to_index(c) for c in self.forbidden]] = self.r_forbidden
        cell_reward[self.to_index(self.target)] = self.r_target
        R = np.where(off_grid, self.r_boundary, cell_reward[next_state])
        return next_state, R.astype(np.float64)

    # -- the tabular model ----------------------------------------------------------------------------
    @property
    def n_actions(self) -> int:
        return N_ACTIONS

    @property
    def shape(self) -> tuple[int, int]:
        return self.rows, self.cols

    @property
    def P(self) -> np.ndarray:
        """Dense transition probabilities p(s'|s, a), shaped S×A×S (deterministic: one 1 per row)."""
        entries = self.n_states * N_ACTIONS * self.n_states
        if entries > MAX_DENSE_P_ENTRIES:
            raise InputError(
                "A dense P for {rows}×{cols} would hold {entries:,} numbers; "
                "use `next_state` (S×A), the same model stored sparsely.",
                rows=self.rows, cols=self.cols, entries=entries
            )
        P = np.zeros((self.n_states, N_ACTIONS, self.n_states))
        np.put_along_axis(P, self.next_state[:, :, None], 1.0, axis=2)
        return P

    def to_index(self, cell: Sequence[int]) -> int:
        return int(cell[0]) * self.cols + int(cell[1])

    def to_cell(self, s: int) -> tuple[int, int]:
        return divmod(int(s), self.cols)

    # -- gymnasium API --------------------------------------------------------------------------------
    def reset(self, *, seed: int | None = None, options: dict | None = None) -> tuple[int, dict]:
        """Start at ``options["start"]`` (a cell) if given, else the env's start cell."""
        super().reset(seed=seed)
        start = (options or {}).get("start", self.start)
        self._state = self.to_index(self._check_cell(start, "start"))
        self._trajectory = [self._state]
        return self._state, {"cell": self.to_cell(self._state)}

    def step(self, action: int) -> tuple[int, float, bool, bool, dict]:
        a = int(action)
        if not 0 <= a < N_ACTIONS:
            raise InputError("Action {action} is not one of 0..{last_action} ({actions}).",
                             action=action, last_action=N_ACTIONS - 1, actions=', '.join(ACTIONS))
        reward = float(self.R[self._state, a])
        self._state = int(self.next_state[self._state, a])
        self._trajectory.append(self._state)
        # A continuing task: never terminated; a TimeLimit wrapper truncates registered episodes.
        return self._state, reward, False, False, {"cell": self.to_cell(self._state)}

    def render(self) -> np.ndarray | None:
        if self.render_mode != "rgb_array":
            return None
        from rlgen.gridworld.figures import draw_grid

        return np.asarray(draw_grid(self.shape, self.forbidden, [self.target], trajectory=self._trajectory[-50:],
                                    agent=self._state))


def _show(cell: Sequence[int]) -> str:
    """A 0-indexed cell as the UI and the book print it: 1-indexed (row, col)."""
    return f"({int(cell[0]) + 1}, {int(cell[1]) + 1})"
