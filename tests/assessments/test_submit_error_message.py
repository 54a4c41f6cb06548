"""The submit step stopped by the data-quality rules says why: an error must be corrected (a
justification never clears it); a warning needs a justification."""

import pytest
from django.urls import reverse

from assessments import quality
from assessments.models import QualityRule

from ..factories import AnnualReportFactory

ERROR_TEXT = "Báo cáo có lỗi số liệu; cần sửa các lỗi trước khi gửi Sở duyệt."
WARNING_TEXT = (
    "Báo cáo có cảnh báo về số liệu; cần ghi giải trình về các cảnh báo trước khi gửi Sở duyệt."
)
JUSTIFICATION = "Năm 2019 nhà máy dùng điện và hơi của công ty mẹ, không có hoá đơn riêng."


def _no_energy_draft(facility, **fields):
    return AnnualReportFactory(
        facility=facility, year=2019, state="draft", electricity_kwh=None, coal_t=None, **fields
    )


def _submit(report) -> str:
    return reverse("assessments:report_submit", args=[report.pk])


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("justification", ["", JUSTIFICATION], ids=["unjustified", "justified"])
def test_an_error_asks_to_correct_the_data_not_for_a_justification(
    client, facility_user, facility, open_deadline, method, justification
):
    QualityRule.objects.filter(code="OUTPUT_NO_ENERGY").update(severity="error")
    report = _no_energy_draft(facility, quality_justification=justification)
    client.force_login(facility_user)
    call = getattr(client, method)
    response = call(_submit(report), {"confirm": "1"} if method == "post" else {}, follow=True)
    edit = reverse("assessments:report_edit", args=[report.pk])
    assert response.redirect_chain == [(edit, 302)]
    shown = _messages(response)
    assert ERROR_TEXT in shown
    assert WARNING_TEXT not in shown and "giải trình" not in " ".join(shown)
    (message,) = response.context["messages"]
    assert message.level_tag == "error"
    report.refresh_from_db()
    assert report.state == "draft"
    assert report.quality_findings.open().get().severity == "error"  # listed on the form


def test_a_warning_without_justification_still_asks_for_one(
    client, facility_user, facility, open_deadline
):
    report = _no_energy_draft(facility)  # OUTPUT_NO_ENERGY ships as a warning
    client.force_login(facility_user)
    response = client.post(_submit(report), {"confirm": "1"}, follow=True)
    assert response.redirect_chain == [(reverse("assessments:report_edit", args=[report.pk]), 302)]
    assert _messages(response) == [WARNING_TEXT]
    report.refresh_from_db()
    assert report.state == "draft"


def test_a_justified_warning_is_submitted(client, facility_user, facility, open_deadline):
    report = _no_energy_draft(facility, quality_justification=JUSTIFICATION)
    quality.refresh_report(report)
    client.force_login(facility_user)
    response = client.post(_submit(report), {"confirm": "1"})
    assert response.status_code == 302 and response.url == report.get_absolute_url()
    report.refresh_from_db()
    assert report.state == "submitted"
