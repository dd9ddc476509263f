"""Encryption at rest for national ID numbers, with the installation's field keys (cctv.field_encryption).

A keyed HMAC-SHA256 digest lets the status lookup find a request by ID number without the number being stored
in clear.
"""

import hashlib
import hmac

from django.conf import settings

from cctv.field_encryption import VERSION, current_key, key_id, seal, sealed_with_current_key, unseal

__all__ = [
    "VERSION",
    "current_key",
    "decrypt_text",
    "encrypt_text",
    "key_id",
    "lookup_digest",
    "sealed_with_current_key",
]

_AAD = b"cctv.national_id"


def encrypt_text(plain: str) -> str:
    return seal(plain, purpose=_AAD)


def decrypt_text(stored: str) -> str:
    return unseal(stored, purpose=_AAD)


def lookup_digest(value: str) -> str:
    return hmac.new(settings.LOOKUP_HASH_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
