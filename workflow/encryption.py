"""Encryption at rest for national ID numbers.

AES-256-GCM with a key from the environment; the stored text is ``v1:<base64(nonce || ciphertext)>``
so that a key rotation can tell old from new. A keyed HMAC-SHA256 digest lets the status lookup find a
request by ID number without the number being stored in clear.
"""

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = "v1"
_AAD = b"cctv.national_id"


def _key() -> bytes:
    try:
        key = base64.b64decode(settings.FIELD_ENCRYPTION_KEY, validate=True)
    except ValueError as exc:
        raise ImproperlyConfigured("CCTV_FIELD_ENCRYPTION_KEY must be base64") from exc
    if len(key) != 32:
        raise ImproperlyConfigured("CCTV_FIELD_ENCRYPTION_KEY must decode to 32 bytes")
    return key


def encrypt_text(plain: str) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(_key()).encrypt(nonce, plain.encode(), _AAD)
    return f"{VERSION}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt_text(stored: str) -> str:
    version, _sep, payload = stored.partition(":")
    if version != VERSION:
        raise ValueError("unknown ciphertext version")
    raw = base64.b64decode(payload)
    return AESGCM(_key()).decrypt(raw[:12], raw[12:], _AAD).decode()


def lookup_digest(value: str) -> str:
    return hmac.new(settings.LOOKUP_HASH_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
