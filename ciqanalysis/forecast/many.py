"""Many series in one call (批量预测): every product group × county, or any keys.

Series are forecast with :func:`~ciqanalysis.forecast.forecast` in worker processes
(joblib, both cores by default) behind a tqdm progress bar. Inside
``joblib.parallel_config(backend="dask")`` with a ``distributed.Client`` the same
call runs on a Dask cluster, with the same results. Short, all-zero and
intermittent series get simple methods and are flagged. Results do not depend on
the number of workers: every series gets its own seed from one
``numpy.random.SeedSequence`` in the sorted order of its keys.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._summary import short_repr
from ..config import DEFAULT_LEVELS
from ..errors import (
    CIQError,
    DataQualityWarning,
    ForecastFallbackWarning,
    ParameterError,
    user_stacklevel,
)
from ..provenance import Provenance
from . import models as M
from ._prep import check_candidate_names, check_levels, seasonal_period
from ._result import Presented
from .core import MAX_HORIZON, forecast

__all__ = ["ManyForecast", "forecast_many"]


@dataclass
class ManyForecast(Presented):
    """The outcome of :func:`forecast_many`.

    Attributes
    ----------
    table : pandas.DataFrame
        Long table: the key columns, ``period``, ``mean``, ``lower_<L>``, ``upper_<L>``.
    series : pandas.DataFrame
        One row per series (indexed by the keys): ``n_obs``, ``zeros_share``,
        ``status`` (``ok``, ``simple`` for short/intermittent/zero series,
        ``fallback``, ``error``), ``models``, ``fallback``, ``flags``.

    Notes
    -----
    ``summary()`` (多序列预测摘要) has the tables ``series by status`` (counts) and
    ``forecasts`` (:meth:`to_frame`).

    Examples
    --------
    >>> panel = pd.DataFrame({"g": ["a"] * 24, "period": pd.period_range("2008-01", periods=24, freq="M"),
    ...                       "value": np.arange(24.0) + 10})
    >>> res = forecast_many(panel, keys=["g"], horizon=2, period="period", value="value",
    ...                    n_jobs=1, progress=False)
    >>> res.summary().tables[0][1]["n_series"].tolist()
    [1]
    """

    table: pd.DataFrame
    series: pd.DataFrame

    def _summary_parts(self):
        """Title, tables ``series by status`` (counts) and ``forecasts`` (:meth:`to_frame`)."""
        counts = self.series["status"].value_counts().rename("n_series").to_frame()
        counts.index.name = "status"
        return (f"Forecasts of {len(self.series)} series",
                [("series by status", counts), ("forecasts", self.to_frame())], (), None)

    def _provenance_data(self):
        return self.table

    def to_frame(self) -> pd.DataFrame:
        """Return the long forecast table (keys, ``period``, ``mean``, bounds), a copy.

        Examples
        --------
        >>> panel = pd.DataFrame({"g": ["a"] * 24, "period": pd.period_range("2008-01", periods=24, freq="M"),
        ...                       "value": np.arange(24.0) + 10})
        >>> len(forecast_many(panel, keys=["g"], horizon=2, period="period", value="value",
        ...                    n_jobs=1, progress=False).to_frame())
        2
        """
        return self.table.copy()

    def __repr__(self) -> str:
        return short_repr(self, n_series=len(self.series), rows=len(self.table))


def _one(y: pd.Series, horizon: int, levels, seed: int, kwargs: dict) -> dict:
    """Forecast one series in a worker; never raises for bad data, records instead."""
    out = {"table": None, "models": "", "fallback": False, "flags": [], "status": "ok"}
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ForecastFallbackWarning)
            res = forecast(y, horizon, levels, seed=seed, **kwargs)
    except CIQError as exc:
        out.update(status="error", flags=[f"error: {exc}"])
        return out
    out["flags"] = list(res.flags) + [
        f"{c.category.__name__}: {c.message}" for c in caught
        if not issubclass(c.category, ForecastFallbackWarning)
    ]
    simple = any(f.split(":")[0] in ("tiny_series", "too_short", "intermittent", "all_zero") for f in res.flags)
    out.update(table=res.table, models=" + ".join(f"{m} {res.weights[m]:.2f}" for m in res.models),
               fallback=res.fallback, resid=res.residuals(),
               status="fallback" if res.fallback else ("simple" if simple else "ok"))
    return out


def _with_aggregates(items, filled, names, aggregates):
    """Add the aggregate series of the hierarchy; return items (S's row order), filled, S."""
    from .reconcile import summing_matrix

    names = list(names)
    aggs = [names[:i] for i in range(len(names))] if aggregates is None else [list(a) for a in aggregates]
    bottom = [k for k, _ in items]
    S, rows = summing_matrix(bottom, aggs, names)
    frame = pd.concat([y for _, y in items], axis=1).to_numpy()
    by_key = dict(zip(bottom, filled, strict=True))
    out_items, out_filled = [], []
    for label, srow in zip(rows, S, strict=True):
        y = pd.Series(frame @ srow, index=items[0][1].index)
        out_items.append((label, y))
        out_filled.append(by_key.get(label, 0))
    return out_items, out_filled, S


def _reconcile(results, S, ys, levels):
    """MinT-shrink reconciliation of the means; intervals move with their means."""
    from .reconcile import mint_reconcile, shrink_covariance

    bad = [i for i, r in enumerate(results) if r["table"] is None]
    if bad:
        raise ParameterError(f"cannot reconcile: {len(bad)} series could not be forecast")
    length = min(len(r["resid"]) for r in results)
    resid = np.column_stack([r["resid"][len(r["resid"]) - length:] for r in results])
    W, lam = shrink_covariance(resid)
    base = np.column_stack([r["table"]["mean"].to_numpy() for r in results])
    rec = mint_reconcile(base, S, W)
    out = []
    for j, r in enumerate(results):
        t = r["table"].copy()
        shift = rec[:, j] - t["mean"].to_numpy()
        for c in t.columns:
            t[c] = t[c].to_numpy() + shift
        if (ys[j] >= 0).all():
            bounds = [c for c in t.columns if c.startswith("lower_")]
            t[bounds] = t[bounds].clip(lower=0.0)
        flag = (f"reconciled: MinT-shrink (lambda {lam:.3f}, {length} one-step errors); "
                f"mean moved by {np.max(np.abs(shift)):.4g} at most")
        out.append({**r, "table": t, "flags": [*r["flags"], flag]})
    return out


def _failed(message: str) -> dict:
    """Return the record of a series that was not forecast (bad values)."""
    return {"table": None, "models": "", "fallback": False, "flags": [message], "status": "error"}


def _run_chunk(jobs: list) -> list:
    """Run a chunk of ``(function, args)`` jobs in one worker task; return their records.

    One task per chunk of series keeps the per-task cost (pickling, scheduling and, on
    Dask, the scatter of every argument over 1 kB) from dominating short forecasts.
    The jobs travel as a plain list, which Dask's joblib backend sends with the task.
    """
    return [func(*args) for func, args in jobs]


def _chunks(jobs: list, workers: int) -> list[list]:
    """Split jobs into contiguous chunks, about 16 per worker (balance vs overhead)."""
    n = max(1, min(len(jobs), 16 * max(1, workers)))
    size = -(-len(jobs) // n)
    return [jobs[i:i + size] for i in range(0, len(jobs), size)]


def _to_series(panel, keys, period, value, freq):
    """Return ((key tuple, series) items, key names, filled-zero counts, errors by key).

    A missing or non-numeric value makes only its own series an error (named by
    row), never the whole batch.
    """
    if isinstance(panel, pd.DataFrame) and isinstance(panel.index, pd.PeriodIndex) and keys is None:
        cols = [str(c) for c in panel.columns]
        dup = sorted({c for c in cols if cols.count(c) > 1})
        if dup:
            raise ParameterError(f"the wide panel has duplicate column(s) {dup}; expected one column "
                                 "per series (rename or sum them first)")
        names = ["series"]
        items = [((c,), panel.iloc[:, i]) for i, c in enumerate(cols)]
        filled = [0] * len(items)
        return items, names, filled, {}
    if not isinstance(panel, pd.DataFrame):
        raise ParameterError(f"panel must be a pandas DataFrame (long or wide), got {type(panel).__name__}")
    keys = [keys] if isinstance(keys, str) else list(keys or [])
    missing = [c for c in [*keys, period, value] if c not in panel.columns]
    if missing:
        raise ParameterError(
            f"panel lacks column(s) {missing}; expected a long table with the key columns "
            f"{keys}, a period column {period!r} and a value column {value!r} (or a wide "
            "table indexed by a PeriodIndex with keys=None)"
        )
    per = panel[period]
    if isinstance(per.dtype, pd.PeriodDtype):
        per_idx = pd.PeriodIndex(per)
    else:
        try:
            per_idx = pd.DatetimeIndex(pd.to_datetime(per)).to_period(freq)
        except (TypeError, ValueError):
            raise ParameterError(f"column {period!r} must hold periods or dates") from None
    vals = pd.to_numeric(panel[value], errors="coerce")
    df = pd.DataFrame({k: panel[k].to_numpy() for k in keys})
    df["_p"] = per_idx
    df["_v"] = vals.to_numpy(dtype="float64")
    errors: dict[tuple, str] = {}
    bad = ~np.isfinite(df["_v"].to_numpy())
    for pos in np.flatnonzero(bad):
        key = tuple(df.iloc[pos][k] for k in keys)
        errors.setdefault(key, (
            f"error: column {value!r} has a missing, infinite or non-numeric value "
            f"({panel[value].iloc[pos]!r}) at row {pos} (period {per_idx[pos]}); expected "
            "numbers (US dollars): this series was not forecast"))
    df.loc[bad, "_v"] = 0.0  # the series stays listed (as an error), it is not forecast
    wide = df.pivot_table(index="_p", columns=keys, values="_v", aggfunc="sum")
    full = pd.period_range(per_idx.min(), per_idx.max(), freq=per_idx.freq)
    wide = wide.reindex(full)
    filled = wide.isna().sum().to_numpy()
    wide = wide.fillna(0.0)
    cols = wide.columns
    items = [((c if isinstance(c, tuple) else (c,)), wide[c]) for c in cols]
    return items, keys, list(filled), errors


def forecast_many(panel: pd.DataFrame, keys=None, horizon: int = 12, levels=DEFAULT_LEVELS, *,
                  period: str = "period", value: str = "value_usd", freq: str = "M",
                  n_jobs: int = 2, progress: bool = True, seed: int = 0,
                  reconcile: str | None = None, aggregates=None, **kwargs) -> ManyForecast:
    """Forecast every series of a panel (e.g. product group × county) in one call.

    Parameters
    ----------
    panel : pandas.DataFrame
        Long: one row per key combination and period, with the ``keys`` columns, a
        ``period`` column (Periods, or dates converted with ``freq``) and a
        ``value`` column. Wide: a PeriodIndex and one column per series (``keys=None``).
        Periods without rows inside the panel's range count as zero (flagged).
    keys : str or list of str, optional
        Key columns of a long panel (None for a wide one).
    horizon : int, default 12
        Periods ahead.
    levels : tuple, default (80, 95)
        Interval levels, percent.
    period, value : str
        Column names of a long panel (default ``period``, ``value_usd``).
    freq : str, default "M"
        Frequency for a date column.
    n_jobs : int, default 2
        Worker processes (joblib); results do not depend on it. Under
        ``joblib.parallel_config(backend="dask")`` the tasks go to the Dask cluster
        of the active client instead (any ``n_jobs`` other than 1).
    progress : bool, default True
        Show a tqdm progress bar.
    seed : int, default 0
        Root seed; each series gets a child seed in sorted key order.
    reconcile : {None, "mint_shrink"}, optional
        ``"mint_shrink"``: also forecast every aggregate of the hierarchy and make
        all forecasts add up (协调) with MinT and a shrunk error covariance
        (:mod:`ciqanalysis.forecast.reconcile`). Aggregate rows carry ``"*"`` for
        the keys summed over (e.g. county ``*`` = the whole prefecture). Means are
        reconciled; each interval moves with its mean (its width is the base
        forecast's), lower bounds of non-negative series kept at 0 or above.
    aggregates : list of list of str, optional
        Aggregate levels for ``reconcile``: each the keys kept. Default the nested
        hierarchy of ``keys`` in order, e.g. keys ``["prefecture", "county"]`` gives
        the province (``[]``) and prefectures (``["prefecture"]``); for crossed keys
        such as county × product group pass e.g. ``[[], ["county"], ["product_group"]]``.
    **kwargs
        Passed to :func:`~ciqanalysis.forecast.forecast` (e.g. ``candidates``).

    Returns
    -------
    ManyForecast

    Raises
    ------
    ParameterError
        For a panel without the needed columns or with non-numeric values.

    Examples
    --------
    >>> idx = pd.period_range("2001", periods=10, freq="Y")
    >>> wide = pd.DataFrame({"a": np.arange(10.0) + 5, "b": np.zeros(10)}, index=idx)
    >>> out = forecast_many(wide, horizon=2, n_jobs=1, progress=False)
    >>> out.series["status"].to_dict()
    {'a': 'ok', 'b': 'simple'}
    """
    from joblib import Parallel, delayed, effective_n_jobs
    from tqdm import tqdm

    levels = check_levels(levels)
    if keys is not None and not isinstance(keys, (str, list, tuple)):
        raise ParameterError(
            f"keys must be a column name or a list of them, got {keys!r}; the horizon is the "
            f"third argument: forecast_many(panel, horizon={keys!r}) for a wide panel"
        )
    if isinstance(horizon, bool) or not isinstance(horizon, (int, np.integer)) or not 1 <= horizon <= MAX_HORIZON:
        raise ParameterError(f"horizon must be a whole number in 1..{MAX_HORIZON}, got {horizon!r}")
    cands = kwargs.get("candidates")
    if cands is not None and not (isinstance(cands, str) and cands == "all"):
        if isinstance(cands, str):
            raise ParameterError(f"candidates must be a list of names or 'all', got {cands!r}")
        unknown = [m for m in cands if m not in M.CANDIDATES]
        if unknown or not list(cands):
            raise ParameterError(f"unknown candidate(s) {unknown or list(cands)}; expected names from "
                                 f"{list(M.CANDIDATES)}")
        check_candidate_names(cands)
    if reconcile not in (None, "mint_shrink"):
        raise ParameterError(f"reconcile must be None or 'mint_shrink', got {reconcile!r}")
    items, names, filled, errors = _to_series(panel, keys, period, value, freq)
    if not items:
        raise ParameterError("the panel holds no series")
    S = None
    if reconcile:
        if errors:
            raise ParameterError(f"cannot reconcile: {len(errors)} series have bad values "
                                 f"(first: {next(iter(errors.values()))[7:]})")
        items, filled, S = _with_aggregates(items, filled, names, aggregates)
    order = sorted(range(len(items)), key=lambda i: tuple(str(k) for k in items[i][0]))
    items = [items[i] for i in order]
    filled = [filled[i] for i in order]
    if S is not None:
        S = S[order]  # rows follow the series' sorted order
    seeds = [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(seed).spawn(len(items))]
    seasonal_period(items[0][1].index)
    jobs = [(_one, (y.rename("/".join(map(str, k))), int(horizon), levels, s, kwargs))
            if k not in errors else (_failed, (errors[k],))
            for (k, y), s in zip(items, seeds, strict=True)]
    bar = tqdm(total=len(items), desc="forecasting series", disable=not progress)
    results = []
    if n_jobs == 1:
        for func, args in jobs:
            results.append(func(*args))
            bar.update()
    else:
        chunks = _chunks(jobs, effective_n_jobs(n_jobs))
        tasks = (delayed(_run_chunk)(chunk) for chunk in chunks)
        for chunk, r in zip(chunks, Parallel(n_jobs=n_jobs, return_as="generator")(tasks),
                            strict=True):
            results.extend(r)
            bar.update(len(chunk))
    bar.close()

    if S is not None:
        results = _reconcile(results, S, [y for _, y in items], levels)
    frames, rows = [], []
    for (k, y), res, nfill in zip(items, results, filled, strict=True):
        flags = list(res["flags"])
        if nfill:
            flags.insert(0, f"filled_zero: {nfill} period(s) without rows counted as 0")
        rows.append((*k, len(y), float((y == 0).mean()), res["status"], res["models"],
                     res["fallback"], "; ".join(flags)))
        if res["table"] is not None:
            t = res["table"].reset_index()
            for name, kv in zip(names, k, strict=True):
                t.insert(names.index(name), name, kv)
            frames.append(t)
    series = pd.DataFrame(rows, columns=[*names, "n_obs", "zeros_share", "status", "models",
                                         "fallback", "flags"]).set_index(names)
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    n_err = int((series["status"] == "error").sum())
    if n_err:
        warnings.warn(f"forecast_many: {n_err} series could not be forecast (status 'error'; "
                      "see .series['flags'])", DataQualityWarning, stacklevel=user_stacklevel())
    n_fb = int(series["fallback"].sum())
    if n_fb:
        warnings.warn(f"forecast_many: {n_fb} series used a fallback (see .series['flags'])",
                      ForecastFallbackWarning, stacklevel=user_stacklevel())
    Provenance.from_data(panel).attach(table)  # the panel's synthetic label and source go along
    return ManyForecast(table=table, series=series)
