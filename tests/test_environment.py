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
