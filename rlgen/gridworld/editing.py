"""The grid as a person edits it in the UI: a plain-data spec (JSON-able, kept per session), the click that
cycles a cell normal → forbidden → target → normal, resizing, and the checks that turn a spec into an env."""

from __future__ import annotations

import math

import numpy as np

from rlgen.errors import InputError
from rlgen.gridworld.env import GridWorld, _show

MAX_SIDE = 50  # the UI's cap on rows and columns; the backend takes any size
REWARD_LIMIT = 1000.0


def book_spec() -> dict:
    env = GridWorld.book_example()
    return spec_of(env)


def spec_of(env: GridWorld) -> dict:
    return {
        "rows": env.rows, "cols": env.cols, "targets": [list(env.target)],
        "forbidden": [list(c) for c in env.forbidden], "start": list(env.start),
        "r_boundary": env.r_boundary, "r_forbidden": env.r_forbidden,
        "r_target": env.r_target, "r_other": env.r_other,
    }


def cycle_cell(spec: dict, row: int, col: int) -> dict:
    """normal → forbidden → target → normal, for the 0-indexed cell (row, col). Returns a new spec."""
    spec = {**spec, "forbidden": [list(c) for c in spec["forbidden"]], "targets": [list(c) for c in spec["targets"]]}
    cell = [int(row), int(col)]
    if cell in spec["targets"]:
        spec["targets"].remove(cell)
    elif cell in spec["forbidden"]:
        spec["forbidden"].remove(cell)
        spec["targets"].append(cell)
    else:
        spec["forbidden"].append(cell)
    return spec


def set_start(spec: dict, row: int, col: int) -> dict:
    return {**spec, "start": [int(row), int(col)]}


def resize(spec: dict, rows: float, cols: float) -> dict:
    """A new size; cells that fall outside are dropped, the start moves inside."""
    for name, value in (("rows", rows), ("columns", cols)):
        if value is None or not math.isfinite(value) or int(value) != value or not 2 <= value <= MAX_SIDE:
            raise InputError("The number of {name} must be a whole number from 2 to {max_side} (got {value}); "
                             "the grid is capped at {max_side}×{max_side} in the browser.",
                             name=name, max_side=MAX_SIDE, value=value)
    rows, cols = int(rows), int(cols)

    def inside(cells: list) -> list:
        return [list(c) for c in cells if c[0] < rows and c[1] < cols]

    start = [min(spec["start"][0], rows - 1), min(spec["start"][1], cols - 1)]
    return {**spec, "rows": rows, "cols": cols, "targets": inside(spec["targets"]),
            "forbidden": inside(spec["forbidden"]), "start": start}


def set_rewards(spec: dict, r_boundary: float, r_forbidden: float, r_target: float, r_other: float) -> dict:
    rewards = {"r_boundary": r_boundary, "r_forbidden": r_forbidden, "r_target": r_target, "r_other": r_other}
    for name, value in rewards.items():
        if value is None or not math.isfinite(value) or abs(value) > REWARD_LIMIT:
            raise InputError("{name} must be a number between −{reward_limit:g} and {reward_limit:g} (got {value}).",
                             name=name, reward_limit=REWARD_LIMIT, value=value)
    return {**spec, **{k: float(v) for k, v in rewards.items()}}


def env_from_spec(spec: dict) -> GridWorld:
    """The env a spec describes, or a ValueError that says what to fix."""
    rows, cols = spec["rows"], spec["cols"]
    if rows > MAX_SIDE or cols > MAX_SIDE:
        raise InputError("The grid is {rows}×{cols}; the browser playground is capped at {max_side}×{max_side}.",
                         rows=rows, cols=cols, max_side=MAX_SIDE)
    if len(spec["forbidden"]) >= rows * cols:
        raise InputError("Every cell is forbidden: clear at least one cell and mark a target.")
    targets = spec["targets"]
    if not targets:
        raise InputError("The grid has no target: click a forbidden cell to turn it into the target.")
    if len(targets) > 1:
        shown = ", ".join(_show(t) for t in targets)
        raise InputError("The grid has {n_targets} targets ({shown}); it needs exactly one — "
                         "click the extra ones to clear them.", n_targets=len(targets), shown=shown)
    return GridWorld(rows, cols, target=tuple(targets[0]), forbidden=[tuple(c) for c in spec["forbidden"]],
                     r_boundary=spec["r_boundary"], r_forbidden=spec["r_forbidden"], r_target=spec["r_target"],
                     r_other=spec["r_other"], start=tuple(spec["start"]))


def greedy_walk(env: GridWorld, policy: np.ndarray, max_steps: int | None = None) -> list[int]:
    """The states visited from the start cell following the most likely action of ``policy``, until the
    target is reached or a state repeats (the path the current policy would take)."""
    max_steps = max_steps or env.n_states
    actions = policy.argmax(axis=1)
    s = env.to_index(env.start)
    path, seen = [s], {s}
    target = env.to_index(env.target)
    for _ in range(max_steps):
        if s == target:
            break
        s = int(env.next_state[s, actions[s]])
        path.append(s)
        if s in seen:
            break
        seen.add(s)
    return path
