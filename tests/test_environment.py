"""The environment files agree with pyproject.toml, the single source of dependencies."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _name(req: str) -> str:
    return re.split(r"[<>=!~ \[;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _spec(req: str) -> str:
    return req.strip().replace(" ", "").lower().replace("_", "-")


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_environment_yml_mirrors_pyproject():
    project = _pyproject()["project"]
    wanted = {_spec(r) for r in project["dependencies"]}
    wanted |= {_spec(r) for r in project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    deps = env["dependencies"]
    conda = {_spec(d) for d in deps if isinstance(d, str) and _name(d) not in ("python", "pip")}
    assert conda == wanted, f"only in environment.yml: {conda - wanted}; only in pyproject: {wanted - conda}"
    pip = [d for d in deps if isinstance(d, dict)]
    assert pip == [{"pip": ["-e ."]}]
    py = [d for d in deps if isinstance(d, str) and _name(d) == "python"]
    assert py == [">=".join(["python", project["requires-python"].removeprefix(">=")])]


def test_lock_pins_every_dependency_exactly():
    project = _pyproject()["project"]
    lines = [
        ln.strip()
        for ln in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
        if ln.strip() and not ln.startswith("#")
    ]
    assert all("==" in ln for ln in lines), [ln for ln in lines if "==" not in ln]
    pinned = {_name(ln) for ln in lines}
    needed = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    assert needed <= pinned, f"not pinned in requirements.lock: {needed - pinned}"
    assert {"setuptools", "wheel"} <= pinned  # the editable install builds without isolation


# ---------------------------------------------------------------------------------
# the Jupyter kernel runs in the environment of `make test`

def _makefile_exports() -> dict[str, str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return dict(re.findall(r"^export (\w+) := (\S+)\s*$", text, flags=re.M))


def _makefile_kernel_env() -> list[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    line = re.search(r"^KERNEL_ENV := (.+)$", text, flags=re.M)
    assert line, "the Makefile defines no KERNEL_ENV"
    return line.group(1).split()


def test_makefile_gives_the_kernel_every_variable_it_exports():
    exports = _makefile_exports()
    assert {"PYTHONHASHSEED", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MPLBACKEND"} <= set(exports)
    assert sorted(_makefile_kernel_env()) == sorted(exports)
    # the BLAS kernel is left to the machine: the notebooks must agree on all of them
    assert "OPENBLAS_CORETYPE" not in exports


def test_installed_kernel_carries_the_make_test_environment():
    import sys

    from jupyter_client.kernelspec import KernelSpecManager

    from ciqanalysis.report.notebooks import KERNEL_NAME

    spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    assert Path(spec.resource_dir).resolve().is_relative_to(Path(sys.prefix).resolve()), (
        f"kernel {KERNEL_NAME!r} is not the one installed into this environment: run `make env`")
    assert Path(spec.argv[0]).parent.resolve() == Path(sys.executable).parent.resolve()
    assert spec.env == _makefile_exports(), (
        f"kernel.json env {spec.env} differs from the Makefile's exports: run `make env`")


def test_cli_sets_the_same_environment_for_the_kernels_it_starts():
    from ciqanalysis.cli import _DETERMINISTIC_ENV

    assert _DETERMINISTIC_ENV == _makefile_exports()
