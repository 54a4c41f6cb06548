"""How the portal stores secrets it must recognise later but never show again (ASVS 5.0 V6/V11).

- API tokens carry 256 random bits: a plain SHA-256 is enough to store them (ASVS 6.5.2 allows a
  standard hash from 112 bits of entropy), and it can be looked up with a unique index.
- Backup codes carry only 40 bits (8 base32 characters people can type): they are stored as
  PBKDF2-SHA256 with a random salt of their device and a work factor, so a copy of the database
  does not give them away. One salt per device keeps the check to one hash per attempt.

Pure functions with no model import, so the data migration can use them too.
"""

import hashlib
import secrets
from base64 import b32encode

BACKUP_CODE_ITERATIONS = 100_000


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_salt() -> str:
    return secrets.token_hex(16)


def new_backup_code() -> str:
    """8 lower-case base32 characters (40 random bits), as django-otp's static tokens."""
    return b32encode(secrets.token_bytes(5)).decode().lower()


def normalise_backup_code(code: str) -> str:
    return "".join(str(code).split()).replace("-", "").lower()


def backup_code_hash(code: str, salt: str, iterations: int) -> str:
    digest = hashlib.pbkdf2_hmac(
        "sha256", normalise_backup_code(code).encode(), salt.encode(), iterations
    )
    return digest.hex()
