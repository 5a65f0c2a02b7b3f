"""Input checks, seasonal periods and the Spring Festival adjustment (内部工具)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from ..errors import ParameterError
from .calendar import festival_regressor

__all__: list[str] = []

_PERIODS = {"M": 12, "Q": 4, "Y": 1, "A": 1}


def seasonal_period(index: pd.PeriodIndex) -> int:
    """Return 12, 4 or 1 for a monthly, quarterly or annual PeriodIndex."""
    code = index.freqstr.split("-")[0].rstrip("E")
    if code not in _PERIODS:
        raise ParameterError(
            f"forecast needs a monthly, quarterly or annual PeriodIndex; got frequency "
            f"{index.freqstr!r}"
        )
    return _PERIODS[code]


def check_series(y, name: str = "y") -> pd.Series:
    """Validate a series for forecasting and return it as float64 (a copy)."""
    if not isinstance(y, pd.Series):
        raise ParameterError(f"{name} must be a pandas Series with a PeriodIndex, got {type(y).__name__}")
    if not isinstance(y.index, pd.PeriodIndex):
        raise ParameterError(
            f"{name} must have a PeriodIndex (monthly, quarterly or annual), got "
            f"{type(y.index).__name__}; use series.to_period('M') on a DatetimeIndex"
        )
    seasonal_period(y.index)
    if len(y) == 0:
        raise ParameterError(f"{name} is empty; expected at least one observation")
    try:
        values = pd.to_numeric(y, errors="raise").astype("float64")
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must hold numbers (US dollars), got dtype {y.dtype}") from None
    if not y.index.is_monotonic_increasing or y.index.has_duplicates:
        raise ParameterError(f"{name}'s periods must be unique and in increasing order")
    full = pd.period_range(y.index[0], y.index[-1], freq=y.index.freq)
    if len(full) != len(y):
        missing = full.difference(y.index)
        raise ParameterError(
            f"{name} has gaps: {len(missing)} missing period(s), first {missing[0]}; "
            "expected consecutive periods (fill known zeros with 0, not NaN)"
        )
    bad = ~np.isfinite(values.to_numpy())
    if bad.any():
        first = y.index[np.flatnonzero(bad)[0]]
        raise ParameterError(
            f"{name} has {int(bad.sum())} missing or infinite value(s), first at {first}; "
            "expected finite numbers in every period"
        )
    return pd.Series(values.to_numpy(), index=y.index, name=y.name)


def check_levels(levels) -> tuple[int, ...]:
    """Validate interval levels (percent, 0 < level < 100), return them sorted."""
    try:
        out = tuple(sorted({int(v) if float(v).is_integer() else float(v) for v in levels}))
    except (TypeError, ValueError):
        raise ParameterError(f"levels must be numbers in percent such as (80, 95), got {levels!r}") from None
    if not out or any(not 0 < v < 100 for v in out):
        raise ParameterError(f"levels must lie strictly between 0 and 100 percent, got {levels!r}")
    return out


def probs_for(levels) -> list[float]:
    """Lower then upper probabilities for each level, widest first."""
    lows = [(1 - lv / 100) / 2 for lv in sorted(levels, reverse=True)]
    return lows + [1 - p for p in reversed(lows)]


@lru_cache(maxsize=256)
def _regressor(first_ordinal: int, n: int) -> np.ndarray:
    """Festival regressor for ``n`` months from a period ordinal (cached, read-only)."""
    idx = pd.period_range(pd.Period(ordinal=first_ordinal, freq="M"), periods=n, freq="M")
    out = festival_regressor(idx).to_numpy()
    out.flags.writeable = False
    return out


@dataclass
class Festival:
    """Spring Festival adjustment: multiplicative (log) or additive (level)."""

    beta: float
    kind: str  # "log", "level" or "none"
    hist: np.ndarray
    future: np.ndarray

    def adjust(self, values: np.ndarray) -> np.ndarray:
        """Remove the festival effect from history."""
        if self.kind == "log":
            return values * np.exp(-self.beta * self.hist)
        if self.kind == "level":
            return values - self.beta * self.hist
        return values

    def restore(self, arr: np.ndarray, axis: int) -> np.ndarray:
        """Add the effect back to a forecast array whose ``axis`` runs over horizons."""
        if self.kind == "none":
            return arr
        shape = [1] * np.ndim(arr)
        shape[axis] = len(self.future)
        f = self.future.reshape(shape)
        if self.kind == "log":
            return arr * np.exp(self.beta * f)
        return arr + self.beta * f


def festival(values: np.ndarray, periods: pd.PeriodIndex, h: int, use: bool, log: bool) -> Festival:
    """Estimate the festival effect by OLS on seasonal differences (Δ12) and return it."""
    none = Festival(0.0, "none", np.zeros(len(values)), np.zeros(h))
    if not use or seasonal_period(periods) != 12 or len(values) < 36 or periods[0].year < 1983:
        return none
    x_all = _regressor(periods[0].ordinal, len(values) + h)
    x_hist, x_fut = x_all[: len(values)], x_all[len(values):]
    z = np.log(values) if log else values
    dz = z[12:] - z[:-12]
    dx = x_hist[12:] - x_hist[:-12]
    dxc = dx - dx.mean()
    denom = float(np.sum(dxc**2))
    if denom <= 1e-12:
        return none
    beta = float(np.sum(dxc * (dz - dz.mean())) / denom)
    return Festival(beta, "log" if log else "level", x_hist, x_fut)
