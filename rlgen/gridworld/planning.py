"""Dynamic programming on the grid world (book chapters 2–4): Bellman equation, value iteration, policy
iteration and truncated policy iteration. Everything is vectorised over states: the model is
``next_state[s, a]`` and ``R[s, a]`` (deterministic moves), so q(s, a) = R[s, a] + γ v[next_state[s, a]]."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import spsolve

from rlgen.gridworld.env import GridWorld
from rlgen.gridworld.frames import Frame, Result, collect, one_hot

MAX_ITERATIONS = 100_000


def check_gamma(gamma: float) -> float:
    gamma = float(gamma)
    if not np.isfinite(gamma) or not 0.0 <= gamma < 1.0:
        raise ValueError(
            f"γ must lie in [0, 1) (got {gamma}): the grid world is a continuing task, so with γ ≥ 1 "
            "the discounted return diverges."
        )
    return gamma


def check_policy(env: GridWorld, policy: np.ndarray) -> np.ndarray:
    policy = np.asarray(policy, dtype=np.float64)
    if policy.shape != (env.n_states, env.n_actions):
        raise ValueError(f"A policy is S×A = {env.n_states}×{env.n_actions} (got {policy.shape}).")
    if not np.all(np.isfinite(policy)) or (policy < 0).any() or not np.allclose(policy.sum(1), 1.0):
        raise ValueError("Each row of the policy must be probabilities that sum to 1.")
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
        raise ValueError(f"method must be 'closed_form' or 'iterative' (got {method!r}).")
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


def value_iteration_steps(env: GridWorld, gamma: float = 0.9, tol: float = 1e-10) -> Iterator[Frame]:
    """v_{k+1}(s) = max_a [ r(s, a) + γ v_k(s') ]; π_{k+1}(s) = argmax_a of the same bracket."""
    gamma = check_gamma(gamma)
    v = np.zeros(env.n_states)
    actions = None
    for k in range(1, MAX_ITERATIONS + 1):
        q = q_from_v(env, v, gamma)
        new_actions = greedy_actions(q, actions)
        v_next = q.max(axis=1)
        delta = float(np.max(np.abs(v_next - v)))
        changes = env.n_states if actions is None else int((new_actions != actions).sum())
        v, actions = v_next, new_actions
        yield Frame(k, v.reshape(env.shape), one_hot(actions, env.n_actions),
                    {"delta": delta, "policy_changes": changes}, q=q)
        if delta < tol:
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
        raise ValueError(f"j_truncate must be a whole number ≥ 1 (got {j_truncate}).")
    actions = (np.full(env.n_states, 4) if initial_actions is None else np.asarray(initial_actions)).astype(int)
    v = np.zeros(env.n_states)
    for k in range(1, MAX_ITERATIONS + 1):
        P_pi, r_pi = policy_matrix(env, one_hot(actions, env.n_actions))
        if j_truncate is None:
            identity = sparse.identity(env.n_states, format="csc")
            v_pi = np.asarray(spsolve((identity - gamma * P_pi).tocsc(), r_pi))
        else:
            v_pi = _iterate_bellman(P_pi, r_pi, gamma, v, sweeps=int(j_truncate), tol=tol)
        q = q_from_v(env, v_pi, gamma)
        new_actions = greedy_actions(q, actions)
        changes = int((new_actions != actions).sum())
        delta = float(np.max(np.abs(v_pi - v)))
        v, actions = v_pi, new_actions
        yield Frame(k, v.reshape(env.shape), one_hot(actions, env.n_actions),
                    {"delta": delta, "policy_changes": changes}, q=q)
        converged = changes == 0 if j_truncate is None else (changes == 0 and delta < tol)
        if converged:
            return


def truncated_policy_iteration(
    env: GridWorld, gamma: float = 0.9, j_truncate: int = 10, tol: float = 1e-10
) -> Result:
    return collect(truncated_policy_iteration_steps(env, gamma, j_truncate, tol))


def policy_iteration_steps(env: GridWorld, gamma: float = 0.9) -> Iterator[Frame]:
    """Policy evaluation solved exactly, v_π = (I − γP_π)⁻¹ r_π, then π ← greedy(q_π); stops when stable."""
    return truncated_policy_iteration_steps(env, gamma, j_truncate=None)


def policy_iteration(env: GridWorld, gamma: float = 0.9) -> Result:
    return collect(policy_iteration_steps(env, gamma))
