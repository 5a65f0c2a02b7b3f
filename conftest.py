"""Names the doctests share (``pytest --doctest-modules ciqanalysis``).

The report's entry points start from a memo and write files. Their examples use
two names set here, so that they run on the synthetic sample, quickly, and write
nothing into the repository:

``memo``
    ``compute_memo(quick=True)``: the synthetic sample at the default as-of date,
    lean forecast settings. Computed once per session, and only when an example
    uses the name.
``tmp``
    A new empty folder (:class:`pathlib.Path`) for each example that uses it.
"""

from __future__ import annotations

import ast

import pytest


def _names(dtest) -> set[str]:
    """Return the variable names a doctest's examples read or assign."""
    found: set[str] = set()
    for example in dtest.examples:
        try:
            tree = ast.parse(example.source)
        except SyntaxError:  # the doctest itself reports it
            continue
        found.update(node.id for node in ast.walk(tree) if isinstance(node, ast.Name))
    return found


@pytest.fixture(scope="session")
def _quick_memo():
    """Return the memo of the synthetic sample with lean settings (once per session)."""
    from ciqanalysis.report.memo import compute_memo

    return compute_memo(quick=True)


@pytest.fixture(autouse=True)
def _doctest_names(request, doctest_namespace):
    """Give a doctest that uses ``memo`` or ``tmp`` those names (nothing for other tests)."""
    dtest = getattr(request.node, "dtest", None)
    if dtest is None:
        return
    names = _names(dtest)
    for name, fixture in (("memo", "_quick_memo"), ("tmp", "tmp_path")):
        if name in names:
            doctest_namespace[name] = request.getfixturevalue(fixture)
        else:
            doctest_namespace.pop(name, None)
