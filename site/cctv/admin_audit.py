"""The audit of who may do what: workflows and their steps, tasks and their groups, groups and their permissions,
staff accounts' groups, permissions and superuser flag, and the workflow each request type goes through.

Wagtail's admin already logs creating, editing and deleting these objects ("wagtail.create", "wagtail.edit",
"wagtail.delete"), but not what changed in the sets that decide access, nor disabling or enabling a workflow or
a task (those views write nothing). The receivers here add one entry per change with the old and the new value,
whatever made it: the admin, django-admin, a management command (then without a user: "system"). Within one
admin request the changes to one set are merged into one entry (a form's save removes, then adds; modelcluster
saves every step again), so an entry reads old → new. Values are names and codes of groups, permissions, tasks,
pages and workflows: no personal data.

Connected from ``cctv.home``'s ``AppConfig.ready`` so that commands such as ``setup_roles`` are logged too.
"""

from dataclasses import dataclass
from typing import Any

from asgiref.local import Local
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from wagtail.log_actions import get_active_log_context, log
from wagtail.models import (
    AbstractGroupApprovalTask,
    Task,
    Workflow,
)

# The codes and their formatting live in cctv.admin_audit_log; callers use them through this module too.
from cctv.admin_audit_log import (  # noqa: F401
    FIELD_LABELS,
    GROUP_CHANGED,
    LOG_ACTIONS,
    REQUEST_TYPE_CHANGED,
    TASK_CHANGED,
    USER_GROUPS_CHANGED,
    USER_PERMISSIONS_CHANGED,
    USER_SUPERUSER_CHANGED,
    WORKFLOW_CHANGED,
    ChangeFormatter,
    _text,
    formatters,
)
from cctv.admin_audit_watched import (
    CHILD_ROWS,
    Watched,
    WatchedRelation,
    _names,
    _permissions,
    _scalar,
    _workflow_label,
)

_local = Local()


@dataclass
class _Pending:
    old: Any
    entry: Model | None = None


def _pending() -> dict:
    """Open entries of the current admin request (Wagtail's log context), so that one set gives one entry."""
    uuid = get_active_log_context().uuid
    if getattr(_local, "uuid", None) != uuid or not hasattr(_local, "pending"):
        _local.uuid = uuid
        _local.pending = {}
    return _local.pending


def _key(owner, watched):
    return (watched.action, watched.field, owner._meta.label, owner.pk)


def before(owner, watched: Watched) -> None:
    pending = _pending()
    key = _key(owner, watched)
    if key not in pending or get_active_log_context().uuid is None:
        pending[key] = _Pending(old=watched.read(owner))


def after(owner, watched: Watched) -> None:
    pending = _pending()
    key = _key(owner, watched)
    record = pending.get(key)
    if record is None:
        return
    change = watched.change(record.old, watched.read(owner))
    entries = type(record.entry)._default_manager.filter(pk=record.entry.pk) if record.entry else None
    if entries is not None and not change:
        # Changed and changed back within one request: nothing to record.
        entries.delete()
        record.entry = None
    elif change and not (entries is not None and entries.update(data=change)):
        # (a new entry also when the one opened earlier was rolled back with its transaction)
        record.entry = log(instance=owner, action=watched.action, data=change)
    if get_active_log_context().uuid is None:
        del pending[key]


def _owner_of(row) -> Model | None:
    owner_model, owner_key, _watched = CHILD_ROWS[type(row)]
    return owner_model._default_manager.filter(pk=getattr(row, owner_key)).first()


def _before_child(sender, instance, raw=False, **kwargs):
    if raw:
        return
    owner = _owner_of(instance)
    if owner is not None:
        before(owner, CHILD_ROWS[sender][2])


def _after_child(sender, instance, raw=False, **kwargs):
    if raw:
        return
    owner = _owner_of(instance)
    if owner is not None:
        after(owner, CHILD_ROWS[sender][2])


SCALARS: dict[type[Model], list[Watched]] = {}


def _before_scalar(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    for watched in SCALARS[sender]:
        if update_fields is None or watched.field in update_fields:
            before(instance, watched)


def _after_scalar(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    for watched in SCALARS[sender]:
        if update_fields is None or watched.field in update_fields:
            after(instance, watched)


RELATIONS: dict[type[Model], WatchedRelation] = {}


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    relation = RELATIONS[sender]
    phase, _sep, operation = action.partition("_")
    if operation in ("add", "remove") and not pk_set:
        return
    key = (sender, instance._meta.label, instance.pk, reverse, operation)
    if phase == "pre":
        if not reverse:
            owners = [instance]
        else:
            if pk_set is None:  # cleared from the other side: every owner it had
                rows = sender.objects.filter(**{relation.other_key: instance.pk})
                pk_set = rows.values_list(relation.owner_key, flat=True)
            owners = list(relation.owner._default_manager.filter(pk__in=list(pk_set)))
        _owners()[key] = owners
        for owner in owners:
            before(owner, relation.watched)
    else:
        for owner in _owners().pop(key, []):
            after(owner, relation.watched)


def _owners() -> dict:
    if not hasattr(_local, "owners"):
        _local.owners = {}
    return _local.owners


def connect() -> None:
    User = get_user_model()
    RequestType = apps.get_model("cctv_workflow", "RequestType")
    tasks = [model for model in apps.get_models() if issubclass(model, Task)]
    group_tasks = [model for model in tasks if issubclass(model, AbstractGroupApprovalTask)]

    SCALARS.clear()
    SCALARS[Workflow] = [Watched(WORKFLOW_CHANGED, "active", _scalar(Workflow, "active", initial=True))]
    for model in tasks:
        SCALARS[model] = [Watched(TASK_CHANGED, "active", _scalar(model, "active", initial=True))]
    SCALARS[User] = [Watched(USER_SUPERUSER_CHANGED, "is_superuser", _scalar(User, "is_superuser", initial=False))]
    SCALARS[RequestType] = [
        Watched(REQUEST_TYPE_CHANGED, "workflow", _scalar(RequestType, "workflow_id", show=_workflow_label))
    ]

    RELATIONS.clear()
    for owner, name, watched in (
        (User, "groups", Watched(USER_GROUPS_CHANGED, "groups", _names("groups"))),
        (User, "user_permissions", Watched(USER_PERMISSIONS_CHANGED, "permissions", _permissions("user_permissions"))),
        (Group, "permissions", Watched(GROUP_CHANGED, "permissions", _permissions("permissions"))),
        *((model, "groups", Watched(TASK_CHANGED, "groups", _names("groups"))) for model in group_tasks),
    ):
        field = owner._meta.get_field(name)
        through = field.remote_field.through
        RELATIONS[through] = WatchedRelation(
            owner,
            through._meta.get_field(field.m2m_field_name()).attname,
            through._meta.get_field(field.m2m_reverse_field_name()).attname,
            watched,
        )

    for model in CHILD_ROWS:
        uid = f"cctv-admin-audit-{model._meta.label}"
        pre_save.connect(_before_child, sender=model, dispatch_uid=f"{uid}-pre-save")
        post_save.connect(_after_child, sender=model, dispatch_uid=f"{uid}-post-save")
        pre_delete.connect(_before_child, sender=model, dispatch_uid=f"{uid}-pre-delete")
        post_delete.connect(_after_child, sender=model, dispatch_uid=f"{uid}-post-delete")
    for model in SCALARS:
        uid = f"cctv-admin-audit-{model._meta.label}"
        pre_save.connect(_before_scalar, sender=model, dispatch_uid=f"{uid}-pre-save")
        post_save.connect(_after_scalar, sender=model, dispatch_uid=f"{uid}-post-save")
    for through in RELATIONS:
        m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"cctv-admin-audit-{through._meta.label}")
