"""Make ``ciqanalysis/fonts/CIQSansSC-Regular.otf``: a subset of Noto Sans CJK SC.

Noto Sans CJK SC (思源黑体 family, SIL Open Font License 1.1) is cut down to the
characters a Chinese statistical memo needs: ASCII and Latin-1, general and CJK
punctuation, full-width forms and every character of GB 2312 (the 6,763 common
simplified hanzi). The family is renamed (the OFL asks modified fonts not to pass
as the original, and a distinct name keeps an installed system Noto font from
being picked instead), and the time stamps are the source's, so the same input
gives the same bytes.

Usage::

    python tools/make_cjk_font.py NotoSansCJK-Regular.ttc   # or NotoSansCJKsc-Regular.otf

The source is the Noto CJK release (e.g. ``NotoSansCJK-Regular.ttc``, face "Noto
Sans CJK SC"), version 2.004.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

OUT = Path(__file__).resolve().parents[1] / "ciqanalysis" / "fonts" / "CIQSansSC-Regular.otf"
FAMILY = "CIQ Sans SC"


def gb2312_characters() -> set[int]:
    """Return every character of GB 2312 (rows 0xA1-0xF7, cells 0xA1-0xFE)."""
    chars: set[int] = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([hi, lo]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return chars


def wanted() -> set[int]:
    """Return the code points kept in the subset."""
    keep = set(range(0x20, 0x7F)) | set(range(0xA0, 0x180))
    keep |= set(range(0x2000, 0x2070)) | set(range(0x2100, 0x2200))  # punctuation, letterlike
    keep |= set(range(0x2200, 0x2300)) | set(range(0x3000, 0x3040))  # maths, CJK punctuation
    keep |= set(range(0xFF00, 0xFFF0))  # full-width forms
    return keep | gb2312_characters()


def load_sc(path: Path) -> TTFont:
    """Open the Simplified Chinese face of an OTF or a TTC file."""
    if path.suffix.lower() == ".ttc":
        for font in TTCollection(str(path)).fonts:
            if font["name"].getDebugName(4) == "Noto Sans CJK SC":
                return font
        raise SystemExit(f"{path}: no 'Noto Sans CJK SC' face")
    return TTFont(str(path))


def main(source: str) -> Path:
    """Subset, rename and write the font; return its path."""
    font = load_sc(Path(source))
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    sub = subset.Subsetter(options)
    sub.populate(unicodes=wanted())
    sub.subset(font)
    names = font["name"]
    for rec in list(names.names):
        if rec.nameID in (1, 16):
            rec.string = FAMILY
        elif rec.nameID == 3:
            rec.string = f"{FAMILY} Regular; subset of Noto Sans CJK SC 2.004"
        elif rec.nameID == 4:
            rec.string = f"{FAMILY} Regular"
        elif rec.nameID == 6:
            rec.string = "CIQSansSC-Regular"
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = ["CIQSansSC-Regular"]
        top = cff.topDictIndex[0]
        top.FullName, top.FamilyName = f"{FAMILY} Regular", FAMILY
    font.recalcTimestamp = False
    OUT.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(OUT))
    return OUT


if __name__ == "__main__":
    print(main(sys.argv[1]))
