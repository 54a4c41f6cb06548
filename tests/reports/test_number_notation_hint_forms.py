"""Every staff form with numbers says how they are written (includes/number_notation.html),
as the facility, report, assessment and option forms do: the factors, the grid factors, the plan's
indicator targets, milestones and manual values, and the statistics office's establishment count.
In English too, where "1,090" and "1.090" are read the other way round by an English reader."""

import pytest
from django.urls import reverse

from accounts.models import User
from assessments.models import ConversionFactor, GridEmissionFactor, PlanPeriod
from ops.demo_reports import ensure_report_periods
from reports.plan_seed import PERIOD_2021_2030

pytestmark = pytest.mark.django_db

HINT = 'id="number-notation"'


@pytest.fixture
def plan(db):
    ensure_report_periods()
    return PlanPeriod.objects.get(code=PERIOD_2021_2030["code"])


def _pages(plan) -> dict[str, str]:
    computed = plan.indicators.get(code="AWARE_PCT")
    manual = plan.indicators.get(code="DOIT_STAFF")
    return {
        "factor": reverse("assessments:factor_edit", args=[ConversionFactor.objects.first().pk]),
        "grid factor": reverse(
            "assessments:grid_factor_edit", args=[GridEmissionFactor.objects.first().pk]
        ),
        "new grid factor": reverse("assessments:grid_factor_create"),
        "new indicator": reverse("reports:indicator_create", args=[plan.pk]),
        "indicator": reverse("reports:indicator_edit", args=[computed.pk]),
        "milestones": reverse("reports:indicator_milestones", args=[computed.pk]),
        "manual values": reverse("reports:indicator_values", args=[manual.pk]),
        "establishments": reverse("reports:establishments"),
        "new activity": reverse("assessments:activity_create"),
    }


@pytest.mark.parametrize("language", ["vi", "en"])
def test_each_number_form_says_how_numbers_are_written(client, staff, plan, language):
    User.objects.filter(pk=staff.pk).update(language=language)
    client.force_login(User.objects.get(pk=staff.pk))

    for name, url in _pages(plan).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert response.text.count(HINT) == 1, name
        hint = response.text.split(HINT, 1)[1].split("</p>", 1)[0]
        if language == "en":
            assert "a dot groups thousands, a comma marks decimals" in hint, name
        else:
            assert "dấu chấm ngăn cách hàng nghìn, dấu phẩy cho phần thập phân" in hint, name


def test_the_hint_stays_beside_a_refused_number(client, staff):
    client.force_login(staff)
    grid = GridEmissionFactor.objects.first()
    url = reverse("assessments:grid_factor_edit", args=[grid.pk])

    response = client.post(url, {"t_co2_per_mwh": "0.6592", "source": grid.source})

    assert response.status_code == 200
    assert HINT in response.text
