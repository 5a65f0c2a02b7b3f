"""Trade metrics (指标): growth, year-to-date, contributions, shares and structure.

Pure functions on pandas objects, following China Customs (GACC) and NBS
conventions for growth (同比, 环比, 累计, 累计同比) and contributions (拉动, 贡献率),
and the WTO/UNCTAD *Practical Guide to Trade Policy Analysis* and WITS for
structure (HHI, RCA, Grubel-Lloyd, margins). Topic modules:

- :mod:`.growth` -- yoy_growth, mom_growth, ytd, ytd_growth, cagr, index_numbers,
  share_of_year_done, annualise;
- :mod:`.composition` -- contribution_pp, contribution_share, share, balance,
  export_import_ratio;
- :mod:`.structure` -- hhi, top_n_share, rca, grubel_lloyd(_aggregate),
  trade_margins, margin_decomposition;
- :mod:`.headline` -- the article's headline table from declarations or from the
  published figures;
- :mod:`.trends` -- growth-trend tables: source_label, last_complete_month,
  same_days_by_year, top_n_other, growth_table, change_table, ytd_table,
  annualise_table, annualise_backtest.

Everything is re-exported here (``cq.metrics.<name>``); the most used names are also
on the top level (``cq.yoy_growth``).
"""

from __future__ import annotations

from . import composition, growth, headline, structure, trends
from .composition import *  # noqa: F403
from .growth import *  # noqa: F403
from .headline import *  # noqa: F403
from .structure import *  # noqa: F403
from .trends import *  # noqa: F403

__all__ = [*growth.__all__, *composition.__all__, *structure.__all__, *headline.__all__,
           *trends.__all__]
