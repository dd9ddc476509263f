"""The applicant's side of LINE (issue #16): "รับแจ้งผลทาง LINE" on the confirmation and status pages.

The button posts here and gets a page, never cached, with a new one-time link code and a link (and its QR code for
a second phone or a computer) that opens the organisation's Official Account in LINE with the code typed in: the
citizen only presses send, and the webhook (forms/line_webhook.py) links them. A code is valid 24 hours, once.
"""

import base64
from urllib.parse import quote

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cctv.caching.routes import site_for_request
from cctv.qr import qr_svg
from workflow.line import links
from workflow.line.channel import line_channel
from workflow.line.models import LineLinkCode

# Codes one request may be given in a day: enough for every phone of a family, not a way to fill the table.
MOST_CODES_A_DAY = 10


def line_offer(request, footage_request) -> dict:
    """The status and confirmation pages' LINE section: {} when the organisation has no LINE channel."""
    channel = line_channel(site_for_request(request))
    if channel is None:
        return {}
    return {"line": {"linked": links.is_linked(footage_request), "basic_id": channel.basic_id}}


def oa_message_url(basic_id: str, text: str) -> str:
    """LINE's link that opens a chat with the Official Account with ``text`` typed in (LINE's "oaMessage")."""
    return f"https://line.me/R/oaMessage/{quote(basic_id, safe='@')}/?{quote(text, safe='')}"


@never_cache
@require_POST
def status_line(request, token):
    from forms.status_views import by_token

    footage_request = by_token(request, token)
    channel = line_channel(site_for_request(request))
    if channel is None:
        return redirect("cctv_forms:status", token=token)
    day_ago = timezone.now() - links.CODE_VALID_FOR
    if LineLinkCode.objects.filter(request=footage_request, created_at__gt=day_ago).count() >= MOST_CODES_A_DAY:
        messages.error(
            request, _("This request was given many LINE codes today. Please use one of them, or try tomorrow.")
        )
        return redirect("cctv_forms:status", token=token)
    code = links.issue_code(footage_request)
    url = oa_message_url(channel.basic_id, code)
    response = TemplateResponse(
        request,
        "forms/status_line.html",
        {
            "footage_request": footage_request,
            "code": code,
            "line_url": url,
            "basic_id": channel.basic_id,
            "qr": base64.b64encode(qr_svg(url)).decode(),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def status_line_unlink(request, token):
    from forms.status_views import by_token

    footage_request = by_token(request, token)
    links.unlink_request(footage_request)
    messages.success(request, _("You will no longer be told about this request on LINE; you will be told by SMS."))
    return redirect("cctv_forms:status", token=token)
