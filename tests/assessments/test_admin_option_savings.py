"""The Django admin holds an assessment's options to the savings cap as a set: several options
added (or raised) in one save of the assessment page, each within the cap against the options
already stored, are refused when together they save more than the facility used in the
baseline year; so is a new baseline year the stored options exceed."""

import pytest
from django.urls import reverse

from assessments.assessment_forms import OptionForm
from assessments.models import Assessment, Option

from ..factories import AnnualReportFactory, AssessmentFactory, OptionFactory

pytestmark = pytest.mark.django_db

USED_KWH = 3_657_014

# The fields a user edits on an option: the same in the admin inline as in the web form.
OPTION_FIELDS = OptionForm.Meta.fields


@pytest.fixture
def assessment(facility):
    """An approved assessment with baseline year 2018; the facility used 3.657.014 kWh that year
    and 1.000.000 kWh in 2017."""
    AnnualReportFactory(facility=facility, year=2018, electricity_kwh=USED_KWH)
    AnnualReportFactory(facility=facility, year=2017, electricity_kwh=1_000_000)
    return AssessmentFactory(facility=facility, baseline_year=2018)


def _url(assessment):
    return reverse("admin:assessments_assessment_change", args=[assessment.pk])


def _new_option(kwh) -> dict:
    return {
        "category": "3",
        "description": "Lắp biến tần cho quạt hút lò hơi",
        "screening": "implement",
        "status": "planned",
        "implementation_year": "2019",
        "investment_vnd": "150000000",
        "annual_saving_vnd": "90000000",
        "electricity_saving_kwh": str(kwh),
    }


def _stored_option(option, **changes) -> dict:
    data = {name: getattr(option, name) for name in OPTION_FIELDS}
    data = {name: "" if value is None else str(value) for name, value in data.items()}
    return {"id": str(option.pk), "assessment": str(option.assessment_id), **data, **changes}


def _post(client, assessment, stored=(), new=(), **changes):
    """Send the admin's assessment page with `stored` (dicts of _stored_option) and `new`
    (dicts of _new_option) in the options inline."""
    data = {
        "facility": str(assessment.facility_id),
        "kind": assessment.kind,
        "start_date": "",
        "end_date": "",
        "consultant": assessment.consultant,
        "baseline_year": str(assessment.baseline_year),
        "funding_source": "",
        "total_cost_vnd": str(assessment.total_cost_vnd),
        "supported_amount_vnd": str(assessment.supported_amount_vnd),
        "state": assessment.state,
        "review_comment": "",
        "created_by": "",
        "options-TOTAL_FORMS": str(len(stored) + len(new)),
        "options-INITIAL_FORMS": str(len(stored)),
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
        "_save": "Lưu",
        **changes,
    }
    for index, form in enumerate([*stored, *new]):
        data.update({f"options-{index}-{name}": value for name, value in form.items()})
    return client.post(_url(assessment), data)


def _errors(response) -> list[str]:
    return [
        str(error)
        for formset in response.context["inline_admin_formsets"]
        for error in formset.formset.non_form_errors()
    ]


def test_two_new_options_together_past_the_baseline_use_are_refused(admin_client, assessment):
    response = _post(admin_client, assessment, new=[_new_option(2_000_000), _new_option(2_000_000)])
    assert response.status_code == 200
    assert _errors(response) == [
        "Tổng tiết kiệm điện (kWh/năm) của các giải pháp trong đánh giá này là 4.000.000, "
        "vượt quá lượng cơ sở đã dùng trong năm cơ sở 2018 (3.657.014 theo báo cáo năm đã duyệt)."
    ]
    assert not Option.objects.exists()


def test_new_options_within_the_baseline_use_are_stored(admin_client, assessment):
    response = _post(admin_client, assessment, new=[_new_option(2_000_000), _new_option(1_657_014)])
    assert response.status_code == 302
    assert Option.objects.count() == 2


def test_a_raised_stored_option_and_a_new_one_are_summed(admin_client, assessment):
    stored = OptionFactory(assessment=assessment, electricity_saving_kwh=1_000_000)
    stored_form = _stored_option(stored, electricity_saving_kwh="2000000")
    response = _post(admin_client, assessment, stored=[stored_form], new=[_new_option(2_000_000)])
    assert response.status_code == 200
    assert "là 4.000.000" in _errors(response)[0]
    stored.refresh_from_db()
    assert stored.electricity_saving_kwh == 1_000_000
    assert Option.objects.count() == 1


def test_options_not_pursued_do_not_count(admin_client, assessment):
    dropped = {**_new_option(2_000_000), "status": "dropped"}
    response = _post(admin_client, assessment, new=[_new_option(2_000_000), dropped])
    assert response.status_code == 302
    assert Option.objects.count() == 2


def test_a_deleted_option_does_not_count(admin_client, assessment):
    stored = OptionFactory(assessment=assessment, electricity_saving_kwh=1_000_000)
    deleted = _stored_option(stored, DELETE="on")
    # Per option the new one is checked against the stored ones (1.000.000 + 2.600.000 is
    # within the use); the set left by the save holds only the new one.
    response = _post(admin_client, assessment, stored=[deleted], new=[_new_option(2_600_000)])
    assert response.status_code == 302
    assert list(Option.objects.values_list("electricity_saving_kwh", flat=True)) == [2_600_000]


def test_a_new_baseline_year_the_stored_options_exceed_is_refused(admin_client, assessment):
    stored = OptionFactory(assessment=assessment, electricity_saving_kwh=2_000_000)
    response = _post(
        admin_client, assessment, stored=[_stored_option(stored)], baseline_year="2017"
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["baseline_year"] == [
        "Tổng tiết kiệm điện (kWh/năm) của các giải pháp trong đánh giá này là 2.000.000, "
        "vượt quá lượng cơ sở đã dùng trong năm cơ sở 2017 (1.000.000 theo báo cáo năm đã duyệt).",
        "Hãy sửa hoặc bỏ bớt các giải pháp trước khi thay đổi.",
    ]
    assert Assessment.objects.get().baseline_year == 2018


def test_two_stored_options_changed_in_one_save_are_judged_as_the_save_leaves_them(
    admin_client, assessment, facility
):
    # 14 + 14 stored, another assessment of the same baseline year 55 (kWh in thousands here):
    # 4 + 24 + 55 = 83 ≤ 88 is fine. Option by option against the stored values the second
    # one read 24 + 14 + 55 = 93 and refused the save.
    used = 88_000
    AnnualReportFactory._meta.model.objects.filter(facility=facility, year=2018).update(
        electricity_kwh=used
    )
    first = OptionFactory(assessment=assessment, electricity_saving_kwh=14_000)
    second = OptionFactory(assessment=assessment, electricity_saving_kwh=14_000)
    sibling = AssessmentFactory(facility=facility, baseline_year=2018, supported_amount_vnd=0)
    OptionFactory(assessment=sibling, electricity_saving_kwh=55_000)
    stored = [
        _stored_option(first, electricity_saving_kwh="4000"),
        _stored_option(second, electricity_saving_kwh="24000"),
    ]
    response = _post(admin_client, assessment, stored=stored)
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.electricity_saving_kwh, second.electricity_saving_kwh) == (4_000, 24_000)
    # Past the cap as the save leaves it (4 + 34 + 55 = 93): refused as a set.
    stored = [_stored_option(first), _stored_option(second, electricity_saving_kwh="34000")]
    response = _post(admin_client, assessment, stored=stored)
    assert response.status_code == 200
    assert "là 93.000" in _errors(response)[0]
