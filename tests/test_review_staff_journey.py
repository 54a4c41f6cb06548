"""Review of the staff user's journey (registry, close, edit): defects a new user would hit."""

from django.urls import reverse
from django.utils import timezone

from facilities.models import Facility
from tests.factories import CommuneFactory, IndustryCodeFactory

NEXT_YEAR = timezone.localdate().year + 1


def _close(client, facility, year):
    return client.post(reverse("facilities:close", args=[facility.pk]), {"closed_year": year})


def test_close_form_names_only_the_real_problem(client, staff, facility):
    """A future, missing or malformed closing year got a second, wrong message: "enter the
    closing year when the facility has closed" although the staff member had entered one."""
    client.force_login(staff)
    for year, message in (
        (str(NEXT_YEAR), "Năm đóng cửa không được ở tương lai."),
        ("2001", "Năm đóng cửa không được trước năm thành lập."),  # established 2010
        ("", None),
    ):
        response = _close(client, facility, year)
        assert response.status_code == 200
        errors = response.context["form"].errors["closed_year"]
        assert len(errors) == 1, errors
        if message:
            assert errors == [message]
        assert "Cần nhập năm đóng cửa khi cơ sở đã đóng cửa." not in response.text
    facility.refresh_from_db()
    assert (facility.status, facility.closed_year) == ("active", None)


def _edit_payload(client, facility, **overrides) -> dict:
    """The edit form's data as the browser would send it back, with `overrides`."""
    form = client.get(reverse("facilities:edit", args=[facility.pk])).context["form"]
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.name] = "on" if value is True else value
    data.update(overrides)
    return data


def test_edit_form_refuses_a_closing_year_the_close_form_and_import_refuse(client, staff, facility):
    """The close page and the import refuse a closing year in the future or before the year
    of establishment; the edit form accepted both and showed the facility as closed today."""
    client.force_login(staff)
    url = reverse("facilities:edit", args=[facility.pk])
    for year, message in (
        (NEXT_YEAR, "Năm đóng cửa không được ở tương lai."),
        (2001, "Năm đóng cửa không được trước năm thành lập."),  # established 2010
    ):
        data = _edit_payload(client, facility, status="closed", closed_year=year)
        response = client.post(url, data)
        assert response.status_code == 200
        assert response.context["form"].errors["closed_year"] == [message]
        facility.refresh_from_db()
        assert (facility.status, facility.closed_year) == ("active", None)
    data = _edit_payload(client, facility, status="closed", closed_year=2019)
    assert client.post(url, data).status_code == 302
    facility.refresh_from_db()
    assert (facility.status, facility.closed_year) == ("closed", 2019)


def test_create_form_refuses_a_future_closing_year(client, staff):
    client.force_login(staff)
    data = {
        "name": "Công ty TNHH Gạch Đông Á",
        "tax_code": "0890830160",
        "address": "Số 1, Đường Lý Thái Tổ",
        "commune": CommuneFactory().pk,
        "industry": IndustryCodeFactory().pk,
        "status": "closed",
        "closed_year": NEXT_YEAR,
    }
    response = client.post(reverse("facilities:create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["closed_year"] == [
        "Năm đóng cửa không được ở tương lai."
    ]
    assert not Facility.objects.filter(tax_code="0890830160").exists()


def test_a_vsic_section_is_no_industry_a_facility_can_have(client, staff):
    """A section letter ("C") is not a division the figures can group by; the form offers and
    accepts divisions and finer codes only, as the import does."""
    client.force_login(staff)
    section = IndustryCodeFactory(code="C", name="Công nghiệp chế biến, chế tạo", level=1)
    data = {
        "name": "Công ty TNHH Gạch Đông Á",
        "tax_code": "0890830160",
        "address": "Số 1, Đường Lý Thái Tổ",
        "commune": CommuneFactory().pk,
        "industry": section.pk,
        "status": "active",
    }
    offered = client.get(reverse("facilities:create")).context["form"].fields["industry"]
    assert section not in offered.queryset
    response = client.post(reverse("facilities:create"), data)
    assert response.status_code == 200
    assert "industry" in response.context["form"].errors
    assert not Facility.objects.filter(tax_code="0890830160").exists()
    response = client.post(
        reverse("facilities:create"), {**data, "industry": IndustryCodeFactory().pk}
    )
    assert response.status_code == 302
