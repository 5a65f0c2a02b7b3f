"""Labels of product groups and ports (商品类别与口岸名称): one lookup rule for both."""

from __future__ import annotations

import pytest

from ciqanalysis import labels
from ciqanalysis.errors import ParameterError


@pytest.mark.parametrize(("func", "table", "what"), [
    (labels.product_label, labels.PRODUCT_GROUPS, "product group"),
    (labels.port_label, labels.PORTS, "port"),
])
def test_every_entry_has_three_labels_and_unknowns_are_named(func, table, what):
    for key, item in table.items():
        assert func(key, "en") == item.en and func(key, "zh") == item.zh
        assert func(key) == f"{item.en} {item.zh}"
    with pytest.raises(ParameterError, match=f"unknown {what} 'nowhere'; expected one of"):
        func("nowhere")
    with pytest.raises(ParameterError, match=f"unknown {what} \\['x'\\]"):
        func(["x"])  # unhashable: the same clear error, not a TypeError
