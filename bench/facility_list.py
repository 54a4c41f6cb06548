"""Benchmark of the facility list page against the Django admin changelist on the same data.

Seeds N facilities (default 100,000) into a PostgreSQL database (default `sxsh_bench`, created if
missing), serves the portal with gunicorn on loopback, and measures with C concurrent clients
(default 4): the list page, an accent-free search, and the admin facility changelist. Prints p50
and p95 per page and the ratio list/admin. Goal: list p95 <= 100 ms and ratio <= 1.0.

    .venv/bin/python bench/facility_list.py [--facilities 100000] [--clients 4] [--requests 200]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres). Figures, not assertions: nothing fails.
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time

from common import ROOT, TRADES, configure, ensure_database, seed_facilities

PORT = 8765
KINDS = ["Công ty TNHH", "Công ty Cổ phần", "Hợp tác xã", "Doanh nghiệp tư nhân"]
PLACES = ["Phong Khê", "Đa Hội", "Phù Lãng", "Đông Hồ", "Quế Võ", "Tiên Sơn", "Hải Dương"]


def new_facility(rng, n, tax_code, communes, industries):
    from core.text import fold
    from facilities.models import Facility

    name = f"{rng.choice(KINDS)} {rng.choice(TRADES)} {rng.choice(PLACES)} {n}"
    return Facility(
        name=name,
        tax_code=tax_code,
        address=f"Số {n % 500 + 1}, Quốc lộ 1A",
        commune=rng.choice(communes),
        industry=rng.choice(industries),
        ownership=rng.choice(["state", "private", "fdi"]),
        established_year=rng.randint(1990, 2020),
        employees=rng.randint(3, 2000),
        high_pollution_risk=rng.random() < 0.2,
        search_text=fold(f"{name} {tax_code}"),
    )


def seed(count: int) -> None:
    seed_facilities(
        count, new_facility, tax_code_base=100_000_000, analyze="VACUUM ANALYZE facilities_facility"
    )


def session_cookie() -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import Role, User

    user, _ = User.objects.get_or_create(
        username="bench", defaults={"role": Role.STAFF, "is_staff": True, "is_superuser": True}
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"sessionid={session.session_key}"


def measure(path: str, cookie: str, clients: int, requests: int) -> list[float]:
    timings: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        local = []
        for _ in range(requests // clients):
            start = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
            response = conn.getresponse()
            response.read()
            local.append((time.perf_counter() - start) * 1000)
            if response.status != 200:
                errors.append(f"{path}: HTTP {response.status}")
        conn.close()
        with lock:
            timings.extend(local)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        print(f"  errors: {len(errors)} (first: {errors[0]})")
    return timings


def percentile(values: list[float], pct: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facilities", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--database", default="sxsh_bench")
    args = parser.parse_args()

    env = configure(args.database, DATABASE_CONN_MAX_AGE="60")
    ensure_database(args.database)
    import django

    django.setup()
    seed(args.facilities)
    cookie = session_cookie()

    gunicorn = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "sxsh_portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        pages = {
            "list": "/facilities/",
            "search": "/facilities/?q=giay+phong+khe",
            "admin": "/admin/facilities/facility/",
        }
        results = {}
        print(
            f"{args.facilities:,} facilities, {args.clients} clients, "
            f"{args.requests} requests per page, gunicorn {args.workers} workers"
        )
        for label, path in pages.items():
            measure(path, cookie, args.clients, args.clients * 3)  # warm-up
            timings = measure(path, cookie, args.clients, args.requests)
            results[label] = (percentile(timings, 50), percentile(timings, 95))
            print(f"{label:>7}: p50 {results[label][0]:7.1f} ms   p95 {results[label][1]:7.1f} ms")
        ratio = results["list"][1] / results["admin"][1]
        print(f"  ratio list/admin (p95): {ratio:.2f}")
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=15)


if __name__ == "__main__":
    main()
