"""The seeded SYNTHETIC generator of Jilin CIQ data (合成样本数据).

EVERYTHING THIS MODULE MAKES IS SYNTHETIC. No public file holds the declarations
(报检批次) of the Jilin Entry-Exit Inspection and Quarantine Bureau, its register of
export food & agricultural quality-safety demonstration zones (出口食品农产品质量安全
示范区) or its co-building memoranda (合作备忘录). The tables made here stand in for
them so that the package's notebooks run end to end; they are not observations and
must be labelled synthetic wherever they are shown.

What is real in them:

- the published figures they are calibrated to (the bureau's 2010-11-25 review:
  46.09 亿美元 inspected trade 2010-01-01..11-20, 同比 +18.22 %; exports 19.91 亿美元
  +22.99 %; imports 26.18 亿美元 +14.84 %; 拉动 9.55 and 8.68 percentage points;
  64 key enterprises; direct release 直通放行 51 enterprises, 5,175 consignments,
  1.2 亿美元; 16 first-batch zones; 50 memoranda), which the sample reproduces exactly
  after rounding to the published digits;
- the monthly profile (seasonality, Spring Festival 春节, the 2008-09 fall), taken
  from China Customs' national monthly series (``data.national_trade_monthly()``);
- the Spring Festival and public holiday dates (the ``holidays`` package);
- the 2010 county codes (``data.load("counties")``).

The product, county, port and enterprise mix is made up to be plausible for Jilin
(vehicle imports for Changchun's car makers, timber via Hunchun 珲春, ginseng 人参 from
the Changbai mountain counties, seed kernels 籽仁 from Baicheng and Songyuan ...).

Nothing runs at import time. :func:`make_sample` returns the three tables;
:func:`write_sample` writes them, byte for byte reproducibly, to ``data/sample/``.

Examples
--------
>>> from ciqanalysis.sample import make_sample
>>> tables = make_sample()
>>> sorted(tables)
['declarations', 'memoranda', 'zones']
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import holidays
import numpy as np
import pandas as pd

from .config import DEFAULT_SEED
from .data.schema import table
from .errors import CountyCodeError, ParameterError
from .labels import PORTS, PRODUCT_GROUPS
from .paths import sample_dir

__all__ = ["DEFAULT_SEED", "CALIBRATION_TARGETS_USD", "make_sample", "write_sample"]


_FIRST_DAY = pd.Timestamp("2001-01-01")
_LAST_DAY = pd.Timestamp("2010-11-20")
_WINDOWS = {  # the article's YTD window (累计) and the same days a year earlier
    2010: (pd.Timestamp("2010-01-01"), pd.Timestamp("2010-11-20")),
    2009: (pd.Timestamp("2009-01-01"), pd.Timestamp("2009-11-20")),
}

#: Exact window totals in US dollars that round to every published figure at once.
#: 2010 values are the published ones; the 2009 base is chosen so that 同比 growth
#: (22.99 / 14.84 / 18.22 %) and 拉动 contributions (9.55 / 8.68 pp) all round right,
#: each as far as possible from a rounding boundary.
CALIBRATION_TARGETS_USD: dict[tuple[int, str], int] = {
    (2010, "export"): 1_991_000_000,
    (2010, "import"): 2_618_000_000,
    (2009, "export"): 1_618_818_000,
    (2009, "import"): 2_279_736_000,
}
_DIRECT_RELEASE_USD = 120_000_000  # F15: 1.2 亿美元
_DIRECT_RELEASE_ROWS = 5175  # F14
_DIRECT_RELEASE_ENTERPRISES = 51  # F13
_KEY_ENTERPRISES = 64  # F7
_DIRECT_RELEASE_PREFECTURES = ("220100", "220200", "222400")  # 长吉图: Changchun, Jilin, Yanbian

#: Jilin's level in 2001 (calendar year, US dollars): about 15 亿 in all.
_LEVEL_2001_USD = {"export": 6.6e8, "import": 8.4e8}
_SIZE_FACTOR = 1.5  # scales every typical consignment size (sets the row count)
_SIGMA_ROW = 0.9  # log-sd of consignment values around the group's typical size
_SIGMA_MONTH = 0.05  # log-sd of Jilin's monthly deviation from the national profile
_AR_MONTH = 0.5
_ENTERPRISES_PER_WEIGHT = 3.0  # enterprises per unit of county weight (sets the register size)
_EXPORT_COUNTIES_2010 = 40  # counties with some exports in 2010 (of 60 units)
# first-time exports of 2010 (F9: cabbage, radish, raspberry): berries start in 2010,
# and fresh vegetables (HS 07) join kimchi and prepared vegetables (HS 20) in 2010
_FIRST_EXPORT_YEAR = {("export", "berries"): 2010}
_FIRST_FRESH_VEGETABLES = 2010

# (direction, group): value share 2001, value share 2010, typical consignment (USD),
# {county: weight} (largest first), {port: weight}, enterprises per unit of weight.
# fmt: off
_FLOWS: list[tuple[str, str, float, float, float, dict[str, float], dict[str, float], float]] = [
    ("import", "vehicles_parts", .40, .46, 250e3,
     {"220106": 6, "220104": 2, "220103": 1, "220211": .6, "220105": .5, "220302": .4},
     {"dalian": .55, "changchun": .45}, 1.5),
    ("import", "machinery", .15, .15, 150e3,
     {"220104": 2, "220106": 1.5, "220102": 1, "220103": 1, "220203": 1, "220202": .8,
      "220204": .5, "222401": .4, "220181": .3},
     {"dalian": .5, "changchun": .4, "jilin": .1}, 2),
    ("import", "iron_ore_minerals", .10, .12, 600e3,
     {"220503": 5, "222406": 1, "220203": .5},
     {"dalian": .5, "nanping": .2, "tumen": .15, "sanhe": .1, "hunchun": .05}, 1),
    ("import", "timber_logs", .10, .08, 60e3,
     {"222404": 4, "222403": 2, "222402": 1, "222401": 1, "222424": .8, "220211": .5,
      "220602": .3},
     {"hunchun": .75, "tumen": .15, "dalian": .1}, 3),
    ("import", "soybeans_grain", .06, .05, 300e3,
     {"220103": 2, "220181": 1, "220183": 1, "220381": 1, "220702": .5},
     {"dalian": 1}, 1.5),
    ("import", "seafood", .04, .05, 50e3,
     {"222404": 5, "222405": .5, "222401": .5},
     {"hunchun": .6, "quanhe": .3, "tumen": .1}, 3),
    ("import", "chemicals", .15, .09, 100e3,
     {"220203": 4, "220202": 1, "220702": 1, "220106": .5, "220104": .5},
     {"dalian": .8, "changchun": .2}, 1.5),
    ("export", "vehicles_parts", .08, .10, 80e3,
     {"220106": 3, "220104": 1, "220303": .8, "220105": .5, "220302": .4, "220381": .3},
     {"dalian": .8, "changchun": .2}, 2),
    ("export", "railway_vehicles", .08, .12, 1.5e6,
     {"220106": 1}, {"dalian": .7, "changchun": .3}, 1),
    ("export", "machinery", .08, .08, 60e3,
     {"220104": 1, "220102": .8, "220202": .8, "220105": .5, "220181": .3},
     {"dalian": .7, "changchun": .3}, 3),
    ("export", "chemicals", .14, .12, 70e3,
     {"220203": 4, "220202": 1, "220702": 1, "220721": .5},
     {"dalian": .9, "changchun": .1}, 1.5),
    ("export", "wood_products", .10, .07, 30e3,
     {"222403": 2, "220602": 1, "220681": 1, "220621": .8, "222424": .8, "220211": .6,
      "222404": .5, "220282": .4},
     {"dalian": .75, "hunchun": .1, "tumen": .1, "linjiang": .05}, 3),
    ("export", "textiles", .08, .06, 20e3,
     {"220402": 2, "220403": 2, "222401": 1.5, "220102": .5, "220302": .3},
     {"dalian": .8, "changchun": .1, "tumen": .1}, 3),
    ("export", "ginseng", .08, .08, 30e3,
     {"220621": 5, "220582": 2, "220622": 1.2, "220623": 1, "220521": .8, "222403": .6,
      "222426": .5, "220605": .4, "220502": .3},
     {"dalian": .45, "changchun": .35, "jian": .08, "yanji": .08, "changbai": .04}, 3),
    ("export", "deer_products", .02, .02, 15e3,
     {"220421": 4, "220112": 3, "220402": .5, "220323": .5, "220422": .4},
     {"changchun": .6, "dalian": .4}, 3),
    ("export", "seed_kernels", .05, .06, 40e3,
     {"220881": 4, "220822": 3, "220802": 2, "220882": 1, "220821": .7, "220722": .7,
      "220723": .5},
     {"dalian": 1}, 3),
    ("export", "peanuts", .03, .03, 35e3,
     {"220724": 5, "220382": 1.5, "220721": .7, "220122": .5},
     {"dalian": 1}, 3),
    ("export", "edible_fungi", .04, .05, 30e3,
     {"222424": 4, "220281": 2.5, "222403": 1, "222426": .8, "220282": .6, "220521": .3},
     {"dalian": .6, "changchun": .15, "tumen": .15, "hunchun": .1}, 3),
    ("export", "rice", .03, .03, 15e3,
     {"220283": 3, "220581": 2.5, "220221": 1, "220182": 1, "220524": .6, "222405": .5},
     {"dalian": .6, "tumen": .2, "jian": .1, "nanping": .1}, 3),
    ("export", "vegetables_kimchi", .02, .02, 12e3,
     {"222401": 2, "222405": 2, "222402": 1, "220381": .6, "220122": .4},
     {"dalian": .5, "tumen": .2, "sanhe": .1, "quanhe": .1, "kaishantun": .1}, 3),
    ("export", "berries", .005, .01, 20e3,
     {"222406": 2, "220622": 1, "220524": .6},
     {"dalian": .8, "changchun": .2}, 3),
    ("export", "pine_nuts", .03, .03, 50e3,
     {"220681": 2, "220581": 2, "222403": 1, "220602": .8},
     {"dalian": .9, "changchun": .1}, 3),
    ("export", "forest_frog", .01, .01, 20e3,
     {"220282": 2, "222426": 1, "220605": .8, "220623": .5},
     {"changchun": .7, "dalian": .3}, 3),
    ("export", "honey", .005, .01, 30e3,
     {"220623": 2, "220621": 1, "222406": .6},
     {"dalian": .8, "changbai": .1, "linjiang": .1}, 3),
    ("export", "processed_food", .11, .09, 25e3,
     {"220183": 3, "220102": 1, "220104": 1, "222401": 1, "220105": .8, "220181": .8,
      "220381": .8, "220202": .5, "220502": .5, "220302": .4},
     {"dalian": .8, "changchun": .1, "tumen": .1}, 3),
]

# The 16 first-batch zones (首批示范区): product group, zh, en, counties.
_ZONES: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("ginseng", "人参", "ginseng", ("220621", "220622")),
    ("ginseng", "人参", "ginseng", ("220582",)),
    ("deer_products", "梅花鹿（鹿产业）", "sika deer products", ("220421",)),
    ("deer_products", "梅花鹿（鹿产业）", "sika deer products", ("220112",)),
    ("seed_kernels", "葵花籽仁", "sunflower seed kernels", ("220881", "220802")),
    ("seed_kernels", "籽仁（葵花籽、南瓜籽）", "seed kernels (sunflower, pumpkin)", ("220822",)),
    ("peanuts", "花生", "peanuts", ("220724",)),
    ("edible_fungi", "黑木耳", "black wood-ear fungus", ("222424",)),
    ("edible_fungi", "食用菌", "edible fungi", ("220281",)),
    ("rice", "大米", "rice", ("220283",)),
    ("rice", "大米", "rice", ("220581",)),
    ("vegetables_kimchi", "朝鲜族泡菜及蔬菜", "kimchi & vegetables", ("222401", "222405")),
    ("pine_nuts", "松子", "pine nuts", ("220681", "222403")),
    ("berries", "树莓、蓝莓", "raspberries & blueberries", ("222406",)),
    ("forest_frog", "林蛙", "forest frog", ("220282",)),
    ("honey", "蜂蜜", "honey", ("220623",)),
]
# fmt: on

# Extra county governments and the number of enterprises that signed memoranda.
_MEMO_EXTRA_COUNTIES = ("220183", "220382", "220521", "222426", "220524")
_MEMO_ENTERPRISES = 16

# the column contract (data/datapackage.json): order and the columns stored as text
_DECL, _ZONE, _MEMO = table("declarations"), table("zones"), table("memoranda")


# --------------------------------------------------------------------------- helpers


def _check_seed(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ParameterError(f"seed must be a non-negative integer, got {seed!r}")
    return int(seed)


def _county_table() -> pd.DataFrame:
    """Return the real 2010 county list (code, prefecture) from the data package."""
    from . import data

    counties = data.load("counties")
    return counties[["code_2010", "prefecture_code", "level_en"]].astype(
        {"code_2010": str, "prefecture_code": str}
    )


def _check_codes(known: set[str]) -> None:
    """Fail loudly if a code in the generator's tables is not a 2010 Jilin unit."""
    used = {c for flow in _FLOWS for c in flow[5]}
    used |= {c for zone in _ZONES for c in zone[3]} | set(_MEMO_EXTRA_COUNTIES)
    bad = sorted(used - known)
    if bad:
        raise CountyCodeError(
            f"the generator uses county codes {bad} that are not 2010 Jilin units",
            expected="codes from data/raw/jilin_counties_2010.csv",
        )


def _scale_cents(raw: np.ndarray, total_cents: int) -> np.ndarray:
    """Scale positive values to integer cents adding up exactly to ``total_cents``.

    Largest-remainder rounding: floor, then one more cent to the rows with the largest
    fractional parts (ties broken by position), so the result is deterministic.
    """
    raw = np.asarray(raw, dtype="float64")
    x = raw * (total_cents / raw.sum())
    cents = np.floor(x).astype("int64")
    missing = int(total_cents - cents.sum())
    if missing > 0:
        order = np.argsort(-(x - cents), kind="stable")[:missing]
        cents[order] += 1
    return cents


def _day_weights(days: pd.DatetimeIndex) -> np.ndarray:
    """Relative activity of each day: weekends, public holidays, Spring Festival (春节)."""
    dow = days.day_of_week.to_numpy()
    w = np.where(dow == 5, 0.45, np.where(dow == 6, 0.2, 1.0))
    years = sorted(set(days.year))
    cal = holidays.China(years=years)
    hol = pd.DatetimeIndex(sorted(pd.Timestamp(d) for d in cal))
    w = np.where(days.isin(hol), 0.25, w)
    # Spring Festival: first day named exactly so (not "observed") in each year.
    sf = sorted(
        pd.Timestamp(d) for d, n in cal.items() if n == "Chinese New Year (Spring Festival)"
    )
    first = pd.Series(sf).groupby(pd.Series(sf).dt.year).min()
    offsets = np.full(len(days), 999)
    for day in first:  # one loop per year (10 iterations), not per row
        off = (days - day).days.to_numpy()
        offsets = np.where(np.abs(off) < np.abs(offsets), off, offsets)
    festival = (offsets >= -1) & (offsets <= 5)  # eve to the 6th day: few declarations
    around = ((offsets >= -8) & (offsets < -1)) | ((offsets > 5) & (offsets <= 12))
    w = np.where(festival, 0.05, np.where(around, 0.6 * w, w))
    return w


def _monthly_targets(rng: np.random.Generator, day_w: pd.Series) -> pd.DataFrame:
    """Jilin's monthly values (USD) by direction, shaped like the national series."""
    from scipy.signal import lfilter

    from . import data

    nat = data.national_trade_monthly().loc["2001-01":"2010-11", ["export", "import"]]
    months = nat.index
    # share of each month's activity falling in the sample (only November 2010 is partial)
    in_sample = day_w.index <= _LAST_DAY
    per_month = day_w.groupby(day_w.index.to_period("M")).sum()
    kept = day_w[in_sample].groupby(day_w.index[in_sample].to_period("M")).sum()
    frac = (kept / per_month).reindex(months).to_numpy()
    t = months.year.to_numpy() + (months.month.to_numpy() - 0.5) / 12
    out = {}
    for d in ("export", "import"):
        nat_d = nat[d].to_numpy()
        anchors_t, anchors_r = [2001.5], [_LEVEL_2001_USD[d] / nat_d[:12].sum()]
        for year, (_start, end) in sorted(_WINDOWS.items()):
            mask = (months.year == year) & (months.month <= end.month)
            nat_win = (
                nat_d * np.where(months.month == end.month, _frac_of(day_w, year, end), 1.0)
            )[mask].sum()
            anchors_t.append(year + (end.day_of_year / 365) / 2)
            anchors_r.append(CALIBRATION_TARGETS_USD[(year, d)] / nat_win)
        log_ratio = np.interp(t, anchors_t, np.log(anchors_r))
        eps = rng.normal(0.0, _SIGMA_MONTH * np.sqrt(1 - _AR_MONTH**2), len(months))
        noise = lfilter([1.0], [1.0, -_AR_MONTH], eps)  # AR(1) deviations, month to month
        out[d] = nat_d * np.exp(log_ratio + noise) * frac
    return pd.DataFrame(out, index=months)


def _frac_of(day_w: pd.Series, year: int, end: pd.Timestamp) -> float:
    """Share of the activity of ``end``'s month that falls on or before ``end``."""
    month = day_w[(day_w.index.year == year) & (day_w.index.month == end.month)]
    return float(month[month.index <= end].sum() / month.sum())


def _export_entry_years(rng: np.random.Generator) -> dict[str, int]:
    """Year each county starts exporting (首次出口); some only after 2010.

    Counties that lead a product or host a zone export early; of the others, just
    enough join between 2002 and 2010 for :data:`_EXPORT_COUNTIES_2010` counties to
    export in 2010, so that full county coverage (县域全覆盖) remains a goal.
    """
    exp_flows = [f for f in _FLOWS if f[0] == "export"]
    ordered = list(dict.fromkeys(c for f in exp_flows for c in f[5]))
    leaders = {next(iter(f[5])) for f in exp_flows}
    zone_c = {c for z in _ZONES for c in z[3]}
    entry = {c: 2001 for c in ordered if c in leaders}
    for c in ordered:
        if c in zone_c and c not in leaders:
            entry[c] = 2001 + int(rng.integers(0, 7))
    others = [c for c in ordered if c not in entry]
    n_join = max(0, min(len(others), _EXPORT_COUNTIES_2010 - len(entry)))
    for rank, i in enumerate(rng.permutation(len(others))):
        entry[others[i]] = 2002 + rank * 9 // max(n_join, 1) if rank < n_join else 2011 + rank % 4
    return entry


def _enterprises(rng: np.random.Generator) -> pd.DataFrame:
    """Build the synthetic enterprise register: one row per enterprise and flow."""
    entry = _export_entry_years(rng)
    zone_pairs = {(g, c) for g, _, _, cs in _ZONES for c in cs}
    main_pair: dict[str, tuple[str, int]] = {}  # county -> (group, flow) it starts with
    for f, flow in enumerate(_FLOWS):
        for c in flow[5]:
            if flow[0] == "export" and (c not in main_pair or (flow[1], c) in zone_pairs):
                if (main_pair.get(c, ("", -1))[0], c) not in zone_pairs:
                    main_pair[c] = (flow[1], f)
    recs = []
    for f, (direction, group, _s01, _s10, _size, counties, _ports, per_w) in enumerate(_FLOWS):
        for j, (county, weight) in enumerate(counties.items()):
            lag = int(rng.integers(0, 6))
            if direction == "import":
                start = 2001 if j == 0 else 2001 + lag
            elif j == 0 or main_pair[county][1] == f:
                start = entry[county]
            else:
                start = entry[county] + lag
            n = max(1, round(weight * per_w * _ENTERPRISES_PER_WEIGHT))
            size = rng.pareto(1.5, n) + 1.0
            size[0] *= 3.0
            if (direction, group, j) in {
                ("import", "vehicles_parts", 0),
                ("export", "railway_vehicles", 0),
            }:
                size[0] *= 10.0  # the FAW car importer; the railway-vehicle maker (长客)
            # more firms over time, most early; they come and go, the pair's first stays
            ent_start = start + np.floor(10 * rng.uniform(0, 1, n) ** 1.5).astype(int)
            ent_start[0] = start
            ent_end = ent_start + 2 + np.floor(rng.exponential(8.0, n)).astype(int)
            ent_end[0] = 9999
            for k in range(n):
                recs.append((f, county, weight, float(size[k]), int(ent_start[k]), int(ent_end[k])))
    ent = pd.DataFrame(recs, columns=["flow", "county_code", "pair_w", "size_w", "start", "end"])
    ent = ent.sort_values(["county_code", "flow"], kind="stable").reset_index(drop=True)
    seq = ent.groupby("county_code").cumcount() + 1
    ent["enterprise_id"] = "E" + ent["county_code"] + seq.astype(str).str.zfill(3)
    return ent


def _flow_shares(year: np.ndarray | int) -> np.ndarray:
    """Value shares of the flows by year (rows: years, columns: flows), per direction."""
    yr = np.atleast_1d(np.asarray(year, dtype=float))
    a = np.array([f[2] for f in _FLOWS])
    b = np.array([f[3] for f in _FLOWS])
    lam = np.clip((yr[:, None] - 2001) / 9, 0, 1.2)
    share = a + (b - a) * lam
    first = np.array([_FIRST_EXPORT_YEAR.get((f[0], f[1]), 0) for f in _FLOWS])
    share = np.where(yr[:, None] >= first, share, 0.0)
    is_exp = np.array([f[0] == "export" for f in _FLOWS])
    for mask in (is_exp, ~is_exp):
        share[:, mask] /= share[:, mask].sum(axis=1, keepdims=True)
    return share


def _declarations(rng: np.random.Generator, counties: pd.DataFrame) -> pd.DataFrame:
    """Generate the consignments (报检批次) with values calibrated to the article."""
    all_days = pd.date_range(_FIRST_DAY, _LAST_DAY + pd.offsets.MonthEnd(0), freq="D")
    day_w = pd.Series(_day_weights(all_days), index=all_days)
    monthly = _monthly_targets(rng, day_w)
    ents = _enterprises(rng)
    flows = pd.DataFrame(
        _FLOWS, columns=["direction", "group", "s01", "s10", "size", "counties", "ports", "per_w"]
    )
    size = flows["size"].to_numpy() * _SIZE_FACTOR
    years = np.arange(2001, 2011)
    shares = _flow_shares(years)  # (10, n_flows)
    count_p = shares / size  # relative row counts per flow
    months = monthly.index
    parts = []
    for d in ("export", "import"):
        fmask = (flows["direction"] == d).to_numpy()
        mean_size = 1.0 / count_p[:, fmask].sum(axis=1)  # by year
        v = monthly[d].to_numpy()
        n = rng.poisson(v / mean_size[months.year.to_numpy() - 2001])
        parts.append(pd.DataFrame({"m": np.repeat(np.arange(len(months)), n), "direction": d}))
    rows = pd.concat(parts, ignore_index=True)
    yr = months.year.to_numpy()[rows["m"].to_numpy()]
    rows["year"] = yr
    # product flow of each row, drawn by (direction, year): 20 draws, not per row
    flow_idx = np.empty(len(rows), dtype=int)
    for (d, y), idx in rows.groupby(["direction", "year"], sort=True).indices.items():
        fl = np.flatnonzero((flows["direction"] == d).to_numpy())
        p = count_p[y - 2001, fl] / count_p[y - 2001, fl].sum()
        flow_idx[idx] = rng.choice(fl, size=len(idx), p=p)
    rows["flow"] = flow_idx
    # day within the month, proportional to the day weights (vectorised inverse CDF)
    cum = np.concatenate([[0.0], np.cumsum(day_w.to_numpy())])
    mstart = np.searchsorted(all_days, months.to_timestamp(how="start"))
    mend = np.minimum(
        np.searchsorted(all_days, months.to_timestamp(how="end").normalize()) + 1,
        np.searchsorted(all_days, _LAST_DAY) + 1,
    )
    lo, hi = cum[mstart][rows["m"]], cum[mend][rows["m"]]
    target = lo + rng.uniform(size=len(rows)) * (hi - lo)
    day_idx = np.clip(np.searchsorted(cum, target, side="right") - 1, 0, len(all_days) - 1)
    rows["date"] = all_days[day_idx]
    # consignment values around each flow's typical size, scaled to the monthly target
    raw = size[flow_idx] * rng.lognormal(-(_SIGMA_ROW**2) / 2, _SIGMA_ROW, len(rows))
    key = rows["m"].to_numpy() * 2 + (rows["direction"] == "import").to_numpy()
    tot = np.bincount(key, weights=raw, minlength=2 * len(months))
    want = np.column_stack([monthly["export"].to_numpy(), monthly["import"].to_numpy()]).ravel()
    rows["raw"] = raw * (want / tot)[key]
    # enterprise, county, port and HS chapter, drawn by flow (and year for enterprises)
    ent_row = np.empty(len(rows), dtype=int)
    e_flow, e_start, e_end = (
        ents["flow"].to_numpy(),
        ents["start"].to_numpy(),
        ents["end"].to_numpy(),
    )
    e_size, e_pair_w = ents["size_w"].to_numpy(), ents["pair_w"].to_numpy()
    e_county = np.unique(ents["county_code"].to_numpy(), return_inverse=True)[1]
    for (f, y), idx in rows.groupby(["flow", "year"], sort=True).indices.items():
        act = np.flatnonzero((e_flow == f) & (e_start <= y) & (e_end >= y))
        ci = e_county[act]
        pair_tot = np.bincount(ci, weights=e_size[act])[ci]
        # a county's share of the flow, then the enterprise's share within the county
        p = e_pair_w[act] * e_size[act] / pair_tot
        ent_row[idx] = rng.choice(act, size=len(idx), p=p / p.sum())
    rows["enterprise_id"] = ents["enterprise_id"].to_numpy()[ent_row]
    rows["county_code"] = ents["county_code"].to_numpy()[ent_row]
    port = np.empty(len(rows), dtype=object)
    hs2 = np.empty(len(rows), dtype=object)
    for f, idx in rows.groupby("flow", sort=True).indices.items():
        ports = flows.at[f, "ports"]
        port[idx] = rng.choice(
            list(ports), size=len(idx), p=np.array(list(ports.values())) / sum(ports.values())
        )
        chapters = PRODUCT_GROUPS[flows.at[f, "group"]].hs2
        cw = 1.0 / np.arange(1, len(chapters) + 1) ** 1.5
        hs2[idx] = rng.choice(list(chapters), size=len(idx), p=cw / cw.sum())
    rows["port"] = port
    early_fresh = (
        (flows["group"].to_numpy()[flow_idx] == "vegetables_kimchi")
        & (hs2 == "07")
        & (rows["year"].to_numpy() < _FIRST_FRESH_VEGETABLES)
    )
    rows["hs2"] = np.where(early_fresh, "20", hs2)
    rows["product_group"] = flows["group"].to_numpy()[flow_idx]
    rows = rows.sort_values(["date", "direction"], kind="stable").reset_index(drop=True)
    rows = _flag_and_calibrate(rng, rows, counties)
    letter = np.where(rows["direction"] == "export", "E", "I")
    seq = rows.groupby([rows["date"].dt.year, rows["direction"]]).cumcount() + 1
    rows["decl_id"] = (
        "JL"
        + rows["date"].dt.year.astype(str)
        + pd.Series(letter, index=rows.index)
        + seq.astype(str).str.zfill(6)
    )
    out = rows[list(_DECL.columns)].copy()
    for col in _DECL.of_type("string"):
        out[col] = out[col].astype("str")
    return out


def _in_window(dates: pd.Series, year: int) -> np.ndarray:
    start, end = _WINDOWS[year]
    return ((dates >= start) & (dates <= end)).to_numpy()


def _flag_and_calibrate(
    rng: np.random.Generator, rows: pd.DataFrame, counties: pd.DataFrame
) -> pd.DataFrame:
    """Flag key and direct-release enterprises, then set cents to the exact targets."""
    w10, w09 = _in_window(rows["date"], 2010), _in_window(rows["date"], 2009)
    # F7: the 64 enterprises with the largest 2010 YTD value are the key enterprises
    by_ent = (
        rows.loc[w10]
        .groupby("enterprise_id")["raw"]
        .sum()
        .sort_values(ascending=False, kind="stable")
    )
    key_ids = by_ent.index[:_KEY_ENTERPRISES]
    rows["key_enterprise"] = rows["enterprise_id"].isin(key_ids)
    # F13-F14: 51 enterprises of the 长吉图 prefectures with small consignments (agri-food,
    # light industry), the most active ones in 2010; 5,175 of their 2010 consignments
    pref = counties.set_index("code_2010")["prefecture_code"]
    small = {
        g
        for _d, g, *_rest in _FLOWS
        if g
        not in {
            "railway_vehicles",
            "iron_ore_minerals",
            "soybeans_grain",
            "vehicles_parts",
            "machinery",
            "chemicals",
        }
    }
    elig = (
        w10
        & rows["county_code"].map(pref).isin(_DIRECT_RELEASE_PREFECTURES).to_numpy()
        & rows["product_group"].isin(small).to_numpy()
    )
    counts = (
        rows.loc[elig].groupby("enterprise_id").size().sort_values(ascending=False, kind="stable")
    )
    dr_ids = counts.index[:_DIRECT_RELEASE_ENTERPRISES]
    cand = np.flatnonzero(elig & rows["enterprise_id"].isin(dr_ids).to_numpy())
    if len(cand) < _DIRECT_RELEASE_ROWS:  # pragma: no cover - guards a change of parameters
        raise ParameterError(
            f"only {len(cand)} candidate consignments for direct release; "
            f"expected at least {_DIRECT_RELEASE_ROWS}"
        )
    # each pilot enterprise joins on a day in Jan-Aug 2010; later consignments come first
    join = pd.Series(
        pd.Timestamp("2010-01-01") + pd.to_timedelta(rng.integers(0, 243, len(dr_ids)), unit="D"),
        index=dr_ids,
    )
    cdates = rows["date"].to_numpy()[cand]
    after = cdates >= join.reindex(rows["enterprise_id"].to_numpy()[cand]).to_numpy()
    prio = after + rng.uniform(size=len(cand))
    first = pd.Series(prio).groupby(rows["enterprise_id"].to_numpy()[cand]).idxmax().to_numpy()
    prio[first] = 3.0  # at least one consignment for each of the 51 enterprises
    chosen = cand[np.argsort(-prio, kind="stable")[:_DIRECT_RELEASE_ROWS]]
    dr = np.zeros(len(rows), dtype=bool)
    dr[chosen] = True
    rows["direct_release"] = dr
    # cents: exact window totals; direct release exactly 1.2 亿美元 (F15)
    raw = rows["raw"].to_numpy()
    cents = np.round(raw * 100).astype("int64")
    cents[dr] = _scale_cents(raw[dr], _DIRECT_RELEASE_USD * 100)
    for year, win in ((2010, w10), (2009, w09)):
        for d in ("export", "import"):
            m = win & (rows["direction"] == d).to_numpy() & ~dr
            target = (
                CALIBRATION_TARGETS_USD[(year, d)] * 100
                - cents[win & dr & (rows["direction"] == d).to_numpy()].sum()
            )
            cents[m] = _scale_cents(raw[m], int(target))
    if (cents <= 0).any():  # pragma: no cover - guards a change of parameters
        raise ParameterError("the calibration produced a consignment of zero value")
    rows["value_usd"] = cents / 100.0
    return rows


def _zones(rng: np.random.Generator) -> pd.DataFrame:
    """Make the 16 first-batch demonstration zones (首批示范区), one row per zone × county."""
    # launched after the provincial measures of May 2010 (F21), before 2010-11-20
    first, last = pd.Timestamp("2010-06-01"), pd.Timestamp("2010-11-10")
    launch = first + pd.to_timedelta(
        np.sort(rng.integers(0, (last - first).days + 1, len(_ZONES))), unit="D"
    )
    recs = [
        (f"JLZ{i + 1:02d}", group, zh, en, county, launch[i], 1)
        for i, (group, zh, en, cs) in enumerate(_ZONES)
        for county in cs
    ]
    out = pd.DataFrame(recs, columns=list(_ZONE.columns))
    return out.astype(dict.fromkeys(_ZONE.of_type("string"), "str"))


def _memoranda(
    rng: np.random.Generator, zones: pd.DataFrame, decl: pd.DataFrame, counties: pd.DataFrame
) -> pd.DataFrame:
    """Fifty co-building memoranda (共建合作备忘录) with governments and enterprises."""
    start, end = pd.Timestamp("2009-01-01"), _LAST_DAY
    # county governments of every zone county, signed before the zone's launch
    zc = zones.groupby("county_code", sort=True)["launch_date"].min()
    span = (zc - pd.Timestamp("2009-06-01")).dt.days.to_numpy() - 10
    d_zone = pd.Timestamp("2009-06-01") + pd.to_timedelta(
        (rng.uniform(size=len(zc)) * span).astype(int), unit="D"
    )
    gov_c = pd.DataFrame(
        {
            "counterpart_type": "government",
            "counterpart_level": "county",
            "county_code": zc.index.to_numpy(),
            "date": d_zone,
        }
    )
    extra = pd.DataFrame(
        {
            "counterpart_type": "government",
            "counterpart_level": "county",
            "county_code": list(_MEMO_EXTRA_COUNTIES),
        }
    )
    # prefecture governments: the prefecture's first unit in code order stands for it
    seats = (
        counties.sort_values("code_2010").groupby("prefecture_code", sort=True)["code_2010"].first()
    )
    pref = pd.DataFrame(
        {
            "counterpart_type": "government",
            "counterpart_level": "prefecture",
            "county_code": seats.to_numpy(),
        }
    )
    # enterprises: agri-food exporters located in zone counties, active in 2010
    food = {g for g, *_ in _ZONES} | {"processed_food"}
    pool = (
        decl.loc[
            (decl["date"].dt.year == 2010)
            & (decl["direction"] == "export")
            & decl["product_group"].isin(food)
            & decl["county_code"].isin(zc.index),
            ["enterprise_id", "county_code"],
        ]
        .drop_duplicates()
        .sort_values("enterprise_id")
    )
    pick = np.sort(rng.choice(len(pool), size=_MEMO_ENTERPRISES, replace=False))
    ent = pd.DataFrame(
        {
            "counterpart_type": "enterprise",
            "counterpart_level": "enterprise",
            "county_code": pool["county_code"].to_numpy()[pick],
        }
    )
    rest = pd.concat([extra, pref, ent], ignore_index=True)
    rest["date"] = start + pd.to_timedelta(
        rng.integers(0, (end - start).days + 1, len(rest)), unit="D"
    )
    out = pd.concat([gov_c, rest], ignore_index=True)
    out = out.sort_values(["date", "county_code"], kind="stable").reset_index(drop=True)
    out["memo_id"] = "JLM" + pd.Series(np.arange(1, len(out) + 1)).astype(str).str.zfill(2)
    out = out[list(_MEMO.columns)]
    return out.astype(dict.fromkeys(_MEMO.of_type("string"), "str"))


# ------------------------------------------------------------------------------ API


def make_sample(seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Make the SYNTHETIC Jilin CIQ sample: declarations, zones and memoranda.

    The declarations (报检批次, 2001-01-01 .. 2010-11-20) reproduce the article's
    figures exactly after rounding: the year-to-date (累计) exports, imports and total
    in 亿美元, their year-on-year growth (同比) and the contributions (拉动, pp); 64
    key enterprises; the direct-release pilot (直通放行: 51 enterprises, 5,175
    consignments, 1.2 亿美元). Their monthly profile follows China Customs' national
    series. The zones are the 16 first-batch demonstration zones (示范区) and the
    memoranda the 50 co-building memoranda, all synthetic.

    Parameters
    ----------
    seed : int, default 20101120
        Seed of the random generator; the same seed gives identical tables.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``declarations``, ``zones`` and ``memoranda``, with the columns of their
        contract in ``data/datapackage.json`` (:func:`ciqanalysis.data.schema.table`).

    Raises
    ------
    ParameterError
        If ``seed`` is not a non-negative integer.

    Examples
    --------
    >>> from ciqanalysis.sample import make_sample
    >>> t = make_sample(seed=1)
    >>> float(round(t["declarations"].query("date.dt.year == 2010")["value_usd"].sum() / 1e8, 2))
    46.09
    """
    rng = np.random.default_rng(_check_seed(seed))
    counties = _county_table()
    _check_codes(set(counties["code_2010"]))
    if set(f[1] for f in _FLOWS) - set(PRODUCT_GROUPS) or any(
        set(f[6]) - set(PORTS) for f in _FLOWS
    ):
        raise ParameterError("the generator's flows use an unknown product group or port")
    decl = _declarations(rng, counties)
    zones = _zones(rng)
    memos = _memoranda(rng, zones, decl, counties)
    return {"declarations": decl, "zones": zones, "memoranda": memos}


def _csv_bytes(df: pd.DataFrame) -> bytes:
    """Return CSV bytes with fixed formats: ISO dates, money to the cent, LF line ends."""
    buf = io.StringIO()
    df.to_csv(buf, index=False, date_format="%Y-%m-%d", float_format="%.2f", lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def write_sample(out_dir: str | Path | None = None, seed: int = DEFAULT_SEED) -> dict[str, Path]:
    """Write the SYNTHETIC sample to ``out_dir`` (default ``data/sample/``), reproducibly.

    ``declarations.csv.gz`` is gzip-compressed with a zero timestamp, so the same
    seed always gives the same bytes; ``zones.csv`` and ``memoranda.csv`` are plain
    UTF-8 CSV. When writing to the package's own ``data/sample/``, the sha256
    checksums in ``data/datapackage.json`` are refreshed (if the data module offers
    ``update_checksums``).

    Parameters
    ----------
    out_dir : str or pathlib.Path, optional
        Output folder; created if missing. Default: :func:`ciqanalysis.paths.sample_dir`.
    seed : int, default 20101120
        Seed passed to :func:`make_sample`.

    Returns
    -------
    dict of str to pathlib.Path
        Table name -> file written.

    Examples
    --------
    Into a folder ``tmp`` (a :class:`pathlib.Path`):

    >>> from ciqanalysis.sample import write_sample
    >>> paths = write_sample(tmp / "sample")
    >>> sorted(p.name for p in paths.values())
    ['declarations.csv.gz', 'memoranda.csv', 'zones.csv']
    >>> import gzip
    >>> with gzip.open(paths["declarations"], "rt", encoding="utf-8") as f:
    ...     print(f.readline().strip())
    decl_id,date,direction,hs2,product_group,value_usd,county_code,enterprise_id,port,direct_release,key_enterprise

    A bad seed stops before anything is generated or written:

    >>> write_sample(tmp / "bad", seed=-1)
    Traceback (most recent call last):
    ...
    ciqanalysis.errors.ParameterError: seed must be a non-negative integer, got -1
    >>> (tmp / "bad").exists()
    False
    """
    default = sample_dir()
    target = Path(out_dir) if out_dir is not None else default
    tables = make_sample(seed)
    target.mkdir(parents=True, exist_ok=True)
    paths = {
        "declarations": target / "declarations.csv.gz",
        "zones": target / "zones.csv",
        "memoranda": target / "memoranda.csv",
    }
    with open(paths["declarations"], "wb") as fh:
        with gzip.GzipFile(
            filename="declarations.csv", mode="wb", fileobj=fh, mtime=0, compresslevel=6
        ) as gz:
            gz.write(_csv_bytes(tables["declarations"]))
    paths["zones"].write_bytes(_csv_bytes(tables["zones"]))
    paths["memoranda"].write_bytes(_csv_bytes(tables["memoranda"]))
    if target.resolve() == default.resolve():
        from . import data

        update = getattr(data, "update_checksums", None)
        if update is not None:
            update(list(paths.keys()))
    return paths
