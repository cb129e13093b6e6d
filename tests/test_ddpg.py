"""The DDPG backend against closed forms, hand computation and brute force."""

from __future__ import annotations

import copy
import shutil
import time
from pathlib import Path

import gymnasium as gym
import numpy as np
import pytest
import torch
from scipy import stats

from rlgen.ddpg import (
    Actor,
    Critic,
    DDPGConfig,
    GaussianNoise,
    OrnsteinUhlenbeckNoise,
    ReplayBuffer,
    critic_target,
    evaluate,
    load_agent,
    make_env,
    rollout,
    run_to_end,
    save_agent,
    soft_update,
    train,
)
from rlgen.ddpg.agent import DDPGAgent


def small_agent(seed: int = 0, env_id: str = "Pendulum-v1") -> DDPGAgent:
    env = make_env(env_id)
    config = DDPGConfig(env_id=env_id, seed=seed, hidden=(16, 16))
    return DDPGAgent(config, env.observation_space.shape[0], env.action_space.shape[0], env.action_space.low,
                     env.action_space.high)


def test_soft_update_moves_every_parameter_by_exactly_tau():
    torch.manual_seed(0)
    source, target = Critic(3, 1, (8, 8)), Critic(3, 1, (8, 8))
    before = [p.detach().double().clone() for p in target.parameters()]
    soft_update(target, source, tau=0.05)
    for old, new, src in zip(before, target.parameters(), source.parameters()):
        expected = 0.05 * src.double() + 0.95 * old  # θ′ ← τθ + (1 − τ)θ′
        torch.testing.assert_close(new.double(), expected, atol=1e-7, rtol=0)
        step = (new.double() - old) / (src.double() - old)
        assert torch.allclose(step, torch.full_like(step, 0.05), atol=1e-4)  # the fraction of the gap moved


def test_soft_update_with_tau_one_copies_the_source():
    torch.manual_seed(1)
    source, target = Actor(3, 1, (8,), np.array([-2.0]), np.array([2.0])), Actor(3, 1, (8,), np.array([-2.0]),
                                                                                 np.array([2.0]))
    soft_update(target, source, tau=1.0)
    for a, b in zip(target.parameters(), source.parameters()):
        assert torch.equal(a, b)


def test_replay_buffer_wraps_overwriting_the_oldest_transition():
    buffer = ReplayBuffer(capacity=5, obs_dim=1, act_dim=1)
    for i in range(7):
        buffer.add(np.array([i]), np.array([i]), float(i), np.array([i + 1]), terminated=False)
    assert len(buffer) == 5 and buffer.position == 2
    assert buffer.obs[:, 0].tolist() == [5, 6, 2, 3, 4]
    assert buffer.next_obs[:, 0].tolist() == [6, 7, 3, 4, 5]


def test_replay_buffer_samples_uniformly_from_what_it_holds():
    buffer = ReplayBuffer(capacity=20, obs_dim=1, act_dim=1, seed=3)
    for i in range(10):  # half full: only the first 10 slots may be drawn
        buffer.add(np.array([i]), np.array([0.0]), 0.0, np.array([0.0]), terminated=False)
    draws = buffer.sample_indices(50_000)
    assert draws.min() == 0 and draws.max() == 9
    counts = np.bincount(draws, minlength=10)
    assert stats.chisquare(counts).pvalue > 1e-3
    obs, actions, rewards, next_obs, dones = buffer.sample(64)
    assert obs.shape == (64, 1) and actions.shape == (64, 1) and rewards.shape == (64,) and dones.shape == (64,)


def test_critic_target_equals_bellman_backup_computed_by_hand():
    agent = small_agent()
    rng = np.random.default_rng(0)
    next_obs = torch.as_tensor(rng.normal(size=(6, 3)), dtype=torch.float32)
    rewards = torch.as_tensor(rng.normal(size=6), dtype=torch.float32)
    dones = torch.tensor([0, 1, 0, 1, 0, 0], dtype=torch.float32)
    y = critic_target(rewards, dones, next_obs, agent.target_actor, agent.target_critic, gamma=0.9)
    for i in range(6):
        with torch.no_grad():
            a_next = agent.target_actor(next_obs[i : i + 1])
            q_next = agent.target_critic(next_obs[i : i + 1], a_next).item()
        expected = rewards[i].item() + (0.0 if dones[i] else 0.9 * q_next)
        assert y[i].item() == pytest.approx(expected, abs=1e-5)


class EdgeWalk(gym.Env):
    """x ← x + 0.3·a; the episode terminates when |x| ≥ 1, and a 10-step time limit truncates it otherwise."""

    observation_space = gym.spaces.Box(-2.0, 2.0, (1,), np.float32)
    action_space = gym.spaces.Box(-1.0, 1.0, (1,), np.float32)

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.x = 0.0
        return np.array([self.x], np.float32), {}

    def step(self, action):
        self.x += 0.3 * float(action[0])
        return np.array([self.x], np.float32), -abs(self.x), abs(self.x) >= 1.0, False, {}


gym.register("rlgen-test/EdgeWalk-v0", entry_point=EdgeWalk, max_episode_steps=10)


def test_terminal_transitions_are_done_and_time_limit_truncations_are_not():
    config = DDPGConfig(env_id="rlgen-test/EdgeWalk-v0", total_steps=600, learning_starts=300, batch_size=32,
                        hidden=(8,), eval_every=600, eval_episodes=2, frame_every=600)
    frame = run_to_end(config)
    buffer = frame.buffer
    terminal = np.abs(buffer.next_obs[: len(buffer), 0]) >= 1.0
    assert terminal.any() and (~terminal).any()
    assert np.array_equal(buffer.dones[: len(buffer)] == 1.0, terminal)
    # episodes that ran the full 10 steps were truncated, never stored as terminal
    assert len(frame.episode_steps) > sum(terminal)


def test_actor_maps_tanh_onto_the_action_box():
    torch.manual_seed(0)
    actor = Actor(2, 1, (8,), np.array([-1.0]), np.array([3.0]))
    obs = torch.randn(1000, 2) * 100
    out = actor(obs)
    assert out.min() >= -1.0 and out.max() <= 3.0
    # μ(s) = (high + low)/2 + (high − low)/2 · tanh(f(s)) = 1 + 2·tanh(f(s))
    torch.testing.assert_close(out, 1.0 + 2.0 * torch.tanh(actor.net[:-1](obs)))


def test_ornstein_uhlenbeck_noise_has_its_closed_form_stationary_spread():
    theta, dt, sigma = 0.15, 0.1, 0.5
    noise = OrnsteinUhlenbeckNoise(1, sigma, np.random.default_rng(0), theta, dt)
    samples = np.array([noise()[0] for _ in range(200_000)])[5_000:]
    # x_{k+1} = (1 − θdt)x_k + σ√dt·ε  ⇒  Var = σ²dt / (1 − (1 − θdt)²), lag-1 correlation 1 − θdt
    stationary_std = sigma * np.sqrt(dt / (1 - (1 - theta * dt) ** 2))
    assert samples.std() == pytest.approx(stationary_std, rel=0.1)
    assert np.corrcoef(samples[:-1], samples[1:])[0, 1] == pytest.approx(1 - theta * dt, abs=0.01)
    gaussian = GaussianNoise(1, 0.3, np.random.default_rng(0))
    g = np.array([gaussian()[0] for _ in range(20_000)])
    assert g.std() == pytest.approx(0.3, rel=0.05) and abs(np.corrcoef(g[:-1], g[1:])[0, 1]) < 0.03


def test_evaluate_equals_one_episode_at_a_time():
    agent = small_agent(seed=4)
    returns = []
    for i in range(3):
        env = gym.make("Pendulum-v1")
        obs, _ = env.reset(seed=7 + i)
        total, done = 0.0, False
        while not done:
            obs, reward, terminated, truncated, _ = env.step(agent.act(obs))
            total += reward
            done = terminated or truncated
        returns.append(total)
    mean, std = evaluate(agent, "Pendulum-v1", episodes=3, seed=7)
    assert mean == pytest.approx(np.mean(returns), rel=1e-5)
    assert std == pytest.approx(np.std(returns), rel=1e-4)
    assert rollout(agent, "Pendulum-v1", seed=7).total_return == pytest.approx(returns[0], rel=1e-5)


def test_short_training_improves_the_deterministic_return():
    config = DDPGConfig(total_steps=3_000, eval_every=1_000, seed=0)
    frames = list(train(config))
    last = frames[-1]
    assert last.done and last.step == 3_000 and last.eval_steps == [1_000, 2_000, 3_000]
    # at step 1,000 the actor is still its random initialisation (no update yet): about −1,300
    assert last.eval_means[0] < -900
    assert last.eval_means[-1] > last.eval_means[0] + 500
    assert last.agent.updates == 2_000
    assert all(np.isfinite(last.critic_losses)) and len(last.mean_qs) == len(last.update_steps)
    assert [f.step for f in frames] == list(range(250, 3_001, 250))


def test_save_then_load_gives_identical_actions_and_values(tmp_path):
    agent = small_agent(seed=5, env_id="MountainCarContinuous-v0")
    save_agent(agent, tmp_path / "agent")
    loaded = load_agent(tmp_path / "agent")
    obs = np.random.default_rng(0).uniform(-1, 1, size=(64, 2)).astype(np.float32)
    assert np.array_equal(loaded.act(obs), agent.act(obs))
    assert np.array_equal(loaded.q_value(obs), agent.q_value(obs))
    assert loaded.config == agent.config and np.array_equal(loaded.low, agent.low)


def test_an_agent_goes_to_the_hub_and_comes_back_by_its_repository_id(tmp_path, monkeypatch):
    """push_to_hub uploads exactly what save_pretrained writes; from_pretrained("owner/name") loads it from the
    downloaded snapshot (the Hub itself is replaced by a folder: no test reaches the network)."""
    import huggingface_hub

    hub = tmp_path / "hub"
    calls = {}

    class FakeApi:
        def create_repo(self, repo_id, exist_ok):
            calls["created"] = (repo_id, exist_ok)

        def upload_folder(self, repo_id, folder_path, **kwargs):
            calls["uploaded"] = (repo_id, sorted(p.name for p in Path(folder_path).iterdir()), kwargs)
            shutil.copytree(folder_path, hub / repo_id)

    def snapshot_download(repo_id, revision=None, allow_patterns=None):
        calls["downloaded"] = (repo_id, revision, allow_patterns)
        return str(hub / repo_id)

    monkeypatch.setattr(huggingface_hub, "HfApi", FakeApi)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", snapshot_download)
    agent = small_agent(seed=3)
    agent.push_to_hub("someone/ddpg-pendulum", commit_message="an agent")
    assert calls["created"] == ("someone/ddpg-pendulum", True)
    assert calls["uploaded"] == ("someone/ddpg-pendulum", ["config.json", "model.safetensors"],
                                 {"commit_message": "an agent"})
    loaded = DDPGAgent.from_pretrained("someone/ddpg-pendulum", revision="main")
    assert calls["downloaded"] == ("someone/ddpg-pendulum", "main", ["model.safetensors", "config.json"])
    obs = np.random.default_rng(0).uniform(-1, 1, size=(16, 3)).astype(np.float32)
    assert np.array_equal(loaded.act(obs), agent.act(obs))


def test_load_agent_from_an_empty_folder_says_what_is_missing(tmp_path):
    with pytest.raises(ValueError, match="model.safetensors"):
        load_agent(tmp_path)


@pytest.mark.parametrize(("changes", "message"), [
    ({"actor_lr": 0.0}, "positive"),
    ({"critic_lr": -1e-3}, "positive"),
    ({"gamma": float("nan")}, "finite"),
    ({"batch_size": 512, "buffer_size": 256}, "cannot exceed the replay buffer"),
    ({"total_steps": 10**9}, "500,000"),
    ({"tau": 0.0}, "tau"),
    ({"noise": "pink"}, "gaussian, ou"),
    ({"learning_starts": 10}, "at least batch_size"),
])
def test_config_rejects_bad_values_with_a_clear_message(changes, message):
    with pytest.raises(ValueError, match=message):
        DDPGConfig(**changes).validate()


def test_make_env_rejects_discrete_actions_and_unknown_ids():
    with pytest.raises(ValueError, match="continuous"):
        make_env("CartPole-v1")
    with pytest.raises(ValueError, match="Cannot make"):
        make_env("NoSuchEnv-v9")


def test_training_is_reproducible_for_a_seed():
    config = DDPGConfig(total_steps=1_400, learning_starts=1_000, eval_every=1_400, hidden=(16, 16), seed=3)
    a, b = run_to_end(config), run_to_end(copy.deepcopy(config))
    assert a.episode_returns == b.episode_returns and a.critic_losses == b.critic_losses
    obs = np.zeros((1, 3), np.float32)
    assert np.array_equal(a.agent.act(obs), b.agent.act(obs))


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_default_config_solves_pendulum_within_10000_steps_under_90_cpu_seconds(seed):
    start = time.process_time()
    frame = run_to_end(DDPGConfig(seed=seed))
    cpu_seconds = time.process_time() - start
    assert frame.step == 10_000
    mean, _ = evaluate(frame.agent, "Pendulum-v1", episodes=10, seed=123)
    assert frame.eval_means[-1] >= -200 and mean >= -200
    assert cpu_seconds < 90


def test_pendulum_drawing_puts_the_rod_where_the_angle_says():
    from rlgen.ddpg.animation import BACKGROUND, NEGATIVE, POSITIVE, ROD, SIZE, pendulum_frame

    cx, cy, length = SIZE // 2, SIZE // 2 + 10, int(SIZE * 0.32)
    upright = np.asarray(pendulum_frame(0.0, 0.0, 0, 0.0))
    assert upright[cy - length // 2, cx] == ROD and upright[cy + length // 2, cx] == BACKGROUND
    # θ = π/2 is a quarter turn counter-clockwise: the rod points left
    left = np.asarray(pendulum_frame(np.pi / 2, 0.0, 0, 0.0))
    assert left[cy, cx - length // 2] == ROD and left[cy, cx + length // 2] == BACKGROUND
    # positive (counter-clockwise) torque draws its arc on the left of the pivot, negative on the right
    ccw, cw = np.asarray(pendulum_frame(np.pi, 2.0, 0, 0.0)), np.asarray(pendulum_frame(np.pi, -2.0, 0, 0.0))
    assert ccw[cy, cx - 34] == POSITIVE and ccw[cy, cx + 34] == BACKGROUND
    assert cw[cy, cx + 34] == NEGATIVE and cw[cy, cx - 34] == BACKGROUND


def test_bench_quick_run_reports_ours_and_stable_baselines3(tmp_path):
    import json

    from rlgen.bench.ddpg import QUICK_STEPS, QUICK_WARMUP, main

    assert main(["--quick", "--json", str(tmp_path / "ddpg.json")]) == 0
    result = json.loads((tmp_path / "ddpg.json").read_text())
    runs = result["runs"]
    assert set(runs) == {"sb3 DDPG (zoo)", "ours (zoo hyperparameters)", "ours (defaults)"}
    updates = QUICK_STEPS - QUICK_WARMUP  # one gradient step per env step after the warm-up, in both libraries
    assert runs["sb3 DDPG (zoo)"]["updates"] == runs["ours (zoo hyperparameters)"]["updates"] == updates
    assert all(run["updates_per_second"] > 0 and np.isfinite(run["final_eval"]) for run in runs.values())
    assert result["ratios"]["update_speed_ours_zoo_over_sb3"] > 0


def test_seed_study_reports_every_seed_the_goal_and_the_overrides(tmp_path, capsys):
    import json

    from rlgen.bench.ddpg_seeds import main

    out = tmp_path / "seeds.json"
    assert main(["--algorithms", "DDPG", "TD3", "--seeds", "2", "--first-seed", "5", "--steps", "300",
                 "--set", "tau=0.02", "--set", "noise=ou", "--quick", "--json", str(out)]) == 0
    record = json.loads(out.read_text())
    assert record["command"] == ("python -m rlgen.bench ddpg_seeds --algorithms DDPG TD3 --seeds 2 --steps 300 "
                                 "--first-seed 5 --set tau=0.02 --set noise=ou --quick")
    assert set(record["results"]) == {"DDPG", "TD3"}
    td3 = record["results"]["TD3"]
    assert [run["seed"] for run in td3["runs"]] == [5, 6]
    assert td3["config"]["tau"] == 0.02 and td3["config"]["noise"] == "ou" and td3["config"]["policy_delay"] == 2
    finals = [run["final_eval"] for run in td3["runs"]]
    assert td3["summary"]["worst_final"] == min(finals) and td3["summary"]["seeds_done"] == 2
    assert td3["summary"]["goal_met"] is False  # 300 steps learn nothing yet
    assert {"step", "mean", "q_estimate", "mc_return"} == set(td3["runs"][0]["evaluations"][-1])
    assert "TD3 seed  6  final" in capsys.readouterr().out


def test_seed_study_refuses_a_knob_the_algorithm_does_not_have():
    from rlgen.bench.ddpg_seeds import parse_overrides
    from rlgen.ddpg.td3 import TD3Config

    with pytest.raises(SystemExit, match="DDPGConfig field"):
        parse_overrides(["policy_delay=3"])
    assert parse_overrides(["policy_delay=3"], TD3Config) == {"policy_delay": 3}
    assert parse_overrides(["hidden=(32, 32)", "warmup=noise"]) == {"hidden": (32, 32), "warmup": "noise"}
