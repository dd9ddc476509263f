"""LINE's webhook, ``/line/webhook/`` on each organisation's host (issue #16).

LINE posts the events of the organisation's Official Account here, signed with its channel secret. A post whose
``X-Line-Signature`` is missing or wrong gets 400 and changes nothing. Each event acts once: LINE redelivers an
event it thinks was lost, and its ``webhookEventId`` is recorded (LineEvent) in the transaction that acts on it.

What a citizen can do by writing to the account: send the link code shown on their status page (links this LINE
user to that request, and later ones linked the same way), "สถานะ" (the status of each linked request, with its
link), "เลิกติดตาม" (unlink them all); blocking the account (unfollow) unlinks too. Tapping a score under the
message that tells them their request has ended rates the service (a postback, for a linked request only).
Answers are LINE replies, sent after the transaction commits; a lost reply loses nothing stored.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotFound
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.webhooks import FollowEvent, MessageEvent, PostbackEvent, TextMessageContent, UnfollowEvent

from cctv.caching.routes import site_for_request
from cctv.home.selectors import service_settings
from cctv.links import public_url
from cctv.organisations.models import Organisation
from workflow.line import links
from workflow.line.channel import line_channel
from workflow.line.models import LineEvent
from workflow.notifications.line import parse_rating, reply
from workflow.satisfaction.services import rate_service

logger = logging.getLogger(__name__)

STATUS_WORDS = ("สถานะ", "status")
UNLINK_WORDS = ("เลิกติดตาม", "unlink")
MOST_REQUESTS_LISTED = 5


def _help() -> str:
    return _(
        "Send the link code from your request's status page to be told about it here. Send “สถานะ” for the "
        "status of your requests, or “เลิกติดตาม” to stop."
    )


def _linked(result: links.LinkResult) -> str:
    if result.outcome in ("linked", "already"):
        return _(
            "This LINE account will be told about request %(reference)s. Send “สถานะ” for its status, or "
            "“เลิกติดตาม” to stop."
        ) % {"reference": result.request.reference}
    if result.outcome == "used":
        return _("This code has been used already. Your request's status page gives a new one.")
    if result.outcome == "expired":
        return _("This code has expired: a code is valid 24 hours. Your request's status page gives a new one.")
    return _("This code is not one of ours. Check it on your request's status page.")


def _statuses(request, organisation: Organisation, user_id: str) -> str:
    found = list(links.requests_of_user(organisation_id=organisation.pk, line_user_id=user_id)[:MOST_REQUESTS_LISTED])
    if not found:
        return _("This LINE account is not linked to any request. %(help)s") % {"help": _help()}
    return "\n\n".join(
        f"{footage_request.reference}: {footage_request.get_public_status_display()}\n"
        + _status_link(request, footage_request)
        for footage_request in found
    )


def _status_link(request, footage_request) -> str:
    return public_url(reverse("cctv_forms:status", kwargs={"token": footage_request.token}), request=request)


def _rated(request, organisation: Organisation, user_id: str, data: str) -> str:
    """A score tapped under a message: the rating of a request this LINE user is linked to, once."""
    parsed = parse_rating(data)
    if parsed is None:
        return _help()
    request_pk, score = parsed
    footage_request = (
        links.requests_of_user(organisation_id=organisation.pk, line_user_id=user_id).filter(pk=request_pk).first()
    )
    if footage_request is None:
        return _("This LINE account is not linked to that request. %(help)s") % {"help": _help()}
    try:
        rating = rate_service(footage_request=footage_request, score=score)
    except ValidationError as error:
        return error.messages[0]
    text = _("Thank you for telling us how we did. To add a comment, open the status page: %(link)s") % {
        "link": _status_link(request, footage_request)
    }
    if rating.dissatisfied:
        service = service_settings(organisation.site)
        contact = ", ".join(part for part in (service.contact_unit, service.contact_phone) if part)
        text += "\n\n" + _(
            "We are sorry the service did not meet your needs. If you would like the office to look into what "
            "went wrong, please contact it: %(contact)s"
        ) % {"contact": contact or service.organisation_name}
    return text


def _act(request, organisation: Organisation, event) -> str | None:
    """What the event does; the reply's text, None for none."""
    user_id = getattr(event.source, "user_id", None)
    if not user_id:
        return None  # a group or a room: the account takes no part in them
    if isinstance(event, UnfollowEvent):
        links.unlink_user(organisation_id=organisation.pk, line_user_id=user_id)
        return None  # a blocked account cannot be replied to
    if isinstance(event, FollowEvent):
        return _("Thank you for adding %(organisation)s. %(help)s") % {
            "organisation": organisation.name_th,
            "help": _help(),
        }
    if isinstance(event, PostbackEvent):
        return _rated(request, organisation, user_id, event.postback.data)
    if not (isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent)):
        return _help()
    text = event.message.text.strip()
    if text.lower() in UNLINK_WORDS:
        if links.unlink_user(organisation_id=organisation.pk, line_user_id=user_id):
            return _("You will no longer be told about your requests on LINE; you will be told by SMS.")
        return _("This LINE account is not linked to any request.")
    if text.lower() in STATUS_WORDS:
        return _statuses(request, organisation, user_id)
    if code := links.find_code(text):
        return _linked(links.link_with_code(organisation_id=organisation.pk, line_user_id=user_id, code=code))
    return _help()


@csrf_exempt
@require_POST
def line_webhook(request):
    site = site_for_request(request)
    organisation = Organisation.objects.filter(site=site).first() if site is not None else None
    channel = line_channel(site) if organisation is not None else None
    if channel is None:
        return HttpResponseNotFound()
    signature = request.headers.get("X-Line-Signature", "")
    try:
        events = WebhookParser(channel.channel_secret).parse(request.body.decode("utf-8"), signature)
    except (InvalidSignatureError, UnicodeDecodeError, ValueError):
        return HttpResponseBadRequest()
    replies = []
    with translation.override("th"):
        for event in events:
            try:
                with transaction.atomic():
                    LineEvent.objects.create(organisation=organisation, webhook_event_id=event.webhook_event_id)
                    text = _act(request, organisation, event)
            except IntegrityError:
                continue  # delivered before: it acted then
            reply_token = getattr(event, "reply_token", None)
            if text and reply_token:
                replies.append((reply_token, text))
    for reply_token, text in replies:
        reply(access_token=channel.access_token, reply_token=reply_token, texts=[text])
    return HttpResponse(status=200)
