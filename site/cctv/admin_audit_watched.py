"""What the access audit watches: the sets that decide who may do what, and how each is read as names."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group
from django.db.models import Model
from wagtail.models import (
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)

from cctv.admin_audit_log import (
    GROUP_CHANGED,
    WORKFLOW_CHANGED,
)


def _named(name, pk) -> str:
    return f"{name} (#{pk})"


def _permission_codes(permissions) -> list[str]:
    return sorted(
        f"{app}.{codename}" for app, codename in permissions.values_list("content_type__app_label", "codename")
    )


@dataclass(frozen=True)
class Watched:
    """One access-deciding value of an owner (a workflow's steps, a group's permissions, a user's flag...)."""

    action: str
    field: str
    read: Callable[[Model], Any]

    def change(self, old, new) -> dict | None:
        if old == new:
            return None
        data = {"field": self.field, "old": old, "new": new}
        if isinstance(new, list):
            data["added"] = [value for value in new if value not in old]
            data["removed"] = [value for value in old if value not in new]
        return data


def _workflow_steps(workflow) -> list[str]:
    steps = WorkflowTask.objects.filter(workflow_id=workflow.pk).order_by("sort_order", "pk")
    return [_named(name, pk) for pk, name in steps.values_list("task_id", "task__name")]


def _scalar(model, name: str, initial=None, show=lambda value: value) -> Callable[[Model], Any]:
    def read(instance):
        if instance.pk is None:
            return initial
        values = list(model._default_manager.filter(pk=instance.pk).values_list(name, flat=True)[:1])
        return show(values[0]) if values else initial

    return read


def _workflow_label(pk) -> str | None:
    if pk is None:
        return None
    workflow = Workflow.objects.filter(pk=pk).first()
    return _named(workflow.name, pk) if workflow else _named("?", pk)


STEPS = Watched(WORKFLOW_CHANGED, "steps", _workflow_steps)

CONTENT_TYPES = Watched(
    WORKFLOW_CHANGED,
    "content_types",
    lambda workflow: sorted(
        f"{app}.{model}"
        for app, model in WorkflowContentType.objects.filter(workflow_id=workflow.pk).values_list(
            "content_type__app_label", "content_type__model"
        )
    ),
)

PAGES = Watched(
    WORKFLOW_CHANGED,
    "pages",
    lambda workflow: sorted(
        _named(title, pk)
        for pk, title in WorkflowPage.objects.filter(workflow_id=workflow.pk).values_list("page_id", "page__title")
    ),
)


def _object_permissions(model, target: str, name: str) -> Callable[[Model], list[str]]:
    def read(group):
        rows = model.objects.filter(group_id=group.pk).values_list(
            f"{target}_id", f"{target}__{name}", "permission__codename"
        )
        return sorted(f"{_named(label, pk)}: {codename}" for pk, label, codename in rows)

    return read


# Rows whose saving or deleting changes a set of their owner: model -> (owner model, owner key, what is watched)
CHILD_ROWS = {
    WorkflowTask: (Workflow, "workflow_id", STEPS),
    WorkflowContentType: (Workflow, "workflow_id", CONTENT_TYPES),
    WorkflowPage: (Workflow, "workflow_id", PAGES),
    GroupPagePermission: (
        Group,
        "group_id",
        Watched(GROUP_CHANGED, "page_permissions", _object_permissions(GroupPagePermission, "page", "title")),
    ),
    GroupCollectionPermission: (
        Group,
        "group_id",
        Watched(
            GROUP_CHANGED,
            "collection_permissions",
            _object_permissions(GroupCollectionPermission, "collection", "name"),
        ),
    ),
    GroupSitePermission: (
        Group,
        "group_id",
        Watched(GROUP_CHANGED, "site_permissions", _object_permissions(GroupSitePermission, "site", "hostname")),
    ),
}


@dataclass(frozen=True)
class WatchedRelation:
    """A many-to-many field whose owner's set is watched (a user's groups, a task's groups...)."""

    owner: type[Model]
    owner_key: str  # the through model's key to the owner
    other_key: str  # and to the other side
    watched: Watched


def _names(relation: str) -> Callable[[Model], list[str]]:
    return lambda owner: sorted(getattr(owner, relation).values_list("name", flat=True))


def _permissions(relation: str) -> Callable[[Model], list[str]]:
    return lambda owner: _permission_codes(getattr(owner, relation).all())
