"""Backup drill: `backup`, then `restore` (a separate process, whose database comes from
DATABASE_URL only) into a fresh database, then compare every table (row count and a checksum of its
rows) and the media file.

Security (issue 11, point 5): the dump holds no session, login-throttling or API-token rows (the
tables come back empty), an encrypted backup (age, BACKUP_AGE_RECIPIENT) shows nothing in clear
and restores only with the identity file, the manifest is signed (BACKUP_HMAC_KEY) and one changed
byte in the manifest, its signature or a file makes restore refuse with the database untouched,
and `restore` has no option that names a database."""

import gzip
import hashlib
import os
import random
import re
import secrets
import subprocess
import sys
import uuid
import zlib
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.utils import ConnectionHandler
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from pyrage import x25519

from accounts.models import Role
from facilities.models import Facility
from ops import backup_dump as backup
from ops.management.commands.restore import Command as RestoreCommand
from reports.models import Report

from .factories import AnnualReportFactory, FacilityFactory, UserFactory

GZIP_MAGIC = b"\x1f\x8b\x08"

drill = pytest.mark.django_db(transaction=True)

BASE_DIR = Path(__file__).resolve().parent.parent
TABLES_SQL = (
    "SELECT table_name FROM information_schema.tables "
    "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
)
TABLE_DIGEST_SQL = (
    "SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM {table} t"
)
EMPTY = (0, hashlib.md5(b"", usedforsecurity=False).hexdigest())
PDF_BYTES = b"%PDF-1.7\n% drill \xe1\xba\xa1\n" + bytes(range(256)) * 40
# Tables a restore must bring back with every row (the TOTP devices too: without their secrets
# nobody with two-factor could sign in after a restore).
KEPT_TABLES = [
    "accounts_user",
    "assessments_annualreport",
    "facilities_facility",
    "otp_totp_totpdevice",
    "reports_report",
]
# Tables whose rows are live credentials: in the restored schema, empty.
CREDENTIAL_TABLES = [
    "axes_accessattempt",
    "axes_accessattemptexpiration",
    "axes_accessfailurelog",
    "axes_accesslog",
    "django_session",
]
TOKEN_TABLES = ["accounts_apitoken", "authtoken_token"]  # whichever the schema has
AXES_USERNAME = "ke-tan-cong-drill"
AXES_ADDRESS = "203.0.113.77"


def table_digests(cursor) -> dict[str, tuple[int, str]]:
    """{table: (rows, md5 of the rows in a stable order)} for every table of the public schema."""
    cursor.execute(TABLES_SQL)
    digests = {}
    for (table,) in cursor.fetchall():
        cursor.execute(TABLE_DIGEST_SQL.format(table=connection.ops.quote_name(table)))
        digests[table] = tuple(cursor.fetchone())
    return digests


def digests_of(name: str) -> dict[str, tuple[int, str]]:
    handler = ConnectionHandler({DEFAULT_DB_ALIAS: {**connection.settings_dict, "NAME": name}})
    try:
        with handler[DEFAULT_DB_ALIAS].cursor() as cursor:
            return table_digests(cursor)
    finally:
        handler.close_all()


def source_database() -> str:
    return connection.settings_dict["NAME"]


def url_for(name: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{name}"


def restore(path: Path, database: str, media_root: Path, *args: str, **env: str):
    """`manage.py restore` as an operator runs it: the target database in DATABASE_URL."""
    environment = {
        **os.environ,
        "DATABASE_URL": url_for(database),
        "BACKUP_HMAC_KEY": settings.BACKUP_HMAC_KEY,
        "BACKUP_AGE_IDENTITY_FILE": "",
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(path), "--media-root", str(media_root), *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def restored_ok(completed) -> None:
    assert completed.returncode == 0, completed.stderr
    assert "khớp manifest / match the manifest" in completed.stdout


@pytest.fixture(autouse=True)
def backup_settings(settings):
    settings.BACKUP_HMAC_KEY = secrets.token_urlsafe(48)
    settings.BACKUP_AGE_RECIPIENTS = []
    settings.BACKUP_AGE_IDENTITY_FILE = ""
    return settings


@pytest.fixture
def fresh_database():
    """An empty database beside the test database (unique name: parallel runs never clash),
    dropped afterwards."""
    name = f"{source_database()}_restore_{uuid.uuid4().hex[:8]}"
    with connection._nodb_cursor() as cursor:
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


@pytest.fixture
def credentials(portal_data) -> dict:
    """One row in every credential table (session, axes, API token) and a TOTP device; the
    secrets as they are stored."""
    user = UserFactory(username="canbo_drill", role=Role.STAFF)
    TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=True)
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session.create()
    common = {"user_agent": "drill", "http_accept": "*/*", "path_info": "/dang-nhap/"}
    attempt = AccessAttempt.objects.create(
        username=AXES_USERNAME,
        ip_address=AXES_ADDRESS,
        get_data="",
        post_data="",
        failures_since_start=4,
        **common,
    )
    AccessAttemptExpiration.objects.create(access_attempt=attempt, expires_at=timezone.now())
    AccessFailureLog.objects.create(username=AXES_USERNAME, ip_address=AXES_ADDRESS, **common)
    AccessLog.objects.create(username=AXES_USERNAME, ip_address=AXES_ADDRESS, **common)
    tables = set(connection.introspection.table_names())
    tokens = []
    if "accounts_apitoken" in tables:
        from accounts import tokens as api_tokens

        token, _key = api_tokens.issue(user, "drill")
        tokens.append(token.key_hash)
    if "authtoken_token" in tables:
        from rest_framework.authtoken.models import Token

        tokens.append(Token.objects.create(user=user).key)
    assert tokens, "no API token table"
    return {"session": session.session_key, "tokens": tokens}


def make_backup(tmp_path: Path) -> Path:
    call_command("backup", output=str(tmp_path / "backups"))
    (path,) = (tmp_path / "backups").iterdir()
    return path


def dump_as_sql(dump: Path) -> str:
    """The custom-format dump as the SQL pg_restore would run (no database needed)."""
    return subprocess.run(
        ["pg_restore", "--file=-", str(dump)], capture_output=True, text=True, check=True
    ).stdout


def token_tables(digests: dict) -> list[str]:
    return [t for t in TOKEN_TABLES if t in digests]


def assert_restored_without_credentials(source: dict, restored: dict) -> None:
    for table in KEPT_TABLES:
        assert source[table][0] > 0, table
        assert restored[table] == source[table], table
    for table in CREDENTIAL_TABLES + token_tables(source):
        assert source[table][0] > 0, table
        assert restored[table] == EMPTY, table  # the table exists, without its rows
    cleared = set(CREDENTIAL_TABLES + token_tables(source))
    assert {t: d for t, d in restored.items() if t not in cleared} == {
        t: d for t, d in source.items() if t not in cleared
    }


@drill
def test_backup_restores_into_a_fresh_database_without_credentials(
    portal_data, credentials, fresh_database, tmp_path
):
    facility_name = Facility.objects.order_by("pk").first().name
    path = make_backup(tmp_path)
    assert path.name.startswith("sxsh-backup-")
    assert sorted(p.name for p in path.iterdir()) == [
        "database.dump",
        "manifest.json",
        "manifest.json.hmac",
        "media.tar.gz",
    ]
    assert path.stat().st_mode & 0o077 == 0  # private: personal and business data
    source = digests_of(source_database())
    manifest = (path / "manifest.json").read_text(encoding="utf-8")
    assert '"encryption": null' in manifest
    for table in CREDENTIAL_TABLES + token_tables(source):
        assert f'"{table}": 0' in manifest
    assert '"facilities_facility": 3' in manifest
    assert '"assessments_annualreport": 3' in manifest

    sql = dump_as_sql(path / "database.dump")
    assert facility_name in sql  # the inspection sees the data that is there…
    assert "CREATE TABLE public.django_session" in sql  # …and the credential tables' schema
    for secret in [credentials["session"], AXES_USERNAME, AXES_ADDRESS, *credentials["tokens"]]:
        assert secret not in sql  # …but none of their rows
    assert not re.search(r"^COPY public\.(django_session|axes_\w+|authtoken_token) ", sql, re.M)

    restored_media = tmp_path / "restored-media"
    restored_ok(restore(path, fresh_database, restored_media))

    assert_restored_without_credentials(source, digests_of(fresh_database))
    restored_file = restored_media / portal_data.file.name
    assert hashlib.sha256(restored_file.read_bytes()).hexdigest() == (
        hashlib.sha256(PDF_BYTES).hexdigest()
    )

    # The restored database now holds data: a second restore needs --yes, then succeeds.
    refused = restore(path, fresh_database, tmp_path / "empty-media")
    assert refused.returncode != 0 and "--yes" in refused.stderr
    restored_ok(restore(path, fresh_database, restored_media, "--yes"))
    assert_restored_without_credentials(source, digests_of(fresh_database))


def gzip_stream_in(data: bytes) -> bool:
    """Whether a gzip stream starts anywhere in `data`: at each gzip magic (1f 8b 08), which
    random ciphertext holds by chance about once in 16 MB, the bytes must also decompress."""
    start = data.find(GZIP_MAGIC)
    while start != -1:
        try:
            if zlib.decompressobj(wbits=31).decompress(data[start : start + 65536]):
                return True
        except zlib.error:
            pass
        start = data.find(GZIP_MAGIC, start + 1)
    return False


def test_the_gzip_stream_check_finds_a_stream_and_ignores_chance_bytes():
    stream = gzip.compress(b"facilities_facility " * 100)
    noise = random.Random(7).randbytes(1000)  # fixed: the same bytes on every run
    assert gzip_stream_in(noise + stream + noise)
    assert not gzip_stream_in(noise + GZIP_MAGIC + noise)


@drill
def test_an_encrypted_backup_shows_nothing_in_clear_and_needs_the_identity(
    portal_data, credentials, fresh_database, tmp_path, settings
):
    identity = x25519.Identity.generate()
    settings.BACKUP_AGE_RECIPIENTS = [str(identity.to_public())]
    facility_name = Facility.objects.order_by("pk").first().name
    path = make_backup(tmp_path)
    assert sorted(p.name for p in path.iterdir()) == [
        "database.dump.age",
        "manifest.json",
        "manifest.json.hmac",
        "media.tar.gz.age",
    ]
    for name in ("database.dump.age", "media.tar.gz.age"):
        data = (path / name).read_bytes()
        assert data.startswith(b"age-encryption.org/v1\n")
        for clear in [
            b"PGDMP",
            b"facilities_facility",
            b"django_session",
            facility_name.encode(),
            b"bao-cao-2018",
            PDF_BYTES[:64],
        ]:
            assert clear not in data, (name, clear)
        assert not gzip_stream_in(data), name  # no compressed clear text either
    source = digests_of(source_database())
    media = tmp_path / "restored-media"

    # No identity, a wrong one, one others can read: refused, nothing restored.
    missing = restore(path, fresh_database, media)
    assert missing.returncode != 0
    assert "BACKUP_AGE_IDENTITY_FILE" in missing.stderr and "encrypted" in missing.stderr
    wrong_file = tmp_path / "wrong.txt"
    wrong_file.write_text(f"# wrong key\n{x25519.Identity.generate()}\n")
    wrong_file.chmod(0o600)
    wrong = restore(path, fresh_database, media, BACKUP_AGE_IDENTITY_FILE=str(wrong_file))
    assert wrong.returncode != 0 and "Cannot decrypt database.dump.age" in wrong.stderr
    key_file = tmp_path / "backup-identity.txt"
    key_file.write_text(f"# public key: {identity.to_public()}\n{identity}\n")
    key_file.chmod(0o644)
    readable = restore(path, fresh_database, media, BACKUP_AGE_IDENTITY_FILE=str(key_file))
    assert readable.returncode != 0 and "readable by others" in readable.stderr
    assert str(identity) not in readable.stderr + wrong.stderr + missing.stderr
    assert digests_of(fresh_database) == {}
    assert not media.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".restore-")] == []

    key_file.chmod(0o600)
    restored_ok(restore(path, fresh_database, media, BACKUP_AGE_IDENTITY_FILE=str(key_file)))
    assert_restored_without_credentials(source, digests_of(fresh_database))
    assert (media / portal_data.file.name).read_bytes() == PDF_BYTES


@drill
@pytest.mark.parametrize(
    ("name", "encrypted", "message"),
    [
        ("manifest.json", False, "signature of manifest.json does not match"),
        ("manifest.json.hmac", False, "signature of manifest.json does not match"),
        ("database.dump", False, "database.dump is corrupt or was modified"),
        ("media.tar.gz", False, "media.tar.gz is corrupt or was modified"),
        ("database.dump.age", True, "database.dump.age is corrupt or was modified"),
    ],
)
def test_one_changed_byte_makes_restore_refuse_with_the_database_untouched(
    name, encrypted, message, portal_data, credentials, tmp_path, settings
):
    identity = x25519.Identity.generate()
    if encrypted:
        settings.BACKUP_AGE_RECIPIENTS = [str(identity.to_public())]
    key_file = tmp_path / "identity.txt"
    key_file.write_text(f"{identity}\n")
    key_file.chmod(0o600)
    path = make_backup(tmp_path)
    target = path / name
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    media = tmp_path / "live-media"
    media.mkdir()
    (media / "keep.txt").write_text("live")
    before = digests_of(source_database())
    assert before["django_session"][0] == 1  # a restore would empty it

    # --yes: only the signature and the checksums stand between the backup and the database.
    refused = restore(
        path, source_database(), media, "--yes", BACKUP_AGE_IDENTITY_FILE=str(key_file)
    )

    assert refused.returncode != 0
    assert message in refused.stderr and "nothing was restored" in refused.stderr
    assert "không khôi phục gì" in refused.stderr
    assert digests_of(source_database()) == before
    assert [p.name for p in media.iterdir()] == ["keep.txt"]


@drill
def test_backup_and_restore_refuse_without_the_manifest_key(
    portal_data, fresh_database, tmp_path, settings
):
    path = make_backup(tmp_path)

    settings.BACKUP_HMAC_KEY = ""
    settings.DEBUG = False
    with pytest.raises(CommandError, match="BACKUP_HMAC_KEY is not set"):
        call_command("backup", output=str(tmp_path / "unsigned"))
    assert not (tmp_path / "unsigned").exists()
    no_key = restore(path, fresh_database, tmp_path / "m", BACKUP_HMAC_KEY="", DEBUG="0")
    assert no_key.returncode != 0 and "BACKUP_HMAC_KEY is not set" in no_key.stderr
    other_key = restore(path, fresh_database, tmp_path / "m", BACKUP_HMAC_KEY="x" * 48)
    assert other_key.returncode != 0 and "signature of manifest.json" in other_key.stderr
    short = restore(path, fresh_database, tmp_path / "m", BACKUP_HMAC_KEY="kort")
    assert short.returncode != 0 and "too short" in short.stderr
    assert digests_of(fresh_database) == {}

    # DEBUG on: a key derived from SECRET_KEY signs development backups; a real key refuses them.
    settings.DEBUG = True
    debug_backup = make_backup(tmp_path / "debug")
    assert backup.verify_backup(debug_backup)["format"] == 2
    settings.BACKUP_HMAC_KEY = secrets.token_urlsafe(48)
    with pytest.raises(backup.BackupError, match="signature of manifest.json does not match"):
        backup.verify_backup(debug_backup)


def test_restore_has_no_option_that_names_a_database():
    parser = RestoreCommand().create_parser("manage.py", "restore")
    options = {s for action in parser._actions for s in action.option_strings}
    assert not [o for o in options if re.search(r"url|database|dsn|host|port|user|pass", o, re.I)]
    from django.core.management.base import BaseCommand

    common = {
        s
        for action in BaseCommand().create_parser("manage.py", "x")._actions
        for s in action.option_strings
    }
    assert options - common == {"--media-root", "--yes"}
    completed = subprocess.run(
        [sys.executable, "manage.py", "restore", "/nonexistent", "--database-url", "postgres://x"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 2 and "unrecognized arguments" in completed.stderr


@drill
def test_a_backup_that_could_not_be_restored_is_refused(credentials, tmp_path):
    """A kept row referencing an excluded one would fail the foreign key on restore."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE drill_session_note (id serial PRIMARY KEY, "
            "session_key varchar(40) REFERENCES django_session (session_key))"
        )
        cursor.execute("INSERT INTO drill_session_note (session_key) VALUES (NULL)")
    try:
        make_backup(tmp_path / "null-reference")  # a NULL reference restores fine
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO drill_session_note (session_key) VALUES (%s)", [credentials["session"]]
            )
        with pytest.raises(CommandError, match="drill_session_note.session_key references"):
            call_command("backup", output=str(tmp_path / "backups"))
        assert list((tmp_path / "backups").iterdir()) == []
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE drill_session_note")


@drill
def test_restore_refuses_a_target_with_data_without_yes(portal_data, tmp_path):
    path = make_backup(tmp_path)
    before = digests_of(source_database())

    refused = restore(path, source_database(), tmp_path / "m")

    assert refused.returncode != 0
    assert "đã có dữ liệu" in refused.stderr and "already holds data" in refused.stderr
    assert "--yes" in refused.stderr
    assert digests_of(source_database()) == before


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


@drill
def test_restore_into_a_database_that_does_not_exist_says_so(portal_data, tmp_path):
    """The README's own warning (it must exist: createdb): a clear refusal, not a traceback."""
    path = make_backup(tmp_path)

    refused = restore(path, "sxsh_khong_ton_tai", tmp_path / "m")

    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    assert "createdb sxsh_khong_ton_tai" in refused.stderr
