"""Every page carries the enforced Content-Security-Policy and complies with it: no inline script
or style without the response's nonce, no on* handler, no style attribute, no javascript: URL.
The crawl visits every page of the portal (the resolver's list, with each role's own records) as
staff, an official and a facility user, and the admin's pages as a superuser."""

import pytest
from django.contrib import admin
from django.urls import path, reverse

from sxsh_portal.urls import urlpatterns as portal_urlpatterns

from .csp_audit import csp_problems, policy_nonce
from .routes import all_routes
from .test_idor_matrix import MATRIX

ROUTES = [
    route for route in all_routes() if route.name and not route.name.startswith(("admin:", "api:"))
]


def _boom(request):
    raise RuntimeError("simulated failure")


# A URLconf for the 500 page: the portal's own URLs plus one view that fails.
urlpatterns = [*portal_urlpatterns, path("boom/", _boom)]


def _crawl(client, own_records, staff_records) -> dict[str, list[str]]:
    """URL -> problems, for every HTML page the client's user gets (whatever the status)."""
    pages = {}
    for route in ROUTES:
        record = own_records[MATRIX[route.name]] if route.name in MATRIX else None
        record = staff_records.get(route.name, record)
        # The one int that names no record is reports:indicator_facilities' year.
        url = route.path(**dict.fromkeys(route.int_kwargs, record.pk if record else 2018))
        response = client.get(url)
        if response.get("Content-Type", "").startswith("text/html"):
            pages[f"{url} ({response.status_code})"] = csp_problems(response)
    return pages


@pytest.mark.parametrize("role", ["staff", "official", "facility_user"])
def test_every_page_of_each_role_complies(client, request, own_records, staff_records, role):
    client.force_login(request.getfixturevalue(role))

    pages = _crawl(client, own_records, staff_records)

    assert {url: problems for url, problems in pages.items() if problems} == {}
    assert sum(" (200)" in url for url in pages) >= 15  # the crawl really saw the pages


def test_the_admin_complies(client, superuser, own_records):
    client.force_login(superuser)
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
    urls.append(reverse("admin:facilities_facility_change", args=[own_records["facility"].pk]))
    urls.append(reverse("admin:accounts_user_change", args=[superuser.pk]))

    problems = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 403), url  # 403: a read-only admin
        problems[url] = csp_problems(response)

    assert {url: found for url, found in problems.items() if found} == {}


def test_the_admin_scripts_are_static_files(client, superuser):
    client.force_login(superuser)
    page = client.get(reverse("admin:facilities_facility_changelist")).content.decode()
    assert '<script src="/static/admin/js/' in page


def test_anonymous_and_error_pages_comply(client, db, settings, staff):
    for url in (reverse("accounts:login"), reverse("accounts:password_reset"), "/khong-co/"):
        assert csp_problems(client.get(url)) == [], url
    client.force_login(staff)
    assert csp_problems(client.get("/facilities/999999/")) == []
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Content-Security-Policy" in response
    assert csp_problems(response) == []


def test_the_policy_is_enforced_with_a_fresh_nonce(client, staff):
    client.force_login(staff)
    first = client.get(reverse("home"))
    second = client.get(reverse("home"))

    policy = first["Content-Security-Policy"]
    assert "Content-Security-Policy-Report-Only" not in first
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].startswith("'self'")
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["style-src"].startswith("'self'")
    assert directives["img-src"] == "'self' data:"
    assert directives["font-src"] == "'self'"
    assert directives["connect-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["base-uri"] == "'self'"
    assert directives["object-src"] == "'none'"
    # A nonce appears only where a page uses one, and is never reused.
    if policy_nonce(first):
        assert policy_nonce(first) != policy_nonce(second)


def test_the_audit_catches_what_the_policy_blocks(client, staff):
    from django.http import HttpResponse

    page = HttpResponse(
        '<script>alert(1)</script><script type="application/json">{}</script>'
        '<select onchange="x()"></select><div style="width: 5%"></div><a href="javascript:x()">'
        "</a><style>p{}</style>"
    )
    page["Content-Security-Policy"] = "script-src 'self' 'nonce-abc'"
    assert len(csp_problems(page)) == 5
