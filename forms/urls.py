from django.urls import path, register_converter
from django.urls.converters import StringConverter

from forms import altcha
from forms.line_views import status_line, status_line_unlink
from forms.line_webhook import line_webhook
from forms.status_views import (
    copy_download,
    status,
    status_appointment,
    status_cancel,
    status_handover_receipt,
    status_lookup,
    status_qr,
    status_rating,
    status_receipt,
)
from forms.step_views import check_step
from forms.verify_views import verify
from forms.views import submitted


class AccessTokenConverter(StringConverter):
    """A status link's or a download link's key, as ``secrets.token_urlsafe(24)`` makes it (new_token,
    new_download_token). Anything else, control characters and over-long values among them, never reaches
    a view or the database: the path does not match, and the answer is 404."""

    regex = "[A-Za-z0-9_-]{32}"


class ReceiptCodeConverter(StringConverter):
    """A receipt's verification code, as ``secrets.token_hex(15)`` makes it (new_receipt_code)."""

    regex = "[0-9a-f]{30}"


register_converter(AccessTokenConverter, "access_token")
register_converter(ReceiptCodeConverter, "receipt_code")

app_name = "cctv_forms"

urlpatterns = [
    path("altcha/challenge/", altcha.challenge_view, name="altcha_challenge"),
    path("request/submitted/", submitted, name="submitted"),
    path("request/<int:page_id>/check-step/", check_step, name="check_step"),
    path("status/", status_lookup, name="status_lookup"),
    path("status/<access_token:token>/", status, name="status"),
    path("status/<access_token:token>/cancel/", status_cancel, name="status_cancel"),
    path("status/<access_token:token>/rating/", status_rating, name="status_rating"),
    path("status/<access_token:token>/line/", status_line, name="status_line"),
    path("status/<access_token:token>/line/unlink/", status_line_unlink, name="status_line_unlink"),
    path("status/<access_token:token>/qr.svg", status_qr, name="status_qr"),
    path("status/<access_token:token>/appointment/", status_appointment, name="status_appointment"),
    path("status/<access_token:token>/receipt.pdf", status_receipt, name="status_receipt"),
    path(
        "status/<access_token:token>/receipts/<receipt_code:code>.pdf",
        status_handover_receipt,
        name="status_handover_receipt",
    ),
    path("verify/<receipt_code:code>/", verify, name="verify"),
    path("copies/<access_token:token>/", copy_download, name="copy_download"),
    path("line/webhook/", line_webhook, name="line_webhook"),
]
