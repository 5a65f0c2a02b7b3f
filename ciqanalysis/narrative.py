"""What a declarations file supports, and the sentences notebooks print about it (叙述).

Notebooks run on the synthetic sample and on any user's file. Text that quotes
numbers or states what the data hold is computed here from the data, so the prose
and the tables beside it cannot disagree, and sentences true only of the sample
appear only with the sample:

- :func:`data_support` -- what the declarations hold (directions, product groups, HS
  codes, counties, the span covered from 1 January, rows cut at the as-of date);
- :meth:`DataSupport.lacks` -- one sentence saying why a section cannot be computed
  (or None when it can);
- :func:`cut_note` -- the as-of cut in words, with the count of rows left out;
- :func:`sample_only` -- a sentence shown only with the sample;
- :func:`figures_sentence` -- year-to-date values set beside the article's.
- :func:`flags_table`, :func:`flags_note` -- the data-quality flags of a user's file, counted
  by kind with their likely cause;
- :func:`show` -- display a sentence as Markdown (nothing when it is empty).

Examples
--------
>>> import pandas as pd
>>> d = pd.DataFrame({"date": pd.to_datetime(["2009-01-05", "2010-03-02"]),
...                   "direction": ["export", "export"], "value_usd": [1.0, 2.0],
...                   "product_group": [None, None], "hs2": [None, None],
...                   "county_code": ["220102", "220102"]})
>>> s = data_support(d, "2010-03-31")
>>> s.directions, s.lacks("imports", what="the import series")
(('export',), 'The file holds no imports (进境), so the import series cannot be computed.')
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ._summary import Summary, provenance_caption, short_repr
from .config import parse_as_of
from .errors import ParameterError
from .provenance import SYNTHETIC_TAG, Provenance

__all__ = ["DataSupport", "data_support", "cut_note", "sample_only", "article_cut_only",
           "published_reading", "outlook_sentences", "figures_sentence", "flags_table",
           "flags_note", "show", "track_record_reading", "outturn_reading", "ARTICLE_AS_OF",
           "NEEDS"]

#: What a section can need, and how the lack of it is said.
NEEDS = ("exports", "imports", "both directions", "product groups", "hs codes",
         "previous year", "full years", "zones", "memoranda")


@dataclass(frozen=True, repr=False)
class DataSupport:
    """What one set of declarations holds (数据可支持的分析).

    Attributes
    ----------
    synthetic : bool
        The packaged synthetic sample.
    label : str
        ``"the synthetic sample"`` or the file's name.
    as_of : pandas.Timestamp
        The as-of date (截至日期).
    first, last : pandas.Timestamp
        First and last day covered (:func:`ciqanalysis.data.data_window`).
    directions : tuple of str
        ``"export"`` and/or ``"import"``, those with at least one declaration.
    has_product_groups, has_hs_codes : bool
        Any non-missing ``product_group`` / ``hs2``.
    counties : tuple of str
        2010 county codes with at least one declaration.
    rows, rows_after_as_of : int
        Declarations kept, and those dated after the as-of date left out.
    full_years : tuple of int
        Years covered from 1 January up to the as-of year (each cut at the as-of
        day when compared 同期).
    """

    synthetic: bool
    label: str
    as_of: pd.Timestamp
    first: pd.Timestamp
    last: pd.Timestamp
    directions: tuple[str, ...]
    has_product_groups: bool
    has_hs_codes: bool
    counties: tuple[str, ...]
    rows: int
    rows_after_as_of: int
    full_years: tuple[int, ...]

    @property
    def provenance(self) -> Provenance:
        """The declarations' :class:`~ciqanalysis.provenance.Provenance` (数据来源)."""
        return Provenance(self.synthetic, self.label)

    def to_frame(self) -> pd.DataFrame:
        """Return what the declarations hold, one row per item (数据概况).

        Returns
        -------
        pandas.DataFrame
            Index ``item`` (window, as-of date, rows kept and cut, directions,
            counties, product groups, HS codes, years from 1 January up to the as-of
            year); one column ``value``.

        Examples
        --------
        >>> s = DataSupport(False, "mine.csv", pd.Timestamp("2010-06-30"),
        ...                 pd.Timestamp("2009-09-01"), pd.Timestamp("2010-06-30"),
        ...                 ("export",), False, True, ("220102",), 10, 2, (2010,))
        >>> s.to_frame().loc[["window", "rows after as-of (left out)"], "value"].tolist()
        ['2009-09-01 to 2010-06-30', 2]
        """
        def yes(flag: bool) -> str:
            return "yes" if flag else "no"

        n = len(self.full_years)
        years = (f"{self.full_years[0]}-{self.full_years[-1]} ({n} year{'s' if n != 1 else ''})"
                 if n else "none")

        items = {
            "window": f"{self.first:%Y-%m-%d} to {self.last:%Y-%m-%d}",
            "as-of date (截至日期)": f"{self.as_of:%Y-%m-%d}",
            "rows kept": int(self.rows),
            "rows after as-of (left out)": int(self.rows_after_as_of),
            "directions (出境/进境)": ", ".join(self.directions) or "none",
            "counties (县)": len(self.counties),
            "product groups (产品类别)": yes(self.has_product_groups),
            "HS codes (商品编码)": yes(self.has_hs_codes),
            "years from 1 January": years,
        }
        return pd.DataFrame({"value": pd.Series(items, dtype=object)}).rename_axis("item")

    def summary(self, source: str | None = None) -> Summary:
        """Return the summary: what the declarations hold, and their provenance (摘要).

        Parameters
        ----------
        source : str, optional
            Provenance caption; by default that of :attr:`provenance`.

        Returns
        -------
        Summary
            One table ``what the data hold`` (:meth:`to_frame`).

        Examples
        --------
        >>> s = DataSupport(True, "the synthetic sample", pd.Timestamp("2010-11-20"),
        ...                 pd.Timestamp("2008-01-01"), pd.Timestamp("2010-11-20"),
        ...                 ("export", "import"), True, True, ("220102",), 10, 0, (2008, 2009, 2010))
        >>> print(s.summary().title)
        What the synthetic sample holds as of 2010-11-20
        >>> s.summary().provenance.startswith("SYNTHETIC sample data 合成数据")
        True
        """
        return Summary(f"What {self.label} holds as of {self.as_of:%Y-%m-%d}",
                       [("what the data hold", self.to_frame())],
                       provenance=provenance_caption(source if source is not None
                                                     else self.provenance))

    def _repr_html_(self) -> str:
        return self.summary().as_html()

    def __repr__(self) -> str:
        return short_repr(self, label=repr(self.label), as_of=f"{self.as_of:%Y-%m-%d}",
                          rows=self.rows, directions=list(self.directions),
                          counties=len(self.counties), synthetic=self.synthetic)

    def lacks(self, *needs: str, what: str = "this section", years: int = 2) -> str | None:
        """Return one sentence on why ``what`` cannot be computed, or None.

        Parameters
        ----------
        *needs : str
            Any of :data:`NEEDS`.
        what : str
            The section or figure, as it would be named in the sentence.
        years : int, default 2
            How many years from 1 January ``"full years"`` asks for.

        Returns
        -------
        str or None

        Examples
        --------
        >>> s = DataSupport(False, "mine.csv", pd.Timestamp("2010-06-30"),
        ...                 pd.Timestamp("2009-09-01"), pd.Timestamp("2010-06-30"),
        ...                 ("export", "import"), False, True, ("220102",), 10, 0, (2010,))
        >>> print(s.lacks("previous year", what="year-to-date growth"))
        The file starts on 2009-09-01; year-to-date growth needs data from 1 January 2009.
        >>> s.lacks("hs codes") is None
        True
        """
        for need in needs:
            text = self._lack(need, what, years)
            if text:
                return text
        return None

    def _lack(self, need: str, what: str, years: int) -> str | None:
        if need not in NEEDS:
            raise ParameterError(f"unknown need {need!r}; expected one of {NEEDS}")
        head = f"The {'sample' if self.synthetic else 'file'}"
        if need == "exports" and "export" not in self.directions:
            return f"{head} holds no exports (出境), so {what} cannot be computed."
        if need == "imports" and "import" not in self.directions:
            return f"{head} holds no imports (进境), so {what} cannot be computed."
        if need == "both directions" and len(self.directions) < 2:
            only = {"export": "exports (出境)", "import": "imports (进境)"}[self.directions[0]]
            return f"{head} holds {only} only, so {what} cannot be computed."
        if need == "product groups" and not self.has_product_groups:
            return f"{head} has no product-group column (产品类别), so {what} cannot be computed."
        if need == "hs codes" and not self.has_hs_codes:
            return f"{head} has no HS codes (商品编码), so {what} cannot be computed."
        if need == "previous year" and self.first > pd.Timestamp(self.as_of.year - 1, 1, 1):
            return (f"{head} starts on {self.first:%Y-%m-%d}; {what} needs data from "
                    f"1 January {self.as_of.year - 1}.")
        if need == "full years" and len(self.full_years) < years:
            have = len(self.full_years)
            return (f"{head} covers {have} year{'s' if have != 1 else ''} from 1 January up to "
                    f"the as-of year; {what} needs {years}.")
        if need in ("zones", "memoranda") and not self.synthetic:
            table = {"zones": "demonstration zones (示范区)", "memoranda": "memoranda (备忘录)"}[need]
            return (f"No {table} table was given with your declarations (pass "
                    f"--{need} FILE), so {what} is left out; the sample's synthetic {need} "
                    "are never mixed with your data.")
        return None


def data_support(decl: pd.DataFrame, as_of) -> DataSupport:
    """Describe what ``decl`` supports as of ``as_of`` (数据可支持的分析).

    Parameters
    ----------
    decl : pandas.DataFrame
        Declarations as loaded by :func:`ciqanalysis.data.load_declarations`.
    as_of : date-like
        The as-of date.

    Returns
    -------
    DataSupport

    Examples
    --------
    >>> import ciqanalysis as cq
    >>> s = data_support(cq.data.load_declarations("sample", as_of="2010-11-20"), "2010-11-20")
    >>> s.synthetic, s.directions, s.full_years[0], s.full_years[-1]
    (True, ('export', 'import'), 2001, 2010)
    """
    from .data import data_window

    day = parse_as_of(as_of)
    first, last = data_window(decl)
    present = set(decl["direction"].astype("str").unique())
    directions = tuple(d for d in ("export", "import") if d in present)
    first_full = first.year if (first.month, first.day) == (1, 1) else first.year + 1
    source = decl.attrs.get("source", "")
    synthetic = bool(decl.attrs.get("synthetic", False))
    return DataSupport(
        synthetic=synthetic,
        label="the synthetic sample" if synthetic else (str(source).replace("\\", "/")
                                                         .rsplit("/", 1)[-1] or "your file"),
        as_of=day, first=first, last=last, directions=directions,
        has_product_groups=bool("product_group" in decl and decl["product_group"].notna().any()),
        has_hs_codes=bool("hs2" in decl and decl["hs2"].notna().any()),
        counties=tuple(sorted(decl["county_code"].dropna().astype("str").unique())),
        rows=len(decl), rows_after_as_of=int(decl.attrs.get("rows_after_as_of", 0)),
        full_years=tuple(range(first_full, day.year + 1)),
    )


def cut_note(support: DataSupport) -> str:
    """Return the as-of cut in one sentence, with the count of rows left out (截至日期).

    Examples
    --------
    >>> s = DataSupport(False, "mine.csv", pd.Timestamp("2010-06-30"),
    ...                 pd.Timestamp("2008-01-01"), pd.Timestamp("2010-06-30"),
    ...                 ("export",), False, False, ("220102",), 10, 244, (2008, 2009, 2010))
    >>> print(cut_note(s))
    As of 2010-06-30: 10 declarations from mine.csv; 244 dated after the as-of date are left out.
    """
    text = f"As of {support.as_of:%Y-%m-%d}: {support.rows:,} declarations from {support.label}"
    if support.rows_after_as_of:
        return (text + f"; {support.rows_after_as_of:,} dated after the as-of date are left "
                "out.")
    return text + "; none is dated after the as-of date."


def sample_only(support: DataSupport, text: str) -> str:
    """Return ``text`` with the sample, nothing with a user's file (样本专用说明).

    Sentences that describe the synthetic generator, or results true only of the
    sample, go through this, so a user's report never carries them.

    Examples
    --------
    >>> s = DataSupport(False, "mine.csv", pd.Timestamp("2010-06-30"),
    ...                 pd.Timestamp("2008-01-01"), pd.Timestamp("2010-06-30"),
    ...                 ("export",), False, False, ("220102",), 10, 0, (2008, 2009, 2010))
    >>> sample_only(s, "calibrated by construction")
    ''
    """
    return text if support.synthetic else ""


def figures_sentence(support: DataSupport, ytd_yi: dict[str, float],
                     published_yi: dict[str, float] | None = None) -> str:
    """Year-to-date values in words, set beside the article's where they apply.

    Parameters
    ----------
    support : DataSupport
    ytd_yi : dict
        Direction (``export``, ``import``, ``total``) -> year-to-date value, 亿美元.
    published_yi : dict, optional
        The article's values by direction (亿美元), compared when given.

    Returns
    -------
    str

    Examples
    --------
    >>> s = DataSupport(False, "mine.csv", pd.Timestamp("2010-11-20"),
    ...                 pd.Timestamp("2008-01-01"), pd.Timestamp("2010-11-20"),
    ...                 ("export", "import"), False, False, ("220102",), 10, 0, (2008, 2009, 2010))
    >>> print(figures_sentence(s, {"export": 1.08, "import": 1.34, "total": 2.42},
    ...                        {"export": 19.91, "import": 26.18, "total": 46.09}))
    The year-to-date column gives exports 1.08, imports 1.34 and in all 2.42 亿美元; the article reports 19.91, 26.18 and 46.09 亿美元 for the whole bureau, which your file does not reproduce.
    """
    names = {"export": "exports", "import": "imports", "total": "in all"}
    keys = [k for k in ("export", "import", "total") if k in ytd_yi and
            (k == "total" or k in support.directions)]
    if len(support.directions) < 2:
        keys = [k for k in keys if k != "total"]
    parts = [f"{names[k]} {ytd_yi[k]:,.2f}" for k in keys]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    text = f"The year-to-date column gives {listed} 亿美元"
    if not published_yi:
        return text + "."
    pub = [f"{published_yi[k]:,.2f}" for k in keys if k in published_yi]
    pub_text = pub[0] if len(pub) == 1 else ", ".join(pub[:-1]) + " and " + pub[-1]
    same = all(round(ytd_yi[k], 2) == round(published_yi[k], 2) for k in keys if k in published_yi)
    if same and support.synthetic:
        return (text + f", the article's figures ({pub_text} 亿美元) — by construction, since "
                "the synthetic generator is calibrated to them.")
    if same:
        return text + f", the article's figures ({pub_text} 亿美元)."
    return (text + f"; the article reports {pub_text} 亿美元 for the whole bureau, which your "
            "file does not reproduce.")


def show(text: str | None) -> None:
    """Display ``text`` as Markdown in a notebook; nothing when it is empty or None.

    The same text goes out as ``text/plain`` too, so strict nbval compares every
    sentence (and the numbers it quotes) with the stored one; a plain ``Markdown``
    object would show nbval only its constant repr.

    Examples
    --------
    >>> show("")  # nothing is displayed
    """
    if text:
        from IPython.display import display

        display({"text/markdown": text, "text/plain": text}, raw=True)


#: The article's cut (截至 2010-11-20): prose about its numbers holds only for it.
ARTICLE_AS_OF = pd.Timestamp("2010-11-20")


def article_cut_only(support: DataSupport, text: str, *, sample: bool = False) -> str:
    """Return ``text`` only at the article's as-of date (2010-11-20).

    For sentences that quote results of the default cut (the national series as of
    the article's day); with ``sample=True`` also only with the sample (sentences
    that quote the sample's numbers too). Any other date gets nothing.

    Examples
    --------
    >>> s = DataSupport(True, "the synthetic sample", pd.Timestamp("2010-06-30"),
    ...                 pd.Timestamp("2001-01-01"), pd.Timestamp("2010-06-30"),
    ...                 ("export", "import"), True, True, ("220102",), 10, 0, (2010,))
    >>> article_cut_only(s, "2011 grew faster")
    ''
    """
    if support.as_of != ARTICLE_AS_OF or (sample and not support.synthetic):
        return ""
    return text


def outlook_sentences(support: DataSupport, outlook: pd.DataFrame,
                      published: pd.DataFrame | None = None) -> str:
    """Read the outlook table in words (全年预估与明年预测), from its own numbers.

    Parameters
    ----------
    support : DataSupport
    outlook : pandas.DataFrame
        :meth:`ciqanalysis.forecast.Outlook.outlook` (亿美元), index (direction, year).
    published : pandas.DataFrame, optional
        The published figures; compared with the year to date only at the article's
        as-of date, which they describe.

    Returns
    -------
    str

    Examples
    --------
    >>> idx = pd.MultiIndex.from_tuples([("export", 2010), ("export", 2011)])
    >>> t = pd.DataFrame({"observed": [1.08, 0.0], "mean": [1.2, 1.3],
    ...                   "growth_pct": [20.0, 8.3]}, index=idx)
    >>> s = DataSupport(False, "mine.csv", pd.Timestamp("2010-11-20"),
    ...                 pd.Timestamp("2008-01-01"), pd.Timestamp("2010-11-20"),
    ...                 ("export",), False, False, ("220102",), 10, 0, (2008, 2009, 2010))
    >>> print(outlook_sentences(s, t))  # doctest: +NORMALIZE_WHITESPACE
    The year-to-date column gives exports 1.08 亿美元. The 2010 intervals are narrow because
    10.7 months are already observed; the 2011 intervals are wide because a whole year lies
    ahead: plan for the range, not only the mean. The mean for 2011 grows more slowly (8.3 %)
    than 2010 (20.0 %): the models carry forward the level and the seasonal pattern of recent
    months, not the growth rate of the year so far.
    """
    year = support.as_of.year
    have = [d for d in ("export", "import", "total") if (d, year) in outlook.index]
    ytd = {d: float(outlook.loc[(d, year), "observed"]) for d in have}
    pub = None
    if published is not None and support.as_of == ARTICLE_AS_OF:
        ids = {"total": "F1", "export": "F3", "import": "F5"}
        vals = published.set_index("id")["value"]
        pub = {d: float(vals[i]) for d, i in ids.items() if i in vals.index}
    text = figures_sentence(support, ytd, pub)
    elapsed = (support.as_of - pd.Timestamp(year, 1, 1)).days + 1
    months = elapsed / (366 if support.as_of.is_leap_year else 365) * 12
    text += (f" The {year} intervals are narrow because {months:.1f} months are already "
             f"observed; the {year + 1} intervals are wide because a whole year lies ahead: "
             "plan for the range, not only the mean.")
    main = "total" if "total" in have else have[0]
    g0 = float(outlook.loc[(main, year), "growth_pct"])
    g1 = float(outlook.loc[(main, year + 1), "growth_pct"])
    if pd.notna(g0) and pd.notna(g1) and g1 < g0:
        text += (f" The mean for {year + 1} grows more slowly ({g1:.1f} %) than {year} "
                 f"({g0:.1f} %): the models carry forward the level and the seasonal pattern "
                 "of recent months, not the growth rate of the year so far.")
    elif pd.notna(g1):
        text += f" The mean for {year + 1} grows {g1:.1f} %" + (
            f", against {g0:.1f} % for {year}." if pd.notna(g0) else ".")
    return text


def published_reading(support: DataSupport, n_units: int = 60) -> str:
    """How to read the comparison with the article's figures, for these data.

    Examples
    --------
    >>> s = DataSupport(False, "mine.xlsx", pd.Timestamp("2010-11-20"),
    ...                 pd.Timestamp("2008-01-01"), pd.Timestamp("2010-11-20"),
    ...                 ("export",), False, False, ("220102", "220621"), 10, 0, (2008, 2009, 2010))
    >>> print(published_reading(s))  # doctest: +NORMALIZE_WHITESPACE
    Your file (mine.xlsx) covers 2 of the 60 county-level units, exports only, from 2008-01-01
    to 2010-11-20. The article's figures are the whole bureau's, so they can only be matched by
    a file that holds all of its declarations; here a mismatch first measures what the file
    leaves out.
    """
    if support.synthetic:
        return (f"With the sample, every recomputed figure comes from {SYNTHETIC_TAG} that the "
                "generator calibrated to these published figures: a pass shows the calibration "
                "and the library's arithmetic agree, not that the figures are true.")
    dirs = {2: "exports and imports", 1: f"{support.directions[0]}s only"}[len(support.directions)]
    text = (f"Your file ({support.label}) covers {len(support.counties)} of the {n_units} "
            f"county-level units, {dirs}, from {support.first:%Y-%m-%d} to "
            f"{support.last:%Y-%m-%d}.")
    if len(support.counties) >= n_units and len(support.directions) == 2:
        return text + (" It could hold all of the bureau's declarations: a figure that fails "
                       "is a finding worth a note.")
    return text + (" The article's figures are the whole bureau's, so they can only be matched "
                   "by a file that holds all of its declarations; here a mismatch first "
                   "measures what the file leaves out.")


#: Flag kinds whose whole issue text is kept when grouping (it names the likely cause).
_WHOLE_ISSUE = ("implausible", "date far", "gap in")


def flags_table(decl: pd.DataFrame) -> pd.DataFrame:
    """Count the data-quality flags of a user's file by kind (数据质量标记汇总).

    Parameters
    ----------
    decl : pandas.DataFrame
        Declarations whose ``attrs["flags"]`` the reader filled (row, column,
        issue, action).

    Returns
    -------
    pandas.DataFrame
        One row per kind of flag: ``issue`` (plausibility flags keep their likely
        cause; other kinds are named by the text before the first ``:``), ``rows``
        (count), ``first_rows`` (up to five rows as the user sees them) and
        ``action``; empty when nothing was flagged (always with the sample).

    Examples
    --------
    >>> d = pd.DataFrame({"date": []})
    >>> d.attrs["flags"] = pd.DataFrame({"row": [3, 9], "column": ["货值", "货值"],
    ...     "issue": ["negative value", "negative value"], "action": ["kept", "kept"]})
    >>> flags_table(d)[["issue", "rows", "first_rows"]].values.tolist()
    [['negative value', 2, '3, 9']]
    """
    flags = decl.attrs.get("flags")
    cols = ["issue", "rows", "first_rows", "action"]
    if flags is None or not len(flags):
        return pd.DataFrame(columns=cols)
    flags = pd.DataFrame(flags)
    issue = flags["issue"].astype("str")
    kind = issue.where(issue.str.startswith(_WHOLE_ISSUE), issue.str.split(":").str[0])
    grouped = flags.assign(kind=kind).groupby("kind", sort=False)
    out = pd.DataFrame({
        "issue": list(grouped.groups),
        "rows": grouped.size().to_numpy(),
        "first_rows": grouped["row"].agg(lambda r: ", ".join(map(str, sorted(r)[:5]))).to_numpy(),
        "action": grouped["action"].first().str.split(":").str[0].to_numpy(),
    })
    return out[cols]


def flags_note(decl: pd.DataFrame) -> str:
    """Return the data-quality flags as a short Markdown list; empty when there are none.

    Examples
    --------
    >>> d = pd.DataFrame({"date": []})
    >>> d.attrs["flags"] = pd.DataFrame({"row": [3], "column": ["货值"],
    ...     "issue": ["negative value"], "action": ["kept"]})
    >>> print(flags_note(d))
    **Data quality (数据质量).** 1 row flagged in the file; rows are kept unless said otherwise:
    - negative value: 1 row (row 3); kept
    """
    table = flags_table(decl)
    if not len(table):
        return ""
    total = int(table["rows"].sum())
    lines = [f"**Data quality (数据质量).** {total:,} row{'s' if total != 1 else ''} flagged in "
             "the file; rows are kept unless said otherwise:"]
    for t in table.itertuples():
        more = "" if t.rows <= 5 else ", ..."
        lines.append(f"- {t.issue}: {t.rows:,} row{'s' if t.rows != 1 else ''} "
                     f"(row{'s' if t.rows != 1 else ''} {t.first_rows}{more}); {t.action}")
    return "\n".join(lines)


def track_record_reading(record) -> str:
    """Read a forecast track record in words (历史预测检验), from its own numbers.

    Parameters
    ----------
    record : TrackRecord
        From :func:`ciqanalysis.forecast.track_record`.

    Returns
    -------
    str
        Markdown: current-year and next-year errors against the two rules of thumb,
        the worst next-year miss, and how often the intervals held the outcome.

    Examples
    --------
    A short track record (two origins, one simple model, not cached):

    >>> import ciqanalysis as cq
    >>> rec = cq.forecast.track_record(years=[2005, 2006], candidates=["snaive_log"],
    ...                                n_paths=200, cache=False)
    >>> text = track_record_reading(rec)
    >>> text.startswith("Read honestly (2 origins, October 2005–2006)")
    True
    >>> "worst miss" in text, "rules of thumb" in text
    (True, True)
    """
    years = record.year_table(target=None)
    cur = years.xs("current", level="target")
    nxt = years.xs("next", level="target")
    n = nxt.index.get_level_values("year").nunique()

    def mape(t, col="error_pct"):
        return t[col].abs().groupby(level="direction").mean()

    def held(t, col):
        return t[col].astype(bool).groupby(level="direction").sum()

    cur_m, nxt_m = mape(cur), mape(nxt)
    cur_bench = mape(cur, "bench_same_error_pct")
    nxt_bench = pd.concat([mape(nxt, "bench_same_error_pct"),
                           mape(nxt, "bench_growth_error_pct")])
    c80, n80, n95 = held(cur, "inside_80"), held(nxt, "inside_80"), held(nxt, "inside_95")
    worst = nxt["error_pct"].abs().groupby(level="year").max().idxmax()
    miss = nxt.xs(worst, level="year")["error_pct"]
    dirs = [d for d in ("export", "import") if d in cur_m.index]
    word = {"export": "exports", "import": "imports"}

    def pair(values, fmt):
        return " and ".join(f"{format(values[d], fmt)} % ({word[d]})" for d in dirs)

    def counts(values):
        return " and ".join(f"{int(values[d])} ({word[d]})" for d in dirs)

    first, last = years.index.get_level_values("year").min(), years.index.get_level_values("year").max()
    return (
        f"Read honestly ({n} origins, October {first}–{last}): for the full current year the "
        f"method's mean absolute error is {pair(cur_m, '.1f')}, against "
        f"{cur_bench.min():.1f}–{cur_bench.max():.1f} % for scaling up the year to date; its "
        f"80 % intervals for the current year held the outcome in {counts(c80)} of {n} years. "
        f"For the next year the error is {pair(nxt_m, '.1f')}, against "
        f"{nxt_bench.min():.0f}–{nxt_bench.max():.0f} % for the two rules of thumb. The worst "
        f"miss is {int(worst) + 1}, forecast in October {int(worst)}: "
        f"{pair(miss, '+.0f')} off the outturn. For the next year the 95 % intervals held the "
        f"outcome in {counts(n95)} of {n} years, the 80 % intervals in {counts(n80)}. A "
        "nowcast two months ahead is dependable; a year-ahead forecast is a planning range."
    )


def outturn_reading(check: pd.DataFrame | None, year: int, *, nowcast: bool = False) -> str:
    """Read a forecast-against-outturn table in words (预测与实际), from its own numbers.

    Parameters
    ----------
    check : pandas.DataFrame or None
        From :meth:`ciqanalysis.forecast.Outlook.outturn_check` (index direction; columns
        ``actual``, ``error_pct``, ``inside_80``, ``inside_95``); None when the
        outturn is not in the data (nothing is said then).
    year : int
        The year checked.
    nowcast : bool, default False
        The year being nowcast (part observed) rather than the next year.

    Returns
    -------
    str

    Examples
    --------
    >>> t = pd.DataFrame({"actual": [100.0, 80.0], "error_pct": [-6.0, -11.4],
    ...                   "inside_80": [True, True], "inside_95": [True, True]},
    ...                  index=pd.Index(["export", "import"], name="direction"))
    >>> print(outturn_reading(t, 2011))
    2011's outturns (exports 100.0, imports 80.0 亿美元) lie above the forecast means, which fell short of them by 6 % (exports) and 11 % (imports) (`error_pct`). 2 of 2 outturns lay inside the 80 % intervals, 2 inside the 95 % intervals.
    """
    if check is None or check.empty:
        return ""
    word = {"export": "exports", "import": "imports", "total": "the total"}
    dirs = [d for d in ("export", "import", "total") if d in check.index]
    parts = [d for d in dirs if d != "total"]
    err = check["error_pct"]
    short = bool((err.loc[parts] < 0).all())
    over = bool((err.loc[parts] > 0).all())
    size = " and ".join(f"{abs(err[d]):.0f} % ({word[d]})" for d in parts)
    if "total" in dirs:
        size += f"; the total by {abs(err['total']):.0f} %"
    i80, i95 = int(check["inside_80"].astype(bool).sum()), int(check["inside_95"].astype(bool).sum())
    what = f"the {year} nowcast" if nowcast else "the forecast means"
    actual = ", ".join(f"{word[d]} {check.loc[d, 'actual']:,.1f}" for d in parts)
    if short:
        lead = f"{year}'s outturns ({actual} 亿美元) lie above {what}, which fell short of them by "
    elif over:
        lead = f"{year}'s outturns ({actual} 亿美元) lie below {what}, which exceeded them by "
    else:
        lead = f"{year}'s outturns ({actual} 亿美元) differ from {what} by "
    return (f"{lead}{size} (`error_pct`). {i80} of {len(dirs)} outturns lay inside the 80 % "
            f"intervals, {i95} inside the 95 % intervals.")
