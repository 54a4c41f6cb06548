"""The sector band (INTENSITY_OUT_OF_BAND) never tells a facility other facilities' own energy
intensities: staff cannot set it to fewer than the benchmark's MIN_PEERS facilities nor to
percentiles 0/100 (the lowest and highest peer exactly), and a rule stored so anyway (an old row,
a change made in the database) is applied within those limits (QualityRule.band_settings)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.benchmark import MIN_PEERS
from assessments.models import AnnualReport, QualityRule, ReportingDeadline
from facilities.models import IndustryCode

from .assessments.report_helpers import report_data
from .factories import AnnualReportFactory, FacilityFactory

pytestmark = pytest.mark.django_db

RULE = "INTENSITY_OUT_OF_BAND"
BAND_TEXT = "nằm ngoài khoảng thường gặp"


def _rule() -> QualityRule:
    return QualityRule.objects.get(code=RULE)


def _edit(client, **fields):
    data = {"severity": "warning", "enabled": "on", **fields}
    return client.post(reverse("assessments:quality_rule_edit", args=[_rule().pk]), data)


# --- the staff's form -------------------------------------------------------------------------


def test_staff_cannot_set_fewer_facilities_than_the_privacy_floor(client, staff):
    client.force_login(staff)
    response = _edit(client, low_percentile="5", high_percentile="95", min_facilities="2")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["min_facilities"] == [
        f"Bạn nhập 2 — cần ít nhất {MIN_PEERS} cơ sở để so sánh, để khoảng thường gặp không "
        "làm lộ số liệu của từng cơ sở."
    ]
    assert "cần ít nhất 10 cơ sở để so sánh" in response.text
    assert _rule().min_facilities == 10


def test_staff_cannot_set_percentiles_0_or_100(client, staff):
    client.force_login(staff)
    response = _edit(client, low_percentile="0", high_percentile="100", min_facilities="10")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["low_percentile"] == [
        "Bạn nhập 0 — bách phân vị phải từ 5 trở lên: bách phân vị thấp hơn cho biết gần đúng "
        "số liệu của cơ sở thấp nhất trong ngành."
    ]
    assert errors["high_percentile"] == [
        "Bạn nhập 100 — bách phân vị phải từ 95 trở xuống: bách phân vị cao hơn cho biết gần "
        "đúng số liệu của cơ sở cao nhất trong ngành."
    ]
    rule = _rule()
    assert (rule.low_percentile, rule.high_percentile) == (5, 95)


def test_staff_may_still_change_the_thresholds_within_the_limits(client, staff):
    client.force_login(staff)
    response = _edit(client, low_percentile="10", high_percentile="90", min_facilities="15")
    assert response.status_code == 302
    rule = _rule()
    assert (rule.severity, rule.min_facilities) == ("warning", 15)
    assert (rule.low_percentile, rule.high_percentile) == (10, 90)


# --- what a facility sees ---------------------------------------------------------------------


@pytest.fixture
def division_27(facility):
    """The facility in VSIC division 27, the sector band rule a warning (the facility sees it)
    and set, directly in the database, to 2 facilities and percentiles 0–100."""
    code, _created = IndustryCode.objects.get_or_create(
        version="VSIC2018", code="27", defaults={"level": 2, "name": "Sản xuất thiết bị điện"}
    )
    facility.industry = code
    facility.save()
    QualityRule.objects.filter(code=RULE).update(
        severity="warning", min_facilities=2, low_percentile=0, high_percentile=100
    )
    ReportingDeadline.objects.create(year=2019, deadline=timezone.localdate() + timedelta(days=30))
    return code


def _peer(industry, toe) -> None:
    """An approved 2019 report of another facility: 1000 cái for `toe` TOE."""
    AnnualReportFactory(
        facility=FacilityFactory(industry=industry),
        year=2019,
        state="approved",
        product_unit="cái",
        output=1000,
        electricity_kwh=None,
        coal_t=None,
        other_fuel_name="Trấu",
        other_fuel_amount=Decimal(toe),
        other_fuel_toe_factor=1,
    )


def _save_draft(client, facility):
    """The facility's 2019 draft at 0,3 TOE/cái, far above every peer; the page shown after."""
    data = report_data(
        product_unit="cái",
        output="1000",
        electricity_kwh="",
        coal_t="",
        other_fuel_name="Trấu",
        other_fuel_amount="300",
        other_fuel_toe_factor="1",
    )
    response = client.post(
        reverse("assessments:report_create", args=[facility.pk]), data, follow=True
    )
    assert AnnualReport.objects.get(facility=facility).state == "draft"
    return response


@pytest.mark.parametrize("peers", [2, 9])
def test_a_small_group_gives_the_facility_no_band(
    client, facility_user, facility, division_27, peers
):
    toes = ["18", "42", *(str(20 + index) for index in range(peers - 2))]
    for toe in toes:
        _peer(division_27, toe)
    client.force_login(facility_user)
    page = _save_draft(client, facility).text
    assert BAND_TEXT not in page
    assert "0,018" not in page and "0,042" not in page
    report = AnnualReport.objects.get(facility=facility)
    assert not report.quality_findings.open().filter(rule__code=RULE).exists()


def test_ten_peers_give_a_band_of_percentiles_5_to_95_never_the_extremes(
    client, facility_user, facility, division_27
):
    for toe in range(18, 28):  # 0,018 … 0,027 TOE/cái
        _peer(division_27, toe)
    client.force_login(facility_user)
    page = _save_draft(client, facility).text
    # p5 = 0,018 + 0,45 × 0,001; p95 = 0,026 + 0,55 × 0,001 — not the lowest or highest peer.
    assert (
        "Suất tiêu hao năng lượng 0,3 TOE/cái nằm ngoài khoảng thường gặp 0,01845–0,02655 của "
        "ngành 27 năm 2019 (10 cơ sở cùng đơn vị sản phẩm)."
    ) in page
    assert "0,018–" not in page and "–0,027" not in page
