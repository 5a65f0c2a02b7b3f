"""Product groups and ports with English and Chinese names (商品类别与口岸).

The vocabulary shared by the synthetic generator (:mod:`ciqanalysis.sample`), the
panels and the charts. Product groups are coarse bundles of HS chapters (HS 章)
that matter for Jilin's inspected trade (检验检疫货物): vehicle imports for
Changchun's car makers, timber and seafood from Russia through Hunchun (珲春), and
the agricultural exports of the county economies (一县一业) such as ginseng (人参),
deer products (鹿产业), seed kernels (籽仁) and peanuts (花生). Ports are the
border crossings, airports and inland or through ports that Jilin's consignments
use.

Examples
--------
>>> from ciqanalysis.labels import product_label, port_label
>>> product_label("ginseng")
'ginseng 人参'
>>> port_label("hunchun", "zh")
'珲春'
"""

from __future__ import annotations

from typing import NamedTuple

from ._docstring import fill
from .errors import ParameterError
from .units import lookup_label

__all__ = [
    "ProductGroup",
    "Port",
    "PRODUCT_GROUPS",
    "PORTS",
    "product_label",
    "port_label",
]


class ProductGroup(NamedTuple):
    """One product group: names, HS chapters (HS 章) and typical direction."""

    en: str
    zh: str
    hs2: tuple[str, ...]
    direction: str  # "export", "import" or "both"


class Port(NamedTuple):
    """One port of entry or exit (口岸): names and kind."""

    en: str
    zh: str
    kind: str  # "airport", "inland", "road", "rail", "road_rail", "seaport"


#: Product group slug -> names, HS chapters and typical direction (出境/进境).
PRODUCT_GROUPS: dict[str, ProductGroup] = {
    # mainly imports (进境)
    "vehicles_parts": ProductGroup("vehicles & parts", "汽车及零部件", ("87",), "both"),
    "machinery": ProductGroup("machinery & electrical equipment", "机电设备", ("84", "85"), "both"),
    "iron_ore_minerals": ProductGroup(
        "iron ore & minerals", "铁矿砂及矿产品", ("26", "25", "27"), "import"
    ),
    "timber_logs": ProductGroup("timber & logs", "原木及木材", ("44",), "import"),
    "soybeans_grain": ProductGroup("soybeans & grain", "大豆及粮食", ("12", "10"), "import"),
    "seafood": ProductGroup("seafood", "水产品", ("03", "16"), "import"),
    "chemicals": ProductGroup("chemicals & plastics", "化工产品", ("29", "28", "38", "39"), "both"),
    # mainly exports (出境)
    "ginseng": ProductGroup("ginseng", "人参", ("12", "13", "21"), "export"),
    "deer_products": ProductGroup("deer products", "鹿产品", ("05", "02", "30"), "export"),
    "seed_kernels": ProductGroup(
        "seed kernels (sunflower, pumpkin)", "籽仁", ("12", "20"), "export"
    ),
    "peanuts": ProductGroup("peanuts", "花生", ("12", "20"), "export"),
    "edible_fungi": ProductGroup(
        "edible fungi (black wood-ear)", "食用菌（黑木耳）", ("07", "20"), "export"
    ),
    "rice": ProductGroup("rice", "大米", ("10",), "export"),
    "vegetables_kimchi": ProductGroup("vegetables & kimchi", "蔬菜及泡菜", ("20", "07"), "export"),
    "berries": ProductGroup(
        "berries (raspberry, blueberry)", "浆果（树莓、蓝莓）", ("08", "20"), "export"
    ),
    "pine_nuts": ProductGroup("pine nuts", "松子", ("08",), "export"),
    "forest_frog": ProductGroup(
        "forest frog (oviductus ranae)", "林蛙（林蛙油）", ("05", "16"), "export"
    ),
    "honey": ProductGroup("honey", "蜂蜜", ("04",), "export"),
    "processed_food": ProductGroup(
        "processed food", "加工食品", ("16", "19", "20", "21", "22"), "export"
    ),
    "railway_vehicles": ProductGroup("railway vehicles", "轨道客车", ("86",), "export"),
    "wood_products": ProductGroup(
        "wood products & furniture", "木制品及家具", ("44", "94"), "export"
    ),
    "textiles": ProductGroup("textiles & clothing", "纺织服装", ("61", "62", "63"), "export"),
}

#: Port slug -> names and kind. Border crossings face Russia (珲春) and the DPRK.
PORTS: dict[str, Port] = {
    "changchun": Port("Changchun (airport & inland port)", "长春", "inland"),
    "jilin": Port("Jilin City (inland port)", "吉林", "inland"),
    "yanji": Port("Yanji (airport)", "延吉", "airport"),
    "hunchun": Port("Hunchun", "珲春", "road_rail"),
    "quanhe": Port("Quanhe", "圈河", "road"),
    "tumen": Port("Tumen", "图们", "road_rail"),
    "nanping": Port("Nanping", "南坪", "road"),
    "sanhe": Port("Sanhe", "三合", "road"),
    "kaishantun": Port("Kaishantun", "开山屯", "road"),
    "jian": Port("Ji'an", "集安", "road_rail"),
    "changbai": Port("Changbai", "长白", "road"),
    "linjiang": Port("Linjiang", "临江", "road"),
    "dalian": Port("Dalian (through port)", "大连", "seaport"),
}


@fill(key="group", table="PRODUCT_GROUPS", example="ginseng", what="product group")
def product_label(group: str, lang: str = "both") -> str:
    """Return the label of a product group (商品类别) in English, Chinese or both.

    %(label_params)s

    Examples
    --------
    >>> product_label("deer_products", "zh")
    '鹿产品'
    >>> product_label("peanuts", "en")
    'peanuts'
    """
    return lookup_label(PRODUCT_GROUPS, group, "product group", lang, ParameterError)


@fill(key="port", table="PORTS", example="quanhe", what="port")
def port_label(port: str, lang: str = "both") -> str:
    """Return the label of a port (口岸) in English, Chinese or both.

    %(label_params)s

    Examples
    --------
    >>> port_label("quanhe")
    'Quanhe 圈河'
    >>> port_label("jian", "en")
    "Ji'an"
    """
    return lookup_label(PORTS, port, "port", lang, ParameterError)
