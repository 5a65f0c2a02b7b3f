"""The Spring Festival (春节) calendar (ciqanalysis.forecast.calendar): dates, regressor, table."""

import numpy as np
import pandas as pd

import ciqanalysis as cq
from ciqanalysis.forecast import festival_table, spring_festival_dates


def test_festival_table_matches_calendar():
    tab = festival_table([2009, 2010, 2011, 2012])
    dates = spring_festival_dates([2009, 2010, 2011, 2012])
    assert tab["festival"].tolist() == dates.dt.strftime("%Y-%m-%d").tolist()
    # the published dates of the festival's first day (Chinese New Year)
    assert tab["festival"].tolist() == ["2009-01-26", "2010-02-14", "2011-02-03", "2012-01-23"]
    idx = pd.PeriodIndex(["2012-01", "2012-02", "2012-03"], freq="M")
    np.testing.assert_allclose(tab.loc[2012, ["jan", "feb", "mar"]].to_numpy(dtype=float),
                               cq.forecast.festival_regressor(idx).to_numpy())
    # an early festival (23 January 2012) loads January, a late one (14 February 2010) February
    assert tab.loc[2012, "jan"] > 0 > tab.loc[2012, "feb"]
    assert tab.loc[2010, "feb"] > 0 > tab.loc[2010, "jan"]
