"""A national installation loads every province's units (DESIGN §2, issue 18): the 34 provinces
of 1 July 2025 with their communes/wards, the 63 old provinces with their districts and
communes, and the old→new links; idempotent, and loading one province again keeps the links of
an old commune to another province's wards."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from facilities.models import AdminUnit
from facilities.reference import load_admin_units

pytestmark = pytest.mark.django_db

Level, Scheme = AdminUnit.Level, AdminUnit.Scheme


def load(*args) -> str:
    out = StringIO()
    call_command("load_admin_units", *args, stdout=out)
    return out.getvalue()


def links() -> int:
    return AdminUnit.successors.through.objects.count()


def test_every_province_is_loaded_once(settings):
    settings.PORTAL_SCOPE = "national"
    out = load()  # national: every province without --province
    assert "34 tỉnh/thành phố" in out
    provinces = AdminUnit.objects.filter(level=Level.PROVINCE)
    # 34 provinces since 1 July 2025, 63 before (DOMAIN.md).
    assert provinces.filter(scheme=Scheme.V2025).count() == 34
    assert provinces.filter(scheme=Scheme.PRE2025).count() == 63
    assert AdminUnit.objects.filter(level=Level.DISTRICT).count() > 650
    assert AdminUnit.objects.filter(level=Level.COMMUNE, scheme=Scheme.PRE2025).count() > 10_000
    assert AdminUnit.objects.filter(level=Level.COMMUNE, scheme=Scheme.V2025).count() > 3_000
    before = (AdminUnit.objects.count(), links())
    again = load("--all")
    assert "tạo mới 0, cập nhật 0" in again and "tạo mới 34" not in again
    assert (AdminUnit.objects.count(), links()) == before
    # An old province split between two 2025 provinces: loading one of them again drops none
    # of its old communes' links into the other.
    shared = _a_province_with_a_split_legacy_source()
    load_admin_units(shared, legacy=False)
    assert links() == before[1]


def _a_province_with_a_split_legacy_source() -> int:
    from vietnam_provinces import Province

    heirs: dict[int, list[int]] = {}
    for province in Province.iter_all():
        for source in province.get_legacy_sources():
            heirs.setdefault(source.code.value, []).append(province.code.value)
    return next(sorted(codes)[0] for codes in heirs.values() if len(codes) > 1)


def test_all_and_province_together_are_refused():
    with pytest.raises(CommandError, match="--all hoặc --province"):
        load("--all", "--province", "27")
