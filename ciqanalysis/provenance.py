"""One provenance object: real or synthetic data, and where they come from (数据来源).

Every caption, chart label, table column and memo banner that says whether numbers
rest on the seeded SYNTHETIC sample (合成数据) or on real data takes its words from
here, so the package words it one way only:

- synthetic: :data:`SYNTHETIC_TAG` (``"SYNTHETIC sample data 合成数据"``), in full
  :data:`SYNTHETIC_CAPTION` (the tag and ``"seeded generator, not official statistics"``);
- real tables the data package ships: ``"real data: <source>"`` (真实数据);
- a user's own file: :data:`USER_CAPTION`;
- nothing recorded: :data:`UNKNOWN_SOURCE`.

Tables carry their provenance in ``attrs["synthetic"]`` and ``attrs["source"]`` (set by
:func:`ciqanalysis.data.load` and the readers); :meth:`Provenance.from_data` reads them
and :meth:`Provenance.attach` writes them.

Examples
--------
>>> import pandas as pd
>>> d = pd.DataFrame({"x": [1]})
>>> d.attrs.update(table="declarations", synthetic=True, source="generator")
>>> p = Provenance.from_data(d)
>>> p.synthetic, p.caption
(True, 'SYNTHETIC sample data 合成数据: seeded generator, not official statistics')
>>> Provenance(False, "China Customs", official=True).caption
'real data: China Customs'
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Provenance", "SYNTHETIC_TAG", "SYNTHETIC_CAPTION", "NOT_SYNTHETIC", "REAL_PREFIX",
           "USER_CAPTION", "UNKNOWN_SOURCE"]

#: The tag that marks a table, caption, chart or memo drawn from the seeded sample (合成数据).
SYNTHETIC_TAG = "SYNTHETIC sample data 合成数据"
#: The full caption of synthetic data: the tag and what it is not (not official statistics).
SYNTHETIC_CAPTION = f"{SYNTHETIC_TAG}: seeded generator, not official statistics"
#: The word a provenance table writes for a table that is not synthetic.
NOT_SYNTHETIC = "not synthetic"
#: The start of the caption of real data the package ships (真实数据).
REAL_PREFIX = "real data: "
#: The caption of a user's own data (用户数据).
USER_CAPTION = "the user's own data (not checked against official statistics)"
#: The caption of a result whose data source is not recorded on it.
UNKNOWN_SOURCE = "source not recorded (pass source= to say real or synthetic)"


def _user_file(attrs: dict) -> bool:
    """Return True when attrs name a table shipped only as synthetic, yet say not synthetic."""
    table = attrs.get("table")
    if table is None:
        return False
    from .data._package import is_synthetic
    from .errors import CIQError

    try:
        return bool(is_synthetic(str(table)))
    except CIQError:  # a table the data package does not know: the user's own
        return True


@dataclass(frozen=True)
class Provenance:
    """Whether data are synthetic, where they come from, and their checksum (数据来源).

    Parameters
    ----------
    synthetic : bool
        The data (or any of them) come from the seeded generator (合成数据).
    source : str, default ""
        Where they come from, e.g. ``"China Customs"`` or a file name; ``""`` when not
        recorded.
    official : bool, default False
        Real tables the data package ships (official statistics, 官方统计); False for
        a user's own file.
    sha256 : str, optional
        The checksum of the data file, when known.

    Examples
    --------
    >>> Provenance(True).label
    'SYNTHETIC sample data 合成数据: seeded generator, not official statistics'
    >>> Provenance(False, "mine.csv").caption
    "the user's own data (not checked against official statistics)"
    >>> Provenance(False).caption
    'source not recorded (pass source= to say real or synthetic)'
    """

    synthetic: bool
    source: str = ""
    official: bool = False
    sha256: str | None = None

    @classmethod
    def from_data(cls, *data, default_source: str = "") -> Provenance:
        """Read the provenance of tables or series from their ``attrs``.

        Parameters
        ----------
        *data : pandas.DataFrame or pandas.Series
            The inputs (None is skipped). Any synthetic input makes the whole synthetic.
        default_source : str, default ""
            The source of an input that records none (e.g. ``"the user's own file"``).

        Returns
        -------
        Provenance
            ``official`` when no input is synthetic and every input records a source
            and is a table the package ships as real (or a series that names its source
            without naming a table).

        Examples
        --------
        >>> import pandas as pd
        >>> s = pd.Series([1.0])
        >>> s.attrs.update(synthetic=False, source="china_customs_monthly")
        >>> Provenance.from_data(s).caption
        'real data: china_customs_monthly'
        """
        attrs = [dict(getattr(d, "attrs", {}) or {}) for d in data if d is not None]
        synthetic = any(bool(a.get("synthetic", False)) for a in attrs)
        sources = [str(a.get("source") or default_source) for a in attrs]
        source = "; ".join(dict.fromkeys(s for s in sources if s))
        official = (not synthetic and bool(attrs)
                    and all(a.get("source") and not _user_file(a) for a in attrs))
        shas = {a["sha256"] for a in attrs if a.get("sha256")}
        return cls(synthetic, source, bool(official), shas.pop() if len(shas) == 1 else None)

    @property
    def tag(self) -> str:
        """:data:`SYNTHETIC_TAG` or :data:`NOT_SYNTHETIC` (a provenance table's column)."""
        return SYNTHETIC_TAG if self.synthetic else NOT_SYNTHETIC

    @property
    def caption(self) -> str:
        """The one-line caption printed with every result (数据来源说明)."""
        if self.synthetic:
            return SYNTHETIC_CAPTION
        if self.official and self.source:
            return REAL_PREFIX + self.source
        return USER_CAPTION if self.source else UNKNOWN_SOURCE

    @property
    def label(self) -> str:
        """The label a chart of these data carries: the synthetic caption, else ``""``."""
        return SYNTHETIC_CAPTION if self.synthetic else ""

    def note(self, detail: str) -> str:
        """Return the caption followed by a detail (e.g. the span of the data).

        Examples
        --------
        >>> Provenance(True).note("2010 only")
        'SYNTHETIC sample data 合成数据: seeded generator, not official statistics; 2010 only'
        """
        return f"{self.caption}; {detail}" if detail else self.caption

    def to_attrs(self) -> dict:
        """Return the ``attrs`` entries that record this provenance on a table."""
        out = {"synthetic": bool(self.synthetic), "source": self.source}
        if self.sha256:
            out["sha256"] = self.sha256
        return out

    def attach(self, frame):
        """Record this provenance in ``frame.attrs`` (kept entries are overwritten) and return it.

        Examples
        --------
        >>> import pandas as pd
        >>> Provenance(True, "generator").attach(pd.DataFrame()).attrs
        {'synthetic': True, 'source': 'generator'}
        """
        frame.attrs.update(self.to_attrs())
        return frame
