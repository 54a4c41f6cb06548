"""seed_demo's workflow history tells what happened: a returned report carries the return's date
and reviewer but no approval date, an approved one its approval; every step is dated when the
report says it happened and attributed to who took it (the facility's demo user, the demo staff
member), on the report's page too."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from assessments.models import AnnualReport, Assessment, WorkflowEvent
from ops.demo import seed_demo

pytestmark = pytest.mark.django_db

COUNT = 8


@pytest.fixture(autouse=True)
def _bac_ninh(settings):
    settings.PORTAL_PROVINCE_CODE = 27  # pre-2025 code: means 2025 Bắc Ninh (24)


@pytest.fixture
def seeded():
    started = timezone.now()
    seed_demo(facilities=COUNT, seed=5)
    return started


def _events(report):
    return {e.action: e for e in report.events.select_related("by")}


def test_returned_reports_have_no_approval_date(seeded):
    canbo = User.objects.get(username="canbo")
    returned = AnnualReport.objects.filter(state="returned")
    assert returned.exists()
    for report in returned:
        assert report.reviewed_at is None
        assert report.returned_at == report.submitted_at + timedelta(days=7)
        assert report.reviewed_by == canbo
    for report in AnnualReport.objects.filter(state="approved"):
        assert report.reviewed_at == report.submitted_at + timedelta(days=7)
        assert report.returned_at is None and report.reviewed_by == canbo
    for report in AnnualReport.objects.filter(state__in=("submitted", "draft")):
        assert report.reviewed_at is None and report.returned_at is None
        assert report.reviewed_by is None


def test_each_step_is_dated_and_signed_as_the_report_says(seeded):
    canbo, coso = User.objects.get(username="canbo"), User.objects.get(username="coso")
    own = set(coso.facilities.values_list("pk", flat=True))
    for report in AnnualReport.objects.exclude(state="draft"):
        events = _events(report)
        submit = events["submit"]
        assert submit.at == report.submitted_at
        assert submit.by == (coso if report.facility_id in own else None)
        if report.state == "approved":
            assert events["approve"].at == report.reviewed_at
            assert events["approve"].by == canbo
        if report.state == "returned":
            assert events["return"].at == report.returned_at
            assert events["return"].by == canbo
    # Nothing is dated at the time the seed ran.
    assert not WorkflowEvent.objects.filter(at__gte=seeded).exists()


def test_demo_assessments_steps_are_dated_and_signed(seeded):
    canbo = User.objects.get(username="canbo")
    for assessment in Assessment.objects.exclude(state="draft"):
        events = {e.action: e for e in assessment.events.all()}
        assert events["submit"].at.date() > assessment.end_date
        for action in ("approve", "return"):
            if action in events:
                assert events[action].by == canbo
                assert events[action].at > events["submit"].at
    coso = User.objects.get(username="coso")
    first = Assessment.objects.get(facility__in=coso.facilities.all())
    assert first.events.get(action="submit").by == coso


def test_the_report_page_shows_the_dates_and_who(seeded, client):
    coso = User.objects.get(username="coso")
    report = AnnualReport.objects.get(facility__in=coso.facilities.all(), year=2025)
    assert report.state == "returned"
    client.force_login(User.objects.get(username="canbo"))
    page = client.get(reverse("assessments:report_detail", args=[report.pk])).content.decode()
    events = page[page.index('id="workflow-events"') :]
    events = events[: events.index("</ul>")]
    sent = timezone.localtime(report.submitted_at).strftime("%d/%m/%Y %H:%M")
    back = timezone.localtime(report.returned_at).strftime("%d/%m/%Y %H:%M")
    assert f"{sent}</strong> · Trần Văn Dũng · Gửi duyệt" in events
    assert f"{back}</strong> · Nguyễn Thị Thu Hà · Trả lại" in events
    assert "hệ thống" not in events


def test_the_same_seed_gives_the_same_history():
    def history():
        return sorted(
            WorkflowEvent.objects.filter(report__isnull=False).values_list(
                "report__facility__tax_code", "report__year", "action", "at", "by__username"
            )
        )

    seed_demo(facilities=COUNT, seed=5)
    first = history()
    WorkflowEvent.objects.all().delete()
    AnnualReport.objects.all().delete()
    seed_demo(facilities=COUNT, seed=5)
    assert history() == first
