"""One check in front of every admin view for a scoped staff member (ADR 0016, step 4), keyed on the resolved URL
rather than on each view, so a URL Wagtail adds later is covered by the same rule:

- any URL naming a page (``page_id``, ``parent_page_id``, ``page_to_move_id``, ``destination_id``, ``page_pk``,
  the admin API's page, the pages a chooser returns as chosen, the ids of a bulk action on pages) answers 404
  unless each page is in the trees of the staff member's organisations;
- a workflow or an approval step by id (``wagtailadmin_workflows``) answers 404 unless it is theirs; a staff
  account by id (``wagtailusers_users``) unless it is a member of one of their organisations;
- the role groups are the same in every organisation, so changing one is a superuser's: everyone else is sent
  back to the list of groups with a message;
- the page-types usage report (every site's counts) is a 404, and so are Wagtail's image and document libraries
  and their collections, which every organisation would share;
- the listings named in ``cctv.organisations.wagtail_listings.LISTINGS`` run with their narrowing mixin.
Superusers and an installation of one organisation have no scope, and nothing here runs for them.
"""

from functools import cache

from django.apps import apps
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from cctv.organisations.context import current_scope
from cctv.organisations.wagtail_listings import LISTINGS
from cctv.organisations.wagtail_scope import their_member_ids, their_pages, their_task_ids, their_workflow_ids

PAGE_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk")
PAGE_BY_PK = ("wagtailadmin_api:pages:",)
PAGE_BY_FIRST_ARG = ("wagtailadmin_pages:revisions_compare",)
PAGE_BY_QUERY_ID = ("wagtailadmin_choose_page_chosen_multiple",)
# Counts and last-edited pages of every page type across all sites, with no narrower view to give instead.
REFUSED = ("wagtailadmin_reports:page_types_usage", "wagtailadmin_reports:page_types_usage_results")
# Wagtail's image and document libraries and their collections: one for the whole installation (ADR 0020).
SHARED_LIBRARIES = (
    "wagtailimages:",
    "wagtailimages_chooser:",
    "wagtaildocs:",
    "wagtaildocs_chooser:",
    "wagtailadmin_collections:",
    "wagtailadmin_api:images:",
    "wagtailadmin_api:documents:",
)
# The group views a scoped staff member may open: reading the list and a group's history changes nothing.
# Its usage lists the group's members in every organisation, so it is refused with the changes.
GROUP_READS = (
    "wagtailusers_groups:index",
    "wagtailusers_groups:index_results",
    "wagtailusers_groups:history",
    "wagtailusers_groups:history_results",
)


def guard_admin_view(request, view_func, view_args, view_kwargs):
    """The organisation middleware's ``process_view``: None to go on, or the response to give instead."""
    ids = current_scope()
    match = getattr(request, "resolver_match", None)
    if ids is None or match is None or not match.view_name:
        return None
    name = match.view_name
    if name in REFUSED or name.startswith(SHARED_LIBRARIES):
        raise Http404
    _refuse_other_pages(request, name, view_args, view_kwargs)
    _refuse_other_objects(name, view_kwargs, ids)
    if name.startswith("wagtailusers_groups:") and name not in GROUP_READS:
        messages.error(request, _("Groups are the same in every organisation: only a superuser may change them."))
        return redirect("wagtailusers_groups:index")
    if name == "wagtail_bulk_action":
        _refuse_other_bulk_rows(request, view_kwargs, ids)
    mixin = LISTINGS.get(name)
    if mixin is not None:
        view_func = _routed_view(name, view_kwargs) or view_func
        view = _narrowed(mixin, view_func.view_class).as_view(**view_func.view_initkwargs)
        # Wagtail's admin URLs are wrapped in require_admin_access and never_cache: keep both.
        from wagtail.admin.auth import require_admin_access

        return never_cache(require_admin_access(view))(request, *view_args, **view_kwargs)
    return None


# Wagtail routes these to the view of the page type's viewset, picked from the URL: pick it the same way.
ROUTED = {
    "wagtailadmin_explore": ("index", "parent_page_id", None),
    "wagtailadmin_explore_results": ("index_results", "parent_page_id", None),
    "wagtailadmin_pages:type_use": ("content_type_use", "content_type_app_name", "content_type_model_name"),
    "wagtailadmin_pages:type_use_results": (
        "content_type_use_results",
        "content_type_app_name",
        "content_type_model_name",
    ),
    "wagtailadmin_pages:choose_parent": ("choose_parent", "app_label", "model_name"),
}


def _routed_view(name, view_kwargs):
    if name not in ROUTED:
        return None
    from django.core.exceptions import ObjectDoesNotExist
    from wagtail.admin.viewsets.pages import page_viewset_registry

    view_name, first, second = ROUTED[name]
    try:
        if second is None:
            viewset = page_viewset_registry.get_by_parent_page_id(view_kwargs.get(first))
        else:
            viewset = page_viewset_registry.get_by_content_type_natural_key(
                view_kwargs.get(first), view_kwargs.get(second)
            )
    except ObjectDoesNotExist:
        raise Http404 from None
    return viewset.get_view_by_name(view_name)


@cache
def _narrowed(mixin, view_class):
    return type(f"{mixin.__name__}{view_class.__name__}", (mixin, view_class), {})


def _page_ids(request, name, view_args, view_kwargs) -> set:
    found = {view_kwargs[key] for key in PAGE_KWARGS if key in view_kwargs}
    if name in PAGE_BY_QUERY_ID:
        found.update(request.GET.getlist("id"))
    if name.startswith(PAGE_BY_PK) and "pk" in view_kwargs:
        found.add(view_kwargs["pk"])
    if name in PAGE_BY_FIRST_ARG and view_args:
        found.add(view_args[0])
    return found


def _integers(values) -> set[int]:
    try:
        return {int(value) for value in values}
    except (TypeError, ValueError):
        raise Http404 from None


def _refuse_other_pages(request, name, view_args, view_kwargs):
    wanted = _integers(_page_ids(request, name, view_args, view_kwargs))
    if wanted and their_pages(request).filter(pk__in=wanted).count() != len(wanted):
        raise Http404


def _refuse_other_objects(name, view_kwargs, ids):
    from wagtail.models import Task, Workflow

    checks = []
    if name.startswith("wagtailadmin_workflows:"):
        is_task = name.endswith("_task") or name.startswith("wagtailadmin_workflows:task")
        if "pk" in view_kwargs:
            checks.append(
                (Task, their_task_ids, view_kwargs["pk"])
                if is_task
                else (Workflow, their_workflow_ids, view_kwargs["pk"])
            )
        if "workflow_pk" in view_kwargs:
            checks.append((Workflow, their_workflow_ids, view_kwargs["workflow_pk"]))
        if "task_id" in view_kwargs:
            checks.append((Task, their_task_ids, view_kwargs["task_id"]))
    if name.startswith("wagtailusers_users:") and "pk" in view_kwargs:
        checks.append((get_user_model(), their_member_ids, view_kwargs["pk"]))
    for model, theirs, pk in checks:
        if not model.objects.filter(pk__in=_integers([pk])).filter(pk__in=theirs(ids)).exists():
            raise Http404


def _refuse_other_bulk_rows(request, view_kwargs, ids):
    from wagtail.models import Page

    try:
        model = apps.get_model(view_kwargs["app_label"], view_kwargs["model_name"])
    except (LookupError, KeyError):
        return  # Wagtail answers an unknown model itself
    if not (issubclass(model, Page) or model is get_user_model()):
        return  # our models' default managers are scoped already
    wanted = request.GET.getlist("id")
    if "all" in wanted:
        raise Http404  # "every row" would be every organisation's
    wanted = _integers(wanted)
    if not wanted:
        return
    if issubclass(model, Page):
        found = their_pages(request).filter(pk__in=wanted).count()
    else:
        found = model.objects.filter(pk__in=wanted).filter(pk__in=their_member_ids(ids)).count()
    if found != len(wanted):
        raise Http404
