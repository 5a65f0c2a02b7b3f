"""Command line: ``ciqanalysis report | ingest | run-notebooks | make-sample`` (命令行).

``report`` executes the notebooks with the given as-of date, data source and seed,
writes one HTML page per notebook and the forecast memo into ``--out``;
``run-notebooks --in-place`` refreshes the stored outputs of the committed
notebooks; ``ingest`` validates declaration files into a partitioned Parquet
dataset (usable wherever a file is); ``make-sample`` regenerates the synthetic sample. Errors a user can fix
(a bad date, an unknown file, an as-of date outside the data) print one line and
exit with status 2; a notebook that fails exits with status 1.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import CIQError, ParameterError

__all__ = ["main", "build_parser"]

#: Determinism for everything the CLI starts (kernels inherit the environment).
_DETERMINISTIC_ENV = {
    "PYTHONHASHSEED": "0",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``ciqanalysis`` command.

    Examples
    --------
    >>> build_parser().parse_args(["report", "--as-of", "2010-11-20"]).as_of
    '2010-11-20'
    """
    from .report.memo import DEFAULT_AS_OF, DEFAULT_SEED

    parser = argparse.ArgumentParser(
        prog="ciqanalysis",
        description="Reports on the trade CIQ bureaus inspect (Jilin, around 2010).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rep = sub.add_parser("report", help="execute the notebooks and write HTML and the memo")
    rep.add_argument("--as-of", default=DEFAULT_AS_OF, metavar="DATE",
                     help=f"as-of date YYYY-MM-DD (default {DEFAULT_AS_OF}, the article's)")
    rep.add_argument("--data", default="sample", metavar="sample|PATH",
                     help="'sample' (synthetic), a declarations file (CSV, Excel, Parquet) or a "
                          "dataset folder written by `ciqanalysis ingest`")
    rep.add_argument("--out", default="reports", type=Path, metavar="DIR",
                     help="output folder (default reports/)")
    rep.add_argument("--notebooks", nargs="*", default=None, metavar="NB",
                     help="notebooks to run, by number or name (default all; none: memo only)")
    rep.add_argument("--seed", default=DEFAULT_SEED, type=int,
                     help=f"random seed (default {DEFAULT_SEED})")
    rep.add_argument("--figures", default=None, type=Path, metavar="DIR",
                     help="also write the fan chart and coverage map PNGs here (e.g. docs/)")
    rep.add_argument("--quick", action="store_true",
                     help="draft memo: one forecast model, fewer simulated paths (faster)")

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
        0 on success, 2 for a bad parameter or input file, 1 when a notebook fails.

    Examples
    --------
    >>> main(["report", "--as-of", "2010-13-45", "--notebooks"])  # doctest: +SKIP
    2
    """
    args = build_parser().parse_args(argv)
    for key, value in _DETERMINISTIC_ENV.items():
        os.environ.setdefault(key, value)
    from .report.notebooks import NotebookExecutionError

    try:
        for line in _dispatch(args):
            print(line)
    except NotebookExecutionError as exc:
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
        )
        return [f"wrote {p}" for p in written]
    if args.command == "ingest":
        from .dataset import ingest

        desc = ingest(args.files, args.out, unit=args.unit, encoding=args.encoding,
                      as_of=args.as_of)
        flagged = sum(s["flags"] for s in desc["sources"])
        return [f"{args.out}: {desc['rows']:,} declarations in {len(desc['partitions'])} "
                f"partition(s) from {len(desc['sources'])} file(s); {flagged} flag(s) kept "
                "in _flags/"]
    if args.command == "run-notebooks":
        from .report.notebooks import run_notebooks_in_place

        return [f"executed {p.name} in place" for p in run_notebooks_in_place(args.notebooks)]
    if args.command == "make-sample":
        from . import sample

        writer = getattr(sample, "write_sample", None)
        if writer is None:
            raise ParameterError("ciqanalysis.sample.write_sample() does not exist yet")
        written = writer() if args.seed is None else writer(seed=args.seed)
        return [f"wrote {p}" for p in dict(written).values()]
    raise ParameterError(f"unknown command {args.command!r}")  # argparse prevents this


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
