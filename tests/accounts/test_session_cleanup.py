"""Issue 11, point 7: expired sessions are deleted by a daily beat job (accounts/tasks.py), live
ones are kept."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.tasks import clear_expired_sessions
from sxsh_portal.celery import app as celery_app

pytestmark = pytest.mark.django_db


def make_session(expires_in: timedelta) -> str:
    store = SessionStore()
    store["_auth_user_id"] = "1"
    store.create()
    Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() + expires_in)
    return store.session_key


def test_the_job_deletes_expired_sessions_and_keeps_live_ones():
    expired = make_session(timedelta(minutes=-1))
    live = make_session(timedelta(minutes=20))
    clear_expired_sessions.apply().get()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live]
    assert not SessionStore(session_key=expired).exists(expired)


def test_the_job_runs_daily_on_beat():
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "accounts.tasks.clear_expired_sessions"
    ]
    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    now = timezone.now()
    # A crontab that fires once a day: due again 24 hours after a run.
    assert schedule.remaining_estimate(now) <= timedelta(days=1)
    assert schedule.is_due(now - timedelta(days=1, minutes=1)).is_due
    assert "accounts.tasks.clear_expired_sessions" in celery_app.tasks
