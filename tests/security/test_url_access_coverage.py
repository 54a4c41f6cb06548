"""Every named URL of the project has a stated access rule (DESIGN §2) and is checked against it.

The IDOR matrix (test_idor_matrix.py) covers the URLs that name a record by an int parameter.
This file covers every other named URL: each is public (test_url_walk.PUBLIC), the Django admin,
or on the table below with who may use it. The URL names come from the resolver, so a new view
cannot be added without saying who may open it; the table's rules are then tried with a
facility user and an official, by GET and POST, and nothing may change."""

import pytest

from .routes import all_routes
from .test_idor_matrix import API_MATRIX, MATRIX, NOT_FACILITY_SCOPED, PAYLOAD, snapshot
from .test_url_walk import PUBLIC

ROUTES = {route.name: route for route in all_routes() if route.name}

# Who may use the page (DESIGN §2 roles table):
STAFF = "staff"  # staff only: officials and facility users are refused
READERS = "staff_or_official"  # staff and officials (read, request reports); facility users refused
SIGNED_IN = "signed_in"  # any signed-in user; what it shows is scoped to the user (own account,
# own facilities: the list views call Facility.objects.visible_to, tested in their own files)

ACCESS = {
    "home": SIGNED_IN,
    "accounts:password_change": SIGNED_IN,
    "accounts:password_change_done": SIGNED_IN,
    "admin_password_change": SIGNED_IN,  # a redirect to accounts:password_change
    "accounts:two_factor_verify": SIGNED_IN,
    "accounts:two_factor_setup": SIGNED_IN,
    "accounts:two_factor_backup_codes": SIGNED_IN,
    "accounts:two_factor_backup_codes_download": SIGNED_IN,
    "accounts:two_factor_remove": SIGNED_IN,
    "accounts:security": SIGNED_IN,
    "accounts:api_token_create": SIGNED_IN,
    "accounts:api_token_created": SIGNED_IN,
    "accounts:user_list": STAFF,
    "accounts:user_create": STAFF,
    "accounts:audit_log": STAFF,  # a national province's staff: their accounts' entries only
    "facilities:list": SIGNED_IN,
    "facilities:export": SIGNED_IN,
    "facilities:import": STAFF,
    "facilities:import_confirm": STAFF,
    "facilities:import_template": STAFF,
    "facilities:import_result": STAFF,
    "facilities:create": STAFF,
    "facilities:needs_ward": STAFF,
    "facilities:area_list": READERS,
    "facilities:area_create": STAFF,
    "facilities:sector_list": READERS,
    "assessments:report_list": SIGNED_IN,
    "assessments:review_queue": STAFF,
    "assessments:missing_reports": READERS,
    "assessments:deadline_list": STAFF,
    "assessments:deadline_exception": STAFF,
    "assessments:report_import": STAFF,
    "assessments:quality_rule_list": STAFF,
    "assessments:quality_findings": STAFF,
    "assessments:quality_run_start": STAFF,
    "assessments:assessment_list": SIGNED_IN,
    "assessments:assessment_create": SIGNED_IN,  # staff, or a facility user for their own
    "assessments:option_library": SIGNED_IN,  # anonymised examples (sector data)
    "assessments:library_example_create": STAFF,
    "assessments:activity_list": SIGNED_IN,
    "assessments:activity_create": STAFF,
    "assessments:factor_list": READERS,
    "assessments:grid_factor_create": STAFF,
    "reports:dashboard": SIGNED_IN,  # a facility user is sent to their own facility's page
    "reports:my_facility": SIGNED_IN,
    "reports:help": SIGNED_IN,
    "reports:api_docs": SIGNED_IN,
    "reports:sector_scores": READERS,
    "reports:sector_scores_export": READERS,
    "reports:plan": STAFF,
    "reports:establishments": STAFF,
    "reports:period_create": STAFF,
    "reports:list": READERS,
    "reports:request": READERS,
    "reports:narrative_start": STAFF,
    "reports:register": READERS,
    "reports:register_export": READERS,
    "api:indicators": READERS,
    "api:facilities": SIGNED_IN,
}

# A refused role gets 403; a few pages answer 404 instead (a province-wide file or register the
# user may not know of), which reveals no more. 405: a view that checks the method first (the
# same for everyone).
REFUSED = (403, 404, 405)


def _covered_elsewhere(name: str) -> bool:
    return (
        name in PUBLIC
        or name in MATRIX
        or name in API_MATRIX
        or name in NOT_FACILITY_SCOPED
        or name.startswith("admin:")
    )


def test_every_url_name_has_an_access_rule():
    unexplained = sorted(
        name for name in ROUTES if not _covered_elsewhere(name) and name not in ACCESS
    )
    assert unexplained == [], "add these URL names to ACCESS (or to the IDOR matrix)"
    assert set(ACCESS) <= set(ROUTES), "stale entries"
    assert not [name for name in ACCESS if _covered_elsewhere(name)], "listed twice"


def _refused_to(user_kind):
    denied = {STAFF, READERS} if user_kind == "facility_user" else {STAFF}
    return sorted(name for name, rule in ACCESS.items() if rule in denied)


@pytest.mark.parametrize("name", _refused_to("facility_user"))
def test_a_facility_user_is_refused(client, facility_user, own_records, name):
    _assert_refused(client, facility_user, name)


@pytest.mark.parametrize("name", _refused_to("official"))
def test_an_official_is_refused_the_staff_pages(client, official, own_records, name):
    _assert_refused(client, official, name)


def _assert_refused(client, user, name):
    path = ROUTES[name].path()
    client.force_login(user)
    before = snapshot()

    get = client.get(path)
    post = client.post(path, PAYLOAD)

    assert get.status_code in REFUSED, (name, get.status_code)
    assert post.status_code in REFUSED, (name, post.status_code)
    assert {get.status_code, post.status_code} & {403, 404}
    assert snapshot() == before
