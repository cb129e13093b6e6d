"""Process-wide decisions, made once and here only: threads, device, offline switches, seeds, paths.

Importing :mod:`rlgen` imports this module first, so the environment variables below are in place before
torch, OpenMP or gradio are loaded by anything else.
"""

from __future__ import annotations

import os
import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import numpy as np

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKPOINT_DIR = PACKAGE_DIR / "checkpoints"

REAL_WEIGHTS = os.environ.get("RLGEN_REAL_WEIGHTS", "0") == "1"


def cpu_count() -> int:
    """Cores this process may run on (the affinity mask, not the machine's total)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - non-Linux
        return os.cpu_count() or 1


def torch_threads() -> int:
    """One torch thread on hosts with <= 2 cores: two spinning OpenMP threads on a shared 2-core box ran
    these small models 5-45x slower than one thread (measured). ``RLGEN_THREADS`` overrides."""
    override = os.environ.get("RLGEN_THREADS")
    if override:
        return max(1, int(override))
    cores = cpu_count()
    return 1 if cores <= 2 else min(cores, 8)


def _set_process_environment() -> None:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    if not REAL_WEIGHTS:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    if cpu_count() <= 2:
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        # the tokenizers' thread pool cost ~2.5 ms per small batch on a busy 2-core box, 40x the work itself
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("OMP_NUM_THREADS", str(torch_threads()))
    # gradio rebuilds a pandas summary of its last events after every event by default: under a crowd that
    # was a few percent of the server's CPU for a dashboard this app does not show
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "200")


def _limit_malloc_arenas(arenas: int = 2, mmap_threshold: int = 1 << 20) -> None:
    """glibc gives each of a server's many worker threads its own malloc arena and keeps their freed memory:
    the resident size then creeps up with every new thread that serves a request. Two arenas bound that
    (``mallopt(M_ARENA_MAX)``, the same as ``MALLOC_ARENA_MAX=2``). And glibc raises its mmap threshold each time
    a large block is freed, up to 32 MB, after which big temporary buffers (tensors, encoded images) come from
    the heap and leave it fragmented: a fixed 1 MB threshold returns them to the system when freed (measured
    under 20 sessions: +66 MB over 300 requests before, +19 MB after). A no-op off glibc or where the
    ``MALLOC_*`` variables already decide."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        if not os.environ.get("MALLOC_ARENA_MAX"):
            libc.mallopt(-8, arenas)  # M_ARENA_MAX
        if not os.environ.get("MALLOC_MMAP_THRESHOLD_"):
            libc.mallopt(-3, mmap_threshold)  # M_MMAP_THRESHOLD (fixing it also stops the dynamic raise)
    except (OSError, AttributeError):
        pass


def _shorter_gil_turns() -> None:
    """A server thread running a small torch model gives up the GIL at every op and then waits up to the switch
    interval (5 ms by default) to get it back while other requests' threads run Python: a 40-token reply makes
    thousands of such hand-overs. 1 ms turns keep such a reply from queueing behind a room's clicks."""
    import sys

    sys.setswitchinterval(float(os.environ.get("RLGEN_GIL_SWITCH_S", "0.001")))


_set_process_environment()
_limit_malloc_arenas()
_shorter_gil_turns()


@cache
def configure_torch() -> str:
    """Import torch with this process's thread policy applied; returns the device name. Idempotent."""
    import torch

    torch.set_num_threads(torch_threads())
    return "cuda" if torch.cuda.is_available() else "cpu"


def device() -> str:
    return configure_torch()


_INIT_LOCK = threading.RLock()


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """Draws from torch's global generator that depend on ``seed`` alone: module initialisers and transformers'
    ``generate`` draw from the generator every thread of a server shares, so inside this block they are made under
    one lock from a forked generator seeded with ``seed``, and the process's generator is left as it was. Other
    draws (batches, noise, sampling) take their own ``torch.Generator`` and need no lock."""
    import torch

    with _INIT_LOCK, torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


def seed_everything(seed: int) -> np.random.Generator:
    """Seed python, numpy and (if loaded) torch; returns a fresh numpy Generator for the caller."""
    random.seed(seed)
    np.random.seed(seed % 2**32)
    import sys

    if "torch" in sys.modules:
        sys.modules["torch"].manual_seed(seed)
    return np.random.default_rng(seed)


# diffusers' from_pretrained builds a model inside accelerate's init_empty_weights by default, which patches
# nn.Module.register_parameter for the whole process: a module another session builds at that moment (a live DDPG
# agent, a generative-lab net) gets parameters on the meta device and fails later (measured: 18 of 3,000 modules
# built beside a pipeline load). Every diffusers load in rlgen passes these options instead (load_pretrained).
DIFFUSERS_LOAD = {"low_cpu_mem_usage": False}

# transformers' from_pretrained swaps process-wide functions while it builds a model (PreTrainedModel.tie_weights,
# torch.linspace) and puts back what it found: two loads at once in two threads can put back the swapped one and
# leave weight tying off for the life of the process (a tied lm_head then stays on the meta device: "Tensor on device
# cpu is not on the expected device meta", seen on a DPO reply made beside KimiVL's load). Every model load in rlgen,
# diffusers' too (its pipelines load transformers text encoders), holds this lock (load_pretrained); so does making a
# tab's opening.
MODEL_LOADING = threading.RLock()


def load_pretrained(cls, *args, **kwargs):
    """``cls.from_pretrained(*args, **kwargs)`` as every model load in rlgen makes it: holding
    :data:`MODEL_LOADING`, and for a diffusers class with :data:`DIFFUSERS_LOAD`."""
    if any(klass.__module__.startswith("diffusers.") for klass in cls.__mro__):
        kwargs = {**DIFFUSERS_LOAD, **kwargs}
    with MODEL_LOADING:
        return cls.from_pretrained(*args, **kwargs)


def checkpoint_path(name: str) -> Path:
    return CHECKPOINT_DIR / name


class Courtesy:
    """Heavy work steps aside while a person waits for a reply.

    A server's requests share one interpreter: a training loop in one thread takes turns with a click's reply in
    another, so a room's replies slow down while anyone trains (measured: a DPO reply's p95 went from 0.66 s
    without training to 4.3 s with four trainings running). Work a person waits on runs inside :meth:`serving`;
    a heavy loop calls :meth:`step_aside` once per step, which costs one read when nobody waits and otherwise
    holds the loop until the replies are out, at most ``max_wait_s`` per step so that training still advances in a
    busy room. A thread that is itself serving never waits. :meth:`install` makes every torch optimizer step a
    place to step aside, so training loops need no call of their own. Thread-safe; one per process
    (:data:`COURTESY`)."""

    def __init__(self, max_wait_s: float = 0.25):
        self.max_wait_s = max_wait_s
        self._serving = 0
        self._changed = threading.Condition()
        self._mine = threading.local()
        self._hook = None

    @contextmanager
    def serving(self) -> Iterator[None]:
        depth = getattr(self._mine, "depth", 0)
        self._mine.depth = depth + 1
        with self._changed:
            self._serving += 1
        try:
            yield
        finally:
            self._mine.depth = depth
            with self._changed:
                self._serving -= 1
                if not self._serving:
                    self._changed.notify_all()

    @property
    def waiting(self) -> int:
        """How many replies are being computed right now."""
        return self._serving

    def step_aside(self) -> None:
        if not self._serving or getattr(self._mine, "depth", 0):  # nobody waits, or this thread is the reply
            return
        with self._changed:
            self._changed.wait_for(lambda: not self._serving, timeout=self.max_wait_s)

    def install(self) -> None:
        """Step aside before every optimizer step in this process (a server calls this once; idempotent)."""
        if self._hook is None:
            from torch.optim.optimizer import register_optimizer_step_pre_hook

            self._hook = register_optimizer_step_pre_hook(lambda optimizer, args, kwargs: self.step_aside())


COURTESY = Courtesy()
