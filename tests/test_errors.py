"""Error pages in Vietnamese, and the /healthz probe."""

import pytest
from django.urls import path, reverse

from sxsh_portal.celery import app as celery_app
from sxsh_portal.urls import urlpatterns as portal_urlpatterns


def _boom(request):
    raise RuntimeError("simulated failure")


# A URLconf for the 500 test: the portal's own URLs plus one view that fails.
urlpatterns = [*portal_urlpatterns, path("boom/", _boom)]


def test_404_is_vietnamese(client, db, settings):
    assert settings.DEBUG is False
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.text
    assert '<html lang="vi">' in response.text
    assert "Page not found" not in response.text


def test_404_keeps_the_layout_for_logged_in_users(client, staff):
    client.force_login(staff)
    response = client.get("/facilities/999999/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.text
    assert "/accounts/logout/" in response.text


def test_403_is_vietnamese(client, official):
    client.force_login(official)
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 403
    assert "Bạn không có quyền thực hiện thao tác này." in response.text
    assert '<html lang="vi">' in response.text


def test_500_is_vietnamese(client, db, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Hệ thống gặp lỗi" in response.text
    assert "simulated failure" not in response.text


# /healthz --------------------------------------------------------------------------------------


def test_healthz_works(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    body = response.json()
    assert set(body) == {"status", "database", "broker", "workers"}
    assert body["database"]["ok"] is True
    assert body["database"]["vendor"] == "postgresql"
    assert body["broker"]["ok"] is True
    assert body["broker"]["transport"] == "redis"
    assert isinstance(body["workers"]["ok"], bool)
    assert body["status"] in {"ok", "degraded"}


def test_healthz_needs_no_login(client, db):
    # Monitoring probes have no session; the probe must not redirect to the login page.
    assert client.get("/healthz").status_code == 200


def test_healthz_reports_heartbeat_age(client, db):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Heartbeat

    Heartbeat.objects.create(name="beat", seen_at=timezone.now() - timedelta(seconds=90))
    workers = client.get("/healthz").json()["workers"]
    assert 89 <= workers["last_heartbeat_seconds"] <= 100


@pytest.fixture
def broken_broker(monkeypatch):
    # Nothing listens on port 1: the broker check must fail fast, not hang or crash.
    # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    assert celery_app.conf.broker_url == "redis://127.0.0.1:1/0"


def test_healthz_reports_broken_broker(client, db, broken_broker):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is False
    assert body["workers"]["ok"] is False
