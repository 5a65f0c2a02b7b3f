"""Structure of trade: concentration (HHI, top-n), RCA, Grubel-Lloyd, margins.

Definitions follow the WTO/UNCTAD *Practical Guide to Trade Policy Analysis*
(ch. 1) and the World Bank's WITS indicators. Inputs are values by component: a
Series (one distribution, e.g. exports by product) or a wide frame whose rows are
distributions (e.g. periods x products).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..errors import DataQualityWarning, ParameterError, user_stacklevel
from ._common import _as_float, _check_numeric, _check_pandas, _ratio

__all__ = [
    "hhi",
    "top_n_share",
    "rca",
    "grubel_lloyd",
    "grubel_lloyd_aggregate",
    "trade_margins",
    "margin_decomposition",
]


def _nonneg(x, name: str = "x"):
    _check_pandas(x, name)
    _check_numeric(x, name)
    x = _as_float(x)
    if bool((x < 0).to_numpy().any()):
        raise ParameterError(f"{name} must hold non-negative trade values (no negatives)")
    return x


def hhi(x: pd.Series | pd.DataFrame, *, normalised: bool = False) -> float | pd.Series:
    """Herfindahl-Hirschman index of concentration (赫芬达尔指数), 0..1.

    ``HHI = sum_i s_i ** 2`` over the shares of the components with trade;
    normalised ``(HHI - 1/N) / (1 - 1/N)`` where ``N`` is the number of components
    with trade > 0. With ``N = 1`` trade is fully concentrated: both versions are 1.

    Parameters
    ----------
    x : pandas.Series or pandas.DataFrame
        Non-negative values by component (Series), or rows of distributions.
    normalised : bool, default False
        Return the normalised index.

    Returns
    -------
    float or pandas.Series
        NaN where there is no trade at all.

    Examples
    --------
    >>> import pandas as pd
    >>> hhi(pd.Series([50.0, 50.0]))
    0.5
    >>> hhi(pd.Series([50.0, 50.0]), normalised=True)
    0.0
    >>> hhi(pd.Series([7.0, 0.0]), normalised=True)
    1.0
    """
    x = _nonneg(x)
    frame = x.to_frame().T if isinstance(x, pd.Series) else x
    total = frame.sum(axis=1)
    s = frame.div(total.where(total > 0), axis=0)
    raw = (s**2).sum(axis=1, min_count=1)
    if normalised:
        n = (frame > 0).sum(axis=1).astype("float64")
        with np.errstate(divide="ignore", invalid="ignore"):
            norm = (raw - 1.0 / n) / (1.0 - 1.0 / n)
        raw = norm.mask(n == 1, 1.0).mask(n == 0)
    return float(raw.iloc[0]) if isinstance(x, pd.Series) else raw


def top_n_share(x: pd.Series | pd.DataFrame, n: int = 5, *, pct: bool = True):
    """Share of the ``n`` largest components in the total (前 n 位集中度).

    Parameters
    ----------
    x : pandas.Series or pandas.DataFrame
        Non-negative values by component, or rows of distributions.
    n : int, default 5
        How many of the largest components.
    pct : bool, default True
        Per cent when True, a fraction when False.

    Returns
    -------
    float or pandas.Series
        NaN where the total is 0.

    Examples
    --------
    >>> import pandas as pd
    >>> top_n_share(pd.Series([5.0, 3.0, 2.0]), n=2)
    80.0
    """
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ParameterError(f"n must be a positive integer, got {n!r}")
    x = _nonneg(x)
    frame = x.to_frame().T if isinstance(x, pd.Series) else x
    vals = np.sort(np.nan_to_num(frame.to_numpy(dtype="float64")), axis=1)[:, ::-1]
    top = vals[:, :n].sum(axis=1)
    total = vals.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(total > 0, top / np.where(total > 0, total, 1.0), np.nan)
    out = out * (100.0 if pct else 1.0)
    return float(out[0]) if isinstance(x, pd.Series) else pd.Series(out, index=frame.index)


def rca(
    x: pd.Series | pd.DataFrame,
    reference: pd.Series,
    *,
    symmetric: bool = False,
) -> pd.Series | pd.DataFrame:
    """Revealed comparative advantage (显示性比较优势, Balassa index).

    ``RCA_j = (x_j / X) / (w_j / W)``: the product's share in the region's exports
    over its share in the reference's (e.g. China's national exports by product).
    RCA > 1 reveals an advantage. The index is unbounded and asymmetric; the
    symmetric version ``(RCA - 1) / (RCA + 1)`` lies in [-1, 1].

    Parameters
    ----------
    x : pandas.Series or pandas.DataFrame
        Non-negative exports by product (Series), or rows (regions, periods) x
        products.
    reference : pandas.Series
        Non-negative reference exports by the same products. Products missing from
        the reference raise a :class:`ParameterError`.
    symmetric : bool, default False
        Return ``(RCA - 1) / (RCA + 1)``.

    Returns
    -------
    Same type as ``x``
        NaN where a total is 0 or the reference's value for a product is 0.

    Examples
    --------
    >>> import pandas as pd
    >>> jilin = pd.Series({"ginseng": 30.0, "cars": 70.0})
    >>> china = pd.Series({"ginseng": 1.0, "cars": 99.0})
    >>> rca(jilin, china).round(3).tolist()
    [30.0, 0.707]
    """
    x = _nonneg(x)
    ref = _nonneg(reference, "reference")
    if isinstance(ref, pd.DataFrame):
        raise ParameterError("reference must be a Series of values by product")
    products = x.index if isinstance(x, pd.Series) else x.columns
    missing = [str(p) for p in products if p not in ref.index]
    if missing:
        raise ParameterError(f"products missing from the reference: {missing[:10]}")
    ref_share = _ratio(ref.reindex(products), ref.sum())
    if isinstance(x, pd.Series):
        own = _ratio(x, x.sum())
        out = _ratio(own, ref_share)
    else:
        total = x.sum(axis=1)
        own = x.div(total.where(total > 0), axis=0)
        out = own.div(ref_share.where(ref_share > 0), axis=1)
    if symmetric:
        out = (out - 1.0) / (out + 1.0)
    return out


def grubel_lloyd(exports: pd.Series, imports: pd.Series) -> pd.Series:
    """Grubel-Lloyd index of intra-industry trade (产业内贸易指数) by product.

    ``GL_k = 1 - |X_k - M_k| / (X_k + M_k)``, 0 (one-way trade) .. 1 (balanced
    two-way trade). Products with ``X_k = M_k = 0`` have no index: they are dropped,
    listed in ``result.attrs["dropped"]`` and reported with a
    :class:`DataQualityWarning`. The index rises with aggregation, so compare it at
    one level (e.g. HS2) only.

    Parameters
    ----------
    exports, imports : pandas.Series
        Non-negative values by product; a product missing from one side counts 0.

    Returns
    -------
    pandas.Series
        Named ``"grubel_lloyd"``.

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.Series({"03": 10.0, "44": 0.0, "87": 5.0})
    >>> m = pd.Series({"03": 10.0, "44": 0.0, "87": 15.0})
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     grubel_lloyd(x, m).tolist()
    [1.0, 0.5]
    """
    xs, ms = _aligned_flows(exports, imports)
    two_way = xs + ms
    zero = two_way == 0
    dropped = [str(k) for k in two_way.index[zero.to_numpy()]]
    if dropped:
        warnings.warn(
            f"Grubel-Lloyd: {len(dropped)} product(s) with X = M = 0 dropped: {dropped[:10]}",
            DataQualityWarning,
            stacklevel=user_stacklevel(),
        )
    keep = ~zero
    gl = (1.0 - (xs[keep] - ms[keep]).abs() / two_way[keep]).rename("grubel_lloyd")
    gl.attrs["dropped"] = dropped
    return gl


def grubel_lloyd_aggregate(exports: pd.Series, imports: pd.Series) -> float:
    """Aggregate Grubel-Lloyd index, the product indices weighted by ``X_k + M_k``.

    Equals ``1 - sum|X_k - M_k| / sum(X_k + M_k)``; products with ``X = M = 0`` are
    dropped (they carry no weight) and reported as in :func:`grubel_lloyd`.

    Parameters
    ----------
    exports, imports : pandas.Series
        Non-negative values by product.

    Returns
    -------
    float
        NaN when there is no trade at all.

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.Series({"03": 10.0, "87": 5.0})
    >>> m = pd.Series({"03": 10.0, "87": 15.0})
    >>> round(grubel_lloyd_aggregate(x, m), 4)
    0.75
    """
    xs, ms = _aligned_flows(exports, imports)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        gl = grubel_lloyd(xs, ms)
    if gl.attrs["dropped"]:
        warnings.warn(
            f"Grubel-Lloyd: {len(gl.attrs['dropped'])} product(s) with X = M = 0 dropped",
            DataQualityWarning,
            stacklevel=user_stacklevel(),
        )
    w = (xs + ms).reindex(gl.index)
    return float((gl * w).sum() / w.sum()) if w.sum() > 0 else np.nan


def _aligned_flows(exports, imports):
    xs = _nonneg(exports, "exports")
    ms = _nonneg(imports, "imports")
    if not isinstance(xs, pd.Series) or not isinstance(ms, pd.Series):
        raise ParameterError("exports and imports must be Series of values by product")
    idx = xs.index.union(ms.index, sort=False)
    return xs.reindex(idx, fill_value=0.0).fillna(0.0), ms.reindex(idx, fill_value=0.0).fillna(0.0)


def trade_margins(x: pd.DataFrame) -> pd.DataFrame:
    """Extensive and intensive margins (广延边际 / 集约边际) per row.

    Parameters
    ----------
    x : pandas.DataFrame
        Non-negative values, rows (e.g. periods) x components (products, partners,
        counties). NaN counts as no trade.

    Returns
    -------
    pandas.DataFrame
        Columns ``n_active`` (extensive margin: components with trade > 0),
        ``total`` and ``value_per_active`` (intensive margin; NaN with no trade).

    Examples
    --------
    >>> import pandas as pd
    >>> m = trade_margins(pd.DataFrame({"a": [2.0, 0.0], "b": [4.0, 3.0]}))
    >>> m["n_active"].tolist(), m["value_per_active"].tolist()
    ([2, 1], [3.0, 3.0])
    """
    if not isinstance(x, pd.DataFrame):
        raise ParameterError("x must be a wide DataFrame (rows x components)")
    x = _nonneg(x).fillna(0.0)
    n = (x > 0).sum(axis=1)
    total = x.sum(axis=1)
    return pd.DataFrame(
        {"n_active": n, "total": total, "value_per_active": _ratio(total, n)}
    )


def margin_decomposition(current: pd.Series, base: pd.Series) -> pd.Series:
    """Split a change in trade into intensive and extensive margins (边际分解).

    ``intensive``: change in components traded in both periods; ``new``: value of
    components traded only now; ``lost``: minus the value of components traded only
    in the base. ``extensive = new + lost`` and ``total = intensive + extensive``.

    Parameters
    ----------
    current, base : pandas.Series
        Non-negative values by component (missing = 0).

    Returns
    -------
    pandas.Series
        Index ``intensive``, ``new``, ``lost``, ``extensive``, ``total``.

    Examples
    --------
    >>> import pandas as pd
    >>> cur = pd.Series({"ginseng": 12.0, "radish": 3.0})
    >>> base = pd.Series({"ginseng": 10.0, "corn": 4.0})
    >>> margin_decomposition(cur, base).tolist()
    [2.0, 3.0, -4.0, -1.0, 1.0]
    """
    cur, b = _aligned_flows(current, base)
    both = (cur > 0) & (b > 0)
    new = (cur > 0) & (b == 0)
    lost = (cur == 0) & (b > 0)
    intensive = float((cur - b)[both].sum())
    n_val = float(cur[new].sum())
    l_val = -float(b[lost].sum())
    return pd.Series(
        {"intensive": intensive, "new": n_val, "lost": l_val, "extensive": n_val + l_val,
         "total": intensive + n_val + l_val}
    )
