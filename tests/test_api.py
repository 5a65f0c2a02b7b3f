"""The top level of the package is a short, reviewed list; everything else has a namespace."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import ciqanalysis as cq


def _public(names):
    return [n for n in names if not n.startswith("_")]


def test_top_level_lists_at_most_sixty_public_names():
    public = _public(dir(cq))
    assert len(public) <= 60, f"{len(public)} public names: {public}"
    assert public == sorted(cq.__all__)
    assert len(set(public)) == len(public)


@pytest.mark.parametrize("name", sorted(cq._API))
def test_every_listed_name_resolves_to_its_namespace(name):
    namespace = importlib.import_module(f"ciqanalysis.{cq._API[name]}")
    assert getattr(cq, name) is getattr(namespace, name)


@pytest.mark.parametrize("name", cq._NAMESPACES)
def test_every_namespace_is_a_module_of_the_package(name):
    assert getattr(cq, name).__name__ == f"ciqanalysis.{name}"


@pytest.mark.parametrize("name", ["dataset", "plausibility", "schema"])
def test_the_data_layer_is_one_namespace(name):
    # cq.data.dataset, not cq.dataset: the data layer is the subpackage ciqanalysis/data/
    assert getattr(cq.data, name).__name__ == f"ciqanalysis.data.{name}"
    assert name not in cq.__all__
    with pytest.raises(AttributeError, match=rf"no attribute {name!r}"):
        getattr(cq, name)


def test_names_are_not_searched_for_in_the_namespaces():
    # zone_logit is public in cq.coverage but not listed at the top level
    assert "zone_logit" in cq.coverage.__all__
    with pytest.raises(AttributeError, match=r"no attribute 'zone_logit'.*cq\.coverage"):
        cq.zone_logit  # noqa: B018
    assert not hasattr(cq, "clean_notebook")
    assert not hasattr(cq, "annotations")


def test_importing_the_package_imports_no_namespace():
    code = ("import sys, ciqanalysis; "
            "print(sorted(m for m in sys.modules if m.startswith('ciqanalysis.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
