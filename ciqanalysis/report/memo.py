"""The forecast memo for a bureau director (预测备忘录): numbers first, then HTML.

:func:`compute_memo` gathers every number the memo prints (year-to-date values and
growth 累计同比, the nowcast of the current year and the forecast of the next with
intervals, the track record on the real national series) into a
:class:`MemoNumbers`; :func:`render_memo` turns those into one self-contained HTML
page (fan chart embedded as a base64 PNG). Tests check the numbers without parsing
HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._summary import Summary, provenance_caption, short_repr
from ..config import DEFAULT_AS_OF, DEFAULT_LEVELS, DEFAULT_SEED, parse_as_of
from ..errors import AsOfDateError, DataFileError, ParameterError
from ..provenance import SYNTHETIC_TAG, Provenance
from .figures import fan_figure, figure_png

__all__ = [
    "DEFAULT_AS_OF",
    "DEFAULT_SEED",
    "EARLIEST_AS_OF",
    "AS_OF_RULE",
    "MemoNumbers",
    "resolve_data_source",
    "compute_memo",
    "render_memo",
    "write_memo",
    "fan_figure",
    "figure_png",
    "QUICK_NOWCAST",
    "QUICK_TRACK",
    "git_commit",
    "provenance",
    "quality_table",
    "scenario_table",
]

#: Earliest as-of date: the forecast needs a full year of history (data start 2001).
EARLIEST_AS_OF = pd.Timestamp("2002-01-01")
#: How the memo reads its as-of date with :func:`ciqanalysis.config.parse_as_of`: text as
#: ``YYYY-MM-DD`` only, and no earlier than :data:`EARLIEST_AS_OF`.
AS_OF_RULE: dict[str, Any] = {
    "strict": True, "earliest": EARLIEST_AS_OF,
    "why": "the forecast needs at least one full year of declarations before the as-of year"}

_DIRECTIONS = ("export", "import", "total")
_LEVELS = DEFAULT_LEVELS


@dataclass(frozen=True, repr=False)
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
    last_year : pandas.Series
        Full-year value of the year before the as-of year, by direction (上年实绩).
    scenarios : pandas.DataFrame
        Next year's total under national trade growth one standard deviation above
        and below its usual path (情景), see :func:`scenario_table`.
    scenario_info : dict
        Elasticity, its standard error, the national growth sd and the years used.
    quality : pandas.DataFrame
        Data-quality flags of the loaded declarations counted by issue (数据质量).
    provenance : dict
        ``data_sha256``, ``git_commit`` and ``data_file`` of this run (来源).
    cut : dict
        The as-of cut (截止日期截断): ``kept`` declarations through the as-of date and
        ``left_out`` dated after it.
    next_growth : pandas.DataFrame
        Next year's growth on this year (percent), by direction: ``lower_<L>``,
        ``upper_<L>``, quantiles of the ratio of the two years' totals path by path, so
        that the uncertainty of this year's nowcast is counted once (增速区间).

    Examples
    --------
    The memo of the synthetic sample (合成数据) shows itself in one line, and its
    :meth:`summary` holds the tables the memo prints:

    >>> repr(memo)
    'MemoNumbers(as_of=2010-11-20, data=sample, synthetic=True, directions=[export, import, total], years=[2010, 2011], seed=20101120, levels=[80, 95])'
    >>> [caption.split(" (")[0] for caption, _ in memo.summary().tables][:2]
    ['year to date', 'outlook']
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
    last_year: pd.Series = field(default_factory=lambda: pd.Series(dtype="float64"))
    scenarios: pd.DataFrame = field(default_factory=pd.DataFrame)
    scenario_info: dict[str, Any] = field(default_factory=dict)
    quality: pd.DataFrame = field(default_factory=pd.DataFrame)
    provenance: dict[str, str] = field(default_factory=dict)
    cut: dict[str, int] = field(default_factory=dict)
    next_growth: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def year(self) -> int:
        """The as-of year (当年)."""
        return int(self.as_of.year)

    @property
    def data_provenance(self) -> Provenance:
        """The declarations' :class:`~ciqanalysis.provenance.Provenance` (数据来源)."""
        return Provenance(self.synthetic, self.data_source,
                          sha256=self.provenance.get("data_sha256"))

    def to_frame(self) -> pd.DataFrame:
        """Return the outlook table (展望): the current and the next year by direction.

        Returns
        -------
        pandas.DataFrame
            :attr:`outlook`, a copy: index (direction, year); ``mean`` and the
            interval bounds ``lower_<L>``, ``upper_<L>`` in US dollars.

        Examples
        --------
        >>> memo.to_frame().index.names
        FrozenList(['direction', 'year'])
        """
        return self.outlook.copy()

    def summary(self, source: str | None = None) -> Summary:
        """Return the summary (摘要): the memo's tables, its method and provenance.

        Parameters
        ----------
        source : str, optional
            Provenance caption; by default that of :attr:`data_provenance` (synthetic
            sample, or the user's own file).

        Returns
        -------
        Summary
            Tables ``year to date`` (:attr:`ytd`), ``outlook`` (:meth:`to_frame`), and
            when held ``scenarios`` (:attr:`scenarios`), ``track record``
            (:attr:`track`), ``data quality`` (:attr:`quality`) and ``sources``
            (:attr:`sources`); the method paragraph, seed and settings as notes. No
            clock dates in it.

        Examples
        --------
        >>> s = memo.summary()
        >>> s.title
        'Forecast memo as of 2010-11-20 (synthetic sample)'
        >>> s.provenance.startswith("SYNTHETIC sample data 合成数据")
        True
        """
        year = self.year
        levels = "/".join(str(level) for level in self.levels)
        tables = [
            ("year to date (累计同比), US$", self.ytd),
            (f"outlook (展望): {year} and {year + 1}, US$, mean and {levels}% intervals",
             self.to_frame()),
            (f"scenarios (情景): {year + 1} total under national trade growth ±1 sd",
             self.scenarios),
            ("track record (预测记录) on the national series of China", self.track),
            ("data quality (数据质量): flags by issue", self.quality),
            ("sources (来源)", pd.DataFrame(self.sources, columns=["what", "source"])),
        ]
        tables = [(caption, table) for caption, table in tables if len(table)]
        settings = (f"seed {self.seed}; interval levels {levels}%"
                    + ("; quick draft settings" if self.track_info.get("quick") else ""))
        notes = [n for n in (self.method, settings) if n]
        data = ("synthetic sample" if self.synthetic and self.data_source == "sample"
                else self.data_source)
        return Summary(f"Forecast memo as of {self.as_of:%Y-%m-%d} ({data})", tables,
                       notes=notes, provenance=provenance_caption(
                           source if source is not None else self.data_provenance))

    def _repr_html_(self) -> str:
        return self.summary().as_html()

    def __repr__(self) -> str:
        index = self.outlook.index
        directions = (list(dict.fromkeys(index.get_level_values("direction")))
                      if "direction" in (index.names or []) else [])
        years = (sorted({int(y) for y in index.get_level_values("year")})
                 if "year" in (index.names or []) else [])
        return short_repr(self, as_of=f"{self.as_of:%Y-%m-%d}", data=self.data_source,
                          synthetic=self.synthetic, directions=directions, years=years,
                          seed=self.seed, levels=list(self.levels))


def resolve_data_source(data_source: str | Path) -> str:
    """Return ``"sample"`` or the absolute path of an existing declarations file or dataset.

    Parameters
    ----------
    data_source : str or pathlib.Path
        ``"sample"`` (the synthetic sample), a path to a CSV, Excel or Parquet file,
        or a dataset folder written by ``ciqanalysis ingest``.

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
    from ..data.dataset import is_dataset

    path = Path(data_source).expanduser()
    if not (path.is_file() or is_dataset(path)):
        raise DataFileError(
            "no such declarations file or dataset", file=str(data_source),
            expected="'sample', an existing CSV, Excel (.xlsx) or Parquet file, or a dataset "
                     "folder written by `ciqanalysis ingest`",
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
    On the synthetic sample (合成数据) with lean settings:

    >>> m = compute_memo("sample", "2010-11-20", quick=True)
    >>> m.data_source, m.synthetic, m.year, m.levels
    ('sample', True, 2010, (80, 95))
    >>> sorted(m.outlook.index.get_level_values("direction").unique())
    ['export', 'import', 'total']
    >>> row = m.outlook.loc[("total", 2011)]
    >>> bool(0 < row["lower_95"] <= row["mean"] <= row["upper_95"])
    True
    """
    from .. import __version__, data

    as_of = parse_as_of(as_of, **AS_OF_RULE)
    source = resolve_data_source(data_source)
    if len(levels) != 2:
        raise ParameterError(f"levels must be two interval levels such as (80, 95), got {levels}")
    if decl is None:
        decl = data.load_declarations(source, as_of=as_of)
    synthetic = bool(decl.attrs.get("synthetic", source == "sample"))
    _check_as_of_in_data(decl, as_of)
    monthly = _monthly_by_direction(decl, as_of)
    ytd = _ytd_table(decl, as_of)
    outlook, fan, flags, next_growth = _outlook(decl, as_of, tuple(levels), int(seed), quick)
    track, track_info = _track_record(tuple(int(x) for x in levels), quick)
    track = track.copy()  # the cached table stays as computed, whatever a caller does
    track_info = {**track_info, "quick": quick, "flags": flags}
    label = "sample" if source == "sample" else Path(source).name
    last_year = monthly.loc[monthly.index.year == as_of.year - 1].sum()
    if data.data_window(decl)[0] > pd.Timestamp(f"{as_of.year - 1}-01-01"):
        last_year = last_year * np.nan  # the file starts within that year: not a year's total
    scenarios, scenario_info = scenario_table(monthly, outlook, as_of, tuple(levels))
    return MemoNumbers(
        as_of=as_of, data_source=label, synthetic=synthetic, seed=int(seed),
        levels=tuple(int(x) for x in levels), ytd=ytd, outlook=outlook, monthly=monthly,
        fan=fan, track=track, track_info=track_info, method=_method_text(track_info),
        sources=_sources(synthetic) + _cut_source(decl, as_of), version=__version__,
        last_year=last_year,
        scenarios=scenarios, scenario_info=scenario_info, quality=quality_table(decl),
        provenance=provenance(source),
        cut={"kept": len(decl), "left_out": int(decl.attrs.get("rows_after_as_of", 0))},
        next_growth=next_growth,
    )



def render_memo(numbers: MemoNumbers, fan_png: bytes | None = None, *, lang: str = "en",
                previous: dict[str, Any] | None = None) -> str:
    """Render the memo as one self-contained HTML page (Chinese or English).

    Parameters
    ----------
    numbers : MemoNumbers
        From :func:`compute_memo`.
    fan_png : bytes, optional
        The fan chart as PNG; drawn with :func:`fan_figure` when None.
    lang : {"en", "zh"}, default "en"
        Language (``templates/memo_strings.toml``).
    previous : dict, optional
        The previous memo's numbers, for the revisions section.

    Returns
    -------
    str
        HTML with inline styles, the chart embedded as base64 and the Chinese
        font embedded as a subset.

    Examples
    --------
    With ``memo = compute_memo(quick=True)`` (the synthetic sample):

    >>> html = render_memo(memo, lang="zh")
    >>> html.startswith("<!DOCTYPE html>"), '<html lang="zh' in html
    (True, True)
    >>> "合成数据" in html, "data:image/png;base64," in html
    (True, True)
    """
    from .content import memo_document
    from .formats import render_html

    if fan_png is None:
        fan_png = figure_png(fan_figure(numbers))
    return render_html(memo_document(numbers, lang, previous), fan_png)


def write_memo(numbers: MemoNumbers, path: Path, *, lang: str = "en") -> Path:
    """Write the memo HTML to ``path`` (folders are created).

    Examples
    --------
    With ``memo = compute_memo(quick=True)``, into a new folder under ``tmp``:

    >>> path = write_memo(memo, tmp / "reports" / "forecast-memo.html")
    >>> path.name, "SYNTHETIC sample data" in path.read_text(encoding="utf-8")
    ('forecast-memo.html', True)
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_memo(numbers, lang=lang), encoding="utf-8")
    return path



# ---------------------------------------------------------------------------------
# computing (adapters to the library's panel and forecast modules)


def _check_as_of_in_data(decl: pd.DataFrame, as_of: pd.Timestamp) -> None:
    if decl.empty:
        raise DataFileError("the declarations are empty", expected="at least two years of rows")
    from ..data import data_window

    first, last = data_window(decl)  # the as-of day may hold no declaration (a Saturday)
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
    from ..metrics.trends import ytd_headline

    table = ytd_headline(decl, as_of, all_directions=True)  # no growth on a short file
    return table[["value_usd", "base_usd", "growth_pct", "contribution_pp"]].astype("float64")


#: Lean settings of ``quick=True`` (smoke tests, drafts): one model, fewer paths and years.
QUICK_NOWCAST: dict[str, Any] = {"n_paths": 500, "candidates": ["ets_log"], "select": False,
                                 "history_years": 6}
QUICK_TRACK: dict[str, Any] = {"years": range(2006, 2013), "n_paths": 200, "n_jobs": 1,
                               "candidates": ("ets_log",)}


def _outlook(
    decl: pd.DataFrame, as_of: pd.Timestamp, levels: tuple[int, ...], seed: int, quick: bool,
) -> tuple[pd.DataFrame, pd.DataFrame, list[str], pd.DataFrame]:
    """Nowcast of the as-of year and forecast of the next, per direction.

    Exports and imports go to ``forecast.nowcast_year`` as daily sums, so the
    observed part of the as-of month is completed with the share of that month
    usually done by that day; the total is their sum, path by path
    (``forecast.Outlook.summed``), so the parts add up to it in every row and chart.
    A direction without declarations is a series of zeros here (the memo always
    shows exports, imports and the total).
    """
    from .. import forecast
    from ..panel import daily_by_direction

    options = QUICK_NOWCAST if quick else {}
    parts = {direction: forecast.nowcast_year(daily, as_of, levels=levels, seed=seed, **options)
             for direction, daily in daily_by_direction(decl, as_of).items() if direction != "total"}
    results = forecast.Outlook.summed(parts)
    flags = [f"{direction}: {f}" for direction, result in parts.items() for f in result.flags]
    table = results.to_frame().drop(columns=["observed", "growth_pct"])
    return table, results["total"].monthly, flags, next_growth_table(results, levels)


def next_growth_table(results, levels: tuple[int, ...]) -> pd.DataFrame:
    """Return the intervals of next year's growth on this year, path by path (增速区间).

    Next year's bounds divided by this year's point would count the uncertainty of
    this year's nowcast as if it were known, and its correlation with next year's
    level not at all; here each simulated path's next-year total is divided by the
    same path's this-year total, and the interval is the quantiles of those ratios.

    Parameters
    ----------
    results : mapping of str to NowcastResult
        E.g. a :class:`~ciqanalysis.forecast.Outlook` (exports, imports, total).
    levels : tuple of int

    Returns
    -------
    pandas.DataFrame
        Index direction; ``lower_<L>``, ``upper_<L>`` in percent.

    Examples
    --------
    >>> class Paths:  # two years, four paths
    ...     annual_paths = pd.DataFrame({"2010": [10.0, 10, 10, 10], "2011": [9.0, 10, 11, 12]})
    >>> next_growth_table({"total": Paths()}, (50,)).round(1).values.tolist()
    [[-2.5, 12.5]]
    """
    from ..forecast._prep import probs_for
    from ..forecast.nowcast import _summarise  # the nowcast's own quantiles of paths

    probs = probs_for(levels)
    rows = []
    for direction, result in results.items():
        paths = result.annual_paths.to_numpy(dtype="float64")
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = paths[:, 1] / paths[:, 0] * 100 - 100
        ratio = ratio[np.isfinite(ratio)]
        if not len(ratio):  # no path with a positive total this year
            ratio = np.full(1, np.nan)
        rows.append(_summarise(ratio[None, :], pd.Index([direction], name="direction"), levels, probs))
    return pd.concat(rows).drop(columns="mean")


@lru_cache(maxsize=4)
def _track_record(levels: tuple[int, ...], quick: bool) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Track record summary on the real national series (cached: it never changes)."""
    from .. import forecast

    options = QUICK_TRACK if quick else {}
    rec = forecast.track_record(levels=levels, **options)
    years = sorted({int(y) for y in rec.table.index.get_level_values("year")})
    table = rec.benchmark_table()
    summary = rec.by_target
    info = {"years": f"origins {years[0]}–{years[-1]}, {len(years)} years",
            "first_year": years[0], "last_year": years[-1], "n_years": len(years),
            "through": "October", "candidates": ", ".join(rec.candidates),
            "n": int(summary["n"].max())}
    return table, info


def _method_text(info: dict[str, Any]) -> str:
    from ..forecast.nowcast import SKEW_RATIO

    models = (
        "one exponential smoothing model (ETS, on logarithms; quick draft settings), fitted "
        "by statsmodels"
        if info.get("quick") else
        "the package's default method on the last ten years of months: the optimised Theta "
        "method, damped-trend exponential smoothing (ETS), an automatic ARIMA and complex "
        "exponential smoothing (CES), fitted to logarithms, and two autoregressions of the "
        "monthly changes (up to 13 and 25 lags), fitted to the values, all by statsmodels "
        "(a series without significant seasonality gets the members without a seasonal "
        "component); each of the six is also fitted to the series with its automatically "
        "detected outliers (additive outliers, level shifts, temporary changes; the "
        "Chen-Liu procedure of TRAMO and X-13) removed, the lasting effects put back on "
        "its forecast"
    )
    paths = ("" if info.get("quick") else
             ", drawn from the twelve models in equal numbers,")
    track = (
        f"The track record re-runs the same quick settings ({info.get('candidates', 'n/a')})"
        if info.get("quick") else
        "The track record above re-runs exactly this method, with the same settings and its "
        "own fixed seed,"
    )
    return (
        "Declarations (报检批次) are summed by day and direction. The months observed so far "
        "are adjusted for the Spring Festival (春节), whose date moves between January and "
        "February, and the as-of month is completed with the share of that month usually "
        f"done by the as-of day. The forecast uses {models}. The rest of the current year "
        f"and every month of the next are simulated as whole sample paths{paths} so the "
        "annual intervals carry the correlation between months instead of adding up "
        "monthly bounds. The memo's full-year figures and the monthly line of the chart "
        "are means of those paths (for a year whose paths are so skewed that their mean "
        f"exceeds {SKEW_RATIO:g} times their median, the median, as the forecast notes then "
        "say), and the intervals are their quantiles; next year's growth interval is that "
        "of the ratio of the two years' totals on each path, so this year's uncertainty "
        "counts once. Exports and imports are forecast "
        "separately and the total is their sum, path by path, so the parts add up to the "
        "total in every row and in the chart; the two flows' surprises are drawn together, "
        "as they moved together in 2009, which keeps the total's interval on the wide side. "
        f"{track} at the end of each October on China's national series; it measures the "
        "method, not this bureau's data."
    )


def _cut_source(decl: pd.DataFrame, as_of: pd.Timestamp) -> list[tuple[str, str]]:
    """Return the as-of cut as a provenance row: declarations kept and left out."""
    later = int(decl.attrs.get("rows_after_as_of", 0))
    text = (f"{len(decl):,} declarations through {as_of:%Y-%m-%d}; "
            + (f"{later:,} dated after the as-of date left out (the memo as it would have "
               "been written then)" if later else "none dated after the as-of date"))
    return [("As-of cut 截止日期截断", text)]


def _sources(synthetic: bool) -> list[tuple[str, str]]:
    decl = (
        f"{SYNTHETIC_TAG}: generated by ciqanalysis.sample (seeded), calibrated to the Jilin CIQ "
        "figures published by AQSIQ on 2010-11-25; not official statistics"
        if synthetic else "the user's file, read by ciqanalysis.data.read_declarations"
    )
    return [
        ("Declarations, source", decl),
        ("Track record series", "China Customs monthly exports and imports, 1983-07..2013-12 "
         "(real), as compiled in the R package 'seasonal'"),
        ("Published figures", "AQSIQ, 2010-11-25: Jilin CIQ year review (新起点 新征程 新跨越)"),
        ("USD/CNY for the bulletin", "European Central Bank euro reference rates crossed through "
         "the euro, monthly averages from April 2005 (earlier months not converted)"),
    ]


def git_commit(folder: str | Path | None = None) -> str:
    """Return the git commit of the package's checkout, or ``"unknown"`` (版本号).

    Never fails: no git program, no repository, a timeout or any error give
    ``"unknown"``. A ``+dirty`` suffix marks uncommitted changes.

    Examples
    --------
    >>> git_commit("/") in {"unknown"} or len(git_commit("/")) >= 7
    True
    """
    import subprocess

    where = Path(folder) if folder is not None else Path(__file__).resolve().parents[2]
    try:
        head = subprocess.run(["git", "-C", str(where), "rev-parse", "HEAD"], capture_output=True,
                              text=True, timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(where), "status", "--porcelain",
                                "--untracked-files=no"], capture_output=True, text=True,
                               timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError, ValueError):
        return "unknown"
    if len(head) != 40:
        return "unknown"
    return head + ("+dirty" if dirty else "")


def provenance(source: str) -> dict[str, str]:
    """Return the data file, its sha256 and the package's git commit for a data source.

    Parameters
    ----------
    source : str
        ``"sample"`` or the absolute path from :func:`resolve_data_source`: a
        declarations file, or a dataset folder written by ``ciqanalysis ingest``,
        whose fingerprint is the sha256 of its descriptor ``dataset.json`` (which
        lists the sha256 of every source file ingested).

    Examples
    --------
    >>> len(provenance("sample")["data_sha256"])
    64
    """
    from .. import data, paths
    from ..data.dataset import is_dataset

    file = paths.sample_dir() / "declarations.csv.gz" if source == "sample" else Path(source)
    if is_dataset(file):
        return {"data_file": f"{file.name}/dataset.json",
                "data_sha256": data.sha256_of(file / "dataset.json"), "git_commit": git_commit()}
    return {"data_file": file.name, "data_sha256": data.sha256_of(file),
            "git_commit": git_commit()}


def quality_table(decl: pd.DataFrame) -> pd.DataFrame:
    """Count the loader's data-quality flags (``attrs["flags"]``) by issue (数据质量).

    Parameters
    ----------
    decl : pandas.DataFrame
        Loaded declarations; flags are whatever the reader recorded (none is fine).

    Returns
    -------
    pandas.DataFrame
        Columns ``issue``, ``rows`` (flagged rows), ``columns`` and ``action``; one
        row per issue (the text before the first colon), most frequent first.

    Examples
    --------
    >>> flags = pd.DataFrame({"row": [2, 5, 9], "column": ["value", "value", "date"],
    ...                       "issue": ["negative value: -3", "negative value: -1",
    ...                                 "duplicate"], "action": ["kept", "kept", "kept"]})
    >>> d = pd.DataFrame({"x": [1]}); d.attrs["flags"] = flags
    >>> quality_table(d)[["issue", "rows"]].values.tolist()
    [['negative value', 2], ['duplicate', 1]]
    """
    cols = ["issue", "rows", "columns", "action"]
    flags = decl.attrs.get("flags")
    if flags is None or len(flags) == 0:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "rows" else "str")
                             for c in cols})
    f = pd.DataFrame(flags)
    kind = f["issue"].astype(str).str.split(":").str[0].str.strip()
    out = (f.assign(kind=kind).groupby("kind", sort=False)
           .agg(rows=("row", "nunique"),
                columns=("column", lambda c: ", ".join(sorted({str(x) for x in c}))),
                action=("action", lambda a: ", ".join(sorted({str(x) for x in a}))))
           .reset_index().rename(columns={"kind": "issue"}))
    return out.sort_values("rows", ascending=False, kind="stable").reset_index(drop=True)[cols]


def scenario_table(
    monthly: pd.DataFrame, outlook: pd.DataFrame, as_of: pd.Timestamp, levels: tuple[int, ...],
    *, window: int = 10,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Next year's total if national trade grows 1 sd faster or slower (情景分析).

    The bureau's annual growth is regressed on China's national trade growth
    (China Customs, real) over the full years before the as-of year; the slope is
    the elasticity. A national growth one standard deviation (of the last
    ``window`` years) above or below its usual path moves next year's forecast
    (mean and bounds) by elasticity × sd percent.

    Parameters
    ----------
    monthly : pandas.DataFrame
        Monthly history by direction (column ``total``).
    outlook : pandas.DataFrame
        Annual forecasts (index direction, year).
    as_of : pandas.Timestamp
        As-of date.
    levels : tuple of int
        Interval levels; the wider is shown.
    window : int, default 10
        Years of national growth for its standard deviation.

    Returns
    -------
    (pandas.DataFrame, dict)
        Rows ``baseline``, ``national +1 sd``, ``national -1 sd``; columns ``shift_pp``
        (national growth shift), ``mean``, ``lower``, ``upper`` (next year, USD) and
        ``growth_pct`` (against this year's nowcast); and the elasticity, its
        standard error, the sd and the years used.

    Examples
    --------
    With ``memo = compute_memo(quick=True)`` (whose ``scenarios`` is this table):

    >>> table, info = scenario_table(memo.monthly, memo.outlook, memo.as_of, memo.levels)
    >>> list(table.index), list(table.columns)
    (['baseline', 'national +1 sd', 'national -1 sd'], ['shift_pp', 'mean', 'lower', 'upper', 'growth_pct'])
    >>> bool(table.loc["national +1 sd", "mean"] > table.loc["baseline", "mean"]
    ...      > table.loc["national -1 sd", "mean"])
    True
    """
    from .. import data

    year, hi = as_of.year, max(levels)
    nat = data.load("china_customs_monthly")
    nat_year = (nat["exports_usd"] + nat["imports_usd"]).groupby(nat["year"]).sum()
    months = nat.groupby("year")["month"].nunique()
    nat_growth = (nat_year[months == 12].pct_change() * 100).dropna()
    local_full = monthly["total"].groupby(monthly.index.year).agg(["sum", "count"])
    local_full = local_full.loc[(local_full["count"] == 12) & (local_full.index < year), "sum"]
    local_growth = (local_full.pct_change() * 100).dropna()
    both = pd.concat([local_growth.rename("local"), nat_growth.rename("national")],
                     axis=1, join="inner").dropna()
    info: dict[str, Any] = {"years": f"{both.index.min()}–{both.index.max()}" if len(both) else
                            "none", "n": len(both)}
    base = outlook.loc[("total", year + 1)]
    now = outlook.loc[("total", year), "mean"]
    if len(both) >= 4:
        x = both["national"].to_numpy()
        yv = both["local"].to_numpy()
        design = np.column_stack([np.ones_like(x), x])
        coef, *_ = np.linalg.lstsq(design, yv, rcond=None)
        resid = yv - design @ coef
        sigma2 = resid @ resid / (len(yv) - 2)
        se = float(np.sqrt(sigma2 * np.linalg.inv(design.T @ design)[1, 1]))
        beta = float(coef[1])
    else:
        beta, se = float("nan"), float("nan")
    recent = nat_growth.loc[nat_growth.index < year].tail(window)
    sd = float(recent.std(ddof=1))
    info.update(elasticity=beta, elasticity_se=se, national_sd_pp=sd,
                sd_years=f"{recent.index.min()}–{recent.index.max()}")
    rows = {}
    for name, shift in (("baseline", 0.0), ("national +1 sd", sd), ("national -1 sd", -sd)):
        factor = 1 + beta * shift / 100 if np.isfinite(beta) else float("nan")
        mean = base["mean"] * factor
        rows[name] = {"shift_pp": shift, "mean": mean, "lower": base[f"lower_{hi}"] * factor,
                      "upper": base[f"upper_{hi}"] * factor, "growth_pct": mean / now * 100 - 100}
    return pd.DataFrame.from_dict(rows, orient="index"), info
