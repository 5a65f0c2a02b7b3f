"""Shared pieces of numpydoc docstrings, written once (共用文档片段).

Several functions take the same parameter with the same meaning (a chart's ``title``
and ``synthetic`` flag, a result's ``source`` caption ...). Its description is
registered here once and a docstring names it by a line holding only
``%(name)s``; :func:`fill` puts the registered text in its place, indented as the
placeholder line is. The same idea as matplotlib's ``_docstring.interpd`` and the
``Substitution`` decorator of pandas, kept to what this package needs.

Examples
--------
>>> register(example_param='''x : int
...     A number.''')
>>> @fill
... def f(x):
...     '''Do nothing.
...
...     Parameters
...     ----------
...     %(example_param)s
...     '''
>>> print(f.__doc__.splitlines()[5])
        A number.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from typing import TypeVar

__all__ = ["register", "fill", "snippet"]

_SNIPPETS: dict[str, str] = {}
_PLACEHOLDER = re.compile(r"^(?P<indent>[ \t]*)%\((?P<name>\w+)\)s[ \t]*$", re.MULTILINE)

F = TypeVar("F", bound=Callable)


def register(**snippets: str) -> None:
    """Register docstring pieces by name (dedented; later registrations replace earlier).

    Examples
    --------
    >>> register(demo="a : int")
    >>> snippet("demo")
    'a : int'
    """
    for name, text in snippets.items():
        _SNIPPETS[name] = textwrap.dedent(text).strip("\n")


def snippet(name: str) -> str:
    """Return a registered piece (KeyError naming it when it is not registered)."""
    try:
        return _SNIPPETS[name]
    except KeyError:
        raise KeyError(f"no docstring piece {name!r} is registered; known: "
                       f"{sorted(_SNIPPETS)}") from None


def _indented(match: re.Match) -> str:
    indent = match.group("indent")
    return "\n".join(indent + line if line else line
                     for line in snippet(match.group("name")).splitlines())


def fill(obj: F | None = None, **values: str):
    """Replace each ``%(name)s`` line of a docstring by its registered piece.

    Use as ``@fill`` or, to fill ``{key}`` fields of the pieces as well (only the keys
    given; other braces are left alone), as ``@fill(key="port", ...)``. Works on
    functions, methods and classes and returns them.

    Examples
    --------
    >>> register(demo_key="{key} : str")
    >>> def g(port):
    ...     '''Do nothing.
    ...
    ...     %(demo_key)s
    ...     '''
    >>> fill(key="port")(g).__doc__.splitlines()[2].strip()
    'port : str'
    """
    def apply(target: F) -> F:
        doc = target.__doc__
        if doc:
            doc = _PLACEHOLDER.sub(_indented, doc)
            if values:
                fields = re.compile(r"\{(" + "|".join(map(re.escape, values)) + r")\}")
                doc = fields.sub(lambda m: str(values[m.group(1)]), doc)
            target.__doc__ = doc
        return target

    return apply(obj) if obj is not None else apply


_CHART_TITLE_SYNTHETIC = """
    title : str, optional
        Chart title.
    synthetic : bool, default False
        Mark the chart as drawn from synthetic data: it carries
        :attr:`Provenance(True).label <ciqanalysis.provenance.Provenance.label>`
        above the axes.
"""

register(
    export_import_params="""
        Parameters
        ----------
        x : pandas.DataFrame
            Frame with an export and an import column.
        export, import_ : str
            Column names.

        Returns
        -------
        pandas.Series
    """,
    indicators_param="""
        Parameters
        ----------
        ind : DataFrame
            Output of :func:`~ciqanalysis.coverage.county_indicators`.

        Returns
        -------
        DataFrame
    """,
    label_params="""
        Parameters
        ----------
        {key} : str
            A key of :data:`{table}`, e.g. ``"{example}"``.
        lang : {"both", "en", "zh"}, default "both"
            Which language(s) to return.

        Returns
        -------
        str
            The label.

        Raises
        ------
        ParameterError
            If ``{key}`` is not a known {what}.
    """,
    summary_head="""
        Parameters
        ----------
        source : str or Provenance, optional
            Provenance caption (real or synthetic, and the source, e.g. the
            :func:`~ciqanalysis.coverage.synthetic_label` of the inputs, or a
            :class:`~ciqanalysis.provenance.Provenance`); the result does not keep its
            inputs, so by default the caption says so.

        Returns
        -------
        Summary
    """,
    chart_unit="""
        unit : str, default "亿美元"
            Display unit; values are converted from US dollars
            (:func:`ciqanalysis.units.canonical_unit` names it).
    """,
    chart_title_synthetic=_CHART_TITLE_SYNTHETIC,
    chart_tail=textwrap.dedent(_CHART_TITLE_SYNTHETIC)
    + "\nReturns\n-------\nmatplotlib.figure.Figure\n",
)
