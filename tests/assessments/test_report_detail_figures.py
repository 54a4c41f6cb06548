"""assessments:report_detail — counts are written the Vietnamese way (1.234)."""

import re

from django.urls import reverse

from ..factories import AnnualReportFactory


def _dd_after(label, text):
    match = re.search(rf"{label}</dt><dd[^>]*>([^<]*)</dd>", text)
    assert match, label
    return match.group(1)


def test_employees_and_trained_staff_are_grouped_with_dots(client, facility_user, facility):
    report = AnnualReportFactory(facility=facility, year=2018, employees=2_297, trained_staff=1_050)
    client.force_login(facility_user)
    response = client.get(reverse("assessments:report_detail", args=[report.pk]))
    assert response.status_code == 200
    assert _dd_after("Số lao động", response.text) == "2.297"
    assert _dd_after("Số cán bộ được đào tạo SXSH", response.text) == "1.050"
