"""Two old districts of one name for the label tests (territory.unit_label): old Bến Tre (83),
Trà Vinh (84) and Vĩnh Long (86), merged into Vĩnh Long 86 in 2025, a "Huyện Châu Thành" in each
of the first two, "Huyện Long Hồ" in the third; a facility in each with an approved report."""

from reports import fact_table

from ..factories import CommuneFactory, DistrictFactory, ProvinceFactory
from .indicator_helpers import facility, report

YEAR = 2018
CHAU_THANH = "Huyện Châu Thành"
BEN_TRE = "Huyện Châu Thành (Tỉnh Bến Tre)"
TRA_VINH = "Huyện Châu Thành (Tỉnh Trà Vinh)"
LONG_HO = "Huyện Long Hồ"
# The old district codes and their labels.
LABELS = {"831": BEN_TRE, "847": TRA_VINH, "857": LONG_HO}


def build_places(settings, extra=()) -> dict[str, str]:
    """The portal is Vĩnh Long 86; the three old districts with a commune each and a facility
    in each commune with an approved report of YEAR, plus the facilities `extra` names as
    (district code, facility name). Returns {district code: facility name} of the first
    three; the fact table is rebuilt."""
    settings.PORTAL_PROVINCE, settings.PORTAL_PROVINCE_CODE = 86, None
    communes = {}
    for province_code, province, district_code, district, commune_code, commune in (
        ("83", "Tỉnh Bến Tre", "831", CHAU_THANH, "28804", "Xã Tân Thạch"),
        ("84", "Tỉnh Trà Vinh", "847", CHAU_THANH, "29374", "Thị trấn Châu Thành"),
        ("86", "Tỉnh Vĩnh Long", "857", LONG_HO, "29242", "Thị trấn Long Hồ"),
    ):
        old = ProvinceFactory(code=province_code, name=province)
        unit = DistrictFactory(code=district_code, name=district, parent=old)
        communes[district_code] = CommuneFactory(code=commune_code, name=commune, parent=unit)
    names = {"831": "Công ty Bánh phồng Tân Thạch", "847": "Công ty Thủy sản Châu Thành"}
    names["857"] = "Công ty Gạch Long Hồ"
    for code, name in [*names.items(), *extra]:
        report(facility(name=name, commune=communes[code]), YEAR)
    fact_table.rebuild()
    return names
