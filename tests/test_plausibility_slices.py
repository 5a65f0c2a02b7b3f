"""The plausibility checks read in slices equal a plain whole-frame computation.

The reference below is the straightforward pandas version (a row's reference
looked up with ``reindex``, year totals with a groupby on year and direction,
dates sorted row by row); the library computes the same flags slice by slice
with a small lookup table, so its working memory stays small at scale.
"""

import numpy as np
import pandas as pd
import pytest

from ciqanalysis.data import plausibility as pl
from ciqanalysis.units import from_usd


def _reference(decl, rows, value_column="value_usd", date_column="date", unit="USD"):
    rows = np.asarray(rows, dtype="int64")
    national = pl.national_yearly()

    def ref(years, export):
        year = np.clip(years, pl._FIRST_FULL_YEAR, pl._LAST_YEAR)
        return np.where(export, national["export"].reindex(year).to_numpy(),
                        national["import"].reindex(year).to_numpy())

    years = decl["date"].dt.year.to_numpy()
    value = decl["value_usd"].to_numpy(dtype="float64")
    out = []
    limit = pl.CONSIGNMENT_SHARE * ref(
        years, decl["direction"].eq("export").to_numpy(dtype=bool, na_value=False))
    big = value > limit
    if big.any():
        ratio = float(np.nanmax(value[big] / limit[big]))
        out.append(pd.DataFrame({
            "row": rows[big], "column": value_column,
            "issue": (f"implausible consignment value: above {pl.CONSIGNMENT_SHARE * 100:g} % of "
                      f"China's trade in that direction and year ({pl._cause(ratio, unit)})"),
            "action": pl._ACTION}))
    grouped = pd.Series(value).groupby([years, decl["direction"].reset_index(drop=True)],
                                       sort=True)
    totals = grouped.sum().rename("value").to_frame()
    keys = totals.index.to_frame(index=False)
    totals["ref"] = ref(keys.iloc[:, 0].to_numpy(), (keys.iloc[:, 1] == "export").to_numpy())
    totals["row"] = rows[grouped.idxmax().to_numpy()]
    for (yr, dirn), t in totals.loc[totals["value"] > pl.YEAR_SHARE * totals["ref"]].iterrows():
        share = t["value"] / t["ref"]
        size = f"{share * 100:.0f} % of" if share < 10 else f"{share:,.0f} times"
        out.append(pd.DataFrame({
            "row": [int(t["row"])], "column": value_column,
            "issue": (f"implausible year total: {yr} {dirn}s {from_usd(t['value'], '亿美元'):,.0f} "
                      f"亿美元 = {size} China's {dirn}s that year, more than "
                      f"{pl.YEAR_SHARE * 100:g} % ({pl._cause(share / pl.YEAR_SHARE, unit)})"),
            "action": pl._ACTION}))
    dates = decl["date"].to_numpy(dtype="datetime64[D]")
    order = np.argsort(dates, kind="stable")
    sorted_days = dates[order]
    gaps = np.diff(sorted_days).astype("int64")
    cuts = np.flatnonzero(gaps > pl.DATE_GAP_DAYS)
    if len(cuts):
        segment = np.zeros(len(dates), dtype="int64")
        segment[order] = np.concatenate([[0], np.cumsum(gaps > pl.DATE_GAP_DAYS)])
        sizes = np.bincount(segment)
        main = int(np.argmax(sizes))
        bulk = dates[segment == main]
        stray = (segment != main) & (sizes[segment] < 0.05 * len(dates))
        if stray.any():
            out.append(pd.DataFrame({
                "row": rows[stray], "column": date_column,
                "issue": (f"date far from the rest of the data: more than {pl.DATE_GAP_DAYS} days "
                          f"outside {pd.Timestamp(bulk.min()):%Y-%m-%d} .. "
                          f"{pd.Timestamp(bulk.max()):%Y-%m-%d} (a typo in the year?)"),
                "action": "kept; correct the date, or cut the file with the as-of date"}))
        for c in cuts:
            if not (stray[order[c + 1]] or stray[order[c]]):
                out.append(pd.DataFrame({
                    "row": [int(rows[order[c + 1]])], "column": date_column,
                    "issue": (f"gap in the dates: no declaration from "
                              f"{pd.Timestamp(sorted_days[c]):%Y-%m-%d} to "
                              f"{pd.Timestamp(sorted_days[c + 1]):%Y-%m-%d} "
                              "(rows missing from the export?)"),
                    "action": "kept; growth across the gap compares with nothing"}))
    return pd.concat(out, ignore_index=True) if out else None


def _frame(seed: int, n: int = 400) -> pd.DataFrame:
    """SYNTHETIC declarations with edge cases: years outside the national series,
    unknown and missing directions, missing and huge values, stray dates and a gap."""
    rng = np.random.default_rng(seed)
    day = pd.Timestamp("2009-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    day = day.to_numpy().copy()
    day[rng.choice(n, 3, replace=False)] = np.datetime64("1979-05-02")  # before the series
    day[rng.choice(n, 2, replace=False)] = np.datetime64("2030-04-02")  # after, a typo?
    day[rng.integers(0, n, 60)] = np.datetime64("2016-06-01")  # a gap, then a block
    direction = rng.choice(np.array(["export", "import", "transit", None], dtype=object), n,
                           p=[0.45, 0.45, 0.05, 0.05])
    value = rng.lognormal(9, 1.6, n)
    value[rng.choice(n, 5, replace=False)] = np.nan
    value[rng.choice(n, 4, replace=False)] = 1e13  # consignments US dollars under 万美元
    value[rng.choice(n, 2, replace=False)] = 3e12  # the same largest value twice
    return pd.DataFrame({"date": day, "direction": direction, "value_usd": value})


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("categorical", [False, True])
@pytest.mark.parametrize("step", [7, 64, 1 << 20])
def test_sliced_checks_equal_the_plain_computation(seed, categorical, step, monkeypatch):
    monkeypatch.setattr(pl, "_STEP", step)
    decl = _frame(seed)
    if categorical:
        decl["direction"] = decl["direction"].astype("category")
    rows = np.arange(2, len(decl) + 2) * 3
    got = pl.plausibility_flags(decl, rows=rows, value_column="货值", date_column="日期",
                                unit="万美元")
    expected = _reference(decl, rows, "货值", "日期", "万美元")
    assert {i.split(":")[0] for i in got["issue"]} >= {
        "implausible consignment value", "implausible year total",
        "date far from the rest of the data", "gap in the dates"}
    pd.testing.assert_frame_equal(got, expected)


def test_sliced_checks_with_a_missing_date_equal_the_plain_computation(monkeypatch):
    monkeypatch.setattr(pl, "_STEP", 16)
    decl = _frame(4, n=120)
    decl.loc[[5, 50], "date"] = pd.NaT  # years become floats: "2010.0" as before
    decl = decl.loc[decl["date"].dt.year.between(2009, 2011) | decl["date"].isna()]
    decl = decl.reset_index(drop=True)
    rows = np.arange(2, len(decl) + 2)
    got = pl.plausibility_flags(decl, rows=rows)
    pd.testing.assert_frame_equal(got, _reference(decl, rows))
    assert got["issue"].str.contains(r"year total: 20\d\d\.0 ").any()


def test_categorical_with_unseen_and_unsorted_labels():
    decl = _frame(5, n=80)
    decl["value_usd"] = decl["value_usd"].fillna(1.0)  # the plain groupby fails on all-missing groups
    decl["direction"] = pd.Categorical(decl["direction"],
                                       categories=["import", "unused", "export", "transit"])
    rows = np.arange(2, len(decl) + 2)
    pd.testing.assert_frame_equal(pl.plausibility_flags(decl, rows=rows), _reference(decl, rows))
