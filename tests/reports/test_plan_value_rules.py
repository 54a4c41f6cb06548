"""The numbers of the plan obey the indicator's unit (reports.models.indicator): no target,
milestone or manual value below 0; a percentage never above 100; a count (people, facilities…)
a whole number. Staff may remove a manual value entered for the wrong year, with history;
officials and the Ministry may not."""

import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from reports.models import Indicator, IndicatorMilestone, IndicatorValue
from reports.models.indicator import COUNT_UNITS, PERCENT_UNIT
from tests.factories import UserFactory

D = Decimal


@pytest.fixture
def aware(db):
    return Indicator.objects.get(code="AWARE_PCT", period__code="2016-2020")


@pytest.fixture
def doit(db):
    return Indicator.objects.get(code="DOIT_STAFF", period__code="2016-2020")


@pytest.fixture
def ministry(db):
    return UserFactory(username="bo_test", role=Role.MINISTRY)


def text(response) -> str:
    """The page as a reader sees it: tags dropped, entities read, spaces collapsed."""
    visible = html.unescape(re.sub(r"<[^>]*>", " ", response.content.decode()))
    return " ".join(visible.split())


def indicator_data(indicator, **overrides):
    data = {
        "code": indicator.code,
        "name_vi": indicator.name_vi,
        "name_en": indicator.name_en,
        "unit": indicator.unit,
        "method": indicator.method,
        "target_min": "" if indicator.target_min is None else str(indicator.target_min),
        "target_max": "" if indicator.target_max is None else str(indicator.target_max),
        "baseline_value": "",
        "baseline_note": indicator.baseline_note,
        "order": indicator.order,
    }
    return {**data, **overrides}


def edit_url(indicator):
    return reverse("reports:indicator_edit", args=[indicator.pk])


def milestones_url(indicator):
    return reverse("reports:indicator_milestones", args=[indicator.pk])


def values_url(indicator):
    return reverse("reports:indicator_values", args=[indicator.pk])


def milestones(indicator):
    return {m.year: (m.target_min, m.target_max) for m in indicator.milestones.all()}


# --- the seeded units ---------------------------------------------------------------------------


def test_the_seeded_units_are_known(db):
    """Every unit the seeded plan uses is a percentage or a count (the one set of count units)."""
    units = set(Indicator.objects.values_list("unit", flat=True))
    assert units <= {PERCENT_UNIT, *COUNT_UNITS}
    assert "người" in COUNT_UNITS and "cơ sở" in COUNT_UNITS


def test_the_seeded_and_demo_plans_satisfy_the_rules(db):
    from ops.demo_reports import ensure_report_periods

    ensure_report_periods()
    indicators = Indicator.objects.prefetch_related("milestones")
    assert {i.period.code for i in indicators} >= {"2016-2020", "2021-2030"}
    for indicator in indicators:
        indicator.full_clean()
        for milestone in indicator.milestones.all():
            milestone.full_clean()


# --- period targets -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        (
            "target_min",
            "150",
            "Chỉ tiêu (tối thiểu) là tỷ lệ phần trăm nên không được lớn hơn 100.",
        ),
        ("target_min", "-5", "Chỉ tiêu (tối thiểu) không được nhỏ hơn 0."),
        (
            "baseline_value",
            "100,5",
            "Giá trị năm gốc là tỷ lệ phần trăm nên không được lớn hơn 100.",
        ),
    ],
)
def test_a_percentage_target_out_of_0_to_100_is_refused(
    client, staff, aware, field, typed, message
):
    client.force_login(staff)
    before = (aware.target_min, aware.target_max, aware.baseline_value)

    response = client.post(edit_url(aware), indicator_data(aware, **{field: typed}))

    assert response.status_code == 200  # the form again, not the redirect
    assert message in text(response)
    aware.refresh_from_db()
    assert (aware.target_min, aware.target_max, aware.baseline_value) == before


def test_a_range_above_100_percent_is_refused(client, staff, aware):
    client.force_login(staff)

    response = client.post(
        edit_url(aware), indicator_data(aware, target_min="90", target_max="120")
    )

    assert "Chỉ tiêu (tối đa của khoảng) là tỷ lệ phần trăm nên không được lớn hơn 100." in (
        text(response)
    )
    aware.refresh_from_db()
    assert aware.target_max is None


def test_a_count_target_must_be_whole(client, staff, doit):
    client.force_login(staff)

    response = client.post(edit_url(doit), indicator_data(doit, target_min="2,5"))

    assert "Chỉ tiêu (tối thiểu) là số người nên phải là số nguyên." in text(response)
    doit.refresh_from_db()
    assert doit.target_min is None


def test_valid_targets_still_save(client, staff, doit, aware):
    client.force_login(staff)

    assert client.post(edit_url(doit), indicator_data(doit, target_min="3")).status_code == 302
    assert client.post(edit_url(aware), indicator_data(aware, target_min="100")).status_code == 302
    doit.refresh_from_db()
    aware.refresh_from_db()
    assert (doit.target_min, aware.target_min) == (D(3), D(100))


def test_a_new_unit_must_fit_the_values_already_entered(client, staff, doit):
    client.force_login(staff)
    client.post(values_url(doit), {"year": 2018, "value": "150", "note": ""})
    assert IndicatorValue.objects.get(indicator=doit, year=2018).value == 150

    response = client.post(edit_url(doit), indicator_data(doit, unit="%"))

    assert "Giá trị năm 2018 là tỷ lệ phần trăm nên không được lớn hơn 100." in text(response)
    doit.refresh_from_db()
    assert doit.unit == "người"


# --- yearly milestones --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"y2016_min": "-5"}, "Mốc năm 2016 không được nhỏ hơn 0."),
        ({"y2017_min": "150"}, "Mốc năm 2017 là tỷ lệ phần trăm nên không được lớn hơn 100."),
        (
            {"y2018_min": "90", "y2018_max": "100,1"},
            "Mức tối đa năm 2018 là tỷ lệ phần trăm nên không được lớn hơn 100.",
        ),
    ],
)
def test_a_milestone_out_of_0_to_100_percent_is_refused(client, staff, aware, data, message):
    client.force_login(staff)
    before = milestones(aware)
    posted = {
        f"y{year}_{part}": "" if value is None else str(value)
        for year, bounds in before.items()
        for part, value in zip(("min", "max"), bounds, strict=True)
    }

    response = client.post(milestones_url(aware), posted | data)

    assert response.status_code == 400
    assert message in text(response)
    assert milestones(aware) == before


def test_a_count_milestone_must_be_whole(client, staff, doit):
    client.force_login(staff)

    response = client.post(milestones_url(doit), {"y2019_min": "1,5"})

    assert response.status_code == 400
    assert "Mốc năm 2019 là số người nên phải là số nguyên." in text(response)
    assert not IndicatorMilestone.objects.filter(indicator=doit).exists()


def test_a_valid_milestone_still_saves(client, staff, doit):
    client.force_login(staff)

    response = client.post(milestones_url(doit), {"y2019_min": "2", "y2020_min": "3"})

    assert response.status_code == 302
    assert milestones(doit) == {2019: (D(2), None), 2020: (D(3), None)}


# --- manual values ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-3", "Giá trị năm 2018 không được nhỏ hơn 0."),
        ("2,5", "Giá trị năm 2018 là số người nên phải là số nguyên."),
    ],
)
def test_a_count_value_must_be_a_whole_number_from_0(client, staff, doit, typed, message):
    client.force_login(staff)

    response = client.post(values_url(doit), {"year": 2018, "value": typed, "note": ""})

    assert response.status_code == 400
    assert message in text(response)
    assert not IndicatorValue.objects.exists()


def test_a_percentage_value_above_100_is_refused(client, staff, doit):
    client.force_login(staff)
    Indicator.objects.filter(pk=doit.pk).update(unit="%")

    response = client.post(values_url(doit), {"year": 2018, "value": "100,5", "note": ""})

    assert response.status_code == 400
    assert "Giá trị năm 2018 là tỷ lệ phần trăm nên không được lớn hơn 100." in text(response)
    assert not IndicatorValue.objects.exists()


# --- removing a manual value --------------------------------------------------------------------


def test_staff_remove_a_value_with_history(client, staff, doit):
    client.force_login(staff)
    client.post(values_url(doit), {"year": 2017, "value": "4", "note": "Năm nhầm"})
    client.post(values_url(doit), {"year": 2018, "value": "5", "note": "Đúng"})

    # The values table's button first shows the confirmation page; its button removes.
    assert client.post(values_url(doit), {"delete": "2017", "remove": "1"}).status_code == 200
    assert IndicatorValue.objects.filter(indicator=doit).count() == 2
    response = client.post(values_url(doit), {"delete": "2017", "confirm": "1"}, follow=True)

    assert response.status_code == 200
    assert "Đã xóa giá trị năm 2017 (4 người)." in text(response)
    assert list(IndicatorValue.objects.filter(indicator=doit).values_list("year", flat=True)) == [
        2018
    ]
    removal = IndicatorValue.history.get(indicator_id=doit.pk, year=2017, history_type="-")
    assert (removal.value, removal.history_user) == (D(4), staff)


def test_removing_asks_for_a_year_that_has_a_value(client, staff, doit):
    client.force_login(staff)
    client.post(values_url(doit), {"year": 2018, "value": "5", "note": ""})

    response = client.post(values_url(doit), {"delete": "2017"})

    assert response.status_code == 400
    assert "Năm 2017 không có giá trị để xóa." in text(response)
    assert IndicatorValue.objects.filter(indicator=doit).count() == 1


def test_removing_without_a_year_chosen_says_so(client, staff, doit):
    client.force_login(staff)
    client.post(values_url(doit), {"year": 2018, "value": "5", "note": ""})

    response = client.post(values_url(doit), {"remove": "1"})

    assert response.status_code == 400
    assert "Chọn ít nhất một năm để xóa giá trị." in text(response)
    assert IndicatorValue.objects.filter(indicator=doit).count() == 1


def test_the_values_page_offers_the_removal(client, staff, doit):
    client.force_login(staff)
    client.post(values_url(doit), {"year": 2018, "value": "5", "note": ""})

    page = client.get(values_url(doit)).content.decode()

    assert 'name="delete" value="2018"' in page


@pytest.mark.parametrize("who", ["official", "ministry"])
def test_officials_and_the_ministry_cannot_remove(client, request, staff, doit, who):
    client.force_login(staff)
    client.post(values_url(doit), {"year": 2018, "value": "5", "note": ""})
    client.force_login(request.getfixturevalue(who))

    response = client.post(values_url(doit), {"delete": "2018"})

    assert response.status_code == 403
    assert IndicatorValue.objects.filter(indicator=doit, year=2018).exists()


def test_the_values_are_written_the_vietnamese_way(client, staff, doit):
    IndicatorValue.objects.create(indicator=doit, year=2018, value=D("1234"))
    client.force_login(staff)
    page = text(client.get(values_url(doit)))
    assert "2018 1.234 " in page
    assert "1234.00" not in page
