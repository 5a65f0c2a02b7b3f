"""``python -m ciqanalysis.data``: print every table's column contract as Markdown (列契约).

The contract is read from ``data/datapackage.json`` by :mod:`ciqanalysis.data.schema`;
this entry point runs it without importing ``schema`` a second time as ``__main__``.
"""

from .schema import _main

if __name__ == "__main__":  # pragma: no cover - prints the documentation's tables
    _main()
