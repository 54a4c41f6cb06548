"""`restore` and the schema version of a backup: the manifest lists the migrations the dump had
applied; a backup from a newer release is refused, so is a target holding data on another schema
version (with the hint to restore into an empty database), and restoring an older backup says
which migrations to apply now. The backups are real (pg_dump/pg_restore), as in the drill."""

import json

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from ops.backup_format import MANIFEST_FILE, SIGNATURE_FILE, manifest_key, sign

from ..test_backup_drill import (  # noqa: F401 (fixtures)
    backup_settings,
    digests_of,
    drill,
    fresh_database,
    make_backup,
    restore,
    restored_ok,
    source_database,
)

MIGRATE_NOW = "python manage.py migrate"


def applied() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def rewrite_manifest(path, change) -> None:
    """Change the manifest and sign it again with the backup key, as `backup` signs it."""
    manifest = json.loads((path / MANIFEST_FILE).read_text(encoding="utf-8"))
    change(manifest)
    data = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    (path / MANIFEST_FILE).write_bytes(data)
    (path / SIGNATURE_FILE).write_bytes(sign(data, manifest_key()) + b"\n")


@pytest.fixture
def older_release():
    """The test database as an older release left it: the last facilities migration not recorded
    (its row is put back afterwards). Its "app.name"."""
    (leaf,) = MigrationLoader(None).graph.leaf_nodes("facilities")
    recorder = MigrationRecorder(connection)
    recorder.record_unapplied(*leaf)
    try:
        yield ".".join(leaf)
    finally:
        recorder.record_applied(*leaf)


@drill
def test_the_same_version_round_trip_records_the_migrations_and_warns_of_nothing(
    fresh_database,  # noqa: F811
    tmp_path,
):
    path = make_backup(tmp_path)
    manifest = json.loads((path / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["database"]["migrations"] == applied()

    completed = restore(path, fresh_database, tmp_path / "media")
    restored_ok(completed)
    assert MIGRATE_NOW not in completed.stdout
    # Over a target holding data on the same schema version: --yes restores it.
    again = restore(path, fresh_database, tmp_path / "media", "--yes")
    restored_ok(again)
    assert MIGRATE_NOW not in again.stdout


@drill
def test_a_backup_from_a_newer_release_is_refused_with_nothing_changed(
    fresh_database,  # noqa: F811
    tmp_path,
):
    path = make_backup(tmp_path)
    rewrite_manifest(
        path,
        lambda m: m["database"]["migrations"].append(["facilities", "9999_tu_ban_moi_hon"]),
    )

    refused = restore(path, fresh_database, tmp_path / "media")

    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    assert "phiên bản portal mới hơn" in refused.stderr
    assert "facilities.9999_tu_ban_moi_hon" in refused.stderr
    assert "không khôi phục gì" in refused.stderr and "nothing was restored" in refused.stderr
    assert digests_of(fresh_database) == {}
    assert not (tmp_path / "media").exists()


@drill
def test_a_target_on_another_schema_version_is_refused_with_the_createdb_hint(
    older_release, tmp_path
):
    path = make_backup(tmp_path)  # without the last facilities migration
    MigrationRecorder(connection).record_applied(*older_release.split("."))  # the target has it
    before = digests_of(source_database())

    for args in [(), ("--yes",)]:
        refused = restore(path, source_database(), tmp_path / "media", *args)

        assert refused.returncode == 1
        assert "Traceback" not in refused.stderr and "pg_restore" not in refused.stderr
        assert "phiên bản lược đồ (migration) khác bản sao lưu" in refused.stderr
        assert "đích có 1 migration mà bản sao lưu không có" in refused.stderr
        assert older_release in refused.stderr
        name = source_database()
        assert f"dropdb {name} && createdb {name}" in refused.stderr
        assert "không khôi phục gì" in refused.stderr
        assert digests_of(source_database()) == before


@drill
@pytest.mark.parametrize("recorded", [True, False], ids=["manifest-lists-them", "older-format"])
def test_restoring_an_older_backup_names_the_pending_migrations(
    recorded,
    older_release,
    fresh_database,  # noqa: F811
    tmp_path,
):
    path = make_backup(tmp_path)
    if not recorded:  # a backup made before the manifest listed the migrations
        rewrite_manifest(path, lambda m: m["database"].pop("migrations"))

    completed = restore(path, fresh_database, tmp_path / "media")

    restored_ok(completed)
    warning = completed.stdout.split("khớp manifest", 1)[1]
    assert "1 migration chưa áp dụng" in warning
    assert older_release in warning
    assert f"Chạy ngay {MIGRATE_NOW}" in warning
