"""The address that absolute links to the site start with: in SMS, e-mail, receipts and their QR codes.

Built from the HTTP request that makes the link, when there is one (its host passed ALLOWED_HOSTS, and its scheme
the proxy's header in production); otherwise, as for messages sent by the worker, from the setting
(CCTV_PUBLIC_BASE_URL, WAGTAILADMIN_BASE_URL for links into the admin) or, where that is empty, from the default
Wagtail site (Settings → Sites: host name and port), never from a port nobody configured.
"""

import logging

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger(__name__)

_FALLBACK = "http://localhost"


def _default_site_root() -> str:
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).only("hostname", "port").first()
    if site is None:
        logger.warning("No base URL is set and there is no default Wagtail site: links use %s", _FALLBACK)
        return _FALLBACK
    return site.root_url


def _base(configured: str, request: HttpRequest | None) -> str:
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    if configured:
        return configured.rstrip("/")
    return _default_site_root().rstrip("/")


def public_url(path: str, *, request: HttpRequest | None = None) -> str:
    """``path`` (from reverse()) on the public site, as citizens reach it."""
    return _base(settings.CCTV_PUBLIC_BASE_URL, request) + path


def admin_url(path: str, *, request: HttpRequest | None = None) -> str:
    """``path`` in the admin, for staff."""
    return _base(settings.WAGTAILADMIN_BASE_URL, request) + path
