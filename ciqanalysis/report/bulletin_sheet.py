"""The bulletin workbook of the report (月度快报 Excel): one sheet per language.

The sheet ``快报`` has the bulletin with Chinese headings, ``bulletin`` the same
with English ones, and ``说明 notes`` the source of the exchange rate, the as-of
date and whether the data are synthetic.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..provenance import SYNTHETIC_CAPTION, SYNTHETIC_TAG

__all__ = ["write_bulletin_workbook"]


def write_bulletin_workbook(numbers, path: str | Path) -> Path:
    """Write the monthly bulletin of the memo's as-of year to an Excel workbook.

    Parameters
    ----------
    numbers : MemoNumbers
        From :func:`~ciqanalysis.report.memo.compute_memo` (its monthly history).
    path : str or pathlib.Path
        Target ``.xlsx`` file.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    With ``memo = compute_memo(quick=True)`` (the synthetic sample), into a folder ``tmp``:

    >>> path = write_bulletin_workbook(memo, tmp / "bulletin.xlsx")
    >>> pd.ExcelFile(path).sheet_names
    ['快报', 'bulletin', '说明 notes']
    >>> notes = pd.read_excel(path, sheet_name="说明 notes")
    >>> notes.iloc[1, 1].startswith("SYNTHETIC sample data")
    True
    """
    from ..monthly_bulletin import bulletin, bulletin_zh
    from .formats import fixed_zip_times

    table = _parts_add_up(bulletin(numbers.monthly, numbers.as_of))
    notes = pd.DataFrame({"项目 item": [
        "截止日期 as-of date", "数据 data", "汇率来源 exchange rate",
        "单位 units", "说明 note"], "内容 value": [
        numbers.as_of.strftime("%Y-%m-%d"),
        (SYNTHETIC_CAPTION if numbers.synthetic
         else numbers.data_source),
        table.attrs["rate_source"],
        "亿美元 = 1e8 USD; 亿元人民币 = 1e8 CNY; % 为增长率 growth in per cent",
        "只列完整月份 complete months only; 人民币数 = 美元数 × 当月平均汇率 (RMB = USD × the "
        "month's average rate); 汇率表未覆盖的月份不折算 (months without a rate are left blank); "
        "金额保留两位小数，出口、进口的尾数经过调整，两者之和等于合计 (money to two decimals; "
        "exports and imports rounded so that they add up to the total)",
    ]})
    if numbers.synthetic:  # the label travels with every row copied out of the sheets
        table = table.assign(note=[SYNTHETIC_TAG + (f"; {n}" if n else "")
                                   for n in table["note"].fillna("")])
    path = Path(path)
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        bulletin_zh(table).reset_index().to_excel(xl, sheet_name="快报", index=False)
        eng = table.round(2).reset_index()
        eng["period"] = eng["period"].astype(str)
        eng.to_excel(xl, sheet_name="bulletin", index=False)
        notes.to_excel(xl, sheet_name="说明 notes", index=False)
        for sheet in xl.book.worksheets:
            if numbers.synthetic:  # printed pages too
                sheet.oddHeader.center.text = SYNTHETIC_CAPTION
            for col in sheet.columns:
                sheet.column_dimensions[col[0].column_letter].width = 16
    _fixed_core_times(path)  # openpyxl stamps the clock into docProps/core.xml
    return fixed_zip_times(path)


#: Money columns of the bulletin, whose exports and imports add up to the total.
_MONEY = ("month_yi_usd", "ytd_yi_usd", "month_yi_cny", "ytd_yi_cny")


def _parts_add_up(table: pd.DataFrame, decimals: int = 2) -> pd.DataFrame:
    """Round the money columns so that exports and imports add up to the total (分项之和等于合计).

    The memo's rule (:func:`~ciqanalysis.report.content.additive_round`), so that the
    year to date of a month-end memo and the bulletin's 累计 print the same numbers.

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([["2010-06"], ["export", "import", "total"]],
    ...                                  names=["period", "direction"])
    >>> t = pd.DataFrame({"ytd_yi_usd": [10.597, 14.176, 24.773]}, index=idx)
    >>> _parts_add_up(t)["ytd_yi_usd"].tolist()
    [10.6, 14.17, 24.77]
    """
    from .content import additive_round

    out = table.copy()
    for col in [c for c in _MONEY if c in out.columns]:
        for period in out.index.get_level_values("period").unique():
            values = out.loc[period, col]
            if "total" not in values.index:
                continue
            parts = {d: float(values[d]) for d in values.index if d != "total"}
            printed = additive_round(parts, float(values["total"]), decimals)
            for d, text in printed.items():
                if text != "n/a":
                    out.loc[(period, d), col] = float(text.replace(",", ""))
    return out


def _fixed_core_times(path: Path) -> None:
    """Replace the created/modified times openpyxl writes with a fixed one."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as src:
        entries = [(i.filename, src.read(i)) for i in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, payload in entries:
            if name == "docProps/core.xml":
                payload = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*",
                                 rb"\g<1>2000-01-01T00:00:00Z", payload)
            dst.writestr(name, payload)
