"""Benchmark: which annual point should the nowcast report for a very volatile series?

The nowcast (``ciqanalysis.forecast.nowcast_year``) simulates the rest of the year
and the next as whole sample paths and reports a point for each annual total
(全年预估点值). Its rule: the mean of the simulated totals, or their median when the
mean exceeds ``SKEW_RATIO`` (1.2) times the median (flag ``skewed_paths``). This
script compares the rule with its alternatives on series whose expectation is known,
and checks that the rule never changes a forecast of China's national trade (the
track record).

Data: synthetic, seeded. Daily values of one small bureau, 1 March 2006 to
15 September 2010 (the as-of date): each day is ``exp(m_t)`` times a log-normal draw
(median 50,000 USD, log sd 0.5), where ``m_t`` is the month's level on logs, either
independent from month to month (``iid``) or an AR(1) with coefficient 0.6 (``ar``),
with standard deviation ``sd`` in 0.8, 1.2, 1.6 and 2.0; 12 seeds each, 96 series.
The target is the exact expectation of the 2011 total given the data-generating
process and the last month's level (the ``ar`` case conditions on it).
Real: China's monthly exports and imports (China Customs, as shipped in the R package
``seasonal``; ``ciqanalysis.data.national_trade_monthly()``), cut at October of each
year 1995..2012 as the track record does.

Points compared, for the 2011 total: ``rule`` (what the nowcast reports), ``mean`` and
``median`` of the simulated totals (the nowcast's default method, 2000 paths, seed
0), and the peer a user could compute with bare pandas, ``last12``: the sum of the
last twelve complete months. Measures: mean absolute percentage error against the
expectation (APE, percent) and mean absolute log error, by process and by whether
the paths were skewed; ratios below 1 favour the rule.

Run: ``python benchmarks/bench_volatile_point.py`` (about a minute on 2 cores).
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd

from ciqanalysis.data import national_trade_monthly
from ciqanalysis.forecast import nowcast_year
from ciqanalysis.forecast.nowcast import SKEW_RATIO

AS_OF = "2010-09-15"
SDS = (0.8, 1.2, 1.6, 2.0)
SEEDS = range(12)
DAILY_MEDIAN, DAILY_SD = 5e4, 0.5


def simulate(process: str, sd: float, seed: int) -> tuple[pd.Series, float]:
    """Return daily values through the as-of date and the expectation of the 2011 total."""
    rng = np.random.default_rng(2000 + seed)
    days = pd.date_range("2006-03-01", AS_OF, freq="D")
    months = days.to_period("M").unique()
    phi = 0.0 if process == "iid" else 0.6
    level = np.empty(len(months))
    level[0] = rng.normal(0.0, sd)
    shocks = rng.normal(0.0, sd * np.sqrt(1.0 - phi**2), len(months))
    for i in range(1, len(months)):  # the AR(1) recursion, one step per month
        level[i] = phi * level[i - 1] + shocks[i]
    by_day = pd.Series(level, index=months).reindex(days.to_period("M")).to_numpy()
    y = pd.Series(np.exp(by_day) * rng.lognormal(np.log(DAILY_MEDIAN), DAILY_SD, len(days)),
                  index=days)
    future = pd.period_range("2011-01", "2011-12", freq="M")
    k = np.array([(p - months[-1]).n for p in future])
    mu, var = phi**k * level[-1], sd**2 * (1.0 - phi ** (2 * k))
    per_day = DAILY_MEDIAN * np.exp(DAILY_SD**2 / 2)
    expectation = float(np.sum(per_day * future.days_in_month.to_numpy() * np.exp(mu + var / 2)))
    return y, expectation


def one(process: str, sd: float, seed: int) -> dict:
    y, target = simulate(process, sd, seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = nowcast_year(y, AS_OF)
    paths = res.annual_paths[pd.Period("2011", "Y")]
    monthly = res.history
    return {"process": process, "sd": sd, "seed": seed, "target": target,
            "skewed": paths.mean() > SKEW_RATIO * paths.median(),
            "rule": float(res.table.loc["2011", "mean"]), "mean": float(paths.mean()),
            "median": float(paths.median()), "last12": float(monthly.iloc[-12:].sum())}


def china_ratios() -> pd.DataFrame:
    """Mean / median of the simulated totals at each track-record origin."""
    frame = national_trade_monthly()
    rows = []
    for flow in frame.columns:
        for year in range(1995, 2013):
            cut = frame[flow].loc[: pd.Period(f"{year}-10", "M")]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res = nowcast_year(cut, f"{year}-10-31")
            for period, s in res.annual_paths.items():
                rows.append({"flow": flow, "origin": year, "year": str(period),
                             "ratio": float(s.mean() / s.median()),
                             "rule_is_mean": bool(np.isclose(res.table.loc[period, "mean"], s.mean()))})
    return pd.DataFrame(rows)


def main() -> None:
    started = time.perf_counter()
    runs = pd.DataFrame([one(p, sd, seed) for p in ("iid", "ar") for sd in SDS for seed in SEEDS])
    points = ["rule", "mean", "median", "last12"]
    ape = runs[points].div(runs["target"], axis=0).sub(1).abs().mul(100)
    logerr = np.log(runs[points].div(runs["target"], axis=0)).abs()
    keys = [runs["process"], runs["skewed"].map({True: "skewed", False: "not skewed"})]
    print("synthetic volatile series: 2011 total against its exact expectation "
          f"({len(runs)} series, sd {SDS}, {len(SEEDS)} seeds)\n")
    print("mean APE, percent")
    print(ape.groupby(keys).mean().assign(n=ape.groupby(keys).size()).round(1).to_string())
    print("\nmean absolute log error")
    print(logerr.groupby(keys).mean().round(3).to_string())
    print("\nall series: rule / mean APE ratio "
          f"{ape['rule'].mean() / ape['mean'].mean():.3f}, rule / median "
          f"{ape['rule'].mean() / ape['median'].mean():.3f}, rule / last12 (bare pandas) "
          f"{ape['rule'].mean() / ape['last12'].mean():.3f}")
    ratios = china_ratios()
    print(f"\nChina's exports and imports, October origins 1995-2012 (real): mean / median of "
          f"the simulated totals {ratios['ratio'].min():.3f}..{ratios['ratio'].max():.3f} "
          f"(threshold {SKEW_RATIO}); the point is the mean at "
          f"{int(ratios['rule_is_mean'].sum())} of {len(ratios)} flow-origin-years")
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
