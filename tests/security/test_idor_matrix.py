"""A facility user who asks for a record of another facility, by GET or POST, gets 404 and changes
nothing. Every URL pattern with an int parameter is either in the matrix or on the list of
patterns that are not facility-scoped (with the reason); the patterns come from the resolver, so
a new one cannot be forgotten."""

import pytest
from django.apps import apps

from reports import fact_table

from .routes import all_routes

ROUTES = {route.name: route for route in all_routes() if route.int_kwargs}

# URL name -> the record of the other facility its int parameter names (a key of make_records),
# in the state in which the action would succeed for its own facility.
MATRIX = {
    "facilities:detail": "facility",
    "facilities:edit": "facility",
    "facilities:close": "facility",  # staff only: 403 for every pk (ROLE_DENIED)
    "reports:facility_intensity": "facility",
    "reports:facility_progress": "facility",
    "reports:facility_progress_pdf": "facility",
    "assessments:report_create": "facility",
    "assessments:report_reminder": "facility",  # staff only: 403 for every pk (ROLE_DENIED)
    "assessments:report_detail": "report_draft",
    "assessments:report_edit": "report_draft",
    "assessments:report_submit": "report_draft",
    "assessments:report_return": "report_submitted",
    "assessments:report_approve": "report_submitted",
    "assessments:report_reopen": "report_approved",
    "assessments:assessment_detail": "assessment_draft",
    "assessments:assessment_edit": "assessment_draft",
    "assessments:assessment_submit": "assessment_draft",
    "assessments:assessment_return": "assessment_submitted",
    "assessments:assessment_approve": "assessment_submitted",
    "assessments:assessment_approve_draft": "assessment_draft",
    "assessments:assessment_reopen": "assessment_approved",
    "assessments:option_create": "assessment_draft",
    "assessments:option_edit": "option",
    "assessments:option_delete": "option",
    "assessments:activity_detail": "activity",
    "assessments:activity_edit": "activity",
    "assessments:activity_delete": "activity",
}

# Read-only JSON API endpoints scoped like the web (DRF answers 405 to a POST for every pk, so
# they are checked by GET with their required query): URL name -> record, query string.
API_MATRIX = {
    "api:facility_benchmark": ("facility", "?year=2018"),
}

# Facility-scoped views that facility users may not use at all: the role check answers 403 before
# the record is looked up, the same for every pk, so it reveals nothing either.
ROLE_DENIED = {"facilities:close", "assessments:report_reminder"}

STAFF_ONLY = "staff only (a facility user gets 403)"
NOT_FACILITY_SCOPED = {
    "accounts:user_two_factor_reset": f"a user account, not a facility's record; {STAFF_ONLY}",
    "accounts:user_tokens": f"a user account's API tokens; {STAFF_ONLY}",
    "accounts:user_send_link": f"a user account (set-password link); {STAFF_ONLY}",
    "accounts:api_token_revoke": "an API token: its owner or staff only, 404 to anyone else",
    "facilities:import_job": f"an upload of the whole registry; {STAFF_ONLY}",
    "facilities:import_job_progress": f"an upload of the whole registry; {STAFF_ONLY}",
    "facilities:import_job_confirm": f"an upload of the whole registry; {STAFF_ONLY}",
    "facilities:area_edit": f"reference data (industrial areas); {STAFF_ONLY}",
    "facilities:area_delete": f"reference data (industrial areas); {STAFF_ONLY}",
    "assessments:factor_edit": f"reference data (conversion factors); {STAFF_ONLY}",
    "assessments:grid_factor_edit": f"reference data (grid emission factors); {STAFF_ONLY}",
    "assessments:quality_rule_edit": f"reference data (data-quality rules); {STAFF_ONLY}",
    "assessments:quality_run_progress": f"a run over every report; {STAFF_ONLY}",
    "assessments:library_example_edit": f"a curated library example, sector data; {STAFF_ONLY}",
    "assessments:library_example_visibility": (
        f"a curated library example, sector data; {STAFF_ONLY}"
    ),
    "assessments:library_option_visibility": (
        "an option as an anonymised library example (sector data); only done options of "
        f"approved assessments, 404 otherwise; {STAFF_ONLY}"
    ),
    "reports:indicator_facilities": "the int is a year; staff and officials only (403)",
    "reports:period_edit": f"the province's plan; {STAFF_ONLY}",
    "reports:indicator_create": f"the province's plan; {STAFF_ONLY}",
    "reports:indicator_edit": f"the province's plan; {STAFF_ONLY}",
    "reports:indicator_values": f"the province's plan; {STAFF_ONLY}",
    "reports:indicator_milestones": f"the province's plan; {STAFF_ONLY}",
    "reports:detail": "a province-wide report file; staff and officials only (404)",
    "reports:progress": "a province-wide report file; staff and officials only (404)",
    "reports:download": "a province-wide report file; staff and officials only (404)",
    "reports:delete": (
        "a province-wide report file; staff and officials only (404); an official only cancels "
        "his own job while it waits (403 otherwise: tests/test_report_lifecycle_round23_queue.py)"
    ),
    "reports:narrative": (
        "the int is a year; the province's report text; staff only (403: "
        "tests/reports/test_report_narrative.py)"
    ),
    "reports:issue": (
        "a province-wide report file; staff only (403 to officials, 404 to facility users and "
        "to officials for a draft not theirs: tests/reports/test_report_issue.py)"
    ),
}
ADMIN = "Django admin: superusers only (the URL walk proves the login)"

# Fields a tampering POST would set on any of the records above.
PAYLOAD = {
    "name": "Đã bị sửa",
    "title": "Đã bị sửa",
    "description": "Đã bị sửa",
    "product": "Đã bị sửa",
    "year": "2021",
    "output": "1",
    "state": "approved",
    "status": "closed",
    "comment": "Đã bị sửa",
    "review_comment": "Đã bị sửa",
    "value": "1",
}


def snapshot() -> dict:
    """Every row of the portal's own tables (history tables included). The stored facts behind
    the indicators are derived rows that a read brings up to date (reports.fact_table): brought
    up to date first, so that they differ only when the data they come from does."""
    fact_table.flush()
    rows = {}
    for label in ("accounts", "facilities", "assessments", "reports"):
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = list(model.objects.order_by("pk").values_list())
    return rows


def _url(name, record) -> str:
    return _url_for_pk(name, record.pk)


def _url_for_pk(name, pk) -> str:
    route = ROUTES[name]
    return route.path(**dict.fromkeys(route.int_kwargs, pk))


def test_every_pk_url_is_in_the_matrix_or_explained():
    unexplained = [
        name
        for name in ROUTES
        if name not in MATRIX
        and name not in API_MATRIX
        and name not in NOT_FACILITY_SCOPED
        and not name.startswith("admin:")
    ]
    assert unexplained == []
    assert set(MATRIX) | set(API_MATRIX) <= set(ROUTES)  # no stale entries
    assert set(NOT_FACILITY_SCOPED) <= set(ROUTES)
    assert not set(MATRIX) & set(NOT_FACILITY_SCOPED)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_another_facility_gets_404_and_changes_nothing(client, facility_user, other_records, name):
    url = _url(name, other_records[MATRIX[name]])
    client.force_login(facility_user)
    before = snapshot()

    get = client.get(url)
    post = client.post(url, PAYLOAD)

    expected = 403 if name in ROLE_DENIED else 404
    assert post.status_code == expected
    # A POST-only view may refuse the method first (405): like 403, the same for every pk.
    assert get.status_code in (expected, 405)
    assert snapshot() == before
    # Indistinguishable from a record that does not exist.
    missing = _url_for_pk(name, 999_999_999)
    assert (client.get(missing).status_code, client.post(missing, PAYLOAD).status_code) == (
        get.status_code,
        post.status_code,
    )


@pytest.mark.parametrize("name", sorted(API_MATRIX))
def test_the_api_answers_404_for_another_facility(
    client, facility_user, other_records, own_records, name
):
    record, query = API_MATRIX[name]
    client.force_login(facility_user)
    before = snapshot()
    other = client.get(_url(name, other_records[record]) + query)
    missing = client.get(_url_for_pk(name, 999_999_999) + query)
    own = client.get(_url(name, own_records[record]) + query)
    assert (other.status_code, missing.status_code, own.status_code) == (404, 404, 200)
    assert client.post(_url(name, other_records[record]) + query, PAYLOAD).status_code == 405
    assert snapshot() == before


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_the_matrix_urls_work_for_their_own_facility(client, facility_user, own_records, name):
    # The same URL with the user's own record is not a 404: the matrix tests the access rule, not
    # a broken URL.
    client.force_login(facility_user)
    response = client.get(_url(name, own_records[MATRIX[name]]))
    assert response.status_code == (403 if name in STAFF_ACTIONS else 200)


# Matrix actions that only staff may take (README "Roles": closing a facility, reviewing reports
# and assessments, managing activities): a facility user gets 403 for their own record too.
STAFF_ACTIONS = {
    "facilities:close",
    "assessments:report_reminder",
    "assessments:report_return",
    "assessments:report_approve",
    "assessments:report_reopen",
    "assessments:assessment_return",
    "assessments:assessment_approve",
    "assessments:assessment_approve_draft",
    "assessments:assessment_reopen",
    "assessments:activity_edit",
    "assessments:activity_delete",
}


@pytest.mark.parametrize("name", sorted(NOT_FACILITY_SCOPED))
def test_a_facility_user_cannot_use_the_others(client, facility_user, staff_records, name):
    route = ROUTES[name]
    record = staff_records.get(name)
    url = route.path(year=2018) if record is None else _url(name, record)
    client.force_login(facility_user)
    before = snapshot()

    get = client.get(url)
    post = client.post(url, PAYLOAD)

    assert get.status_code in (403, 404, 405)
    assert post.status_code in (403, 404, 405)  # 405: a GET-only JSON endpoint
    assert {get.status_code, post.status_code} & {403, 404}
    assert snapshot() == before
