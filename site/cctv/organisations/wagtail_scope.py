"""What of Wagtail's own models a scoped staff member may reach: their organisations' part of the page tree, the
approval steps of their organisations and the workflows made of them, their organisations' staff, and the
audit entries and workflow states about any of these or about our scoped rows (ADR 0016, step 4).

Each answer is a filter (a ``Q`` or a subquery), so a listing costs the same number of queries however many
organisations or models there are. The scope is the one the organisation middleware set
(``cctv.organisations.context``); with no scope (a superuser, or an installation of one organisation) nothing here
narrows anything.
"""

from functools import cache

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from cctv.organisations import scope as declared
from cctv.organisations.context import current_scope

_PATHS = "_cctv_tree_paths"


def tree_paths(request=None) -> tuple[str, ...]:
    """The tree paths of the root pages of the organisations in scope (kept on the request: read once)."""
    ids = current_scope()
    cached = getattr(request, _PATHS, None)
    if cached is not None and cached[0] == ids:
        return cached[1]
    from wagtail.models import Site

    paths = tuple(Site.objects.filter(organisation__pk__in=ids or ()).values_list("root_page__path", flat=True))
    if request is not None:
        setattr(request, _PATHS, (ids, paths))
    return paths


def in_trees(paths, lookup: str = "path") -> Q:
    """Rows whose page ``lookup`` lies in one of the trees ``paths`` (none: no row)."""
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{lookup}__startswith": path})
    return q


def their_pages(request=None) -> QuerySet:
    from wagtail.models import Page

    return Page.objects.filter(in_trees(tree_paths(request)))


@cache
def _task_models() -> tuple[type, ...]:
    from wagtail.models import Task

    return tuple(
        model
        for model in apps.get_models()
        if issubclass(model, Task) and model is not Task and declared.OWN_KEY in _field_names(model)
    )


def _field_names(model) -> set[str]:
    return {field.name for field in model._meta.concrete_fields}


def their_task_ids(ids) -> QuerySet:
    """The ids of the approval steps of organisations ``ids`` (a subquery; steps of no organisation are nobody's)."""
    from wagtail.models import Task

    q = Q(pk__in=[])
    for model in _task_models():
        q |= Q(pk__in=model._base_manager.filter(organisation__in=ids).values("pk"))
    return Task.objects.filter(q).values("pk")


def their_workflow_ids(ids) -> QuerySet:
    """Workflows with a step of organisations ``ids``: those are the workflows their requests run through."""
    from wagtail.models import Workflow

    return Workflow.objects.filter(workflow_tasks__task__in=their_task_ids(ids)).values("pk")


def their_member_ids(ids) -> QuerySet:
    return get_user_model().objects.filter(organisations__pk__in=ids).values("pk")


@cache
def _scoped_models() -> tuple[tuple[type, str], ...]:
    """Each model of ours with rows per organisation, and its lookup to the organisation (or to its page's path)."""
    found = []
    for model in apps.get_models():
        if not model._meta.app_label.startswith("cctv_") or model._meta.label in declared.IN_PAGE_TREE:
            continue
        if model.__name__.startswith("Historical"):  # django-simple-history's copies: Wagtail logs none of them
            continue
        path = declared.path_to_organisation(model)
        if path is not None:
            found.append((model, path))
    return tuple(found)


def _as_text(queryset: QuerySet) -> QuerySet:
    # Wagtail keeps an object's id as text (ModelLogEntry, WorkflowState), so compare text with text.
    return queryset.annotate(text_pk=Cast("pk", output_field=CharField())).values("text_pk")


def about_their_objects(request, *, prefix: str = "", pages: bool = False) -> Q:
    """Rows (log entries, workflow states) whose ``content_type``/``object_id`` name an object of the
    organisations in scope: a row of one of our scoped models (their approval steps among them), a step seen as
    Wagtail's Task, a workflow of those steps, a member, and with ``pages`` a page in their trees (Wagtail names
    pages there by their base content type)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page, Task, Workflow

    ids = current_scope() or frozenset()
    content_type, object_id = f"{prefix}content_type", f"{prefix}object_id"
    rows = [(model, model._base_manager.filter(**{f"{path}__in": ids})) for model, path in _scoped_models()]
    rows += [
        (Task, Task.objects.filter(pk__in=their_task_ids(ids))),
        (Workflow, Workflow.objects.filter(pk__in=their_workflow_ids(ids))),
        (get_user_model(), get_user_model().objects.filter(pk__in=their_member_ids(ids))),
    ]
    types = ContentType.objects.get_for_models(*(model for model, _rows in rows), for_concrete_models=False)
    q = Q(pk__in=[])
    for model, queryset in rows:
        q |= Q(**{content_type: types[model], f"{object_id}__in": _as_text(queryset)})
    if pages:
        page_type = ContentType.objects.get_for_model(Page)
        q |= Q(**{f"{prefix}base_content_type": page_type, f"{object_id}__in": _as_text(their_pages(request))})
    return q
