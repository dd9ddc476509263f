from django.urls import path

from . import altcha, views

app_name = "cctv_forms"

urlpatterns = [
    path("altcha/challenge/", altcha.challenge_view, name="altcha_challenge"),
    path("request/submitted/", views.submitted, name="submitted"),
    path("status/", views.status_lookup, name="status_lookup"),
    path("status/<str:token>/", views.status, name="status"),
    path("status/<str:token>/cancel/", views.status_cancel, name="status_cancel"),
    path("status/<str:token>/qr.svg", views.status_qr, name="status_qr"),
    path("status/<str:token>/appointment/", views.status_appointment, name="status_appointment"),
    path("status/<str:token>/receipt.pdf", views.status_receipt, name="status_receipt"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("copies/<str:token>/", views.copy_download, name="copy_download"),
]
