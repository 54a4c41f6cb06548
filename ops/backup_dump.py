"""Backup of the portal: the PostgreSQL database and the uploaded/generated media files, written
as a signed backup folder (its layout: ops/backup_format.py), and the check of such a folder.

Restore: ops/backup_restore.py. Encryption: ops/backup_age.py. The client programs:
ops/postgres_clients.py.
"""

import hmac
import json
import os
import shutil
import subprocess  # pg_dump with an argument list, never a shell  # nosec B404
import tarfile
import tempfile
from pathlib import Path

import django
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.utils import timezone

from .backup_age import age_recipients, encrypt_produced, encrypt_stream
from .backup_format import (
    FORMAT,
    MANIFEST_FILE,
    SIGNATURE_FILE,
    BackupError,
    app_version,
    file_names,
    manifest_key,
    sha256_of,
    sign,
)
from .postgres_clients import (
    TABLES_SQL,
    client_args_and_env,
    client_major,
    client_program,
    own_connection,
    require_postgresql,
    run_client,
    table_key,
    table_row_counts,
)

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
# The schema version of the dump: the migrations Django recorded as applied (the restore compares
# them with the code's and the target's: ops/backup_restore.py).
MIGRATIONS_TABLE_SQL = "SELECT to_regclass('django_migrations') IS NOT NULL"
MIGRATIONS_SQL = "SELECT app, name FROM django_migrations ORDER BY app, name"


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
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(
            f"Không tạo được thư mục sao lưu {output_dir}: {exc.strerror} (đường dẫn phải là "
            f"thư mục, không nằm dưới một tệp thường).\nCannot create the backup folder "
            f"{output_dir}: {exc.strerror} (the path must be a folder, not under a regular file)."
        ) from exc
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
    handler = own_connection(settings_dict)
    wrapper = handler[DEFAULT_DB_ALIAS]
    try:
        try:
            wrapper.ensure_connection()
        except OperationalError as exc:
            name = settings_dict["NAME"]
            raise BackupError(
                f"Không kết nối được cơ sở dữ liệu «{name}» để sao lưu (kiểm tra DATABASE_URL và "
                f"máy chủ PostgreSQL): {exc}\nCannot connect to the database «{name}» to back it "
                f"up (check DATABASE_URL and the PostgreSQL server): {exc}"
            ) from exc
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
                migrations = applied_migrations(cursor)
                excluded = excluded_tables(cursor)
                for schema, table in excluded:
                    counts[table_key(schema, table)] = 0
                args, env = client_args_and_env(settings_dict)
                command = [pg_dump, "--format=custom", f"--snapshot={snapshot}"]
                command += [
                    f"--exclude-table-data={_quote(schema)}.{_quote(table)}"
                    for schema, table in excluded
                ]
                if recipients:
                    _dump_encrypted(command + args, env, target, recipients)
                else:
                    run_client(command + [f"--file={target}"] + args, env, "pg_dump")
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
        "excluded_data": sorted(table_key(schema, table) for schema, table in excluded),
        "migrations": migrations,
    }


def applied_migrations(cursor) -> list[list[str]]:
    """[[app, name], …] of the migrations the database has applied ([] without django_migrations).
    Backups made before this key was written have no "migrations" in their manifest."""
    cursor.execute(MIGRATIONS_TABLE_SQL)
    if not cursor.fetchone()[0]:
        return []
    cursor.execute(MIGRATIONS_SQL)
    return [[app, name] for app, name in cursor.fetchall()]


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
                f"Bảng {table_key(schema, table)} (cột {column}) tham chiếu tới "
                f"{table_key(ref_schema, ref_table)}, bảng không được sao lưu dữ liệu: bản sao "
                "lưu sẽ không khôi phục được. Thêm bảng vào EXCLUDED_DATA (ops/backup_dump.py) "
                "hoặc bỏ khoá ngoại.\n"
                f"{table_key(schema, table)}.{column} references "
                f"{table_key(ref_schema, ref_table)}, whose data is left out of backups: the "
                "backup could not be restored. Add the table to EXCLUDED_DATA "
                "(ops/backup_dump.py) or drop the foreign key."
            )
    return excluded


def _dump_encrypted(command: list[str], env: dict, target: Path, recipients: list) -> None:
    """pg_dump to its standard output, encrypted on the way to `target`."""
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(  # argument list, no shell  # nosec B603
            command, env=env, stdout=subprocess.PIPE, stderr=errors
        )
        try:
            encrypt_stream(process.stdout, target, recipients)
        finally:
            process.stdout.close()
            returncode = process.wait()
        if returncode != 0:
            errors.seek(0)
            stderr = errors.read().decode("utf-8", "replace").strip()
            raise BackupError(f"pg_dump thất bại / failed (exit {returncode}):\n{stderr}")


def _pack_media(media_root: Path, target: Path, recipients: list) -> dict:
    """Pack the files of media_root under "media/", links followed where shared storage puts them
    (a linked MEDIA_ROOT or a linked folder inside it is packed with its files: a link would
    restore as nothing); the manifest counts exactly the regular files packed and lists the links
    left out (`skipped_links`, see _add_tree)."""
    packed = {"files": 0, "bytes": 0, "skipped_links": []}

    def pack(stream) -> None:
        with tarfile.open(fileobj=stream, mode="w|gz", dereference=True) as archive:
            if media_root.is_dir():
                try:
                    _add_tree(archive, media_root, packed)
                except OSError as exc:
                    raise BackupError(
                        f"Không đóng gói được thư mục media {media_root}: {exc}\n"
                        f"Cannot pack the media folder {media_root}: {exc}"
                    ) from exc

    if recipients:
        encrypt_produced(pack, target, recipients)
    else:
        with target.open("wb") as stream:
            pack(stream)
    return {"root": str(media_root), **packed}


def _raise(exc: OSError) -> None:
    raise exc


def _add_tree(archive: tarfile.TarFile, media_root: Path, packed: dict) -> None:
    """Add the folders and regular files under media_root, each real folder once (a link loop
    ends; broken links, sockets and the like are left out).

    Links: the portal itself never makes one; an operator does, for shared storage. So a linked
    folder is followed, but a file is packed only when its real path lies in the real MEDIA_ROOT
    or in the real folder of a folder link it was reached through (a file link elsewhere would
    copy any file the backup can read, such as a secret, into the media), and a folder link to a
    folder holding MEDIA_ROOT or that linked folder (a loop upwards, or /) is not followed. Both
    are left out, and listed in packed["skipped_links"]: the backup still runs unattended.
    A folder link is the operator's configuration and trusted as such: whoever may make links in
    MEDIA_ROOT decides what it holds (README, backup)."""
    seen = set()
    # The real folders the files under each folder still to walk may lie in.
    roots_of = {os.fspath(media_root): (Path(os.path.realpath(media_root)),)}
    for folder, dirs, names in os.walk(media_root, onerror=_raise, followlinks=True):
        roots = roots_of.pop(folder)
        real = os.stat(folder)
        if (real.st_dev, real.st_ino) in seen:
            dirs.clear()
            continue
        seen.add((real.st_dev, real.st_ino))
        relative = os.path.relpath(folder, media_root)
        arcname = "media" if relative == "." else f"media/{relative}"
        archive.add(folder, arcname=arcname, recursive=False)
        for name in sorted(names):
            _add_file(archive, os.path.join(folder, name), f"{arcname}/{name}", roots, packed)
        followed = []
        for name in sorted(dirs):
            path = os.path.join(folder, name)
            linked = Path(os.path.realpath(path)) if os.path.islink(path) else None
            if linked is not None and any(root.is_relative_to(linked) for root in roots):
                _skip(packed, f"{arcname}/{name}", linked, "loop")
                continue
            roots_of[path] = roots if linked is None else (*roots, linked)
            followed.append(name)
        dirs[:] = followed


def _add_file(archive: tarfile.TarFile, path: str, arcname: str, roots, packed: dict) -> None:
    # The real path is checked, then read: not the link, which could change in between.
    real = Path(os.path.realpath(path))
    try:
        info = archive.gettarinfo(str(real), arcname)
    except FileNotFoundError:  # a broken link, or deleted meanwhile
        return
    if not info.isreg():
        return
    if not any(real.is_relative_to(root) for root in roots):
        _skip(packed, arcname, real, "outside")
        return
    with real.open("rb") as file:
        archive.addfile(info, file)
    packed["files"] += 1
    packed["bytes"] += info.size


def _skip(packed: dict, arcname: str, target: Path, reason: str) -> None:
    packed["skipped_links"].append({"path": arcname, "target": str(target), "reason": reason})


def skipped_link_message(link: dict) -> str:
    """The operator's line for a link the backup left out (a skipped_links entry)."""
    where = f"{link['path']} → {link['target']}"
    if link.get("reason") == "loop":
        return (
            f"Bỏ qua liên kết {where}: thư mục đích chứa thư mục media hoặc thư mục liên kết "
            "chứa nó (vòng lặp, hoặc /), không sao lưu.\n"
            f"Skipped the link {where}: its folder holds the media folder or the linked folder "
            "it is in (a loop, or /); not backed up."
        )
    return (
        f"Bỏ qua liên kết {where}: tệp đích nằm ngoài thư mục media và ngoài thư mục liên kết "
        "chứa nó, không sao lưu.\n"
        f"Skipped the link {where}: the file lies outside the media folder and the linked "
        "folder it is in; not backed up."
    )


# --- the check of a backup folder (before restoring it, and after writing it) --------------------


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
