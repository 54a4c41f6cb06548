"""The backup folder: what a backup of the portal (the PostgreSQL database and the
uploaded/generated media files) holds, and the signature of its manifest.

A backup is a folder `sxsh-backup-<UTC timestamp>/` (mode 0700, it holds personal and business
data) with four files:

- `database.dump`: `pg_dump --format=custom` of the configured database, without the rows of the
  tables that hold live credentials (`EXCLUDED_DATA`: sessions, login throttling, API tokens);
  their schema is kept, so they come back empty;
- `media.tar.gz`: the contents of `MEDIA_ROOT`;
- with `BACKUP_AGE_RECIPIENT` set, both are encrypted to those age public keys instead
  (`database.dump.age`, `media.tar.gz.age`, streamed: no plaintext copy is written);
- `manifest.json`: when, from which database and code, the row count of every table (counted in
  the same snapshot that pg_dump dumps; 0 for the excluded ones) and the migrations applied in
  that snapshot, the encryption, and the
  SHA-256 of the files above as written;
- `manifest.json.hmac`: HMAC-SHA256 of manifest.json's bytes under `BACKUP_HMAC_KEY`.

Here: the names of those files, the error every backup and restore step raises, the checksum and
the manifest's signature. The dump and the manifest are written by ops/backup_dump.py, the files
encrypted by ops/backup_age.py, and read back by ops/backup_restore.py.
"""

import hashlib
import hmac
import tomllib
from pathlib import Path

from django.conf import settings

FORMAT = 2  # 2: signed manifest, credentials excluded, optional age encryption
DB_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"
MANIFEST_FILE = "manifest.json"
SIGNATURE_FILE = "manifest.json.hmac"
AGE_SUFFIX = ".age"
HMAC_KEY_MIN_LENGTH = 32
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (vi / en)."""


def file_names(encrypted: bool) -> tuple[str, str]:
    """(database file, media file) of a backup."""
    suffix = AGE_SUFFIX if encrypted else ""
    return DB_FILE + suffix, MEDIA_FILE + suffix


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


# --- the manifest's signature --------------------------------------------------------------------


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
