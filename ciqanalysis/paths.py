"""Where the package's data live (路径).

The data directory is ``$CIQANALYSIS_DATA_DIR`` when that is set, otherwise the
``data/`` folder of the repository the package is installed from.

Examples
--------
>>> from ciqanalysis.paths import data_dir
>>> (data_dir() / "datapackage.json").name
'datapackage.json'
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["data_dir", "raw_dir", "sample_dir", "repo_root", "reports_dir"]

_ENV = "CIQANALYSIS_DATA_DIR"


def repo_root() -> Path:
    """Return the repository root (the folder holding ``pyproject.toml``)."""
    return Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """Return the data directory: ``$CIQANALYSIS_DATA_DIR`` or ``<repo>/data``."""
    env = os.environ.get(_ENV)
    return Path(env).resolve() if env else repo_root() / "data"


def raw_dir() -> Path:
    """Return ``data/raw``: real public data, never edited."""
    return data_dir() / "raw"


def sample_dir() -> Path:
    """Return ``data/sample``: the synthetic tables written by the seeded generator."""
    return data_dir() / "sample"


def reports_dir() -> Path:
    """Return the default output folder of ``make report`` (``<repo>/reports``)."""
    return repo_root() / "reports"
