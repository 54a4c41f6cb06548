"""Restore of a backup folder (ops/backup_dump.py writes it).

`restore` checks the signature and every SHA-256 before it touches anything, refuses a target
database or media folder that already holds data unless told `yes`, decrypts with the identity
file `BACKUP_AGE_IDENTITY_FILE`, restores with `pg_restore --clean --if-exists --no-owner
--single-transaction` (all or nothing) into the configured database (DATABASE_URL: there is
deliberately no way to name a database or a password on the command line), unpacks the media
(path-safe: every member under media/), and compares the restored row counts with the manifest.

Schema version: the manifest lists the migrations the dump had applied. Before anything changes,
a backup with migrations this code does not know (a newer release) is refused, and so is a target
that holds data on another schema version (pg_restore --clean cannot replace it cleanly: restore
into an empty database instead). After restoring an older backup, the migrations still to apply
are reported (`migrate` is not run here). Apps the code no longer installs are left out of both
comparisons, as Django's own `migrate` ignores their rows.
"""

import gzip
import shutil
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from .backup_age import age_identities, decrypt_file
from .backup_dump import verify_backup
from .backup_format import CHUNK, DB_FILE, MEDIA_FILE, BackupError, file_names
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
LISTED = 10  # migrations named in a message; the others are counted


@dataclass(frozen=True)
class RestoreResult:
    database: str
    tables: int
    rows: int
    media_files: int
    media_root: Path
    pending: tuple[str, ...] = ()  # "app.name" of the migrations to apply now (older backup)


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
    recorded = backup_migrations(manifest)
    if recorded is not None:
        _refuse_unknown_migrations(recorded)
    busy = tables_with_rows(settings_dict)
    if busy and recorded is not None:
        _refuse_other_schema(recorded, settings_dict)
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
        command = [pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges"]
        command += ["--single-transaction", *args, str(database_file)]
        try:
            run_client(command, env, "pg_restore")
        except BackupError as exc:
            if not busy:
                raise
            raise BackupError(f"{exc}\n{_empty_database_hint(settings_dict['NAME'])}") from exc
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
        pending=pending_migrations(settings_dict),
    )


# --- the schema version (migrations) of the backup, the code and the target ----------------------


def backup_migrations(manifest: dict) -> set[tuple[str, str]] | None:
    """The (app, name) migrations the dump had applied; None for a backup made before the manifest
    recorded them (only the check after the restore applies to it)."""
    recorded = manifest["database"].get("migrations")
    if recorded is None:
        return None
    return {(str(app), str(name)) for app, name in recorded}


def code_migrations() -> tuple[set[str], set[tuple[str, str]]]:
    """(the apps with migrations, every (app, name) migration) of the code, with the names that
    its squashed migrations replace."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces or ())
    return set(loader.migrated_apps), known


def target_migrations(settings_dict: dict) -> set[tuple[str, str]]:
    """The (app, name) migrations the target database has applied."""
    handler = own_connection(settings_dict)
    try:
        return set(MigrationRecorder(handler[DEFAULT_DB_ALIAS]).applied_migrations())
    finally:
        handler.close_all()


def pending_migrations(settings_dict: dict) -> tuple[str, ...]:
    """ "app.name" of the code's migrations the (restored) database has not applied, in order."""
    handler = own_connection(settings_dict)
    try:
        executor = MigrationExecutor(handler[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        return tuple(f"{m.app_label}.{m.name}" for m, backwards in plan if not backwards)
    finally:
        handler.close_all()


def _listed(migrations) -> str:
    names = sorted(f"{app}.{name}" for app, name in migrations)
    more = len(names) - LISTED
    return ", ".join(names[:LISTED]) + (f" (+{more})" if more > 0 else "")


def _refuse_unknown_migrations(recorded: set[tuple[str, str]]) -> None:
    apps, known = code_migrations()
    unknown = {m for m in recorded if m[0] in apps and m not in known}
    if unknown:
        raise BackupError(
            f"Bản sao lưu được tạo bởi phiên bản portal mới hơn mã nguồn này: có {len(unknown)} "
            f"migration mà mã nguồn không có ({_listed(unknown)}). Cài phiên bản đã tạo bản sao "
            "lưu (hoặc mới hơn) rồi khôi phục lại; không khôi phục gì.\n"
            f"The backup was made by a newer release of the portal: it has {len(unknown)} "
            f"migrations this code does not know ({_listed(unknown)}). Install the release that "
            "made the backup (or a newer one) and restore again; nothing was restored."
        )


def _refuse_other_schema(recorded: set[tuple[str, str]], settings_dict: dict) -> None:
    """Refuse a target holding data whose applied migrations differ from the backup's."""
    apps, _known = code_migrations()
    target = {m for m in target_migrations(settings_dict) if m[0] in apps}
    recorded = {m for m in recorded if m[0] in apps}
    if target == recorded:
        return
    name = settings_dict["NAME"]
    only_target, only_backup = target - recorded, recorded - target
    vi, en = [], []
    if only_target:
        listed = _listed(only_target)
        vi.append(f"đích có {len(only_target)} migration mà bản sao lưu không có ({listed})")
        en.append(f"the target has {len(only_target)} migrations the backup lacks ({listed})")
    if only_backup:
        listed = _listed(only_backup)
        vi.append(f"bản sao lưu có {len(only_backup)} migration mà đích không có ({listed})")
        en.append(f"the backup has {len(only_backup)} migrations the target lacks ({listed})")
    raise BackupError(
        f"Cơ sở dữ liệu đích «{name}» có phiên bản lược đồ (migration) khác bản sao lưu: "
        f"{'; '.join(vi)}; không khôi phục gì.\n"
        f"The target database «{name}» is on another schema version (migrations) than the "
        f"backup: {'; '.join(en)}; nothing was restored.\n" + _empty_database_hint(name)
    )


def _empty_database_hint(name: str) -> str:
    return (
        "Hãy khôi phục vào một cơ sở dữ liệu trống: createdb <tên mới> rồi trỏ DATABASE_URL tới "
        f"nó, hoặc dropdb {name} && createdb {name} nếu chắc chắn bỏ dữ liệu hiện có; sau đó "
        "chạy lại restore.\n"
        "Restore into an empty database instead: createdb <new name> and point DATABASE_URL at "
        f"it, or dropdb {name} && createdb {name} if you mean to discard the current data; then "
        "run restore again."
    )


def _restored_counts(settings_dict: dict) -> dict[str, int]:
    handler = own_connection(settings_dict)
    try:
        with handler[DEFAULT_DB_ALIAS].cursor() as cursor:
            return table_row_counts(cursor)
    finally:
        handler.close_all()


class OutsideMediaError(tarfile.FilterError):
    """A member whose name does not lie under media/ (`backup` writes nothing else)."""

    def __init__(self, tarinfo: tarfile.TarInfo):
        self.tarinfo = tarinfo
        super().__init__(f"{tarinfo.name!r} is not under media/")


class LinkMemberError(tarfile.FilterError):
    """A link: `backup` packs the files behind links, never a link (older releases packed the link
    of a linked media folder). A relative link the "data" filter lets through would point, once
    moved into MEDIA_ROOT, beside it."""

    def __init__(self, tarinfo: tarfile.TarInfo):
        self.tarinfo = tarinfo
        super().__init__(f"{tarinfo.name!r} is a link to {tarinfo.linkname!r}")


def _media_filter(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo:
    """The "data" filter, after refusing a member outside media/ (an absolute name, which the
    "data" filter would unpack with its leading "/" stripped, one with "..", or another folder)
    and any link."""
    name = PurePosixPath(member.name)
    if name.is_absolute() or ".." in name.parts or name.parts[:1] != ("media",):
        raise OutsideMediaError(member)
    if member.issym() or member.islnk():
        raise LinkMemberError(member)
    return tarfile.data_filter(member, path)


def _unpack_media(archive_path: Path, target: Path) -> Path:
    """Unpack the media archive into `target`; the unpacked media folder."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            # Refused: a member outside media/ or a link (_media_filter), then by the "data"
            # filter devices, special modes and the like.
            archive.extractall(target, filter=_media_filter)  # nosec B202 - every member checked
            # Read on to the gzip trailer: its CRC catches damage in file data that inflates.
            while archive.fileobj.read(CHUNK):
                pass
    except OutsideMediaError as exc:
        member = exc.tarinfo.name
        raise BackupError(
            f"Tệp {MEDIA_FILE} chứa mục «{member}» nằm ngoài thư mục media/ (đường dẫn tuyệt "
            "đối, có «..» hoặc thư mục khác): bản sao lưu không phải do lệnh backup tạo hoặc đã "
            "bị sửa; không khôi phục gì.\n"
            f"{MEDIA_FILE} holds the member «{member}» outside media/ (an absolute path, «..» or "
            "another folder): the backup was not made by `backup` or was modified; nothing was "
            "restored."
        ) from exc
    except tarfile.FilterError as exc:
        raise BackupError(
            f"Tệp {MEDIA_FILE} chứa mục bị từ chối vì không an toàn ({exc}); không khôi phục gì. "
            "Bản sao lưu của phiên bản cũ từ thư mục media là liên kết (symlink) chỉ chứa liên "
            f"kết, không có tệp: khôi phục riêng {DB_FILE} bằng pg_restore --no-owner "
            "--single-transaction --dbname <tên>.\n"
            f"{MEDIA_FILE} holds a member refused as unsafe ({exc}); nothing was restored. A "
            "backup an older release made of a linked (symlinked) media folder holds the link, "
            f"not the files: restore {DB_FILE} alone with pg_restore --no-owner "
            "--single-transaction --dbname <name>."
        ) from exc
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise BackupError(
            f"Tệp {MEDIA_FILE} bị hỏng, không giải nén được ({exc}); không khôi phục gì.\n"
            f"{MEDIA_FILE} is corrupt and cannot be unpacked ({exc}); nothing was restored."
        ) from exc
    except OSError as exc:
        raise BackupError(
            f"Không giải nén được {MEDIA_FILE} vào {target}: {exc}; không khôi phục gì.\n"
            f"Cannot unpack {MEDIA_FILE} into {target}: {exc}; nothing was restored."
        ) from exc
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
