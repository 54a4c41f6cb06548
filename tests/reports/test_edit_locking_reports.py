"""Optimistic locking of the report narrative and the plan period and indicator edit forms: of two
staff members who loaded the same edit page, the second to save gets a conflict message, the
form shows the latest values and nothing is overwritten."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import PlanPeriod
from reports.models import Indicator, ReportNarrative
from reports.views import narrative as narrative_views

from ..factories import UserFactory
from ..locking_helpers import loaded_form_data, logged_in

pytestmark = pytest.mark.django_db
NARRATIVE_CONFLICT = "Nội dung báo cáo này vừa được người khác cập nhật"
PERIOD_CONFLICT = "Giai đoạn kế hoạch này vừa được người khác cập nhật"
INDICATOR_CONFLICT = "Chỉ tiêu này vừa được người khác cập nhật"
RELOAD = "vui lòng tải lại trang và nhập lại thay đổi"
YEAR = 2019


def _two_staff(staff) -> tuple[Client, Client]:
    return logged_in(staff), logged_in(UserFactory(role="staff"))


# --- the report narrative --------------------------------------------------------------------


def narrative_url(period="year"):
    return reverse("reports:narrative", args=[YEAR, period])


@pytest.fixture
def narrative(db):
    return ReportNarrative.objects.create(
        year=YEAR, shortcomings="Bản đầu.", direction="- Tập huấn.", recommendations=""
    )


def test_narrative_second_concurrent_edit_gets_a_conflict(staff, narrative):
    first, second = _two_staff(staff)
    first_data = loaded_form_data(first.get(narrative_url()))
    second_data = loaded_form_data(second.get(narrative_url()))
    assert first_data["version"] == second_data["version"] == narrative.version

    mine = "Tỷ lệ cơ sở gửi báo cáo còn thấp."
    response = first.post(narrative_url(), {**first_data, "shortcomings": mine})
    assert response.status_code == 302
    response = second.post(narrative_url(), {**second_data, "recommendations": "Đề nghị Bộ."})

    assert response.status_code == 200
    assert NARRATIVE_CONFLICT in response.text and RELOAD in response.text
    narrative.refresh_from_db()
    assert narrative.shortcomings == mine
    assert narrative.recommendations == ""  # the second edit is not saved
    assert narrative.updated_by == staff
    assert narrative.version == first_data["version"] + 1
    assert narrative.history.count() == 2  # created, then the first edit only
    form = response.context["form"]  # the latest values, to be edited again
    assert not form.is_bound
    assert form.initial["shortcomings"] == mine
    assert f'name="version" value="{narrative.version}"' in response.text


def test_narrative_written_meanwhile_for_the_first_time_gets_a_conflict(staff):
    first, second = _two_staff(staff)
    first_data = loaded_form_data(first.get(narrative_url("half")))
    second_data = loaded_form_data(second.get(narrative_url("half")))
    assert first_data["version"] == second_data["version"] == 0  # nothing written yet

    assert first.post(narrative_url("half"), {**first_data, "direction": "A"}).status_code == 302
    response = second.post(narrative_url("half"), {**second_data, "direction": "B"})

    assert response.status_code == 200
    assert NARRATIVE_CONFLICT in response.text
    saved = ReportNarrative.objects.get(year=YEAR, period_kind="half")
    assert saved.direction == "A"
    assert saved.history.count() == 1


def test_narrative_created_at_the_same_instant_gets_a_conflict(staff, monkeypatch):
    """Both saves found no narrative; the second's insert meets the first's row (the unique
    period) and is refused with the message, not a server error."""
    client = logged_in(staff)
    data = loaded_form_data(client.get(narrative_url()))
    ReportNarrative.objects.create(year=YEAR, direction="Của người kia.")
    monkeypatch.setattr(narrative_views, "_narrative", lambda mine: ReportNarrative(**mine))

    response = client.post(narrative_url(), {**data, "direction": "Của tôi."})

    assert response.status_code == 200
    assert NARRATIVE_CONFLICT in response.text
    assert ReportNarrative.objects.get(year=YEAR, period_kind="year").direction == "Của người kia."


def test_narrative_normal_edits_follow_one_another(staff):
    client = logged_in(staff)
    for text in ("Lần một", "Lần hai"):
        data = loaded_form_data(client.get(narrative_url()))
        assert client.post(narrative_url(), {**data, "shortcomings": text}).status_code == 302
        narrative = ReportNarrative.objects.get(year=YEAR, period_kind="year")
        assert narrative.shortcomings == text
    assert narrative.version == 2
    assert narrative.history.count() == 2


# --- plan periods ----------------------------------------------------------------------------


@pytest.fixture
def period(db):
    return PlanPeriod.objects.get(code="2016-2020")


def period_url(period):
    return reverse("reports:period_edit", args=[period.pk])


def test_period_second_concurrent_edit_gets_a_conflict(staff, period):
    first, second = _two_staff(staff)
    first_data = loaded_form_data(first.get(period_url(period)))
    second_data = loaded_form_data(second.get(period_url(period)))
    assert first_data["version"] == second_data["version"] == period.version

    response = first.post(period_url(period), {**first_data, "basis": "QĐ 1419/QĐ-TTg"})
    assert response.status_code == 302
    response = second.post(period_url(period), {**second_data, "name": "Kế hoạch đã đổi tên"})

    assert response.status_code == 200
    assert PERIOD_CONFLICT in response.text and RELOAD in response.text
    name = period.name
    period.refresh_from_db()
    assert period.basis == "QĐ 1419/QĐ-TTg"
    assert period.name == name != "Kế hoạch đã đổi tên"
    assert period.version == first_data["version"] + 1
    form = response.context["form"]
    assert not form.is_bound
    assert form.initial["basis"] == "QĐ 1419/QĐ-TTg"
    assert f'name="version" value="{period.version}"' in response.text


def test_period_normal_edits_follow_one_another(staff, period):
    client = logged_in(staff)
    for basis in ("Lần một", "Lần hai"):
        data = loaded_form_data(client.get(period_url(period)))
        assert client.post(period_url(period), {**data, "basis": basis}).status_code == 302
        period.refresh_from_db()
        assert period.basis == basis
    assert period.version == 3


# --- indicators ------------------------------------------------------------------------------


@pytest.fixture
def indicator(db):
    return Indicator.objects.get(code="SAVING_PCT")


def indicator_url(indicator):
    return reverse("reports:indicator_edit", args=[indicator.pk])


def test_indicator_second_concurrent_edit_gets_a_conflict(staff, indicator):
    first, second = _two_staff(staff)
    first_data = loaded_form_data(first.get(indicator_url(indicator)))
    second_data = loaded_form_data(second.get(indicator_url(indicator)))
    assert first_data["version"] == second_data["version"] == indicator.version

    changed = {"target_min": "11", "target_max": ""}
    response = first.post(indicator_url(indicator), {**first_data, **changed})
    assert response.status_code == 302
    response = second.post(indicator_url(indicator), {**second_data, "target_max": "99"})

    assert response.status_code == 200
    assert INDICATOR_CONFLICT in response.text and RELOAD in response.text
    indicator.refresh_from_db()
    assert (indicator.target_min, indicator.target_max) == (Decimal(11), None)  # not 99
    assert indicator.version == first_data["version"] + 1
    form = response.context["form"]
    assert not form.is_bound
    assert form.initial["target_min"] == Decimal(11)
    assert f'name="version" value="{indicator.version}"' in response.text


def test_indicator_normal_edits_follow_one_another(staff, indicator):
    client = logged_in(staff)
    for note in ("Lần một", "Lần hai"):
        data = loaded_form_data(client.get(indicator_url(indicator)))
        response = client.post(indicator_url(indicator), {**data, "baseline_note": note})
        assert response.status_code == 302
        indicator.refresh_from_db()
        assert indicator.baseline_note == note
    assert indicator.version == 3
