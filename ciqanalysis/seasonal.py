"""Seasonal adjustment with the Spring Festival taken out (季节调整，剔除春节因素).

:func:`seasonally_adjust` splits a monthly series into trend, a fixed-calendar
seasonal factor and a Spring Festival factor, on logarithms: STL (statsmodels,
robust) estimates trend and seasonal pattern; the festival effect is a regression
on :func:`ciqanalysis.forecast.calendar.festival_regressor` (the share of the
festival window falling in each month) against fixed month effects around the
STL trend, the two alternated until the festival coefficient settles. The seasonally adjusted series (季调后) is the observed value
divided by both factors. :func:`growth_3m3m` gives the momentum economists read:
the last three months of the adjusted series against the three before,
annualised (3个月环比年率).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import ParameterError

__all__ = ["seasonally_adjust", "growth_3m3m", "cannot_adjust"]

#: Shortest monthly series seasonally adjusted (three years: STL needs two full cycles
#: and the festival regression a third year to separate the two effects).
MIN_MONTHS = 36


def _check_monthly(x: pd.Series, name: str) -> None:
    if not isinstance(x, pd.Series) or not isinstance(x.index, pd.PeriodIndex) or \
            x.index.freqstr not in ("M", "ME"):
        raise ParameterError(f"{name} must be a pandas Series with a monthly PeriodIndex "
                             "(freq 'M')")


def cannot_adjust(x: pd.Series) -> str | None:
    """Say why ``x`` cannot be seasonally adjusted (无法季节调整的原因), or return None.

    A notebook or report asks first and shows the sentence instead of failing: a
    user's file may be short, or hold months without any declaration (zero months,
    which have no logarithm).

    Parameters
    ----------
    x : pandas.Series
        Monthly values (PeriodIndex 'M').

    Returns
    -------
    str or None
        One sentence naming what is wrong (and the months concerned), or None when
        :func:`seasonally_adjust` can run.

    Raises
    ------
    ParameterError
        If ``x`` is not a monthly series at all.

    Examples
    --------
    >>> idx = pd.period_range("2007-01", "2010-12", freq="M")
    >>> cannot_adjust(pd.Series(1.0, index=idx)) is None
    True
    >>> cannot_adjust(pd.Series(1.0, index=idx[:20]))
    'seasonal adjustment needs at least 36 months, got 20'
    >>> cannot_adjust(pd.Series(1.0, index=idx).mask(idx.year == 2009, 0.0))[:61]
    'seasonal adjustment works on logarithms; 12 month(s) are zero'
    """
    _check_monthly(x, "x")
    if len(x) < MIN_MONTHS:
        return f"seasonal adjustment needs at least {MIN_MONTHS} months, got {len(x)}"
    full = pd.period_range(x.index.min(), x.index.max(), freq="M")
    if len(full) != len(x) or x.isna().any():
        return ("the series has missing months; seasonal adjustment needs every month "
                "between its first and last")
    bad = x.index[(x <= 0).to_numpy()]
    if len(bad):
        shown = ", ".join(str(p) for p in bad[:6]) + (", ..." if len(bad) > 6 else "")
        return (f"seasonal adjustment works on logarithms; {len(bad)} month(s) are zero or "
                f"negative ({shown})")
    return None


def seasonally_adjust(x: pd.Series, *, before: int = 7, after: int = 14, robust: bool = True,
                      iterations: int = 5) -> pd.DataFrame:
    """Seasonally adjust a monthly series, Spring Festival effect removed (季节调整).

    Parameters
    ----------
    x : pandas.Series
        Positive monthly values (PeriodIndex, complete months, at least 3 years, no gaps).
    before, after : int, default 7 and 14
        The festival window in days around the first day of the Spring Festival.
    robust : bool, default True
        Robust STL (outliers do not bend the seasonal pattern).
    iterations : int, default 5
        Rounds of STL and festival regression.

    Returns
    -------
    pandas.DataFrame
        Columns ``observed``, ``trend``, ``seasonal_factor``, ``festival_factor``
        and ``sa`` (observed ÷ both factors); ``attrs["festival_coef"]`` is the
        festival coefficient on logs.

    Raises
    ------
    ParameterError
        If the series is not monthly, has gaps, non-positive values or under
        :data:`MIN_MONTHS` months.

    Examples
    --------
    >>> idx = pd.period_range("2004-01", "2010-12", freq="M")
    >>> from ciqanalysis.forecast.calendar import festival_regressor
    >>> x = pd.Series(100 * np.exp(0.3 * festival_regressor(idx).to_numpy()
    ...                            + 0.1 * np.sin(np.arange(84) * np.pi / 6)), index=idx)
    >>> out = seasonally_adjust(x)
    >>> round(out.attrs["festival_coef"], 2), bool(out["sa"].std() < 1)
    (0.3, True)
    """
    from statsmodels.tsa.seasonal import STL

    from .forecast.calendar import festival_regressor

    if why := cannot_adjust(x):
        raise ParameterError(why)
    y = np.log(x.to_numpy(dtype="float64"))
    fest = festival_regressor(x.index, before, after).to_numpy()
    months = x.index.month.to_numpy()
    design = np.column_stack([(months == m).astype(float) for m in range(1, 13)] + [fest])
    trend = np.full_like(y, y.mean())
    coef = 0.0
    for _ in range(max(1, iterations)):
        # festival coefficient against fixed month effects, around the current trend
        # (STL's moving seasonal would otherwise soak part of the festival up)
        beta, *_ = np.linalg.lstsq(design, y - trend, rcond=None)
        coef = float(beta[-1])
        fit = STL(y - coef * fest, period=12, robust=robust).fit()
        trend, seasonal = fit.trend, fit.seasonal
    out = pd.DataFrame({
        "observed": x.to_numpy(dtype="float64"), "trend": np.exp(trend),
        "seasonal_factor": np.exp(seasonal), "festival_factor": np.exp(coef * fest),
    }, index=x.index)
    out["sa"] = out["observed"] / (out["seasonal_factor"] * out["festival_factor"])
    out.attrs = {"festival_coef": coef, "method": "STL (robust) + Spring Festival regression, "
                 "on logs", "window_days": (before, after)}
    return out


def growth_3m3m(sa: pd.Series) -> pd.Series:
    """Return 3-month-on-3-month annualised growth of an adjusted series, % (3个月环比年率).

    The mean of the last three months against the mean of the three before,
    raised to the fourth power (four quarters a year).

    Examples
    --------
    >>> idx = pd.period_range("2010-01", periods=7, freq="M")
    >>> s = pd.Series(100 * 1.01 ** np.arange(7), index=idx)
    >>> round(float(growth_3m3m(s).iloc[-1]), 2)  # 1 % a month = 12.68 % a year
    12.68
    """
    _check_monthly(sa, "sa")
    mean3 = sa.rolling(3).mean()
    return ((mean3 / mean3.shift(3)) ** 4 - 1) * 100
