"""The data of bench/national.py: every province's units, N facilities placed in the 2025 wards
of the 34 provinces and their annual reports, seeded once (COPY) and reused by a marker row; and the
users each run makes (a staff member per province, a ministry user, the burst's facility users)."""

import random
import time
from datetime import UTC, datetime

from common import BATCH, TRADES, annual_reports, copy_models, programme_facility, tax_codes
from loopback import session_cookie

POOL_PER_CLIENT = 60  # draft reports of the last year each burst writer may save or submit

KINDS = ["Công ty TNHH", "Công ty Cổ phần", "Hợp tác xã", "Doanh nghiệp tư nhân"]


# --- seed ----------------------------------------------------------------------------------------


def _name(rng, n: int) -> str:
    return f"{rng.choice(KINDS)} {rng.choice(TRADES)} {n}"


def _marker_key(count: int, years: range) -> str:
    return f"national facilities={count} years={years.start}-{years.stop - 1}"


def _marker(cur) -> str | None:
    cur.execute("CREATE TABLE IF NOT EXISTS bench_marker (key text NOT NULL)")
    cur.execute("SELECT key FROM bench_marker LIMIT 1")
    row = cur.fetchone()
    return row[0] if row else None


def seed(count: int, years: range) -> None:
    """Reference data, the plan periods, then facilities and reports unless the marker says the
    database already holds exactly these."""
    from django.core.management import call_command
    from django.db import connection

    from assessments.models import AnnualReport
    from core.data_version import data_changed
    from facilities.models import AdminUnit, Facility, IndustryCode
    from facilities.reference import load_all_admin_units
    from ops.demo_reports import ensure_report_periods

    call_command("migrate", verbosity=0)
    if AdminUnit.objects.filter(scheme="2025", level="province").count() < 34:
        started = time.perf_counter()
        load_all_admin_units()
        print(f"loaded the 34 provinces' units in {time.perf_counter() - started:.1f} s")
    ensure_report_periods()
    key = _marker_key(count, years)
    with connection.cursor() as cur:
        if _marker(cur) == key:
            print(f"reusing the seeded data ({key})")
            return
        # Anything else (another size, a seed cut short) is replaced.
        cur.execute("DELETE FROM bench_marker")
        cur.execute(
            f"TRUNCATE {Facility._meta.db_table}, {AnnualReport._meta.db_table} "
            "RESTART IDENTITY CASCADE"
        )
    wards, predecessors = _wards()
    places = _place_lookups(wards, predecessors)
    industries = list(IndustryCode.objects.filter(level=2, code__gte="10", code__lte="33"))
    rng = random.Random(2016)
    codes = tax_codes(400_000_000)
    started = time.perf_counter()
    reports = 0
    for offset in range(0, count, BATCH):
        size = min(BATCH, count - offset)
        batch = [
            _facility(rng, offset + i, next(codes), wards, predecessors, industries, places)
            for i in range(size)
        ]
        facilities = Facility.objects.bulk_create(batch)
        rows = [row for f in facilities for row in _reports(rng, f, years)]
        reports += copy_models(rows)
        if offset // BATCH % 10 == 9:
            rate = (offset + size) / (time.perf_counter() - started)
            print(f"  {offset + size:,} facilities, {reports:,} reports ({rate:,.0f} facilities/s)")
    data_changed()  # bulk writes send no signals
    print(
        f"seeded {count:,} facilities and {reports:,} reports in "
        f"{time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
        cur.execute("INSERT INTO bench_marker (key) VALUES (%s)", [key])
    print(f"VACUUM ANALYZE in {time.perf_counter() - started:.1f} s")


def _wards() -> tuple[list[int], dict[int, list[int]]]:
    """Every 2025 commune/ward of the 34 provinces, and the old communes each came from."""
    from facilities.models import AdminUnit

    wards = list(
        AdminUnit.objects.filter(scheme="2025", level="commune")
        .order_by("code")
        .values_list("pk", flat=True)
    )
    predecessors: dict[int, list[int]] = {}
    links = AdminUnit.successors.through.objects.values_list("from_adminunit_id", "to_adminunit_id")
    for old, new in links.order_by("to_adminunit_id", "from_adminunit_id"):
        predecessors.setdefault(new, []).append(old)
    return wards, predecessors


def _place_lookups(wards, predecessors) -> tuple[dict, dict]:
    """(names for search_text, 2025 province) of every unit a facility may be placed in, as the
    import computes them (facilities.importing._prepare)."""
    from facilities.models import place_provinces, place_search_names

    ids = set(wards) | {old for olds in predecessors.values() for old in olds}
    return place_search_names(ids), place_provinces(ids)


def _facility(rng, n, tax_code, wards, predecessors, industries, places):
    """A facility of the programme's period in a random 2025 ward; nine in ten with the old
    commune it was registered in before 2025."""
    facility = programme_facility(rng, n, tax_code, [None], industries, naming=_name)
    facility.ward_id = rng.choice(wards)
    olds = predecessors.get(facility.ward_id)
    facility.commune_id = rng.choice(olds) if olds and rng.random() < 0.9 else None
    names, provinces = places
    facility.search_text = facility.compute_search_text(names)
    facility.province = facility.compute_province(provinces)
    return facility


def _reports(rng, facility, years: range) -> list:
    """Reports for the years the facility operated; of the last year's non-approved ones, a third
    submitted (waiting for staff), the rest drafts (the burst's writers save and submit them)."""
    first = max(years.start, facility.established_year or years.start)
    last = min(years.stop - 1, facility.closed_year or years.stop - 1)
    rows = annual_reports(
        rng, facility, range(first, last + 1), vary_output=True, with_finances=True
    )
    for row in rows:
        if row.year == years.stop - 1 and row.state == "draft" and rng.random() < 1 / 3:
            row.state = "submitted"
            row.submitted_at = datetime(years.stop, 3, 1, tzinfo=UTC)
    return rows


# --- users ---------------------------------------------------------------------------------------


def ministry_cookie() -> str:
    from accounts.models import Role

    return session_cookie("bench_nat_ministry", role=Role.MINISTRY)


def staff_cookie(province: str) -> str:
    from accounts.models import Role, User

    username = f"bench_nat_staff_{province}"
    cookie = session_cookie(username, role=Role.STAFF, province=province)
    assert User.objects.get(username=username).scoped_province == province
    return cookie


def writers(count: int, year: int) -> list[tuple[str, list[int]]]:
    """`count` facility users, each representing POOL_PER_CLIENT facilities whose `year` report
    is a draft (the drafts are reset first, so a run starts like the last): (cookie, report ids)."""
    from accounts.models import Role, User
    from assessments.models import AnnualReport
    from facilities.models import Facility

    pool = list(
        AnnualReport.objects.filter(year=year, state__in=["draft", "submitted"])
        .filter(facility__users__username__startswith="bench_nat_facility_")
        .values_list("pk", flat=True)
    )
    AnnualReport.objects.filter(pk__in=pool).update(
        state="draft", submitted_at=None, quality_justification=""
    )
    Link = Facility.users.through
    Link.objects.filter(user__username__startswith="bench_nat_facility_").delete()
    drafts = list(
        AnnualReport.objects.filter(year=year, state="draft")
        .order_by("pk")
        .values_list("pk", "facility_id")[: count * POOL_PER_CLIENT]
    )
    out = []
    for index in range(count):
        mine = drafts[index::count]
        username = f"bench_nat_facility_{index}"
        user, _ = User.objects.get_or_create(username=username, defaults={"role": Role.FACILITY})
        Link.objects.bulk_create([Link(user_id=user.pk, facility_id=f) for _, f in mine])
        out.append((session_cookie(username), [pk for pk, _ in mine]))
    return out
