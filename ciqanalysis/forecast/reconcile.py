"""Coherent forecasts of a hierarchy (预测协调): MinT with a shrunk covariance.

Forecasts of a county, its prefecture and the province made one by one need not add
up. Reconciliation replaces the base forecasts ``yhat`` (one column per series, all
levels) by ``S @ G @ yhat`` — ``S`` the summing matrix from the bottom series to every
series — with the minimum-trace (MinT) choice of ``G``
(Wickramasuriya, Athanasopoulos & Hyndman, 2019, JASA 114:804-819)::

    G = (S' W^-1 S)^-1 S' W^-1

where ``W`` is the covariance of the one-step in-sample forecast errors, shrunk
towards its diagonal with the data-driven intensity of Schäfer & Strimmer (2005)
("MinT-shrink"). Base forecasts that already add up are left unchanged.

Examples
--------
>>> S = summing_matrix([("a",), ("b",)], [[], ["k"]], ["k"])[0]
>>> S.tolist()
[[1.0, 1.0], [1.0, 0.0], [0.0, 1.0]]
"""

from __future__ import annotations

import numpy as np

from ..errors import ParameterError

__all__ = ["ALL", "summing_matrix", "shrink_covariance", "mint_reconcile"]

#: Key value of an aggregated-out key in reconciled tables (e.g. every county).
ALL = "*"


def summing_matrix(bottom: list[tuple], aggregates: list[list[str]], keys: list[str]):
    """Return the summing matrix ``S`` and the key tuple of each of its rows.

    Parameters
    ----------
    bottom : list of tuple
        Key tuples of the bottom series (one value per key, in the order of ``keys``).
    aggregates : list of list of str
        Each a subset of ``keys`` kept in an aggregate level: ``[]`` is the grand
        total, ``["prefecture"]`` one series per prefecture; the full ``keys`` (the
        bottom level) is always added last.
    keys : list of str
        Key names.

    Returns
    -------
    S : numpy.ndarray
        Shape (series, bottom series): row i adds the bottom series that make up series i.
    rows : list of tuple
        Key tuple of each row, with :data:`ALL` for the keys summed over.

    Examples
    --------
    >>> S, rows = summing_matrix([("x", "a"), ("x", "b"), ("y", "c")], [[], ["p"]], ["p", "c"])
    >>> rows[:3], S.shape
    ([('*', '*'), ('x', '*'), ('y', '*')], (6, 3))
    """
    levels = []
    for agg in aggregates:
        bad = [k for k in agg if k not in keys]
        if bad:
            raise ParameterError(f"aggregate level {agg} names unknown key(s) {bad}; keys are {keys}")
        keep = [k for k in keys if k in agg]
        if keep != list(keys) and keep not in levels:
            levels.append(keep)
    rows, mats = [], []
    for keep in levels:
        pos = [keys.index(k) for k in keep]
        groups: dict[tuple, list[int]] = {}
        for j, b in enumerate(bottom):
            label = tuple(b[i] if i in pos else ALL for i in range(len(keys)))
            groups.setdefault(label, []).append(j)
        for label in sorted(groups, key=lambda t: tuple(str(v) for v in t)):
            row = np.zeros(len(bottom))
            row[groups[label]] = 1.0
            rows.append(label)
            mats.append(row)
    rows += list(bottom)
    S = np.vstack([*mats, np.eye(len(bottom))]) if mats else np.eye(len(bottom))
    return S, rows


def shrink_covariance(resid: np.ndarray) -> tuple[np.ndarray, float]:
    """Shrink the covariance of one-step errors towards its diagonal (Schäfer-Strimmer).

    Parameters
    ----------
    resid : numpy.ndarray
        Shape (periods, series): in-sample one-step forecast errors, no NaN.

    Returns
    -------
    W : numpy.ndarray
        ``lam * diag(C) + (1 - lam) * C`` with ``C = resid' resid / periods``.
    lam : float
        Shrinkage intensity in [0, 1]: the estimated variance of the off-diagonal
        correlations over their squared size.

    Examples
    --------
    >>> W, lam = shrink_covariance(np.random.default_rng(0).normal(size=(50, 3)))
    >>> W.shape, 0 <= lam <= 1
    ((3, 3), True)
    """
    x = np.asarray(resid, dtype="float64")
    n, p = x.shape
    if n < 3:
        raise ParameterError(f"reconciliation needs at least 3 periods of in-sample errors, got {n}")
    cov = x.T @ x / n
    sd = np.sqrt(np.diag(cov))
    sd = np.where(sd > 0, sd, 1.0)
    xs = x / sd
    corr = cov / np.outer(sd, sd)
    v = (xs**2).T @ (xs**2) - (xs.T @ xs) ** 2 / n
    v /= n * (n - 1)
    off = ~np.eye(p, dtype=bool)
    denom = float(np.sum(corr[off] ** 2))
    lam = 1.0 if denom <= 0 else float(np.clip(np.sum(v[off]) / denom, 0.0, 1.0))
    W = lam * np.diag(np.diag(cov)) + (1 - lam) * cov
    return W, lam


def mint_reconcile(base: np.ndarray, S: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Reconcile base forecasts with MinT: ``S (S' W^-1 S)^-1 S' W^-1 base``.

    Parameters
    ----------
    base : numpy.ndarray
        Shape (horizons, series), columns in the row order of ``S``.
    S : numpy.ndarray
        Summing matrix (series, bottom series).
    W : numpy.ndarray
        Error covariance (series, series), positive definite.

    Returns
    -------
    numpy.ndarray
        Coherent forecasts, same shape as ``base``.

    Examples
    --------
    >>> S = np.array([[1.0, 1.0], [1.0, 0.0], [0.0, 1.0]])
    >>> mint_reconcile(np.array([[10.0, 3.0, 5.0]]), S, np.eye(3)).round(4).tolist()
    [[9.3333, 3.6667, 5.6667]]
    """
    # a tiny ridge keeps W invertible when a series has (near) zero error variance
    scale = float(np.mean(np.diag(W))) or 1.0
    Wr = W + np.eye(len(W)) * 1e-9 * scale
    winv_s = np.linalg.solve(Wr, S)
    G = np.linalg.solve(S.T @ winv_s, winv_s.T)
    return np.asarray(base) @ (S @ G).T
