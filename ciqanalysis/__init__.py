"""ciqanalysis: the trade that China's inspection and quarantine bureaus (CIQ) inspect.

Growth trends (同比, 累计, 拉动, 比重), forecasts of next year's volumes, and county
coverage of export demonstration zones (县域全覆盖), starting from Jilin around 2010.

The top level is a short, reviewed list of the functions an economist uses most
(``_API`` below, name -> topic namespace) plus the topic namespaces themselves;
everything else lives in its namespace (``cq.panel.to_wide``, ``cq.forecast.forecast``,
``cq.coverage.zone_logit`` ...). Names are imported on first use, never searched for.
Typical use::

    import ciqanalysis as cq
    decl = cq.load("declarations")          # synthetic Jilin CIQ sample, labelled
    cq.ytd_growth(...)

Topic namespaces: ``data`` (tables and declarations 数据; with ``cq.data.dataset``,
Parquet datasets, ``cq.data.plausibility``, plausibility flags 合理性检查, and
``cq.data.schema``, the column contract of every table), ``sample``, ``panel``,
``metrics``, ``forecast``, ``coverage``, ``plots``, ``report``, ``narrative`` (sentences
computed from the data), ``published``, ``seasonal`` (seasonal adjustment 季节调整),
``monthly_bulletin`` (monthly bulletin 月度快报), ``reference`` (stored reference tables
参考表), ``labels``, ``codes``, ``units``, ``errors``, ``paths``, ``config`` (defaults and
as-of rules 默认值), ``provenance`` (real or synthetic, and the source 数据来源).
"""

import importlib as _importlib

__version__ = "0.1.0"

#: Topic namespaces (subpackages and modules), reachable as ``cq.<name>``.
_NAMESPACES: tuple[str, ...] = (
    "data", "sample", "panel", "metrics", "forecast", "coverage", "plots", "report",
    "narrative", "published", "seasonal", "monthly_bulletin", "reference", "labels",
    "codes", "units", "errors", "paths", "config", "provenance",
)

#: The reviewed top-level functions and classes: name -> the namespace that holds it.
_API: dict[str, str] = {
    # data (数据)
    "load": "data",
    "load_declarations": "data",
    "read_declarations": "data",
    "is_synthetic": "data",
    # growth and composition (同比, 累计, 拉动, 比重)
    "yoy_growth": "metrics",
    "mom_growth": "metrics",
    "ytd": "metrics",
    "ytd_growth": "metrics",
    "cagr": "metrics",
    "contribution_pp": "metrics",
    "share": "metrics",
    # structure (结构)
    "hhi": "metrics",
    "top_n_share": "metrics",
    "rca": "metrics",
    # growth-trend tables (趋势表)
    "headline_table": "metrics",
    "ytd_headline": "metrics",
    "growth_table": "metrics",
    "ytd_table": "metrics",
    "same_days_by_year": "metrics",
    "monthly_by_direction": "metrics",
    "source_label": "metrics",
    "last_complete_month": "metrics",
    # forecasts (预测)
    "nowcast_year": "forecast",
    "track_record": "forecast",
    "for_display": "forecast",
    # bulletin and seasonal adjustment (月度快报, 季节调整)
    "bulletin": "monthly_bulletin",
    "bulletin_zh": "monthly_bulletin",
    "seasonally_adjust": "seasonal",
    # coverage (县域全覆盖)
    "county_universe": "coverage",
    "coverage_rate": "coverage",
    # units, checks and errors
    "from_usd": "units",
    "format_money": "units",
    "check_reference": "reference",
    "CIQError": "errors",
    "ParameterError": "errors",
    "AsOfDateError": "errors",
    "DataQualityWarning": "errors",
}

__all__ = [*_NAMESPACES, *_API]


def __getattr__(name: str):
    """Import a namespace or a listed name on first use (keeps ``import ciqanalysis`` light)."""
    if name in _NAMESPACES:
        return _importlib.import_module(f".{name}", __name__)
    if name in _API:
        value = getattr(_importlib.import_module(f".{_API[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(
        f"module 'ciqanalysis' has no attribute {name!r}; the top level lists only the "
        f"most used names -- look in a topic namespace: "
        + ", ".join(f"cq.{ns}" for ns in _NAMESPACES)
    )


def __dir__() -> list[str]:
    return sorted([*__all__, "__version__"])
