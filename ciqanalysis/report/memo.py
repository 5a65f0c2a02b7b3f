"""The forecast memo for a bureau director (预测备忘录): numbers first, then HTML.

:func:`compute_memo` gathers every number the memo prints (year-to-date values and
growth 累计同比, the nowcast of the current year and the forecast of the next with
intervals, the track record on the real national series) into a
:class:`MemoNumbers`; :func:`render_memo` turns those into one self-contained HTML
page (fan chart embedded as a base64 PNG). Tests check the numbers without parsing
HTML.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import AsOfDateError, DataFileError, ParameterError
from ..units import direction_label, from_usd

__all__ = [
    "DEFAULT_AS_OF",
    "DEFAULT_SEED",
    "EARLIEST_AS_OF",
    "MemoNumbers",
    "parse_as_of",
    "resolve_data_source",
    "compute_memo",
    "render_memo",
    "write_memo",
    "fan_figure",
    "figure_png",
    "QUICK_NOWCAST",
    "QUICK_TRACK",
]

#: The article's as-of date (data through 20 November 2010).
DEFAULT_AS_OF = "2010-11-20"
#: The seed every notebook and the memo use unless told otherwise.
DEFAULT_SEED = 20101120
#: Earliest as-of date: the forecast needs a full year of history (data start 2001).
EARLIEST_AS_OF = pd.Timestamp("2002-01-01")

_DIRECTIONS = ("export", "import", "total")
_LEVELS = (80, 95)


@dataclass(frozen=True)
class MemoNumbers:
    """Every number the forecast memo prints, in US dollars unless named otherwise.

    Attributes
    ----------
    as_of : pandas.Timestamp
        Last day of data used (截止日期).
    data_source : str
        ``"sample"`` or the file name of the user's declarations.
    synthetic : bool
        True when the declarations are the synthetic sample (合成数据).
    seed : int
        Seed of every random draw (interval simulation).
    levels : tuple of int
        Interval levels, e.g. (80, 95).
    ytd : pandas.DataFrame
        Rows export/import/total: ``value_usd`` (1 Jan..as-of), ``base_usd`` (same
        days a year earlier), ``growth_pct`` (累计同比).
    outlook : pandas.DataFrame
        Index (direction, year) for the current and the next year; columns
        ``mean``, ``lower_<L>``, ``upper_<L>`` for each level.
    monthly : pandas.DataFrame
        Monthly history by direction (PeriodIndex), the last month cut at as-of.
    fan : pandas.DataFrame
        Monthly forecast of the total for the fan chart (same columns as outlook).
    track : pandas.DataFrame
        Track-record summary on the real national series: one row per method,
        MAPE and interval coverage by direction.
    track_info : dict
        Years, months and benchmark definitions of the track record.
    method : str
        One paragraph on the method.
    sources : list of tuple
        (what, source) pairs for the provenance table.
    version : str
        Package version.
    """

    as_of: pd.Timestamp
    data_source: str
    synthetic: bool
    seed: int
    levels: tuple[int, ...]
    ytd: pd.DataFrame
    outlook: pd.DataFrame
    monthly: pd.DataFrame
    fan: pd.DataFrame
    track: pd.DataFrame
    track_info: dict[str, Any] = field(default_factory=dict)
    method: str = ""
    sources: list[tuple[str, str]] = field(default_factory=list)
    version: str = ""

    @property
    def year(self) -> int:
        """The as-of year (当年)."""
        return int(self.as_of.year)


def parse_as_of(value: str | pd.Timestamp) -> pd.Timestamp:
    """Parse an as-of date given as ``YYYY-MM-DD`` and check it is usable.

    Parameters
    ----------
    value : str or pandas.Timestamp
        The as-of date (截止日期).

    Returns
    -------
    pandas.Timestamp
        Midnight of that day.

    Raises
    ------
    ParameterError
        If the text is not a date.
    AsOfDateError
        If the date is before 2002 (a forecast needs a year of history).

    Examples
    --------
    >>> parse_as_of("2010-11-20")
    Timestamp('2010-11-20 00:00:00')
    """
    if isinstance(value, pd.Timestamp):
        ts = value
    else:
        text = str(value).strip()
        try:
            ts = pd.Timestamp(pd.to_datetime(text, format="%Y-%m-%d"))
            if pd.isna(ts):
                raise ValueError(text)
        except (ValueError, TypeError):
            raise ParameterError(
                f"as-of date {text!r} is not a date; expected YYYY-MM-DD, e.g. {DEFAULT_AS_OF}"
            ) from None
    ts = ts.normalize()
    if ts < EARLIEST_AS_OF:
        raise AsOfDateError(
            f"as-of date {ts.date()} is before {EARLIEST_AS_OF.date()}; the forecast needs at "
            "least one full year of declarations before the as-of year"
        )
    return ts


def resolve_data_source(data_source: str | Path) -> str:
    """Return ``"sample"`` or the absolute path of an existing declarations file.

    Parameters
    ----------
    data_source : str or pathlib.Path
        ``"sample"`` (the synthetic sample) or a path to a CSV, Excel or Parquet file.

    Raises
    ------
    DataFileError
        If the file does not exist.

    Examples
    --------
    >>> resolve_data_source("sample")
    'sample'
    """
    if str(data_source) == "sample":
        return "sample"
    path = Path(data_source).expanduser()
    if not path.is_file():
        raise DataFileError(
            "no such declarations file", file=str(data_source),
            expected="'sample' or an existing CSV, Excel (.xlsx) or Parquet file",
        )
    return str(path.resolve())


def compute_memo(
    data_source: str | Path = "sample",
    as_of: str | pd.Timestamp = DEFAULT_AS_OF,
    *,
    seed: int = DEFAULT_SEED,
    levels: tuple[int, ...] = _LEVELS,
    decl: pd.DataFrame | None = None,
    quick: bool = False,
) -> MemoNumbers:
    """Compute the memo's numbers: year to date, nowcast, next year, track record.

    Parameters
    ----------
    data_source : str or pathlib.Path, default "sample"
        ``"sample"`` or a user's declarations file (read by
        ``data.load_declarations``).
    as_of : str or pandas.Timestamp, default "2010-11-20"
        Last day of data (截止日期); must lie within the data.
    seed : int, default 20101120
        Seed of the interval simulation.
    levels : tuple of int, default (80, 95)
        Interval levels (two: the table shows the wider, the note the narrower).
    decl : pandas.DataFrame, optional
        Declarations already loaded (skips reading ``data_source``).
    quick : bool, default False
        Lean settings (:data:`QUICK_NOWCAST`, :data:`QUICK_TRACK`): one model, fewer
        simulated paths, a shorter track record; the memo says so. For drafts and
        smoke tests.

    Returns
    -------
    MemoNumbers

    Raises
    ------
    AsOfDateError
        If ``as_of`` is before 2002 or after the last declaration.

    Examples
    --------
    >>> m = compute_memo("sample", "2010-11-20")  # doctest: +SKIP
    >>> m.outlook.loc[("total", 2011), "mean"] > 0  # doctest: +SKIP
    True
    """
    from .. import __version__, data

    as_of = parse_as_of(as_of)
    source = resolve_data_source(data_source)
    if len(levels) != 2:
        raise ParameterError(f"levels must be two interval levels such as (80, 95), got {levels}")
    if decl is None:
        decl = data.load_declarations(source, as_of=as_of)
    synthetic = bool(decl.attrs.get("synthetic", source == "sample"))
    _check_as_of_in_data(decl, as_of)
    monthly = _monthly_by_direction(decl, as_of)
    ytd = _ytd_table(decl, as_of)
    outlook, fan, flags = _outlook(decl, as_of, tuple(levels), int(seed), quick)
    track, track_info = _track_record(tuple(int(x) for x in levels), quick)
    track = track.copy()  # the cached table stays as computed, whatever a caller does
    track_info = {**track_info, "quick": quick, "flags": flags}
    label = "sample" if source == "sample" else Path(source).name
    return MemoNumbers(
        as_of=as_of, data_source=label, synthetic=synthetic, seed=int(seed),
        levels=tuple(int(x) for x in levels), ytd=ytd, outlook=outlook, monthly=monthly,
        fan=fan, track=track, track_info=track_info, method=_method_text(track_info),
        sources=_sources(synthetic), version=__version__,
    )


def fan_figure(numbers: MemoNumbers):
    """Draw the memo's fan chart (扇形图) of the monthly total with intervals.

    Parameters
    ----------
    numbers : MemoNumbers
        From :func:`compute_memo`.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = fan_figure(compute_memo())  # doctest: +SKIP
    """
    from .. import plots
    from ..plots._style import label

    history = numbers.monthly["total"]
    history = history.loc[~history.index.isin(numbers.fan.index)]  # partial month: forecast
    fig = plots.plot_fan(
        history=history, table=numbers.fan, unit="亿美元", synthetic=numbers.synthetic,
        title=label("Inspected trade per month, exports + imports",
                    "检验检疫出入境货物 月度"), last=48,
    )
    return fig


def render_memo(numbers: MemoNumbers, fan_png: bytes | None = None) -> str:
    """Render the memo as one self-contained HTML page.

    Parameters
    ----------
    numbers : MemoNumbers
        From :func:`compute_memo`.
    fan_png : bytes, optional
        The fan chart as PNG; drawn with :func:`fan_figure` when None.

    Returns
    -------
    str
        HTML with inline styles and the chart embedded as base64.

    Examples
    --------
    >>> html = render_memo(compute_memo())  # doctest: +SKIP
    >>> "SYNTHETIC" in html  # doctest: +SKIP
    True
    """
    import jinja2

    from ._template import MEMO_TEMPLATE

    if fan_png is None:
        fan_png = figure_png(fan_figure(numbers))
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(MEMO_TEMPLATE)
    return template.render(m=_view(numbers), fan_png=base64.b64encode(fan_png).decode("ascii"))


def write_memo(numbers: MemoNumbers, path: Path) -> Path:
    """Write the memo HTML to ``path`` (folders are created).

    Examples
    --------
    >>> write_memo(compute_memo(), Path("reports/forecast-memo.html"))  # doctest: +SKIP
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_memo(numbers), encoding="utf-8")
    return path


def figure_png(fig, dpi: int = 110) -> bytes:
    """Return a matplotlib figure as PNG bytes (no timestamp in the metadata); closes it.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> figure_png(plt.figure(figsize=(1, 1)))[1:4]
    b'PNG'
    """
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


# ---------------------------------------------------------------------------------
# computing (adapters to the library's panel and forecast modules)


def _check_as_of_in_data(decl: pd.DataFrame, as_of: pd.Timestamp) -> None:
    if decl.empty:
        raise DataFileError("the declarations are empty", expected="at least two years of rows")
    first, last = decl["date"].min(), decl["date"].max()
    if as_of > last:
        raise AsOfDateError(
            f"as-of date {as_of.date()} is after the last declaration {last.date()}; "
            "choose an as-of date within the data"
        )
    if as_of < first + pd.DateOffset(years=1):
        raise AsOfDateError(
            f"as-of date {as_of.date()} leaves less than a year of data (first declaration "
            f"{first.date()}); the forecast needs at least one full year before the as-of date"
        )


def _monthly_by_direction(decl: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Monthly sums by direction through as-of (last month partial), plus the total."""
    cut = decl.loc[decl["date"] <= as_of]
    period = cut["date"].dt.to_period("M").rename("period")
    wide = (
        cut.groupby([period, cut["direction"]], observed=True)["value_usd"].sum()
        .unstack("direction").reindex(columns=["export", "import"]).fillna(0.0)
    )
    full = pd.period_range(wide.index.min(), as_of.to_period("M"), freq="M", name="period")
    wide = wide.reindex(full, fill_value=0.0)
    wide["total"] = wide["export"] + wide["import"]
    wide.columns.name = None
    return wide


def _ytd_table(decl: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Year to date (累计) through as-of against the same days a year earlier (同比)."""
    from ..metrics import headline_table

    table = headline_table(decl, as_of)
    return table[["value_usd", "base_usd", "growth_pct", "contribution_pp"]].astype("float64")


#: Lean settings of ``quick=True`` (smoke tests, drafts): one model, fewer paths and years.
QUICK_NOWCAST: dict[str, Any] = {"n_paths": 500, "candidates": ["ets_log"], "select": False,
                                 "history_years": 6}
QUICK_TRACK: dict[str, Any] = {"years": range(2006, 2013), "n_paths": 200, "n_jobs": 1,
                               "candidates": ("ets_log",)}


def _outlook(
    decl: pd.DataFrame, as_of: pd.Timestamp, levels: tuple[int, ...], seed: int, quick: bool,
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Nowcast of the as-of year and forecast of the next, per direction.

    Exports and imports go to ``forecast.nowcast_year`` as daily sums, so the
    observed part of the as-of month is completed with the share of that month
    usually done by that day; the total is their sum, path by path
    (``forecast.sum_nowcasts``), so the parts add up to it in every row and chart.
    """
    from .. import forecast
    from ..panel import daily_by_direction

    options = QUICK_NOWCAST if quick else {}
    results = {}
    for direction, daily in daily_by_direction(decl, as_of).items():
        if direction != "total":
            results[direction] = forecast.nowcast_year(daily, as_of, levels=levels, seed=seed, **options)
    results["total"] = forecast.sum_nowcasts(results)
    frames, flags = [], []
    for direction, result in results.items():
        cols = ["mean"] + [f"{side}_{lv}" for lv in levels for side in ("lower", "upper")]
        annual = result.table[cols].astype("float64")
        annual.index = pd.MultiIndex.from_arrays(
            [[direction] * len(annual), [int(p.year) for p in annual.index]],
            names=["direction", "year"],
        )
        frames.append(annual)
        if direction != "total":
            flags += [f"{direction}: {f}" for f in result.flags]
    return pd.concat(frames), results["total"].monthly, flags


@lru_cache(maxsize=4)
def _track_record(levels: tuple[int, ...], quick: bool) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Track record summary on the real national series (cached: it never changes)."""
    from .. import forecast

    options = QUICK_TRACK if quick else {}
    rec = forecast.track_record(levels=levels, **options)
    years = sorted({int(y) for y in rec.table.index.get_level_values("year")})
    table = forecast.track_record_summary(rec)
    summary = rec.summary
    info = {"years": f"origins {years[0]}–{years[-1]}, {len(years)} years",
            "through": "October", "candidates": ", ".join(rec.candidates),
            "n": int(summary["n"].max())}
    return table, info


def _method_text(info: dict[str, Any]) -> str:
    models = (
        "one exponential smoothing model (ETS, on logarithms; quick draft settings)"
        if info.get("quick") else
        "the package's default method: damped-trend exponential smoothing (ETS), the Theta "
        "method and a seasonal ARIMA (airline) model, fitted to logarithms of the last ten "
        "years of months and combined with equal weights"
    )
    track = (
        f"The track record re-runs the same quick settings ({info.get('candidates', 'n/a')})"
        if info.get("quick") else
        "The track record re-runs exactly this method, with the same settings and its own "
        "fixed seed,"
    )
    return (
        "Declarations (报检批次) are summed by day and direction. The months observed so far "
        "are adjusted for the Spring Festival (春节), whose date moves between January and "
        "February, and the as-of month is completed with the share of that month usually "
        f"done by the as-of day. The forecast uses {models} (statsmodels). The rest of the "
        "current year and every month of the next are simulated as whole sample paths, so "
        "the annual intervals carry the correlation between months instead of adding up "
        "monthly bounds. Exports and imports are forecast separately and the total is their "
        "sum, path by path, so the parts add up to the total in every row and in the chart; "
        "the two flows' surprises are drawn together, as they moved together in 2009, which "
        f"keeps the total's interval on the wide side. {track} at the end of each October "
        "on China's national series; it measures the method, not this bureau's data."
    )


def _sources(synthetic: bool) -> list[tuple[str, str]]:
    decl = (
        "SYNTHETIC: generated by ciqanalysis.sample (seeded), calibrated to the Jilin CIQ "
        "figures published by AQSIQ on 2010-11-25; not official statistics"
        if synthetic else "the user's file, read by ciqanalysis.data.read_declarations"
    )
    return [
        ("Declarations, source", decl),
        ("Track record series", "China Customs monthly exports and imports, 1983-07..2013-12 "
         "(real), as compiled in the R package 'seasonal'"),
        ("Published figures", "AQSIQ, 2010-11-25: Jilin CIQ year review (新起点 新征程 新跨越)"),
    ]


# ---------------------------------------------------------------------------------
# rendering helpers: display strings only, no computation of new numbers


def _yi(x: float) -> str:
    return "n/a" if not np.isfinite(x) else f"{from_usd(x, '亿美元'):,.2f}"


def _pct(x: float, digits: int = 1) -> str:
    return "n/a" if not np.isfinite(x) else f"{x:+.{digits}f}"


def _view(m: MemoNumbers) -> dict[str, Any]:
    lo, hi = sorted(m.levels)
    y, y1 = m.year, m.year + 1
    rows = []
    for d in _DIRECTIONS:
        now, nxt = m.outlook.loc[(d, y)], m.outlook.loc[(d, y1)]
        rows.append({
            "label": direction_label(d),
            "ytd": _yi(m.ytd.loc[d, "value_usd"]),
            "ytd_growth": _pct(m.ytd.loc[d, "growth_pct"], 2),
            "now_mean": _yi(now["mean"]),
            "now_interval": f"{_yi(now[f'lower_{hi}'])} – {_yi(now[f'upper_{hi}'])}",
            "now_interval_lo": f"{_yi(now[f'lower_{lo}'])} – {_yi(now[f'upper_{lo}'])}",
            "next_mean": _yi(nxt["mean"]),
            "next_interval": f"{_yi(nxt[f'lower_{hi}'])} – {_yi(nxt[f'upper_{hi}'])}",
            "next_interval_lo": f"{_yi(nxt[f'lower_{lo}'])} – {_yi(nxt[f'upper_{lo}'])}",
            "next_growth": _pct(nxt["mean"] / now["mean"] * 100 - 100),
        })
    total_now, total_next = m.outlook.loc[("total", y)], m.outlook.loc[("total", y1)]
    sentence = (
        f"Through {m.as_of.strftime('%d %B %Y')} the bureau inspected "
        f"{_yi(m.ytd.loc['total', 'value_usd'])} 亿美元 of goods "
        f"({_pct(m.ytd.loc['total', 'growth_pct'], 2)} % 同比). The full year {y} is likely to come "
        f"to about {_yi(total_now['mean'])} 亿美元 ({hi} % interval "
        f"{_yi(total_now[f'lower_{hi}'])}–{_yi(total_now[f'upper_{hi}'])}); for {y1} plan on "
        f"about {_yi(total_next['mean'])} 亿美元 ({hi} % interval "
        f"{_yi(total_next[f'lower_{hi}'])}–{_yi(total_next[f'upper_{hi}'])})."
    )
    track = m.track.copy()
    track_rows = [[str(i)] + [_fmt_cell(v) for v in row] for i, row in
                  zip(track.index, track.to_numpy(), strict=True)]
    return {
        "as_of_text": m.as_of.strftime("%Y-%m-%d"),
        "as_of_short": m.as_of.strftime("%d %b"),
        "year": y, "levels_text": " and ".join(f"{v} %" for v in sorted(m.levels)),
        "level_lo": lo, "level_hi": hi, "seed": m.seed, "synthetic": m.synthetic,
        "data_label": ("synthetic sample 合成样本" if m.data_source == "sample"
                       else m.data_source),
        "headline_rows": rows, "summary_sentence": sentence,
        "track_columns": [track.index.name or "method", *map(str, track.columns)],
        "track_rows": track_rows,
        "track_through": m.track_info.get("through", "October"),
        "track_years": m.track_info.get("years", ""),
        "method": m.method, "sources": m.sources, "version": m.version,
    }


def _fmt_cell(v: Any) -> str:
    if isinstance(v, (float, np.floating)):
        return "n/a" if not np.isfinite(v) else f"{v:.1f}"
    return str(v)
