"""What the forecast results share: one documented ``summary()`` and the notebook view (结果展示)."""

from __future__ import annotations

from .._summary import Summary, provenance_caption

__all__: list[str] = []


class Presented:
    """Mixin of the forecast results: ``summary(source)`` and ``_repr_html_``.

    A result class supplies ``_summary_parts()`` (title, captioned tables, notes,
    text) and ``_provenance_data()`` (the data whose ``attrs`` say real or synthetic).
    """

    def summary(self, source: str | None = None) -> Summary:
        """Return the summary (摘要): title, tables, flags as notes, provenance caption.

        No clock dates or times in it; ``str()`` of it is the result's readable text.

        Parameters
        ----------
        source : str, optional
            Provenance caption (real or synthetic, and the source); default read
            from the ``attrs`` of the result's data.

        Returns
        -------
        Summary
            The tables the result's class docstring names.
        """
        title, tables, notes, text = self._summary_parts()
        return Summary(title, tables, notes=notes, provenance=provenance_caption(source, self._provenance_data()),
                       text=text)

    def _summary_parts(self):
        raise NotImplementedError

    def _provenance_data(self):
        raise NotImplementedError

    def _repr_html_(self) -> str:
        return self.summary().as_html()
