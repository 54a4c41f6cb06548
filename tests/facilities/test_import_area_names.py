"""An industrial area named in a facility file is looked up as people type it: any dash between
two names (a keyboard's hyphen for the catalogue's en dash) is as good as another; a name typed
without accents is not taken for a catalogue name, but the error suggests the one it likely
means."""

import difflib
import io

import pytest
from django.core.management import call_command

from core.text import fold
from facilities.importing import plan_file
from facilities.models import AdminUnit, Facility, IndustrialArea

from ..factories import make_tax_code
from .import_helpers import AREA, FOREIGN_COMMUNE, csv_bytes, good_row
from .import_helpers import make_references as _make_references

pytestmark = pytest.mark.django_db

DASHED = "KCN Song Khê – Nội Hoàng"  # with an en dash, as the catalogue writes it


@pytest.fixture(autouse=True)
def references(settings):
    settings.PORTAL_PROVINCE_CODE = 27
    _make_references()
    IndustrialArea.objects.create(name=DASHED, kind=IndustrialArea.Kind.KCN)


def _plan(area: str):
    return plan_file(io.BytesIO(csv_bytes([good_row(industrial_area=area)])), "co-so.csv")


@pytest.mark.parametrize(
    "typed", ["KCN Song Khê - Nội Hoàng", "KCN Song Khê-Nội Hoàng", "kcn song khê — nội hoàng"]
)
def test_any_dash_finds_the_area(typed):
    plan = _plan(typed)
    assert plan.is_valid, plan.problems
    assert plan.new_facilities[0].industrial_area.name == DASHED


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("kcn que vo", "KCN Quế Võ"), ("KCN Song Khe - Noi Hoang", DASHED)],
)
def test_a_name_without_accents_is_refused_with_a_suggestion(typed, meant):
    plan = _plan(typed)
    assert not plan.is_valid
    (problem,) = plan.problems
    assert problem.column == "industrial_area"
    assert problem.message == (
        f"Không có khu/cụm công nghiệp “{typed}” trong danh mục. Có phải “{meant}”?"
    )


def test_an_unlike_name_gets_no_suggestion():
    (problem,) = _plan("KCN Hoàn Toàn Khác").problems
    assert problem.message == "Không có khu/cụm công nghiệp “KCN Hoàn Toàn Khác” trong danh mục."


@pytest.mark.parametrize("typed", ["KCN Tiên Sơn", "KCN Quế Dương"])
def test_a_like_name_of_another_place_gets_no_suggestion(typed):
    """Alike as text (a few letters off, more than a typo's), but another place: no "Có phải"."""
    similarity = difflib.SequenceMatcher(None, fold(typed), fold(AREA)).ratio()
    assert 0.6 < similarity < 0.85  # what makes the name a test of the suggestion's threshold
    (problem,) = _plan(typed).problems
    assert problem.message == f"Không có khu/cụm công nghiệp “{typed}” trong danh mục."


# --- a national installation: the command line imports every province's facilities ------------


@pytest.fixture
def two_named(settings, references):
    """Bắc Ninh's area DASHED (old district 256) and Hải Phòng's of the same name (old 288)."""
    settings.PORTAL_SCOPE = "national"
    ours = IndustrialArea.objects.get(name=DASHED)
    ours.district = AdminUnit.objects.get(scheme=AdminUnit.Scheme.PRE2025, code="256")
    ours.save()
    theirs = IndustrialArea.objects.create(
        name=DASHED,
        kind=IndustrialArea.Kind.KCN,
        district=AdminUnit.objects.get(scheme=AdminUnit.Scheme.PRE2025, code="288"),
    )
    return ours, theirs


@pytest.mark.parametrize("typed", [DASHED, "KCN Song Khê - Nội Hoàng", "kcn song khê-nội hoàng"])
def test_a_national_import_finds_each_provinces_area_by_any_dash(tmp_path, two_named, typed):
    ours, theirs = two_named
    path = tmp_path / "co-so.csv"
    rows = [
        good_row(1, industrial_area=typed),
        good_row(2, commune_code=FOREIGN_COMMUNE, industrial_area=typed),
    ]
    path.write_bytes(csv_bytes(rows))
    call_command("import_facilities", str(path), stdout=io.StringIO())
    areas = dict(Facility.objects.values_list("tax_code", "industrial_area"))
    assert areas == {make_tax_code(1): ours.pk, make_tax_code(2): theirs.pk}
