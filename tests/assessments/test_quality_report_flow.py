"""The data-quality rules in the report forms (issue 14): a facility that submits a report with a
warning must justify it, the reviewer sees the finding and the justification (detail page and
review queue); errors block submission and a staff entry with the message on the field, while a
facility's draft is saved with them."""

import pytest
from django.urls import reverse

from assessments.models import AnnualReport, QualityFinding, QualityRule

from ..factories import AnnualReportFactory
from .report_helpers import report_data

NO_ENERGY = {"electricity_kwh": "", "coal_t": ""}
MESSAGE = "Sản lượng có nhưng không khai năng lượng tiêu thụ"
JUSTIFICATION = "Năm 2019 nhà máy dùng điện và hơi của công ty mẹ, không có hoá đơn riêng."


def _create(facility):
    return reverse("assessments:report_create", args=[facility.pk])


def test_submitting_a_warning_needs_a_justification(
    client, facility_user, facility, staff, open_deadline
):
    client.force_login(facility_user)
    response = client.post(_create(facility), report_data(**NO_ENERGY, submit="1"))
    assert response.status_code == 200
    assert not AnnualReport.objects.exists()  # nothing saved, the form comes back
    assert MESSAGE in response.text
    assert "cần ghi giải trình" in str(response.context["form"].errors["quality_justification"])

    data = report_data(**NO_ENERGY, submit="1", quality_justification=JUSTIFICATION)
    response = client.post(_create(facility), data)
    report = AnnualReport.objects.get()
    assert response.status_code == 302 and response.url == report.get_absolute_url()
    assert report.state == "submitted" and report.quality_justification == JUSTIFICATION
    finding = QualityFinding.objects.open().get(report=report)
    assert finding.rule.code == "OUTPUT_NO_ENERGY" and finding.severity == "warning"

    client.force_login(staff)
    detail = client.get(report.get_absolute_url())
    assert MESSAGE in detail.text and JUSTIFICATION in detail.text
    assert 'id="quality-justification"' in detail.text
    queue = client.get(reverse("assessments:review_queue"))
    assert "1 cảnh báo" in queue.text


def test_a_draft_with_a_warning_saves_and_is_then_stopped_at_submission(
    client, facility_user, facility, open_deadline
):
    client.force_login(facility_user)
    response = client.post(_create(facility), report_data(**NO_ENERGY), follow=True)
    report = AnnualReport.objects.get()
    assert report.state == "draft"
    assert "Cảnh báo số liệu: " + MESSAGE in response.text
    assert QualityFinding.objects.open().filter(report=report).count() == 1

    submit = reverse("assessments:report_submit", args=[report.pk])
    response = client.post(submit, {"confirm": "1"})
    assert response.url == reverse("assessments:report_edit", args=[report.pk])
    report.refresh_from_db()
    assert report.state == "draft"

    edit = client.get(response.url)
    assert MESSAGE in edit.text  # the stored finding is listed on the form

    data = report_data(**NO_ENERGY, quality_justification=JUSTIFICATION)
    del data["year"]
    data["version"] = report.version
    client.post(response.url, data)
    client.post(submit, {"confirm": "1"})
    report.refresh_from_db()
    assert report.state == "submitted"


def test_fixing_the_data_resolves_the_finding(client, facility_user, facility, open_deadline):
    client.force_login(facility_user)
    client.post(_create(facility), report_data(**NO_ENERGY))
    report = AnnualReport.objects.get()
    data = report_data()
    del data["year"]
    data["version"] = report.version
    client.post(reverse("assessments:report_edit", args=[report.pk]), data)
    assert not QualityFinding.objects.open().exists()
    assert QualityFinding.objects.get().resolved_at is not None


def test_an_error_blocks_submission_and_a_staff_entry_not_a_draft(
    client, facility_user, facility, staff, open_deadline
):
    # DESIGN §4: an error blocks submission (and a staff entry, approved on saving) and import;
    # the facility's draft is saved with it, so work in progress is not lost.
    QualityRule.objects.filter(code="OUTPUT_NO_ENERGY").update(severity="error")
    client.force_login(facility_user)
    response = client.post(_create(facility), report_data(**NO_ENERGY, submit="1"))
    assert response.status_code == 200
    assert MESSAGE in str(response.context["form"].errors["electricity_kwh"])
    assert not AnnualReport.objects.exists()

    response = client.post(_create(facility), report_data(**NO_ENERGY), follow=True)
    draft = AnnualReport.objects.get()
    assert draft.state == "draft"
    assert "Lỗi số liệu (cần sửa trước khi gửi Sở)" in response.text
    assert QualityFinding.objects.filter(report=draft, severity="error").exists()
    response = client.post(reverse("assessments:report_submit", args=[draft.pk]), follow=True)
    draft.refresh_from_db()
    assert draft.state == "draft"
    assert "cần sửa các lỗi trước khi gửi Sở duyệt" in response.text

    draft.delete()
    client.force_login(staff)  # staff entering a report (approved on saving) are stopped
    response = client.post(_create(facility), report_data(**NO_ENERGY))
    assert response.status_code == 200
    assert MESSAGE in str(response.context["form"].errors["electricity_kwh"])
    assert not AnnualReport.objects.exists()


def test_staff_entry_with_a_warning_is_saved_and_the_warning_shown(client, staff, facility):
    client.force_login(staff)
    response = client.post(_create(facility), report_data(**NO_ENERGY), follow=True)
    report = AnnualReport.objects.get()
    assert report.state == "approved"
    assert "Cảnh báo số liệu: " + MESSAGE in response.text
    assert QualityFinding.objects.open().filter(report=report).exists()


def test_the_service_refuses_a_submission_without_justification(facility_user, facility):
    from assessments.models import WorkflowError
    from assessments.services import annual_report_submit

    report = AnnualReportFactory(
        facility=facility, year=2019, state="draft", electricity_kwh=None, coal_t=None
    )
    with pytest.raises(WorkflowError, match="giải trình"):
        annual_report_submit(report=report, by=facility_user)


@pytest.mark.parametrize("who", ["facility_user", "staff"])
def test_a_save_through_the_form_checks_the_rules_once(
    request, client, facility, open_deadline, monkeypatch, who
):
    """The form checks the rules (to show errors and ask for a justification) inside the save's
    transaction and the service saves on those findings instead of running every rule again:
    a save is the commonest request at a reporting deadline."""
    from assessments import quality

    calls = []
    check = quality.check_report
    monkeypatch.setattr(quality, "check_report", lambda *a, **k: calls.append(1) or check(*a, **k))
    client.force_login(request.getfixturevalue(who))
    client.post(_create(facility), report_data(**NO_ENERGY))
    report = AnnualReport.objects.get()
    assert len(calls) == 1
    assert QualityFinding.objects.open().get(report=report).rule.code == "OUTPUT_NO_ENERGY"

    data = report_data(**NO_ENERGY, quality_justification=JUSTIFICATION)
    del data["year"]
    data["version"] = report.version
    edit = reverse("assessments:report_edit", args=[report.pk])
    if who == "staff":  # staff saved it approved: reopen it as a facility's draft to edit again
        AnnualReport.objects.filter(pk=report.pk).update(state="draft")
    assert client.post(edit, data).status_code == 302
    assert len(calls) == 2
    assert QualityFinding.objects.open().filter(report=report).count() == 1


def test_a_finding_is_stored_in_the_portals_language_whoever_saves(
    client, facility_user, facility, open_deadline
):
    # The facility's representative reads English; the Department's reviewers read the stored
    # finding in Vietnamese.
    facility_user.language = "en"
    facility_user.save(update_fields=["language"])
    client.force_login(facility_user)
    response = client.post(_create(facility), report_data(**NO_ENERGY))
    assert response.status_code == 302
    assert QualityFinding.objects.open().get().message.startswith(MESSAGE)


def test_an_error_raised_after_submission_blocks_approval(client, staff, facility):
    """A rule made an error after the report was submitted (its findings re-checked or not):
    approving it is refused with the messages, the report stays submitted and uncounted; once
    the rule is back to a warning it is approved."""
    report = AnnualReportFactory(
        facility=facility, state="submitted", electricity_kwh=None, coal_t=None, output=500
    )
    QualityRule.objects.filter(code="OUTPUT_NO_ENERGY").update(severity="error")
    client.force_login(staff)
    approve = reverse("assessments:report_approve", args=[report.pk])

    response = client.post(approve, {"confirm": "1"}, follow=True)

    report.refresh_from_db()
    assert report.state == "submitted"
    assert "Chưa duyệt được: báo cáo còn lỗi số liệu; trả lại để cơ sở sửa." in response.text
    assert MESSAGE in response.text

    QualityRule.objects.filter(code="OUTPUT_NO_ENERGY").update(severity="warning")
    client.post(approve, {"confirm": "1"})
    report.refresh_from_db()
    assert report.state == "approved"
