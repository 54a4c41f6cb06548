"""Restore of a backup folder (ops/backup_dump.py writes it).

`restore` checks the signature and every SHA-256 before it touches anything, refuses a target
database or media folder that already holds data unless told `yes`, decrypts with the identity
file `BACKUP_AGE_IDENTITY_FILE`, restores with `pg_restore --clean --if-exists --no-owner
--single-transaction` (all or nothing) into the configured database (DATABASE_URL: there is
deliberately no way to name a database or a password on the command line), unpacks the media
(path-safe), and compares the restored row counts with the manifest.
"""

import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

from .backup_age import age_identities, decrypt_file
from .backup_dump import verify_backup
from .backup_format import DB_FILE, MEDIA_FILE, BackupError, file_names
from .postgres_clients import (
    TABLES_SQL,
    client_args_and_env,
    client_major,
    client_program,
    on_table,
    own_connection,
    require_postgresql,
    run_client,
    table_key,
    table_row_counts,
)

EXISTS_SQL = 'SELECT EXISTS (SELECT 1 FROM "{schema}"."{table}")'


@dataclass(frozen=True)
class RestoreResult:
    database: str
    tables: int
    rows: int
    media_files: int
    media_root: Path


def tables_with_rows(settings_dict: dict) -> list[str]:
    """The user tables of the target database that hold at least one row. BackupError when the
    database cannot be reached (it must exist: `createdb`)."""
    handler = own_connection(settings_dict)
    try:
        try:
            cursor = handler[DEFAULT_DB_ALIAS].cursor()
        except OperationalError as exc:
            name = settings_dict["NAME"]
            raise BackupError(
                f"Không kết nối được cơ sở dữ liệu đích «{name}» (cần tạo trước: createdb "
                f"{name}): {exc}\nCannot connect to the target database «{name}» (create it "
                f"first: createdb {name}): {exc}"
            ) from exc
        with cursor:
            cursor.execute(TABLES_SQL)
            found = []
            for schema, table in cursor.fetchall():
                cursor.execute(on_table(EXISTS_SQL, schema, table))
                if cursor.fetchone()[0]:
                    found.append(table_key(schema, table))
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
            decrypt_file(database_file, staging / DB_FILE, identities)
            decrypt_file(media_file, staging / MEDIA_FILE, identities)
            database_file, media_file = staging / DB_FILE, staging / MEDIA_FILE
        unpacked = _unpack_media(media_file, staging / "unpacked")
        args, env = client_args_and_env(settings_dict)
        run_client(
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
    handler = own_connection(settings_dict)
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
