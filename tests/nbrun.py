"""Run a notebook's code cells in this process (fast: one interpreter, imports once).

Used by the user-data matrix: papermill starts a kernel per notebook, which costs
seconds each; here the cells run with ``exec`` in one namespace after the parameters
cell, with the given parameters set. IPython line magics (``%matplotlib inline``) are
skipped. Returns the text the notebook would show: printed lines, Markdown displayed
and the repr of each cell's last expression.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")


class CellError(RuntimeError):
    """A cell raised; the message names the notebook and the cell."""


def _text_of(obj) -> str:
    for attr in ("_repr_markdown_", "__repr__"):
        fn = getattr(obj, attr, None)
        if fn is not None:
            out = fn()
            if out is not None:
                return out if isinstance(out, str) else str(out)
    return ""


def run_notebook(path: Path, parameters: dict) -> str:
    """Execute ``path``'s code cells with ``parameters``; return the text shown."""
    import IPython.display as ipd
    import matplotlib.pyplot as plt

    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    shown: list[str] = []
    ns: dict = {"__name__": "__main__"}
    real_display = ipd.display

    def display(*objs, **_kw):
        shown.extend(_text_of(o) for o in objs)

    ipd.display = display
    try:
        seen_params = False
        for i, cell in enumerate(nb["cells"]):
            if cell["cell_type"] != "code":
                continue
            src = "".join(cell["source"])
            src = "\n".join(line for line in src.splitlines() if not line.lstrip().startswith("%"))
            tree = ast.parse(src)
            last = None
            if tree.body and isinstance(tree.body[-1], ast.Expr):
                last = ast.Expression(tree.body.pop().value)
            buf = io.StringIO()
            try:
                with contextlib.redirect_stdout(buf):
                    exec(compile(tree, f"{Path(path).name}[{i}]", "exec"), ns)
                    if "parameters" in cell.get("metadata", {}).get("tags", []) and not seen_params:
                        ns.update(parameters)
                        seen_params = True
                    if last is not None:
                        value = eval(compile(last, f"{Path(path).name}[{i}]", "eval"), ns)
                        if value is not None:
                            shown.append(buf.getvalue())
                            buf = io.StringIO()
                            shown.append(_text_of(value))
            except Exception as exc:
                raise CellError(f"{Path(path).name} cell {i}: {type(exc).__name__}: {exc}") from exc
            finally:
                shown.append(buf.getvalue())
                plt.close("all")
    finally:
        ipd.display = real_display
    return "\n".join(s for s in shown if s)
