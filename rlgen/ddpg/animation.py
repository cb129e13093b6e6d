"""An episode as an animated GIF, drawn from the state (no pygame needed): the pendulum or the car, the
action applied at that step and the running return."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from rlgen import lettering
from rlgen.ddpg.training import Episode
from rlgen.errors import InputError

SIZE = 320
MAX_FRAMES = 250
# Frames are drawn straight into a fixed palette ("P" mode), so writing the GIF needs no colour quantisation
# (which cost seconds per episode).
COLOURS = [(255, 255, 255), (40, 40, 40), (204, 77, 77), (214, 39, 40), (31, 119, 180), (225, 225, 225),
           (44, 160, 44), (230, 190, 30)]
BACKGROUND, INK, ROD, POSITIVE, NEGATIVE, FAINT, TARGET, FLAG = range(len(COLOURS))
PALETTE = [channel for colour in COLOURS for channel in colour]


def _canvas() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("P", (SIZE, SIZE), BACKGROUND)
    image.putpalette(PALETTE)
    return image, ImageDraw.Draw(image)


def pendulum_frame(theta: float, torque: float, t: int, running_return: float, max_torque: float = 2.0,
                   text=lettering.english) -> Image.Image:
    """θ = 0 is upright and θ grows counter-clockwise (gymnasium's convention); the arc around the pivot
    shows the torque: its length is |u|/u_max of a half turn, its colour the direction. The caption's words are
    made by ``text`` (:mod:`rlgen.lettering`)."""
    image, draw = _canvas()
    cx, cy, length = SIZE // 2, SIZE // 2 + 10, SIZE * 0.32
    tip = (cx - length * math.sin(theta), cy - length * math.cos(theta))
    draw.ellipse([cx - length - 4, cy - length - 4, cx + length + 4, cy + length + 4], outline=FAINT)
    draw.line([cx, cy - length - 12, cx, cy - length + 4], fill=TARGET, width=2)  # the upright target
    draw.line([(cx, cy), tip], fill=ROD, width=12)
    draw.ellipse([tip[0] - 7, tip[1] - 7, tip[0] + 7, tip[1] + 7], fill=ROD)
    draw.ellipse([cx - 5, cy - 5, cx + 5, cy + 5], fill=INK)
    sweep = 180.0 * min(abs(torque) / max_torque, 1.0)
    if sweep > 1:
        r = 34
        # PIL measures angles clockwise from +x; counter-clockwise torque (u > 0) is drawn to the left
        start, end = (270 - sweep, 270) if torque > 0 else (270, 270 + sweep)
        draw.arc([cx - r, cy - r, cx + r, cy + r], start, end, fill=POSITIVE if torque > 0 else NEGATIVE, width=5)
    _caption(draw, t, text("torque"), torque, running_return, text)
    return image


def mountaincar_frame(position: float, force: float, t: int, running_return: float,
                      text=lettering.english) -> Image.Image:
    """The hill y = 0.45·sin(3x) + 0.55 over x ∈ [−1.2, 0.6], the car at x, the flag at x = 0.45, and an
    arrow for the force."""
    image, draw = _canvas()
    xs = np.linspace(-1.2, 0.6, 120)

    def to_px(x: float, y: float) -> tuple[float, float]:
        return 20 + (x + 1.2) / 1.8 * (SIZE - 40), SIZE - 40 - y * (SIZE - 120)

    draw.line([to_px(x, 0.45 * math.sin(3 * x) + 0.55) for x in xs], fill=INK, width=3)
    fx, fy = to_px(0.45, 0.45 * math.sin(3 * 0.45) + 0.55)
    draw.line([fx, fy, fx, fy - 40], fill=INK, width=2)
    draw.polygon([(fx, fy - 40), (fx + 18, fy - 34), (fx, fy - 28)], fill=FLAG)
    cx, cy = to_px(position, 0.45 * math.sin(3 * position) + 0.55)
    draw.ellipse([cx - 10, cy - 20, cx + 10, cy], fill=ROD)
    if abs(force) > 0.02:
        length = 40 * min(abs(force), 1.0) * (1 if force > 0 else -1)
        colour = POSITIVE if force > 0 else NEGATIVE
        draw.line([cx, cy - 30, cx + length, cy - 30], fill=colour, width=4)
        draw.polygon([(cx + length, cy - 36), (cx + length + 8 * np.sign(length), cy - 30), (cx + length, cy - 24)],
                     fill=colour)
    _caption(draw, t, text("force"), force, running_return, text)
    return image


def _caption(draw: ImageDraw.ImageDraw, t: int, action_name: str, action: float, running_return: float,
             text=lettering.english) -> None:
    first = f"t = {t:3d}    {action_name} = {action:+.2f}"
    second = text("return so far = {value:.1f}", value=running_return)
    draw.text((10, 8), first, fill=INK, font=lettering.font(15, first))
    draw.text((10, 28), second, fill=INK, font=lettering.font(15, second))


def episode_frames(episode: Episode, max_frames: int = MAX_FRAMES, text=lettering.english) -> list[Image.Image]:
    """Frames of the episode (every k-th step when it is longer than ``max_frames``). Frame t shows the
    state s_t, the action a_t about to be applied and the return r_1 + … + r_t collected so far; the last
    frame shows s_T."""
    steps = len(episode.actions)
    stride = max(1, math.ceil(steps / max_frames))
    returns = np.concatenate([[0.0], episode.running_return])
    frames = []
    # the last frame is the final state s_T with the whole return (the flag's +100 arrives on the last step)
    for t in [*range(0, steps, stride), steps]:
        obs, action = episode.observations[t], float(episode.actions[min(t, steps - 1), 0])
        if episode.env_id == "Pendulum-v1":
            frames.append(pendulum_frame(math.atan2(obs[1], obs[0]), action, t, float(returns[t]), text=text))
        elif episode.env_id == "MountainCarContinuous-v0":
            frames.append(mountaincar_frame(float(obs[0]), action, t, float(returns[t]), text=text))
        else:
            raise InputError("No drawing for {env_id}; the animation knows Pendulum and MountainCar.",
                             env_id=episode.env_id)
    return frames


def save_gif(episode: Episode, path: str | Path, fps: int = 25, max_frames: int = MAX_FRAMES,
             text=lettering.english) -> Path:
    """Write the episode's animation as a looping GIF (its caption's words made by ``text``)."""
    frames = episode_frames(episode, max_frames, text)
    path = Path(path)
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=int(1000 / fps), loop=0, optimize=False)
    return path
