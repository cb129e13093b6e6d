"""The one protocol for streamed work: progress read the same way from every frame, one throttle, one pace."""

from __future__ import annotations

from dataclasses import dataclass

from rlgen.progress import Progress, paced, progress_of, throttled


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_progress_is_read_from_any_frame():
    @dataclass
    class Frame:
        step: int
        total_steps: int

    assert progress_of(Frame(3, 10)) == Progress(3, 10)
    assert progress_of(Frame(3, 10)).fraction == 0.3
    assert Progress(5, None, "episodes").line() == "5 episodes"


def test_throttled_keeps_one_frame_per_interval_and_the_last():
    clock = Clock()

    def frames():
        for i in range(10):
            clock.now = i * 0.1
            yield i

    assert list(throttled(frames(), 0.25, clock=clock)) == [0, 3, 6, 9]
    assert list(throttled(iter([1, 2, 3]), 10.0, clock=clock, keep=lambda f: f == 2)) == [1, 2, 3]


def test_paced_sends_every_frame_no_faster_than_fps_counting_the_time_to_make_it():
    clock = Clock()
    sent = []

    def slow_frames():
        for i in range(4):
            clock.now += 0.3 if i == 2 else 0.05  # frame 2 takes longer than the interval to make
            yield i

    for frame in paced(slow_frames(), fps=4, clock=clock, sleep=clock.sleep):
        sent.append((frame, round(clock.now, 3)))
    assert [f for f, _ in sent] == [0, 1, 2, 3]
    gaps = [round(b - a, 3) for (_, a), (_, b) in zip(sent, sent[1:])]
    assert gaps == [0.25, 0.3, 0.25]  # at least 1/fps apart; a slow frame is not followed by a catch-up burst
