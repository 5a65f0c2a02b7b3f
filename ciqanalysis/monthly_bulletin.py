"""Monthly statistical bulletin (月度统计快报): 当月, 累计, 同比, 环比 in two currencies.

The layout a Chinese statistics office publishes each month: for exports, imports
and the total, the month's value (当月) and the year to date (累计), each with its
year-on-year growth (同比), the change on the previous month (环比), in 亿美元 and
in 亿元人民币. Renminbi values use the month's average USD/CNY rate from the
packaged table ``usd_cny_monthly`` (European Central Bank reference rates crossed
through the euro, from April 2005); months the table does not cover have no
renminbi value and say so in the ``note`` column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .config import parse_as_of
from .errors import AsOfDateError, SchemaError
from .metrics._common import _ratio
from .units import from_usd

__all__ = ["bulletin", "bulletin_zh", "usd_cny_rates", "monthly_by_direction", "BULLETIN_LABELS"]

#: Chinese column headings of :func:`bulletin` (the bulletin's own words).
BULLETIN_LABELS = {
    "month_yi_usd": "当月（亿美元）", "ytd_yi_usd": "累计（亿美元）", "yoy_pct": "当月同比%",
    "ytd_yoy_pct": "累计同比%", "mom_pct": "环比%", "cny_per_usd": "月平均汇率（元/美元）",
    "month_yi_cny": "当月（亿元人民币）", "ytd_yi_cny": "累计（亿元人民币）", "note": "说明",
}
_DIRECTION_ZH = {"export": "出口", "import": "进口", "total": "进出口合计"}


def usd_cny_rates() -> pd.Series:
    """Return the monthly average USD/CNY rate (元/美元) by month (PeriodIndex).

    Source: European Central Bank euro reference rates, crossed through the euro and
    averaged over each month's ECB business days; April 2005 to December 2013.

    Examples
    --------
    >>> r = usd_cny_rates()
    >>> str(r.index.min()), round(float(r["2010-11"]), 2)
    ('2005-04', 6.65)
    """
    from . import data

    table = data.load("usd_cny_monthly")
    return pd.Series(table["cny_per_usd"].to_numpy(), name="cny_per_usd",
                     index=pd.PeriodIndex(table["month"], freq="M", name="period"))


def monthly_by_direction(decl: pd.DataFrame, as_of) -> pd.DataFrame:
    """Sum declarations by calendar month and direction, complete months only.

    Parameters
    ----------
    decl : pandas.DataFrame
        Declarations with ``date``, ``direction`` (export/import) and ``value_usd``.
    as_of : str or pandas.Timestamp
        As-of date (截止日期); the month holding it counts only if as-of is its last day.

    Returns
    -------
    pandas.DataFrame
        PeriodIndex ``period``; columns ``export``, ``import``, ``total`` in USD.

    Examples
    --------
    >>> d = pd.DataFrame({"date": pd.to_datetime(["2010-01-05", "2010-02-03", "2010-03-01"]),
    ...                   "direction": ["export", "import", "export"],
    ...                   "value_usd": [1.0, 2.0, 4.0]})
    >>> monthly_by_direction(d, "2010-03-15")["total"].tolist()
    [1.0, 2.0]
    """
    need = {"date", "direction", "value_usd"}
    if not need <= set(decl.columns):
        raise SchemaError(f"missing column(s) {sorted(need - set(decl.columns))}",
                          file="declarations", expected="date, direction, value_usd")
    day = parse_as_of(as_of)
    last = _last_complete_month(day)
    cut = decl.loc[decl["date"] <= day]
    period = cut["date"].dt.to_period("M").rename("period")
    wide = (cut.groupby([period, cut["direction"]], observed=True)["value_usd"].sum()
            .unstack("direction").reindex(columns=["export", "import"]).fillna(0.0))
    if wide.empty:
        raise AsOfDateError(f"no declarations on or before {day.date()}")
    full = pd.period_range(wide.index.min(), last, freq="M", name="period")
    wide = wide.reindex(full, fill_value=0.0)
    wide["total"] = wide["export"] + wide["import"]
    wide.columns.name = None
    return wide


def _last_complete_month(as_of) -> pd.Period:
    day = parse_as_of(as_of)
    month = day.to_period("M")
    return month if (day + pd.Timedelta(days=1)).day == 1 else month - 1


def bulletin(decl: pd.DataFrame, as_of, *, year: int | None = None,
             rates: pd.Series | None = None) -> pd.DataFrame:
    """Return the monthly bulletin table (月度快报) of one year through the as-of date.

    Parameters
    ----------
    decl : pandas.DataFrame
        Declarations (``date``, ``direction``, ``value_usd``), e.g.
        ``cq.data.load_declarations("sample", as_of=...)``, with at least the year
        before ``year`` too (for 同比); or monthly USD sums by direction already
        (PeriodIndex, columns ``export`` and ``import``; a last month that is not
        complete at ``as_of`` is dropped).
    as_of : str or pandas.Timestamp
        As-of date; only complete months up to it are shown.
    year : int, optional
        Bulletin year; the year of the last complete month when None.
    rates : pandas.Series, optional
        Monthly average 元/美元 by PeriodIndex; :func:`usd_cny_rates` when None.

    Returns
    -------
    pandas.DataFrame
        Index (``period``, ``direction``); columns ``month_yi_usd`` (当月),
        ``ytd_yi_usd`` (累计), ``yoy_pct`` (当月同比), ``ytd_yoy_pct`` (累计同比),
        ``mom_pct`` (环比), ``cny_per_usd``, ``month_yi_cny``, ``ytd_yi_cny`` and
        ``note`` (a month the rate table does not cover says so). Chinese
        headings: :data:`BULLETIN_LABELS`.

    Examples
    --------
    >>> import ciqanalysis as cq
    >>> decl = cq.data.load_declarations("sample", as_of="2010-11-20")
    >>> b = bulletin(decl, "2010-11-20")
    >>> str(b.index.get_level_values("period").max()), list(b.loc["2010-10"].index)
    ('2010-10', ['export', 'import', 'total'])
    """
    if isinstance(decl.index, pd.PeriodIndex) and {"export", "import"} <= set(decl.columns):
        monthly = decl[["export", "import"]].astype("float64").rename_axis("period")
        monthly = monthly.loc[monthly.index <= _last_complete_month(as_of)]
        monthly["total"] = monthly["export"] + monthly["import"]
    else:
        monthly = monthly_by_direction(decl, as_of)
    year = int(monthly.index.max().year) if year is None else int(year)
    rates = usd_cny_rates() if rates is None else rates
    yi = from_usd(monthly, "亿美元")
    this = yi.loc[yi.index.year == year]
    if this.empty:
        raise AsOfDateError(f"no complete month of {year} on or before {pd.Timestamp(as_of).date()}")
    prev = yi.loc[yi.index.year == year - 1].reindex(
        pd.period_range(f"{year - 1}-01", f"{year - 1}-12", freq="M"))
    rate = rates.reindex(yi.index)
    rmb = yi.mul(rate, axis=0)
    frames = []
    for d in ("export", "import", "total"):
        cur = this[d]
        base = pd.Series(prev[d].to_numpy()[: len(cur)], index=cur.index)
        ytd = cur.cumsum()
        ytd_base = base.cumsum()
        before = yi[d].shift(1).reindex(cur.index)
        cur_rmb = rmb[d].reindex(cur.index)
        covered = rate.reindex(cur.index).notna()
        ytd_rmb = cur_rmb.cumsum().where(covered.cummin())
        note = np.where(covered, "", "汇率表未覆盖该月 (no published rate in the table for this "
                                    "month): 人民币数缺")
        note = np.where(covered & ~covered.cummin(), "累计人民币数缺 (an earlier month has no "
                        "rate)", note)
        frames.append(pd.DataFrame({
            "direction": d, "month_yi_usd": cur.to_numpy(), "ytd_yi_usd": ytd.to_numpy(),
            # a month (or year to date) with nothing a year or a month before: NaN, never inf
            "yoy_pct": ((_ratio(cur, base) - 1) * 100).to_numpy(),
            "ytd_yoy_pct": ((_ratio(ytd, ytd_base) - 1) * 100).to_numpy(),
            "mom_pct": ((_ratio(cur, before) - 1) * 100).to_numpy(),
            "cny_per_usd": rate.reindex(cur.index).to_numpy(),
            "month_yi_cny": cur_rmb.to_numpy(), "ytd_yi_cny": ytd_rmb.to_numpy(),
            "note": note,
        }, index=cur.index))
    out = pd.concat(frames).set_index("direction", append=True).sort_index(
        level=["period"], sort_remaining=False, kind="stable")
    out.attrs = {"table": "bulletin", "year": year, "synthetic": bool(decl.attrs.get("synthetic")),
                 "rate_source": "European Central Bank euro reference rates, crossed through "
                                "the euro, monthly average (packaged table usd_cny_monthly)"}
    return out


def bulletin_zh(table: pd.DataFrame, digits: int = 2) -> pd.DataFrame:
    """Return :func:`bulletin` with Chinese headings and direction names, rounded.

    Examples
    --------
    >>> import ciqanalysis as cq
    >>> b = bulletin(cq.data.load_declarations("sample", as_of="2010-11-20"), "2010-11-20")
    >>> list(bulletin_zh(b).columns)[:2]
    ['当月（亿美元）', '累计（亿美元）']
    """
    out = table.copy()
    num = out.columns.drop("note")
    out[num] = out[num].round(digits)
    out = out.rename(columns=BULLETIN_LABELS)
    out.index = out.index.set_levels(
        [out.index.levels[0].astype(str), out.index.levels[1].map(_DIRECTION_ZH)])
    out.index.names = ["月份", "项目"]
    return out

