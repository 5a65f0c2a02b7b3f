"""Seeded generator of realistic user declaration files (for the user-data test matrix).

A user's own file differs from the packaged sample in every way the package must not
depend on: another set of counties, another span, no optional columns, exports or
imports only, other product groups or none, Chinese or English headers, CSV (UTF-8 or
GBK), Excel or Parquet, no declaration on 1 January or on the as-of day. Values are
drawn at the scale of a county-level bureau (a few hundred thousand US dollars a
consignment) and written in the unit the header states.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

#: Headers of each column, by header language.
HEADERS = {
    "zh": {"decl_id": "报检号", "date": "日期", "direction": "进出境", "value": "货值(万美元)",
           "county_code": "区县代码", "enterprise_id": "企业代码", "port": "口岸",
           "hs2": "商品编码", "product_group": "产品类别", "direct_release": "直通放行",
           "key_enterprise": "重点企业"},
    "en": {"decl_id": "decl_id", "date": "date", "direction": "direction",
           "value": "value_10k_usd", "county_code": "county_code",
           "enterprise_id": "enterprise_id", "port": "port", "hs2": "hs_code",
           "product_group": "product_group", "direct_release": "direct_release",
           "key_enterprise": "key_enterprise"},
}
OPTIONAL = ("decl_id", "enterprise_id", "port", "hs2", "product_group", "direct_release",
            "key_enterprise")


@dataclass(frozen=True)
class UserFileSpec:
    """What one generated user file looks like.

    ``first`` and ``last`` are the first and last possible declaration days (the
    generator never writes a row on 1 January nor on ``last`` when ``skip_last`` is
    set); ``directions`` is ``("export", "import")``, ``("export",)`` or
    ``("import",)``; ``groups`` the product-group names (empty: no such column);
    ``fmt`` one of ``csv``, ``csv-gbk``, ``xlsx``, ``parquet``; ``value_scale``
    multiplies every value (e.g. 1e4 writes US dollars under a 万美元 header).
    """

    name: str
    counties: tuple[str, ...]
    first: str
    last: str
    directions: tuple[str, ...] = ("export", "import")
    columns: tuple[str, ...] = OPTIONAL
    groups: tuple[str, ...] = ("mushrooms", "rice", "timber")
    headers: str = "zh"
    fmt: str = "csv"
    rows_per_year: int = 150
    seed: int = 0
    skip_last: bool = True
    value_scale: float = 1.0
    extra: dict = field(default_factory=dict)


def make_frame(spec: UserFileSpec) -> pd.DataFrame:
    """Return the file's rows (values in 万美元) with the headers of ``spec.headers``."""
    rng = np.random.default_rng(spec.seed)
    days = pd.bdate_range(spec.first, spec.last)
    days = days[~((days.month == 1) & (days.day == 1))]
    if spec.skip_last:
        days = days[days != pd.Timestamp(spec.last)]
    n_years = max(1.0, (days[-1] - days[0]).days / 365.25)
    n = int(spec.rows_per_year * n_years)
    # a gentle upward trend and a seasonal swing, so the forecast has something to fit
    pos = np.sort(rng.integers(0, len(days), n))
    date = days[pos]
    t = (date - days[0]).days.to_numpy() / 365.25
    season = 1 + 0.3 * np.sin(2 * np.pi * (date.month.to_numpy() - 3) / 12)
    value_wan = rng.lognormal(mean=3.0, sigma=0.8, size=n) * (1.1 ** t) * season
    cols = {
        "decl_id": [f"{spec.name[:3].upper()}{i:05d}" for i in range(n)],
        "date": date.strftime("%Y-%m-%d"),
        "direction": rng.choice(
            [{"export": "出境", "import": "进境"}[d] if spec.headers == "zh" else d
             for d in spec.directions], size=n),
        "value": np.round(value_wan * spec.value_scale, 2),
        "county_code": rng.choice(list(spec.counties), size=n),
        "enterprise_id": [f"E{k:03d}" for k in rng.integers(0, 40, n)],
        "port": rng.choice(["珲春", "长春", "图们"], size=n),
        "hs2": rng.choice(["0709", "1006", "4403", "1202"], size=n),
        "product_group": rng.choice(list(spec.groups) or ["x"], size=n),
        "direct_release": rng.choice(["是", "否"] if spec.headers == "zh" else ["Y", "N"], size=n),
        "key_enterprise": rng.choice(["是", "否"] if spec.headers == "zh" else ["Y", "N"], size=n),
    }
    keep = ["date", "direction", "value", "county_code"] + [
        c for c in spec.columns if c != "product_group" or spec.groups]
    head = HEADERS[spec.headers]
    return pd.DataFrame({head[c]: cols[c] for c in keep})


def write_user_file(spec: UserFileSpec, folder: Path) -> Path:
    """Write ``spec`` into ``folder`` in its format; return the path."""
    frame = make_frame(spec)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if spec.fmt in ("csv", "csv-gbk"):
        path = folder / f"{spec.name}.csv"
        frame.to_csv(path, index=False, encoding="gbk" if spec.fmt == "csv-gbk" else "utf-8")
    elif spec.fmt == "xlsx":
        path = folder / f"{spec.name}.xlsx"
        frame.to_excel(path, index=False)
    elif spec.fmt == "parquet":
        path = folder / f"{spec.name}.parquet"
        frame.to_parquet(path, index=False)
    else:
        raise ValueError(f"unknown format {spec.fmt!r}")
    return path


#: The matrix every notebook and the memo run on (small files; about 10 s each).
MATRIX: tuple[UserFileSpec, ...] = (
    # the file: Excel, Chinese headers, 6 counties, 2008..2010, no 1 January
    UserFileSpec("zh-excel-6counties", ("220102", "220621", "220622", "220724", "222424",
                                        "220582"), "2008-01-02", "2010-11-20", fmt="xlsx",
                 seed=1),
    # exports only, no optional column, GBK CSV, two counties, as-of on a Saturday
    UserFileSpec("exports-only-bare", ("220621", "222424"), "2008-03-10", "2010-11-20",
                 directions=("export",), columns=(), groups=(), fmt="csv-gbk", seed=2),
    # imports only, English headers, Parquet, one county
    UserFileSpec("imports-only-en", ("220102",), "2007-05-01", "2010-06-30",
                 directions=("import",), headers="en", fmt="parquet", seed=3),
    # one year and a bit, English headers, UTF-8 CSV, no product groups
    UserFileSpec("short-span", ("220303", "220322", "220381"), "2009-09-01", "2010-10-15",
                 groups=(), headers="en", seed=4),
    # many counties, one product group, long span
    UserFileSpec("long-one-group", ("220102", "220103", "220104", "220105", "220112",
                                    "220122", "220181", "220182", "220183", "220202"),
                 "2003-01-06", "2010-11-19", groups=("grain",), rows_per_year=60, seed=5),
)
