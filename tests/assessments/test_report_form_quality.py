"""The report form's data-check box says what errors block (submission, approval; not a
facility's draft), and a justification of warnings that are gone is not handed to the reviewer."""

from django.urls import reverse

from assessments.models import AnnualReport, QualityRule

from .report_helpers import report_data

NO_ENERGY = {"electricity_kwh": "", "coal_t": ""}
JUSTIFICATION = "Năm 2019 nhà máy dùng điện và hơi của công ty mẹ, không có hoá đơn riêng."


def _create(facility):
    return reverse("assessments:report_create", args=[facility.pk])


def _edit_url(report):
    return reverse("assessments:report_edit", args=[report.pk])


def _edit_data(report, **data):
    post = report_data(**data)
    del post["year"]
    post["version"] = report.version
    return post


def _rule_text(page) -> str:
    start = page.index('id="quality-check-rule"')
    return page[start : page.index("</p>", start)]


def test_the_check_box_says_a_draft_keeps_errors_until_it_is_submitted(
    client, facility_user, facility, staff
):
    QualityRule.objects.filter(code="OUTPUT_NO_ENERGY").update(severity="error")
    client.force_login(facility_user)
    client.post(_create(facility), report_data(**NO_ENERGY))  # "Lưu nháp": saved with the error
    report = AnnualReport.objects.get()
    assert report.state == "draft"

    text = _rule_text(client.get(_edit_url(report)).text)
    assert "Lỗi phải sửa trước khi lưu" not in text
    assert "Bản nháp lưu được cả khi còn lỗi" in text
    assert "lỗi phải sửa trước khi gửi Sở duyệt" in text

    client.force_login(staff)  # a staff save approves: errors block it
    text = _rule_text(client.get(_edit_url(report)).text)
    assert "Lỗi phải sửa trước khi lưu và duyệt báo cáo" in text


def test_a_justification_of_warnings_since_corrected_is_cleared_on_submission(
    client, facility_user, facility, staff, open_deadline
):
    client.force_login(facility_user)
    data = report_data(**NO_ENERGY, quality_justification=JUSTIFICATION)
    client.post(_create(facility), data)  # a draft with a warning, justified
    report = AnnualReport.objects.get()
    assert report.quality_justification == JUSTIFICATION

    # The facility fixes the data (the form still holds the justification) and submits.
    data = _edit_data(report, submit="1", quality_justification=JUSTIFICATION)
    response = client.post(_edit_url(report), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == "submitted"
    assert report.quality_justification == ""

    client.force_login(staff)
    detail = client.get(report.get_absolute_url()).text
    assert 'id="quality-justification"' not in detail
    assert "Giải trình của cơ sở" not in detail  # only the change history still tells of it


def test_the_submit_button_clears_it_too_and_keeps_a_justification_still_needed(
    client, facility_user, facility, open_deadline
):
    client.force_login(facility_user)
    client.post(_create(facility), report_data(**NO_ENERGY, quality_justification=JUSTIFICATION))
    report = AnnualReport.objects.get()
    client.post(_edit_url(report), _edit_data(report, quality_justification=JUSTIFICATION))
    report.refresh_from_db()
    assert (report.state, report.quality_justification) == ("draft", JUSTIFICATION)

    client.post(reverse("assessments:report_submit", args=[report.pk]), {"confirm": "1"})
    report.refresh_from_db()
    assert (report.state, report.quality_justification) == ("submitted", "")
    assert report.history.latest().quality_justification == ""


def test_a_justification_of_open_warnings_is_kept(client, facility_user, facility, open_deadline):
    client.force_login(facility_user)
    data = report_data(**NO_ENERGY, submit="1", quality_justification=JUSTIFICATION)
    client.post(_create(facility), data)
    report = AnnualReport.objects.get()
    assert (report.state, report.quality_justification) == ("submitted", JUSTIFICATION)
