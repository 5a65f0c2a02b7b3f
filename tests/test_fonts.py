"""The bundled CJK font: every chart draws Chinese with it, on any machine (字体)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from ciqanalysis.plots import _style

HELPER = Path(__file__).with_name("chart_bytes.py")


def _digests(tmp_path: Path, name: str, fake_system_font: bool) -> str:
    cfg = tmp_path / f"mpl-{name}"
    cfg.mkdir()
    env = {**os.environ, "MPLCONFIGDIR": str(cfg), "MPLBACKEND": "Agg",
           "XDG_DATA_HOME": str(tmp_path / f"xdg-{name}")}
    if fake_system_font:
        # a user font named like the usual system CJK font: the old code would pick it
        fonts = tmp_path / f"xdg-{name}" / "fonts"
        fonts.mkdir(parents=True)
        font = TTFont(str(_style.CJK_FONT_FILE))
        for rec in font["name"].names:
            if rec.nameID in (1, 4, 16):
                rec.string = "Noto Sans CJK SC"
        font.save(str(fonts / "NotoSansCJKsc-Regular.otf"))
    out = subprocess.run([sys.executable, "-W", "error::UserWarning", str(HELPER)], env=env,
                         capture_output=True, text=True, timeout=240)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stderr == "", out.stderr[-2000:]  # no glyph (or any other) warnings
    return out.stdout


def test_the_bundled_font_covers_the_package_and_gb2312():
    cmap = TTFont(str(_style.CJK_FONT_FILE)).getBestCmap()
    for text in ("检验检疫出入境货物 月度", "亿美元 万美元 同比 环比 累计 当月", "吉林 珲春 延边 抚松"):
        assert all(ord(ch) in cmap for ch in text.replace(" ", "")), text
    assert len([c for c in cmap if 0x4E00 <= c <= 0x9FFF]) >= 6700
    assert TTFont(str(_style.CJK_FONT_FILE))["name"].getDebugName(1) == _style.CJK_FAMILY
    assert (_style.CJK_FONT_FILE.parent / "OFL.txt").is_file()


def test_the_bundled_font_draws_every_character_of_the_memo():
    # the font is a subset: a new memo sentence must not bring a character it lacks
    # (the PDF would show an empty box)
    cmap = TTFont(str(_style.CJK_FONT_FILE)).getBestCmap()
    strings = Path(_style.__file__).parents[1] / "templates" / "memo_strings.toml"
    text = strings.read_text(encoding="utf-8")
    missing = sorted({ch for ch in text if ord(ch) > 0x2E7F and ord(ch) not in cmap})
    assert not missing, missing


def test_findfont_picks_the_bundled_file():
    from matplotlib import font_manager

    assert Path(font_manager.findfont(_style.cjk_font(), fallback_to_default=False)) == \
        _style.CJK_FONT_FILE


@pytest.mark.slow
def test_charts_and_memos_are_byte_identical_with_fresh_caches_and_a_system_cjk_font(tmp_path):
    plain = _digests(tmp_path, "plain", fake_system_font=False)
    with_font = _digests(tmp_path, "font", fake_system_font=True)
    assert len(plain.splitlines()) == 4 + 4  # four charts; the Chinese memo as html/pdf/docx + json
    assert plain == with_font
