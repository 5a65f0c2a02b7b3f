"""Charts (图表): one function per chart, each returns a matplotlib Figure.

Topic modules: ``growth`` (trends, contributions, structure), ``fan`` (forecast fan
charts), ``maps`` (county choropleths). ``_style`` holds the shared look and the CJK
font fallback.
"""

from __future__ import annotations

import importlib

__all__: list[str] = []

for _mod in ("growth", "fan", "maps"):
    try:
        _m = importlib.import_module(f".{_mod}", __name__)
    except ModuleNotFoundError as _exc:  # a topic module not written yet
        if _exc.name != f"{__name__}.{_mod}":
            raise
        continue
    for _name in getattr(_m, "__all__", ()):
        globals()[_name] = getattr(_m, _name)
        __all__.append(_name)
