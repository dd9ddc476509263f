"""Which organisation a request is for, from its host name (ADR 0016).

- A host that is no site's name gets a plain 404 page, never another municipality's site: once an installation has
  two sites, Wagtail's fallback to the default site would show one municipality under another's name. With one site
  every allowed host serves it, as before.
- A closed (disabled) organisation's public pages say that the service is closed; staff still sign in to the admin,
  since its data stays under retention.
- Once there are two sites, a signed-in staff member (not a superuser) sees only the rows of the organisations
  they are a member of, on every page (cctv.organisations.context), Wagtail's own admin included
  (cctv.organisations.wagtail_guard).
The sites and organisations are read through the route cache (forgotten whenever a site or organisation changes).
"""

from django.http import HttpResponseNotFound
from django.template.loader import render_to_string
from django.template.response import TemplateResponse

from cctv.caching.readthrough import cache_key
from cctv.caching.routes import cached_with_routes, site_for_request
from cctv.organisations.context import only_organisations
from cctv.organisations.membership import organisation_ids_of
from cctv.organisations.wagtail_guard import guard_admin_view

# Served for any host: load balancers and probes, staff sign-in and the admin of a closed organisation.
ALWAYS_SERVED = ("/health/", "/metrics")
STAFF_PATHS = ("/admin/", "/static/", "/documents/", "/account/")


def _load_hosts() -> dict:
    from wagtail.models import Site

    hosts, closed = set(), set()
    for site_id, hostname, active in Site.objects.values_list("pk", "hostname", "organisation__active"):
        hosts.add(hostname.lower())
        if active is False:
            closed.add(site_id)
    return {"hosts": sorted(hosts), "closed_sites": sorted(closed)}


def known_sites() -> dict:
    # Kept in each process like the sites themselves, so a warm page view asks Redis for nothing more.
    return cached_with_routes(cache_key("organisation-hosts", families=("routes",)), _load_hosts) or _load_hosts()


class OrganisationHostMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(ALWAYS_SERVED):
            return self.get_response(request)
        sites = known_sites()
        host = request.get_host().rsplit(":", 1)[0].lower()
        if len(sites["hosts"]) > 1 and host not in sites["hosts"]:
            return HttpResponseNotFound(render_to_string("organisations/unknown_host.html"))
        if sites["closed_sites"] and not request.path.startswith(STAFF_PATHS):
            site = site_for_request(request)
            if site is not None and site.pk in sites["closed_sites"]:
                return TemplateResponse(request, "organisations/service_closed.html", status=503).render()
        user = getattr(request, "user", None)
        if len(sites["hosts"]) > 1 and user is not None and user.is_authenticated and not user.is_superuser:
            # The organisations they are a member of (none: none), from the cache.
            with only_organisations(organisation_ids_of(user)):
                return self.get_response(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Runs inside the scope set above: Wagtail's own pages, workflows and staff (cctv.organisations.wagtail_guard).
        return guard_admin_view(request, view_func, view_args, view_kwargs)
