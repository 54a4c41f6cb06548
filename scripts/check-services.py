"""Check that the PostgreSQL and Redis servers of the test suite answer; explain the fix if not.

Reads DATABASE_URL and CELERY_BROKER_URL (defaults: 127.0.0.1, as in pyproject.toml).
"""

import os
import sys
from urllib.parse import urlsplit

DATABASE_URL = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/sxsh"
BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/14"


def check_postgres() -> str | None:
    import psycopg2

    parts = urlsplit(DATABASE_URL)
    try:
        conn = psycopg2.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password or None,
            dbname="postgres",
            connect_timeout=3,
        )
        conn.close()
    except Exception as exc:
        return f"PostgreSQL at {parts.hostname}:{parts.port or 5432} is not reachable ({exc})."
    return None


def check_redis() -> str | None:
    import redis

    try:
        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=3).ping()
    except Exception as exc:
        return f"Redis at {urlsplit(BROKER_URL).netloc} is not reachable ({exc})."
    return None


def main() -> int:
    problems = [p for p in (check_postgres(), check_redis()) if p]
    for problem in problems:
        print(f"ERROR: {problem}", file=sys.stderr)
    if problems:
        print(
            "The test suite runs against real PostgreSQL and Redis. Start them, e.g.\n"
            "  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql | sort -V | tail -1)"
            " main start\n"
            "  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save ''\n"
            "or point DATABASE_URL / CELERY_BROKER_URL at running servers. The suite connects as\n"
            "the user of DATABASE_URL (default postgres, no password) and creates its own\n"
            "database: on a refused password, put the user's password in DATABASE_URL\n"
            "(postgres://postgres:PASSWORD@127.0.0.1:5432/sxsh).\n"
            "`bash .ci/run` starts or installs them itself.",
            file=sys.stderr,
        )
        return 1
    print("PostgreSQL and Redis answer.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
