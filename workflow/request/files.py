"""Where request files are stored: private storage (no URL), under random names."""

import uuid

from django.core.files.storage import storages
from django.utils import timezone


def private_storage():
    return storages["private"]


def random_name(folder: str, filename: str) -> str:
    # The original name may itself be personal data ("id-card-somchai.jpg"): never keep it in storage.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"
