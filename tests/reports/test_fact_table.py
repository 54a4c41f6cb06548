"""The stored per-facility facts (reports.fact_table, issue 18 point 4): after every kind of change
the stored rows equal the rules computed on the spot (reports.fact_sql.FACTS_SQL), the
indicators read the table when it is fresh and the rules when it is stale, and an approval shows
in the figures without a rebuild."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import AnnualReport, ConversionFactor, Option
from core.data_version import data_changed
from facilities.models import Facility
from reports import fact_table
from reports.fact_models import FacilityYearFact, FactsDirty, FactsState
from reports.fact_sql import FLAG_COLUMNS, Scope, facts_sql
from reports.facts import TOTAL, _grouped_sql, group_counts
from reports.groupings import GROUPINGS
from reports.indicators import compute_indicators

from ..factories import AssessmentFactory, CommuneFactory, OptionFactory
from .indicator_helpers import bulk_facilities, facility, report, workshop

YEARS = list(range(2015, 2022))
YEAR = 2018


def rules_rows(years=YEARS) -> set[tuple]:
    """The facts as the rules give them now, computed on the spot."""
    sql, params = facts_sql(years, scope=Scope())
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} SELECT {', '.join(FLAG_COLUMNS)} FROM flags", params)
        return {_normal(row) for row in cursor.fetchall()}


def stored_rows(years=YEARS) -> set[tuple]:
    fact_table.flush()
    rows = FacilityYearFact.objects.filter(y__in=years).values_list(*FLAG_COLUMNS)
    return {_normal(row) for row in rows}


def _normal(row) -> tuple:
    return tuple(value.normalize() if isinstance(value, Decimal) else value for value in row)


@pytest.fixture
def programme(db):
    """Three facilities with approved reports over the years, a draft, a workshop and an
    approved assessment with a done option: every kind of fact."""
    saver = facility(name="Giảm tiêu hao", commune=CommuneFactory())
    for year, coal in ((2016, 100), (2017, 95), (2018, 88), (2019, 80)):
        report(saver, year, coal_t=Decimal(coal), aware=year >= 2017, applies_cp=year >= 2018)
    learner = facility(name="Dự hội thảo", employees=300)
    report(learner, 2018, has_cp_unit=True, trained_staff=3)
    report(learner, 2019, state="submitted", aware=True)
    workshop(learner, date(2017, 6, 1))
    applier = facility(name="Có giải pháp", established_year=2017)
    option = OptionFactory(assessment=AssessmentFactory(facility=applier), implementation_year=2019)
    closed = facility(name="Đã đóng cửa", status="closed", closed_year=2017)
    report(closed, 2016, aware=True)
    return {"saver": saver, "learner": learner, "applier": applier, "option": option}


def test_stored_facts_equal_the_rules_after_the_changes_that_made_them(programme):
    stored = stored_rows()
    assert stored == rules_rows()
    # Every operating facility-year is there (the closed one only up to 2017).
    assert len(stored) == 7 + 7 + 5 + 3
    assert not FactsDirty.objects.exists()


def test_the_figures_from_the_table_equal_the_figures_from_the_rules(programme):
    stored = group_counts(YEARS, groupings=GROUPINGS)
    with CaptureQueriesContext(connection) as read:
        group_counts(YEARS, groupings=GROUPINGS)
    sql = " ".join(query["sql"] for query in read.captured_queries)
    assert FacilityYearFact._meta.db_table in sql
    assert AnnualReport._meta.db_table not in sql
    # The same counts when the table is stale and the rules run on the spot.
    FactsState.objects.update(fresh=False)
    with CaptureQueriesContext(connection) as read:
        recomputed = group_counts(YEARS, groupings=GROUPINGS)
    sql = " ".join(query["sql"] for query in read.captured_queries)
    assert AnnualReport._meta.db_table in sql
    assert FacilityYearFact._meta.db_table not in sql
    assert stored == recomputed


def test_edits_deletions_and_activity_dates_keep_the_table_equal_to_the_rules(programme):
    learner, applier, saver = programme["learner"], programme["applier"], programme["saver"]
    stored_rows()  # flushed
    pending = AnnualReport.objects.get(facility=learner, year=2019)
    pending.state = "approved"
    pending.save()
    activity = learner.activities.get()
    activity.date = date(2019, 3, 1)
    activity.save()
    programme["option"].status = Option.Status.PLANNED
    programme["option"].save()
    saver.employees = 400
    saver.save()
    AnnualReport.objects.get(facility=saver, year=2016).delete()  # the baseline moves to 2017
    assert FactsDirty.objects.count() == 3
    assert stored_rows() == rules_rows()
    applier.annual_reports.all().delete()
    applier.assessments.all().delete()
    applier.delete()
    assert stored_rows() == rules_rows()
    assert not FacilityYearFact.objects.filter(facility_id=applier.pk).exists()


def test_a_bulk_write_with_its_facilities_keeps_the_table_fresh(db):
    bulk_facilities(12)
    assert FactsState.objects.get().fresh
    assert FactsDirty.objects.count() == 12
    assert stored_rows() == rules_rows()


def test_a_change_of_unknown_extent_marks_the_table_stale_until_rebuilt(programme):
    before = compute_indicators(YEAR).value("AWARE_PCT")
    factor = ConversionFactor.objects.first()
    factor.toe_per_unit = factor.toe_per_unit * 2
    factor.save()
    assert not fact_table.is_fresh()
    data_changed()  # a bulk write that does not say which facilities it touched
    assert not fact_table.is_fresh()
    # Still right while stale: computed on the spot.
    assert compute_indicators(YEAR).value("AWARE_PCT") == before
    fact_table.rebuild(years=YEARS)
    assert fact_table.is_fresh()
    assert stored_rows() == rules_rows()


def test_rows_stored_by_other_rules_are_not_read_until_rebuilt(programme, monkeypatch):
    fact_table.rebuild(years=YEARS)
    assert FactsState.objects.get().rules == fact_table.rules_version()
    expected = compute_indicators(YEAR).value("AWARE_PCT")
    # The release before computed other flags: every stored row says "aware".
    FacilityYearFact.objects.update(aware=1)
    FactsState.objects.update(rules="0123456789abcdef")
    requested = []
    monkeypatch.setattr(fact_table, "request_rebuild", lambda: requested.append(1))
    assert not fact_table.is_fresh()
    assert not fact_table.use_stored([YEAR])
    assert requested
    assert compute_indicators(YEAR).value("AWARE_PCT") == expected
    fact_table.rebuild(years=YEARS)
    assert fact_table.is_fresh()
    assert stored_rows() == rules_rows()


def test_the_flush_of_many_facilities_takes_a_fixed_number_of_queries(
    db, django_assert_max_num_queries
):
    bulk_facilities(60)
    with django_assert_max_num_queries(10):
        assert fact_table.flush() == 60


def test_an_approval_shows_in_the_figures_without_a_rebuild(client, staff, programme):
    api = "/api/v1/indicators/"
    client.force_login(staff)

    def aware(year):
        rows = client.get(api, {"year": year}).json()["indicators"]
        figure = next(row for row in rows if row["code"] == "AWARE_PCT")
        return figure["numerator"], figure["denominator"]

    built_at = FactsState.objects.get().built_at
    learner = programme["learner"]
    pending = AnnualReport.objects.get(facility=learner, year=2019)
    pending.state = "submitted"
    pending.save()
    # Make the submitted report the one that changes the figure: a facility not yet aware.
    newcomer = facility(name="Mới biết SXSH")
    report(newcomer, 2019, state="submitted", aware=True)
    before = aware(2019)
    pending = AnnualReport.objects.get(facility=newcomer, year=2019)
    approve = reverse("assessments:report_approve", args=[pending.pk])
    response = client.post(approve, {"confirm": "1", "text": ""})
    assert response.status_code == 302
    assert aware(2019) == (before[0] + 1, before[1])
    assert FactsState.objects.get().built_at == built_at  # kept in step, not rebuilt
    assert stored_rows() == rules_rows()


def test_rebuild_facts_command_reports_what_it_stored(programme, capsys):
    call_command("rebuild_facts")
    out = capsys.readouterr().out
    rows = FacilityYearFact.objects.count()
    assert rows > 0
    assert out.startswith(f"{rows} facility-years stored (")
    assert FactsState.objects.get().years == fact_table.stored_years()
    assert set(FacilityYearFact.objects.values_list("facility_id", flat=True)) == set(
        Facility.objects.values_list("pk", flat=True)
    )


def test_grouping_sets_give_the_rows_of_the_portable_query(programme):
    """PostgreSQL counts every grouping in one pass (GROUPING SETS); SQLite crosses the rows with
    the groupings. Both give the same rows."""
    sql, params = fact_table.flags_sql(YEARS)
    answers = []
    for vendor in ("postgresql", "sqlite"):
        tail, tail_params = _grouped_sql(GROUPINGS, vendor)
        with connection.cursor() as cursor:
            cursor.execute(sql + tail, [*params, *tail_params])
            answers.append({_normal(row) for row in cursor.fetchall()})
    assert answers[0] == answers[1]
    assert {row[0] for row in answers[0]} == {TOTAL, *GROUPINGS}
