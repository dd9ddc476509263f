"""The staff roles, their groups and the permissions each needs, and nothing more.

Used by ``manage.py setup_roles`` (run on every deploy; idempotent) and by ``seed_demo``. Approvers get
access to requests through their workflow tasks; nobody gets publish or delete rights on requests.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Page


@dataclass(frozen=True)
class Role:
    key: str
    group: str
    thai: str
    permissions: tuple[str, ...]


ADMIN = ("wagtailadmin.access_admin",)
VIEW_REQUESTS = ("cctv_workflow.view_footagerequest",)

ROLES = (
    Role(
        "editor",
        "Editors",
        "ผู้ดูแลเนื้อหา",
        (
            *ADMIN,
            "cctv_stations.add_station",
            "cctv_stations.change_station",
            "cctv_stations.delete_station",
            "cctv_workflow.add_requesttype",
            "cctv_workflow.change_requesttype",
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
            "wagtailcore.add_workflow",
            "wagtailcore.change_workflow",
            "wagtailcore.add_task",
            "wagtailcore.change_task",
        ),
    ),
    Role(
        "officer",
        "CCTV officers",
        "เจ้าหน้าที่ศูนย์กล้องโทรทัศน์วงจรปิด",
        (*ADMIN, *VIEW_REQUESTS, "cctv_workflow.change_footagerequest", "cctv_workflow.handle_footage"),
    ),
    Role(
        "head",
        "Head of CCTV centre",
        "หัวหน้าศูนย์กล้องโทรทัศน์วงจรปิด",
        (
            *ADMIN,
            *VIEW_REQUESTS,
            "cctv_workflow.handle_data_subject_requests",
            "cctv_workflow.handle_footage",
            "cctv_workflow.view_service_report",
        ),
    ),
    Role("deputy", "Deputy chief", "ปลัด", (*ADMIN, *VIEW_REQUESTS)),
    Role("chief", "Chief executive", "นายก", (*ADMIN, *VIEW_REQUESTS)),
    Role(
        "auditor",
        "Auditors",
        "ผู้ตรวจสอบ",
        (
            *ADMIN,
            *VIEW_REQUESTS,
            "cctv_stations.view_station",
            "cctv_workflow.view_requesttype",
            "cctv_workflow.view_refusalreason",
            "cctv_home.view_servicesettings",
            "cctv_workflow.view_audit_report",
            "cctv_workflow.view_service_report",
            "cctv_workflow.view_servicestep",
        ),
    ),
)
APPROVAL_LEVELS = ("officer", "head", "deputy", "chief")
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def setup_roles() -> dict[str, Group]:
    groups = {}
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role.group)
        group.permissions.add(*(_permission(name) for name in role.permissions))
        groups[role.key] = group
    root = Page.get_first_root_node()
    if root is not None:
        for codename in EDITOR_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=groups["editor"], page=root, permission=_permission(f"wagtailcore.{codename}")
            )
    return groups
