"""`manage.py check_savings_cap` checks the facilities in chunks (savings_cap.stored_cap_errors):
its queries do not grow with the number of assessments, and it still lists each kind of excess
(per baseline year, over the whole facility) as the assessment's own check
(Assessment.option_saving_errors) words it."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Assessment

from ..factories import AnnualReportFactory, AssessmentFactory, FacilityFactory, OptionFactory

pytestmark = pytest.mark.django_db

# One query for the facilities, two per chunk of them (their assessments, their reports).
MAX_QUERIES = 4


def _run() -> tuple[str, str | None]:
    out = StringIO()
    try:
        call_command("check_savings_cap", stdout=out)
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), None


def _facilities(count: int, assessments: int) -> None:
    """`count` facilities with approved reports 2017 and 2018 and `assessments` assessments each,
    alternately of baseline year 2017 and 2018, each saving 300.000 kWh (together over the cap
    from the fifth on), with a rejected option and an assessment without options besides."""
    for _n in range(count):
        facility = FacilityFactory()
        AnnualReportFactory(facility=facility, year=2017, electricity_kwh=1_000_000)
        AnnualReportFactory(facility=facility, year=2018, electricity_kwh=1_100_000)
        for number in range(assessments):
            assessment = AssessmentFactory(facility=facility, baseline_year=2017 + number % 2)
            OptionFactory(assessment=assessment, electricity_saving_kwh=300_000)
        OptionFactory(
            assessment=assessment,
            electricity_saving_kwh=900_000,
            screening="reject",
            status="planned",
        )
        AssessmentFactory(facility=facility, baseline_year=2018)


@pytest.mark.parametrize(("count", "assessments"), [(3, 5), (6, 10)])
def test_the_queries_do_not_grow_with_the_assessments(
    django_assert_max_num_queries, count, assessments
):
    _facilities(count, assessments)
    with django_assert_max_num_queries(MAX_QUERIES):
        out, error = _run()
    assert error == f"{count * assessments} đánh giá có giải pháp vượt mức tiết kiệm cho phép."
    assert out.count("vượt quá lượng") == count * assessments


def _expected(assessments) -> str:
    """What the command prints, from each assessment's own check."""
    lines = []
    for assessment in assessments:
        errors = assessment.option_saving_errors()
        if not errors:
            continue
        facility = assessment.facility
        lines.append(
            f"{facility.name} ({facility.tax_code}), đánh giá #{assessment.pk} "
            f"({assessment.get_state_display()}, năm cơ sở {assessment.baseline_year}):"
        )
        lines.extend(f"  - {message}" for message in errors.values())
    return "".join(f"{line}\n" for line in lines)


def test_each_kind_of_excess_is_listed():
    # Facility A: two assessments of baseline year 2017 over its 2017 figure together (the
    # same-year rule), the one of 2018 within both rules.
    a = FacilityFactory(tax_code="0100000002")
    AnnualReportFactory(facility=a, year=2017, electricity_kwh=1_000_000, water_m3=50_000)
    AnnualReportFactory(facility=a, year=2018, electricity_kwh=3_000_000, water_m3=50_000)
    a17 = [AssessmentFactory(facility=a, baseline_year=2017) for _n in range(2)]
    for assessment in a17:
        OptionFactory(assessment=assessment, electricity_saving_kwh=600_000)
    a18 = AssessmentFactory(facility=a, baseline_year=2018, state="draft")
    OptionFactory(assessment=a18, electricity_saving_kwh=100_000, water_saving_m3=10_000)
    # Facility B (listed first: its tax code sorts first): each within its year, over the larger
    # figure together (the facility rule), water within; a dropped option left out; an assessment
    # whose baseline year has no approved report in neither rule.
    b = FacilityFactory(tax_code="0100000001")
    AnnualReportFactory(facility=b, year=2017, electricity_kwh=1_300_000, water_m3=9_000)
    AnnualReportFactory(facility=b, year=2018, electricity_kwh=1_320_000, water_m3=0)
    AnnualReportFactory(facility=b, year=2019, electricity_kwh=9_000_000, state="submitted")
    b17 = AssessmentFactory(facility=b, baseline_year=2017)
    OptionFactory(assessment=b17, electricity_saving_kwh=1_000_000, water_saving_m3=8_000)
    b18 = AssessmentFactory(facility=b, baseline_year=2018)
    OptionFactory(assessment=b18, electricity_saving_kwh=1_000_000)
    OptionFactory(assessment=b18, water_saving_m3=5_000, status="dropped")
    b19 = AssessmentFactory(facility=b, baseline_year=2019, state="draft")
    OptionFactory(assessment=b19, electricity_saving_kwh=8_000_000)
    # Facility C: within.
    c = FacilityFactory(tax_code="0100000000")
    AnnualReportFactory(facility=c, year=2017, electricity_kwh=1_000_000)
    OptionFactory(assessment=AssessmentFactory(facility=c, baseline_year=2017))

    out, error = _run()

    assert error == "4 đánh giá có giải pháp vượt mức tiết kiệm cho phép."
    ordered = Assessment.objects.order_by("facility__tax_code", "pk").select_related("facility")
    assert out == _expected(ordered)
    assert out.splitlines()[0].startswith(f"{b.name} ({b.tax_code}), đánh giá #{b17.pk}")
    assert out.count("trong 2 đánh giá của cơ sở (năm cơ sở 2017, 2018) là 2.000.000") == 2
    assert out.count("trong đánh giá này và 1 đánh giá khác của cơ sở cùng năm cơ sở 2017") == 2
    assert f"đánh giá #{a18.pk}" not in out
    assert f"đánh giá #{b19.pk}" not in out
