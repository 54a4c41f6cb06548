"""A detail page's history lists the latest changes and says how many older ones it left out,
with a link (?history=all) to them all (core.history.shown_history)."""

import re

import pytest
from django.urls import reverse

from assessments.models import Participation
from tests.factories import ActivityFactory, AnnualReportFactory, AssessmentFactory

pytestmark = pytest.mark.django_db

EDITS = 14


def _entries(text, list_id) -> list[str]:
    panel = text.split(f'id="{list_id}">', 1)[1].split("\n    </ul>", 1)[0]
    items = panel.split('<li class="border-bottom py-2">')[1:]
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def _edit_many(record, field):
    for n in range(1, EDITS + 1):
        setattr(record, field, 100 + n)
        record.save()


def _check(client, url, list_id, total):
    page = client.get(url).text
    shown = _entries(page, list_id)
    assert len(shown) == 10
    assert f"Còn {total - 10} thay đổi cũ hơn" in page
    assert "Xem toàn bộ lịch sử" in page
    assert f'href="{url}?history=all#{list_id}"' in page
    every = client.get(url + "?history=all").text
    assert len(_entries(every, list_id)) == total
    assert "thay đổi cũ hơn" not in every
    return shown


def test_report_history_says_what_it_left_out(client, staff, facility):
    report = AnnualReportFactory(facility=facility, year=2019, state="approved")
    _edit_many(report, "employees")
    client.force_login(staff)
    url = reverse("assessments:report_detail", args=[report.pk])
    shown = _check(client, url, "report-history", EDITS + 1)  # the creation and every edit
    assert "113 → 114" in shown[0]


def test_assessment_history_says_what_it_left_out(client, staff, facility):
    assessment = AssessmentFactory(facility=facility, state="draft")
    _edit_many(assessment, "baseline_year")
    client.force_login(staff)
    _check(client, assessment.get_absolute_url(), "assessment-history", EDITS + 1)


def test_activity_history_says_what_it_left_out(client, staff, facility):
    activity = ActivityFactory(title="Hội thảo SXSH")
    Participation.objects.create(activity=activity, facility=facility, people=3)
    _edit_many(activity, "budget_other_vnd")
    client.force_login(staff)
    # The creation, every edit and the participant added.
    _check(client, activity.get_absolute_url(), "activity-history", EDITS + 2)


def test_a_short_history_says_nothing_more(client, staff, facility):
    report = AnnualReportFactory(facility=facility, year=2019, state="approved")
    client.force_login(staff)
    page = client.get(reverse("assessments:report_detail", args=[report.pk])).text
    assert len(_entries(page, "report-history")) == 1
    assert "thay đổi cũ hơn" not in page


def test_whole_history_queries_do_not_grow_with_it(
    client, staff, facility, django_assert_max_num_queries
):
    report = AnnualReportFactory(facility=facility, year=2019, state="approved")
    client.force_login(staff)
    url = reverse("assessments:report_detail", args=[report.pk]) + "?history=all"
    report.employees = 1
    report.save()
    with django_assert_max_num_queries(100) as few:
        client.get(url)
    _edit_many(report, "employees")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_facility_history_says_what_it_left_out(client, staff, facility):
    _edit_many(facility, "employees")
    client.force_login(staff)
    url = reverse("facilities:detail", args=[facility.pk])
    shown = _check(client, url, "facility-history", EDITS + 1)
    assert "113 → 114" in shown[0]
