"""Shared checks and safe arithmetic for the metrics modules (private)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ParameterError

#: Periods per year by the first letter of a pandas period frequency string.
_PER_YEAR = {"M": 12, "Q": 4, "Y": 1, "A": 1}


def _check_pandas(x, name: str = "x") -> None:
    if not isinstance(x, (pd.Series, pd.DataFrame)):
        raise ParameterError(
            f"{name} must be a pandas Series or DataFrame, got {type(x).__name__}"
        )


def _periods_per_year(x: pd.Series | pd.DataFrame, name: str = "x") -> int:
    """Return 12, 4 or 1 for a monthly, quarterly or annual PeriodIndex, else raise."""
    _check_pandas(x, name)
    idx = x.index
    if not isinstance(idx, pd.PeriodIndex):
        raise ParameterError(
            f"{name} must be indexed by a pandas PeriodIndex (monthly, quarterly or "
            f"annual), got {type(idx).__name__}",
        )
    per = _PER_YEAR.get(idx.freqstr[0])
    if per is None:
        raise ParameterError(
            f"{name} has period frequency {idx.freqstr!r}; expected monthly ('M'), "
            "quarterly ('Q') or annual ('Y')"
        )
    if idx.has_duplicates:
        raise ParameterError(f"{name} has duplicated periods in its index")
    return per


def _check_numeric(x: pd.Series | pd.DataFrame, name: str = "x") -> None:
    frame = x.to_frame() if isinstance(x, pd.Series) else x
    bad = [str(c) for c, dt in frame.dtypes.items() if not pd.api.types.is_numeric_dtype(dt)
           or pd.api.types.is_bool_dtype(dt)]
    if bad:
        raise ParameterError(f"{name} must hold numbers; non-numeric column(s): {bad}")


def _check_no_sign_change(x: pd.Series | pd.DataFrame, what: str) -> None:
    """Refuse a quantity that takes both signs (such as a trade balance)."""
    frame = x.to_frame() if isinstance(x, pd.Series) else x
    mixed = (frame > 0).any() & (frame < 0).any()
    if mixed.any():
        cols = [str(c) for c in mixed.index[mixed.to_numpy()]]
        raise ParameterError(
            f"{what} is not defined for a quantity that changes sign (such as a trade "
            f"balance, 差额); column(s) with both signs: {cols}. Compute the growth of "
            "exports and imports separately, or report the change in levels"
        )


def _ratio(num, den):
    """Divide, giving NaN (never inf) where the denominator is 0 or missing."""
    if isinstance(den, (pd.Series, pd.DataFrame)):
        den = den.astype("float64")
        return num / den.where(den != 0)
    den = float(den)
    if den == 0 or np.isnan(den):
        return num * np.nan  # keeps the shape and type of num
    return num / den


def _as_float(x: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    return x.astype("float64")
