"""Spring Festival (春节) calendar regressor for Chinese monthly trade.

The festival moves between late January and late February, and factories and ports
slow down for weeks around it, so January and February values swing with its date.
The regressor here is the share of a festival window (``before`` days ahead of New
Year's Day of the lunar calendar to ``after`` days behind it) that falls in each
month, centred on its long-run mean for that calendar month so that it does not
alias the ordinary seasonal pattern. Festival dates come from the ``holidays``
package's China calendar (1983 onwards), never from a hand-made table.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

from ..errors import ParameterError

__all__ = ["spring_festival_dates", "festival_regressor", "festival_table"]

#: Years over which the regressor is centred (fixed, so values never depend on a sample).
_CENTRE_YEARS = range(1984, 2031)
_NAME = "Chinese New Year (Spring Festival)"


@lru_cache(maxsize=8)
def _dates(first: int, last: int) -> tuple:
    import holidays

    cal = holidays.China(years=range(first, last + 1), language="en_US")
    days = pd.Series(
        [pd.Timestamp(d) for d, name in cal.items() if name == _NAME], dtype="datetime64[ns]"
    )
    return tuple(days.groupby(days.dt.year).min().sort_index().items())


def spring_festival_dates(years) -> pd.Series:
    """Return the first day of the Spring Festival (春节, lunar New Year) by year.

    Parameters
    ----------
    years : iterable of int
        Calendar years, 1983 onwards (the range of the ``holidays`` China calendar).

    Returns
    -------
    pandas.Series
        Index: year (int); values: the festival's first day (Timestamp).

    Raises
    ------
    ParameterError
        If a year is before 1983 or the calendar has no festival date for it.

    Examples
    --------
    >>> spring_festival_dates([2010, 2011]).dt.strftime("%Y-%m-%d").tolist()
    ['2010-02-14', '2011-02-03']
    """
    wanted = sorted({int(y) for y in years})
    if not wanted:
        return pd.Series(dtype="datetime64[ns]", name="spring_festival")
    if wanted[0] < 1983:
        raise ParameterError(
            f"Spring Festival dates start in 1983 (holidays' China calendar); got year {wanted[0]}"
        )
    found = dict(_dates(wanted[0], wanted[-1]))
    missing = [y for y in wanted if y not in found]
    if missing:
        raise ParameterError(
            f"the holidays China calendar has no Spring Festival date for {missing}; "
            "expected years from 1983 on"
        )
    out = pd.Series([found[y] for y in wanted], index=pd.Index(wanted, name="year"))
    out.name = "spring_festival"
    return out


def _window_share(periods: pd.PeriodIndex, before: int, after: int) -> np.ndarray:
    """Share of the festival window falling in each monthly period (uncentred)."""
    years = np.unique(np.concatenate([periods.year, periods.year + 1, periods.year - 1]))
    years = years[years >= 1983]
    fest = spring_festival_dates(years)
    starts = fest - pd.Timedelta(days=before)
    window = int(before + after + 1)
    # every day of every window, as monthly periods; count per month
    offsets = pd.to_timedelta(np.arange(window), unit="D")
    days = (starts.to_numpy()[:, None] + offsets.to_numpy()[None, :]).ravel()
    counts = pd.Series(pd.DatetimeIndex(days).to_period("M")).value_counts()
    return counts.reindex(periods, fill_value=0).to_numpy(dtype="float64") / window


def festival_regressor(index, before: int = 7, after: int = 14) -> pd.Series:
    """Return the Spring Festival regressor (春节效应) for monthly periods.

    Parameters
    ----------
    index : pandas.PeriodIndex
        Monthly periods (1983 onwards).
    before, after : int, default 7 and 14
        Days of slowdown before and after the festival's first day.

    Returns
    -------
    pandas.Series
        Share of the festival window in the month minus that calendar month's mean
        share over 1984-2030 (zero outside January-March).

    Raises
    ------
    ParameterError
        If the index is not a monthly PeriodIndex or the window is negative.

    Examples
    --------
    >>> idx = pd.period_range("2010-01", "2010-03", freq="M")
    >>> x = festival_regressor(idx)
    >>> bool(x.loc["2010-02"] > 0 > x.loc["2010-01"])  # late festival: February-heavy
    True
    """
    if not isinstance(index, pd.PeriodIndex) or index.freqstr not in ("M", "ME"):
        raise ParameterError(
            "festival_regressor needs a monthly PeriodIndex (freq 'M'), "
            f"got {type(index).__name__} {getattr(index, 'freqstr', '')!r}"
        )
    if before < 0 or after < 0:
        raise ParameterError(f"before and after must be >= 0 days, got {before}, {after}")
    share = _window_share(index, before, after)
    centre = _centre(before, after)
    out = share - centre[index.month.to_numpy() - 1]
    return pd.Series(out, index=index, name="spring_festival")


@lru_cache(maxsize=8)
def _centre(before: int, after: int) -> np.ndarray:
    ref = pd.period_range(f"{_CENTRE_YEARS[0]}-01", f"{_CENTRE_YEARS[-1]}-12", freq="M")
    share = _window_share(ref, before, after)
    return pd.Series(share).groupby(ref.month.to_numpy()).mean().reindex(range(1, 13)).to_numpy()


def festival_table(years: Iterable[int], before: int = 7, after: int = 14) -> pd.DataFrame:
    """Spring Festival (春节) dates and the regressor in January to March.

    Parameters
    ----------
    years : iterable of int
        Calendar years (1983 onwards; dates from the ``holidays`` package).
    before, after : int, default 7 and 14
        The festival window, days before and after its first day.

    Returns
    -------
    pandas.DataFrame
        Index year; ``festival`` (first day), ``weekday``, and ``jan``, ``feb``,
        ``mar``: the regressor (share of the window in the month minus its
        long-run mean share), positive when the month holds more of the festival
        than usual.

    Examples
    --------
    >>> tab = festival_table([2009, 2010])
    >>> bool(tab.loc[2010, "feb"] > 0 > tab.loc[2009, "feb"])
    True
    """
    dates = spring_festival_dates(years)
    idx = pd.PeriodIndex.from_fields(
        year=np.repeat(dates.index.to_numpy(), 3), month=np.tile([1, 2, 3], len(dates)), freq="M")
    x = festival_regressor(idx, before, after).to_numpy().reshape(len(dates), 3)
    out = pd.DataFrame({"festival": dates.dt.strftime("%Y-%m-%d").to_numpy(),
                        "weekday": dates.dt.day_name().to_numpy()}, index=dates.index)
    out[["jan", "feb", "mar"]] = x
    return out

