"""Absolute links follow the address the site is reached at: the request's host when a page makes the link, the
configured address (CCTV_PUBLIC_BASE_URL, or the default Wagtail site) otherwise; never an unconfigured port."""

import runpy
from pathlib import Path

import pytest
from django.test import RequestFactory
from wagtail.models import Site

from cctv.links import admin_url, public_url
from workflow.constants import Channel, NotificationEvent
from workflow.notifications.delivery import _context
from workflow.notifications.models import Notification

BASE_SETTINGS = Path(__file__).resolve().parents[2] / "site" / "cctv" / "settings" / "base.py"


def test_the_shipped_defaults_name_no_address(monkeypatch):
    """Without the variables, the settings leave the address to the Wagtail site (it used to be 127.0.0.1:8000)."""
    monkeypatch.delenv("CCTV_PUBLIC_BASE_URL", raising=False)
    monkeypatch.delenv("WAGTAILADMIN_BASE_URL", raising=False)
    values = runpy.run_path(str(BASE_SETTINGS))
    assert values["CCTV_PUBLIC_BASE_URL"] == ""
    assert values["WAGTAILADMIN_BASE_URL"] == ""


@pytest.mark.parametrize(
    ("host", "secure", "expected"),
    [
        ("localhost:8123", False, "http://localhost:8123/status/abc/"),
        ("127.0.0.1", True, "https://127.0.0.1/status/abc/"),
    ],
)
def test_a_page_makes_links_to_the_host_it_was_asked_at(settings, host, secure, expected):
    settings.CCTV_PUBLIC_BASE_URL = "https://cctv.example.go.th"
    request = RequestFactory().get("/", HTTP_HOST=host, secure=secure)
    assert public_url("/status/abc/", request=request) == expected


def test_without_a_request_the_setting_gives_the_address(settings, home_page):
    settings.CCTV_PUBLIC_BASE_URL = "https://cctv.example.go.th/"
    settings.WAGTAILADMIN_BASE_URL = "https://staff.example.go.th"
    assert public_url("/status/abc/") == "https://cctv.example.go.th/status/abc/"
    assert admin_url("/admin/") == "https://staff.example.go.th/admin/"


@pytest.mark.parametrize(
    ("port", "expected"),
    [(8080, "http://cctv.example.test:8080"), (443, "https://cctv.example.test"), (80, "http://cctv.example.test")],
)
def test_without_a_setting_the_default_wagtail_site_gives_the_address(settings, home_page, port, expected):
    settings.CCTV_PUBLIC_BASE_URL = ""
    settings.WAGTAILADMIN_BASE_URL = ""
    Site.objects.filter(is_default_site=True).update(hostname="cctv.example.test", port=port)
    assert public_url("/status/abc/") == f"{expected}/status/abc/"
    assert admin_url("/admin/") == f"{expected}/admin/"


def test_message_links_follow_the_wagtail_site_when_nothing_is_set(settings, chain):
    settings.CCTV_PUBLIC_BASE_URL = ""
    settings.WAGTAILADMIN_BASE_URL = ""
    Site.objects.filter(is_default_site=True).update(hostname="cctv.example.test", port=8443)
    footage_request = chain["new"]()
    to_applicant = Notification.objects.filter(
        request=footage_request, event=NotificationEvent.SUBMITTED, channel=Channel.SMS
    ).get()
    context = _context(to_applicant)
    assert context["status_url"] == f"http://cctv.example.test:8443/status/{footage_request.token}/"
    assert context["admin_url"] == (
        f"http://cctv.example.test:8443/admin/snippets/cctv_workflow/footagerequest/edit/{footage_request.pk}/"
    )
    assert "8000" not in context["status_url"]


def test_a_receipts_qr_points_to_the_host_the_receipt_was_asked_at(settings):
    """The PDF's QR and printed check address: the citizen's or the office's host, not a configured port."""
    from types import SimpleNamespace

    from workflow.handling.receipts import verify_url

    settings.CCTV_PUBLIC_BASE_URL = "https://cctv.example.go.th"
    receipt = SimpleNamespace(code="a" * 30)
    request = RequestFactory().get("/", HTTP_HOST="localhost:8123")
    assert verify_url(receipt, request=request) == f"http://localhost:8123/verify/{'a' * 30}/"
    assert verify_url(receipt) == f"https://cctv.example.go.th/verify/{'a' * 30}/"
