"""What the citizen's status page depends on, kept in the cache by the request's token.

The status page is the page citizens open most (from the QR code, again and again); with this and the
page cache (cctv/caching/pages.py) a warm view needs no database query. Every change of status goes through
workflow.request.status.set_status, which forgets the entry (now and again at commit, so a reader between the two
cannot keep the old state); saves, erasure and deletion forget it too. Entries also expire on their own.
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from wagtail.models import ModelLogEntry

from cctv.caching import cached

SECONDS = 5 * 60
FIELDS = ("public_status", "status_changed_at", "public_message", "latest_revision_id")


def _key(token: str) -> str:
    # No release in this key (cctv.caching.cache_key), unlike the others: entries are forgotten by deleting them,
    # and a process of the previous release must still reach the key of the new one during a deploy. The value
    # holds only built-in types, so a pickle of any release loads.
    return f"cctv:public-state:{token}"


def _load(token: str) -> dict | None:
    from workflow.request.models import FootageRequest

    row = FootageRequest.objects.filter(token=token).annotate(site_id=F("organisation__site_id")).only(*FIELDS).first()
    if row is None:
        return None
    state = {name: getattr(row, name) for name in FIELDS}
    # The organisation's site: its status page is served on that site's host only.
    state["site"] = row.site_id
    state["needs_answer"] = row.needs_applicant_answer
    # Every action on a request is in the audit log, so its latest entry changes whenever the page may.
    state["last_log"] = (
        ModelLogEntry.objects.filter(content_type_id=row.get_base_content_type().pk, object_id=str(row.pk))
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return state


def public_state(token: str) -> dict | None:
    """The request's public state, or None when no request has this token (not cached: nothing to keep)."""
    return cached(_key(token), SECONDS, lambda: _load(token))


def forget(*tokens: str) -> None:
    keys = [_key(token) for token in tokens if token]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
