"""Sample quality: the maximum mean discrepancy between two point clouds (Gretton et al., 2012)."""

from __future__ import annotations

import numpy as np

from rlgen.errors import InputError

BANDWIDTHS = (0.1, 0.2, 0.5, 1.0)


def _sq_dists(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.maximum((a**2).sum(1)[:, None] + (b**2).sum(1)[None] - 2 * a @ b.T, 0.0)


def mmd2(x: np.ndarray, y: np.ndarray, bandwidths: tuple[float, ...] = BANDWIDTHS) -> float:
    """Unbiased MMD² = E k(x,x') + E k(y,y') − 2 E k(x,y), with k the sum of Gaussian kernels
    exp(−‖a−b‖² / 2h²) over ``bandwidths`` (several widths see both coarse and fine mismatch)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if len(x) < 2 or len(y) < 2 or x.shape[1:] != y.shape[1:]:
        raise InputError("MMD needs two point sets of the same dimension with at least 2 points each.")
    dxx, dyy, dxy = _sq_dists(x, x), _sq_dists(y, y), _sq_dists(x, y)
    total = 0.0
    for h in bandwidths:
        kxx, kyy, kxy = (np.exp(-d / (2 * h * h)) for d in (dxx, dyy, dxy))
        m, n = len(x), len(y)
        total += (kxx.sum() - np.trace(kxx)) / (m * (m - 1)) + (kyy.sum() - np.trace(kyy)) / (n * (n - 1))
        total -= 2 * kxy.mean()
    return float(total)
