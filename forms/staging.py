"""Keeps valid uploads across a failed submission, so the citizen never uploads a file twice.

A file that passed its checks while another field had an error is written to private storage under
``staging/`` and the form carries a signed token naming it. Tokens cannot be forged to reach another
person's file, and expire; a periodic task deletes what was never submitted.
"""

import uuid
from dataclasses import asdict
from datetime import timedelta

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from workflow.request.submission import SanitisedFile

MAX_AGE = timedelta(hours=24)
_SALT = "cctv.forms.staging"
_FOLDER = "staging"


def _storage():
    return storages["private"]


def stage(files: list[SanitisedFile]) -> str:
    entries = []
    for item in files:
        name = _storage().save(f"{_FOLDER}/{uuid.uuid4().hex}{item.extension}", ContentFile(item.content))
        meta = asdict(item)
        del meta["content"]
        entries.append({"name": name, **meta})
    return signing.dumps(entries, salt=_SALT, compress=True)


def load(token: str) -> list[SanitisedFile]:
    """The files a token names, or an empty list when it is invalid, expired or its files are gone."""
    if not token:
        return []
    try:
        entries = signing.loads(token, salt=_SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return []
    files = []
    for entry in entries:
        name = entry.pop("name")
        if not name.startswith(f"{_FOLDER}/") or not _storage().exists(name):
            return []
        with _storage().open(name, "rb") as handle:
            files.append(SanitisedFile(content=handle.read(), **entry))
    return files


def discard(token: str) -> None:
    try:
        entries = signing.loads(token, salt=_SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return
    for entry in entries:
        if entry["name"].startswith(f"{_FOLDER}/"):
            _storage().delete(entry["name"])


def purge_older_than(age: timedelta = MAX_AGE) -> int:
    """Deletes staged files older than ``age``; returns how many."""
    storage = _storage()
    try:
        _dirs, names = storage.listdir(_FOLDER)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - age
    removed = 0
    for name in names:
        path = f"{_FOLDER}/{name}"
        if storage.get_modified_time(path) < cutoff:
            storage.delete(path)
            removed += 1
    return removed
