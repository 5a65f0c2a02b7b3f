"""How forecast tables are printed (显示精度), and several results side by side (预测对比).

The results present themselves (``summary()``, ``to_frame()`` and the tables of
:class:`~ciqanalysis.forecast.Outlook` and :class:`~ciqanalysis.forecast.TrackRecord`)
at full precision. This module gives their printed form: :func:`for_display`
rounds each column to the precision its numbers support, :func:`round_significant`
and :func:`format_significant` keep :data:`MONEY_SIGNIFICANT` significant figures
(有效数字) of simulated money, and :func:`compare` sets several forecasts or
nowcasts side by side.

Examples
--------
>>> from ciqanalysis.forecast import forecast
>>> idx = pd.period_range("2001", periods=12, freq="Y")
>>> res = forecast(pd.Series(np.linspace(10.0, 21.0, 12), index=idx), 2, candidates=["drift"])
>>> for_display(res.to_frame())["mean"].tolist()
[22.0, 23.0]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ._prep import bounds
from .core import ForecastResult
from .nowcast import NowcastResult

__all__ = ["for_display", "compare", "round_significant", "format_significant", "MONEY_SIGNIFICANT"]

#: Significant figures shown for simulated money (forecast means, interval bounds):
#: their Monte Carlo error is about 1e-3 relative (another seed moves them that
#: much), so a fourth figure would be noise, and a fifth differs between CPUs.
MONEY_SIGNIFICANT = 3


def compare(results) -> pd.DataFrame:
    """Set several forecasts or nowcasts side by side in one frame (预测对比).

    Like ``compare`` of linearmodels: one block of columns per result, rows aligned
    on the forecast periods (a period one result lacks is NaN in its block).

    Parameters
    ----------
    results : mapping or sequence
        Name -> ForecastResult or NowcastResult; a sequence is named by each
        result's series name (or its position when the names are missing or repeat).

    Returns
    -------
    pandas.DataFrame
        Index the union of the forecast periods; columns (result, column) with
        ``mean`` and the interval bounds of each result.

    Raises
    ------
    ParameterError
        If ``results`` is empty or holds something other than these results.

    Examples
    --------
    >>> from ciqanalysis.forecast import forecast
    >>> idx = pd.period_range("2001", periods=12, freq="Y")
    >>> y = pd.Series(np.linspace(10.0, 21.0, 12), index=idx)
    >>> tab = compare({"drift": forecast(y, 2, candidates=["drift"]),
    ...                "naive": forecast(y, 3, candidates=["snaive"])})
    >>> tab.shape, float(tab.loc["2014", ("naive", "mean")])
    ((3, 10), 21.0)
    """
    if isinstance(results, Mapping):
        items = [(str(k), v) for k, v in results.items()]
    elif isinstance(results, Iterable) and not isinstance(results, (str, pd.DataFrame)):
        results = list(results)
        names = [str(getattr(r, "history", pd.Series()).name) for r in results]
        if len(set(names)) < len(names) or "None" in names:
            names = [str(i) for i in range(len(results))]
        items = list(zip(names, results, strict=True))
    else:
        raise ParameterError(f"results must be a mapping or a list of results, got {type(results).__name__}")
    if not items:
        raise ParameterError("results is empty: give at least one ForecastResult or NowcastResult")
    bad = [k for k, v in items if not isinstance(v, ForecastResult | NowcastResult)]
    if bad:
        raise ParameterError(f"results {bad} are not ForecastResult or NowcastResult objects")
    frames = {k: v.to_frame()[["mean", *bounds(v.levels)]] for k, v in items}
    return pd.concat(frames, axis=1, names=["result", "column"])


# ---------------------------------------------------------------------------------
# presentation: print each number at the precision the method supports (显示精度)

#: Simulated money columns (rounded to :data:`MONEY_SIGNIFICANT` figures).
_SIMULATED = ("mean", "forecast", "month_mean")
_SIMULATED_PREFIX = ("lower_", "upper_", "month_lower_", "month_upper_")
#: Decimals of the other columns, by name; percentages have one decimal.
_DECIMALS = {"observed": 2, "actual": 2, "bench_same": 2, "bench_growth": 2, "share_done": 3,
             "weight": 2, "mase": 2, "smape": 1, "beta": 2, "jan": 3, "feb": 3, "mar": 3}


def round_significant(values, digits: int = MONEY_SIGNIFICANT):
    """Round to ``digits`` significant figures (有效数字), element-wise.

    Parameters
    ----------
    values : float, array-like, Series or DataFrame
        Numbers; NaN and infinities pass through.
    digits : int, default :data:`MONEY_SIGNIFICANT`
        Significant figures kept (at least 1).

    Returns
    -------
    Same type as ``values`` (a float for a scalar).

    Examples
    --------
    >>> round_significant(31161.17)
    31200.0
    >>> round_significant(pd.Series([54.9418, 0.012345, np.nan]), 2).tolist()
    [55.0, 0.012, nan]
    """
    if int(digits) < 1:
        raise ParameterError(f"digits must be at least 1, got {digits}")

    def one(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype="float64")
        finite = np.isfinite(x) & (x != 0)
        mag = np.floor(np.log10(np.abs(np.where(finite, x, 1.0))))
        scale = 10.0 ** (int(digits) - 1 - mag)
        return np.where(finite, np.round(x * scale) / scale, x)

    if isinstance(values, pd.DataFrame):
        return values.apply(lambda col: pd.Series(one(col.to_numpy()), index=col.index, name=col.name))
    if isinstance(values, pd.Series):
        return pd.Series(one(values.to_numpy()), index=values.index, name=values.name)
    out = one(values)
    return float(out) if out.ndim == 0 else out


def format_significant(value: float, digits: int = MONEY_SIGNIFICANT) -> str:
    """Format a number with ``digits`` significant figures and thousands separators.

    For prose and reports (the memo's forecasts); "n/a" for NaN or infinity.

    Examples
    --------
    >>> format_significant(40.3245), format_significant(31161.17), format_significant(5.3)
    ('40.3', '31,200', '5.30')
    """
    x = float(value)
    if not np.isfinite(x):
        return "n/a"
    r = round_significant(x, digits)
    decimals = max(0, int(digits) - 1 - int(np.floor(np.log10(abs(r))))) if r else int(digits) - 1
    return f"{r:,.{decimals}f}"


def _whole(col: pd.Series) -> pd.Series:
    """Show a column of whole numbers of 100 or more without a useless '.0'."""
    finite = col[np.isfinite(col)]
    if len(finite) and (finite.abs() >= 100).all() and (finite == finite.round()).all():
        return col.round().astype("Int64")
    return col


def for_display(table: pd.DataFrame) -> pd.DataFrame:
    """Round a forecast table to the precision its numbers support (显示精度).

    The results' tables keep full precision; this is their printed form, the
    same for every notebook and report. Simulated money (``mean``, ``forecast``,
    ``month_mean``, ``lower_<L>``, ``upper_<L>`` and the month's bounds) keeps
    :data:`MONEY_SIGNIFICANT` significant figures: the Monte Carlo error is about
    1e-3 relative, and the last digits of more figures change with the CPU's BLAS
    kernel. Observed money keeps 2 decimals (data, exact), percentages (``*_pct``,
    ``smape``, a track-record summary) 1 decimal, ``weight``, ``mase`` and the
    Spring Festival ``beta`` 2, shares and the festival regressor 3. Other columns
    (counts, flags, labels) are left as they are.

    Parameters
    ----------
    table : pandas.DataFrame
        A table of a forecast result: an :class:`~ciqanalysis.forecast.Outlook`'s
        ``outlook()``, ``partial_month()``, ``model_frame()``,
        ``festival_effects()`` or ``outturn_check()``; a
        :class:`~ciqanalysis.forecast.TrackRecord`'s ``benchmark_table()`` or
        ``year_table()``; :func:`~ciqanalysis.forecast.festival_table`.

    Returns
    -------
    pandas.DataFrame
        A rounded copy; money columns of whole numbers (100 or more) as integers.

    Examples
    --------
    >>> tab = pd.DataFrame({"observed": [23929.411], "mean": [31161.17], "lower_95": [25564.8],
    ...                     "growth_pct": [7.7749], "inside_95": [True]})
    >>> for_display(tab).to_dict("records")
    [{'observed': 23929.41, 'mean': 31200, 'lower_95': 25600, 'growth_pct': 7.8, 'inside_95': True}]
    """
    if not isinstance(table, pd.DataFrame):
        raise ParameterError(f"table must be a DataFrame, got {type(table).__name__}")
    out = table.copy()
    if out.index.name == "measure":  # TrackRecord.benchmark_table: every row is a percentage
        return out.astype("float64").round(1)
    for col in out.columns:
        name = str(col)
        if not pd.api.types.is_float_dtype(out[col]):
            continue
        if name in _SIMULATED or name.startswith(_SIMULATED_PREFIX):
            out[col] = _whole(round_significant(out[col]))
        elif name.endswith("_pct"):
            out[col] = out[col].round(1)
        elif name in _DECIMALS:
            out[col] = out[col].round(_DECIMALS[name])
    return out
