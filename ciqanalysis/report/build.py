"""``ciqanalysis report``: notebooks with parameters, their HTML, and the memo (报告).

Every output goes into one folder (``reports/`` by default): the executed copies
``NN-name.ipynb`` (the committed notebooks are never touched), ``NN-name.html`` and
``forecast-memo.html``. Parameters are checked once, before any notebook starts,
so a bad date or file gives one clear message instead of a failed kernel.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .memo import (
    DEFAULT_AS_OF,
    DEFAULT_SEED,
    compute_memo,
    fan_figure,
    figure_png,
    parse_as_of,
    resolve_data_source,
    write_memo,
)
from .notebooks import (
    NotebookExecutionError,
    execute_notebook,
    find_notebooks,
    notebook_to_html,
)

__all__ = ["MEMO_NAME", "build_report", "write_figures", "notebook_parameters_for"]

#: File name of the memo inside the output folder.
MEMO_NAME = "forecast-memo.html"


def notebook_parameters_for(
    data_source: str | Path, as_of: str | pd.Timestamp, seed: int, *, quick: bool = False,
    zones: str | Path | None = None, memoranda: str | Path | None = None,
) -> dict[str, object]:
    """Return the papermill parameters every notebook receives.

    Parameters
    ----------
    data_source : str or pathlib.Path
        ``"sample"`` or a declarations file (made absolute: the kernel runs in
        ``notebooks/``).
    as_of : str or pandas.Timestamp
        As-of date (截止日期), passed on as ``YYYY-MM-DD`` text.
    seed : int
        Random seed.
    quick : bool, default False
        Lean draft settings, for notebooks that declare ``quick``.
    zones, memoranda : str or pathlib.Path, optional
        The user's own zones and memoranda tables (made absolute), passed as
        ``zones_source`` / ``memoranda_source`` to notebooks that declare them.

    Returns
    -------
    dict
        ``data_source``, ``as_of``, ``seed``, ``year`` (the as-of year), ``quick``,
        ``zones_source`` and ``memoranda_source``. A notebook receives only the
        parameters its ``parameters`` cell declares.

    Examples
    --------
    >>> notebook_parameters_for("sample", "2010-11-20", 1)  # doctest: +NORMALIZE_WHITESPACE
    {'data_source': 'sample', 'as_of': '2010-11-20', 'seed': 1, 'year': 2010, 'quick': False,
     'zones_source': None, 'memoranda_source': None}
    """
    day = parse_as_of(as_of)
    return {
        "data_source": resolve_data_source(data_source),
        "as_of": day.strftime("%Y-%m-%d"),
        "seed": int(seed),
        "year": int(day.year),  # the analysis year of notebooks that declare one
        "quick": bool(quick),
        "zones_source": None if zones is None else str(Path(zones).resolve()),
        "memoranda_source": None if memoranda is None else str(Path(memoranda).resolve()),
    }


def build_report(
    out_dir: str | Path = "reports",
    *,
    as_of: str | pd.Timestamp = DEFAULT_AS_OF,
    data_source: str | Path = "sample",
    seed: int = DEFAULT_SEED,
    notebooks: Iterable[str] | None = None,
    figures_dir: str | Path | None = None,
    quick: bool = False,
    zones: str | Path | None = None,
    memoranda: str | Path | None = None,
) -> list[Path]:
    """Write the memo and each notebook's HTML for one as-of date and data source.

    Parameters
    ----------
    out_dir : str or pathlib.Path, default "reports"
        Output folder (created).
    as_of : str or pandas.Timestamp, default "2010-11-20"
        As-of date (截止日期).
    data_source : str or pathlib.Path, default "sample"
        ``"sample"`` (synthetic) or a user's declarations file.
    seed : int, default 20101120
        Random seed for the memo and the notebooks.
    notebooks : iterable of str, optional
        Notebook selectors (number or name); None runs all, an empty list none.
    figures_dir : str or pathlib.Path, optional
        Also write the fan chart and the coverage map as PNG files there.
    quick : bool, default False
        Lean forecast settings for the memo and notebook 02 (drafts, smoke tests);
        they say so.
    zones, memoranda : str or pathlib.Path, optional
        The user's own zones and memoranda tables for the coverage notebook (read
        and checked before any notebook starts). Without them a user's report has
        no zone or memorandum sections; the sample's tables are never mixed in.

    Returns
    -------
    list of pathlib.Path
        Files written, memo first. When a notebook fails, its partly executed copy
        is kept as ``NN-name.FAILED.ipynb`` (and ``.html``) and the
        :class:`NotebookExecutionError` lists every file written in ``written``.

    Raises
    ------
    CIQError
        A bad parameter (ParameterError, AsOfDateError), a bad file
        (DataFileError) or a failing notebook (NotebookExecutionError).

    Examples
    --------
    >>> build_report("reports", notebooks=["00"])  # doctest: +SKIP
    """
    params = notebook_parameters_for(data_source, as_of, seed, quick=quick, zones=zones,
                                     memoranda=memoranda)
    chosen = find_notebooks(notebooks) if notebooks is None or list(notebooks) else []
    out = Path(out_dir)
    from .. import data

    for path, reader in ((zones, data.read_zones), (memoranda, data.read_memoranda)):
        if path is not None:
            reader(path)  # one clear error before any notebook starts
    numbers = compute_memo(params["data_source"], params["as_of"], seed=params["seed"],
                           quick=quick)
    written = [write_memo(numbers, out / MEMO_NAME)]
    if figures_dir is not None:
        written += write_figures(figures_dir, numbers)
    for nb in chosen:
        try:
            executed = execute_notebook(nb, out / nb.name, params)
        except NotebookExecutionError as exc:
            if exc.partial is not None:
                written += [exc.partial,
                            notebook_to_html(exc.partial, exc.partial.with_suffix(".html"))]
            exc.written = written
            raise
        written += [executed, notebook_to_html(executed, out / f"{nb.stem}.html")]
    return written


def write_figures(out_dir: str | Path, numbers=None) -> list[Path]:
    """Write ``fan-chart.png`` and ``coverage-map.png`` (for the README) into ``out_dir``.

    Parameters
    ----------
    out_dir : str or pathlib.Path
        Target folder, e.g. ``docs/``.
    numbers : MemoNumbers, optional
        Memo numbers for the fan chart; computed for the defaults when None.

    Returns
    -------
    list of pathlib.Path

    Examples
    --------
    >>> write_figures("docs")  # doctest: +SKIP
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if numbers is None:
        numbers = compute_memo()
    fan = out / "fan-chart.png"
    fan.write_bytes(figure_png(fan_figure(numbers)))
    cov = out / "coverage-map.png"
    cov.write_bytes(figure_png(_coverage_figure(numbers)))
    return [fan, cov]


def _coverage_figure(numbers):
    """Zone coverage map of the as-of year (adapter to ``coverage`` and ``plots``)."""
    from .. import coverage, plots

    table = coverage.county_indicators(numbers.year, as_of=numbers.as_of)
    return plots.plot_coverage_map(table, "has_zone", synthetic=True)
