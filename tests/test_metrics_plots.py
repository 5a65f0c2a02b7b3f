"""Growth charts return Figures, carry the synthetic note, and refuse bad input."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ciqanalysis.errors import ParameterError  # noqa: E402
from ciqanalysis.metrics import contribution_pp, share, ytd  # noqa: E402
from ciqanalysis.plots.growth import (  # noqa: E402
    plot_contributions,
    plot_monthly_yoy,
    plot_shares,
    plot_ytd_vs_last_year,
)
from ciqanalysis.provenance import SYNTHETIC_CAPTION  # noqa: E402


@pytest.fixture()
def wide():
    rng = np.random.default_rng(0)
    return pd.DataFrame(rng.uniform(1e8, 3e8, (24, 2)), columns=["export", "import"],
                        index=pd.period_range("2009-01", periods=24, freq="M"))


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.texts] + [fig.get_suptitle()]


def _charts(wide):
    return [
        plot_monthly_yoy(wide["export"], synthetic=True),
        plot_ytd_vs_last_year(ytd(wide["export"]), 2010, synthetic=True),
        plot_contributions(contribution_pp(wide).loc["2010-01":], synthetic=True),
        plot_shares(share(wide), synthetic=True),
    ]


def test_every_chart_returns_a_figure_with_the_synthetic_note(wide):
    for fig in _charts(wide):
        assert isinstance(fig, Figure)
        assert SYNTHETIC_CAPTION in _texts(fig)
        plt.close(fig)


def test_real_data_charts_carry_no_synthetic_note(wide):
    fig = plot_monthly_yoy(wide["import"])
    assert SYNTHETIC_CAPTION not in _texts(fig)
    plt.close(fig)


def test_chart_content(wide):
    fig = plot_monthly_yoy(wide["export"], unit="亿美元")
    bars = [p.get_height() for p in fig.axes[0].patches]
    np.testing.assert_allclose(bars, wide["export"].to_numpy() / 1e8)
    plt.close(fig)
    pp = contribution_pp(wide).loc["2010-01":]
    fig = plot_contributions(pp)
    total_line = fig.axes[0].lines[0].get_ydata()
    np.testing.assert_allclose(total_line, pp.sum(axis=1).to_numpy())
    plt.close(fig)


def test_bad_inputs(wide):
    with pytest.raises(ParameterError):
        plot_monthly_yoy(wide["export"].to_numpy())
    with pytest.raises(ParameterError):
        plot_ytd_vs_last_year(ytd(wide["export"]), 2015)
    with pytest.raises(ParameterError):
        plot_shares(-share(wide))
