"""Loaded by pytest (-p tests.env) before Django: the environment the test suite runs in.

Tests use PostgreSQL and Redis, never the SQLite/filesystem defaults of `make run`. The values
can be overridden from the shell (e.g. DATABASE_URL=postgres://... make test).
"""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-" + "x" * 60)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("STATICFILES_MANIFEST", "0")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sxsh")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")
os.environ.setdefault("PORTAL_VAR_DIR", os.path.join(os.getcwd(), "var", "test"))
os.environ.setdefault("EMAIL_URL", "")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop
