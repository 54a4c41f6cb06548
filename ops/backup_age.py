"""age encryption of the backup files (BACKUP_AGE_RECIPIENT to encrypt, BACKUP_AGE_IDENTITY_FILE
to decrypt), streamed: no plaintext copy of an encrypted backup is written."""

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pyrage
from django.conf import settings
from pyrage import x25519

from .backup_format import BackupError


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


def encrypt_stream(reader, target: Path, recipients: list) -> None:
    with target.open("wb") as writer:
        pyrage.encrypt_io(reader, writer, recipients)


def encrypt_produced(produce: Callable, target: Path, recipients: list) -> None:
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
            encrypt_stream(reader, target, recipients)
    finally:
        thread.join()
    if failures:
        raise failures[0]


def decrypt_file(source: Path, target: Path, identities: list) -> None:
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
