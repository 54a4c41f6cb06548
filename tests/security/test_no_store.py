"""Issue 11, point 7: `Cache-Control: no-store` on every signed-in page and every download, so no
browser or shared proxy keeps a copy of a registry or a report (core.middleware.NoStoreMiddleware);
static files stay cacheable."""

import pytest
from django.urls import reverse

from ..reports.report_view_helpers import make_report


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def assert_no_store(response):
    directives = cache_control(response)
    assert "no-store" in directives, (response.request["PATH_INFO"], directives)
    assert "private" in directives
    assert "public" not in directives


@pytest.mark.parametrize(
    "url",
    [
        lambda facility: reverse("home"),
        lambda facility: reverse("facilities:list"),
        lambda facility: reverse("facilities:detail", args=[facility.pk]),
        lambda facility: reverse("reports:list"),
        lambda facility: "/api/v1/facilities/",
        lambda facility: "/api/v1/indicators/?year=2018",
    ],
    ids=["home", "facility-list", "facility-detail", "report-list", "api-facilities", "api-ind"],
)
def test_signed_in_pages_are_not_stored(client, staff, facility, url):
    client.force_login(staff)
    response = client.get(url(facility))
    assert response.status_code == 200
    assert_no_store(response)


def test_a_facility_users_pages_are_not_stored(client, facility_user, facility):
    client.force_login(facility_user)
    for url in (reverse("home"), reverse("facilities:detail", args=[facility.pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert_no_store(response)


def test_a_signed_in_error_page_is_not_stored(client, facility_user, other_facility):
    client.force_login(facility_user)
    response = client.get(reverse("facilities:detail", args=[other_facility.pk]))
    assert response.status_code == 404
    assert_no_store(response)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_registry_export_is_not_stored(client, staff, facility, kind):
    client.force_login(staff)
    response = client.get(reverse("facilities:export"), {"format": kind})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert_no_store(response)


def test_the_import_template_is_not_stored(client, staff):
    client.force_login(staff)
    response = client.get(reverse("facilities:import_template"))
    assert response.status_code == 200
    assert_no_store(response)


def test_a_report_file_is_not_stored(client, official):
    report = make_report(by=official)  # officials: their own requests and issued documents
    client.force_login(official)
    response = client.get(reverse("reports:download", args=[report.pk]))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert_no_store(response)


def test_public_pages_are_left_alone(client, staff):
    # The public API schema is the same for everyone: no-store only when someone is signed in.
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert "no-store" not in cache_control(response)
    client.force_login(staff)
    assert_no_store(client.get("/api/v1/schema/"))


def test_static_files_stay_cacheable_for_a_signed_in_user(client, staff):
    client.force_login(staff)
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    b"".join(response.streaming_content)
    directives = cache_control(response)
    assert "no-store" not in directives
    assert "private" not in directives
    assert any(d.startswith("max-age=") and d != "max-age=0" for d in directives), directives
