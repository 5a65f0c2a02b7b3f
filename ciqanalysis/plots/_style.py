"""Shared look of the package's charts, with a CJK font fallback (中文字体).

Chinese labels are drawn only when a CJK font is installed; otherwise the charts
fall back to English labels, so they stay clean (no empty boxes, no glyph warnings).
"""

from __future__ import annotations

from functools import lru_cache

from matplotlib import font_manager
from matplotlib.figure import Figure

__all__ = ["cjk_font", "has_cjk_font", "label", "unit_text", "mark_synthetic", "SYNTHETIC_NOTE"]

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


_UNIT_EN = {"亿美元": "100 million USD", "万美元": "10,000 USD"}


def unit_text(unit: str) -> str:
    """Return a money unit as it can be drawn: Chinese only when a CJK font exists.

    Examples
    --------
    >>> unit_text("亿美元") in {"亿美元", "100 million USD"}
    True
    >>> unit_text("USD")
    'USD'
    """
    if unit in _UNIT_EN and not has_cjk_font():
        return _UNIT_EN[unit]
    return unit


def mark_synthetic(fig: Figure, synthetic: bool = True) -> Figure:
    """Put :data:`SYNTHETIC_NOTE` at the top of a figure (above the axes' titles).

    It is placed as the figure's super-title so that constrained layout keeps it
    clear of tick labels and legends.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = plt.figure(layout="constrained")
    >>> _ = fig.add_subplot()
    >>> mark_synthetic(fig).get_suptitle() == SYNTHETIC_NOTE
    True
    >>> plt.close(fig)
    """
    if synthetic:
        fig.suptitle(SYNTHETIC_NOTE, color="firebrick", fontsize=9, fontweight="bold")
    return fig
