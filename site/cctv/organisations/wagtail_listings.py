"""Wagtail's own listings, narrowed to the organisations in scope (ADR 0016, step 4).

Wagtail gives hooks for the explorer and the page choosers (wagtail_hooks), but its page search, reports,
workflow and task lists, user list and parent chooser read Wagtail's models directly. Each of those views gets
the small mixin named here for its URL (``LISTINGS``): ``cctv.organisations.wagtail_guard`` runs the view's own
class with the mixin in front, with the arguments Wagtail gave it, so its permission checks, filters, templates
and exports stay Wagtail's and only its rows are narrowed.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from cctv.organisations.context import current_scope
from cctv.organisations.wagtail_scope import (
    about_their_objects,
    in_trees,
    their_member_ids,
    their_task_ids,
    their_workflow_ids,
    tree_paths,
)


def _ids():
    return current_scope() or frozenset()


def _their(model):
    """The rows of ``model`` a filter of a listing may offer, or None for a model that names no organisation's."""
    from django.contrib.auth import get_user_model
    from wagtail.models import Site, Task, Workflow

    if issubclass(model, Site):
        return {"organisation__pk__in": _ids()}
    if issubclass(model, get_user_model()):
        return {"pk__in": their_member_ids(_ids())}
    if issubclass(model, Workflow):
        return {"pk__in": their_workflow_ids(_ids())}
    if issubclass(model, Task):
        return {"pk__in": their_task_ids(_ids())}
    return None


class TheirFilterChoices:
    """A listing's filters (sites, users, workflows, steps) offer only their organisations' rows: the choices
    would otherwise name other organisations' sites, staff and steps."""

    @cached_property
    def filters(self):
        filters = super().filters
        for field in filters.form.fields.values() if filters is not None else ():
            queryset = getattr(field, "queryset", None)
            narrowing = None if queryset is None else _their(queryset.model)
            if narrowing is not None:
                field.queryset = queryset.filter(**narrowing)
        return filters


class TheirExplorer(TheirFilterChoices):
    """The explorer, the pages of one type and the form pages: the explorer's hook (wagtail_hooks) narrows only
    what the explorer searches, so the rows are narrowed here as well, and the filters' choices."""

    def get_base_queryset(self):
        return super().get_base_queryset().filter(in_trees(tree_paths(self.request)))


class TheirPages(TheirFilterChoices):
    """A page report (locked, aging): only pages in their organisations' trees."""

    def get_queryset(self):
        return super().get_queryset().filter(in_trees(tree_paths(self.request)))


class TheirPageSearch(TheirFilterChoices):
    """The page search: Wagtail narrows ``pages`` and ``all_pages`` (the type counts) before searching them."""

    def annotate_queryset(self, pages):
        mine = in_trees(tree_paths(self.request))
        self.all_pages = self.all_pages.filter(mine)
        return super().annotate_queryset(pages.filter(mine))


class TheirParentPages:
    """Adding a page of a type: only parents in their trees are offered."""

    def get_valid_parent_pages(self, user):
        return super().get_valid_parent_pages(user).filter(in_trees(tree_paths(self.request)))


class TheirLogEntries(TheirFilterChoices):
    """The site history: entries about their pages and about objects of their organisations."""

    def filter_queryset(self, queryset):
        from wagtail.models import PageLogEntry

        queryset = super().filter_queryset(queryset)
        if issubclass(queryset.model, PageLogEntry):
            return queryset.filter(in_trees(tree_paths(self.request), "page__path"))
        return queryset.filter(about_their_objects(self.request))


class TheirWorkflowReport(TheirFilterChoices):
    """Workflow states and task states of their pages and their organisations' requests, filtered by their
    workflows and steps only."""

    prefix = ""

    def get_queryset(self):
        return super().get_queryset().filter(about_their_objects(self.request, prefix=self.prefix, pages=True))


class TheirTaskStates(TheirWorkflowReport):
    prefix = "workflow_state__"


class TheirWorkflows(TheirFilterChoices):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(pk__in=their_workflow_ids(_ids()))


class TheirTasks(TheirFilterChoices):
    def get_queryset(self):
        return super().get_queryset().filter(pk__in=their_task_ids(_ids()))


class TheirTaskChooser:
    """The step chooser of the workflow editor: Wagtail builds and pages the list in one method, so the list is
    built again from its unpaged rows, narrowed."""

    def get_task_listing_context_data(self):
        context = super().get_task_listing_context_data()
        tasks = context["all_tasks"].filter(pk__in=their_task_ids(_ids()))
        context["all_tasks"] = tasks
        if context["query_string"]:
            tasks = tasks.filter(name__icontains=context["query_string"])
        context["tasks"] = Paginator(tasks, per_page=10).get_page(self.request.GET.get("p"))
        return context


class TheirStaff(TheirFilterChoices):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(pk__in=their_member_ids(_ids()))


class TheirExplorerPages:
    """The admin API behind the sidebar's page explorer (registered for everyone, so it checks the scope itself):
    only pages in their trees, whatever the filter asked."""

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset if current_scope() is None else queryset.filter(in_trees(tree_paths(self.request)))


LISTINGS = {
    "wagtailadmin_explore_root": TheirExplorer,
    "wagtailadmin_explore": TheirExplorer,
    "wagtailadmin_explore_results": TheirExplorer,
    "wagtailforms:index": TheirExplorer,
    "wagtailforms:index_results": TheirExplorer,
    "wagtailadmin_pages:type_use": TheirExplorer,
    "wagtailadmin_pages:type_use_results": TheirExplorer,
    "wagtailadmin_pages:search": TheirPageSearch,
    "wagtailadmin_pages:search_results": TheirPageSearch,
    "wagtailadmin_pages:choose_parent": TheirParentPages,
    "wagtailadmin_reports:locked_pages": TheirPages,
    "wagtailadmin_reports:locked_pages_results": TheirPages,
    "wagtailadmin_reports:aging_pages": TheirPages,
    "wagtailadmin_reports:aging_pages_results": TheirPages,
    "wagtailadmin_reports:site_history": TheirLogEntries,
    "wagtailadmin_reports:site_history_results": TheirLogEntries,
    "wagtailadmin_reports:workflow": TheirWorkflowReport,
    "wagtailadmin_reports:workflow_results": TheirWorkflowReport,
    "wagtailadmin_reports:workflow_tasks": TheirTaskStates,
    "wagtailadmin_reports:workflow_tasks_results": TheirTaskStates,
    "wagtailadmin_workflows:index": TheirWorkflows,
    "wagtailadmin_workflows:index_results": TheirWorkflows,
    "wagtailadmin_workflows:task_index": TheirTasks,
    "wagtailadmin_workflows:task_index_results": TheirTasks,
    "wagtailadmin_workflows:task_chooser": TheirTaskChooser,
    "wagtailadmin_workflows:task_chooser_results": TheirTaskChooser,
    "wagtailusers_users:index": TheirStaff,
    "wagtailusers_users:index_results": TheirStaff,
}
