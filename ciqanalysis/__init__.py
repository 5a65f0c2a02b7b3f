"""ciqanalysis: the trade that China's inspection and quarantine bureaus (CIQ) inspect.

Growth trends (同比, 累计, 拉动, 比重), forecasts of next year's volumes, and county
coverage of export demonstration zones (县域全覆盖), starting from Jilin around 2010.

The public API is what this module exports. Typical use::

    import ciqanalysis as cq
    decl = cq.load("declarations")          # synthetic Jilin CIQ sample, labelled
    cq.ytd_growth(...)

Submodules: ``errors``, ``units``, ``paths``, ``data``, ``sample``, ``panel``,
``metrics``, ``forecast``, ``coverage``, ``plots``, ``report``, ``reference``
(stored reference tables 参考表), ``monthly_bulletin`` (monthly bulletin 月度快报),
``seasonal`` (seasonal adjustment 季节调整), ``narrative`` (sentences computed from
the data), ``plausibility`` (plausibility flags 合理性检查).
"""

from __future__ import annotations

from . import errors as errors
from . import paths as paths
from . import units as units
from .errors import *  # noqa: F403
from .units import *  # noqa: F403

__version__ = "0.1.0"

_LAZY = (
    "data", "labels", "codes", "sample", "panel", "metrics", "published", "forecast",
    "monthly_bulletin", "seasonal", "coverage", "plots", "report", "reference",
    "narrative", "plausibility",
)


def __getattr__(name: str):
    """Import submodules and their public names on first use (keeps import light)."""
    import importlib

    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    for mod in _LAZY:
        module = importlib.import_module(f".{mod}", __name__)
        if name in getattr(module, "__all__", ()):
            return getattr(module, name)
    raise AttributeError(f"module 'ciqanalysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    import importlib

    names = set(globals()) | set(_LAZY)
    for mod in _LAZY:
        names |= set(getattr(importlib.import_module(f".{mod}", __name__), "__all__", ()))
    return sorted(names)
