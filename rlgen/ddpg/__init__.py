"""Deep Deterministic Policy Gradient on gymnasium's continuous-action tasks: the agent (:mod:`agent`), the
training generator and evaluation (:mod:`training`), each task's recipe (:mod:`recipes`), save/load and the
shipped agents (:mod:`checkpoint`), figures and the episode animation. No gradio here."""

from rlgen.ddpg.agent import (
    Actor,
    Critic,
    DDPGAgent,
    DDPGConfig,
    GaussianNoise,
    OrnsteinUhlenbeckNoise,
    ReplayBuffer,
    critic_target,
    soft_update,
)
from rlgen.ddpg.checkpoint import load_agent, load_pretrained, save_agent
from rlgen.ddpg.recipes import live_config, recipe
from rlgen.ddpg.training import (
    SOLVED,
    Episode,
    TrainFrame,
    evaluate,
    make_env,
    noisy_rollouts,
    rollout,
    run_to_end,
    train,
)

__all__ = [
    "Actor", "Critic", "DDPGAgent", "DDPGConfig", "GaussianNoise", "OrnsteinUhlenbeckNoise", "ReplayBuffer",
    "critic_target", "soft_update", "load_agent", "load_pretrained", "save_agent", "SOLVED", "Episode",
    "TrainFrame", "evaluate", "make_env", "noisy_rollouts", "rollout", "run_to_end", "train", "recipe", "live_config",
]
