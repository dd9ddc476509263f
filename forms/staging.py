"""Keeps valid uploads across a failed submission, so the citizen never uploads a file twice.

A file that passed its checks while another field had an error is written to private storage under
``staging/`` and the form carries a signed token naming it. Tokens cannot be forged to reach another
person's file, and expire; a periodic task deletes what was never submitted.

Staging has a quota per client address and in total (CCTV_STAGING_MAX_BYTES_PER_CLIENT,
CCTV_STAGING_MAX_BYTES_TOTAL): beyond it, or when the disk refuses the write, nothing is kept and the form
tells the citizen to choose the file again. Each name starts with a keyed hash of the client's address (never
the address itself), so that what one client has staged can be summed from one folder listing.
"""

import logging
import uuid
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone
from django.utils.crypto import salted_hmac

from workflow.request.submission import SanitisedFile

logger = logging.getLogger(__name__)

MAX_AGE = timedelta(hours=24)
_SALT = "cctv.forms.staging"
_FOLDER = "staging"


class NotKept(Exception):
    """The files could not be staged: over a quota, or the storage refused the write. Nothing of them is left."""


@dataclass(frozen=True)
class StagedFile:
    """What the form shows of a kept file before it is read again (only once the submission is checked)."""

    original_name: str
    size: int


def _storage():
    return storages["private"]


def _client_key(client: str | None) -> str:
    return salted_hmac(_SALT, client or "unknown", algorithm="sha256").hexdigest()[:16]


def _usage(client_key: str) -> tuple[int, int]:
    """Bytes staged by this client and by everyone."""
    storage = _storage()
    try:
        _dirs, names = storage.listdir(_FOLDER)
    except FileNotFoundError:
        return 0, 0
    mine = total = 0
    for name in names:
        try:
            size = storage.size(f"{_FOLDER}/{name}")
        except FileNotFoundError:  # purged or discarded meanwhile
            continue
        total += size
        if name.startswith(f"{client_key}-"):
            mine += size
    return mine, total


def stage(files: list[SanitisedFile], *, client: str | None = None) -> str:
    """Writes the files and returns their token; raises NotKept, leaving nothing behind, when a quota would be
    passed or the storage fails. ``client`` is the address of the client (cctv.http.client_ip)."""
    key = _client_key(client)
    incoming = sum(item.size for item in files)
    mine, total = _usage(key)
    if mine + incoming > settings.CCTV_STAGING_MAX_BYTES_PER_CLIENT:
        logger.warning("Staging quota of a client reached: %d bytes staged, %d more refused", mine, incoming)
        raise NotKept("client quota")
    if total + incoming > settings.CCTV_STAGING_MAX_BYTES_TOTAL:
        logger.warning("Staging quota reached: %d bytes staged, %d more refused", total, incoming)
        raise NotKept("total quota")
    storage = _storage()
    entries = []
    try:
        for item in files:
            name = f"{_FOLDER}/{key}-{uuid.uuid4().hex}{item.extension}"
            # Recorded before the write: a write that fails midway leaves part of the file under this name.
            entries.append({"name": name})
            saved = storage.save(name, ContentFile(item.content))
            meta = asdict(item)
            del meta["content"]
            entries[-1] = {"name": saved, **meta}
    except OSError as error:
        logger.error("Staging a file failed: %s", error)
        for entry in entries:
            _delete_quietly(entry["name"])
        raise NotKept("storage") from error
    return signing.dumps(entries, salt=_SALT, compress=True)


def _delete_quietly(name: str) -> None:
    try:
        _storage().delete(name)
    except OSError as error:
        logger.error("Could not remove %s: %s", name, error)


def _entries(token: str) -> list[dict] | None:
    if not token:
        return None
    try:
        entries = signing.loads(token, salt=_SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not all(entry["name"].startswith(f"{_FOLDER}/") for entry in entries):
        return None
    return entries


def describe(token: str) -> list[StagedFile]:
    """The files a token names, without reading them; empty when it is invalid, expired or its files are gone."""
    entries = _entries(token)
    if not entries or not all(_storage().exists(entry["name"]) for entry in entries):
        return []
    return [StagedFile(original_name=entry.get("original_name", ""), size=entry["size"]) for entry in entries]


def load(token: str) -> list[SanitisedFile]:
    """The files a token names, or an empty list when it is invalid, expired or its files are gone."""
    entries = _entries(token)
    if not entries:
        return []
    files = []
    for entry in entries:
        name = entry.pop("name")
        if not _storage().exists(name):
            return []
        with _storage().open(name, "rb") as handle:
            files.append(SanitisedFile(content=handle.read(), **entry))
    return files


def discard(token: str) -> None:
    for entry in _entries(token) or ():
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
