"""`python -m rlgen.bench load`: a lecture hall on one server.

Starts the whole app (``python -m rlgen serve``) on a free loopback port in its own process, then drives N
sessions at once, one gradio session per simulated person, each speaking gradio's queue protocol as a browser does:

1. **burst** — every session presses GridWorld's Step five times back to back, all at the same moment (the
   crowd that opens the link together and clicks at once);
2. **mix** — every session works through a lecture's worth of interactive actions (GridWorld steps, a geometry
   preset and run, a KimiVL answer, a DPO reply, one diffusion image) with a person's pause between clicks
   (4 s on average, 2-6 s: a class following the speaker; ``--think 1`` is a stress run),
   while a few sessions also start a training run (the heavy events, limited per event).

It prints per-action p50/p95 latency and errors, the server's RSS growth over the mix and the server's and the
load generator's CPU time (they share the same cores), and writes the figures to ``--json``.
Targets on a 2-core machine: interactive p95 < 1 s, 0 errors, RSS growth < 50 MB over 1,000 requests.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections import defaultdict
from pathlib import Path

import numpy as np

from rlgen.bench._report import report

INTERACTIVE = ("gridworld step", "geometry preset", "geometry run", "kimivl answer", "dpo reply", "diffusion image")
HEAVY = ("genlab training",)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, log_path: Path) -> subprocess.Popen:
    env = {**os.environ, "GRADIO_SERVER_NAME": "127.0.0.1", "GRADIO_SERVER_PORT": str(port)}
    root = Path(__file__).resolve().parents[2]
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    with open(log_path, "w") as log:
        server = subprocess.Popen([sys.executable, "-m", "rlgen", "serve"], env=env, stdout=log,
                                  stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5):
                return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise RuntimeError(f"the app did not start; see {log_path}")


class Person:
    """One simulated person: their own gradio session (a session hash) and the actions of a lecture.

    It speaks gradio's queue protocol directly over one kept-alive HTTP connection — join the queue, read the
    event stream to ``process_completed`` — as the browser does. ``gradio_client`` would cost about 0.1 s of
    CPU a request (a new HTTP client and a polling loop per call), which on two shared cores would measure the
    load generator rather than the server."""

    def __init__(self, url: str, index: int, scene: str, results: dict, lock: threading.Lock, config: dict):
        import httpx

        self.http = httpx.Client(base_url=url.rstrip("/"), timeout=300)
        self.session_hash = uuid.uuid4().hex
        self.index, self.results, self.lock = index, results, lock
        self.rng = random.Random(index)
        types = {c["id"]: c["type"] for c in config["components"]}
        # api name -> (dependency id, which inputs are State: the server keeps those, the request sends None)
        self.endpoints = {d["api_name"]: (d["id"], [types[i] == "state" for i in d["inputs"]])
                          for d in config["dependencies"] if d.get("api_name")}
        with open(scene, "rb") as image:
            path = self.http.post("/gradio_api/upload", files={"files": ("scene.png", image, "image/png")}).json()[0]
        self.scene = {"path": path, "orig_name": "scene.png", "meta": {"_type": "gradio.FileData"}}

    def call(self, api_name: str, *values) -> None:
        """Run one event to completion; raises with the server's message if it failed."""
        fn, states = self.endpoints[api_name]
        given = iter(values)
        data = [None if is_state else next(given) for is_state in states]
        joined = self.http.post("/gradio_api/queue/join", json={"data": data, "fn_index": fn, "trigger_id": None,
                                                                "session_hash": self.session_hash})
        joined.raise_for_status()
        event = joined.json()["event_id"]
        with self.http.stream("GET", "/gradio_api/queue/data", params={"session_hash": self.session_hash}) as stream:
            for line in stream.iter_lines():
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                if message.get("event_id") == event and message["msg"] == "process_completed":
                    if not message.get("success"):
                        raise RuntimeError(str(message.get("output", {}).get("error") or message)[:300])
                    return
        raise RuntimeError("the event stream ended before the event completed")

    def timed(self, action: str, api_name: str, *values) -> None:
        started = time.perf_counter()
        error = None
        try:
            self.call(api_name, *values)
        except Exception as exc:  # every failure counts, whatever its kind
            error = f"{type(exc).__name__}: {str(exc)[:200]}"
        with self.lock:
            self.results[action].append((time.perf_counter() - started, error))

    def gridworld_step(self) -> None:
        self.timed("gridworld step", "gridworld_step", "value_iteration", 0.9, 5, 100, 200, 0.1, 0.1, 3, False,
                   self.index, False)

    def geometry(self) -> None:
        self.timed("geometry preset", "handle_preset", "gaussian", 200, self.index, False)
        self.timed("geometry run", "on_run", "Convex hull — Andrew's monotone chain", "adaptive", 1e-9, False, "ray", 0)

    def kimivl(self) -> None:
        self.timed("kimivl answer", "ask", "How many shapes are there?", self.scene, None, 1.0, 0.0, self.index, False,
                   "tiny Kimi-VL (shipped, CPU)")

    def dpo(self) -> None:
        self.timed("dpo reply", "send", "Any tips for a rainy weekend?", 0.8, 0.95, 32, 0.1, self.index, False,
                   "tiny pair (shipped, CPU)", "shipped DPO policy")

    def diffusion(self) -> None:
        self.timed("diffusion image", "diffusion_generate", "a red circle on a white background", "none",
                   "star (procedural)", None, None, "canny", 0.1, 0.2, 1.0, 3.0, 10, "Flow Euler", 1, self.index,
                   False, False, "tiny (shipped)")

    def training(self) -> None:
        self.timed("genlab training", "genlab_train_2d", "two moons", "Rectified flow + reflow", 300, self.index,
                   False, 0.3)

    def pause(self, think_s: float) -> None:
        time.sleep(self.rng.uniform(0.5, 1.5) * think_s)

    def lecture(self, rounds: int, think_s: float, trains: bool) -> None:
        for r in range(rounds):
            for _ in range(3):
                self.gridworld_step()
                self.pause(think_s)
            self.geometry()
            self.pause(think_s)
            self.kimivl()
            self.pause(think_s)
            self.dpo()
            self.pause(think_s)
            if r == 0:
                self.diffusion()
                self.pause(think_s)
            if trains and r == 1:
                self.training()
                self.pause(think_s)


def run_people(people: list[Person], work) -> float:
    barrier = threading.Barrier(len(people))

    def go(person: Person) -> None:
        barrier.wait()
        work(person)

    threads = [threading.Thread(target=go, args=(p,)) for p in people]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started


def summarise(results: dict) -> list[dict]:
    rows = []
    for action in (*INTERACTIVE, *HEAVY):
        samples = results.get(action, [])
        if not samples:
            continue
        seconds = np.array([s for s, _ in samples])
        errors = [e for _, e in samples if e]
        rows.append({"action": action, "kind": "heavy" if action in HEAVY else "interactive", "n": len(samples),
                     "p50_s": float(np.percentile(seconds, 50)), "p95_s": float(np.percentile(seconds, 95)),
                     "max_s": float(seconds.max()), "errors": len(errors), "first_error": errors[0] if errors else ""})
    return rows


def steady_growth(samples: list[tuple[int, float]]) -> float | None:
    """MB per 1,000 requests over the second half of the mix (least squares): the growth that would go on,
    once the first half has touched every code path and cache."""
    half = samples[len(samples) // 2:]
    if len(half) < 3 or half[-1][0] == half[0][0]:
        return None
    slope = np.polyfit([n for n, _ in half], [mb for _, mb in half], 1)[0]
    return float(slope * 1000)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    measured = _measure(args)
    figures = _figures(args, measured)
    rows = ([{"phase": "burst (5 steps each, at once)", **r} for r in measured["burst"]]
            + [{"phase": "mix", **r} for r in measured["mix"]])
    for row in rows:
        row.pop("first_error")
    report(f"{args.sessions} sessions at once on one server: per-action latency (s) and errors", rows, figures,
           args.json)
    print(f"mix: {figures['mix']['requests']} requests in {measured['mix_seconds']:.0f} s · server CPU "
          f"{figures['server_cpu_s']:.0f} s, load generator CPU {figures['load_generator_cpu_s']:.0f} s · server RSS "
          f"growth {figures['server_rss_growth_mb']:+.1f} MB "
          f"({figures['server_rss_growth_mb_per_1000_requests']:+.1f} MB per 1,000 requests; second half "
          f"{figures['server_rss_mb_per_1000_requests_second_half'] or 0:+.1f}) · errors "
          f"{figures['errors']}")
    return 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--quick", action="store_true", help="4 sessions, 1 round (a smoke run, for tests)")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=7, help="lecture rounds per session in the mix")
    parser.add_argument("--think", type=float, default=4.0, help="mean pause between one person's clicks (s)")
    parser.add_argument("--trainers", type=int, default=4, help="sessions that also start a training run")
    args = parser.parse_args(argv)
    if args.quick:
        args.sessions, args.rounds, args.think, args.trainers = 4, 2, 0.2, 1
    return args


def _measure(args: argparse.Namespace) -> dict:
    """Start a server, warm every model, then time a burst (everyone steps GridWorld at once) and a lecture's mix
    of actions, sampling the server's memory every second of the mix."""
    import psutil
    from PIL import Image

    from rlgen.vlm import scenes

    work = Path(tempfile.mkdtemp(prefix="rlgen-load-"))
    scene = work / "scene.png"
    scenes.render(scenes.random_scene(np.random.default_rng(0))).save(scene)
    Image.open(scene).verify()
    port = free_port()
    server = start_server(port, work / "server.log")
    url = f"http://127.0.0.1:{port}/"
    try:
        process, me = psutil.Process(server.pid), psutil.Process()
        lock = threading.Lock()
        results: dict[str, list] = defaultdict(list)
        with urllib.request.urlopen(f"{url}config", timeout=60) as response:
            config = json.load(response)
        people = [Person(url, i, str(scene), results, lock, config) for i in range(args.sessions)]
        # warm-up: one of each action loads every model once, so the mix measures serving, not loading
        warm = Person(url, 999, str(scene), defaultdict(list), lock, config)
        for action in (warm.gridworld_step, warm.geometry, warm.kimivl, warm.dpo, warm.diffusion, warm.training):
            action()
        burst_seconds = run_people(people, lambda p: [p.gridworld_step() for _ in range(5)])
        burst = summarise(results)
        results.clear()
        rss_before = process.memory_info().rss
        server_cpu, client_cpu = sum(process.cpu_times()[:2]), sum(me.cpu_times()[:2])
        with _MemorySampler(process, results, lock) as sampler:
            mix_seconds = run_people(people, lambda p: p.lecture(args.rounds, args.think, p.index < args.trainers))
        return {"burst": burst, "burst_seconds": burst_seconds, "mix": summarise(results), "mix_seconds": mix_seconds,
                "samples": sampler.samples, "server_cpu_s": sum(process.cpu_times()[:2]) - server_cpu,
                "client_cpu_s": sum(me.cpu_times()[:2]) - client_cpu,
                "rss_growth_mb": (process.memory_info().rss - rss_before) / 2**20}
    finally:
        server.terminate()
        server.wait(timeout=30)


class _MemorySampler:
    """(requests done, server RSS in MB) once a second while the block runs."""

    def __init__(self, process, results: dict, lock: threading.Lock):
        self.process, self.results, self.lock = process, results, lock
        self.samples: list[tuple[int, float]] = []
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._done.wait(1.0):
            with self.lock:
                count = sum(len(v) for v in self.results.values())
            self.samples.append((count, self.process.memory_info().rss / 2**20))

    def __enter__(self) -> _MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self._thread.join()


def _figures(args: argparse.Namespace, measured: dict) -> dict:
    """The record: both phases' rows, the errors, the worst interactive p95, memory growth and CPU."""
    mix, samples, rss_growth = measured["mix"], measured["samples"], measured["rss_growth_mb"]
    requests = sum(r["n"] for r in mix)
    interactive = [r for r in mix if r["kind"] == "interactive"]
    return {
        "sessions": args.sessions,
        "think_s": args.think,
        "burst": {"rows": measured["burst"], "seconds": measured["burst_seconds"]},
        "mix": {"rows": mix, "seconds": measured["mix_seconds"], "requests": requests},
        "errors": sum(r["errors"] for r in mix) + sum(r["errors"] for r in measured["burst"]),
        "interactive_p95_s_worst": max(r["p95_s"] for r in interactive),
        "server_rss_growth_mb": rss_growth,
        "server_rss_growth_mb_per_1000_requests": rss_growth * 1000 / max(requests, 1),
        "server_rss_mb_per_1000_requests_second_half": steady_growth(samples),
        "server_rss_peak_mb": max((mb for _, mb in samples), default=None),
        "server_cpu_s": measured["server_cpu_s"],
        "load_generator_cpu_s": measured["client_cpu_s"],
        "load_average_1min_at_end": os.getloadavg()[0],
        "targets": {"interactive_p95_s": 1.0, "errors": 0, "rss_growth_mb_per_1000_requests": 50},
    }


def headline(record: dict) -> list[tuple[str, str]]:
    """The README's rows for this bench's record."""
    mix = record["mix"]
    worst = max((r for r in mix["rows"] if r["kind"] == "interactive"), key=lambda r: r["p95_s"])
    return [(f"{record['sessions']} people at once, {mix['requests']:,} requests",
             f"{record['errors']} errors; slowest interactive p95 {worst['p95_s']:.2f} s ({worst['action']}); "
             f"server memory {record['server_rss_growth_mb_per_1000_requests']:+.0f} MB per 1,000 requests")]
