"""Executing the analysis notebooks with parameters, and turning them into HTML (笔记本).

The notebooks in ``notebooks/`` hold narrative and library calls. Each has a first
code cell tagged ``parameters`` (papermill) with ``data_source``, ``as_of`` and
``seed``. This module runs them with other values of those parameters (papermill),
strips the per-run noise papermill and nbclient add (timings, injected cells) so a
re-run of unchanged code leaves the file byte-identical, converts executed copies to
self-contained HTML (nbconvert, images embedded), and checks the house rules
strict nbval relies on (no stderr, no errors, no trailing ``;``).
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..errors import CIQError, ParameterError
from ..paths import repo_root

__all__ = [
    "KERNEL_NAME",
    "NotebookExecutionError",
    "FAILED_SUFFIX",
    "notebooks_dir",
    "find_notebooks",
    "notebook_parameters",
    "clean_notebook",
    "execute_notebook",
    "run_notebooks_in_place",
    "notebook_to_html",
    "notebook_problems",
]

#: Jupyter kernel the notebooks run in (installed into the project's venv by ``make env``).
KERNEL_NAME = "python3"

#: Notebook metadata keys that change on every run and carry no analysis content.
_RUN_NOISE = ("papermill", "execution")

_INJECTED_TAG = "injected-parameters"

#: The lab template without the scripts it loads from CDNs (the report must work offline).
_OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""

_TRAILING_SEMICOLON = re.compile(r";\s*(#.*)?$")


class NotebookExecutionError(CIQError, RuntimeError):
    """A notebook raised an exception while it was being executed.

    ``partial`` is the path of the partly executed copy kept for debugging
    (``NN-name.FAILED.ipynb``), or None; ``written`` lists every file the caller had
    written before the failure (set by ``build_report``).
    """

    partial: Path | None = None
    written: list[Path] | None = None


#: Suffix of the partly executed copy of a notebook that failed.
FAILED_SUFFIX = ".FAILED"


def notebooks_dir() -> Path:
    """Return the folder of the analysis notebooks (``<repo>/notebooks``).

    Examples
    --------
    >>> notebooks_dir().name
    'notebooks'
    """
    return repo_root() / "notebooks"


def find_notebooks(names: Iterable[str] | None = None, folder: Path | None = None) -> list[Path]:
    """Return notebook paths, sorted, optionally selected by name or number.

    Parameters
    ----------
    names : iterable of str, optional
        Selectors: a file stem (``"00-published-figures"``), its number prefix
        (``"00"``) or a path to a notebook. None selects every notebook.
    folder : pathlib.Path, optional
        Where to look; defaults to :func:`notebooks_dir`.

    Returns
    -------
    list of pathlib.Path

    Raises
    ------
    ParameterError
        If a selector matches no notebook.

    Examples
    --------
    >>> [p.name for p in find_notebooks(["00"])]
    ['00-published-figures.ipynb']
    """
    folder = Path(folder) if folder is not None else notebooks_dir()
    available = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))
    if names is None:
        return available
    chosen: list[Path] = []
    for name in names:
        direct = Path(name)
        if direct.suffix == ".ipynb" and direct.is_file():
            chosen.append(direct.resolve())
            continue
        stem = direct.stem if direct.suffix == ".ipynb" else str(name)
        hits = [p for p in available if p.stem == stem or p.stem.split("-", 1)[0] == stem]
        if not hits:
            known = ", ".join(p.stem for p in available) or "none"
            raise ParameterError(f"no notebook matches {name!r}; expected one of: {known}")
        chosen.extend(hits)
    return list(dict.fromkeys(chosen))


def notebook_parameters(path: Path) -> dict[str, Any]:
    """Return the default parameters declared in a notebook's ``parameters`` cell.

    Parameters
    ----------
    path : pathlib.Path
        The notebook.

    Returns
    -------
    dict
        Parameter name -> default value as written in the cell (a string of code).

    Examples
    --------
    >>> sorted(notebook_parameters(find_notebooks(["00"])[0]))[:2]
    ['as_of', 'data_source']
    """
    import papermill

    with _quiet_papermill():
        found = papermill.inspect_notebook(str(path))
    return {name: spec["default"] for name, spec in found.items()}


def clean_notebook(nb: Any, *, drop_injected: bool = False) -> Any:
    """Strip per-run noise from an executed notebook (in place and returned).

    Removes papermill's notebook and cell metadata (start/end times, durations,
    status), nbclient's execution timestamps and, when ``drop_injected`` is true,
    the cell papermill inserts with injected parameters. Consecutive stream outputs
    of the same name are merged (how a kernel splits two prints into messages
    depends on timing). Outputs are otherwise kept.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed notebook.
    drop_injected : bool, default False
        Remove the ``injected-parameters`` cell (for refreshes in place, where the
        notebook runs with its own defaults).

    Returns
    -------
    nbformat.NotebookNode
        The same object, cleaned.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(metadata={"papermill": {"duration": 1.5}})
    >>> "papermill" in clean_notebook(nb).metadata
    False
    """
    for key in _RUN_NOISE:
        nb.metadata.pop(key, None)
    if drop_injected:
        nb.cells = [c for c in nb.cells if _INJECTED_TAG not in c.get("metadata", {}).get("tags", [])]
    for cell in nb.cells:
        for key in _RUN_NOISE:
            cell.metadata.pop(key, None)
        if cell.get("outputs"):
            cell.outputs = _coalesce_streams(cell.outputs)
    return nb


def _coalesce_streams(outputs: list) -> list:
    merged: list = []
    for out in outputs:
        prev = merged[-1] if merged else None
        if (
            out.get("output_type") == "stream"
            and prev is not None
            and prev.get("output_type") == "stream"
            and prev.get("name") == out.get("name")
        ):
            prev["text"] = "".join(prev["text"]) + "".join(out["text"])
        else:
            merged.append(out)
    return merged


def execute_notebook(
    path: Path,
    out_path: Path,
    parameters: Mapping[str, Any] | None = None,
    *,
    drop_injected: bool = False,
    timeout: int = 600,
    keep_failed: bool = True,
) -> Path:
    """Execute one notebook with papermill and write the cleaned result.

    Parameters
    ----------
    path : pathlib.Path
        The notebook to run; it is never modified unless ``out_path`` is the same file.
    out_path : pathlib.Path
        Where the executed notebook is written.
    parameters : mapping, optional
        Values for the notebook's ``parameters`` cell. Names the notebook does not
        declare are left out (so one set of report parameters fits every notebook).
    drop_injected : bool, default False
        Drop papermill's injected-parameters cell (used with no parameters).
    timeout : int, default 600
        Seconds allowed per cell.
    keep_failed : bool, default True
        When a cell raises, write the partly executed notebook next to ``out_path``
        as ``NN-name.FAILED.ipynb`` (with its error output) for debugging.

    Returns
    -------
    pathlib.Path
        ``out_path``.

    Raises
    ------
    NotebookExecutionError
        If a cell raises; the message names the notebook, the cell and the error.

    Examples
    --------
    A tiny notebook of one cell (a kernel starts: about two seconds):

    >>> import nbformat
    >>> tmp = Path(tempfile.mkdtemp())
    >>> cell = nbformat.v4.new_code_cell("print(6 * 7)")
    >>> nbformat.write(nbformat.v4.new_notebook(cells=[cell]), tmp / "tiny.ipynb")
    >>> done = execute_notebook(tmp / "tiny.ipynb", tmp / "out" / "tiny.ipynb")
    >>> nbformat.read(done, as_version=4).cells[0].outputs[0]["text"].strip()
    '42'

    """
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    path = Path(path)
    declared = notebook_parameters(path)
    params = {k: v for k, v in dict(parameters or {}).items() if k in declared}
    with tempfile.TemporaryDirectory() as tmp, _quiet_papermill():
        scratch = Path(tmp) / path.name
        try:
            nb = papermill.execute_notebook(
                str(path),
                str(scratch),
                parameters=params or None,
                kernel_name=KERNEL_NAME,
                progress_bar=False,
                log_output=False,
                cwd=str(path.parent),
                execution_timeout=timeout,
                kernel_manager_class=_ipc_kernel_manager(),
            )
        except PapermillExecutionError as exc:
            err = NotebookExecutionError(
                f"notebook {path.name} failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
            )
            if keep_failed and scratch.exists():
                err.partial = Path(out_path).with_name(Path(out_path).stem + FAILED_SUFFIX + ".ipynb")
                err.partial.parent.mkdir(parents=True, exist_ok=True)
                failed = clean_notebook(nbformat.read(str(scratch), as_version=4))
                nbformat.write(failed, str(err.partial))
            raise err from None
    clean_notebook(nb, drop_injected=drop_injected or not params)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(out_path))
    return out_path


def run_notebooks_in_place(names: Iterable[str] | None = None) -> list[Path]:
    """Re-execute committed notebooks with their default parameters, storing outputs.

    A deliberate refresh (``ciqanalysis run-notebooks --in-place``): the file is
    replaced only after the whole notebook ran without error; run-to-run metadata
    noise is removed, so running twice leaves the files byte-identical.

    Parameters
    ----------
    names : iterable of str, optional
        Notebook selectors (see :func:`find_notebooks`); all notebooks when None.

    Returns
    -------
    list of pathlib.Path
        The notebooks rewritten.

    Examples
    --------
    Not run here: it rewrites the committed notebooks and needs a kernel; the
    execution is covered by
    ``tests/test_report.py::test_execute_notebook_is_byte_stable_and_injects_parameters``.

    >>> run_notebooks_in_place(["00"])  # doctest: +SKIP
    """
    done = []
    for path in find_notebooks(names):
        execute_notebook(path, path, None, drop_injected=True, keep_failed=False)
        done.append(path)
    return done


def notebook_to_html(nb_path: Path, html_path: Path) -> Path:
    """Convert an executed notebook to one self-contained HTML file.

    Uses nbconvert's ``lab`` template with images embedded as base64 and without
    the scripts it would fetch from a CDN (require.js, MathJax, Mermaid): the page
    works offline. Formulas in markdown cells therefore show as TeX source.

    Parameters
    ----------
    nb_path : pathlib.Path
        The executed notebook.
    html_path : pathlib.Path
        Where the HTML is written.

    Returns
    -------
    pathlib.Path
        ``html_path``.

    Examples
    --------
    A one-cell notebook (nothing is executed here):

    >>> import nbformat
    >>> tmp = Path(tempfile.mkdtemp())
    >>> cell = nbformat.v4.new_markdown_cell("Exports 出口, 亿美元")
    >>> nbformat.write(nbformat.v4.new_notebook(cells=[cell]), tmp / "tiny.ipynb")
    >>> html = notebook_to_html(tmp / "tiny.ipynb", tmp / "tiny.html")
    >>> "出口" in html.read_text(encoding="utf-8"), "<script src=" in html.read_text(encoding="utf-8")
    (True, False)
    """
    import jinja2
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(nb_path), as_version=4)
    exporter = HTMLExporter(
        template_name="lab", embed_images=True,
        extra_loaders=[jinja2.DictLoader({"ciq_offline.html.j2": _OFFLINE_TEMPLATE})],
        template_file="ciq_offline.html.j2",
    )
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nb)
    html_path = Path(html_path)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(body, encoding="utf-8")
    return html_path


def notebook_problems(path: Path) -> list[str]:
    """List breaches of the notebook house rules that make strict nbval fragile.

    Checked: the first code cell is tagged ``parameters``; no code line ends with
    ``;`` (hidden output differs between IPython versions); every code cell was
    executed, in order; no output is an error or a stream to stderr (warnings);
    no papermill timing metadata is stored; a cell whose output nbval ignores
    (tag ``nbval-ignore-output``) is followed by a code cell that checks its values
    with ``check_reference`` (see :mod:`ciqanalysis.reference`); a notebook that shows figures selects
    the inline backend itself (``%matplotlib inline``): ``make test`` exports
    ``MPLBACKEND=Agg``, under which ``plt.show()`` displays nothing.

    Parameters
    ----------
    path : pathlib.Path
        A stored notebook.

    Returns
    -------
    list of str
        One line per problem; empty when the notebook follows the rules.

    Examples
    --------
    >>> notebook_problems(find_notebooks(["00"])[0])
    []
    """
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    name = Path(path).name
    problems = []
    code = [c for c in nb.cells if c.cell_type == "code"]
    if not code or "parameters" not in code[0].metadata.get("tags", []):
        problems.append(f"{name}: the first code cell is not tagged 'parameters'")
    if "papermill" in nb.metadata:
        problems.append(f"{name}: papermill run metadata is stored (run clean_notebook)")
    shows_images = any("image/png" in out.get("data", {}) for c in code for out in c.get("outputs", []))
    if shows_images and not any("%matplotlib inline" in c.source for c in code):
        problems.append(f"{name}: figures without '%matplotlib inline' vanish when "
                        "MPLBACKEND=Agg (as under make test)")
    for i, cell in enumerate(code, start=1):
        where = f"{name}, code cell {i}"
        if "nbval-ignore-output" in cell.metadata.get("tags", []):
            following = code[i].source if i < len(code) else ""
            if "check_reference(" not in following:
                problems.append(f"{where}: nbval ignores its output, but the next code cell does "
                                "not check the values (check_reference)")
        if cell.execution_count != i:
            problems.append(f"{where}: execution count {cell.execution_count}, expected {i}")
        for line in cell.source.splitlines():
            if _TRAILING_SEMICOLON.search(line) and not line.lstrip().startswith("#"):
                problems.append(f"{where}: line ends with ';' ({line.strip()!r})")
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                problems.append(f"{where}: error output {out.get('ename')}")
            elif out.output_type == "stream" and out.get("name") == "stderr":
                problems.append(f"{where}: writes to stderr ({out.get('text', '')[:60]!r})")
    return problems


def _ipc_kernel_manager() -> type:
    """Return a kernel manager that talks to the kernel over local IPC sockets.

    The kernel then has no TCP ports open and prints no "running over TCP without
    encryption" warning; the sockets live beside the kernel's connection file in
    Jupyter's runtime folder.

    Shutting down, jupyter_client first interrupts the kernel (SIGINT), then asks it
    to stop, sends SIGTERM after half of ``shutdown_wait_time`` (5 s by default) and
    kills it at the end. The notebook has finished by then, so the interrupt only makes
    the kernel log "KeyboardInterrupt caught in kernel" when it lands in a message
    handler, and on a busy machine the SIGTERM can cut the kernel's own clean-up short
    (a zmq "Socket operation on non-socket" traceback on the terminal). This manager
    skips the interrupt while shutting down and waits up to 30 s; a kernel that exits
    at once is not kept waiting.

    Examples
    --------
    >>> km = _ipc_kernel_manager()()
    >>> km.transport, km.shutdown_wait_time
    ('ipc', 30.0)
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import CaselessStrEnum, Float

    class IPCKernelManager(AsyncKernelManager):
        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)
        shutdown_wait_time = Float(30.0, config=True)

        async def _async_interrupt_kernel(self) -> None:
            if self.shutting_down:  # the notebook is done: stop it without SIGINT
                return
            await super()._async_interrupt_kernel()

    return IPCKernelManager


class _quiet_papermill:
    """Silence papermill's INFO logging (input/output paths, kernel names)."""

    def __enter__(self) -> None:
        self._logger = logging.getLogger("papermill")
        self._level = self._logger.level
        self._logger.setLevel(logging.WARNING)

    def __exit__(self, *exc: object) -> None:
        self._logger.setLevel(self._level)
