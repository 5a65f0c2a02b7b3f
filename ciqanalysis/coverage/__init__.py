"""County coverage of export demonstration zones (县域全覆盖, 一县一业).

For any year: which counties have a demonstration zone (示范区), which export at
all, which are reached by a zone next door, how far the province is from full
coverage, and whether coverage differs across prefectures or clusters in space.

Topic modules: ``universe`` (which units count), ``harmonise`` (later county codes ->
2010 units), ``neighbours`` (adjacency with a tolerance, distances), ``indicators``
(per county and year), ``rates`` (rates with intervals, prefecture and two-year
tests), ``spatial`` (join counts), ``model`` (logistic model of zone presence),
``goal`` (distance to full coverage), ``tables`` (summary tables for notebooks).

Examples
--------
>>> import ciqanalysis as cq
>>> len(cq.county_universe("all"))
60
"""

from __future__ import annotations

from . import (
    goal,
    harmonise,
    indicators,
    inputs,
    model,
    neighbours,
    rates,
    spatial,
    tables,
    universe,
)
from .goal import *  # noqa: F403
from .harmonise import *  # noqa: F403
from .indicators import *  # noqa: F403
from .inputs import *  # noqa: F403
from .model import *  # noqa: F403
from .neighbours import *  # noqa: F403
from .rates import *  # noqa: F403
from .spatial import *  # noqa: F403
from .tables import *  # noqa: F403
from .universe import *  # noqa: F403

__all__ = [
    *universe.__all__, *harmonise.__all__, *neighbours.__all__, *indicators.__all__,
    *inputs.__all__,
    *rates.__all__, *spatial.__all__, *model.__all__, *goal.__all__, *tables.__all__,
]
