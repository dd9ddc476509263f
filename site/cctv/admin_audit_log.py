"""The audit codes of access changes and how Wagtail's history and audit report show them (cctv.admin_audit
writes the entries)."""

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter

WORKFLOW_CHANGED = "cctv.admin.workflow_changed"
TASK_CHANGED = "cctv.admin.task_changed"
GROUP_CHANGED = "cctv.admin.group_changed"
USER_GROUPS_CHANGED = "cctv.admin.user_groups_changed"
USER_PERMISSIONS_CHANGED = "cctv.admin.user_permissions_changed"
USER_SUPERUSER_CHANGED = "cctv.admin.user_superuser_changed"
REQUEST_TYPE_CHANGED = "cctv.admin.request_type_changed"

LOG_ACTIONS = (
    (WORKFLOW_CHANGED, _("Change workflow"), _("Workflow changed")),
    (TASK_CHANGED, _("Change workflow task"), _("Workflow task changed")),
    (GROUP_CHANGED, _("Change group permissions"), _("Group permissions changed")),
    (USER_GROUPS_CHANGED, _("Change user's groups"), _("Staff account's groups changed")),
    (USER_PERMISSIONS_CHANGED, _("Change user's permissions"), _("Staff account's own permissions changed")),
    (USER_SUPERUSER_CHANGED, _("Change superuser status"), _("Staff account's superuser status changed")),
    (REQUEST_TYPE_CHANGED, _("Change request type's workflow"), _("Request type's approval workflow changed")),
)
FIELD_LABELS = {
    "steps": _("steps"),
    "content_types": _("used for"),
    "pages": _("pages"),
    "active": _("active"),
    "groups": _("groups"),
    "permissions": _("permissions"),
    "page_permissions": _("page permissions"),
    "collection_permissions": _("collection permissions"),
    "site_permissions": _("site permissions"),
    "is_superuser": _("superuser"),
    "workflow": _("approval workflow"),
}


class ChangeFormatter(LogFormatter):
    """Shows what changed: "Workflow task changed: groups CCTV officers → CCTV officers, Editors"."""

    def format_message(self, log_entry):
        data = log_entry.data or {}
        if "field" not in data:
            return self.message
        return _("%(message)s: %(field)s %(old)s → %(new)s") % {
            "message": self.message,
            "field": FIELD_LABELS.get(data["field"], data["field"]),
            "old": _text(data.get("old")),
            "new": _text(data.get("new")),
        }


def formatters() -> list[tuple[str, type[LogFormatter]]]:
    return [
        (code, type("AccessChangeFormatter", (ChangeFormatter,), {"label": label, "message": message}))
        for code, label, message in LOG_ACTIONS
    ]


def _text(value) -> str:
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        return ", ".join(value) or "—"
    return "—" if value in (None, "") else str(value)
