"""Draw the package's charts and print one sha256 per chart (run as a subprocess).

Used by ``test_fonts.py`` with a fresh ``MPLCONFIGDIR`` each time (and, in one run,
a fake system font named like a common CJK font), so the digests show whether the
charts depend on the machine's fonts or font cache.
"""

from __future__ import annotations

import hashlib
import io
import sys
import warnings

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import ciqanalysis as cq  # noqa: E402
from ciqanalysis.metrics import contribution_pp, share, ytd  # noqa: E402


def charts() -> dict[str, object]:
    """Return name -> Figure for a fan chart, growth charts and a labelled map."""
    rng = np.random.default_rng(0)
    idx = pd.period_range("2009-01", periods=24, freq="M")
    wide = pd.DataFrame(rng.uniform(1e8, 3e8, (24, 2)), columns=["export", "import"], index=idx)
    fut = pd.period_range("2011-01", periods=6, freq="M")
    mean = np.full(6, 2e8)
    table = pd.DataFrame({"mean": mean, "lower_80": mean * 0.8, "upper_80": mean * 1.2,
                          "lower_95": mean * 0.7, "upper_95": mean * 1.3}, index=fut)
    history = wide.sum(axis=1)
    ind = cq.county_universe("county_type").assign(has_zone=False)
    ind.loc[ind.index[:3], "has_zone"] = True
    return {
        "fan": cq.plots.plot_fan(history=history, table=table, synthetic=True,
                                 title=cq.plots._style.label("Total", "进出口合计")),
        "yoy": cq.plots.plot_monthly_yoy(wide["export"], synthetic=True),
        "ytd": cq.plots.plot_ytd_vs_last_year(ytd(wide["export"]), 2010, synthetic=True),
        "contributions": cq.plots.plot_contributions(contribution_pp(wide).loc["2010-01":]),
        "shares": cq.plots.plot_shares(share(wide), synthetic=True),
        "map": cq.plots.plot_coverage_map(ind, "has_zone", synthetic=True),
    }


def main() -> None:
    """Print ``name sha256`` lines; any warning (e.g. a missing glyph) is an error."""
    from ciqanalysis.report.memo import figure_png

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, fig in charts().items():
            png = figure_png(fig) if name != "map" else _png(fig)
            print(name, hashlib.sha256(png).hexdigest())


def _png(fig) -> bytes:
    from ciqanalysis.report.memo import figure_png

    buf = io.BytesIO(figure_png(fig, dpi=60))
    return buf.getvalue()


if __name__ == "__main__":
    main()
    sys.exit(0)
