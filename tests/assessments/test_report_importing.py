"""assessments.importing (DESIGN §5 "Annual reports"): the samples, row-level errors,
all-or-nothing, approval on import, replacement on re-import, bounded queries."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from assessments.importing import InvalidImport, apply_import, plan_file
from assessments.models import AnnualReport, WorkflowEvent, valid_report_year
from facilities.models import Facility

from ..factories import AnnualReportFactory, FacilityFactory, make_tax_code
from .import_helpers import EXPECTED, SAMPLES, csv_bytes, load_sample_facilities, report_row


def plan_rows(rows, header=None, name="bao-cao.csv"):
    return plan_file(io.BytesIO(csv_bytes(rows, header)), name)


def problems(plan):
    return [(p.row, p.column) for p in plan.problems]


@pytest.fixture
def samples(db, settings):
    settings.PORTAL_PROVINCE_CODE = 27
    load_sample_facilities()


def test_the_sample_file(samples, staff):
    with (SAMPLES / "annual_reports.csv").open("rb") as handle:
        plan = plan_file(handle, "annual_reports.csv")
    assert plan.problems == []
    assert (plan.to_create, plan.to_replace) == (EXPECTED["reports"], 0)
    result = apply_import(plan, user=staff)
    assert (result.created, result.replaced) == (110, 0)
    assert AnnualReport.objects.count() == 110
    assert AnnualReport.objects.approved().count() == 110
    assert WorkflowEvent.objects.filter(action="import", to_state="approved").count() == 110
    assert AnnualReport.history.filter(history_type="+").count() == 110


def test_the_sample_values(samples):
    with (SAMPLES / "annual_reports.csv").open("rb") as handle:
        apply_import(plan_file(handle, "annual_reports.csv"), user=None)
    # first data row: 0827601896-006, 2017, output 10040.2, coal 1824.15, diesel 182216.85 L,
    # fuel oil 168.16 t, LPG 191.52 t, water 39019, aware "không", applies empty, unit "0"
    report = AnnualReport.objects.get(facility__tax_code="0827601896-006", year=2017)
    assert report.output == Decimal("10040.2")
    assert report.electricity_kwh is None
    assert (report.coal_t, report.diesel_l) == (Decimal("1824.15"), Decimal("182216.85"))
    assert (report.aware, report.applies_cp, report.has_cp_unit) == (False, False, False)
    later = AnnualReport.objects.get(facility__tax_code="0827601896-006", year=2020)
    assert (later.aware, later.applies_cp, later.has_cp_unit) == (True, True, True)  # có, x, 1


@pytest.mark.parametrize("year", ["2016", "2017", "2018", "2019", "2020"])
def test_the_samples_reproduce_the_expected_awareness_counts(samples, year):
    """Cross-check of the booleans with samples/expected.json (no activities, no options)."""
    with (SAMPLES / "annual_reports.csv").open("rb") as handle:
        apply_import(plan_file(handle, "annual_reports.csv"), user=None)
    y, expected = int(year), EXPECTED["indicators"][year]
    operating = Facility.objects.operating_in(y)
    assert operating.count() == expected["operating"]

    def count(flag):
        reports = AnnualReport.objects.approved().filter(year__lte=y, **{flag: True})
        return operating.filter(pk__in=reports.values("facility_id")).count()

    assert count("aware") == expected["AWARE_PCT"]["numerator"]
    assert count("applies_cp") == expected["APPLY_PCT"]["numerator"]


def test_reimport_replaces(samples, staff):
    for _ in range(2):
        with (SAMPLES / "annual_reports.csv").open("rb") as handle:
            plan = plan_file(handle, "annual_reports.csv")
        result = apply_import(plan, user=staff)
    assert (result.created, result.replaced) == (0, 110)
    assert AnnualReport.objects.count() == 110
    assert AnnualReport.history.count() == 220  # the history is kept


def test_reimport_replaces_a_submitted_report_and_logs_it(db, staff):
    facility = FacilityFactory()
    report = AnnualReportFactory(facility=facility, year=2019, state="submitted", water_m3=5)
    plan = plan_rows([report_row(facility, water_m3="", output="7")])
    assert (plan.to_create, plan.to_replace) == (0, 1)
    apply_import(plan, user=staff)
    report.refresh_from_db()
    assert (report.state, report.output, report.water_m3) == ("approved", 7, None)
    assert report.reviewed_by == staff
    event = WorkflowEvent.objects.get(report=report)
    assert (event.action, event.from_state, event.to_state) == ("import", "submitted", "approved")
    assert event.comment == "Nhập từ tệp bao-cao.csv"


def test_a_row(db):
    facility = FacilityFactory()
    apply_import(plan_rows([report_row(facility)]), user=None)
    report = AnnualReport.objects.get()
    assert report.output == Decimal("1200.5")  # 1.200,5: Vietnamese grouping and decimal comma
    assert report.coal_t == Decimal("120.5")
    assert report.revenue_bn_vnd == Decimal("45.5")
    assert (report.aware, report.applies_cp, report.has_cp_unit) == (True, True, False)
    assert report.state == "approved"


def test_vietnamese_headers_are_accepted(db):
    facility = FacilityFactory()
    plan = plan_rows([{"Mã số thuế": facility.tax_code, "Năm báo cáo": "2018", "Sản lượng": "5"}])
    assert plan.problems == []
    apply_import(plan, user=None)
    assert AnnualReport.objects.get().output == 5


def test_xlsx(db):
    facility = FacilityFactory()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["tax_code", "year", "output", "aware"])
    sheet.append([facility.tax_code, 2019, 1234.5, "x"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    plan = plan_file(buffer, "bao-cao.xlsx")
    assert plan.problems == []
    apply_import(plan, user=None)
    report = AnnualReport.objects.get()
    assert (report.year, report.output, report.aware) == (2019, Decimal("1234.5"), True)


@pytest.mark.parametrize(
    ("overrides", "column", "message"),
    [
        ({"tax_code": make_tax_code(999)}, "tax_code", "trong sổ đăng ký"),
        ({"tax_code": "0100109107"}, "tax_code", ""),  # wrong check digit
        ({"tax_code": ""}, "tax_code", "Bắt buộc"),
        ({"year": "2015"}, "year", "kỳ kế hoạch"),
        ({"year": "2031"}, "year", "kỳ kế hoạch"),
        ({"year": "năm 2019"}, "year", "4 chữ số"),
        ({"output": "-5"}, "output", "≥ 0"),
        ({"electricity_kwh": "-1,5"}, "electricity_kwh", "≥ 0"),
        ({"water_m3": "nhiều"}, "water_m3", "số hợp lệ"),
        ({"employees": "12,5"}, "employees", "số nguyên"),
        ({"trained_staff": "-1"}, "trained_staff", "số nguyên"),
        ({"aware": "có lẽ"}, "aware", "có/không"),
        ({"has_cp_unit": "2"}, "has_cp_unit", "có/không"),
        ({"product": "x" * 256}, "product", "255"),
    ],
)
def test_row_level_errors(db, overrides, column, message):
    facility = FacilityFactory()
    plan = plan_rows([report_row(facility, year=2018), report_row(facility, **overrides)])
    assert problems(plan) == [(3, column)]
    assert message in plan.problems[0].message
    assert str(plan.problems[0]).startswith(f"row 3, column {column}: ")


def test_decimal_comma_and_empty_cells_are_accepted(db):
    facility = FacilityFactory()
    row = report_row(facility, output="29,4", coal_t="", aware="", trained_staff="")
    plan = plan_rows([row])
    assert plan.problems == []
    apply_import(plan, user=None)
    report = AnnualReport.objects.get()
    assert (report.output, report.coal_t, report.aware, report.trained_staff) == (
        Decimal("29.4"),
        None,
        False,
        0,
    )


def test_duplicate_rows_are_an_error(db):
    facility = FacilityFactory()
    plan = plan_rows([report_row(facility), report_row(facility, output="2")])
    assert problems(plan) == [(3, "year")]
    assert "dòng 2" in plan.problems[0].message


def test_unknown_columns_are_an_error(db):
    facility = FacilityFactory()
    row = {**report_row(facility), "ghi_chu": "x"}
    assert problems(plan_rows([row])) == [(1, "ghi_chu")]


def test_missing_required_column(db):
    facility = FacilityFactory()
    plan = plan_rows([{"tax_code": facility.tax_code, "output": "1"}])
    assert problems(plan) == [(1, "year")]


def test_not_a_table(db):
    plan = plan_file(io.BytesIO(b"%PDF-1.4"), "bao-cao.pdf")
    assert problems(plan) == [(None, None)]
    assert "csv" in plan.problems[0].message


def test_all_or_nothing(db):
    facility = FacilityFactory()
    existing = AnnualReportFactory(facility=facility, year=2018, output=1)
    rows = [
        report_row(facility, year=2017),
        report_row(facility, year=2018, output="99"),
        report_row(facility, year=2019, coal_t="-3"),
    ]
    plan = plan_rows(rows)
    assert problems(plan) == [(4, "coal_t")]
    with pytest.raises(InvalidImport):
        apply_import(plan, user=None)
    assert AnnualReport.objects.count() == 1
    existing.refresh_from_db()
    assert existing.output == 1
    assert not WorkflowEvent.objects.exists()


def test_a_database_failure_rolls_everything_back(db, monkeypatch):
    facility = FacilityFactory()
    plan = plan_rows([report_row(facility, year=2018), report_row(facility, year=2019)])

    def fail(*args, **kwargs):
        raise RuntimeError("mất kết nối")

    monkeypatch.setattr(WorkflowEvent.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        apply_import(plan, user=None)
    assert not AnnualReport.objects.exists()
    assert not AnnualReport.history.exists()


def test_queries_do_not_grow_with_rows(db, django_assert_max_num_queries):
    facilities = FacilityFactory.create_batch(40)
    rows = [report_row(f, year=y) for f in facilities for y in (2018, 2019)]
    AnnualReportFactory(facility=facilities[0], year=2018)
    # 3 + 5 of the data-quality rules: the rules, the factors, the facilities' sector and flag,
    # their approved reports, the sector bands (assessments/quality.py), whatever the rows;
    # + 1: the assessments of the file's facilities and years with their options' savings.
    with django_assert_max_num_queries(9):
        plan = plan_rows(rows)
    assert (plan.to_create, plan.to_replace) == (79, 1)
    with django_assert_max_num_queries(15):
        apply_import(plan, user=None)
    assert AnnualReport.objects.count() == 80


def test_valid_report_year_follows_plan_periods(db):
    from assessments.models import PlanPeriod

    assert valid_report_year(2016) and valid_report_year(2020)
    assert not valid_report_year(2015) and not valid_report_year(2021)
    PlanPeriod.objects.create(
        code="2021-2030", name="Chương trình SXSH", start_year=2021, end_year=2030
    )
    assert valid_report_year(2030) and not valid_report_year(2031)
