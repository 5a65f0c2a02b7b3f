"""One exception hierarchy for the package (错误).

Every error the package raises on purpose is a :class:`CIQError`. Errors about a
data file carry where the problem is (file, row, column), what was expected and
what to do, so that the message reads like a note from a colleague, not a
traceback from deep inside pandas.

Examples
--------
>>> from ciqanalysis.errors import DataFileError
>>> err = DataFileError("value_usd is not a number", file="my.csv", row=7,
...                     column="value_usd", expected="a number in US dollars",
...                     hint="remove the thousands separators")
>>> print(err)  # doctest: +NORMALIZE_WHITESPACE
my.csv, row 7, column 'value_usd': value_usd is not a number; expected a number
in US dollars. What to do: remove the thousands separators.
"""

from __future__ import annotations

__all__ = [
    "CIQError",
    "DataFileError",
    "ChecksumError",
    "SchemaError",
    "UnitError",
    "ParameterError",
    "AsOfDateError",
    "CountyCodeError",
    "ReferenceMismatchError",
    "CIQWarning",
    "DataQualityWarning",
    "ExplosiveContributionWarning",
    "ForecastFallbackWarning",
    "user_stacklevel",
]


class CIQError(Exception):
    """Base class of every error raised by ciqanalysis on purpose."""


class DataFileError(CIQError, ValueError):
    """A problem located in a data file: names the file, row and column.

    Parameters
    ----------
    message : str
        What is wrong.
    file : str, optional
        The file's name (as the user gave it).
    row : int, optional
        The 1-based line number in the file, header being line 1 (for CSV), or
        the spreadsheet row number.
    column : str, optional
        The column as it is spelled in the file.
    expected : str, optional
        What the package expected to find there.
    hint : str, optional
        What the user can do about it.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        expected: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        self.expected = expected
        self.hint = hint
        super().__init__(self._render())

    def _render(self) -> str:
        where = []
        if self.file is not None:
            where.append(str(self.file))
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = (", ".join(where) + ": " if where else "") + self.message
        if self.expected:
            text += f"; expected {self.expected}"
        text += "."
        if self.hint:
            text += f" What to do: {self.hint.rstrip('.')}."
        return text


class ChecksumError(DataFileError):
    """A packaged data file does not match the sha256 in ``datapackage.json``."""


class SchemaError(DataFileError):
    """A table lacks a required column or has a value of the wrong type."""


class UnitError(CIQError, ValueError):
    """An unknown money unit, or two units mixed in one computation."""


class ParameterError(CIQError, ValueError):
    """A function or report was called with a parameter it cannot use."""


class AsOfDateError(ParameterError):
    """An as-of date outside the data, or data dated after the as-of date."""


class CountyCodeError(DataFileError):
    """A county code that is not a 2010 Jilin county-level unit and has no mapping."""


class ReferenceMismatchError(CIQError, AssertionError):
    """A notebook table differs from its stored reference table beyond the tolerance."""


class CIQWarning(UserWarning):
    """Base class of warnings issued by ciqanalysis."""


class DataQualityWarning(CIQWarning):
    """Rows were flagged (kept, and reported) by a loader."""


class ExplosiveContributionWarning(CIQWarning):
    """A contribution share (贡献率) whose denominator is near zero was set to NaN."""


class ForecastFallbackWarning(CIQWarning):
    """A forecast left the plausible range and a fallback was used instead."""


def user_stacklevel() -> int:
    """Return the ``stacklevel`` that points a warning at the user's own line (调用者所在行).

    Counts the frames inside this package between the caller of
    ``warnings.warn`` and the first frame outside it (a notebook cell, a script),
    however many wrappers lie between, so a warning shows the user's call instead
    of a line of the package.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warnings.warn("x", CIQWarning, stacklevel=user_stacklevel())
    >>> caught[0].filename.endswith("errors.py")  # the doctest's line, not this module's
    False
    """
    import os
    import sys

    package = os.path.dirname(os.path.abspath(__file__)) + os.sep
    frame, level = sys._getframe(1), 1  # the function that warns
    while frame.f_back is not None and os.path.abspath(frame.f_code.co_filename).startswith(package):
        frame, level = frame.f_back, level + 1
    return level
