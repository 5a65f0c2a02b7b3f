"""Draw the package's charts and memos; print one sha256 per file (run as a subprocess).

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
from ciqanalysis.metrics import contribution_pp  # noqa: E402


def charts() -> dict[str, object]:
    """Return name -> Figure: a fan chart, two growth charts and a labelled map."""
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
        "contributions": cq.plots.plot_contributions(contribution_pp(wide).loc["2010-01":]),
        "map": cq.plots.plot_coverage_map(ind, "has_zone", synthetic=True),
    }


def tiny_memo():
    """A MemoNumbers built by hand (no forecasting): enough to render every memo format."""
    from ciqanalysis.report.memo import MemoNumbers, scenario_table

    rng = np.random.default_rng(1)
    idx = pd.period_range("2004-01", "2010-11", freq="M")
    monthly = pd.DataFrame(rng.uniform(1e8, 3e8, (len(idx), 2)), columns=["export", "import"],
                           index=idx)
    monthly["total"] = monthly.sum(axis=1)
    rows = {}
    for d in ("export", "import", "total"):
        for year, width in ((2010, 0.02), (2011, 0.3)):
            mean = monthly[d].iloc[-12:].sum()
            rows[(d, year)] = {"mean": mean, "lower_80": mean * (1 - width / 2),
                               "upper_80": mean * (1 + width / 2), "lower_95": mean * (1 - width),
                               "upper_95": mean * (1 + width)}
    outlook = pd.DataFrame.from_dict(rows, orient="index")
    outlook.index.names = ["direction", "year"]
    fan = pd.DataFrame({c: outlook.loc[("total", 2011), c] / 12 for c in outlook.columns},
                       index=pd.period_range("2010-11", "2011-12", freq="M"))
    ytd = pd.DataFrame({"value_usd": monthly.loc["2010"].sum(), "base_usd": monthly.loc["2009"].sum()})
    ytd["growth_pct"] = ytd["value_usd"] / ytd["base_usd"] * 100 - 100
    track = pd.DataFrame({"exports, full year Y": [1.0, 2.0]},
                         index=pd.Index(["method MAPE %", "80 % interval coverage %"], name="measure"))
    scenarios, info = scenario_table(monthly, outlook, pd.Timestamp("2010-11-20"), (80, 95))
    return MemoNumbers(
        as_of=pd.Timestamp("2010-11-20"), data_source="sample", synthetic=True, seed=1,
        levels=(80, 95), ytd=ytd, outlook=outlook, monthly=monthly, fan=fan, track=track,
        track_info={"first_year": 2006, "last_year": 2012, "n_years": 7}, version="test",
        last_year=monthly.loc["2009"].sum(), scenarios=scenarios, scenario_info=info,
        provenance={"data_file": "x.csv", "data_sha256": "0" * 64, "git_commit": "unknown"})


def main() -> None:
    """Print ``name sha256`` lines; any warning (e.g. a missing glyph) is an error."""
    import tempfile
    from pathlib import Path

    from ciqanalysis.report.formats import write_memo_files
    from ciqanalysis.report.memo import figure_png

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, fig in charts().items():
            png = figure_png(fig) if name != "map" else _png(fig)
            print(name, hashlib.sha256(png).hexdigest())
        folder = Path(tempfile.mkdtemp())
        for name in write_memo_files(tiny_memo(), folder, langs=["zh"],
                                     formats=["html", "pdf", "docx"]):
            print(name, hashlib.sha256((folder / name).read_bytes()).hexdigest())


def _png(fig) -> bytes:
    from ciqanalysis.report.memo import figure_png

    buf = io.BytesIO(figure_png(fig, dpi=60))
    return buf.getvalue()


if __name__ == "__main__":
    main()
    sys.exit(0)
