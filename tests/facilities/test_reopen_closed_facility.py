"""A facility has one closing year and no reopening: making a closed facility not closed again
would count it as operating (aware, applying, missing its reports) in every year since it
closed. The staff edit form asks for an explicit "the closing year was a mistake"
confirmation, naming the years, and records why in the history; the import refuses such a row
(the whole file); the close form and re-importing the export of a closed facility are as
before."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from facilities.models import Facility
from reports.indicators import compute_indicators
from tests.factories import FacilityFactory, IndustryCodeFactory, UserFactory

from ..factories import make_tax_code
from .edit_helpers import post_edit
from .import_helpers import confirm_import, csv_bytes, good_row, make_references

CLOSED = 2017
CONFIRM = "closed_year_mistaken"  # FacilityForm.CONFIRM


def _years() -> str:
    return f"{CLOSED + 1}–{timezone.localdate().year}"


@pytest.fixture
def closed(db):
    return FacilityFactory(
        industry=IndustryCodeFactory(code="10", level=2), status="closed", closed_year=CLOSED
    )


def _operating(year: int) -> int:
    return compute_indicators(year).operating


def test_reopening_without_confirmation_is_refused_naming_the_years(client, staff, closed):
    before = _operating(CLOSED + 1)
    client.force_login(staff)
    response = post_edit(client, closed, status="active", closed_year="")
    assert response.status_code == 200  # the form again, with its errors
    errors = response.context["form"].errors
    assert list(errors) == [CONFIRM]
    assert f"đóng cửa năm {CLOSED}" in errors[CONFIRM][0]
    assert _years() in errors[CONFIRM][0]
    assert _years() in response.text
    closed.refresh_from_db()
    assert (closed.status, closed.closed_year, closed.version) == ("closed", CLOSED, 1)
    assert _operating(CLOSED + 1) == before
    assert closed.history.count() == 1


@pytest.mark.parametrize("status", ["active", "suspended"])
def test_the_checkbox_is_offered_for_a_closed_facility_only(client, staff, closed, status):
    client.force_login(staff)
    page = client.get(reverse("facilities:edit", args=[closed.pk]))
    names = list(page.context["form"].fields)
    assert names[names.index("closed_year") + 1] == CONFIRM  # right below the closing year
    assert f"Năm đóng cửa {CLOSED} đã nhập nhầm" in page.text
    assert _years() in page.text  # the help text names the years that would change
    post_edit(client, closed, status=status, closed_year="")
    closed.refresh_from_db()
    assert closed.status == "closed"
    other = FacilityFactory(industry=closed.industry)
    page = client.get(reverse("facilities:edit", args=[other.pk]))
    assert CONFIRM not in page.context["form"].fields


def test_reopening_with_confirmation_is_saved_with_a_history_reason(client, staff, closed):
    before = _operating(CLOSED + 1)
    client.force_login(staff)
    response = post_edit(client, closed, status="active", closed_year="", **{CONFIRM: "on"})
    assert response.status_code == 302, response.context["form"].errors
    closed.refresh_from_db()
    assert (closed.status, closed.closed_year) == ("active", None)
    assert _operating(CLOSED + 1) == before + 1  # what the confirmation warned about
    reason = closed.history.latest("history_id").history_change_reason
    assert reason == f"Xóa năm đóng cửa nhập nhầm ({CLOSED})"
    assert reason in client.get(closed.get_absolute_url()).text


def test_other_edits_of_a_closed_facility_need_no_confirmation(client, staff, closed):
    client.force_login(staff)
    response = post_edit(
        client, closed, name="Công ty TNHH Gạch ốp lát Hoàng Long", closed_year=2018
    )
    assert response.status_code == 302, response.context["form"].errors
    closed.refresh_from_db()
    assert (closed.name, closed.status, closed.closed_year) == (
        "Công ty TNHH Gạch ốp lát Hoàng Long",
        "closed",
        2018,
    )
    assert not closed.history.latest("history_id").history_change_reason


def test_the_close_form_is_unchanged(client, staff):
    facility = FacilityFactory(industry=IndustryCodeFactory(code="10", level=2))
    client.force_login(staff)
    response = client.post(reverse("facilities:close", args=[facility.pk]), {"closed_year": 2019})
    assert response.status_code == 302
    facility.refresh_from_db()
    assert (facility.status, facility.closed_year) == ("closed", 2019)


# --- The Django admin (a superuser's form, with the same rule) ----------------------------------


@pytest.fixture
def superuser(db):
    return UserFactory(username="quantri_h9", role=Role.STAFF, is_staff=True, is_superuser=True)


def _admin_change(client, facility, **changes):
    """Post the admin's change form with its current values, `changes` over them."""
    url = reverse("admin:facilities_facility_change", args=[facility.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: "" if v is None else v for k, v in data.items() if v is not False}
    data.update(changes)
    return client.post(url, data)


def test_admin_asks_the_same_confirmation(client, superuser, closed):
    client.force_login(superuser)
    response = _admin_change(client, closed, status="active", closed_year="")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [CONFIRM] and _years() in errors[CONFIRM][0]
    assert _years() in response.text
    closed.refresh_from_db()
    assert (closed.status, closed.closed_year) == ("closed", CLOSED)
    response = _admin_change(client, closed, status="active", closed_year="", **{CONFIRM: "on"})
    assert response.status_code == 302
    closed.refresh_from_db()
    assert (closed.status, closed.closed_year) == ("active", None)
    reason = closed.history.latest("history_id").history_change_reason
    assert reason == f"Xóa năm đóng cửa nhập nhầm ({CLOSED})"


def test_admin_edits_an_open_facility_as_before(client, superuser, closed):
    facility = FacilityFactory(industry=closed.industry)
    client.force_login(superuser)
    response = _admin_change(client, facility, status="suspended")
    assert response.status_code == 302
    facility.refresh_from_db()
    assert facility.status == "suspended"


# --- The import -------------------------------------------------------------------------------


@pytest.fixture
def references(db, settings):
    settings.PORTAL_PROVINCE_CODE = 27
    make_references()


def _upload(client, content: bytes, name: str = "co-so.csv"):
    return client.post(reverse("facilities:import"), {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def imported_closed(references, client, staff):
    """Two facilities registered by an import; the first then closed in CLOSED."""
    client.force_login(staff)
    _upload(client, csv_bytes([good_row(1), good_row(2)]))
    confirm_import(client)
    facility = Facility.objects.get(tax_code=make_tax_code(1))
    response = client.post(reverse("facilities:close", args=[facility.pk]), {"closed_year": CLOSED})
    assert response.status_code == 302
    facility.refresh_from_db()
    return facility


@pytest.mark.parametrize("status", ["active", "suspended", ""])
def test_import_refuses_a_row_reopening_a_closed_facility(client, imported_closed, status):
    rows = [good_row(1, status=status), good_row(2, name="Công ty TNHH Thực phẩm Đổi tên")]
    response = _upload(client, csv_bytes(rows))
    assert response.status_code == 200
    problems = response.context["problems"]
    assert [(p.row, p.column) for p in problems] == [(2, "status")]
    assert f"đã đóng cửa năm {CLOSED}" in problems[0].message
    assert "sửa trên trang cơ sở" in problems[0].message
    assert "Xác nhận nhập" not in response.text
    confirm_import(client)
    imported_closed.refresh_from_db()
    assert (imported_closed.status, imported_closed.closed_year) == ("closed", CLOSED)
    # The whole file: the other row's valid change is not written either.
    assert Facility.objects.get(tax_code=make_tax_code(2)).name == good_row(2)["name"]


def test_reimporting_the_export_of_a_closed_facility_is_unchanged(client, imported_closed):
    for kind in ("csv", "xlsx"):
        content = client.get(reverse("facilities:export"), {"format": kind}).content
        response = _upload(client, content, f"xuat.{kind}")
        plan = response.context["plan"]
        assert plan.is_valid, plan.problems
        assert (plan.to_create, plan.to_update, plan.unchanged) == (0, 0, 2), kind
