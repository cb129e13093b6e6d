"""Dynamic programming on the grid world (book chapters 2–4): Bellman equation, value iteration, policy
iteration and truncated policy iteration. The model is ``next_state[s, a]`` and ``R[s, a]`` (deterministic
moves), so q(s, a) = R[s, a] + γ v[next_state[s, a]]. The per-state sweeps are the book's loops, compiled
with numba (50–250× a Python loop, see ``python -m rlgen.bench gridworld``); the rest is numpy/scipy."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numba import njit
from scipy import sparse
from scipy.sparse.linalg import spsolve

from rlgen.errors import InputError
from rlgen.gridworld.env import GridWorld
from rlgen.gridworld.frames import Frame, Result, collect, one_hot

MAX_ITERATIONS = 100_000


def check_gamma(gamma: float) -> float:
    gamma = float(gamma)
    if not np.isfinite(gamma) or not 0.0 <= gamma < 1.0:
        raise InputError(
            "γ must lie in [0, 1) (got {gamma}): the grid world is a continuing task, so with γ ≥ 1 "
            "the discounted return diverges.", gamma=gamma
        )
    return gamma


def check_policy(env: GridWorld, policy: np.ndarray) -> np.ndarray:
    policy = np.asarray(policy, dtype=np.float64)
    if policy.shape != (env.n_states, env.n_actions):
        raise InputError("A policy is S×A = {n_states}×{n_actions} (got {shape}).",
                         n_states=env.n_states, n_actions=env.n_actions, shape=policy.shape)
    if not np.all(np.isfinite(policy)) or (policy < 0).any() or not np.allclose(policy.sum(1), 1.0):
        raise InputError("Each row of the policy must be probabilities that sum to 1.")
    return policy


def q_from_v(env: GridWorld, v: np.ndarray, gamma: float) -> np.ndarray:
    """q(s, a) = r(s, a) + γ Σ_s' p(s'|s, a) v(s')  — one Bellman backup, for every (s, a) at once."""
    return env.R + gamma * v.reshape(-1)[env.next_state]


def greedy_actions(q: np.ndarray, previous: np.ndarray | None = None, tol: float = 1e-12) -> np.ndarray:
    """argmax_a q(s, a); where the previous action is still optimal (within tol) keep it, so policy
    iteration cannot cycle between equally good policies."""
    best = q.argmax(axis=1)
    if previous is not None:
        rows = np.arange(q.shape[0])
        keep = q[rows, previous] >= q[rows, best] - tol
        best = np.where(keep, previous, best)
    return best


def policy_matrix(env: GridWorld, policy: np.ndarray) -> tuple[sparse.csr_matrix, np.ndarray]:
    """P_π (sparse S×S) and r_π (S) for a policy given as S×A probabilities."""
    S, A = policy.shape
    rows = np.repeat(np.arange(S), A)
    P_pi = sparse.csr_matrix((policy.ravel(), (rows, env.next_state.ravel())), shape=(S, S))
    r_pi = (policy * env.R).sum(axis=1)
    return P_pi, r_pi


def policy_evaluation(
    env: GridWorld,
    policy: np.ndarray,
    gamma: float = 0.9,
    method: str = "closed_form",
    tol: float = 1e-10,
) -> np.ndarray:
    """v_π shaped rows×cols. ``closed_form``: v = (I − γP_π)⁻¹ r_π (a sparse solve);
    ``iterative``: v_{k+1} = r_π + γ P_π v_k until ‖v_{k+1} − v_k‖∞ < tol."""
    gamma = check_gamma(gamma)
    policy = check_policy(env, policy)
    P_pi, r_pi = policy_matrix(env, policy)
    if method == "closed_form":
        v = spsolve((sparse.identity(env.n_states, format="csc") - gamma * P_pi).tocsc(), r_pi)
    elif method == "iterative":
        v = _iterate_bellman(P_pi, r_pi, gamma, np.zeros(env.n_states), sweeps=None, tol=tol)
    else:
        raise InputError("method must be 'closed_form' or 'iterative' (got {method!r}).", method=method)
    return np.asarray(v).reshape(env.shape)


def _iterate_bellman(
    P_pi: sparse.csr_matrix, r_pi: np.ndarray, gamma: float, v: np.ndarray, sweeps: int | None, tol: float
) -> np.ndarray:
    """Repeat v ← r_π + γ P_π v, ``sweeps`` times, or until the change is below tol when sweeps is None."""
    for _ in range(sweeps if sweeps is not None else MAX_ITERATIONS):
        v_next = r_pi + gamma * (P_pi @ v)
        done = sweeps is None and np.max(np.abs(v_next - v)) < tol
        v = v_next
        if done:
            break
    return v


def evaluate_deterministic(env: GridWorld, actions: np.ndarray, gamma: float, tol: float = 1e-13) -> np.ndarray:
    """v_π for a deterministic policy, exactly (to ``tol``), by pointer doubling instead of a linear solve.

    Moves are deterministic, so π makes each state's future a single path s, σ(s), σ²(s), … and
    v(s) = Σ_t γ^t r_π(σ^t(s)). Doubling keeps, for every s, the discounted reward of its next 2^m steps and
    σ^{2^m}(s): acc ← acc + γ^{2^m} acc∘σ^{2^m}, σ^{2^{m+1}} = σ^{2^m}∘σ^{2^m}. After m rounds the tail left
    out is at most γ^{2^m} max|r_π| / (1 − γ) — below tol after about log2(log(tol)/log(γ)) rounds."""
    states = np.arange(env.n_states)
    return _discounted_path_sums(env.next_state[states, actions], env.R[states, actions], gamma, tol)


@njit(cache=True)
def _discounted_path_sums(successor, rewards, gamma, tol):  # pragma: no cover - compiled
    acc = rewards.copy()
    bound = np.max(np.abs(acc)) / (1.0 - gamma)
    acc_next, successor_next = np.empty_like(acc), np.empty_like(successor)
    discount = gamma
    while discount * bound > tol:
        for s in range(acc.shape[0]):
            acc_next[s] = acc[s] + discount * acc[successor[s]]
            successor_next[s] = successor[successor[s]]
        acc, acc_next = acc_next, acc
        successor, successor_next = successor_next, successor
        discount *= discount
    return acc


@njit(cache=True)
def _optimality_backup(R, next_state, v, gamma, v_out, actions_out):  # pragma: no cover - compiled
    """One sweep of v_{k+1}(s) = max_a [r(s, a) + γ v_k(s')] — the book's per-state loop, compiled by numba.
    Writes v_{k+1} and the maximising actions; returns ‖v_{k+1} − v_k‖∞."""
    delta = 0.0
    for s in range(R.shape[0]):
        best, best_a = -np.inf, 0
        for a in range(R.shape[1]):
            q = R[s, a] + gamma * v[next_state[s, a]]
            if q > best:
                best, best_a = q, a
        v_out[s] = best
        actions_out[s] = best_a
        delta = max(delta, abs(best - v[s]))
    return delta


@njit(cache=True)
def _greedy_improvement(R, next_state, v, gamma, actions):  # pragma: no cover - compiled
    """π(s) ← argmax_a [r(s, a) + γ v(s')] in place, keeping the current action unless another is strictly
    better (so policy iteration cannot cycle among equally good policies); returns how many states changed."""
    changes = 0
    for s in range(R.shape[0]):
        current = actions[s]
        best_a, best = current, R[s, current] + gamma * v[next_state[s, current]]
        for a in range(R.shape[1]):
            q = R[s, a] + gamma * v[next_state[s, a]]
            if q > best + 1e-12:
                best, best_a = q, a
        if best_a != current:
            actions[s] = best_a
            changes += 1
    return changes


def value_iteration_steps(env: GridWorld, gamma: float = 0.9, tol: float = 1e-10) -> Iterator[Frame]:
    """v_{k+1}(s) = max_a [ r(s, a) + γ v_k(s') ]; π_{k+1}(s) = argmax_a of the same bracket."""
    gamma = check_gamma(gamma)
    v = np.zeros(env.n_states)
    actions = None
    for k in range(1, MAX_ITERATIONS + 1):
        v_next = np.empty(env.n_states)
        new_actions = np.empty(env.n_states, dtype=np.int64)
        delta = _optimality_backup(env.R, env.next_state, v, gamma, v_next, new_actions)
        changes = env.n_states if actions is None else int(np.count_nonzero(new_actions != actions))
        v, actions = v_next, new_actions
        done = delta < tol
        yield Frame(k, v.reshape(env.shape), None, {"delta": delta, "policy_changes": changes},
                    q=q_from_v(env, v, gamma) if done else None, actions=actions)
        if done:
            return


def value_iteration(env: GridWorld, gamma: float = 0.9, tol: float = 1e-10) -> Result:
    return collect(value_iteration_steps(env, gamma, tol))


def truncated_policy_iteration_steps(
    env: GridWorld,
    gamma: float = 0.9,
    j_truncate: int | None = 10,
    tol: float = 1e-10,
    initial_actions: np.ndarray | None = None,
) -> Iterator[Frame]:
    """Policy evaluation by ``j_truncate`` sweeps of v ← r_π + γP_π v from the previous v (None: solved
    exactly — policy iteration), then greedy improvement. j = 1 is value iteration, j → ∞ policy iteration."""
    gamma = check_gamma(gamma)
    if j_truncate is not None and (int(j_truncate) != j_truncate or j_truncate < 1):
        raise InputError("j_truncate must be a whole number ≥ 1 (got {j_truncate}).", j_truncate=j_truncate)
    actions = (np.full(env.n_states, 4) if initial_actions is None else np.asarray(initial_actions)).astype(int)
    v = np.zeros(env.n_states)
    for k in range(1, MAX_ITERATIONS + 1):
        if j_truncate is None:
            v_pi = evaluate_deterministic(env, actions, gamma)
        else:
            P_pi, r_pi = policy_matrix(env, one_hot(actions, env.n_actions))
            v_pi = _iterate_bellman(P_pi, r_pi, gamma, v, sweeps=int(j_truncate), tol=tol)
        new_actions = actions.copy()
        changes = _greedy_improvement(env.R, env.next_state, v_pi, gamma, new_actions)
        delta = float(np.max(np.abs(v_pi - v)))
        v, actions = v_pi, new_actions
        converged = changes == 0 if j_truncate is None else (changes == 0 and delta < tol)
        yield Frame(k, v.reshape(env.shape), None, {"delta": delta, "policy_changes": changes},
                    q=q_from_v(env, v, gamma) if converged else None, actions=actions)
        if converged:
            return


def truncated_policy_iteration(
    env: GridWorld, gamma: float = 0.9, j_truncate: int = 10, tol: float = 1e-10
) -> Result:
    return collect(truncated_policy_iteration_steps(env, gamma, j_truncate, tol))


def policy_iteration_steps(env: GridWorld, gamma: float = 0.9) -> Iterator[Frame]:
    """Policy evaluation solved exactly, v_π = (I − γP_π)⁻¹ r_π (by pointer doubling, see
    :func:`evaluate_deterministic`), then π ← greedy(q_π); stops when the policy is stable."""
    return truncated_policy_iteration_steps(env, gamma, j_truncate=None)


def policy_iteration(env: GridWorld, gamma: float = 0.9) -> Result:
    return collect(policy_iteration_steps(env, gamma))


def warm_up() -> None:
    """Compile (or load from numba's on-disk cache) the sweep kernels on a 2×2 grid, so that a person's first
    click does not wait for the JIT. The app calls this in a background thread at start-up."""
    tiny = GridWorld(2, 2, target=(0, 0))
    value_iteration(tiny)
    policy_iteration(tiny)
