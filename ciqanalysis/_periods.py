"""Period codes, prefectures and span checks shared by the panel engines (面板工具).

Private module below :mod:`ciqanalysis.panel` (pandas) and ``ciqanalysis._scale``
(DuckDB, Dask), so that neither imports the other.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import AsOfDateError, ParameterError, SchemaError

__all__ = ["_period_codes", "_prefecture", "_check_span"]


def _period_codes(dates: pd.Series, freq: str) -> np.ndarray:
    """Period ordinals (pandas' own) of datetimes, computed on integers.

    Days since 1970 index a small calendar table (one entry per day of the data's
    range), which is much faster than a calendar-aware ``astype`` per row.
    """
    days = np.asarray(dates.to_numpy()).astype("datetime64[D]").astype("int64")
    if len(days) == 0:
        return days
    d0 = int(days.min())
    span = np.arange(d0, int(days.max()) + 1, dtype="int64").astype("datetime64[D]")
    months = span.astype("datetime64[M]").astype("int64")
    if freq == "Q":
        months = months // 3
    elif freq == "Y":
        months = months // 12
    return months[days - d0]


def _prefecture(decl: pd.DataFrame, counties: pd.DataFrame | None) -> pd.Categorical:
    """Prefecture code of each row, mapped on the categories (not the rows)."""
    cc = decl["county_code"]
    if cc.isna().any():
        raise SchemaError("missing county codes: no prefecture can be derived",
                          column="county_code", expected="6-character GB/T 2260 codes")
    cat = cc if isinstance(cc.dtype, pd.CategoricalDtype) else cc.astype("category")
    cats = pd.Index(cat.cat.categories.astype("str"))
    pref = pd.Series(cats.str[:4] + "00", index=cats)
    if counties is not None:
        if not {"code_2010", "prefecture_code"} <= set(counties.columns):
            raise SchemaError("counties lack 'code_2010' or 'prefecture_code'",
                              expected="the counties table, cq.data.load('counties')")
        table = pd.Series(counties["prefecture_code"].astype("str").to_numpy(),
                          index=counties["code_2010"].astype("str").to_numpy())
        pref = table.reindex(cats).fillna(pref)
    pcodes, puniq = pd.factorize(pref.to_numpy())
    return pd.Categorical.from_codes(pcodes[cat.cat.codes.to_numpy()], categories=puniq)


def _check_span(data_start, data_end, first, last, count_outside) -> None:
    """Check data_start <= data_end and that no declaration lies outside them."""
    d0 = pd.Timestamp(data_start) if data_start is not None else first
    d1 = pd.Timestamp(data_end) if data_end is not None else last
    if d1 < d0:
        raise ParameterError(f"data_end {d1.date()} is before data_start {d0.date()}")
    if data_start is not None or data_end is not None:
        n = count_outside(d0, d1)
        if n:
            raise AsOfDateError(
                f"{n} declaration(s) dated outside data_start..data_end "
                f"({d0.date()}..{d1.date()})"
            )
