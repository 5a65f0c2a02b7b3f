"""The memo's content in one language (备忘录内容): sections of text and tables.

:func:`memo_document` turns :class:`~ciqanalysis.report.memo.MemoNumbers` into a
plain structure (title, banner, sections with paragraphs and tables) in Chinese or
English, with the words taken from ``templates/memo_strings.toml``. The HTML, PDF
and Word writers (:mod:`ciqanalysis.report.formats`) all render this structure, so
the three formats say the same thing. :func:`memo_numbers_json` is the memo's
numbers as JSON, stored beside each memo so the next one can show revisions.
"""

from __future__ import annotations

import math
import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ParameterError
from ..provenance import SYNTHETIC_TAG
from ..units import from_usd

__all__ = ["decimals_for", "fmt_interval_number", "memo_document", "memo_numbers_json",
           "strings"]

_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
_DIRS = ("export", "import", "total")


@lru_cache(maxsize=1)
def _all_strings() -> dict[str, dict[str, Any]]:
    return tomllib.loads((_TEMPLATES / "memo_strings.toml").read_text(encoding="utf-8"))


def strings(lang: str) -> dict[str, Any]:
    """Return the memo's words in one language (``"zh"`` or ``"en"``).

    Examples
    --------
    >>> strings("zh")["h_risk"]
    '三、风险与情景分析'
    """
    table = _all_strings()
    if lang not in table:
        raise ParameterError(f"unknown memo language {lang!r}; expected one of {sorted(table)}")
    return table[lang]


def decimals_for(lower: float, upper: float, *, max_decimals: int = 2) -> int:
    """Return how many decimals a number with this interval supports (有效位数).

    The rounding step is the largest power of ten not above a tenth of the
    interval's width: an interval 40.3–71.3 supports whole numbers, 50.8–52.6 one
    decimal.

    Examples
    --------
    >>> decimals_for(40.32, 71.33), decimals_for(50.84, 52.57), decimals_for(1.0, 1.0)
    (0, 1, 2)
    """
    width = abs(float(upper) - float(lower))
    if not math.isfinite(width) or width <= 0:
        return max_decimals
    step = math.floor(math.log10(width / 10))
    return int(min(max_decimals, max(0, -step)))


def fmt_interval_number(x: float, decimals: int, *, sign: bool = False) -> str:
    """Format a number with ``decimals`` decimals (thousands separators; n/a if not finite).

    Examples
    --------
    >>> fmt_interval_number(54.94, 0), fmt_interval_number(3.14159, 1, sign=True)
    ('55', '+3.1')
    """
    if x is None or not np.isfinite(x):
        return "n/a"
    text = f"{x:+,.{decimals}f}" if sign else f"{x:,.{decimals}f}"
    return "0" if text in {"-0", "+0"} and decimals == 0 else text


def additive_round(parts: dict[str, float], total: float, decimals: int) -> dict[str, str]:
    """Round parts and their total so that the printed parts add up to the printed total.

    The total is rounded as usual. When the parts, rounded as usual, do not add up
    to it (22.75 + 30.52 = 53.27 prints as 23 + 31 against 53), the parts are rounded
    by the largest remainder instead: each is rounded down, and those with the largest
    remainders are rounded up until they add up to the total (23 + 30 = 53). Every
    printed part then lies within one unit of its last digit of its own value
    (分项之和等于合计).

    Parameters
    ----------
    parts : dict of str to float
        The parts (e.g. exports and imports), whose sum is ``total``.
    total : float
    decimals : int
        Decimals of every printed number.

    Returns
    -------
    dict of str to str
        The printed parts and, under ``"total"``, the printed total
        (:func:`fmt_interval_number`).

    Examples
    --------
    >>> additive_round({"export": 22.75, "import": 30.52}, 53.27, 0)
    {'export': '23', 'import': '30', 'total': '53'}
    >>> additive_round({"export": 22.48, "import": 29.47}, 51.95, 1)
    {'export': '22.5', 'import': '29.5', 'total': '52.0'}
    """
    out = {k: fmt_interval_number(v, decimals) for k, v in parts.items()}
    out["total"] = fmt_interval_number(total, decimals)
    values = [float(v) for v in parts.values()]
    if not parts or not all(np.isfinite(values + [float(total)])):
        return out
    scale = 10 ** decimals

    def units(text: str) -> int:
        return round(float(text.replace(",", "")) * scale)

    target = units(out["total"])
    if sum(units(out[k]) for k in parts) == target:
        return out
    raw = [v * scale for v in values]
    floors = [math.floor(r + 1e-9) for r in raw]
    short = target - sum(floors)
    if not 0 <= short <= len(floors):  # the parts do not add up to the total at all
        return out
    order = sorted(range(len(raw)), key=lambda i: floors[i] - raw[i])[:short]
    for i, key in enumerate(parts):
        out[key] = fmt_interval_number((floors[i] + (i in order)) / scale, decimals)
    return out


def _yi(x: float) -> float:
    return float(from_usd(x, "亿美元"))


def _growth(a: float, b: float) -> float:
    return a / b * 100 - 100 if b and np.isfinite(b) else float("nan")


def held_directions(m) -> tuple[str, ...]:
    """Return the directions the memo reports: those the data hold, and the total.

    A file of exports only (or imports only) has no forecast of the other flow to
    show; its rows would be zeros.

    Examples
    --------
    With ``memo = compute_memo(quick=True)`` (the synthetic sample):

    >>> held_directions(memo)
    ('export', 'import', 'total')
    """
    return tuple(d for d in _DIRS if d == "total" or bool(m.monthly[d].any()))


#: Money the memo prints, by key: (year offset, column of the outlook at the wider or
#: the narrower level); ``ytd`` is the year to date.
_MONEY = {"now": (0, "mean"), "now_lo": (0, "lower_hi"), "now_hi": (0, "upper_hi"),
          "now_lo2": (0, "lower_lo"), "now_hi2": (0, "upper_lo"),
          "nxt": (1, "mean"), "nxt_lo": (1, "lower_hi"), "nxt_hi": (1, "upper_hi"),
          "nxt_lo2": (1, "lower_lo"), "nxt_hi2": (1, "upper_lo")}


def printed_outlook(m) -> dict[str, dict[str, str]]:
    """Return the money the memo prints (亿美元), by direction, exactly as printed.

    Every number of a column (this year, next year, year to date) has the same
    decimals: those the total's wider interval supports (:func:`decimals_for`;
    two for the year to date, which is observed). Exports and imports are rounded
    so that they add up to the total (:func:`additive_round`), points and interval
    bounds alike are then those of the table, the headline, the revisions and
    ``forecast-memo.json`` (``printed``).

    Examples
    --------
    With ``memo = compute_memo(quick=True)`` (the synthetic sample):

    >>> p = printed_outlook(memo)
    >>> sorted(p), p["total"]["ytd"]
    (['export', 'import', 'total'], '46.09')
    >>> all(float(p["export"][k]) + float(p["import"][k]) == float(p["total"][k])
    ...     for k in ("ytd", "now", "nxt"))
    True
    """
    lo, hi = sorted(m.levels)
    cols = {"mean": "mean", "lower_hi": f"lower_{hi}", "upper_hi": f"upper_{hi}",
            "lower_lo": f"lower_{lo}", "upper_lo": f"upper_{lo}"}
    value = {d: {k: _yi(m.outlook.loc[(d, m.year + off), cols[c]])
                 for k, (off, c) in _MONEY.items()} for d in _DIRS}
    for d in _DIRS:
        value[d]["ytd"] = _yi(m.ytd.loc[d, "value_usd"])
    decimals = {"ytd": 2,
                "now": decimals_for(value["total"]["now_lo"], value["total"]["now_hi"]),
                "nxt": decimals_for(value["total"]["nxt_lo"], value["total"]["nxt_hi"])}
    parts = [d for d in held_directions(m) if d != "total"]
    out: dict[str, dict[str, str]] = {d: {} for d in _DIRS}
    for key in ["ytd", *_MONEY]:
        dec = decimals[key[:3]]
        if key in ("ytd", "now", "nxt"):  # points: the parts add up to the total
            row = additive_round({d: value[d][key] for d in parts}, value["total"][key], dec)
            others = [d for d in _DIRS if d not in row]
            row.update({d: fmt_interval_number(value[d][key], dec) for d in others})
        else:
            row = {d: fmt_interval_number(value[d][key], dec) for d in _DIRS}
        for d in _DIRS:
            out[d][key] = row[d]
    return out


def memo_numbers_json(m) -> dict[str, Any]:
    """Return the memo's headline numbers as a JSON-ready dict (亿美元, percent).

    Stored as ``forecast-memo.json`` beside the memo; the next memo written into
    the same folder reads it for its revisions table.

    Examples
    --------
    With ``memo = compute_memo(quick=True)`` (the synthetic sample):

    >>> numbers = memo_numbers_json(memo)
    >>> numbers["as_of"], numbers["synthetic"], numbers["unit"]
    ('2010-11-20', True, '亿美元')
    >>> sorted(numbers["outlook"]), list(numbers["outlook"]["total"])
    (['export', 'import', 'total'], ['now', 'next'])
    >>> numbers["outlook"]["total"]["next"]["year"], numbers["outlook"]["total"]["next"]["level"]
    (2011, 95)
    >>> import json
    >>> json.loads(json.dumps(numbers)) == numbers
    True
    """
    hi = max(m.levels)
    held = held_directions(m)
    outlook: dict[str, Any] = {}
    for d in held:
        entry = {}
        for key, yr in (("now", m.year), ("next", m.year + 1)):
            row = m.outlook.loc[(d, yr)]
            entry[key] = {"year": yr, "mean": _yi(row["mean"]), "lower": _yi(row[f"lower_{hi}"]),
                          "upper": _yi(row[f"upper_{hi}"]), "level": hi}
        outlook[d] = entry
    return {
        "as_of": m.as_of.strftime("%Y-%m-%d"), "data_source": m.data_source,
        "synthetic": m.synthetic, "seed": m.seed, "version": m.version,
        "data_sha256": m.provenance.get("data_sha256"), "git_commit": m.provenance.get("git_commit"),
        "unit": "亿美元",
        "ytd": {d: {"value": _yi(m.ytd.loc[d, "value_usd"]),
                    "growth_pct": _finite(m.ytd.loc[d, "growth_pct"])} for d in held},
        "outlook": outlook,
        "printed": {d: v for d, v in printed_outlook(m).items() if d in held},
    }


def _finite(x: float) -> float | None:
    """Return ``x`` as a float, or None when unknown (strict JSON has no NaN)."""
    x = float(x)
    return x if math.isfinite(x) else None


def _fmt(template: str, **values: Any) -> str:
    return template.format(**values)


def memo_document(m, lang: str = "zh", previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the memo as sections of paragraphs and tables in one language.

    Parameters
    ----------
    m : MemoNumbers
        From :func:`~ciqanalysis.report.memo.compute_memo`.
    lang : {"zh", "en"}
        Chinese (written as a bureau writes) or English.
    previous : dict, optional
        The previous memo's :func:`memo_numbers_json` (revisions table).

    Returns
    -------
    dict
        ``lang``, ``html_lang``, ``title``, ``meta``, ``banner`` (text, synthetic
        flag), ``headline`` (list of sentences) and ``sections``: each a dict with
        ``heading``, ``blocks`` (``("p", text)``, ``("note", text)`` for a small-print
        note, ``("table", {"columns", "rows"})`` or ``("figure", "fan")``).

    Examples
    --------
    With ``memo = compute_memo(quick=True)`` (the synthetic sample):

    >>> doc = memo_document(memo, "zh")
    >>> doc["html_lang"], doc["sections"][0]["heading"]
    ('zh-CN', '一、基本情况与预测要点')
    >>> doc["synthetic"], doc["banner"].startswith("SYNTHETIC sample data 合成数据")
    (True, True)
    >>> len(doc["sections"]), doc["sections"][1]["blocks"][0][0]
    (7, 'figure')
    >>> memo_document(memo, "en")["sections"][0]["heading"]
    '1. Headline'
    """
    s = strings(lang)
    lo, hi = sorted(m.levels)
    y, y1 = m.year, m.year + 1
    day = (f"{m.as_of.month}月{m.as_of.day}日" if lang == "zh"
           else m.as_of.strftime("%d %b").lstrip("0"))
    period = _fmt(s["period"], day=day)
    ctx = {"year": y, "next": y1, "last_year": y - 1, "hi": hi, "lo": lo, "period": period,
           "as_of": m.as_of.strftime("%Y-%m-%d"),
           "levels": " / ".join(f"{v}%" for v in sorted(m.levels))}
    rows, lo_items, nums = [], [], {}
    whole_year = (m.as_of.month, m.as_of.day) == (12, 31)  # the year to date is the full year
    keep = [0, 1, 2, 6, 7, 8] if whole_year else list(range(9))  # no nowcast columns then
    held = held_directions(m)
    printed = printed_outlook(m)
    for d in _DIRS:
        now, nxt = m.outlook.loc[(d, y)], m.outlook.loc[(d, y1)]
        last = _yi(m.last_year.get(d, float("nan")))
        v = {k: _yi(now[c]) for k, c in (("now", "mean"), ("now_lo", f"lower_{hi}"),
                                          ("now_hi", f"upper_{hi}"))}
        v.update({k: _yi(nxt[c]) for k, c in (("nxt", "mean"), ("nxt_lo", f"lower_{hi}"),
                                               ("nxt_hi", f"upper_{hi}"))})
        g = {"growth": _growth(v["now"], last), "growth_lo": _growth(v["now_lo"], last),
             "growth_hi": _growth(v["now_hi"], last), "nxt_growth": _growth(v["nxt"], v["now"]),
             "nxt_growth_lo": _growth(v["nxt_lo"], v["now"]),
             "nxt_growth_hi": _growth(v["nxt_hi"], v["now"])}
        if d in m.next_growth.index:  # path by path: this year's uncertainty counted once
            g["nxt_growth_lo"] = float(m.next_growth.loc[d, f"lower_{hi}"])
            g["nxt_growth_hi"] = float(m.next_growth.loc[d, f"upper_{hi}"])
        dg = decimals_for(g["growth_lo"], g["growth_hi"], max_decimals=1)
        dgx = decimals_for(g["nxt_growth_lo"], g["nxt_growth_hi"], max_decimals=1)
        f = dict(printed[d])
        f.update({k: fmt_interval_number(g[k], dg, sign=True)
                  for k in ("growth", "growth_lo", "growth_hi")})
        f.update({k: fmt_interval_number(g[k], dgx, sign=True)
                  for k in ("nxt_growth", "nxt_growth_lo", "nxt_growth_hi")})
        for key, dec in (("growth", dg), ("nxt_growth", dgx)):
            f[f"{key}_word"] = s["increase"] if g[key] >= 0 else s["decrease"]
            f[f"{key}_abs"] = fmt_interval_number(abs(g[key]), dec)
        f["last"] = fmt_interval_number(last, 2)
        ytd_g = float(m.ytd.loc[d, "growth_pct"])
        f["ytd_growth"] = fmt_interval_number(abs(ytd_g), 1)
        f["ytd_growth_word"] = s["increase"] if ytd_g >= 0 else s["decrease"]
        f["ytd_growth_signed"] = fmt_interval_number(ytd_g, 1, sign=True)
        nums[d] = f
        if d not in held:
            continue  # a direction the file does not hold (exports or imports only)
        row = [s["directions"][d], f["ytd"], f["ytd_growth_signed"], f["now"],
               f"{f['now_lo']}–{f['now_hi']}", f["growth"], f["nxt"],
               f"{f['nxt_lo']}–{f['nxt_hi']}", f["nxt_growth"]]
        rows.append([row[i] for i in keep])
        lo_items.append(_fmt(s["lo_item_next" if whole_year else "lo_item"],
                             direction=s["directions"][d], **ctx, **f))
    t = nums["total"]
    total = m.ytd.loc["total", "growth_pct"], m.last_year.get("total", float("nan"))
    ytd_key, now_key = (k if np.isfinite(g) else f"{k}_no_base"  # no base: say so, no "n/a %"
                        for k, g in zip(("ytd", "nowcast"), total, strict=True))
    headline = [_fmt(s[ytd_key], **ctx, **t), _fmt(s[now_key], **ctx, **t),
                _fmt(s["forecast"], **ctx, **t)]
    if whole_year:  # no "likely to come to" with a zero-width band, in words or the table
        del headline[1]
    columns = [_fmt(s["table_cols"][i], **ctx) for i in keep]
    sections = [
        {"heading": s["h_headline"], "blocks": [
            ("p", "".join(headline) if lang == "zh" else " ".join(headline)),
            ("table", {"columns": columns, "rows": rows}),
            ("note", _fmt(s["lo_note"], lo=lo, items=s["items_sep"].join(lo_items))
             + s["after_label"] + s["rounding"])]},
        {"heading": s["h_fan"], "blocks": [("figure", "fan")]},
        {"heading": s["h_risk"], "blocks": _risk_blocks(m, s, ctx)},
        {"heading": s["h_revisions"], "blocks": _revision_blocks(m, s, ctx, previous)},
        {"heading": s["h_track"], "blocks": _track_blocks(m, s, lang)},
        {"heading": s["h_quality"], "blocks": _quality_blocks(m, s)},
        {"heading": s["h_sources"], "blocks": _source_blocks(m, s, lang)},
    ]
    for sec in sections:  # a number that cannot be computed, in the memo's language
        for kind, block in sec["blocks"]:
            if kind == "table":
                block["rows"] = [[s["na"] if c == "n/a" else c for c in r] for r in block["rows"]]
    banner = (_fmt(s["banner_synthetic"], seed=m.seed, tag=SYNTHETIC_TAG) if m.synthetic
              else _fmt(s["banner_real"], data=m.data_source))
    return {"lang": lang, "html_lang": s["html_lang"], "title": _fmt(s["title"], **ctx),
            "meta": _fmt(s["meta"], **ctx), "banner": banner, "synthetic": m.synthetic,
            "headline": headline, "sections": sections}


def _risk_blocks(m, s, ctx) -> list:
    info, sc = m.scenario_info, m.scenarios
    if sc.empty or not np.isfinite(info.get("elasticity", float("nan"))):
        return [("p", s["risk_missing"])]
    text = _fmt(s["risk_text"], **ctx, years=info["years"], beta=f"{info['elasticity']:.2f}",
                se=f"{info['elasticity_se']:.2f}", sd=f"{info['national_sd_pp']:.1f}",
                sd_years=info["sd_years"])
    rows = []
    for name, r in sc.iterrows():
        lo, hi = _yi(r["lower"]), _yi(r["upper"])
        d = decimals_for(lo, hi)
        now = _yi(m.outlook.loc[("total", m.year), "mean"])
        dg = decimals_for(_growth(lo, now), _growth(hi, now), max_decimals=1)
        rows.append([s["scenario_names"].get(name, name),
                     "0" if r["shift_pp"] == 0 else fmt_interval_number(r["shift_pp"], 1,
                                                                         sign=True),
                     fmt_interval_number(_yi(r["mean"]), d),
                     f"{fmt_interval_number(lo, d)}–{fmt_interval_number(hi, d)}",
                     fmt_interval_number(r["growth_pct"], dg, sign=True)])
    return [("p", text), ("table", {"columns": [_fmt(c, **ctx) for c in s["risk_cols"]],
                                    "rows": rows})]


def _revision_blocks(m, s, ctx, previous) -> list:
    """Return the previous memo's points against this memo's, as printed, and the revision.

    The previous numbers are rounded like this memo's (same decimals, parts adding up
    to the total), so that every revision is the difference of the two printed
    numbers beside it, and the parts' revisions add up to the total's.
    """
    if not previous:
        return [("p", s["revisions_none"])]
    now = memo_numbers_json(m)
    printed = now["printed"]
    held = list(now["outlook"])
    parts = [d for d in held if d != "total"]
    old_printed: dict[str, dict[str, str]] = {d: {} for d in held}
    for key, short in (("now", "now"), ("next", "nxt")):
        new_text = printed["total"][short]
        dec = len(new_text.split(".")[1]) if "." in new_text else 0
        old = {d: (previous.get("outlook", {}).get(d, {}).get(key) or {}).get("mean")
               for d in held}
        old = {d: float("nan") if v is None else float(v) for d, v in old.items()}
        row = additive_round({d: old[d] for d in parts}, old["total"], dec)
        for d in held:
            old_printed[d][key] = row.get(d, fmt_interval_number(old[d], dec))
            old_printed[d][f"{key}_dec"] = dec
    rows = []
    for d in held:
        for key, short in (("now", "now"), ("next", "nxt")):
            old = previous.get("outlook", {}).get(d, {}).get(key)
            new = now["outlook"][d][key]
            if not old:
                continue
            label = _fmt(s["rev_items"][key], year=new["year"], next=new["year"])
            if old.get("year") != new["year"]:
                label += f" ({old.get('year')}→{new['year']})"
            dec = old_printed[d][f"{key}_dec"]
            before, after = old_printed[d][key], printed[d][short]
            change = (float(after.replace(",", "")) - float(before.replace(",", ""))
                      if "n/a" not in (before, after) else float("nan"))
            rows.append([f"{s['directions'][d]} · {label}", before, after,
                         fmt_interval_number(round(change, dec) + 0.0, dec, sign=True)])
    text = _fmt(s["revisions_text"], prev_as_of=previous.get("as_of", "?"),
                prev_version=f"ciqanalysis {previous.get('version', '?')}, "
                             f"{str(previous.get('git_commit', 'unknown'))[:12]}")
    return [("p", text), ("table", {"columns": s["revisions_cols"], "rows": rows})]


def _label_zh(text: str, labels: dict[str, str]) -> str:
    for en, zh in sorted(labels.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(en, zh)
    return text


def _track_blocks(m, s, lang) -> list:
    info = m.track_info
    track = m.track
    labels = s["track_labels"]
    columns = [_label_zh(str(track.index.name or ""), labels)] + [
        _label_zh(str(c), labels) for c in track.columns]
    rows = [[_label_zh(str(i), labels)] + [_cell(v, s["na"]) for v in row]
            for i, row in zip(track.index, track.to_numpy(), strict=True)]
    through = "10月" if lang == "zh" else info.get("through", "October")
    # English: the memo's own method text (MemoNumbers.method, also in its summary);
    # Chinese: its translation in memo_strings.toml
    from ..forecast.nowcast import SKEW_RATIO

    method = (m.method if lang == "en" else _fmt(s["method"], ratio=f"{SKEW_RATIO:g}")
              + (s["method_quick"] if info.get("quick") else ""))
    years = {k: info.get(k, "?") for k in ("first_year", "last_year", "n_years")}
    reading = track_reading(m, s)
    return [("p", _fmt(s["track_text"], through=through, **years)),
            ("table", {"columns": columns, "rows": rows}), ("note", s["benchmarks"]),
            *([("p", reading)] if reading else []), ("p", method)]


def track_reading(m, s: dict[str, Any]) -> str:
    """Read the track record's next-year columns in words (历史表现解读), from the table.

    The errors of the method and of the benchmarks, and in how many of the years
    each interval held the outcome, with a verdict: close to the nominal level, or
    below it (then the next-year intervals are too narrow rather than too wide).
    Empty when the table lacks those columns.

    Examples
    --------
    With ``memo = compute_memo(quick=True)`` (the synthetic sample):

    >>> track_reading(memo, strings("en")).startswith("Over these 7 years")
    True
    """
    t, n = m.track, int(m.track_info.get("n", 0))
    lo, hi = sorted(m.levels)
    cols = {d: f"{d}s, next year Y+1" for d in ("export", "import")}
    rows = ["method MAPE %", "benchmark: same as this year, MAPE %",
            "benchmark: this year's YTD growth, MAPE %",
            f"{lo} % interval coverage %", f"{hi} % interval coverage %"]
    if not n or not set(cols.values()) <= set(t.columns) or not set(rows) <= set(t.index):
        return ""
    t = t.loc[rows, list(cols.values())].astype("float64")
    bench = t.iloc[1:3].to_numpy().ravel()
    bench = bench[np.isfinite(bench)]
    held = {level: [round(v * n / 100) for v in t.loc[f"{level} % interval coverage %"]]
            for level in (lo, hi)}
    below = any(t.loc[f"{level} % interval coverage %"].mean() < level - 5 for level in (lo, hi))
    return _fmt(s["track_reading"], n=n, lo=lo, hi=hi,
                mape_e=f"{t.iloc[0, 0]:.1f}", mape_i=f"{t.iloc[0, 1]:.1f}",
                bench_lo=f"{bench.min():.1f}" if len(bench) else "?",
                bench_hi=f"{bench.max():.1f}" if len(bench) else "?",
                hi_e=held[hi][0], hi_i=held[hi][1], lo_e=held[lo][0], lo_i=held[lo][1],
                verdict=s["track_below" if below else "track_near"])


def _cell(v: Any, na: str = "n/a") -> str:
    if isinstance(v, (float, np.floating)):
        return na if not np.isfinite(v) else f"{v:.1f}"
    return str(v)


def _quality_blocks(m, s) -> list:
    blocks: list = []
    q = m.quality
    if q is None or q.empty:
        blocks.append(("p", s["quality_none"]))
    else:
        blocks.append(("p", _fmt(s["quality_text"], n=int(q["rows"].sum()))))
        blocks.append(("table", {"columns": s["quality_cols"],
                                 "rows": [[str(r.issue), f"{int(r.rows):,}", str(r.columns),
                                           str(r.action)] for r in q.itertuples()]}))
    flags = [_flag_text(f, s) for f in (m.track_info.get("flags") or [])]
    if flags:
        blocks.append(("note", s["forecast_flags"] + s["after_label"] + s["items_sep"].join(flags)))
    return blocks


_PARTIAL = re.compile(r"^(export|import|total): partial month (\d{4}-\d{2}): share done ([\d.]+)"
                      r"(?: \((?:(given)|calendar days (\d+/\d+)[^)]*|[^)]*)\))?")

#: Kinds of forecast notes the memo words in its own language (``flags`` in
#: memo_strings.toml), each with the pattern that reads its placeholders.
FLAG_PATTERNS: dict[str, re.Pattern] = {
    "empty_months": re.compile(r"empty_months: (?P<n>\d+) month\(s\) without any declaration "
                               r"\((?P<months>[^)]*)\)"),
    "skewed_paths": re.compile(r"skewed_paths: (?P<year>\d{4}): the mean of the simulated totals is "
                               r"(?P<ratio>[\d.]+) x their median \((?P<mean>\S+) against "
                               r"(?P<median>\S+)\)"),
    "non_seasonal": re.compile(r"non_seasonal: no significant autocorrelation"),
    "non_positive": re.compile(r"non_positive: values <= 0 present"),
    "paths_floored": re.compile(r"paths_floored: (?P<share>[\d.]+%) of simulated months"),
    "lower_bounds": re.compile(r"lower bounds below 0 set to 0"),
    "stale_data": re.compile(r"stale_data: the data end (?P<last>\S+), (?P<gap>\d+) months before "
                             r"the as-of month (?P<month>[^;]+);"),
    "no_as_of_month": re.compile(r"no data for the as-of month (?P<month>[^:]+):"),
    "outliers": re.compile(r"outliers \(Chen-Liu, removed for the outlier-adjusted members\): (?P<found>.+)"),
}


def _flag_text(flag: str, s: dict[str, Any]) -> str:
    """Return a forecast flag in the memo's language (known kinds; others as written).

    Examples
    --------
    >>> _flag_text("import: non_positive: values <= 0 present: log ... dropped", strings("zh"))
    '进口：存在小于或等于0的值，不使用对数模型和乘法模型'
    """
    hit = _PARTIAL.match(flag)
    if hit and s.get("flag_partial"):  # the share's source: earlier years, given, calendar
        key = ("flag_partial_given" if hit.group(4) else
               "flag_partial_calendar" if hit.group(5) else "flag_partial")
        return s[key].format(direction=s["directions"][hit.group(1)], month=hit.group(2),
                             share=hit.group(3), days=hit.group(5))
    direction, sep, rest = flag.partition(": ")
    if not sep or direction not in s["directions"]:
        direction, rest = None, flag
    for kind, pattern in FLAG_PATTERNS.items():
        found = pattern.match(rest)
        if found and kind in s.get("flags", {}):
            text = s["flags"][kind].format(**found.groupdict())
            return f"{s['directions'][direction]}：{text}" if direction else text
    return flag


def _source_blocks(m, s, lang) -> list:
    prov = m.provenance
    decl = m.data_source if m.data_source != "sample" else (
        "合成样本" if lang == "zh" else "synthetic sample")
    if m.synthetic:
        decl += " — " + _fmt(s["src_synthetic"], tag=SYNTHETIC_TAG)
    rows = [[s["src_decl"], decl]]
    if lang == "en":
        rows += [[a, b] for a, b in m.sources]
    else:
        rows += [[_fmt(c, tag=SYNTHETIC_TAG) for c in r]
                 for r in s["sources_synthetic" if m.synthetic else "sources_real"]]
        if m.cut:  # the English rows carry it in MemoNumbers.sources
            n = m.cut.get("left_out", 0)
            later = _fmt(s["cut_later"], n=n) if n else s["cut_none"]
            rows.append([s["src_cut"], _fmt(s["cut_text"], as_of=m.as_of.strftime("%Y-%m-%d"),
                                             kept=m.cut.get("kept", 0), later=later)])
    rows += [[s["src_sha"], f"{prov.get('data_file', '')}: {prov.get('data_sha256', 'unknown')}"],
             [s["src_asof"], m.as_of.strftime("%Y-%m-%d")],
             [s["src_package"], f"ciqanalysis {m.version}"],
             [s["src_commit"], prov.get("git_commit", "unknown")],
             [s["src_seed"], str(m.seed)], [s["src_font"], s["font_text"]]]
    return [("table", {"columns": [], "rows": rows, "kind": "kv"})]
