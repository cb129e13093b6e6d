"""Autoregressive likelihood models on scikit-learn's 8×8 digits, binarized: the chain rule
p(x) = Π_i p(x_i | x_<i) with each conditional a logistic regression (FVSBN, Frey 1998) or a shared-weight
one-hidden-layer net (NADE, Larochelle & Murray 2011). Both give the exact log-likelihood, so the held-out
negative log-likelihood in bits per image compares them fairly with the independent-Bernoulli baseline."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from rlgen import runtime

runtime.configure_torch()
import torch  # noqa: E402
from torch import nn  # noqa: E402
from torch.nn import functional as F  # noqa: E402

from rlgen.errors import InputError  # noqa: E402

SIDE = 8
N_PIXELS = SIDE * SIDE
THRESHOLD = 8  # of 16 grey levels: a pixel is on when at least half lit
MAX_AR_STEPS = 5000
MAX_HIDDEN = 256


@cache
def _digits() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits  # ships with scikit-learn: no download

    bunch = load_digits()
    return (bunch.data >= THRESHOLD).astype(np.float32), bunch.target


def binarized_digits(test_fraction: float = 0.2, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(train, test) binary images, n×64 in raster order; a fixed seeded split of the 1,797 digits."""
    images, _ = _digits()
    order = np.random.default_rng(seed).permutation(len(images))
    n_test = int(round(test_fraction * len(images)))
    return images[order[n_test:]], images[order[:n_test]]


def bits(nats: torch.Tensor | float) -> float:
    return float(nats) / math.log(2)


@dataclass
class BernoulliBaseline:
    """Every pixel independent: p(x) = Π_i p_i^x_i (1−p_i)^(1−x_i), p_i the smoothed training frequency."""

    probs: np.ndarray

    @classmethod
    def fit(cls, train: np.ndarray) -> BernoulliBaseline:
        return cls((train.sum(0) + 1) / (len(train) + 2))  # Laplace: no pixel gets probability 0 or 1

    def nll_bits(self, x: np.ndarray) -> float:
        """Mean negative log₂-likelihood per image."""
        log_p = x * np.log2(self.probs) + (1 - x) * np.log2(1 - self.probs)
        return float(-log_p.sum(1).mean())


class FVSBN(nn.Module):
    """Fully visible sigmoid belief net: p(x_i = 1 | x_<i) = σ(b_i + Σ_{j<i} W_ij x_j)."""

    name = "FVSBN"

    def __init__(self, bias: np.ndarray | None = None) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(N_PIXELS, N_PIXELS))
        self.bias = nn.Parameter(torch.as_tensor(bias, dtype=torch.float32) if bias is not None
                                 else torch.zeros(N_PIXELS))
        self.register_buffer("mask", torch.tril(torch.ones(N_PIXELS, N_PIXELS), diagonal=-1))

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        return x @ (self.weight * self.mask).T + self.bias

    def penalty(self) -> torch.Tensor:
        return (self.weight * self.mask).pow(2).sum()


class NADE(nn.Module):
    """h_i = σ(c + W_{:,<i} x_<i), p(x_i = 1 | x_<i) = σ(b_i + V_i · h_i). W is shared by all 64 conditionals:
    conditional i sees the same weights as conditional i−1 plus one more column."""

    name = "NADE"

    def __init__(self, hidden: int = 32, bias: np.ndarray | None = None, seed: int = 0) -> None:
        super().__init__()
        if not 1 <= hidden <= MAX_HIDDEN:
            raise InputError("NADE's hidden size must lie between 1 and {max_hidden} (got {hidden}).",
                             max_hidden=MAX_HIDDEN, hidden=hidden)
        gen = torch.Generator().manual_seed(seed)
        self.W = nn.Parameter(0.05 * torch.randn(hidden, N_PIXELS, generator=gen))
        self.c = nn.Parameter(torch.zeros(hidden))
        self.V = nn.Parameter(0.05 * torch.randn(N_PIXELS, hidden, generator=gen))
        self.b = nn.Parameter(torch.as_tensor(bias, dtype=torch.float32) if bias is not None
                              else torch.zeros(N_PIXELS))
        self.register_buffer("mask", torch.tril(torch.ones(N_PIXELS, N_PIXELS), diagonal=-1))

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        # Row i of the strictly lower mask keeps pixels j < i: B×64×64 @ 64×H gives every h_i at once
        # (a batched matmul; ~1.7× faster here than the classic running cumulative sum).
        h = torch.sigmoid((x[:, None, :] * self.mask[None]) @ self.W.T + self.c)
        return (h * self.V[None]).sum(-1) + self.b

    def penalty(self) -> torch.Tensor:
        return self.W.pow(2).sum() + self.V.pow(2).sum()


MODELS = {"FVSBN": FVSBN, "NADE": NADE}


def nll_bits(model: FVSBN | NADE, x: np.ndarray | torch.Tensor) -> float:
    """Exact mean −log₂ p(x) per image: −Σ_i log p(x_i | x_<i), each term a Bernoulli cross-entropy."""
    xt = torch.as_tensor(x, dtype=torch.float32)
    with torch.no_grad():
        nats = F.binary_cross_entropy_with_logits(model.logits(xt), xt, reduction="none").sum(1).mean()
    return bits(nats)


@dataclass
class ARFrame:
    """One snapshot: train and held-out NLL (bits/image), the baseline's held-out NLL, and the model."""

    step: int
    total_steps: int
    train_bits: float
    test_bits: float
    baseline_bits: float
    model: FVSBN | NADE
    history: list[tuple[int, float, float]] = field(default_factory=list)  # (step, train, test)


def train_autoregressive(kind: str = "NADE", *, steps: int = 800, lr: float = 0.01, weight_decay: float = 1e-3,
                         hidden: int = 32, batch: int = 128, seed: int = 0, every: int = 25) -> Iterator[ARFrame]:
    """Maximum likelihood by minibatch Adam on the training digits, with an L2 penalty
    ``weight_decay``·‖W‖² per image (1,438 images do not pin down 2,016 FVSBN weights on their own)."""
    if kind not in MODELS:
        raise InputError("Unknown model {kind!r}; choose one of: {models}.", kind=kind, models=', '.join(MODELS))
    if not 1 <= steps <= MAX_AR_STEPS:
        raise InputError("Training steps must lie between 1 and {max_ar_steps} (got {steps}).",
                         max_ar_steps=MAX_AR_STEPS, steps=steps)
    if not 0 < lr <= 0.5:
        raise InputError("The learning rate must lie in (0, 0.5] (got {lr}).", lr=lr)
    if not 1 <= batch <= 2000:
        raise InputError("The batch size must lie between 1 and 2000 (got {batch}).", batch=batch)
    if not 0 <= weight_decay <= 1:
        raise InputError("The weight decay must lie in [0, 1] (got {weight_decay}).", weight_decay=weight_decay)
    train, test = binarized_digits()
    baseline = BernoulliBaseline.fit(train)
    # Start from the baseline: with zero weights both models are exactly the independent-Bernoulli model.
    bias = np.log(baseline.probs / (1 - baseline.probs))
    with runtime.seeded(seed):
        model = FVSBN(bias) if kind == "FVSBN" else NADE(hidden, bias, seed)
    x_train = torch.as_tensor(train)
    gen = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    baseline_bits = baseline.nll_bits(test)
    history: list[tuple[int, float, float]] = []
    for step in range(1, steps + 1):
        x = x_train[torch.randint(0, len(x_train), (min(batch, len(x_train)),), generator=gen)]
        nats = F.binary_cross_entropy_with_logits(model.logits(x), x, reduction="none").sum(1).mean()
        loss = nats + weight_decay * model.penalty()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % every == 0 or step == steps or step == 1:
            history.append((step, nll_bits(model, x_train), nll_bits(model, test)))
            yield ARFrame(step, steps, history[-1][1], history[-1][2], baseline_bits, model, history)


def conditionals(model: FVSBN | NADE, image: np.ndarray) -> np.ndarray:
    """p(x_i = 1 | x_<i) for every pixel i of one image (64 values): how sure the model was at each step."""
    with torch.no_grad():
        return torch.sigmoid(model.logits(torch.as_tensor(image, dtype=torch.float32)[None]))[0].numpy()


@dataclass
class PixelFrame:
    """After drawing pixel ``index``: the image so far (−1 where not drawn yet), the conditional probability each
    drawn pixel had, and p(next pixel = 1 | everything drawn) for the pixel about to be drawn."""

    index: int
    image: np.ndarray
    probs: np.ndarray
    p_next: float | None


def sample_pixels(model: FVSBN | NADE, seed: int, prefix: np.ndarray | None = None) -> Iterator[PixelFrame]:
    """Ancestral sampling in raster order, one pixel per frame: x_i ~ Bernoulli(p(x_i = 1 | x_<i)). A ``prefix``
    (the first k pixels of an image) is kept as given, so the model completes a half-drawn digit."""
    rng = np.random.default_rng(seed)
    fixed = np.asarray(prefix if prefix is not None else [], dtype=np.float32).ravel()
    if len(fixed) > N_PIXELS or not np.isin(fixed, (0, 1)).all():
        raise InputError("A prefix holds at most {n_pixels} pixels, each 0 or 1.", n_pixels=N_PIXELS)
    image = np.full(N_PIXELS, -1.0, dtype=np.float32)
    probs = np.full(N_PIXELS, np.nan, dtype=np.float32)
    for i in range(N_PIXELS):
        # The conditional for pixel i reads only pixels < i, so the undrawn −1s (zeroed here) never matter.
        p = float(conditionals(model, np.where(image < 0, 0, image))[i])
        probs[i] = p
        image[i] = fixed[i] if i < len(fixed) else float(rng.uniform() < p)
        p_next = float(conditionals(model, np.where(image < 0, 0, image))[i + 1]) if i + 1 < N_PIXELS else None
        yield PixelFrame(i, image.copy(), probs.copy(), p_next)


def sample_images(model: FVSBN | NADE, n: int, seed: int) -> np.ndarray:
    """n complete samples at once (n×64), each pixel drawn from its conditional in raster order."""
    if not 1 <= n <= 1000:
        raise InputError("Draw between 1 and 1000 images at once (got {n}).", n=n)
    gen = torch.Generator().manual_seed(seed)
    x = torch.zeros(n, N_PIXELS)
    with torch.no_grad():
        for i in range(N_PIXELS):
            p = torch.sigmoid(model.logits(x)[:, i])
            x[:, i] = (torch.rand(n, generator=gen) < p).float()
    return x.numpy()
