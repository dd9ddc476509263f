from django.urls import path

from forms import altcha
from forms.status_views import (
    copy_download,
    status,
    status_appointment,
    status_cancel,
    status_lookup,
    status_qr,
    status_receipt,
)
from forms.verify_views import verify
from forms.views import submitted

app_name = "cctv_forms"

urlpatterns = [
    path("altcha/challenge/", altcha.challenge_view, name="altcha_challenge"),
    path("request/submitted/", submitted, name="submitted"),
    path("status/", status_lookup, name="status_lookup"),
    path("status/<str:token>/", status, name="status"),
    path("status/<str:token>/cancel/", status_cancel, name="status_cancel"),
    path("status/<str:token>/qr.svg", status_qr, name="status_qr"),
    path("status/<str:token>/appointment/", status_appointment, name="status_appointment"),
    path("status/<str:token>/receipt.pdf", status_receipt, name="status_receipt"),
    path("verify/<str:code>/", verify, name="verify"),
    path("copies/<str:token>/", copy_download, name="copy_download"),
]
