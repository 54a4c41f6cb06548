"""Error pages in Vietnamese (the /healthz probe: tests/security/test_healthz.py)."""

import logging
import re

from django.urls import path, reverse

from sxsh_portal.urls import handler500  # noqa: F401  (the portal's 500 handler, for this URLconf)
from sxsh_portal.urls import urlpatterns as portal_urlpatterns


def _boom(request):
    raise RuntimeError("simulated failure: mật khẩu cơ sở dữ liệu là hunter2")


# A URLconf for the 500 test: the portal's own URLs plus one view that fails (first: the portal
# answers any other address under /api/ itself).
urlpatterns = [path("boom/", _boom), path("api/v1/boom/", _boom), *portal_urlpatterns]


def test_404_is_vietnamese(client, db):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang hoặc dữ liệu bạn yêu cầu." in response.text
    assert '<html lang="vi">' in response.text
    assert f'href="{reverse("home")}">Về trang chủ</a>' in response.text
    # Django's own page (what a missing or broken 404.html falls back to) is not shown.
    assert "The requested resource was not found on this server." not in response.text


def test_an_unknown_api_address_is_a_problem_not_a_page(client, staff):
    client.force_login(staff)
    response = client.get("/api/v1/khong-co-dia-chi-nay/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["title"]) == (404, "Không tìm thấy")
    assert "/api/v1/schema/" in body["detail"]


def test_a_failure_in_the_api_is_a_problem_with_the_logged_reference(
    client, staff, settings, caplog
):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    client.force_login(staff)
    with caplog.at_level(logging.ERROR, logger="core.errors"):
        response = client.get("/api/v1/boom/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["title"]) == (500, "Lỗi hệ thống")
    assert "hunter2" not in response.text and "RuntimeError" not in response.text
    [logged] = [r for r in caplog.records if r.name == "core.errors"]
    assert re.search(r"[0-9a-f]{12}", body["detail"]).group(0) in logged.getMessage()


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


def test_500_shows_the_reference_id_that_is_logged_with_the_traceback(
    client, staff, settings, caplog
):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    client.force_login(staff)
    with caplog.at_level(logging.ERROR, logger="core.errors"):
        response = client.get("/boom/")
    assert response.status_code == 500
    assert "simulated failure" not in response.text
    assert "hunter2" not in response.text
    assert "RuntimeError" not in response.text and "Traceback" not in response.text
    shown = re.search(r"Mã tham chiếu: <code>([0-9a-f]{12})</code>", response.text)
    assert shown, response.text
    reference = shown.group(1)
    [logged] = [r for r in caplog.records if r.name == "core.errors"]
    assert reference in logged.getMessage()
    assert "/boom/" in logged.getMessage()
    assert logged.exc_info[0] is RuntimeError
    assert "hunter2" in str(logged.exc_info[1])  # the details are in the log, not on the page
    # Another failure gets another reference.
    again = client.get("/boom/")
    assert reference not in again.text
    assert "Mã tham chiếu:" in again.text
