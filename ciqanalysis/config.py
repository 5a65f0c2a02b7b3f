"""One home for the package's defaults and small shared rules (默认值与日期规则).

The as-of date, seed and interval levels every notebook, the memo and the command
line use unless told otherwise, and the parsing of an as-of date (截止日期). The
wording that marks synthetic data (合成数据) lives in :mod:`ciqanalysis.provenance`.

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

__all__ = ["DEFAULT_AS_OF", "DEFAULT_SEED", "DEFAULT_LEVELS", "parse_as_of", "same_day_in_year"]

#: The article's as-of date (data through 20 November 2010).
DEFAULT_AS_OF = "2010-11-20"
#: The seed every notebook and the memo use unless told otherwise: the last day of the
#: article's year-to-date window.
DEFAULT_SEED = 20101120
#: Prediction-interval levels in percent (预测区间).
DEFAULT_LEVELS = (80, 95)


def parse_as_of(as_of, *, strict: bool = False, earliest=None, why: str = "") -> pd.Timestamp:
    """Return the as-of date (截止日期) as a midnight Timestamp.

    The one as-of parser of the package: notebooks, the memo and the command line
    all read an as-of date here.

    Parameters
    ----------
    as_of : str, date or Timestamp
        The as-of date, e.g. ``"2010-11-20"``.
    strict : bool, default False
        Accept text only as ``YYYY-MM-DD`` (what the command line and the memo ask
        for); dates and Timestamps pass either way. Otherwise any text pandas reads as
        a date (``"2010-11-20 15:30"`` is cut to its day).
    earliest : date-like, optional
        The earliest date allowed (e.g. the memo's 2002-01-01).
    why : str, optional
        Why ``earliest`` is the earliest, added to the error message.

    Returns
    -------
    pandas.Timestamp
        The date at midnight.

    Raises
    ------
    AsOfDateError
        When ``as_of`` is not a date (or is missing, or not ``YYYY-MM-DD`` text when
        ``strict``), or lies before ``earliest``; a ``ParameterError``, so either class
        catches it.

    Examples
    --------
    >>> parse_as_of("2010-11-20")
    Timestamp('2010-11-20 00:00:00')
    >>> parse_as_of("not a date")
    Traceback (most recent call last):
    ...
    ciqanalysis.errors.AsOfDateError: as_of must be a date such as '2010-11-20', got 'not a date'
    >>> parse_as_of("20/11/2010", strict=True)
    Traceback (most recent call last):
    ...
    ciqanalysis.errors.AsOfDateError: as_of must be a date written YYYY-MM-DD such as '2010-11-20', got '20/11/2010'
    >>> parse_as_of("2001-06-30", earliest="2002-01-01")
    Traceback (most recent call last):
    ...
    ciqanalysis.errors.AsOfDateError: as_of 2001-06-30 lies before 2002-01-01, the earliest allowed
    """
    text = isinstance(as_of, str)
    expected = "a date written YYYY-MM-DD" if strict and text else "a date"
    bad = f"as_of must be {expected} such as '{DEFAULT_AS_OF}', got {as_of!r}"
    try:
        ts = (pd.to_datetime(as_of.strip(), format="%Y-%m-%d") if strict and text
              else pd.Timestamp(as_of))
    except (ValueError, TypeError):
        raise AsOfDateError(bad) from None
    if pd.isna(ts):
        raise AsOfDateError(bad)
    ts = pd.Timestamp(ts).normalize()
    if earliest is not None and ts < pd.Timestamp(earliest):
        raise AsOfDateError(f"as_of {ts.date()} lies before {pd.Timestamp(earliest).date()}, the "
                            f"earliest allowed" + (f"; {why}" if why else ""))
    return ts


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
