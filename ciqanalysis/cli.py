"""Command line: ``ciqanalysis report | ingest | run-notebooks | make-sample`` (命令行).

``report`` executes the notebooks with the given as-of date, data source and seed,
writes one HTML page per notebook and the forecast memo into ``--out``;
``run-notebooks --in-place`` refreshes the stored outputs of the committed
notebooks (with ``--update-reference`` also the reference tables their check cells
compare with, see :mod:`ciqanalysis.reference`); ``ingest`` validates declaration
files into a partitioned Parquet dataset (usable wherever a file is);
``make-sample`` regenerates the synthetic sample. Errors a user can fix
(a bad date, an unknown file, an as-of date outside the data) print one line and
exit with status 2 (output folders are checked before any work); a notebook that
fails exits with status 1, after listing the files written, its partial output
kept as ``NN-name.FAILED.ipynb``; Ctrl-C prints one line and exits with status 130.
``report`` prints one progress line per step on stderr and the files written on
stdout.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from .errors import CIQError, ParameterError

__all__ = ["main", "console", "build_parser"]

#: Determinism for everything the CLI starts (kernels inherit the environment): the
#: Makefile's exports, which the installed kernel also carries (a test compares them).
_DETERMINISTIC_ENV = {
    "PYTHONHASHSEED": "0",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "MPLBACKEND": "Agg",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``ciqanalysis`` command.

    Examples
    --------
    >>> build_parser().parse_args(["report", "--as-of", "2010-11-20"]).as_of
    '2010-11-20'
    """
    from .config import DEFAULT_AS_OF, DEFAULT_SEED

    parser = argparse.ArgumentParser(
        prog="ciqanalysis",
        description="Reports on the trade CIQ bureaus inspect (Jilin, around 2010).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rep = sub.add_parser("report", help="execute the notebooks and write HTML and the memo")
    rep.add_argument("--as-of", default=DEFAULT_AS_OF, metavar="DATE",
                     help=f"as-of date YYYY-MM-DD (default {DEFAULT_AS_OF}, the article's); "
                          "declarations after it are left out and counted")
    rep.add_argument("--data", default="sample", metavar="sample|PATH",
                     help="'sample' (synthetic), a declarations file (CSV, Excel, Parquet) or a "
                          "dataset folder written by `ciqanalysis ingest`")
    rep.add_argument("--out", default="reports", type=Path, metavar="DIR",
                     help="output folder (default reports/)")
    rep.add_argument("--notebooks", nargs="*", default=None, metavar="NB",
                     help="notebooks to run, by number or name (default all; 'none', or the "
                          "option without names: memo only)")
    rep.add_argument("--seed", default=DEFAULT_SEED, type=int,
                     help=f"random seed (default {DEFAULT_SEED})")
    rep.add_argument("--figures", default=None, type=Path, metavar="DIR",
                     help="also write the fan chart and coverage map PNGs here (e.g. docs/)")
    rep.add_argument("--quick", action="store_true",
                     help="draft memo: one forecast model, fewer simulated paths (faster)")
    rep.add_argument("--lang", default="both", choices=["zh", "en", "both"],
                     help="memo language: zh (中文), en or both (default both)")
    rep.add_argument("--formats", default="html", metavar="LIST",
                     help="memo formats, comma-separated from html,pdf,docx (default html)")
    rep.add_argument("--zones", default=None, type=Path, metavar="FILE",
                     help="your own demonstration-zone table for the coverage notebook "
                          "(columns of the packaged zones table)")
    rep.add_argument("--memoranda", default=None, type=Path, metavar="FILE",
                     help="your own memoranda table for the coverage notebook "
                          "(columns of the packaged memoranda table)")

    ing = sub.add_parser("ingest", help="validate declaration files into a Parquet dataset")
    ing.add_argument("files", nargs="+", type=Path, metavar="FILE",
                     help="declarations files (CSV UTF-8/GBK, .csv.gz, Excel, Parquet)")
    ing.add_argument("--out", required=True, type=Path, metavar="DATASET",
                     help="dataset folder (created; re-ingesting a file replaces it)")
    ing.add_argument("--unit", default=None, help="money unit when headers do not say it")
    ing.add_argument("--encoding", default=None, help="CSV encoding (default: detected)")
    ing.add_argument("--as-of", default=None, metavar="DATE",
                     help="refuse rows dated after this day")

    run = sub.add_parser("run-notebooks", help="re-execute the committed notebooks")
    run.add_argument("--in-place", action="store_true", required=True,
                     help="store the new outputs in the notebooks themselves")
    run.add_argument("--notebooks", nargs="*", default=None, metavar="NB",
                     help="notebooks to run, by number or name (default all)")
    run.add_argument("--update-reference", action="store_true",
                     help="also rewrite the reference tables in notebooks/reference/ that the "
                          "notebooks' check cells compare with (after a deliberate method change)")

    mk = sub.add_parser("make-sample", help="regenerate the synthetic sample in data/sample/")
    mk.add_argument("--seed", default=None, type=int, help="generator seed (default: its own)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; ``sys.argv[1:]`` when None.

    Returns
    -------
    int
        0 on success, 2 for a bad parameter, input file or output folder, 1 when a
        notebook fails, 130 when interrupted (Ctrl-C).

    Examples
    --------
    A bad as-of date stops before any work, with a one-line error on stderr:

    >>> main(["report", "--as-of", "2010-13-45", "--notebooks"])
    2
    """
    args = build_parser().parse_args(argv)
    if args.command == "report" and args.notebooks is not None and \
            [n.lower() for n in args.notebooks] == ["none"]:
        args.notebooks = []  # the help's own word for "memo only"
    for key, value in _DETERMINISTIC_ENV.items():
        os.environ.setdefault(key, value)
    from .report.notebooks import NotebookExecutionError

    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            for line in _dispatch(args):
                print(line)
    except KeyboardInterrupt:
        where = f" (nothing written to {args.out})" if args.command == "report" else ""
        print(f"ciqanalysis: interrupted{where}", file=sys.stderr)
        return 130
    except NotebookExecutionError as exc:
        for path in exc.written or []:
            print(f"wrote {path}")
        if exc.partial is not None:
            print(f"ciqanalysis: the failed notebook's partial output is in {exc.partial}",
                  file=sys.stderr)
        print(f"ciqanalysis: error: {_one_line(exc)}", file=sys.stderr)
        return 1
    except CIQError as exc:
        print(f"ciqanalysis: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    return 0


def _dispatch(args: argparse.Namespace) -> list[str]:
    if args.command == "report":
        from .report.build import build_report

        written = build_report(
            out_dir=args.out, as_of=args.as_of, data_source=args.data, seed=args.seed,
            notebooks=args.notebooks, figures_dir=args.figures, quick=args.quick,
            lang=args.lang, formats=args.formats.split(","), progress=_progress,
            zones=args.zones, memoranda=args.memoranda,
        )
        return [f"wrote {p}" for p in written]
    if args.command == "ingest":
        from .data.dataset import ingest

        desc = ingest(args.files, args.out, unit=args.unit, encoding=args.encoding,
                      as_of=args.as_of)
        flagged = sum(s["flags"] for s in desc["sources"])
        return [f"{args.out}: {desc['rows']:,} declarations in {len(desc['partitions'])} "
                f"partition(s) from {len(desc['sources'])} file(s); {flagged} flag(s) kept "
                "in _flags/"]
    if args.command == "run-notebooks":
        from .reference import UPDATE_ENV
        from .report.notebooks import run_notebooks_in_place

        before = os.environ.get(UPDATE_ENV)
        if args.update_reference:
            os.environ[UPDATE_ENV] = "1"  # the kernels inherit it; check_reference writes first
        try:
            done = run_notebooks_in_place(args.notebooks)
        finally:
            if before is None:
                os.environ.pop(UPDATE_ENV, None)
            else:
                os.environ[UPDATE_ENV] = before
        lines = [f"executed {p.name} in place" for p in done]
        if args.update_reference:
            lines.append("rewrote the reference tables they check (notebooks/reference/): review "
                         "`git diff notebooks/reference` before committing")
        return lines
    if args.command == "make-sample":
        from . import sample

        writer = getattr(sample, "write_sample", None)
        if writer is None:
            raise ParameterError("ciqanalysis.sample.write_sample() does not exist yet")
        written = writer() if args.seed is None else writer(seed=args.seed)
        return [f"wrote {p}" for p in dict(written).values()]
    raise ParameterError(f"unknown command {args.command!r}")  # argparse prevents this


def _progress(line: str) -> None:
    print(f"ciqanalysis: {line}", file=sys.stderr, flush=True)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Print a warning as one line of the command's own, without a source line."""
    print(f"ciqanalysis: {category.__name__}: {_one_line(message)}", file=sys.stderr, flush=True)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def console() -> None:
    """Entry point of the ``ciqanalysis`` command: :func:`main`, then exit with its status.

    The first Ctrl-C raises ``KeyboardInterrupt`` (:func:`main` turns it into one
    line and status 130); every later one is ignored, whenever it arrives -- during
    the clean-up, while the process exits, or a second signal sent to the whole
    process group -- so it can neither turn the one-line message into a traceback
    nor end the process by the signal instead of status 130 (after an interrupt
    the process leaves with ``os._exit(130)``, the report's clean-up being done by
    then). The signal disposition is changed only here, in the command's own
    process (it would be inherited by programs a library caller starts later).
    """
    signal.signal(signal.SIGINT, _first_interrupt_only())
    status = main()
    if status == 130:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        # Leave at once with 130. Once, under load, the process still ended by SIGINT
        # (status -2, no traceback) after main() had caught the interrupt and returned
        # 130; the interpreter re-raises SIGINT at shutdown when it believes an
        # interrupt went unhandled. The cause was not pinned down; os._exit skips it.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)
    sys.exit(status)


def _first_interrupt_only():
    """Return a SIGINT handler that raises ``KeyboardInterrupt`` once, then ignores."""
    seen = []

    def handler(signum, frame):
        if not seen:
            seen.append(signum)
            raise KeyboardInterrupt

    return handler


if __name__ == "__main__":  # pragma: no cover
    console()
