"""One home for the package's defaults and small shared rules (默认值与日期规则).

The as-of date, seed and interval levels every notebook, the memo and the command
line use unless told otherwise; the parsing of an as-of date (截止日期); and the
wording that marks synthetic data (合成数据).

Examples
--------
>>> from ciqanalysis import config
>>> config.DEFAULT_AS_OF, config.DEFAULT_SEED, config.DEFAULT_LEVELS
('2010-11-20', 20101120, (80, 95))
>>> config.parse_as_of("2010-11-20 15:30")
Timestamp('2010-11-20 00:00:00')
"""

from __future__ import annotations

import pandas as pd

from .errors import AsOfDateError

__all__ = ["DEFAULT_AS_OF", "DEFAULT_SEED", "DEFAULT_LEVELS", "SYNTHETIC_TAG", "SYNTHETIC_NOTE",
           "parse_as_of",
           "same_day_in_year"]

#: The article's as-of date (data through 20 November 2010).
DEFAULT_AS_OF = "2010-11-20"
#: The seed every notebook and the memo use unless told otherwise: the last day of the
#: article's year-to-date window.
DEFAULT_SEED = 20101120
#: Prediction-interval levels in percent (预测区间).
DEFAULT_LEVELS = (80, 95)
#: The tag that marks a table, caption or label drawn from the seeded sample (合成数据).
SYNTHETIC_TAG = "SYNTHETIC sample data 合成数据"
#: The label every chart of synthetic data carries (kept short to fit above the axes).
SYNTHETIC_NOTE = "SYNTHETIC data (seeded generator), not official statistics"


def parse_as_of(as_of) -> pd.Timestamp:
    """Return the as-of date (截止日期) as a midnight Timestamp.

    Parameters
    ----------
    as_of : str, date or Timestamp
        The as-of date, e.g. ``"2010-11-20"``.

    Returns
    -------
    pandas.Timestamp
        The date at midnight.

    Raises
    ------
    AsOfDateError
        When ``as_of`` is not a date (or is missing); a ``ParameterError``, so either
        class catches it.

    Examples
    --------
    >>> parse_as_of("2010-11-20")
    Timestamp('2010-11-20 00:00:00')
    >>> parse_as_of("not a date")
    Traceback (most recent call last):
    ...
    ciqanalysis.errors.AsOfDateError: as_of must be a date such as '2010-11-20', got 'not a date'
    """
    try:
        ts = pd.Timestamp(as_of)
    except (ValueError, TypeError):
        raise AsOfDateError(f"as_of must be a date such as '2010-11-20', got {as_of!r}") from None
    if pd.isna(ts):
        raise AsOfDateError(f"as_of must be a date such as '2010-11-20', got {as_of!r}")
    return ts.normalize()


def same_day_in_year(day: pd.Timestamp, year: int) -> pd.Timestamp:
    """Return the same calendar day in ``year`` (上年同期的同一天); 29 February becomes the 28th.

    The rule behind every year-to-date comparison: 1 January to ``day`` this year against
    1 January to the same day of the earlier year.

    Parameters
    ----------
    day : pandas.Timestamp
        A parsed date (see :func:`parse_as_of`).
    year : int
        The year to move it to.

    Returns
    -------
    pandas.Timestamp
        The same month and day in ``year`` at midnight.

    Examples
    --------
    >>> same_day_in_year(pd.Timestamp("2012-02-29"), 2011)
    Timestamp('2011-02-28 00:00:00')
    >>> same_day_in_year(pd.Timestamp("2010-11-20 15:00"), 2009)
    Timestamp('2009-11-20 00:00:00')
    """
    day = pd.Timestamp(day)
    return pd.Timestamp(int(year), day.month, 28 if (day.month, day.day) == (2, 29) else day.day)
