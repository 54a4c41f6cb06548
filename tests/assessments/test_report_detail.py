"""assessments:report_detail — data, computed figures and the whole workflow history."""

from django.urls import reverse

from assessments.services import annual_report_return

from ..factories import AnnualReportFactory


def _url(report):
    return reverse("assessments:report_detail", args=[report.pk])


def test_it_works(client, facility_user, facility):
    report = AnnualReportFactory(
        facility=facility, year=2018, output=1000, electricity_kwh=500_000, coal_t=100
    )
    client.force_login(facility_user)
    response = client.get(_url(report))
    assert response.status_code == 200
    text = response.text
    # 500 000 × 0.0001543 + 100 × 0.60 = 137.15 TOE; ÷ 1 000 t = 0.13715 TOE/t
    assert '<dd class="col-5 text-end" id="figure-toe">137,15</dd>' in text
    assert '<dd class="col-5 text-end" id="figure-intensity">0,13715</dd>' in text
    # 500 MWh × 0.9130 + 100 × 2.469 = 456.5 + 246.9 = 703.4 tCO₂
    assert '<dd class="col-5 text-end" id="figure-co2">703,4</dd>' in text
    # specific consumption: 500 000 kWh ÷ 1 000 t = 500 kWh/t; 100 t ÷ 1 000 t = 0.1 t/t
    assert '<td class="text-end">500</td>' in text and '<td class="text-end">0,1</td>' in text
    assert "Sửa báo cáo" not in text  # approved: locked
    assert "Đã khóa" in text


def test_it_shows_the_history_with_comments(client, facility_user, staff, submitted_report):
    # Handed in (the factory's report has no log): returned, it may be sent again (the button).
    submitted_report.events.create(
        action="submit", from_state="draft", to_state="submitted", by=facility_user
    )
    annual_report_return(report=submitted_report, by=staff, comment="Bổ sung lượng nước.")
    client.force_login(facility_user)
    response = client.get(_url(submitted_report))
    assert "Bổ sung lượng nước." in response.text
    events = response.context["events"]
    assert [e.action for e in events][-1] == "return"
    assert "Ý kiến của Sở Công Thương" in response.text
    assert "Gửi Sở duyệt" in response.text and "Sửa báo cáo" in response.text


def test_staff_see_the_review_buttons(client, staff, submitted_report):
    client.force_login(staff)
    text = client.get(_url(submitted_report)).text
    assert reverse("assessments:report_approve", args=[submitted_report.pk]) in text
    assert reverse("assessments:report_return", args=[submitted_report.pk]) in text


def test_staff_may_reopen_an_approved_report(client, staff, approved_report):
    client.force_login(staff)
    text = client.get(_url(approved_report)).text
    assert reverse("assessments:report_reopen", args=[approved_report.pk]) in text


def test_officials_read_only(client, official, submitted_report):
    client.force_login(official)
    response = client.get(_url(submitted_report))
    assert response.status_code == 200
    for name in ("report_edit", "report_submit", "report_approve", "report_return"):
        assert reverse(f"assessments:{name}", args=[submitted_report.pk]) not in response.text


def test_it_requires_login(client, draft_report):
    response = client.get(_url(draft_report))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_hides_other_facilities(client, outsider, draft_report):
    client.force_login(outsider)
    assert client.get(_url(draft_report)).status_code == 404


def test_unknown_report_is_404(client, staff):
    client.force_login(staff)
    assert client.get(reverse("assessments:report_detail", args=[999999])).status_code == 404


def test_change_against_the_baseline_is_shown(client, staff, facility):
    AnnualReportFactory(
        facility=facility, year=2016, output=800, electricity_kwh=450_000, coal_t=90
    )
    report = AnnualReportFactory(
        facility=facility, year=2018, output=1000, electricity_kwh=500_000, coal_t=100
    )
    client.force_login(staff)
    text = client.get(_url(report)).text
    # baseline 2016: (69.435 + 54) ÷ 800 = 0.15429375; 2018: 137.15 ÷ 1 000 = 0.13715
    # (0.13715 − 0.15429375) ÷ 0.15429375 × 100 = −11.1 %
    assert "Thay đổi so với năm cơ sở 2016" in text
    assert "-11,1 %" in text


def test_the_deadline_shown_is_the_facilitys_own_when_staff_extended_it(
    client, facility_user, facility, other_facility, draft_report
):
    """The report page gives the facility the day it may really submit until: the year's
    deadline (15/01/2020 for 2019), or the later day staff extended it to for this facility —
    the same day its home page gives."""
    from datetime import date

    from assessments.models import DeadlineException

    client.force_login(facility_user)
    before = client.get(_url(draft_report)).text
    assert "Hạn nộp báo cáo năm này: 15/01/2020." in before
    assert "đã gia hạn" not in before

    DeadlineException.objects.create(
        facility=other_facility, year=2019, until=date(2099, 3, 1), reason="Cơ sở khác"
    )
    assert "Hạn nộp báo cáo năm này: 15/01/2020." in client.get(_url(draft_report)).text

    DeadlineException.objects.create(
        facility=facility, year=2019, until=date(2099, 2, 1), reason="Sự cố máy chủ"
    )
    after = client.get(_url(draft_report))
    assert "Hạn nộp báo cáo năm này: 01/02/2099." in after.text
    assert "Sở Công Thương đã gia hạn cho cơ sở đến ngày này." in after.text
    assert after.context["submission_open"]
