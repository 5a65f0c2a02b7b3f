"""ETS and ARIMA against R's ``forecast`` package (独立参考值: R forecast).

The reference values in ``tests/reference/r_forecast.csv`` were made in R by
``tests/reference/make_r_references.R`` on real data (China Customs monthly exports,
``data/raw/china_customs_monthly_1983_2013.csv``, in logs); ``tests/reference/README.md``
says how and lists the tolerances. The tests only read the CSV: R is not needed.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ciqanalysis.forecast import models

ROOT = Path(__file__).resolve().parents[1]
REF = pd.read_csv(ROOT / "tests" / "reference" / "r_forecast.csv")
Z95 = stats.norm.ppf(0.975)


def ref(case: str, quantity: str) -> float:
    row = REF[(REF["case"] == case) & (REF["quantity"] == quantity) & REF["h"].isna()]
    assert len(row) == 1, (case, quantity)
    return float(row["value"].iloc[0])


def ref_path(case: str, quantity: str) -> np.ndarray:
    rows = REF[(REF["case"] == case) & (REF["quantity"] == quantity)].sort_values("h")
    assert rows["h"].tolist() == list(range(1, len(rows) + 1)), (case, quantity)
    return rows["value"].to_numpy(dtype="float64")


def ref_sd(case: str) -> np.ndarray:
    """R's forecast standard deviation, from its 95 % interval (Gaussian)."""
    return (ref_path(case, "upper_95") - ref_path(case, "mean")) / Z95


@pytest.fixture(scope="module")
def customs():
    d = pd.read_csv(ROOT / "data" / "raw" / "china_customs_monthly_1983_2013.csv")
    monthly = d.loc[d["year"].between(2000, 2012), "exports_100m_usd"].to_numpy(dtype="float64")
    annual = (d.loc[d["year"].between(1984, 2012)].groupby("year")["exports_100m_usd"]
              .sum().to_numpy(dtype="float64"))
    return {"monthly": monthly, "annual": annual}


def _log_median_and_sd(draft) -> tuple[np.ndarray, np.ndarray]:
    """Log-scale mean and sd of a log candidate (its median is exp of the mean)."""
    q = np.log(draft.quant([0.5, 0.975]))
    return q[0], (q[1] - q[0]) / Z95


# ARIMA ---------------------------------------------------------------------------

ARIMA_CASES = [
    # case, series, horizon, period, R coefficient names in the wrapper's order,
    # log-likelihood tolerance
    ("arima_airline_log_monthly_exports", "monthly", 12, 12, ["ma1", "sma1"], 0.01),
    ("arima_011_drift_log_annual_exports", "annual", 5, 1, ["drift", "ma1"], 1e-4),
]


@pytest.mark.parametrize(("case", "series", "h", "period", "names", "ll_tol"), ARIMA_CASES)
def test_sarima_candidate_matches_r_arima(customs, case, series, h, period, names, ll_tol):
    w = customs[series]
    assert len(w) == ref(case, "n")
    draft = models.sarima(w, h, period, log=True)
    assert draft.converged
    # The candidate starts the Kalman filter from a diffuse state (several times faster
    # than the stationary start R's exact likelihood uses): its MA estimates differ from
    # R's by up to 0.03 on these series. The exact-likelihood estimates themselves are
    # checked to 1e-4 in test_sarimax_likelihood_matches_r_arima; here the bounds say
    # how far the faster fit may drift from R's (measured: 0.026 and 0.009).
    np.testing.assert_allclose(draft.params, [ref(case, n) for n in names], atol=0.04)
    mean, sd = _log_median_and_sd(draft)
    # the drift of the annual model moves by 0.008 a year, so its mean drifts apart with
    # the horizon (0.041 in logs at h=5, measured); the monthly one stays within 0.02
    np.testing.assert_allclose(mean, ref_path(case, "mean"), atol=0.02 if period > 1 else 0.05)
    # R's intervals use sigma2 with a degrees-of-freedom correction, the candidate the
    # maximum-likelihood sigma2 (R's stats::arima value): same psi weights otherwise
    scale = np.sqrt(ref(case, "sigma2_ml") / ref(case, "sigma2"))
    np.testing.assert_allclose(sd, ref_sd(case) * scale, rtol=0.05)


@pytest.mark.parametrize(("case", "series", "h", "period", "names", "ll_tol"), ARIMA_CASES)
def test_sarimax_likelihood_matches_r_arima(customs, case, series, h, period, names, ll_tol):
    """Same model in plain statsmodels: log-likelihood, ML sigma2 and AIC."""
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    z = np.log(customs[series])
    if period > 1:
        model = SARIMAX(z, order=(0, 1, 1), seasonal_order=(0, 1, 1, period),
                        simple_differencing=True, concentrate_scale=True)
    else:
        model = SARIMAX(z, order=(0, 1, 1), trend="c", simple_differencing=True,
                        concentrate_scale=True)
    res = model.fit(disp=False)
    np.testing.assert_allclose(res.params, [ref(case, n) for n in names], atol=1e-4)
    # R's exact likelihood puts a diffuse prior on the differenced states; statsmodels
    # drops the first d + D*m observations: equal up to that approximation
    assert res.llf == pytest.approx(ref(case, "loglik"), abs=ll_tol)
    assert res.scale == pytest.approx(ref(case, "sigma2_ml"), rel=1e-3)
    k = len(res.params) + 1  # coefficients and sigma2, as R counts them
    assert -2 * res.llf + 2 * k == pytest.approx(ref(case, "aic"), abs=2 * ll_tol)


# ETS -----------------------------------------------------------------------------

def _ets_known(case: str, y: np.ndarray, period: int):
    """statsmodels' ETS(A,Ad,[N|A]) filtered with every parameter and state R estimated."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    kw = {"initial_level": ref(case, "initial_l"), "initial_trend": ref(case, "initial_b")}
    params = [ref(case, "alpha"), ref(case, "beta"), ref(case, "phi")]
    if period > 1:
        # R's initial s1 is the seasonal state one period before the data, sm the one
        # m periods before; statsmodels wants the oldest first
        kw.update(seasonal="add", seasonal_periods=period,
                  initial_seasonal=np.array([ref(case, f"initial_s{i}")
                                             for i in range(period, 0, -1)]))
        params.insert(2, ref(case, "gamma"))
    model = ETSModel(pd.Series(y), error="add", trend="add", damped_trend=True,
                     initialization_method="known", **kw)
    return model.smooth(params)


ETS_CASES = [("ets_AAdN_fixed_log_annual_exports", "annual", 5, 1),
             ("ets_AAdA_log_monthly_exports", "monthly", 12, 12)]


@pytest.mark.parametrize(("case", "series", "h", "period"), ETS_CASES)
def test_ets_filter_and_likelihood_match_r_given_its_estimates(customs, case, series, h, period):
    y = np.log(customs[series])
    n = len(y)
    res = _ets_known(case, y, period)
    # R reports -0.5 n log(SSE); the Gaussian log-likelihood at sigma2 = SSE/n is in
    # the reference file as loglik_gaussian (see make_r_references.R)
    assert res.sse == pytest.approx(ref(case, "sse"), rel=1e-9)
    assert res.llf == pytest.approx(ref(case, "loglik_gaussian"), abs=1e-6)
    frame = res.get_prediction(start=n, end=n + h - 1).summary_frame(alpha=0.05)
    np.testing.assert_allclose(frame["mean"], ref_path(case, "mean"), atol=1e-8)
    # R's sigma2 divides the SSE by n - (number of parameters), statsmodels' by n
    sd = (frame["pi_upper"].to_numpy() - frame["mean"].to_numpy()) / Z95
    assert ref(case, "sigma2") == pytest.approx(ref(case, "sse") / (n - ref(case, "n_par")))
    np.testing.assert_allclose(sd, ref_sd(case) * np.sqrt((n - ref(case, "n_par")) / n),
                               rtol=1e-6)


def test_ets_initial_states_estimated_like_r_with_fixed_smoothing(customs):
    """ETS(A,Ad,N), alpha 0.9, beta 0.3, phi 0.9 fixed: only l0 and b0 are estimated."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    case = "ets_AAdN_fixed_log_annual_exports"
    y = np.log(customs["annual"])
    model = ETSModel(pd.Series(y), error="add", trend="add", damped_trend=True,
                     initialization_method="estimated")
    with model.fix_params({"smoothing_level": ref(case, "alpha"),
                           "smoothing_trend": ref(case, "beta"),
                           "damping_trend": ref(case, "phi")}):
        res = model.fit(disp=False)
    est = dict(zip(model.param_names, np.asarray(res.params), strict=True))
    assert est["smoothing_level"] == ref(case, "alpha")
    assert est["initial_level"] == pytest.approx(ref(case, "initial_l"), abs=1e-4)
    assert est["initial_trend"] == pytest.approx(ref(case, "initial_b"), abs=1e-4)
    assert res.llf == pytest.approx(ref(case, "loglik_gaussian"), abs=1e-6)
    np.testing.assert_allclose(res.forecast(5), ref_path(case, "mean"), atol=1e-6)


def test_ets_candidate_with_given_smoothing_matches_r(customs):
    """The candidate filtered with R's smoothing parameters gives R's point forecasts.

    The candidate's initial states come from a heuristic, not R's estimates; with
    alpha = 0.9 their effect has died out after 29 years (the check would catch a
    different state equation or damping convention).
    """
    case = "ets_AAdN_fixed_log_annual_exports"
    params = np.array([ref(case, "alpha"), ref(case, "beta"), ref(case, "phi")])
    draft = models.ets_additive(customs["annual"], 5, 1, log=True, params=params)
    mean, _ = _log_median_and_sd(draft)
    np.testing.assert_allclose(mean, ref_path(case, "mean"), atol=1e-5)


def test_ets_seasonal_estimation_from_r_optimum_stays_at_least_as_good(customs):
    """From R's estimates statsmodels' optimiser must not end at a worse likelihood.

    statsmodels estimates all m initial seasonal states (R m - 1, summing to zero),
    so its optimum may be higher than R's, never lower; the forecasts stay close.
    """
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    case = "ets_AAdA_log_monthly_exports"
    y = np.log(customs["monthly"])
    model = ETSModel(pd.Series(y), error="add", trend="add", damped_trend=True,
                     seasonal="add", seasonal_periods=12, initialization_method="estimated")
    # the estimated-initialisation parameter vector takes the seasonal states newest first
    start = np.array([ref(case, q) for q in ("alpha", "beta", "gamma", "phi", "initial_l",
                                            "initial_b")]
                     + [ref(case, f"initial_s{i}") for i in range(1, 13)])
    assert model.loglike(start) == pytest.approx(ref(case, "loglik_gaussian"), abs=1e-6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model.fit(start_params=start, disp=False)
    assert res.llf >= ref(case, "loglik_gaussian") - 1e-6
    np.testing.assert_allclose(res.forecast(12), ref_path(case, "mean"), atol=0.01)


@pytest.mark.xfail(strict=False, reason="known gap: the ETS candidate's default fit (heuristic "
                   "initial states) ends at another optimum than R's ets(), up to 8 % apart")
def test_ets_candidate_free_fit_close_to_r(customs):
    case = "ets_AAdA_log_monthly_exports"
    draft = models.ets_additive(customs["monthly"], 12, 12, log=True)
    mean, _ = _log_median_and_sd(draft)
    np.testing.assert_allclose(mean, ref_path(case, "mean"), atol=0.02)


# simple methods ------------------------------------------------------------------

@pytest.mark.parametrize(("case", "func", "series", "h", "period"), [
    ("snaive_log_monthly_exports", models.seasonal_naive, "monthly", 24, 12),
    ("rwf_drift_log_annual_exports", models.drift, "annual", 5, 1),
])
def test_naive_candidates_match_r_means_and_intervals(customs, case, func, series, h, period):
    draft = func(customs[series], h, period, log=True)
    mean, sd = _log_median_and_sd(draft)
    np.testing.assert_allclose(mean, ref_path(case, "mean"), atol=1e-10)
    np.testing.assert_allclose(sd, ref_sd(case), rtol=1e-8)
    # the 80 % bounds too (same Gaussian errors)
    np.testing.assert_allclose(np.log(draft.quant([0.1])[0]), ref_path(case, "lower_80"),
                               atol=1e-8)


def test_mean_candidate_matches_r_meanf_up_to_the_t_quantile(customs):
    """R's meanf uses Student's t with n - 1 degrees of freedom, the candidate the normal."""
    case = "meanf_log_annual_exports"
    n = int(ref(case, "n"))
    draft = models.mean_method(customs["annual"], 3, 1, log=True)
    mean, sd = _log_median_and_sd(draft)
    np.testing.assert_allclose(mean, ref_path(case, "mean"), atol=1e-10)
    r_sd = (ref_path(case, "upper_95") - ref_path(case, "mean")) / stats.t.ppf(0.975, n - 1)
    np.testing.assert_allclose(sd, r_sd, rtol=1e-8)


def test_theta_candidate_point_forecasts_match_r_thetaf(customs):
    """Same point forecasts (SES plus half the drift). Intervals differ by design:
    R takes those of the SES model, the candidate demeans the one-step errors
    (its docstring), so only the means are compared."""
    case = "thetaf_log_annual_exports"
    draft = models.theta(customs["annual"], 5, 1, log=True)
    mean, _ = _log_median_and_sd(draft)
    np.testing.assert_allclose(mean, ref_path(case, "mean"), atol=1e-5)
