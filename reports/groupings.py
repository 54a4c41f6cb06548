"""The groupings of facilities every computed indicator is given for (DESIGN §4, §5): old
province, old district, 2025 commune/ward, VSIC division, high pollution risk, key energy user.
Their keys (as in the API), their names, their order in the tables and the SQL condition that
selects one group from the facts (`reports.facts`).
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import reduce

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.collation import sort_key
from facilities.models import AdminUnit, IndustryCode
from facilities.territory import TERRITORY_CHANGE_YEAR, unit_label

from .figures import TABLE_CODES, Figure


class Grouping(models.TextChoices):
    """The groupings of facilities every computed indicator is given for (DESIGN §4, §5)."""

    # A national installation's breakdown (DESIGN §2, §5 `group=province`).
    PROVINCE = "province", _("Theo tỉnh/thành phố (từ 1/7/2025)")
    OLD_DISTRICT = "old_district", _("Theo huyện cũ (trước 2025)")
    OLD_PROVINCE = "old_province", _("Theo tỉnh cũ")
    WARD = "ward", _("Theo xã/phường (từ 1/7/2025)")
    SECTOR = "sector", _("Theo ngành")
    HIGH_POLLUTION_RISK = "high_pollution_risk", _("Cơ sở nguy cơ ô nhiễm cao")
    KEY_ENERGY_USER = "key_energy_user", _("Cơ sở sử dụng năng lượng trọng điểm")


GROUPINGS = tuple(Grouping.values)
PLACE_GROUPINGS = (Grouping.OLD_DISTRICT, Grouping.OLD_PROVINCE, Grouping.WARD)
FLAG_GROUPINGS = (Grouping.HIGH_POLLUTION_RISK, Grouping.KEY_ENERGY_USER)
# The key of the group of facilities without a unit of the grouping (no old commune, no ward).
NONE_KEY = "none"
# The column of `flags` (FACTS_SQL) holding each grouping's key.
GROUP_COLUMNS = {
    Grouping.PROVINCE: "province",
    Grouping.OLD_PROVINCE: "old_province",
    Grouping.OLD_DISTRICT: "old_district",
    Grouping.WARD: "ward",
    Grouping.SECTOR: "division",
    Grouping.HIGH_POLLUTION_RISK: "high_risk",
    Grouping.KEY_ENERGY_USER: "key_energy",
}
NONE_LABELS = {
    Grouping.PROVINCE: _("Chưa xác định tỉnh/thành phố"),
    Grouping.OLD_PROVINCE: _("Không có địa bàn cũ (chỉ khai xã/phường mới)"),
    Grouping.OLD_DISTRICT: _("Không có địa bàn cũ (chỉ khai xã/phường mới)"),
    Grouping.WARD: _("Chưa xác định xã/phường mới"),
    Grouping.SECTOR: _("Chưa xác định ngành"),
}
FLAG_LABELS = {
    Grouping.HIGH_POLLUTION_RISK: {
        "true": _("Cơ sở có nguy cơ ô nhiễm cao"),
        "false": _("Cơ sở khác"),
    },
    Grouping.KEY_ENERGY_USER: {
        "true": _("Cơ sở sử dụng năng lượng trọng điểm"),
        "false": _("Cơ sở khác"),
    },
}


def default_grouping(year: int) -> str:
    """The place grouping of a year: old districts before 2025, 2025 communes/wards after."""
    return Grouping.OLD_DISTRICT if year < TERRITORY_CHANGE_YEAR else Grouping.WARD


@dataclass
class Breakdown:
    """The computed indicators of one group of a grouping: `key` as in the API (a GSO code, a
    two-digit division, "true"/"false", or NONE_KEY), `label` names the unit as it was."""

    key: str
    label: str
    operating: int
    values: dict[str, Figure]
    grouping: str = ""
    reported: int = 0  # facilities with an approved report of the year

    def value(self, code: str) -> Figure | None:
        return self.values.get(code)

    @property
    def table_values(self) -> dict[str, Figure]:
        """The figures of the tables of groups (TABLE_CODES), in order."""
        return {code: self.values[code] for code in TABLE_CODES}


def _group_order(grouping: str, row: Breakdown):
    if grouping in FLAG_GROUPINGS:
        return (row.key != "true", "")
    last = row.key == NONE_KEY
    if grouping == Grouping.SECTOR:
        return (last, row.key)
    return (last, sort_key(row.label))


def breakdowns(grouping: str, groups: dict, labels: dict) -> list[Breakdown]:
    names = labels.get(grouping, {})
    rows = [
        Breakdown(
            key,
            str(names.get(key, key)),
            counts.operating,
            counts.values(),
            grouping,
            counts.reported,
        )
        for key, counts in groups.items()
    ]
    return sorted(rows, key=lambda row: _group_order(grouping, row))


_UNIT_SCOPES = {
    Grouping.PROVINCE: (AdminUnit.Scheme.V2025, AdminUnit.Level.PROVINCE),
    Grouping.OLD_PROVINCE: (AdminUnit.Scheme.PRE2025, AdminUnit.Level.PROVINCE),
    Grouping.OLD_DISTRICT: (AdminUnit.Scheme.PRE2025, AdminUnit.Level.DISTRICT),
    Grouping.WARD: (AdminUnit.Scheme.V2025, AdminUnit.Level.COMMUNE),
}


def group_labels(counts_by_year: dict) -> dict[str, dict]:
    """{grouping: {key: name}} for the keys that occur (two queries): places by their names in
    their scheme (old names for the old groupings; an old district another one shares its name
    with, with its old province: territory.unit_label), divisions as "10 – name"."""
    keys: dict = {}
    for counts in counts_by_year.values():
        for grouping, groups in counts.items():
            keys.setdefault(grouping, set()).update(groups)
    labels: dict = {
        grouping: {NONE_KEY: NONE_LABELS[grouping]} for grouping in NONE_LABELS if grouping in keys
    }
    labels.update({grouping: FLAG_LABELS[grouping] for grouping in FLAG_GROUPINGS})
    places = [
        Q(scheme=scheme, level=level, code__in=keys[grouping] - {NONE_KEY})
        for grouping, (scheme, level) in _UNIT_SCOPES.items()
        if keys.get(grouping, set()) - {NONE_KEY}
    ]
    if places:
        by_scope = {scope: grouping for grouping, scope in _UNIT_SCOPES.items()}
        units = AdminUnit.objects.filter(reduce(operator.or_, places)).annotate(label=unit_label())
        for scheme, level, code, name in units.values_list("scheme", "level", "code", "label"):
            labels[by_scope[(scheme, level)]][code] = name
    divisions = keys.get(Grouping.SECTOR, set()) - {NONE_KEY}
    if divisions:
        names = IndustryCode.objects.filter(level=2, code__in=divisions).values_list("code", "name")
        labels[Grouping.SECTOR].update({code: f"{code} – {name}" for code, name in names})
    return labels


def group_name(grouping: str, key: str) -> str:
    """The name of one group (as in the tables), at most one query."""
    return str(group_labels({None: {grouping: {key: None}}}).get(grouping, {}).get(key, key))


def group_condition(grouping: str, key: str) -> tuple[str, list]:
    """The SQL condition on `flags` selecting the group `key` of `grouping` (a ValueError for
    an unknown grouping or a flag key other than "true"/"false")."""
    column = GROUP_COLUMNS[Grouping(grouping)]
    if grouping in FLAG_GROUPINGS:
        if key not in ("true", "false"):
            raise ValueError(key)
        return f"{column} = %s", [1 if key == "true" else 0]
    if key == NONE_KEY:
        return f"{column} IS NULL", []
    return f"{column} = %s", [key]
