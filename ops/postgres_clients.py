"""The PostgreSQL client programs (pg_dump, pg_restore) and connections of their own, for backup
and restore.

PostgreSQL only: the SQLite database of the `make run` demo is a single file; copy it (and
`var/media/`) while the portal is stopped. The client programs come from Debian's
`postgresql-client`; their major version must be at least the server's. The password is handed to
them in `PGPASSWORD`, never on the command line.
"""

import os
import re
import shutil
import subprocess  # pg_dump/pg_restore with an argument list, never a shell  # nosec B404

from django.db import DEFAULT_DB_ALIAS
from django.db.utils import ConnectionHandler

from .backup_format import BackupError

POSTGRESQL = "django.db.backends.postgresql"

# libpq connection options (Django's OPTIONS) that pg_dump/pg_restore read from the environment.
LIBPQ_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}

TABLES_SQL = """
    SELECT n.nspname, c.relname
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\\_toast%%' AND n.nspname NOT LIKE 'pg\\_temp%%'
    ORDER BY 1, 2
"""
COUNT_SQL = 'SELECT count(*) FROM "{schema}"."{table}"'


def require_postgresql(settings_dict: dict) -> None:
    engine = settings_dict.get("ENGINE", "")
    if not engine.startswith(POSTGRESQL):
        raise BackupError(
            "Sao lưu/khôi phục chỉ hỗ trợ PostgreSQL; cơ sở dữ liệu đang cấu hình là "
            f"{engine or '?'} ({settings_dict.get('NAME')}). Với SQLite (bản demo `make run`), "
            "hãy dừng portal rồi sao chép tệp cơ sở dữ liệu và thư mục var/media/.\n"
            "Backup/restore supports PostgreSQL only; the configured database is "
            f"{engine or '?'}. For SQLite (the `make run` demo), stop the portal and copy the "
            "database file and var/media/."
        )


def client_args_and_env(settings_dict: dict) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore/psql from a Django database settings dict, and
    the environment to run them in (the password travels in PGPASSWORD, never in the arguments)."""
    args = ["--no-password"]
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    args += ["--dbname", str(settings_dict["NAME"])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    for option, variable in LIBPQ_ENV.items():
        value = (settings_dict.get("OPTIONS") or {}).get(option)
        if value not in (None, ""):
            env[variable] = str(value)
    return args, env


def client_program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"Không tìm thấy chương trình {name}: cài gói postgresql-client "
            f"(apt-get install postgresql-client).\n"
            f"{name} not found: install postgresql-client (apt-get install postgresql-client)."
        )
    return path


def client_major(program: str) -> int:
    """Major version of a PostgreSQL client program (`pg_dump (PostgreSQL) 15.20 (Debian …)`)."""
    completed = subprocess.run(  # fixed argument list, no shell  # nosec B603
        [program, "--version"], capture_output=True, text=True, check=True
    )
    match = re.search(r"\)\s+(\d+)", completed.stdout)
    if match is None:
        raise BackupError(f"Unrecognised version of {program}: {completed.stdout.strip()}")
    return int(match.group(1))


def run_client(command: list[str], env: dict, label: str) -> None:
    completed = subprocess.run(  # argument list, no shell  # nosec B603
        command, env=env, capture_output=True, text=True
    )
    if completed.returncode != 0:
        raise BackupError(
            f"{label} thất bại / failed (exit {completed.returncode}):\n{completed.stderr.strip()}"
        )


def own_connection(settings_dict: dict) -> ConnectionHandler:
    """A connection of its own (not the request/test connection), for a settings dict."""
    return ConnectionHandler({DEFAULT_DB_ALIAS: dict(settings_dict)})


def table_key(schema: str, table: str) -> str:
    return table if schema == "public" else f"{schema}.{table}"


def on_table(template: str, schema: str, table: str) -> str:
    """`template` for one table; the names come from pg_class and are quoted as identifiers."""
    return template.format(schema=schema.replace('"', '""'), table=table.replace('"', '""'))


def table_row_counts(cursor) -> dict[str, int]:
    """{table: rows} of every user table the cursor's database holds."""
    cursor.execute(TABLES_SQL)
    counts = {}
    for schema, table in cursor.fetchall():
        cursor.execute(on_table(COUNT_SQL, schema, table))
        counts[table_key(schema, table)] = cursor.fetchone()[0]
    return counts
