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
    """Validate a series for forecasting and return it as float64 (a copy).

    Real numbers only: booleans, dates, durations and complex values are refused
    with a :class:`ParameterError` rather than silently converted.
    """
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
    values = _real_values(y, name)
    if not y.index.is_monotonic_increasing or y.index.has_duplicates:
        raise ParameterError(f"{name}'s periods must be unique and in increasing order")
    full = pd.period_range(y.index[0], y.index[-1], freq=y.index.freq)
    if len(full) != len(y):
        missing = full.difference(y.index)
        raise ParameterError(
            f"{name} has gaps: {len(missing)} missing period(s), first {missing[0]}; "
            "expected consecutive periods (fill known zeros with 0, not NaN)"
        )
    bad = ~np.isfinite(values)
    if bad.any():
        first = y.index[np.flatnonzero(bad)[0]]
        raise ParameterError(
            f"{name} has {int(bad.sum())} missing or infinite value(s), first at {first}; "
            "expected finite numbers in every period"
        )
    out = pd.Series(values, index=y.index, name=y.name)
    # provenance only (real or synthetic, and the source), for the result's summary
    out.attrs = {k: y.attrs[k] for k in ("synthetic", "source") if k in y.attrs}
    return out


def _real_values(y: pd.Series, name: str) -> np.ndarray:
    """Return the values as float64, refusing anything that is not a real number."""
    dtype = y.dtype
    expected = "expected real numbers (US dollars)"
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_complex_dtype(dtype) \
            or pd.api.types.is_datetime64_any_dtype(dtype) or pd.api.types.is_timedelta64_dtype(dtype) \
            or isinstance(dtype, pd.PeriodDtype):
        raise ParameterError(f"{name} has dtype {dtype}; {expected}")
    if pd.api.types.is_numeric_dtype(dtype):
        return y.to_numpy(dtype="float64", na_value=np.nan)
    # object or string columns: every entry must be a real number (or missing)
    out = np.empty(len(y))
    for i, v in enumerate(y.to_numpy(dtype=object)):
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
            out[i] = np.nan
        elif isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)):
            raise ParameterError(f"{name} holds {v!r} ({type(v).__name__}) at {y.index[i]}; {expected}")
        else:
            out[i] = float(v)
    return out


def check_levels(levels) -> tuple[int, ...]:
    """Validate interval levels and return them sorted.

    Levels are percentages strictly between 0 and 100, e.g. ``(80, 95)``; a single
    number such as ``95`` means one level. Strings are refused (``"95"`` is not
    read character by character), and so are fractions such as ``(0.8, 0.95)``:
    percent is meant, and ``0.8`` percent intervals are almost certainly a slip.

    Examples
    --------
    >>> check_levels(95), check_levels([95, 80])
    ((95,), (80, 95))
    """
    if isinstance(levels, (str, bytes)):
        raise ParameterError(f"levels must be numbers in percent such as (80, 95), got the string {levels!r}")
    if isinstance(levels, (int, float, np.integer, np.floating)) and not isinstance(levels, bool):
        levels = (levels,)
    try:
        items = list(levels)
        if any(isinstance(v, (str, bytes, bool, np.bool_)) for v in items):
            raise TypeError
        out = tuple(sorted({int(v) if float(v).is_integer() else float(v) for v in items}))
    except (TypeError, ValueError):
        raise ParameterError(f"levels must be numbers in percent such as (80, 95), got {levels!r}") from None
    if not out or any(not 0 < v < 100 for v in out):
        raise ParameterError(f"levels must lie strictly between 0 and 100 percent, got {levels!r}")
    if all(v < 1 for v in out):
        raise ParameterError(
            f"levels are percentages, got {levels!r}; for 80 % and 95 % intervals write (80, 95)")
    return out


def check_candidate_names(candidates) -> None:
    """Refuse a candidate named twice (each name is one model, fitted and weighted once)."""
    if candidates is None or isinstance(candidates, str):
        return
    names = [str(c) for c in candidates]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ParameterError(f"candidates name {twice} more than once, got {names}; give each model once")


def bounds(levels) -> list[str]:
    """Interval bound columns in table order: ``lower_<L>``, ``upper_<L>`` for each level."""
    return [f"{side}_{lv}" for lv in levels for side in ("lower", "upper")]


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
