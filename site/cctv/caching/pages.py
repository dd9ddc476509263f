"""Whole public pages from the cache, with a fresh CSRF token in each response.

The form page and the status page are the same for everyone who asks for them with the same inputs
(page revision, form options, site settings, language, date, and for the status page the request's
public state); only the CSRF token differs. So the page is rendered once with a placeholder where the
token goes, stored in the cache, and every response gets the placeholder replaced with a token for its
own browser. See bench/RESULTS.md for what this changed (the form page was 45 requests a second).

Nothing is cached for a page that shows messages or errors, or for anything but a plain GET.

A page that shows one person's data (the status page: first name, staff message, download link) names its
``owner`` (e.g. ``"status:<token>"``). It is then kept under a key made of the owner and the language alone, with
everything else it depends on in a fingerprint stored beside it, so erasure can delete it (``forget_pages``)
without knowing which state, date or release it was rendered for.
"""

import hashlib

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from cctv.caching.readthrough import cache_key, cached

# Not a possible token (tokens are 64 letters and digits), so it is never confused with one.
PLACEHOLDER = "@@csrf-token@@"
SECONDS = 60 * 60
# Every edit an editor can make to these pages bumps one of these (routing, site settings, form options).
FAMILIES = ("routes", "service-settings", "form-options")


def _key(parts: tuple) -> str:
    # The release in the key also covers the static files' hashed names in the page (readthrough.release_files).
    raw = ":".join(str(part) for part in (*parts, get_language(), timezone.localdate().isoformat()))
    return cache_key("page", hashlib.sha256(raw.encode()).hexdigest(), families=FAMILIES)


def _owned_key(owner: str, language: str) -> str:
    # No release or version here (they are in the fingerprint): the key must be derivable from the owner alone.
    # The value holds only built-in types, so a pickle of any release loads.
    return f"cctv:page:{owner}:{language}"


def forget_pages(*owners: str) -> None:
    """Deletes the cached pages of these owners, in every language."""
    keys = [_owned_key(owner, code) for owner in owners if owner for code, _name in settings.LANGUAGES]
    if keys:
        cache.delete_many(keys)


def _cached_owned(owner: str, parts: tuple, load):
    language = get_language()
    if language not in {code for code, _name in settings.LANGUAGES}:
        return load()
    key, fingerprint = _owned_key(owner, language), _key(parts)
    stored = cache.get(key)
    if stored is not None and stored[0] == fingerprint:
        return stored[1:]
    value = load()
    if value is not None:
        cache.set(key, (fingerprint, *value), SECONDS)
    return value


def _has_messages(request) -> bool:
    # len() reads the messages cookie (the session only when the cookie says so) without consuming them.
    return len(get_messages(request)) > 0


def cached_page(request, parts: tuple, render, *, owner: str = "") -> HttpResponse:
    """``render(extra_context)`` returns a TemplateResponse; ``parts`` name everything the page depends on;
    ``owner`` names whose data it shows, for ``forget_pages``."""
    if request.method != "GET" or getattr(request, "is_preview", False) or _has_messages(request):
        return render({})
    uncachable = {}

    def load():
        response = render({"csrf_token": PLACEHOLDER})
        response.render()
        if response.status_code != 200:
            uncachable["response"] = response
            return None
        return (response.content, response["Content-Type"])

    stored = _cached_owned(owner, parts, load) if owner else cached(_key(parts), SECONDS, load)
    if stored is None:
        return uncachable["response"]
    content, content_type = stored
    return HttpResponse(content.replace(PLACEHOLDER.encode(), get_token(request).encode()), content_type=content_type)
