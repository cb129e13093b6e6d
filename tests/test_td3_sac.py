"""TD3 and SAC beside DDPG: their targets, noise, delays and temperature against hand computation and
torch.distributions, and the over-estimation measurement against a brute-force Monte-Carlo return."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch
from torch import nn

from rlgen.ddpg import DDPGConfig, make_env, rollout
from rlgen.ddpg.agent import frozen
from rlgen.ddpg.sac import SACAgent, SACConfig, SquashedGaussianActor
from rlgen.ddpg.td3 import TD3Agent, TD3Config, clipped_double_q_target, smoothed_target_action
from rlgen.ddpg.training import agent_for_env, discounted_returns, evaluate_values
from rlgen.errors import InputError


class ConstantCritic(nn.Module):
    """Q(s, a) = a fixed value per row, whatever the input."""

    def __init__(self, values: list[float]):
        super().__init__()
        self.values = torch.tensor(values)

    def forward(self, obs: torch.Tensor, action: torch.Tensor) -> torch.Tensor:
        return self.values


class ConstantActor(nn.Module):
    def __init__(self, value: float):
        super().__init__()
        self.value = value

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        return torch.full((obs.shape[0], 1), self.value)


def pendulum_agent(config):
    env = make_env("Pendulum-v1")
    return agent_for_env(config.validate(), env)


def batch(seed: int = 0, n: int = 32) -> tuple[torch.Tensor, ...]:
    g = torch.Generator().manual_seed(seed)
    theta = torch.rand(n, generator=g) * 2 * np.pi
    obs = torch.stack([theta.cos(), theta.sin(), torch.randn(n, generator=g)], dim=1)
    next_obs = torch.stack([theta.cos(), theta.sin(), torch.randn(n, generator=g)], dim=1)
    actions = torch.rand(n, 1, generator=g) * 4 - 2
    rewards = -torch.rand(n, generator=g) * 10
    return obs, actions, rewards, next_obs, torch.zeros(n)


def test_clipped_double_q_target_takes_the_smaller_critic_per_sample():
    q1, q2 = ConstantCritic([5.0, -1.0, 2.0]), ConstantCritic([3.0, 0.0, 2.0])
    rewards, dones = torch.tensor([1.0, 1.0, 1.0]), torch.tensor([0.0, 0.0, 1.0])
    y = clipped_double_q_target(rewards, dones, torch.zeros(3, 3), torch.zeros(3, 1), q1, q2, gamma=0.5)
    # y = r + γ(1 − d)·min(Q′₁, Q′₂): 1 + 0.5·3, 1 + 0.5·(−1), and a terminal's 1
    torch.testing.assert_close(y, torch.tensor([2.5, 0.5, 1.0]))


def test_target_smoothing_noise_is_clipped_to_c_and_the_action_to_the_box():
    low, high = torch.tensor([-2.0]), torch.tensor([2.0])
    g = torch.Generator().manual_seed(0)
    # a huge σ̃ = 10 half-ranges: almost every draw is past c = 0.25 half-ranges = 0.5 torque
    centred = smoothed_target_action(ConstantActor(0.0), torch.zeros(4000, 3), 10.0, 0.25, low, high, g)
    assert centred.abs().max() == pytest.approx(0.5)
    assert (centred.abs() == 0.5).float().mean() > 0.9
    at_edge = smoothed_target_action(ConstantActor(2.0), torch.zeros(4000, 3), 10.0, 0.25, low, high, g)
    assert at_edge.max() == 2.0 and at_edge.min() == pytest.approx(1.5)
    # with a small σ̃ the noise is N(0, (σ̃·half-range)²): std 0.1·2 = 0.2
    small = smoothed_target_action(ConstantActor(0.0), torch.zeros(20000, 3), 0.1, 10.0, low, high, g)
    assert small.std().item() == pytest.approx(0.2, rel=0.05)


def test_td3_moves_the_actor_and_targets_only_every_policy_delay_updates():
    agent = pendulum_agent(TD3Config(hidden=(16, 16), policy_delay=3, batch_size=32, learning_starts=32))
    actor0 = copy.deepcopy(agent.actor.state_dict())
    target0 = copy.deepcopy(agent.target_critic2.state_dict())
    critic0 = copy.deepcopy(agent.critic2.state_dict())
    for _ in range(2):
        agent.update(batch())
    assert all(torch.equal(actor0[k], v) for k, v in agent.actor.state_dict().items())
    assert all(torch.equal(target0[k], v) for k, v in agent.target_critic2.state_dict().items())
    assert not all(torch.equal(critic0[k], v) for k, v in agent.critic2.state_dict().items())  # critics every step
    agent.update(batch())
    assert not all(torch.equal(actor0[k], v) for k, v in agent.actor.state_dict().items())
    assert not all(torch.equal(target0[k], v) for k, v in agent.target_critic2.state_dict().items())
    assert agent.updates == 3


@pytest.mark.parametrize("config, targets", [
    (DDPGConfig(hidden=(16, 16), batch_size=32, learning_starts=32), {"target_actor", "target_critic"}),
    (TD3Config(hidden=(16, 16), batch_size=32, learning_starts=32, policy_delay=1),
     {"target_actor", "target_critic", "target_critic2"}),
    (SACConfig(hidden=(16, 16), batch_size=32, learning_starts=32), {"target_critic", "target_critic2"}),
])
def test_every_target_network_moves_by_tau_toward_its_source(config, targets):
    agent = pendulum_agent(config)
    named = {name: getattr(agent, name) for name in targets}
    assert {id(t) for t, _ in agent.target_pairs} == {id(t) for t in named.values()}
    before = {name: copy.deepcopy(t.state_dict()) for name, t in named.items()}
    agent.update(batch())
    sources = {id(t): s for t, s in agent.target_pairs}
    for name, target in named.items():
        assert not any(p.requires_grad for p in target.parameters())
        source = sources[id(target)].state_dict()
        for key, value in target.state_dict().items():
            # θ′ ← τθ + (1 − τ)θ′, with θ the source after this update's gradient step
            expected = before[name][key] + config.tau * (source[key] - before[name][key])
            torch.testing.assert_close(value, expected)
    # the actor's step froze the critics (see the next test); they learn again after it
    for critic in (agent.critic, getattr(agent, "critic2", agent.critic)):
        assert all(p.requires_grad for p in critic.parameters())


def test_frozen_modules_take_no_gradient_inside_the_block_and_learn_again_after():
    critic, actor = nn.Linear(2, 1), nn.Linear(1, 1)
    with frozen(critic):
        critic(torch.cat([torch.ones(4, 1), actor(torch.ones(4, 1))], dim=1)).sum().backward()
        assert all(not p.requires_grad for p in critic.parameters())
    assert all(p.grad is None and p.requires_grad for p in critic.parameters())
    assert all(p.grad is not None for p in actor.parameters())


def test_td3_twin_critics_start_different():
    agent = pendulum_agent(TD3Config(hidden=(16, 16)))
    assert not torch.equal(agent.critic.net[0].weight, agent.critic2.net[0].weight)


def test_squashed_gaussian_log_prob_matches_torch_distributions():
    torch.manual_seed(0)
    actor = SquashedGaussianActor(3, 2, (16,), np.array([-2.0, -1.0]), np.array([2.0, 3.0]))
    obs = torch.randn(64, 3)
    action, log_prob = actor.sample(obs, torch.Generator().manual_seed(1))
    h = actor.trunk(obs)
    std = actor.log_std(h).clamp(-5, 2).exp()
    dist = torch.distributions
    squash = [dist.TanhTransform(), dist.AffineTransform(actor.action_bias, actor.action_scale)]
    peer = dist.TransformedDistribution(dist.Normal(actor.mean(h), std), squash)
    expected = peer.log_prob(action.clamp(torch.tensor([-2.0, -1.0]) + 1e-4, torch.tensor([2.0, 3.0]) - 1e-4)).sum(-1)
    inside = (action.abs() < 0.999 * 2).all(-1)  # away from the edge, where the 1e-6 guard is negligible
    torch.testing.assert_close(log_prob[inside], expected[inside], atol=2e-3, rtol=1e-3)
    assert ((action >= torch.tensor([-2.0, -1.0])) & (action <= torch.tensor([2.0, 3.0]))).all()


@pytest.mark.parametrize(("target_entropy", "direction"), [(5.0, 1), (-20.0, -1)])
def test_sac_temperature_moves_toward_the_target_entropy(target_entropy, direction):
    """An entropy target above what the policy has raises α (more reward for entropy); one far below lowers it."""
    agent = pendulum_agent(SACConfig(hidden=(16, 16), target_entropy=target_entropy, alpha_lr=1e-2,
                                     batch_size=32, learning_starts=32))
    before = agent.alpha
    for i in range(20):
        agent.update(batch(i))
    assert np.sign(agent.alpha - before) == direction
    assert agent.entropy < target_entropy if direction == 1 else agent.entropy > target_entropy


def test_sac_fixed_temperature_stays_put_and_explores_by_sampling():
    agent: SACAgent = pendulum_agent(SACConfig(hidden=(16, 16), autotune=False, alpha=0.05, batch_size=32,
                                               learning_starts=32))
    agent.update(batch())
    assert agent.alpha == pytest.approx(0.05)
    obs = np.zeros((200, 3), dtype=np.float32)
    obs[:, 0] = 1.0
    samples = agent.explore(obs, np.zeros(1))
    assert samples.std() > 0.1  # the policy's own spread, not the (ignored) noise argument
    assert np.allclose(agent.act(obs), agent.act(obs[:1]))  # evaluation plays the mean, deterministically


@pytest.mark.parametrize(("config", "message"), [
    (TD3Config(policy_delay=0), "policy_delay"),
    (TD3Config(noise_clip=-1.0), "noise_clip"),
    (TD3Config(policy_noise=float("nan")), "finite"),
    (SACConfig(alpha=0.0), "alpha"),
    (SACConfig(alpha_lr=2.0), "alpha_lr"),
    (SACConfig(target_entropy=1e9), "target_entropy"),
])
def test_bad_td3_and_sac_settings_are_input_errors_naming_the_knob(config, message):
    with pytest.raises(InputError, match=message):
        config.validate()


def test_discounted_returns_follow_the_recursion():
    np.testing.assert_allclose(discounted_returns(np.array([1.0, 1.0, 1.0]), 0.5), [1.75, 1.5, 1.0])
    np.testing.assert_allclose(discounted_returns(np.array([0.0, 0.0, 4.0]), 0.9), [3.24, 3.6, 4.0])


def test_value_estimate_and_monte_carlo_return_match_brute_force_on_the_same_episodes():
    agent: TD3Agent = pendulum_agent(TD3Config(hidden=(16, 16)))
    result = evaluate_values(agent, "Pendulum-v1", gamma=0.9, episodes=3, seed=5)
    states, returns, totals = [], [], []
    for i in range(3):
        episode = rollout(agent, "Pendulum-v1", seed=5 + i)
        g = [sum(0.9 ** k * r for k, r in enumerate(episode.rewards[t:])) for t in range(100)]
        states.append(episode.observations[:100])
        returns.extend(g)
        totals.append(episode.total_return)
    assert result.mc_return == pytest.approx(np.mean(returns), rel=1e-6)
    assert result.q_estimate == pytest.approx(float(agent.q_value(np.concatenate(states)).mean()), rel=1e-5)
    assert result.mean == pytest.approx(np.mean(totals))
    assert result.overestimation == pytest.approx(result.q_estimate - result.mc_return)


def test_side_by_side_runs_get_exactly_what_each_gets_alone():
    from rlgen.ddpg.compare import side_by_side_configs, train_side_by_side
    from rlgen.ddpg.training import run_to_end

    shared = dict(hidden=(16, 16), batch_size=32, learning_starts=200, eval_episodes=2)
    configs = side_by_side_configs(["TD3", "SAC", "DDPG"], 300, seed=3, eval_every=150, frame_every=50, **shared)
    frames = list(train_side_by_side(configs))
    assert frames[-1].done and not frames[-2].done
    assert list(frames[-1].frames) == ["TD3", "SAC", "DDPG"]
    for name, config in configs.items():
        alone = run_to_end(config)
        together = frames[-1].frames[name]
        assert together.eval_means == alone.eval_means and together.value_estimates == alone.value_estimates
        assert together.step == 300 and len(together.eval_steps) == 2
    assert type(frames[-1].frames["SAC"].agent).__name__ == "SACAgent"


@pytest.mark.parametrize(("algorithms", "message"), [([], "at least one"), (["PPO"], "Unknown algorithm")])
def test_side_by_side_refuses_unknown_or_missing_algorithms(algorithms, message):
    from rlgen.ddpg.compare import side_by_side_configs

    with pytest.raises(InputError, match=message):
        side_by_side_configs(algorithms, 1_000, seed=0)


@pytest.mark.parametrize("config_type", [TD3Config, SACConfig])
def test_two_runs_at_once_get_what_each_gets_alone(config_type):
    from rlgen.ddpg.training import run_to_end
    from tests.test_sessions import assert_sessions_are_independent

    def job(seed: int):
        config = config_type(total_steps=300, seed=seed, hidden=(16, 16), batch_size=32, learning_starts=200,
                             eval_every=300, eval_episodes=2)
        frame = run_to_end(config)
        return frame.eval_means, frame.value_estimates, frame.critic_losses

    assert_sessions_are_independent(job)


def test_deeprl_bench_quick_run_sets_td3_sac_and_dqn_beside_stable_baselines3(tmp_path):
    import json

    from rlgen.bench.deeprl import QUICK_STEPS, QUICK_WARMUP, main

    assert main(["--quick", "--json", str(tmp_path / "deeprl.json")]) == 0
    record = json.loads((tmp_path / "deeprl.json").read_text())
    runs, grid = record["runs"], record["gridworld_dqn"]
    assert set(runs) == {"sb3 TD3", "ours TD3", "sb3 SAC", "ours SAC"} and set(grid) == {"sb3 DQN", "ours DQN"}
    # one gradient step per env step after the warm-up, in both libraries
    assert {run["updates"] for run in runs.values()} == {QUICK_STEPS - QUICK_WARMUP}
    assert all(np.isfinite(run["final_eval"]) and run["updates_per_second"] > 0 for run in runs.values())
    assert all(run["updates_per_second"] > 0 for run in grid.values())
    assert record["ratios"]["TD3_update_speed_ours_over_sb3"] > 0
    assert record["ratios"]["DQN_update_speed_ours_over_sb3"] > 0
