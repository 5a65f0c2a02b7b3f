"""``ciqanalysis report``: notebooks with parameters, their HTML, the memo and the bulletin.

Every output goes into one folder (``reports/`` by default): the executed copies
``NN-name.ipynb`` (the committed notebooks are never touched), ``NN-name.html``, the
memo in each language and format (``forecast-memo.zh.pdf``, ``forecast-memo.html``,
...), its numbers (``forecast-memo.json``), the monthly bulletin workbook
(``bulletin.xlsx``) and ``manifest.json``.

The folder never mixes runs: parameters and output paths are checked before any
work, everything is written into a hidden temporary folder beside the target, and
only a complete report replaces the old one (a folder is replaced only when it is
empty or holds an earlier report, i.e. has a ``manifest.json``). An interrupted or
failed run leaves the old folder as it was.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from ..config import DEFAULT_AS_OF, DEFAULT_SEED, parse_as_of
from ..errors import CIQError, ParameterError
from .formats import memo_filename
from .memo import (
    AS_OF_RULE,
    compute_memo,
    fan_figure,
    figure_png,
    resolve_data_source,
)
from .notebooks import (
    NotebookExecutionError,
    execute_notebook,
    find_notebooks,
    notebook_to_html,
)

__all__ = [
    "BULLETIN_NAME",
    "FORMATS",
    "LANGS",
    "MANIFEST_NAME",
    "MEMO_NAME",
    "OutputPathError",
    "build_report",
    "check_output_dir",
    "memo_filename",
    "notebook_parameters_for",
    "write_figures",
]

#: File name of the English HTML memo inside the output folder.
MEMO_NAME = "forecast-memo.html"
#: The run's record: as-of date, data sha256, time, version, files.
MANIFEST_NAME = "manifest.json"
#: The monthly bulletin workbook (月度快报).
BULLETIN_NAME = "bulletin.xlsx"
#: Memo formats and languages the report writes.
FORMATS = ("html", "pdf", "docx")
LANGS = ("zh", "en")


class OutputPathError(CIQError, ValueError):
    """An output folder that cannot be written (a file, under a file, read-only)."""


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
    day = parse_as_of(as_of, **AS_OF_RULE)
    return {
        "data_source": resolve_data_source(data_source),
        "as_of": day.strftime("%Y-%m-%d"),
        "seed": int(seed),
        "year": int(day.year),  # the analysis year of notebooks that declare one
        "quick": bool(quick),
        "zones_source": None if zones is None else str(Path(zones).resolve()),
        "memoranda_source": None if memoranda is None else str(Path(memoranda).resolve()),
    }


def check_output_dir(path: str | Path, *, replace: bool = True, what: str = "output folder"
                     ) -> Path:
    """Check, before any work, that a folder can be written (输出目录检查).

    Parameters
    ----------
    path : str or pathlib.Path
        The folder (it need not exist).
    replace : bool, default True
        The folder will be replaced as a whole: it must then be new, empty, or an
        earlier report (holding ``manifest.json``), and its parent must be writable.
    what : str
        How the message names the folder.

    Returns
    -------
    pathlib.Path
        The folder as an absolute path.

    Raises
    ------
    OutputPathError
        If the path is a file, lies under a file, is read-only, or (``replace``)
        holds files that are not a report.

    Examples
    --------
    >>> check_output_dir(tempfile.mkdtemp()).is_dir()
    True
    """
    out = Path(path).expanduser().absolute()
    existing = out
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing == out and not out.is_dir():
        raise OutputPathError(f"{what} {path} is a file, not a folder; choose a folder")
    if existing != out and not existing.is_dir():
        raise OutputPathError(f"{what} {path} lies under {existing}, which is a file; "
                              "choose a path under a folder")
    probe_dirs = [existing]
    if replace and out.exists():
        probe_dirs.append(out.parent)
        if any(out.iterdir()) and not (out / MANIFEST_NAME).is_file():
            raise OutputPathError(
                f"{what} {path} is not empty and holds no earlier report ({MANIFEST_NAME}); "
                "choose a new or empty folder (the report replaces the whole folder)")
    for folder in probe_dirs:
        if not _writable(folder):
            raise OutputPathError(f"{what} {path} is read-only (cannot create files in "
                                  f"{folder}); choose a writable folder")
    return out


def _writable(folder: Path) -> bool:
    if not os.access(folder, os.W_OK | os.X_OK):
        return False
    try:  # root passes os.access everywhere; a read-only file system still refuses
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError:
        return False
    return True


def build_report(
    out_dir: str | Path = "reports",
    *,
    as_of: str | pd.Timestamp = DEFAULT_AS_OF,
    data_source: str | Path = "sample",
    seed: int = DEFAULT_SEED,
    notebooks: Iterable[str] | None = None,
    figures_dir: str | Path | None = None,
    quick: bool = False,
    lang: str = "both",
    formats: Iterable[str] = ("html",),
    progress: Callable[[str], None] | None = None,
    zones: str | Path | None = None,
    memoranda: str | Path | None = None,
) -> list[Path]:
    """Write the memo, the bulletin and each notebook's HTML for one as-of date.

    Parameters
    ----------
    out_dir : str or pathlib.Path, default "reports"
        Output folder; replaced as a whole when the report is complete.
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
    lang : {"both", "zh", "en"}, default "both"
        Memo language(s): Chinese (中文), English or both.
    formats : iterable of {"html", "pdf", "docx"}, default ("html",)
        Memo formats.
    progress : callable, optional
        Called with one line per step (the command prints them on stderr).
    zones, memoranda : str or pathlib.Path, optional
        The user's own zones and memoranda tables for the coverage notebook (read
        and checked before any notebook starts). Without them a user's report has
        no zone or memorandum sections; the sample's tables are never mixed in.

    Returns
    -------
    list of pathlib.Path
        Files written (final paths), memos first. When a notebook fails, nothing
        replaces the output folder: what was written so far, with the failed
        notebook's partly executed copy ``NN-name.FAILED.ipynb`` (and ``.html``), is
        moved to ``<out>.FAILED/`` beside it, and the :class:`NotebookExecutionError`
        lists those files in ``written``.

    Raises
    ------
    CIQError
        A bad parameter (ParameterError, AsOfDateError), an unusable output folder
        (OutputPathError), a bad file (DataFileError) or a failing notebook
        (NotebookExecutionError). Nothing is written then.

    Examples
    --------
    The memo and the bulletin alone (no notebooks), lean settings, into a folder
    ``tmp``:

    >>> files = build_report(tmp / "reports", notebooks=[], quick=True, lang="zh",
    ...                      formats=["html", "pdf"])
    >>> sorted(p.name for p in files)  # doctest: +NORMALIZE_WHITESPACE
    ['bulletin.xlsx', 'forecast-memo.json', 'forecast-memo.zh.html', 'forecast-memo.zh.pdf',
     'manifest.json']

    With notebooks (not run here: it starts a Jupyter kernel and executes each
    notebook; ``tests/test_cli.py::test_report_end_to_end_on_notebook_00`` covers it):

    >>> build_report("reports", notebooks=["00"], lang="zh", formats=["html", "pdf"])  # doctest: +SKIP

    A bad input stops before anything is computed or written:

    >>> build_report("reports", data_source="no_such_file.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ciqanalysis.errors.DataFileError: no_such_file.csv: no such declarations file or dataset; ...
    """
    from . import formats as fmt_mod
    from .bulletin_sheet import write_bulletin_workbook

    langs = _parse_choice([lang] if isinstance(lang, str) else lang, "lang", (*LANGS, "both"))
    langs = list(LANGS) if "both" in langs else langs
    fmts = _parse_choice(formats, "format", FORMATS)
    params = notebook_parameters_for(data_source, as_of, seed, quick=quick, zones=zones,
                                     memoranda=memoranda)
    chosen = find_notebooks(notebooks) if notebooks is None or list(notebooks) else []
    out = check_output_dir(out_dir)
    from .. import data

    for path, reader in ((zones, data.read_zones), (memoranda, data.read_memoranda)):
        if path is not None:
            reader(path)  # one clear error before any notebook starts
    figs = None if figures_dir is None else check_output_dir(figures_dir, replace=False,
                                                            what="figures folder")
    say = progress or (lambda _line: None)
    steps = 3 + len(chosen) + (figs is not None)
    step = iter(range(1, steps + 1))

    previous = fmt_mod.read_previous_numbers(out / fmt_mod.NUMBERS_NAME)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o777 & ~umask)  # mkdtemp makes it private; the report is an ordinary folder
    try:
        say(f"[{next(step)}/{steps}] computing the memo's numbers (as of {params['as_of']})")
        numbers = compute_memo(params["data_source"], params["as_of"], seed=params["seed"],
                               quick=quick)
        say(f"[{next(step)}/{steps}] writing the memo ({', '.join(langs)}; {', '.join(fmts)})")
        names = fmt_mod.write_memo_files(numbers, tmp, langs=langs, formats=fmts,
                                         previous=previous)
        say(f"[{next(step)}/{steps}] writing the monthly bulletin ({BULLETIN_NAME})")
        names.append(write_bulletin_workbook(numbers, tmp / BULLETIN_NAME).name)
        fig_tmp = tmp / ".figures"
        if figs is not None:
            say(f"[{next(step)}/{steps}] drawing the fan chart and the coverage map")
            write_figures(fig_tmp, numbers)
        for nb in chosen:
            say(f"[{next(step)}/{steps}] executing {nb.name}")
            try:
                executed = execute_notebook(nb, tmp / nb.name, params)
            except NotebookExecutionError as exc:
                exc.partial, exc.written = _keep_failed(tmp, out, names, exc.partial)
                raise
            notebook_to_html(executed, tmp / f"{nb.stem}.html")
            names += [nb.name, f"{nb.stem}.html"]
        _write_manifest(tmp, numbers, params, langs, fmts, names)
        fig_files = sorted(fig_tmp.iterdir()) if fig_tmp.exists() else []
        for f in fig_files:
            f.replace(tmp.parent / f"{tmp.name}-{f.name}")  # out of the folder to be renamed
        if fig_tmp.exists():
            fig_tmp.rmdir()
        _swap_into_place(tmp, out)
        written = [out / n for n in names] + [out / MANIFEST_NAME]
        for f in fig_files:
            figs.mkdir(parents=True, exist_ok=True)
            target = figs / f.name
            (tmp.parent / f"{tmp.name}-{f.name}").replace(target)
            written.append(target)
        return written
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        for leftover in out.parent.glob(f"{tmp.name}-*"):
            leftover.unlink(missing_ok=True)


def _parse_choice(values: Iterable[str], what: str, allowed: tuple[str, ...]) -> list[str]:
    got: list[str] = []
    for value in values:
        for item in str(value).split(","):
            item = item.strip().lower()
            if item not in allowed:
                raise ParameterError(f"unknown {what} {item!r}; expected one of "
                                     f"{', '.join(allowed)}")
            if item not in got:
                got.append(item)
    if not got:
        raise ParameterError(f"no {what} given; expected one of {', '.join(allowed)}")
    return got


def _swap_into_place(tmp: Path, out: Path) -> None:
    """Replace ``out`` by the complete folder ``tmp`` (two renames, same file system)."""
    old = None
    if out.exists():
        old = out.parent / f".{out.name}.old-{tmp.name.rsplit('-', 1)[-1]}"
        out.rename(old)
    tmp.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _write_manifest(folder: Path, numbers, params: dict, langs, fmts, names) -> Path:
    from .. import data

    prov = numbers.provenance
    manifest = {
        "as_of": params["as_of"], "data_source": numbers.data_source,
        "synthetic": numbers.synthetic, "data_sha256": prov.get("data_sha256"),
        "seed": params["seed"], "languages": list(langs), "formats": list(fmts),
        "created": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "version": numbers.version, "git_commit": prov.get("git_commit"),
        "files": {n: data.sha256_of(folder / n) for n in sorted(names)},
    }
    path = folder / MANIFEST_NAME
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def _keep_failed(tmp: Path, out: Path, names: list[str],
                 partial: Path | None) -> tuple[Path | None, list[Path]]:
    """Move a failed run's files to ``<out>.FAILED/`` (never into ``out``); list them."""
    failed = out.parent / f"{out.name}.FAILED"
    if failed.exists():
        shutil.rmtree(failed)
    kept = [n for n in names if (tmp / n).exists()]
    if partial is not None and partial.exists():
        html = notebook_to_html(partial, partial.with_suffix(".html"))
        kept += [partial.name, html.name]
    tmp.rename(failed)
    return (failed / partial.name if partial is not None else None), [failed / n for n in kept]


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
    With ``memo = compute_memo(quick=True)`` (the synthetic sample), into a folder ``tmp``:

    >>> [p.name for p in write_figures(tmp, memo)]
    ['fan-chart.png', 'coverage-map.png']
    >>> (tmp / "coverage-map.png").read_bytes()[1:4]
    b'PNG'
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
