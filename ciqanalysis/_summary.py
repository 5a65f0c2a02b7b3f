"""How a result presents itself: one small Summary class (结果摘要).

Every result object of the package (a forecast, a nowcast, a track record, a
coverage test, a logit fit, ...) has ``summary()`` returning a :class:`Summary`:
a title, a few tables (DataFrames), notes, and a provenance caption saying
whether the data are real or synthetic (合成数据) and where they come from. It
prints as text and renders as HTML in a notebook. The results also show
themselves in a notebook (``_repr_html_``) and have a one-line ``repr``.

Examples
--------
>>> import pandas as pd
>>> s = Summary("Test", [("counts", pd.DataFrame({"n": [3]}))], notes=["a note"],
...             provenance="real data: China Customs")
>>> print(s)
Test
counts:
   n
0  3
Notes: a note
Data: real data: China Customs
>>> "<td>3</td>" in s.as_html()
True
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import ClassVar

import pandas as pd

from .errors import ParameterError
from .provenance import UNKNOWN_SOURCE, Provenance

__all__ = ["Summary", "RowsCompared", "provenance_caption", "short_repr", "UNKNOWN_SOURCE"]


def provenance_caption(source: str | Provenance | None = None, *data) -> str:
    """Return the provenance caption of a result (数据来源).

    Parameters
    ----------
    source : str or Provenance, optional
        What the caller says the data are (e.g. ``"real data: China Customs"``);
        used as given when given (a :class:`~ciqanalysis.provenance.Provenance` by its
        caption).
    *data : pandas.DataFrame or pandas.Series
        The result's inputs, read for ``attrs["synthetic"]`` and ``attrs["source"]``
        (set by :func:`ciqanalysis.data.load`).

    Returns
    -------
    str
        :attr:`Provenance.caption <ciqanalysis.provenance.Provenance.caption>` of the
        inputs: the synthetic caption when any input is marked synthetic, ``"real
        data: <source>"`` when the inputs name their source, otherwise a note that
        the source is not recorded.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series([1.0])
    >>> s.attrs["synthetic"] = True
    >>> provenance_caption(None, s)
    'SYNTHETIC sample data 合成数据: seeded generator, not official statistics'
    >>> provenance_caption("real data: China Customs")
    'real data: China Customs'
    """
    if isinstance(source, Provenance):
        return source.caption
    if source is not None:
        return str(source)
    return Provenance.from_data(*data).caption


class RowsCompared:
    """Mixin of results that set several of themselves side by side (结果比较).

    A result class with an ``as_row()`` method and a ``made_by`` class attribute (the
    function that makes it, named in errors) gains :meth:`compare`.
    """

    #: The function that makes such results, named in the error of :meth:`compare`.
    made_by: ClassVar[str] = "the same function"

    @classmethod
    def compare(cls, results: Mapping[str, object]) -> pd.DataFrame:
        """Return several results of this class side by side, one ``as_row()`` each.

        Parameters
        ----------
        results : mapping of str to result
            Indicator -> a result of this class.

        Returns
        -------
        pandas.DataFrame
            Index ``indicator`` (the mapping's keys, in order); the fields of
            ``as_row()`` as columns.

        Raises
        ------
        ParameterError
            If ``results`` is empty or holds anything but results of this class.

        Examples
        --------
        >>> import pandas as pd
        >>> from ciqanalysis.coverage import CoverageChange, coverage_change
        >>> a = pd.DataFrame({"code_2010": list("abcd"), "has_zone": [1, 0, 0, 0]})
        >>> b = pd.DataFrame({"code_2010": list("abcd"), "has_zone": [1, 1, 1, 0]})
        >>> CoverageChange.compare({"has_zone": coverage_change(a, b)})["gained"].tolist()
        [2]
        """
        if not isinstance(results, Mapping) or not results or not all(
                isinstance(r, cls) for r in results.values()):
            raise ParameterError(f"expected indicator -> {cls.made_by} results")
        return pd.DataFrame([r.as_row() for r in results.values()],
                            index=pd.Index(list(results), name="indicator"))


def short_repr(obj, **parts) -> str:
    """Return a one-line repr: the class name and a few sizes (简短表示).

    A list of more than six items shows its first three, its last and its length.

    Examples
    --------
    >>> short_repr(object(), n=3, models=["ets", "theta"])
    'object(n=3, models=[ets, theta])'
    >>> short_repr(object(), models=list("abcdefgh"))
    'object(models=[a, b, c, ..., h] (8))'
    """
    def fmt(v) -> str:
        if isinstance(v, (list, tuple)):
            items = [str(x) for x in v]
            if len(items) > 6:
                return "[" + ", ".join(items[:3]) + f", ..., {items[-1]}] ({len(items)})"
            return "[" + ", ".join(items) + "]"
        return str(v)

    inner = ", ".join(f"{k}={fmt(v)}" for k, v in parts.items())
    return f"{type(obj).__name__}({inner})"


class Summary:
    """A result's summary: title, tables, notes and provenance (结果摘要).

    Modelled on the Summary of statsmodels: it prints as text (``as_text``,
    ``str``) and renders as HTML in a notebook (``as_html``, ``_repr_html_``).

    Parameters
    ----------
    title : str
        One line naming the result.
    tables : sequence of (str, pandas.DataFrame)
        Captioned tables, in order.
    notes : iterable of str, optional
        Flags, caveats, assumptions.
    provenance : str, optional
        Real or synthetic, and the source (:func:`provenance_caption`).
    text : str, optional
        The text ``str()`` returns instead of :meth:`as_text`: the readable summary
        the result printed before it had a Summary, kept word for word.

    Examples
    --------
    >>> import pandas as pd
    >>> s = Summary("Fit", [("coefficients", pd.DataFrame({"coef": [0.5]}))])
    >>> s.tables[0][1]["coef"].tolist()
    [0.5]
    >>> "coefficients" in s
    True
    """

    def __init__(self, title: str, tables: Sequence[tuple[str, pd.DataFrame]] = (),
                 notes: Iterable[str] = (), provenance: str = "", text: str | None = None):
        self.title = str(title)
        self.tables = [(str(c), t) for c, t in tables]
        self.notes = [str(n) for n in notes]
        self.provenance = str(provenance)
        self._text = text

    def as_text(self) -> str:
        """Return the summary as plain text (title, tables, notes, provenance)."""
        lines = [self.title]
        for caption, table in self.tables:
            lines.append(f"{caption}:")
            lines.append(table.to_string())
        if self.notes:
            lines.append("Notes: " + "; ".join(self.notes))
        if self.provenance:
            lines.append(f"Data: {self.provenance}")
        return "\n".join(lines)

    def as_html(self) -> str:
        """Return the summary as an HTML fragment (tables by pandas' ``to_html``)."""
        parts = [f"<div class=\"ciq-summary\"><h4>{html.escape(self.title)}</h4>"]
        for caption, table in self.tables:
            parts.append(f"<p><b>{html.escape(caption)}</b></p>")
            parts.append(table.to_html())
        if self.notes:
            items = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
            parts.append(f"<p>Notes:</p><ul>{items}</ul>")
        if self.provenance:
            parts.append(f"<p><i>Data: {html.escape(self.provenance)}</i></p>")
        parts.append("</div>")
        return "\n".join(parts)

    def __str__(self) -> str:
        return self._text if self._text is not None else self.as_text()

    def __contains__(self, item: str) -> bool:
        return item in str(self)

    def __repr__(self) -> str:
        return short_repr(self, title=repr(self.title), tables=len(self.tables),
                          notes=len(self.notes))

    def _repr_html_(self) -> str:
        return self.as_html()
