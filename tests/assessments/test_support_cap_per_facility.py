"""The State support of TTLT 221/2012/TTLT-BTC-BCT: at most half an assessment's consultancy cost
and at most 50 million VND per facility, over all its assessments together (DOMAIN): a facility's
other assessments use up its 50 million, the assessment's own stored amount does not."""

import random
import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import Assessment, Option, WorkflowEvent
from core.numbers import format_vnd
from facilities.models import Facility
from ops.demo import seed_demo
from ops.demo_assessments import seed_demo_assessments

from ..factories import AssessmentFactory

pytestmark = pytest.mark.django_db

CAP = Assessment.MAX_SUPPORT_VND


def _earlier(facility, supported, **fields):
    """An approved quick assessment of 2017 of `facility` (unless `fields` say otherwise), given
    `supported` đồng, stored without its checks."""
    values = {
        "kind": "quick",
        "start_date": date(2017, 4, 3),
        "end_date": date(2017, 4, 5),
        "baseline_year": None,
        "total_cost_vnd": 2 * supported or 20_000_000,
        "supported_amount_vnd": supported,
        **fields,
    }
    return AssessmentFactory(facility=facility, **values)


def _draft(facility, supported=0, total=100_000_000):
    """A draft detailed assessment of 2018 of `facility`, stored without its checks."""
    return AssessmentFactory(
        facility=facility,
        kind="detailed",
        start_date=date(2018, 5, 7),
        end_date=date(2018, 6, 20),
        baseline_year=None,
        state="draft",
        total_cost_vnd=total,
        supported_amount_vnd=supported,
    )


def _support_errors(assessment) -> list[str]:
    try:
        assessment.full_clean()
    except ValidationError as error:
        return error.message_dict.get("supported_amount_vnd", [])
    return []


def _used_and_left(used: int) -> str:
    return (
        f"các đánh giá khác của cơ sở đã đề nghị hoặc được hỗ trợ {format_vnd(used)} đồng, "
        f"còn lại {format_vnd(max(0, CAP - used))} đồng"
    )


# --- the model ---------------------------------------------------------------------------------


def test_a_second_assessment_may_not_take_the_facility_over_50_million(facility):
    earlier = _earlier(facility, CAP)
    second = _draft(facility)
    second.supported_amount_vnd = CAP  # within its own half (50 of 100 million)
    errors = _support_errors(second)
    assert len(errors) == 1
    assert "cho một cơ sở, tính chung mọi đánh giá của cơ sở" in errors[0]
    assert _used_and_left(earlier.supported_amount_vnd) in errors[0]
    assert "TTLT 221/2012/TTLT-BTC-BCT" in errors[0]
    second.supported_amount_vnd = 0  # the facility's 50 million is used up
    assert _support_errors(second) == []


def test_a_later_assessment_gets_what_is_left(facility):
    earlier = _earlier(facility, 30_000_000)
    second = _draft(facility)
    left = CAP - earlier.supported_amount_vnd
    second.supported_amount_vnd = left + 1
    assert _used_and_left(earlier.supported_amount_vnd) in _support_errors(second)[0]
    second.supported_amount_vnd = left
    assert _support_errors(second) == []
    assert second.max_support_vnd() == left


def test_every_other_assessment_counts_whatever_its_state(facility):
    _earlier(facility, 20_000_000)
    _earlier(facility, 20_000_000, state="returned", start_date=date(2019, 3, 4), end_date=None)
    second = _draft(facility, supported=10_000_001)
    assert _used_and_left(40_000_000) in _support_errors(second)[0]


def test_half_the_cost_still_binds_per_assessment(facility):
    _earlier(facility, 10_000_000)
    second = _draft(facility, total=30_000_000)
    second.supported_amount_vnd = second.total_cost_vnd // 2 + 1
    message = _support_errors(second)[0]
    assert "50% tổng chi phí tư vấn" in message
    assert f"tối đa {format_vnd(second.total_cost_vnd // 2)} đồng" in message


def test_its_own_stored_amount_is_not_counted(facility):
    own = _draft(facility, supported=CAP)  # the facility's first: 50 million is allowed
    assert _support_errors(own) == []
    own.consultant = "Viện Môi trường"
    assert _support_errors(own) == []
    assert own.max_support_vnd() == CAP


def test_deleted_assessments_and_other_facilities_do_not_count(facility, other_facility):
    _earlier(other_facility, CAP)
    gone = _earlier(facility, CAP)
    gone.delete()
    assert _support_errors(_draft(facility, supported=CAP)) == []


def test_a_new_assessment_is_checked_against_the_stored_ones(facility):
    _earlier(facility, 45_000_000)
    new = AssessmentFactory.build(facility=facility, baseline_year=None, total_cost_vnd=40_000_000)
    new.supported_amount_vnd = 5_000_001
    assert _used_and_left(45_000_000) in _support_errors(new)[0]
    new.supported_amount_vnd = 5_000_000
    assert _support_errors(new) == []


# --- the views ---------------------------------------------------------------------------------


def _edit_url(assessment):
    return reverse("assessments:assessment_edit", args=[assessment.pk])


def _form(assessment, **changes):
    data = {
        "kind": assessment.kind,
        "start_date": "2018-05-07",
        "end_date": "2018-06-20",
        "consultant": assessment.consultant,
        "baseline_year": "",
        "funding_source": "",
        "total_cost_vnd": str(assessment.total_cost_vnd),
        "supported_amount_vnd": str(assessment.supported_amount_vnd),
        "version": str(assessment.version),
    }
    data.update(changes)
    return data


def test_staff_edit_over_the_facility_cap_is_refused(client, staff, facility):
    earlier = _earlier(facility, CAP, state="approved")
    second = _draft(facility)
    client.force_login(staff)
    response = client.post(_edit_url(second), _form(second, supported_amount_vnd=str(CAP)))
    # The edit form is shown again (as every refused edit: test_assessment_edit), not saved.
    assert response.status_code == 200
    errors = response.context["form"].errors["supported_amount_vnd"]
    assert _used_and_left(earlier.supported_amount_vnd) in errors[0]
    assert _used_and_left(earlier.supported_amount_vnd) in response.text
    second.refresh_from_db()
    assert (second.supported_amount_vnd, second.state) == (0, "draft")
    assert not WorkflowEvent.objects.filter(assessment=second).exists()


def test_the_facility_may_not_go_over_its_cap_either(client, facility_user, facility):
    earlier = _earlier(facility, 30_000_000)
    second = _draft(facility)
    client.force_login(facility_user)
    response = client.post(_edit_url(second), _form(second, supported_amount_vnd="20000001"))
    assert response.status_code == 200
    assert _used_and_left(earlier.supported_amount_vnd) in response.text
    response = client.post(_edit_url(second), _form(second, supported_amount_vnd="20000000"))
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.supported_amount_vnd == CAP - earlier.supported_amount_vnd


def test_the_first_assessment_gets_50_million(client, staff, facility, other_facility):
    _earlier(other_facility, CAP)  # another facility's support is not this one's
    client.force_login(staff)
    data = {
        "facility": facility.pk,
        "kind": "detailed",
        "start_date": "2018-05-07",
        "end_date": "2018-06-20",
        "consultant": "Viện Môi trường",
        "total_cost_vnd": "100000000",
        "supported_amount_vnd": str(CAP),
        "keep_draft": "1",
    }
    response = client.post(reverse("assessments:assessment_create"), data)
    assert response.status_code == 302
    assert Assessment.objects.get(facility=facility).supported_amount_vnd == CAP


def test_a_creation_sent_again_is_not_refused_by_what_it_stored(client, facility_user, facility):
    """The back button and "Lưu" again: the record the form stored is its own, not another
    assessment of the facility (store_once leads to it, saving nothing)."""
    client.force_login(facility_user)
    create = reverse("assessments:assessment_create")
    token = re.search(r'data-form-token="([0-9a-f]{32})"', client.get(create).text).group(1)
    data = {
        "form_token": token,
        "kind": "quick",
        "start_date": "05/03/2018",
        "total_cost_vnd": "100.000.000",
        "supported_amount_vnd": "50.000.000",
    }
    first = client.post(create, data)
    again = client.post(create, data)
    assessment = Assessment.objects.get()
    assert (first.status_code, again.status_code) == (302, 302)
    assert again.url == assessment.get_absolute_url()


def test_editing_without_changing_the_amount_is_not_refused_by_itself(client, staff, facility):
    own = _draft(facility, supported=CAP)
    client.force_login(staff)
    response = client.post(_edit_url(own), _form(own, consultant="Viện Môi trường"))
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.consultant, own.supported_amount_vnd) == ("Viện Môi trường", CAP)


def test_the_help_text_says_the_cap_is_the_facilitys(client, staff, facility):
    client.force_login(staff)
    page = client.get(_edit_url(_draft(facility))).text
    assert f"{format_vnd(CAP)} đồng tính chung cho mọi đánh giá của cơ sở" in page


# --- the demo ----------------------------------------------------------------------------------


@pytest.fixture
def demo_facilities(settings):
    settings.PORTAL_PROVINCE_CODE = 27
    seed_demo(facilities=20, seed=3)
    Option.objects.all().delete()
    WorkflowEvent.objects.filter(assessment__isnull=False).delete()
    Assessment.objects.all().delete()
    return list(Facility.objects.select_related("commune__parent").order_by("tax_code"))


def test_the_demo_keeps_each_facility_within_its_50_million(demo_facilities):
    # The `coso` facility always gets a demo assessment; it already has 45 million of support.
    coso = demo_facilities[0]
    _earlier(coso, 45_000_000, state="draft", start_date=None, end_date=None)
    seed_demo_assessments(random.Random(1), demo_facilities)
    seed_demo_assessments(random.Random(3), demo_facilities)  # later ones, same facilities
    assert coso.assessments.count() >= 2
    for assessment in Assessment.objects.all():
        assert _support_errors(assessment) == [], assessment
    for facility in demo_facilities:
        total = sum(facility.assessments.values_list("supported_amount_vnd", flat=True))
        assert total <= CAP


def test_the_save_checks_the_cap_again_with_the_facility_locked(facility, staff):
    """A form checked while the facility had 50 million left, saved after another assessment
    took it (two saves at once): assessment_save refuses it, nothing stored."""
    from assessments.assessment_services import assessment_save

    checked = _draft(facility, supported=0)
    checked.supported_amount_vnd = 40_000_000
    checked.full_clean()  # what the form saw
    _earlier(facility, 40_000_000)  # another save meanwhile

    with pytest.raises(ValidationError) as refused:
        assessment_save(assessment=checked, by=staff)

    assert _used_and_left(40_000_000) in refused.value.message_dict["supported_amount_vnd"][0]
    checked.refresh_from_db()
    assert checked.supported_amount_vnd == 0
