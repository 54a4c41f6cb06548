"""`backup` and `restore` of media on linked storage, damaged media archives and the refusals of
`backup` itself: what an operator sees.

A linked MEDIA_ROOT, or a linked folder inside it (media on shared storage), is backed up with
its files, not the link, and the manifest counts exactly the files packed. A file link leading
out of MEDIA_ROOT and of the linked folder it is in, and a folder link to a folder above (a loop,
or /), are left out and reported. A media archive that cannot be unpacked (truncated, garbled,
holding a link an old release packed, or a member outside media/) is refused with a message and
nothing restored. `backup` of a database that does not exist, or into a folder
under a regular file, says so: exit 1, no traceback."""

import io
import json
import os
import subprocess
import sys
import tarfile

import pytest
from django.conf import settings
from django.core.management import call_command

from ops.backup_format import MANIFEST_FILE, sha256_of

from ..test_backup_drill import (  # noqa: F401 (fixtures)
    BASE_DIR,
    backup_settings,
    digests_of,
    drill,
    fresh_database,
    make_backup,
    restore,
    restored_ok,
    source_database,
    url_for,
)
from .test_restore_schema_version import rewrite_manifest

REFUSED = "không khôi phục gì"


def write_files(root, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)


def contents(root) -> dict[str, bytes]:
    """{relative path: bytes} of every file under root (links followed)."""
    found = {}
    for folder, _dirs, names in os.walk(root, followlinks=True):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as stream:
                found[os.path.relpath(path, root)] = stream.read()
    return found


def archive_members(path) -> list[tarfile.TarInfo]:
    with tarfile.open(path, "r:gz") as archive:
        return archive.getmembers()


def resign_files(path) -> None:
    """Record the media archive's current SHA-256 and size in the manifest and sign it again, as
    someone who re-signs a damaged backup would."""

    def change(manifest):
        for name in manifest["files"]:
            manifest["files"][name] = {
                "sha256": sha256_of(path / name),
                "bytes": (path / name).stat().st_size,
            }

    rewrite_manifest(path, change)


@pytest.fixture
def linked_media(request, tmp_path, settings):
    """MEDIA_ROOT on "shared storage": the root a link (root), a folder inside it a link to
    another tree (folder), or both; the files a backup must hold."""
    shared = tmp_path / "nas"
    real_root = shared / "media"
    write_files(
        real_root,
        {"a.txt": b"tep goc \xe1\xba\xa1", "imports/2024/bang.xlsx": bytes(range(256)) * 9},
    )
    reports = shared / "reports-volume"
    write_files(reports, {"bao-cao-2024.pdf": b"%PDF-1.7 bao cao", "2023/cu.docx": b"docx" * 50})
    if request.param in ("folder", "both"):
        (real_root / "reports").symlink_to(reports, target_is_directory=True)
    root = real_root
    if request.param in ("root", "both"):
        root = tmp_path / "media-link"
        root.symlink_to(real_root, target_is_directory=True)
    settings.MEDIA_ROOT = str(root)
    return root


@drill
@pytest.mark.parametrize("linked_media", ["root", "folder", "both"], indirect=True)
def test_linked_media_is_backed_up_with_its_files_and_restored(
    linked_media,
    fresh_database,  # noqa: F811
    tmp_path,
):
    expected = contents(linked_media)
    assert len(expected) >= 2

    path = make_backup(tmp_path)

    manifest = json.loads((path / MANIFEST_FILE).read_text(encoding="utf-8"))
    members = archive_members(path / "media.tar.gz")
    assert not [m.name for m in members if m.issym() or m.islnk()]
    packed = {m.name.removeprefix("media/") for m in members if m.isfile()}
    assert packed == set(expected)
    assert manifest["media"]["files"] == len(packed)
    assert manifest["media"]["bytes"] == sum(len(data) for data in expected.values())

    restored = tmp_path / "restored-media"
    completed = restore(path, fresh_database, restored)
    restored_ok(completed)
    assert f"{len(expected)} media files" in completed.stdout
    assert contents(restored) == expected


@drill
def test_a_link_loop_in_the_media_folder_does_not_hang_the_backup(tmp_path, settings):
    root = tmp_path / "media"
    write_files(root, {"a.txt": b"a"})
    (root / "vong").symlink_to(root, target_is_directory=True)
    (root / "hong").symlink_to(tmp_path / "khong-co")  # a broken link: nothing to pack
    settings.MEDIA_ROOT = str(root)

    path = make_backup(tmp_path)

    manifest = json.loads((path / MANIFEST_FILE).read_text(encoding="utf-8"))
    packed = [m.name for m in archive_members(path / "media.tar.gz") if m.isfile()]
    assert packed == ["media/a.txt"]
    assert manifest["media"]["files"] == 1


def truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def garble(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes(b ^ 0x5A for b in data[middle : middle + 64]) + data[middle + 64 :]


def break_deflate(data: bytes) -> bytes:
    """The first deflate block given the reserved block type: inflating it fails (zlib.error)."""
    start = 10  # the gzip header, then the file name when flagged (FNAME)
    if data[3] & 0x08:
        start = data.index(b"\0", start) + 1
    return data[:start] + bytes([0b111]) + data[start + 1 :]


def old_linked_archive(data: bytes) -> bytes:
    """What `backup` wrote before for a linked MEDIA_ROOT: the link, no files."""
    stream = io.BytesIO()
    with tarfile.open(fileobj=stream, mode="w:gz") as archive:
        link = tarfile.TarInfo("media")
        link.type, link.linkname = tarfile.SYMTYPE, "/srv/nas/media"
        archive.addfile(link)
    return stream.getvalue()


def relative_link_archive(data: bytes) -> bytes:
    """A link inside media/ the "data" filter lets through: moved into MEDIA_ROOT, it would point
    beside it."""
    stream = io.BytesIO()
    with tarfile.open(fileobj=stream, mode="w:gz") as archive:
        link = tarfile.TarInfo("media/cau-hinh.txt")
        link.type, link.linkname = tarfile.SYMTYPE, "../.env"
        archive.addfile(link)
    return stream.getvalue()


def hard_link_archive(data: bytes) -> bytes:
    """A hard link inside media/ to a file beside it, which the "data" filter lets through: no
    `backup` packs one (a hard-linked file is packed as the file)."""
    stream = io.BytesIO()
    with tarfile.open(fileobj=stream, mode="w:gz") as archive:
        info = tarfile.TarInfo("media/a.txt")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("media/b.txt")
        link.type, link.linkname = tarfile.LNKTYPE, "media/a.txt"
        archive.addfile(link)
    return stream.getvalue()


CORRUPT = "Tệp media.tar.gz bị hỏng, không giải nén được"
RANDOM = os.urandom(200_000)  # stored as is by gzip: a changed byte inflates, the CRC catches it
TEXT = "".join(f"dòng {i}: cơ sở {i % 7}\n" for i in range(40_000)).encode()  # compressed


@drill
@pytest.mark.parametrize(
    ("damage", "data", "message"),
    [
        (truncate, RANDOM, CORRUPT),
        (garble, RANDOM, CORRUPT),
        (garble, TEXT, CORRUPT),
        (break_deflate, TEXT, CORRUPT),
        (old_linked_archive, TEXT, "Tệp media.tar.gz chứa mục bị từ chối vì không an toàn"),
        (relative_link_archive, TEXT, "Tệp media.tar.gz chứa mục bị từ chối vì không an toàn"),
        (hard_link_archive, TEXT, "Tệp media.tar.gz chứa mục bị từ chối vì không an toàn"),
    ],
    ids=[
        "truncated",
        "garbled-stored-data",
        "garbled-compressed",
        "broken-deflate",
        "old-link",
        "relative-link",
        "hard-link",
    ],
)
def test_a_damaged_media_archive_with_a_resigned_manifest_is_refused(
    damage, data, message, tmp_path, settings
):
    root = tmp_path / "source-media"
    write_files(root, {"a.bin": data, "b.txt": b"b" * 1000})
    settings.MEDIA_ROOT = str(root)
    path = make_backup(tmp_path)
    archive = path / "media.tar.gz"
    archive.write_bytes(damage(archive.read_bytes()))
    resign_files(path)
    media = tmp_path / "live-media"
    media.mkdir()
    (media / "keep.txt").write_text("live")
    before = digests_of(source_database())

    # --yes: nothing but the archive itself stands between the backup and the target.
    refused = restore(path, source_database(), media, "--yes")

    assert refused.returncode == 1, refused.stdout
    assert "Traceback" not in refused.stderr
    assert message in refused.stderr and REFUSED in refused.stderr
    assert digests_of(source_database()) == before
    assert contents(media) == {"keep.txt": b"live"}
    assert [p.name for p in media.parent.iterdir() if p.name.startswith(".restore-")] == []


def run_backup(database: str, *args: str):
    """`manage.py backup` as an operator runs it."""
    environment = {
        **os.environ,
        "DATABASE_URL": url_for(database),
        "BACKUP_HMAC_KEY": settings.BACKUP_HMAC_KEY,
        "BACKUP_AGE_RECIPIENT": "",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "backup", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.django_db
def test_backup_of_a_database_that_does_not_exist_says_so(tmp_path):
    output = tmp_path / "backups"

    refused = run_backup("sxsh_khong_ton_tai", "--output", str(output))

    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    assert "Không kết nối được cơ sở dữ liệu «sxsh_khong_ton_tai» để sao lưu" in refused.stderr
    assert "DATABASE_URL" in refused.stderr
    assert list(output.iterdir()) == []


@pytest.mark.django_db
@pytest.mark.parametrize("under", [True, False], ids=["under-a-file", "a-file"])
def test_backup_into_a_folder_that_cannot_be_made_says_so(under, tmp_path):
    blocker = tmp_path / "khong-phai-thu-muc.txt"
    blocker.write_text("x")
    output = blocker / "backups" if under else blocker

    refused = run_backup(source_database(), "--output", str(output))

    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    assert f"Không tạo được thư mục sao lưu {output}" in refused.stderr
    assert blocker.read_text() == "x"


# --- links that leave the media folder, and archive members that leave media/ --------------------

SKIPPED = "Bỏ qua liên kết"


def backup_with_output(tmp_path):
    """`backup` in this process; (the backup folder, what it printed)."""
    output = io.StringIO()
    call_command("backup", output=str(tmp_path / "backups"), stdout=output)
    (path,) = (tmp_path / "backups").iterdir()
    return path, output.getvalue()


def packed_contents(path) -> dict[str, bytes]:
    """{path under media/: bytes} of the regular files in the backup's media archive."""
    with tarfile.open(path / "media.tar.gz", "r:gz") as archive:
        return {
            m.name.removeprefix("media/"): archive.extractfile(m).read()
            for m in archive.getmembers()
            if m.isfile()
        }


@drill
def test_a_file_link_leaving_the_media_folder_is_left_out_and_reported(tmp_path, settings):
    secret = tmp_path / "secret"
    write_files(secret, {"env": b"SECRET_KEY=bi-mat"})
    root = tmp_path / "media"
    write_files(root, {"a.txt": b"tep a", "reports/2024.pdf": b"%PDF bao cao"})
    volume = tmp_path / "nas" / "reports-volume"
    write_files(volume, {"cu.docx": b"docx"})
    (root / "reports" / "innocent.pdf").symlink_to(secret / "env")  # leaves MEDIA_ROOT
    (root / "ban-sao.txt").symlink_to(root / "a.txt")  # stays inside: packed
    (root / "kho").symlink_to(volume, target_is_directory=True)  # shared storage: followed
    (volume / "moi.docx").symlink_to(volume / "cu.docx")  # inside the linked folder: packed
    (volume / "lot.txt").symlink_to(secret / "env")  # leaves the linked folder
    settings.MEDIA_ROOT = str(root)

    path, printed = backup_with_output(tmp_path)

    packed = packed_contents(path)
    assert packed == {
        "a.txt": b"tep a",
        "ban-sao.txt": b"tep a",
        "reports/2024.pdf": b"%PDF bao cao",
        "kho/cu.docx": b"docx",
        "kho/moi.docx": b"docx",
    }
    manifest = json.loads((path / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["media"]["files"] == 5
    skipped = {s["path"]: s["target"] for s in manifest["media"]["skipped_links"]}
    assert skipped == {
        "media/kho/lot.txt": str(secret / "env"),
        "media/reports/innocent.pdf": str(secret / "env"),
    }
    assert f"{SKIPPED} media/reports/innocent.pdf → {secret / 'env'}" in printed
    assert f"{SKIPPED} media/kho/lot.txt → {secret / 'env'}" in printed


@drill
@pytest.mark.parametrize("target", ["ancestor", "root"])
def test_a_folder_link_to_the_folder_above_or_to_root_is_not_followed(target, tmp_path, settings):
    site = tmp_path / "site"
    write_files(site, {"media/a.txt": b"a", "khac.txt": b"ngoai media"})
    root = site / "media"
    linked = site if target == "ancestor" else tmp_path.root
    (root / "len").symlink_to(linked, target_is_directory=True)
    settings.MEDIA_ROOT = str(root)

    path, printed = backup_with_output(tmp_path)

    assert packed_contents(path) == {"a.txt": b"a"}
    manifest = json.loads((path / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["media"]["skipped_links"] == [
        {"path": "media/len", "target": str(linked), "reason": "loop"}
    ]
    assert f"{SKIPPED} media/len → {linked}" in printed


def crafted_archive(member: str) -> bytes:
    """A media archive holding media/a.txt and `member`."""
    stream = io.BytesIO()
    with tarfile.open(fileobj=stream, mode="w:gz") as archive:
        for name, data in (("media/a.txt", b"a"), (member, b"ngoai")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return stream.getvalue()


@drill
@pytest.mark.parametrize(
    "member",
    ["/etc/sxsh-cron", "/media/b.txt", "other/x.txt", "media/../x.txt", "media2/x.txt"],
    ids=["absolute", "absolute-media", "other-folder", "dot-dot", "media-prefix"],
)
def test_a_signed_archive_with_a_member_outside_media_is_refused(member, tmp_path, settings):
    root = tmp_path / "source-media"
    write_files(root, {"a.txt": b"a"})
    settings.MEDIA_ROOT = str(root)
    path = make_backup(tmp_path)
    (path / "media.tar.gz").write_bytes(crafted_archive(member))
    resign_files(path)
    media = tmp_path / "live-media"
    media.mkdir()
    (media / "keep.txt").write_text("live")
    before = digests_of(source_database())

    refused = restore(path, source_database(), media, "--yes")

    assert refused.returncode == 1, refused.stdout
    assert "Traceback" not in refused.stderr
    assert f"Tệp media.tar.gz chứa mục «{member}» nằm ngoài thư mục media/" in refused.stderr
    assert REFUSED in refused.stderr
    assert digests_of(source_database()) == before
    assert contents(media) == {"keep.txt": b"live"}
    assert [p.name for p in media.parent.iterdir() if p.name.startswith(".restore-")] == []
