"""tCO₂ of electricity saved uses the grid factor of the year the saving happens (DOMAIN.md:
"apply the factor of the year the saving happened"), never another year's. A year without a factor
(the seeded table stops at 2023) gives no figure ("—") and says why, in the same words as the
annual report; once staff add that year's factor, the figure appears. The same on the assessment
page (rows and totals) and in the report files' physical results."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.factors import Factors
from assessments.models import GridEmissionFactor
from assessments.option_metrics import load_factors, option_rows, tco2_avoided, totals
from reports.files.activities import carrier_savings, done_option_totals, physical_results

from ..factories import AssessmentFactory, OptionFactory

pytestmark = pytest.mark.django_db

YEAR = 2026
NO_FACTOR = f"Chưa có hệ số phát thải lưới điện năm {YEAR}."


def _option_form(**changes):
    data = {
        "category": "1",
        "description": "Quản lý nội vi: tắt máy nén khí khi nghỉ ca",
        "screening": "implement",
        "status": "done",
        "implementation_year": str(YEAR),
        "investment_vnd": "10000000",
        "annual_saving_vnd": "30000000",
        "electricity_saving_kwh": "15000",
    }
    data.update(changes)
    return data


def _row_cells(page: str, option_pk: int) -> list[str]:
    row = re.search(rf'<tr id="option-{option_pk}">(.*?)</tr>', page, re.S)
    assert row, page
    return re.findall(r'<td class="text-end">(.*?)</td>', row.group(1), re.S)


def _totals(page: str) -> list[str]:
    block = re.search(r'<dl class="row mb-0 small" id="option-totals">(.*?)</dl>', page, re.S)
    assert block
    return re.findall(r'<dd class="col-5 text-end">(.*?)</dd>', block.group(1), re.S)


def test_the_assessment_page_shows_no_tco2_until_the_year_has_its_factor(
    client, staff, facility_user, draft
):
    assert not GridEmissionFactor.objects.filter(year=YEAR).exists()
    client.force_login(facility_user)
    response = client.post(reverse("assessments:option_create", args=[draft.pk]), _option_form())
    assert response.status_code == 302
    option = draft.options.get()

    page = client.get(draft.get_absolute_url()).text
    *_money, toe, tco2 = _row_cells(page, option.pk)
    assert toe == "2,31"  # 15,000 kWh × 0.0001543 = 2.3145 TOE
    # Not 9,89 (= 15 MWh × 2023's 0.6592): 2026 has no factor yet.
    assert "9,89" not in page
    assert tco2.strip().startswith("—")
    assert NO_FACTOR in tco2
    assert _totals(page)[3].strip() == "—"
    assert "Tổng giảm phát thải chưa tính 1 giải pháp" in page

    client.force_login(staff)
    response = client.post(
        reverse("assessments:grid_factor_create"),
        {"year": YEAR, "t_co2_per_mwh": "0,7000", "source": "Bộ NN&MT"},
    )
    assert response.status_code == 302

    page = client.get(draft.get_absolute_url()).text
    *_money, toe, tco2 = _row_cells(page, option.pk)
    assert tco2 == "10,50"  # 15 MWh × 0.7000 (2026)
    assert _totals(page)[3] == "10,50"
    assert NO_FACTOR not in page
    assert "chưa tính" not in page


def test_a_total_says_which_options_it_leaves_out(client, facility_user, draft):
    # 2018 has its factor: 100 MWh × 0.9130 = 91.3; the 2026 option is left out, never computed
    # with 2023's factor.
    known = OptionFactory(
        assessment=draft, electricity_saving_kwh=Decimal(100_000), implementation_year=2018
    )
    missing = OptionFactory(
        assessment=draft, electricity_saving_kwh=Decimal(15_000), implementation_year=YEAR
    )
    client.force_login(facility_user)
    page = client.get(draft.get_absolute_url()).text
    assert _row_cells(page, known.pk)[-1] == "91,30"
    assert NO_FACTOR in _row_cells(page, missing.pk)[-1]
    assert _totals(page)[3] == "91,30"
    assert "Tổng giảm phát thải chưa tính 1 giải pháp" in page


def test_an_option_without_a_year_has_no_electricity_tco2(client, facility_user, draft):
    option = OptionFactory(
        assessment=draft,
        status="planned",
        electricity_saving_kwh=Decimal(15_000),
        implementation_year=None,
    )
    client.force_login(facility_user)
    page = client.get(draft.get_absolute_url()).text
    tco2 = _row_cells(page, option.pk)[-1]
    assert tco2.strip().startswith("—")
    assert "Chưa có năm thực hiện" in tco2


def test_fuels_alone_need_no_grid_factor():
    option = OptionFactory.build(
        electricity_saving_kwh=None, coal_saving_t=Decimal(10), implementation_year=YEAR
    )
    # 10 t × 2.469 = 24.69
    assert tco2_avoided(option, load_factors()) == Decimal("24.69")


def test_one_rule_for_the_grid_factor():
    factors = Factors.load()
    assert factors.grid_factor(2018) == Decimal("0.9130")
    assert factors.grid_factor(YEAR) is None  # never the nearest earlier year
    assert factors.grid_factor(2010) is None  # nor the earliest
    assert factors.grid_factor(None) is None  # nor the latest


def test_rows_and_totals_leave_out_options_without_a_factor():
    options = [
        OptionFactory.build(electricity_saving_kwh=Decimal(15_000), implementation_year=YEAR),
        OptionFactory.build(electricity_saving_kwh=Decimal(10_000), implementation_year=2018),
    ]
    rows = option_rows(options, load_factors())
    assert [r.tco2 for r in rows] == [None, Decimal("9.13")]
    assert rows[0].tco2_gap == NO_FACTOR
    summary = totals(rows)
    assert summary.tco2 == Decimal("9.13")
    assert summary.tco2_left_out == 1


def _done(year, **savings):
    assessment = AssessmentFactory(state="approved")
    return OptionFactory(assessment=assessment, status="done", implementation_year=year, **savings)


def test_physical_results_have_no_tco2_for_a_year_without_its_factor():
    _done(YEAR, electricity_saving_kwh=Decimal(15_000))
    results = physical_results(YEAR)
    assert results.electricity_kwh == Decimal(15_000)
    assert results.tco2 is None  # not 9.888 with 2023's factor
    electricity = next(
        row
        for row in carrier_savings(done_option_totals(YEAR), YEAR)
        if row.carrier == "electricity"
    )
    assert electricity.tco2 is None

    GridEmissionFactor.objects.create(year=YEAR, t_co2_per_mwh=Decimal("0.7"), source="X")
    assert physical_results(YEAR).tco2 == Decimal("10.5")


def test_physical_results_of_fuels_alone_need_no_grid_factor():
    _done(YEAR, coal_saving_t=Decimal(10))
    assert physical_results(YEAR).tco2 == Decimal("24.69")


def test_the_report_documents_say_why_the_tco2_is_missing():
    # The PDF and DOCX share physical_rows: "–" alone would read as no reduction at all.
    from reports.files.content import gather
    from reports.files.pdf import physical_rows

    _done(YEAR, electricity_saving_kwh=Decimal(15_000))
    rows = {
        what: amount for what, _unit, amount in physical_rows(gather(YEAR, lambda percent: None))
    }
    assert rows["Phát thải khí nhà kính giảm"] == (
        f"chưa tính được: chưa có hệ số phát thải lưới điện năm {YEAR} hoặc hệ số phát thải CO₂ "
        "của một nhiên liệu được tiết kiệm"
    )
    GridEmissionFactor.objects.create(year=YEAR, t_co2_per_mwh=Decimal("0.7"), source="X")
    rows = {
        what: amount for what, _unit, amount in physical_rows(gather(YEAR, lambda percent: None))
    }
    assert rows["Phát thải khí nhà kính giảm"] == "10,5"
