"""Which counties get a zone? A small logistic model (示范区分布的 Logit 模型).

With 40 or 60 units and a handful of zones, a reviewer will ask about few events per
variable, (quasi-)complete separation and the MLE not existing. :func:`zone_logit`
fits statsmodels' ``Logit`` by maximum likelihood, checks these, and falls back to
Firth's penalised likelihood (Jeffreys prior) when the MLE does not exist or sits on
the boundary, saying so in ``notes`` rather than crashing.

Examples
--------
>>> from ciqanalysis.coverage import FIRTH_NOTE
>>> FIRTH_NOTE.startswith("Firth")
True
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely
from scipy import stats
from scipy.special import expit

from .._docstring import fill
from .._summary import Summary, provenance_caption, short_repr
from ..errors import ParameterError, SchemaError
from ..provenance import Provenance
from .neighbours import JILIN_ALBERS, haversine_km

__all__ = ["county_characteristics", "zone_logit", "LogitResult", "FIRTH_NOTE"]

FIRTH_NOTE = ("Firth penalised likelihood (Jeffreys prior): finite estimates under "
              "separation; Wald intervals shown, profile-likelihood ones are better")


def county_characteristics(ind: pd.DataFrame, prev: pd.DataFrame | None = None,
                           centroids: pd.DataFrame | None = None, polygons=None,
                           counties: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return county characteristics (县情) for the zone model, one row per unit.

    Parameters
    ----------
    ind : DataFrame
        Output of :func:`county_indicators` (``code_2010``, ``is_district``).
    prev : DataFrame, optional
        Indicators of the previous year, for ``log_export_prev``.
    centroids, polygons, counties : optional
        Real centroids, polygons and county table (loaded when None).

    Returns
    -------
    DataFrame
        ``ind`` with ``log_area_km2`` (approximate polygon area), ``district``
        (0/1), ``dist_changchun_km`` (great-circle, centroid to the mean label point
        of Changchun's urban districts), ``dist_edge_km`` (centroid to the province's
        outline, Albers metres / 1000: a periphery proxy that mixes the national
        border with North Korea and Russia and the borders with other provinces) and,
        when ``prev`` is given, ``log_export_prev`` = log(1 + previous-year export
        value in USD).

    Examples
    --------
    >>> import pandas as pd
    >>> ind = pd.DataFrame({"code_2010": ["220621", "222424"], "is_district": False})
    >>> c = county_characteristics(ind)
    >>> bool((c["dist_edge_km"] >= 0).all())
    True
    """
    from ..data import load

    centroids = load("county_centroids") if centroids is None else centroids
    polygons = load("county_polygons") if polygons is None else polygons
    counties = load("counties") if counties is None else counties
    c = centroids.assign(code_2010=centroids["code_2010"].astype(str)).set_index("code_2010")
    codes = ind["code_2010"].astype(str)
    missing = sorted(set(codes) - set(c.index))
    if missing:
        raise SchemaError(f"no centroid for unit(s) {missing}", file="county_centroids",
                          column="code_2010", expected="one row per 2010 unit")
    out = ind.copy()
    out["log_area_km2"] = np.log(codes.map(c["area_km2_approx"]).astype(float)).to_numpy()
    out["district"] = ind["is_district"].astype(int).to_numpy()
    cc = counties.astype({"code_2010": str, "prefecture_code": str})
    core = cc.loc[(cc["prefecture_code"] == "220100") & (cc["level_en"] == "district"),
                  "code_2010"]
    lon0 = c.loc[core, "label_lon_echarts_cp"].astype(float).mean()
    lat0 = c.loc[core, "label_lat_echarts_cp"].astype(float).mean()
    lon = codes.map(c["centroid_lon"]).astype(float).to_numpy()
    lat = codes.map(c["centroid_lat"]).astype(float).to_numpy()
    out["dist_changchun_km"] = haversine_km(lon, lat, lon0, lat0)
    proj = polygons.to_crs(JILIN_ALBERS) if polygons.crs is not None else polygons
    province = shapely.union_all(shapely.buffer(proj.geometry.values, 200.0))
    outline = shapely.boundary(shapely.buffer(province, -200.0))
    pts = _project_points(lon, lat)
    out["dist_edge_km"] = shapely.distance(pts, outline) / 1000.0
    if prev is not None:
        pv = prev.assign(code_2010=prev["code_2010"].astype(str)).set_index("code_2010")
        out["log_export_prev"] = np.log1p(
            codes.map(pv["export_value_usd"]).fillna(0.0).astype(float)).to_numpy()
    return out


def _project_points(lon: np.ndarray, lat: np.ndarray):
    from pyproj import Transformer

    t = Transformer.from_crs("EPSG:4326", JILIN_ALBERS, always_xy=True)
    x, y = t.transform(lon, lat)
    return shapely.points(np.asarray(x), np.asarray(y))


@dataclass
class LogitResult:
    """Result of :func:`zone_logit`.

    Attributes
    ----------
    table : DataFrame
        ``coef``, ``std_err``, ``z``, ``p_value``, ``ci_lower``, ``ci_upper``,
        ``odds_ratio`` per term (empty when nothing could be estimated).
    method : str
        ``"MLE"``, ``"Firth"`` or ``"none"``.
    n, n_events, n_nonevents : int
        Units, units with the outcome, without.
    events_per_variable : float
        min(events, non-events) / number of covariates.
    converged : bool
        Whether the chosen fit converged.
    notes : list of str
        Caveats (separation, few events, dropped constant covariates, scaling).
    llf : float
        Log-likelihood (penalised for Firth).
    """

    table: pd.DataFrame
    method: str
    n: int
    n_events: int
    n_nonevents: int
    events_per_variable: float
    converged: bool
    notes: list[str] = field(default_factory=list)
    llf: float = float("nan")

    @fill
    def summary(self, source: str | Provenance | None = None) -> Summary:
        """Return the summary: coefficients, fit facts, caveats (模型摘要).

        %(summary_head)s
            Tables ``coefficients`` (:meth:`to_frame`) and ``fit``
            (:meth:`fit_frame`); the caveats as notes.

        Examples
        --------
        >>> d = pd.DataFrame({"x": np.arange(10.0), "has_zone": [0, 1] * 5})
        >>> [c for c, _ in zone_logit(d, covariates=["x"]).summary().tables]
        ['coefficients', 'fit']
        """
        return Summary(f"Zone logit ({self.method}), {self.n} units, {self.n_events} with the outcome",
                       [("coefficients", self.to_frame()), ("fit", self.fit_frame())],
                       notes=self.notes, provenance=provenance_caption(source))

    def to_frame(self) -> pd.DataFrame:
        """Return the coefficient table (``coef``, ``std_err``, ..., ``odds_ratio``), a copy.

        Examples
        --------
        >>> d = pd.DataFrame({"x": np.arange(10.0), "has_zone": [0, 1] * 5})
        >>> zone_logit(d, covariates=["x"]).to_frame().index.tolist()
        ['const', 'x']
        """
        return self.table.copy()

    def fit_frame(self) -> pd.DataFrame:
        """Return the fit facts a reviewer asks first, one row (模型概况).

        Returns
        -------
        DataFrame
            ``method``, ``n``, ``n_events``, ``n_nonevents``, ``n_covariates``,
            ``events_per_variable``, ``converged``, ``llf``.

        Examples
        --------
        >>> d = pd.DataFrame({"x": np.arange(10.0), "has_zone": [0, 1] * 5})
        >>> zone_logit(d, covariates=["x"]).fit_frame()["n_covariates"].tolist()
        [1]
        """
        k = int((self.table.index != "const").sum())
        return pd.DataFrame([{"method": self.method, "n": self.n,
                              "n_events": self.n_events, "n_nonevents": self.n_nonevents,
                              "n_covariates": k, "events_per_variable": self.events_per_variable,
                              "converged": self.converged, "llf": self.llf}])

    def _repr_html_(self) -> str:
        return self.summary().as_html()

    def __repr__(self) -> str:
        return short_repr(self, method=self.method, n=self.n, n_events=self.n_events,
                          terms=len(self.table), converged=self.converged)


def _firth(y: np.ndarray, X: np.ndarray, maxiter: int = 100, tol: float = 1e-8):
    """Firth-penalised logistic regression by Newton steps with step halving."""
    beta = np.zeros(X.shape[1])

    def pen_ll(b):
        p = expit(X @ b)
        info = X.T @ (X * (p * (1 - p))[:, None])
        sign, logdet = np.linalg.slogdet(info)
        ll = np.sum(y * np.log(np.clip(p, 1e-300, 1)) + (1 - y) * np.log(np.clip(1 - p, 1e-300, 1)))
        return ll + 0.5 * logdet if sign > 0 else -np.inf

    current = pen_ll(beta)
    converged = False
    for _ in range(maxiter):
        p = expit(X @ beta)
        wts = p * (1 - p)
        info = X.T @ (X * wts[:, None])
        inv = np.linalg.pinv(info)
        h = np.einsum("ij,jk,ik->i", X, inv, X) * wts
        step = inv @ (X.T @ (y - p + h * (0.5 - p)))
        t = 1.0
        while t > 1e-6:
            cand = beta + t * step
            val = pen_ll(cand)
            if val >= current - 1e-12:
                break
            t /= 2
        beta, current = cand, val
        if np.max(np.abs(t * step)) < tol:
            converged = True
            break
    p = expit(X @ beta)
    cov = np.linalg.pinv(X.T @ (X * (p * (1 - p))[:, None]))
    return beta, np.sqrt(np.clip(np.diag(cov), 0, None)), converged, current


def zone_logit(data: pd.DataFrame, covariates=("log_area_km2", "dist_edge_km"),
               outcome: str = "has_zone", standardise: bool = True,
               alpha: float = 0.05, method: str = "auto") -> LogitResult:
    """Fit a logistic model of zone presence on county characteristics (Logit 模型).

    Parameters
    ----------
    data : DataFrame
        One row per unit with the outcome and covariates (see
        :func:`county_characteristics`).
    covariates : sequence of str
        Covariate columns; covariates constant in the data are dropped with a note
        (e.g. ``district`` in the ``county_type`` universe).
    outcome : str
        Boolean outcome column.
    standardise : bool
        Centre and scale covariates to one standard deviation (coefficients per SD).
    alpha : float
        For the Wald intervals.
    method : {"auto", "mle", "firth"}
        ``"auto"``: MLE, and Firth when the MLE does not exist or is on the boundary.

    Returns
    -------
    LogitResult
        Coefficients, the method used and the caveats.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> d = pd.DataFrame({"x": np.arange(10.0), "has_zone": [0] * 5 + [1] * 5})
    >>> r = zone_logit(d, covariates=["x"])
    >>> r.method
    'Firth'
    """
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import (
        ConvergenceWarning,
        PerfectSeparationError,
        PerfectSeparationWarning,
    )

    if method not in ("auto", "mle", "firth"):
        raise ParameterError(f"unknown method {method!r}; expected 'auto', 'mle' or 'firth'")
    covariates = list(covariates)
    missing = [c for c in [outcome, *covariates] if c not in data.columns]
    if missing:
        raise SchemaError(f"missing column(s) {missing}", file="model data",
                          expected="the outcome and covariates, see county_characteristics()")
    X = data[covariates].apply(pd.to_numeric, errors="coerce").astype(float)
    if X.isna().any().any() or not np.isfinite(X.to_numpy()).all():
        bad = X.columns[(~np.isfinite(X.to_numpy())).any(axis=0)].tolist()
        raise SchemaError(f"covariate(s) {bad} are missing or not finite for some unit",
                          file="model data", expected="a finite number for every unit")
    y = data[outcome].astype(bool).to_numpy().astype(float)
    n, events = len(y), int(y.sum())
    notes = []
    const = [c for c in covariates if X[c].nunique() <= 1]
    if const:
        notes.append(f"dropped covariate(s) constant in this universe: {const}")
        X = X.drop(columns=const)
    k = X.shape[1]
    epv = min(events, n - events) / k if k else float("inf")
    if k and epv < 10:
        notes.append(f"only {min(events, n - events)} events for {k} covariate(s) "
                     f"(EPV {epv:.1f} < 10): estimates are unstable and biased away from 0")
    empty = pd.DataFrame(columns=["coef", "std_err", "z", "p_value", "ci_lower", "ci_upper",
                                  "odds_ratio"])
    if events in (0, n):
        notes.append(f"every unit has the same outcome ({events} of {n}): the MLE does "
                     "not exist and no model is estimable")
        return LogitResult(empty, "none", n, events, n - events, epv, False, notes)
    if standardise and k:
        X = (X - X.mean()) / X.std(ddof=0)
        notes.append("covariates standardised: coefficients are per standard deviation")
    Xc = sm.add_constant(X, has_constant="add")
    names = list(Xc.columns)
    use_firth = method == "firth"
    fit = None
    if method in ("auto", "mle"):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", PerfectSeparationWarning)
                warnings.simplefilter("ignore", ConvergenceWarning)
                warnings.simplefilter("ignore", RuntimeWarning)
                fit = sm.Logit(y, Xc.to_numpy()).fit(disp=0, maxiter=200)
            p = fit.predict()
            converged = bool(fit.mle_retvals.get("converged", False))
            boundary = bool((p < 1e-6).any() or (p > 1 - 1e-6).any())
            if not converged or boundary or not np.isfinite(fit.bse).all():
                why = [] if converged else ["the Newton iterations did not converge"]
                if boundary:
                    why.append(f"{int(((p < 1e-6) | (p > 1 - 1e-6)).sum())} fitted "
                               "probabilities within 1e-6 of 0 or 1")
                if not np.isfinite(fit.bse).all():
                    why.append("standard errors not finite")
                notes.append("the MLE does not exist or is on the boundary (quasi-complete "
                             f"separation): {'; '.join(why)}")
                use_firth = True
        except (PerfectSeparationError, PerfectSeparationWarning, np.linalg.LinAlgError):
            notes.append("complete separation: the MLE does not exist")
            use_firth = True
        if use_firth and method == "mle":
            return LogitResult(empty, "none", n, events, n - events, epv, False, notes)
    zq = stats.norm.ppf(1 - alpha / 2)
    if use_firth:
        beta, se, converged, llf = _firth(y, Xc.to_numpy())
        notes.append(FIRTH_NOTE)
        used = "Firth"
    else:
        beta, se, converged, llf = (np.asarray(fit.params), np.asarray(fit.bse),
                                    True, float(fit.llf))
        used = "MLE"
    with np.errstate(divide="ignore", invalid="ignore"):
        z = beta / se
    table = pd.DataFrame({"coef": beta, "std_err": se, "z": z,
                          "p_value": 2 * stats.norm.sf(np.abs(z)),
                          "ci_lower": beta - zq * se, "ci_upper": beta + zq * se,
                          "odds_ratio": np.exp(beta)}, index=pd.Index(names, name="term"))
    return LogitResult(table, used, n, events, n - events, epv, bool(converged), notes,
                       float(llf))
