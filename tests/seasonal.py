"""Seeded monthly test series shared by the forecasting tests (季节性序列)."""

from __future__ import annotations

import numpy as np


def seasonal_path(rng: np.random.Generator, n: int, noise: float) -> np.ndarray:
    """Return ``n`` months: a random level, 1 % growth a month, a sine season, log-normal noise.

    The level is drawn before the noise, so a caller's stream of draws is fixed by the order
    of its calls.
    """
    season = 1 + 0.2 * np.sin(np.arange(n) * np.pi / 6)
    level = rng.uniform(1e6, 5e6)
    return level * season * 1.01 ** np.arange(n) * np.exp(rng.normal(0, noise, n))
