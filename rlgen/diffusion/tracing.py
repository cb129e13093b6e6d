"""Inference-time forward passes of the UNet and the ControlNet recorded with ``torch.jit.trace`` (as diffusers'
own speed-up guide traces the UNet). On one CPU thread these tiny models spend about as long in diffusers'
Python (module dispatch, config checks, reshapes) as in arithmetic. Measured on this box for one guided UNet
call (batch 2): eager 12.0 ms; traced 7.1 ms, bit-identical; ``torch.export`` 11.8 ms; ``torch.compile``
(inductor) 7.4 ms but 91 s to compile and not bit-identical. torch 2.13 marks ``jit.trace`` deprecated; where
tracing is unavailable or fails, the eager call stays.

A trace replays the ops recorded for one set of input shapes and dtypes, so one is kept per such signature. Making
one costs 0.2-1.3 s (recording, then TorchScript's profiling runs), more than a whole 20-step image. So a signature
seen for the first time runs eagerly and is queued; a background thread makes the queued traces once the models
have been idle for ``IDLE_S`` (made at once, they ran beside the request that asked for them and, sharing the
interpreter lock, made it 2.2x slower: 3.0 s against 1.35 s eager for the tab's first 4-image request). No request
waits for a trace; later ones get it. Each trace shares the module's parameters (no copy of the weights) and holds
no reference to the module, so the cache forgets a model that is gone."""

from __future__ import annotations

import atexit
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from weakref import WeakKeyDictionary

import torch
from diffusers import ControlNetModel, SD3Transformer2DModel, UNet2DConditionModel
from torch import nn

# diffusers' shape checks become constants of a trace, true for the signature it is keyed by; the deprecation is
# known (see above). Filters are process-wide (``catch_warnings`` is not thread-safe), so these name the messages.
warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
warnings.filterwarnings("ignore", message=r"`torch\.jit\.trace(_method)?` is deprecated", category=DeprecationWarning)

_TRACES: WeakKeyDictionary[nn.Module, dict[tuple, nn.Module | None]] = WeakKeyDictionary()  # None: not (yet) made
_QUEUE: list[tuple[dict, tuple, nn.Module, tuple]] = []  # (that module's traces, key, wrapper, example inputs)
_LOCK = threading.Lock()  # gradio runs handlers in threads; trace each signature once
IDLE_S = 0.5  # make traces only after this long without a model call


class _State:
    worker: threading.Thread | None = None
    last_call = 0.0  # time.monotonic() of the latest traceable call


@atexit.register
def _drop_queue_at_exit() -> None:
    """Let the worker finish the trace it is making and no other: a daemon thread still inside torch's C++ when
    the interpreter shuts down aborts the process ("terminate called without an active exception")."""
    with _LOCK:
        _QUEUE.clear()
        worker = _State.worker
    if worker is not None:
        worker.join()


_EAGER = threading.local()
# TorchScript's executor profiles a graph's first runs (~130-250 ms each here) before optimising it (~8 % faster
# afterwards); the worker does them, so every call that gets the trace runs at the steady speed
PROFILING_RUNS = 2


@contextmanager
def eager() -> Iterator[None]:
    """Inside this block every call runs the eager modules (what the benchmark compares the traces with)."""
    previous = getattr(_EAGER, "on", False)
    _EAGER.on = True
    try:
        yield
    finally:
        _EAGER.on = previous


class _UNetCall(nn.Module):
    def __init__(self, unet: UNet2DConditionModel) -> None:
        super().__init__()
        self.unet = unet

    def forward(self, x: torch.Tensor, t: torch.Tensor, cond: torch.Tensor) -> torch.Tensor:
        return self.unet(x, t, encoder_hidden_states=cond, return_dict=False)[0]


class _UNetWithResidualsCall(_UNetCall):
    def forward(self, x: torch.Tensor, t: torch.Tensor, cond: torch.Tensor, down: tuple[torch.Tensor, ...],
                mid: torch.Tensor) -> torch.Tensor:
        return self.unet(x, t, encoder_hidden_states=cond, down_block_additional_residuals=down,
                         mid_block_additional_residual=mid, return_dict=False)[0]


class _ControlNetCall(nn.Module):
    """The ControlNet at conditioning scale 1 (a Python float would be frozen into the trace; the caller
    scales the residuals, which multiplies by the same number the eager model would)."""

    def __init__(self, controlnet: ControlNetModel) -> None:
        super().__init__()
        self.controlnet = controlnet

    def forward(self, x: torch.Tensor, t: torch.Tensor, cond: torch.Tensor,
                control: torch.Tensor) -> tuple[tuple[torch.Tensor, ...], torch.Tensor]:
        down, mid = self.controlnet(x, t, encoder_hidden_states=cond, controlnet_cond=control, return_dict=False)
        return tuple(down), mid


class _TransformerCall(nn.Module):
    """The MMDiT (``SD3Transformer2DModel``): patches and caption tokens in, velocity out."""

    def __init__(self, transformer: SD3Transformer2DModel) -> None:
        super().__init__()
        self.transformer = transformer

    def forward(self, x: torch.Tensor, t: torch.Tensor, text: torch.Tensor, pooled: torch.Tensor) -> torch.Tensor:
        return self.transformer(x, encoder_hidden_states=text, pooled_projections=pooled, timestep=t,
                                return_dict=False)[0]


def _signature(inputs: tuple) -> tuple:
    return tuple(_signature(a) if isinstance(a, tuple) else (tuple(a.shape), a.dtype, a.device) for a in inputs)


def traceable(module: nn.Module, *tensors: torch.Tensor) -> bool:
    """Whether a traced call may replace the eager one: inference (no autograd, eval mode) on a plain module."""
    return (not torch.is_grad_enabled() and not module.training and not hasattr(module, "_hf_hook")
            and not getattr(_EAGER, "on", False)
            and all(isinstance(t, torch.Tensor) for t in tensors))


def _traced(module: nn.Module, wrapper: type[nn.Module], inputs: tuple) -> nn.Module | None:
    """The trace of ``wrapper(module)`` for the signature of ``inputs`` if it is made; else None (run eagerly),
    and on first sight of the signature it is queued for the background thread."""
    key = (wrapper, _signature(inputs))
    with _LOCK:
        _State.last_call = time.monotonic()
        traces = _TRACES.setdefault(module, {})
        if key in traces:
            return traces[key]
        traces[key] = None  # until the worker replaces it (and for good if tracing fails)
        _QUEUE.append((traces, key, wrapper(module).eval(), inputs))
        if _State.worker is None:
            _State.worker = threading.Thread(target=_work, name="rlgen-trace", daemon=True)
            _State.worker.start()
    return None


def wait_for_traces() -> None:
    """Block until every queued trace is made (benchmarks and tests, which time or check the traces)."""
    while True:
        with _LOCK:
            worker = _State.worker
        if worker is None:
            return
        worker.join()


def _work() -> None:
    while True:
        with _LOCK:
            if not _QUEUE:
                _State.worker = None
                return
            wait = IDLE_S - (time.monotonic() - _State.last_call)
            job = _QUEUE.pop(0) if wait <= 0 else None
        if job is None:
            time.sleep(wait)
        else:
            _trace_into(*job)


def _trace_into(traces: dict, key: tuple, call: nn.Module, inputs: tuple) -> None:
    with torch.no_grad():  # grad mode is per thread
        try:
            traced = torch.jit.trace(call, inputs, check_trace=False)
            for _ in range(PROFILING_RUNS):
                traced(*inputs)
        except Exception:  # noqa: BLE001 - any failure to trace means: keep running eagerly
            return
    with _LOCK:
        traces[key] = traced


def unet_forward(unet: UNet2DConditionModel, x: torch.Tensor, t: torch.Tensor, cond: torch.Tensor,
                 down: tuple[torch.Tensor, ...] | None = None, mid: torch.Tensor | None = None) -> torch.Tensor:
    """``unet(x, t, encoder_hidden_states=cond, ...)[0]``, traced when :func:`traceable` and the trace is ready."""
    if traceable(unet, x, t, cond):
        if down is None:
            traced = _traced(unet, _UNetCall, (x, t, cond))
            if traced is not None:
                return traced(x, t, cond)
        else:
            inputs = (x, t, cond, tuple(down), mid)
            traced = _traced(unet, _UNetWithResidualsCall, inputs)
            if traced is not None:
                return traced(*inputs)
    residuals = {} if down is None else {"down_block_additional_residuals": down, "mid_block_additional_residual": mid}
    return unet(x, t, encoder_hidden_states=cond, return_dict=False, **residuals)[0]


def controlnet_forward(controlnet: ControlNetModel, x: torch.Tensor, t: torch.Tensor, cond: torch.Tensor,
                       control: torch.Tensor, scale: float) -> tuple[tuple[torch.Tensor, ...], torch.Tensor]:
    """``controlnet(x, t, encoder_hidden_states=cond, controlnet_cond=control, conditioning_scale=scale)``,
    traced when :func:`traceable` and the trace is ready."""
    if traceable(controlnet, x, t, cond, control):
        traced = _traced(controlnet, _ControlNetCall, (x, t, cond, control))
        if traced is not None:
            down, mid = traced(x, t, cond, control)
            return tuple(d * scale for d in down), mid * scale
    down, mid = controlnet(x, t, encoder_hidden_states=cond, controlnet_cond=control, conditioning_scale=scale,
                           return_dict=False)
    return tuple(down), mid


def transformer_forward(transformer: SD3Transformer2DModel, x: torch.Tensor, t: torch.Tensor, text: torch.Tensor,
                        pooled: torch.Tensor) -> torch.Tensor:
    """``transformer(x, encoder_hidden_states=text, pooled_projections=pooled, timestep=t)[0]``, traced when
    :func:`traceable` and the trace is ready."""
    if traceable(transformer, x, t, text, pooled):
        traced = _traced(transformer, _TransformerCall, (x, t, text, pooled))
        if traced is not None:
            return traced(x, t, text, pooled)
    return transformer(x, encoder_hidden_states=text, pooled_projections=pooled, timestep=t, return_dict=False)[0]
