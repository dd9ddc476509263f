"""Serving public pages from a route cache.

Wagtail routes every request with about six queries (site, each path segment, the specific page, view
restrictions). Public pages here change only when an editor publishes, moves or restricts them, so the
routed page (with its view restrictions) is cached under a versioned key that those events bump.
Requests from signed-in users (previews, editors) take Wagtail's normal path.
"""

from django.http import Http404, HttpResponse
from wagtail import hooks
from wagtail.models import Page, Site
from wagtail.views import serve as wagtail_serve
from wagtail.views import serve_chain

from cctv.caching import versions
from cctv.caching.readthrough import cache_key, cached

ROUTE_SECONDS = 300
# Sites and routed pages are also kept in each process under the same versioned keys (a handful of
# entries: one per host and public path), so a warm page view asks Redis for neither.
LOCAL_ENTRIES = 500
_local: dict[str, object] = {}


def cached_with_routes(key: str, load):
    """``cached()`` kept in this process too, for values forgotten with the routes (a key of the "routes" family)."""
    if key in _local:
        return _local[key]
    value = cached(key, ROUTE_SECONDS, load)
    if value is None:
        return None
    if len(_local) >= LOCAL_ENTRIES:
        _local.clear()
    _local[key] = value
    return value


def forget_routes(**kwargs) -> None:
    versions.bump("routes")


def site_for_request(request) -> Site | None:
    """Site.find_for_request, cached by host (sites change only in the admin)."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    key = cache_key("site", request.get_host(), families=("routes",))
    site = cached_with_routes(key, lambda: Site.find_for_request(request))
    request._wagtail_site = site
    return site


class CachedRestrictionsMixin:
    """Lets a cached page answer get_view_restrictions() without a query."""

    def get_view_restrictions(self):
        cached = getattr(self, "_cached_view_restrictions", None)
        if cached is not None:
            return cached
        return super().get_view_restrictions()


def route_for_request(request, path: str):
    """(page, args, kwargs) of ``path`` on the request's site, from the route cache; Http404 when none."""
    site = site_for_request(request)
    if site is None:
        raise Http404
    key = cache_key("route", site.pk, path, families=("routes",))
    routed = {}

    def route():
        components = [part for part in path.split("/") if part]
        page, args, kwargs = site.root_page.localized.specific.route(request, components)
        routed.update(page=page, args=args, kwargs=kwargs)
        if args or kwargs:
            return None  # a page with sub-routes is routed anew each time
        page._cached_view_restrictions = list(page.get_view_restrictions())
        return page

    page = cached_with_routes(key, route)
    if page is None:
        return routed["page"], routed["args"], routed["kwargs"]
    return page, [], {}


def serve(request, path):
    if request.user.is_authenticated:
        return wagtail_serve(request, path)
    page, args, kwargs = route_for_request(request, path)

    chain = serve_chain
    for fn in reversed(hooks.get_hooks("on_serve_page")):
        chain = fn(chain)
    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(page, request, args, kwargs)
        if isinstance(result, HttpResponse):
            return result
    return chain(page, request, args, kwargs)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import PageViewRestriction
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(forget_routes, dispatch_uid="cctv-routes-published")
    page_unpublished.connect(forget_routes, dispatch_uid="cctv-routes-unpublished")
    post_page_move.connect(forget_routes, dispatch_uid="cctv-routes-moved")
    for model in (Page, PageViewRestriction, Site):
        post_delete.connect(forget_routes, sender=model, dispatch_uid=f"cctv-routes-delete-{model.__name__}")
    for model in (PageViewRestriction, Site):
        post_save.connect(forget_routes, sender=model, dispatch_uid=f"cctv-routes-save-{model.__name__}")
