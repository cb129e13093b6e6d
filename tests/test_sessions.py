"""Two sessions at once, for every tab: each person gets exactly what they get alone with the same seed.

Each tab's main stochastic action runs alone for two seeds, then three times at once (seeds 1, 2 and 1 again)
from threads released together, as a lecture hall's requests reach the server's worker threads. A shared
generator, a global seed, a hook on a shared model or an unlocked cache would make the concurrent results
differ from the lone ones.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np
import plotly.graph_objects as go
import pytest
from PIL import Image

from rlgen.geometry import sketch as pad
from rlgen.vlm import scenes


def together(job: Callable[[int], object], seeds: list[int]) -> list[object]:
    """``job(seed)`` for every seed in its own thread, all released at the same moment."""
    barrier, results, errors = threading.Barrier(len(seeds)), [None] * len(seeds), []

    def work(i: int, seed: int) -> None:
        barrier.wait()
        try:
            results[i] = job(seed)
        except Exception as exc:  # reported below, with the thread's seed
            errors.append((seed, exc))

    threads = [threading.Thread(target=work, args=(i, s)) for i, s in enumerate(seeds)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert not errors, errors
    return results


def fingerprint(value: object) -> object:
    """Something comparable with ==: figures as JSON, images and arrays as bytes."""
    if isinstance(value, go.Figure):
        return value.to_json()
    if isinstance(value, Image.Image):
        return value.mode, value.size, value.tobytes()
    if isinstance(value, np.ndarray):
        return value.dtype.str, value.shape, value.tobytes()
    if isinstance(value, (list, tuple)):
        return tuple(fingerprint(v) for v in value)
    return value


def assert_sessions_are_independent(job: Callable[[int], object]) -> None:
    alone = {seed: fingerprint(job(seed)) for seed in (1, 2)}
    assert alone[1] != alone[2], "the seed must matter, or this test proves nothing"
    at_once = [fingerprint(r) for r in together(job, [1, 2, 1])]
    assert at_once == [alone[1], alone[2], alone[1]]


def test_gridworld_two_sessions_learning_at_once():
    from rlgen.ui import gridworld as tab

    def job(seed: int):
        session = tab.new_session()
        for _ in range(4):  # four Q-learning episodes, each drawn from the session's own generator
            session, image, _, status, _ = tab.step(session, "q_learning", 0.9, 5, 60, 200, 0.2, 0.1, 3, False,
                                                    seed, False)
        return image, status

    assert_sessions_are_independent(job)


def test_geometry_two_sessions_at_once():
    from rlgen.ui import geometry as tab

    def job(seed: int):
        sketch = tab.handle_preset(pad.Sketch(), "gaussian", 120, seed, False)[0]
        options = tab.options_from("exact", 1e-9, False, "ray", seed)
        run, last, table, _, notes = tab.run_algorithm(sketch, "Minimum enclosing circle — Welzl", options)
        return run.total, last.caption, table, notes

    assert_sessions_are_independent(job)


def test_ddpg_two_live_runs_at_once():
    from rlgen.ui import ddpg as tab

    obs = np.stack([np.cos(np.linspace(-3, 3, 16)), np.sin(np.linspace(-3, 3, 16)), np.linspace(-8, 8, 16)], 1)

    def job(seed: int):
        *_, last = tab.start_training("Pendulum-v1", 1_000, 1e-3, 1e-3, 0.98, 0.01, 64, 10_000, 500, "Gaussian",
                                      0.1, "32,32", seed, False, None)
        agent = tab.OWN_AGENTS.get(last[4], "")
        return agent.act(obs.astype(np.float32)), last[0].split(" in ")[0]

    assert_sessions_are_independent(job)


def test_generative_lab_two_trainings_at_once():
    from rlgen.genlab import lab2d
    from rlgen.ui import genlab as tab

    def job(seed: int):
        *_, final = tab.train_2d("two moons", lab2d.RF, 120, seed, False, [], 0.3)
        return final[2], final[3]  # the samples and the loss curve

    assert_sessions_are_independent(job)


def test_dpo_chat_two_sessions_sampling_at_once():
    from rlgen.ui import dpo as tab

    def job(seed: int):
        *_, last = tab.send("How was your trip to Kyoto?", tab.empty_history(), 1.0, 1.0, 24, 0.1, seed, False,
                            tab.TINY, tab.SHIPPED, None)
        history = last[2]
        return history["left"][-1]["content"], history["right"][-1]["content"]

    assert_sessions_are_independent(job)


def test_diffusion_two_sessions_generating_at_once():
    from rlgen.ui import diffusion as tab

    def job(seed: int):
        *_, last = tab.generate_images("a red star on a blue background", "sample", "star (procedural)", None, None,
                                       "canny", 0.1, 0.2, 1.0, 3.0, 3, "Flow Euler", 1, seed, False, False)
        return [np.asarray(image) for image in last[0]]

    assert_sessions_are_independent(job)


@pytest.mark.parametrize("look_inside", [False, True], ids=["answer", "answer-while-another-looks-inside"])
def test_kimivl_two_sessions_answering_at_once(look_inside):
    from rlgen.ui import vlm as tab

    image = scenes.render(scenes.random_scene(np.random.default_rng(5)))

    def job(seed: int):
        *_, last = tab.ask("Describe the image.", image, None, 1.0, 1.2, seed, False, tab.TINY, tab.new_state())
        return last[0][-1]["content"], last[4]

    if not look_inside:
        assert_sessions_are_independent(job)
        return
    alone = fingerprint(job(1))
    results = together(lambda seed: job(seed) if seed else fingerprint(last_overlay(tab, image)), [1, 0, 1])
    assert [fingerprint(results[0]), fingerprint(results[2])] == [alone, alone]


def last_overlay(tab, image):
    *_, last = tab.ask("Where is the circle?", image, None, 1.0, 0.0, 0, False, tab.TINY, tab.new_state())
    return last[2]


# -- heavy work steps aside ------------------------------------------------------------------------------
def test_training_steps_aside_while_a_reply_is_computed():
    """An optimizer step in a training thread waits while another thread serves a reply, and only that long."""
    import time

    import torch

    from rlgen.runtime import Courtesy

    courtesy = Courtesy(max_wait_s=5.0)
    courtesy.install()
    try:
        model = torch.nn.Linear(3, 1)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        reply_started, waited = threading.Event(), []

        def reply() -> None:
            with courtesy.serving():
                reply_started.set()
                time.sleep(0.3)

        server = threading.Thread(target=reply)
        server.start()
        reply_started.wait()
        started = time.perf_counter()
        optimizer.step()  # a training loop's next step
        waited.append(time.perf_counter() - started)
        server.join()
        assert courtesy.waiting == 0
        assert 0.15 < waited[0] < 3.0  # held until the reply was out, not for the whole max wait
        with courtesy.serving():  # a reply that itself takes an optimizer step never waits on itself
            started = time.perf_counter()
            optimizer.step()
            assert time.perf_counter() - started < 1.0
    finally:
        courtesy._hook.remove()


def test_a_busy_room_slows_training_but_never_stops_it():
    from rlgen.runtime import Courtesy

    courtesy = Courtesy(max_wait_s=0.05)
    hold = threading.Event()

    def endless_reply() -> None:
        with courtesy.serving():
            hold.wait(10)

    server = threading.Thread(target=endless_reply)
    server.start()
    try:
        import time

        started = time.perf_counter()
        for _ in range(4):
            courtesy.step_aside()
        assert 0.15 < time.perf_counter() - started < 3.0  # four bounded waits
    finally:
        hold.set()
        server.join()


def test_quick_events_are_marked_waited_on_and_training_is_not():
    """In the served app, clicks, replies and images compute inside ``serving``; training events do not."""
    import inspect

    from rlgen.ui import build_app, with_queue
    from rlgen.ui.live import WAITED_ON

    demo = with_queue(build_app(["dpo", "diffusion", "gridworld"]))
    by_name = {fn.api_name: fn for fn in demo.fns.values()}
    for name in ("send", "diffusion_generate", "gridworld_step"):
        assert by_name[name].concurrency_id in WAITED_ON, name
        assert getattr(by_name[name].fn, "rlgen_waited_on", False), name
    assert inspect.isgeneratorfunction(by_name["send"].fn)  # gradio still streams it
    training = [fn for fn in demo.fns.values() if fn.concurrency_id == "training"]
    assert training and not any(getattr(fn.fn, "rlgen_waited_on", False) for fn in training)


def test_a_waited_on_stream_is_marked_only_while_it_computes():
    from rlgen.runtime import COURTESY
    from rlgen.ui.live import waited_on

    seen = []

    def stream(n):
        for i in range(n):
            seen.append(COURTESY.waiting)
            yield i

    frames = waited_on(stream)(3)
    assert next(frames) == 0
    between = COURTESY.waiting  # the stream is paused between frames: nobody is held back
    assert list(frames) == [1, 2]
    assert seen and min(seen) >= 1 and between == 0


def test_loading_a_diffusers_model_never_patches_module_creation_for_other_sessions(monkeypatch):
    """accelerate's init_empty_weights (diffusers' default way to load) patches nn.Module.register_parameter for the
    whole process, so a module another session builds at that moment lands on the meta device. Every diffusers
    load in rlgen goes around it; a module built while pipelines load in another thread is a real one."""
    import threading

    import accelerate
    import accelerate.big_modeling
    import torch
    from torch import nn

    from rlgen.diffusion.checkpoint import load_pipeline
    from rlgen.diffusion.metrics import load_classifier
    from rlgen.diffusion.pipeline import ShapesPipeline
    from rlgen.diffusion.sd3_checkpoint import load_mmdit_pipeline

    def refuse(*args, **kwargs):
        raise AssertionError("a diffusers load used init_empty_weights")

    for module in (accelerate, accelerate.big_modeling):
        monkeypatch.setattr(module, "init_empty_weights", refuse)
    for loader, args in ((load_classifier, ()), (load_pipeline, ("flow",)), (load_mmdit_pipeline, ())):
        getattr(loader, "__wrapped__", loader)(*args)  # past any cache: a real load
    monkeypatch.undo()

    done = threading.Event()

    def load_repeatedly():
        from rlgen import runtime

        for _ in range(3):
            runtime.load_pretrained(ShapesPipeline, runtime.checkpoint_path("diffusion-flow"), dtype=torch.float32)
        done.set()

    thread = threading.Thread(target=load_repeatedly)
    thread.start()
    built = []
    while not done.is_set():
        built.append(nn.Linear(4, 4).weight.device.type)
    thread.join()
    assert built and set(built) == {"cpu"}


def test_model_loads_in_two_sessions_at_once_leave_weight_tying_on():
    """transformers' from_pretrained switches PreTrainedModel.tie_weights off while it builds a model and puts back
    what it found, so two loads at once could leave it off for good (a tied lm_head then stays on the meta device).
    rlgen's loaders take turns: after loads of the DPO pair, KimiVL and a diffusers pipeline in four threads at
    once, tying is the original function and every DPO model's head is a real tensor."""
    import threading

    from transformers import PreTrainedModel

    from rlgen import runtime
    from rlgen.diffusion.checkpoint import load_pipeline
    from rlgen.dpo.checkpoint import NAME, load_model
    from rlgen.vlm.checkpoint import NAME as VLM
    from rlgen.vlm.checkpoint import load as load_vlm

    original = PreTrainedModel.tie_weights
    heads, errors = [], []

    def load(make):
        try:
            result = make()
            if hasattr(result, "lm_head"):
                heads.append(result.lm_head.weight.device.type)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    makers = [lambda: load_model(runtime.checkpoint_path(NAME) / "policy"),
              lambda: load_model(runtime.checkpoint_path(NAME) / "ref"),
              lambda: load_vlm(runtime.checkpoint_path(VLM)),
              lambda: load_pipeline("flow")] * 2
    threads = [threading.Thread(target=load, args=(make,)) for make in makers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and PreTrainedModel.tie_weights is original
    assert heads == ["cpu"] * 4


def test_every_model_load_holds_the_loading_lock_and_diffusers_loads_build_real_modules():
    """One way to load a model: ``runtime.load_pretrained`` holds ``MODEL_LOADING`` during the load and gives a
    diffusers class ``DIFFUSERS_LOAD``; no other ``from_pretrained`` call in rlgen loads a model (a tokenizer, a
    processor and the DDPG agent, which patch nothing process-wide, load directly)."""
    import ast

    from diffusers import ModelMixin

    from rlgen import runtime
    from tests.conftest import ROOT

    class Recorder:
        seen = []

        @classmethod
        def from_pretrained(cls, *args, **kwargs):
            owned = runtime.MODEL_LOADING._is_owned()
            cls.seen.append((args, kwargs, owned))
            return cls

    class DiffusersRecorder(Recorder, ModelMixin):
        pass

    runtime.load_pretrained(Recorder, "a", dtype="x")
    runtime.load_pretrained(DiffusersRecorder, "b")
    assert Recorder.seen == [(("a",), {"dtype": "x"}, True), (("b",), runtime.DIFFUSERS_LOAD, True)]
    assert not runtime.MODEL_LOADING._is_owned()

    direct = []
    for path in sorted((ROOT / "rlgen").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "from_pretrained":
                owner = ast.unparse(node.func.value)
                if path.name != "runtime.py" and not owner.endswith(("Tokenizer", "TokenizerFast", "Processor",
                                                                     "DDPGAgent")):
                    direct.append(f"{path.relative_to(ROOT)}:{node.lineno} {owner}.from_pretrained")
    assert direct == []
