"""Yearly milestones inside a plan period (DESIGN §4): seeded on the straight line from the 2015
values to the 2020 targets, edited by staff with history, and judging each year's status."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from reports.figures import Figure
from reports.indicators import IndicatorResult, Status
from reports.models import Indicator, IndicatorMilestone

D = Decimal


@pytest.fixture
def aware(db):
    return Indicator.objects.get(code="AWARE_PCT", period__code="2016-2020")


def milestones(code):
    rows = IndicatorMilestone.objects.filter(indicator__code=code).order_by("year")
    return {m.year: (m.target_min, m.target_max) for m in rows}


def test_seeded_milestones_follow_the_line_from_2015_to_2020(db):
    # AWARE 50 % (2015) → 90 % (2020): +8 a year; APPLY 25 → 50: +5; SAVING 5–8 → 8–13.
    assert milestones("AWARE_PCT") == {
        2016: (D("58"), None),
        2017: (D("66"), None),
        2018: (D("74"), None),
        2019: (D("82"), None),
        2020: (D("90"), None),
    }
    assert milestones("APPLY_PCT")[2018] == (D("40"), None)
    assert milestones("SAVING_PCT") == {
        2016: (D("5.6"), D("9")),
        2017: (D("6.2"), D("10")),
        2018: (D("6.8"), D("11")),
        2019: (D("7.4"), D("12")),
        2020: (D("8"), D("13")),
    }
    # No 2015 value: no path.
    assert milestones("ENT_UNIT_PCT") == {}


@pytest.mark.parametrize(
    ("year", "actual", "status"),
    [
        (2018, "74", Status.MET),  # the 2018 milestone, though far from the 2020 target of 90
        (2018, "73.9", Status.NOT_MET),
        (2020, "89.9", Status.NOT_MET),
        (2020, "90", Status.MET),
    ],
)
def test_a_year_is_judged_against_its_milestone(aware, year, actual, status):
    result = IndicatorResult(aware, Figure(D(actual)), year=year)
    assert result.status == status
    assert aware.target_display == "90"  # the period target, shown beside it


def test_without_a_milestone_the_period_target_judges(aware):
    IndicatorMilestone.objects.filter(indicator=aware, year=2018).delete()
    assert IndicatorResult(aware, Figure(D("74")), year=2018).status == Status.NOT_MET


def url(indicator):
    return reverse("reports:indicator_milestones", args=[indicator.pk])


def test_staff_edit_milestones_the_vietnamese_way_with_history(client, staff, aware):
    client.force_login(staff)
    data = {f"y{y}_min": "" for y in range(2016, 2021)} | {
        "y2017_min": "66",
        "y2018_min": "75,5",
        "y2019_min": "82",
        "y2020_min": "90",
    }

    response = client.post(url(aware), data, follow=True)

    assert response.status_code == 200
    assert "2 thay đổi" in response.content.decode()  # 2018 changed, 2016 removed
    assert milestones("AWARE_PCT") == {
        2017: (D("66"), None),
        2018: (D("75.5"), None),
        2019: (D("82"), None),
        2020: (D("90"), None),
    }
    page = client.get(url(aware)).content.decode()
    assert 'value="75,5"' in page
    history = IndicatorMilestone.history.filter(indicator_id=aware.pk, year=2018)
    latest = history.latest("history_date")
    assert (latest.history_type, latest.target_min, latest.history_user) == ("~", D("75.5"), staff)
    assert IndicatorMilestone.history.filter(year=2016, history_type="-").exists()
    plan = client.get(reverse("reports:plan")).content.decode()
    assert "2018: 75,5" in plan


def test_a_range_upside_down_is_refused_naming_the_year(client, staff, aware):
    client.force_login(staff)
    before = milestones("AWARE_PCT")

    response = client.post(url(aware), {"y2018_min": "10", "y2018_max": "5"})

    assert response.status_code == 400
    assert "Năm 2018: mức tối đa không được nhỏ hơn mốc tối thiểu." in response.content.decode()
    assert milestones("AWARE_PCT") == before


def test_an_equal_range_is_a_range_the_database_accepts(client, staff, aware):
    client.force_login(staff)
    response = client.post(url(aware), {"y2018_min": "10", "y2018_max": "10"})
    assert response.status_code == 302
    assert milestones("AWARE_PCT")[2018] == (D("10"), D("10"))


def test_a_maximum_without_minimum_names_the_missing_minimum(client, staff, aware):
    client.force_login(staff)
    before = milestones("AWARE_PCT")

    response = client.post(url(aware), {"y2018_min": "", "y2018_max": "5"})

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["y2018_min"] == ["Năm 2018: cần nhập mốc tối thiểu khi có mức tối đa."]
    assert "y2018_max" not in errors
    assert milestones("AWARE_PCT") == before


def test_an_unreadable_minimum_gets_one_error_not_a_second_on_the_maximum(client, staff, aware):
    client.force_login(staff)
    response = client.post(url(aware), {"y2018_min": "abc", "y2018_max": "10"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert len(errors["y2018_min"]) == 1
    assert "y2018_max" not in errors


def test_an_ambiguous_number_is_refused(client, staff, aware):
    client.force_login(staff)
    response = client.post(url(aware), {"y2018_min": "74.5"})
    assert response.status_code == 400
    assert milestones("AWARE_PCT")[2018] == (D("74"), None)


@pytest.mark.parametrize("who", ["official", "facility_user"])
def test_only_staff_edit_milestones(client, request, aware, who):
    client.force_login(request.getfixturevalue(who))
    assert client.post(url(aware), {"y2018_min": "1"}).status_code == 403
    assert milestones("AWARE_PCT")[2018] == (D("74"), None)


def test_the_page_names_the_indicator_not_its_code(client, staff, aware):
    client.force_login(staff)

    page = client.get(reverse("reports:indicator_milestones", args=[aware.pk])).content.decode()

    visible = re.sub(r"<[^>]*>", " ", page)
    assert aware.name in visible
    assert "AWARE_PCT" not in visible
