"""The staff roles, their groups and the permissions each needs, and nothing more.

Used by ``manage.py setup_roles`` (run on every deploy; idempotent) and by ``seed_demo``. Approvers act on
requests through their workflow tasks; the supervising levels (``SUPERVISOR_LEVELS``) may also read any request
(``workflow.request.selectors.user_may_see_request``); nobody gets publish or delete rights on requests.

Who may do what (workflows and their steps, the steps' groups, groups and their permissions, staff accounts,
and request types, which choose the workflow) belongs to the administrator alone: a role that could change
these could give itself access to requests. ``setup_roles`` takes these rights back from every other role's
group on each deploy; ``cctv.admin_audit`` logs each change of them.

The groups have Thai names; a group found under its role's earlier (English) name is renamed, never duplicated
(docs/decisions/0017-thai-group-names.md).
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q, QuerySet
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Page


@dataclass(frozen=True)
class Role:
    key: str
    # The group's name, as the Thai admin shows it (Settings → Groups, a step's groups, the user editor, the audit
    # trail). The administrator's differs from its label: Wagtail's superuser box is "ผู้ดูแลระบบ" in the user editor.
    group: str
    thai: str  # the role's label: the demo accounts' first name, the approval steps create_organisation makes
    permissions: tuple[str, ...]
    # Names the group had before: setup_roles renames a group found under one (members and steps carry over).
    previous_names: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.group, *self.previous_names)


ADMIN = ("wagtailadmin.access_admin",)
VIEW_REQUESTS = ("cctv_workflow.view_footagerequest",)
# The Messages admin (every message sent, its text with the link key masked; each opening access-logged).
VIEW_MESSAGES = ("cctv_workflow.view_notification",)

# Models whose add, change or delete right lets its holder decide who may do what. Wagtail checks workflow
# steps against wagtailcore's Task whatever the task's type; the subtypes' own rights are reserved all the same.
RESERVED_MODELS = (
    "auth.group",
    "auth.user",
    "auth.permission",
    "wagtailcore.workflow",
    "wagtailcore.task",
    "wagtailcore.workflowtask",
    "wagtailcore.workflowpage",
    "wagtailcore.workflowcontenttype",
    "wagtailcore.groupapprovaltask",
    "wagtailcore.grouppagepermission",
    "wagtailcore.groupcollectionpermission",
    "wagtailcore.groupsitepermission",
    "cctv_workflow.approvaltask",
    "cctv_workflow.requesttype",
)
# Making someone's enrolment link is enrolling their second factor: the administrator's (who makes the accounts).
RESERVED_PERMISSIONS = ("cctv_two_factor.add_enrolmentlink",)
MANAGE_ACCESS = (
    "wagtailcore.add_workflow",
    "wagtailcore.change_workflow",
    "wagtailcore.delete_workflow",
    "wagtailcore.add_task",
    "wagtailcore.change_task",
    "wagtailcore.delete_task",
    "auth.add_group",
    "auth.change_group",
    "auth.delete_group",
    "auth.add_user",
    "auth.change_user",
    "auth.delete_user",
    "cctv_workflow.add_requesttype",
    "cctv_workflow.change_requesttype",
    "cctv_workflow.delete_requesttype",
)

ROLES = (
    Role(
        "editor",
        "ผู้ดูแลเนื้อหา",
        "ผู้ดูแลเนื้อหา",
        (
            *ADMIN,
            "cctv_stations.add_station",
            "cctv_stations.change_station",
            "cctv_stations.delete_station",
            "cctv_workflow.add_refusalreason",
            "cctv_workflow.change_refusalreason",
            "cctv_workflow.add_messagetemplate",
            "cctv_workflow.change_messagetemplate",
            "cctv_workflow.add_servicestep",
            "cctv_workflow.change_servicestep",
            "cctv_workflow.add_nofootagereason",
            "cctv_workflow.change_nofootagereason",
            "cctv_workflow.add_legalbasis",
            "cctv_workflow.change_legalbasis",
            "cctv_home.change_servicesettings",
        ),
        previous_names=("Editors",),
    ),
    Role(
        "officer",
        "เจ้าหน้าที่ศูนย์กล้องโทรทัศน์วงจรปิด",
        "เจ้าหน้าที่ศูนย์กล้องโทรทัศน์วงจรปิด",
        (
            *ADMIN,
            *VIEW_REQUESTS,
            *VIEW_MESSAGES,
            "cctv_workflow.change_footagerequest",
            "cctv_workflow.handle_footage",
        ),
        previous_names=("CCTV officers",),
    ),
    Role(
        "head",
        "หัวหน้าศูนย์กล้องโทรทัศน์วงจรปิด",
        "หัวหน้าศูนย์กล้องโทรทัศน์วงจรปิด",
        (
            *ADMIN,
            *VIEW_REQUESTS,
            *VIEW_MESSAGES,
            "cctv_workflow.handle_data_subject_requests",
            "cctv_workflow.handle_footage",
            "cctv_workflow.view_service_report",
        ),
        previous_names=("Head of CCTV centre",),
    ),
    Role("deputy", "ปลัด", "ปลัด", (*ADMIN, *VIEW_REQUESTS), previous_names=("Deputy chief",)),
    Role("chief", "นายก", "นายก", (*ADMIN, *VIEW_REQUESTS), previous_names=("Chief executive",)),
    Role(
        "auditor",
        "ผู้ตรวจสอบ",
        "ผู้ตรวจสอบ",
        (
            *ADMIN,
            *VIEW_REQUESTS,
            *VIEW_MESSAGES,
            "cctv_stations.view_station",
            "cctv_workflow.view_requesttype",
            "cctv_workflow.view_refusalreason",
            "cctv_home.view_servicesettings",
            "cctv_workflow.view_audit_report",
            "cctv_workflow.view_service_report",
            "cctv_workflow.view_servicestep",
        ),
        previous_names=("Auditors",),
    ),
    Role(
        "administrator",
        "ผู้ดูแลบัญชีและสิทธิ์ผู้ใช้",
        "ผู้ดูแลระบบ",
        (*ADMIN, *VIEW_MESSAGES, *MANAGE_ACCESS, *RESERVED_PERMISSIONS),
        previous_names=("Administrators",),
    ),
)
APPROVAL_LEVELS = ("officer", "head", "deputy", "chief")
# The levels above the officers supervise: their members may read any request, at any step or after it ended
# (each read access-logged as every read of personal data); they act only on the step of their own group.
SUPERVISOR_LEVELS = ("head", "deputy", "chief")
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
# Wagtail's migrations seed two groups: "Editors", which is the editor role's group (renamed above, so its
# members stay; the image and document rights Wagtail gave it are taken, see SHARED_LIBRARIES), and "Moderators",
# which edits, publishes and approves pages (Wagtail's "Moderators approval" workflow on the root page). Nothing of
# ours uses Moderators: setup_roles gives it a Thai name the same way, and never makes it (name, earlier names).
WAGTAIL_SEEDED_GROUPS = (("ผู้อนุมัติหน้าเว็บไซต์", ("Moderators",)),)


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def reserved_permissions() -> QuerySet[Permission]:
    by_model = Q()
    for model in RESERVED_MODELS:
        app_label, name = model.split(".")
        by_model |= Q(
            content_type__app_label=app_label,
            content_type__model=name,
            codename__in=[f"{action}_{name}" for action in ("add", "change", "delete")],
        )
    for dotted in RESERVED_PERMISSIONS:
        app_label, codename = dotted.split(".")
        by_model |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(by_model)


def _named_groups() -> list[tuple[str, tuple[str, ...]]]:
    return [(role.group, role.previous_names) for role in ROLES] + list(WAGTAIL_SEEDED_GROUPS)


def _existing(named) -> set[str]:
    names = [name for current, earlier in named for name in (current, *earlier)]
    return set(Group.objects.filter(name__in=names).values_list("name", flat=True))


def group_renames() -> list[tuple[str, str]]:
    """(earlier name, name) of each group setup_roles renames: found under an earlier name, not under its own."""
    named = _named_groups()
    existing = _existing(named)
    renames = []
    for name, earlier in named:
        found = [old for old in earlier if old in existing]
        if found and name not in existing:
            renames.append((found[0], name))
    return renames


def groups_left_under_previous_names() -> list[tuple[str, str]]:
    """(earlier name, name) of each group left under an earlier name beside the group of that name. setup_roles
    merges neither: the earlier one's members, steps and permissions are the administrator's to move or drop."""
    named = _named_groups()
    existing = _existing(named)
    return [(old, name) for name, earlier in named if name in existing for old in earlier if old in existing]


# Wagtail's image and document libraries and their collections are shared by every organisation of an
# installation: no role holds rights on them (ADR 0020); Wagtail's migrations gave its "Editors" some.
SHARED_LIBRARIES = ("wagtailimages", "wagtaildocs")


def _take_library_rights(groups) -> None:
    for group in groups:
        taken = group.permissions.filter(content_type__app_label__in=SHARED_LIBRARIES)
        if taken.exists():
            group.permissions.remove(*taken)
    GroupCollectionPermission.objects.filter(group__in=groups).delete()


@transaction.atomic
def setup_roles() -> dict[str, Group]:
    """Create the role groups (or rename those found under an earlier name), give each its permissions, and take
    reserved ones from those not meant to hold them (a group made before, or changed by hand). Other permissions
    given by hand are left alone."""
    for earlier, name in group_renames():
        group = Group.objects.get(name=earlier)
        group.name = name
        group.save(update_fields=["name"])
    groups = {}
    reserved = reserved_permissions()
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role.group)
        granted = [_permission(name) for name in role.permissions]
        held = set(group.permissions.values_list("pk", flat=True))
        missing = [permission for permission in granted if permission.pk not in held]
        if missing:
            group.permissions.add(*missing)
        taken = list(group.permissions.filter(pk__in=reserved).exclude(pk__in=[p.pk for p in granted]))
        if taken:
            group.permissions.remove(*taken)
        groups[role.key] = group
    seeded = Group.objects.filter(name__in=[name for name, _earlier in WAGTAIL_SEEDED_GROUPS])
    _take_library_rights([*groups.values(), *seeded])
    root = Page.get_first_root_node()
    if root is not None:
        for codename in EDITOR_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=groups["editor"], page=root, permission=_permission(f"wagtailcore.{codename}")
            )
    return groups


def is_supervisor(user) -> bool:
    """Whether the user belongs to a supervising level's group (whose membership is the administrator's)."""
    names = [role.group for role in ROLES if role.key in SUPERVISOR_LEVELS]
    return bool(user.is_authenticated and user.is_active) and user.groups.filter(name__in=names).exists()


def other_groups_with_reserved_permissions() -> list[str]:
    """Groups setup_roles does not manage that hold a reserved right: the operator is told at each deploy."""
    return list(
        Group.objects.exclude(name__in=[role.group for role in ROLES])
        .filter(permissions__in=reserved_permissions())
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)
    )
