"""Linking a LINE user to a request with a one-time code, and unlinking (issue #16).

The applicant's page issues a code (``issue_code``); LINE opens the organisation's Official Account with the code
typed in; when the citizen sends it, the webhook calls ``link_with_code`` with the sender's LINE user id. A code
is valid 24 hours and once; only its keyed digest is stored. The LINE user id is sealed with the installation's
field key and found again by a keyed digest, like the national ID number.
"""

import re
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cctv.caching.pages import forget_pages
from cctv.field_encryption import seal
from workflow.constants import Channel
from workflow.line.models import LineEvent, LineLink, LineLinkCode
from workflow.notifications.line import LINE_USER_PURPOSE, linked_user_ids
from workflow.request.encryption import lookup_digest
from workflow.request.models import FootageRequest

CODE_VALID_FOR = timezone.timedelta(hours=24)
# No 0/O, 1/I/L: read off a screen and typed without confusion.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
CODE_RE = re.compile(rf"\b([{ALPHABET}]{{4}})-?([{ALPHABET}]{{4}})\b", re.IGNORECASE)


def _code_digest(code: str) -> str:
    return lookup_digest("line-code:" + code)


def user_digest(line_user_id: str) -> str:
    return lookup_digest("line-user:" + line_user_id)


def seal_user(line_user_id: str) -> str:
    return seal(line_user_id, purpose=LINE_USER_PURPOSE)


def issue_code(footage_request: FootageRequest) -> str:
    """A new code for this request, as shown to the applicant ("ABCD-EFGH"); earlier unused codes stay valid."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    now = timezone.now()
    LineLinkCode.objects.create(
        organisation_id=footage_request.organisation_id,
        request=footage_request,
        code_digest=_code_digest(code),
        created_at=now,
        expires_at=now + CODE_VALID_FOR,
    )
    return f"{code[:4]}-{code[4:]}"


def find_code(text: str) -> str | None:
    """The code in a message the citizen sent, normalised ("abcd efgh" is not one; "abcd-efgh" is)."""
    match = CODE_RE.search(text or "")
    return (match.group(1) + match.group(2)).upper() if match else None


@dataclass(frozen=True)
class LinkResult:
    request: FootageRequest | None
    # "linked", "already" (this user was linked before), "unknown", "used", "expired"
    outcome: str


def link_with_code(*, organisation_id: int, line_user_id: str, code: str) -> LinkResult:
    """Links the sender to the code's request, if the code is this organisation's, unused and not expired."""
    with transaction.atomic():
        row = (
            LineLinkCode.objects.select_for_update()
            .select_related("request")
            .filter(organisation_id=organisation_id, code_digest=_code_digest(code.replace("-", "").upper()))
            .first()
        )
        if row is None:
            return LinkResult(None, "unknown")
        if row.used_at is not None:
            return LinkResult(None, "used")
        now = timezone.now()
        if row.expires_at <= now:
            return LinkResult(None, "expired")
        row.used_at = now
        row.save(update_fields=["used_at"])
        digest = user_digest(line_user_id)
        _link, created = LineLink.objects.get_or_create(
            request=row.request,
            line_user_digest=digest,
            defaults={"organisation_id": organisation_id, "line_user_sealed": seal_user(line_user_id)},
        )
        # Sending the code is the applicant's choice to be told on LINE rather than by SMS (outbox.py).
        FootageRequest.objects.filter(pk=row.request_id).update(notify_by=Channel.LINE)
        _forget_status_page(row.request)
        return LinkResult(row.request, "linked" if created else "already")


def unlink_request(footage_request: FootageRequest) -> int:
    """Every LINE user linked to the request stops being told about it (the status page's button)."""
    with transaction.atomic():
        deleted, _per_model = LineLink.objects.filter(request=footage_request).delete()
        _back_to_sms(FootageRequest.objects.filter(pk=footage_request.pk))
        _forget_status_page(footage_request)
    return deleted


def _forget_status_page(footage_request: FootageRequest) -> None:
    """The cached status page says whether LINE is linked (forms/status_views.py names its owner so)."""
    owner = f"status:{footage_request.token}"
    forget_pages(owner)
    transaction.on_commit(lambda: forget_pages(owner))


def _back_to_sms(requests) -> None:
    """Requests told on LINE with nobody linked any more are told by SMS again."""
    requests.filter(notify_by=Channel.LINE).exclude(line_links__isnull=False).update(notify_by=Channel.SMS)


def unlink_user(*, organisation_id: int, line_user_id: str) -> int:
    """The LINE user stops being told about any of this organisation's requests ("เลิกติดตาม", or unfollow)."""
    with transaction.atomic():
        links = LineLink.objects.filter(organisation_id=organisation_id, line_user_digest=user_digest(line_user_id))
        request_ids = list(links.values_list("request_id", flat=True))
        deleted, _per_model = links.delete()
        for footage_request in FootageRequest.objects.filter(pk__in=request_ids).only("token"):
            _forget_status_page(footage_request)
        _back_to_sms(FootageRequest.objects.filter(pk__in=request_ids))
    return deleted


def requests_of_user(*, organisation_id: int, line_user_id: str):
    """The requests the LINE user is linked to, newest first (for "สถานะ")."""
    return FootageRequest.objects.filter(
        organisation_id=organisation_id, line_links__line_user_digest=user_digest(line_user_id)
    ).order_by("-submitted_at", "-pk")


def is_linked(footage_request: FootageRequest) -> bool:
    return LineLink.objects.filter(request=footage_request).exists()


def line_user_ids(footage_request: FootageRequest) -> list[str]:
    """The LINE user ids to push this request's news to (in clear, only for the call to LINE)."""
    return linked_user_ids(footage_request)


EVENTS_KEPT_FOR = timezone.timedelta(days=30)  # far longer than LINE redelivers an event
CODES_KEPT_FOR = timezone.timedelta(days=7)  # after they expired: "this code has expired" for a week, then "unknown"


def purge_leftovers(*, now=None) -> int:
    """Deletes the handled-event ids and the expired codes no longer needed (daily, with the request purge)."""
    now = now or timezone.now()
    events, _per_model = LineEvent.objects.filter(received_at__lt=now - EVENTS_KEPT_FOR).delete()
    codes, _per_model = LineLinkCode.objects.filter(expires_at__lt=now - CODES_KEPT_FOR).delete()
    return events + codes
