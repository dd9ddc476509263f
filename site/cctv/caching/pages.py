"""Whole public pages from the cache, with a fresh CSRF token in each response.

The form page and the status page are the same for everyone who asks for them with the same inputs
(page revision, form options, site settings, language, date, and for the status page the request's
public state); only the CSRF token differs. So the page is rendered once with a placeholder where the
token goes, stored in the cache, and every response gets the placeholder replaced with a token for its
own browser. See bench/RESULTS.md for what this changed (the form page was 45 requests a second).

Nothing is cached for a page that shows messages or errors, or for anything but a plain GET.
"""

import hashlib
from functools import cache as memoize
from pathlib import Path

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from cctv.caching import versions as cache_versions

# Not a possible token (tokens are 64 letters and digits), so it is never confused with one.
PLACEHOLDER = "@@csrf-token@@"
SECONDS = 60 * 60
# Every edit an editor can make to these pages bumps one of these (routing, site settings, form options).
FAMILIES = ("routes", "service-settings", "form-options")


@memoize
def _release() -> str:
    """Changes with every deployment of new static files (their hashed names are in the page)."""
    manifest = Path(settings.STATIC_ROOT or "") / "staticfiles.json"
    return hashlib.sha256(manifest.read_bytes()).hexdigest()[:12] if manifest.is_file() else "dev"


def _key(parts: tuple) -> str:
    versions = ".".join(str(cache_versions.current(family)) for family in FAMILIES)
    raw = ":".join(str(part) for part in (*parts, get_language(), timezone.localdate().isoformat()))
    return f"cctv:page:{_release()}:{versions}:{hashlib.sha256(raw.encode()).hexdigest()}"


def _has_messages(request) -> bool:
    # len() reads the messages cookie (the session only when the cookie says so) without consuming them.
    return len(get_messages(request)) > 0


def cached_page(request, parts: tuple, render) -> HttpResponse:
    """``render(extra_context)`` returns a TemplateResponse; ``parts`` name everything the page depends on."""
    if request.method != "GET" or getattr(request, "is_preview", False) or _has_messages(request):
        return render({})
    key = _key(parts)
    stored = cache.get(key)
    if stored is None:
        response = render({"csrf_token": PLACEHOLDER})
        response.render()
        if response.status_code != 200:
            return response
        stored = (response.content, response["Content-Type"])
        cache.set(key, stored, SECONDS)
    content, content_type = stored
    return HttpResponse(content.replace(PLACEHOLDER.encode(), get_token(request).encode()), content_type=content_type)
