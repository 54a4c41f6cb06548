"""A facility import plans on rows read before its transaction (minutes before, for a large file
run as a job): a facility saved by someone else in between refuses the whole file, rather than
the file's stale copy overwriting that save (core.locking.lock_unchanged)."""

import io

import pytest
from django.core.management import CommandError, call_command

from core.locking import ConcurrentChange
from facilities.importing import apply_import, plan_file
from facilities.models import Facility

from ..factories import FacilityFactory, make_tax_code
from .import_helpers import csv_bytes, good_row
from .import_helpers import make_references as _make_references

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def references(settings):
    settings.PORTAL_PROVINCE_CODE = 27
    _make_references()


def _file(employees: str) -> bytes:
    return csv_bytes([good_row(1, employees=employees), good_row(2)])


def _edit_meanwhile(phone: str = "0222 000 111") -> None:
    facility = Facility.objects.get(tax_code=make_tax_code(1))
    facility.contact_phone = phone
    facility.save()


def test_a_facility_saved_after_the_check_refuses_the_file(staff):
    FacilityFactory(tax_code=make_tax_code(1), employees=10)
    plan = plan_file(io.BytesIO(_file("75")), "co-so.csv")
    assert plan.is_valid and plan.to_update == 1 and plan.to_create == 1
    _edit_meanwhile()
    with pytest.raises(ConcurrentChange):
        apply_import(plan, user=staff)
    kept = Facility.objects.get(tax_code=make_tax_code(1))
    assert (kept.employees, kept.contact_phone) == (10, "0222 000 111")
    assert Facility.objects.count() == 1


def test_an_unchanged_facility_is_updated(staff):
    FacilityFactory(tax_code=make_tax_code(1), employees=10)
    plan = plan_file(io.BytesIO(_file("75")), "co-so.csv")
    apply_import(plan, user=staff)
    assert Facility.objects.get(tax_code=make_tax_code(1)).employees == 75
    assert Facility.objects.count() == 2


def test_the_command_says_so_and_writes_nothing(tmp_path, monkeypatch):
    from facilities import importing

    FacilityFactory(tax_code=make_tax_code(1), employees=10)
    path = tmp_path / "co-so.csv"
    path.write_bytes(_file("75"))
    planned = importing.plan_file

    def plan_then_someone_saves(*args, **kwargs):
        plan = planned(*args, **kwargs)
        _edit_meanwhile()
        return plan

    monkeypatch.setattr(importing, "plan_file", plan_then_someone_saves)
    with pytest.raises(CommandError) as caught:
        call_command("import_facilities", str(path), stdout=io.StringIO())
    assert caught.value.returncode == 1
    assert "Dữ liệu vừa bị thay đổi đồng thời; không có dữ liệu nào được ghi." in str(caught.value)
    assert Facility.objects.get(tax_code=make_tax_code(1)).employees == 10
    assert Facility.objects.count() == 1
