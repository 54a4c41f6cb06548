"""A facility import that gives an old commune but no 2025 ward (no `ward_code` column, or an
empty cell) keeps the facility's 2025 ward and checks it against the old commune, as the edit
form does (facilities.forms.FacilityForm): an old commune added to a facility that has a ward is
refused unless that commune became the ward (the row's error names both and the candidates, and
nothing is written); only an old commune changed for another one gives its ward again. Through
the `import_facilities` command and the web import's preview and confirmation."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from facilities.forms import FacilityForm
from facilities.models import Facility
from tests.factories import FacilityFactory

from .facilities.import_helpers import confirm_import, csv_bytes
from .facilities.territory_helpers import (
    CAM_THUONG,
    CAT_HAI,
    LE_THANH_NGHI,
    TAN_HUNG,
    THANH_DONG,
    TRAN_CHAU,
    TRAN_PHU,
    TU_MINH,
    hai_phong,  # noqa: F401 (fixture)
    new,
    old,
)

pytestmark = pytest.mark.usefixtures("hai_phong")

HEADER = ["tax_code", "name", "address", "commune_code", "vsic_code"]
WITH_WARD = ["tax_code", "name", "address", "commune_code", "ward_code", "vsic_code"]
MISMATCH = "không khớp với xã/phường mới"


def _facility(commune=None, ward=None) -> Facility:
    return FacilityFactory(
        commune=old(commune) if commune else None, ward=new(ward) if ward else None
    )


def _file(facility, commune, header=HEADER, ward="") -> bytes:
    row = {
        "tax_code": facility.tax_code,
        "name": facility.name,
        "address": "x",
        "commune_code": commune,
        "ward_code": ward,
        "vsic_code": facility.industry.code,
    }
    return csv_bytes([row], header)


def _command(tmp_path, content: bytes) -> list[str]:
    path = tmp_path / "co-so.csv"
    path.write_bytes(content)
    out = io.StringIO()
    call_command("import_facilities", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue().splitlines()


def _refused_by_command(tmp_path, content: bytes) -> list[str]:
    out = io.StringIO()
    path = tmp_path / "co-so.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError):
        call_command("import_facilities", str(path), stdout=out, stderr=io.StringIO())
    return [line for line in out.getvalue().splitlines() if line.startswith("row ")]


def _address(facility) -> tuple:
    facility = Facility.objects.select_related("commune", "ward").get(pk=facility.pk)
    return facility.commune, facility.ward


def _preview(client, content: bytes):
    upload = io.BytesIO(content)
    upload.name = "co-so.csv"
    return client.post(reverse("facilities:import"), {"file": upload})


# --- An old commune added to a ward-only facility ----------------------------------------------


@pytest.mark.parametrize("header", [HEADER, WITH_WARD])
def test_the_command_refuses_an_old_commune_that_did_not_become_the_ward(tmp_path, header):
    facility = _facility(ward=THANH_DONG)
    # The edit form refuses the same change.
    form = FacilityForm(
        data={**_form_data(facility), "commune": old(TRAN_CHAU).pk}, instance=facility
    )
    assert not form.is_valid() and "không khớp" in form.errors["ward"][0]

    lines = _refused_by_command(tmp_path, _file(facility, TRAN_CHAU, header))

    assert len(lines) == 1 and lines[0].startswith("row 2, column commune_code: ")
    assert "Xã Trân Châu (11941)" in lines[0] and MISMATCH in lines[0]
    assert "Phường Thành Đông (10507)" in lines[0]  # the facility's ward
    assert "nay thuộc Đặc khu Cát Hải (11914)" in lines[0]  # the commune's
    assert _address(facility) == (None, new(THANH_DONG))


def test_the_command_refuses_a_split_commune_that_did_not_become_the_ward(tmp_path):
    facility = _facility(ward=TU_MINH)

    lines = _refused_by_command(tmp_path, _file(facility, TRAN_PHU))

    assert len(lines) == 1 and lines[0].startswith("row 2, column commune_code: ")
    assert "Phường Trần Phú (10528)" in lines[0] and "Phường Tứ Minh (10891)" in lines[0]
    assert "Phường Lê Thanh Nghị (10532), Phường Tân Hưng (10537)" in lines[0]
    assert _address(facility) == (None, new(TU_MINH))


@pytest.mark.parametrize(
    ("commune", "ward"), [(CAM_THUONG, THANH_DONG), (TRAN_PHU, TAN_HUNG), (TRAN_PHU, LE_THANH_NGHI)]
)
def test_the_command_keeps_the_ward_an_added_old_commune_became(tmp_path, commune, ward):
    facility = _facility(ward=ward)

    lines = _command(tmp_path, _file(facility, commune))

    assert not [line for line in lines if line.startswith("row ")]  # no warning either
    assert lines[-1].startswith("Đã nhập co-so.csv: thêm mới 0, cập nhật 1")
    assert _address(facility) == (old(commune), new(ward))


def test_the_web_preview_shows_the_error_and_nothing_is_imported(client, staff):
    facility = _facility(ward=THANH_DONG)
    client.force_login(staff)

    preview = _preview(client, _file(facility, TRAN_CHAU))

    assert preview.status_code == 200 and not preview.context["plan"].is_valid
    [problem] = preview.context["plan"].problems
    assert (problem.row, problem.column) == (2, "commune_code")
    assert MISMATCH in problem.message and "Phường Thành Đông (10507)" in problem.message
    assert "Xã Trân Châu (11941)" in preview.text and "Đặc khu Cát Hải (11914)" in preview.text
    confirm_import(client)
    assert _address(facility) == (None, new(THANH_DONG))


def test_the_web_import_keeps_the_ward_of_a_split_commune_it_is_one_of(client, staff):
    facility = _facility(ward=TAN_HUNG)
    client.force_login(staff)

    preview = _preview(client, _file(facility, TRAN_PHU))

    assert preview.context["plan"].is_valid and not preview.context["plan"].warnings
    confirm_import(client)
    assert _address(facility) == (old(TRAN_PHU), new(TAN_HUNG))


# --- Other changes of the old commune ----------------------------------------------------------


def test_an_old_commune_changed_for_another_gives_its_ward_again(tmp_path):
    facility = _facility(CAM_THUONG, THANH_DONG)

    _command(tmp_path, _file(facility, TRAN_CHAU))

    assert _address(facility) == (old(TRAN_CHAU), new(CAT_HAI))


def test_an_emptied_old_commune_keeps_the_ward_as_the_form_does(tmp_path):
    facility = _facility(CAM_THUONG, THANH_DONG)
    form = FacilityForm(data={**_form_data(facility), "commune": ""}, instance=facility)
    assert form.is_valid(), form.errors

    _command(tmp_path, _file(facility, ""))

    assert _address(facility) == (None, new(THANH_DONG))


def _form_data(facility) -> dict:
    return {
        "name": facility.name,
        "tax_code": facility.tax_code,
        "address": facility.address,
        "commune": facility.commune_id or "",
        "ward": facility.ward_id or "",
        "industry": facility.industry_id,
        "ownership": facility.ownership,
        "status": facility.status,
        "version": facility.version,
    }
