"""Assessment.clean(): the support cap of TTLT 221/2012/TTLT-BTC-BCT and date order; options."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from assessments.models import Assessment, Option, OptionCategory, OptionGroup

from ..factories import AssessmentFactory, OptionFactory

pytestmark = pytest.mark.django_db


def _clean(**fields):
    assessment = AssessmentFactory.build(**fields)
    assessment.clean()
    return assessment


def _errors(**fields) -> dict:
    with pytest.raises(ValidationError) as excinfo:
        _clean(**fields)
    return excinfo.value.message_dict


@pytest.mark.parametrize(
    "supported",
    [
        39_920_000,  # 49.9% of 80,000,000
        40_000_000,  # exactly 50%
        0,
    ],
)
def test_support_up_to_half_the_cost_is_accepted(supported):
    _clean(total_cost_vnd=80_000_000, supported_amount_vnd=supported)


def test_support_above_half_the_cost_is_rejected():
    errors = _errors(total_cost_vnd=80_000_000, supported_amount_vnd=40_080_000)  # 50.1%
    message = errors["supported_amount_vnd"][0]
    assert "Kinh phí hỗ trợ" in message
    assert "50% tổng chi phí tư vấn" in message
    assert "40.000.000 đồng" in message  # the maximum, in Vietnamese notation
    assert "TTLT 221/2012/TTLT-BTC-BCT" in message


def test_support_of_exactly_50_million_is_accepted():
    _clean(total_cost_vnd=120_000_000, supported_amount_vnd=50_000_000)


def test_support_above_50_million_is_rejected_even_within_half_the_cost():
    errors = _errors(total_cost_vnd=120_000_000, supported_amount_vnd=50_000_001)
    message = errors["supported_amount_vnd"][0]
    assert "Kinh phí hỗ trợ" in message
    assert "50.000.000 đồng" in message


def test_above_both_caps_the_message_names_the_lower_one():
    """150 million of cost: half is 75 million, but a facility gets at most 50 million; the
    message must not offer 75 million, which would be refused in turn."""
    message = _errors(total_cost_vnd=150_000_000, supported_amount_vnd=80_000_000)[
        "supported_amount_vnd"
    ][0]
    assert "50.000.000 đồng cho một cơ sở" in message
    assert "75.000.000" not in message


def test_support_without_a_cost_is_rejected():
    assert "supported_amount_vnd" in _errors(total_cost_vnd=0, supported_amount_vnd=1)


def test_odd_cost_allows_the_floor_of_half():
    _clean(total_cost_vnd=99, supported_amount_vnd=49)  # 49.49%
    assert "supported_amount_vnd" in _errors(total_cost_vnd=99, supported_amount_vnd=50)


def test_end_date_must_not_precede_start_date():
    errors = _errors(start_date=date(2018, 5, 10), end_date=date(2018, 5, 9))
    assert errors["end_date"] == ["Ngày kết thúc không được trước ngày bắt đầu."]
    _clean(start_date=date(2018, 5, 10), end_date=date(2018, 5, 10))  # same day: a quick one


def test_baseline_year_must_not_follow_the_start():
    errors = _errors(start_date=date(2018, 5, 10), baseline_year=2019)
    assert "baseline_year" in errors


def test_max_support():
    assert Assessment(total_cost_vnd=80_000_000).max_support_vnd() == 40_000_000
    assert Assessment(total_cost_vnd=300_000_000).max_support_vnd() == 50_000_000


def test_is_editable_by(staff, official, facility_user, outsider, facility):
    for state, by_facility, by_staff in [
        ("draft", True, True),
        ("returned", True, True),
        ("submitted", False, True),
        ("approved", False, False),
    ]:
        assessment = AssessmentFactory(facility=facility, state=state)
        assert assessment.is_editable_by(facility_user) is by_facility, state
        assert assessment.is_editable_by(staff) is by_staff, state
        assert assessment.is_editable_by(official) is False
        assert assessment.is_editable_by(outsider) is False


def test_option_groups():
    groups = {c: c.group for c in OptionCategory}
    assert [c for c, g in groups.items() if g == OptionGroup.SOURCE_REDUCTION] == [1, 2, 3, 4, 5]
    assert [c for c, g in groups.items() if g == OptionGroup.RECYCLING] == [6, 7]
    assert [c for c, g in groups.items() if g == OptionGroup.PRODUCT_MODIFICATION] == [8]
    option = OptionFactory.build(category=6)
    assert option.get_group_display() == "Tuần hoàn, tái sử dụng"
    assert option.get_category_display() == "Tận thu, tái sử dụng tại chỗ"


def test_started_option_needs_a_year():
    option = OptionFactory.build(status=Option.Status.DONE, implementation_year=None)
    with pytest.raises(ValidationError) as excinfo:
        option.clean()
    assert "implementation_year" in excinfo.value.message_dict
    OptionFactory.build(status=Option.Status.PLANNED, implementation_year=None).clean()
