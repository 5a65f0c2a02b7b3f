"""Shared look of the package's charts, with the bundled CJK font (中文字体).

Every chart draws its Chinese labels with **CIQ Sans SC**, a subset of Noto Sans
CJK SC (SIL Open Font License 1.1) shipped inside the package
(``ciqanalysis/fonts/``). It is registered with matplotlib's font manager by file
path, so charts are bilingual and byte-identical on every machine: a system CJK
font, its absence, or a font cache built before a font was installed change nothing.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from matplotlib import font_manager
from matplotlib.figure import Figure

from ..provenance import SYNTHETIC_CAPTION

__all__ = ["CJK_FONT_FILE", "CJK_FAMILY", "cjk_font", "font_family", "has_cjk_font", "label",
           "unit_text", "mark_synthetic", "SYNTHETIC_CAPTION"]

#: The bundled font file (GB 2312 hanzi, Latin, punctuation, full-width forms).
CJK_FONT_FILE = Path(__file__).resolve().parents[1] / "fonts" / "CIQSansSC-Regular.otf"
#: Its family name; distinct from any system font, so findfont can only pick this file.
CJK_FAMILY = "CIQ Sans SC"



@lru_cache(maxsize=1)
def cjk_font() -> str:
    """Register the bundled CJK font with matplotlib (once) and return its family name.

    Returns
    -------
    str
        ``"CIQ Sans SC"``.

    Examples
    --------
    >>> cjk_font()
    'CIQ Sans SC'
    >>> from matplotlib import font_manager
    >>> Path(font_manager.findfont(cjk_font())).name
    'CIQSansSC-Regular.otf'
    """
    known = {Path(f.fname).resolve() for f in font_manager.fontManager.ttflist}
    if CJK_FONT_FILE not in known:
        font_manager.fontManager.addfont(str(CJK_FONT_FILE))
    return CJK_FAMILY


def font_family() -> list[str]:
    """Return the font family list charts pass as ``fontfamily`` (CJK font first).

    Examples
    --------
    >>> font_family()
    ['CIQ Sans SC', 'DejaVu Sans']
    """
    return [cjk_font(), "DejaVu Sans"]


def has_cjk_font() -> bool:
    """Return True: the bundled font always draws Chinese (kept for older callers)."""
    return cjk_font() is not None


def label(en: str, zh: str | None = None) -> str:
    """Return a bilingual label (English line, then Chinese line).

    Examples
    --------
    >>> label("Fusong County", None)
    'Fusong County'
    >>> label("month", "月份").splitlines()
    ['month', '月份']
    """
    if zh:
        return f"{en}\n{zh}"
    return en


def unit_text(unit: str) -> str:
    """Return a money unit as it is drawn (the bundled font draws Chinese units).

    Examples
    --------
    >>> unit_text("亿美元")
    '亿美元'
    >>> unit_text("USD")
    'USD'
    """
    return unit


def mark_synthetic(fig: Figure, synthetic: bool = True) -> Figure:
    """Put :data:`SYNTHETIC_CAPTION` at the top of a figure (above the axes' titles).

    It is placed as the figure's super-title so that constrained layout keeps it
    clear of tick labels and legends.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = plt.figure(layout="constrained")
    >>> _ = fig.add_subplot()
    >>> mark_synthetic(fig).get_suptitle() == SYNTHETIC_CAPTION
    True
    >>> plt.close(fig)
    """
    if synthetic:
        fig.suptitle(SYNTHETIC_CAPTION, color="firebrick", fontsize=9,
                     fontfamily=font_family())
    return fig
