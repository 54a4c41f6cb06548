"""Bounded load test of the portal on loopback: gunicorn serving 100,000 facilities.

Seeds N facilities (default 100,000) with five years of annual reports and some programme data,
the data of bench/indicators.py with the searchable names of bench/facility_list.py, into a
PostgreSQL database (default `sxsh_bench_load`, created if missing), serves the portal with
gunicorn (default 4 workers) on 127.0.0.1, and drives it with threads of `http.client`, each
logged in as a staff member:

- P1: 4 clients, the facility list page, a fixed number of requests → p50 / p95.
  Goal: p95 <= 100 ms.
- P4: 16 clients for 60 s over a mix of pages (list, search, facility detail, dashboard,
  `GET /api/v1/indicators/`) → requests, errors (non-200 or no answer), p50 / p95 per page and
  overall. Goal: 0 errors and p95 <= 500 ms.

    .venv/bin/python bench/load.py [--facilities 100000] [--workers 4]
        [--p1-clients 4] [--p1-requests 400] [--p4-clients 16] [--p4-seconds 60]

Every loop is bounded (request count, or duration plus a request cap) and only 127.0.0.1 is
contacted. The load average before and after is printed: on a 2-core machine shared with other
work the figures move with it. Needs PostgreSQL on 127.0.0.1:5432 (user postgres). Figures, not
assertions: it prints MISS next to a goal missed and exits 0.
"""

import argparse
import os
import random
import signal
import sys
import time

from common import (
    TRADES,
    configure,
    ensure_database,
    programme_facility,
    seed_facilities,
)
from indicators import _reports, _seed_programme
from loopback import (
    Client,
    Results,
    loadavg,
    port_is_free,
    reader_path,
    report,
    run_clients,
    session_cookie,
    start_gunicorn,
    verdict,
)

HOST = "127.0.0.1"
PORT = 8766
KINDS = ["Công ty TNHH", "Công ty Cổ phần", "Hợp tác xã", "Doanh nghiệp tư nhân"]
PLACES = ["Phong Khê", "Đa Hội", "Phù Lãng", "Đông Hồ", "Quế Võ", "Tiên Sơn", "Hải Dương"]
SEARCHES = ["giay+phong+khe", "thep+da+hoi", "gom+phu+lang", "bia", "det+may+que+vo"]
YEARS = range(2016, 2021)
# Share of each page in the P4 mix (the rest of the weight goes to the next ones).
MIX = {"list": 30, "search": 20, "detail": 30, "dashboard": 10, "api": 10}
MAX_REQUESTS_PER_CLIENT = 100_000
P1_GOAL_MS = 100
P4_GOAL_MS = 500


def _name(rng, n: int) -> str:
    return f"{rng.choice(KINDS)} {rng.choice(TRADES)} {rng.choice(PLACES)} {n}"


def _facility(rng, n, tax_code, communes, industries):
    return programme_facility(rng, n, tax_code, communes, industries, naming=_name)


def seed(count: int) -> None:
    seed_facilities(
        count, _facility, tax_code_base=300_000_000, reports=_reports, programme=_seed_programme
    )


def staff_cookie() -> str:
    """A session of a staff superuser."""
    from accounts.models import Role

    return session_cookie("bench_load", role=Role.STAFF, is_staff=True, is_superuser=True)


def clients_run(count: int, body) -> Results:
    """Run `body(client, index)` in `count` threads, each with its own session."""
    return run_clients([staff_cookie() for _ in range(count)], PORT, body)


def p1(clients: int, requests: int) -> Results:
    def body(client: Client, index: int) -> None:
        for _ in range(requests // clients):
            client.get("list", "/facilities/")

    return clients_run(clients, body)


def p4(clients: int, seconds: float, pks: list[int]) -> tuple[Results, float]:
    labels = list(MIX)
    weights = [MIX[label] for label in labels]
    deadline = time.monotonic() + seconds

    def path_for(label: str, rng: random.Random) -> str:
        return reader_path(label, rng, pks, SEARCHES, YEARS, YEARS)

    def body(client: Client, index: int) -> None:
        rng = random.Random(4000 + index)
        for _ in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= deadline:
                break
            label = rng.choices(labels, weights)[0]
            client.get(label, path_for(label, rng))

    started = time.monotonic()
    results = clients_run(clients, body)
    return results, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facilities", type=int, default=100_000)
    parser.add_argument("--database", default="sxsh_bench_load")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--p1-clients", type=int, default=4)
    parser.add_argument("--p1-requests", type=int, default=400)
    parser.add_argument("--p4-clients", type=int, default=16)
    parser.add_argument("--p4-seconds", type=float, default=60)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    # SIGTERM (e.g. `timeout`) runs the clean-up below like Ctrl-C: gunicorn never outlives us.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(1))
    if not port_is_free(PORT):
        sys.exit(f"{HOST}:{PORT} is in use: is another bench/load.py running?")

    # The pages are measured, not the login: no second factor for the bench user.
    env = configure(args.database, DATABASE_CONN_MAX_AGE="60")
    ensure_database(args.database)
    import django

    django.setup()
    seed(args.facilities)
    from facilities.models import Facility

    pks = list(Facility.objects.values_list("pk", flat=True))
    from django.db import connection

    connection.close()

    gunicorn = start_gunicorn(PORT, args.workers, env)
    try:
        # Warm-up: every worker loads its code and the first queries before anything is timed.
        p4(args.workers * 2, 5, pks)
        print(
            f"{len(pks):,} facilities, gunicorn {args.workers} workers, {os.cpu_count()} CPUs; "
            f"load average before: {loadavg()}"
        )
        print(f"\nP1: {args.p1_clients} clients, {args.p1_requests} requests of the list page")
        results = p1(args.p1_clients, args.p1_requests)
        p1_errors, p1_p95 = report(results, ["list"])
        print(f"P1 goal p95 <= {P1_GOAL_MS} ms: {verdict(p1_p95 <= P1_GOAL_MS and not p1_errors)}")

        print(f"\nP4: {args.p4_clients} clients for {args.p4_seconds:.0f} s, mix {MIX}")
        results, elapsed = p4(args.p4_clients, args.p4_seconds, pks)
        p4_errors, p4_p95 = report(results, list(MIX))
        total = sum(len(v) for v in results.timings.values())
        print(f"{total / elapsed:.1f} requests/s over {elapsed:.1f} s")
        ok = p4_errors == 0 and p4_p95 <= P4_GOAL_MS
        print(f"P4 goal 0 errors and p95 <= {P4_GOAL_MS} ms: {verdict(ok)}")
        print(f"\nload average after: {loadavg()}")
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)


if __name__ == "__main__":
    main()
