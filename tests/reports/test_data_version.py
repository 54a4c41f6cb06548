"""The cache of computed indicator counts (core/data_version.py): the dashboard and the API
read it instead of scanning every approved report, and every kind of change to the data behind
the indicators — committed through a form, a service, an import, another process — is seen on
the next request. Transactional tests: the cache only serves committed data."""

import re
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Activity, AnnualReport, ConversionFactor, WorkflowState
from core import data_version
from core.models import DataVersion
from facilities.models import Facility
from facilities.reference import load_admin_units
from reports import fact_table
from reports.indicators import compute_indicators

from ..facilities.import_helpers import confirm_import
from ..factories import AssessmentFactory, CommuneFactory, DistrictFactory, OptionFactory
from ..samples import SAMPLES
from .indicator_helpers import YEAR, facility, report, workshop

pytestmark = pytest.mark.django_db(transaction=True)

API = reverse("api:indicators")


def facts_queries(queries) -> int:
    """How many of `queries` read the facts (the indicators' big query: over the stored facts,
    or over the approved data while they are stale)."""
    return sum(q["sql"].startswith(("WITH firsts AS", "WITH flags AS")) for q in queries)


def aware(year=YEAR):
    return compute_indicators(year).value("AWARE_PCT")


def api_aware(client, year=YEAR):
    body = client.get(API, {"year": year}).json()
    return next(row for row in body["indicators"] if row["code"] == "AWARE_PCT")


@pytest.fixture
def two_facilities():
    first, second = facility(), facility()
    report(first, YEAR, aware=True)
    report(second, YEAR)
    return first, second


def test_repeated_requests_are_served_from_the_cache(client, official, two_facilities):
    client.force_login(official)
    with CaptureQueriesContext(connection) as first:
        assert api_aware(client)["numerator"] == 1
    with CaptureQueriesContext(connection) as second:
        assert api_aware(client)["numerator"] == 1
        dashboard = client.get(reverse("reports:dashboard"), {"year": YEAR})

    assert facts_queries(first.captured_queries) == 1
    # The dashboard only: its year with the groupings it shows, the other years' totals.
    assert facts_queries(second.captured_queries) == 2
    assert dashboard.status_code == 200
    with CaptureQueriesContext(connection) as third:
        client.get(reverse("reports:dashboard"), {"year": YEAR})
    assert facts_queries(third.captured_queries) == 0


def test_approving_a_report_on_the_review_page_changes_the_next_answer(
    client, staff, official, two_facilities
):
    _, second = two_facilities
    pending = report(facility(), YEAR, state="submitted", aware=True)
    client.force_login(official)
    figure = api_aware(client)  # now cached; the submitted report does not count
    assert (figure["numerator"], figure["denominator"]) == (1, 3)

    client.force_login(staff)
    url = reverse("assessments:report_approve", args=[pending.pk])
    assert client.post(url, {"confirm": "1", "text": ""}).status_code == 302

    client.force_login(official)
    figure = api_aware(client)
    assert (figure["numerator"], figure["denominator"]) == (2, 3)


def _close(first, second):
    first.status, first.closed_year = Facility.Status.CLOSED, YEAR - 1
    first.save()


def _delete_report(first, second):
    AnnualReport.objects.get(facility=first, year=YEAR).delete()


def _reopen_approved(first, second):
    from assessments.services import annual_report_reopen
    from tests.factories import UserFactory

    annual_report_reopen(
        report=AnnualReport.objects.get(facility=first, year=YEAR),
        by=UserFactory(role="staff"),
        reason="Sai số liệu",
    )


def _workshop(first, second):
    workshop(second, date(YEAR, 3, 1))


def _participation_added_to_an_activity(first, second):
    activity = Activity.objects.create(
        kind=Activity.Kind.TRAINING, title="Tập huấn SXSH", date=date(YEAR, 4, 1)
    )
    activity.participants.add(second, through_defaults={"people": 3})


def _activity_moved_into_the_year(first, second):
    activity = workshop(second, date(YEAR + 1, 3, 1))
    activity.date = date(YEAR, 3, 1)
    activity.save()


def _option_done(first, second):
    OptionFactory(assessment=AssessmentFactory(facility=second), implementation_year=YEAR)


def _facility_added(first, second):
    facility()


def _district_renamed_by_a_move(first, second):
    commune = second.commune
    commune.parent = DistrictFactory(name="Huyện Mới Tách")
    commune.save()


def _conversion_factor(first, second):
    factor = ConversionFactor.objects.get(carrier="coal")
    factor.toe_per_unit = factor.toe_per_unit * 2
    factor.save()


CHANGES = [
    (_close, lambda r: r.operating),
    (_delete_report, lambda r: r.value("AWARE_PCT").numerator),
    (_reopen_approved, lambda r: r.value("AWARE_PCT").numerator),
    (_workshop, lambda r: r.value("AWARE_PCT").numerator),
    (_participation_added_to_an_activity, lambda r: r.value("AWARE_PCT").numerator),
    (_activity_moved_into_the_year, lambda r: r.value("AWARE_PCT").numerator),
    (_option_done, lambda r: r.value("APPLY_PCT").numerator),
    (_facility_added, lambda r: r.operating),
    (_district_renamed_by_a_move, lambda r: [row.label for row in r.by_district]),
    (_conversion_factor, lambda r: r.value("SAVING_PCT").actual),
]


@pytest.mark.parametrize("change, figure", CHANGES, ids=[c.__name__[1:] for c, _ in CHANGES])
def test_each_kind_of_change_is_seen_at_once(two_facilities, change, figure):
    first, second = two_facilities
    if change is _conversion_factor:  # make the saving depend on the coal factor
        for f in (first, second):
            AnnualReport.objects.filter(facility=f).update(applies_cp=True)
            report(f, YEAR - 1, applies_cp=True, coal_t=Decimal(100), electricity_kwh=1)
        AnnualReport.objects.filter(year=YEAR).update(electricity_kwh=Decimal(100_000))
        data_version.data_changed()
    before = figure(compute_indicators(YEAR))
    with CaptureQueriesContext(connection) as cached:
        assert figure(compute_indicators(YEAR)) == before
    assert facts_queries(cached.captured_queries) == 0

    change(first, second)

    after = figure(compute_indicators(YEAR))
    assert after != before
    assert after == figure(_uncached(YEAR))


def _uncached(year):
    """The same computation with the cache emptied."""
    from django.core.cache import cache

    cache.clear()
    return compute_indicators(year)


@pytest.fixture
def province(settings):
    settings.PORTAL_PROVINCE_CODE = 27
    load_admin_units(27)


def test_the_import_commands_are_seen_at_once(province):
    assert compute_indicators(2018).operating == 0  # now cached

    call_command("import_facilities", str(SAMPLES / "facilities.csv"))
    operating = compute_indicators(2018).operating
    assert operating > 0
    before = compute_indicators(2018).value("AWARE_PCT").numerator

    call_command("import_annual_reports", str(SAMPLES / "annual_reports.csv"))

    assert compute_indicators(2018).value("AWARE_PCT").numerator > before
    assert compute_indicators(2018).operating == operating


def test_the_web_import_is_seen_at_once(client, staff, province):
    assert compute_indicators(2018).operating == 0
    client.force_login(staff)
    with (SAMPLES / "facilities.csv").open("rb") as upload:
        preview = client.post(reverse("facilities:import"), {"file": upload})
    assert preview.status_code == 200
    assert confirm_import(client).status_code == 302

    operating = compute_indicators(2018).operating
    assert operating > 0
    assert operating == _uncached(2018).operating


def test_a_change_committed_by_another_connection_is_seen(two_facilities):
    _, second = two_facilities
    assert aware().numerator == 1

    def other_process():
        try:
            report_row = AnnualReport.objects.get(facility=second, year=YEAR)
            report_row.aware = True
            report_row.save()
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_process)
    thread.start()
    thread.join()

    assert aware().numerator == 2


def test_uncommitted_changes_are_computed_but_never_cached(two_facilities):
    _, second = two_facilities
    assert aware().numerator == 1  # cached

    with pytest.raises(RuntimeError), transaction.atomic():
        AnnualReport.objects.filter(facility=second).update(aware=True)  # no signal at all
        fact_table.mark([second.pk])  # (the stored facts are told, the token is not)
        assert aware().numerator == 2  # this transaction sees its own write
        raise RuntimeError("rolled back")

    assert aware().numerator == 1


def test_a_rolled_back_savepoint_does_not_lose_the_later_change(two_facilities):
    first, second = two_facilities
    token = data_version.current_token()
    with transaction.atomic():
        try:
            with transaction.atomic():
                _close(first, second)
                raise RuntimeError("savepoint rolled back")
        except RuntimeError:
            pass
        second_report = AnnualReport.objects.get(facility=second, year=YEAR)
        second_report.aware = True
        second_report.save()

    assert data_version.current_token() != token
    assert aware().numerator == 2


def test_one_token_change_per_transaction(two_facilities):
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        for f in two_facilities:
            f.phone = "0220 3 123 456"
            f.save()
    writes = [q for q in queries.captured_queries if DataVersion._meta.db_table in q["sql"]]
    assert 0 < len(writes) <= 3  # one update_or_create after the commit, not one per save


def test_migrate_replaces_the_token():
    token = data_version.bump()
    call_command("migrate", verbosity=0)
    assert data_version.current_token() not in (None, token)


def test_a_shared_redis_cache_serves_every_process(settings, two_facilities):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/13",
        }
    }
    from django.core.cache import cache

    cache.clear()
    assert aware().numerator == 1
    token = data_version.current_token()
    stored = cache.get(f"{data_version.cache_prefix()}:{token}:indicator-groups:{YEAR}")
    assert stored["total"][None].aware == 1
    assert sum(counts.aware for counts in stored["old_district"].values()) == 1
    cache.clear()


def test_drafts_leave_the_cache_alone_approval_and_reopening_do_not(
    staff, facility, facility_user, two_facilities
):
    from assessments.services import (
        annual_report_approve,
        annual_report_reopen,
        annual_report_save,
        annual_report_submit,
    )

    aware()  # cached
    token = data_version.current_token()
    draft = AnnualReport(
        facility=facility,
        year=YEAR,
        product="Bia",
        product_unit="1000 lít",
        output=500,
        electricity_kwh=100_000,  # with energy: no data-quality warning to justify
        aware=True,
    )
    annual_report_save(report=draft, by=facility_user)
    draft.output = 600
    annual_report_save(report=draft, by=facility_user)
    annual_report_submit(report=draft, by=facility_user, today=date(YEAR + 1, 1, 2))
    assert data_version.current_token() == token
    assert aware().numerator == 1

    annual_report_approve(report=draft, by=staff)
    assert data_version.current_token() != token
    assert aware().numerator == 2

    token = data_version.current_token()
    annual_report_reopen(report=draft, by=staff, reason="Sai sản lượng")
    assert data_version.current_token() != token
    assert aware().numerator == 1


# --- guard: bulk writes must say that the data changed ------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "facilities", "assessments", "reports")
WATCHED_MODELS = "|".join(label.split(".")[1] for label in data_version.WATCHED)
BULK_WRITE = re.compile(
    rf"\b({WATCHED_MODELS})\.objects\b[^\n]*\.(bulk_create|bulk_update|update)\("
    rf"|bulk_(create|update)_with_history\([^)]*\b({WATCHED_MODELS})\b"
)
# Bulk writes that cannot change a computed figure.
NOT_READ_BY_INDICATORS = {"facilities/views/areas_and_sectors.py": "IndustryCode.is_priority"}


def test_every_module_that_writes_in_bulk_calls_data_changed():
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative in NOT_READ_BY_INDICATORS:
                continue
            text = path.read_text(encoding="utf-8")
            if BULK_WRITE.search(text) and "data_changed(" not in text:
                offenders.append(relative)
    assert offenders == []
    assert BULK_WRITE.search("AnnualReport.objects.filter(x=1).update(aware=True)")
    assert BULK_WRITE.search("bulk_update_with_history(changed, Facility, fields)")


def test_the_token_survives_in_the_database_not_in_a_process():
    token = data_version.bump()
    assert DataVersion.objects.get(key=data_version.KEY).token == token
    assert CommuneFactory() and data_version.current_token() != token


def test_the_report_gate_names_the_approved_state():
    """core.data_version watches reports by label and state name (it imports no app): the name
    must be the model's own."""
    field, value = data_version.COUNTED_ONLY_IN_STATE["assessments.AnnualReport"]
    assert AnnualReport._meta.get_field(field).choices
    assert value == WorkflowState.APPROVED
