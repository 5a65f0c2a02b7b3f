"""Composition of trade: 拉动 (contribution, pp), 贡献率 (contribution share), 比重 (share).

A contribution in percentage points (拉动) is a component's change divided by the
*total's* base value, so the components' contributions add up exactly to the
total's growth rate. A contribution share (贡献率) is a component's change over the
total's change; it explodes when the total barely moved, in which case it is NaN
with an :class:`~ciqanalysis.errors.ExplosiveContributionWarning`.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .._docstring import fill
from ..errors import (
    DataQualityWarning,
    ExplosiveContributionWarning,
    ParameterError,
    user_stacklevel,
)
from ._common import _as_float, _check_numeric, _check_pandas, _periods_per_year, _ratio

__all__ = [
    "contribution_pp",
    "contribution_share",
    "share",
    "balance",
    "export_import_ratio",
]


def _current_and_base(current, base):
    """Return (current, base, axis) where ``axis`` sums over the components."""
    _check_pandas(current, "current")
    _check_numeric(current, "current")
    if base is None:
        if not isinstance(current, pd.DataFrame):
            raise ParameterError(
                "with base=None, current must be a wide DataFrame (periods x components) "
                "indexed by a PeriodIndex; otherwise pass base explicitly"
            )
        per_year = _periods_per_year(current, "current")
        cur = _as_float(current)
        b = cur.reindex(cur.index - per_year)
        b.index = cur.index
        return cur, b, 1
    _check_pandas(base, "base")
    _check_numeric(base, "base")
    if type(current) is not type(base):
        raise ParameterError("current and base must both be Series or both be DataFrames")
    if isinstance(current, pd.Series):
        if not current.index.equals(base.index):
            if set(current.index) != set(base.index):
                raise ParameterError(
                    "current and base must list the same components; only in one of them: "
                    f"{sorted(map(str, set(current.index) ^ set(base.index)))}"
                )
            base = base.reindex(current.index)
        return _as_float(current), _as_float(base), 0
    if not (current.index.equals(base.index) and current.columns.equals(base.columns)):
        raise ParameterError("current and base frames must have the same index and columns")
    return _as_float(current), _as_float(base), 1


def contribution_pp(
    current: pd.Series | pd.DataFrame,
    base: pd.Series | pd.DataFrame | None = None,
) -> pd.Series | pd.DataFrame:
    """Contribution to total growth in percentage points (拉动, 百分点).

    ``(X_i,t - X_i,base) / X_total,base * 100`` where the total is the sum of the
    components, so the contributions add up to the total's growth rate (per cent).

    Parameters
    ----------
    current : pandas.Series or pandas.DataFrame
        Either a Series of components (e.g. index ``export``, ``import``) with
        ``base`` the same components in the base period; or a wide frame
        (PeriodIndex x components) and ``base=None``, in which case the base is the
        same period a year earlier (同比拉动).
    base : pandas.Series or pandas.DataFrame, optional
        Base-period values, aligned with ``current``.

    Returns
    -------
    Same type as ``current``
        Percentage points; NaN where the total base is 0 or any component's base is
        missing. Negative contributions are allowed.

    Examples
    --------
    >>> import pandas as pd
    >>> cur = pd.Series({"export": 19.91, "import": 26.18})
    >>> base = pd.Series({"export": 19.91 / 1.2299, "import": 26.18 / 1.1484})
    >>> contribution_pp(cur, base).round(2).tolist()
    [9.55, 8.68]
    """
    cur, b, axis = _current_and_base(current, base)
    if axis == 0:
        total_base = b.sum(min_count=len(b)) if len(b) else np.nan
        return _ratio(cur - b, total_base) * 100.0
    total_base = b.sum(axis=1, min_count=b.shape[1])
    return (cur - b).div(total_base.where(total_base != 0), axis=0) * 100.0


def contribution_share(
    current: pd.Series | pd.DataFrame,
    base: pd.Series | pd.DataFrame | None = None,
    *,
    rtol: float = 1e-3,
    pct: bool = True,
) -> pd.Series | pd.DataFrame:
    """Contribution share (贡献率): a component's change over the total's change.

    Parameters
    ----------
    current, base : pandas.Series or pandas.DataFrame
        As in :func:`contribution_pp`.
    rtol : float, default 1e-3
        When ``|Δ total| <= rtol * |total base|`` (the total barely moved, e.g. by
        less than 0.1 %), the share is meaningless and explodes: it is set to NaN
        with an :class:`ExplosiveContributionWarning`.
    pct : bool, default True
        Per cent when True (shares add up to 100), a fraction when False.

    Returns
    -------
    Same type as ``current``

    Examples
    --------
    >>> import pandas as pd
    >>> cur = pd.Series({"export": 120.0, "import": 110.0})
    >>> base = pd.Series({"export": 100.0, "import": 100.0})
    >>> contribution_share(cur, base).round(2).tolist()
    [66.67, 33.33]
    """
    if rtol < 0:
        raise ParameterError(f"rtol must be >= 0, got {rtol}")
    cur, b, axis = _current_and_base(current, base)
    scale = 100.0 if pct else 1.0
    if axis == 0:
        d_total = float((cur - b).sum(min_count=len(b)))
        b_total = float(b.sum(min_count=len(b)))
        if np.isfinite(d_total) and abs(d_total) <= rtol * abs(b_total):
            warnings.warn(
                f"contribution share (贡献率) set to NaN: the total changed by {d_total:.4g} "
                f"on a base of {b_total:.4g} (|Δ| <= rtol x base, rtol={rtol})",
                ExplosiveContributionWarning,
                stacklevel=user_stacklevel(),
            )
            return (cur - b) * np.nan
        return _ratio(cur - b, d_total) * scale
    d = cur - b
    d_total = d.sum(axis=1, min_count=d.shape[1])
    b_total = b.sum(axis=1, min_count=b.shape[1])
    explosive = d_total.abs() <= rtol * b_total.abs()
    if explosive.any():
        warnings.warn(
            "contribution share (贡献率) set to NaN where the total barely changed: "
            f"{[str(p) for p in d_total.index[explosive.to_numpy()]][:6]}",
            ExplosiveContributionWarning,
            stacklevel=user_stacklevel(),
        )
    return d.div(d_total.mask(explosive | (d_total == 0)), axis=0) * scale


def share(
    x: pd.Series | pd.DataFrame,
    *,
    negative: str = "warn",
    pct: bool = True,
) -> pd.Series | pd.DataFrame:
    """Share of the total (比重): ``X_i / X_total``.

    Parameters
    ----------
    x : pandas.Series or pandas.DataFrame
        A Series of components, or a wide frame whose rows (e.g. periods) are
        shared out across its columns (components).
    negative : {"warn", "raise", "nan"}, default "warn"
        What to do with negative components (e.g. a balance): keep them and warn
        (:class:`DataQualityWarning`; shares then leave 0..100), raise a
        :class:`ParameterError`, or set the row's shares to NaN.
    pct : bool, default True
        Per cent when True, a fraction when False.

    Returns
    -------
    Same type as ``x``
        NaN where the total is 0.

    Examples
    --------
    >>> import pandas as pd
    >>> share(pd.Series({"export": 19.91, "import": 26.18})).round(2).tolist()
    [43.2, 56.8]
    """
    _check_pandas(x)
    _check_numeric(x)
    if negative not in ("warn", "raise", "nan"):
        raise ParameterError(f"negative must be 'warn', 'raise' or 'nan', got {negative!r}")
    x = _as_float(x)
    scale = 100.0 if pct else 1.0
    neg = x < 0
    if isinstance(x, pd.Series):
        has_neg = bool(neg.any())
        if has_neg and negative == "nan":
            return x * np.nan
    else:
        neg_rows = neg.any(axis=1)
        has_neg = bool(neg_rows.any())
        if has_neg and negative == "nan":
            x = x.mask(neg_rows, axis=0)
    if has_neg and negative == "raise":
        raise ParameterError("share (比重) of negative components: pass negative='warn' or 'nan'")
    if has_neg and negative == "warn":
        warnings.warn(
            "negative components: shares (比重) are outside 0..100", DataQualityWarning,
            stacklevel=user_stacklevel(),
        )
    if isinstance(x, pd.Series):
        return _ratio(x, x.sum(min_count=1)) * scale
    total = x.sum(axis=1, min_count=1)
    return x.div(total.where(total != 0), axis=0) * scale


def _two_columns(x: pd.DataFrame, export: str, import_: str):
    _check_pandas(x)
    if not isinstance(x, pd.DataFrame) or export not in x or import_ not in x:
        raise ParameterError(
            f"expected a DataFrame with columns {export!r} and {import_!r} "
            "(e.g. cq.panel.to_wide(panel, columns='direction'))"
        )
    _check_numeric(x[[export, import_]])
    return _as_float(x[export]), _as_float(x[import_])


@fill
def balance(x: pd.DataFrame, *, export: str = "export", import_: str = "import") -> pd.Series:
    """Trade balance (贸易差额): exports minus imports.

    A balance changes sign, so it has no growth rate: :func:`yoy_growth` refuses it.

    %(export_import_params)s
        Named ``"balance"``.

    Examples
    --------
    >>> import pandas as pd
    >>> balance(pd.DataFrame({"export": [19.91], "import": [26.18]})).round(2).tolist()
    [-6.27]
    """
    xs, ms = _two_columns(x, export, import_)
    return (xs - ms).rename("balance")


@fill
def export_import_ratio(
    x: pd.DataFrame, *, export: str = "export", import_: str = "import"
) -> pd.Series:
    """Export/import ratio (出口进口比): exports / imports; NaN when imports are 0.

    %(export_import_params)s
        Named ``"export_import_ratio"``.

    Examples
    --------
    >>> import pandas as pd
    >>> export_import_ratio(pd.DataFrame({"export": [1.0, 2.0], "import": [2.0, 0.0]})).tolist()
    [0.5, nan]
    """
    xs, ms = _two_columns(x, export, import_)
    return _ratio(xs, ms).rename("export_import_ratio")
