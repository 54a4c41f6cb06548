"""The cast every test can use: a staff member, an official, a facility user with their facility,
and an outsider (a facility user of another facility)."""

import pytest
from django.conf import settings
from django.utils import translation

from accounts.models import Role

from .browser import launch_chromium
from .factories import FacilityFactory, UserFactory


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_process_state():
    """Each test starts with an empty cache (the password-reset counters live there) and no
    /healthz result; a /healthz refresh thread is waited for, so it never outlives its test."""
    from django.core.cache import cache

    from ops import health

    cache.clear()
    yield
    health.reset()
    # A request in English (the language cookie) leaves its language active in this thread:
    # the next test starts in the portal's own language again.
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _stored_facts(request):
    """Tests that use the database read the indicators from the stored facts (reports.fact_table),
    as a running portal does once they are built: the table starts fresh for every year a test may
    use, and the changes a test makes keep it in step (or mark it stale)."""
    if not _uses_database(request.node):
        return
    request.getfixturevalue("transactional_db" if _flushes_database(request.node) else "db")
    from reports import fact_table

    fact_table.rebuild(years=TEST_FACT_YEARS)


TEST_FACT_YEARS = range(2000, 2041)


def _uses_database(item) -> bool:
    if item.get_closest_marker("django_db") is not None:
        return True
    return bool({"db", "transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per test module (tests/browser.py)."""
    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture
def staff(db):
    return UserFactory(username="canbo_test", role=Role.STAFF, full_name="Nguyễn Thị Cán Bộ")


@pytest.fixture
def official(db):
    return UserFactory(username="lanhdao_test", role=Role.OFFICIAL, full_name="Trần Văn Lãnh Đạo")


@pytest.fixture
def facility(db):
    return FacilityFactory(name="Công ty Cổ phần Bia Hải Dương")


@pytest.fixture
def facility_user(facility):
    user = UserFactory(username="coso_test", role=Role.FACILITY, full_name="Lê Văn Cơ Sở")
    user.facilities.add(facility)
    return user


@pytest.fixture
def other_facility(db):
    return FacilityFactory(name="Công ty TNHH Giấy Phong Khê")


@pytest.fixture
def outsider(other_facility):
    user = UserFactory(username="coso_khac", role=Role.FACILITY, full_name="Phạm Thị Người Ngoài")
    user.facilities.add(other_facility)
    return user


def restore_reference_data():
    """Re-create the rows that data migrations load (VSIC codes, TOE/grid factors, the 2016–2020
    plan, the data-quality rules): a transactional test flushes every table, and later tests rely
    on them."""
    from django.apps import apps

    from assessments.factors import seed_factors
    from assessments.quality_rules import seed_quality_rules
    from facilities.reference import load_industry_codes
    from reports.plan_seed import seed_plan

    load_industry_codes()
    seed_factors(
        apps.get_model("assessments", "ConversionFactor"),
        apps.get_model("assessments", "GridEmissionFactor"),
    )
    seed_plan(
        apps.get_model("assessments", "PlanPeriod"),
        apps.get_model("reports", "Indicator"),
        apps.get_model("reports", "IndicatorMilestone"),
    )
    seed_quality_rules(
        apps.get_model("assessments", "QualityRule"),
        apps.get_model("assessments", "HistoricalQualityRule"),
    )


def _flushes_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # After the item's fixtures are finalised, i.e. after pytest-django flushed the tables.
    result = yield
    if nextitem is not None and _flushes_database(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            restore_reference_data()
    return result


@pytest.fixture
def plan_2021_2030(db):
    """The 2021–2030 plan period (the seeded plan ends in 2020): documents, scheduled drafts and
    reports of 2021 onwards are for plan years only."""
    from assessments.models import PlanPeriod

    return PlanPeriod.objects.create(
        code="2021-2030", name="Giai đoạn 2021–2030", start_year=2021, end_year=2030
    )


@pytest.fixture
def reset_mail_sent_at_once(monkeypatch):
    """The "Quên mật khẩu" mail reaches the outbox as the page answers: the `mail` queue's task
    runs in the test at once (no worker here, and a test's transaction never commits)."""
    from accounts import password_reset, tasks

    monkeypatch.setattr(
        password_reset,
        "queue_on_commit",
        lambda mail, user_pk: tasks.send_password_reset_mail(**mail),
    )
