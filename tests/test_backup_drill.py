"""Backup drill: `backup`, then `restore` into a fresh database, then compare every table (row count
and a checksum of its rows) and the media file; a tampered backup is refused before anything is
restored; a target that holds data needs --yes."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.utils import ConnectionHandler

from accounts import backup
from reports.models import Report

from .factories import AnnualReportFactory, FacilityFactory

drill = pytest.mark.django_db(transaction=True)

TABLE_DIGEST_SQL = (
    "SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) "
    'FROM "{schema}"."{table}" t'
)
PDF_BYTES = b"%PDF-1.7\n% drill \xe1\xba\xa1\n" + bytes(range(256)) * 40


def table_digests(cursor) -> dict[str, tuple[int, str]]:
    """{table: (rows, md5 of the rows in a stable order)} for every user table."""
    cursor.execute(backup.TABLES_SQL)
    digests = {}
    for schema, table in cursor.fetchall():
        cursor.execute(backup._on_table(TABLE_DIGEST_SQL, schema, table))
        digests[backup._table_key(schema, table)] = tuple(cursor.fetchone())
    return digests


def digests_of(settings_dict: dict) -> dict[str, tuple[int, str]]:
    handler = ConnectionHandler({DEFAULT_DB_ALIAS: dict(settings_dict)})
    try:
        with handler[DEFAULT_DB_ALIAS].cursor() as cursor:
            return table_digests(cursor)
    finally:
        handler.close_all()


def url_for(name: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{name}"


@pytest.fixture
def fresh_database():
    """An empty database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def portal_data():
    facilities = FacilityFactory.create_batch(3)
    for year in (2017, 2018):
        AnnualReportFactory(facility=facilities[0], year=year)
    AnnualReportFactory(facility=facilities[1], year=2018, state="draft")
    report = Report.objects.create(year=2018, format="pdf", state="succeeded")
    report.file.save("bao-cao-2018.pdf", ContentFile(PDF_BYTES))
    return report


def make_backup(tmp_path: Path) -> Path:
    call_command("backup", output=str(tmp_path / "backups"))
    (path,) = (tmp_path / "backups").iterdir()
    return path


@drill
def test_backup_restores_into_a_fresh_database_identically(portal_data, fresh_database, tmp_path):
    path = make_backup(tmp_path)
    assert path.name.startswith("sxsh-backup-")
    assert sorted(p.name for p in path.iterdir()) == [
        "database.dump",
        "manifest.json",
        "media.tar.gz",
    ]
    assert path.stat().st_mode & 0o077 == 0  # private: personal and business data
    manifest = backup.verify_backup(path)
    assert manifest["database"]["name"] == connection.settings_dict["NAME"]
    assert manifest["database"]["tables"]["facilities_facility"] == 3
    assert manifest["database"]["tables"]["assessments_annualreport"] == 3
    assert manifest["media"]["files"] == 1
    assert manifest["django_version"].startswith("6.")
    source = digests_of(connection.settings_dict)
    assert {t: n for t, (n, _) in source.items()} == manifest["database"]["tables"]

    restored_media = tmp_path / "restored-media"
    call_command(
        "restore", str(path), database_url=url_for(fresh_database), media_root=str(restored_media)
    )

    restored = digests_of({**connection.settings_dict, "NAME": fresh_database})
    app_tables = [t for t in source if t.split("_")[0] in {"facilities", "assessments", "reports"}]
    assert len(app_tables) >= 10
    assert restored == source
    restored_file = restored_media / portal_data.file.name
    assert hashlib.sha256(restored_file.read_bytes()).hexdigest() == (
        hashlib.sha256(PDF_BYTES).hexdigest()
    )

    # The restored database now holds data: a second restore needs --yes, then succeeds.
    with pytest.raises(CommandError, match="--yes"):
        call_command(
            "restore",
            str(path),
            database_url=url_for(fresh_database),
            media_root=str(tmp_path / "empty-media"),
        )
    call_command(
        "restore",
        str(path),
        database_url=url_for(fresh_database),
        media_root=str(restored_media),
        yes=True,
    )
    assert digests_of({**connection.settings_dict, "NAME": fresh_database}) == source


@drill
@pytest.mark.parametrize("name", ["database.dump", "media.tar.gz"])
def test_a_tampered_backup_is_refused_before_anything_is_restored(
    name, portal_data, fresh_database, tmp_path
):
    path = make_backup(tmp_path)
    target = path / name
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    media = tmp_path / "restored-media"

    with pytest.raises(CommandError, match=f"{name} is corrupt or was modified") as caught:
        call_command("restore", str(path), database_url=url_for(fresh_database), media_root=media)

    assert "SHA-256 không khớp" in str(caught.value)
    assert digests_of({**connection.settings_dict, "NAME": fresh_database}) == {}
    assert not media.exists()


@drill
def test_restore_refuses_a_target_with_data_without_yes(portal_data, tmp_path):
    path = make_backup(tmp_path)
    facilities_before = digests_of(connection.settings_dict)["facilities_facility"]

    with pytest.raises(CommandError) as caught:
        call_command("restore", str(path), media_root=str(tmp_path / "m"))

    message = str(caught.value)
    assert "đã có dữ liệu" in message and "already holds data" in message
    assert "--yes" in message
    assert digests_of(connection.settings_dict)["facilities_facility"] == facilities_before


def test_sqlite_is_refused_with_a_clear_message(tmp_path):
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "x.sqlite3")}
    with pytest.raises(backup.BackupError, match="PostgreSQL only"):
        backup.create_backup(tmp_path, settings_dict=sqlite)
    assert list(tmp_path.iterdir()) == []


def test_the_password_travels_in_the_environment_only():
    args, env = backup.client_args_and_env(
        {
            "NAME": "sxsh",
            "USER": "sxsh",
            "PASSWORD": "mat-khau-bi-mat",
            "HOST": "db.example",
            "PORT": 5433,
            "OPTIONS": {"sslmode": "require", "options": "-c jit=off"},
        }
    )
    assert args == [
        "--no-password",
        "--host",
        "db.example",
        "--port",
        "5433",
        "--username",
        "sxsh",
        "--dbname",
        "sxsh",
    ]
    assert not any("mat-khau" in arg for arg in args)
    assert env["PGPASSWORD"] == "mat-khau-bi-mat"
    assert env["PGSSLMODE"] == "require"
