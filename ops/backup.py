"""Backup and restore of the portal: the PostgreSQL database and the uploaded/generated media files.

A backup is a folder `sxsh-backup-<UTC timestamp>/` (mode 0700, it holds personal and business
data) with four files:

- `database.dump`: `pg_dump --format=custom` of the configured database, without the rows of the
  tables that hold live credentials (`EXCLUDED_DATA`: sessions, login throttling, API tokens);
  their schema is kept, so they come back empty;
- `media.tar.gz`: the contents of `MEDIA_ROOT`;
- with `BACKUP_AGE_RECIPIENT` set, both are encrypted to those age public keys instead
  (`database.dump.age`, `media.tar.gz.age`, streamed: no plaintext copy is written);
- `manifest.json`: when, from which database and code, the row count of every table (counted in
  the same snapshot that pg_dump dumps; 0 for the excluded ones), the encryption, and the
  SHA-256 of the files above as written;
- `manifest.json.hmac`: HMAC-SHA256 of manifest.json's bytes under `BACKUP_HMAC_KEY`.

`restore` checks the signature and every SHA-256 before it touches anything, refuses a target
database or media folder that already holds data unless told `yes`, decrypts with the identity
file `BACKUP_AGE_IDENTITY_FILE`, restores with `pg_restore --clean --if-exists --no-owner
--single-transaction` (all or nothing) into the configured database (DATABASE_URL: there is
deliberately no way to name a database or a password on the command line), unpacks the media
(path-safe), and compares the restored row counts with the manifest.

PostgreSQL only: the SQLite database of the `make run` demo is a single file; copy it (and
`var/media/`) while the portal is stopped. The client programs come from Debian's
`postgresql-client`; their major version must be at least the server's. The password is handed to
them in `PGPASSWORD`, never on the command line.
"""

import hashlib
import hmac
import json
import os
import re
import shutil
import subprocess  # pg_dump/pg_restore with an argument list, never a shell  # nosec B404
import tarfile
import tempfile
import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import django
import pyrage
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import ConnectionHandler
from django.utils import timezone
from pyrage import x25519

FORMAT = 2  # 2: signed manifest, credentials excluded, optional age encryption
DB_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"
MANIFEST_FILE = "manifest.json"
SIGNATURE_FILE = "manifest.json.hmac"
AGE_SUFFIX = ".age"
HMAC_KEY_MIN_LENGTH = 32

# Tables whose rows are live credentials or throttling state: their data is left out of every
# dump (the tables themselves are dumped, so they are restored empty). Names that do not exist in
# the database are ignored (authtoken_token before issue 11, accounts_apitoken after it).
# Kept on purpose: the two-factor devices (otp_totp_totpdevice: the TOTP secrets; otp_static_*:
# the backup codes) and the password hashes: without them nobody could sign in after a restore.
EXCLUDED_DATA = (
    "django_session",  # a session key is a signed-in browser
    "axes_accessattempt",  # login throttling (django-axes): addresses and usernames tried
    "axes_accessattemptexpiration",  # references axes_accessattempt
    "axes_accessfailurelog",
    "axes_accesslog",
    "authtoken_token",  # DRF API tokens (plaintext keys)
    "accounts_apitoken",  # the portal's API tokens (hashed, still credentials)
)

# Foreign keys (first column) between user tables: a kept row pointing at an excluded one would
# make the restore fail when pg_restore adds the constraint back.
FOREIGN_KEYS_SQL = """
    SELECT cn.nspname, c.relname, a.attname, rn.nspname, r.relname
    FROM pg_constraint k
    JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
    JOIN pg_class r ON r.oid = k.confrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace
    JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
    WHERE k.contype = 'f'
"""
REFERENCES_SQL = 'SELECT EXISTS (SELECT 1 FROM "{schema}"."{table}" WHERE "{column}" IS NOT NULL)'
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


# --- signature and encryption --------------------------------------------------------------------


def manifest_key() -> bytes:
    """The key that signs the manifest: BACKUP_HMAC_KEY. Without it: with DEBUG on, a key derived
    from SECRET_KEY (development backups); with DEBUG off, an error (backup and restore refuse)."""
    key = getattr(settings, "BACKUP_HMAC_KEY", "") or ""
    if key:
        if len(key) < HMAC_KEY_MIN_LENGTH:
            raise BackupError(
                f"BACKUP_HMAC_KEY quá ngắn: cần ít nhất {HMAC_KEY_MIN_LENGTH} ký tự ngẫu nhiên.\n"
                f"BACKUP_HMAC_KEY is too short: use at least {HMAC_KEY_MIN_LENGTH} random "
                "characters."
            )
        return key.encode()
    if settings.DEBUG:
        return hmac.new(
            settings.SECRET_KEY.encode(), b"sxsh-portal backup manifest", hashlib.sha256
        ).digest()
    raise BackupError(
        "Chưa đặt BACKUP_HMAC_KEY: khi DEBUG tắt, không sao lưu hay khôi phục nếu thiếu khoá ký "
        'manifest (tạo bằng python -c "import secrets; print(secrets.token_urlsafe(48))"; '
        "dùng cùng một khoá khi sao lưu và khi khôi phục).\n"
        "BACKUP_HMAC_KEY is not set: with DEBUG off, backup and restore refuse to run without "
        "the key that signs the manifest (the same key when backing up and when restoring)."
    )


def sign(data: bytes, key: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).hexdigest().encode("ascii")


def age_recipients() -> list:
    """The age public keys of BACKUP_AGE_RECIPIENT (none: the backup is not encrypted)."""
    recipients = []
    for key in getattr(settings, "BACKUP_AGE_RECIPIENTS", None) or []:
        try:
            recipients.append(x25519.Recipient.from_str(key))
        except pyrage.RecipientError as exc:
            raise BackupError(
                f"BACKUP_AGE_RECIPIENT không phải khoá công khai age (age1…): {key!r} ({exc}).\n"
                f"BACKUP_AGE_RECIPIENT is not an age public key (age1…): {key!r} ({exc})."
            ) from exc
    return recipients


def age_identities() -> list:
    """The age identities (secret keys) of the file BACKUP_AGE_IDENTITY_FILE."""
    name = getattr(settings, "BACKUP_AGE_IDENTITY_FILE", "") or ""
    if not name:
        raise BackupError(
            "Bản sao lưu đã được mã hoá (age) nhưng chưa đặt BACKUP_AGE_IDENTITY_FILE (đường dẫn "
            "tệp khoá bí mật age); không khôi phục gì.\n"
            "The backup is encrypted (age) but BACKUP_AGE_IDENTITY_FILE (the path of the age "
            "identity file) is not set; nothing was restored."
        )
    path = Path(name)
    try:
        mode = path.stat().st_mode
        lines = path.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeError) as exc:
        raise BackupError(f"BACKUP_AGE_IDENTITY_FILE {path}: {exc}") from exc
    if mode & 0o077:
        raise BackupError(
            f"Tệp khoá bí mật {path} đang cho người khác đọc: chmod 600 {path}.\n"
            f"The identity file {path} is readable by others: chmod 600 {path}."
        )
    identities = []
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            try:
                identities.append(x25519.Identity.from_str(line))
            except pyrage.IdentityError as exc:
                # The line is a secret: never repeat it in the message.
                raise BackupError(
                    f"{path} không phải tệp khoá bí mật age (các dòng AGE-SECRET-KEY-1…).\n"
                    f"{path} is not an age identity file (AGE-SECRET-KEY-1… lines)."
                ) from exc
    if not identities:
        raise BackupError(f"{path}: không có khoá / holds no AGE-SECRET-KEY-1… identity.")
    return identities


def _encrypt_from(reader, target: Path, recipients: list) -> None:
    with target.open("wb") as writer:
        pyrage.encrypt_io(reader, writer, recipients)


def _encrypt_produced(produce: Callable, target: Path, recipients: list) -> None:
    """Encrypt what `produce(stream)` writes, through a pipe: no plaintext copy on disk."""
    read_fd, write_fd = os.pipe()
    failures: list[BaseException] = []

    def run() -> None:
        try:
            with os.fdopen(write_fd, "wb") as writer:
                produce(writer)
        except BaseException as exc:  # handed to the caller below
            failures.append(exc)

    thread = threading.Thread(target=run, name="backup-encrypt", daemon=True)
    thread.start()
    try:
        # Closing the reader (also on an error) ends a producer still writing (BrokenPipeError).
        with os.fdopen(read_fd, "rb") as reader:
            _encrypt_from(reader, target, recipients)
    finally:
        thread.join()
    if failures:
        raise failures[0]


def _decrypt(source: Path, target: Path, identities: list) -> None:
    try:
        with (
            source.open("rb") as reader,
            os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as writer,
        ):
            pyrage.decrypt_io(reader, writer, identities)
    except pyrage.DecryptError as exc:
        raise BackupError(
            f"Không giải mã được {source.name} bằng khoá trong BACKUP_AGE_IDENTITY_FILE ({exc}); "
            "không khôi phục gì.\n"
            f"Cannot decrypt {source.name} with the identity in BACKUP_AGE_IDENTITY_FILE "
            f"({exc}); nothing was restored."
        ) from exc


def file_names(encrypted: bool) -> tuple[str, str]:
    """(database file, media file) of a backup."""
    suffix = AGE_SUFFIX if encrypted else ""
    return DB_FILE + suffix, MEDIA_FILE + suffix


# --- backup --------------------------------------------------------------------------------------


def default_output_dir() -> Path:
    return Path(settings.VAR_DIR) / "backups"


def create_backup(output_dir: Path | None = None, *, settings_dict: dict | None = None) -> Path:
    """Write a backup folder under `output_dir` (default var/backups/) and return its path."""
    settings_dict = settings_dict or connections[DEFAULT_DB_ALIAS].settings_dict
    require_postgresql(settings_dict)
    key = manifest_key()
    recipients = age_recipients()
    pg_dump = client_program("pg_dump")
    output_dir = Path(output_dir or default_output_dir())
    output_dir.mkdir(parents=True, exist_ok=True)
    created = timezone.now()
    final = output_dir / f"sxsh-backup-{created:%Y%m%dT%H%M%S}Z"
    if final.exists():
        raise BackupError(f"{final} đã tồn tại / already exists")
    db_name, media_name = file_names(bool(recipients))
    # Written under a temporary name, renamed when complete: a half-written backup never looks
    # like a backup.
    work = Path(tempfile.mkdtemp(prefix=".sxsh-backup-", dir=output_dir))
    try:
        database = _dump_database(pg_dump, settings_dict, work / db_name, recipients)
        media = _pack_media(Path(settings.MEDIA_ROOT), work / media_name, recipients)
        manifest = {
            "format": FORMAT,
            "created_at": created.isoformat(),
            "django_version": django.get_version(),
            "app_version": app_version(),
            "database": database,
            "media": media,
            "encryption": (
                {"method": "age", "recipients": list(settings.BACKUP_AGE_RECIPIENTS)}
                if recipients
                else None
            ),
            "files": {
                name: {"sha256": sha256_of(work / name), "bytes": (work / name).stat().st_size}
                for name in (db_name, media_name)
            },
        }
        data = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        (work / MANIFEST_FILE).write_bytes(data)
        (work / SIGNATURE_FILE).write_bytes(sign(data, key) + b"\n")
        for path in work.iterdir():
            path.chmod(0o600)
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final


def _dump_database(pg_dump: str, settings_dict: dict, target: Path, recipients: list) -> dict:
    """pg_dump the database without the credential rows; the row counts come from the very
    snapshot pg_dump dumps (0 for the tables whose data is left out)."""
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
                excluded = excluded_tables(cursor)
                for schema, table in excluded:
                    counts[_table_key(schema, table)] = 0
                args, env = client_args_and_env(settings_dict)
                command = [pg_dump, "--format=custom", f"--snapshot={snapshot}"]
                command += [
                    f"--exclude-table-data={_quote(schema)}.{_quote(table)}"
                    for schema, table in excluded
                ]
                if recipients:
                    _dump_encrypted(command + args, env, target, recipients)
                else:
                    _run(command + [f"--file={target}"] + args, env, "pg_dump")
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
        "excluded_data": sorted(_table_key(schema, table) for schema, table in excluded),
    }


def _quote(name: str) -> str:
    """A name as a pg_dump pattern that matches it exactly."""
    return '"' + name.replace('"', '""') + '"'


def excluded_tables(cursor) -> list[tuple[str, str]]:
    """The (schema, table) of the EXCLUDED_DATA tables the database has. Refuses a backup that
    could not be restored: a kept row referencing an excluded one would fail the foreign key."""
    cursor.execute(TABLES_SQL)
    excluded = [(schema, table) for schema, table in cursor.fetchall() if table in EXCLUDED_DATA]
    cursor.execute(FOREIGN_KEYS_SQL)
    for schema, table, column, ref_schema, ref_table in cursor.fetchall():
        if (ref_schema, ref_table) not in excluded or (schema, table) in excluded:
            continue
        cursor.execute(
            REFERENCES_SQL.format(
                schema=schema.replace('"', '""'),
                table=table.replace('"', '""'),
                column=column.replace('"', '""'),
            )
        )
        if cursor.fetchone()[0]:
            raise BackupError(
                f"Bảng {_table_key(schema, table)} (cột {column}) tham chiếu tới "
                f"{_table_key(ref_schema, ref_table)}, bảng không được sao lưu dữ liệu: bản sao "
                "lưu sẽ không khôi phục được. Thêm bảng vào EXCLUDED_DATA (ops/backup.py) "
                "hoặc bỏ khoá ngoại.\n"
                f"{_table_key(schema, table)}.{column} references "
                f"{_table_key(ref_schema, ref_table)}, whose data is left out of backups: the "
                "backup could not be restored. Add the table to EXCLUDED_DATA "
                "(ops/backup.py) or drop the foreign key."
            )
    return excluded


def _dump_encrypted(command: list[str], env: dict, target: Path, recipients: list) -> None:
    """pg_dump to its standard output, encrypted on the way to `target`."""
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(  # argument list, no shell  # nosec B603
            command, env=env, stdout=subprocess.PIPE, stderr=errors
        )
        try:
            _encrypt_from(process.stdout, target, recipients)
        finally:
            process.stdout.close()
            returncode = process.wait()
        if returncode != 0:
            errors.seek(0)
            stderr = errors.read().decode("utf-8", "replace").strip()
            raise BackupError(f"pg_dump thất bại / failed (exit {returncode}):\n{stderr}")


def _pack_media(media_root: Path, target: Path, recipients: list) -> dict:
    files = size = 0
    if media_root.is_dir():
        for path in media_root.rglob("*"):
            if path.is_file():
                files += 1
                size += path.stat().st_size

    def pack(stream) -> None:
        with tarfile.open(fileobj=stream, mode="w|gz") as archive:
            if media_root.is_dir():
                archive.add(media_root, arcname="media")

    if recipients:
        _encrypt_produced(pack, target, recipients)
    else:
        with target.open("wb") as stream:
            pack(stream)
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
    """The backup's manifest, once its signature and the SHA-256 of every file it lists match."""
    path = Path(path)
    manifest_path = path / MANIFEST_FILE
    if not manifest_path.is_file():
        raise BackupError(
            f"{path} không phải bản sao lưu (thiếu {MANIFEST_FILE}).\n"
            f"{path} is not a backup ({MANIFEST_FILE} is missing)."
        )
    key = manifest_key()
    signature_path = path / SIGNATURE_FILE
    if not signature_path.is_file():
        raise BackupError(
            f"Bản sao lưu không có chữ ký ({SIGNATURE_FILE}); không khôi phục gì.\n"
            f"The backup is not signed ({SIGNATURE_FILE} is missing; backups made before the "
            "signed format 2 are refused); nothing was restored."
        )
    data = manifest_path.read_bytes()
    if not hmac.compare_digest(sign(data, key), signature_path.read_bytes().strip()):
        raise BackupError(
            f"Chữ ký của {MANIFEST_FILE} không khớp: manifest đã bị sửa, hoặc BACKUP_HMAC_KEY "
            "khác khoá đã dùng khi sao lưu; không khôi phục gì.\n"
            f"The signature of {MANIFEST_FILE} does not match: the manifest was modified, or "
            "BACKUP_HMAC_KEY differs from the key the backup was made with; nothing was "
            "restored."
        )
    try:
        manifest = json.loads(data.decode("utf-8"))
        files = manifest["files"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(
            f"{MANIFEST_FILE} hỏng / is corrupt: {exc}",
        ) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unsupported backup format {manifest.get('format')!r}")
    names = set(file_names(manifest.get("encryption") is not None))
    if set(files) != names:
        raise BackupError(f"{MANIFEST_FILE} must list {' and '.join(sorted(names))}")
    for name, expected in files.items():
        file = path / name
        if not file.is_file():
            raise BackupError(f"Thiếu tệp / missing file: {file}")
        actual = sha256_of(file)
        if not hmac.compare_digest(actual, str(expected.get("sha256"))):
            raise BackupError(
                f"Tệp {name} bị hỏng hoặc đã bị sửa: SHA-256 không khớp với {MANIFEST_FILE}; "
                "không khôi phục gì.\n"
                f"{name} is corrupt or was modified: its SHA-256 does not match "
                f"{MANIFEST_FILE}; nothing was restored.\n"
                f"expected {expected.get('sha256')}, got {actual}"
            )
    return manifest


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
    media_root: Path | None = None,
    confirmed: bool = False,
) -> RestoreResult:
    """Restore a backup folder into the configured database (DATABASE_URL, nothing else) and the
    media folder (default: MEDIA_ROOT). Raises BackupError, having changed nothing, when the
    signature or a checksum does not match, when an encrypted backup cannot be decrypted, or when
    the target holds data and `confirmed` is false."""
    path = Path(path)
    manifest = verify_backup(path)
    encrypted = manifest.get("encryption") is not None
    identities = age_identities() if encrypted else []
    settings_dict = dict(connections[DEFAULT_DB_ALIAS].settings_dict)
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
    db_name, media_name = file_names(encrypted)
    database_file, media_file = path / db_name, path / media_name
    # Decrypt and unpack beside the target first (a private 0700 folder): a wrong key or a bad
    # archive fails before the database changes.
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
    try:
        if encrypted:
            _decrypt(database_file, staging / DB_FILE, identities)
            _decrypt(media_file, staging / MEDIA_FILE, identities)
            database_file, media_file = staging / DB_FILE, staging / MEDIA_FILE
        unpacked = _unpack_media(media_file, staging / "unpacked")
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
            + [str(database_file)],
            env,
            "pg_restore",
        )
        files = _swap_media(unpacked, media_root)
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


def _unpack_media(archive_path: Path, target: Path) -> Path:
    """Unpack the media archive into `target`; the unpacked media folder."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            # The "data" filter refuses absolute paths, "..", devices and links leaving the folder.
            archive.extractall(target, filter="data")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{MEDIA_FILE}: {exc}") from exc
    (target / "media").mkdir(parents=True, exist_ok=True)
    return target / "media"


def _swap_media(unpacked: Path, media_root: Path) -> int:
    """Replace the contents of media_root with the unpacked media; the number of files."""
    media_root.mkdir(parents=True, exist_ok=True)
    for child in media_root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    files = 0
    for child in unpacked.iterdir():
        shutil.move(str(child), media_root / child.name)
    for path in media_root.rglob("*"):
        files += path.is_file()
    return files
