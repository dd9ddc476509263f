"""Encryption at rest of single fields (national ID numbers, notification credentials), one set of keys.

AES-256-GCM with keys from the environment. The stored text is ``v2:<key id>:<base64(nonce || ciphertext)>``:
the key id (the first 8 hex digits of the key's SHA-256) lets ``rotate_field_key`` find what an old key
sealed while ``CCTV_FIELD_ENCRYPTION_OLD_KEYS`` still lists it. ``purpose`` is bound into each ciphertext as
associated data: a value sealed for one purpose (or one organisation's row) does not open as another's.
Imports no app of ours, so any layer may use it.
"""

import base64
import hashlib
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = "v2"


def _decode(value: str, name: str) -> bytes:
    try:
        key = base64.b64decode(value, validate=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be base64") from exc
    if len(key) != 32:
        raise ImproperlyConfigured(f"{name} must decode to 32 bytes")
    return key


def key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


def current_key() -> bytes:
    return _decode(settings.FIELD_ENCRYPTION_KEY, "CCTV_FIELD_ENCRYPTION_KEY")


def _keys() -> dict[str, bytes]:
    keys = [current_key()] + [
        _decode(old, "CCTV_FIELD_ENCRYPTION_OLD_KEYS") for old in getattr(settings, "FIELD_ENCRYPTION_OLD_KEYS", [])
    ]
    return {key_id(key): key for key in keys}


def seal(plain: str, *, purpose: bytes) -> str:
    key = current_key()
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plain.encode(), purpose)
    return f"{VERSION}:{key_id(key)}:{base64.b64encode(nonce + sealed).decode()}"


def sealed_with_current_key(stored: str) -> bool:
    return stored.startswith(f"{VERSION}:{key_id(current_key())}:")


def unseal(stored: str, *, purpose: bytes) -> str:
    version, kid, payload = [*stored.split(":", 2), "", ""][:3]
    if version != VERSION:
        raise ValueError("unknown ciphertext version")
    key = _keys().get(kid)
    if key is None:
        raise ImproperlyConfigured(f"no key with id {kid}: add the old key to CCTV_FIELD_ENCRYPTION_OLD_KEYS")
    raw = base64.b64decode(payload)
    return AESGCM(key).decrypt(raw[:12], raw[12:], purpose).decode()
