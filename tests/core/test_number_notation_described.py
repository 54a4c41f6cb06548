"""A screen reader hears how numbers are written when it lands on a number field: every input
that takes a number the Vietnamese way (core/forms.py's fields) points at the page's hint
(includes/number_notation.html, id "number-notation") with aria-describedby, beside its own help
text and error ids, and every page with such an input shows that hint exactly once."""

from decimal import Decimal

import lxml.html
import pytest
from django.forms import BaseForm, BaseFormSet
from django.test.utils import ContextList
from django.urls import reverse

from assessments.models import (
    ConversionFactor,
    GridEmissionFactor,
    LibraryExample,
    Participation,
    PlanPeriod,
    QualityRule,
)
from core.forms import DecimalInputField, IntegerInputField
from ops.demo_reports import ensure_report_periods
from reports.plan_seed import PERIOD_2021_2030

from ..factories import ActivityFactory, AnnualReportFactory, AssessmentFactory, OptionFactory

pytestmark = pytest.mark.django_db

HINT = "number-notation"


@pytest.fixture
def pages(facility):
    """name -> url of each page with a form of Vietnamese-notation numbers (staff)."""
    ensure_report_periods()
    period = PlanPeriod.objects.get(code=PERIOD_2021_2030["code"])
    computed = period.indicators.get(code="AWARE_PCT")
    manual = period.indicators.get(code="DOIT_STAFF")
    report = AnnualReportFactory(facility=facility, year=2019, state="draft")
    assessment = AssessmentFactory(facility=facility, state="draft")
    option = OptionFactory(assessment=assessment, status="planned")
    example = LibraryExample.objects.create(
        division="23",
        category=4,
        description="Chuyển lò thủ công sang lò tuynel",
        investment_vnd=1_500_000_000,
        toe=Decimal("120.5"),
        source="Sổ tay SXSH ngành gạch",
    )
    activity = ActivityFactory(title="Hội thảo SXSH")
    Participation.objects.create(activity=activity, facility=facility, people=3)
    urls = {
        "new facility": reverse("facilities:create"),
        "facility": reverse("facilities:edit", args=[facility.pk]),
        "new report": reverse("assessments:report_create", args=[facility.pk]),
        "report": reverse("assessments:report_edit", args=[report.pk]),
        "new assessment": reverse("assessments:assessment_create"),
        "assessment": reverse("assessments:assessment_edit", args=[assessment.pk]),
        "assessment with its new option": reverse(
            "assessments:assessment_detail", args=[assessment.pk]
        ),
        "option": reverse("assessments:option_edit", args=[option.pk]),
        "factor": reverse("assessments:factor_edit", args=[ConversionFactor.objects.first().pk]),
        "grid factor": reverse(
            "assessments:grid_factor_edit", args=[GridEmissionFactor.objects.first().pk]
        ),
        "new grid factor": reverse("assessments:grid_factor_create"),
        "new indicator": reverse("reports:indicator_create", args=[period.pk]),
        "indicator": reverse("reports:indicator_edit", args=[computed.pk]),
        "milestones": reverse("reports:indicator_milestones", args=[computed.pk]),
        "manual values": reverse("reports:indicator_values", args=[manual.pk]),
        "establishments": reverse("reports:establishments"),
        "new activity": reverse("assessments:activity_create"),
        "activity": reverse("assessments:activity_edit", args=[activity.pk]),
        "new library example": reverse("assessments:library_example_create"),
        "library example": reverse("assessments:library_example_edit", args=[example.pk]),
    }
    for rule in QualityRule.objects.all():
        urls[f"quality rule {rule.code}"] = reverse("assessments:quality_rule_edit", args=[rule.pk])
    return urls


def _number_field_names(response) -> set[str]:
    """The html names of the Vietnamese-notation number fields of the forms the page rendered."""
    contexts = response.context if isinstance(response.context, ContextList) else [response.context]
    forms = []
    for context in contexts:
        for value in context.flatten().values():
            if isinstance(value, BaseFormSet):
                forms.extend(value.forms)
            elif isinstance(value, BaseForm):
                forms.append(value)
    return {
        form[name].html_name
        for form in forms
        for name, field in form.fields.items()
        if isinstance(field, DecimalInputField | IntegerInputField)
    }


def check_page(response, name: str, status: int = 200) -> int:
    """Assert the page's number inputs are described by ids on it, the hint among them, and
    that the hint is shown once (if the page has number inputs); returns how many inputs."""
    assert response.status_code == status, name
    names = _number_field_names(response)
    page = lxml.html.fromstring(response.content)
    ids = [element.get("id") for element in page.iter() if element.get("id")]
    inputs = [element for element in page.iter("input") if element.get("name") in names]
    assert {element.get("name") for element in inputs} == names, name
    for element in inputs:
        described = (element.get("aria-describedby") or "").split()
        label = f"{name}: {element.get('name')}"
        assert HINT in described, label
        assert len(described) == len(set(described)), label
        for target in described:
            assert ids.count(target) == 1, f"{label}: {target}"
    if inputs:
        assert ids.count(HINT) == 1, name
        hint = page.get_element_by_id(HINT)
        assert hint.text_content().strip(), name
    return len(inputs)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_number_input_is_described_by_the_notation_hint(client, staff, pages, language):
    staff.language = language
    staff.save(update_fields=["language"])
    client.force_login(staff)

    counted = {name: check_page(client.get(url), name) for name, url in pages.items()}

    without = {name for name, count in counted.items() if not count}
    # Only the quality rules that have no setting to type show no number.
    assert without == {
        f"quality rule {code}" for code in ("OUTPUT_NO_ENERGY", "UNIT_CHANGED", "APPLIES_NOT_AWARE")
    }


def test_the_facilitys_own_report_form_too(client, facility_user, facility):
    report = AnnualReportFactory(facility=facility, year=2019, state="draft")
    client.force_login(facility_user)

    assert check_page(client.get(reverse("assessments:report_edit", args=[report.pk])), "report")


def test_a_refused_number_keeps_its_help_error_and_hint(client, staff, facility):
    """Django's own ids (help text, error) stay beside the hint's, and exist on the page."""
    client.force_login(staff)
    rule = QualityRule.objects.get(code="INTENSITY_OUT_OF_BAND")
    data = {
        "severity": "info",
        "enabled": "on",
        "low_percentile": "5",
        "high_percentile": "1.5.5",
        "min_facilities": "3",
    }
    response = client.post(reverse("assessments:quality_rule_edit", args=[rule.pk]), data)
    assert check_page(response, "quality rule")
    page = lxml.html.fromstring(response.content)
    high = page.get_element_by_id("id_high_percentile")
    assert high.get("aria-describedby").split() == ["id_high_percentile_error", HINT]

    response = client.get(reverse("assessments:assessment_create"))
    check_page(response, "new assessment")
    page = lxml.html.fromstring(response.content)
    supported = page.get_element_by_id("id_supported_amount_vnd")
    assert supported.get("aria-describedby").split() == ["id_supported_amount_vnd_helptext", HINT]


def test_a_refused_milestone_keeps_its_error_and_hint(client, staff):
    ensure_report_periods()
    period = PlanPeriod.objects.get(code=PERIOD_2021_2030["code"])
    indicator = period.indicators.get(code="AWARE_PCT")
    client.force_login(staff)
    year = period.years[0]

    response = client.post(
        reverse("reports:indicator_milestones", args=[indicator.pk]), {f"y{year}_min": "6.8"}
    )

    assert check_page(response, "milestones", status=400)  # refused: the form again
    page = lxml.html.fromstring(response.content)
    low = page.get_element_by_id(f"id_y{year}_min")
    assert low.get("aria-describedby").split() == [f"id_y{year}_min_error", HINT]
