"""Forecasts of inspected trade (预测): one series, a partial year, many series.

- :func:`forecast` — one PeriodIndex series: the default method (damped ETS,
  Theta and airline SARIMA from statsmodels, equal-weight combination), or
  candidates chosen by rolling-origin backtest; intervals and flags.
- :func:`nowcast_year` — the full current year (全年) and next year from data
  through a day, with simulated annual intervals.
- :func:`nowcast_by_direction` — the same for exports, imports and their total, as
  one :class:`Outlook` (its tables: ``outlook()``, ``partial_month()``,
  ``model_frame()``, ``festival_effects()``, ``outturn_check()``).
- :func:`forecast_many` — every product group × county (or any keys) in one call.
- :func:`track_record` — how the method did on China Customs data, 1995-2012.
- :func:`festival_regressor`, :func:`festival_table` — the Spring Festival (春节)
  regressor and its dates.
- :func:`for_display`, :func:`compare` (:mod:`.display`) — the printed precision of
  the results' tables, and several results side by side.

Inside: :mod:`.models` holds one small wrapper per model family and the registry
of candidate names; :mod:`.engine` the steps :func:`forecast` runs (choose,
backtest, fit, score, pick or fall back, combine, guard, table); :mod:`.core` the
entry points and :class:`ForecastResult`.
"""

from __future__ import annotations

from .calendar import festival_regressor, festival_table, spring_festival_dates
from .core import (
    CANDIDATE_NAMES,
    DEFAULT_METHOD,
    DEFAULT_METHOD_ANNUAL,
    DEFAULT_METHOD_LOWFREQ,
    DEFAULT_METHOD_VERSION,
    MAX_HORIZON,
    ForecastResult,
    backtest,
    default_candidates,
    default_method,
    forecast,
)
from .display import MONEY_SIGNIFICANT, compare, for_display, format_significant, round_significant
from .many import ManyForecast, forecast_many
from .nowcast import NOWCAST_CANDIDATES, NowcastResult, nowcast_year, sum_nowcasts
from .outlook import Outlook, nowcast_by_direction
from .track import TRACK_CANDIDATES, TrackRecord, track_record

__all__ = [
    "forecast",
    "compare",
    "ForecastResult",
    "backtest",
    "default_candidates",
    "CANDIDATE_NAMES",
    "DEFAULT_METHOD",
    "DEFAULT_METHOD_LOWFREQ",
    "DEFAULT_METHOD_ANNUAL",
    "DEFAULT_METHOD_VERSION",
    "MAX_HORIZON",
    "default_method",
    "nowcast_year",
    "sum_nowcasts",
    "NowcastResult",
    "nowcast_by_direction",
    "Outlook",
    "forecast_many",
    "ManyForecast",
    "NOWCAST_CANDIDATES",
    "track_record",
    "TrackRecord",
    "TRACK_CANDIDATES",
    "festival_regressor",
    "festival_table",
    "spring_festival_dates",
    "for_display",
    "round_significant",
    "format_significant",
    "MONEY_SIGNIFICANT",
]
