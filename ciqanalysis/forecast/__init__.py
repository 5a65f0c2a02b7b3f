"""Forecasts of inspected trade (预测): one series, a partial year, many series.

- :func:`forecast` — one PeriodIndex series: the default method (damped ETS,
  Theta and airline SARIMA from statsmodels, equal-weight combination), or
  candidates chosen by rolling-origin backtest; intervals and flags.
- :func:`nowcast_year` — the full current year (全年) and next year from data
  through a day, with simulated annual intervals.
- :func:`forecast_many` — every product group × county (or any keys) in one call.
- :func:`track_record` — how the method did on China Customs data, 1995-2012.
- :func:`festival_regressor` — the Spring Festival (春节) regressor.

Inside: :mod:`.models` holds one small wrapper per model family and the registry
of candidate names; :mod:`.engine` the steps :func:`forecast` runs (choose,
backtest, fit, score, pick or fall back, combine, guard, table); :mod:`.core` the
entry points and :class:`ForecastResult`.
"""

from __future__ import annotations

from .calendar import festival_regressor, spring_festival_dates
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
from .many import ManyForecast, forecast_many
from .nowcast import NOWCAST_CANDIDATES, NowcastResult, nowcast_year, sum_nowcasts
from .tables import (
    MONEY_SIGNIFICANT,
    compare,
    festival_effects,
    festival_table,
    for_display,
    format_significant,
    model_table,
    nowcast_by_direction,
    nowcast_forecast,
    outlook_table,
    outturn_check,
    partial_month_table,
    round_significant,
    track_record_summary,
    track_record_years,
)
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
    "forecast_many",
    "ManyForecast",
    "NOWCAST_CANDIDATES",
    "track_record",
    "TrackRecord",
    "TRACK_CANDIDATES",
    "festival_regressor",
    "spring_festival_dates",
    "nowcast_by_direction",
    "outlook_table",
    "partial_month_table",
    "nowcast_forecast",
    "model_table",
    "festival_table",
    "festival_effects",
    "track_record_summary",
    "track_record_years",
    "outturn_check",
    "for_display",
    "round_significant",
    "format_significant",
    "MONEY_SIGNIFICANT",
]
