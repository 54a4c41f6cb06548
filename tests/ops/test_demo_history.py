"""seed_demo's workflow history tells what happened: a returned report carries the return's date
and reviewer but no approval date, an approved one its approval; every step is dated when the
report says it happened and attributed to who took it (the facility's demo user, the demo staff
member), on the report's page too. The options and participants it writes in bulk have their
creation in their history, so a later edit shows what it changed."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from assessments.models import (
    Activity,
    AnnualReport,
    Assessment,
    Option,
    Participation,
    WorkflowEvent,
)
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


# --- Options and participants: written with their history, so later edits show old → new --------


def _demo_reason() -> str:
    """The note the demo's annual reports carry in their history (demo_reports)."""
    return AnnualReport.history.filter(history_type="+").values_list(
        "history_change_reason", flat=True
    )[0]


def test_demo_options_and_participants_have_their_creation_in_history(seeded):
    reason = _demo_reason()
    assert reason
    for model in (Option, Participation):
        rows = model.objects.all()
        assert rows.exists()
        created = model.history.filter(history_type="+")
        assert sorted(created.values_list("id", flat=True)) == sorted(
            rows.values_list("pk", flat=True)
        )
        assert set(created.values_list("history_change_reason", flat=True)) == {reason}
        assert not created.filter(history_user__isnull=False).exists()


class _FormValues(HTMLParser):
    """What a browser sends for a page's form: its inputs, chosen options and text areas."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data[name] = attrs.get("value") or ""
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def _form_values(page: str) -> dict:
    main = page[page.index('id="main"') :]  # the page's own form, not the menu's
    form = main[main.index('<form method="post"') :]
    parser = _FormValues()
    parser.feed(form[: form.index("</form>")])
    return parser.data


def _dotted(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def test_editing_a_demo_option_shows_old_and_new(seeded, client):
    coso = User.objects.get(username="coso")
    assessment = Assessment.objects.get(facility__in=coso.facilities.all())
    assert assessment.state == "returned"  # the facility corrects it
    option = assessment.options.order_by("pk").first()
    old = option.investment_vnd
    new = old + 1_000_000
    client.force_login(coso)
    url = reverse("assessments:option_edit", args=[option.pk])
    data = _form_values(client.get(url).text) | {"investment_vnd": _dotted(new)}

    response = client.post(url, data)

    assert response.status_code == 302, response.text[:3000]
    option.refresh_from_db()
    assert option.investment_vnd == new
    page = client.get(assessment.get_absolute_url()).text
    history = page[page.index('id="assessment-history"') :]
    history = " ".join(re.sub(r"<[^>]+>", " ", history[: history.index("</ul>")]).split())
    assert f"{_dotted(old)} → {_dotted(new)}" in history


def test_editing_a_demo_participant_shows_old_and_new(seeded, client):
    activity = Activity.objects.filter(participation__isnull=False).order_by("pk").first()
    participation = activity.participation_set.order_by("pk").first()
    old = participation.people
    client.force_login(User.objects.get(username="canbo"))
    url = reverse("assessments:activity_edit", args=[activity.pk])
    form = _form_values(client.get(url).text)
    [key] = [k for k, v in form.items() if k.endswith("-id") and v == str(participation.pk)]
    data = form | {key.replace("-id", "-people"): str(old + 1)}

    response = client.post(url, data)

    assert response.status_code == 302, response.text[:3000]
    participation.refresh_from_db()
    assert participation.people == old + 1
    page = client.get(reverse("assessments:activity_detail", args=[activity.pk])).text
    history = page[page.index('id="activity-history"') :]
    history = " ".join(re.sub(r"<[^>]+>", " ", history).split())
    assert f"Sửa cơ sở tham gia “{participation.facility.name}”" in history
    assert f"{_dotted(old)} → {_dotted(old + 1)}" in history
