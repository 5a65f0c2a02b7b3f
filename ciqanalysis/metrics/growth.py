"""Growth rates: 同比 (year-on-year), 环比 (month-on-month), 累计 (year-to-date), CAGR.

Conventions follow China Customs (GACC) and NBS tables: growth is in per cent,
``X_t / X_{t-1 year} - 1``; a base of zero or a missing base gives NaN, never inf;
a quantity that changes sign (a balance, 差额) has no growth rate; year-to-date
growth (累计同比) compares year-to-date sums, never sums of monthly rates.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..config import parse_as_of
from ..errors import DataQualityWarning, ParameterError, user_stacklevel
from ._common import (
    _as_float,
    _check_no_sign_change,
    _check_numeric,
    _periods_per_year,
    _ratio,
)

__all__ = [
    "yoy_growth",
    "mom_growth",
    "ytd",
    "ytd_growth",
    "cagr",
    "index_numbers",
    "share_of_year_done",
    "annualise",
    "ANNUALISE_METHODS",
]

#: Named ways of annualising a partial year (see :func:`annualise`).
ANNUALISE_METHODS = ("pro_rata", "seasonal_share")


def _year_ago(x: pd.Series | pd.DataFrame, per_year: int) -> pd.Series | pd.DataFrame:
    """Values of the same period a year earlier, aligned on ``x``'s index (gaps -> NaN)."""
    base = x.reindex(x.index - per_year)
    base.index = x.index
    return base


def yoy_growth(x: pd.Series | pd.DataFrame, *, pct: bool = True) -> pd.Series | pd.DataFrame:
    """Year-on-year growth (同比增长): ``X_t / X_{same period a year earlier} - 1``.

    Parameters
    ----------
    x : pandas.Series or pandas.DataFrame
        Values indexed by a monthly, quarterly or annual ``PeriodIndex``; a wide
        frame gives one growth series per column. The base is looked up by period
        (``t - 12`` months, ``t - 4`` quarters, ``t - 1`` year), so gaps in the
        index give NaN rather than a comparison with the wrong period.
    pct : bool, default True
        Per cent (as GACC/NBS publish) when True, a fraction when False.

    Returns
    -------
    Same type as ``x``
        Growth; NaN where the base is 0 or missing (never inf).

    Raises
    ------
    ParameterError
        If the index is not a monthly/quarterly/annual PeriodIndex, or a column
        changes sign (a balance has no growth rate).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series([100.0, 0.0, 120.0, 5.0],
    ...               index=pd.period_range("2009", periods=4, freq="Y"))
    >>> yoy_growth(s).round(1).tolist()
    [nan, -100.0, nan, -95.8]
    """
    per_year = _periods_per_year(x)
    _check_numeric(x)
    _check_no_sign_change(x, "year-on-year growth (同比)")
    x = _as_float(x)
    g = _ratio(x, _year_ago(x, per_year)) - 1.0
    return g * 100.0 if pct else g


def mom_growth(
    x: pd.Series | pd.DataFrame,
    *,
    spring_festival: bool = False,
    pct: bool = True,
) -> pd.Series | pd.DataFrame:
    """Period-on-period growth (环比增长): ``X_t / X_{t-1} - 1``.

    Parameters
    ----------
    x : pandas.Series or pandas.DataFrame
        Values indexed by a ``PeriodIndex``; the previous period is looked up by
        period, so a gap gives NaN.
    spring_festival : bool, default False
        Monthly data only. The Spring Festival (春节) falls in January or February,
        so the two months are compared as one: January is NaN, February is the
        average month of January+February against December, and March is compared
        with that January-February average.
    pct : bool, default True
        Per cent when True, a fraction when False.

    Returns
    -------
    Same type as ``x``
        Growth; NaN where the previous value is 0 or missing.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series([100.0, 50.0, 150.0, 110.0],
    ...               index=pd.period_range("2009-12", periods=4, freq="M"))
    >>> mom_growth(s).round(1).tolist()
    [nan, -50.0, 200.0, -26.7]
    >>> mom_growth(s, spring_festival=True).round(1).tolist()
    [nan, nan, 0.0, 10.0]
    """
    per_year = _periods_per_year(x)
    _check_numeric(x)
    _check_no_sign_change(x, "month-on-month growth (环比)")
    x = _as_float(x)
    if spring_festival:
        if per_year != 12:
            raise ParameterError("spring_festival=True needs monthly data (freq 'M')")
        months = pd.Series(x.index.month, index=x.index)
        prev = x.reindex(x.index - 1)
        prev.index = x.index
        # February carries the average month of January+February (missing January -> NaN);
        # March is then compared with that average, February with December.
        level = x.mask(months == 2, (x + prev) / 2.0, axis=0)
        prev_level = level.reindex(level.index - 1)
        prev_level.index = level.index
        before_jan = level.reindex(level.index - 2)
        before_jan.index = level.index
        prev_level = prev_level.mask(months == 2, before_jan, axis=0)
        g = (_ratio(level, prev_level) - 1.0).mask(months == 1, axis=0)
        return g * 100.0 if pct else g
    prev = x.reindex(x.index - 1)
    prev.index = x.index
    g = _ratio(x, prev) - 1.0
    return g * 100.0 if pct else g


def ytd(x: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Year-to-date sums (累计, GACC's "1 to N" tables) of monthly or quarterly values.

    A missing period breaks the year-to-date sum: from the first missing period
    (a NaN value, or a period absent from the index) to the end of that calendar
    year the result is NaN, with a :class:`DataQualityWarning` -- the sum is never
    taken around a hole. A series that starts after January (or Q1) has no
    year-to-date value in its first year either (NaN, without a warning: those
    months are outside the data, not a hole).

    Parameters
    ----------
    x : pandas.Series or pandas.DataFrame
        Values indexed by a monthly or quarterly ``PeriodIndex``.

    Returns
    -------
    Same type as ``x``
        Indexed by the complete run of periods from January of the first year to
        the last period of ``x`` (gaps appear as NaN rows).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series([1.0, 2.0, 3.0, 4.0],
    ...               index=pd.period_range("2009-11", periods=4, freq="M"))
    >>> ytd(s).tolist()[-4:]
    [nan, nan, 3.0, 7.0]
    """
    per_year = _periods_per_year(x)
    if per_year == 1:
        raise ParameterError("ytd (累计) needs monthly or quarterly data, got annual")
    _check_numeric(x)
    x = _as_float(x)
    idx = x.index
    if len(idx) == 0:
        return x.copy()
    first = pd.Period(year=idx.min().year, month=1, day=1, freq=idx.freq)
    full = pd.period_range(first, idx.max(), freq=idx.freq)
    x_full = x.reindex(full)
    year = np.asarray(full.year)
    broken = x_full.isna().astype("int64").groupby(year).cumsum() > 0
    out = x_full.fillna(0.0).groupby(year).cumsum().mask(broken)
    # Warn about holes after a series' first observation; the months before it (a
    # series starting mid-year, e.g. July 1983) are simply outside the data.
    present = x_full.notna().to_numpy().reshape(len(full), -1)
    started = np.maximum.accumulate(present, axis=0)
    hole = pd.DataFrame(started & ~present).groupby(year).cumsum().to_numpy() > 0
    lost = hole & present
    if lost.any():
        where = [str(p) for p in full[lost.any(axis=1)]]
        warnings.warn(
            "a missing period breaks the year-to-date sum (累计): NaN from the hole to the "
            f"end of its year, at {where[:6]}{' ...' if len(where) > 6 else ''}",
            DataQualityWarning,
            stacklevel=user_stacklevel(),
        )
    return out


def ytd_growth(x: pd.Series | pd.DataFrame, *, pct: bool = True) -> pd.Series | pd.DataFrame:
    """Year-to-date growth (累计同比): YTD sum against the same span a year earlier.

    Parameters
    ----------
    x : pandas.Series or pandas.DataFrame
        Monthly or quarterly values indexed by a ``PeriodIndex``.
    pct : bool, default True
        Per cent when True, a fraction when False.

    Returns
    -------
    Same type as ``x``
        ``ytd(x)_t / ytd(x)_{t-1 year} - 1``; never a sum of monthly rates.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series([10.0, 20.0, 12.0, 30.0],
    ...               index=pd.PeriodIndex(["2009-01", "2009-02", "2010-01", "2010-02"],
    ...                                    freq="M"))
    >>> ytd_growth(s).loc["2010-01":].round(2).tolist()
    [20.0, 40.0]
    """
    _check_no_sign_change(x, "year-to-date growth (累计同比)")
    cum = ytd(x)
    return yoy_growth(cum, pct=pct)


def cagr(
    x: pd.Series | pd.DataFrame,
    start=None,
    end=None,
    *,
    pct: bool = True,
) -> float | pd.Series:
    """Compound annual growth rate over the real span: ``(X_T / X_0) ** (1 / T) - 1``.

    ``T`` is the true distance in years between the two periods (missing years in
    between do not shorten it). ``X_0 <= 0`` or ``X_T < 0`` is undefined: NaN with a
    :class:`DataQualityWarning`.

    Parameters
    ----------
    x : pandas.Series or pandas.DataFrame
        Values indexed by a ``PeriodIndex`` (annual, quarterly or monthly).
    start, end : period-like, optional
        The two periods compared; default the first and last non-missing values of
        each column.
    pct : bool, default True
        Per cent when True, a fraction when False.

    Returns
    -------
    float or pandas.Series
        One rate (Series input) or one per column (DataFrame input).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series([100.0, 121.0], index=pd.PeriodIndex(["2008", "2010"], freq="Y"))
    >>> round(cagr(s), 6)
    10.0
    """
    per_year = _periods_per_year(x)
    _check_numeric(x)
    frame = _as_float(x.to_frame() if isinstance(x, pd.Series) else x)
    out = {}
    bad = []
    for col in frame.columns:  # a loop over columns (series), never over rows
        s = frame[col]
        i0 = pd.Period(start, freq=s.index.freq) if start is not None else s.first_valid_index()
        iT = pd.Period(end, freq=s.index.freq) if end is not None else s.last_valid_index()
        if i0 is None or iT is None:
            out[col] = np.nan
            continue
        if i0 not in s.index or iT not in s.index:
            missing = i0 if i0 not in s.index else iT
            raise ParameterError(f"cagr: period {missing} is not in the index of x")
        s0, sT = s.loc[i0], s.loc[iT]
        years = (iT - i0).n / per_year
        if years <= 0:
            raise ParameterError("cagr: the end period must come after the start period")
        if not (s0 > 0) or sT < 0:
            bad.append(str(col))
            out[col] = np.nan
            continue
        out[col] = (sT / s0) ** (1.0 / years) - 1.0
    if bad:
        warnings.warn(
            f"cagr undefined where the first value is <= 0 or the last is < 0: {bad}",
            DataQualityWarning,
            stacklevel=user_stacklevel(),
        )
    res = pd.Series(out, dtype="float64") * (100.0 if pct else 1.0)
    return float(res.iloc[0]) if isinstance(x, pd.Series) else res


def index_numbers(x: pd.Series | pd.DataFrame, base) -> pd.Series | pd.DataFrame:
    """Index numbers (指数) with the base period equal to 100.

    Parameters
    ----------
    x : pandas.Series or pandas.DataFrame
        Values indexed by a ``PeriodIndex``.
    base : period-like or int
        The base period (e.g. ``"2009-01"``), or a year (e.g. ``2009``) whose
        average level is 100 when the data are monthly or quarterly.

    Returns
    -------
    Same type as ``x``

    Raises
    ------
    ParameterError
        If the base is not in the data or its value is 0 or missing.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series([80.0, 100.0, 120.0], index=pd.period_range("2008", periods=3, freq="Y"))
    >>> index_numbers(s, "2009").tolist()
    [80.0, 100.0, 120.0]
    """
    per_year = _periods_per_year(x)
    _check_numeric(x)
    x = _as_float(x)
    if isinstance(base, (int, np.integer)) and per_year > 1:
        sel = x.loc[x.index.year == int(base)]
        if len(sel) != per_year or sel.isna().to_numpy().any():
            raise ParameterError(f"base year {base} is not complete in the data")
        level = sel.mean()
    else:
        p = pd.Period(str(base), freq=x.index.freq)
        if p not in x.index:
            raise ParameterError(f"base period {p} is not in the data")
        level = x.loc[p]
    lv = np.atleast_1d(np.asarray(level, dtype="float64"))
    if (~np.isfinite(lv)).any() or (lv == 0).any():
        raise ParameterError(f"the base level at {base} is 0 or missing: no index numbers")
    return x / level * 100.0


def share_of_year_done(
    as_of,
    method: str = "pro_rata",
    reference: pd.Series | None = None,
    years=None,
) -> float:
    """Share of a year's total usually reached by a given day (年内进度).

    Parameters
    ----------
    as_of : date-like
        The last day included (e.g. ``"2010-11-20"``).
    method : {"pro_rata", "seasonal_share"}
        ``"pro_rata"``: days elapsed / days in the year (biased when trade is
        seasonal). ``"seasonal_share"``: the average, over ``years``, of the
        reference series' sum from 1 January to the same day divided by that year's
        total; the day's month is counted pro rata within the month.
    reference : pandas.Series, optional
        Monthly reference values (e.g. ``cq.data.national_trade_monthly()["export"]``);
        needed for ``"seasonal_share"``.
    years : iterable of int, optional
        The complete reference years to average over; default the five years before
        the as-of year.

    Returns
    -------
    float
        A fraction in (0, 1].

    Examples
    --------
    >>> round(share_of_year_done("2010-11-20"), 4)
    0.8877
    """
    day = _as_of(as_of)
    if method not in ANNUALISE_METHODS:
        raise ParameterError(f"method must be one of {ANNUALISE_METHODS}, got {method!r}")
    if method == "pro_rata":
        return day.day_of_year / (366 if day.is_leap_year else 365)
    if reference is None:
        raise ParameterError("method='seasonal_share' needs a monthly reference series")
    if isinstance(reference, pd.DataFrame):
        raise ParameterError("reference must be one monthly Series (e.g. one column)")
    if _periods_per_year(reference, "reference") != 12:
        raise ParameterError("reference must be a monthly series (freq 'M')")
    _check_numeric(reference, "reference")
    years = list(range(day.year - 5, day.year)) if years is None else [int(y) for y in years]
    if not years:
        raise ParameterError("years must name at least one reference year")
    ref = _as_float(reference).reindex(
        pd.period_range(f"{min(years)}-01", f"{max(years)}-12", freq="M"))
    ref = ref[np.isin(ref.index.year, years)]
    mat = ref.to_numpy().reshape(len(years), 12)
    if np.isnan(mat).any():
        raise ParameterError(f"the reference series is not complete for years {years}")
    totals = mat.sum(axis=1)
    if (totals <= 0).any():
        raise ParameterError("the reference series has a non-positive annual total")
    m = day.month
    frac_month = day.day / day.days_in_month
    done = mat[:, : m - 1].sum(axis=1) + frac_month * mat[:, m - 1]
    return float(np.mean(done / totals))


def annualise(
    value,
    as_of,
    method: str = "pro_rata",
    reference: pd.Series | None = None,
    years=None,
):
    """Annualise a year-to-date value (全年推算) by a named method.

    Parameters
    ----------
    value : float, pandas.Series or pandas.DataFrame
        Year-to-date value(s) from 1 January to ``as_of``.
    as_of : date-like
        The last day included.
    method : {"pro_rata", "seasonal_share"}
        See :func:`share_of_year_done`; the name says which assumption is made.
    reference : pandas.Series, optional
        Monthly reference series for ``"seasonal_share"``.
    years : iterable of int, optional
        Reference years for ``"seasonal_share"``.

    Returns
    -------
    Same type as ``value``
        ``value / share_of_year_done(...)``.

    Examples
    --------
    >>> round(annualise(46.09, "2010-11-20"), 2)
    51.92
    """
    share = share_of_year_done(as_of, method=method, reference=reference, years=years)
    return value / share


def _as_of(as_of) -> pd.Timestamp:
    return parse_as_of(as_of)
