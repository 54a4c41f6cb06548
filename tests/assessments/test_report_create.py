"""assessments:report_create — a facility's representative (draft) or staff (approved on save)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import AnnualReport

from ..factories import AnnualReportFactory, UserFactory
from .report_helpers import events, report_data


def _url(facility):
    return reverse("assessments:report_create", args=[facility.pk])


def test_it_works(client, facility_user, facility):
    client.force_login(facility_user)
    response = client.get(_url(facility))
    assert response.status_code == 200
    assert "Lập báo cáo năm" in response.text
    assert "Lưu và gửi Sở duyệt" in response.text

    response = client.post(_url(facility), report_data())
    report = AnnualReport.objects.get()
    assert response.status_code == 302 and response.url == report.get_absolute_url()
    assert (report.facility, report.year, report.state) == (facility, 2019, "draft")
    assert report.coal_t == Decimal("120.5")  # decimal comma accepted
    assert report.created_by == facility_user
    assert events(report) == [("save", "", "draft", "")]


def test_save_and_submit(client, facility_user, facility, open_deadline):
    client.force_login(facility_user)
    client.post(_url(facility), report_data(submit="1"))
    report = AnnualReport.objects.get()
    assert report.state == "submitted"
    assert [e[0] for e in events(report)] == ["save", "submit"]


def test_save_and_submit_after_the_deadline_keeps_the_draft(client, facility_user, facility):
    client.force_login(facility_user)  # 2019's default deadline, 15/01/2020, has passed
    response = client.post(_url(facility), report_data(submit="1"), follow=True)
    assert AnnualReport.objects.get().state == "draft"
    assert "chưa gửi được" in response.text and "quá hạn" in response.text


def test_staff_entry_is_approved_on_save(client, staff, facility):
    client.force_login(staff)
    response = client.get(_url(facility))
    assert "được duyệt ngay khi lưu" in response.text
    client.post(_url(facility), report_data())
    report = AnnualReport.objects.get()
    assert report.state == "approved"
    assert report.reviewed_by == staff


def test_forged_hidden_fields_are_ignored(client, facility_user, facility, other_facility, staff):
    client.force_login(facility_user)
    forged = report_data(
        facility=other_facility.pk, state="approved", reviewed_by=staff.pk, created_by=staff.pk
    )
    response = client.post(_url(facility), forged)
    assert response.status_code == 302
    report = AnnualReport.objects.get()
    assert report.facility == facility
    assert report.state == "draft"
    assert report.reviewed_by is None
    assert report.created_by == facility_user
    form = client.get(_url(facility)).context["form"]
    assert not {"facility", "state", "reviewed_by", "created_by"} & set(form.fields)


def test_it_requires_login(client, facility):
    response = client.get(_url(facility))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_hides_other_facilities(client, outsider, facility):
    client.force_login(outsider)
    assert client.get(_url(facility)).status_code == 404
    assert client.post(_url(facility), report_data()).status_code == 404
    assert not AnnualReport.objects.exists()


def test_it_refuses_officials(client, official, facility):
    client.force_login(official)
    assert client.get(_url(facility)).status_code == 403
    assert client.post(_url(facility), report_data()).status_code == 403
    assert not AnnualReport.objects.exists()


def test_a_facility_user_without_the_facility_gets_404(client, facility):
    stranger = UserFactory(username="khong_co_co_so", role="facility")
    client.force_login(stranger)
    assert client.get(_url(facility)).status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("year", "2015", "không phải là một trong các lựa chọn"),
        ("year", "2099", "không phải là một trong các lựa chọn"),
        ("output", "-5", "Phải là số ≥ 0."),
        ("electricity_kwh", "abc", "Bạn nhập abc — không phải là số hợp lệ"),
        ("water_m3", "58.3", "Bạn nhập 58.3 — ý là 58,3 hay 58.300?"),
        ("revenue_bn_vnd", "1,234.5", "Hãy viết kiểu Việt Nam: 1.234,5"),
        ("employees", "1,5", "phải là số nguyên"),
        ("coal_t", "1,2345", "chữ số"),
        ("other_fuel_amount", "10", "Cần nhập hệ số TOE"),
    ],
)
def test_it_rejects_bad_input(client, facility_user, facility, field, value, message):
    client.force_login(facility_user)
    response = client.post(_url(facility), report_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.text
    assert not AnnualReport.objects.exists()


def test_it_reads_numbers_typed_the_vietnamese_way(client, facility_user, facility):
    client.force_login(facility_user)
    typed = {
        "water_m3": "58.300",
        "electricity_kwh": "850.000",
        "revenue_bn_vnd": "25,5",
        "output": "1\u00a0250,5",
        "employees": "1.200",
    }
    client.post(_url(facility), report_data(**typed))
    report = AnnualReport.objects.get()
    assert (report.water_m3, report.electricity_kwh) == (Decimal("58300"), Decimal("850000"))
    assert (report.revenue_bn_vnd, report.output) == (Decimal("25.5"), Decimal("1250.5"))
    assert report.employees == 1200
    page = client.get(reverse("assessments:report_edit", args=[report.pk])).text
    shown = {**typed, "output": "1.250,5"}  # read back the Vietnamese way, unchanged
    for name, value in shown.items():
        assert f'name="{name}" value="{value}"' in page


def test_one_report_per_facility_and_year(client, facility_user, facility):
    AnnualReportFactory(facility=facility, year=2019, state="draft")
    client.force_login(facility_user)
    response = client.post(_url(facility), report_data())
    assert response.status_code == 200
    assert "đã có báo cáo năm 2019" in response.text
    assert AnnualReport.objects.count() == 1
