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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PORT = 8765


def configure(db_name: str) -> dict:
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + "k" * 60,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "STATICFILES_MANIFEST": "0",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db_name}",
        "DATABASE_CONN_MAX_AGE": "60",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/13",
        "PORTAL_PROVINCE_CODE": "27",
    }
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "sxsh_portal.settings"
    return env


def ensure_database(db_name: str) -> None:
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db_name])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{db_name}"')
    conn.close()


def seed(count: int) -> None:
    import random

    from django.core.management import call_command

    from facilities.models import AdminUnit, Facility, IndustryCode
    from facilities.reference import load_admin_units
    from facilities.text import fold
    from facilities.validators import tax_code_check_digit

    call_command("migrate", verbosity=0)
    load_admin_units(27)
    existing = Facility.objects.count()
    if existing >= count:
        print(f"database already holds {existing:,} facilities")
        return
    communes = list(AdminUnit.objects.filter(level="commune", scheme="pre2025"))
    industries = list(IndustryCode.objects.filter(level=2, code__gte="10", code__lte="33"))
    rng = random.Random(2016)
    words = ["Giấy", "Thép", "Gốm", "Dệt may", "Bia", "Nhựa", "Cơ khí", "Gỗ", "Thực phẩm", "Đồng"]
    places = ["Phong Khê", "Đa Hội", "Phù Lãng", "Đông Hồ", "Quế Võ", "Tiên Sơn", "Hải Dương"]
    kinds = ["Công ty TNHH", "Công ty Cổ phần", "Hợp tác xã", "Doanh nghiệp tư nhân"]
    batch, n = [], existing
    started = time.perf_counter()
    serial = 100_000_000 + existing
    while n < count:
        serial += 1
        first9 = f"{serial:09d}"
        digit = tax_code_check_digit(first9)
        if digit is None:
            continue
        tax_code = f"{first9}{digit}"
        name = f"{rng.choice(kinds)} {rng.choice(words)} {rng.choice(places)} {n}"
        batch.append(
            Facility(
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
        )
        n += 1
        if len(batch) == 5000:
            Facility.objects.bulk_create(batch)
            batch = []
    if batch:
        Facility.objects.bulk_create(batch)
    print(f"seeded {count - existing:,} facilities in {time.perf_counter() - started:.1f} s")
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE facilities_facility")


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

    env = configure(args.database)
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
