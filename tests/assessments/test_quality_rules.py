"""The data-quality rules (DESIGN §4, issue 14): each rule on both sides of its threshold, as the
facility's form and the import see them (assessments.quality.check_report on a report not yet
approved, compared with the facility's approved reports)."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from assessments import quality
from assessments.models import AnnualReport, QualityRule
from assessments.quality import check_report, check_reports, percentile
from facilities.models import IndustryCode

from ..factories import AnnualReportFactory, FacilityFactory

pytestmark = pytest.mark.django_db

NO_ENERGY = {"electricity_kwh": None, "coal_t": None}


def approved(facility, year, **fields):
    return AnnualReportFactory(facility=facility, year=year, state="approved", **fields)


def draft(facility, year=2019, **fields) -> AnnualReport:
    """A report as the form builds it (unsaved): output 1000 tấn, energy from `fields`."""
    values = {"product": "Giấy", "product_unit": "tấn", "output": Decimal(1000), **fields}
    return AnnualReport(facility=facility, year=year, **values)


def with_toe(toe, **fields) -> dict:
    """Energy of exactly `toe` TOE (other fuel with a factor of 1), no other carrier."""
    return {**NO_ENERGY, "other_fuel_amount": Decimal(toe), "other_fuel_toe_factor": 1, **fields}


def codes(report) -> set[str]:
    return {finding.rule for finding in check_report(report)}


def found(report, code):
    return [f for f in check_report(report) if f.rule == code]


def set_rule(code, **fields):
    QualityRule.objects.filter(code=code).update(**fields)


# --- OUTPUT_NO_ENERGY ---------------------------------------------------------------------


def test_output_without_energy(facility):
    (finding,) = found(draft(facility, **NO_ENERGY), "OUTPUT_NO_ENERGY")
    assert finding.severity == "warning" and finding.field == "electricity_kwh"
    assert finding.message.startswith("Sản lượng có nhưng không khai năng lượng tiêu thụ")
    assert "OUTPUT_NO_ENERGY" in codes(draft(facility, **{**NO_ENERGY, "electricity_kwh": 0}))


def test_output_with_any_energy_or_no_output_is_fine(facility):
    assert "OUTPUT_NO_ENERGY" not in codes(draft(facility, **NO_ENERGY, diesel_l=1))
    assert "OUTPUT_NO_ENERGY" not in codes(draft(facility, **{**NO_ENERGY, "output": 0}))
    assert "OUTPUT_NO_ENERGY" not in codes(draft(facility, **{**NO_ENERGY, "output": None}))


# --- UNIT_CHANGED -------------------------------------------------------------------------


def test_unit_other_than_the_baseline(facility):
    approved(facility, 2016, product_unit="tấn")
    approved(facility, 2017, product_unit="m²")
    (finding,) = found(draft(facility, product_unit="m²"), "UNIT_CHANGED")
    assert finding.field == "product_unit" and "2016" in finding.message
    assert "m²" in finding.message


def test_a_unit_left_empty_is_named_as_not_given(facility):
    approved(facility, 2016, product_unit="tấn")
    (finding,) = found(draft(facility, product_unit=" "), "UNIT_CHANGED")
    assert finding.message.startswith("Đơn vị sản phẩm “chưa ghi” khác đơn vị của năm cơ sở 2016")


def test_same_unit_trimmed_and_case_insensitive(facility):
    approved(facility, 2016, product_unit="Tấn")
    assert "UNIT_CHANGED" not in codes(draft(facility, product_unit="  tấn "))


def test_only_approved_earlier_reports_are_the_baseline(facility):
    AnnualReportFactory(facility=facility, year=2015, product_unit="m²", state="submitted")
    approved(facility, 2020, product_unit="m²")
    assert "UNIT_CHANGED" not in codes(draft(facility, product_unit="tấn"))


# --- INTENSITY_JUMP (40 %) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("toe", "warned"),
    [("140", False), ("140.001", True), ("60", False), ("59.999", True)],
)
def test_intensity_change_from_the_previous_year(facility, toe, warned):
    approved(facility, 2016, output=1000, **with_toe(500))
    approved(facility, 2018, output=1000, **with_toe(100))  # the previous approved year
    findings = found(draft(facility, **with_toe(toe)), "INTENSITY_JUMP")
    assert bool(findings) is warned
    if warned:
        assert "2018" in findings[0].message and "ngưỡng 40 %" in findings[0].message


def test_intensity_threshold_is_the_rules(facility):
    approved(facility, 2018, output=1000, **with_toe(100))
    set_rule("INTENSITY_JUMP", threshold=50)
    assert "INTENSITY_JUMP" not in codes(draft(facility, **with_toe("150")))
    assert "INTENSITY_JUMP" in codes(draft(facility, **with_toe("150.001")))


def test_intensity_is_not_compared_across_units(facility):
    approved(facility, 2018, output=1000, product_unit="m²", **with_toe(100))
    assert "INTENSITY_JUMP" not in codes(draft(facility, **with_toe(500)))


# --- INTENSITY_OUT_OF_BAND (p5–p95, ≥ 10 facilities) -------------------------------------------


@pytest.fixture
def sector():
    """Ten facilities of division 17 with approved 2019 intensities 0.1, 0.2, … 1.0 TOE/tấn:
    p5 = 0.145 and p95 = 0.955."""
    code = IndustryCode.objects.get(version="VSIC2018", code="17")
    facilities = [FacilityFactory(industry=code) for _ in range(10)]
    for index, peer in enumerate(facilities, start=1):
        approved(peer, 2019, output=1000, **with_toe(100 * index))
    return code


@pytest.mark.parametrize(
    ("toe", "warned"), [("145", False), ("144.9", True), ("955", False), ("955.1", True)]
)
def test_intensity_outside_the_sector_band(sector, toe, warned):
    checked = FacilityFactory(industry=sector)
    findings = found(draft(checked, **with_toe(toe)), "INTENSITY_OUT_OF_BAND")
    assert bool(findings) is warned
    if warned:
        assert findings[0].severity == "info" and "ngành 17" in findings[0].message


def test_no_band_below_ten_facilities(sector):
    AnnualReport.objects.filter(year=2019).first().delete()
    checked = FacilityFactory(industry=sector)
    assert "INTENSITY_OUT_OF_BAND" not in codes(draft(checked, **with_toe(5000)))
    # Fewer than ten peers never make a band, whatever the stored rule says (privacy floor).
    set_rule("INTENSITY_OUT_OF_BAND", min_facilities=9)
    assert "INTENSITY_OUT_OF_BAND" not in codes(draft(checked, **with_toe(5000)))


def test_band_needs_the_same_unit_and_sector(sector):
    other_sector = FacilityFactory(industry=IndustryCode.objects.get(code="10", level=2))
    assert "INTENSITY_OUT_OF_BAND" not in codes(draft(other_sector, **with_toe(5000)))
    checked = FacilityFactory(industry=sector)
    assert "INTENSITY_OUT_OF_BAND" not in codes(draft(checked, product_unit="m²", **with_toe(5000)))


def test_percentile_is_linear_between_ranks():
    values = [Decimal(n) / 10 for n in range(1, 11)]
    assert percentile(values, Decimal(5)) == Decimal("0.145")
    assert percentile(values, Decimal(95)) == Decimal("0.955")
    assert percentile(values, Decimal(100)) == Decimal(1)


# --- KEY_ENERGY_USER (1,000 TOE) ----------------------------------------------------------


@pytest.mark.parametrize(("toe", "warned"), [("1000", True), ("999.999", False)])
def test_key_energy_user_suggested(facility, toe, warned):
    findings = found(draft(facility, **with_toe(toe)), "KEY_ENERGY_USER")
    assert bool(findings) is warned
    if warned:
        assert "trọng điểm" in findings[0].message and "đánh dấu" in findings[0].message
        # The facility, who must justify it, is told what to write (the flag is the Department's).
        assert "Cơ sở giải trình: đã có tên trong danh sách" in findings[0].message


def test_not_for_a_flagged_key_energy_user(facility):
    facility.key_energy_user = True
    facility.save()
    assert "KEY_ENERGY_USER" not in codes(draft(facility, **with_toe(5000)))


# --- EMPLOYEES_JUMP (50 %) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("employees", "warned"), [(150, False), (151, True), (50, False), (49, True)]
)
def test_employees_change_from_the_previous_year(facility, employees, warned):
    approved(facility, 2017, employees=10)
    approved(facility, 2018, employees=100)
    findings = found(draft(facility, employees=employees), "EMPLOYEES_JUMP")
    assert bool(findings) is warned
    if warned:
        assert findings[0].field == "employees" and "Số lao động" in findings[0].message


def test_employees_without_a_previous_figure(facility):
    approved(facility, 2018, employees=None)
    assert "EMPLOYEES_JUMP" not in codes(draft(facility, employees=500))


# --- APPLIES_NOT_AWARE --------------------------------------------------------------------


def test_applies_without_aware(facility):
    (finding,) = found(draft(facility, applies_cp=True, aware=False), "APPLIES_NOT_AWARE")
    assert finding.severity == "info" and "vẫn tính" in finding.message
    assert "APPLIES_NOT_AWARE" not in codes(draft(facility, applies_cp=True, aware=True))


# --- settings -------------------------------------------------------------------------------


def test_a_disabled_rule_does_not_run_and_severity_is_the_rules(facility):
    set_rule("OUTPUT_NO_ENERGY", severity="error")
    assert found(draft(facility, **NO_ENERGY), "OUTPUT_NO_ENERGY")[0].is_error
    set_rule("OUTPUT_NO_ENERGY", enabled=False)
    assert "OUTPUT_NO_ENERGY" not in codes(draft(facility, **NO_ENERGY))


def test_bulk_checks_read_a_few_queries(django_assert_max_num_queries):
    facilities = FacilityFactory.create_batch(30)
    for item in facilities:
        approved(item, 2018, employees=10)
    reports = [draft(item, employees=100, **NO_ENERGY) for item in facilities]
    with django_assert_max_num_queries(6):  # rules, factors, facilities, history, token, bands
        results = check_reports(reports)
    assert all({"OUTPUT_NO_ENERGY", "EMPLOYEES_JUMP"} <= {f.rule for f in r} for r in results)


def test_checking_one_report_reads_only_its_sectors_reports(sector):
    """A save checks one report: the bands of its own division are computed from that division's
    reports only (a national registry has millions of others), with the same band as a full run."""

    textiles = IndustryCode.objects.get(code="13", level=2)
    for index in range(10):
        approved(FacilityFactory(industry=textiles), 2019, output=1000, **with_toe(50 * index + 50))
    checked = FacilityFactory(industry=sector)
    context = quality.QualityContext.load([draft(checked, **with_toe(500))])
    assert {key[1] for key in context.bands} == {"17"}
    rule = context.rules["INTENSITY_OUT_OF_BAND"]
    everything = quality.load_bands([2019], rule, context.toe)
    assert {key[1] for key in everything} == {"13", "17"}
    assert context.bands[(2019, "17", "tấn")] == everything[(2019, "17", "tấn")]


@pytest.mark.django_db(transaction=True)
def test_the_sector_bands_are_cached_until_approved_data_changes(sector):
    """Every save checks its report against its peers' bands: read once, then from the cache
    until an approval changes them; a transaction that approves computes them with its own
    approvals and stores nothing."""
    checked = FacilityFactory(industry=sector)

    def band_reads(toe):
        with CaptureQueriesContext(connection) as queries:
            warned = bool(found(draft(checked, **with_toe(toe)), "INTENSITY_OUT_OF_BAND"))
        reads = sum('"assessments_annualreport"."output" > ' in q["sql"] for q in queries)
        return warned, reads

    assert band_reads("144.9") == (True, 1)
    assert band_reads("144.9") == (True, 0)  # cached
    # Two more peers at 0.01 TOE/tấn: p5 falls below 0.1449, so 144.9 is inside the band.
    for _ in range(2):
        approved(FacilityFactory(industry=sector), 2019, output=1000, **with_toe(10))
    # The approvals changed the bands: read again, once, whether by this save or already by the
    # re-check of the approved facility's reports that their commit ran (assessments.signals).
    warned, reads = band_reads("144.9")
    assert (warned, reads <= 1) == (False, True)
    assert band_reads("144.9") == (False, 0)  # cached again
    assert band_reads("2000") == (True, 0)  # above p95
    with transaction.atomic():
        for _ in range(20):
            approved(FacilityFactory(industry=sector), 2019, output=1000, **with_toe(3000))
        assert band_reads("2000") == (False, 1)  # its own approvals count: now inside
        assert band_reads("2000") == (False, 1)  # and nothing was stored
        transaction.set_rollback(True)
    assert band_reads("2000") == (True, 0)
