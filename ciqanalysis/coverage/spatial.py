"""Spatial clustering of the binary coverage map: join counts (联接计数检验).

The test counts, over neighbour pairs, joins between two covered units (BB),
two uncovered (WW) and mixed (BW), and compares BB with its distribution when the
coverage labels are permuted at random across the units (PySAL
``esda.join_counts.Join_Counts``). esda draws its permutations from NumPy's global
random state: :func:`join_count_test` seeds it inside a context and restores the
previous state afterwards, so the caller's random stream is left untouched.

Examples
--------
>>> import pandas as pd
>>> from ciqanalysis.coverage import join_count_test
>>> pairs = pd.DataFrame({"code_a": ["a", "b", "c"], "code_b": ["b", "c", "d"]})
>>> ind = pd.DataFrame({"code_2010": list("abcd"), "has_zone": [True, True, False, False]})
>>> join_count_test(ind, pairs=pairs, permutations=99).bb
1.0
"""

from __future__ import annotations

import contextlib
import warnings
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd

from .._docstring import fill
from .._summary import RowsCompared, Summary, provenance_caption, short_repr
from ..errors import ParameterError, SchemaError
from ..provenance import Provenance
from .neighbours import DEFAULT_TOLERANCE_M, county_adjacency, weights_from_pairs

__all__ = ["JoinCountResult", "join_count_test", "numpy_global_seed"]


@contextlib.contextmanager
def numpy_global_seed(seed: int):
    """Seed NumPy's global random state inside a ``with`` block, then restore it.

    Examples
    --------
    >>> import numpy as np
    >>> with numpy_global_seed(1):
    ...     a = np.random.random()
    >>> with numpy_global_seed(1):
    ...     b = np.random.random()
    >>> a == b
    True
    """
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)


@dataclass
class JoinCountResult(RowsCompared):
    """Join-count statistics with permutation inference (联接计数).

    Attributes
    ----------
    bb, bw, ww, joins : float
        Covered-covered, mixed and uncovered-uncovered joins; all joins (J).
    mean_bb, p_sim_bb : float
        Mean BB over the permutations and the one-sided pseudo p-value
        ``(1 + #{BB* >= BB}) / (B + 1)`` (clustering of covered units).
    mean_bw, p_sim_bw : float
        The same for BW, where ``p_sim_bw`` is the pseudo p-value of BW being
        *larger* than at random (dispersion); a small ``1 - p_sim_bw`` is clustering.
    permutations, seed : int
        B and the seed.
    n_units, n_covered, n_islands : int
        Units, covered units, units without a neighbour in the universe (no joins).
    notes : list of str
        How the neighbourhood was built and what to keep in mind.
    """

    made_by: ClassVar[str] = "coverage.join_count_test()"
    bb: float
    bw: float
    ww: float
    joins: float
    mean_bb: float
    p_sim_bb: float
    mean_bw: float
    p_sim_bw: float
    permutations: int
    seed: int
    n_units: int
    n_covered: int
    n_islands: int
    notes: list[str] = field(default_factory=list)

    @fill
    def summary(self, source: str | Provenance | None = None) -> Summary:
        """Return the summary: join counts against their permutation means (联接计数摘要).

        %(summary_head)s
            Table ``join counts`` (:meth:`to_frame`); the notes as notes.

        Examples
        --------
        >>> pairs = pd.DataFrame({"code_a": ["a", "b"], "code_b": ["b", "c"]})
        >>> ind = pd.DataFrame({"code_2010": list("abc"), "has_zone": [True, True, False]})
        >>> join_count_test(ind, pairs=pairs, permutations=9).summary().tables[0][1]["bb"].tolist()
        [1.0]
        """
        return Summary(f"Join counts of {self.n_covered} covered among {self.n_units} units",
                       [("join counts", self.to_frame())], notes=self.notes,
                       provenance=provenance_caption(source))

    def to_frame(self, name: str = "result") -> pd.DataFrame:
        """Return the statistics as one row, indexed by ``name`` (联接计数).

        Parameters
        ----------
        name : str, default "result"
            Row label (the indicator tested).

        Examples
        --------
        >>> pairs = pd.DataFrame({"code_a": ["a", "b"], "code_b": ["b", "c"]})
        >>> ind = pd.DataFrame({"code_2010": list("abc"), "has_zone": [True, True, False]})
        >>> join_count_test(ind, pairs=pairs, permutations=9).to_frame("has_zone").index.tolist()
        ['has_zone']
        """
        return pd.DataFrame([self.as_row()], index=pd.Index([name], name="indicator"))

    def as_row(self) -> dict:
        """Return the statistics as one row of :meth:`compare` (联接计数).

        Returns
        -------
        dict
            ``n_units``, ``n_covered``, ``joins``, ``bb`` (covered next to covered),
            ``mean_bb`` (its mean at random), ``p_sim_bb`` (one-sided, clustering),
            ``bw``, ``mean_bw``, ``ww``, ``n_islands``, ``permutations``, ``seed``.

        Examples
        --------
        >>> pairs = pd.DataFrame({"code_a": ["a", "b"], "code_b": ["b", "c"]})
        >>> ind = pd.DataFrame({"code_2010": list("abc"), "has_zone": [True, True, False]})
        >>> join_count_test(ind, pairs=pairs, permutations=9).as_row()["bb"]
        1.0
        """
        keys = ("n_units", "n_covered", "joins", "bb", "mean_bb", "p_sim_bb", "bw", "mean_bw",
                "ww", "n_islands", "permutations", "seed")
        return {k: getattr(self, k) for k in keys}

    def _repr_html_(self) -> str:
        return self.summary().as_html()

    def __repr__(self) -> str:
        return short_repr(self, n_units=self.n_units, n_covered=self.n_covered, bb=self.bb,
                          p_sim_bb=f"{self.p_sim_bb:.3g}", permutations=self.permutations)


def join_count_test(ind: pd.DataFrame, indicator: str = "has_zone", *,
                    pairs: pd.DataFrame | None = None,
                    tolerance_m: float = DEFAULT_TOLERANCE_M, rule: str = "queen",
                    permutations: int = 999, seed: int = 0) -> JoinCountResult:
    """Test whether covered units cluster in space (空间集聚) with join counts.

    Parameters
    ----------
    ind : DataFrame
        Indicators with ``code_2010`` and the boolean ``indicator`` (one universe).
    indicator : str
        The binary map to test, e.g. ``has_zone``.
    pairs : DataFrame, optional
        Neighbour pairs ``code_a``, ``code_b``; the real polygons' contiguity
        (:func:`county_adjacency` with ``tolerance_m`` and ``rule``) when None. Pairs
        with a unit outside ``ind`` are left out (a smaller universe has fewer joins).
    tolerance_m, rule : float, str
        Contiguity when ``pairs`` is None.
    permutations : int
        Number of random permutations (B), e.g. 999 or 9999.
    seed : int
        Seed of NumPy's global state for esda's permutations (restored afterwards).

    Returns
    -------
    JoinCountResult
        See the class.

    Examples
    --------
    >>> import pandas as pd
    >>> pairs = pd.DataFrame({"code_a": ["a", "b"], "code_b": ["b", "c"]})
    >>> ind = pd.DataFrame({"code_2010": list("abc"), "has_zone": [True, False, True]})
    >>> r = join_count_test(ind, pairs=pairs, permutations=99, seed=1)
    >>> (r.bb, r.bw, r.joins)
    (0.0, 2.0, 2.0)
    """
    with warnings.catch_warnings():
        # esda imports tqdm.auto, which warns (TqdmWarning, on stderr) in a Jupyter
        # kernel without ipywidgets; no progress bar is drawn here
        warnings.filterwarnings("ignore", message="IProgress not found")
        from esda.join_counts import Join_Counts

    if "code_2010" not in ind.columns or indicator not in ind.columns:
        raise SchemaError("the indicators need code_2010 and the indicator column",
                          file="indicators", column=indicator,
                          expected="output of county_indicators()")
    if not isinstance(permutations, (int, np.integer)) or permutations < 1:
        raise ParameterError(f"permutations must be a positive integer, got {permutations!r}")
    y = ind[indicator]
    if y.isna().any():
        raise SchemaError("missing values in the indicator", file="indicators",
                          column=indicator, expected="True/False on every unit")
    y = y.astype(bool).to_numpy().astype(float)
    codes = ind["code_2010"].astype(str).tolist()
    if pairs is None:
        pairs = county_adjacency(tolerance_m, rule)
        how = (f"{rule} contiguity of the real 2010 polygons, tolerance {tolerance_m:g} m "
               "(Albers projection for Jilin)")
    else:
        how = "neighbour pairs given by the caller"
    w = weights_from_pairs(pairs, codes)
    islands = list(w.islands)
    if w.s0 == 0:
        raise ParameterError("no two units of this universe are neighbours: no joins")
    notes = [how, f"{permutations} permutations, NumPy global seed {seed} (state restored)"]
    if islands:
        notes.append(f"{len(islands)} unit(s) without a neighbour in the universe are "
                     f"kept but have no joins: {islands}")
    if y.sum() in (0, len(y)):
        notes.append(f"{indicator} is the same everywhere: the test is not informative")
        # every permutation gives the same map (and esda's chi-square step fails on it):
        # the joins are all BB or all WW, and there is no p-value
        joins = float(w.s0) / 2.0
        covered = bool(y.sum() > 0)
        return JoinCountResult(
            bb=joins if covered else 0.0, bw=0.0, ww=0.0 if covered else joins,
            joins=joins, mean_bb=joins if covered else 0.0, p_sim_bb=float("nan"),
            mean_bw=0.0, p_sim_bw=float("nan"), permutations=int(permutations),
            seed=int(seed), n_units=len(y), n_covered=int(y.sum()),
            n_islands=len(islands), notes=notes)
    with numpy_global_seed(seed), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        # esda 2.9 calls DataFrame.set_index(inplace=True), deprecated in pandas 3.1
        warnings.filterwarnings("ignore", message=".*inplace keyword.*")
        jc = Join_Counts(y, w, permutations=int(permutations))
    return JoinCountResult(
        bb=float(jc.bb), bw=float(jc.bw), ww=float(jc.ww), joins=float(jc.J),
        mean_bb=float(jc.mean_bb), p_sim_bb=float(jc.p_sim_bb),
        mean_bw=float(jc.mean_bw), p_sim_bw=float(jc.p_sim_bw),
        permutations=int(permutations), seed=int(seed), n_units=len(y),
        n_covered=int(y.sum()), n_islands=len(islands), notes=notes)
