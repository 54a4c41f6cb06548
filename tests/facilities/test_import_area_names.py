"""An industrial area named in a facility file is looked up as people type it: any dash between
two names (a keyboard's hyphen for the catalogue's en dash) is as good as another; a name typed
without accents is not taken for a catalogue name, but the error suggests the one it likely
means."""

import io

import pytest

from facilities.importing import plan_file
from facilities.models import IndustrialArea

from .import_helpers import csv_bytes, good_row
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
