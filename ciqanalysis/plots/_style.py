"""Shared look of the package's charts, with a CJK font fallback (中文字体).

Chinese labels are drawn only when a CJK font is installed; otherwise the charts
fall back to English labels, so they stay clean (no empty boxes, no glyph warnings).
"""

from __future__ import annotations

from functools import lru_cache

from matplotlib import font_manager

__all__ = ["cjk_font", "has_cjk_font", "label", "SYNTHETIC_NOTE"]

_CANDIDATES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC", "AR PL UMing CN",
    "Droid Sans Fallback",
)

#: The label every chart of synthetic data carries.
SYNTHETIC_NOTE = "SYNTHETIC data (seeded generator), not official statistics"


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """Return the name of an installed CJK font, or None when there is none."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in _CANDIDATES:
        if name in installed:
            return name
    return None


def has_cjk_font() -> bool:
    """Return True when Chinese glyphs can be drawn."""
    return cjk_font() is not None


def label(en: str, zh: str | None = None) -> str:
    """Return a bilingual label when a CJK font exists, else the English one.

    Examples
    --------
    >>> label("Fusong County", None)
    'Fusong County'
    """
    if zh and has_cjk_font():
        return f"{en}\n{zh}"
    return en
