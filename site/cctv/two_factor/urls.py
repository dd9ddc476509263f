"""Included under /admin/ before Wagtail's own URLs (cctv/urls.py): the password reset here replaces Wagtail's
view at the same address, whose other steps (done, confirm, complete) stay Wagtail's."""

from django.urls import path

from cctv.two_factor import views
from cctv.two_factor.password_reset import ThrottledPasswordResetView

urlpatterns = [
    path("2fa/", views.two_factor, name="cctv_two_factor"),
    path("2fa/enrol/", views.enrol, name="cctv_two_factor_enrol"),
    path("password_reset/", ThrottledPasswordResetView.as_view(), name="cctv_password_reset"),
]
