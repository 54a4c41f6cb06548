"""Backup and restore of the portal: the PostgreSQL database and the uploaded/generated media files.

A backup is a folder `sxsh-backup-<UTC timestamp>/` (mode 0700, it holds personal and business
data) with three files:

- `database.dump`: `pg_dump --format=custom` of the configured database;
- `media.tar.gz`: the contents of `MEDIA_ROOT`;
- `manifest.json`: when, from which database and code, the row count of every table (counted in
  the same snapshot that pg_dump dumps) and the SHA-256 of the two files above.

`restore` checks every SHA-256 before it touches anything, refuses a target database or media
folder that already holds data unless told `yes`, restores with `pg_restore --clean --if-exists
--no-owner --single-transaction` (all or nothing), unpacks the media (path-safe), and compares the
restored row counts with the manifest.

PostgreSQL only: the SQLite database of the `make run` demo is a single file; copy it (and
`var/media/`) while the portal is stopped. The client programs come from Debian's
`postgresql-client`; their major version must be at least the server's. The password is handed to
them in `PGPASSWORD`, never on the command line.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess  # pg_dump/pg_restore with an argument list, never a shell  # nosec B404
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import django
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import ConnectionHandler
from django.utils import timezone

FORMAT = 1
DB_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"
MANIFEST_FILE = "manifest.json"
POSTGRESQL = "django.db.backends.postgresql"
CHUNK = 1024 * 1024

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
EXISTS_SQL = 'SELECT EXISTS (SELECT 1 FROM "{schema}"."{table}")'


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (vi / en)."""


@dataclass(frozen=True)
class RestoreResult:
    database: str
    tables: int
    rows: int
    media_files: int
    media_root: Path


# --- connections and client programs -----------------------------------------------------------


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


def _handler(settings_dict: dict) -> ConnectionHandler:
    """A connection of its own (not the request/test connection), for a settings dict."""
    return ConnectionHandler({DEFAULT_DB_ALIAS: dict(settings_dict)})


def _table_key(schema: str, table: str) -> str:
    return table if schema == "public" else f"{schema}.{table}"


def table_row_counts(cursor) -> dict[str, int]:
    """{table: rows} of every user table the cursor's database holds."""
    cursor.execute(TABLES_SQL)
    counts = {}
    for schema, table in cursor.fetchall():
        cursor.execute(_on_table(COUNT_SQL, schema, table))
        counts[_table_key(schema, table)] = cursor.fetchone()[0]
    return counts


def _on_table(template: str, schema: str, table: str) -> str:
    """`template` for one table; the names come from pg_class and are quoted as identifiers."""
    return template.format(schema=schema.replace('"', '""'), table=table.replace('"', '""'))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def app_version() -> str:
    try:
        with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as stream:
            return tomllib.load(stream)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


# --- backup --------------------------------------------------------------------------------------


def default_output_dir() -> Path:
    return Path(settings.VAR_DIR) / "backups"


def create_backup(output_dir: Path | None = None, *, settings_dict: dict | None = None) -> Path:
    """Write a backup folder under `output_dir` (default var/backups/) and return its path."""
    settings_dict = settings_dict or connections[DEFAULT_DB_ALIAS].settings_dict
    require_postgresql(settings_dict)
    pg_dump = client_program("pg_dump")
    output_dir = Path(output_dir or default_output_dir())
    output_dir.mkdir(parents=True, exist_ok=True)
    created = timezone.now()
    final = output_dir / f"sxsh-backup-{created:%Y%m%dT%H%M%S}Z"
    if final.exists():
        raise BackupError(f"{final} đã tồn tại / already exists")
    # Written under a temporary name, renamed when complete: a half-written backup never looks
    # like a backup.
    work = Path(tempfile.mkdtemp(prefix=".sxsh-backup-", dir=output_dir))
    try:
        database = _dump_database(pg_dump, settings_dict, work / DB_FILE)
        media = _pack_media(Path(settings.MEDIA_ROOT), work / MEDIA_FILE)
        manifest = {
            "format": FORMAT,
            "created_at": created.isoformat(),
            "django_version": django.get_version(),
            "app_version": app_version(),
            "database": database,
            "media": media,
            "files": {
                name: {"sha256": sha256_of(work / name), "bytes": (work / name).stat().st_size}
                for name in (DB_FILE, MEDIA_FILE)
            },
        }
        (work / MANIFEST_FILE).write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        for path in work.iterdir():
            path.chmod(0o600)
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final


def _dump_database(pg_dump: str, settings_dict: dict, target: Path) -> dict:
    """pg_dump the database; the row counts come from the very snapshot pg_dump dumps."""
    handler = _handler(settings_dict)
    wrapper = handler[DEFAULT_DB_ALIAS]
    try:
        server_major = wrapper.pg_version // 10000
        client = client_major(pg_dump)
        if client < server_major:
            raise BackupError(
                f"pg_dump {client} cũ hơn máy chủ PostgreSQL {server_major}: cài "
                f"postgresql-client-{server_major} trở lên.\n"
                f"pg_dump {client} is older than the PostgreSQL {server_major} server: install "
                f"postgresql-client-{server_major} or newer."
            )
        with wrapper.cursor() as cursor:
            cursor.execute("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            try:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                counts = table_row_counts(cursor)
                args, env = client_args_and_env(settings_dict)
                _run(
                    [pg_dump, "--format=custom", f"--file={target}", f"--snapshot={snapshot}"]
                    + args,
                    env,
                    "pg_dump",
                )
            finally:
                cursor.execute("COMMIT")
    finally:
        handler.close_all()
    return {
        "engine": "postgresql",
        "name": settings_dict["NAME"],
        "server_version": server_major,
        "pg_dump_version": client,
        "tables": counts,
        "rows": sum(counts.values()),
    }


def _pack_media(media_root: Path, target: Path) -> dict:
    files = size = 0
    with tarfile.open(target, "w:gz") as archive:
        if media_root.is_dir():
            archive.add(media_root, arcname="media")
            for path in media_root.rglob("*"):
                if path.is_file():
                    files += 1
                    size += path.stat().st_size
    return {"root": str(media_root), "files": files, "bytes": size}


def _run(command: list[str], env: dict, label: str) -> None:
    completed = subprocess.run(  # argument list, no shell  # nosec B603
        command, env=env, capture_output=True, text=True
    )
    if completed.returncode != 0:
        raise BackupError(
            f"{label} thất bại / failed (exit {completed.returncode}):\n{completed.stderr.strip()}"
        )


# --- restore -------------------------------------------------------------------------------------


def verify_backup(path: Path) -> dict:
    """The backup's manifest, once every file it lists matches its SHA-256."""
    path = Path(path)
    manifest_path = path / MANIFEST_FILE
    if not manifest_path.is_file():
        raise BackupError(
            f"{path} không phải bản sao lưu (thiếu {MANIFEST_FILE}).\n"
            f"{path} is not a backup ({MANIFEST_FILE} is missing)."
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        files = manifest["files"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(
            f"{MANIFEST_FILE} hỏng / is corrupt: {exc}",
        ) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unsupported backup format {manifest.get('format')!r}")
    if set(files) != {DB_FILE, MEDIA_FILE}:
        raise BackupError(f"{MANIFEST_FILE} must list {DB_FILE} and {MEDIA_FILE}")
    for name, expected in files.items():
        file = path / name
        if not file.is_file():
            raise BackupError(f"Thiếu tệp / missing file: {file}")
        actual = sha256_of(file)
        if actual != expected.get("sha256"):
            raise BackupError(
                f"Tệp {name} bị hỏng hoặc đã bị sửa: SHA-256 không khớp với {MANIFEST_FILE}; "
                "không khôi phục gì.\n"
                f"{name} is corrupt or was modified: its SHA-256 does not match "
                f"{MANIFEST_FILE}; nothing was restored.\n"
                f"expected {expected.get('sha256')}, got {actual}"
            )
    return manifest


def target_settings(database_url: str | None) -> dict:
    if database_url:
        return dj_database_url.parse(database_url)
    return dict(connections[DEFAULT_DB_ALIAS].settings_dict)


def tables_with_rows(settings_dict: dict) -> list[str]:
    """The user tables of the target database that hold at least one row."""
    handler = _handler(settings_dict)
    try:
        with handler[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(TABLES_SQL)
            found = []
            for schema, table in cursor.fetchall():
                cursor.execute(_on_table(EXISTS_SQL, schema, table))
                if cursor.fetchone()[0]:
                    found.append(_table_key(schema, table))
            return found
    finally:
        handler.close_all()


def restore_backup(
    path: Path,
    *,
    database_url: str | None = None,
    media_root: Path | None = None,
    confirmed: bool = False,
) -> RestoreResult:
    """Restore a backup folder into the target database (default: the configured one) and media
    folder (default: MEDIA_ROOT). Raises BackupError, having changed nothing, when a checksum
    does not match or when the target holds data and `confirmed` is false."""
    path = Path(path)
    manifest = verify_backup(path)
    settings_dict = target_settings(database_url)
    require_postgresql(settings_dict)
    pg_restore = client_program("pg_restore")
    dumped_with = int(manifest["database"].get("pg_dump_version", 0))
    if client_major(pg_restore) < dumped_with:
        raise BackupError(
            f"pg_restore cũ hơn pg_dump {dumped_with} đã tạo bản sao lưu / pg_restore is older "
            f"than the pg_dump {dumped_with} that made the backup."
        )
    media_root = Path(media_root or settings.MEDIA_ROOT)
    busy = tables_with_rows(settings_dict)
    media_busy = media_root.is_dir() and any(media_root.iterdir())
    if (busy or media_busy) and not confirmed:
        what = []
        if busy:
            what.append(f"cơ sở dữ liệu «{settings_dict['NAME']}» ({len(busy)} bảng có dữ liệu)")
        if media_busy:
            what.append(f"thư mục media {media_root}")
        raise BackupError(
            f"Đích khôi phục đã có dữ liệu: {'; '.join(what)}. Khôi phục sẽ XOÁ và ghi đè; "
            "chạy lại với --yes nếu chắc chắn.\n"
            f"The restore target already holds data (database «{settings_dict['NAME']}»: "
            f"{len(busy)} tables with rows; media folder {media_root}: "
            f"{'not empty' if media_busy else 'empty'}). Restoring DELETES and replaces it; run "
            "again with --yes to confirm."
        )
    # Unpack the media beside the target first: a bad archive fails before the database changes.
    staging = _unpack_media(path / MEDIA_FILE, media_root)
    try:
        args, env = client_args_and_env(settings_dict)
        _run(
            [
                pg_restore,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
            ]
            + args
            + [str(path / DB_FILE)],
            env,
            "pg_restore",
        )
        files = _swap_media(staging, media_root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    counts = _restored_counts(settings_dict)
    expected = manifest["database"]["tables"]
    wrong = {t: (n, counts.get(t)) for t, n in expected.items() if counts.get(t) != n}
    if wrong:
        detail = ", ".join(f"{t}: {a} ≠ {b}" for t, (a, b) in sorted(wrong.items()))
        raise BackupError(
            f"Số dòng sau khôi phục khác bản sao lưu / row counts differ after restore: {detail}"
        )
    return RestoreResult(
        database=settings_dict["NAME"],
        tables=len(expected),
        rows=sum(expected.values()),
        media_files=files,
        media_root=media_root,
    )


def _restored_counts(settings_dict: dict) -> dict[str, int]:
    handler = _handler(settings_dict)
    try:
        with handler[DEFAULT_DB_ALIAS].cursor() as cursor:
            return table_row_counts(cursor)
    finally:
        handler.close_all()


def _unpack_media(archive_path: Path, media_root: Path) -> Path:
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            # The "data" filter refuses absolute paths, "..", devices and links leaving the folder.
            archive.extractall(staging, filter="data")
    except (tarfile.TarError, OSError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupError(f"{MEDIA_FILE}: {exc}") from exc
    (staging / "media").mkdir(exist_ok=True)
    return staging


def _swap_media(staging: Path, media_root: Path) -> int:
    """Replace the contents of media_root with the unpacked media; the number of files."""
    media_root.mkdir(parents=True, exist_ok=True)
    for child in media_root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    files = 0
    for child in (staging / "media").iterdir():
        shutil.move(str(child), media_root / child.name)
    for path in media_root.rglob("*"):
        files += path.is_file()
    return files
